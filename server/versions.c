/*
 * The versions of a hit's text on the search page ("Fassungen",
 * docs/serve.md): "weitere Fassungen: 12.03.2024, 02.03.2024", each date a
 * link to that version, its path as the link's title.
 */
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "tellerrand/date.h"
#include "text.h"

static tr_status
version_link(tr_buf *b, const tr_hit *v)
{
	char *shown = tr_text_printable_dup(v->path);
	char date[11] = "";
	tr_date d;
	tr_status st = shown ? TR_OK : TR_ENOMEM;

	if (v->date[0] && tr_date_parse(&d, v->date) == TR_OK)
		tr_date_format_german(&d, date);
	if (st == TR_OK)
		st = tr_buf_printf(b, "<a href=\"/dokument/%u\" title=\"", v->docid);
	if (st == TR_OK)
		st = tr_html_text(b, shown);
	if (st == TR_OK)
		st = tr_buf_adds(b, "\">");
	if (st == TR_OK)
		st = tr_html_text(b, date[0] ? date : "ohne Datum");
	if (st == TR_OK)
		st = tr_buf_adds(b, "</a>");
	free(shown);
	return st;
}

tr_status
tr_page_versions(tr_buf *b, const tr_hit *h)
{
	tr_status st = tr_buf_adds(b, "<p class=\"versions\">weitere Fassungen: ");

	for (size_t i = 0; st == TR_OK && i < h->n_versions; i++) {
		if (i)
			st = tr_buf_adds(b, ", ");
		if (st == TR_OK)
			st = version_link(b, &h->versions[i]);
	}
	if (st == TR_OK)
		st = tr_buf_adds(b, "</p>\n");
	return st;
}
