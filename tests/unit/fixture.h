/*
 * Fixtures the index tests share: a new index in a scratch folder, a
 * plain-text document to index, and removing the scratch folder.  Include
 * after check.h.
 */
#ifndef TR_FIXTURE_H
#define TR_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tellerrand/db.h"
#include "tellerrand/document.h"

/*
 * A new index opened for writing in a fresh scratch folder made from @dir
 * (a mkdtemp() template, changed in place); its path in *@path, to free().
 * NULL, as a failed check, when the folder or the index cannot be made.
 */
static inline tr_db *
fixture_open_index(char *dir, char **path)
{
	tr_db *db = NULL;
	char *err = NULL;

	*path = NULL;
	if (!mkdtemp(dir) || asprintf(path, "%s/index", dir) < 0) {
		CHECK_MSG(0, "cannot make a scratch folder from %s", dir);
		return NULL;
	}
	CHECK_MSG(tr_db_open(&db, *path, TR_DB_WRITE, &err) == TR_OK, "cannot open %s: %s", *path, err ? err : "?");
	free(err);
	return db;
}

/* A text/plain document at @path (relative path the same) with @title and @body; the rest unset. */
static inline tr_doc *
fixture_text_doc(const char *path, const char *title, const char *body)
{
	tr_doc *doc = tr_doc_new();

	doc->path = strdup(path);
	doc->relpath = strdup(path);
	doc->title = strdup(title);
	doc->body = strdup(body);
	doc->format = strdup("text");
	doc->mime = strdup("text/plain");
	return doc;
}

static inline int
fixture_remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

/* Removes the test's folder @dir and all in it; a failure is a failed check. */
static inline void
fixture_remove_dir(const char *dir)
{
	CHECK_MSG(nftw(dir, fixture_remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0, "cannot remove %s", dir);
}

#endif
