/*
 * schema.org articleBody in a page's JSON-LD: the publisher's own copy of
 * the article text, for pages whose markup hides it (scripts render it) or
 * cuts it into pieces the main-content finder does not join.
 */
#include "html.h"

#include <jansson.h>
#include <string.h>

/* JSON-LD nested deeper than this is not searched. */
#define HTML_JSONLD_DEPTH 8

static void
jsonld_find(json_t *v, int depth, const char **best, size_t *best_len)
{
	const char *key;
	json_t *x;
	size_t i;

	if (depth > HTML_JSONLD_DEPTH)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			jsonld_find(x, depth + 1, best, best_len);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, x) {
		if (strcmp(key, "articleBody") == 0 && json_is_string(x)) {
			if (json_string_length(x) > *best_len) {
				*best = json_string_value(x);
				*best_len = json_string_length(x);
			}
		} else {
			jsonld_find(x, depth + 1, best, best_len);
		}
	}
}

static bool
is_jsonld(xmlNodePtr n)
{
	const char *type = tr__html_attr(n, "type");

	return tr__html_is(n, "script") && type && strstr(type, "ld+json");
}

tr_status
tr__html_article_body(tr_buf *out, xmlNodePtr root)
{
	tr_status st = TR_OK;
	tr_buf best = TR_BUF_INIT(out->max);

	for (xmlNodePtr n = root; n && st == TR_OK; n = tr__html_next(root, n, false)) {
		xmlChar *text;
		json_t *doc;
		const char *body = NULL;
		size_t len = 0;

		if (!is_jsonld(n) || !(text = xmlNodeGetContent(n)))
			continue;
		doc = json_loads((const char *)text, JSON_DISABLE_EOF_CHECK, NULL);
		xmlFree(text);
		jsonld_find(doc, 0, &body, &len);
		if (body && len > best.len) {
			tr_buf_reset(&best);
			st = tr_buf_add(&best, body, len);
		}
		json_decref(doc);
	}
	if (st == TR_OK && best.len)
		st = tr__html_fragment_text(out, best.ptr, best.len);
	tr_buf_free(&best);
	return st;
}
