/*
 * The type table (data/types.tsv, compiled in) as the type finder reads
 * it: each type's names, head words and cues.  tellerrand/document.h has
 * the public side (keys, display names, name lookup).
 */
#ifndef TR_DOCTYPE_TABLE_H
#define TR_DOCTYPE_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "tellerrand/document.h"

typedef struct tr__doctype_cue {
	const char *phrase;      /* folded, without '^' */
	double points;
	bool line_start;         /* "^phrase": only opening a line */
} tr__doctype_cue;

typedef struct tr__doctype_row {
	const char *key, *label;
	const char *const *names;     /* folded; "*x" and "x*" are patterns */
	size_t n_names;
	double head_points;
	const char *const *head;
	size_t n_head;
	const tr__doctype_cue *cues;
	size_t n_cues;
} tr__doctype_row;

/* The row of type @t, or NULL for TR_DOCTYPE_UNKNOWN and numbers past the table. */
const tr__doctype_row *tr__doctype_get(tr_doctype t);

/* True if the folded word @w[0..n) matches @pattern ("wort", "wort*", "*wort"). */
bool tr__doctype_pattern_match(const char *pattern, const char *w, size_t n);

#endif
