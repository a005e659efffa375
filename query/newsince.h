/*
 * "Neu seit": since when a document must be in the index to count as new
 * (--neu-seit, neu:7tage, the page's and the feed's neu=), and how that
 * time is shown.  The time a document entered the index is the library's
 * (tr_hit.added, docs/terms.md); the words people use for it are here.
 */
#ifndef TR_QUERY_NEWSINCE_H
#define TR_QUERY_NEWSINCE_H

#include "tellerrand/status.h"

/*
 * Reads @value as the start of "new", relative to @now (seconds since
 * 1970): "heute" and "gestern" (local midnight), "7tage" / "7 Tage" /
 * "1tag", "2wochen", "12stunden" (that long before @now), or a date in any
 * form tr_date_parse() takes (1.12.2026, 2026-12-01, Dezember 2026: its
 * first day, local midnight), optionally with a time of day ("1.12.2026
 * 14:30", "2026-12-01T14:30:00", with "Z" in UTC).  *out gets seconds
 * since 1970.  TR_EINVAL with a German *errmsg (owned by the caller) that
 * names @field and shows the forms; TR_ENOMEM.
 */
tr_status tr_newsince_parse(const char *value, const char *field, double now, double *out,
                            char **errmsg);

/* Now, in seconds since 1970. */
double tr_newsince_now(void);

/* @t as RFC 3339 in UTC, "2026-12-01T14:30:05Z" (Atom, JSON); @out has at least 21 bytes. */
void tr_added_rfc3339(double t, char *out);

/* @t as local German time, "01.12.2026, 14:30"; @out has at least 18 bytes. */
void tr_added_german(double t, char *out);

#endif
