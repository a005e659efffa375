/*
 * Fixtures the index tests share: a plain-text document to index, and
 * removing the test's scratch folder.  Include after check.h.
 */
#ifndef TR_FIXTURE_H
#define TR_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tellerrand/document.h"

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
