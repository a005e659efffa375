/*
 * The record stored with each document (Xapian's document data): the
 * metadata a result needs for display, so that showing a hit never needs
 * the original file, as NUL-separated keys and values.  Schema in
 * docs/terms.md.
 */
#ifndef TR_DOCDATA_H
#define TR_DOCDATA_H

#include "tellerrand/db.h"
#include "tellerrand/document.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_DOCDATA_VERSION 2

/* Encodes @doc into *@len bytes (NULs inside); owned by the caller, free with free(); NULL when out of memory. */
char *tr__docdata_encode(const tr_doc *doc, size_t *len);

/*
 * Keeps the stored record @data of @len bytes in hit->data (a record of
 * index format 4 or before, JSON, turned into pairs) and fills @hit's
 * metadata fields (path, title, type, date, districts, topics, format,
 * mime, internal) from it.
 */
tr_status tr__docdata_decode(tr_hit *hit, const char *data, size_t len);

/* The first value of @key in hit->data, or NULL. */
const char *tr__docdata_value(const tr_hit *hit, const char *key);

/* Frees what tr__docdata_decode() and the search filled into @hit. */
void tr__hit_clear(tr_hit *hit);

#ifdef __cplusplus
}
#endif

#endif
