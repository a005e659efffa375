/*
 * The record stored with each document (Xapian's document data): a JSON
 * object with the metadata a result needs for display, so that showing a
 * hit never needs the original file.  Schema in docs/terms.md.
 */
#ifndef TR_DOCDATA_H
#define TR_DOCDATA_H

#include "tellerrand/db.h"
#include "tellerrand/document.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_DOCDATA_VERSION 1

/* Encodes @doc; owned by the caller, free with free(); NULL when out of memory. */
char *tr__docdata_encode(const tr_doc *doc);

/* Fills @hit's metadata fields (path, title, type, date, districts, topics, format, mime, internal) from hit->data. */
tr_status tr__docdata_decode(tr_hit *hit);

/* Frees what tr__docdata_decode() and the search filled into @hit. */
void tr__hit_clear(tr_hit *hit);

#ifdef __cplusplus
}
#endif

#endif
