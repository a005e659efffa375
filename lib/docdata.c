#include "docdata.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "matches.h"
#include "text.h"

/* Characters of body text kept in the record for a result without a snippet. */
#define SAMPLE_CHARS 300

static json_t *
strv_json(char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The first SAMPLE_CHARS characters of the body, white space squeezed, cut at a character boundary. */
static char *
body_sample(const char *body)
{
	size_t len = 0, chars = 0, blen;
	char *s;

	if (!body)
		return strdup("");
	blen = strlen(body);
	while (len < blen && chars < SAMPLE_CHARS * 2) {
		int cp;
		len += tr_text_decode(body + len, blen - len, &cp);
		chars++;
	}
	s = strndup(body, len);
	if (!s)
		return NULL;
	tr_text_squeeze(s);
	/* Squeezing shortened the text; cut again at SAMPLE_CHARS characters. */
	blen = strlen(s);
	for (len = 0, chars = 0; len < blen && chars < SAMPLE_CHARS; chars++) {
		int cp;
		len += tr_text_decode(s + len, blen - len, &cp);
	}
	s[len] = '\0';
	return s;
}

/*
 * The path as JSON can hold it: a name that is not UTF-8 (Windows-1252 from
 * an old share) is stored readable under "path" and byte for byte under
 * "path_bytes" (tr_text_bytes_encode), which is what opening the file uses.
 */
static tr_status
set_path(json_t *o, const char *path)
{
	char *shown, *bytes;

	if (tr_text_is_utf8(path, strlen(path)))
		return json_object_set_new(o, "path", json_string(path)) == 0 ? TR_OK : TR_ENOMEM;
	shown = tr_text_printable_dup(path);
	bytes = tr_text_bytes_encode(path);
	if (!shown || !bytes || json_object_set_new(o, "path", json_string(shown)) != 0 ||
	    json_object_set_new(o, "path_bytes", json_string(bytes)) != 0) {
		free(shown);
		free(bytes);
		return TR_ENOMEM;
	}
	free(shown);
	free(bytes);
	return TR_OK;
}

/*
 * Where a metadata value was read: {"text": "Landratsamt in Freiberg",
 * "line": 3} (line only when in the body); nothing when not recorded.
 * Read back by tr_hit_meta_origins() (lib/explain.c).
 */
static tr_status
where_json(json_t *o, const char *key, const char *text, unsigned line)
{
	char *shown;
	json_t *w;

	if (!text || !*text)
		return TR_OK;
	/* Taken from file names and text: readable whatever their bytes. */
	shown = tr_text_printable_dup(text);
	w = shown ? json_pack("{s:s}", "text", shown) : NULL;
	free(shown);
	if (w && line)
		json_object_set_new(w, "line", json_integer(line));
	return w && json_object_set_new(o, key, w) == 0 ? TR_OK : TR_ENOMEM;
}

char *
tr__docdata_encode(const tr_doc *doc)
{
	json_t *o = json_object();
	char date[11];
	char *sample = body_sample(doc->body);
	char *relpath = tr_text_printable_dup(doc->relpath);
	char *out = NULL;

	if (!o || !sample || !relpath)
		goto done;
	json_object_set_new(o, "v", json_integer(TR_DOCDATA_VERSION));
	if (set_path(o, doc->path ? doc->path : "") != TR_OK)
		goto done;
	tr_date_format_iso(&doc->date, date);
	json_object_set_new(o, "relpath", json_string(relpath));
	json_object_set_new(o, "title", json_string(doc->title ? doc->title : ""));
	json_object_set_new(o, "type", json_string(tr_doctype_key(doc->type)));
	json_object_set_new(o, "type_source", json_string(tr_source_name(doc->type_source)));
	json_object_set_new(o, "date", json_string(date));
	json_object_set_new(o, "date_source", json_string(tr_source_name(doc->date_source)));
	json_object_set_new(o, "districts", strv_json(doc->districts, doc->n_districts));
	json_object_set_new(o, "district_source", json_string(tr_source_name(doc->district_source)));
	if (where_json(o, "date_where", doc->date_where, doc->date_line) != TR_OK ||
	    where_json(o, "district_where", doc->district_where, doc->district_line) != TR_OK)
		goto done;
	json_object_set_new(o, "topics", strv_json(doc->topics, doc->n_topics));
	json_object_set_new(o, "tags", strv_json(doc->tags, doc->n_tags));
	json_object_set_new(o, "format", json_string(doc->format ? doc->format : ""));
	json_object_set_new(o, "mime", json_string(doc->mime ? doc->mime : ""));
	json_object_set_new(o, "size", json_integer((json_int_t)doc->size));
	if (doc->internal)
		json_object_set_new(o, "internal", json_true());
	json_object_set_new(o, "mtime", json_integer((json_int_t)doc->mtime));
	if (doc->description && *doc->description)
		json_object_set_new(o, "description", json_string(doc->description));
	if (doc->author && *doc->author)
		json_object_set_new(o, "author", json_string(doc->author));
	json_object_set_new(o, "sample", json_string(sample));
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
done:
	free(sample);
	free(relpath);
	json_decref(o);
	return out;
}

static char *
dup_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return strdup(s ? s : "");
}

static tr_status
strv_from_json(json_t *a, char ***v, size_t *n)
{
	size_t i;
	json_t *e;

	*v = NULL;
	*n = 0;
	json_array_foreach(a, i, e) {
		const char *s = json_string_value(e);
		if (s && tr_strv_add_unique(v, n, s) != TR_OK)
			return TR_ENOMEM;
	}
	return TR_OK;
}

tr_status
tr__docdata_decode(tr_hit *hit)
{
	json_error_t err;
	json_t *o = json_loads(hit->data ? hit->data : "", 0, &err);
	tr_status st = TR_OK;

	if (!o)
		o = json_object(); /* a foreign or damaged record: show what we can */
	if (!o)
		return TR_ENOMEM;
	if (json_is_string(json_object_get(o, "path_bytes")))
		hit->path = tr_text_bytes_decode(json_string_value(json_object_get(o, "path_bytes")));
	else
		hit->path = dup_field(o, "path");
	hit->title = dup_field(o, "title");
	hit->type = dup_field(o, "type");
	hit->date = dup_field(o, "date");
	hit->format = dup_field(o, "format");
	hit->mime = dup_field(o, "mime");
	hit->internal = json_is_true(json_object_get(o, "internal"));
	if (!hit->path || !hit->title || !hit->type || !hit->date || !hit->format || !hit->mime)
		st = TR_ENOMEM;
	if (st == TR_OK)
		st = strv_from_json(json_object_get(o, "districts"), &hit->districts, &hit->n_districts);
	if (st == TR_OK)
		st = strv_from_json(json_object_get(o, "topics"), &hit->topics, &hit->n_topics);
	json_decref(o);
	return st;
}

void
tr__hit_clear(tr_hit *hit)
{
	free(hit->path);
	free(hit->title);
	free(hit->type);
	free(hit->date);
	free(hit->format);
	free(hit->mime);
	free(hit->snippet);
	free(hit->part);
	free(hit->data);
	for (size_t i = 0; i < hit->n_copies; i++)
		tr__hit_clear(&hit->copies[i]);
	free(hit->copies);
	for (size_t i = 0; i < hit->n_versions; i++)
		tr__hit_clear(&hit->versions[i]);
	free(hit->versions);
	tr_strv_free(hit->districts, hit->n_districts);
	tr_strv_free(hit->topics, hit->n_topics);
	tr__matches_free(hit->matches, hit->n_matches);
	memset(hit, 0, sizeof *hit);
}
