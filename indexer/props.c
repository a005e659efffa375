/*
 * How the dates of document properties (Office core.xml and meta.xml, the
 * PDF information dictionary) are weighed against the date the path or the
 * text gives.  The rule and its reasons: docs/metadata.md, "Office and PDF
 * properties".
 */
#include "extract.h"

#include <stdbool.h>
#include <stdlib.h>

#include "tellerrand/date.h"

/* A created date this many days before the modified date is the original's, not this document's. */
#define PROPS_STALE_DAYS 365

/* Days since 1970-01-01 of a day-precise date (Howard Hinnant's days_from_civil). */
static long
days(const tr_date *d)
{
	long y = d->year - (d->month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (d->month + (d->month > 2 ? -3 : 9)) + 2) / 5 + d->day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static bool
parse_day(tr_date *out, const char *s)
{
	return s && tr_date_parse(out, s) == TR_OK && out->day != 0;
}

bool
tr__extract_property_date(tr_date *out, const tr_extract *x, const tr_date *found)
{
	tr_date created, modified, p;
	bool have_c = parse_day(&created, x->date_created);
	bool have_m = parse_day(&modified, x->date_modified);

	if (have_c && (!have_m || days(&created) >= days(&modified) - PROPS_STALE_DAYS))
		p = created;
	else if (have_m)
		p = modified;
	else
		return false;
	if (found && tr_date_is_valid(found)) {
		if (found->day)
			return false;   /* a clear date in the path or text */
		if (p.year != found->year || (found->month && p.month != found->month))
			return false;   /* the properties disagree with the period the text names */
	}
	*out = p;
	return true;
}
