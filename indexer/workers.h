/*
 * Extraction in worker processes.  Parsers of untrusted files may crash,
 * hang or exhaust memory; in a worker that costs the one file, which is
 * reported, and a fresh worker takes over.  Only the parent writes the
 * index, so whatever happens to a worker, the index gets whole documents.
 */
#ifndef TR_WORKERS_H
#define TR_WORKERS_H

#include <stdbool.h>
#include <stddef.h>

#include "scan.h"
#include "tellerrand/index.h"

typedef enum tr__outcome {
	TR_OUTCOME_DOC,      /* extracted: doc is set */
	TR_OUTCOME_SAME,     /* content hash as expected: nothing extracted */
	TR_OUTCOME_SKIP,     /* left out on purpose: reason */
	TR_OUTCOME_FAIL      /* damaged, unreadable, crashed, timed out: reason */
} tr__outcome;

typedef struct tr__result {
	size_t job;          /* index into the job list */
	tr__outcome outcome;
	char *hash;          /* content hash (hex), when the file was read */
	char *reason;        /* SKIP, FAIL */
	char *built;         /* DOC: the document as tr_doc_build_wire() made it (its terms), stamp included */
	size_t built_len;
	char *district;      /* DOC: key of its main district, or NULL; picks a shard by district */
	bool worker_died;    /* FAIL because the worker crashed or timed out: may not happen again */
	unsigned ocr_pages;  /* pages recognised by OCR for this file */
	unsigned ocr_cached; /* pages whose OCR text came from the cache */
} tr__result;

/* One file to read; expect_hash (or NULL) is the content hash on record. */
typedef struct tr__job {
	const tr__file *file;
	const char *expect_hash;
} tr__job;

/* Called in the parent for each finished job, in completion order; non-OK stops the run. */
typedef tr_status (*tr__result_fn)(tr__result *r, void *ctx);

/*
 * Called in the parent just before (@before true) and after each fork of a
 * worker.  A child inherits none of the parent's other threads, so a lock
 * one of them held at that moment (in malloc, say) would stay locked in
 * the child for ever: threads must hold still around the fork.
 */
typedef void (*tr__fork_fn)(bool before, void *ctx);

/*
 * Runs @jobs through opts->jobs worker processes (at least one), calling
 * @fn for each result and @fork_fn (may be NULL) around each fork.  Stops
 * handing out files when *opts->stop is set, but lets the files in
 * progress finish.  A file's time limit (opts->timeout) grows by
 * opts->ocr.page_timeout for each page its worker starts to recognise, so
 * that the limit covers OCR; opts->ocr_page is called for each.  Returns TR_OK, the first non-OK status of @fn, or the
 * status of a failure to start workers.
 */
tr_status tr__workers_run(const tr__job *jobs, size_t n, const tr_root *roots,
                          const tr_index_options *opts, tr__result_fn fn, tr__fork_fn fork_fn, void *ctx);

/* The content hash of a file, as hex (owned by the caller); NULL if unreadable. */
char *tr__hash_file(const char *path);

/*
 * The largest file a worker reads (indexer/index.c): --max-size, but never
 * more than a quarter of the worker's memory limit, which the file, its
 * text and the document built from it share.
 */
size_t tr__read_limit(const tr_index_options *o);

#endif
