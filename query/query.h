/*
 * What a user typed, split into the words for Xapian's QueryParser and the
 * filters Tellerrand resolves itself (district, type, topic, date), so that
 * a bad filter value gets a precise German message instead of silently
 * matching nothing.  The command line's flags and the inline "feld:wert"
 * syntax go through the same functions.
 */
#ifndef TR_QUERY_H
#define TR_QUERY_H

#include <stddef.h>

#include "tellerrand/db.h"
#include "tellerrand/district.h"
#include "tellerrand/status.h"
#include "tellerrand/topics.h"

typedef struct tr_query {
	char *text;              /* words for the QueryParser; never NULL */
	char **districts;        /* resolved district keys */
	size_t n_districts;
	char **types;            /* doctype keys */
	size_t n_types;
	char **topics;           /* topic keys */
	size_t n_topics;
	char from[9];            /* "YYYYMMDD" or "" */
	char to[9];
} tr_query;

typedef struct tr_query_vocab {
	const tr_districts *districts;
	const tr_topics *topics;
} tr_query_vocab;

void tr_query_init(tr_query *q);
void tr_query_clear(tr_query *q);

/*
 * Parses @input: "feld:wert" tokens for the known fields (kreis, typ, thema,
 * datum, jahr, von, bis and their English names) become filters, values may
 * be quoted (kreis:"Landkreis Leipzig"); everything else is kept as query
 * text, with German quotes („…“) made ASCII and UND/ODER/NICHT made
 * AND/OR/NOT.  Returns TR_OK, TR_EBADQUERY (unbalanced quotes or
 * brackets) or TR_EINVAL (a bad filter value); *errmsg (German, owned by
 * the caller, free with free()) says what is wrong.
 */
tr_status tr_query_parse(tr_query *q, const tr_query_vocab *v, const char *input, char **errmsg);

/*
 * Adds one filter, @field being a field name as in tr_query_parse()
 * ("kreis", "von", ...).  Same status codes and messages.
 */
tr_status tr_query_add_filter(tr_query *q, const tr_query_vocab *v, const char *field,
                              const char *value, char **errmsg);

/* Points @s's filters at @q's (borrowed: @q must outlive the search). */
void tr_query_to_search(const tr_query *q, tr_search *s);

#endif
