/*
 * Extractors: one per file format, each turning the bytes of one file into
 * typed text fields and the metadata the file states explicitly.  They never
 * touch Xapian and never guess metadata from the text (that is meta.h's job).
 * A new format is one extractor file plus one row in the handler table in
 * indexer/extract.c.
 */
#ifndef TR_EXTRACT_H
#define TR_EXTRACT_H

#include <stddef.h>

#include "buf.h"
#include "tellerrand/status.h"

typedef struct tr_extract {
	tr_buf title;
	tr_buf headings;     /* one heading per line */
	tr_buf body;         /* UTF-8 NFC; '\f' between pages or slides */
	tr_buf description;
	tr_buf author;

	/* Metadata exactly as the file states it (front matter, meta tags). */
	char *date;          /* e.g. "2017-09-15" or "15.09.2017"; NULL if none */
	char *type;          /* e.g. "Pressemitteilung"; NULL if none */
	char **districts;    /* district names as written; resolved later */
	size_t n_districts;
	char **tags;
	size_t n_tags;
} tr_extract;

/* Initialises every text field with the ceiling @max_text bytes. */
void tr_extract_init(tr_extract *x, size_t max_text);
void tr_extract_free(tr_extract *x);

/* What an extractor knows about its input besides the bytes. */
typedef struct tr_input {
	const char *path;      /* for messages only */
	const char *mime;      /* from libmagic */
	const char *charset;   /* from libmagic: "utf-8", "iso-8859-1", "unknown-8bit", ... */
	const char *data;
	size_t len;
} tr_input;

/*
 * An extractor fills @out from @in.  On failure it returns a status and sets
 * *why to a short German reason for the user ("ungültiges HTML", ...; owned by
 * the caller, free with free()), or leaves it NULL to let the caller use
 * tr_strerror().
 */
typedef tr_status (*tr_extract_fn)(tr_extract *out, const tr_input *in, char **why);

typedef struct tr_handler {
	const char *format;      /* "markdown", "html", "text" */
	tr_extract_fn extract;
} tr_handler;

/*
 * Chooses the handler for a file from its MIME type (libmagic, from the
 * content) with the file name's extension as a hint where the content is
 * ambiguous (Markdown is plain text to libmagic).  Returns NULL when no
 * extractor handles the type.
 */
const tr_handler *tr__handler_find(const char *mime, const char *path);

/* Converts raw text bytes of @charset into @out as UTF-8 NFC (used by every text-like extractor). */
tr_status tr__extract_decode(tr_buf *out, const char *data, size_t len, const char *charset);

/* The extractors. */
tr_status tr__extract_text(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_markdown(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_html(tr_extract *out, const tr_input *in, char **why);

/*
 * Parses YAML front matter (the text between a leading "---" line and the
 * next "---" or "..." line) into @out's metadata fields.  Returns the
 * number of bytes the front matter occupies (0 if there is none).
 */
size_t tr__front_matter(tr_extract *out, const char *data, size_t len);

#endif
