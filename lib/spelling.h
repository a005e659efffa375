/*
 * When a "Meinten Sie" suggestion is worth showing (docs/german.md,
 * "Rechtschreibvorschläge").  Xapian proposes the most frequent word of the
 * archive within two edits; this decides whether that proposal is one a
 * person would have meant.  The same rule for the command line, the API and
 * the page, since all three take the suggestion from tr_db_search().
 */
#ifndef TR_SPELLING_H
#define TR_SPELLING_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Edits allowed for a typed word of @chars letters: 0 below 4, 1 up to 7, then 2. */
unsigned tr__spelling_max_edits(size_t chars);

/*
 * True if @suggested may be offered for @typed (both UTF-8 words): within
 * tr__spelling_max_edits() of it (a swap of two neighbours is one edit;
 * compared case-folded, ä as ae), starting with the same letter, and not a
 * stopword.
 */
bool tr__spelling_acceptable(const char *typed, const char *suggested);

#ifdef __cplusplus
}
#endif

#endif
