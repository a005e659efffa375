/*
 * Metadata finders: each looks at what the extractor produced (and the
 * file's place in the folder tree) and proposes one kind of metadata.  They
 * never override explicit metadata; indexer/index.c applies the precedence
 * explicit > folder > text > file time, documented in docs/metadata.md.
 */
#ifndef TR_META_H
#define TR_META_H

#include <stdbool.h>
#include <stddef.h>

#include "tellerrand/date.h"
#include "tellerrand/district.h"
#include "tellerrand/document.h"

typedef struct tr_meta_input {
	const char *relpath;   /* path below the indexed root, '/'-separated */
	const char *title;     /* may be NULL */
	const char *headings;  /* may be NULL; one per line */
	const char *body;      /* never NULL; '\f' separates pages */
	size_t body_len;
	const char *format;    /* "markdown", "html", "text", ... */
} tr_meta_input;

/*
 * Date.  Sets *out and *src (TR_SOURCE_FOLDER or TR_SOURCE_TEXT) and returns
 * true if the path or the text gives the document's own date (dateline,
 * "Stand:", "Datum:", "Protokoll der Sitzung vom ..."), as opposed to dates
 * merely mentioned.  @hint, if valid, is a date known from elsewhere (e.g. a
 * year from the folder) used to complete dates written without a year.
 */
bool tr__meta_find_date(const tr_meta_input *in, tr_date *out, tr_source *src);

/*
 * Type.  Returns the best type with *src (TR_SOURCE_FOLDER, TR_SOURCE_TEXT
 * or TR_SOURCE_FORMAT), or TR_DOCTYPE_UNKNOWN when nothing points anywhere.
 */
tr_doctype tr__meta_find_type(const tr_meta_input *in, tr_source *src);

/*
 * Districts.  Fills *keys (owned by the caller; free with tr_strv_free())
 * with the district keys the document is about, main district first, and
 * *src with where they were found.  Returns TR_OK also when none was found
 * (*n == 0).
 */
tr_status tr__meta_find_districts(const tr_districts *reg, const tr_meta_input *in,
                                  char ***keys, size_t *n, tr_source *src);

#endif
