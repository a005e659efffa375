#include "docdata.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#include "matches.h"
#include "text.h"

/* Characters of body text kept in the record for a result without a snippet. */
#define SAMPLE_CHARS 300

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
 * The record is a list of key and value strings, each ending in a NUL
 * byte, closed by an empty key (docs/terms.md, "Document data").  A list
 * (districts, topics, tags) repeats its key.  C strings cannot hold a NUL,
 * so nothing needs escaping, and reading a hit's fields is one walk over
 * the record: parsing the JSON record of format 4 and before cost about
 * 160,000 instructions a hit, more than the rest of showing it.
 */

/* Adds the pair @key, @value (of @len bytes) to @b. */
static tr_status
put_bytes(tr_buf *b, const char *key, const char *value, size_t len)
{
	tr_status st = tr_buf_add(b, key, strlen(key) + 1);

	if (st == TR_OK)
		st = tr_buf_add(b, value, len);
	return st == TR_OK ? tr_buf_addc(b, '\0') : st;
}

/*
 * Adds @key with text @value; a value that is not UTF-8 is left out, as the
 * JSON record left it out, and reads back as "".  NULL and "" are not stored.
 */
static tr_status
put_text(tr_buf *b, const char *key, const char *value)
{
	size_t len = value ? strlen(value) : 0;

	if (!len || !tr_text_is_utf8(value, len))
		return TR_OK;
	return put_bytes(b, key, value, len);
}

static tr_status
put_number(tr_buf *b, const char *key, long long n)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", n);
	return put_bytes(b, key, num, strlen(num));
}

static tr_status
put_list(tr_buf *b, const char *key, char **v, size_t n)
{
	tr_status st = TR_OK;

	for (size_t i = 0; st == TR_OK && i < n; i++)
		st = put_text(b, key, v[i]);
	return st;
}

/*
 * Where a metadata value was read: "date_where" "Landratsamt in Freiberg"
 * and "date_where_line" "3" (the line only when in the body); nothing when
 * not recorded.  Read back by tr_hit_meta_origins() (lib/explain.c).
 */
static tr_status
put_where(tr_buf *b, const char *key, const char *text, unsigned line)
{
	char line_key[64];
	char *shown;
	tr_status st;

	if (!text || !*text)
		return TR_OK;
	/* Taken from file names and text: readable whatever their bytes. */
	shown = tr_text_printable_dup(text);
	if (!shown)
		return TR_ENOMEM;
	st = put_text(b, key, shown);
	free(shown);
	snprintf(line_key, sizeof line_key, "%s_line", key);
	return st == TR_OK && line ? put_number(b, line_key, line) : st;
}

/* The metadata of @doc into @b; the path as bytes, whatever they are (a share's Windows-1252). */
static tr_status
put_doc(tr_buf *b, const tr_doc *doc, const char *relpath, const char *sample)
{
	char date[11];
	tr_status st;

	tr_date_format_iso(&doc->date, date);
	st = put_number(b, "v", TR_DOCDATA_VERSION);
	if (st == TR_OK && doc->path && *doc->path)
		st = put_bytes(b, "path", doc->path, strlen(doc->path));
	if (st == TR_OK)
		st = put_text(b, "relpath", relpath);
	if (st == TR_OK)
		st = put_text(b, "title", doc->title);
	if (st == TR_OK)
		st = put_text(b, "type", tr_doctype_key(doc->type));
	if (st == TR_OK)
		st = put_text(b, "type_source", tr_source_name(doc->type_source));
	if (st == TR_OK)
		st = put_text(b, "date", date);
	if (st == TR_OK)
		st = put_text(b, "date_source", tr_source_name(doc->date_source));
	if (st == TR_OK)
		st = put_list(b, "districts", doc->districts, doc->n_districts);
	if (st == TR_OK)
		st = put_text(b, "district_source", tr_source_name(doc->district_source));
	if (st == TR_OK)
		st = put_where(b, "date_where", doc->date_where, doc->date_line);
	if (st == TR_OK)
		st = put_where(b, "district_where", doc->district_where, doc->district_line);
	if (st == TR_OK)
		st = put_list(b, "topics", doc->topics, doc->n_topics);
	if (st == TR_OK)
		st = put_list(b, "tags", doc->tags, doc->n_tags);
	if (st == TR_OK)
		st = put_text(b, "format", doc->format);
	if (st == TR_OK)
		st = put_text(b, "mime", doc->mime);
	if (st == TR_OK)
		st = put_number(b, "size", (long long)doc->size);
	if (st == TR_OK && doc->internal)
		st = put_bytes(b, "internal", "1", 1);
	if (st == TR_OK)
		st = put_number(b, "mtime", (long long)doc->mtime);
	if (st == TR_OK)
		st = put_text(b, "description", doc->description);
	if (st == TR_OK)
		st = put_text(b, "author", doc->author);
	if (st == TR_OK)
		st = put_text(b, "sample", sample);
	return st == TR_OK ? tr_buf_addc(b, '\0') : st;
}

char *
tr__docdata_encode(const tr_doc *doc, size_t *len)
{
	tr_buf b = TR_BUF_INIT(SIZE_MAX);
	char *sample = body_sample(doc->body);
	char *relpath = tr_text_printable_dup(doc->relpath);
	char *out = NULL;

	if (sample && relpath && put_doc(&b, doc, relpath, sample) == TR_OK) {
		*len = b.len;
		out = tr_buf_detach(&b);
	}
	tr_buf_free(&b);
	free(sample);
	free(relpath);
	return out;
}

/*
 * The next pair of the record [*@p, @end) into @key and @value; false at
 * its end.  A record cut short (a damaged index) ends where its last
 * whole pair does.
 */
static bool
next_pair(const char **p, const char *end, const char **key, const char **value)
{
	const char *k = *p, *k_end, *v_end;

	if (k >= end || !(k_end = memchr(k, '\0', (size_t)(end - k))) || k_end == k)
		return false;
	if (!(v_end = memchr(k_end + 1, '\0', (size_t)(end - k_end - 1))))
		return false;
	*key = k;
	*value = k_end + 1;
	*p = v_end + 1;
	return true;
}

const char *
tr__docdata_value(const tr_hit *hit, const char *key)
{
	const char *p = hit->data, *end = p ? p + hit->data_len : NULL, *k, *v;

	while (p && next_pair(&p, end, &k, &v))
		if (strcmp(k, key) == 0)
			return v;
	return NULL;
}

/* Adds the JSON value @v under @key to @b as pairs: a string, a number, true, or a list of strings. */
static tr_status
put_json(tr_buf *b, const char *key, json_t *v)
{
	size_t i;
	json_t *e;
	tr_status st = TR_OK;

	if (json_is_string(v))
		return put_bytes(b, key, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return put_number(b, key, (long long)json_integer_value(v));
	if (json_is_true(v))
		return put_bytes(b, key, "1", 1);
	json_array_foreach(v, i, e) {
		if (st == TR_OK && json_is_string(e))
			st = put_bytes(b, key, json_string_value(e), json_string_length(e));
	}
	return st;
}

/*
 * The record of an index of format 4 or before, a JSON object, as pairs:
 * such an index is searched until its next run stores every document
 * again.  "path_bytes" becomes the path; a "_where" object its text
 * and "_where_line".
 */
static tr_status
pairs_from_json(const char *data, size_t len, tr_buf *b)
{
	json_t *o = json_loadb(data, len, 0, NULL), *v;
	const char *key;
	tr_status st = TR_OK;

	json_object_foreach(o, key, v) {
		if (st != TR_OK)
			break;
		if (strcmp(key, "path_bytes") == 0) {
			char *bytes = tr_text_bytes_decode(json_string_value(v) ? json_string_value(v) : "");
			st = bytes ? put_bytes(b, "path", bytes, strlen(bytes)) : TR_ENOMEM;
			free(bytes);
		} else if (strcmp(key, "path") == 0 && json_object_get(o, "path_bytes")) {
			continue;
		} else if (json_is_object(v)) {
			char line_key[64];
			snprintf(line_key, sizeof line_key, "%s_line", key);
			st = put_json(b, key, json_object_get(v, "text"));
			if (st == TR_OK)
				st = put_json(b, line_key, json_object_get(v, "line"));
		} else {
			st = put_json(b, key, v);
		}
	}
	json_decref(o);
	return st == TR_OK ? tr_buf_addc(b, '\0') : st;
}

/* @hit->data: the record @data of @len bytes, as pairs whatever its format. */
static tr_status
keep_record(tr_hit *hit, const char *data, size_t len)
{
	tr_buf b = TR_BUF_INIT(SIZE_MAX);
	tr_status st;

	/* A foreign or damaged record shows what can be read of it. */
	st = len && data[0] == '{' ? pairs_from_json(data, len, &b) : tr_buf_add(&b, data, len);
	if (st == TR_OK) {
		hit->data_len = b.len;
		hit->data = tr_buf_detach(&b);
		st = hit->data ? TR_OK : TR_ENOMEM;
	}
	tr_buf_free(&b);
	return st;
}

/* The record's keys of a hit's string fields, in the order of fields_of(). */
static const char *const field_keys[] = { "path", "title", "type", "date", "format", "mime" };
#define N_FIELDS (sizeof field_keys / sizeof field_keys[0])

static void
fields_of(tr_hit *hit, char **fields[N_FIELDS])
{
	fields[0] = &hit->path;
	fields[1] = &hit->title;
	fields[2] = &hit->type;
	fields[3] = &hit->date;
	fields[4] = &hit->format;
	fields[5] = &hit->mime;
}

/* Fills @hit's fields from its record, in one walk: a field's first value counts, lists collect. */
static tr_status
read_fields(tr_hit *hit)
{
	const char *p = hit->data, *end = p + hit->data_len, *key, *value;
	char **fields[N_FIELDS];
	tr_status st = TR_OK;

	fields_of(hit, fields);
	while (st == TR_OK && next_pair(&p, end, &key, &value)) {
		size_t f = 0;
		while (f < N_FIELDS && strcmp(key, field_keys[f]) != 0)
			f++;
		if (f < N_FIELDS && !*fields[f])
			st = (*fields[f] = strdup(value)) ? TR_OK : TR_ENOMEM;
		else if (strcmp(key, "districts") == 0)
			st = tr_strv_add_unique(&hit->districts, &hit->n_districts, value);
		else if (strcmp(key, "topics") == 0)
			st = tr_strv_add_unique(&hit->topics, &hit->n_topics, value);
		else if (strcmp(key, "internal") == 0)
			hit->internal = true;
	}
	/* A field the record does not have reads as "". */
	for (size_t f = 0; st == TR_OK && f < N_FIELDS; f++)
		if (!*fields[f] && !(*fields[f] = strdup("")))
			st = TR_ENOMEM;
	return st;
}

tr_status
tr__docdata_decode(tr_hit *hit, const char *data, size_t len)
{
	tr_status st = keep_record(hit, data, len);

	return st == TR_OK ? read_fields(hit) : st;
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
