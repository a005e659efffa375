/*
 * Result printers: one result set, two back ends.  The JSON form (schema in
 * docs/json.md, versioned) is shared by `tellerrand query --format json`
 * and the server's API; the text form speaks German to a terminal.
 */
#ifndef TR_PRINTER_H
#define TR_PRINTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "query.h"
#include "tellerrand/db.h"
#include "tellerrand/district.h"
#include "tellerrand/topics.h"

#define TR_JSON_VERSION 2

typedef struct tr_printer_ctx {
	const tr_districts *districts;
	const tr_topics *topics;
	const tr_query *query;     /* the request, echoed in the output */
	const tr_search *search;
	bool highlight;            /* text: mark matches with terminal bold */
	const tr_hit *similar;     /* the document of a similar search (tr_search.similar_to), or NULL */
} tr_printer_ctx;

/* @n strings as a JSON array of strings; NULL when out of memory. */
json_t *tr_print_strings_json(char **v, size_t n);

/* The result set as a JSON object; owned by the caller (json_decref()); NULL when out of memory. */
json_t *tr_print_json(const tr_results *r, const tr_printer_ctx *c);

/*
 * What the count counts, in German, for the text, the JSON and the page
 * alike (tr_results.reading): "12 Treffer", "12 Treffer mit allen Wörtern,
 * ca. 40 weitere mit einem Teil der Wörter", "40 Treffer, keiner mit allen
 * Wörtern", "Keine Treffer"; "ca." before a count that is not exact.
 */
void tr_print_count_text(const tr_results *r, char *buf, size_t size);

/* The result set as German text. */
void tr_print_text(FILE *f, const tr_results *r, const tr_printer_ctx *c);

/*
 * "auch als: .docx, .html (2 weitere Dateien)" for a hit with copies of its
 * text (the other files' extensions, each once); NULL without copies or
 * memory.  Free with free().
 */
char *tr_print_copies_line(const tr_hit *h);

/*
 * versions.c: "weitere Fassungen: pm_entwurf.txt (12.03.2024), …" for a hit
 * with versions of its text; NULL without.  Free with free().
 */
char *tr_print_versions_line(const tr_hit *h);

/* The versions of a hit's text: [{docid, path, title, format, date}] (docs/json.md). */
json_t *tr_print_versions_json(const tr_hit *h);

#endif
