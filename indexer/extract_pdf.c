/*
 * PDF through poppler-glib, read from memory.  Each page's text in reading
 * order (poppler's text layout finds columns, so a two-column page reads
 * column by column) becomes one page of body, pages separated by '\f';
 * the document information dictionary gives title, author, subject,
 * keywords and the creation and modification dates.
 */
#include "extract.h"

#include <limits.h>
#include <math.h>
#include <poppler.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ocr.h"
#include "zipxml.h"

/* Pages without a text layer are rendered for OCR at this resolution ... */
#define PDF_OCR_DPI 300
/* ... or lower, so that a poster-sized page stays within this many pixels. */
#define PDF_OCR_MAX_PIXELS (40.0 * 1000 * 1000)

/* Application names that PDF printers put before the real title. */
static const char *const title_prefixes[] = {
	"Microsoft Word - ", "Microsoft PowerPoint - ", "Microsoft Excel - ", NULL
};

/* File name extensions that show a "title" is only the name of the source file. */
static const char *const file_exts[] = {
	".doc", ".docx", ".odt", ".ppt", ".pptx", ".odp", ".pdf", ".rtf", ".txt", NULL
};

/*
 * The info title as a person would name the document: without the
 * printer's "Microsoft Word - " and not when it is only a file name
 * ("Protokoll_AG.docx"), which the index takes from the path anyway.
 */
static void
pdf_set_title(tr_extract *out, const char *t)
{
	size_t n;

	if (!t)
		return;
	for (const char *const *p = title_prefixes; *p; p++)
		if (strncmp(t, *p, strlen(*p)) == 0)
			t += strlen(*p);
	n = strlen(t);
	for (const char *const *e = file_exts; *e; e++) {
		size_t k = strlen(*e);
		if (n > k && strcasecmp(t + n - k, *e) == 0)
			return;
	}
	tr__property_set(&out->title, t);
}

static char *
pdf_date(GDateTime *dt)
{
	gchar *s;
	char *d;

	if (!dt)
		return NULL;
	s = g_date_time_format(dt, "%Y-%m-%d");
	d = tr__property_date(s);
	g_free(s);
	g_date_time_unref(dt);
	return d;
}

static void
pdf_info(tr_extract *out, PopplerDocument *doc)
{
	gchar *s;

	s = poppler_document_get_title(doc);
	pdf_set_title(out, s);
	g_free(s);
	s = poppler_document_get_author(doc);
	tr__property_set(&out->author, s);
	g_free(s);
	s = poppler_document_get_subject(doc);
	tr__property_set(&out->description, s);
	g_free(s);
	s = poppler_document_get_keywords(doc);
	tr__property_tags(&out->tags, &out->n_tags, s);
	g_free(s);
	out->date_created = pdf_date(poppler_document_get_creation_date_time(doc));
	out->date_modified = pdf_date(poppler_document_get_modification_date_time(doc));
}

/* Counts the characters that are not white space. */
static size_t
visible(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += !(*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f');
	return n;
}

/* Bullet glyphs as slide and list exports set them, often on lines of their own. */
static const char *const bullets[] = {
	"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x97\x8F", "\xE2\x80\xA3",
	"\xE2\x81\x83", "\xEF\x82\xA7", "\xEF\x82\xB7", "\xEF\x83\x98", "-", "*", NULL
};

/* True if @line[0..len) holds nothing but bullets and white space. */
static bool
only_bullets(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *const *b;

		if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
			i++;
			continue;
		}
		for (b = bullets; *b; b++)
			if (strlen(*b) <= len - i && memcmp(line + i, *b, strlen(*b)) == 0)
				break;
		if (!*b)
			return false;
		i += strlen(*b);
	}
	return true;
}

/*
 * Appends one page's text.  Lines of nothing but bullet glyphs are left
 * out (poppler puts a slide's bullets on lines of their own, and snippets
 * would show "• • •"); a form feed inside the text would count as a page
 * of its own and becomes a space.
 */
static tr_status
pdf_page_text(tr_buf *b, const char *s)
{
	size_t len = strlen(s);
	tr_status st = TR_OK;

	while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\f'))
		len--;
	while (len && st == TR_OK) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) + 1 : len;

		if (!only_bullets(s, nl ? n - 1 : n))
			st = tr__xml_add_text(b, s, n);
		s += n;
		len -= n;
	}
	return st;
}

/* Whether @page shows a picture: a page with neither text nor image is blank, not a scan. */
static bool
pdf_has_image(PopplerPage *page)
{
	GList *images = poppler_page_get_image_mapping(page);
	bool yes = images != NULL;

	poppler_page_free_image_mapping(images);
	return yes;
}

/* Renders page @page of the document @arg to 8-bit grey for OCR (tr__ocr_render_fn). */
static struct Pix *
pdf_render(void *arg, int page, char **why)
{
	PopplerPage *p = poppler_document_get_page(arg, page);
	cairo_surface_t *surface = NULL;
	struct Pix *pix = NULL;
	double w = 0, h = 0, scale = PDF_OCR_DPI / 72.0;
	int pw, ph;

	if (p)
		poppler_page_get_size(p, &w, &h);
	if (!p || w < 1 || h < 1)
		goto done;
	if (w * h * scale * scale > PDF_OCR_MAX_PIXELS)
		scale = sqrt(PDF_OCR_MAX_PIXELS / (w * h));
	pw = (int)(w * scale);
	ph = (int)(h * scale);
	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw > 0 ? pw : 1, ph > 0 ? ph : 1);
	if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
		cairo_t *cr = cairo_create(surface);

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, scale, scale);
		poppler_page_render_for_printing(p, cr);
		cairo_destroy(cr);
		cairo_surface_flush(surface);
		pix = tr__ocr_pix_from_rgb24(cairo_image_surface_get_data(surface),
		                             cairo_image_surface_get_width(surface),
		                             cairo_image_surface_get_height(surface),
		                             cairo_image_surface_get_stride(surface), (int)(72.0 * scale + 0.5));
	}
done:
	if (!pix)
		*why = tr__reason("Seite %d lässt sich nicht für die Texterkennung darstellen", page + 1);
	if (surface)
		cairo_surface_destroy(surface);
	if (p)
		g_object_unref(p);
	return pix;
}

/*
 * Appends page @i: its text layer, or when it has none but shows a
 * picture, what OCR reads in it (*ocr opened on first use).  *read
 * counts the pages that gave any text; the numbers of picture pages
 * without any text are added to @unread ("3, 5").
 */
static tr_status
pdf_page(tr_extract *out, const tr_input *in, PopplerDocument *doc, int i, tr__ocr_file *ocr, int *read,
         tr_buf *unread)
{
	PopplerPage *page = poppler_document_get_page(doc, i);
	gchar *text = page ? poppler_page_get_text(page) : NULL;
	tr_status st = TR_OK;

	if (text && visible(text) > 0) {
		++*read;
		st = pdf_page_text(&out->body, text);
	} else if (page && pdf_has_image(page)) {
		bool ok = false;

		if (in->ocr && in->ocr->enabled && !ocr->o)
			st = tr__ocr_open(ocr, in->ocr, in->data, in->len);
		if (st == TR_OK && ocr->o)
			st = tr__ocr_page(ocr, i, pdf_render, doc, &out->body, &ok);
		*read += ok;
		/* A list too long for @unread just ends; only memory matters. */
		if (st == TR_OK && !ok && tr_buf_printf(unread, "%s%d", unread->len ? ", " : "", i + 1) == TR_ENOMEM)
			st = TR_ENOMEM;
	}
	g_free(text);
	if (page)
		g_object_unref(page);
	return st;
}

tr_status
tr__extract_pdf(tr_extract *out, const tr_input *in, char **why)
{
	GBytes *bytes = NULL;
	GError *err = NULL;
	PopplerDocument *doc = NULL;
	tr__ocr_file ocr = { 0 };
	int pages, read = 0;
	tr_buf unread = TR_BUF_INIT(4096);
	char *mywhy = NULL;
	tr_status st = TR_OK;

	if (in->len == 0) {
		mywhy = tr__reason("beschädigt: leere Datei");
		st = TR_EFORMAT;
		goto done;
	}
	bytes = g_bytes_new_static(in->data, in->len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (!doc) {
		st = TR_EFORMAT;
		if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
			mywhy = tr__reason("passwortgeschützt");
		else
			mywhy = tr__reason("beschädigt: kein lesbares PDF (%s)",
			                   err && err->message ? err->message : "unbekannter Fehler");
		goto done;
	}
	pdf_info(out, doc);
	pages = poppler_document_get_n_pages(doc);
	if (pages <= 0) {
		mywhy = tr__reason("beschädigt: PDF ohne Seiten");
		st = TR_EFORMAT;
		goto done;
	}
	for (int i = 0; i < pages && st == TR_OK; i++) {
		if (i > 0)
			st = tr__extract_add(&out->body, "\n\f", 2);
		if (st == TR_OK)
			st = pdf_page(out, in, doc, i, &ocr, &read, &unread);
	}
	if (st == TR_ETOOBIG)
		st = TR_OK;   /* the body is full: what fits is kept */
	if (st != TR_OK)
		goto done;
	if (read == 0) {
		/* No page had a text layer, and OCR (if on) read none either. */
		mywhy = tr__reason("kein Text (Scan?)%s%s%s", ocr.why ? ": " : "", ocr.why ? ocr.why : "",
		                   in->ocr && !in->ocr->enabled ? " – Texterkennung ausgeschaltet" : "");
		st = TR_EFORMAT;
		goto done;
	}
	/* The scan warning stays for the picture pages that gave no text. */
	if (unread.len && !(out->warning = tr__reason("kein Text (Scan?) auf Seite %s%s", unread.ptr,
	                                               in->ocr && !in->ocr->enabled ? " – Texterkennung ausgeschaltet" : ""))) {
		st = TR_ENOMEM;
		goto done;
	}
	st = tr__extract_finish(out);
done:
	tr__ocr_close(&ocr);
	tr_buf_free(&unread);
	tr__reason_hand_over(st, &mywhy, why);
	if (err)
		g_error_free(err);
	if (doc)
		g_object_unref(doc);
	if (bytes)
		g_bytes_unref(bytes);
	return st;
}
