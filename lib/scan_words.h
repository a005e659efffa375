/*
 * The text scans of the district and topic registers over words found
 * beforehand: the indexer reads a document's body words once
 * (tr_text_words_find()) and every finder reads them from there.
 */
#ifndef TR_SCAN_WORDS_H
#define TR_SCAN_WORDS_H

#include "tellerrand/district.h"
#include "tellerrand/topics.h"
#include "text.h"

/*
 * tr_districts_each() on @text[0..len), reading its words from @words
 * (found in a range that starts at 0 and covers @len or more).
 */
tr_status tr_districts_each_words(const tr_districts *reg, const char *text, size_t len,
                                  const tr_text_words *words, tr_districts_mention_fn fn, void *ctx);

/* tr_topics_scan() on @text[0..len), reading its words from @words (as above). */
tr_status tr_topics_scan_words(const tr_topics *t, const char *text, size_t len, const tr_text_words *words,
                               double weight, double *scores);

#endif
