/*
 * GET /: the German search page.  Everything works as plain links and one
 * form, without JavaScript: filters, the timeline, sorting and paging are
 * links that encode the whole state; web/app.js only makes it smoother.
 *
 * Facet counts are "what you would get": the counts of a filter kind come
 * from the search without that kind's own filter, so choosing one district
 * does not hide the others, and each count says how many results picking
 * that value (as well) gives.  The core counts them in the same call as
 * the search (tr_search.filter_counts); this file runs no search of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "names.h"
#include "out.h"
#include "printer.h"
#include "serve.h"
#include "tellerrand/date.h"
#include "tellerrand/document.h"

#define MAX_LINK_VALUES 64
/* Facet values shown before "weitere"; the rest stay one click away in a <details>. */
#define FACET_SHOWN 12
/* A timeline wider than this shows only the years that have documents. */
#define MAX_YEARS_SPAN 40

static const char *const month_short[12] = {
	"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"
};
static const char *const month_long[12] = {
	"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
	"Oktober", "November", "Dezember"
};

/* ---- The state a link encodes ----------------------------------------------------- */

typedef struct strs {
	const char *v[MAX_LINK_VALUES];
	size_t n;
} strs;

typedef struct view {
	const char *text;
	strs kinds[3];              /* TR_FACET_DISTRICT, _TYPE, _TOPIC */
	char von[11], bis[11];      /* German dates, "" for none */
	tr_sort sort;
	unsigned page;
	bool all_copies;            /* kopien=alle */
	const char *neu;            /* neu=7tage: entered the archive since, as given; NULL: none */
	unsigned similar_to;        /* aehnlich=N */
	bool why;                   /* warum=1: each hit says why it was found */
} view;

static const char *const kind_param[3] = { "kreis", "typ", "thema" };

static void
strs_set(strs *s, char **v, size_t n)
{
	s->n = 0;
	for (size_t i = 0; i < n && s->n < MAX_LINK_VALUES; i++)
		s->v[s->n++] = v[i];
}

static bool
strs_has(const strs *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], key) == 0)
			return true;
	return false;
}

/* Removes @key if present, else adds it. */
static void
strs_toggle(strs *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->v[i], key) == 0) {
			memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof s->v[0]);
			s->n--;
			return;
		}
	}
	if (s->n < MAX_LINK_VALUES)
		s->v[s->n++] = key;
}

static void
view_init(view *v, const tr_web_query *wq)
{
	memset(v, 0, sizeof *v);
	v->text = wq->q.text;
	strs_set(&v->kinds[TR_FACET_DISTRICT], wq->q.districts, wq->q.n_districts);
	strs_set(&v->kinds[TR_FACET_TYPE], wq->q.types, wq->q.n_types);
	strs_set(&v->kinds[TR_FACET_TOPIC], wq->q.topics, wq->q.n_topics);
	if (wq->q.from[0])
		tr_web_bound_display(wq->q.from, false, v->von);
	if (wq->q.to[0])
		tr_web_bound_display(wq->q.to, true, v->bis);
	v->sort = wq->sort;
	v->page = 1;
	v->all_copies = wq->all_copies;
	v->neu = wq->q.since_text;
	v->similar_to = wq->similar_to;
	v->why = wq->explain;
}

static void
param(out *o, bool *first, const char *key, const char *value)
{
	put(o, *first ? "?" : "&amp;");
	*first = false;
	put(o, key);
	put(o, "=");
	if (o->st == TR_OK)
		o->st = tr_html_url(&o->b, value, false);
}

/* Writes the link for @v at @path, ready for an href attribute (values percent-encoded, '&' escaped). */
static void
write_link_at(out *o, const view *v, const char *path)
{
	bool first = true;
	char page[16];

	put(o, path);
	if (v->text && *v->text)
		param(o, &first, "q", v->text);
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < v->kinds[k].n; i++)
			param(o, &first, kind_param[k], v->kinds[k].v[i]);
	if (v->von[0])
		param(o, &first, "von", v->von);
	if (v->bis[0])
		param(o, &first, "bis", v->bis);
	if (v->neu)
		param(o, &first, "neu", v->neu);
	if (v->sort == TR_SORT_RELEVANCE)
		param(o, &first, "sort", "relevanz");
	else if (v->sort == TR_SORT_DATE)
		param(o, &first, "sort", "datum");
	if (v->all_copies)
		param(o, &first, "kopien", "alle");
	if (v->similar_to) {
		snprintf(page, sizeof page, "%u", v->similar_to);
		param(o, &first, "aehnlich", page);
	}
	if (v->page > 1) {
		snprintf(page, sizeof page, "%u", v->page);
		param(o, &first, "seite", page);
	}
	if (v->why)
		param(o, &first, "warum", "1");
}

static void
write_link(out *o, const view *v)
{
	write_link_at(o, v, "/");
}

tr_status
tr_page_search_link(tr_buf *b, const tr_web_query *wq, const char *path)
{
	out o = { *b, TR_OK };
	view v;

	view_init(&v, wq);
	v.sort = TR_SORT_AUTO;
	write_link_at(&o, &v, path);
	*b = o.b;
	return o.st;
}

/* ---- Labels ---------------------------------------------------------------------------- */

typedef struct page {
	tr_request *req;
	tr_web_query *wq;
	tr_search s;
	tr_results *r;
	bool month_view;            /* the dates lie within one year: the timeline shows its months */
	int year;
	unsigned months[12];
	unsigned documents;         /* documents the request may see */
	const char *error;          /* a 400 message: the page shows the form and this */
	tr_hit *seed;               /* the document of a similar search (aehnlich=N), or NULL */
} page;

/* One display name per key, the same as every other printer's (query/names.c). */
static const char *
value_label(const page *p, int kind, const char *key)
{
	tr_query_vocab v = { p->req->srv->districts, p->req->srv->topics };
	return tr_display_name(&v, (tr_facet_kind)kind, key);
}

static const char *const kind_title[3] = { "Landkreis/Stadt", "Dokumenttyp", "Thema" };

/* The year of a facet value "YYYY" or a bound "YYYYMMDD". */
static int
year_of(const char *s)
{
	int y = 0;

	for (int i = 0; i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
		y = y * 10 + (s[i] - '0');
	return y;
}

/* ---- Searching ---------------------------------------------------------------------------- */

/* As the core decides it: whether the search runs the query parser (and Xapian makes the snippets). */
static bool
has_words(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return true;
	return false;
}

static size_t
kind_count(const tr_search *s, int kind)
{
	switch (kind) {
	case TR_FACET_DISTRICT: return s->n_districts;
	case TR_FACET_TYPE:     return s->n_types;
	case TR_FACET_TOPIC:    return s->n_topics;
	case TR_FACET_YEAR:     return s->date_from || s->date_to;
	default:                return 0;
	}
}

/* The month counts of the page's year, from the result's month facet. */
static void
fill_months(page *p)
{
	const tr_results *r = p->r;

	for (size_t i = 0; i < r->n_facets[TR_FACET_MONTH]; i++) {
		const char *v = r->facets[TR_FACET_MONTH][i].value;
		int m = (v[4] - '0') * 10 + (v[5] - '0');

		if (strlen(v) == 6 && year_of(v) == p->year && m >= 1 && m <= 12)
			p->months[m - 1] = r->facets[TR_FACET_MONTH][i].count;
	}
}

/* ---- Rendering ------------------------------------------------------------------------------ */

static void
head(out *o, const page *p)
{
	const tr_asset *css = tr_asset_find("style.css"), *js = tr_asset_find("app.js");
	const tr_asset *icon = tr_asset_find("favicon.svg");
	const char *raw = p->wq->raw_text;

	put(o, "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	if (raw && *raw) {
		put(o, "„");
		esc(o, raw);
		put(o, "“ – ");
	}
	put(o, "Archivsuche – Tellerrand</title>\n");
	/* Feed readers find the search's feed (feed.c) from the page itself. */
	put(o, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Suche abonnieren\" href=\"");
	if (o->st == TR_OK)
		o->st = tr_page_search_link(&o->b, p->wq, "/feed");
	put(o, "\">\n");
	putf(o, "<link rel=\"stylesheet\" href=\"/static/style.css?v=%s\">\n", css ? css->etag : "0");
	if (icon)
		putf(o, "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/static/favicon.svg?v=%s\">\n", icon->etag);
	putf(o, "<script src=\"/static/app.js?v=%s\" defer></script>\n", js ? js->etag : "0");
	put(o, "</head>\n<body>\n<a class=\"skip\" href=\"#ergebnisse\">Zu den Ergebnissen springen</a>\n"
	       "<header class=\"site\">\n<div class=\"wrap\">\n"
	       "<p class=\"brand\"><a href=\"/\">Tellerrand</a> <span>Archiv des Netzwerks der "
	       "Bildungskoordinatoren für Neuzugewanderte in Sachsen</span></p>\n");
	if (p->req->internal) {
		put(o, "<p class=\"access\">Interne Dokumente werden angezeigt");
		if (p->req->user) {
			put(o, " · angemeldet als ");
			esc(o, p->req->user);
		}
		put(o, "</p>\n");
	}
	put(o, "</div>\n</header>\n");
}

static void
hidden(out *o, const char *name, const char *value)
{
	putf(o, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	esc(o, value);
	put(o, "\">\n");
}

static void
search_form(out *o, const page *p, const view *v)
{
	put(o, "<form class=\"search\" action=\"/\" method=\"get\" role=\"search\" aria-label=\"Archiv durchsuchen\">\n"
	       "<div class=\"field q\">\n<label for=\"q\">Suchbegriffe</label>\n<div class=\"row\">\n"
	       "<input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"true\" "
	       "enterkeyhint=\"search\" aria-describedby=\"q-hinweis\" value=\"");
	esc(o, p->wq->raw_text ? p->wq->raw_text : "");
	putf(o, "\" maxlength=\"%d\">\n<button type=\"submit\">Suchen</button>\n</div>\n", TR_WEB_MAX_QUERY);
	put(o, "<p id=\"q-hinweis\" class=\"hint\">Mehrere Wörter: Dokumente mit allen Wörtern zuerst. "
	       "\"…\" sucht eine Wortfolge, Sprach* findet Wortanfänge, -wort schließt aus.</p>\n</div>\n"
	       "<fieldset class=\"dates\">\n<legend>Zeitraum</legend>\n"
	       "<div class=\"field\"><label for=\"von\">von</label>"
	       "<input id=\"von\" name=\"von\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" "
	       "placeholder=\"TT.MM.JJJJ\" aria-describedby=\"datum-hinweis\" value=\"");
	esc(o, v->von);
	put(o, "\"></div>\n<div class=\"field\"><label for=\"bis\">bis</label>"
	       "<input id=\"bis\" name=\"bis\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" "
	       "placeholder=\"TT.MM.JJJJ\" aria-describedby=\"datum-hinweis\" value=\"");
	esc(o, v->bis);
	put(o, "\"></div>\n<p id=\"datum-hinweis\" class=\"hint\">z. B. 15.09.2017, 09.2017 oder 2017</p>\n"
	       "</fieldset>\n");
	/* The chosen filters ride along, so a new search keeps them (the chips show and remove them). */
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < v->kinds[k].n; i++)
			hidden(o, kind_param[k], v->kinds[k].v[i]);
	if (v->sort == TR_SORT_DATE)
		hidden(o, "sort", "datum");
	else if (v->sort == TR_SORT_RELEVANCE)
		hidden(o, "sort", "relevanz");
	if (v->all_copies)
		hidden(o, "kopien", "alle");
	if (v->neu)
		hidden(o, "neu", v->neu);
	put(o, "</form>\n");
}

static unsigned
count_of(const tr_results *r, int kind, const char *key)
{
	for (size_t i = 0; r && i < r->n_facets[kind]; i++)
		if (strcmp(r->facets[kind][i].value, key) == 0)
			return r->facets[kind][i].count;
	return 0;
}

static void
facet_item(out *o, const page *p, const view *v, int kind, const char *key, unsigned count)
{
	view t = *v;
	bool on = strs_has(&v->kinds[kind], key);

	strs_toggle(&t.kinds[kind], key);
	t.page = 1;
	/* data-facet lets app.js keep the focus on this value after it updates the page. */
	putf(o, "<li><a class=\"opt%s\" data-facet=\"%s:", on ? " on" : "", kind_param[kind]);
	esc(o, key);
	put(o, "\" href=\"");
	write_link(o, &t);
	put(o, on ? "\" aria-current=\"true\">" : "\">");
	put(o, "<span class=\"box\" aria-hidden=\"true\"></span><span class=\"lbl\">");
	esc(o, value_label(p, kind, key));
	putf(o, "</span> <span class=\"n\">%s%u</span><span class=\"sr\"> Treffer%s</span></a></li>\n",
	     p->r->exact ? "" : "ca. ", count, on ? ", ausgewählt – Filter entfernen" : "");
}

static void
facets(out *o, const page *p, const view *v)
{
	/* Open for wide screens and for browsers without JavaScript; app.js folds it on phones. */
	put(o, "<aside class=\"filters\" aria-labelledby=\"filter-titel\">\n<details class=\"filterbox\" open>\n"
	       "<summary>Filter (Landkreis, Dokumenttyp, Thema)</summary>\n<h2 id=\"filter-titel\">Filter</h2>\n");
	for (int k = 0; k < 3; k++) {
		const tr_results *src = p->r;
		const strs *active = &v->kinds[k];
		size_t shown = 0, total = 0;

		for (size_t i = 0; i < src->n_facets[k]; i++)
			total += !strs_has(active, src->facets[k][i].value);
		if (!total && !active->n)
			continue;
		putf(o, "<section class=\"facet\" aria-labelledby=\"f-%s\">\n<h3 id=\"f-%s\">%s</h3>\n<ul>\n",
		     kind_param[k], kind_param[k], kind_title[k]);
		/* Chosen values first, even where the match has none of them. */
		for (size_t i = 0; i < active->n; i++)
			facet_item(o, p, v, k, active->v[i], count_of(src, k, active->v[i]));
		for (size_t i = 0; i < src->n_facets[k]; i++) {
			const tr_facet *f = &src->facets[k][i];
			if (strs_has(active, f->value))
				continue;
			if (shown == FACET_SHOWN)
				putf(o, "</ul>\n<details class=\"more\"><summary>%zu weitere</summary>\n<ul>\n",
				     total - FACET_SHOWN);
			facet_item(o, p, v, k, f->value, f->count);
			shown++;
		}
		put(o, shown > FACET_SHOWN ? "</ul>\n</details>\n</section>\n" : "</ul>\n</section>\n");
	}
	put(o, "</details>\n</aside>\n");
}

/* Bar height class h0..h20 (the stylesheet defines them; no inline style passes the CSP). */
static unsigned
bar_class(unsigned count, unsigned max)
{
	unsigned h;

	if (!count || !max)
		return 0;
	h = (count * 20 + max / 2) / max;
	return h ? h : 1;
}

static void
bar(out *o, const view *base, const char *label, const char *von, const char *bis, unsigned count,
    unsigned max, bool selected, const char *what)
{
	view t = *base;

	if (!count) {
		putf(o, "<li><span class=\"bar empty\"><span class=\"n\">0</span><span class=\"col\"></span>"
		        "<span class=\"l\">%s</span></span></li>\n", label);
		return;
	}
	snprintf(t.von, sizeof t.von, "%s", von);
	snprintf(t.bis, sizeof t.bis, "%s", bis);
	t.page = 1;
	putf(o, "<li><a class=\"bar%s\" href=\"", selected ? " sel" : "");
	write_link(o, &t);
	putf(o, "\" aria-label=\"%s: %u Treffer – Zeitraum wählen\"%s><span class=\"n\">%u</span>"
	        "<span class=\"col\"><span class=\"v h%u\"></span></span><span class=\"l\">%s</span></a></li>\n",
	     what, count, selected ? " aria-current=\"true\"" : "", count, bar_class(count, max), label);
}

static void
timeline(out *o, const page *p, const view *v)
{
	const tr_results *src = p->r;
	const tr_facet *years = src->facets[TR_FACET_YEAR];
	size_t n = src->n_facets[TR_FACET_YEAR];
	unsigned max = 0;
	view all = *v;
	char von[11], bis[11], label[16], what[32];

	all.von[0] = all.bis[0] = '\0';
	all.page = 1;
	if (p->month_view) {
		for (int m = 0; m < 12; m++)
			max = p->months[m] > max ? p->months[m] : max;
		putf(o, "<section class=\"timeline\" aria-labelledby=\"zeit-titel\">\n"
		        "<h3 id=\"zeit-titel\">Treffer pro Monat %d</h3>\n<ol class=\"chart months\">\n", p->year);
		for (int m = 1; m <= 12; m++) {
			snprintf(von, sizeof von, "01.%02u.%04u", (unsigned)m % 100u, (unsigned)p->year % 10000u);
			snprintf(bis, sizeof bis, "%02u.%02u.%04u", (unsigned)tr_date_days_in_month(p->year, m) % 100u,
			         (unsigned)m % 100u, (unsigned)p->year % 10000u);
			snprintf(what, sizeof what, "%s %d", month_long[m - 1], p->year);
			bar(o, v, month_short[m - 1], von, bis, p->months[m - 1], max,
			    strcmp(v->von, von) == 0 && strcmp(v->bis, bis) == 0, what);
		}
		put(o, "</ol>\n<p class=\"chart-nav\"><a href=\"");
		write_link(o, &all);
		put(o, "\">Alle Jahre anzeigen</a></p>\n</section>\n");
		return;
	}
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		max = years[i].count > max ? years[i].count : max;
	put(o, "<section class=\"timeline\" aria-labelledby=\"zeit-titel\">\n"
	       "<h3 id=\"zeit-titel\">Treffer pro Jahr</h3>\n<ol class=\"chart\">\n");
	{
		/* Facet years are sorted newest first; the chart runs oldest to newest, gaps shown as 0. */
		int first = year_of(years[n - 1].value), last = year_of(years[0].value);
		bool dense = last - first < MAX_YEARS_SPAN;
		int from = p->wq->q.from[0] ? year_of(p->wq->q.from) : 0;
		int to = p->wq->q.to[0] ? year_of(p->wq->q.to) : 9999;
		bool filtered = p->wq->q.from[0] || p->wq->q.to[0];

		for (size_t i = n; i-- > 0;) {
			int y = year_of(years[i].value);
			int next = i ? year_of(years[i - 1].value) : y;

			snprintf(label, sizeof label, "%d", y);
			snprintf(von, sizeof von, "01.01.%04u", (unsigned)y % 10000u);
			snprintf(bis, sizeof bis, "31.12.%04u", (unsigned)y % 10000u);
			bar(o, v, label, von, bis, years[i].count, max, filtered && y >= from && y <= to, label);
			for (int g = y + 1; dense && g < next; g++) {
				snprintf(label, sizeof label, "%d", g);
				bar(o, v, label, "", "", 0, max, false, label);
			}
		}
	}
	put(o, "</ol>\n");
	if (p->wq->q.from[0] || p->wq->q.to[0]) {
		put(o, "<p class=\"chart-nav\"><a href=\"");
		write_link(o, &all);
		put(o, "\">Zeitraum entfernen</a></p>\n");
	}
	put(o, "</section>\n");
}

/* The chosen filters, each a link that removes it. */
static void
chips(out *o, const page *p, const view *v)
{
	view none = *v;
	size_t n = 0;

	for (int k = 0; k < 3; k++)
		n += v->kinds[k].n;
	if (!n && !v->von[0] && !v->bis[0] && !v->neu)
		return;
	put(o, "<ul class=\"chips\" aria-label=\"Gewählte Filter\">\n");
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < v->kinds[k].n; i++) {
			view t = *v;
			strs_toggle(&t.kinds[k], v->kinds[k].v[i]);
			t.page = 1;
			put(o, "<li><a class=\"chip\" href=\"");
			write_link(o, &t);
			putf(o, "\">%s: ", kind_title[k]);
			esc(o, value_label(p, k, v->kinds[k].v[i]));
			put(o, " <span aria-hidden=\"true\">×</span><span class=\"sr\"> – Filter entfernen</span></a></li>\n");
		}
	}
	if (v->von[0] || v->bis[0]) {
		view t = *v;
		t.von[0] = t.bis[0] = '\0';
		t.page = 1;
		put(o, "<li><a class=\"chip\" href=\"");
		write_link(o, &t);
		put(o, "\">Zeitraum: ");
		if (v->von[0]) {
			put(o, "ab ");
			esc(o, v->von);
		}
		if (v->bis[0]) {
			put(o, v->von[0] ? " bis " : "bis ");
			esc(o, v->bis);
		}
		put(o, " <span aria-hidden=\"true\">×</span><span class=\"sr\"> – Filter entfernen</span></a></li>\n");
	}
	if (v->neu) {
		view t = *v;
		t.neu = NULL;
		t.page = 1;
		put(o, "<li><a class=\"chip\" href=\"");
		write_link(o, &t);
		put(o, "\">Neu im Archiv seit: ");
		esc(o, v->neu);
		put(o, " <span aria-hidden=\"true\">×</span><span class=\"sr\"> – Filter entfernen</span></a></li>\n");
	}
	for (int k = 0; k < 3; k++)
		none.kinds[k].n = 0;
	none.von[0] = none.bis[0] = '\0';
	none.neu = NULL;
	none.page = 1;
	put(o, "<li><a class=\"clear\" href=\"");
	write_link(o, &none);
	put(o, "\">Alle Filter entfernen</a></li>\n</ul>\n");
}

/* What the query parser repaired (an unclosed quote): said, as on the command line. */
static void
notice(out *o, const page *p)
{
	if (!p->wq->q.notice)
		return;
	put(o, "<p class=\"dym\">Hinweis: ");
	esc(o, p->wq->q.notice);
	put(o, "</p>\n");
}

static void
suggestion(out *o, const page *p, const view *v)
{
	view t = *v;

	if (!p->r->corrected)
		return;
	t.text = p->r->corrected;
	t.page = 1;
	put(o, "<p class=\"dym\">Meinten Sie: <a href=\"");
	write_link(o, &t);
	put(o, "\">");
	esc(o, p->r->corrected);
	put(o, "</a>?</p>\n");
}

static void
also_searched(out *o, const page *p)
{
	const tr_results *r = p->r;

	if (!r->n_also_searched)
		return;
	put(o, "<p class=\"also\">Auch gesucht: ");
	for (size_t i = 0; i < r->n_also_searched; i++) {
		if (i)
			put(o, ", ");
		put(o, "„");
		esc(o, r->also_searched[i]);
		put(o, "“");
	}
	put(o, "</p>\n");
}

static void
sort_links(out *o, const page *p, const view *v)
{
	bool words = has_words(p->wq->q.text);
	tr_sort current = v->sort == TR_SORT_AUTO ? (words ? TR_SORT_RELEVANCE : TR_SORT_DATE) : v->sort;
	view t = *v;

	if (v->neu && v->sort == TR_SORT_AUTO) {
		put(o, "<p class=\"sort\">Zuletzt ins Archiv aufgenommen zuerst</p>\n");
		return;
	}
	if (!words) {
		put(o, "<p class=\"sort\">Neueste zuerst</p>\n");
		return;
	}
	put(o, "<p class=\"sort\">Sortiert nach: ");
	t.page = 1;
	for (int i = 0; i < 2; i++) {
		tr_sort s = i ? TR_SORT_DATE : TR_SORT_RELEVANCE;
		const char *label = i ? "Datum (neueste zuerst)" : "Relevanz";

		if (i)
			put(o, " <span aria-hidden=\"true\">|</span> ");
		if (s == current) {
			putf(o, "<strong aria-current=\"true\">%s</strong>", label);
			continue;
		}
		t.sort = s;
		put(o, "<a href=\"");
		write_link(o, &t);
		putf(o, "\">%s</a>", label);
	}
	put(o, "</p>\n");
}

/* The switch between one hit per text and every file, with what the counts count. */
static void
copies_switch(out *o, const page *p, const view *v)
{
	view t = *v;

	if (!p->r || (p->r->folded && p->r->files <= p->r->estimate))
		return;
	t.page = 1;
	t.all_copies = !v->all_copies;
	put(o, "<p class=\"copies-switch\">");
	if (p->r->folded)
		putf(o, "Gleiche Texte zusammengefasst: %u Dateien, gezählt als Texte. ", p->r->files);
	else
		put(o, "Jede Datei einzeln, auch Kopien desselben Textes. ");
	put(o, "<a href=\"");
	write_link(o, &t);
	putf(o, "\">%s</a></p>\n", p->r->folded ? "Alle Kopien zeigen" : "Kopien zusammenfassen");
}

static void
hit_date(out *o, const char *iso)
{
	tr_date d;
	char german[11];

	if (!iso || !*iso || tr_date_parse(&d, iso) != TR_OK) {
		put(o, "<span class=\"nodate\">ohne Datum</span>");
		return;
	}
	put(o, "<time datetime=\"");
	esc(o, iso);
	put(o, "\">");
	if (d.day) {
		tr_date_format_german(&d, german);
		put(o, german);
	} else if (d.month) {
		putf(o, "%s %d", month_long[d.month - 1], d.year);
	} else {
		putf(o, "%d", d.year);
	}
	put(o, "</time>");
}

/*
 * "Warum gefunden?" under a hit: the explanation when the page was asked
 * for it (warum=1; it costs about 40 % more per page, docs/serve.md), else
 * a link to this page with the explanations, at this hit.
 */
static void
hit_why(out *o, const page *p, const tr_hit *h)
{
	view v;

	if (o->st != TR_OK)
		return;
	if (p->s.explain) {
		o->st = tr_page_explain(&o->b, h, p->req->srv->districts, p->req->srv->topics);
		return;
	}
	view_init(&v, p->wq);
	v.page = p->wq->page;
	v.why = true;
	put(o, "<p class=\"why\"><a href=\"");
	write_link(o, &v);
	putf(o, "#treffer-%u\">Warum gefunden?</a></p>\n", h->rank);
}
static void
hits(out *o, const page *p)
{
	const tr_results *r = p->r;

	putf(o, "<ol class=\"hits\" start=\"%u\">\n", r->n_hits ? r->hits[0].rank : 1);
	for (size_t i = 0; i < r->n_hits; i++) {
		const tr_hit *h = &r->hits[i];

		/* PDF viewers open at the page of the match. */
		if (h->page && !h->slide && h->format && strcmp(h->format, "pdf") == 0)
			putf(o, "<li class=\"hit\" id=\"treffer-%u\">\n<h3 class=\"title\"><a href=\"/dokument/%u#page=%u\">",
			     h->rank, h->docid, h->page);
		else
			putf(o, "<li class=\"hit\" id=\"treffer-%u\">\n<h3 class=\"title\"><a href=\"/dokument/%u\">",
			     h->rank, h->docid);
		esc(o, h->title && *h->title ? h->title : "(ohne Titel)");
		put(o, "</a>");
		if (h->internal)
			put(o, " <span class=\"badge\">intern</span>");
		put(o, "</h3>\n<p class=\"meta\">");
		hit_date(o, h->date);
		put(o, "<span class=\"sep\" aria-hidden=\"true\"> · </span><span class=\"type\">");
		esc(o, value_label(p, TR_FACET_TYPE, h->type));
		put(o, "</span>");
		if (h->n_districts) {
			put(o, "<span class=\"sep\" aria-hidden=\"true\"> · </span><span class=\"districts\">");
			for (size_t k = 0; k < h->n_districts; k++) {
				if (k)
					put(o, ", ");
				esc(o, value_label(p, TR_FACET_DISTRICT, h->districts[k]));
			}
			put(o, "</span>");
		}
		if (h->page)
			putf(o, "<span class=\"sep\" aria-hidden=\"true\"> · </span><span class=\"where\">%s %u</span>",
			     h->slide ? "Folie" : h->sheet ? "Tabelle" : "Seite", h->page);
		if (h->part) {
			put(o, h->sheet ? " <span class=\"where\">„" : "<span class=\"sep\" aria-hidden=\"true\"> · </span>"
			                  "<span class=\"where\">Anhang „");
			esc(o, h->part);
			put(o, "“</span>");
		}
		put(o, "</p>\n");
		if (h->n_copies && o->st == TR_OK)
			o->st = tr_page_copies(&o->b, h);
		if (h->n_versions && o->st == TR_OK)
			o->st = tr_page_versions(&o->b, h);
		if (h->snippet && *h->snippet) {
			put(o, "<p class=\"snippet\">");
			if (o->st == TR_OK)
				o->st = tr_html_snippet(&o->b, h->snippet);
			put(o, "</p>\n");
		}
		if (o->st == TR_OK)
			o->st = tr_page_similar_link(&o->b, h);
		if (h->n_topics) {
			put(o, "<p class=\"topics\"><span class=\"sr\">Themen: </span>");
			for (size_t k = 0; k < h->n_topics; k++) {
				put(o, "<span class=\"tag\">");
				esc(o, value_label(p, TR_FACET_TOPIC, h->topics[k]));
				put(o, "</span> ");
			}
			put(o, "</p>\n");
		}
		hit_why(o, p, h);
		put(o, "</li>\n");
	}
	put(o, "</ol>\n");
}

static void
page_link(out *o, const view *v, unsigned page, unsigned current)
{
	view t = *v;

	t.page = page;
	if (page == current) {
		putf(o, "<li><a aria-current=\"page\" aria-label=\"Seite %u, aktuelle Seite\" href=\"", page);
		write_link(o, &t);
		putf(o, "\">%u</a></li>\n", page);
		return;
	}
	putf(o, "<li><a aria-label=\"Seite %u\" href=\"", page);
	write_link(o, &t);
	putf(o, "\">%u</a></li>\n", page);
}

static void
paging(out *o, const page *p, const view *v)
{
	unsigned per = p->wq->per_page, cur = p->wq->page;
	unsigned pages = (tr_results_listed(p->r) + per - 1) / per;
	view t = *v;

	if (pages <= 1)
		return;
	put(o, "<nav class=\"pages\" aria-label=\"Seiten\">\n<ul>\n");
	if (cur > 1) {
		t.page = cur - 1;
		put(o, "<li><a rel=\"prev\" href=\"");
		write_link(o, &t);
		put(o, "\">‹ Zurück</a></li>\n");
	}
	for (unsigned i = 1; i <= pages; i++) {
		/* First, last and two either side of the current page; the rest is an ellipsis. */
		if (i == 1 || i == pages || (i + 2 >= cur && i <= cur + 2)) {
			page_link(o, v, i, cur);
		} else if (i == 2 || i == pages - 1) {
			put(o, "<li class=\"gap\" aria-hidden=\"true\">…</li>\n");
		}
	}
	if (cur < pages) {
		t.page = cur + 1;
		put(o, "<li><a rel=\"next\" href=\"");
		write_link(o, &t);
		put(o, "\">Weiter ›</a></li>\n");
	}
	put(o, "</ul>\n</nav>\n");
}

static void
no_hits(out *o, const page *p, const view *v)
{
	const char *text = p->wq->q.text;
	bool words = has_words(text);

	put(o, "<div class=\"nohits\">\n<p><strong>Keine Treffer");
	if (words) {
		put(o, " für „");
		esc(o, text);
		put(o, "“");
	}
	put(o, "</strong>");
	for (int k = 0; k < TR_FACET_COUNT; k++)
		if (kind_count(&p->s, k)) {
			put(o, " mit den gewählten Filtern");
			break;
		}
	put(o, ".</p>\n<p>Vorschläge:</p>\n<ul>\n");
	if (p->r->corrected) {
		view t = *v;
		t.text = p->r->corrected;
		put(o, "<li>Meinten Sie <a href=\"");
		write_link(o, &t);
		put(o, "\">");
		esc(o, p->r->corrected);
		put(o, "</a>?</li>\n");
	}
	for (int k = 0; k < TR_FACET_COUNT; k++) {
		view t = *v;
		unsigned without = p->r->unfiltered[k];

		if (!kind_count(&p->s, k) || !without)
			continue;
		if (k == TR_FACET_YEAR) {
			t.von[0] = t.bis[0] = '\0';
			put(o, "<li>Ohne den Zeitraum: <a href=\"");
		} else {
			t.kinds[k].n = 0;
			putf(o, "<li>Ohne den Filter „%s“: <a href=\"", kind_title[k]);
		}
		write_link(o, &t);
		putf(o, "\">%s%u Treffer</a></li>\n", p->r->exact ? "" : "ca. ", without);
	}
	if (words)
		put(o, "<li>Prüfen Sie die Schreibweise.</li>\n"
		       "<li>Versuchen Sie weniger oder allgemeinere Suchwörter, oder ein Sternchen für "
		       "Wortanfänge (z.&nbsp;B. <kbd>Sprach*</kbd>).</li>\n");
	put(o, "<li><a href=\"/\">Alle Dokumente anzeigen</a></li>\n</ul>\n</div>\n");
}

/* The search as a feed (feed.c): feed readers and Outlook poll it for what is new in the archive. */
static void
subscribe(out *o, const page *p)
{
	put(o, "<p class=\"feed\"><a type=\"application/atom+xml\" href=\"");
	if (o->st == TR_OK)
		o->st = tr_page_search_link(&o->b, p->wq, "/feed");
	put(o, "\">Suche abonnieren</a> <span class=\"hint\">(Feed: neu ins Archiv aufgenommene Treffer "
	       "zuerst, für Feedreader und Outlook)</span></p>\n");
}

static void
results(out *o, const page *p, const view *v)
{
	const tr_results *r = p->r;
	bool words = has_words(p->wq->q.text) || p->seed;
	bool filtered = false;
	unsigned per = p->wq->per_page;

	for (int k = 0; k < TR_FACET_COUNT; k++)
		filtered = filtered || kind_count(&p->s, k);
	put(o, "<section id=\"ergebnisse\" class=\"results\" aria-labelledby=\"ergebnis-titel\" tabindex=\"-1\">\n"
	       "<div class=\"summary\" role=\"status\">\n<h2 id=\"ergebnis-titel\">");
	if (!words && !filtered)
		putf(o, "<span id=\"trefferzahl\" data-total=\"%u\">%u Dokumente</span> im Archiv</h2>\n",
		     r->estimate, r->estimate);
	else {
		char count_text[160];
		tr_print_count_text(r, count_text, sizeof count_text);
		putf(o, "<span id=\"trefferzahl\" data-total=\"%u\">%s</span></h2>\n", r->estimate, count_text);
	}
	if (tr_results_listed(r) > per)
		putf(o, "<p class=\"range\">%u–%u, Seite %u von %u</p>\n", r->n_hits ? r->hits[0].rank : 0,
		     r->n_hits ? r->hits[r->n_hits - 1].rank : 0, p->wq->page, (tr_results_listed(r) + per - 1) / per);
	put(o, "</div>\n");
	if (p->seed && o->st == TR_OK)
		o->st = tr_page_similar_head(&o->b, p->seed);
	chips(o, p, v);
	notice(o, p);
	if (r->estimate) {
		suggestion(o, p, v);
		also_searched(o, p);
	}
	timeline(o, p, v);
	subscribe(o, p);
	if (!r->estimate) {
		no_hits(o, p, v);
	} else {
		sort_links(o, p, v);
		copies_switch(o, p, v);
		hits(o, p);
		paging(o, p, v);
	}
	put(o, "</section>\n");
}

static void
foot(out *o, const page *p)
{
	putf(o, "<footer class=\"site\"><div class=\"wrap\"><p>Das Archiv enthält %u Dokumente. "
	        "Dokumente öffnen sich über ihren Titel. Für Programme: <a href=\"/api/search\">JSON-Schnittstelle</a>."
	        "</p></div></footer>\n</body>\n</html>\n", p->documents);
}

static enum MHD_Result
render(page *p, unsigned status)
{
	out o = { TR_BUF_INIT(TR_WEB_MAX_BODY), TR_OK };
	view v;

	view_init(&v, p->wq);
	head(&o, p);
	put(&o, "<main class=\"wrap\">\n<h1 class=\"sr\">Suche im Archiv</h1>\n");
	search_form(&o, p, &v);
	if (p->error) {
		put(&o, "<div class=\"error\" role=\"alert\"><p><strong>Die Suche ging so nicht:</strong> ");
		esc(&o, p->error);
		put(&o, "</p></div>\n");
	}
	if (p->r) {
		put(&o, "<div class=\"layout\">\n");
		facets(&o, p, &v);
		results(&o, p, &v);
		put(&o, "</div>\n");
	}
	put(&o, "</main>\n");
	foot(&o, p);
	if (o.st != TR_OK) {
		tr_buf_free(&o.b);
		return tr_http_error(p->req, 500, "Die Seite ist zu groß geworden.", false);
	}
	return tr_http_reply(p->req, status, "text/html; charset=utf-8", &o.b, false);
}

/* "feld:wert" typed into the box becomes a filter chip: the page answers with the equivalent links. */
static enum MHD_Result
redirect_canonical(tr_request *req, const tr_web_query *wq)
{
	out o = { TR_BUF_INIT(1 << 16), TR_OK };
	struct MHD_Response *resp;
	view v;
	char *amp;

	view_init(&v, wq);
	v.page = wq->page;
	write_link(&o, &v);
	/* The link is written for an href; a header takes it unescaped. */
	while (o.st == TR_OK && (amp = strstr(o.b.ptr, "&amp;"))) {
		memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
		o.b.len -= 4;
	}
	resp = o.st == TR_OK ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT) : NULL;
	if (!resp) {
		tr_buf_free(&o.b);
		return tr_http_error(req, 500, "Interner Fehler.", false);
	}
	MHD_add_response_header(resp, "Location", o.b.ptr);
	tr_buf_free(&o.b);
	return tr_http_queue(req, 303, resp, false);
}

enum MHD_Result
tr_page_search(tr_request *req)
{
	tr_web_query wq;
	page p;
	char *err = NULL;
	tr_status st;
	enum MHD_Result ret;
	unsigned status = 200;
	tr_db *db;

	memset(&p, 0, sizeof p);
	p.req = req;
	p.wq = &wq;
	st = tr_web_query_parse(&wq, req, false, &err);
	if (st == TR_ENOMEM) {
		ret = tr_http_error(req, 500, "Interner Fehler.", false);
		goto done;
	}
	if (st != TR_OK) {
		p.error = err;
		status = 400;
		goto show;
	}
	if (wq.inline_filters) {
		ret = redirect_canonical(req, &wq);
		goto done;
	}
	p.s = (tr_search)TR_SEARCH_INIT;
	tr_query_to_search(&wq.q, &p.s);
	p.s.sort = wq.sort;
	p.s.all_copies = wq.all_copies;
	p.s.internal = req->internal;
	p.s.limit = wq.per_page;
	p.s.offset = (wq.page - 1) * wq.per_page;
	p.s.snippet_length = TR_WEB_SNIPPET;
	p.s.filter_counts = true;
	p.s.explain = wq.explain;
	if (wq.similar_to) {
		st = tr_web_similar_seed(req, wq.similar_to, &p.seed);
		if (st == TR_ENOTFOUND) {
			p.error = "Das Dokument gibt es nicht (mehr) im Archiv.";
			status = 404;
			goto show;
		}
		if (st != TR_OK)
			goto unavailable;
		p.s.similar_to = wq.similar_to;
	}
	st = tr_http_search(req, &p.s, &p.r);
	if (st == TR_ENOTFOUND && p.seed) {
		/* The document went between the two look-ups. */
		p.error = "Das Dokument gibt es nicht (mehr) im Archiv.";
		status = 404;
		goto show;
	}
	if (st == TR_ETOOBIG) {
		/* A copy: the page's other look-ups may replace the handle's message. */
		err = strdup(tr_http_search_errmsg());
		p.error = err ? err : "Die Suchanfrage ist zu umfangreich.";
		status = 400;
		goto show;
	}
	if (st == TR_EBADQUERY) {
		p.error = tr_web_bad_query(req);
		status = 400;
		goto show;
	}
	if (st != TR_OK)
		goto unavailable;
	if (!tr_web_page_exists(&wq, tr_results_listed(p.r), &err)) {
		p.error = err ? err : "Diese Seite gibt es nicht.";
		status = 400;
		tr_results_free(p.r);
		p.r = NULL;
		goto show;
	}
	if (wq.q.from[0] && wq.q.to[0] && strncmp(wq.q.from, wq.q.to, 4) == 0) {
		p.month_view = true;
		p.year = year_of(wq.q.from);
		fill_months(&p);
	}
show:
	if (p.r)
		p.documents = p.r->doccount;
	else if (tr_http_db(req->srv, &db) != TR_OK ||
	         tr_db_doccount_visible(db, req->internal, &p.documents) != TR_OK)
		p.documents = 0;
	ret = render(&p, status);
	goto done;
unavailable:
	ret = tr_http_unavailable(req, st, false);
done:
	tr_results_free(p.r);
	tr_hit_free(p.seed);
	tr_web_query_clear(&wq);
	free(err);
	return ret;
}
