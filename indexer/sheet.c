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
