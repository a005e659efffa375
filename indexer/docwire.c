#include "docwire.h"

#include <stdlib.h>
#include <string.h>

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
strv(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *
tr__doc_to_json(const tr_doc *d)
{
	json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:[i,i,i],s:i,s:o,s:i,s:i,s:i,s:o,s:o,s:b,s:I,s:I}",
	                      "path", str_or_null(d->path),
	                      "relpath", str_or_null(d->relpath),
	                      "mime", str_or_null(d->mime),
	                      "format", str_or_null(d->format),
	                      "title", str_or_null(d->title),
	                      "headings", str_or_null(d->headings),
	                      "body", str_or_null(d->body),
	                      "description", str_or_null(d->description),
	                      "author", str_or_null(d->author),
	                      "stamp", str_or_null(d->stamp),
	                      "date", d->date.year, d->date.month, d->date.day,
	                      "date_source", (int)d->date_source,
	                      "districts", strv(d->districts, d->n_districts),
	                      "district_source", (int)d->district_source,
	                      "type", (int)d->type,
	                      "type_source", (int)d->type_source,
	                      "topics", strv(d->topics, d->n_topics),
	                      "tags", strv(d->tags, d->n_tags),
	                      "internal", d->internal,
	                      "size", (json_int_t)d->size,
	                      "mtime", (json_int_t)d->mtime);
	return o;
}

static tr_status
get_str(const json_t *o, const char *key, char **out)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return TR_OK;
	if (!json_is_string(v))
		return TR_EFORMAT;
	*out = strndup(json_string_value(v), json_string_length(v));
	return *out ? TR_OK : TR_ENOMEM;
}

static tr_status
get_strv(const json_t *o, const char *key, char ***v, size_t *n)
{
	const json_t *a = json_object_get(o, key), *e;
	size_t i;

	if (!json_is_array(a))
		return TR_EFORMAT;
	json_array_foreach(a, i, e) {
		tr_status st;
		if (!json_is_string(e))
			return TR_EFORMAT;
		if ((st = tr_strv_add_unique(v, n, json_string_value(e))) != TR_OK)
			return st;
	}
	return TR_OK;
}

tr_status
tr__doc_from_json(tr_doc **out, const json_t *o)
{
	tr_doc *d = tr_doc_new();
	tr_status st = TR_OK;
	int date_source = 0, district_source = 0, type = 0, type_source = 0, internal = 0;
	json_int_t size = 0, mtime = 0;
	json_error_t err;

	*out = NULL;
	if (!d)
		return TR_ENOMEM;
	if (json_unpack_ex((json_t *)o, &err, 0, "{s:[iii],s:i,s:i,s:i,s:i,s:b,s:I,s:I}",
	                   "date", &d->date.year, &d->date.month, &d->date.day,
	                   "date_source", &date_source, "district_source", &district_source,
	                   "type", &type, "type_source", &type_source, "internal", &internal,
	                   "size", &size, "mtime", &mtime) != 0) {
		st = TR_EFORMAT;
		goto done;
	}
	d->date_source = (tr_source)date_source;
	d->district_source = (tr_source)district_source;
	d->type = (tr_doctype)type;
	d->type_source = (tr_source)type_source;
	d->internal = internal != 0;
	d->size = (uint64_t)size;
	d->mtime = (int64_t)mtime;
	if ((st = get_str(o, "path", &d->path)) != TR_OK ||
	    (st = get_str(o, "relpath", &d->relpath)) != TR_OK ||
	    (st = get_str(o, "mime", &d->mime)) != TR_OK ||
	    (st = get_str(o, "format", &d->format)) != TR_OK ||
	    (st = get_str(o, "title", &d->title)) != TR_OK ||
	    (st = get_str(o, "headings", &d->headings)) != TR_OK ||
	    (st = get_str(o, "body", &d->body)) != TR_OK ||
	    (st = get_str(o, "description", &d->description)) != TR_OK ||
	    (st = get_str(o, "author", &d->author)) != TR_OK ||
	    (st = get_str(o, "stamp", &d->stamp)) != TR_OK ||
	    (st = get_strv(o, "districts", &d->districts, &d->n_districts)) != TR_OK ||
	    (st = get_strv(o, "topics", &d->topics, &d->n_topics)) != TR_OK ||
	    (st = get_strv(o, "tags", &d->tags, &d->n_tags)) != TR_OK)
		goto done;
	if (!d->path || (unsigned)d->type >= TR_DOCTYPE_COUNT) {
		st = TR_EFORMAT;
		goto done;
	}
	*out = d;
	d = NULL;
done:
	tr_doc_free(d);
	return st;
}
