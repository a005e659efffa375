/*
 * A document's index form as bytes, to pass it from an indexer worker
 * (which builds it) to the writer's process (which stores it, by way of
 * tr_built_new()): the same binary on both ends of a pipe.
 */
#ifndef TR_DOCUMENT_WIRE_H
#define TR_DOCUMENT_WIRE_H

#include <stddef.h>

#include "buf.h"
#include "tellerrand/document.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Builds @doc's index form (terms with wdf and positions, values, record,
 * spelling words) and appends it to @out.  Implemented in db_document.cc.
 * On failure *errmsg (if not NULL) gets the detail; free it with free().
 */
tr_status tr_doc_build_wire(const tr_doc *doc, tr_buf *out, char **errmsg);

#ifdef __cplusplus
}
#endif

#endif
