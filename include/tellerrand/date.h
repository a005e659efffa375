/* Calendar dates as the archive uses them: possibly only a month or a year. */
#ifndef TELLERRAND_DATE_H
#define TELLERRAND_DATE_H

#include <stdbool.h>

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
 * "15.09.2017", "15.9.17", "15. September 2017", "15. Sept. 2017",
 * "15 Sep 2017", "September 2017", "Sept. 2017", "09/2017", "2017-09-15",
 * "2017-09", "2017".  Two-digit years are 19xx above 69, else 20xx.
 * Returns TR_OK, or TR_EINVAL when @s is not a date (or not a real one,
 * like 31.02.2019).
 */
tr_status tr_date_parse(tr_date *out, const char *s);

/* Month number for a German or English month name or abbreviation ("Sept", "März", "Maerz", "Oct"); 0 if none. */
int tr_date_month_from_name(const char *name, int len);

/* -1, 0, 1 comparing @a and @b; unknown parts sort first. */
int tr_date_compare(const tr_date *a, const tr_date *b);

/* "2017-09-15", "2017-09" or "2017" into @out (at least 11 bytes); "" for no date. */
void tr_date_format_iso(const tr_date *d, char *out);

/* "15.09.2017", "09.2017" or "2017" into @out (at least 11 bytes); "" for no date. */
void tr_date_format_german(const tr_date *d, char *out);

/*
 * The sortable value: "YYYYMMDD" with 00 for unknown parts, into @out
 * (at least 9 bytes).  String order equals date order.
 */
void tr_date_format_sortable(const tr_date *d, char *out);

/* Inverse of tr_date_format_sortable(); TR_EINVAL if @s is not 8 digits of a valid date. */
tr_status tr_date_parse_sortable(tr_date *out, const char *s);

#ifdef __cplusplus
}
#endif

#endif
