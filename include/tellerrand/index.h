/*
 * The indexer: walks files and folders, turns each file into a tr_doc
 * (type detection, extraction, metadata) and stores it in the index.
 */
#ifndef TELLERRAND_INDEX_H
#define TELLERRAND_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "tellerrand/db.h"
#include "tellerrand/district.h"
#include "tellerrand/document.h"
#include "tellerrand/log.h"
#include "tellerrand/status.h"
#include "tellerrand/topics.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of what the indexer stores; a change re-reads every document. */
#define TR_INDEX_FORMAT_VERSION 6

/* One place to index: a folder (walked recursively) or a single file. */
typedef struct tr_root {
	const char *path;
	const char *district;   /* default district for its documents (any name tr_districts_resolve takes), or NULL */
	const char *type;       /* default document type (any name tr_doctype_from_name takes), or NULL */
	bool internal;          /* its documents are visible only to requests allowed to see internal ones */
	/*
	 * Known (from the configuration, or recorded in the index by an earlier
	 * run) but not walked in this run: it only lends its settings to the
	 * files below it that a walk of another root finds, and lets links
	 * into it be followed.
	 */
	bool known_only;
} tr_root;

/* What happened to one file (or root) in an update. */
typedef enum tr_change {
	TR_CHANGE_ADDED,        /* new in the index */
	TR_CHANGE_UPDATED,      /* content changed: extracted again */
	TR_CHANGE_DELETED,      /* gone from disk (or its root from the configuration) */
	TR_CHANGE_UNCHANGED,    /* stamps unchanged: not even read */
	TR_CHANGE_TOUCHED,      /* stamps changed, content the same: not extracted again */
	TR_CHANGE_SKIPPED,      /* left out on purpose (type, size, empty); reason given */
	TR_CHANGE_FAILED,       /* could not be read, damaged, crashed or timed out; reason given */
	TR_CHANGE_UNAVAILABLE   /* a root that is missing or empty: its documents are kept */
} tr_change;

/*
 * A shard set being written (docs/shards.md): one writable handle per
 * shard and the rule that sends each document to exactly one of them.
 */
typedef struct tr_shards {
	tr_db **db;                      /* the shards, in the order of the set's stub */
	size_t n;
	/*
	 * NULL: a document goes to shard XXH64(path) mod n.  Else, per shard,
	 * the district keys it holds joined by '|': a document goes to the
	 * shard of its main district, or to the first when none names it.
	 */
	const char *const *districts;
} tr_shards;

/* The shard for a document at @path with main district key @district (NULL: none). */
size_t tr_shards_route(const tr_shards *s, const char *path, const char *district);

/*
 * OCR of scans (docs/ocr.md): pages without a text layer and image files
 * are read by tesseract, each page within page_timeout; the text is cached
 * by the file's content hash in cache_dir.
 */
typedef struct tr_ocr_options {
	bool enabled;
	unsigned page_timeout;          /* seconds one page may take; 0: no limit */
	const char *cache_dir;          /* the OCR cache (created when needed); NULL: none */
	/* Called in the worker before each page is recognised (not for cached pages); may be NULL. */
	void (*page_started)(void *arg);
	void *arg;
} tr_ocr_options;

#define TR_OCR_OPTIONS_INIT { true, 60, NULL, NULL, NULL }

/*
 * Shrinks the OCR cache at @dir to at most @max bytes, dropping the
 * entries used longest ago; leftovers of interrupted writes go too.
 * Returns TR_OK (also when @dir does not exist) or TR_EIO.
 */
tr_status tr_ocr_cache_prune(const char *dir, size_t max);

typedef void (*tr_change_fn)(tr_change what, const char *path, const char *reason, void *ctx);
typedef void (*tr_progress_fn)(size_t done, size_t total, const char *current, void *ctx);

typedef struct tr_index_options {
	size_t max_file_size;           /* larger files are skipped; bytes */
	size_t max_text;                /* extracted text is cut at this many bytes */
	unsigned batch_size;            /* documents per commit */
	const tr_districts *districts;  /* the district registry; may be NULL until need_data() */
	const tr_topics *topics;        /* the topic taxonomy; may be NULL until need_data() */
	const char *exclude_dir;        /* a directory never to descend into (the index itself), or NULL */
	unsigned jobs;                  /* extraction worker processes; 0: one per core */
	unsigned timeout;               /* seconds one file may take before its worker is killed; 0: no limit */
	size_t max_memory;              /* address-space limit of a worker, bytes; 0: none */
	const char *fingerprint;        /* what shaped the index (data files, format); documents indexed under another are read again */
	bool prune;                     /* delete documents that lie under none of the roots */
	bool dry_run;                   /* only report what would change; @db may be NULL */
	volatile int *stop;             /* set non-zero (e.g. by a signal handler) to finish the current batch and stop */
	tr_log_fn log;                  /* warnings about values in files; NULL: silent */
	tr_change_fn change;            /* one call per file and per unavailable root; NULL: silent */
	tr_progress_fn progress;        /* after each file; NULL: none */
	/*
	 * Called once, before the first file is read, if districts or topics
	 * is NULL: loads them (setting the fields of the options it was given).
	 * A run in which nothing changed never needs them.
	 */
	tr_status (*need_data)(void *ctx);
	void *ctx;                      /* passed to the callbacks */
	/*
	 * NULL: documents are stored in the index given to tr_index_update().
	 * Else they go to these shards, each written by a thread of its own,
	 * and that index (the set's first database) keeps the run's metadata,
	 * the records of skipped files and the spelling words.
	 */
	const tr_shards *shards;
	/*
	 * A rebuild (--full): the index being replaced (a set opened as one),
	 * laid out in @previous_shards shards.  A document keeps the id it has
	 * there if it stays in the same shard, and no new one gets an id that
	 * was ever used there, so a /dokument/N link opens the same file or
	 * none.  NULL: documents get the next free ids.
	 */
	tr_db *previous;
	size_t previous_shards;
	tr_ocr_options ocr;
	/* Called in this process when a worker starts recognising a page (progress); may be NULL. */
	void (*ocr_page)(void *ctx);
	/*
	 * Writers of a run that fills an empty single index (a first run, a
	 * rebuild): 1, or 2 parts written side by side and merged into it at
	 * the end.  0: 2 from TR_SPLIT_MIN files to read on.
	 */
	unsigned writers;
} tr_index_options;

/* A full run reads at least this many files before writing into two parts pays for their merge. */
#define TR_SPLIT_MIN 500

#define TR_INDEX_OPTIONS_INIT { (size_t)64 << 20, (size_t)16 << 20, 250, NULL, NULL, NULL, \
	0, 30, (size_t)2 << 30, NULL, false, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, \
	TR_OCR_OPTIONS_INIT, NULL, 0 }

typedef struct tr_index_stats {
	unsigned added, updated, deleted, unchanged, touched, skipped, failed;
	unsigned moved;                 /* of the updated: gone to another shard (its district changed) */
	unsigned unavailable;           /* roots missing or empty */
	bool interrupted;               /* stopped through opts->stop before the end */
	unsigned ocr_pages;             /* pages recognised by OCR */
	unsigned ocr_cached;            /* pages whose OCR text came from the cache */
	tr_db *failed_db;               /* when the index failed: the handle whose tr_db_errmsg() says why */
} tr_index_stats;

/*
 * Every file belongs to the most specific root that holds it (for a link:
 * that holds where it leads), whatever their order: its visibility and
 * defaults come from that root, and a folder that is itself a root is
 * walked once, as that root.  A link whose target lies under no root is
 * not followed.  An unreadable folder is treated like an unavailable root:
 * its documents are kept and it is reported.
 *
 * Brings @db up to date with @roots: new files are added, changed ones
 * extracted again, unchanged ones (same size, mtime, ctime, inode) not read
 * at all, touched ones with the same content (hash) only get new stamps,
 * and documents of files that disappeared from an available root are
 * deleted (with opts->prune also those under no root).  Extraction runs in
 * opts->jobs worker processes; this process alone writes the index,
 * committing every batch_size documents, so an interrupted run keeps all
 * it committed and the next run completes it.  With opts->shards, each
 * document lives in the shard the rule picks; one whose district changed
 * is deleted from its old shard, and that deletion committed, before it
 * is added to the new one, so no search ever finds it twice.  Every file
 * is reported through opts->change.  Returns TR_OK unless the index itself
 * failed (the detail then in tr_db_errmsg(stats->failed_db)); @stats is
 * filled in either case.
 */
tr_status tr_index_update(tr_db *db, const tr_root *roots, size_t n_roots,
                          const tr_index_options *opts, tr_index_stats *stats);

/*
 * Builds the document for one file without touching any index.  @relpath
 * is the file's path below its root's parent (for folder conventions);
 * @root (may be NULL) gives defaults.  *out is owned by the caller; free
 * with tr_doc_free().  On failure *why (if not NULL) receives a short German
 * reason (owned by the caller; free with free()).  Returns TR_OK, TR_EIO,
 * TR_ETOOBIG, TR_EUNSUPPORTED, TR_EFORMAT or TR_ENOMEM.
 */
tr_status tr_index_read_file(tr_doc **out, const char *path, const char *relpath,
                             const tr_root *root, const tr_index_options *opts, char **why);

#ifdef __cplusplus
}
#endif

#endif
