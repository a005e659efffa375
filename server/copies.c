/*
 * The copies of a hit's text on the search page: "auch als: .docx, .html
 * (2 weitere Dateien)", each extension a link to one of the files and the
 * file's path in its title (docs/serve.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "text.h"

/* The extension of @path with its dot ("" for none). */
static const char *
extension(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');

	return dot && dot[1] ? dot : "";
}

/* One copy's link: its extension (or "Datei"), the path as the title. */
static tr_status
copy_link(tr_buf *b, const tr_hit *c)
{
	char *shown = tr_text_printable_dup(c->path);
	const char *ext = extension(c->path);
	tr_status st = shown ? TR_OK : TR_ENOMEM;

	if (st == TR_OK)
		st = tr_buf_printf(b, "<a href=\"/dokument/%u\" title=\"", c->docid);
	if (st == TR_OK)
		st = tr_html_text(b, shown);
	if (st == TR_OK)
		st = tr_buf_adds(b, "\">");
	if (st == TR_OK) {
		char *e = tr_text_printable_dup(*ext ? ext : "Datei");
		st = e ? tr_html_text(b, e) : TR_ENOMEM;
		free(e);
	}
	if (st == TR_OK)
		st = tr_buf_adds(b, "</a>");
	free(shown);
	return st;
}

tr_status
tr_page_copies(tr_buf *b, const tr_hit *h)
{
	tr_status st = tr_buf_adds(b, "<p class=\"copies\">auch als: ");

	for (size_t i = 0; st == TR_OK && i < h->n_copies; i++) {
		if (i)
			st = tr_buf_adds(b, ", ");
		if (st == TR_OK)
			st = copy_link(b, &h->copies[i]);
	}
	if (st == TR_OK)
		st = tr_buf_printf(b, " (%zu weitere Datei%s)</p>\n", h->n_copies, h->n_copies == 1 ? "" : "en");
	return st;
}
