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

typedef struct tr__file {
	char *path;          /* absolute */
	char *relpath;       /* the root's own name, then the path below it */
	size_t root;         /* index into the roots */
	uint64_t size, dev, ino;
	int64_t mtime_ns, ctime_ns;
	char *error;         /* why it could not be looked at (a dangling link), or NULL */
} tr__file;

typedef struct tr__filelist {
	tr__file *v;
	size_t n, alloc;
} tr__filelist;

void tr__filelist_free(tr__filelist *fl);

/*
 * Appends every regular file under @root (a folder, walked recursively in
 * name order, or a single file) to @fl; hidden files and folders and the
 * folder @exclude (if not NULL) are left out, links to folders are not
 * followed.  *available is false when the root is missing or an empty
 * folder (an unmounted share), in which case nothing is appended.
 * *abs receives the root's absolute path (owned by the caller).
 */
tr_status tr__scan_root(tr__filelist *fl, const char *root, size_t root_index,
                        const struct stat *exclude, bool *available, char **abs);

/* The stat part of a stamp: "size mtime_ns ctime_ns dev ino". Owned by the caller. */
char *tr__stamp_stat(const tr__file *f);

/* A whole stamp: the stat part, the content hash ("-" if none), the fingerprint ("-" if none). */
char *tr__stamp(const char *stat, const char *hash, const char *fingerprint);

#endif
