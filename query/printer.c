#include "printer.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "explain_print.h"
#include "names.h"
#include "newsince.h"
#include "text.h"
#include "tellerrand/date.h"
#include "tellerrand/document.h"

static const char *facet_names[TR_FACET_COUNT] = {
	[TR_FACET_DISTRICT] = "kreis",
	[TR_FACET_TYPE] = "typ",
	[TR_FACET_TOPIC] = "thema",
	[TR_FACET_YEAR] = "jahr",
	[TR_FACET_MONTH] = "monat",
};

/* Every key shown to people goes through tr_display_name() (query/names.c). */
static const char *
display(const tr_printer_ctx *c, tr_facet_kind k, const char *key)
{
	tr_query_vocab v = { c->districts, c->topics };
	return tr_display_name(&v, k, key);
}

/* The snippet with its highlight marks replaced: @open/@close around matches, HTML-escaped if asked. */
static char *
snippet_render(const char *s, const char *open, const char *close, bool html)
{
	tr_buf b = TR_BUF_INIT(1 << 20);

	while (s && *s) {
		/* The bytes up to the next one that changes, at once. */
		size_t run = strcspn(s, html ? "\x02\x03\n\f\r\t<>&\"" : "\x02\x03\n\f\r\t");
		tr_status st = tr_buf_add(&b, s, run);

		s += run;
		if (st == TR_OK && *s) {
			switch (*s) {
			case '\x02': st = tr_buf_adds(&b, open); break;
			case '\x03': st = tr_buf_adds(&b, close); break;
			case '<': st = tr_buf_adds(&b, "&lt;"); break;
			case '>': st = tr_buf_adds(&b, "&gt;"); break;
			case '&': st = tr_buf_adds(&b, "&amp;"); break;
			case '"': st = tr_buf_adds(&b, "&quot;"); break;
			default:  st = tr_buf_addc(&b, ' '); break;   /* \n \f \r \t */
			}
			s++;
		}
		if (st != TR_OK) {
			tr_buf_free(&b);
			return NULL;
		}
	}
	{
		char *out = tr_buf_detach(&b);
		if (out)
			tr_text_squeeze_spaces(out);
		return out;
	}
}

json_t *
tr_print_strings_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The extension of @path with its dot ("" for none), shown readable. */
static const char *
extension(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');

	return dot && dot[1] ? dot : "";
}

char *
tr_print_copies_line(const tr_hit *h)
{
	tr_buf b = TR_BUF_INIT(64 * 1024);
	size_t listed = 0;

	if (!h->n_copies)
		return NULL;
	tr_buf_adds(&b, "auch als: ");
	for (size_t i = 0; i < h->n_copies; i++) {
		const char *ext = extension(h->copies[i].path);
		bool seen = !*ext;
		for (size_t k = 0; !seen && k < i; k++)
			seen = strcmp(extension(h->copies[k].path), ext) == 0;
		if (seen)
			continue;
		char *shown = tr_text_printable_dup(ext);
		tr_buf_printf(&b, "%s%s", listed++ ? ", " : "", shown ? shown : "");
		free(shown);
	}
	tr_buf_printf(&b, "%s(%zu weitere Datei%s)", listed ? " " : "", h->n_copies, h->n_copies == 1 ? "" : "en");
	return tr_buf_detach(&b);
}

/* The other copies of a hit's text: where they are and what they are. */
static json_t *
copies_json(const tr_hit *h)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < h->n_copies; i++) {
		const tr_hit *c = &h->copies[i];
		char *shown = tr_text_printable_dup(c->path);
		json_t *o = json_object();
		json_object_set_new(o, "docid", json_integer(c->docid));
		json_object_set_new(o, "path", json_string(shown ? shown : ""));
		json_object_set_new(o, "format", json_string(c->format));
		json_object_set_new(o, "date", c->date[0] ? json_string(c->date) : json_null());
		json_array_append_new(a, o);
		free(shown);
	}
	return a;
}

/* When a document entered the index, RFC 3339 in UTC; null when not recorded. */
static json_t *
added_json(double t)
{
	char when[32];

	if (t <= 0)
		return json_null();
	tr_added_rfc3339(t, when);
	return when[0] ? json_string(when) : json_null();
}

/* The document a similar search starts from: "similar_to" (docs/json.md). */
static json_t *
similar_json(const tr_hit *h)
{
	json_t *o = json_object();
	char *shown = tr_text_printable_dup(h->path);

	json_object_set_new(o, "docid", json_integer(h->docid));
	json_object_set_new(o, "path", json_string(shown ? shown : ""));
	json_object_set_new(o, "title", json_string(h->title));
	json_object_set_new(o, "date", h->date[0] ? json_string(h->date) : json_null());
	free(shown);
	return o;
}

static void
print_similar_line(FILE *f, const tr_hit *h)
{
	char *shown = tr_text_printable_dup(h->path);

	fprintf(f, "Ähnliche Dokumente wie: %s (%s)\n", h->title, shown ? shown : "");
	free(shown);
}

static json_t *
hit_json(const tr_hit *h, const tr_printer_ctx *c)
{
	json_t *o = json_object();
	json_t *names = json_array(), *tlabels = json_array();
	char *plain = snippet_render(h->snippet, "", "", false);
	char *html = snippet_render(h->snippet, "<mark>", "</mark>", true);
	char *shown_path = tr_text_printable_dup(h->path);

	for (size_t i = 0; i < h->n_districts; i++)
		json_array_append_new(names, json_string(display(c, TR_FACET_DISTRICT, h->districts[i])));
	for (size_t i = 0; i < h->n_topics; i++)
		json_array_append_new(tlabels, json_string(display(c, TR_FACET_TOPIC, h->topics[i])));
	json_object_set_new(o, "rank", json_integer(h->rank));
	json_object_set_new(o, "docid", json_integer(h->docid));
	/* A file name that is not UTF-8 is shown readable (JSON cannot hold its bytes). */
	json_object_set_new(o, "path", tr_text_is_utf8(h->path, strlen(h->path)) ? json_string(h->path) : json_string(shown_path ? shown_path : ""));
	json_object_set_new(o, "title", json_string(h->title));
	json_object_set_new(o, "date", h->date[0] ? json_string(h->date) : json_null());
	json_object_set_new(o, "districts", tr_print_strings_json(h->districts, h->n_districts));
	json_object_set_new(o, "district_names", names);
	json_object_set_new(o, "type", json_string(h->type));
	json_object_set_new(o, "type_label", json_string(display(c, TR_FACET_TYPE, h->type)));
	json_object_set_new(o, "topics", tr_print_strings_json(h->topics, h->n_topics));
	json_object_set_new(o, "topic_labels", tlabels);
	json_object_set_new(o, "format", json_string(h->format));
	json_object_set_new(o, "snippet", json_string(plain ? plain : ""));
	json_object_set_new(o, "snippet_html", json_string(html ? html : ""));
	json_object_set_new(o, "score", json_real(h->score));
	json_object_set_new(o, "percent", json_integer(h->percent));
	/*
	 * Where the snippet is: "slide" for presentations, "sheet" (and
	 * "sheet_name") for spreadsheets, "page" for everything else;
	 * "attachment" names a mail's attachment.
	 */
	if (h->page)
		json_object_set_new(o, h->slide ? "slide" : h->sheet ? "sheet" : "page", json_integer(h->page));
	if (h->part && h->sheet)
		json_object_set_new(o, "sheet_name", json_string(h->part));
	else if (h->part)
		json_object_set_new(o, "attachment", json_string(h->part));
	/* The group: the other files with the same text, folded into this hit. */
	json_object_set_new(o, "copies", copies_json(h));
	json_object_set_new(o, "added", added_json(h->added));
	if (c->search && c->search->explain)
		json_object_set_new(o, "explain", tr_explain_json(h, c));
	json_object_set_new(o, "versions", tr_print_versions_json(h));
	free(plain);
	free(html);
	free(shown_path);
	return o;
}

void
tr_print_count_text(const tr_results *r, char *buf, size_t size)
{
	const char *about = r->exact ? "" : "ca. ";

	if (r->estimate == 0)
		snprintf(buf, size, "Keine Treffer");
	else if (r->reading == TR_READING_ALL_WORDS && r->partial)
		snprintf(buf, size, "%s%u Treffer mit allen Wörtern, ca. %u weitere mit einem Teil der Wörter",
		         about, r->estimate, r->partial);
	else if (r->reading == TR_READING_ALL_WORDS)
		snprintf(buf, size, "%s%u Treffer mit allen Wörtern", about, r->estimate);
	else if (r->reading == TR_READING_SOME_WORDS)
		snprintf(buf, size, "%s%u Treffer, keiner mit allen Wörtern", about, r->estimate);
	else
		snprintf(buf, size, "%s%u Treffer", about, r->estimate);
}

/* What tr_results.reading says in the JSON (docs/json.md). */
static const char *
reading_name(tr_reading reading)
{
	return reading == TR_READING_ALL_WORDS ? "all_words" : reading == TR_READING_SOME_WORDS ? "some_words" : "all";
}

json_t *
tr_print_json(const tr_results *r, const tr_printer_ctx *c)
{
	char count_text[160];
	json_t *o = json_object(), *hits = json_array(), *facets = json_object(), *query = json_object();
	const tr_query *q = c->query;

	if (!o || !hits || !facets || !query) {
		json_decref(o);
		json_decref(hits);
		json_decref(facets);
		json_decref(query);
		return NULL;
	}
	json_object_set_new(query, "text", json_string(q && q->text ? q->text : ""));
	json_object_set_new(query, "kreis", tr_print_strings_json(q ? q->districts : NULL, q ? q->n_districts : 0));
	json_object_set_new(query, "typ", tr_print_strings_json(q ? q->types : NULL, q ? q->n_types : 0));
	json_object_set_new(query, "thema", tr_print_strings_json(q ? q->topics : NULL, q ? q->n_topics : 0));
	json_object_set_new(query, "von", q && q->from[0] ? json_string(q->from) : json_null());
	json_object_set_new(query, "bis", q && q->to[0] ? json_string(q->to) : json_null());
	json_object_set_new(query, "neu_seit", added_json(q ? q->since : 0));
	if (c->search) {
		json_object_set_new(query, "offset", json_integer(c->search->offset));
		json_object_set_new(query, "limit", json_integer(c->search->limit));
	}

	for (size_t i = 0; i < r->n_hits; i++)
		json_array_append_new(hits, hit_json(&r->hits[i], c));
	/* Months only for the page's chart: the JSON stays as docs/json.md describes it. */
	for (int k = 0; k < TR_FACET_MONTH; k++) {
		json_t *list = json_array();
		for (size_t i = 0; i < r->n_facets[k]; i++) {
			json_t *e = json_object();
			json_object_set_new(e, "value", json_string(r->facets[k][i].value));
			json_object_set_new(e, "label", json_string(display(c, (tr_facet_kind)k, r->facets[k][i].value)));
			json_object_set_new(e, "count", json_integer(r->facets[k][i].count));
			json_array_append_new(list, e);
		}
		json_object_set_new(facets, facet_names[k], list);
	}
	json_object_set_new(o, "version", json_integer(TR_JSON_VERSION));
	json_object_set_new(o, "query", query);
	json_object_set_new(o, "total", json_integer(r->estimate));
	json_object_set_new(o, "exact", json_boolean(r->exact));
	/* What total counts, and the documents with only some of the words listed after them. */
	tr_print_count_text(r, count_text, sizeof count_text);
	json_object_set_new(o, "counted", json_string(reading_name(r->reading)));
	json_object_set_new(o, "partial", json_integer(r->partial));
	json_object_set_new(o, "count_text", json_string(count_text));
	/* Folded: total and facets count texts; "files" counts every matching file. */
	json_object_set_new(o, "folded", json_boolean(r->folded));
	json_object_set_new(o, "files", json_integer(r->files));
	json_object_set_new(o, "versions_folded", json_integer(r->versions_folded));
	json_object_set_new(o, "documents", json_integer(r->doccount));
	json_object_set_new(o, "notice", q && q->notice ? json_string(q->notice) : json_null());
	json_object_set_new(o, "corrected", r->corrected ? json_string(r->corrected) : json_null());
	json_object_set_new(o, "also_searched", tr_print_strings_json(r->also_searched, r->n_also_searched));
	if (c->similar)
		json_object_set_new(o, "similar_to", similar_json(c->similar));
	json_object_set_new(o, "hits", hits);
	json_object_set_new(o, "facets", facets);
	return o;
}

static void
print_facet_line(FILE *f, const tr_results *r, const tr_printer_ctx *c, tr_facet_kind k,
                 const char *label)
{
	if (!r->n_facets[k])
		return;
	fprintf(f, "%s: ", label);
	for (size_t i = 0; i < r->n_facets[k]; i++) {
		/* Above TR_FACET_EXACT_MAX the counts come from a sample: "ca." as for the total. */
		fprintf(f, "%s%s (%s%u)", i ? ", " : "", display(c, k, r->facets[k][i].value),
		        r->exact ? "" : "ca. ", r->facets[k][i].count);
	}
	fputc('\n', f);
}

void
tr_print_text(FILE *f, const tr_results *r, const tr_printer_ctx *c)
{
	const char *bold = c->highlight ? "\033[1m" : "";
	const char *plain = c->highlight ? "\033[0m" : "";

	char count_text[160];

	if (c->similar)
		print_similar_line(f, c->similar);
	tr_print_count_text(r, count_text, sizeof count_text);
	fprintf(f, "%s.\n", count_text);
	if (c->query && c->query->notice)
		fprintf(f, "Hinweis: %s\n", c->query->notice);
	if (r->corrected)
		fprintf(f, "Meinten Sie: %s\n", r->corrected);
	if (r->n_also_searched) {
		fprintf(f, "auch gesucht: ");
		for (size_t i = 0; i < r->n_also_searched; i++)
			fprintf(f, "%s%s", i ? ", " : "", r->also_searched[i]);
		fputc('\n', f);
	}

	for (size_t i = 0; i < r->n_hits; i++) {
		const tr_hit *h = &r->hits[i];
		char german[11] = "";
		tr_date d;
		char *snip, *shown;

		if (h->date[0] && tr_date_parse(&d, h->date) == TR_OK)
			tr_date_format_german(&d, german);
		fprintf(f, "\n%u. %s%s%s\n", h->rank, bold, h->title, plain);
		fprintf(f, "   Datum: %s · %s", german[0] ? german : "unbekannt", display(c, TR_FACET_TYPE, h->type));
		if (h->n_districts) {
			fprintf(f, " · ");
			for (size_t k = 0; k < h->n_districts; k++)
				fprintf(f, "%s%s", k ? ", " : "", display(c, TR_FACET_DISTRICT, h->districts[k]));
		}
		fputc('\n', f);
		if (h->n_topics) {
			fprintf(f, "   Themen: ");
			for (size_t k = 0; k < h->n_topics; k++)
				fprintf(f, "%s%s", k ? ", " : "", display(c, TR_FACET_TOPIC, h->topics[k]));
			fputc('\n', f);
		}
		shown = tr_text_printable_dup(h->path);
		if (h->page && h->sheet)
			fprintf(f, "   Datei: %s · Tabelle %u%s%s%s\n", shown ? shown : "", h->page,
			        h->part ? " „" : "", h->part ? h->part : "", h->part ? "“" : "");
		else if (h->page)
			fprintf(f, "   Datei: %s · %s %u\n", shown ? shown : "", h->slide ? "Folie" : "S.", h->page);
		else if (h->part)
			fprintf(f, "   Datei: %s · Anhang „%s“\n", shown ? shown : "", h->part);
		else
			fprintf(f, "   Datei: %s\n", shown ? shown : "");
		free(shown);
		if (h->added > 0 && c->search && (c->search->added_since > 0 || c->search->sort == TR_SORT_ADDED)) {
			char when[32];
			tr_added_german(h->added, when);
			fprintf(f, "   Aufgenommen: %s\n", when);
		}
		shown = tr_print_copies_line(h);
		if (shown)
			fprintf(f, "   %s\n", shown);
		free(shown);
		shown = tr_print_versions_line(h);
		if (shown)
			fprintf(f, "   %s\n", shown);
		free(shown);
		snip = snippet_render(h->snippet, bold, plain, false);
		if (snip && *snip)
			fprintf(f, "   %s\n", snip);
		free(snip);
		if (c->search && c->search->explain)
			tr_explain_print_text(f, h, c);
	}
	if (r->n_hits && r->hits[r->n_hits - 1].rank + r->versions_folded < tr_results_listed(r))
		fprintf(f, "\n(Treffer %u–%u von %s%u; weitere mit --offset %u)\n", r->hits[0].rank,
		        r->hits[r->n_hits - 1].rank, r->exact && !r->partial ? "" : "ca. ", tr_results_listed(r),
		        r->hits[r->n_hits - 1].rank + r->versions_folded);
	if (r->estimate) {
		fputc('\n', f);
		print_facet_line(f, r, c, TR_FACET_DISTRICT, "Landkreise");
		print_facet_line(f, r, c, TR_FACET_TYPE, "Dokumenttypen");
		print_facet_line(f, r, c, TR_FACET_TOPIC, "Themen");
		print_facet_line(f, r, c, TR_FACET_YEAR, "Jahre");
		if (r->folded && r->files > r->estimate)
			fprintf(f, "(gezählt: Texte; %u Dateien, Kopien zusammengefasst – alle mit --alle-fassungen)\n", r->files);
		if (r->versions_folded)
			fprintf(f, "(%u weitere Fassung%s unter einem Treffer oben; Fassungen zählen als eigene Texte)\n",
			        r->versions_folded, r->versions_folded == 1 ? "" : "en");
	}
}
