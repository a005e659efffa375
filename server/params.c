/*
 * The query string of a search request, checked before anything runs: the
 * same filter parsing as `tellerrand query` (query/query.c), so the page,
 * the API and the command line accept the same values and give the same
 * German messages.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "tellerrand/date.h"
#include "text.h"

typedef struct param_list {
	const char *v[TR_WEB_MAX_VALUES];
	size_t n;
} param_list;

typedef struct params {
	bool api;
	const char *q, *von, *bis, *sort, *seite, *anzahl;
	const char *kopien;     /* "alle": every copy of a text as a hit */
	const char *neu;        /* entered the archive since: "7tage", "1.12.2026" (query/newsince.c) */
	const char *explain;    /* API explain=1, page warum=1: each hit explained */
	const char *aehnlich;   /* a document id: its similar documents */
	param_list kreis, typ, thema;
	char *err;              /* the first problem found, German */
	bool nomem;
} params;

static void
params_fail(params *p, const char *fmt, const char *arg)
{
	if (p->err)
		return;
	if (asprintf(&p->err, fmt, arg) < 0) {
		p->err = NULL;
		p->nomem = true;
	}
}

static void
set_single(params *p, const char **slot, const char *key, const char *value)
{
	if (*slot)
		params_fail(p, "Parameter %s mehrfach angegeben", key);
	*slot = value;
}

static void
add_value(params *p, param_list *l, const char *key, const char *value)
{
	if (l->n == TR_WEB_MAX_VALUES) {
		params_fail(p, "zu viele Werte für %s", key);
		return;
	}
	l->v[l->n++] = value;
}

/* Counts the characters (code points) of valid UTF-8. */
static size_t
utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static enum MHD_Result
param_cb(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
         const char *value, size_t value_size)
{
	params *p = cls;
	static const char known[] = "q, kreis, typ, thema, von, bis, neu, sort, seite, kopien, aehnlich";

	(void)kind;
	if (p->err)
		return MHD_NO;
	if (!tr_html_clean_text(key, key_size)) {
		params_fail(p, "%s", "ungültige Zeichen in der Anfrage (kein gültiges UTF-8)");
		return MHD_NO;
	}
	if (!value) {
		value = "";
		value_size = 0;
	}
	/* The command line's check and message (a NUL, %00, counts as a control character). */
	if (tr_query_check_text(strcmp(key, "q") == 0 ? NULL : key, value, value_size, &p->err) != TR_OK) {
		p->nomem = !p->err;
		return MHD_NO;
	}
	if (utf8_chars(value, value_size) > TR_WEB_MAX_QUERY) {
		char *msg = NULL;
		if (asprintf(&msg, "%s zu lang (höchstens %d Zeichen)",
		             strcmp(key, "q") == 0 ? "Suchanfrage" : key, TR_WEB_MAX_QUERY) < 0)
			p->nomem = true;
		else
			p->err = msg;
		return MHD_NO;
	}
	if (strcmp(key, "q") == 0)
		set_single(p, &p->q, key, value);
	else if (strcmp(key, "von") == 0)
		set_single(p, &p->von, key, value);
	else if (strcmp(key, "bis") == 0)
		set_single(p, &p->bis, key, value);
	else if (strcmp(key, "sort") == 0)
		set_single(p, &p->sort, key, value);
	else if (strcmp(key, "seite") == 0)
		set_single(p, &p->seite, key, value);
	else if (strcmp(key, "kopien") == 0)
		set_single(p, &p->kopien, key, value);
	else if (strcmp(key, "neu") == 0)
		set_single(p, &p->neu, key, value);
	else if (strcmp(key, p->api ? "explain" : "warum") == 0)
		set_single(p, &p->explain, key, value);
	else if (strcmp(key, "aehnlich") == 0)
		set_single(p, &p->aehnlich, key, value);
	else if (p->api && strcmp(key, "anzahl") == 0)
		set_single(p, &p->anzahl, key, value);
	else if (strcmp(key, "kreis") == 0)
		add_value(p, &p->kreis, key, value);
	else if (strcmp(key, "typ") == 0)
		add_value(p, &p->typ, key, value);
	else if (strcmp(key, "thema") == 0)
		add_value(p, &p->thema, key, value);
	else {
		char *msg = NULL;
		if (asprintf(&msg, "unbekannter Parameter „%s“ (erlaubt: %s%s)", key, known,
		             p->api ? ", anzahl, explain" : ", warum") < 0)
			p->nomem = true;
		else
			p->err = msg;
	}
	return p->err ? MHD_NO : MHD_YES;
}

static bool
parse_number(const char *s, unsigned long min, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Adds the non-empty values of @l as filters @field; an empty form field means "none". */
static tr_status
add_filters(tr_query *q, const tr_query_vocab *v, const char *field, const param_list *l,
            char **errmsg)
{
	for (size_t i = 0; i < l->n; i++) {
		tr_status st;
		if (!*l->v[i])
			continue;
		if ((st = tr_query_add_filter(q, v, field, l->v[i], errmsg)) != TR_OK)
			return st;
	}
	return TR_OK;
}

static bool
has_filters(const tr_query *q)
{
	return q->n_districts || q->n_types || q->n_topics || q->from[0] || q->to[0] || q->since_text;
}

tr_status
tr_web_query_parse(tr_web_query *wq, tr_request *req, bool api, char **errmsg)
{
	params p;
	tr_query_vocab vocab = { req->srv->districts, req->srv->topics };
	tr_query probe;
	tr_status st = TR_OK;

	memset(wq, 0, sizeof *wq);
	tr_query_init(&wq->q);
	wq->page = 1;
	wq->per_page = TR_WEB_PAGE_SIZE;
	*errmsg = NULL;
	memset(&p, 0, sizeof p);
	p.api = api;
	MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, param_cb, &p);
	if (p.nomem)
		return TR_ENOMEM;
	if (p.err) {
		*errmsg = p.err;
		return TR_EINVAL;
	}
	wq->raw_text = p.q ? p.q : "";

	if (!p.sort || !*p.sort)
		wq->sort = TR_SORT_AUTO;
	else if (strcmp(p.sort, "relevanz") == 0)
		wq->sort = TR_SORT_RELEVANCE;
	else if (strcmp(p.sort, "datum") == 0)
		wq->sort = TR_SORT_DATE;
	else
		return asprintf(errmsg, "ungültige Sortierung „%s“ (erlaubt: relevanz, datum)", p.sort) < 0 ?
		       TR_ENOMEM : TR_EINVAL;
	if (p.kopien && *p.kopien && strcmp(p.kopien, "alle") != 0)
		return asprintf(errmsg, "ungültiger Wert für kopien „%s“ (erlaubt: alle)", p.kopien) < 0 ?
		       TR_ENOMEM : TR_EINVAL;
	wq->all_copies = p.kopien && *p.kopien;
	if (p.explain && *p.explain && strcmp(p.explain, "1") != 0 && strcmp(p.explain, "0") != 0)
		return asprintf(errmsg, "ungültiger Wert für %s „%s“ (erlaubt: 1, 0)", p.api ? "explain" : "warum",
		                p.explain) < 0 ?
		       TR_ENOMEM : TR_EINVAL;
	wq->explain = p.explain && strcmp(p.explain, "1") == 0;
	if (p.aehnlich && *p.aehnlich && !parse_number(p.aehnlich, 1, UINT_MAX, &wq->similar_to))
		return asprintf(errmsg, "ungültige Dokumentnummer für aehnlich „%s“ (erwartet: 1, 2, 3, …)",
		                p.aehnlich) < 0 ? TR_ENOMEM : TR_EINVAL;
	if (p.seite && *p.seite && !parse_number(p.seite, 1, 100000, &wq->page))
		return asprintf(errmsg, "ungültige Seitenzahl „%s“ (erwartet: 1, 2, 3, …)", p.seite) < 0 ?
		       TR_ENOMEM : TR_EINVAL;
	if (p.anzahl && *p.anzahl && !parse_number(p.anzahl, 1, 100, &wq->per_page))
		return asprintf(errmsg, "ungültige Anzahl „%s“ (erwartet: 1 bis 100)", p.anzahl) < 0 ?
		       TR_ENOMEM : TR_EINVAL;

	/* Explicit filters first, then the text's own "feld:wert", as the command line does. */
	if ((st = add_filters(&wq->q, &vocab, "kreis", &p.kreis, errmsg)) != TR_OK ||
	    (st = add_filters(&wq->q, &vocab, "typ", &p.typ, errmsg)) != TR_OK ||
	    (st = add_filters(&wq->q, &vocab, "thema", &p.thema, errmsg)) != TR_OK)
		goto done;
	if (p.von && *p.von && (st = tr_query_add_filter(&wq->q, &vocab, "von", p.von, errmsg)) != TR_OK)
		goto done;
	if (p.bis && *p.bis && (st = tr_query_add_filter(&wq->q, &vocab, "bis", p.bis, errmsg)) != TR_OK)
		goto done;
	if (p.neu && *p.neu && (st = tr_query_add_filter(&wq->q, &vocab, "neu", p.neu, errmsg)) != TR_OK)
		goto done;
	if ((st = tr_query_parse(&wq->q, &vocab, wq->raw_text, errmsg)) != TR_OK)
		goto done;
	if (wq->q.from[0] && wq->q.to[0] && strcmp(wq->q.from, wq->q.to) > 0) {
		st = asprintf(errmsg, "%s", "Zeitraum rückwärts: „von“ liegt nach „bis“") < 0 ?
		     TR_ENOMEM : TR_EINVAL;
		goto done;
	}
	/* Whether the text carried filters of its own (the page then moves them into the links). */
	tr_query_init(&probe);
	if (tr_query_parse(&probe, &vocab, wq->raw_text, NULL) == TR_OK)
		wq->inline_filters = has_filters(&probe);
	tr_query_clear(&probe);
done:
	/* Both parsers answer a malformed value or query with a message for the user. */
	if (st == TR_EBADQUERY)
		st = TR_EINVAL;
	if (st == TR_EINVAL && !*errmsg && asprintf(errmsg, "%s", "ungültige Anfrage") < 0)
		st = TR_ENOMEM;
	return st;
}

void
tr_web_query_clear(tr_web_query *wq)
{
	tr_query_clear(&wq->q);
}

bool
tr_web_page_exists(const tr_web_query *wq, unsigned total, char **errmsg)
{
	unsigned pages = (total + wq->per_page - 1) / wq->per_page;

	if (wq->page == 1 || wq->page <= pages)
		return true;
	if ((total ? asprintf(errmsg, "Seite %u gibt es nicht: %u Treffer ergeben %u Seite%s.", wq->page,
	                      total, pages, pages == 1 ? "" : "n")
	           : asprintf(errmsg, "Seite %u gibt es nicht: die Suche hat keine Treffer.", wq->page)) < 0)
		*errmsg = NULL;
	return false;
}

void
tr_web_bound_display(const char *bound, bool upper, char out[11])
{
	tr_date d = TR_DATE_NONE;
	int year, month, day;

	out[0] = '\0';
	if (strlen(bound) != 8 || sscanf(bound, "%4d%2d%2d", &year, &month, &day) != 3)
		return;
	/*
	 * Bounds stand for whole days: a lower bound with unknown parts is the
	 * first day of its month or year, an upper bound's day 31 the last day
	 * of its month (query.c writes 31 for every month).
	 */
	if (month < 1)
		month = upper ? 12 : 1;
	if (month > 12)
		month = 12;
	if (day < 1)
		day = upper ? 31 : 1;
	if (day > tr_date_days_in_month(year, month))
		day = tr_date_days_in_month(year, month);
	d.year = year;
	d.month = month;
	d.day = day;
	if (tr_date_is_valid(&d))
		tr_date_format_german(&d, out);
}

const char *
tr_web_bad_query(tr_request *req)
{
	tr_db *db = NULL;

	/* The worker's own handle, which the refused search has just used. */
	return tr_query_engine_message(tr_http_db(req->srv, &db) == TR_OK ? tr_db_errmsg(db) : NULL);
}
