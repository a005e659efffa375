#include "newsince.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tellerrand/date.h"

#define FORMS "z. B. heute, gestern, 7tage, 2wochen, 1.12.2026, 2026-12-01 14:30"

/* The longest span back a relative value may reach: ten years. */
#define MAX_SECONDS (3650.0 * 86400.0)

static const struct {
	const char *name;
	double seconds;
} units[] = {
	{ "tage", 86400 }, { "tag", 86400 },
	{ "wochen", 7 * 86400 }, { "woche", 7 * 86400 },
	{ "stunden", 3600 }, { "stunde", 3600 },
};

double
tr_newsince_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Local midnight @days_back days before @now. */
static double
midnight(double now, int days_back)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_mday -= days_back;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

/* "7tage", "7 Tage", "2wochen": true with *out set; false if @s is not of that form. */
static bool
relative(const char *s, double now, double *out)
{
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return false;
	n = strtol(s, &end, 10);
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcasecmp(end, units[i].name) != 0)
			continue;
		if (n < 1 || (double)n * units[i].seconds > MAX_SECONDS)
			return false;
		*out = now - (double)n * units[i].seconds;
		return true;
	}
	return false;
}

/* A time of day after a date: " 14:30", "T14:30:00", ", 14:30 Uhr", each with an optional "Z". */
static bool
time_of_day(const char *s, struct tm *tm, bool *utc)
{
	int h, m, sec = 0, used = 0;

	*utc = false;
	if (*s == 'T' || *s == ',')
		s++;
	while (*s == ' ')
		s++;
	if (sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2)
		return false;
	s += used;
	if (*s == ':') {
		if (sscanf(s, ":%2d%n", &sec, &used) != 1)
			return false;
		s += used;
	}
	if (*s == 'Z') {
		*utc = true;
		s++;
	}
	while (*s == ' ')
		s++;
	if (strcasecmp(s, "uhr") == 0)
		s += 3;
	if (*s || h > 23 || m > 59 || sec > 60)
		return false;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	return true;
}

/* A date (its first day), optionally with a time of day. */
static bool
absolute(const char *s, double *out)
{
	tr_date d;
	size_t used = 0, len = strlen(s);
	struct tm tm;
	bool utc = false;

	if (!tr_date_match(&d, &used, s, len, TR_DATE_MATCH_YEAR) || !tr_date_is_valid(&d))
		return false;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month ? d.month - 1 : 0;
	tm.tm_mday = d.day ? d.day : 1;
	tm.tm_isdst = -1;
	if (used < len && !(d.day && time_of_day(s + used, &tm, &utc)))
		return false;
	*out = (double)(utc ? timegm(&tm) : mktime(&tm));
	return true;
}

tr_status
tr_newsince_parse(const char *value, const char *field, double now, double *out, char **errmsg)
{
	char *v = strdup(value);
	char *s, *e;
	bool ok;

	if (errmsg)
		*errmsg = NULL;
	if (!v)
		return TR_ENOMEM;
	for (s = v; *s == ' '; s++)
		;
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
		*--e = '\0';
	if (strcasecmp(s, "heute") == 0 || strcasecmp(s, "today") == 0) {
		*out = midnight(now, 0);
		ok = true;
	} else if (strcasecmp(s, "gestern") == 0 || strcasecmp(s, "yesterday") == 0) {
		*out = midnight(now, 1);
		ok = true;
	} else {
		ok = relative(s, now, out) || absolute(s, out);
	}
	free(v);
	if (ok)
		return TR_OK;
	if (errmsg && asprintf(errmsg, "ungültige Angabe bei %s: \"%s\" (%s)", field, value, FORMS) < 0)
		*errmsg = NULL;
	return TR_EINVAL;
}

void
tr_added_rfc3339(double t, char *out)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&s, &tm) || !strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm))
		out[0] = '\0';
}

void
tr_added_german(double t, char *out)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (!localtime_r(&s, &tm) || !strftime(out, 18, "%d.%m.%Y, %H:%M", &tm))
		out[0] = '\0';
}
