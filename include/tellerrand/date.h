/* Calendar dates as the archive uses them: possibly only a month or a year. */
#ifndef TELLERRAND_DATE_H
#define TELLERRAND_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "tellerrand/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A date with known precision: day == 0 means "only month and year known"
 * ("September 2017"), month == 0 means "only the year".  year == 0 means no
 * date at all.
 */
typedef struct tr_date {
	int year;
	int month;  /* 1..12, or 0 */
	int day;    /* 1..31, or 0 */
} tr_date;

#define TR_DATE_NONE { 0, 0, 0 }

/* True if @d holds a real calendar date (at whatever precision). */
bool tr_date_is_valid(const tr_date *d);

/*
 * Parses one date as a person writes it, the whole string and nothing else:
 * "15.09.2017", "15.9.17", "15. 09. 2017", "15. September 2017",
 * "15. Sept. 2017", "1. Maerz 2019", "15 Sep 2017", "September 15, 2017",
 * "September 2017", "Sept. 2017", "09/2017", "09.2017", "15/09/2017" (day
 * first, as in German), "2017-09-15", "2017-9-5", "2017-09", "2017".
 * Month names are German or English, full or abbreviated.  A leading
 * weekday ("Montag, 11.09.2017") and a trailing time ("2017-09-15T10:00:00Z",
 * "15.09.2017 10:00 Uhr") are allowed and ignored, as metadata writes them.
 * Two-digit years are 19xx above 69, else 20xx.  Returns TR_OK, or
 * TR_EINVAL when @s is not a date (or not a real one, like 31.02.2019).
 */
tr_status tr_date_parse(tr_date *out, const char *s);

/*
 * Parses one date at the start of @s[0..len) in any form tr_date_parse()
 * accepts, and sets *used to the bytes it spans.  It looks at nothing after
 * the date: finding dates in running text, the caller checks that the
 * match ends at a word boundary.  Returns false if no date starts at @s.
 * @flags is a mask of TR_DATE_MATCH_*.
 */
bool tr_date_match(tr_date *out, size_t *used, const char *s, size_t len, unsigned flags);

/*
 * Also accept a day and month without a year ("11. September", "15.9." with
 * its closing dot): *out then has year 0, which tr_date_is_valid() rejects
 * until the caller supplies a year.
 */
#define TR_DATE_MATCH_PARTIAL  0x1u
/* Also accept a year on its own ("2017"); running text is full of them. */
#define TR_DATE_MATCH_YEAR     0x2u
/*
 * Also swallow a time after a full date ("2017-09-15T10:00:00+02:00",
 * "15.09.2017, 10:00 Uhr"), as metadata fields write it; the time is
 * discarded.
 */
#define TR_DATE_MATCH_TIME     0x4u

/*
 * Month number for a German or English month name or abbreviation of @len
 * bytes ("Sept", "März", "Maerz", "Oct"; one trailing '.' allowed); 0 if none.
 */
int tr_date_month_from_name(const char *name, int len);

/*
 * Weekday 1 (Monday) .. 7 for a German or English weekday name or
 * abbreviation of @len bytes ("Montag", "Mo", "Sonnabend", "Thu"); 0 if none.
 */
int tr_date_weekday_from_name(const char *name, int len);

/* Days in @month (1..12) of @year, leap years counted; 0 for a month out of range. */
int tr_date_days_in_month(int year, int month);

/* -1, 0, 1 comparing @a and @b; unknown parts sort first. */
int tr_date_compare(const tr_date *a, const tr_date *b);

/* "2017-09-15", "2017-09" or "2017" into @out (at least 11 bytes); "" for no date. */
void tr_date_format_iso(const tr_date *d, char *out);

/* "15.09.2017", "09.2017" or "2017" into @out (at least 11 bytes); "" for no date. */
void tr_date_format_german(const tr_date *d, char *out);

/*
 * The sortable value: "YYYYMMDD" with 00 for unknown parts, into @out
 * (at least 9 bytes); "" for no date.  String order equals date order.
 */
void tr_date_format_sortable(const tr_date *d, char *out);

/* Inverse of tr_date_format_sortable(); TR_EINVAL if @s is not 8 digits of a valid date. */
tr_status tr_date_parse_sortable(tr_date *out, const char *s);

#ifdef __cplusplus
}
#endif

#endif
