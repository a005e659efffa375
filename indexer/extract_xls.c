/*
 * Excel 97-2003 (.xls, BIFF8, and the BIFF5 of Excel 95) through FreeXL:
 * the text of every cell, sheet by sheet (indexer/sheet.h), and the
 * document properties through libgsf.  FreeXL opens files by name only,
 * so the bytes are handed to it as an anonymous in-memory file
 * (memfd_create) under /proc/self/fd: nothing touches the disk.
 */
#include "extract.h"

#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ole.h"
#include "sheet.h"
#include "zipxml.h"

/* Cells of one sheet looked at (rows x columns; a crafted file may claim 65536 x 256 empty ones). */
#define XLS_MAX_CELLS ((unsigned long long)16 << 20)

/* An in-memory file holding @data; -1 on failure. */
static int
xls_memfd(const char *data, size_t len)
{
	int fd = memfd_create("tellerrand-xls", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return fd;
}

static tr_status
xls_cell(tr_buf *body, const FreeXL_CellValue *v)
{
	char num[TR__SHEET_NUMBER_MAX];

	switch (v->type) {
	case FREEXL_CELL_INT:
		snprintf(num, sizeof num, "%d", v->value.int_value);
		break;
	case FREEXL_CELL_DOUBLE:
		tr__sheet_number(num, v->value.double_value);
		break;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
		return v->value.text_value
		       ? tr__sheet_cell(body, v->value.text_value, strlen(v->value.text_value)) : TR_OK;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
		if (!v->value.text_value)
			return TR_OK;
		tr__sheet_iso_date(num, v->value.text_value);
		break;
	default:
		return TR_OK;   /* empty cells, times */
	}
	return tr__sheet_cell(body, num, strlen(num));
}

static tr_status
xls_sheet(tr_buf *body, const void *h, unsigned short i)
{
	const char *name = NULL;
	unsigned int rows = 0;
	unsigned short cols = 0;
	tr_status st;

	if (freexl_get_worksheet_name(h, i, &name) != FREEXL_OK)
		name = NULL;
	if ((st = tr__sheet_begin(body, i, name)) != TR_OK)
		return st;
	if (freexl_select_active_worksheet(h, i) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
		return TR_OK;
	if ((unsigned long long)rows * cols > XLS_MAX_CELLS)
		rows = (unsigned int)(XLS_MAX_CELLS / (cols ? cols : 1));
	for (unsigned int r = 0; r < rows && st == TR_OK; r++) {
		for (unsigned short c = 0; c < cols && st == TR_OK; c++) {
			FreeXL_CellValue v;

			if (freexl_get_cell_value(h, r, c, &v) == FREEXL_OK)
				st = xls_cell(body, &v);
		}
		if (st == TR_OK)
			st = tr__sheet_row_end(body);
	}
	return st;
}

/* FreeXL's error codes that mean "not an Excel file" or "damaged". */
static char *
xls_reason(int rc)
{
	if (rc == FREEXL_INSUFFICIENT_MEMORY)
		return NULL;
	if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND)
		return tr__reason("beschädigt: keine Excel-Arbeitsmappe");
	if (rc == FREEXL_CRAFTED_FILE)
		return tr__reason("beschädigt: ungültige Excel-Datei (manipuliert?)");
	return tr__reason("beschädigt: keine lesbare Excel-Datei (FreeXL-Fehler %d)", rc);
}

tr_status
tr__extract_xls(tr_extract *out, const tr_input *in, char **why)
{
	const void *h = NULL;
	tr__ole *ole = NULL;
	char path[64], *mywhy = NULL;
	unsigned int sheets = 0, pw = 0;
	int fd, rc;
	tr_status st = TR_OK;

	if ((fd = xls_memfd(in->data, in->len)) < 0)
		return TR_ENOMEM;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	rc = freexl_open(path, &h);
	if (rc != FREEXL_OK) {
		mywhy = xls_reason(rc);
		st = mywhy ? TR_EFORMAT : TR_ENOMEM;
		goto done;
	}
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK && pw == FREEXL_BIFF_OBFUSCATED) {
		mywhy = tr__reason("passwortgeschützt");
		st = TR_EFORMAT;
		goto done;
	}
	if (tr__ole_open(&ole, in->data, in->len, &mywhy) == TR_OK)
		st = tr__ole_props(out, ole);
	free(mywhy);
	mywhy = NULL;
	if (st != TR_OK || freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK)
		goto done;
	for (unsigned int i = 0; i < sheets && i < 0xFFFF && st == TR_OK; i++)
		st = xls_sheet(&out->body, h, (unsigned short)i);
	if (st == TR_ETOOBIG)
		st = TR_OK;   /* the body is full: what fits is kept */
	if (st == TR_OK)
		st = tr__extract_finish(out);
done:
	tr__reason_hand_over(st, &mywhy, why);
	tr__ole_free(ole);
	if (h)
		freexl_close(h);
	close(fd);
	return st;
}
