/*
 * The HTML extractor's private parts: tree helpers over libxml2's HTML
 * tree, and the choice of the main content (indexer/html_main.c), which
 * indexer/extract_html.c then writes out as text.
 */
#ifndef TR_HTML_H
#define TR_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "extract.h"

/* True if @n is an element named @name (ASCII case ignored). */
bool tr__html_is(xmlNodePtr n, const char *name);
/* True if @n is an element named by one of the NULL-terminated @names. */
bool tr__html_is_any(xmlNodePtr n, const char *const *names);
/* The value of attribute @name of @n, owned by the tree; "" if valueless, NULL if absent. */
const char *tr__html_attr(xmlNodePtr n, const char *name);
/* True if @a[0..n) equals lower-case @b, ASCII case ignored. */
bool tr__ascii_eq_ci(const char *a, size_t n, const char *b);
/*
 * Iterative pre-order traversal below @root (deep documents must not
 * exhaust the stack): the node after @n, not descending into @n when
 * @skip_children.
 */
xmlNodePtr tr__html_next(xmlNodePtr root, xmlNodePtr n, bool skip_children);

/*
 * What the main-content finder learnt about a document: per element,
 * whether it is boilerplate and how dense in links it is, stored in the
 * nodes' _private fields.  Freed with tr__html_main_free() before the
 * document.
 */
typedef struct html_main html_main;

/*
 * Analyses the page below @body and chooses its main content: the element
 * (and those of its siblings that continue it) whose paragraphs carry the
 * most text, weighed by link density, class and id names (as whole words)
 * and the semantic elements <article>, <main>, role=main and
 * itemprop=articleBody.  NULL when out of memory.
 */
html_main *tr__html_main_find(xmlNodePtr body);
void tr__html_main_free(html_main *m, xmlNodePtr body);

/* The chosen parts, in document order; *n receives their number (at least 1). */
xmlNodePtr *tr__html_main_parts(html_main *m, size_t *n);

/*
 * Whether the writer leaves @n out: tags that never hold text (scripts,
 * navigation, forms that are not the page), and with an analysed tree
 * also boilerplate by class, id or role, and blocks that are mostly links.
 * @loose: only the tag rules (the fallback for a page whose chosen parts
 * gave no text).
 */
bool tr__html_skip(xmlNodePtr n, bool loose);

/* Whether @n, left out, held a paragraph's worth of text (not just an icon or a credit). */
bool tr__html_left_out_text(xmlNodePtr n);

/* libxml2's HTML parser, silent, forgiving, never touching the network. */
htmlDocPtr tr__html_parse(const char *data, size_t len, const char *encoding);

/*
 * Parses a page in the encoding it is in (indexer/html_read.c: byte order
 * mark, <meta> declaration, XML declaration, the bytes themselves), and
 * once more in the encoding the bytes have if that gave broken text.
 */
htmlDocPtr tr__html_read(const tr_input *in);

/*
 * Repairs a text node as a browser reads it: "&gt" and the other legacy
 * entities without a semicolon decoded, CDATA markers removed.  Returns
 * true with the repaired text in @out, false when @s needs no repair (or
 * memory ran out: then the text is used as it is).
 */
bool tr__html_repair_text(tr_buf *out, const char *s);

/*
 * Appends the text of the longest schema.org articleBody in the JSON-LD
 * below @root to @out (nothing if there is none).  Returns TR_OK,
 * TR_ETOOBIG when @out filled up, or TR_ENOMEM.
 */
tr_status tr__html_article_body(tr_buf *out, xmlNodePtr root);

#endif
