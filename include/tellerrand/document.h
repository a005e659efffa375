/*
 * The document model: what the indexer knows about one file, independent of
 * its format and of Xapian.  Extractors and metadata finders fill it; the
 * index layer (db.h) stores it; queries return parts of it.
 */
#ifndef TELLERRAND_DOCUMENT_H
#define TELLERRAND_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tellerrand/date.h"
#include "tellerrand/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The kinds of document the network produces.  The types, their keys and
 * display names are the rows of data/types.tsv (compiled in; see
 * docs/data.md): a type's number is its row.  The first four rows are the
 * types the finder's own rules know by name, hence these constants; the
 * others have numbers up to tr_doctype_count() - 1.  The number only
 * lives inside a process: indexes store the key.
 */
typedef enum tr_doctype {
	TR_DOCTYPE_UNKNOWN = 0,
	TR_DOCTYPE_PRESSEMITTEILUNG,
	TR_DOCTYPE_PROTOKOLL,
	TR_DOCTYPE_PRAESENTATION,
	TR_DOCTYPE_SONSTIGES,
	TR_DOCTYPE_MAX = 32           /* room for the table's rows */
} tr_doctype;

/* The number of types plus one (TR_DOCTYPE_UNKNOWN): valid numbers are below it. */
int tr_doctype_count(void);
/* Index term key: "pressemitteilung", "protokoll", ...; "unbekannt" for unknown. */
const char *tr_doctype_key(tr_doctype t);
/* German display name: "Pressemitteilung", "Protokoll/Niederschrift", ... */
const char *tr_doctype_label(tr_doctype t);
/*
 * Resolves a name as users and front matter write it, German or English,
 * any case or umlaut spelling ("Protokoll", "minutes", "PM", "Folien",
 * "praesentation", "slides", "Beschlussvorlage"): a key, or a name the
 * table gives the type (old names of a type stay there as aliases).
 * TR_ENOTFOUND if unknown.
 */
tr_status tr_doctype_from_name(tr_doctype *out, const char *name);

/*
 * Where a piece of metadata came from, in rising order of trust: a finder
 * only overrides a value that came from a lower source.
 */
typedef enum tr_source {
	TR_SOURCE_NONE = 0,
	TR_SOURCE_FORMAT,     /* implied by the file format (slides → Präsentation) */
	TR_SOURCE_FILETIME,   /* file modification time */
	TR_SOURCE_TEXT,       /* found in the text */
	TR_SOURCE_FOLDER,     /* folder or file name convention */
	TR_SOURCE_EXPLICIT    /* front matter, HTML meta, document properties */
} tr_source;

/* English name of a source ("explicit", "folder", "text", ...), for --verbose and JSON. */
const char *tr_source_name(tr_source s);

/*
 * One document.  All strings are UTF-8, NFC; all are owned by the document
 * and freed by tr_doc_free().  Arrays of strings hold n_* entries.
 */
typedef struct tr_doc {
	char *path;          /* absolute path of the file */
	char *relpath;       /* path relative to the root it was found under */
	char *mime;          /* MIME type as detected, e.g. "text/markdown" */
	char *format;        /* extractor name: "markdown", "html", "text" */
	char *title;
	char *headings;      /* heading texts, one per line */
	char *body;          /* main text; pages or slides separated by '\f' */
	char *description;   /* abstract from metadata, if any */
	char *author;

	tr_date date;
	tr_source date_source;
	/* Where the date was read ("Freiberg, 15.09.2017", a file name), or NULL; see docs/metadata.md. */
	char *date_where;
	unsigned date_line;  /* 1-based line of the body date_where is on; 0: path, title or unknown */

	char **districts;    /* district keys; the main district first */
	size_t n_districts;
	tr_source district_source;
	char *district_where;     /* as date_where: "Landratsamt in Freiberg", a folder's name */
	unsigned district_line;

	tr_doctype type;
	tr_source type_source;

	char **topics;       /* topic keys from the taxonomy */
	size_t n_topics;

	char **tags;         /* free keywords from front matter or meta tags */
	size_t n_tags;

	bool internal;       /* only for requests allowed to see internal documents */
	char *stamp;         /* the indexer's change-detection record (opaque), or NULL */

	uint64_t size;       /* file size in bytes */
	int64_t mtime;       /* file modification time, seconds since the epoch */

	/*
	 * The body's words and their folds, found once by the indexer for its
	 * metadata finders and read again for the same-text key and the
	 * sketch; NULL where nobody found them (those then read the body).
	 */
	struct tr_text_words *words;
} tr_doc;

/* Allocates an empty document; NULL when out of memory. Free with tr_doc_free(). */
tr_doc *tr_doc_new(void);
void tr_doc_free(tr_doc *doc);

/* Appends a copy of @s to a string array unless it is already there (compared exactly). */
tr_status tr_strv_add_unique(char ***v, size_t *n, const char *s);
/* Frees a string array of @n entries. */
void tr_strv_free(char **v, size_t n);

#ifdef __cplusplus
}
#endif

#endif
