/* tellerrand index: bring the index up to date with the archive. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "german.h"
#include "text.h"
#include "tellerrand/db.h"
#include "tellerrand/index.h"
#include "newsince.h"
#include "saved.h"

enum {
	OPT_CONFIG, OPT_DB, OPT_DATA_DIR, OPT_FULL, OPT_DRY_RUN, OPT_JOBS, OPT_TIMEOUT, OPT_MAX_SIZE,
	OPT_BATCH, OPT_SHARDS, OPT_INTERNAL, OPT_REPORT, OPT_QUIET, OPT_VERBOSE,
	OPT_OCR, OPT_NO_OCR, OPT_OCR_TIMEOUT, OPT_OCR_CACHE, OPT_WRITERS
};

const tr_option cmd_index_options[] = {
	[OPT_CONFIG]   = { "config", 'c', "DATEI", "Konfigurationsdatei (Index, Ordner, Voreinstellungen)", "$TELLERRAND_CONFIG oder /etc/tellerrand/tellerrand.conf" },
	[OPT_DB]       = { "db", 'd', "DIR", "Index-Verzeichnis (wird angelegt, wenn es fehlt)", "$TELLERRAND_DB oder ./tellerrand-index" },
	[OPT_DATA_DIR] = { "data-dir", 0, "DIR", "Verzeichnis mit Gemeindeverzeichnis und Themenliste", "$TELLERRAND_DATA_DIR oder die installierten Daten" },
	[OPT_FULL]     = { "full", 0, NULL, "Alles neu aufbauen (neben dem alten Index, dann austauschen)", NULL },
	[OPT_DRY_RUN]  = { "dry-run", 'n', NULL, "Nur anzeigen, was neu, geändert und gelöscht würde", NULL },
	[OPT_JOBS]     = { "jobs", 'j', "N", "Leseprozesse", "Anzahl der Prozessorkerne" },
	[OPT_TIMEOUT]  = { "timeout", 0, "SEK", "Zeitlimit je Datei; 0 = keines", "30" },
	[OPT_MAX_SIZE] = { "max-size", 0, "MB", "Größere Dateien überspringen", "64" },
	[OPT_BATCH]    = { "batch", 0, "N", "Dokumente je Speicherschritt (commit)", "250" },
	[OPT_SHARDS]   = { "shards", 0, "N|kreis", "Neuer Index als Satz von N Teilindizes (nach Pfad verteilt) oder je [shard]-Gruppe von Landkreisen (docs/shards.md)", "ein Index" },
	[OPT_INTERNAL] = { "internal", 0, NULL, "Dokumente der angegebenen Pfade als intern markieren", NULL },
	[OPT_REPORT]   = { "report", 0, "DATEI", "Bericht des Laufs als JSON schreiben", NULL },
	[OPT_QUIET]    = { "quiet", 'q', NULL, "Nur Fehler melden", NULL },
	[OPT_VERBOSE]  = { "verbose", 'v', NULL, "Jede Datei melden", NULL },
	[OPT_OCR]      = { "ocr", 0, NULL, "Scans (Bilder, PDF-Seiten ohne Text) per Texterkennung lesen", "an" },
	[OPT_NO_OCR]   = { "no-ocr", 0, NULL, "Keine Texterkennung: Bilder werden übersprungen", NULL },
	[OPT_OCR_TIMEOUT] = { "ocr-timeout", 0, "SEK", "Zeitlimit der Texterkennung je Seite; 0 = keines", "60" },
	[OPT_OCR_CACHE] = { "ocr-cache", 0, "MB", "Größe des OCR-Zwischenspeichers neben dem Index (.INDEX.ocr)", "256" },
	[OPT_WRITERS]  = { "writers", 0, "N", "Schreiber eines vollen Laufs in einen leeren Index: 1, oder 2 Teile, am Ende zusammengeführt", "2 ab 500 Dateien" },
	{ NULL, 0, NULL, NULL, NULL, }
};

/* The lean `tellerrand` (cli/tellerrand.c) compiles only the table above: config files and --help need it. */
#ifndef TR_CLI_OPTIONS_ONLY

/* The data files whose content shapes the index; a change re-reads every document. */
static const char *const data_files[] = { "districts.tsv", "gazetteer-sachsen.tsv", "topics.tsv" };

typedef struct index_args {
	const char *db;
	const char *data_dir;
	tr_districts *districts;  /* loaded when the first file must be read */
	tr_topics *topics;
	const char *report;
	const char *shards;       /* --shards as given */
	tr_index_options opts;
	bool full, dry_run, internal;
	int verbosity;            /* -1 quiet, 0 normal, 1 verbose */
	/* run state */
	bool tty;
	int64_t started_ms, last_progress_ms;
	size_t done, total;       /* files, as the last progress call said */
	unsigned ocr_started;     /* pages workers began to recognise */
	size_t ocr_cache_max;     /* bytes */
	char *ocr_cache;          /* INDEX.ocr */
	json_t *rep;              /* the report being built */
} index_args;

static volatile int stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Loads the district registry and the topics for the workers (tr_index_options.need_data). */
static tr_status
index_need_data(void *ctx)
{
	index_args *a = ctx;
	tr_status st = tr_cli_load_data("index", tr_cli_data_dir(a->data_dir), &a->districts, &a->topics);

	a->opts.districts = a->districts;
	a->opts.topics = a->topics;
	return st;
}

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
index_set(void *ctx, int opt, const char *value)
{
	index_args *a = ctx;
	unsigned long v;

	switch (opt) {
	case OPT_CONFIG:   return true;  /* read before the other options */
	case OPT_DB:       a->db = value; return true;
	case OPT_DATA_DIR: a->data_dir = value; return true;
	case OPT_FULL:     a->full = true; return true;
	case OPT_DRY_RUN:  a->dry_run = true; return true;
	case OPT_JOBS:
		if (!tr_cli_parse_uint("index", "jobs", value, 1, 256, &v))
			return false;
		a->opts.jobs = (unsigned)v;
		return true;
	case OPT_TIMEOUT:
		if (!tr_cli_parse_uint("index", "timeout", value, 0, 86400, &v))
			return false;
		a->opts.timeout = (unsigned)v;
		return true;
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
	case OPT_WRITERS:
		if (!tr_cli_parse_uint("index", "writers", value, 1, 2, &v))
			return false;
		a->opts.writers = (unsigned)v;
		return true;
	case OPT_SHARDS:
		v = strspn(value, "0123456789") == strlen(value) && strlen(value) <= 2 ? strtoul(value, NULL, 10) : 0;
		if (strcmp(value, "kreis") != 0 && (v < 2 || v > 64)) {
			tr_cli_usage_error("index", "ungültiger Wert für --shards: %s (erwartet: Zahl von 2 bis 64 oder kreis)", value);
			return false;
		}
		a->shards = value;
		return true;
	case OPT_INTERNAL: a->internal = true; return true;
	case OPT_REPORT:   a->report = value; return true;
	case OPT_QUIET:    a->verbosity = -1; return true;
	case OPT_VERBOSE:  a->verbosity = 1; return true;
	case OPT_OCR:      a->opts.ocr.enabled = true; return true;
	case OPT_NO_OCR:   a->opts.ocr.enabled = false; return true;
	case OPT_OCR_TIMEOUT:
		if (!tr_cli_parse_uint("index", "ocr-timeout", value, 0, 86400, &v))
			return false;
		a->opts.ocr.page_timeout = (unsigned)v;
		return true;
	case OPT_OCR_CACHE:
		if (!tr_cli_parse_uint("index", "ocr-cache", value, 0, 1UL << 20, &v))
			return false;
		a->ocr_cache_max = (size_t)v << 20;
		return true;
	}
	return false;
}

static void
clear_progress(index_args *a)
{
	if (a->tty && a->last_progress_ms)
		fputs("\r\033[K", stderr);
}

static void
index_log(tr_log_level level, const char *msg, void *ctx)
{
	index_args *a = ctx;

	if (level == TR_LOG_ERROR || (level == TR_LOG_WARN && a->verbosity >= 0) ||
	    (level >= TR_LOG_INFO && a->verbosity > 0)) {
		char *shown = tr_text_printable_dup(msg);

		clear_progress(a);
		fprintf(stderr, "%s\n", shown ? shown : msg);
		free(shown);
	}
}

/* A path for the JSON report: as it is if it is UTF-8, else readable (tr_text_printable). */
static json_t *
json_path(const char *path)
{
	char *shown;
	json_t *j;

	if (tr_text_is_utf8(path, strlen(path)))
		return json_string(path);
	shown = tr_text_printable_dup(path);
	j = shown ? json_string(shown) : NULL;
	free(shown);
	return j;
}

static const char *change_words[] = {
	[TR_CHANGE_ADDED] = "neu",
	[TR_CHANGE_UPDATED] = "geändert",
	[TR_CHANGE_DELETED] = "gelöscht",
	[TR_CHANGE_UNCHANGED] = "unverändert",
	[TR_CHANGE_TOUCHED] = "berührt, Inhalt gleich",
	[TR_CHANGE_SKIPPED] = "übersprungen",
	[TR_CHANGE_FAILED] = "übersprungen",
	[TR_CHANGE_UNAVAILABLE] = "nicht verfügbar",
};

static const char *report_keys[] = {
	[TR_CHANGE_ADDED] = "added",
	[TR_CHANGE_UPDATED] = "updated",
	[TR_CHANGE_DELETED] = "deleted",
	[TR_CHANGE_UNCHANGED] = NULL,   /* counted only: a list of every file helps nobody */
	[TR_CHANGE_TOUCHED] = "touched",
	[TR_CHANGE_SKIPPED] = "skipped",
	[TR_CHANGE_FAILED] = "failed",
	[TR_CHANGE_UNAVAILABLE] = "roots_unavailable",
};

static void
index_change(tr_change what, const char *path, const char *reason, void *ctx)
{
	index_args *a = ctx;
	/* File names and reasons are outside text: one readable line each, whatever their bytes. */
	char *p = tr_text_printable_dup(path), *r = reason ? tr_text_printable_dup(reason) : NULL;

	if (!p || (reason && !r))
		goto done;
	/* Lists of files only for a report file: kept for the whole run, they grow with the archive. */
	if (a->rep && report_keys[what] && (a->report || what == TR_CHANGE_UNAVAILABLE)) {
		json_t *list = json_object_get(a->rep, report_keys[what]);
		json_array_append_new(list, r ? json_pack("{s:o,s:s}", "path", json_path(path), "reason", r)
		                              : json_path(path));
	}
	if (what == TR_CHANGE_UNCHANGED && !(a->verbosity > 0 && a->dry_run))
		goto done;
	if (a->dry_run && what != TR_CHANGE_SKIPPED && what != TR_CHANGE_FAILED &&
	    what != TR_CHANGE_UNAVAILABLE) {
		/* The result of a dry run is the list itself. */
		printf("%s: %s\n", change_words[what], p);
		goto done;
	}
	clear_progress(a);
	if (what == TR_CHANGE_UNAVAILABLE)
		fprintf(stderr, "%s: Ordner nicht verfügbar – %s; seine Dokumente bleiben im Index\n", p, r);
	else if (r && a->verbosity >= 0)
		fprintf(stderr, "%s: %s – %s\n", p, change_words[what], r);
	else if (a->verbosity > 0)
		fprintf(stderr, "%s: %s\n", p, change_words[what]);
done:
	free(p);
	free(r);
}

/* Redraws the progress line; @current (may be NULL) is the file just done. */
static void
draw_progress(index_args *a, const char *current)
{
	int64_t now = now_ms();
	double rate, secs;
	size_t len = current ? strlen(current) : 0;

	if (!a->tty || a->verbosity < 0 || now - a->last_progress_ms < 200)
		return;
	a->last_progress_ms = now;
	secs = (double)(now - a->started_ms) / 1000.0;
	rate = secs > 0 ? (double)a->done / secs : 0;
	fprintf(stderr, "\r\033[K%zu/%zu Dateien · %.0f/s", a->done, a->total, rate);
	if (rate > 0 && a->total > a->done) {
		long left = (long)((double)(a->total - a->done) / rate);
		fprintf(stderr, " · noch %ld:%02ld", left / 60, left % 60);
	}
	if (a->ocr_started)
		fprintf(stderr, " · %u Seite%s OCR", a->ocr_started, a->ocr_started == 1 ? "" : "n");
	/* The end of a long path says most (cut at a character, shown readable). */
	{
		const char *tail = current + (len > 50 ? len - 50 : 0);
		char *shown;

		while (tail > current && ((unsigned char)*tail & 0xC0) == 0x80)
			tail--;
		shown = tr_text_printable_dup(tail);
		fprintf(stderr, " · %s%s", len > 50 ? "…" : "", shown ? shown : "");
		free(shown);
	}
	fflush(stderr);
}

static void
index_progress(size_t done, size_t total, const char *current, void *ctx)
{
	index_args *a = ctx;

	a->done = done;
	a->total = total;
	draw_progress(a, current);
}

/* A worker begins recognising a page (tr_index_options.ocr_page). */
static void
index_ocr_page(void *ctx)
{
	index_args *a = ctx;

	a->ocr_started++;
	draw_progress(a, NULL);
}

/* A fingerprint per data file and one for the whole: what the index was built with. */
static tr_status
fingerprints(const char *data_dir, char *whole, size_t wlen, json_t *parts)
{
	XXH64_state_t *all = XXH64_createState();
	char version[32];
	tr_status st = TR_OK;

	if (!all)
		return TR_ENOMEM;
	XXH64_reset(all, 0);
	snprintf(version, sizeof version, "format %d", TR_INDEX_FORMAT_VERSION);
	XXH64_update(all, version, strlen(version));
	json_object_set_new(parts, "format", json_string(version));
	for (size_t i = 0; i < sizeof data_files / sizeof data_files[0] && st == TR_OK; i++) {
		char *path = NULL, buf[65536], hex[17];
		XXH64_state_t *one = XXH64_createState();
		FILE *f;
		size_t n;

		if (!one || asprintf(&path, "%s/%s", data_dir, data_files[i]) < 0) {
			XXH64_freeState(one);
			st = TR_ENOMEM;
			break;
		}
		XXH64_reset(one, 0);
		f = fopen(path, "rb");
		if (f) {
			while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
				XXH64_update(one, buf, n);
				XXH64_update(all, buf, n);
			}
			fclose(f);
		}
		snprintf(hex, sizeof hex, "%016llx", (unsigned long long)XXH64_digest(one));
		json_object_set_new(parts, data_files[i], json_string(hex));
		XXH64_freeState(one);
		free(path);
	}
	{
		/* The embedded lexicon splits compounds and finds gender forms: a new one changes terms. */
		size_t len;
		const unsigned char *lexicon = tr__german_lexicon(&len);
		char hex[17];

		XXH64_update(all, lexicon, len);
		snprintf(hex, sizeof hex, "%016llx", (unsigned long long)XXH64(lexicon, len, 0));
		json_object_set_new(parts, "german.bin", json_string(hex));
	}
	snprintf(whole, wlen, "%016llx", (unsigned long long)XXH64_digest(all));
	XXH64_freeState(all);
	return st;
}

/* Says which part of what shapes the index changed since the last run. */
static void
explain_fingerprint(tr_db *db, json_t *now, int verbosity)
{
	char *stored = NULL;
	json_t *old;
	const char *key;
	json_t *v;

	if (!db || tr_db_get_metadata(db, "fingerprints", &stored) != TR_OK || !stored[0]) {
		free(stored);
		return;
	}
	old = json_loads(stored, 0, NULL);
	free(stored);
	json_object_foreach(now, key, v) {
		const char *was = json_string_value(json_object_get(old, key));
		if (verbosity >= 0 && (!was || strcmp(was, json_string_value(v)) != 0))
			fprintf(stderr, "Hinweis: %s hat sich geändert – alle Dokumente werden neu eingelesen\n",
			        strcmp(key, "format") == 0 ? "das Indexformat" : key);
	}
	json_decref(old);
}

/*
 * The folders above the index, created like `mkdir -p` would: the index
 * itself is created on the first run, so a new folder for it is no error.
 */
static int
make_parents(const char *db)
{
	char *dir = strdup(db);
	char *slash;
	int ret = TR_EXIT_OK;

	if (!dir)
		return TR_EXIT_ERROR;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; ret == TR_EXIT_OK; p++) {
			bool last = !*p;
			if (*p != '/' && !last)
				continue;
			*p = '\0';
			if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
				fprintf(stderr, "tellerrand index: Ordner für den Index lässt sich nicht anlegen: %s (%s)\n",
				        dir, strerror(errno));
				ret = TR_EXIT_ERROR;
			}
			if (last)
				break;
			*p = '/';
		}
	}
	free(dir);
	return ret;
}

/* The lock beside the index, holding the indexer's PID so that the message can name it. */
static int
take_lock(const char *db, int *fd_out)
{
	char *path = NULL, pid[32] = "";
	int fd;

	if (asprintf(&path, "%s.lock", db) < 0)
		return TR_EXIT_ERROR;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "tellerrand index: Sperrdatei lässt sich nicht anlegen: %s (%s)\n", path, strerror(errno));
		free(path);
		return TR_EXIT_ERROR;
	}
	free(path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t n = read(fd, pid, sizeof pid - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		fprintf(stderr, "tellerrand index: Index wird gerade aktualisiert (PID %s): %s\n",
		        pid[0] ? pid : "?", db);
		close(fd);
		return TR_EXIT_LOCKED;
	}
	if (ftruncate(fd, 0) == 0) {
		int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
		/* The PID is only for the message; the lock is what counts. */
		(void)!write(fd, pid, (size_t)n);
	}
	*fd_out = fd;
	return TR_EXIT_OK;
}

static int
remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int
remove_tree(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Checks one entry of the index for writing (nftw callback); the first refusal ends the walk. */
static int
check_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag != FTW_SL && access(path, W_OK) < 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
		return errno;
	return 0;
}

/*
 * A read-only index folder (a wrong owner, a read-only mount) is an error
 * of its own, found before any work: Xapian would report it as a lock held
 * by someone else, or fail only at the commit.  Returns an exit code.
 */
static int
check_writable(const char *db)
{
	int err;

	if (access(db, F_OK) < 0)
		return TR_EXIT_OK;   /* a new index: the folder it goes into is checked by the lock file */
	if ((err = nftw(db, check_entry, 16, FTW_PHYS)) <= 0)
		return TR_EXIT_OK;
	fprintf(stderr, "tellerrand index: Index-Verzeichnis nicht beschreibbar (%s) – Rechte oder Einhängung prüfen: %s\n",
	        strerror(err), db);
	return TR_EXIT_ERROR;
}

/*
 * A --full that failed or was killed leaves its half-built index beside
 * the live one, up to its size; whichever run comes next removes it.
 */
static int
remove_leftover(const char *db)
{
	char *fresh = NULL;
	struct stat sb;
	int ret = TR_EXIT_OK;

	if (asprintf(&fresh, "%s.neu", db) < 0)
		return TR_EXIT_ERROR;
	if (lstat(fresh, &sb) == 0) {
		if (remove_tree(fresh) < 0) {
			tr_cli_error("index", "Rest eines abgebrochenen Neuaufbaus lässt sich nicht entfernen", fresh);
			ret = TR_EXIT_ERROR;
		} else {
			fprintf(stderr, "tellerrand index: Rest eines abgebrochenen Neuaufbaus (--full) entfernt: %s\n", fresh);
		}
	}
	free(fresh);
	return ret;
}

/* Puts the freshly built index at @db in one step; the old one ends up at @fresh. */
static int
swap_in(const char *fresh, const char *db)
{
	struct stat sb;

	if (stat(db, &sb) < 0)
		return rename(fresh, db);
	/* RENAME_EXCHANGE swaps the two folders atomically: a searcher opens either the old or the new index. */
	if (renameat2(AT_FDCWD, fresh, AT_FDCWD, db, RENAME_EXCHANGE) == 0)
		return 0;
	return -1;
}

static void
write_report(index_args *a, const tr_index_stats *s, double secs, unsigned docs)
{
	FILE *f;

	json_object_set_new(a->rep, "version", json_integer(1));
	json_object_set_new(a->rep, "index", json_string(a->db));
	json_object_set_new(a->rep, "duration_s", json_real(secs));
	json_object_set_new(a->rep, "documents", json_integer(docs));
	json_object_set_new(a->rep, "counts",
	                    json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "added", s->added,
	                              "updated", s->updated, "moved", s->moved, "deleted", s->deleted, "unchanged", s->unchanged,
	                              "touched", s->touched, "skipped", s->skipped, "failed", s->failed,
	                              "roots_unavailable", s->unavailable));
	json_object_set_new(json_object_get(a->rep, "counts"), "ocr_pages", json_integer(s->ocr_pages));
	json_object_set_new(json_object_get(a->rep, "counts"), "ocr_cached", json_integer(s->ocr_cached));
	json_object_set_new(a->rep, "interrupted", json_boolean(s->interrupted));
	json_object_set_new(a->rep, "dry_run", json_boolean(a->dry_run));
	if (!a->report)
		return;
	f = strcmp(a->report, "-") == 0 ? stdout : fopen(a->report, "w");
	if (!f || json_dumpf(a->rep, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		tr_cli_error("index", "Bericht nicht schreibbar", a->report);
	if (f) {
		fputc('\n', f);
		if (f != stdout)
			fclose(f);
	}
}

/* What the last run did, for `tellerrand status`. */
static void
record_run(tr_db *db, json_t *rep, json_t *fp)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *last = json_pack("{s:O,s:O,s:O,s:O}", "duration_s", json_object_get(rep, "duration_s"),
	                         "counts", json_object_get(rep, "counts"),
	                         "roots", json_object_get(rep, "roots"),
	                         "interrupted", json_object_get(rep, "interrupted"));
	char *s;

	if (localtime_r(&now, &tm))
		strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	else
		stamp[0] = '\0';
	json_object_set_new(last, "finished", json_string(stamp));
	if ((s = json_dumps(last, JSON_COMPACT))) {
		tr_db_set_metadata(db, "last-run", s);
		free(s);
	}
	tr_db_set_metadata(db, "last-index", stamp);
	if (fp && (s = json_dumps(fp, JSON_COMPACT | JSON_SORT_KEYS))) {
		tr_db_set_metadata(db, "fingerprints", s);
		free(s);
	}
	json_decref(last);
}

/* ---- Roots and their visibility (docs/config.md, "Visibility") ------------ */

/*
 * The roots of a run: first this run's (the paths given, else the
 * configuration's), then the roots only known, from the configuration or
 * recorded in the index by earlier runs, which lend their visibility and
 * defaults to the files below them and let links into them be followed.
 */
typedef struct run_roots {
	tr_root *v;
	size_t n, n_run;
	char **owned;           /* paths decoded from the record */
	size_t n_owned;
	json_t *recorded;       /* metadata "roots": {path as tr_text_bytes_encode(): {"internal": bool}} */
} run_roots;

/* The metadata key under which each root's visibility is recorded. */
#define ROOTS_KEY "roots"

static void
roots_free(run_roots *l)
{
	for (size_t i = 0; i < l->n_owned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->v);
	json_decref(l->recorded);
	memset(l, 0, sizeof *l);
}

/* @path's record key: where it really is, as JSON can hold it; NULL when out of memory. */
static char *
root_key(const char *path)
{
	char *abs = realpath(path, NULL), *key;

	key = tr_text_bytes_encode(abs ? abs : path);
	free(abs);
	return key;
}

static bool
same_root(const char *a, const char *b)
{
	char *ka = root_key(a), *kb = root_key(b);
	bool same = ka && kb && strcmp(ka, kb) == 0;

	free(ka);
	free(kb);
	return same;
}

/* The recorded visibility of @path: 1 internal, 0 public, -1 none recorded. */
static int
recorded_internal(const run_roots *l, const char *path)
{
	char *key = root_key(path);
	json_t *r = key ? json_object_get(l->recorded, key) : NULL;

	free(key);
	return r ? json_is_true(json_object_get(r, "internal")) : -1;
}

static void
add_root(run_roots *l, const char *path, const tr_config_root *cfg, bool internal, bool known_only)
{
	tr_root *r = &l->v[l->n++];

	r->path = path;
	r->district = cfg ? cfg->district : NULL;
	r->type = cfg ? cfg->type : NULL;
	r->internal = internal;
	r->known_only = known_only;
}

static const tr_config_root *
config_root(const tr_config *config, const char *path)
{
	for (size_t i = 0; config && i < config->n_roots; i++)
		if (same_root(config->roots[i].path, path))
			return &config->roots[i];
	return NULL;
}

static bool
listed(const run_roots *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (same_root(l->v[i].path, path))
			return true;
	return false;
}

/*
 * The visibility of a root never comes from a flag missing on this run's
 * command line: a root of the configuration is as configured (or made
 * internal by --internal), any other keeps what was recorded for it unless
 * --internal makes it internal.
 */
static tr_status
build_roots(run_roots *l, const index_args *a, const tr_config *config, char **paths, int npaths, tr_db *live)
{
	char *stored = NULL;
	size_t cap = (size_t)npaths + (config ? config->n_roots : 0);
	const char *key;
	json_t *v;

	if (live && tr_db_get_metadata(live, ROOTS_KEY, &stored) == TR_OK && stored[0])
		l->recorded = json_loads(stored, 0, NULL);
	free(stored);
	if (!json_is_object(l->recorded)) {
		json_decref(l->recorded);
		l->recorded = json_object();
	}
	cap += json_object_size(l->recorded);
	l->v = calloc(cap ? cap : 1, sizeof *l->v);
	l->owned = calloc(cap ? cap : 1, sizeof *l->owned);
	if (!l->recorded || !l->v || !l->owned)
		return TR_ENOMEM;
	for (int i = 0; i < npaths; i++) {
		const tr_config_root *cfg = config_root(config, paths[i]);
		bool internal = a->internal || (cfg ? cfg->internal : recorded_internal(l, paths[i]) == 1);
		add_root(l, paths[i], cfg, internal, false);
	}
	for (size_t i = 0; npaths == 0 && config && i < config->n_roots; i++)
		add_root(l, config->roots[i].path, &config->roots[i], config->roots[i].internal || a->internal, false);
	l->n_run = l->n;
	for (size_t i = 0; config && i < config->n_roots; i++)
		if (!listed(l, config->roots[i].path))
			add_root(l, config->roots[i].path, &config->roots[i], config->roots[i].internal, true);
	json_object_foreach(l->recorded, key, v) {
		char *path = tr_text_bytes_decode(key);
		if (!path)
			return TR_ENOMEM;
		l->owned[l->n_owned++] = path;
		/* The configuration is authoritative: of the other recorded roots only the internal ones still count. */
		if (!listed(l, path) && (npaths > 0 || json_is_true(json_object_get(v, "internal"))))
			add_root(l, path, NULL, json_is_true(json_object_get(v, "internal")), true);
	}
	return TR_OK;
}

/* Records the visibility of this run's roots, for the runs to come (a --full's new index inherits the rest). */
static void
record_roots(tr_db *db, run_roots *l)
{
	char *s;

	for (size_t i = 0; i < l->n_run; i++) {
		char *abs = realpath(l->v[i].path, NULL);
		char *key = abs ? tr_text_bytes_encode(abs) : NULL;

		if (key)
			json_object_set_new(l->recorded, key, json_pack("{s:b}", "internal", l->v[i].internal));
		free(key);
		free(abs);
	}
	if ((s = json_dumps(l->recorded, JSON_COMPACT | JSON_SORT_KEYS))) {
		tr_db_set_metadata(db, ROOTS_KEY, s);
		free(s);
	}
}

/* ---- Shard sets (docs/shards.md) ------------------------------------------ */

/* The set's first database: its metadata, skip records and spelling words. */
#define SET_META "meta"

typedef struct shard_set {
	json_t *spec;             /* the rule, as stored in the first database (metadata "shards") */
	tr_shards shards;
	tr_db **db;
	const char **districts;   /* per shard for "kreis", else NULL */
} shard_set;

static bool
is_set(const char *dir)
{
	char *stub = NULL;
	bool yes = asprintf(&stub, "%s/XAPIANDB", dir) >= 0 && access(stub, F_OK) == 0;

	free(stub);
	return yes;
}

/*
 * The rule --shards asks for: {"by":"hash","shards":[names]} or
 * {"by":"kreis","shards":[names],"kreis":["key|key…", …]} from the
 * configuration's [shard NAME] sections.  NULL after printing why.
 */
static json_t *
spec_from_options(index_args *a, const tr_config *config)
{
	bool by_district = strcmp(a->shards, "kreis") == 0;
	json_t *spec = json_pack("{s:s,s:[],s:[]}", "by", by_district ? "kreis" : "hash", "shards", "kreis");
	json_t *names = json_object_get(spec, "shards"), *groups = json_object_get(spec, "kreis");
	size_t *owner = NULL;

	if (!spec)
		return NULL;
	if (!by_district) {
		unsigned long n = strtoul(a->shards, NULL, 10);
		for (unsigned long i = 0; i < n; i++)
			json_array_append_new(names, json_sprintf("shard-%lu", i));
		json_object_del(spec, "kreis");
		return spec;
	}
	if (!config || config->n_shards < 2) {
		tr_cli_usage_error("index", "--shards kreis braucht mindestens zwei [shard NAME]-Abschnitte mit kreis = … in der Konfiguration");
		goto fail;
	}
	if (!a->districts && tr_cli_load_data("index", tr_cli_data_dir(a->data_dir), &a->districts, &a->topics) != TR_OK)
		goto fail;
	a->opts.districts = a->districts;
	a->opts.topics = a->topics;
	/* A district in two groups would make the rule ambiguous. */
	owner = calloc(tr_districts_count(a->districts), sizeof *owner);
	if (!owner)
		goto fail;
	for (size_t i = 0; i < config->n_shards; i++) {
		const tr_config_shard *g = &config->shards[i];
		const char *p = g->districts ? g->districts : "";
		tr_buf keys = TR_BUF_INIT(4096);

		json_array_append_new(names, json_sprintf("shard-%s", g->name));
		while (*p) {
			size_t len = strcspn(p, ","), d;
			char *name = strndup(p, len), *n = name;
			tr_status st = name ? TR_OK : TR_ENOMEM;

			p += len + (p[len] == ',');
			while (n && (*n == ' ' || *n == '\t'))
				n++;
			for (size_t e = n ? strlen(n) : 0; e && (n[e - 1] == ' ' || n[e - 1] == '\t'); e--)
				n[e - 1] = '\0';
			if (st == TR_OK && !*n) {
				free(name);
				continue;
			}
			if (st == TR_OK && tr_districts_resolve(a->districts, n, &d) != TR_OK) {
				fprintf(stderr, "tellerrand index: %s:%d: [shard %s]: unbekannter Landkreis: %s\n",
				        config->file, g->line, g->name, n);
				st = TR_EINVAL;
			} else if (st == TR_OK && owner[d]) {
				fprintf(stderr, "tellerrand index: %s:%d: [shard %s]: %s gehört schon zu [shard %s]\n",
				        config->file, g->line, g->name, n, config->shards[owner[d] - 1].name);
				st = TR_EINVAL;
			} else if (st == TR_OK) {
				owner[d] = i + 1;
				st = tr_buf_printf(&keys, "%s%s", keys.len ? "|" : "", tr_districts_key(a->districts, d));
			}
			free(name);
			if (st != TR_OK) {
				tr_buf_free(&keys);
				goto fail;
			}
		}
		json_array_append_new(groups, json_string(keys.ptr ? keys.ptr : ""));
		tr_buf_free(&keys);
	}
	free(owner);
	return spec;
fail:
	free(owner);
	json_decref(spec);
	return NULL;
}

/* The rule stored in the set at @dir, or NULL if there is none. */
static json_t *
stored_spec(const char *dir)
{
	char *path = NULL, *value = NULL;
	tr_db *meta = NULL;
	json_t *spec = NULL;

	if (asprintf(&path, "%s/" SET_META, dir) >= 0 && tr_db_open(&meta, path, TR_DB_READ, NULL) == TR_OK &&
	    tr_db_get_metadata(meta, "shards", &value) == TR_OK && value[0])
		spec = json_loads(value, 0, NULL);
	tr_db_free(meta);
	free(value);
	free(path);
	return spec;
}

static void
set_close(shard_set *set)
{
	for (size_t i = 0; set->db && i < set->shards.n; i++)
		tr_db_free(set->db[i]);
	free(set->db);
	free(set->districts);
	json_decref(set->spec);
	memset(set, 0, sizeof *set);
}

/*
 * Opens what the run writes at @target: one index, or a shard set, whose
 * first database then goes to *db and its shards to @set.  A new set is
 * laid out as --shards says; an existing one keeps the rule it was built
 * with, and another rule needs --full (documents would have to move
 * without being read).  Returns an exit code, after printing why.
 */
static int
open_for_writing(index_args *a, const tr_config *config, const char *target, tr_db **db, shard_set *set)
{
	json_t *want = NULL, *have = is_set(target) ? stored_spec(target) : NULL;
	char *path = NULL, *err = NULL;
	const char **names = NULL;
	int ret = TR_EXIT_ERROR;
	bool fresh;
	tr_status st;

	if (a->shards && !(want = spec_from_options(a, config)))
		return TR_EXIT_USAGE;
	/* A rebuild keeps the live set's rule unless told otherwise. */
	if (!want && a->full && is_set(a->db))
		want = stored_spec(a->db);
	if (is_set(target) && !have) {
		tr_cli_error("index", "Satz von Teilindizes ohne Aufteilungsregel (nicht von tellerrand angelegt?)", target);
		goto done;
	}
	if (have && want && !json_equal(have, want)) {
		tr_cli_error("index", "die Aufteilung in Teilindizes hat sich geändert; mit --full neu aufbauen", target);
		ret = TR_EXIT_USAGE;
		goto done;
	}
	if (!have && want && asprintf(&path, "%s/iamglass", target) >= 0 && access(path, F_OK) == 0) {
		tr_cli_error("index", "hier liegt ein einzelner Index; für Teilindizes mit --full neu aufbauen", target);
		ret = TR_EXIT_USAGE;
		goto done;
	}
	free(path);
	path = NULL;
	if (!have && !want) {
		st = tr_db_open(db, target, TR_DB_WRITE, &err);
		goto opened;
	}
	fresh = !have;
	set->spec = have ? have : want;
	if (have)
		json_decref(want);
	have = want = NULL;
	set->shards.n = json_array_size(json_object_get(set->spec, "shards"));
	set->db = calloc(set->shards.n ? set->shards.n : 1, sizeof *set->db);
	names = calloc(set->shards.n + 1, sizeof *names);
	if (json_object_get(set->spec, "kreis"))
		set->districts = calloc(set->shards.n + 1, sizeof *set->districts);
	if (!set->db || !names || (json_object_get(set->spec, "kreis") && !set->districts) ||
	    (mkdir(target, 0755) < 0 && errno != EEXIST)) {
		tr_cli_error("index", "Satz von Teilindizes lässt sich nicht anlegen", target);
		goto done;
	}
	set->shards.db = set->db;
	set->shards.districts = set->districts;
	names[0] = SET_META;
	if (asprintf(&path, "%s/" SET_META, target) < 0)
		goto done;
	st = tr_db_open(db, path, TR_DB_WRITE, &err);
	for (size_t i = 0; st == TR_OK && i < set->shards.n; i++) {
		names[i + 1] = json_string_value(json_array_get(json_object_get(set->spec, "shards"), i));
		if (set->districts)
			set->districts[i] = json_string_value(json_array_get(json_object_get(set->spec, "kreis"), i));
		free(path);
		path = NULL;
		if (!names[i + 1] || asprintf(&path, "%s/%s", target, names[i + 1]) < 0) {
			st = TR_ENOMEM;
			break;
		}
		st = tr_db_open(&set->db[i], path, TR_DB_WRITE, &err);
	}
	if (st == TR_OK && fresh) {
		char *s = json_dumps(set->spec, JSON_COMPACT);
		/* The rule first, then the stub: a set always says how it is divided. */
		st = s ? tr_db_set_metadata(*db, "shards", s) : TR_ENOMEM;
		free(s);
		if (st == TR_OK)
			st = tr_db_commit(*db);
		if (st == TR_OK && (st = tr_db_write_stub(target, names, set->shards.n + 1, &err)) != TR_OK) {
			tr_cli_error("index", "Stub-Datei XAPIANDB nicht schreibbar", err);
			goto done;
		}
	}
opened:
	if (st == TR_ELOCKED) {
		tr_cli_error("index", "Index wird gerade aktualisiert (gesperrt)", a->db);
		ret = TR_EXIT_LOCKED;
	} else if (st != TR_OK) {
		tr_cli_error("index", "Index lässt sich nicht öffnen", err ? err : tr_strerror(st));
	} else {
		ret = TR_EXIT_OK;
	}
done:
	json_decref(have);
	json_decref(want);
	free(names);
	free(path);
	free(err);
	return ret;
}

/* Which of this run's roots were there, for the report and `tellerrand status`. */
static void
report_roots(index_args *a, const run_roots *l, json_t *list)
{
	json_t *gone_list = json_object_get(a->rep, "roots_unavailable");

	for (size_t i = 0; i < l->n_run; i++) {
		json_t *path = json_path(l->v[i].path), *e;
		bool gone = false;
		size_t k;

		json_array_foreach(gone_list, k, e)
			if (json_equal(json_object_get(e, "path"), path))
				gone = true;
		json_array_append_new(list, json_pack("{s:o,s:b}", "path", path, "available", !gone));
	}
	json_object_set(a->rep, "roots", list);
}

static void
print_summary(const index_args *a, const tr_index_stats *s, unsigned count, size_t n_shards)
{
	FILE *out = a->dry_run ? stderr : stdout;

	fprintf(out, "%s%u neu, %u geändert, %u gelöscht, %u unverändert, %u übersprungen, %u fehlgeschlagen (%.1f s)",
	        a->dry_run ? "Probelauf: " : "", s->added, s->updated + s->touched, s->deleted,
	        s->unchanged, s->skipped, s->failed, (double)(now_ms() - a->started_ms) / 1000.0);
	if (!a->dry_run)
		fprintf(out, "; der Index %s enthält %u Dokument%s", a->db, count, count == 1 ? "" : "e");
	if (!a->dry_run && n_shards)
		fprintf(out, " in %zu Teilindizes", n_shards);
	if (s->moved)
		fprintf(out, "; %u in einen anderen Teilindex verschoben", s->moved);
	if (s->ocr_pages || s->ocr_cached)
		fprintf(out, "; Texterkennung: %u Seite%s gelesen, %u aus dem Zwischenspeicher",
		        s->ocr_pages, s->ocr_pages == 1 ? "" : "n", s->ocr_cached);
	fprintf(out, ".\n");
}

/*
 * The OCR cache of the index @db: beside it, not in it, because --full
 * builds a new index but keeps what OCR read; hidden (".index.ocr"), so
 * that indexing the folder that holds the index does not read the cache as
 * documents (the walk leaves out hidden folders).  NULL if out of memory.
 */
static char *
ocr_cache_beside(const char *db)
{
	int end = (int)strlen(db), dir;
	char *path;

	while (end > 1 && db[end - 1] == '/')
		end--;   /* "index/" is "index" */
	for (dir = end; dir > 0 && db[dir - 1] != '/'; dir--)
		;
	if (asprintf(&path, "%.*s.%.*s.ocr", dir, db, end - dir, db + dir) < 0)
		return NULL;
	return path;
}

/* From here on a SIGINT or SIGTERM stops the run cleanly (stop_requested). */
static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* The lean `tellerrand` blocked them before executing this helper (cli/tellerrand.c). */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &sa.sa_mask, NULL);
}

/*
 * Opens the index the run writes into *@db: --db itself, or for --full a
 * new one beside it (*@target, DB.neu) that replaces it at the end; for a
 * dry run --db read-only (none yet: everything would be new).  An exit code.
 */
static int
open_target(index_args *a, const tr_config *config, char **target, tr_db **db, shard_set *set)
{
	char *err = NULL;
	tr_status st;
	int ret = TR_EXIT_OK;

	if (a->full && !a->dry_run) {
		if (asprintf(target, "%s.neu", a->db) < 0) {
			*target = NULL;
			tr_cli_error("index", "Platz für den neuen Index nicht frei", a->db);
			return TR_EXIT_ERROR;
		}
	} else if (!(*target = strdup(a->db))) {
		return TR_EXIT_ERROR;
	}
	if (!a->dry_run) {
		if ((ret = open_for_writing(a, config, *target, db, set)) == TR_EXIT_OK && set->shards.n)
			a->opts.shards = &set->shards;
	} else if ((st = tr_db_open(db, *target, TR_DB_READ, &err)) == TR_ENOTFOUND) {
		*db = NULL;
	} else if (st != TR_OK) {
		tr_cli_error("index", "Index lässt sich nicht öffnen", err ? err : tr_strerror(st));
		ret = TR_EXIT_ERROR;
	}
	free(err);
	return ret;
}

/* The report's saved searches, checked before the run: a typo fails at once, like any in the file. */
static int
check_saved(index_args *a, const tr_config *config, tr_saved *saved)
{
	tr_status st;

	if (!a->report || a->dry_run || !config || !config->n_searches)
		return TR_EXIT_OK;
	if ((st = index_need_data(a)) == TR_OK) {
		tr_query_vocab vocab = { a->districts, a->topics };
		st = tr_saved_parse(saved, config, &vocab);
	}
	if (st != TR_OK)
		return st == TR_EINVAL ? TR_EXIT_USAGE : TR_EXIT_ERROR;
	return TR_EXIT_OK;
}

/* The run's callbacks and settings in a->opts. */
static void
set_run_options(index_args *a, const char *fp)
{
	a->tty = isatty(STDERR_FILENO);
	a->started_ms = now_ms();
	a->opts.need_data = index_need_data;
	a->opts.exclude_dir = a->db;
	a->opts.fingerprint = fp;
	a->opts.dry_run = a->dry_run;
	a->opts.stop = &stop_requested;
	a->opts.log = index_log;
	a->opts.change = index_change;
	a->opts.progress = index_progress;
	a->opts.ocr_page = index_ocr_page;
	a->opts.ctx = a;
}

/* The documents in the index and its shards; each shard's count goes into the report. */
static unsigned
count_documents(tr_db *db, const shard_set *set, json_t *rep)
{
	unsigned count = 0;

	if (db)
		tr_db_doccount(db, &count);
	for (size_t i = 0; i < set->shards.n; i++) {
		unsigned n = 0;
		tr_db_doccount(set->db[i], &n);
		count += n;
		if (!json_object_get(rep, "shards"))
			json_object_set_new(rep, "shards", json_array());
		json_array_append_new(json_object_get(rep, "shards"),
		                      json_pack("{s:O,s:i}", "name",
		                                json_array_get(json_object_get(set->spec, "shards"), i), "documents", n));
	}
	return count;
}

/*
 * The end of a --full run: a finished rebuild replaces the live index; one
 * that did not finish is thrown away and the live index stays.  @ok: the
 * run and its commit succeeded.  An exit code.
 */
static int
finish_rebuild(const index_args *a, const tr_index_stats *stats, bool ok, const char *target,
               tr_db **db, shard_set *set)
{
	int ret = TR_EXIT_OK;

	if (a->full && !a->dry_run && ok && !stats->interrupted) {
		tr_db_free(*db);
		*db = NULL;
		set_close(set);
		if (swap_in(target, a->db) < 0) {
			tr_cli_error("index", "neuer Index lässt sich nicht einsetzen", strerror(errno));
			ret = TR_EXIT_ERROR;
		} else {
			remove_tree(target);  /* now the old index */
		}
	}
	if (a->full && !a->dry_run && target && access(target, F_OK) == 0) {
		/* The rebuild did not finish: the live index stays as it was, the half-built one goes. */
		tr_db_free(*db);
		*db = NULL;
		set_close(set);
		remove_tree(target);
		if (stats->interrupted)
			fprintf(stderr, "tellerrand index: abgebrochen – der Neuaufbau ist verworfen, der bisherige Index bleibt unverändert\n");
	} else if (stats->interrupted) {
		fprintf(stderr, "tellerrand index: abgebrochen – der bisherige Stand ist gespeichert; der nächste Lauf macht weiter\n");
	}
	return ret;
}

/* A --full run reads the live index (if any) for its recorded roots and document ids: *@live. */
static void
open_previous(index_args *a, tr_db **live)
{
	json_t *spec;

	if (!a->full || a->dry_run || tr_db_open(live, a->db, TR_DB_READ, NULL) != TR_OK)
		return;
	spec = is_set(a->db) ? stored_spec(a->db) : NULL;
	a->opts.previous = *live;
	a->opts.previous_shards = spec ? json_array_size(json_object_get(spec, "shards")) : 1;
	json_decref(spec);
}

/*
 * After a run that succeeded: the run, its fingerprints (only once every
 * document was read under them) and its roots recorded, and committed.
 * An exit code.
 */
static int
record_and_commit(tr_db *db, const index_args *a, const tr_index_stats *stats, json_t *fp_parts,
                  run_roots *rl)
{
	record_run(db, a->rep, stats->interrupted ? NULL : fp_parts);
	record_roots(db, rl);
	if (tr_db_commit(db) != TR_OK) {
		tr_cli_error("index", tr_strerror(TR_EINTERNAL), tr_db_errmsg(db));
		return TR_EXIT_ERROR;
	}
	return TR_EXIT_OK;
}

int
cmd_index(int argc, char **argv)
{
	index_args a;
	char **paths = calloc((size_t)argc + 1, sizeof *paths);
	int npaths = 0, exit_now = TR_EXIT_OK, ret = TR_EXIT_OK, lock_fd = -1;
	tr_config *config = NULL;
	run_roots rl;
	tr_db *db = NULL, *live = NULL;
	tr_index_stats stats;
	shard_set set;
	char *target = NULL, fp[17];
	json_t *fp_parts = json_object(), *root_list = json_array();
	tr_saved saved = { NULL, 0 };
	double since = 0;
	unsigned count = 0;
	tr_status st;

	memset(&a, 0, sizeof a);
	memset(&stats, 0, sizeof stats);
	memset(&set, 0, sizeof set);
	memset(&rl, 0, sizeof rl);
	a.opts = (tr_index_options)TR_INDEX_OPTIONS_INIT;
	a.ocr_cache_max = (size_t)256 << 20;
	a.rep = json_pack("{s:[],s:[],s:[],s:[],s:[],s:[],s:[]}", "added", "updated", "deleted",
	                  "touched", "skipped", "failed", "roots_unavailable");
	if (!paths || !a.rep || !fp_parts || !root_list) {
		tr_cli_error("index", tr_strerror(TR_ENOMEM), NULL);
		ret = TR_EXIT_ERROR;
		goto done;
	}
	if (!tr_cli_parse_all(argc, argv, cmd_index_options, "[OPTIONEN] [PFAD...]",
	                  "Bringt den Suchindex auf den Stand der Dateien: neue werden aufgenommen,\n"
	                  "geänderte neu eingelesen, unveränderte nicht einmal geöffnet, verschwundene\n"
	                  "gelöscht. Ohne PFAD gelten die [root]-Ordner der Konfigurationsdatei.\n"
	                  "Exit-Codes: 0 alles gut, 3 fertig, aber Dateien fehlgeschlagen oder Ordner\n"
	                  "nicht verfügbar, 1 Fehler, 2 falscher Aufruf, 75 Index gerade in Arbeit.",
	                  index_set, &a, paths, &npaths, &config, &exit_now)) {
		ret = exit_now;
		goto done;
	}
	a.db = tr_cli_db_path(a.db);
	/* A signal while the index is being opened (slow on a loaded machine) ends the run before its first file. */
	catch_signals();
	if (!(a.ocr_cache = ocr_cache_beside(a.db))) {
		ret = TR_EXIT_ERROR;
		goto done;
	}
	if (a.ocr_cache_max)
		a.opts.ocr.cache_dir = a.ocr_cache;

	/* Paths on the command line are the roots of this run; else the configuration's, which are then authoritative. */
	if (npaths == 0 && !(config && config->n_roots)) {
		tr_cli_usage_error("index", "kein Pfad angegeben und keine [root]-Ordner in der Konfiguration");
		ret = TR_EXIT_USAGE;
		goto done;
	}
	a.opts.prune = npaths == 0;
	if (fingerprints(tr_cli_data_dir(a.data_dir), fp, sizeof fp, fp_parts) != TR_OK) {
		ret = TR_EXIT_ERROR;
		goto done;
	}

	if (!a.dry_run && ((ret = make_parents(a.db)) != TR_EXIT_OK || (ret = take_lock(a.db, &lock_fd)) != TR_EXIT_OK ||
	                   (ret = check_writable(a.db)) != TR_EXIT_OK || (ret = remove_leftover(a.db)) != TR_EXIT_OK))
		goto done;
	if ((ret = open_target(&a, config, &target, &db, &set)) != TR_EXIT_OK)
		goto done;
	if (!a.full)
		explain_fingerprint(db, fp_parts, a.verbosity);
	open_previous(&a, &live);
	if (build_roots(&rl, &a, config, paths, npaths, live ? live : db) != TR_OK) {
		tr_cli_error("index", tr_strerror(TR_ENOMEM), NULL);
		ret = TR_EXIT_ERROR;
		goto done;
	}

	if ((ret = check_saved(&a, config, &saved)) != TR_EXIT_OK)
		goto done;
	set_run_options(&a, fp);
	since = tr_newsince_now();
	st = tr_index_update(db, rl.v, rl.n, &a.opts, &stats);
	clear_progress(&a);
	if (st != TR_OK) {
		tr_cli_db_error("index", st, tr_strerror(st), stats.failed_db ? tr_db_errmsg(stats.failed_db) : NULL);
		ret = tr_cli_exit_code(st) == TR_EXIT_LOCKED ? TR_EXIT_LOCKED : TR_EXIT_ERROR;
	}
	report_roots(&a, &rl, root_list);
	count = count_documents(db, &set, a.rep);
	if (st == TR_OK && saved.n) {
		tr_query_vocab vocab = { a.districts, a.topics };
		tr_saved_run(&saved, target, since, &vocab, a.rep);
	}
	write_report(&a, &stats, (double)(now_ms() - a.started_ms) / 1000.0, count);
	if (!a.dry_run && a.opts.ocr.cache_dir && tr_ocr_cache_prune(a.opts.ocr.cache_dir, a.ocr_cache_max) != TR_OK)
		tr_cli_error("index", "OCR-Zwischenspeicher lässt sich nicht aufräumen", a.opts.ocr.cache_dir);

	if (!a.dry_run && st == TR_OK && record_and_commit(db, &a, &stats, fp_parts, &rl) != TR_EXIT_OK)
		ret = TR_EXIT_ERROR;
	tr_db_free(live);
	live = NULL;
	if (finish_rebuild(&a, &stats, st == TR_OK && ret == TR_EXIT_OK, target, &db, &set) != TR_EXIT_OK)
		ret = TR_EXIT_ERROR;
	if (ret == TR_EXIT_OK && (stats.failed || stats.unavailable || stats.interrupted))
		ret = stats.interrupted ? TR_EXIT_ERROR : TR_EXIT_PARTIAL;
	if (a.verbosity >= 0 || ret != TR_EXIT_OK)
		print_summary(&a, &stats, count, set.shards.n);
done:
	set_close(&set);
	tr_db_free(live);
	tr_db_free(db);
	if (lock_fd >= 0)
		close(lock_fd);
	tr_districts_free(a.districts);
	tr_topics_free(a.topics);
	tr_saved_free(&saved);
	tr_config_free(config);
	json_decref(a.rep);
	json_decref(fp_parts);
	json_decref(root_list);
	roots_free(&rl);
	free(target);
	free(paths);
	free(a.ocr_cache);
	return ret;
}

#endif /* TR_CLI_OPTIONS_ONLY */
