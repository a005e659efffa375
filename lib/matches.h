/* What the explanation of a hit holds, freed from C (lib/explain.c) and filled by the shim (lib/db_explain.cc). */
#ifndef TR_MATCHES_H
#define TR_MATCHES_H

#include <stddef.h>

#include "tellerrand/explain.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frees @n matches and their strings.  Accepts NULL. */
void tr__matches_free(tr_match *m, size_t n);

#ifdef __cplusplus
}
#endif

#endif
