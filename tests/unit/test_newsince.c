/*
 * "Neu seit" (query/newsince.c): the forms --neu-seit and neu: take, read
 * against a fixed "now" in German time, and the forms refused.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "newsince.h"

/* A local time in Europe/Berlin as seconds since 1970. */
static double
local(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

int
main(void)
{
	double now, got;
	char *err = NULL, buf[32];

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	now = local(2026, 12, 6, 14, 30, 0);

	static const struct {
		const char *in;
		int y, mo, d, h, mi, s;
	} dates[] = {
		{ "heute", 2026, 12, 6, 0, 0, 0 },
		{ "Heute", 2026, 12, 6, 0, 0, 0 },
		{ "gestern", 2026, 12, 5, 0, 0, 0 },
		{ "1.12.2026", 2026, 12, 1, 0, 0, 0 },
		{ "01.12.2026", 2026, 12, 1, 0, 0, 0 },
		{ "2026-12-01", 2026, 12, 1, 0, 0, 0 },
		{ "1. Dezember 2026", 2026, 12, 1, 0, 0, 0 },
		{ "Dezember 2026", 2026, 12, 1, 0, 0, 0 },
		{ "2026", 2026, 1, 1, 0, 0, 0 },
		{ "1.12.2026 14:30", 2026, 12, 1, 14, 30, 0 },
		{ "2026-12-01T14:30:15", 2026, 12, 1, 14, 30, 15 },
		{ "1.7.2026 9:05 Uhr", 2026, 7, 1, 9, 5, 0 },
		{ " 1.12.2026 ", 2026, 12, 1, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		tr_status st = tr_newsince_parse(dates[i].in, "neu", now, &got, &err);
		double want = local(dates[i].y, dates[i].mo, dates[i].d, dates[i].h, dates[i].mi, dates[i].s);
		CHECK_MSG(st == TR_OK && got == want, "%s: status %d, %.0f, want %.0f", dates[i].in, st, got, want);
		free(err);
		err = NULL;
	}

	static const struct {
		const char *in;
		double back;
	} spans[] = {
		{ "7tage", 7 * 86400.0 }, { "7 Tage", 7 * 86400.0 }, { "1tag", 86400.0 },
		{ "2wochen", 14 * 86400.0 }, { "1 Woche", 7 * 86400.0 }, { "12stunden", 12 * 3600.0 },
	};
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		tr_status st = tr_newsince_parse(spans[i].in, "neu", now, &got, &err);
		CHECK_MSG(st == TR_OK && got == now - spans[i].back, "%s", spans[i].in);
		free(err);
		err = NULL;
	}

	/* UTC when the time says so: what the JSON's "added" gives back. */
	CHECK(tr_newsince_parse("2026-12-06T13:30:00Z", "neu", now, &got, NULL) == TR_OK && got == now);
	tr_added_rfc3339(now, buf);
	CHECK_STR(buf, "2026-12-06T13:30:00Z");
	tr_added_german(now, buf);
	CHECK_STR(buf, "06.12.2026, 14:30");

	static const char *const refused[] = {
		"morgen", "", "0tage", "-3tage", "7 jahre", "99999tage", "31.02.2026", "1.12.2026 25:00",
		"1.12.2026 Mittag", "7tagex", "12/2026 10:00",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		tr_status st = tr_newsince_parse(refused[i], "neu-seit", now, &got, &err);
		CHECK_MSG(st == TR_EINVAL && err && strstr(err, "ungültige Angabe bei neu-seit"), "%s: %d %s", refused[i],
		          st, err ? err : "(null)");
		free(err);
		err = NULL;
	}
	return check_done();
}
