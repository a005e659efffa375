/*
 * CSV (and tab-separated) tables: the text of every cell, a row per line,
 * cells separated by tabs as in the other spreadsheet formats
 * (indexer/sheet.h), without the quoting and separators of the file.
 * The charset is libmagic's (tr__extract_decode()); the separator is
 * the one of ';', ',' and tab that occurs most often in the first line
 * outside quotes (German Excel writes ';', because ',' is the decimal
 * comma).  Quoted cells may hold separators, doubled quotes and line
 * breaks (RFC 4180).
 */
#include "extract.h"

#include <stdbool.h>
#include <string.h>

#include "sheet.h"

static char
csv_separator(const char *s, size_t len)
{
	static const char seps[] = { ';', ',', '\t' };
	size_t count[3] = { 0 };
	bool quoted = false;
	char best = ';';
	size_t most = 0;

	for (size_t i = 0; i < len && (quoted || s[i] != '\n'); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		for (int k = 0; k < 3 && !quoted; k++)
			count[k] += s[i] == seps[k];
	}
	for (int k = 0; k < 3; k++)
		if (count[k] > most) {
			most = count[k];
			best = seps[k];
		}
	return best;
}

/* One character of a cell; a cell over the ceiling keeps what fits. */
static tr_status
csv_cell_add(tr_buf *cell, char ch)
{
	tr_status st = tr_buf_addc(cell, ch);

	return st == TR_ETOOBIG ? TR_OK : st;
}

/* Appends the rows of the UTF-8 text @s[0..len) to @body. */
static tr_status
csv_rows(tr_buf *body, const char *s, size_t len, tr_buf *cell)
{
	char sep = csv_separator(s, len);
	bool quoted = false;
	tr_status st = TR_OK;

	for (size_t i = 0; i <= len && st == TR_OK; i++) {
		char ch = i < len ? s[i] : '\n';

		if (quoted) {
			if (ch == '"' && i + 1 < len && s[i + 1] == '"') {
				st = csv_cell_add(cell, '"');
				i++;
			} else if (ch == '"') {
				quoted = false;
			} else {
				st = csv_cell_add(cell, ch);
			}
		} else if (ch == '"') {
			quoted = true;
		} else if (ch == sep || ch == '\n') {
			st = tr__sheet_cell(body, cell->ptr ? cell->ptr : "", cell->len);
			tr_buf_reset(cell);
			if (st == TR_OK && ch == '\n')
				st = tr__sheet_row_end(body);
		} else {
			st = csv_cell_add(cell, ch);
		}
	}
	return st;
}

tr_status
tr__extract_csv(tr_extract *out, const tr_input *in, char **why)
{
	tr_buf text = TR_BUF_INIT(out->body.max), cell = TR_BUF_INIT(out->body.max);
	tr_status st;

	(void)why;
	if ((st = tr__extract_decode(&text, in->data, in->len, in->charset)) == TR_OK && text.len)
		st = csv_rows(&out->body, text.ptr, text.len, &cell);
	if (st == TR_ETOOBIG)
		st = TR_OK;   /* what fits is kept */
	if (st == TR_OK)
		st = tr__extract_finish(out);
	tr_buf_free(&text);
	tr_buf_free(&cell);
	return st;
}
