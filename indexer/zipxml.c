#include "zipxml.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "extract.h"
#include "tellerrand/date.h"
#include "tellerrand/document.h"
#include "text.h"

/* Bytes decompressed per zip_fread() call. */
#define ZIP_CHUNK ((size_t)64 << 10)

struct tr__zip {
	zip_t *za;
	size_t read_total;     /* uncompressed bytes read so far, all members */
};

char *
tr__reason(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void
tr__reason_hand_over(tr_status st, char **mine, char **why)
{
	if (st != TR_OK && st != TR_ENOMEM && why) {
		*why = *mine;
		*mine = NULL;
	}
	free(*mine);
	*mine = NULL;
}

static void
set_why(char **why, char *s)
{
	if (why && !*why)
		*why = s;
	else
		free(s);
}

static double
mb(size_t n)
{
	return (double)n / (1 << 20);
}

tr_status
tr__zip_open(tr__zip **out, const char *data, size_t len, char **why)
{
	zip_error_t err;
	zip_source_t *src = NULL;
	tr__zip *z = NULL;
	zip_int64_t n;
	size_t declared = 0;
	tr_status st = TR_OK;

	*out = NULL;
	zip_error_init(&err);
	if (len == 0) {
		set_why(why, tr__reason("beschädigt: leere Datei"));
		st = TR_EFORMAT;
		goto done;
	}
	if (!(z = calloc(1, sizeof *z))) {
		st = TR_ENOMEM;
		goto done;
	}
	if (!(src = zip_source_buffer_create(data, len, 0, &err))) {
		st = TR_ENOMEM;
		goto done;
	}
	if (!(z->za = zip_open_from_source(src, ZIP_RDONLY, &err))) {
		int code = zip_error_code_zip(&err);

		if (code == ZIP_ER_MEMORY) {
			st = TR_ENOMEM;
		} else {
			st = TR_EFORMAT;
			set_why(why, code == ZIP_ER_NOZIP
			        ? tr__reason("beschädigt: kein vollständiges ZIP-Archiv (abgeschnitten?)")
			        : tr__reason("beschädigt: ZIP-Archiv nicht lesbar (%s)", zip_error_strerror(&err)));
		}
		goto done;
	}
	src = NULL;   /* the archive owns it now */
	n = zip_get_num_entries(z->za, 0);
	if (n < 0 || n > TR__ZIP_MAX_MEMBERS) {
		set_why(why, tr__reason("ZIP-Grenze überschritten: %lld Einträge (Grenze %d)",
		                        (long long)n, TR__ZIP_MAX_MEMBERS));
		st = TR_ETOOBIG;
		goto done;
	}
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t sb;

		if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &sb) != 0 || !(sb.valid & ZIP_STAT_SIZE))
			continue;
		if (sb.size > TR__ZIP_MAX_DECLARED - declared) {
			set_why(why, tr__reason("ZIP-Grenze überschritten: entpackt über %.0f MB (Zip-Bombe?)",
			                        mb(TR__ZIP_MAX_DECLARED)));
			st = TR_ETOOBIG;
			goto done;
		}
		declared += (size_t)sb.size;
	}
	*out = z;
	z = NULL;
done:
	zip_source_free(src);
	tr__zip_free(z);
	zip_error_fini(&err);
	return st;
}

void
tr__zip_free(tr__zip *z)
{
	if (!z)
		return;
	if (z->za)
		zip_discard(z->za);
	free(z);
}

bool
tr__zip_has(tr__zip *z, const char *name)
{
	return zip_name_locate(z->za, name, ZIP_FL_NOCASE) >= 0;
}

tr_status
tr__zip_read(tr__zip *z, const char *name, char **out, size_t *len, char **why)
{
	zip_int64_t idx = zip_name_locate(z->za, name, ZIP_FL_NOCASE);
	zip_stat_t sb;
	zip_file_t *f = NULL;
	tr_buf b;
	size_t room;
	char *chunk = NULL;
	tr_status st = TR_OK;

	*out = NULL;
	*len = 0;
	if (idx < 0)
		return TR_ENOTFOUND;
	if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &sb) != 0) {
		set_why(why, tr__reason("beschädigt: %s nicht lesbar", name));
		return TR_EFORMAT;
	}
	if ((sb.valid & ZIP_STAT_ENCRYPTION_METHOD) && sb.encryption_method != ZIP_EM_NONE) {
		set_why(why, tr__reason("passwortgeschützt"));
		return TR_EFORMAT;
	}
	if ((sb.valid & ZIP_STAT_SIZE) && sb.size > TR__ZIP_MAX_MEMBER) {
		set_why(why, tr__reason("ZIP-Grenze überschritten: %s entpackt %.0f MB (Grenze %.0f MB)",
		                        name, mb((size_t)sb.size), mb(TR__ZIP_MAX_MEMBER)));
		return TR_ETOOBIG;
	}
	/*
	 * The declared size may lie: the buffer's ceiling, not the central
	 * directory, bounds what we decompress.
	 */
	room = TR__ZIP_MAX_TOTAL - z->read_total;
	tr_buf_init(&b, room < TR__ZIP_MAX_MEMBER ? room : TR__ZIP_MAX_MEMBER);
	if (!(chunk = malloc(ZIP_CHUNK))) {
		st = TR_ENOMEM;
		goto done;
	}
	if (!(f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0))) {
		zip_error_t *e = zip_get_error(z->za);
		st = zip_error_code_zip(e) == ZIP_ER_MEMORY ? TR_ENOMEM : TR_EFORMAT;
		if (st == TR_EFORMAT)
			set_why(why, tr__reason("beschädigt: %s nicht lesbar (%s)", name, zip_error_strerror(e)));
		goto done;
	}
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, ZIP_CHUNK);

		if (n < 0) {
			zip_error_t *e = zip_file_get_error(f);
			st = zip_error_code_zip(e) == ZIP_ER_MEMORY ? TR_ENOMEM : TR_EFORMAT;
			if (st == TR_EFORMAT)
				set_why(why, tr__reason("beschädigt: %s nicht lesbar (%s)", name, zip_error_strerror(e)));
			goto done;
		}
		if (n == 0)
			break;
		if ((st = tr_buf_add(&b, chunk, (size_t)n)) != TR_OK) {
			if (st == TR_ETOOBIG)
				set_why(why, b.max < TR__ZIP_MAX_MEMBER
				        ? tr__reason("ZIP-Grenze überschritten: zusammen über %.0f MB entpackt (Zip-Bombe?)",
				                     mb(TR__ZIP_MAX_TOTAL))
				        : tr__reason("ZIP-Grenze überschritten: %s entpackt über %.0f MB (Zip-Bombe?)",
				                     name, mb(TR__ZIP_MAX_MEMBER)));
			goto done;
		}
	}
	z->read_total += b.len;
	*len = b.len;
	*out = tr_buf_detach(&b);
	if (!*out)
		st = TR_ENOMEM;
done:
	if (f)
		zip_fclose(f);
	free(chunk);
	tr_buf_free(&b);
	return st;
}

char *
tr__zip_resolve(const char *source, const char *target)
{
	tr_buf b = TR_BUF_INIT((size_t)1 << 16);
	const char *slash = strrchr(source, '/');
	char *path, *out, *seg, *save = NULL;
	size_t n = 0;

	if (target[0] == '/') {
		target++;
	} else if (slash && tr_buf_add(&b, source, (size_t)(slash - source) + 1) != TR_OK) {
		tr_buf_free(&b);
		return NULL;
	}
	if (tr_buf_adds(&b, target) != TR_OK || !(path = tr_buf_detach(&b))) {
		tr_buf_free(&b);
		return NULL;
	}
	/* Normalise "a/b/../c/./d" to "a/c/d" in place; ".." never climbs above the root. */
	out = calloc(1, strlen(path) + 1);
	if (!out) {
		free(path);
		return NULL;
	}
	for (seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		size_t sl = strlen(seg);

		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = '\0';
			continue;
		}
		if (n)
			out[n++] = '/';
		memcpy(out + n, seg, sl);
		n += sl;
		out[n] = '\0';
	}
	free(path);
	return out;
}

/* ---- Streaming XML ------------------------------------------------------ */

/*
 * No NOENT (entities stay unexpanded), no DTDLOAD or DTDATTR (no DTD is
 * read), NONET (nothing is fetched), no HUGE (libxml2's own limits on
 * depth and text node size stay on); errors are not printed.
 */
/*
 * XML_PARSE_HUGE: libxml2's default limits (a text node or a look-ahead of
 * 10 MB, nesting 256 deep) guard a parser against input of any size, and
 * trip on real documents: a long chapter in one run, deeply nested tables.
 * A member is bounded by TR__ZIP_MAX_MEMBER before it gets here, and no
 * entity is ever substituted (no XML_PARSE_NOENT), so nothing can grow.
 */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
                     XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_HUGE)

/* Keeps libxml2 from printing what goes wrong in a file. */
static void
xml_quiet(void *arg, const char *msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc)
{
	(void)arg;
	(void)msg;
	(void)severity;
	(void)loc;
}

tr_status
tr__xml_walk(const char *data, size_t len, const tr__xml_events *ev, void *ctx)
{
	xmlTextReaderPtr r;
	tr_status st = TR_OK;
	int ret;

	if (len > INT_MAX)
		return TR_ETOOBIG;
	r = xmlReaderForMemory(data, (int)len, NULL, NULL, XML_OPTIONS);
	if (!r)
		return TR_ENOMEM;
	xmlTextReaderSetErrorHandler(r, xml_quiet, NULL);
	while (st == TR_OK && (ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);

		if (!ns)
			ns = "";
		switch (type) {
		case XML_READER_TYPE_ELEMENT: {
			bool empty = xmlTextReaderIsEmptyElement(r) == 1;

			if (ev->start && name)
				st = ev->start(ctx, r, ns, name);
			if (st == TR_OK && empty && ev->end && name)
				st = ev->end(ctx, ns, name);
			break;
		}
		case XML_READER_TYPE_END_ELEMENT:
			if (ev->end && name)
				st = ev->end(ctx, ns, name);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
			const char *s = (const char *)xmlTextReaderConstValue(r);
			if (ev->text && s)
				st = ev->text(ctx, s, strlen(s));
			break;
		}
		default:
			break;
		}
	}
	if (st == TR_OK && ret < 0)
		st = TR_EFORMAT;
	xmlFreeTextReader(r);
	return st;
}

static char *
xml_attr(void *reader, const char *name, bool need_ns)
{
	xmlTextReaderPtr r = reader;
	char *out = NULL;

	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	do {
		const char *local = (const char *)xmlTextReaderConstLocalName(r);
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
		const char *value;

		if (local && strcmp(local, name) == 0 && (!need_ns || (ns && *ns)) &&
		    (value = (const char *)xmlTextReaderConstValue(r))) {
			out = strdup(value);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return out;
}

char *
tr__xml_attr(void *reader, const char *name)
{
	return xml_attr(reader, name, false);
}

char *
tr__xml_attr_ns(void *reader, const char *name)
{
	return xml_attr(reader, name, true);
}

tr_status
tr__xml_add_text(tr_buf *b, const char *s, size_t len)
{
	size_t run = 0;
	tr_status st;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 || c == '\t' || c == '\n')
			continue;
		if ((st = tr__extract_add(b, s + run, i - run)) != TR_OK ||
		    (st = tr__extract_add(b, " ", 1)) != TR_OK)
			return st;
		run = i + 1;
	}
	return tr__extract_add(b, s + run, len - run);
}

tr_status
tr__xml_adds(tr_buf *b, const char *s)
{
	return tr__xml_add_text(b, s, strlen(s));
}

char *
tr__property_date(const char *s)
{
	tr_date d;
	char iso[11];

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (tr_date_parse(&d, s) != TR_OK || !d.day || d.year < 1980)
		return NULL;
	tr_date_format_iso(&d, iso);
	return strdup(iso);
}

void
tr__property_tags(char ***tags, size_t *n_tags, const char *s)
{
	char *copy = s ? strdup(s) : NULL, *p = copy;

	while (p && *n_tags < TR__FRONT_MATTER_MAX_LIST) {
		char *end = p + strcspn(p, ",;");
		char *next = *end ? end + 1 : NULL;

		*end = '\0';
		tr_text_squeeze(p);
		if (*p && tr_strv_add_unique(tags, n_tags, p) != TR_OK)
			break;
		p = next;
	}
	free(copy);
}

void
tr__property_set(tr_buf *b, const char *s)
{
	char *copy;

	if (b->len || !s)
		return;
	if (!(copy = strdup(s)))
		return;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	tr_text_squeeze(copy);
	if (*copy)
		(void)tr__extract_add(b, copy, strlen(copy));
	free(copy);
}

/* ---- Building the text fields ------------------------------------------ */

tr_status
tr__xml_line_end(tr_buf *b)
{
	return tr__extract_break(b, 1);
}

tr_status
tr__xml_cell_end(tr_buf *b)
{
	while (b->len && (b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\n'))
		b->ptr[--b->len] = '\0';
	if (b->len == 0 || b->ptr[b->len - 1] == '\t' || b->ptr[b->len - 1] == '\f')
		return TR_OK;
	return tr__extract_add(b, "\t", 1);
}

tr_status
tr__xml_para_end(tr_buf *b, bool in_cell)
{
	if (!in_cell)
		return tr__xml_line_end(b);
	if (b->len == 0 || b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\t' ||
	    b->ptr[b->len - 1] == '\n' || b->ptr[b->len - 1] == '\f')
		return TR_OK;
	return tr__extract_add(b, " ", 1);
}

tr_status
tr__slide_emit(tr_extract *out, tr_buf *title, tr_buf *text, size_t i)
{
	tr_buf *body = &out->body;
	tr_status st = TR_OK;

	if (title->ptr) {
		tr_text_squeeze(title->ptr);
		title->len = strlen(title->ptr);
	}
	if (i > 0) {
		while (body->len && (body->ptr[body->len - 1] == '\n' || body->ptr[body->len - 1] == ' ' ||
		                     body->ptr[body->len - 1] == '\t'))
			body->ptr[--body->len] = '\0';
		st = body->len ? tr__extract_add(body, "\n\f", 2) : tr__extract_add(body, "\f", 1);
	}
	if (st == TR_OK && title->len) {
		tr__property_set(&out->title, title->ptr);
		if ((st = tr__extract_add(body, title->ptr, title->len)) == TR_OK)
			st = tr__xml_line_end(body);
	}
	tr_buf_rtrim(text);
	if (st == TR_OK && text->len && (st = tr__extract_add(body, text->ptr, text->len)) == TR_OK)
		st = tr__xml_line_end(body);
	tr_buf_reset(title);
	tr_buf_reset(text);
	return st;
}

static tr_status
headings_write(tr_buf *b, const char *text)
{
	tr_status st = tr__xml_adds(b, text);

	if (st == TR_OK)
		st = tr__xml_line_end(b);
	/* A full headings field loses later headings, never the body. */
	return st == TR_ETOOBIG ? TR_OK : st;
}

tr_status
tr__headings_add(tr__headings *h, tr_extract *out, const char *text, bool title, int level)
{
	tr__heading *nv;
	char *copy;

	if (!(copy = strdup(text)))
		return TR_ENOMEM;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	tr_text_squeeze(copy);
	if (!*copy || h->n >= TR__HEADINGS_MAX) {
		tr_status st = *copy ? headings_write(&out->headings, copy) : TR_OK;
		free(copy);
		return st;
	}
	if (!(nv = realloc(h->v, (h->n + 1) * sizeof *nv))) {
		free(copy);
		return TR_ENOMEM;
	}
	h->v = nv;
	h->v[h->n].text = copy;
	h->v[h->n].title = title;
	h->v[h->n].level = level;
	h->n++;
	return TR_OK;
}

tr_status
tr__headings_finish(tr__headings *h, tr_extract *out)
{
	size_t chosen = (size_t)-1;
	tr_status st = TR_OK;

	if (!out->title.len) {
		for (size_t i = 0; i < h->n && chosen == (size_t)-1; i++)
			if (h->v[i].title)
				chosen = i;
		for (size_t i = 0; i < h->n && chosen == (size_t)-1; i++)
			if (h->v[i].level == 0)
				chosen = i;
		if (chosen != (size_t)-1)
			tr__property_set(&out->title, h->v[chosen].text);
	}
	for (size_t i = 0; i < h->n && st == TR_OK; i++) {
		if (i == chosen || (out->title.ptr && strcmp(h->v[i].text, out->title.ptr) == 0))
			continue;
		st = headings_write(&out->headings, h->v[i].text);
	}
	return st;
}

void
tr__headings_free(tr__headings *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i].text);
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

/* ---- Document properties (one reader for OOXML and ODF) ------------------ */

typedef struct props_ctx {
	tr_extract *out;
	const tr__prop_field *fields;
	const tr__prop_field *field;   /* the element being read, or NULL */
	tr_buf value;
	char *author;                  /* TR_PROP_AUTHOR */
	char *fallback;                /* TR_PROP_AUTHOR_FALLBACK */
} props_ctx;

static tr_status
props_start(void *ctx, void *reader, const char *ns, const char *name)
{
	props_ctx *c = ctx;

	(void)reader;
	(void)ns;
	c->field = NULL;
	tr_buf_reset(&c->value);
	for (const tr__prop_field *f = c->fields; f->element; f++)
		if (strcmp(name, f->element) == 0)
			c->field = f;
	return TR_OK;
}

static tr_status
props_text(void *ctx, const char *s, size_t len)
{
	props_ctx *c = ctx;
	tr_status st;

	if (!c->field)
		return TR_OK;
	st = tr_buf_add(&c->value, s, len);
	return st == TR_ETOOBIG ? TR_OK : st;
}

static tr_status
props_end(void *ctx, const char *ns, const char *name)
{
	props_ctx *c = ctx;
	tr_extract *x = c->out;
	const char *v = c->value.ptr;

	(void)ns;
	if (!c->field || strcmp(name, c->field->element) != 0 || !v) {
		c->field = NULL;
		return TR_OK;
	}
	switch (c->field->kind) {
	case TR_PROP_TITLE:
		tr__property_set(&x->title, v);
		break;
	case TR_PROP_AUTHOR:
		if (!c->author)
			c->author = strdup(v);
		break;
	case TR_PROP_AUTHOR_FALLBACK:
		if (!c->fallback)
			c->fallback = strdup(v);
		break;
	case TR_PROP_DESCRIPTION:
		tr__property_set(&x->description, v);
		break;
	case TR_PROP_TAGS:
		tr__property_tags(&x->tags, &x->n_tags, v);
		break;
	case TR_PROP_CREATED:
		if (!x->date_created)
			x->date_created = tr__property_date(v);
		break;
	case TR_PROP_MODIFIED:
		if (!x->date_modified)
			x->date_modified = tr__property_date(v);
		break;
	}
	c->field = NULL;
	tr_buf_reset(&c->value);
	return TR_OK;
}

tr_status
tr__props_parse(tr_extract *out, const char *xml, size_t len, const tr__prop_field *fields)
{
	static const tr__xml_events ev = { props_start, props_end, props_text };
	props_ctx c = { out, fields, NULL, TR_BUF_INIT(4096), NULL, NULL };
	tr_status st = tr__xml_walk(xml, len, &ev, &c);

	if (c.author || c.fallback)
		tr__property_set(&out->author, c.author ? c.author : c.fallback);
	free(c.author);
	free(c.fallback);
	tr_buf_free(&c.value);
	return st == TR_ENOMEM ? st : TR_OK;
}

tr_status
tr__props_read(tr_extract *out, tr__zip *z, const char *part, const tr__prop_field *fields)
{
	char *xml = NULL, *ignored = NULL;
	size_t len;
	tr_status st = tr__zip_read(z, part, &xml, &len, &ignored);

	if (st == TR_OK)
		st = tr__props_parse(out, xml, len, fields);
	free(xml);
	free(ignored);
	return st == TR_ENOMEM ? st : TR_OK;
}
