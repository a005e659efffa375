/*
 * The saved searches of the nightly report: "[suche NAME]" sections of the
 * configuration (docs/nightly.md), checked before a run and run after it,
 * each listing the documents that entered the index in this run.
 */
#ifndef TR_INDEXER_SAVED_H
#define TR_INDEXER_SAVED_H

#include <jansson.h>
#include <stdbool.h>

#include "config.h"
#include "query.h"

typedef struct tr_saved_search {
	const char *name;          /* owned by the configuration */
	tr_query q;
	bool internal;             /* intern = ja: internal documents too (default: only public ones) */
} tr_saved_search;

typedef struct tr_saved {
	tr_saved_search *v;
	size_t n;
} tr_saved;

/*
 * Checks every "[suche NAME]" of @c with the query's own parser (keys: q,
 * the filters of `tellerrand query` such as kreis, typ, thema, von, bis,
 * jahr, and intern).  A bad one is reported as "tellerrand index:
 * FILE:LINE: [suche NAME]: what" and gives TR_EINVAL; TR_ENOMEM.
 */
tr_status tr_saved_parse(tr_saved *out, const tr_config *c, const tr_query_vocab *v);

/*
 * Runs @s on the index at @db_path (a set of shards included): the
 * documents that entered it at or after @since, newest first, into
 * @rep's "searches" (docs/nightly.md).  A search that fails carries
 * "error" instead; the report is written either way.
 */
void tr_saved_run(const tr_saved *s, const char *db_path, double since, const tr_query_vocab *v, json_t *rep);

void tr_saved_free(tr_saved *s);

#endif
