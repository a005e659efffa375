/* tellerrand query: search the index by words, district, type, topic and date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "explain_print.h"
#include "printer.h"
#include "query.h"
#include "similar.h"
#include "tellerrand/db.h"

enum {
	OPT_CONFIG, OPT_DB, OPT_DATA_DIR, OPT_KREIS, OPT_TYP, OPT_THEMA, OPT_VON, OPT_BIS, OPT_JAHR,
	OPT_SORT, OPT_LIMIT, OPT_OFFSET, OPT_FORMAT, OPT_COLOR, OPT_SHARD_TIMEOUT,
	OPT_ALL_COPIES, OPT_NEU_SEIT, OPT_EXPLAIN, OPT_RULES_OFF, OPT_SIMILAR
};

const tr_option cmd_query_options[] = {
	[OPT_CONFIG]   = { "config", 'c', "DATEI", "Konfigurationsdatei", "$TELLERRAND_CONFIG oder /etc/tellerrand/tellerrand.conf" },
	[OPT_DB]       = { "db", 'd', "DIR", "Index-Verzeichnis", "$TELLERRAND_DB oder ./tellerrand-index" },
	[OPT_DATA_DIR] = { "data-dir", 0, "DIR", "Verzeichnis mit Gemeindeverzeichnis und Themenliste", "$TELLERRAND_DATA_DIR oder die installierten Daten" },
	[OPT_KREIS]    = { "kreis", 'k', "NAME", "Nur Dokumente zu diesem Landkreis / dieser Stadt (auch Gemeinde oder Kürzel; mehrfach = oder)", NULL },
	[OPT_TYP]      = { "typ", 't', "TYP", "Nur dieser Dokumenttyp (z. B. Pressemitteilung, Presseartikel, Protokoll, Vorlage, Bericht, Einladung; alle in data/types.tsv)", NULL },
	[OPT_THEMA]    = { "thema", 0, "THEMA", "Nur dieses Thema (z. B. Integration, Sprachförderung, Kita)", NULL },
	[OPT_VON]      = { "von", 0, "DATUM", "Nur Dokumente ab diesem Datum (15.09.2017, 2017-09-15, 2017)", NULL },
	[OPT_BIS]      = { "bis", 0, "DATUM", "Nur Dokumente bis zu diesem Datum", NULL },
	[OPT_JAHR]     = { "jahr", 0, "JAHR", "Nur Dokumente aus diesem Jahr (oder 2016..2018)", NULL },
	[OPT_SORT]     = { "sort", 's', "ART", "relevanz, datum (neueste zuerst) oder neu (zuletzt ins Archiv aufgenommen zuerst)", "relevanz; ohne Suchwörter datum; mit --neu-seit neu" },
	[OPT_LIMIT]    = { "limit", 'n', "N", "Höchstens N Treffer zeigen", "10" },
	[OPT_OFFSET]   = { "offset", 0, "N", "Die ersten N Treffer überspringen (zum Blättern)", "0" },
	[OPT_FORMAT]   = { "format", 'f', "FORMAT", "Ausgabe: text oder json", "text" },
	[OPT_COLOR]    = { "color", 0, "WANN", "Treffer hervorheben: auto, always, never", "auto" },
	[OPT_SHARD_TIMEOUT] = { "shard-timeout", 0, "MS", "Zeitlimit je entferntem Teilindex in Millisekunden; 0 = keines (docs/shards.md)", "10000" },
	[OPT_ALL_COPIES] = { "alle-fassungen", 0, NULL, "Jede Datei als eigenen Treffer zeigen, auch Kopien desselben Textes (sonst: ein Treffer je Text, „auch als“)", NULL },
	[OPT_NEU_SEIT] = { "neu-seit", 0, "WANN", "Nur Dokumente, die seit dann ins Archiv aufgenommen wurden, neueste zuerst (heute, gestern, 7tage, 2wochen, 1.12.2026, 2026-12-01 14:30)", NULL },
	[OPT_EXPLAIN] = { "explain", 0, NULL, "Zu jedem Treffer zeigen, warum er gefunden wurde: welches Suchwort in welcher Form (Wortstamm, Wortteil, Umlaut, Geschlechtsform, Thesaurus), woher Datum, Landkreis und Typ stammen", NULL },
	[OPT_RULES_OFF] = { "ohne", 0, "REGEL", "Diese Erweiterung der Suchwörter weglassen: stamm, wortteil, umlaut, umschreibung, geschlecht, thesaurus (mehrfach oder mit Komma)", NULL },
	[OPT_SIMILAR] = { "aehnlich", 0, "PFAD|NR", "Ähnliche Dokumente: die Dokumente, die die kennzeichnenden Wörter dieses Dokuments (Pfad oder Nummer) teilen; Suchwörter und Filter grenzen weiter ein", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

typedef struct query_args {
	const char *db;
	const char *data_dir;
	tr_cli_filters filters;      /* --kreis, --typ, ... as given */
	tr_search search;
	tr_db_options db_options;
	const char *similar;  /* --aehnlich: a path or document id */
	bool json;
	int color;            /* -1 never, 0 auto, 1 always */
} query_args;

static bool
query_set(void *ctx, int opt, const char *value)
{
	query_args *a = ctx;
	unsigned long v;

	switch (opt) {
	case OPT_CONFIG:   return true;  /* read before the other options */
	case OPT_DB:       a->db = value; return true;
	case OPT_DATA_DIR: a->data_dir = value; return true;
	case OPT_KREIS: case OPT_TYP: case OPT_THEMA: case OPT_VON: case OPT_BIS: case OPT_JAHR: case OPT_NEU_SEIT:
		/* Resolved once the data files are loaded. */
		return tr_cli_filters_add(&a->filters, "query", cmd_query_options[opt].name, value);
	case OPT_SORT:
		if (strcmp(value, "relevanz") == 0 || strcmp(value, "relevance") == 0)
			a->search.sort = TR_SORT_RELEVANCE;
		else if (strcmp(value, "datum") == 0 || strcmp(value, "date") == 0)
			a->search.sort = TR_SORT_DATE;
		else if (strcmp(value, "neu") == 0 || strcmp(value, "added") == 0)
			a->search.sort = TR_SORT_ADDED;
		else {
			tr_cli_usage_error("query", "ungültige Sortierung: %s (erwartet: relevanz, datum oder neu)", value);
			return false;
		}
		return true;
	case OPT_LIMIT:
		if (!tr_cli_parse_uint("query", "limit", value, 0, 1000000, &v))
			return false;
		a->search.limit = (unsigned)v;
		return true;
	case OPT_OFFSET:
		if (!tr_cli_parse_uint("query", "offset", value, 0, 10000000, &v))
			return false;
		a->search.offset = (unsigned)v;
		return true;
	case OPT_FORMAT:
		if (strcmp(value, "json") == 0)
			a->json = true;
		else if (strcmp(value, "text") == 0)
			a->json = false;
		else {
			tr_cli_usage_error("query", "ungültiges Format: %s (erwartet: text oder json)", value);
			return false;
		}
		return true;
	case OPT_SHARD_TIMEOUT:
		if (!tr_cli_parse_uint("query", "shard-timeout", value, 0, 3600000, &v))
			return false;
		a->db_options.remote_timeout = (unsigned)v;
		return true;
	case OPT_ALL_COPIES:
		a->search.all_copies = true;
		return true;
	case OPT_EXPLAIN:
		a->search.explain = true;
		return true;
	case OPT_RULES_OFF:
		if (tr_explain_parse_rules(value, &a->search.rules_off) != TR_OK) {
			tr_cli_usage_error("query", "unbekannte Regel in --ohne: %s (gültig: stamm, wortteil, umlaut, umschreibung, geschlecht, thesaurus)", value);
			return false;
		}
		return true;
	case OPT_SIMILAR:
		a->similar = value;
		return true;
	case OPT_COLOR:
		if (strcmp(value, "always") == 0)
			a->color = 1;
		else if (strcmp(value, "never") == 0)
			a->color = -1;
		else if (strcmp(value, "auto") == 0)
			a->color = 0;
		else {
			tr_cli_usage_error("query", "ungültiger Wert für --color: %s (auto, always, never)", value);
			return false;
		}
		return true;
	}
	return false;
}

/* Opens the index of --db (or its default) into *db; 0 or the exit code. */
static int
open_index(tr_db **db, query_args *a)
{
	char *err = NULL;
	tr_status st;

	a->db = tr_cli_db_path(a->db);
	st = tr_db_open_with(db, a->db, TR_DB_READ, &a->db_options, &err);
	if (st != TR_OK) {
		if (st == TR_ENOTFOUND)
			fprintf(stderr, "tellerrand query: kein Index gefunden: %s (zuerst 'tellerrand index --db %s ORDNER' ausführen)\n",
			        a->db, a->db);
		else
			tr_cli_db_error("query", st, st == TR_EREMOTE ? "Teilindex nicht erreichbar" :
			                "Index lässt sich nicht öffnen", err ? err : tr_strerror(st));
	}
	free(err);
	return st == TR_OK ? TR_EXIT_OK : TR_EXIT_ERROR;
}

/* Runs the search into *results; 0 or the exit code. */
static int
run_search(tr_db *db, const tr_search *search, tr_results **results)
{
	tr_status st = tr_db_search(db, search, results);

	/*
	 * A reindex may commit under our feet, and a --full swaps the whole
	 * index (or set) and removes the old one: a table Xapian opens only
	 * when first needed is then gone (not found) or belongs to the new
	 * index (read as damage).  One reopen reads the index now at that
	 * path; a real damage fails the second time too.
	 */
	if ((st == TR_EMODIFIED || st == TR_ENOTFOUND || st == TR_ECORRUPT) && tr_db_reopen(db) == TR_OK)
		st = tr_db_search(db, search, results);
	if (st == TR_ETOOBIG) {
		/* The core's message is German and for the user: the same as the server's 400. */
		tr_cli_error("query", tr_db_errmsg(db), NULL);
	} else if (st == TR_EBADQUERY) {
		tr_cli_error("query", tr_query_engine_message(tr_db_errmsg(db)), NULL);
	} else if (st != TR_OK) {
		tr_cli_db_error("query", st, st == TR_EREMOTE ? "Teilindex nicht erreichbar" : tr_strerror(st),
		                tr_db_errmsg(db));
	}
	return st == TR_OK ? TR_EXIT_OK : tr_cli_exit_code(st);
}

/* Prints @results as text or JSON; 0 or the exit code. */
static int
print_results(const tr_results *results, const tr_printer_ctx *pc, bool json)
{
	int ret = TR_EXIT_OK;

	if (json) {
		json_t *o = tr_print_json(results, pc);
		if (!o || json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
			tr_cli_error("query", tr_strerror(TR_ENOMEM), NULL);
			ret = TR_EXIT_ERROR;
		}
		fputc('\n', stdout);
		json_decref(o);
	} else {
		tr_print_text(stdout, results, pc);
	}
	return ret;
}

/* --aehnlich: the document it names becomes the search's similar_to; an exit code. */
static int
similar_seed(tr_db *db, query_args *a, tr_hit **seed)
{
	char *err = NULL;
	tr_status st = tr_similar_resolve(db, a->similar, a->search.internal, seed, &err);

	if (st != TR_OK) {
		tr_cli_db_error("query", st, err ? err : tr_strerror(st), err ? NULL : tr_db_errmsg(db));
		free(err);
		return tr_cli_exit_code(st);
	}
	a->search.similar_to = (*seed)->docid;
	return TR_EXIT_OK;
}

int
cmd_query(int argc, char **argv)
{
	query_args a;
	char **words = calloc((size_t)argc + 1, sizeof *words);
	int nwords = 0, exit_now = TR_EXIT_OK, ret = TR_EXIT_OK;
	tr_districts *districts = NULL;
	tr_topics *topics = NULL;
	tr_db *db = NULL;
	tr_results *results = NULL;
	tr_hit *seed = NULL;
	tr_query q;
	tr_buf text = TR_BUF_INIT(1 << 20);
	tr_config *config = NULL;

	memset(&a, 0, sizeof a);
	a.search = (tr_search)TR_SEARCH_INIT;
	a.db_options = (tr_db_options)TR_DB_OPTIONS_INIT;
	/* Whoever can run the command can read the index files: no document is hidden. */
	a.search.internal = true;
	tr_query_init(&q);
	if (!words) {
		tr_cli_error("query", tr_strerror(TR_ENOMEM), NULL);
		return TR_EXIT_ERROR;
	}
	if (!tr_cli_parse_all(argc, argv, cmd_query_options, "[OPTIONEN] [SUCHWÖRTER...]",
	                  "Sucht im Archiv. Suchwörter werden mit deutscher Stammformbildung gesucht;\n"
	                  "Dokumente mit allen Wörtern stehen vorn, fehlt eines, wird trotzdem gefunden.\n"
	                  "\"...\" sucht eine Wortfolge, AND/UND, OR/ODER, NOT/NICHT, +wort, -wort und\n"
	                  "wort* wirken wie gewohnt. Filter auch im Suchtext: kreis:meissen typ:protokoll\n"
	                  "thema:kita datum:01.09.2017..30.09.2017 jahr:2017 neu:7tage titel:wort.\n"
	                  "Ohne Suchwörter werden alle (gefilterten) Dokumente, neueste zuerst, gelistet.",
	                  query_set, &a, words, &nwords, &config, &exit_now)) {
		ret = exit_now;
		goto done;
	}
	if (tr_cli_load_data("query", tr_cli_data_dir(a.data_dir), &districts, &topics) != TR_OK) {
		ret = TR_EXIT_ERROR;
		goto done;
	}
	{
		tr_query_vocab vocab = { districts, topics };
		if ((ret = tr_cli_query_build("query", &q, &vocab, &a.filters, words, nwords, &text)) != TR_EXIT_OK)
			goto done;
	}
	if ((ret = open_index(&db, &a)) != TR_EXIT_OK)
		goto done;
	tr_query_to_search(&q, &a.search);
	if (a.similar && (ret = similar_seed(db, &a, &seed)) != TR_EXIT_OK)
		goto done;
	if ((ret = run_search(db, &a.search, &results)) != TR_EXIT_OK)
		goto done;
	{
		tr_printer_ctx pc = { districts, topics, &q, &a.search,
		                      a.color > 0 || (a.color == 0 && isatty(STDOUT_FILENO)), seed };
		ret = print_results(results, &pc, a.json);
	}
done:
	tr_results_free(results);
	tr_hit_free(seed);
	tr_db_free(db);
	tr_query_clear(&q);
	tr_districts_free(districts);
	tr_topics_free(topics);
	tr_buf_free(&text);
	tr_config_free(config);
	free(words);
	return ret;
}
