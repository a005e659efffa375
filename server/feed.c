/*
 * GET /feed: every search is also an Atom 1.0 feed (RFC 4287) of its
 * documents, newest to the archive first, so feed readers and Outlook can
 * subscribe to "DaZ in Mittelsachsen".  The parameters, their checks and
 * messages are the search page's and the API's (params.c), and so is who
 * may see internal documents (the search runs with req->internal): a
 * feed never shows what the page would not.
 *
 * Each entry's <updated> is when the document entered the index
 * (tr_hit.added); its id is a UUID made from the file's path, so it stays
 * the same across reindexing and --full.  Links are relative: RFC 4287
 * resolves them against the feed's own address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "names.h"
#include "out.h"
#include "newsince.h"
#include "serve.h"
#include "tellerrand/date.h"

/* Entries of a feed unless anzahl= asks for another number (1 to 100). */
#define FEED_SIZE 50

#define ATOM_TYPE "application/atom+xml; charset=utf-8"

/*
 * XML text: the HTML escaping (control characters as spaces, bad UTF-8 as
 * U+FFFD) is XML's too, except that XML also forbids the noncharacters
 * U+FFFE and U+FFFF, which are valid UTF-8: they become U+FFFD first.
 */
static void
text(out *o, const char *s)
{
	char *copy = NULL;

	s = s ? s : "";
	if (strstr(s, "\xEF\xBF\xBE") || strstr(s, "\xEF\xBF\xBF")) {
		if (!(copy = strdup(s))) {
			o->st = TR_ENOMEM;
			return;
		}
		for (char *p = copy; (p = strstr(p, "\xEF\xBF")); p += 3)
			if (p[2] == '\xBE' || p[2] == '\xBF')
				p[2] = '\xBD';
		s = copy;
	}
	if (o->st == TR_OK)
		o->st = tr_html_text(&o->b, s);
	free(copy);
}

/* An element with escaped text content. */
static void
element(out *o, const char *name, const char *s)
{
	if (o->st == TR_OK)
		o->st = tr_buf_printf(&o->b, "<%s>", name);
	text(o, s);
	if (o->st == TR_OK)
		o->st = tr_buf_printf(&o->b, "</%s>\n", name);
}

/* "urn:uuid:…" from a 128-bit hash of @s: the same string always gives the same id. */
static void
uuid_of(const char *s, size_t len, char out[46])
{
	XXH128_hash_t h = XXH3_128bits(s, len);
	unsigned char b[16];

	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h.high64 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(h.low64 >> (56 - 8 * i));
	}
	/* RFC 9562: version 8 (custom), variant 10. */
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x80);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, 46, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
	         b[14], b[15]);
}

/* An entry's <updated>: when it entered the index; for a document indexed before that was recorded, its date. */
static void
entry_updated(const tr_hit *h, char out[32])
{
	tr_date d;

	if (h->added > 0) {
		tr_added_rfc3339(h->added, out);
		return;
	}
	if (h->date && tr_date_parse(&d, h->date) == TR_OK && tr_date_is_valid(&d))
		snprintf(out, 32, "%04d-%02d-%02dT00:00:00Z", d.year, d.month ? d.month : 1, d.day ? d.day : 1);
	else
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

/* The snippet as plain text, without the match markers. */
static char *
plain_snippet(const char *s)
{
	char *p = strdup(s ? s : ""), *w = p;

	for (const char *r = p; p && *r; r++)
		if (*r != '\x02' && *r != '\x03')
			*w++ = *r;
	if (p)
		*w = '\0';
	return p;
}

static void
category(out *o, const char *scheme, const char *term, const char *label)
{
	put(o, "<category scheme=\"");
	put(o, scheme);
	put(o, "\" term=\"");
	text(o, term);
	put(o, "\" label=\"");
	text(o, label);
	put(o, "\"/>\n");
}

static void
entry(out *o, const tr_hit *h, const tr_query_vocab *v)
{
	char id[46], when[32], german[11] = "";
	char *snip = plain_snippet(h->snippet);
	tr_date d;

	if (!snip) {
		o->st = TR_ENOMEM;
		return;
	}
	uuid_of(h->path, strlen(h->path), id);
	entry_updated(h, when);
	put(o, "<entry>\n");
	element(o, "id", id);
	element(o, "title", h->title && *h->title ? h->title : "(ohne Titel)");
	element(o, "updated", when);
	if (o->st == TR_OK)
		o->st = tr_buf_printf(&o->b, "<link rel=\"alternate\" href=\"/dokument/%u\"/>\n", h->docid);
	/* The document's own date and its district and type, as the page's hit shows them. */
	if (h->date && *h->date)
		element(o, "dc:date", h->date);
	if (h->date && tr_date_parse(&d, h->date) == TR_OK)
		tr_date_format_german(&d, german);
	for (size_t i = 0; i < h->n_districts; i++)
		category(o, "urn:tellerrand:kreis", h->districts[i], tr_display_name(v, TR_FACET_DISTRICT, h->districts[i]));
	category(o, "urn:tellerrand:typ", h->type, tr_display_name(v, TR_FACET_TYPE, h->type));
	for (size_t i = 0; i < h->n_topics; i++)
		category(o, "urn:tellerrand:thema", h->topics[i], tr_display_name(v, TR_FACET_TOPIC, h->topics[i]));
	put(o, "<summary type=\"text\">");
	text(o, german[0] ? german : "ohne Datum");
	put(o, " · ");
	text(o, tr_display_name(v, TR_FACET_TYPE, h->type));
	for (size_t i = 0; i < h->n_districts; i++) {
		put(o, i ? ", " : " · ");
		text(o, tr_display_name(v, TR_FACET_DISTRICT, h->districts[i]));
	}
	if (*snip) {
		put(o, " – ");
		text(o, snip);
	}
	put(o, "</summary>\n</entry>\n");
	free(snip);
}

/* "Tellerrand: „DaZ“ · Mittelsachsen · Protokoll · neu seit 7tage": what the subscription is. */
static void
feed_title(out *o, const tr_web_query *wq, const tr_query_vocab *v)
{
	const tr_query *q = &wq->q;
	const char *sep = " ";

	put(o, "<title>Tellerrand:");
	if (q->text && *q->text) {
		put(o, " „");
		text(o, q->text);
		put(o, "“");
		sep = " · ";
	}
	for (size_t i = 0; i < q->n_districts; i++, sep = " · ") {
		put(o, sep);
		text(o, tr_display_name(v, TR_FACET_DISTRICT, q->districts[i]));
	}
	for (size_t i = 0; i < q->n_types; i++, sep = " · ") {
		put(o, sep);
		text(o, tr_display_name(v, TR_FACET_TYPE, q->types[i]));
	}
	for (size_t i = 0; i < q->n_topics; i++, sep = " · ") {
		put(o, sep);
		text(o, tr_display_name(v, TR_FACET_TOPIC, q->topics[i]));
	}
	if (!q->text[0] && !q->n_districts && !q->n_types && !q->n_topics)
		put(o, " alle Dokumente");
	if (q->since_text) {
		put(o, " · neu seit ");
		text(o, q->since_text);
	}
	put(o, "</title>\n");
}

/* The feed of @r, found for @wq. */
static tr_status
write_feed(tr_buf *b, const tr_web_query *wq, const tr_results *r, const tr_query_vocab *v)
{
	out o = { *b, TR_OK };
	tr_buf link = TR_BUF_INIT(1 << 16);
	char id[46], when[32];

	put(&o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	        "xml:lang=\"de\">\n");
	/* The feed's id and self link: its words and filters, written as the page writes them. */
	if (o.st == TR_OK)
		o.st = tr_page_search_link(&link, wq, "/feed");
	uuid_of(link.ptr ? link.ptr : "", link.len, id);
	element(&o, "id", id);
	feed_title(&o, wq, v);
	put(&o, "<subtitle>Neu im Archiv des Netzwerks der Bildungskoordinatoren für Neuzugewanderte in "
	        "Sachsen</subtitle>\n");
	if (r->n_hits)
		entry_updated(&r->hits[0], when);
	else
		tr_added_rfc3339(tr_newsince_now(), when);
	element(&o, "updated", when);
	put(&o, "<author><name>Tellerrand</name></author>\n<generator>Tellerrand</generator>\n");
	put(&o, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	put(&o, link.ptr ? link.ptr : "/feed");
	put(&o, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	if (o.st == TR_OK)
		o.st = tr_page_search_link(&o.b, wq, "/");
	put(&o, "\"/>\n");
	for (size_t i = 0; i < r->n_hits && o.st == TR_OK; i++)
		entry(&o, &r->hits[i], v);
	put(&o, "</feed>\n");
	tr_buf_free(&link);
	*b = o.b;
	return o.st;
}

enum MHD_Result
tr_feed_serve(tr_request *req)
{
	tr_web_query wq;
	tr_search s = TR_SEARCH_INIT;
	tr_results *r = NULL;
	tr_query_vocab v = { req->srv->districts, req->srv->topics };
	tr_buf b = TR_BUF_INIT(TR_WEB_MAX_BODY);
	char *err = NULL;
	enum MHD_Result ret;
	tr_status st;

	/* The API's parameters (anzahl included), checks and messages, so a feed URL fails as /api/search does. */
	st = tr_web_query_parse(&wq, req, true, &err);
	if (st != TR_OK) {
		ret = tr_http_error(req, st == TR_EINVAL ? 400 : 500,
		                    st == TR_EINVAL && err ? err : "Interner Fehler.", false);
		goto done;
	}
	tr_query_to_search(&wq.q, &s);
	s.sort = TR_SORT_ADDED;
	s.all_copies = wq.all_copies;
	s.internal = req->internal;
	s.limit = wq.per_page != TR_WEB_PAGE_SIZE ? wq.per_page : FEED_SIZE;
	s.offset = 0;
	s.facets = false;
	s.spelling = false;
	s.snippet_length = TR_WEB_SNIPPET;
	st = tr_http_search(req, &s, &r);
	if (st == TR_ETOOBIG)
		ret = tr_http_error(req, 400, tr_http_search_errmsg(), false);
	else if (st == TR_EBADQUERY)
		ret = tr_http_error(req, 400, tr_web_bad_query(req), false);
	else if (st != TR_OK)
		ret = tr_http_unavailable(req, st, false);
	else if (write_feed(&b, &wq, r, &v) != TR_OK)
		ret = tr_http_error(req, 500, "Der Feed ist zu groß geworden.", false);
	else
		ret = tr_http_reply(req, 200, ATOM_TYPE, &b, false);
done:
	tr_buf_free(&b);
	tr_results_free(r);
	tr_web_query_clear(&wq);
	free(err);
	return ret;
}
