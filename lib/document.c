#include "tellerrand/document.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "document_wire.h"
#include "text.h"

const char *
tr_source_name(tr_source s)
{
	switch (s) {
	case TR_SOURCE_NONE:     return "none";
	case TR_SOURCE_FORMAT:   return "format";
	case TR_SOURCE_FILETIME: return "filetime";
	case TR_SOURCE_TEXT:     return "text";
	case TR_SOURCE_FOLDER:   return "folder";
	case TR_SOURCE_EXPLICIT: return "explicit";
	}
	return "none";
}

tr_doc *
tr_doc_new(void)
{
	return calloc(1, sizeof(tr_doc));
}

void
tr_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

tr_status
tr_strv_add_unique(char ***v, size_t *n, const char *s)
{
	char **nv;
	char *copy;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return TR_OK;
	copy = strdup(s);
	if (!copy)
		return TR_ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv) {
		free(copy);
		return TR_ENOMEM;
	}
	nv[(*n)++] = copy;
	*v = nv;
	return TR_OK;
}

void
tr_doc_free(tr_doc *doc)
{
	if (!doc)
		return;
	free(doc->path);
	free(doc->relpath);
	free(doc->mime);
	free(doc->format);
	free(doc->title);
	free(doc->headings);
	free(doc->body);
	free(doc->description);
	free(doc->author);
	free(doc->stamp);
	free(doc->date_where);
	free(doc->district_where);
	tr_strv_free(doc->districts, doc->n_districts);
	tr_strv_free(doc->topics, doc->n_topics);
	tr_strv_free(doc->tags, doc->n_tags);
	free(doc);
}

/* ---- Passing a document between processes --------------------------------
 *
 * The indexer's workers read files and send the documents to the writer,
 * which builds their index form: Xapian's own document serialisation cost
 * the single writer more to read back than building the document from its
 * text.  The encoding is for the same binary on both ends of a pipe: host
 * byte order, a fixed field order, every length checked when decoding.
 */

#define WIRE_MAGIC "TRW1"
#define WIRE_NULL UINT32_MAX
#define WIRE_SCALARS 12

static const size_t wire_strings[] = {
	offsetof(tr_doc, path), offsetof(tr_doc, relpath), offsetof(tr_doc, mime),
	offsetof(tr_doc, format), offsetof(tr_doc, title), offsetof(tr_doc, headings),
	offsetof(tr_doc, body), offsetof(tr_doc, description), offsetof(tr_doc, author),
	offsetof(tr_doc, stamp), offsetof(tr_doc, date_where), offsetof(tr_doc, district_where),
};

static const struct {
	size_t v, n;
} wire_lists[] = {
	{ offsetof(tr_doc, districts), offsetof(tr_doc, n_districts) },
	{ offsetof(tr_doc, topics), offsetof(tr_doc, n_topics) },
	{ offsetof(tr_doc, tags), offsetof(tr_doc, n_tags) },
};

#define FIELD(doc, off, type) ((type *)((char *)(doc) + (off)))

static tr_status
wire_u64(tr_buf *b, uint64_t v)
{
	return tr_buf_add(b, &v, sizeof v);
}

static tr_status
wire_str(tr_buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	uint32_t n = s ? (uint32_t)len : WIRE_NULL;
	tr_status st;

	if (s && len >= WIRE_NULL)
		return TR_ETOOBIG;
	if ((st = tr_buf_add(b, &n, sizeof n)) != TR_OK || !s)
		return st;
	return tr_buf_add(b, s, len);
}

tr_status
tr_doc_encode(const tr_doc *doc, tr_buf *out)
{
	const int64_t scalars[WIRE_SCALARS] = {
		doc->date.year, doc->date.month, doc->date.day, doc->date_source,
		doc->district_source, doc->type, doc->type_source, doc->internal,
		(int64_t)doc->size, doc->mtime, doc->date_line, doc->district_line,
	};
	tr_status st = tr_buf_add(out, WIRE_MAGIC, 4);

	for (size_t i = 0; st == TR_OK && i < WIRE_SCALARS; i++)
		st = wire_u64(out, (uint64_t)scalars[i]);
	for (size_t i = 0; st == TR_OK && i < sizeof wire_strings / sizeof wire_strings[0]; i++)
		st = wire_str(out, *FIELD(doc, wire_strings[i], char *const));
	for (size_t i = 0; st == TR_OK && i < sizeof wire_lists / sizeof wire_lists[0]; i++) {
		char *const *v = *FIELD(doc, wire_lists[i].v, char **const);
		size_t n = *FIELD(doc, wire_lists[i].n, const size_t);

		st = wire_u64(out, n);
		for (size_t k = 0; st == TR_OK && k < n; k++)
			st = wire_str(out, v[k]);
	}
	return st;
}

typedef struct wire_reader {
	const char *p, *end;
} wire_reader;

static bool
read_u64(wire_reader *r, uint64_t *v)
{
	if ((size_t)(r->end - r->p) < sizeof *v)
		return false;
	memcpy(v, r->p, sizeof *v);
	r->p += sizeof *v;
	return true;
}

/* A string (*s NULL for a missing one); false when truncated, malformed or out of memory (*nomem). */
static bool
read_str(wire_reader *r, char **s, bool *nomem)
{
	uint32_t n;

	*s = NULL;
	if ((size_t)(r->end - r->p) < sizeof n)
		return false;
	memcpy(&n, r->p, sizeof n);
	r->p += sizeof n;
	if (n == WIRE_NULL)
		return true;
	if ((size_t)(r->end - r->p) < n || memchr(r->p, '\0', n))
		return false;
	if (!(*s = strndup(r->p, n))) {
		*nomem = true;
		return false;
	}
	r->p += n;
	return true;
}

tr_status
tr_doc_decode(const char *data, size_t len, tr_doc **out)
{
	wire_reader r = { data, data + len };
	int64_t scalars[WIRE_SCALARS];
	bool nomem = false, ok;
	tr_doc *doc;

	*out = NULL;
	if (len < 4 || memcmp(data, WIRE_MAGIC, 4) != 0)
		return TR_EFORMAT;
	r.p += 4;
	if (!(doc = tr_doc_new()))
		return TR_ENOMEM;
	ok = true;
	for (size_t i = 0; ok && i < WIRE_SCALARS; i++)
		ok = read_u64(&r, (uint64_t *)&scalars[i]);
	for (size_t i = 0; ok && i < sizeof wire_strings / sizeof wire_strings[0]; i++)
		ok = read_str(&r, FIELD(doc, wire_strings[i], char *), &nomem);
	for (size_t i = 0; ok && i < sizeof wire_lists / sizeof wire_lists[0]; i++) {
		char ***v = FIELD(doc, wire_lists[i].v, char **);
		size_t *n = FIELD(doc, wire_lists[i].n, size_t);
		uint64_t count;

		/* Each entry takes at least its 4-byte length: a bound on the count. */
		ok = read_u64(&r, &count) && count <= (uint64_t)(r.end - r.p) / 4;
		if (ok && count && !(*v = calloc((size_t)count, sizeof **v)))
			nomem = true, ok = false;
		for (uint64_t k = 0; ok && k < count; k++) {
			ok = read_str(&r, &(*v)[k], &nomem) && (*v)[k];
			if (ok)
				(*n)++;
		}
	}
	if (!ok || r.p != r.end) {
		tr_doc_free(doc);
		return nomem ? TR_ENOMEM : TR_EFORMAT;
	}
	doc->date = (tr_date){ (int)scalars[0], (int)scalars[1], (int)scalars[2] };
	doc->date_source = (tr_source)scalars[3];
	doc->district_source = (tr_source)scalars[4];
	doc->type = (tr_doctype)scalars[5];
	doc->type_source = (tr_source)scalars[6];
	doc->internal = scalars[7] != 0;
	doc->size = (uint64_t)scalars[8];
	doc->mtime = scalars[9];
	doc->date_line = scalars[10] > 0 && scalars[10] <= UINT32_MAX ? (unsigned)scalars[10] : 0;
	doc->district_line = scalars[11] > 0 && scalars[11] <= UINT32_MAX ? (unsigned)scalars[11] : 0;
	*out = doc;
	return TR_OK;
}
