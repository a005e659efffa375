/*
 * The district registry compiled at build time (lib/district/gen.c) and
 * embedded in the library (lib/district_blob.c): the trie of
 * lib/district.c as it lies in memory, with the data files it was built
 * from.  tr_districts_load() uses it in place when the files it is given
 * are byte for byte those files, and parses them otherwise.
 */
#ifndef TR_DISTRICT_BLOB_H
#define TR_DISTRICT_BLOB_H

#include <stdint.h>

#include "buf.h"
#include "tellerrand/district.h"

#define TR__DISTRICTS_MAGIC "TRDIST01"

/* The files a registry is built from: the two given and the two optional siblings. */
enum { TR__DISTRICTS_SOURCES = 4 };

/* src_len of a source that was absent. */
#define TR__DISTRICTS_ABSENT UINT32_MAX

struct tr__districts_header {
	char magic[8];
	uint32_t node_size, edge_size;   /* sizeof of the structs, checked at load */
	uint32_t n_districts, n_nodes, cap_edges, n_edges, pool_len;
	uint32_t total;                  /* bytes of the whole blob */
	/* Offsets from the header's start, each a multiple of 8. */
	uint32_t off_strings;            /* per district: key, name, short_name, kind, kreisschluessel, seat */
	uint32_t off_nodes, off_edges, off_pool;
	uint32_t off_src[TR__DISTRICTS_SOURCES], src_len[TR__DISTRICTS_SOURCES];
};

/*
 * Appends the compiled form of @reg, loaded from @districts_tsv and
 * @gazetteer_tsv, to @out.  Returns TR_OK, TR_EIO (a source file cannot
 * be read again), TR_ETOOBIG or TR_ENOMEM.
 */
tr_status tr__districts_compile(const tr_districts *reg, const char *districts_tsv,
                                const char *gazetteer_tsv, tr_buf *out);

#endif
