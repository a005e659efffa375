/*
 * What the spreadsheet extractors (XLSX, ODS, XLS, CSV) share: how sheets,
 * rows and cells become body text.  Each sheet is one page of the body
 * ('\f' between sheets, also before an empty one, so that the pages count
 * the sheets), starting with the sheet's name on a line of its own; a hit
 * is then placed on its sheet as a PDF hit is placed on its page.  The
 * non-empty cells of a row are separated by tabs, a row ends a line.
 */
#ifndef TR_SHEET_H
#define TR_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "tellerrand/status.h"

/* A cell's number as text: at most this many bytes with the NUL. */
#define TR__SHEET_NUMBER_MAX 40

/*
 * Starts sheet @i (0-based) named @name (may be NULL or empty) in @body.
 * Returns like tr__extract_add().
 */
tr_status tr__sheet_begin(tr_buf *body, size_t i, const char *name);

/*
 * Appends the text of one cell, @s[0..len) (UTF-8), to the current row;
 * control characters become spaces, an empty cell adds nothing.
 */
tr_status tr__sheet_cell(tr_buf *body, const char *s, size_t len);

/* Ends the current row (a row without a non-empty cell adds no line). */
tr_status tr__sheet_row_end(tr_buf *body);

/*
 * @v as a German spreadsheet shows it without a number format: an
 * integral value without decimals ("1234"), others with a decimal comma
 * and at most 15 significant digits ("0,3" for 0.30000000000000004),
 * so that a number is found as it is written.  Writes to @out.
 */
void tr__sheet_number(char out[TR__SHEET_NUMBER_MAX], double v);

/* Like tr__sheet_number() for a number written in the C locale ("1234.5"); other text is copied. */
void tr__sheet_number_text(char out[TR__SHEET_NUMBER_MAX], const char *s);

/* "2017-09-15" → "15.09.2017" (a time after it kept), as a German spreadsheet shows a date; other text is copied. */
void tr__sheet_iso_date(char out[TR__SHEET_NUMBER_MAX], const char *s);

/* What a number format shows a cell's number as. */
typedef enum tr__sheet_kind {
	TR_SHEET_NUMBER,
	TR_SHEET_DATE,       /* "01.03.2010" */
	TR_SHEET_DATETIME,   /* "01.03.2010 14:30" (the time left out at midnight) */
	TR_SHEET_TIME        /* "14:30" */
} tr__sheet_kind;

/* The kind of an Excel number format code ("DD.MM.YYYY", "h:mm", "#,##0.00"). */
tr__sheet_kind tr__sheet_format_kind(const char *code);

/*
 * Spreadsheet serial day @v (days since 1899-12-30, or since 1904-01-01
 * when @date1904; Excel's phantom 29 February 1900 kept) written as @kind
 * shows it.  A value outside 1900..9999 is written as a number.
 */
void tr__sheet_serial(char out[TR__SHEET_NUMBER_MAX], double v, bool date1904, tr__sheet_kind kind);

#endif
