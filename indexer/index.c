/*
 * The indexing pipeline for one file: read → detect type → extract →
 * decide metadata → tr_doc.  Which files to read, and writing the index,
 * is indexer/update.c's business.
 */
#include "tellerrand/index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "filetype.h"
#include "meta.h"
#include "scan_words.h"
#include "text.h"
#include "workers.h"
#include "zipxml.h"

/* A topic must score this much (a title hit counts 3, a body hit 1) ... */
#define TOPIC_MIN_SCORE 3.0
/* ... and reach this share of the best topic's score; at most this many topics. */
#define TOPIC_MIN_SHARE 0.25
#define TOPIC_MAX 4
/* Topic and district scanning looks at the start of long texts only. */
#define TOPIC_SCAN_MAX (256 * 1024)

static void
logf_(const tr_index_options *o, tr_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
logf_(const tr_index_options *o, tr_log_level level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!o->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	o->log(level, msg, o->ctx);
}

size_t
tr__read_limit(const tr_index_options *o)
{
	size_t share = o->max_memory / 4;

	return o->max_memory && share < o->max_file_size ? share : o->max_file_size;
}

/* Reads the whole file, refusing files over the size limits before reading them. */
static tr_status
read_file(const char *path, const tr_index_options *o, char **data, size_t *len, struct stat *st, char **why)
{
	size_t max = tr__read_limit(o);
	/*
	 * Never through a link (the scan resolved and checked those), never
	 * blocking on a FIFO put where a file was since the scan.
	 */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char *buf = NULL;
	size_t have = 0;
	tr_status ret = TR_OK;

	*data = NULL;
	if (fd < 0) {
		*why = tr__reason("nicht lesbar (%s)", strerror(errno));
		return TR_EIO;
	}
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		*why = tr__reason("keine normale Datei");
		ret = TR_EUNSUPPORTED;
		goto done;
	}
	if ((uint64_t)st->st_size > o->max_file_size) {
		*why = tr__reason("zu groß (%.1f MB, Grenze %.1f MB)",
		              (double)st->st_size / 1e6, (double)o->max_file_size / 1e6);
		ret = TR_ETOOBIG;
		goto done;
	}
	buf = (uint64_t)st->st_size > max ? NULL : malloc((size_t)st->st_size + 1);
	if (!buf) {
		/* Above what a worker may hold (--max-size set past its memory limit): a size reason, not "out of memory". */
		*why = tr__reason("zu groß (%.1f MB): mehr, als ein Leseprozess im Speicher halten darf (%.1f MB)",
		                  (double)st->st_size / 1e6, (double)max / 1e6);
		ret = TR_ETOOBIG;
		goto done;
	}
	/* The file may change size while we read; never read past the limit. */
	while (have < (size_t)st->st_size) {
		ssize_t n = read(fd, buf + have, (size_t)st->st_size - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = tr__reason("Lesefehler (%s)", strerror(errno));
			ret = TR_EIO;
			goto done;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	buf[have] = '\0';
	*data = buf;
	*len = have;
	buf = NULL;
done:
	free(buf);
	close(fd);
	return ret;
}

/* A readable title from a file name: no folders, no extension, '_' as spaces. */
static char *
title_from_path(const char *relpath)
{
	const char *base = strrchr(relpath, '/');
	char *t, *dot;

	t = strdup(base ? base + 1 : relpath);
	if (!t)
		return NULL;
	dot = strrchr(t, '.');
	if (dot && dot != t)
		*dot = '\0';
	for (char *p = t; *p; p++)
		if (*p == '_')
			*p = ' ';
	tr_text_squeeze(t);
	return t;
}

static tr_status
decide_date(tr_doc *doc, const tr_extract *x, const tr_meta_input *in, const tr_index_options *o)
{
	if (x->date) {
		if (tr_date_parse(&doc->date, x->date) == TR_OK) {
			doc->date_source = TR_SOURCE_EXPLICIT;
			return TR_OK;
		}
		logf_(o, TR_LOG_WARN, "%s: Datumsangabe nicht lesbar, ignoriert – \"%s\"", doc->path, x->date);
	}
	{
		/* Office and PDF properties: docs/metadata.md, "Office and PDF properties". */
		tr_date found = TR_DATE_NONE, prop;
		tr_source found_source = TR_SOURCE_NONE;
		tr__meta_where where = { "", 0 };
		bool have = tr__meta_find_date_where(in, &found, &found_source, &where);

		if (tr__extract_property_date(&prop, x, have ? &found : NULL)) {
			doc->date = prop;
			doc->date_source = TR_SOURCE_EXPLICIT;
			return TR_OK;
		}
		if (have) {
			doc->date = found;
			doc->date_source = found_source;
			doc->date_line = where.line;
			if (where.text[0] && !(doc->date_where = strdup(where.text)))
				return TR_ENOMEM;
			return TR_OK;
		}
	}
	/* Last resort, as the precedence says: the file's own time. */
	{
		time_t t = (time_t)doc->mtime;
		struct tm tm;

		if (localtime_r(&t, &tm)) {
			doc->date.year = tm.tm_year + 1900;
			doc->date.month = tm.tm_mon + 1;
			doc->date.day = tm.tm_mday;
			doc->date_source = TR_SOURCE_FILETIME;
		}
	}
	return TR_OK;
}

static tr_status
decide_districts(tr_doc *doc, const tr_extract *x, const tr_meta_input *in, const tr_index_options *o)
{
	tr_status st;

	for (size_t i = 0; i < x->n_districts; i++) {
		size_t d;

		st = tr_districts_resolve(o->districts, x->districts[i], &d);
		if (st == TR_ENOMEM)
			return st;
		if (st != TR_OK) {
			logf_(o, TR_LOG_WARN, "%s: Landkreis unbekannt, ignoriert – \"%s\"", doc->path, x->districts[i]);
			continue;
		}
		if ((st = tr_strv_add_unique(&doc->districts, &doc->n_districts,
		                             tr_districts_key(o->districts, d))) != TR_OK)
			return st;
	}
	if (doc->n_districts) {
		doc->district_source = TR_SOURCE_EXPLICIT;
		return TR_OK;
	}
	{
		tr__meta_where where = { "", 0 };

		st = tr__meta_find_districts_where(o->districts, in, &doc->districts, &doc->n_districts,
		                                   &doc->district_source, &where);
		doc->district_line = where.line;
		if (st == TR_OK && doc->n_districts && where.text[0] && !(doc->district_where = strdup(where.text)))
			st = TR_ENOMEM;
		return st;
	}
}

static void
decide_type(tr_doc *doc, const tr_extract *x, const tr_meta_input *in, const tr_index_options *o)
{
	if (x->type) {
		if (tr_doctype_from_name(&doc->type, x->type) == TR_OK) {
			doc->type_source = TR_SOURCE_EXPLICIT;
			return;
		}
		logf_(o, TR_LOG_WARN, "%s: Dokumenttyp unbekannt, ignoriert – \"%s\"", doc->path, x->type);
	}
	doc->type = tr__meta_find_type(in, &doc->type_source);
	if (doc->type == TR_DOCTYPE_UNKNOWN)
		doc->type = TR_DOCTYPE_SONSTIGES;
}

/*
 * A root's defaults rank like a folder convention: they give way to what
 * the file states itself, and win over what the text suggests.  The
 * default district becomes the main one; districts the text names stay as
 * further districts.
 */
static tr_status
apply_root_defaults(tr_doc *doc, const tr_root *root, const tr_index_options *o)
{
	tr_status st;

	if (root->district && doc->district_source < TR_SOURCE_FOLDER) {
		size_t d;
		const char *key;
		char **v = NULL;
		size_t n = 0;

		if (tr_districts_resolve(o->districts, root->district, &d) != TR_OK) {
			logf_(o, TR_LOG_WARN, "%s: Landkreis unbekannt, ignoriert – \"%s\"", root->path, root->district);
		} else {
			key = tr_districts_key(o->districts, d);
			st = tr_strv_add_unique(&v, &n, key);
			for (size_t i = 0; st == TR_OK && i < doc->n_districts; i++)
				st = tr_strv_add_unique(&v, &n, doc->districts[i]);
			if (st != TR_OK) {
				tr_strv_free(v, n);
				return st;
			}
			tr_strv_free(doc->districts, doc->n_districts);
			doc->districts = v;
			doc->n_districts = n;
			doc->district_source = TR_SOURCE_FOLDER;
			/* The configured root named it: its path is where it was read. */
			free(doc->district_where);
			doc->district_where = strdup(root->path);
			doc->district_line = 0;
			if (!doc->district_where)
				return TR_ENOMEM;
		}
	}
	if (root->type && doc->type_source < TR_SOURCE_FOLDER) {
		tr_doctype t;

		if (tr_doctype_from_name(&t, root->type) == TR_OK) {
			doc->type = t;
			doc->type_source = TR_SOURCE_FOLDER;
		} else {
			logf_(o, TR_LOG_WARN, "%s: Dokumenttyp unbekannt, ignoriert – \"%s\"", root->path, root->type);
		}
	}
	return TR_OK;
}

static tr_status
decide_topics(tr_doc *doc, const tr_text_words *words, const tr_index_options *o)
{
	size_t n = tr_topics_count(o->topics);
	double *scores = calloc(n ? n : 1, sizeof *scores);
	double best = 0;
	size_t body_len = doc->body ? strlen(doc->body) : 0;
	tr_status st = TR_OK;

	if (!scores)
		return TR_ENOMEM;
	/* Tags that name a topic count as explicit: they decide on their own. */
	for (size_t i = 0; i < doc->n_tags; i++) {
		size_t t;
		if (tr_topics_resolve(o->topics, doc->tags[i], &t) == TR_OK)
			scores[t] += 100;
	}
	if (doc->title && (st = tr_topics_scan(o->topics, doc->title, strlen(doc->title), 3, scores)) != TR_OK)
		goto done;
	if (doc->body) {
		size_t scan = body_len < TOPIC_SCAN_MAX ? body_len : TOPIC_SCAN_MAX;

		if (words->from == 0 && words->to >= scan)
			st = tr_topics_scan_words(o->topics, doc->body, scan, words, 1, scores);
		else
			st = tr_topics_scan(o->topics, doc->body, scan, 1, scores);
		if (st != TR_OK)
			goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (scores[i] > best)
			best = scores[i];
	for (size_t k = 0; k < TOPIC_MAX; k++) {
		size_t top = (size_t)-1;

		for (size_t i = 0; i < n; i++)
			if (scores[i] >= TOPIC_MIN_SCORE && scores[i] >= best * TOPIC_MIN_SHARE &&
			    (top == (size_t)-1 || scores[i] > scores[top]))
				top = i;
		if (top == (size_t)-1)
			break;
		if ((st = tr_strv_add_unique(&doc->topics, &doc->n_topics, tr_topics_key(o->topics, top))) != TR_OK)
			goto done;
		scores[top] = 0;
	}
done:
	free(scores);
	return st;
}

/*
 * Date, districts, type and topics of @doc, from what the file states
 * (@x), the root's defaults and the finders.  The body's words and their
 * folds are found once here; every finder reads them, and they stay with
 * the document for its same-text key and sketch (doc->words).
 */
static tr_status
decide_metadata(tr_doc *doc, const tr_extract *x, const tr_root *root, const tr_index_options *o)
{
	tr_text_words *words = malloc(sizeof *words);
	tr__meta_datelines datelines = { false, 0, 0 };
	tr_meta_input in;
	tr_status st;

	if (!words)
		return TR_ENOMEM;
	*words = (tr_text_words)TR_TEXT_WORDS_INIT;
	doc->words = words;
	in.relpath = doc->relpath;
	in.title = doc->title;
	in.headings = doc->headings;
	in.body = doc->body;
	in.body_len = strlen(doc->body);
	in.format = doc->format;
	in.words = words;
	in.datelines = &datelines;
	if ((st = tr_text_words_find(words, in.body, 0,
	                             in.body_len < TR__META_WORDS_MAX ? in.body_len : TR__META_WORDS_MAX)) != TR_OK ||
	    (st = tr_text_words_fold(words, in.body)) != TR_OK ||
	    (st = decide_date(doc, x, &in, o)) != TR_OK ||
	    (st = decide_districts(doc, x, &in, o)) != TR_OK)
		return st;
	decide_type(doc, x, &in, o);
	if (root && (st = apply_root_defaults(doc, root, o)) != TR_OK)
		return st;
	return decide_topics(doc, words, o);
}

/* Copies @b's text into a fresh string, NULL for an empty buffer. */
static char *
take(tr_buf *b)
{
	tr_buf_rtrim(b);
	return b->len ? tr_buf_detach(b) : NULL;
}

tr_status
tr_index_read_file(tr_doc **out, const char *path, const char *relpath,
                   const tr_root *root, const tr_index_options *o, char **why)
{
	char *data = NULL, *mime = NULL, *charset = NULL, *mywhy = NULL;
	size_t len = 0;
	struct stat sb;
	const tr_handler *h;
	tr_extract x;
	tr_doc *doc = NULL;
	tr_status st;

	*out = NULL;
	tr_extract_init(&x, o->max_text);
	if ((st = read_file(path, o, &data, &len, &sb, &mywhy)) != TR_OK)
		goto done;
	if (len == 0) {
		mywhy = tr__reason("leere Datei");
		st = TR_EUNSUPPORTED;
		goto done;
	}
	if ((st = tr__filetype_detect(data, len, path, &mime, &charset)) != TR_OK) {
		mywhy = tr__reason("Dateityp nicht erkennbar");
		goto done;
	}
	h = tr__handler_find(mime, path);
	if (!h) {
		mywhy = tr__reason("Dateityp nicht unterstützt (%s)", mime);
		st = TR_EUNSUPPORTED;
		goto done;
	}
	{
		tr_input input = { path, mime, charset, data, len, &o->ocr };
		/*
		 * A limit tripped inside the file (a zip bomb) makes it hostile
		 * or broken, not left out on purpose: it counts as failed.
		 */
		if ((st = h->extract(&x, &input, &mywhy)) == TR_ETOOBIG)
			st = TR_EFORMAT;
		if (st != TR_OK)
			goto done;
		if (x.warning)
			logf_(o, TR_LOG_WARN, "%s: %s", path, x.warning);
	}

	doc = tr_doc_new();
	if (!doc) {
		st = TR_ENOMEM;
		goto done;
	}
	doc->path = strdup(path);
	/* Folder names as a person reads them (a Windows-1252 "Mei\xdfen" is Meißen), for the metadata and the title. */
	doc->relpath = tr_text_printable_dup(relpath);
	doc->mime = mime;
	mime = NULL;
	doc->format = strdup(h->format);
	doc->title = take(&x.title);
	doc->headings = take(&x.headings);
	doc->body = take(&x.body);
	doc->description = take(&x.description);
	doc->author = take(&x.author);
	doc->internal = root && root->internal;
	doc->size = (uint64_t)sb.st_size;
	doc->mtime = (int64_t)sb.st_mtime;
	if (!doc->path || !doc->relpath || !doc->format) {
		st = TR_ENOMEM;
		goto done;
	}
	/* A blank document (an empty ODT, a sheet without cells) is no error: it is skipped. */
	if (!doc->body && !doc->title) {
		mywhy = tr__reason("leeres Dokument (kein Text)");
		st = TR_EUNSUPPORTED;
		goto done;
	}
	if (!doc->body && !(doc->body = strdup(""))) {
		st = TR_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < x.n_tags; i++)
		if ((st = tr_strv_add_unique(&doc->tags, &doc->n_tags, x.tags[i])) != TR_OK)
			goto done;

	if ((st = decide_metadata(doc, &x, root, o)) != TR_OK)
		goto done;
	if (!doc->title && !(doc->title = title_from_path(doc->relpath))) {
		st = TR_ENOMEM;
		goto done;
	}
	*out = doc;
	doc = NULL;
done:
	if (st != TR_OK && why)
		*why = mywhy ? mywhy : strdup(tr_strerror(st));
	else
		free(mywhy);
	tr_doc_free(doc);
	tr_extract_free(&x);
	free(data);
	free(mime);
	free(charset);
	return st;
}
