/*
 * "Ähnliche Dokumente" from the command line and the server: which document
 * a user means (an id or a path), and the line that names it above the list.
 */
#ifndef TR_SIMILAR_H
#define TR_SIMILAR_H

#include <stdbool.h>

#include "tellerrand/db.h"

/*
 * The document @arg names: a path (made absolute if the file is there,
 * as the indexer stored it) or, when no such file exists, a document id
 * ("/dokument/N", the JSON's docid).  A document marked internal counts
 * as absent unless @internal is true.  *out is owned by the caller; free
 * with tr_hit_free().  Returns TR_OK, TR_ENOTFOUND (*errmsg says so in
 * German, owned by the caller), TR_EMODIFIED, TR_ENOMEM or TR_EINTERNAL
 * (detail in tr_db_errmsg()).
 */
tr_status tr_similar_resolve(tr_db *db, const char *arg, bool internal, tr_hit **out, char **errmsg);

#endif
