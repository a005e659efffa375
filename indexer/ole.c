#include "ole.h"

#include <gsf/gsf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "zipxml.h"

struct tr__ole {
	GsfInput *mem;
	GsfInfile *root;
};

static pthread_once_t ole_once = PTHREAD_ONCE_INIT;

static void
ole_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

/*
 * libgsf reports damaged files through GLib's log as well as through
 * its return values; the user gets one line per file from the indexer,
 * so the log is silenced.  Its OLE2 reader logs a stream it cannot open
 * ("Unable to get child[...]", a damaged .msg or .doc) without a domain,
 * hence NULL, GLib's default domain, among them.
 */
static void
ole_init(void)
{
	static const char *const domains[] = { "libgsf", "libgsf:msole", "libgsf:utils", "GLib-GObject", NULL };
	GLogLevelFlags all = (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION);

	gsf_init();
	for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
		g_log_set_handler(domains[i], all, ole_quiet, NULL);
}

tr_status
tr__ole_open(tr__ole **out, const char *data, size_t len, char **why)
{
	tr__ole *o;
	GError *err = NULL;

	*out = NULL;
	pthread_once(&ole_once, ole_init);
	if (!(o = calloc(1, sizeof *o)))
		return TR_ENOMEM;
	o->mem = gsf_input_memory_new((const guint8 *)data, (gsf_off_t)len, FALSE);
	if (o->mem)
		o->root = gsf_infile_msole_new(o->mem, &err);
	if (err)
		g_error_free(err);
	if (!o->root) {
		tr__ole_free(o);
		*why = tr__reason("beschädigt: kein lesbares OLE2-Dokument");
		return TR_EFORMAT;
	}
	*out = o;
	return TR_OK;
}

void
tr__ole_free(tr__ole *o)
{
	if (!o)
		return;
	if (o->root)
		g_object_unref(o->root);
	if (o->mem)
		g_object_unref(o->mem);
	free(o);
}

/*
 * The stream or storage at @path, "name" at the top level or
 * "storage/.../name" inside storages (an Outlook message keeps its
 * attachments and recipients in storages of their own); NULL if none.
 * Free with g_object_unref().
 */
static GsfInput *
ole_child(tr__ole *o, const char *path)
{
	GsfInput *cur = g_object_ref(GSF_INPUT(o->root));
	char name[256];

	while (cur && *path) {
		size_t n = strcspn(path, "/");
		GsfInput *next = NULL;

		if (n < sizeof name && GSF_IS_INFILE(cur)) {
			memcpy(name, path, n);
			name[n] = '\0';
			next = gsf_infile_child_by_name(GSF_INFILE(cur), name);
		}
		g_object_unref(cur);
		cur = next;
		path += n + (path[n] == '/');
	}
	return cur;
}

bool
tr__ole_has(tr__ole *o, const char *name)
{
	GsfInput *c = ole_child(o, name);

	if (c)
		g_object_unref(c);
	return c != NULL;
}

tr_status
tr__ole_read(tr__ole *o, const char *name, char **out, size_t *len, char **why)
{
	GsfInput *c = ole_child(o, name);
	gsf_off_t size;
	char *buf = NULL;
	tr_status st = TR_OK;

	*out = NULL;
	*len = 0;
	if (!c)
		return TR_ENOTFOUND;
	size = gsf_input_size(c);
	if (size < 0 || (size_t)size > TR__OLE_MAX_STREAM) {
		*why = tr__reason("zu groß: Datenstrom %s über %zu MB", name, TR__OLE_MAX_STREAM >> 20);
		st = TR_ETOOBIG;
	} else if (!(buf = malloc((size_t)size + 1))) {
		st = TR_ENOMEM;
	} else if (size > 0 && !gsf_input_read(c, (size_t)size, (guint8 *)buf)) {
		*why = tr__reason("beschädigt: Datenstrom %s nicht lesbar", name);
		st = TR_EFORMAT;
	}
	g_object_unref(c);
	if (st != TR_OK) {
		free(buf);
		return st;
	}
	buf[size] = '\0';
	*out = buf;
	*len = (size_t)size;
	return TR_OK;
}

/* The string or date of property @name; allocated, NULL if none. */
static char *
ole_prop(GsfDocMetaData *md, const char *name)
{
	GsfDocProp *p = gsf_doc_meta_data_lookup(md, name);
	GValue const *v = p ? gsf_doc_prop_get_val(p) : NULL;
	char *s = NULL;

	if (!v)
		return NULL;
	if (G_VALUE_HOLDS_STRING(v) && g_value_get_string(v)) {
		s = strdup(g_value_get_string(v));
	} else if (VAL_IS_GSF_TIMESTAMP(v)) {
		char *g = gsf_timestamp_as_string(g_value_get_boxed(v));
		s = g ? strdup(g) : NULL;
		g_free(g);
	}
	return s;
}

tr_status
tr__ole_props(tr_extract *out, tr__ole *o)
{
	GsfInput *si = gsf_infile_child_by_name(o->root, "\005SummaryInformation");
	GsfDocMetaData *md;
	GError *err;
	char *s;

	if (!si)
		return TR_OK;
	if (!(md = gsf_doc_meta_data_new())) {
		g_object_unref(si);
		return TR_ENOMEM;
	}
	if ((err = gsf_doc_meta_data_read_from_msole(md, si)))
		g_error_free(err);   /* what was read before the damage is kept */
	if ((s = ole_prop(md, GSF_META_NAME_TITLE)))
		tr__property_set(&out->title, s);
	free(s);
	if ((s = ole_prop(md, GSF_META_NAME_CREATOR)))
		tr__property_set(&out->author, s);
	free(s);
	if ((s = ole_prop(md, GSF_META_NAME_SUBJECT)))
		tr__property_set(&out->description, s);
	free(s);
	if ((s = ole_prop(md, GSF_META_NAME_DESCRIPTION)))
		tr__property_set(&out->description, s);
	free(s);
	if ((s = ole_prop(md, GSF_META_NAME_KEYWORDS)))
		tr__property_tags(&out->tags, &out->n_tags, s);
	free(s);
	if (!out->date_created && (s = ole_prop(md, GSF_META_NAME_DATE_CREATED))) {
		out->date_created = tr__property_date(s);
		free(s);
	}
	if (!out->date_modified && (s = ole_prop(md, GSF_META_NAME_DATE_MODIFIED))) {
		out->date_modified = tr__property_date(s);
		free(s);
	}
	g_object_unref(md);
	g_object_unref(si);
	return TR_OK;
}

tr_status
tr__utf16le_add(tr_buf *b, const unsigned char *s, size_t n)
{
	char utf8[4 * 256];
	size_t k = 0;
	tr_status st = TR_OK;

	for (size_t i = 0; i < n && st == TR_OK; i++) {
		unsigned long cp = tr__le16(s + 2 * i);

		if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < n) {
			unsigned long lo = tr__le16(s + 2 * i + 2);
			if (lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				cp = 0xFFFD;
			}
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		k += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)utf8 + k);
		if (k > sizeof utf8 - 4) {
			st = tr__extract_add(b, utf8, k);
			k = 0;
		}
	}
	return st == TR_OK && k ? tr__extract_add(b, utf8, k) : st;
}

int
tr__cp1252(unsigned char c)
{
	static const unsigned short high[32] = {
		0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
		0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
	};

	return c >= 0x80 && c < 0xA0 ? high[c - 0x80] : c;
}
