/*
 * "Warum gefunden?" under each hit of the search page: a <details> element
 * (it opens without JavaScript) with the lines `tellerrand query --explain`
 * prints (query/explain_print.c), so the page and the terminal give the
 * same reasons in the same words (docs/serve.md).
 */
#include <stdlib.h>

#include "explain_print.h"
#include "serve.h"

/* One <li> of the list, @line escaped; a NULL @line (no such value) adds nothing. */
static tr_status
item(tr_buf *b, char *line)
{
	tr_status st = TR_OK;

	if (!line)
		return TR_OK;
	st = tr_buf_adds(b, "<li>");
	if (st == TR_OK)
		st = tr_html_text(b, line);
	if (st == TR_OK)
		st = tr_buf_adds(b, "</li>");
	free(line);
	return st;
}

tr_status
tr_page_explain(tr_buf *b, const tr_hit *h, const tr_districts *districts, const tr_topics *topics)
{
	tr_printer_ctx c = { districts, topics, NULL, NULL, false, NULL };
	tr_meta_origin o[TR_META_COUNT];
	tr_status st = tr_hit_meta_origins(h, o);

	if (st != TR_OK)
		return st;
	st = tr_buf_adds(b, "<details class=\"why\" open><summary>Warum gefunden?</summary><ul>");
	for (size_t i = 0; st == TR_OK && i < h->n_matches; i++) {
		char *line = tr_explain_match_line(&h->matches[i], true);
		st = line ? item(b, line) : TR_ENOMEM;
	}
	for (int k = 0; st == TR_OK && k < TR_META_COUNT; k++)
		st = item(b, tr_explain_meta_line(h, (tr_meta_kind)k, &o[k], &c));
	if (st == TR_OK)
		st = tr_buf_adds(b, "</ul></details>\n");
	tr_meta_origins_clear(o);
	return st;
}
