/*
 * The other files of a hit's text on the search page (docs/serve.md):
 * its copies, "auch als: .docx, .html (2 weitere Dateien)", each extension
 * a link to one of the files; and its versions ("Fassungen"), "weitere
 * Fassungen: 12.03.2024, 02.03.2024", each date a link to that version.
 * The file's path is each link's title.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "tellerrand/date.h"
#include "text.h"

/* The extension of @path with its dot ("" for none). */
static const char *
extension(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');

	return dot && dot[1] ? dot : "";
}

/* A link to file @h labelled @label (UTF-8 or not: shown printable), its path as the title. */
static tr_status
file_link(tr_buf *b, const tr_hit *h, const char *label)
{
	char *shown = tr_text_printable_dup(h->path), *text = tr_text_printable_dup(label);
	tr_status st = shown && text ? TR_OK : TR_ENOMEM;

	if (st == TR_OK)
		st = tr_buf_printf(b, "<a href=\"/dokument/%u\" title=\"", h->docid);
	if (st == TR_OK)
		st = tr_html_text(b, shown);
	if (st == TR_OK)
		st = tr_buf_adds(b, "\">");
	if (st == TR_OK)
		st = tr_html_text(b, text);
	if (st == TR_OK)
		st = tr_buf_adds(b, "</a>");
	free(shown);
	free(text);
	return st;
}

/* A copy's label: its extension, or "Datei". */
static const char *
copy_label(const tr_hit *c, char *buf, size_t size)
{
	const char *ext = extension(c->path);

	snprintf(buf, size, "%s", *ext ? ext : "Datei");
	return buf;
}

/* A version's label: its date in German, or "ohne Datum". */
static const char *
version_label(const tr_hit *v, char *buf, size_t size)
{
	tr_date d;
	char date[11] = "";

	if (v->date[0] && tr_date_parse(&d, v->date) == TR_OK)
		tr_date_format_german(&d, date);
	snprintf(buf, size, "%s", date[0] ? date : "ohne Datum");
	return buf;
}

/* "<p class=CLASS>INTRO" and the links to @files, separated by commas, each with its label. */
static tr_status
file_links(tr_buf *b, const char *class_intro, const tr_hit *files, size_t n,
           const char *(*label)(const tr_hit *, char *, size_t))
{
	tr_status st = tr_buf_adds(b, class_intro);
	char buf[256];

	for (size_t i = 0; st == TR_OK && i < n; i++) {
		if (i)
			st = tr_buf_adds(b, ", ");
		if (st == TR_OK)
			st = file_link(b, &files[i], label(&files[i], buf, sizeof buf));
	}
	return st;
}

tr_status
tr_page_copies(tr_buf *b, const tr_hit *h)
{
	tr_status st = file_links(b, "<p class=\"copies\">auch als: ", h->copies, h->n_copies, copy_label);

	if (st == TR_OK)
		st = tr_buf_printf(b, " (%zu weitere Datei%s)</p>\n", h->n_copies, h->n_copies == 1 ? "" : "en");
	return st;
}

tr_status
tr_page_versions(tr_buf *b, const tr_hit *h)
{
	tr_status st = file_links(b, "<p class=\"versions\">weitere Fassungen: ", h->versions, h->n_versions,
	                          version_label);

	if (st == TR_OK)
		st = tr_buf_adds(b, "</p>\n");
	return st;
}
