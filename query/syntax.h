/*
 * The query's structure, checked before Xapian sees it, so that the command
 * line and the server say the same German sentence about the same mistake
 * (docs/tellerrand-query.md, "Was passiert bei Fehlern").  Private to
 * query/; tr_query_parse() uses it.
 */
#ifndef TR_QUERY_SYNTAX_H
#define TR_QUERY_SYNTAX_H

#include "buf.h"
#include "tellerrand/status.h"

/*
 * Copies @in to @out with an unclosed quote closed, unclosed brackets
 * closed and a closing bracket without an opening one dropped.  *notice
 * (German, owned by the caller) says what was changed, or stays NULL.
 */
tr_status tr_query_repair(tr_buf *out, const char *in, char **notice);

/*
 * Checks the Boolean operators of @text (AND, OR, XOR, NOT as the
 * QueryParser reads them): each has its words where Xapian needs them.
 * TR_EBADQUERY with a German *errmsg that says how to write it.
 */
tr_status tr_query_check_operators(const char *text, char **errmsg);

#endif
