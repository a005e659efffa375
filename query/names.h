/*
 * Display names: the one place that turns a stored key ("landkreis-meissen",
 * "praesentation", "sprachfoerderung") into what people read ("Landkreis
 * Meißen", "Präsentation", "Sprachförderung/DaZ").  Every printer (text,
 * JSON, page, status) and every "gültig: ..." list asks here, so that no
 * part of Tellerrand shows an internal key or a second name for the same
 * thing.  Districts use their short form (docs/names.md says why).
 */
#ifndef TR_NAMES_H
#define TR_NAMES_H

#include "buf.h"
#include "query.h"
#include "tellerrand/db.h"

/*
 * The display name of @key of facet @k.  Years are their own name.  A key
 * the tables do not know is returned as it is (an index built with older
 * data files).  The string is owned by the tables or is @key.
 */
const char *tr_display_name(const tr_query_vocab *v, tr_facet_kind k, const char *key);

/* Appends the display names of every value of @k, ", "-separated, to @out. */
tr_status tr_display_name_list(const tr_query_vocab *v, tr_facet_kind k, tr_buf *out);

#endif
