/*
 * The number formats of an XLSX workbook's cell styles (ECMA-376 Part 1,
 * 18.8: numFmts and cellXfs in xl/styles.xml; the built-in ids of
 * 18.8.30).  Only whether a style shows a date or a time is kept.
 */
#include "xlsx_numfmt.h"

#include <stdlib.h>
#include <string.h>

#include "zipxml.h"

/* More styles or formats than this are read as plain numbers (real workbooks have hundreds). */
#define XLSX_MAX_STYLES 65536

struct tr__xlsx_custom {
	unsigned long id;
	unsigned char kind;
};

/* The built-in formats that show dates or times (the locale-dependent 27-36 and 50-58 are dates). */
static tr__sheet_kind
builtin_kind(unsigned long id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
	    (id >= 50 && id <= 58))
		return TR_SHEET_DATE;
	if (id == 22)
		return TR_SHEET_DATETIME;
	if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47) || id == 32 || id == 33)
		return TR_SHEET_TIME;
	return TR_SHEET_NUMBER;
}

static tr__sheet_kind
format_kind(const tr__xlsx_numfmts *f, unsigned long id)
{
	for (size_t i = f->ncustom; i-- > 0;)
		if (f->custom[i].id == id)
			return (tr__sheet_kind)f->custom[i].kind;
	return builtin_kind(id);
}

static bool
attr_number(void *reader, const char *name, unsigned long *v)
{
	char *s = tr__xml_attr(reader, name), *end;
	bool ok;

	if (!s)
		return false;
	*v = strtoul(s, &end, 10);
	ok = end != s && *end == '\0';
	free(s);
	return ok;
}

static tr_status
numfmt_custom(tr__xlsx_numfmts *f, void *reader)
{
	struct tr__xlsx_custom *c;
	unsigned long id;
	char *code;

	if (f->ncustom >= XLSX_MAX_STYLES || !attr_number(reader, "numFmtId", &id))
		return TR_OK;
	if (!(code = tr__xml_attr(reader, "formatCode")))
		return TR_OK;
	if (!(c = realloc(f->custom, (f->ncustom + 1) * sizeof *c))) {
		free(code);
		return TR_ENOMEM;
	}
	f->custom = c;
	c[f->ncustom].id = id;
	c[f->ncustom++].kind = (unsigned char)tr__sheet_format_kind(code);
	free(code);
	return TR_OK;
}

static tr_status
numfmt_xf(tr__xlsx_numfmts *f, void *reader)
{
	unsigned long id = 0;

	if (f->n >= XLSX_MAX_STYLES)
		return TR_OK;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		unsigned char *k = realloc(f->xf_kind, cap);
		if (!k)
			return TR_ENOMEM;
		f->xf_kind = k;
		f->cap = cap;
	}
	/* An xf without numFmtId shows General. */
	f->xf_kind[f->n++] = attr_number(reader, "numFmtId", &id) ? (unsigned char)format_kind(f, id)
	                                                           : TR_SHEET_NUMBER;
	return TR_OK;
}

static tr_status
numfmt_start(void *ctx, void *reader, const char *ns, const char *name)
{
	tr__xlsx_numfmts *f = ctx;

	(void)ns;
	if (strcmp(name, "numFmt") == 0)
		return numfmt_custom(f, reader);
	if (strcmp(name, "cellXfs") == 0)
		f->in_cell_xfs++;
	else if (strcmp(name, "xf") == 0 && f->in_cell_xfs)
		return numfmt_xf(f, reader);
	return TR_OK;
}

static tr_status
numfmt_end(void *ctx, const char *ns, const char *name)
{
	tr__xlsx_numfmts *f = ctx;

	(void)ns;
	if (strcmp(name, "cellXfs") == 0 && f->in_cell_xfs)
		f->in_cell_xfs--;
	return TR_OK;
}

tr_status
tr__xlsx_numfmts_read(tr__xlsx_numfmts *f, const char *xml, size_t len)
{
	static const tr__xml_events ev = { numfmt_start, numfmt_end, NULL };
	tr_status st = tr__xml_walk(xml, len, &ev, f);

	return st == TR_ENOMEM ? st : TR_OK;
}

tr__sheet_kind
tr__xlsx_numfmts_kind(const tr__xlsx_numfmts *f, const char *s)
{
	char *end;
	unsigned long i;

	if (!s || !*s)
		return f->n ? (tr__sheet_kind)f->xf_kind[0] : TR_SHEET_NUMBER;
	i = strtoul(s, &end, 10);
	return *end == '\0' && i < f->n ? (tr__sheet_kind)f->xf_kind[i] : TR_SHEET_NUMBER;
}

void
tr__xlsx_numfmts_free(tr__xlsx_numfmts *f)
{
	free(f->xf_kind);
	free(f->custom);
	memset(f, 0, sizeof *f);
}
