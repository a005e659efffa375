/*
 * The 13 districts of Saxony (10 Landkreise, 3 kreisfreie Städte) and the
 * gazetteer of all municipalities that resolves any place name, variant or
 * abbreviation to one of them.
 */
#ifndef TELLERRAND_DISTRICT_H
#define TELLERRAND_DISTRICT_H

#include <stddef.h>

#include "tellerrand/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tr_districts tr_districts;

/*
 * Loads the district table and the municipality gazetteer (the TSV files in
 * data/, documented in docs/data.md).  The optional stop list
 * "place-stopwords.txt" beside @districts_tsv names places that are also
 * common German words ("Bergen", "Schleife"); they count in running text
 * only after a place cue ("in Schleife", "Gemeinde Bergen").  On failure
 * returns TR_EIO (a file cannot be read), TR_ETOOBIG (over 16 MiB),
 * TR_EFORMAT (a malformed line) or TR_ENOMEM and, if @errmsg is not NULL,
 * a message naming file and line (owned by the caller; free with free()).
 * *out is owned by the caller; free with tr_districts_free().
 */
tr_status tr_districts_load(tr_districts **out, const char *districts_tsv,
                            const char *gazetteer_tsv, char **errmsg);

void tr_districts_free(tr_districts *reg);

/* Number of districts (13 for Saxony); indexes below run from 0 to count-1. */
size_t tr_districts_count(const tr_districts *reg);

/* Canonical key, e.g. "mittelsachsen", "leipzig", "landkreis-leipzig"; owned by @reg. */
const char *tr_districts_key(const tr_districts *reg, size_t i);

/* Display name, e.g. "Landkreis Mittelsachsen", "Stadt Leipzig"; owned by @reg. */
const char *tr_districts_name(const tr_districts *reg, size_t i);

/* Short display name, e.g. "Mittelsachsen", "Leipzig", "Landkreis Leipzig"; owned by @reg. */
const char *tr_districts_short_name(const tr_districts *reg, size_t i);

/* Index of the district whose key is @key, or (size_t)-1. */
size_t tr_districts_find_key(const tr_districts *reg, const char *key);

/*
 * Resolves what a user typed (a key, district name, variant, abbreviation
 * or car-plate code, or a municipality name) to one district, ignoring case
 * and umlaut spelling ("meissen", "Meißen", "SOE", "Freiberg", "lk leipzig").
 * Returns TR_OK with *out set, TR_ENOTFOUND if the name is unknown, or
 * TR_EINVAL if it names more than one district (a municipality name that
 * exists in two districts).
 */
tr_status tr_districts_resolve(const tr_districts *reg, const char *name, size_t *out);

/*
 * Scans UTF-8 @text for mentions of districts and municipalities and adds
 * @weight per mention to scores[i] of the district mentioned (scores has
 * tr_districts_count() entries).  Longest match wins, so "Landkreis
 * Leipzig" counts for the Landkreis, "Stadt Leipzig" or "Leipzig" alone for
 * the city.  Names shared by two districts count for neither; what else
 * counts as a mention is described in docs/metadata.md.  Returns TR_OK or
 * TR_ENOMEM.
 */
tr_status tr_districts_scan(const tr_districts *reg, const char *text, size_t len,
                            double weight, double *scores);

/* Called by tr_districts_each() for a mention of district @i at @text[start, start+len). */
typedef void (*tr_districts_mention_fn)(size_t i, size_t start, size_t len, void *ctx);

/*
 * Like tr_districts_scan() but reports every mention with its byte range,
 * in text order, so that callers can weigh mentions by position.  Returns
 * TR_OK or TR_ENOMEM.
 */
tr_status tr_districts_each(const tr_districts *reg, const char *text, size_t len,
                            tr_districts_mention_fn fn, void *ctx);

/*
 * Like tr_districts_resolve() but accepts only names that also count in
 * running text: no filter-only codes ("L", "V", "FG"), no official keys
 * (Kreisschlüssel, AGS), no stop-listed common words.  Meant for folder and
 * file names, where "V" or "Bergen" is more likely something else.
 */
tr_status tr_districts_resolve_name(const tr_districts *reg, const char *name, size_t *out);

#ifdef __cplusplus
}
#endif

#endif
