/*
 * "Ähnliche Dokumente" on the page and in the API: the document a
 * similar search starts from (aehnlich=N), the heading that names it,
 * and the link under each hit (docs/serve.md).
 */
#include <stdio.h>
#include <stdlib.h>

#include "serve.h"
#include "text.h"

tr_status
tr_web_similar_seed(tr_request *req, unsigned docid, tr_hit **out)
{
	tr_db *db = NULL;
	tr_status st = TR_ENOTFOUND;

	*out = NULL;
	for (int attempt = 0; attempt < 3; attempt++) {
		if ((st = tr_http_db(req->srv, &db)) != TR_OK)
			break;
		if ((st = tr_db_get_hit(db, docid, req->internal, out)) != TR_EMODIFIED)
			break;
	}
	if (st != TR_OK && st != TR_ENOTFOUND)
		tr_http_log("aehnlich=%u: %s: %s", docid, tr_strerror(st), db ? tr_db_errmsg(db) : "");
	return st;
}

tr_status
tr_page_similar_head(tr_buf *b, const tr_hit *seed)
{
	tr_status st = tr_buf_printf(b, "<p class=\"similar-to\">Ähnliche Dokumente wie "
	                             "<a href=\"/dokument/%u\">", seed->docid);

	if (st == TR_OK)
		st = tr_html_text(b, seed->title && *seed->title ? seed->title : "(ohne Titel)");
	if (st == TR_OK)
		st = tr_buf_adds(b, "</a></p>\n");
	return st;
}

tr_status
tr_page_similar_link(tr_buf *b, const tr_hit *h)
{
	return tr_buf_printf(b, "<p class=\"similar\"><a href=\"/?aehnlich=%u\">Ähnliche Dokumente</a></p>\n",
	                     h->docid);
}
