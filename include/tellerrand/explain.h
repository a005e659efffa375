/*
 * "Warum gefunden?": why a hit matches a search, and why a given file does
 * or does not.  The query's German expansion (lib/db_query.cc) records, for
 * every term it searches, the query word it stands for and the rule that
 * added it; an explanation is that record checked against the document's
 * terms, so the reasons shown are the ones the search used.  Pure C.
 */
#ifndef TELLERRAND_EXPLAIN_H
#define TELLERRAND_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "tellerrand/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The rules by which a query word finds a form of it (docs/tellerrand-query.md, "WARUM GEFUNDEN"). */
typedef enum tr_rule {
	TR_RULE_EXACT = 0,       /* the word as typed, unstemmed */
	TR_RULE_STEM,            /* another inflection: the same German stem */
	TR_RULE_COMPOUND,        /* a part of a compound ("Koordinator" in "Bildungskoordinatorinnen") */
	TR_RULE_UMLAUT,          /* ä, ö, ü, ß where ae, oe, ue, ss was typed */
	TR_RULE_TRANSCRIPTION,   /* ae, oe, ue, ss where ä, ö, ü, ß was typed */
	TR_RULE_GENDER,          /* another gender form ("Lehrerinnen" for "Lehrer") */
	TR_RULE_THESAURUS,       /* another expression of a thesaurus line ("DaZ" for "Deutsch als Zweitsprache") */
	TR_RULE_WILDCARD,        /* a word a * stands for */
	TR_RULE_COUNT
} tr_rule;

/* The bit of @r in tr_search.rules_off. */
#define TR_RULE_BIT(r) (1u << (r))

/* English key of a rule ("exact", "stem", "compound", ...): JSON and --ohne. */
const char *tr_rule_key(tr_rule r);

/* German name of a rule ("genaues Wort", "Wortstamm", "Wortteil", ...). */
const char *tr_rule_label(tr_rule r);

/*
 * Resolves a rule name as the command line and the page take it, German
 * or English ("wortteil", "compound", "umlaut", "geschlecht", ...).
 * TR_EINVAL if unknown.
 */
tr_status tr_rule_from_name(tr_rule *out, const char *name);

/*
 * One term of the search that a document has, with its origin.  Every
 * string is owned by the hit (or tr_why) it belongs to.
 */
typedef struct tr_match {
	char *word;       /* the query word it stands for, lower case ("koordinator"; "schul*" for a wildcard) */
	char *term;       /* the index term (docs/terms.md): "XCkoordinator", "Zkoordinator", "koordinatorin" */
	char *form;       /* the term without its prefix, as shown ("koordinator") */
	char *via;        /* thesaurus: the expression searched for the word ("Deutsch als Zweitsprache"); else NULL */
	/*
	 * For a stem, compound part or gender term: the document's word it
	 * was found in, as indexed (lower case: "bildungskoordinatorinnen"),
	 * its most frequent one; NULL for a word as typed or when not known.
	 */
	char *found_in;
	tr_rule rule;
	/*
	 * What the term adds to the document's score: its BM25 weight in this
	 * document times the rule's factor (a variant counts 0.9, a compound
	 * part 0.5, ...).  0 where no weight was asked for (tr_why's forms).
	 */
	double weight;
	bool field;       /* a term of a field (titel:, autor:), not of the text */
} tr_match;

/* Where one metadata value of a document came from (docs/metadata.md). */
typedef enum tr_meta_kind {
	TR_META_DATE = 0,
	TR_META_DISTRICTS,
	TR_META_TYPE,
	TR_META_COUNT
} tr_meta_kind;

typedef struct tr_meta_origin {
	char *source;     /* "explicit", "folder", "text", "filetime", "format", or "" when unknown */
	char *evidence;   /* the words it was read from ("Landratsamt in Freiberg"), or NULL when not recorded */
	unsigned line;    /* 1-based line of the body the evidence is on; 0: not in the body (path, title) or unknown */
} tr_meta_origin;

/*
 * The origins of @h's date, districts and type, from its stored record
 * (hit->data).  Each string is owned by the caller; free them with
 * tr_meta_origins_clear().  Returns TR_OK or TR_ENOMEM.
 */
struct tr_hit;
tr_status tr_hit_meta_origins(const struct tr_hit *h, tr_meta_origin out[TR_META_COUNT]);

/* Frees what tr_hit_meta_origins() filled in.  Accepts zeroed entries. */
void tr_meta_origins_clear(tr_meta_origin o[TR_META_COUNT]);

/* German name of a metadata source ("Text", "Ordner oder Dateiname", "Dateiangaben", "Dateizeit", "Format"). */
const char *tr_meta_source_label(const char *source);

/* ---- tellerrand why: one file against one search ------------------------ */

struct tr_db;
struct tr_search;

/* One positive word of the search and whether the document has it in any form. */
typedef struct tr_why_word {
	char *word;
	bool found;
	bool negated;               /* NOT/-word: finding it excludes the document */
	tr_match *forms;            /* every form searched for it (weight 0), those the document has first */
	size_t n_forms;
	size_t n_found;             /* how many of forms the document has */
} tr_why_word;

/* The filter kinds tr_why checks one by one (as tr_facet_kind: district, type, topic, date). */
#define TR_WHY_FILTERS 4

typedef struct tr_why {
	bool indexed;               /* a document is indexed under the path */
	char *skip_kind;            /* not indexed: "skipped" or "failed" as the indexer recorded it, else NULL */
	char *skip_reason;          /* the indexer's German reason, or NULL */
	bool under_root;            /* the path lies under a folder the index was built from */
	struct tr_hit *hit;         /* the document's record, its matches in hit->matches; NULL if not indexed */
	bool internal;              /* the document is marked internal */
	bool visible;               /* the request may see it (not internal, or tr_search.internal) */
	bool words_match;           /* its terms match the words (true for a search without words) */
	bool filtered[TR_WHY_FILTERS]; /* the search filters by this kind */
	bool passes[TR_WHY_FILTERS];   /* the document passes the filter of this kind (true if none) */
	bool found;                 /* the whole search, filters and visibility included, finds it */
	unsigned rank;              /* 1-based place among the matching files by relevance; 0: past the first 10000 or not found */
	tr_why_word *words;
	size_t n_words;
} tr_why;

/*
 * Why the search @q finds, or does not find, the file indexed under the
 * absolute path @path: whether it is indexed (else the indexer's skip
 * record), visible, which words match in which forms, which filter
 * excludes it.  *out is owned by the caller; free with tr_why_free().
 * Returns TR_OK (also for a path that is not indexed), TR_EBADQUERY,
 * TR_ETOOBIG, TR_EMODIFIED, TR_ENOMEM or TR_EINTERNAL (detail in
 * tr_db_errmsg()).
 */
tr_status tr_db_why(struct tr_db *db, const struct tr_search *q, const char *path, tr_why **out);

void tr_why_free(tr_why *w);

#ifdef __cplusplus
}
#endif

#endif
