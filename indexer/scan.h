/*
 * The scan: which files lie under the roots, with the stamps that tell an
 * unchanged file from a changed one without reading it.
 */
#ifndef TR_SCAN_H
#define TR_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "tellerrand/status.h"

/* What the walk found at a path. */
typedef enum tr__found {
	TR__FOUND_FILE,        /* a regular file (or a link to one): to be indexed */
	TR__FOUND_FAILED,      /* could not be looked at (a dangling link): @error says why */
	TR__FOUND_SKIPPED,     /* not a file to index (a FIFO, a device, a socket): @error says what */
	TR__FOUND_UNREADABLE   /* a folder that cannot be read: its documents are kept, as for a missing root */
} tr__found;

/*
 * One entry of the scan.  Its strings live in the list's string blocks, so
 * a file costs its struct and the bytes of its path: the path below the
 * root is, where it can be, the tail of the absolute path, not a copy.
 */
typedef struct tr__file {
	const char *path;    /* absolute */
	const char *relpath; /* the root's own name, then the path below it */
	const char *real;    /* for a link: where it leads (absolute, resolved); else NULL */
	const char *error;   /* why, for all but TR__FOUND_FILE */
	uint64_t size, dev, ino;
	int64_t mtime_ns, ctime_ns;
	uint32_t root;       /* index into the roots: the most specific one that holds it (update.c) */
	tr__found found;
} tr__file;

/*
 * Strings kept until the end of a run, allocated in large blocks: no
 * allocation (and its overhead) per string.  Zero-initialised is empty.
 */
typedef struct tr__strpool {
	struct tr__strblock *blocks;
} tr__strpool;

/* A copy of the @len bytes at @s and a NUL, kept until tr__strpool_free(); NULL when out of memory. */
const char *tr__strpool_copy(tr__strpool *p, const char *s, size_t len);
void tr__strpool_free(tr__strpool *p);

typedef struct tr__filelist {
	tr__file *v;
	size_t n, alloc;
	tr__strpool strings;  /* the entries' strings */
} tr__filelist;

/* A folder the walk leaves out (the index itself, a root walked on its own). */
typedef struct tr__dirid {
	uint64_t dev, ino;
} tr__dirid;

void tr__filelist_free(tr__filelist *fl);

/*
 * Appends every regular file under @root (an absolute, resolved path: a
 * folder, walked recursively in name order, or a single file) to @fl.
 * Hidden files and folders and the folders in @skip are left out; links
 * to folders are not followed, links to files are resolved into ->real
 * (whether one may be followed is for the caller to decide); FIFOs and
 * devices are listed as skipped and unreadable folders as such.
 * *available is false when the root is an empty folder (an unmounted
 * share) or cannot be read (then @why says why), and nothing is appended.
 */
tr_status tr__scan_root(tr__filelist *fl, const char *root, size_t root_index,
                        const tr__dirid *skip, size_t n_skip, bool *available, char *why, size_t whylen);

/* The stat part of a stamp: "size mtime_ns ctime_ns dev ino". Owned by the caller. */
char *tr__stamp_stat(const tr__file *f);

/* A whole stamp: the stat part, the content hash ("-" if none), the fingerprint ("-" if none). */
char *tr__stamp(const char *stat, const char *hash, const char *fingerprint);

#endif
