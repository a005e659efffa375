/*
 * One call per fuzz target: what each libFuzzer harness in fuzz/ runs on
 * an input, and what tests/unit/test_fuzz_crashes.c replays on every input
 * kept in tests/fixtures/crashes/TARGET/.  Header-only (static functions)
 * so that both can include it without a library of its own.
 *
 * Each target must survive any bytes: no crash, no leak, no undefined
 * behaviour, bounded memory.  Return values are ignored; the sanitizers
 * judge.
 */
#ifndef TR_FUZZ_TARGETS_H
#define TR_FUZZ_TARGETS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docdata.h"
#include "extract.h"
#include <leptonica/allheaders.h>
#include "tellerrand/date.h"
#include "tellerrand/district.h"
#include "tellerrand/explain.h"
#include "tellerrand/topics.h"
#include "query.h"

/* Extracted text per field; small, so that inputs explore the cut-off paths too. */
#define TR_FUZZ_MAX_TEXT (256 << 10)

static inline void
tr_fuzz_extract(tr_extract_fn fn, const char *path, const char *mime, const char *charset,
                const uint8_t *data, size_t size)
{
	tr_extract x;
	char *why = NULL;
	tr_input in = { path, mime, charset, (const char *)data, size, NULL };

	tr_extract_init(&x, TR_FUZZ_MAX_TEXT);
	(void)fn(&x, &in, &why);
	free(why);
	tr_extract_free(&x);
}

static inline void
tr_fuzz_pdf(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_pdf, "fuzz.pdf", "application/pdf", "binary", data, size);
}

static inline void
tr_fuzz_ooxml(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_ooxml, "fuzz.docx",
	                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	                "binary", data, size);
}

static inline void
tr_fuzz_odf(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_odf, "fuzz.odt", "application/vnd.oasis.opendocument.text",
	                "binary", data, size);
}

static inline void
tr_fuzz_fodf(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_fodf, "fuzz.fodt", "application/vnd.oasis.opendocument.text-flat-xml",
	                "utf-8", data, size);
}

/* Issue 16's readers: one target each. */
static inline void
tr_fuzz_doc(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_doc, "fuzz.doc", "application/msword", "binary", data, size);
}

static inline void
tr_fuzz_ppt(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_ppt, "fuzz.ppt", "application/vnd.ms-powerpoint", "binary", data, size);
}

static inline void
tr_fuzz_xls(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_xls, "fuzz.xls", "application/vnd.ms-excel", "binary", data, size);
}

static inline void
tr_fuzz_rtf(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_rtf, "fuzz.rtf", "text/rtf", "us-ascii", data, size);
}

/* Attachments go through type detection and every other extractor too. */
static inline void
tr_fuzz_mail(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_mail, "fuzz.eml", "message/rfc822", "us-ascii", data, size);
}

/* Outlook .msg: the OLE2 container, property streams, compressed RTF and attachments. */
static inline void
tr_fuzz_msg(const uint8_t *data, size_t size)
{
	tr_fuzz_extract(tr__extract_msg, "fuzz.msg", "application/vnd.ms-outlook", "binary", data, size);
}

/* The first byte picks the charset libmagic might have reported, so that decoding is fuzzed too. */
static inline const char *
tr_fuzz_charset(const uint8_t **data, size_t *size)
{
	static const char *const charsets[] = {
		"utf-8", "iso-8859-1", "unknown-8bit", "utf-16le", "us-ascii", "binary"
	};
	unsigned k = 0;

	if (*size) {
		k = **data % (sizeof charsets / sizeof charsets[0]);
		++*data;
		--*size;
	}
	return charsets[k];
}

static inline void
tr_fuzz_html(const uint8_t *data, size_t size)
{
	const char *cs = tr_fuzz_charset(&data, &size);

	tr_fuzz_extract(tr__extract_html, "fuzz.html", "text/html", cs, data, size);
}

static inline void
tr_fuzz_csv(const uint8_t *data, size_t size)
{
	const char *cs = tr_fuzz_charset(&data, &size);

	tr_fuzz_extract(tr__extract_csv, "fuzz.csv", "text/csv", cs, data, size);
}

static inline void
tr_fuzz_markdown(const uint8_t *data, size_t size)
{
	const char *cs = tr_fuzz_charset(&data, &size);

	tr_fuzz_extract(tr__extract_markdown, "fuzz.md", "text/markdown", cs, data, size);
}

/* A NUL-terminated copy; NULL when out of memory. */
static inline char *
tr_fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

static inline void
tr_fuzz_date(const uint8_t *data, size_t size)
{
	char *s = tr_fuzz_string(data, size);
	tr_date d;
	size_t used;
	char out[16];

	if (!s)
		return;
	if (tr_date_parse(&d, s) == TR_OK) {
		tr_date_format_iso(&d, out);
		tr_date_format_german(&d, out);
		tr_date_format_sortable(&d, out);
		(void)tr_date_parse_sortable(&d, out);
	}
	for (unsigned flags = 0; flags < 8; flags++)
		(void)tr_date_match(&d, &used, (const char *)data, size, flags);
	(void)tr_date_month_from_name((const char *)data, size > 64 ? 64 : (int)size);
	(void)tr_date_weekday_from_name((const char *)data, size > 64 ? 64 : (int)size);
	free(s);
}

static inline void
tr_fuzz_mention(size_t i, size_t start, size_t len, void *ctx)
{
	(void)i;
	(void)start;
	(void)len;
	(void)ctx;
}

/* @reg is loaded once by the caller (data/ of the source tree). */
static inline void
tr_fuzz_district(const tr_districts *reg, const uint8_t *data, size_t size)
{
	char *s = tr_fuzz_string(data, size);
	double *scores;
	size_t i;

	if (!s || !reg) {
		free(s);
		return;
	}
	(void)tr_districts_resolve(reg, s, &i);
	(void)tr_districts_resolve_name(reg, s, &i);
	if ((scores = calloc(tr_districts_count(reg), sizeof *scores)) != NULL) {
		(void)tr_districts_scan(reg, s, size, 1.0, scores);
		free(scores);
	}
	(void)tr_districts_each(reg, s, size, tr_fuzz_mention, NULL);
	free(s);
}

/*
 * What people type into the search box or after `tellerrand query`: the
 * text check, the repairs, the filters and the operator check.  @reg and
 * @topics are loaded once by the caller.
 */
static inline void
tr_fuzz_query(const tr_districts *reg, const tr_topics *topics, const uint8_t *data, size_t size)
{
	char *s = tr_fuzz_string(data, size), *err = NULL;
	tr_query_vocab v = { reg, topics };
	tr_query q;

	if (!s || !reg || !topics) {
		free(s);
		return;
	}
	(void)tr_query_check_text(NULL, (const char *)data, size, &err);
	free(err);
	err = NULL;
	tr_query_init(&q);
	(void)tr_query_parse(&q, &v, s, &err);
	free(err);
	tr_query_clear(&q);
	(void)tr_query_engine_message(s);
	free(s);
}

/* Loads the topic taxonomy from @datadir; NULL on failure. */
static inline tr_topics *
tr_fuzz_load_topics(const char *datadir)
{
	char p[4096];
	tr_topics *t = NULL;
	char *msg = NULL;

	snprintf(p, sizeof p, "%s/topics.tsv", datadir);
	if (tr_topics_load(&t, p, &msg) != TR_OK)
		t = NULL;
	free(msg);
	return t;
}

/*
 * The image reader under OCR (extract_image.c): page count and header
 * limits, then decoding of the first pages.  Recognition is left out: it
 * takes seconds a page and reads only pictures that decoded fine.
 */
static inline void
tr_fuzz_image(const uint8_t *data, size_t size)
{
	int pages = 0;
	char *why = NULL;

	if (tr__image_pages((const char *)data, size, &pages, &why) == TR_OK) {
		for (int i = 0; i < pages && i < 3; i++) {
			char *w = NULL;
			struct Pix *pix = tr__image_page((const char *)data, size, i, &w);

			pixDestroy(&pix);
			free(w);
		}
	}
	free(why);
}

/*
 * A document's stored record as a search reads it back from a damaged or
 * foreign index: the keys and values of format 5, or format 4's JSON when
 * it starts with '{'.
 */
static inline void
tr_fuzz_docdata(const uint8_t *data, size_t size)
{
	tr_hit hit;
	tr_meta_origin o[TR_META_COUNT];

	memset(&hit, 0, sizeof hit);
	if (tr__docdata_decode(&hit, (const char *)data, size) == TR_OK &&
	    tr_hit_meta_origins(&hit, o) == TR_OK)
		tr_meta_origins_clear(o);
	tr__hit_clear(&hit);
}

/* Loads the registry from @datadir; NULL on failure. */
static inline tr_districts *
tr_fuzz_load_districts(const char *datadir)
{
	char d[4096], g[4096];
	tr_districts *reg = NULL;
	char *msg = NULL;

	snprintf(d, sizeof d, "%s/districts.tsv", datadir);
	snprintf(g, sizeof g, "%s/gazetteer-sachsen.tsv", datadir);
	if (tr_districts_load(&reg, d, g, &msg) != TR_OK)
		reg = NULL;
	free(msg);
	return reg;
}

#endif
