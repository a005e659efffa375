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

typedef struct tr_index_options {
	size_t max_file_size;           /* larger files are skipped; bytes */
	size_t max_text;                /* extracted text is cut at this many bytes */
	unsigned batch_size;            /* documents per commit */
	const tr_districts *districts;  /* required: the district registry */
	const tr_topics *topics;        /* required: the topic taxonomy */
	const char *exclude_dir;        /* a directory never to descend into (the index itself), or NULL */
	bool internal;                  /* mark every document of these paths internal */
	tr_log_fn log;                  /* per-file messages; NULL: silent */
	void *log_ctx;
} tr_index_options;

#define TR_INDEX_OPTIONS_INIT { (size_t)64 << 20, (size_t)16 << 20, 500, NULL, NULL, NULL, false, NULL, NULL }

typedef struct tr_index_stats {
	unsigned indexed;     /* files stored in the index */
	unsigned skipped;     /* files left out on purpose: unsupported type, too large, empty */
	unsigned failed;      /* files that could not be read or were damaged */
} tr_index_stats;

/*
 * Indexes every file under each of @paths (files or folders; hidden files
 * and folders are left out) into @db, committing every batch_size
 * documents and at the end.  A bad file is reported through the log
 * callback as "<path>: übersprungen – <Grund>" and counted; the run goes
 * on.  Returns TR_OK unless the index itself failed (then the status of
 * that failure, with the detail in tr_db_errmsg(@db)); @stats is filled
 * in either case.
 */
tr_status tr_index_paths(tr_db *db, const char *const *paths, size_t n_paths,
                         const tr_index_options *opts, tr_index_stats *stats);

/*
 * Builds the document for one file without touching any index.  @relpath
 * is the file's path below its root (for folder conventions).  *out is
 * owned by the caller; free with tr_doc_free().  On failure *why (if not
 * NULL) receives a short German reason (owned by the caller; free with
 * free()).  Returns TR_OK, TR_EIO, TR_ETOOBIG, TR_EUNSUPPORTED,
 * TR_EFORMAT or TR_ENOMEM.
 */
tr_status tr_index_read_file(tr_doc **out, const char *path, const char *relpath,
                             const tr_index_options *opts, char **why);

#ifdef __cplusplus
}
#endif

#endif
