/*
 * Text helpers shared by the extractors, the metadata finders and the query
 * layer.  All of them take and give UTF-8; Unicode work is delegated to
 * utf8proc and charset conversion to iconv.
 */
#ifndef TR_TEXT_H
#define TR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "tellerrand/status.h"

/* True if @s[0..len) is well-formed UTF-8. */
bool tr_text_is_utf8(const char *s, size_t len);

/*
 * Converts @s[0..len) from @charset (an iconv name, e.g. "ISO-8859-1") to
 * UTF-8, NFC-normalised, appending to @out.  Invalid sequences are replaced
 * by U+FFFD rather than failing the whole file.
 */
tr_status tr_text_to_utf8(tr_buf *out, const char *s, size_t len, const char *charset);

/* Appends the NFC form of the UTF-8 string @s[0..len) to @out. */
tr_status tr_text_nfc(tr_buf *out, const char *s, size_t len);

/*
 * Appends a matching key for @s[0..len) to @out: NFC, case-folded, German
 * letters spelled out (ä→ae, ö→oe, ü→ue, ß→ss), so that "Meißen",
 * "MEISSEN" and "Meissen" (or "Görlitz" and "Goerlitz") give the same key.
 */
tr_status tr_text_fold(tr_buf *out, const char *s, size_t len);

/* Like tr_text_fold() for a NUL-terminated string; returns a malloc'ed key or NULL. */
char *tr_text_fold_dup(const char *s);

/* Decodes one code point at @s (at most @len bytes); returns its length (>=1), setting *cp (U+FFFD on error). */
size_t tr_text_decode(const char *s, size_t len, int *cp);

/* True for code points that are part of a word: letters, digits, marks. */
bool tr_text_is_wordchar(int cp);
bool tr_text_is_upper(int cp);

/*
 * Word iteration: finds the next run of word characters at or after *pos.
 * Sets *start and *wlen to the word's byte range and advances *pos past it.
 * Returns false at the end of the text.
 */
bool tr_text_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *wlen);

/*
 * The words of a text, found once for every reader (the metadata finders
 * of a document all read its body's words): tr_text_next_word()'s runs of
 * word characters, with the case of each.
 */
typedef struct tr_text_word {
	size_t start, len;     /* byte range in the text */
	size_t fold, flen;     /* its tr_text_fold() in the words' folds (tr_text_words_fold()) */
	bool cap;              /* begins with a capital letter */
	bool upper;            /* only capitals and digits ("LK", "AG2") */
} tr_text_word;

typedef struct tr_text_words {
	tr_text_word *v;
	size_t n, alloc;
	size_t from, to;       /* the range of the text they were found in */
	tr_buf folds;          /* the words' folds, one after another */
	bool folded;           /* tr_text_words_fold() filled them */
	/*
	 * Every character of the range folds on its own, a word character to
	 * word characters and any other to itself: then tr_text_fold() of any
	 * stretch is the stretch with its words replaced by their folds.
	 */
	bool local;
} tr_text_words;

#define TR_TEXT_WORDS_INIT { NULL, 0, 0, 0, 0, TR_BUF_INIT((size_t)-1 / 2), false, false }

/* Finds the words of @s[from..to) into @w (emptied first). */
tr_status tr_text_words_find(tr_text_words *w, const char *s, size_t from, size_t to);

/*
 * The index of the first word of @w that starts at or after @pos (w->n if
 * none).  With a @limit inside the found range, a reader sees the words of
 * @s[pos..limit) exactly as tr_text_next_word() with length @limit would:
 * see tr_text_word_cut().
 */
size_t tr_text_words_at(const tr_text_words *w, size_t pos);

/*
 * The length of word @x as tr_text_next_word() with text length @limit
 * finds it (cut at the last whole character before @limit), 0 if it does
 * not begin before @limit.
 */
size_t tr_text_word_cut(const char *s, const tr_text_word *x, size_t limit);

/*
 * Folds every word of @w (found in @s) once, for all readers that compare
 * folded words, and sets w->local (see above).
 */
tr_status tr_text_words_fold(tr_text_words *w, const char *s);

/* The fold of word @x of @w (after tr_text_words_fold()). */
static inline const char *
tr_text_word_fold(const tr_text_words *w, const tr_text_word *x)
{
	return w->folds.ptr + x->fold;
}

/*
 * Whether @s[0..len) is text whose characters fold on their own (as
 * tr_text_words.local says of a range).
 */
bool tr_text_folds_locally(const char *s, size_t len);

/*
 * Appends tr_text_fold() of @s[a..b) (@a and @b at character boundaries)
 * to @out, from the folds of @w (found in @s) where it covers [a, b) and
 * that text folds character by character; by tr_text_fold() elsewhere.
 */
tr_status tr_text_words_fold_range(const tr_text_words *w, const char *s, size_t a, size_t b, tr_buf *out);

/*
 * @w if it holds the words and folds of all of the NUL-terminated @s and
 * that text folds character by character (local), else NULL: whether a
 * reader of the folded text may read @w instead.
 */
const tr_text_words *tr_text_words_cover(const tr_text_words *w, const char *s);

void tr_text_words_free(tr_text_words *w);

/* A 64-bit FNV-1a hash of @p[0..n), for in-memory hash tables (not stored anywhere). */
uint64_t tr_text_hash(const char *p, size_t n);

/*
 * Appends @s[0..len) as one line a person can read, for every message,
 * log line or listing that carries outside text (file names, request
 * lines, text from documents): valid UTF-8 stays as it is; a byte that is
 * not UTF-8 is read as Windows-1252, the code page of old Samba and
 * Windows shares ("M\xe4rz" shows as "März"); control characters, which
 * could forge a line or drive a terminal, are written as escapes: \n, \r,
 * \t, \xNN for other C0 bytes, DEL and the bytes Windows-1252 leaves
 * undefined, \uNNNN for C1 controls, line separators and bidi overrides.
 */
tr_status tr_text_printable(tr_buf *out, const char *s, size_t len);

/* Like tr_text_printable() for a NUL-terminated string (NULL gives ""); malloc'ed, NULL when out of memory. */
char *tr_text_printable_dup(const char *s);

/*
 * Arbitrary bytes (a file name) as a UTF-8 string for JSON, losslessly:
 * '%' and every byte that is not part of well-formed UTF-8 are written as
 * %XX; everything else, a valid UTF-8 name included, stays as it is.
 * Both return a malloc'ed string, NULL when out of memory.
 */
char *tr_text_bytes_encode(const char *s);
char *tr_text_bytes_decode(const char *s);

/* Collapses runs of white space into one space and trims both ends, in place. */
void tr_text_squeeze(char *s);

/* Like tr_text_squeeze() but leaves bytes other than ' ' alone (for text with control marks). */
void tr_text_squeeze_spaces(char *s);

#endif
