/*
 * tellerrand why PFAD 'SUCHE': why a search finds a given file, or why it
 * does not: not indexed (and the indexer's reason), internal, a filter
 * that excludes it (with where its date or district came from), a word it
 * does not contain in any of the forms searched.  The library answers
 * (tr_db_why(), lib/db_explain.cc); this file only words it in German.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "explain_print.h"
#include "names.h"
#include "printer.h"
#include "query.h"
#include "tellerrand/db.h"
#include "text.h"

/* Exit codes beyond the common ones (docs/tellerrand-why.md). */
enum {
	WHY_EXIT_NOT_FOUND = 3,     /* indexed, but the search does not find it */
	WHY_EXIT_NOT_INDEXED = 4    /* no document under that path */
};

enum {
	OPT_CONFIG, OPT_DB, OPT_DATA_DIR, OPT_KREIS, OPT_TYP, OPT_THEMA, OPT_VON, OPT_BIS, OPT_JAHR,
	OPT_PUBLIC, OPT_RULES_OFF, OPT_FORMAT
};

const tr_option cmd_why_options[] = {
	[OPT_CONFIG]   = { "config", 'c', "DATEI", "Konfigurationsdatei", "$TELLERRAND_CONFIG oder /etc/tellerrand/tellerrand.conf" },
	[OPT_DB]       = { "db", 'd', "DIR", "Index-Verzeichnis", "$TELLERRAND_DB oder ./tellerrand-index" },
	[OPT_DATA_DIR] = { "data-dir", 0, "DIR", "Verzeichnis mit Gemeindeverzeichnis und Themenliste", "$TELLERRAND_DATA_DIR oder die installierten Daten" },
	[OPT_KREIS]    = { "kreis", 'k', "NAME", "Filter wie bei tellerrand query", NULL },
	[OPT_TYP]      = { "typ", 't', "TYP", "Filter wie bei tellerrand query", NULL },
	[OPT_THEMA]    = { "thema", 0, "THEMA", "Filter wie bei tellerrand query", NULL },
	[OPT_VON]      = { "von", 0, "DATUM", "Filter wie bei tellerrand query", NULL },
	[OPT_BIS]      = { "bis", 0, "DATUM", "Filter wie bei tellerrand query", NULL },
	[OPT_JAHR]     = { "jahr", 0, "JAHR", "Filter wie bei tellerrand query", NULL },
	[OPT_PUBLIC]   = { "oeffentlich", 0, NULL, "Suchen wie die Suchseite ohne Berechtigung für interne Dokumente", "interne Dokumente sichtbar (wie tellerrand query)" },
	[OPT_RULES_OFF] = { "ohne", 0, "REGEL", "Diese Erweiterung der Suchwörter weglassen, wie bei tellerrand query", NULL },
	[OPT_FORMAT]   = { "format", 'f', "FORMAT", "Ausgabe: text oder json (docs/json.md)", "text" },
	{ NULL, 0, NULL, NULL, NULL }
};

typedef struct why_args {
	const char *db;
	const char *data_dir;
	tr_cli_filters filters;      /* --kreis, --typ, ... as given */
	tr_search search;
	bool json;                   /* --format json */
} why_args;

static bool
why_set(void *ctx, int opt, const char *value)
{
	why_args *a = ctx;

	switch (opt) {
	case OPT_CONFIG:   return true;
	case OPT_DB:       a->db = value; return true;
	case OPT_DATA_DIR: a->data_dir = value; return true;
	case OPT_KREIS: case OPT_TYP: case OPT_THEMA: case OPT_VON: case OPT_BIS: case OPT_JAHR:
		return tr_cli_filters_add(&a->filters, "why", cmd_why_options[opt].name, value);
	case OPT_PUBLIC:
		a->search.internal = false;
		return true;
	case OPT_FORMAT:
		if (strcmp(value, "json") && strcmp(value, "text")) {
			tr_cli_usage_error("why", "unbekanntes Format: %s (text oder json)", value);
			return false;
		}
		a->json = strcmp(value, "json") == 0;
		return true;
	case OPT_RULES_OFF:
		if (tr_explain_parse_rules(value, &a->search.rules_off) != TR_OK) {
			tr_cli_usage_error("why", "unbekannte Regel in --ohne: %s (gültig: stamm, wortteil, umlaut, umschreibung, geschlecht, thesaurus)", value);
			return false;
		}
		return true;
	}
	return false;
}

/* The file's absolute path as the indexer stored it: resolved if it exists, else made absolute as written. */
static char *
absolute(const char *path)
{
	char *real = realpath(path, NULL);
	char cwd[PATH_MAX];
	char *out;

	if (real || path[0] == '/')
		return real ? real : strdup(path);
	if (!getcwd(cwd, sizeof cwd) || asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

/* The date filter as people write it: "01.01.2020 bis 31.12.2020". */
static void
print_range(FILE *f, const tr_query *q)
{
	const char *ends[2] = { q->from, q->to };
	for (int i = 0; i < 2; i++) {
		tr_date d;
		char german[11] = "";
		char iso[11];
		if (!ends[i][0]) {
			fprintf(f, i ? " bis offen" : "offen");
			continue;
		}
		/* A bound lowered to a month or year ("20200000") reads as that month or year. */
		if (strncmp(ends[i] + 4, "00", 2) == 0)
			snprintf(iso, sizeof iso, "%.4s", ends[i]);
		else if (strncmp(ends[i] + 6, "00", 2) == 0)
			snprintf(iso, sizeof iso, "%.4s-%.2s", ends[i], ends[i] + 4);
		else
			snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", ends[i], ends[i] + 4, ends[i] + 6);
		if (tr_date_parse(&d, iso) == TR_OK)
			tr_date_format_german(&d, german);
		fprintf(f, "%s%s", i ? " bis " : "ab ", german[0] ? german : iso);
	}
}

/* What the filter of kind @k asked for, as display names. */
static void
print_wanted(FILE *f, const tr_query *q, const tr_query_vocab *v, int k)
{
	char **keys = k == TR_FACET_DISTRICT ? q->districts : k == TR_FACET_TYPE ? q->types : q->topics;
	size_t n = k == TR_FACET_DISTRICT ? q->n_districts : k == TR_FACET_TYPE ? q->n_types : q->n_topics;

	if (k == TR_FACET_YEAR) {
		print_range(f, q);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " oder " : "", tr_display_name(v, (tr_facet_kind)k, keys[i]));
}

/* The forms searched for a word, as a list: "schule (genaues Wort), schul… (Wortstamm), …". */
static void
print_forms(FILE *f, const tr_why_word *w, size_t from, size_t to)
{
	for (size_t i = from; i < to && i < w->n_forms; i++) {
		const tr_match *m = &w->forms[i];
		bool stem = m->term[0] == 'Z' || strncmp(m->term, "XC", 2) == 0 || strncmp(m->term, "XG", 2) == 0;
		fprintf(f, "%s%s%s (%s)", i > from ? ", " : "", m->form, stem ? "…" : "", tr_rule_label(m->rule));
	}
	if (to < w->n_forms)
		fprintf(f, " und %zu weitere", w->n_forms - to);
}

/* Whether the document has any word of the search that is not negated. */
static bool
positive_found(const tr_why *w)
{
	for (size_t i = 0; i < w->n_words; i++)
		if (w->words[i].found && !w->words[i].negated)
			return true;
	return false;
}

/* Whether @word is one the search excludes (NOT, -word). */
static bool
negated(const tr_why *w, const char *word)
{
	for (size_t i = 0; i < w->n_words; i++)
		if (w->words[i].negated && strcmp(w->words[i].word, word) == 0)
			return true;
	return false;
}

/* The reasons the search does not find an indexed document; the metadata origins are @o. */
static void
print_reasons(FILE *f, const tr_why *w, const tr_query *q, const tr_query_vocab *v, const tr_meta_origin *o,
              const tr_printer_ctx *c)
{
	static const char *const names[TR_WHY_FILTERS] = { "Landkreis", "Typ", "Thema", "Datum" };
	static const int meta[TR_WHY_FILTERS] = { TR_META_DISTRICTS, TR_META_TYPE, -1, TR_META_DATE };

	if (!w->visible)
		fprintf(f, "  Das Dokument ist intern: nur mit Berechtigung für interne Dokumente sichtbar.\n");
	for (int k = 0; k < TR_WHY_FILTERS; k++) {
		char *line = NULL;
		if (!w->filtered[k] || w->passes[k])
			continue;
		fprintf(f, "  %s passt nicht zum Filter (gesucht: ", names[k]);
		print_wanted(f, q, v, k);
		fprintf(f, ")");
		if (meta[k] >= 0 && (line = tr_explain_meta_line(w->hit, (tr_meta_kind)meta[k], &o[meta[k]], c)))
			fprintf(f, "; das Dokument hat %s\n", line);
		else if (k == TR_FACET_YEAR)
			fprintf(f, "; das Dokument hat kein Datum\n");
		else if (k == TR_FACET_TOPIC && w->hit->n_topics) {
			fprintf(f, "; das Dokument hat die Themen ");
			for (size_t i = 0; i < w->hit->n_topics; i++)
				fprintf(f, "%s%s", i ? ", " : "", tr_display_name(v, TR_FACET_TOPIC, w->hit->topics[i]));
			fputc('\n', f);
		} else
			fprintf(f, "; das Dokument hat keinen Wert dafür\n");
		free(line);
	}
	for (size_t i = 0; i < w->n_words; i++) {
		const tr_why_word *ww = &w->words[i];
		if (ww->negated && ww->found) {
			fprintf(f, "  Das Dokument enthält das ausgeschlossene Wort „%s“ (", ww->word);
			print_forms(f, ww, 0, ww->n_found);
			fprintf(f, ")\n");
		} else if (!ww->negated && !ww->found && !w->words_match) {
			fprintf(f, "  Suchwort „%s“ kommt in keiner gesuchten Form vor; gesucht: ", ww->word);
			print_forms(f, ww, 0, 12);
			fputc('\n', f);
		}
	}
	if (!w->words_match && !positive_found(w))
		fprintf(f, "  (Ein Treffer braucht mindestens eines der Suchwörter; Wortfolgen in \"…\" nur in dieser Reihenfolge.)\n");
}

/* What matches: the words in the forms found, the words missing (a hit without them ranks lower), the metadata. */
static void
print_matching(FILE *f, const tr_why *w, const tr_meta_origin *o, const tr_printer_ctx *c)
{
	char *line;

	for (size_t i = 0; i < w->hit->n_matches; i++)
		if (!negated(w, w->hit->matches[i].word) && (line = tr_explain_match_line(&w->hit->matches[i], true))) {
			fprintf(f, "  %s\n", line);
			free(line);
		}
	for (size_t i = 0; i < w->n_words; i++) {
		const tr_why_word *ww = &w->words[i];
		if (!ww->found && !ww->negated && w->words_match) {
			fprintf(f, "  %s: fehlt im Dokument (steht deshalb weiter hinten); gesucht: ", ww->word);
			print_forms(f, ww, 0, 12);
			fputc('\n', f);
		}
	}
	for (int k = 0; k < TR_META_COUNT; k++)
		if ((line = tr_explain_meta_line(w->hit, (tr_meta_kind)k, &o[k], c))) {
			fprintf(f, "  %s\n", line);
			free(line);
		}
	if (w->internal)
		fprintf(f, "  intern: nur mit Berechtigung für interne Dokumente sichtbar\n");
}

/*
 * Why a path has no document: the indexer's record, or why it may not
 * have seen it.  *key is the reason's key for the JSON; the German text
 * is owned by the caller (NULL when out of memory).
 */
static char *
not_indexed_reason(const tr_why *w, const char *path, const char **key)
{
	struct stat st;
	char *out = NULL;

	if (w->skip_kind) {
		bool failed = strcmp(w->skip_kind, "failed") == 0;
		*key = failed ? "failed" : "skipped";
		if (asprintf(&out, "beim Indexieren %s – %s", failed ? "fehlgeschlagen" : "übersprungen",
		             w->skip_reason ? w->skip_reason : "ohne Angabe") < 0)
			out = NULL;
		return out;
	}
	if (stat(path, &st) != 0) {
		*key = "missing";
		return strdup("die Datei gibt es nicht (mehr)");
	}
	if (!w->under_root) {
		*key = "outside_roots";
		return strdup("die Datei liegt in keinem Ordner, aus dem dieser Index gebaut wurde");
	}
	if (S_ISDIR(st.st_mode)) {
		*key = "folder";
		return strdup("das ist ein Ordner; Dokumente sind die Dateien darin");
	}
	*key = "not_seen";
	return strdup("die Datei ist seit dem letzten Indexlauf neu oder wurde von ihm nicht erfasst "
	              "(versteckt, Sicherungskopie oder ausgeschlossen); 'tellerrand show' zeigt, was gelesen würde");
}

/* A path with no document: what the indexer recorded, or why it may not have seen it. */
static void
print_not_indexed(FILE *f, const tr_why *w, const char *path)
{
	const char *key;
	char *reason = not_indexed_reason(w, path, &key);

	fprintf(f, "Ergebnis: nicht im Index\nGrund: %s\n", reason ? reason : tr_strerror(TR_ENOMEM));
	free(reason);
}

/* The whole answer for one file; returns the exit code. */
static int
print_why(FILE *f, const tr_why *w, const char *path, const tr_query *q, const tr_query_vocab *v)
{
	tr_printer_ctx c = { v->districts, v->topics, q, NULL, false, NULL };
	tr_meta_origin o[TR_META_COUNT];
	char *shown = tr_text_printable_dup(path);

	fprintf(f, "Datei: %s\n", shown ? shown : "");
	free(shown);
	if (!w->indexed) {
		print_not_indexed(f, w, path);
		return WHY_EXIT_NOT_INDEXED;
	}
	if (tr_hit_meta_origins(w->hit, o) != TR_OK)
		return TR_EXIT_ERROR;
	fprintf(f, "Titel: %s\n", w->hit->title);
	if (w->found && w->rank)
		fprintf(f, "Ergebnis: gefunden, Platz %u unter den passenden Dateien\n", w->rank);
	else if (w->found)
		fprintf(f, "Ergebnis: gefunden (nach Platz 10000)\n");
	else {
		fprintf(f, "Ergebnis: nicht gefunden\nWarum nicht:\n");
		print_reasons(f, w, q, v, o, &c);
	}
	fprintf(f, "%s\n", w->found ? "Warum gefunden:" : "Was passt:");
	print_matching(f, w, o, &c);
	tr_meta_origins_clear(o);
	return w->found ? TR_EXIT_OK : WHY_EXIT_NOT_FOUND;
}

/* ---- JSON (tellerrand why --format json; docs/json.md) ---- */

/* The filters the search has: what each asks for and whether the document passes it. */
static json_t *
why_filters_json(const tr_why *w, const tr_query *q)
{
	static const char *const names[TR_WHY_FILTERS] = { "kreis", "typ", "thema", "datum" };
	json_t *a = json_array();

	for (int k = 0; a && k < TR_WHY_FILTERS; k++) {
		json_t *wanted;
		if (!w->filtered[k])
			continue;
		if (k == TR_FACET_DISTRICT)
			wanted = tr_print_strings_json(q->districts, q->n_districts);
		else if (k == TR_FACET_TYPE)
			wanted = tr_print_strings_json(q->types, q->n_types);
		else if (k == TR_FACET_TOPIC)
			wanted = tr_print_strings_json(q->topics, q->n_topics);
		else
			wanted = json_pack("{s:s?,s:s?}", "von", q->from[0] ? q->from : NULL, "bis", q->to[0] ? q->to : NULL);
		json_array_append_new(a, json_pack("{s:s,s:o,s:b}", "filter", names[k], "wanted", wanted,
		                                   "passes", w->passes[k]));
	}
	return a;
}

/* Each word of the search: found or not, and every form searched for it (those the document has first). */
static json_t *
why_words_json(const tr_why *w)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < w->n_words; i++) {
		const tr_why_word *ww = &w->words[i];
		json_t *forms = json_array();
		for (size_t j = 0; forms && j < ww->n_forms; j++) {
			json_t *m = tr_explain_match_json(&ww->forms[j]);
			if (m)
				json_object_set_new(m, "in_document", json_boolean(j < ww->n_found));
			json_array_append_new(forms, m);
		}
		json_array_append_new(a, json_pack("{s:s,s:b,s:b,s:o}", "word", ww->word, "negated", ww->negated,
		                                   "found", ww->found, "forms", forms));
	}
	return a;
}

/* The whole answer as one JSON object; returns the exit code. */
static int
print_why_json(FILE *f, const tr_why *w, const char *path, const tr_query *q, const tr_query_vocab *v)
{
	tr_printer_ctx c = { v->districts, v->topics, q, NULL, false, NULL };
	char *shown = tr_text_printable_dup(path);
	json_t *o = json_pack("{s:i,s:s,s:s}", "version", 1, "path", shown ? shown : "", "query", q->text);
	int ret = !w->indexed ? WHY_EXIT_NOT_INDEXED : w->found ? TR_EXIT_OK : WHY_EXIT_NOT_FOUND;

	free(shown);
	if (!o)
		return TR_EXIT_ERROR;
	json_object_set_new(o, "result", json_string(ret == TR_EXIT_OK ? "found" : ret == WHY_EXIT_NOT_FOUND ?
	                                             "not_found" : "not_indexed"));
	if (!w->indexed) {
		const char *key;
		char *reason = not_indexed_reason(w, path, &key);
		json_object_set_new(o, "not_indexed", json_pack("{s:s,s:s}", "reason", key, "message",
		                                                reason ? reason : tr_strerror(TR_ENOMEM)));
		free(reason);
	} else {
		json_object_set_new(o, "title", json_string(w->hit->title));
		json_object_set_new(o, "rank", w->found && w->rank ? json_integer(w->rank) : json_null());
		json_object_set_new(o, "internal", json_boolean(w->internal));
		json_object_set_new(o, "visible", json_boolean(w->visible));
		json_object_set_new(o, "words_match", json_boolean(w->words_match));
		json_object_set_new(o, "filters", why_filters_json(w, q));
		json_object_set_new(o, "words", why_words_json(w));
		json_object_set_new(o, "explain", tr_explain_json(w->hit, &c));
	}
	if (json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 || fputc('\n', f) == EOF)
		ret = TR_EXIT_ERROR;
	json_decref(o);
	return ret;
}

/* Opens the index and asks it about @path; returns an exit code. */
static int
ask(why_args *a, const char *path, const tr_query *q, const tr_query_vocab *vocab)
{
	tr_db *db = NULL;
	tr_why *w = NULL;
	char *err = NULL;
	int ret;
	tr_status st = tr_db_open(&db, tr_cli_db_path(a->db), TR_DB_READ, &err);

	if (st != TR_OK) {
		tr_cli_error("why", st == TR_ENOTFOUND ? "kein Index gefunden" : "Index lässt sich nicht öffnen",
		             tr_cli_db_path(a->db));
		free(err);
		return TR_EXIT_ERROR;
	}
	tr_query_to_search(q, &a->search);
	st = tr_db_why(db, &a->search, path, &w);
	if (st == TR_EMODIFIED && tr_db_reopen(db) == TR_OK)
		st = tr_db_why(db, &a->search, path, &w);
	if (st == TR_OK)
		ret = a->json ? print_why_json(stdout, w, path, q, vocab) : print_why(stdout, w, path, q, vocab);
	else {
		tr_cli_error("why", st == TR_EBADQUERY ? tr_query_engine_message(tr_db_errmsg(db)) :
		             st == TR_ETOOBIG ? tr_db_errmsg(db) : tr_strerror(st), NULL);
		ret = tr_cli_exit_code(st);
	}
	tr_why_free(w);
	tr_db_free(db);
	return ret;
}

int
cmd_why(int argc, char **argv)
{
	why_args a;
	char **words = calloc((size_t)argc + 1, sizeof *words);
	int nwords = 0, exit_now = TR_EXIT_OK, ret = TR_EXIT_OK;
	tr_districts *districts = NULL;
	tr_topics *topics = NULL;
	tr_config *config = NULL;
	tr_buf text = TR_BUF_INIT(1 << 20);
	char *path = NULL;
	tr_query q;

	memset(&a, 0, sizeof a);
	a.search = (tr_search)TR_SEARCH_INIT;
	a.search.internal = true;
	a.search.explain = true;
	tr_query_init(&q);
	if (!words) {
		tr_cli_error("why", tr_strerror(TR_ENOMEM), NULL);
		return TR_EXIT_ERROR;
	}
	if (!tr_cli_parse_all(argc, argv, cmd_why_options, "[OPTIONEN] PFAD [SUCHWÖRTER...]",
	                      "Erklärt, warum eine Suche eine Datei findet oder nicht: ob sie im Index ist,\n"
	                      "welche Suchwörter in welcher Form vorkommen, welcher Filter sie ausschließt\n"
	                      "und woher ihr Datum, ihr Landkreis und ihr Typ stammen.\n"
	                      "Exit-Codes: 0 gefunden, 3 nicht gefunden, 4 nicht im Index, 1 Fehler, 2 falscher Aufruf.",
	                      why_set, &a, words, &nwords, &config, &exit_now)) {
		ret = exit_now;
		goto done;
	}
	if (nwords < 1) {
		tr_cli_usage_error("why", "PFAD fehlt");
		ret = TR_EXIT_USAGE;
		goto done;
	}
	if (tr_cli_load_data("why", tr_cli_data_dir(a.data_dir), &districts, &topics) != TR_OK) {
		ret = TR_EXIT_ERROR;
		goto done;
	}
	{
		tr_query_vocab vocab = { districts, topics };
		if ((ret = tr_cli_query_build("why", &q, &vocab, &a.filters, words + 1, nwords - 1, &text)) != TR_EXIT_OK)
			goto done;
		if (!(path = absolute(words[0]))) {
			tr_cli_error("why", tr_strerror(TR_ENOMEM), NULL);
			ret = TR_EXIT_ERROR;
			goto done;
		}
		ret = ask(&a, path, &q, &vocab);
	}
done:
	free(path);
	tr_query_clear(&q);
	tr_districts_free(districts);
	tr_topics_free(topics);
	tr_buf_free(&text);
	tr_config_free(config);
	free(words);
	return ret;
}
