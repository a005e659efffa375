#include "sheet.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

/* Drops trailing tabs and spaces: the end of a row or sheet. */
static void
sheet_trim(tr_buf *body)
{
	while (body->len && (body->ptr[body->len - 1] == '\t' || body->ptr[body->len - 1] == ' '))
		body->ptr[--body->len] = '\0';
}

tr_status
tr__sheet_begin(tr_buf *body, size_t i, const char *name)
{
	tr_status st = TR_OK;

	sheet_trim(body);
	if (i > 0) {
		while (body->len && body->ptr[body->len - 1] == '\n')
			body->ptr[--body->len] = '\0';
		st = body->len ? tr__extract_add(body, "\n\f", 2) : tr__extract_add(body, "\f", 1);
	}
	if (st == TR_OK && name && *name) {
		if ((st = tr__sheet_cell(body, name, strlen(name))) == TR_OK)
			st = tr__sheet_row_end(body);
	}
	return st;
}

tr_status
tr__sheet_cell(tr_buf *body, const char *s, size_t len)
{
	size_t start = 0;
	bool any = false;
	tr_status st = TR_OK;

	for (size_t i = 0; i < len; i++)
		any = any || (unsigned char)s[i] > ' ';
	if (!any)
		return TR_OK;
	if (body->len && body->ptr[body->len - 1] != '\n' && body->ptr[body->len - 1] != '\f' &&
	    (st = tr__extract_add(body, "\t", 1)) != TR_OK)
		return st;
	/* A line break inside a cell stays a line break; other control characters become spaces. */
	for (size_t i = 0; i <= len && st == TR_OK; i++) {
		if (i < len && ((unsigned char)s[i] >= ' ' || s[i] == '\n') && s[i] != 0x7f)
			continue;
		if (i > start)
			st = tr__extract_add(body, s + start, i - start);
		if (st == TR_OK && i < len)
			st = tr__extract_add(body, " ", 1);
		start = i + 1;
	}
	return st;
}

tr_status
tr__sheet_row_end(tr_buf *body)
{
	sheet_trim(body);
	if (body->len == 0 || body->ptr[body->len - 1] == '\n' || body->ptr[body->len - 1] == '\f')
		return TR_OK;
	return tr__extract_add(body, "\n", 1);
}

void
tr__sheet_number(char out[TR__SHEET_NUMBER_MAX], double v)
{
	char *dot;

	if (!isfinite(v)) {
		out[0] = '\0';
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, TR__SHEET_NUMBER_MAX, "%.0f", v);
		return;
	}
	snprintf(out, TR__SHEET_NUMBER_MAX, "%.15g", v);
	if ((dot = strchr(out, '.')))
		*dot = ',';
}

void
tr__sheet_number_text(char out[TR__SHEET_NUMBER_MAX], const char *s)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end != s && *end == '\0' && strlen(s) < TR__SHEET_NUMBER_MAX)
		tr__sheet_number(out, v);
	else
		snprintf(out, TR__SHEET_NUMBER_MAX, "%s", s);
}

tr__sheet_kind
tr__sheet_format_kind(const char *code)
{
	bool date = false, time = false;

	/* Only the first section (positive numbers) counts; quoted text,
	 * escaped characters and [colour] or [$-407] parts say nothing. */
	for (const char *p = code; *p && *p != ';'; p++) {
		switch (*p) {
		case '"':
			while (p[1] && p[1] != '"')
				p++;
			if (p[1])
				p++;
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1])
				p++;
			break;
		case '[':
			if (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' || p[1] == 'S')
				time = true;   /* elapsed time: [h]:mm */
			while (p[1] && p[1] != ']')
				p++;
			break;
		case 'd': case 'D': case 'y': case 'Y': case 'j': case 'J':
			date = true;   /* 'J' is the German Excel's year ("TT.MM.JJJJ") */
			break;
		case 't': case 'T':
			date = true;   /* German day ("TT") */
			break;
		case 'h': case 'H': case 's': case 'S':
			time = true;
			break;
		default:
			break;
		}
	}
	if (date)
		return time ? TR_SHEET_DATETIME : TR_SHEET_DATE;
	return time ? TR_SHEET_TIME : TR_SHEET_NUMBER;
}

/* Days from 1970-01-01 to @days as a civil date (proleptic Gregorian). */
static void
sheet_civil(long days, int *y, int *m, int *d)
{
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void
tr__sheet_serial(char out[TR__SHEET_NUMBER_MAX], double v, bool date1904, tr__sheet_kind kind)
{
	long day, minutes;
	int y, m, d;

	if (!isfinite(v) || v < 0 || v >= 2958466 || kind == TR_SHEET_NUMBER ||
	    (kind != TR_SHEET_TIME && v < 1)) {
		tr__sheet_number(out, v);
		return;
	}
	day = (long)floor(v);
	minutes = lround((v - (double)day) * 24 * 60);
	if (minutes == 24 * 60) {
		day++;
		minutes = 0;
	}
	if (kind == TR_SHEET_TIME) {
		snprintf(out, TR__SHEET_NUMBER_MAX, "%02ld:%02ld", minutes / 60, minutes % 60);
		return;
	}
	if (date1904) {
		sheet_civil(day - 24107, &y, &m, &d);   /* 1904-01-01 is day -24107 */
	} else if (day == 60) {
		y = 1900, m = 2, d = 29;   /* Lotus 1-2-3's leap day, which Excel keeps */
	} else {
		sheet_civil(day - (day < 60 ? 25568 : 25569), &y, &m, &d);
	}
	if (kind == TR_SHEET_DATETIME && minutes)
		snprintf(out, TR__SHEET_NUMBER_MAX, "%02d.%02d.%04d %02ld:%02ld", d, m, y,
		         minutes / 60, minutes % 60);
	else
		snprintf(out, TR__SHEET_NUMBER_MAX, "%02d.%02d.%04d", d, m, y);
}

void
tr__sheet_iso_date(char out[TR__SHEET_NUMBER_MAX], const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10)
		snprintf(out, TR__SHEET_NUMBER_MAX, "%02d.%02d.%04d%.20s", d, m, y, s + 10);
	else
		snprintf(out, TR__SHEET_NUMBER_MAX, "%s", s);
}
