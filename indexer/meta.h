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
#include "text.h"

/*
 * What the date finder read that the type finder asks again (whether a
 * dateline opens the body): filled by tr__meta_find_date_where(), read by
 * tr__meta_dateline_before().
 */
typedef struct tr__meta_datelines {
	bool known;            /* the date finder has read this document */
	size_t tail_start;     /* where the body's tail begins for its rules */
	size_t first;          /* byte offset of the body's first dateline, SIZE_MAX if none */
} tr__meta_datelines;

/* The body's words are found in its first 256 KB: as far as any finder reads (districts, topics). */
#define TR__META_WORDS_MAX (256u * 1024)

typedef struct tr_meta_input {
	const char *relpath;   /* path below the indexed root, '/'-separated */
	const char *title;     /* may be NULL */
	const char *headings;  /* may be NULL; one per line */
	const char *body;      /* never NULL; '\f' separates pages */
	size_t body_len;
	const char *format;    /* "markdown", "html", "text", ... */
	/*
	 * The body's words, found once for all finders (tr_text_words_find()
	 * from byte 0), or NULL: then each finder finds the words it reads.
	 */
	const tr_text_words *words;
	tr__meta_datelines *datelines;   /* NULL, or where the date finder leaves what the type finder asks */
} tr_meta_input;

/*
 * Where a finder read the value it decided on, for "Warum gefunden?"
 * (docs/metadata.md, "Where a value was read"): the words, and the line.
 */
typedef struct tr__meta_where {
	char text[112];        /* the words ("Landratsamt in Freiberg"), "" for none; cut at a character */
	unsigned line;         /* 1-based line of the body; 0: the path or the title */
} tr__meta_where;

/*
 * Sets @w to the words of @s ending with the match at @at (@len bytes):
 * the match and up to a few words before it on its line.  With @body, the
 * line number is counted ('\n' and the '\f' between pages end a line).
 */
void tr__meta_where_set(tr__meta_where *w, const char *s, size_t at, size_t len, bool body);

/*
 * Date.  Sets *out and *src (TR_SOURCE_FOLDER or TR_SOURCE_TEXT) and returns
 * true if the path or the text gives the document's own date (a date in
 * the file or folder name, a dateline, "Stand:", "Datum:", "Protokoll der
 * Sitzung vom ..."), as opposed to dates merely mentioned.  *out may have
 * only a month or a year.  Returns false (leaving *out and *src alone) when
 * neither does; the caller then uses the file time.  The rules and their
 * precedence are in docs/metadata.md, section "Date".
 */
bool tr__meta_find_date(const tr_meta_input *in, tr_date *out, tr_source *src);

/* tr__meta_find_date() that also says where it read the date (@where may be NULL). */
bool tr__meta_find_date_where(const tr_meta_input *in, tr_date *out, tr_source *src, tr__meta_where *where);

/* How a date stands in its text (see tr__meta_date_mentions()). */
typedef enum tr__date_cue {
	TR__DATE_MENTION = 0,  /* merely mentioned: a deadline, the next meeting, ... */
	TR__DATE_LABEL,        /* introduced as the document's date: "Stand:", "Protokoll vom" */
	TR__DATE_DATELINE      /* alone on a top line, or "Ort, den ..." */
} tr__date_cue;

typedef struct tr__date_mention {
	tr_date date;          /* year 0 if written without one and none could be inferred */
	size_t offset;         /* byte offset in the body */
	size_t len;            /* bytes the date spans */
	tr__date_cue cue;
	bool year_inferred;    /* the year came from the document's own date */
} tr__date_mention;

/*
 * Every date in in->body, in text order (at most the first 65536), with its
 * cue, and years completed from the document's own date as
 * tr__meta_find_date() decides it.  *out is owned by the caller; free with
 * free().  Returns TR_OK (also with *n == 0) or TR_ENOMEM.
 */
tr_status tr__meta_date_mentions(const tr_meta_input *in, tr__date_mention **out, size_t *n);

/*
 * Whether the first @lim bytes of the body, read as a text of their own
 * (with the title), have a dateline that begins before byte @before
 * (@before <= @lim).  Uses what the date finder left in in->datelines where
 * that gives the same answer, and reads the text again where it may not
 * (the tail rules of the whole text and of its first @lim bytes differ).
 */
tr_status tr__meta_dateline_before(const tr_meta_input *in, size_t lim, size_t before, bool *yes);

/*
 * Type.  Returns the best type with *src (TR_SOURCE_FOLDER, TR_SOURCE_TEXT
 * or TR_SOURCE_FORMAT); TR_DOCTYPE_SONSTIGES (source text) for a text that
 * points to none of the three, and TR_DOCTYPE_UNKNOWN (source none) only
 * for a document without text.  Rules in docs/metadata.md, section "Type".
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

/* tr__meta_find_districts() that also says where it read the main district (@where may be NULL). */
tr_status tr__meta_find_districts_where(const tr_districts *reg, const tr_meta_input *in,
                                        char ***keys, size_t *n, tr_source *src, tr__meta_where *where);

#endif
