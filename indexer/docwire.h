/*
 * A complete tr_doc as JSON, for the pipe between an extraction worker and
 * the index writer.  Not stored anywhere; both ends are the same binary.
 */
#ifndef TR_DOCWIRE_H
#define TR_DOCWIRE_H

#include <jansson.h>

#include "tellerrand/document.h"

/* New reference, or NULL when out of memory. */
json_t *tr__doc_to_json(const tr_doc *doc);

/* *out is owned by the caller (tr_doc_free()); TR_EFORMAT for a malformed object. */
tr_status tr__doc_from_json(tr_doc **out, const json_t *o);

#endif
