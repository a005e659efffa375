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
	char *notice;            /* German: what tr_query_parse() repaired ("Anführungszeichen ergänzt, ..."), or NULL */
	double since;            /* neu:/--neu-seit: entered the index at or after (seconds since 1970); 0: any */
	char *since_text;        /* that value as given ("7tage"), for links and output; NULL: none */
} tr_query;

typedef struct tr_query_vocab {
	const tr_districts *districts;
	const tr_topics *topics;
} tr_query_vocab;

void tr_query_init(tr_query *q);
void tr_query_clear(tr_query *q);

/*
 * Parses @input: "feld:wert" tokens for the known fields (kreis, typ, thema,
 * datum, jahr, von, bis, neu and their English names) become filters, values may
 * be quoted (kreis:"Landkreis Leipzig"); everything else is kept as query
 * text, with German quotes („…“) made ASCII and UND/ODER/NICHT made
 * AND/OR/NOT.  An unclosed quote or bracket is closed and a stray ")"
 * dropped, and q->notice says so.  Returns TR_OK, TR_EBADQUERY (an
 * operator without its words: "ODER Kita") or TR_EINVAL (bad characters,
 * a bad filter value); *errmsg (German, owned by the caller, free with
 * free()) says what is wrong and how to write it.
 */
tr_status tr_query_parse(tr_query *q, const tr_query_vocab *v, const char *input, char **errmsg);

/*
 * Adds one filter, @field being a field name as in tr_query_parse()
 * ("kreis", "von", ...).  Same status codes and messages.
 */
tr_status tr_query_add_filter(tr_query *q, const tr_query_vocab *v, const char *field,
                              const char *value, char **errmsg);

/*
 * The one check of what people type, for the command line and the server
 * alike: TR_EINVAL with a German *errmsg for invalid UTF-8 or a control
 * character other than tab, CR and LF (those read as spaces).  @field names
 * a filter ("kreis") or is NULL for the query text.  tr_query_parse() and
 * tr_query_add_filter() call it themselves.
 */
tr_status tr_query_check_text(const char *field, const char *s, size_t len, char **errmsg);

/*
 * The German message for a query Xapian's QueryParser refused (its English
 * @engine_msg, "Syntax: <expression> OR <expression>", or NULL); the
 * command line and the server both say this.  A static string.
 */
const char *tr_query_engine_message(const char *engine_msg);

/* Points @s's filters at @q's (borrowed: @q must outlive the search). */
void tr_query_to_search(const tr_query *q, tr_search *s);

#endif
