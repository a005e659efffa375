/*
 * OpenDocument: Writer texts (ODT), Impress presentations (ODP) and Calc
 * spreadsheets (ODS).  A zip
 * whose content.xml holds the document (office:text or
 * office:presentation decides how it is read) and meta.xml the properties;
 * or a flat file (.fodt, .fodp, .fods), one XML document holding both.
 * The text model is simpler than Word's: text:h is a heading, text:p a
 * paragraph, draw:page a slide, presentation:notes its speaker notes.
 * The pictures (draw:image) of a text or slide without text of its own are
 * read by OCR (pictures.h).
 */
#include "extract.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pictures.h"
#include "sheet.h"
#include "text.h"
#include "zipxml.h"

/* Automatic styles remembered (to know which paragraphs are in the Title style). */
#define ODF_MAX_STYLES 4096
/* Nesting of paragraphs (text boxes in paragraphs) followed. */
#define ODF_MAX_PARA_DEPTH 16
/* text:s c="n": at most this many spaces are written. */
#define ODF_MAX_SPACES 8

/* ---- Properties (meta.xml) ---------------------------------------------- */

/*
 * The author is who created the document (meta:initial-creator); dc:creator
 * is whoever saved it last, used only when the first is missing.
 */
static const tr__prop_field odf_props[] = {
	{ "title", TR_PROP_TITLE },
	{ "description", TR_PROP_DESCRIPTION },
	{ "subject", TR_PROP_DESCRIPTION },
	{ "keyword", TR_PROP_TAGS },
	{ "initial-creator", TR_PROP_AUTHOR },
	{ "creator", TR_PROP_AUTHOR_FALLBACK },
	{ "creation-date", TR_PROP_CREATED },
	{ "date", TR_PROP_MODIFIED },
	{ NULL, TR_PROP_TITLE }
};

/* ---- Content (content.xml) ---------------------------------------------- */

typedef enum odf_mode {
	ODF_NONE,          /* before office:body's child */
	ODF_TEXT,
	ODF_PRESENTATION,
	ODF_SHEET,         /* a spreadsheet (ODS, OTS) */
	ODF_OTHER          /* a drawing or chart */
} odf_mode;

typedef enum frame_kind {
	FRAME_BODY,
	FRAME_TITLE,
	FRAME_SKIP         /* page number, date, header, footer placeholders */
} frame_kind;

typedef struct auto_style {
	char *name;
	bool title;        /* the style is, or derives from, "Title" */
} auto_style;

typedef struct odf_ctx {
	tr_extract *out;
	odf_mode mode;
	char other[32];         /* the body element of an ODF_OTHER document */
	int skip;               /* depth inside a skipped subtree */
	int cells;
	/* Writer */
	auto_style *styles;
	size_t n_styles;
	int depth;                              /* paragraph nesting */
	int level[ODF_MAX_PARA_DEPTH];          /* -1 body, 0.. heading level */
	bool title[ODF_MAX_PARA_DEPTH];
	tr_buf para;
	tr__headings headings;
	/* Impress */
	size_t slides;
	bool in_page, in_notes;
	frame_kind frame;
	tr_buf slide_title, slide_text;
	/* Calc: cell text gathers in para */
	size_t sheets;
	/* OCR of pictures: NULL when off */
	tr__pictures *ocr;
	tr__picture_refs pictures;   /* zip members of the text's, or the slide's, pictures */
	bool pictures_done;          /* this slide's pictures were dealt with (before its notes) */
	/* A flat file (.fodt): meta, settings and master pages come before office:body */
	bool flat, in_body;
} odf_ctx;

/* Elements whose whole subtree is left out: comments, deleted text, indexes that repeat headings, alt texts. */
static bool
odf_skipped(const char *name)
{
	static const char *const skip[] = {
		"annotation", "tracked-changes", "note-citation", "title", "desc",
		"table-of-content", "alphabetical-index", "illustration-index", "table-index",
		"object-index", "user-index", "bibliography", "forms", "sequence-decls",
		"page-thumbnail", NULL
	};

	for (const char *const *s = skip; *s; s++)
		if (strcmp(name, *s) == 0)
			return true;
	return false;
}

/* The buffer text goes to now. */
static tr_buf *
odf_target(odf_ctx *c)
{
	if (c->mode == ODF_PRESENTATION)
		return c->frame == FRAME_TITLE && !c->in_notes ? &c->slide_title : &c->slide_text;
	return &c->para;
}

static bool
odf_in_text(const odf_ctx *c)
{
	if (c->mode == ODF_PRESENTATION)
		return c->in_page && c->frame != FRAME_SKIP && c->depth > 0;
	return (c->mode == ODF_TEXT || c->mode == ODF_SHEET) && c->depth > 0;
}

static tr_status
odf_style(odf_ctx *c, void *reader)
{
	char *name = tr__xml_attr(reader, "name");
	char *parent = tr__xml_attr(reader, "parent-style-name");
	auto_style *nv;
	tr_status st = TR_OK;

	if (!name || c->n_styles >= ODF_MAX_STYLES)
		goto done;
	if (!(nv = realloc(c->styles, (c->n_styles + 1) * sizeof *nv))) {
		st = TR_ENOMEM;
		goto done;
	}
	c->styles = nv;
	c->styles[c->n_styles].name = name;
	c->styles[c->n_styles].title = parent && strcmp(parent, "Title") == 0;
	c->n_styles++;
	name = NULL;
done:
	free(name);
	free(parent);
	return st;
}

static int
odf_style_cmp(const void *a, const void *b)
{
	return strcmp(((const auto_style *)a)->name, ((const auto_style *)b)->name);
}

/* The automatic styles all come before the body: sorted once, each paragraph costs a binary search. */
static void
odf_styles_sort(odf_ctx *c)
{
	if (c->n_styles)
		qsort(c->styles, c->n_styles, sizeof *c->styles, odf_style_cmp);
}

static bool
odf_style_is_title(const odf_ctx *c, const char *name)
{
	auto_style key, *hit;

	if (!name)
		return false;
	if (strcmp(name, "Title") == 0)
		return true;
	if (!c->n_styles)
		return false;
	key.name = (char *)name;
	hit = bsearch(&key, c->styles, c->n_styles, sizeof *c->styles, odf_style_cmp);
	return hit && hit->title;
}

/* Writes out the Writer paragraph gathered so far. */
static tr_status
odf_flush(odf_ctx *c)
{
	int d = c->depth > 0 ? c->depth - 1 : 0;
	int level = d < ODF_MAX_PARA_DEPTH ? c->level[d] : -1;
	bool title = d < ODF_MAX_PARA_DEPTH && c->title[d];
	tr_buf *body = &c->out->body;
	tr_status st = TR_OK;

	if (c->mode != ODF_TEXT)
		return TR_OK;
	if (!c->para.len)
		return tr__xml_para_end(body, c->cells > 0);
	if (level >= 0 || title) {
		st = tr__headings_add(&c->headings, c->out, c->para.ptr, title, title ? 0 : level);
	} else if ((st = tr__extract_add(body, c->para.ptr, c->para.len)) == TR_OK) {
		st = tr__xml_para_end(body, c->cells > 0);
	}
	tr_buf_reset(&c->para);
	return st;
}

static tr_status
odf_para_start(odf_ctx *c, void *reader, bool heading)
{
	tr_status st;

	if (c->depth > 0 && (st = odf_flush(c)) != TR_OK)
		return st;
	if (c->depth < ODF_MAX_PARA_DEPTH) {
		int d = c->depth;

		c->level[d] = -1;
		c->title[d] = false;
		if (heading) {
			char *lv = tr__xml_attr(reader, "outline-level");
			long n = lv ? strtol(lv, NULL, 10) : 1;

			c->level[d] = n >= 1 && n <= 10 ? (int)n - 1 : 0;
			free(lv);
		} else if (c->mode == ODF_TEXT) {
			char *style = tr__xml_attr(reader, "style-name");
			c->title[d] = odf_style_is_title(c, style);
			free(style);
		}
	}
	c->depth++;
	return TR_OK;
}

/* Notes the picture a draw:image shows by its member name ("./Pictures/a.png" → "Pictures/a.png"). */
static tr_status
odf_picture_ref(odf_ctx *c, void *reader)
{
	char *href, *member;

	if (!c->ocr || c->mode == ODF_SHEET || (c->mode == ODF_PRESENTATION && (!c->in_page || c->in_notes)))
		return TR_OK;
	if (!(href = tr__xml_attr(reader, "href")))
		return TR_OK;
	member = href + (strncmp(href, "./", 2) == 0 ? 2 : 0);
	/* A linked picture (a URL, a path outside the package) is not in the zip. */
	if (strchr(member, ':') || member[0] == '/' || strncmp(member, "../", 3) == 0) {
		free(href);
		return TR_OK;
	}
	member = strdup(member);
	free(href);
	return member ? tr__picture_refs_add(&c->pictures, member) : TR_ENOMEM;
}

/* Appends what OCR reads in the pictures noted to @out, if @blank (the text or slide has no text of its own). */
static tr_status
odf_pictures(odf_ctx *c, bool blank, tr_buf *out)
{
	tr_status st = TR_OK;

	for (size_t i = 0; blank && c->ocr && i < c->pictures.n && st == TR_OK; i++)
		st = tr__pictures_read(c->ocr, c->pictures.v[i], out);
	tr__picture_refs_clear(&c->pictures);
	return st;
}

/* A slide's pictures, before its notes (notes are not the slide's own text). */
static tr_status
odf_slide_pictures(odf_ctx *c)
{
	bool blank = tr__text_blank(c->slide_title.ptr, c->slide_title.len) &&
	             tr__text_blank(c->slide_text.ptr, c->slide_text.len);

	if (c->pictures_done)
		return TR_OK;
	c->pictures_done = true;
	return odf_pictures(c, blank, &c->slide_text);
}

static tr_status
odf_slide_end(odf_ctx *c)
{
	tr_status st = odf_slide_pictures(c);

	/* A slide filled up by its pictures' text keeps what fits. */
	if (st == TR_OK || st == TR_ETOOBIG)
		st = tr__slide_emit(c->out, &c->slide_title, &c->slide_text, c->slides++);
	c->in_page = false;
	return st;
}

/*
 * Calc: each table:table is a sheet; a cell's paragraphs are its text as
 * displayed (numbers and dates as formatted, so found as written).
 */
static tr_status
odf_sheet_start(odf_ctx *c, void *reader, const char *name)
{
	tr_status st = TR_OK;

	if (strcmp(name, "table") == 0) {
		char *sheet = tr__xml_attr(reader, "name");

		tr_buf_reset(&c->para);
		st = tr__sheet_begin(&c->out->body, c->sheets++, sheet);
		free(sheet);
	} else if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
		if (c->para.len)
			st = tr__extract_add(&c->para, "\n", 1);
		c->depth++;
	}
	return st;
}

static tr_status
odf_sheet_end(odf_ctx *c, const char *name)
{
	tr_status st = TR_OK;

	if ((strcmp(name, "p") == 0 || strcmp(name, "h") == 0) && c->depth > 0) {
		c->depth--;
	} else if (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0 ||
	           strcmp(name, "table") == 0) {
		st = tr__sheet_cell(&c->out->body, c->para.ptr ? c->para.ptr : "", c->para.len);
		tr_buf_reset(&c->para);
		if (st == TR_OK && strcmp(name, "table") == 0)
			st = tr__sheet_row_end(&c->out->body);
	} else if (strcmp(name, "table-row") == 0) {
		st = tr__sheet_row_end(&c->out->body);
	}
	return st;
}

static tr_status
odf_start(void *ctx, void *reader, const char *ns, const char *name)
{
	odf_ctx *c = ctx;
	tr_status st;

	(void)ns;
	if (c->skip) {
		c->skip++;
		return TR_OK;
	}
	/*
	 * A flat file holds what a package keeps in meta.xml, settings.xml
	 * and styles.xml before its body; a master page's logo there is no
	 * drawing.  Only its styles count.
	 */
	if (c->flat && !c->in_body) {
		if (strcmp(name, "body") == 0)
			c->in_body = true;
		else if (strcmp(name, "style") == 0)
			return odf_style(c, reader);
		return TR_OK;
	}
	if (c->mode == ODF_NONE) {
		if (strcmp(name, "style") == 0)
			return odf_style(c, reader);
		if (strcmp(name, "text") == 0 || strcmp(name, "presentation") == 0)
			odf_styles_sort(c);
		if (strcmp(name, "text") == 0)
			c->mode = ODF_TEXT;
		else if (strcmp(name, "presentation") == 0)
			c->mode = ODF_PRESENTATION;
		else if (strcmp(name, "spreadsheet") == 0)
			c->mode = ODF_SHEET;
		else if (strcmp(name, "drawing") == 0 ||
		         strcmp(name, "chart") == 0 || strcmp(name, "image") == 0) {
			c->mode = ODF_OTHER;
			snprintf(c->other, sizeof c->other, "%s", name);
		}
		return TR_OK;
	}
	if (c->mode == ODF_OTHER)
		return TR_OK;
	if (odf_skipped(name)) {
		c->skip = 1;
		return TR_OK;
	}
	if (c->mode == ODF_SHEET && (st = odf_sheet_start(c, reader, name)) != TR_OK)
		return st;
	if (c->mode == ODF_SHEET && (strcmp(name, "p") == 0 || strcmp(name, "h") == 0 ||
	                             strcmp(name, "table-cell") == 0))
		return TR_OK;
	if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0)
		return odf_para_start(c, reader, name[0] == 'h');
	if (strcmp(name, "s") == 0 && odf_in_text(c)) {
		char *n = tr__xml_attr(reader, "c");
		long k = n ? strtol(n, NULL, 10) : 1;

		free(n);
		if (k < 1)
			k = 1;
		if (k > ODF_MAX_SPACES)
			k = ODF_MAX_SPACES;
		return tr__extract_add(odf_target(c), "        ", (size_t)k);
	}
	if (strcmp(name, "tab") == 0 && odf_in_text(c))
		return tr__extract_add(odf_target(c), "\t", 1);
	if (strcmp(name, "line-break") == 0 && odf_in_text(c))
		return tr__extract_add(odf_target(c), "\n", 1);
	if (strcmp(name, "table-cell") == 0) {
		c->cells++;
		return TR_OK;
	}
	if (strcmp(name, "image") == 0)
		return odf_picture_ref(c, reader);
	if (c->mode != ODF_PRESENTATION)
		return TR_OK;
	if (strcmp(name, "page") == 0) {
		c->in_page = true;
		c->pictures_done = false;
		c->frame = FRAME_BODY;
	} else if (strcmp(name, "notes") == 0) {
		if ((st = odf_slide_pictures(c)) != TR_OK)
			return st;
		c->in_notes = true;
		return tr__xml_line_end(&c->slide_text);
	} else if (strcmp(name, "frame") == 0) {
		char *cls = tr__xml_attr(reader, "class");

		c->frame = FRAME_BODY;
		if (cls && strcmp(cls, "title") == 0)
			c->frame = FRAME_TITLE;
		else if (cls && (strcmp(cls, "page-number") == 0 || strcmp(cls, "date-time") == 0 ||
		                 strcmp(cls, "footer") == 0 || strcmp(cls, "header") == 0))
			c->frame = FRAME_SKIP;
		free(cls);
	}
	return TR_OK;
}

static tr_status
odf_end(void *ctx, const char *ns, const char *name)
{
	odf_ctx *c = ctx;
	tr_status st;

	(void)ns;
	if (c->skip) {
		c->skip--;
		return TR_OK;
	}
	if (c->mode == ODF_NONE || c->mode == ODF_OTHER)
		return TR_OK;
	if (c->mode == ODF_SHEET)
		return odf_sheet_end(c, name);
	if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
		if (c->depth == 0)
			return TR_OK;
		if (c->mode == ODF_TEXT) {
			st = odf_flush(c);
		} else {
			tr_buf *b = odf_target(c);
			st = c->in_page && c->frame != FRAME_SKIP
			     ? tr__xml_para_end(b, b == &c->slide_title || c->cells > 0) : TR_OK;
		}
		c->depth--;
		return st;
	}
	if (strcmp(name, "table-cell") == 0 && c->cells > 0) {
		c->cells--;
		return tr__xml_cell_end(c->mode == ODF_TEXT ? &c->out->body : &c->slide_text);
	}
	if (strcmp(name, "table-row") == 0)
		return tr__xml_line_end(c->mode == ODF_TEXT ? &c->out->body : &c->slide_text);
	if (c->mode != ODF_PRESENTATION)
		return TR_OK;
	if (strcmp(name, "frame") == 0)
		c->frame = FRAME_BODY;
	else if (strcmp(name, "notes") == 0)
		c->in_notes = false;
	else if (strcmp(name, "page") == 0 && c->in_page)
		return odf_slide_end(c);
	return TR_OK;
}

static tr_status
odf_text(void *ctx, const char *s, size_t len)
{
	odf_ctx *c = ctx;
	tr_buf *b;
	tr_status st;

	if (c->skip || !odf_in_text(c))
		return TR_OK;
	b = odf_target(c);
	/* In ODF, line ends in character data are white space like any other. */
	for (size_t i = 0; i < len; i++) {
		size_t run = strcspn(s + i, "\n\r");

		if (run > len - i)
			run = len - i;
		if ((st = tr__xml_add_text(b, s + i, run)) != TR_OK)
			return st;
		i += run;
		if (i < len && (st = tr__extract_add(b, " ", 1)) != TR_OK)
			return st;
	}
	return TR_OK;
}

static void
odf_ctx_free(odf_ctx *c)
{
	for (size_t i = 0; i < c->n_styles; i++)
		free(c->styles[i].name);
	free(c->styles);
	tr_buf_free(&c->para);
	tr_buf_free(&c->slide_title);
	tr_buf_free(&c->slide_text);
	tr__headings_free(&c->headings);
	tr__picture_refs_clear(&c->pictures);
}

/* ODF encrypts parts itself, inside an ordinary zip; the manifest says so. */
static tr_status
odf_encrypted(tr__zip *z, bool *out)
{
	char *xml = NULL, *ignored = NULL;
	size_t len;
	tr_status st = tr__zip_read(z, "META-INF/manifest.xml", &xml, &len, &ignored);

	*out = st == TR_OK && strstr(xml, "encryption-data") != NULL;
	free(xml);
	free(ignored);
	return st == TR_ENOMEM ? st : TR_OK;
}

/*
 * Reads the document @xml[0..len) (content.xml, or a flat file whole)
 * into c->out, and finishes it.  Returns like an extractor, with *why.
 */
static tr_status
odf_read(odf_ctx *c, const tr__pictures *pics, const char *xml, size_t len, char **why)
{
	static const tr__xml_events ev = { odf_start, odf_end, odf_text };
	tr_extract *out = c->out;
	tr_status st = tr__xml_walk(xml, len, &ev, c);

	if (st == TR_EFORMAT && c->mode == ODF_NONE) {
		*why = tr__reason("beschädigt: ungültiges XML in %s", c->flat ? "der Datei" : "content.xml");
		return st;
	}
	/* A document cut off or broken halfway keeps what was read. */
	if (st == TR_EFORMAT || st == TR_ETOOBIG)
		st = TR_OK;
	if (st != TR_OK)
		return st;
	if (c->mode == ODF_OTHER) {
		*why = tr__reason("OpenDocument-%s nicht unterstützt", c->other);
		return TR_EUNSUPPORTED;
	}
	if (c->mode == ODF_TEXT && c->para.len)
		st = odf_flush(c);
	else if (c->mode == ODF_PRESENTATION && c->in_page)
		st = odf_slide_end(c);
	else if (c->mode == ODF_SHEET)
		st = tr__sheet_row_end(&out->body);
	/* A text without text of its own (no body, no heading) is a scan pasted in. */
	if (st == TR_OK && c->mode == ODF_TEXT)
		st = odf_pictures(c, !c->headings.n && tr__text_blank(out->body.ptr, out->body.len), &out->body);
	if (st == TR_ETOOBIG)
		st = TR_OK;
	if (st == TR_OK)
		st = tr__headings_finish(&c->headings, out);
	if (st == TR_OK)
		st = tr__pictures_unread(pics, out, why);
	if (st == TR_OK)
		st = tr__extract_finish(out);
	return st;
}

static void
odf_ctx_init(odf_ctx *c, tr_extract *out)
{
	c->out = out;
	tr_buf_init(&c->para, out->body.max);
	tr_buf_init(&c->slide_title, out->body.max);
	tr_buf_init(&c->slide_text, out->body.max);
}

tr_status
tr__extract_odf(tr_extract *out, const tr_input *in, char **why)
{
	tr__zip *z = NULL;
	tr__pictures pics;
	odf_ctx c = { 0 };
	char *xml = NULL, *mywhy = NULL;
	size_t len;
	bool encrypted;
	tr_status st;

	odf_ctx_init(&c, out);
	tr__pictures_init(&pics, in, NULL);
	if ((st = tr__zip_open(&z, in->data, in->len, &mywhy)) != TR_OK)
		goto done;
	pics.z = z;
	c.ocr = tr__pictures_enabled(&pics) ? &pics : NULL;
	if ((st = odf_encrypted(z, &encrypted)) != TR_OK)
		goto done;
	if (encrypted) {
		mywhy = tr__reason("passwortgeschützt");
		st = TR_EFORMAT;
		goto done;
	}
	if ((st = tr__zip_read(z, "content.xml", &xml, &len, &mywhy)) != TR_OK) {
		if (st == TR_ENOTFOUND) {
			mywhy = tr__reason("beschädigt: kein OpenDocument (content.xml fehlt)");
			st = TR_EFORMAT;
		}
		goto done;
	}
	if ((st = tr__props_read(out, z, "meta.xml", odf_props)) == TR_OK)
		st = odf_read(&c, &pics, xml, len, &mywhy);
done:
	tr__reason_hand_over(st, &mywhy, why);
	tr__pictures_free(&pics);
	free(xml);
	odf_ctx_free(&c);
	tr__zip_free(z);
	return st;
}

/*
 * The office:meta element of a flat file as the meta.xml a package would
 * hold, so that the same property reader reads it: body fields such as
 * text:date or text:title have the local names of properties.
 */
static tr_status
fodf_props(tr_extract *out, const char *data, size_t len)
{
	static const char head[] =
		"<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
		"xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\">";
	static const char tail[] = "</office:document-meta>";
	const char *from = memmem(data, len, "<office:meta>", 13), *to;
	tr_buf b = TR_BUF_INIT(len + sizeof head + sizeof tail);
	tr_status st;

	if (!from || !(to = memmem(from, len - (size_t)(from - data), "</office:meta>", 14)))
		return TR_OK;
	to += 14;
	st = tr_buf_add(&b, head, sizeof head - 1);
	if (st == TR_OK)
		st = tr_buf_add(&b, from, (size_t)(to - from));
	if (st == TR_OK)
		st = tr_buf_add(&b, tail, sizeof tail - 1);
	if (st == TR_OK)
		st = tr__props_parse(out, b.ptr, b.len, odf_props);
	tr_buf_free(&b);
	return st;
}

tr_status
tr__extract_fodf(tr_extract *out, const tr_input *in, char **why)
{
	tr__pictures pics;
	odf_ctx c = { 0 };
	char *mywhy = NULL;
	tr_status st;

	/* Pictures of a flat file are inline (office:binary-data), not read. */
	tr__pictures_init(&pics, in, NULL);
	odf_ctx_init(&c, out);
	c.flat = true;
	if ((st = fodf_props(out, in->data, in->len)) == TR_OK)
		st = odf_read(&c, &pics, in->data, in->len, &mywhy);
	tr__reason_hand_over(st, &mywhy, why);
	tr__pictures_free(&pics);
	odf_ctx_free(&c);
	return st;
}
