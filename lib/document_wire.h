/*
 * A tr_doc as bytes, to pass it from an indexer worker to the writer (the
 * same binary on both ends of a pipe).  Implemented in document.c.
 */
#ifndef TR_DOCUMENT_WIRE_H
#define TR_DOCUMENT_WIRE_H

#include <stddef.h>

#include "buf.h"
#include "tellerrand/document.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends @doc to @out. */
tr_status tr_doc_encode(const tr_doc *doc, tr_buf *out);

/* The document in @data[0..len) into *out (free with tr_doc_free()); TR_EFORMAT if it is not one. */
tr_status tr_doc_decode(const char *data, size_t len, tr_doc **out);

/*
 * Builds @doc's index form (terms with wdf and positions, values, record,
 * spelling words) and appends it to @out, for tr_built_new() in the
 * writer's process.  Implemented in db_document.cc.  On failure *errmsg
 * (if not NULL) gets the detail; free it with free().
 */
tr_status tr_doc_build_wire(const tr_doc *doc, tr_buf *out, char **errmsg);

#ifdef __cplusplus
}
#endif

#endif
