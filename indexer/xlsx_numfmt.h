/*
 * Which cell styles of an XLSX workbook show a date or a time.  A date
 * cell holds only a serial number ("40238"); its style's number format
 * (xl/styles.xml: cellXfs -> numFmtId -> built-in id or formatCode) says
 * it is shown as "01.03.2010", and the body should hold what the sheet
 * shows, so that the date is found as it is written.
 */
#ifndef TR_XLSX_NUMFMT_H
#define TR_XLSX_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "sheet.h"
#include "tellerrand/status.h"

typedef struct tr__xlsx_numfmts {
	unsigned char *xf_kind;   /* tr__sheet_kind of each cellXfs entry, by index */
	size_t n, cap;
	struct tr__xlsx_custom *custom;   /* numFmt elements: id -> kind */
	size_t ncustom;
	int in_cell_xfs;
} tr__xlsx_numfmts;

/*
 * Reads the styles part @xml[0..len) into @f (zeroed before).  A damaged
 * part keeps what was read before the damage; TR_ENOMEM is the only error.
 */
tr_status tr__xlsx_numfmts_read(tr__xlsx_numfmts *f, const char *xml, size_t len);

/* What cell style index @s (the c element's s attribute) shows. */
tr__sheet_kind tr__xlsx_numfmts_kind(const tr__xlsx_numfmts *f, const char *s);

void tr__xlsx_numfmts_free(tr__xlsx_numfmts *f);

#endif
