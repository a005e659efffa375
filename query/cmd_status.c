/* tellerrand status: what the index holds and when it was last updated. */
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "names.h"
#include "tellerrand/db.h"

enum { OPT_CONFIG, OPT_DB, OPT_SHARD_TIMEOUT, OPT_DATA_DIR };

const tr_option cmd_status_options[] = {
	[OPT_CONFIG] = { "config", 'c', "DATEI", "Konfigurationsdatei", "$TELLERRAND_CONFIG oder /etc/tellerrand/tellerrand.conf" },
	[OPT_DB]     = { "db", 'd', "DIR", "Index-Verzeichnis", "$TELLERRAND_DB oder ./tellerrand-index" },
	[OPT_SHARD_TIMEOUT] = { "shard-timeout", 0, "MS", "Zeitlimit je entferntem Teilindex in Millisekunden; 0 = keines (docs/shards.md)", "10000" },
	[OPT_DATA_DIR] = { "data-dir", 0, "DIR", "Verzeichnis mit Gemeindeverzeichnis und Themenliste (für die Namen)", "$TELLERRAND_DATA_DIR oder die installierten Daten" },
	{ NULL, 0, NULL, NULL, NULL }
};

typedef struct status_args {
	const char *db;
	const char *data_dir;
	tr_db_options db_options;
} status_args;

static bool
status_set(void *ctx, int opt, const char *value)
{
	status_args *a = ctx;
	unsigned long v;

	switch (opt) {
	case OPT_CONFIG: return true;  /* read before the other options */
	case OPT_DB:     a->db = value; return true;
	case OPT_DATA_DIR: a->data_dir = value; return true;
	case OPT_SHARD_TIMEOUT:
		if (!tr_cli_parse_uint("status", "shard-timeout", value, 0, 3600000, &v))
			return false;
		a->db_options.remote_timeout = (unsigned)v;
		return true;
	}
	return false;
}

static unsigned long long du_total;

static int
du_add(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F)
		du_total += (unsigned long long)sb->st_size;
	return 0;
}

/* The last run as `tellerrand index` recorded it (metadata "last-run"). */
static void
print_last_run(const char *json)
{
	json_t *o = json_loads(json, 0, NULL), *c, *roots, *r;
	size_t i;

	if (!o)
		return;
	c = json_object_get(o, "counts");
	printf("%-18s %s, %.1f s%s\n", "Letzter Lauf:", json_string_value(json_object_get(o, "finished")),
	       json_number_value(json_object_get(o, "duration_s")),
	       json_is_true(json_object_get(o, "interrupted")) ? ", abgebrochen" : "");
	printf("%-18s %lld neu, %lld geändert, %lld gelöscht, %lld unverändert, %lld übersprungen, %lld fehlgeschlagen\n", "",
	       json_integer_value(json_object_get(c, "added")),
	       json_integer_value(json_object_get(c, "updated")) + json_integer_value(json_object_get(c, "touched")),
	       json_integer_value(json_object_get(c, "deleted")), json_integer_value(json_object_get(c, "unchanged")),
	       json_integer_value(json_object_get(c, "skipped")), json_integer_value(json_object_get(c, "failed")));
	roots = json_object_get(o, "roots");
	json_array_foreach(roots, i, r)
		printf("%-18s %s (%s)\n", i ? "" : "Ordner:", json_string_value(json_object_get(r, "path")),
		       json_is_true(json_object_get(r, "available")) ? "verfügbar" : "nicht verfügbar");
	json_decref(o);
}

static void
print_counts(const tr_results *r, const tr_query_vocab *v, tr_facet_kind k, const char *label)
{
	printf("%-18s", label);
	if (!r->n_facets[k])
		printf(" –");
	for (size_t i = 0; i < r->n_facets[k]; i++)
		printf("%s %s (%u)", i ? "," : "", tr_display_name(v, k, r->facets[k][i].value),
		       r->facets[k][i].count);
	putchar('\n');
}

int
cmd_status(int argc, char **argv)
{
	status_args a = { NULL, NULL, TR_DB_OPTIONS_INIT };
	tr_districts *districts = NULL;
	tr_topics *topics = NULL;
	const char *dbpath;
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0, exit_now = TR_EXIT_OK, ret = TR_EXIT_OK;
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;
	tr_db *db = NULL;
	char *err = NULL, *last = NULL, *run = NULL;
	tr_config *config = NULL;
	tr_status st;

	if (!rest) {
		tr_cli_error("status", tr_strerror(TR_ENOMEM), NULL);
		return TR_EXIT_ERROR;
	}
	if (!tr_cli_parse_all(argc, argv, cmd_status_options, "[--db DIR]",
	                  "Zeigt, wie viele Dokumente der Index enthält (je Typ, Landkreis und Jahr)\n"
	                  "und wann er zuletzt aktualisiert wurde.",
	                  status_set, &a, rest, &nrest, &config, &exit_now)) {
		ret = exit_now;
		goto done;
	}
	if (nrest) {
		tr_cli_error("status", "unerwartetes Argument", rest[0]);
		ret = TR_EXIT_USAGE;
		goto done;
	}
	if (tr_cli_load_data("status", tr_cli_data_dir(a.data_dir), &districts, &topics) != TR_OK) {
		ret = TR_EXIT_ERROR;
		goto done;
	}
	dbpath = tr_cli_db_path(a.db);
	st = tr_db_open_with(&db, dbpath, TR_DB_READ, &a.db_options, &err);
	if (st != TR_OK) {
		tr_cli_db_error("status", st, st == TR_ENOTFOUND ? "kein Index gefunden" :
		                       st == TR_EREMOTE ? "Teilindex nicht erreichbar" : "Index lässt sich nicht öffnen",
		             st == TR_ENOTFOUND ? dbpath : (err ? err : tr_strerror(st)));
		ret = TR_EXIT_ERROR;
		goto done;
	}
	q.limit = 0;
	q.snippet_length = 0;
	q.spelling = false;
	q.internal = true;
	q.count_max = UINT_MAX;   /* the whole index, counted exactly */
	q.all_copies = true;      /* files, not texts: what the index holds */
	if ((st = tr_db_search(db, &q, &r)) != TR_OK ||
	    (st = tr_db_get_metadata(db, "last-index", &last)) != TR_OK ||
	    (st = tr_db_get_metadata(db, "last-run", &run)) != TR_OK) {
		tr_cli_db_error("status", st, tr_strerror(st), tr_db_errmsg(db));
		ret = TR_EXIT_ERROR;
		goto done;
	}
	printf("%-18s %s\n", "Index:", dbpath);
	printf("%-18s %u\n", "Dokumente:", r->doccount);
	/* A shard set: how the documents are spread, so that an empty or missing shard shows. */
	for (size_t i = 0; tr_db_part_count(db) > 1 && i < tr_db_part_count(db); i++) {
		char *name = NULL;
		unsigned n = 0;
		if (tr_db_part_info(db, i, &name, &n) == TR_OK)
			printf("%-18s %s: %u\n", i ? "" : "Teilindizes:", name, n);
		free(name);
	}
	du_total = 0;
	nftw(dbpath, du_add, 16, FTW_PHYS);
	printf("Größe:             %.1f MB\n", (double)du_total / 1e6);
	printf("%-18s %s\n", "Zuletzt indexiert:", last && *last ? last : "unbekannt");
	if (run && *run)
		print_last_run(run);
	{
		tr_query_vocab v = { districts, topics };
		print_counts(r, &v, TR_FACET_TYPE, "Dokumenttypen:");
		print_counts(r, &v, TR_FACET_DISTRICT, "Landkreise:");
		print_counts(r, &v, TR_FACET_YEAR, "Jahre:");
	}
done:
	tr_results_free(r);
	tr_db_free(db);
	free(last);
	free(run);
	free(err);
	tr_config_free(config);
	tr_districts_free(districts);
	tr_topics_free(topics);
	free(rest);
	return ret;
}
