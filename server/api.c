/*
 * The JSON API: /api/search and /api/facets print what
 * `tellerrand query --format json` prints (query/printer.c, docs/json.md),
 * plus a link per hit; /healthz tells a monitor whether the index reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printer.h"
#include "serve.h"

#define JSON_TYPE "application/json; charset=utf-8"
/* '/' escaped too, so that no "</script>" can appear even if someone pastes the JSON into a page. */
#define JSON_FLAGS (JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER)

static enum MHD_Result
reply_json(tr_request *req, unsigned status, json_t *o)
{
	tr_buf b = TR_BUF_INIT(TR_WEB_MAX_BODY);
	char *s = o ? json_dumps(o, JSON_FLAGS) : NULL;
	tr_status st = s ? tr_buf_adds(&b, s) : TR_ENOMEM;

	free(s);
	json_decref(o);
	if (st == TR_OK)
		st = tr_buf_addc(&b, '\n');
	if (st != TR_OK) {
		tr_buf_free(&b);
		return tr_http_error(req, 500, "Interner Fehler.", true);
	}
	return tr_http_reply(req, status, JSON_TYPE, &b, true);
}

enum MHD_Result
tr_api_search(tr_request *req, bool facets_only)
{
	tr_web_query wq;
	tr_search s = TR_SEARCH_INIT;
	tr_results *r = NULL;
	tr_hit *seed = NULL;
	char *err = NULL;
	enum MHD_Result ret;
	tr_status st;
	json_t *o = NULL, *hits;
	size_t i;
	json_t *h;

	st = tr_web_query_parse(&wq, req, true, &err);
	if (st != TR_OK) {
		ret = tr_http_error(req, st == TR_EINVAL ? 400 : 500,
		                    st == TR_EINVAL && err ? err : "Interner Fehler.", true);
		goto done;
	}
	tr_query_to_search(&wq.q, &s);
	s.sort = wq.sort;
	s.all_copies = wq.all_copies;
	s.explain = wq.explain;
	s.internal = req->internal;
	if (facets_only) {
		s.limit = 0;
		s.snippet_length = 0;
		s.spelling = false;
	} else {
		s.limit = wq.per_page;
		s.offset = (wq.page - 1) * wq.per_page;
		s.snippet_length = TR_WEB_SNIPPET;
	}
	if (wq.similar_to && (st = tr_web_similar_seed(req, wq.similar_to, &seed)) != TR_OK) {
		ret = st == TR_ENOTFOUND ? tr_http_error(req, 404, "Dokument nicht gefunden.", true)
		                         : tr_http_unavailable(req, st, true);
		goto done;
	}
	s.similar_to = wq.similar_to;
	st = tr_http_search(req, &s, &r);
	if (st == TR_ENOTFOUND && s.similar_to) {
		/* The document went between the two look-ups. */
		ret = tr_http_error(req, 404, "Dokument nicht gefunden.", true);
		goto done;
	}
	if (st == TR_ETOOBIG) {
		ret = tr_http_error(req, 400, tr_http_search_errmsg(), true);
		goto done;
	}
	if (st == TR_EBADQUERY) {
		ret = tr_http_error(req, 400, tr_web_bad_query(req), true);
		goto done;
	}
	if (st != TR_OK) {
		ret = tr_http_unavailable(req, st, true);
		goto done;
	}
	if (!facets_only && !tr_web_page_exists(&wq, tr_results_listed(r), &err)) {
		ret = tr_http_error(req, 400, err ? err : "Diese Seite gibt es nicht.", true);
		goto done;
	}
	{
		tr_printer_ctx pc = { req->srv->districts, req->srv->topics, &wq.q, &s, false, seed };
		o = tr_print_json(r, &pc);
	}
	if (!o) {
		ret = tr_http_error(req, 500, "Interner Fehler.", true);
		goto done;
	}
	/* New fields only (docs/json.md allows them): the page number and each hit's links. */
	json_object_set_new(json_object_get(o, "query"), "seite", json_integer(wq.page));
	json_object_set_new(o, "seiten", json_integer((tr_results_listed(r) + wq.per_page - 1) / wq.per_page));
	hits = json_object_get(o, "hits");
	json_array_foreach(hits, i, h) {
		char url[32];
		json_int_t id = json_integer_value(json_object_get(h, "docid"));
		snprintf(url, sizeof url, "/dokument/%lld", (long long)id);
		json_object_set_new(h, "url", json_string(url));
		snprintf(url, sizeof url, "/api/search?aehnlich=%lld", (long long)id);
		json_object_set_new(h, "similar_url", json_string(url));
	}
	ret = reply_json(req, 200, o);
done:
	tr_results_free(r);
	tr_hit_free(seed);
	tr_web_query_clear(&wq);
	free(err);
	return ret;
}

/*
 * A real search, as cheap as one gets: no words, one hit (its record read),
 * no facets, no snippet.  Counting documents alone reads a few statistics
 * and said "ok" while every search failed on a damaged table.
 */
static tr_status
probe_search(tr_request *req)
{
	tr_search s = TR_SEARCH_INIT;
	tr_results *r = NULL;
	tr_status st;

	s.limit = 1;
	s.facets = false;
	s.spelling = false;
	s.snippet_length = 0;
	s.internal = req->internal;
	st = tr_http_search(req, &s, &r);
	tr_results_free(r);
	return st;
}

/* The reason /healthz gives for @st, in German. */
static const char *
health_reason(tr_status st)
{
	switch (st) {
	case TR_EREMOTE:   return "Ein Teilindex antwortet nicht.";
	case TR_ECORRUPT:  return TR_CORRUPT_MESSAGE;
	case TR_ENOTFOUND: return "Der Suchindex fehlt.";
	case TR_ENOMEM:    return "Dem Server fehlt Arbeitsspeicher.";
	default:           return "Der Suchindex ist nicht lesbar: eine Suche schlägt fehl.";
	}
}

enum MHD_Result
tr_api_health(tr_request *req)
{
	tr_db *db = NULL;
	unsigned count = 0;
	char *last = NULL;
	tr_status st = TR_OK;
	json_t *o;

	for (int attempt = 0; attempt < 3; attempt++) {
		free(last);
		last = NULL;
		if ((st = tr_http_db(req->srv, &db)) != TR_OK)
			break;
		if ((st = tr_db_doccount_visible(db, req->internal, &count)) == TR_OK)
			st = tr_db_get_metadata(db, "last-index", &last);
		if (st != TR_EMODIFIED)
			break;
	}
	/* tr_http_search() retries on a commit and logs a failure itself. */
	if (st == TR_OK)
		st = probe_search(req);
	else
		tr_http_log("healthz: %s: %s", tr_strerror(st), db ? tr_db_errmsg(db) : "");
	if (st != TR_OK) {
		free(last);
		o = json_pack("{s:i, s:s, s:b, s:s}", "version", TR_JSON_VERSION, "status", "error",
		              "index", 0, "error", health_reason(st));
		return reply_json(req, 503, o);
	}
	o = json_pack("{s:i, s:s, s:b, s:I, s:o}", "version", TR_JSON_VERSION, "status", "ok", "index", 1,
	              "documents", (json_int_t)count, "last_index",
	              last && *last ? json_string(last) : json_null());
	free(last);
	return reply_json(req, 200, o);
}
