/* tellerrand index: read files and folders into the index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tellerrand/db.h"
#include "tellerrand/index.h"

enum { OPT_DB, OPT_DATA_DIR, OPT_MAX_SIZE, OPT_BATCH, OPT_INTERNAL, OPT_QUIET, OPT_VERBOSE };

static const tr_option options[] = {
	[OPT_DB]       = { "db", 'd', "DIR", "Index-Verzeichnis (wird angelegt, wenn es fehlt)", "$TELLERRAND_DB oder ./tellerrand-index" },
	[OPT_DATA_DIR] = { "data-dir", 0, "DIR", "Verzeichnis mit Gemeindeverzeichnis und Themenliste", "$TELLERRAND_DATA_DIR oder die installierten Daten" },
	[OPT_MAX_SIZE] = { "max-size", 0, "MB", "Größere Dateien überspringen", "64" },
	[OPT_BATCH]    = { "batch", 0, "N", "Dokumente je Speicherschritt (commit)", "500" },
	[OPT_INTERNAL] = { "internal", 0, NULL, "Dokumente als intern markieren (nur mit Berechtigung sichtbar)", NULL },
	[OPT_QUIET]    = { "quiet", 'q', NULL, "Nur Fehler melden", NULL },
	[OPT_VERBOSE]  = { "verbose", 'v', NULL, "Jede Datei mit erkannten Metadaten melden", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

typedef struct index_args {
	const char *db;
	const char *data_dir;
	tr_index_options opts;
	int verbosity;        /* -1 quiet, 0 normal, 1 verbose */
} index_args;

static bool
index_set(void *ctx, int opt, const char *value)
{
	index_args *a = ctx;
	unsigned long v;

	switch (opt) {
	case OPT_DB:       a->db = value; return true;
	case OPT_DATA_DIR: a->data_dir = value; return true;
	case OPT_MAX_SIZE:
		if (!tr_cli_parse_uint("index", "max-size", value, 1, 1UL << 20, &v))
			return false;
		a->opts.max_file_size = (size_t)v << 20;
		return true;
	case OPT_BATCH:
		if (!tr_cli_parse_uint("index", "batch", value, 1, 1000000, &v))
			return false;
		a->opts.batch_size = (unsigned)v;
		return true;
	case OPT_INTERNAL: a->opts.internal = true; return true;
	case OPT_QUIET:    a->verbosity = -1; return true;
	case OPT_VERBOSE:  a->verbosity = 1; return true;
	}
	return false;
}

static void
index_log(tr_log_level level, const char *msg, void *ctx)
{
	const index_args *a = ctx;

	if (level == TR_LOG_ERROR || (level == TR_LOG_WARN && a->verbosity >= 0) ||
	    (level == TR_LOG_INFO && a->verbosity > 0))
		fprintf(stderr, "%s\n", msg);
}

int
cmd_index(int argc, char **argv)
{
	index_args a = { NULL, NULL, TR_INDEX_OPTIONS_INIT, 0 };
	char **paths = calloc((size_t)argc + 1, sizeof *paths);
	int npaths = 0, exit_now = TR_EXIT_OK, ret = TR_EXIT_OK;
	tr_districts *districts = NULL;
	tr_topics *topics = NULL;
	tr_db *db = NULL;
	tr_index_stats stats;
	char *err = NULL;
	unsigned count = 0;
	tr_status st;

	if (!paths) {
		tr_cli_error("index", tr_strerror(TR_ENOMEM), NULL);
		return TR_EXIT_ERROR;
	}
	if (!tr_cli_parse(argc, argv, options, "[OPTIONEN] PFAD...",
	                  "Liest Dateien und Ordner (rekursiv) in den Suchindex ein. Bereits\n"
	                  "indexierte Dateien werden ersetzt, nie doppelt gespeichert.",
	                  index_set, &a, paths, &npaths, &exit_now)) {
		ret = exit_now;
		goto done;
	}
	if (npaths == 0) {
		tr_cli_error("index", "kein Pfad angegeben", "Aufruf: tellerrand index [OPTIONEN] PFAD...");
		ret = TR_EXIT_USAGE;
		goto done;
	}
	a.db = tr_cli_db_path(a.db);
	if (tr_cli_load_data("index", tr_cli_data_dir(a.data_dir), &districts, &topics) != TR_OK) {
		ret = TR_EXIT_ERROR;
		goto done;
	}
	/* A path that does not exist is an error of the run, but the others are still indexed. */
	for (int i = 0; i < npaths; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) < 0) {
			tr_cli_error("index", "Pfad nicht gefunden", paths[i]);
			ret = TR_EXIT_ERROR;
			memmove(paths + i, paths + i + 1, (size_t)(npaths - i - 1) * sizeof *paths);
			npaths--;
			i--;
		}
	}
	st = tr_db_open(&db, a.db, TR_DB_WRITE, &err);
	if (st == TR_ELOCKED) {
		tr_cli_error("index", "Index wird gerade aktualisiert (gesperrt)", a.db);
		ret = TR_EXIT_LOCKED;
		goto done;
	}
	if (st != TR_OK) {
		tr_cli_error("index", "Index lässt sich nicht öffnen", err ? err : tr_strerror(st));
		ret = TR_EXIT_ERROR;
		goto done;
	}
	a.opts.districts = districts;
	a.opts.topics = topics;
	a.opts.exclude_dir = a.db;
	a.opts.log = index_log;
	a.opts.log_ctx = &a;
	st = tr_index_paths(db, (const char *const *)paths, (size_t)npaths, &a.opts, &stats);
	if (st != TR_OK) {
		tr_cli_error("index", tr_strerror(st), tr_db_errmsg(db));
		ret = tr_cli_exit_code(st) == TR_EXIT_LOCKED ? TR_EXIT_LOCKED : TR_EXIT_ERROR;
	}
	if (st == TR_OK) {
		/* Recorded for `tellerrand status` and the nightly job's operators. */
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		if (localtime_r(&now, &tm) && strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm) &&
		    (tr_db_set_metadata(db, "last-index", stamp) != TR_OK || tr_db_commit(db) != TR_OK)) {
			tr_cli_error("index", tr_strerror(TR_EINTERNAL), tr_db_errmsg(db));
			ret = TR_EXIT_ERROR;
		}
	}
	tr_db_doccount(db, &count);
	if (a.verbosity >= 0 || ret != TR_EXIT_OK)
		printf("%u indexiert, %u übersprungen, %u fehlgeschlagen; der Index %s enthält %u Dokumente.\n",
		       stats.indexed, stats.skipped, stats.failed, a.db, count);
done:
	tr_db_free(db);
	tr_districts_free(districts);
	tr_topics_free(topics);
	free(err);
	free(paths);
	return ret;
}
