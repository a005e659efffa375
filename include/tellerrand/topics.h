/*
 * The topic taxonomy (Themen): a data file of topics, each with keywords
 * that are matched on word stems, so that "Integrationskurse" and
 * "integriert" count for Integration without listing every form.
 */
#ifndef TELLERRAND_TOPICS_H
#define TELLERRAND_TOPICS_H

#include <stddef.h>

#include "tellerrand/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tr_topics tr_topics;

/*
 * Loads the taxonomy from @path (data/topics.tsv, format in docs/data.md).
 * *out is owned by the caller; free with tr_topics_free().  On failure
 * *errmsg (if not NULL) names file and line; free it with free().
 */
tr_status tr_topics_load(tr_topics **out, const char *path, char **errmsg);
void tr_topics_free(tr_topics *t);

size_t tr_topics_count(const tr_topics *t);
/* Key, e.g. "sprachfoerderung"; owned by @t. */
const char *tr_topics_key(const tr_topics *t, size_t i);
/* German label, e.g. "Sprachförderung/DaZ"; owned by @t. */
const char *tr_topics_label(const tr_topics *t, size_t i);
/* Index of the topic with key @key, or (size_t)-1. */
size_t tr_topics_find_key(const tr_topics *t, const char *key);

/*
 * Resolves a topic as a user names it: key, label, or one of its keywords,
 * any case or umlaut spelling ("DaZ", "sprachförderung", "Kita").
 * TR_ENOTFOUND if none.
 */
tr_status tr_topics_resolve(const tr_topics *t, const char *name, size_t *out);

/*
 * Scores UTF-8 @text against the keywords: adds @weight to scores[i] for
 * every keyword occurrence of topic i (scores has tr_topics_count() entries).
 */
tr_status tr_topics_scan(const tr_topics *t, const char *text, size_t len,
                         double weight, double *scores);

#ifdef __cplusplus
}
#endif

#endif
