/*
 * "Warum gefunden?" as people read it: one line per matching term and per
 * metadata value, the same lines for the terminal (tellerrand query
 * --explain, tellerrand why) and the search page; and the "explain" object
 * of the JSON (docs/json.md).
 */
#ifndef TR_EXPLAIN_PRINT_H
#define TR_EXPLAIN_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "printer.h"
#include "tellerrand/db.h"
#include "tellerrand/explain.h"

/*
 * "koordinator → „koordinator…“ als Wortteil, Gewicht 0,87": what a term
 * stands for and by which rule; with @weight false, no weight.  Owned by
 * the caller; free with free().  NULL when out of memory.
 */
char *tr_explain_match_line(const tr_match *m, bool weight);

/*
 * "Landkreis: Mittelsachsen – aus dem Text, Zeile 3: „Landratsamt in
 * Freiberg“" for metadata value @k of @h with origin @o.  Owned by the
 * caller; free with free().  NULL when out of memory or when @h has no
 * such value.
 */
char *tr_explain_meta_line(const tr_hit *h, tr_meta_kind k, const tr_meta_origin *o, const tr_printer_ctx *c);

/* One term of an explanation as JSON: word, form, term, rule, weight, and where it came from.  NULL when out of memory. */
json_t *tr_explain_match_json(const tr_match *m);

/* The "explain" object of a hit: its matches and the origins of its metadata.  NULL when out of memory. */
json_t *tr_explain_json(const tr_hit *h, const tr_printer_ctx *c);

/* The explanation of @h as indented lines under the hit ("   Warum gefunden:"). */
void tr_explain_print_text(FILE *f, const tr_hit *h, const tr_printer_ctx *c);

/*
 * Adds the rules named in @value ("wortteil,geschlecht"; names as
 * tr_rule_from_name() takes them) to *bits (TR_RULE_BIT()s).  The exact
 * word cannot be left out.  TR_EINVAL for an unknown name.
 */
tr_status tr_explain_parse_rules(const char *value, unsigned *bits);

#endif
