/*
 * Office Open XML: Word (DOCX) and PowerPoint (PPTX) files.  A zip of XML
 * parts tied together by relationship parts ("_rels/NAME.rels"); the package's
 * own relationships name the main part, whose root element says what the
 * document is.  Only the parts that hold text are read: the main part,
 * styles (to know headings), slides and their notes, and the core
 * properties; and the pictures of a document or slide without text of its
 * own, by OCR (pictures.h).
 */
#include "extract.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tellerrand/document.h"
#include "pictures.h"
#include "sheet.h"
#include "xlsx_numfmt.h"
#include "text.h"
#include "zipxml.h"

/* More relationships or styles than this are ignored (real files have dozens). */
#define OOXML_MAX_RELS    4096
#define OOXML_MAX_STYLES  4096
/* Nesting of paragraphs (text boxes inside paragraphs) followed. */
#define OOXML_MAX_PARA_DEPTH 16
/* Hops along basedOn when a style inherits its outline level. */
#define OOXML_MAX_BASED_ON 8

/* A sentinel for the root-element sniff: stops the walk, never returned. */
#define OOXML_STOP TR_EINVAL

/* ---- Relationships ------------------------------------------------------ */

typedef struct rel {
	char *id;
	char *type;      /* ends in "/officeDocument", "/slide", "/notesSlide", ... */
	char *target;    /* resolved part name */
} rel;

typedef struct rels {
	rel *v;
	size_t n;
	const char *source;   /* the part the relationships belong to */
} rels;

static void
rels_free(rels *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].type);
		free(r->v[i].target);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static tr_status
rels_start(void *ctx, void *reader, const char *ns, const char *name)
{
	rels *r = ctx;
	char *id, *type, *target, *mode;
	rel *nv;
	tr_status st = TR_OK;

	(void)ns;
	if (strcmp(name, "Relationship") != 0 || r->n >= OOXML_MAX_RELS)
		return TR_OK;
	id = tr__xml_attr(reader, "Id");
	type = tr__xml_attr(reader, "Type");
	target = tr__xml_attr(reader, "Target");
	mode = tr__xml_attr(reader, "TargetMode");
	if (!id || !type || !target || (mode && strcasecmp(mode, "External") == 0))
		goto done;
	if (!(nv = realloc(r->v, (r->n + 1) * sizeof *nv))) {
		st = TR_ENOMEM;
		goto done;
	}
	r->v = nv;
	r->v[r->n].target = tr__zip_resolve(r->source, target);
	if (!r->v[r->n].target) {
		st = TR_ENOMEM;
		goto done;
	}
	r->v[r->n].id = id;
	r->v[r->n].type = type;
	r->n++;
	id = type = NULL;
done:
	free(id);
	free(type);
	free(target);
	free(mode);
	return st;
}

/* The relationships part of @part: "word/document.xml" → "word/_rels/document.xml.rels". */
static char *
rels_name(const char *part)
{
	const char *slash = strrchr(part, '/');
	int dir = slash ? (int)(slash - part + 1) : 0;

	return tr__reason("%.*s_rels/%s.rels", dir, part, part + dir);
}

/* Reads the relationships of @part (the package's own for ""); none is no error. */
static tr_status
rels_read(rels *r, tr__zip *z, const char *part, char **why)
{
	static const tr__xml_events ev = { rels_start, NULL, NULL };
	char *name = part[0] ? rels_name(part) : strdup("_rels/.rels");
	char *xml = NULL;
	size_t len;
	tr_status st;

	r->v = NULL;
	r->n = 0;
	r->source = part;
	if (!name)
		return TR_ENOMEM;
	st = tr__zip_read(z, name, &xml, &len, why);
	if (st == TR_OK) {
		st = tr__xml_walk(xml, len, &ev, r);
		/* A damaged relationships part loses links, not the document. */
		if (st == TR_EFORMAT)
			st = TR_OK;
	} else if (st == TR_ENOTFOUND) {
		st = TR_OK;
	}
	free(xml);
	free(name);
	return st;
}

/* True if the relationship type URI ends in "/" @kind. */
static bool
rel_is(const rel *r, const char *kind)
{
	size_t n = strlen(r->type), k = strlen(kind);

	return n > k && r->type[n - k - 1] == '/' && strcmp(r->type + n - k, kind) == 0;
}

static const char *
rels_find_type(const rels *r, const char *kind)
{
	for (size_t i = 0; i < r->n; i++)
		if (rel_is(&r->v[i], kind))
			return r->v[i].target;
	return NULL;
}

static const char *
rels_find_id(const rels *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0)
			return r->v[i].target;
	return NULL;
}

/* ---- Core properties ---------------------------------------------------- */

static const tr__prop_field ooxml_props[] = {
	{ "title", TR_PROP_TITLE },
	{ "creator", TR_PROP_AUTHOR },
	{ "keywords", TR_PROP_TAGS },
	{ "description", TR_PROP_DESCRIPTION },
	{ "subject", TR_PROP_DESCRIPTION },
	{ "created", TR_PROP_CREATED },
	{ "modified", TR_PROP_MODIFIED },
	{ NULL, TR_PROP_TITLE }
};

/* ---- Root element ------------------------------------------------------- */

typedef struct root_ctx {
	char name[32];
} root_ctx;

static tr_status
root_start(void *ctx, void *reader, const char *ns, const char *name)
{
	root_ctx *c = ctx;

	(void)reader;
	(void)ns;
	snprintf(c->name, sizeof c->name, "%s", name);
	return OOXML_STOP;
}

/* ---- Text helpers shared by Word and PowerPoint ------------------------- */

/* Elements whose whole subtree is left out. */
static bool
skipped_element(const char *name)
{
	static const char *const skip[] = {
		"Fallback",      /* mc:Fallback repeats mc:Choice's content for old readers */
		"delText", "instrText", "sdtPr", "rPr", "del", NULL
	};

	for (const char *const *s = skip; *s; s++)
		if (strcmp(name, *s) == 0)
			return true;
	return false;
}

/*
 * Notes the picture a DrawingML blip (r:embed) or a VML imagedata (r:id)
 * shows, by its relationship id, in document order.
 */
static tr_status
picture_ref(tr__picture_refs *r, void *reader, const char *name)
{
	if (!r)
		return TR_OK;
	if (strcmp(name, "blip") == 0)
		return tr__picture_refs_add(r, tr__xml_attr_ns(reader, "embed"));
	if (strcmp(name, "imagedata") == 0)
		return tr__picture_refs_add(r, tr__xml_attr_ns(reader, "id"));
	return TR_OK;
}

/*
 * Appends what OCR reads in the pictures @refs to @out: the pictures'
 * targets by the relationships @r of the part that shows them.
 */
static tr_status
pictures_ocr(tr__pictures *p, const tr__picture_refs *refs, const rels *r, tr_buf *out)
{
	tr_status st = TR_OK;

	for (size_t i = 0; i < refs->n && st == TR_OK; i++) {
		const char *target = rels_find_id(r, refs->v[i]);

		if (target)
			st = tr__pictures_read(p, target, out);
	}
	return st;
}

/* ---- Word --------------------------------------------------------------- */

typedef enum para_kind {
	PARA_BODY,
	PARA_HEADING,
	PARA_TITLE,
	PARA_SKIP        /* table-of-contents entries repeat the headings */
} para_kind;

typedef struct style {
	char *id;
	char *based_on;
	para_kind kind;   /* from the style's own name or outline level */
	int level;        /* outline level 0..8, or -1 */
	bool named;       /* kind comes from the name (heading n, title, toc n) */
	para_kind inherited;     /* what basedOn gives (styles_resolve()) */
	int inherited_level;
} style;

typedef struct styles_ctx {
	style *v;
	size_t n;
	bool in_style, in_ppr;
} styles_ctx;

static void
styles_free(styles_ctx *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].id);
		free(s->v[i].based_on);
	}
	free(s->v);
}

/* What a style's name says: "heading 2" (any case), "Title", "toc 1", "Contents 1". */
static void
style_from_name(style *s, const char *name)
{
	if (strncasecmp(name, "heading ", 8) == 0 && name[8] >= '1' && name[8] <= '9' && !name[9]) {
		s->kind = PARA_HEADING;
		s->level = name[8] - '1';
	} else if (strcasecmp(name, "title") == 0) {
		s->kind = PARA_TITLE;
		s->level = 0;
	} else if (strcasecmp(name, "subtitle") == 0) {
		s->kind = PARA_HEADING;
		s->level = 1;
	} else if (strncasecmp(name, "toc ", 4) == 0 || strncasecmp(name, "contents ", 9) == 0 ||
	           strcasecmp(name, "toc heading") == 0 || strcasecmp(name, "contents heading") == 0) {
		s->kind = PARA_SKIP;
	} else {
		return;
	}
	s->named = true;
}

static tr_status
styles_start(void *ctx, void *reader, const char *ns, const char *name)
{
	styles_ctx *c = ctx;
	style *s;
	char *v;

	(void)ns;
	if (strcmp(name, "style") == 0) {
		style *nv;
		char *type = tr__xml_attr(reader, "type");
		bool para = !type || strcmp(type, "paragraph") == 0;

		free(type);
		c->in_style = false;
		if (!para || c->n >= OOXML_MAX_STYLES)
			return TR_OK;
		if (!(nv = realloc(c->v, (c->n + 1) * sizeof *nv)))
			return TR_ENOMEM;
		c->v = nv;
		s = &c->v[c->n];
		memset(s, 0, sizeof *s);
		s->level = s->inherited_level = -1;
		if (!(s->id = tr__xml_attr(reader, "styleId")))
			return TR_OK;
		c->n++;
		c->in_style = true;
		return TR_OK;
	}
	if (!c->in_style)
		return TR_OK;
	s = &c->v[c->n - 1];
	if (strcmp(name, "pPr") == 0) {
		c->in_ppr = true;
	} else if (strcmp(name, "name") == 0 && (v = tr__xml_attr(reader, "val"))) {
		style_from_name(s, v);
		free(v);
	} else if (strcmp(name, "basedOn") == 0 && !s->based_on) {
		s->based_on = tr__xml_attr(reader, "val");
	} else if (strcmp(name, "outlineLvl") == 0 && c->in_ppr && !s->named &&
	           (v = tr__xml_attr(reader, "val"))) {
		if (v[0] >= '0' && v[0] <= '8' && !v[1]) {
			s->kind = PARA_HEADING;
			s->level = v[0] - '0';
		}
		free(v);
	}
	return TR_OK;
}

static tr_status
styles_end(void *ctx, const char *ns, const char *name)
{
	styles_ctx *c = ctx;

	(void)ns;
	if (strcmp(name, "style") == 0)
		c->in_style = false;
	else if (strcmp(name, "pPr") == 0)
		c->in_ppr = false;
	return TR_OK;
}

static int
style_cmp(const void *a, const void *b)
{
	return strcmp(((const style *)a)->id, ((const style *)b)->id);
}

static const style *
styles_find(const styles_ctx *s, const char *id)
{
	style key;

	if (!id || !s->n)
		return NULL;
	key.id = (char *)id;
	return bsearch(&key, s->v, s->n, sizeof *s->v, style_cmp);
}

/*
 * Sorts the styles for lookup and gives each unnamed style the kind it
 * inherits along basedOn, so that a paragraph costs one binary search
 * however many styles and paragraphs a hostile file has.
 */
static void
styles_resolve(styles_ctx *s)
{
	qsort(s->v, s->n, sizeof *s->v, style_cmp);
	for (size_t i = 0; i < s->n; i++) {
		const style *st = &s->v[i];

		for (int hop = 0; st && st->kind == PARA_BODY && hop < OOXML_MAX_BASED_ON; hop++)
			st = styles_find(s, st->based_on);
		if (st && st != &s->v[i]) {
			/* Only what the chain says; a later pass must not see inherited kinds as named. */
			s->v[i].inherited = st->kind;
			s->v[i].inherited_level = st->level;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].kind == PARA_BODY) {
			s->v[i].kind = s->v[i].inherited;
			s->v[i].level = s->v[i].inherited_level;
		}
	}
}

/* The kind of a paragraph in style @id. */
static para_kind
styles_kind(const styles_ctx *s, const char *id, int *level)
{
	const style *st = styles_find(s, id);

	if (st) {
		*level = st->level;
		return st->kind;
	}
	/* No styles part: Word's built-in ids ("Heading1", "Title") still say it. */
	if (!s->n && id) {
		if (strncasecmp(id, "heading", 7) == 0 && id[7] >= '1' && id[7] <= '9' && !id[8]) {
			*level = id[7] - '1';
			return PARA_HEADING;
		}
		if (strcasecmp(id, "title") == 0) {
			*level = 0;
			return PARA_TITLE;
		}
	}
	return PARA_BODY;
}

typedef struct docx_ctx {
	tr_extract *out;
	const styles_ctx *styles;
	int skip;               /* depth inside a skipped subtree */
	int cells;              /* depth of table cells */
	bool in_t, in_ppr;
	int depth;              /* paragraph nesting (text boxes) */
	para_kind kind[OOXML_MAX_PARA_DEPTH];
	int level[OOXML_MAX_PARA_DEPTH];
	tr_buf para;            /* the paragraph being read */
	tr__headings headings;
	tr__picture_refs *pictures;   /* the pictures' r:ids, when OCR may read them */
} docx_ctx;

/* Writes out the paragraph text gathered so far as its kind says. */
static tr_status
docx_flush(docx_ctx *c)
{
	int d = c->depth > 0 ? c->depth - 1 : 0;
	para_kind kind = d < OOXML_MAX_PARA_DEPTH ? c->kind[d] : PARA_BODY;
	int level = d < OOXML_MAX_PARA_DEPTH ? c->level[d] : -1;
	tr_buf *body = &c->out->body;
	tr_status st = TR_OK;

	if (!c->para.len)
		return tr__xml_para_end(body, c->cells > 0);
	if (kind == PARA_HEADING || kind == PARA_TITLE) {
		st = tr__headings_add(&c->headings, c->out, c->para.ptr, kind == PARA_TITLE, level);
	} else if (kind == PARA_BODY) {
		if ((st = tr__extract_add(body, c->para.ptr, c->para.len)) == TR_OK)
			st = tr__xml_para_end(body, c->cells > 0);
	}
	tr_buf_reset(&c->para);
	return st;
}

static tr_status
docx_start(void *ctx, void *reader, const char *ns, const char *name)
{
	docx_ctx *c = ctx;
	char *v;
	tr_status st;

	(void)ns;
	if (c->skip) {
		c->skip++;
		return TR_OK;
	}
	if (skipped_element(name)) {
		c->skip = 1;
		return TR_OK;
	}
	if (strcmp(name, "p") == 0) {
		/* A paragraph inside a paragraph (a text box): the outer one's text so far first. */
		if (c->depth > 0 && (st = docx_flush(c)) != TR_OK)
			return st;
		if (c->depth < OOXML_MAX_PARA_DEPTH) {
			c->kind[c->depth] = PARA_BODY;
			c->level[c->depth] = -1;
		}
		c->depth++;
	} else if (strcmp(name, "pPr") == 0) {
		c->in_ppr = true;
	} else if (c->in_ppr && c->depth > 0 && c->depth <= OOXML_MAX_PARA_DEPTH) {
		int d = c->depth - 1;

		if (strcmp(name, "pStyle") == 0 && (v = tr__xml_attr(reader, "val"))) {
			c->kind[d] = styles_kind(c->styles, v, &c->level[d]);
			free(v);
		} else if (strcmp(name, "outlineLvl") == 0 && (v = tr__xml_attr(reader, "val"))) {
			if (v[0] >= '0' && v[0] <= '8' && !v[1] && c->kind[d] == PARA_BODY) {
				c->kind[d] = PARA_HEADING;
				c->level[d] = v[0] - '0';
			}
			free(v);
		}
	} else if (strcmp(name, "t") == 0) {
		c->in_t = true;
	} else if (strcmp(name, "tab") == 0 && !c->in_ppr) {
		return tr__extract_add(&c->para, "\t", 1);
	} else if (strcmp(name, "br") == 0 || strcmp(name, "cr") == 0) {
		return tr__extract_add(&c->para, "\n", 1);
	} else if (strcmp(name, "noBreakHyphen") == 0) {
		return tr__extract_add(&c->para, "-", 1);
	} else if (strcmp(name, "tc") == 0) {
		c->cells++;
	} else {
		return picture_ref(c->pictures, reader, name);
	}
	return TR_OK;
}

static tr_status
docx_end(void *ctx, const char *ns, const char *name)
{
	docx_ctx *c = ctx;
	tr_status st;

	(void)ns;
	if (c->skip) {
		c->skip--;
		return TR_OK;
	}
	if (strcmp(name, "p") == 0) {
		if (c->depth == 0)
			return TR_OK;
		st = docx_flush(c);
		c->depth--;
		return st;
	}
	if (strcmp(name, "pPr") == 0)
		c->in_ppr = false;
	else if (strcmp(name, "t") == 0)
		c->in_t = false;
	else if (strcmp(name, "tc") == 0 && c->cells > 0) {
		c->cells--;
		return tr__xml_cell_end(&c->out->body);
	} else if (strcmp(name, "tr") == 0)
		return tr__xml_line_end(&c->out->body);
	return TR_OK;
}

static tr_status
docx_text(void *ctx, const char *s, size_t len)
{
	docx_ctx *c = ctx;

	if (c->skip || !c->in_t)
		return TR_OK;
	return tr__xml_add_text(&c->para, s, len);
}

/*
 * A document without text of its own (no body text, no heading) is a
 * scan pasted in: its pictures are read by OCR, in document order.
 */
static tr_status
docx_pictures(tr_extract *out, const docx_ctx *c, const rels *r, tr__pictures *p)
{
	tr_status st;

	if (!c->pictures || !c->pictures->n || c->headings.n || !tr__text_blank(out->body.ptr, out->body.len))
		return TR_OK;
	tr_buf_reset(&out->body);
	st = pictures_ocr(p, c->pictures, r, &out->body);
	return st == TR_ETOOBIG ? TR_OK : st;
}

static tr_status
docx_read(tr_extract *out, tr__zip *z, const char *main_part, tr__pictures *p, char **why)
{
	static const tr__xml_events sev = { styles_start, styles_end, NULL };
	static const tr__xml_events dev = { docx_start, docx_end, docx_text };
	styles_ctx styles = { 0 };
	docx_ctx c = { 0 };
	tr__picture_refs pictures = { 0 };
	rels r = { 0 };
	const char *styles_part;
	char *xml = NULL;
	size_t len;
	tr_status st;

	if ((st = rels_read(&r, z, main_part, why)) != TR_OK)
		goto done;
	styles_part = rels_find_type(&r, "styles");
	st = tr__zip_read(z, styles_part ? styles_part : "word/styles.xml", &xml, &len, why);
	if (st == TR_OK) {
		st = tr__xml_walk(xml, len, &sev, &styles);
		if (st == TR_EFORMAT)
			st = TR_OK;   /* a damaged styles part gives what was read before the damage */
		styles_resolve(&styles);
	} else if (st == TR_ENOTFOUND) {
		st = TR_OK;
	}
	free(xml);
	xml = NULL;
	if (st != TR_OK)
		goto done;

	if ((st = tr__zip_read(z, main_part, &xml, &len, why)) != TR_OK) {
		if (st == TR_ENOTFOUND) {
			*why = tr__reason("beschädigt: %s fehlt", main_part);
			st = TR_EFORMAT;
		}
		goto done;
	}
	c.out = out;
	c.styles = &styles;
	c.pictures = tr__pictures_enabled(p) ? &pictures : NULL;
	tr_buf_init(&c.para, out->body.max);
	st = tr__xml_walk(xml, len, &dev, &c);
	if (st == TR_EFORMAT && out->body.len == 0 && c.headings.n == 0) {
		*why = tr__reason("beschädigt: ungültiges XML in %s", main_part);
		goto done;
	}
	/* A document cut off or broken halfway keeps what was read. */
	if (st == TR_EFORMAT || st == TR_ETOOBIG)
		st = TR_OK;
	if (st == TR_OK && c.para.len)
		st = docx_flush(&c);
	if (st == TR_ETOOBIG)
		st = TR_OK;
	if (st == TR_OK)
		st = docx_pictures(out, &c, &r, p);
	if (st == TR_OK)
		st = tr__headings_finish(&c.headings, out);
done:
	tr__picture_refs_clear(&pictures);
	tr__headings_free(&c.headings);
	tr_buf_free(&c.para);
	styles_free(&styles);
	rels_free(&r);
	free(xml);
	return st;
}

/* ---- PowerPoint --------------------------------------------------------- */

typedef enum shape_kind {
	SHAPE_BODY,
	SHAPE_TITLE,
	SHAPE_SKIP      /* slide number, date, footer, header, slide image */
} shape_kind;

typedef struct slide_ctx {
	tr_buf title;       /* the slide's title */
	tr_buf text;        /* the rest of the slide, then its notes */
	shape_kind shape;
	int skip;
	int cells;
	bool in_t;
	bool notes;         /* reading the notes page: everything is text */
	tr__picture_refs *pictures;   /* the slide's pictures' r:ids, when OCR may read them */
} slide_ctx;

static tr_buf *
slide_target(slide_ctx *c)
{
	return c->shape == SHAPE_TITLE && !c->notes ? &c->title : &c->text;
}

static tr_status
slide_start(void *ctx, void *reader, const char *ns, const char *name)
{
	slide_ctx *c = ctx;

	(void)ns;
	if (c->skip) {
		c->skip++;
		return TR_OK;
	}
	if (skipped_element(name)) {
		c->skip = 1;
		return TR_OK;
	}
	if (strcmp(name, "sp") == 0 || strcmp(name, "graphicFrame") == 0) {
		c->shape = SHAPE_BODY;
	} else if (strcmp(name, "ph") == 0) {
		char *type = tr__xml_attr(reader, "type");

		if (type && (strcmp(type, "title") == 0 || strcmp(type, "ctrTitle") == 0))
			c->shape = SHAPE_TITLE;
		else if (type && (strcmp(type, "sldNum") == 0 || strcmp(type, "dt") == 0 ||
		                  strcmp(type, "ftr") == 0 || strcmp(type, "hdr") == 0 ||
		                  strcmp(type, "sldImg") == 0))
			c->shape = SHAPE_SKIP;
		free(type);
	} else if (strcmp(name, "t") == 0) {
		c->in_t = true;
	} else if (strcmp(name, "br") == 0 && c->shape != SHAPE_SKIP) {
		return tr__extract_add(slide_target(c), "\n", 1);
	} else if (strcmp(name, "tc") == 0) {
		c->cells++;
	} else if (!c->notes) {
		return picture_ref(c->pictures, reader, name);
	}
	return TR_OK;
}

static tr_status
slide_end(void *ctx, const char *ns, const char *name)
{
	slide_ctx *c = ctx;

	(void)ns;
	if (c->skip) {
		c->skip--;
		return TR_OK;
	}
	if (strcmp(name, "t") == 0)
		c->in_t = false;
	else if (strcmp(name, "sp") == 0 || strcmp(name, "graphicFrame") == 0)
		c->shape = SHAPE_BODY;
	else if (strcmp(name, "p") == 0 && c->shape != SHAPE_SKIP)
		return slide_target(c) == &c->title ? tr__xml_para_end(&c->title, true) : tr__xml_para_end(&c->text, c->cells > 0);
	else if (strcmp(name, "tc") == 0 && c->cells > 0) {
		c->cells--;
		return tr__xml_cell_end(&c->text);
	} else if (strcmp(name, "tr") == 0)
		return tr__xml_line_end(&c->text);
	return TR_OK;
}

static tr_status
slide_text(void *ctx, const char *s, size_t len)
{
	slide_ctx *c = ctx;

	if (c->skip || !c->in_t || c->shape == SHAPE_SKIP)
		return TR_OK;
	return tr__xml_add_text(slide_target(c), s, len);
}

/* Reads one slide part (or notes part) into @c; a damaged part keeps what was read. */
static tr_status
slide_part(slide_ctx *c, tr__zip *z, const char *part, char **why)
{
	static const tr__xml_events ev = { slide_start, slide_end, slide_text };
	char *xml = NULL;
	size_t len;
	tr_status st = tr__zip_read(z, part, &xml, &len, why);

	if (st == TR_OK) {
		c->shape = SHAPE_BODY;
		c->skip = c->cells = 0;
		c->in_t = false;
		st = tr__xml_walk(xml, len, &ev, c);
		if (st == TR_EFORMAT)
			st = TR_OK;
	} else if (st == TR_ENOTFOUND) {
		st = TR_OK;   /* a dangling link: the slide stays empty */
	}
	free(xml);
	return st;
}

typedef struct pres_ctx {
	char **ids;       /* r:id of each slide, in order */
	size_t n;
} pres_ctx;

static tr_status
pres_start(void *ctx, void *reader, const char *ns, const char *name)
{
	pres_ctx *c = ctx;
	char **nv, *id;

	(void)ns;
	if (strcmp(name, "sldId") != 0 || c->n >= TR__ZIP_MAX_MEMBERS)
		return TR_OK;
	if (!(id = tr__xml_attr_ns(reader, "id")))
		return TR_OK;
	if (!(nv = realloc(c->ids, (c->n + 1) * sizeof *nv))) {
		free(id);
		return TR_ENOMEM;
	}
	c->ids = nv;
	c->ids[c->n++] = id;
	return TR_OK;
}

/*
 * A slide whose title and text boxes are empty shows a scan (or nothing):
 * its pictures are read by OCR into the slide's text, so that a hit
 * names this slide.  Speaker notes do not count as the slide's text.
 */
static tr_status
slide_pictures(slide_ctx *c, const rels *sr, tr__pictures *p)
{
	tr_status st = TR_OK;

	if (c->pictures && c->pictures->n && tr__text_blank(c->title.ptr, c->title.len) &&
	    tr__text_blank(c->text.ptr, c->text.len))
		st = pictures_ocr(p, c->pictures, sr, &c->text);
	if (c->pictures)
		tr__picture_refs_clear(c->pictures);
	return st;
}

static tr_status
pptx_slide(tr_extract *out, slide_ctx *c, tr__zip *z, const char *part, size_t i, tr__pictures *p, char **why)
{
	rels sr = { 0 };
	const char *notes;
	tr_status st;

	if ((st = slide_part(c, z, part, why)) != TR_OK)
		return st;
	if ((st = rels_read(&sr, z, part, why)) != TR_OK)
		return st;
	st = slide_pictures(c, &sr, p);
	/* Speaker notes follow the slide's text; a title on a notes page is no slide title. */
	if (st == TR_OK && (notes = rels_find_type(&sr, "notesSlide"))) {
		c->notes = true;
		if ((st = tr__xml_line_end(&c->text)) == TR_OK)
			st = slide_part(c, z, notes, why);
		c->notes = false;
	}
	rels_free(&sr);
	if (st == TR_ETOOBIG && !*why)
		st = TR_OK;   /* the slide's text filled up: what fits is kept */
	return st == TR_OK ? tr__slide_emit(out, &c->title, &c->text, i) : st;
}

static tr_status
pptx_read(tr_extract *out, tr__zip *z, const char *main_part, tr__pictures *pics, char **why)
{
	static const tr__xml_events pev = { pres_start, NULL, NULL };
	pres_ctx p = { 0 };
	slide_ctx c = { 0 };
	tr__picture_refs pictures = { 0 };
	rels r = { 0 };
	char *xml = NULL;
	size_t len, slides = 0;
	tr_status st;

	tr_buf_init(&c.title, out->body.max);
	tr_buf_init(&c.text, out->body.max);
	c.pictures = tr__pictures_enabled(pics) ? &pictures : NULL;
	if ((st = tr__zip_read(z, main_part, &xml, &len, why)) != TR_OK) {
		if (st == TR_ENOTFOUND) {
			*why = tr__reason("beschädigt: %s fehlt", main_part);
			st = TR_EFORMAT;
		}
		goto done;
	}
	st = tr__xml_walk(xml, len, &pev, &p);
	if (st == TR_EFORMAT)
		st = TR_OK;
	if (st != TR_OK || (st = rels_read(&r, z, main_part, why)) != TR_OK)
		goto done;
	for (size_t i = 0; i < p.n && st == TR_OK; i++) {
		const char *part = rels_find_id(&r, p.ids[i]);

		if (!part)
			continue;
		st = pptx_slide(out, &c, z, part, slides++, pics, why);
	}
	/* Without a readable slide list: the slide parts by their numbers. */
	for (size_t n = 1; slides == 0 && p.n == 0 && st == TR_OK && n <= TR__ZIP_MAX_MEMBERS; n++) {
		char *part = tr__reason("ppt/slides/slide%zu.xml", n);

		if (!part) {
			st = TR_ENOMEM;
			break;
		}
		if (!tr__zip_has(z, part)) {
			free(part);
			break;
		}
		st = pptx_slide(out, &c, z, part, n - 1, pics, why);
		free(part);
	}
	if (st == TR_ETOOBIG && !*why)
		st = TR_OK;   /* the body is full: what fits is kept */
done:
	for (size_t i = 0; i < p.n; i++)
		free(p.ids[i]);
	free(p.ids);
	tr__picture_refs_clear(&pictures);
	rels_free(&r);
	tr_buf_free(&c.title);
	tr_buf_free(&c.text);
	free(xml);
	return st;
}

/* ---- Excel ------------------------------------------------------------- */

/* More shared strings than this are left out (each cell naming one then stays empty). */
#define OOXML_MAX_STRINGS 1000000

/* The shared strings (xl/sharedStrings.xml): most text cells only point into them. */
typedef struct sst_ctx {
	char **v;
	size_t n, cap;
	tr_buf cur;
	int skip;        /* inside <rPh> (phonetic hints): left out */
	bool in_t;
} sst_ctx;

static void
sst_free(sst_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	tr_buf_free(&c->cur);
}

static tr_status
sst_start(void *ctx, void *reader, const char *ns, const char *name)
{
	sst_ctx *c = ctx;

	(void)reader;
	(void)ns;
	if (strcmp(name, "rPh") == 0)
		c->skip++;
	else if (strcmp(name, "t") == 0)
		c->in_t = true;
	else if (strcmp(name, "si") == 0)
		tr_buf_reset(&c->cur);
	return TR_OK;
}

static tr_status
sst_end(void *ctx, const char *ns, const char *name)
{
	sst_ctx *c = ctx;
	char **nv;

	(void)ns;
	if (strcmp(name, "rPh") == 0 && c->skip)
		c->skip--;
	else if (strcmp(name, "t") == 0)
		c->in_t = false;
	if (strcmp(name, "si") != 0 || c->n >= OOXML_MAX_STRINGS)
		return TR_OK;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		if (!(nv = realloc(c->v, cap * sizeof *nv)))
			return TR_ENOMEM;
		c->v = nv;
		c->cap = cap;
	}
	if (!(c->v[c->n] = strdup(c->cur.ptr ? c->cur.ptr : "")))
		return TR_ENOMEM;
	c->n++;
	tr_buf_reset(&c->cur);
	return TR_OK;
}

static tr_status
sst_text(void *ctx, const char *s, size_t len)
{
	sst_ctx *c = ctx;
	tr_status st;

	if (!c->in_t || c->skip)
		return TR_OK;
	st = tr_buf_add(&c->cur, s, len);
	return st == TR_ETOOBIG ? TR_OK : st;
}

/* One worksheet part: cells by their type, rows on lines. */
typedef struct xsheet_ctx {
	tr_buf *body;
	const sst_ctx *sst;
	const tr__xlsx_numfmts *fmts;   /* which styles show dates */
	bool date1904;    /* serial days count from 1904 (old Mac workbooks) */
	tr_buf val;       /* the text of the current <v> or <is> */
	char type[16];    /* the current cell's t attribute */
	char style[16];   /* and its s attribute (the cellXfs index) */
	bool in_v, in_t;
	int skip;         /* inside a formula (<f>) or phonetic hint */
} xsheet_ctx;

static tr_status
xsheet_start(void *ctx, void *reader, const char *ns, const char *name)
{
	xsheet_ctx *c = ctx;

	(void)ns;
	if (strcmp(name, "c") == 0) {
		char *t = tr__xml_attr(reader, "t"), *s = tr__xml_attr(reader, "s");
		snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
		snprintf(c->style, sizeof c->style, "%s", s ? s : "");
		free(t);
		free(s);
		tr_buf_reset(&c->val);
	} else if (strcmp(name, "v") == 0) {
		c->in_v = true;
	} else if (strcmp(name, "t") == 0) {
		c->in_t = true;
	} else if (strcmp(name, "f") == 0 || strcmp(name, "rPh") == 0) {
		c->skip++;
	}
	return TR_OK;
}

/*
 * Writes the cell just read as its type says: shared string, inline or
 * formula text, a date (a number its style shows as a date, or an ISO
 * date cell), number.
 */
static tr_status
xsheet_cell(xsheet_ctx *c)
{
	const char *v = c->val.ptr ? c->val.ptr : "";
	char num[TR__SHEET_NUMBER_MAX];
	tr__sheet_kind kind;

	if (strcmp(c->type, "s") == 0) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);
		if (end == v || i >= c->sst->n)
			return TR_OK;
		return tr__sheet_cell(c->body, c->sst->v[i], strlen(c->sst->v[i]));
	}
	if (strcmp(c->type, "inlineStr") == 0 || strcmp(c->type, "str") == 0)
		return tr__sheet_cell(c->body, v, c->val.len);
	if (strcmp(c->type, "d") == 0 && *v) {
		tr__sheet_iso_date(num, v);
		return tr__sheet_cell(c->body, num, strlen(num));
	}
	if (strcmp(c->type, "n") != 0 || !*v)
		return TR_OK;   /* booleans and errors say nothing to search for */
	kind = tr__xlsx_numfmts_kind(c->fmts, c->style);
	if (kind != TR_SHEET_NUMBER) {
		char *end;
		double serial = strtod(v, &end);
		if (end != v && *end == '\0') {
			tr__sheet_serial(num, serial, c->date1904, kind);
			return tr__sheet_cell(c->body, num, strlen(num));
		}
	}
	tr__sheet_number_text(num, v);
	return tr__sheet_cell(c->body, num, strlen(num));
}

static tr_status
xsheet_end(void *ctx, const char *ns, const char *name)
{
	xsheet_ctx *c = ctx;

	(void)ns;
	if (strcmp(name, "f") == 0 || strcmp(name, "rPh") == 0) {
		if (c->skip)
			c->skip--;
	} else if (strcmp(name, "v") == 0) {
		c->in_v = false;
	} else if (strcmp(name, "t") == 0) {
		c->in_t = false;
	} else if (strcmp(name, "c") == 0) {
		return xsheet_cell(c);
	} else if (strcmp(name, "row") == 0) {
		return tr__sheet_row_end(c->body);
	}
	return TR_OK;
}

static tr_status
xsheet_text(void *ctx, const char *s, size_t len)
{
	xsheet_ctx *c = ctx;
	tr_status st;

	if (c->skip || !(c->in_v || c->in_t))
		return TR_OK;
	st = tr_buf_add(&c->val, s, len);
	return st == TR_ETOOBIG ? TR_OK : st;
}

/* The sheets of the workbook part in their order: names and r:ids. */
typedef struct book_ctx {
	char **names, **ids;
	size_t n;
	bool date1904;   /* workbookPr date1904 */
} book_ctx;

static void
book_free(book_ctx *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->names[i]);
		free(b->ids[i]);
	}
	free(b->names);
	free(b->ids);
}

static tr_status
book_start(void *ctx, void *reader, const char *ns, const char *name)
{
	book_ctx *b = ctx;
	char **nn, **ni, *sheet, *id;

	(void)ns;
	if (strcmp(name, "workbookPr") == 0) {
		char *v = tr__xml_attr(reader, "date1904");
		b->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
		free(v);
		return TR_OK;
	}
	if (strcmp(name, "sheet") != 0 || b->n >= TR__ZIP_MAX_MEMBERS)
		return TR_OK;
	sheet = tr__xml_attr(reader, "name");
	id = tr__xml_attr_ns(reader, "id");
	if (!id) {
		free(sheet);
		return TR_OK;
	}
	nn = realloc(b->names, (b->n + 1) * sizeof *nn);
	if (nn)
		b->names = nn;
	ni = nn ? realloc(b->ids, (b->n + 1) * sizeof *ni) : NULL;
	if (!ni) {
		free(sheet);
		free(id);
		return TR_ENOMEM;
	}
	b->ids = ni;
	b->names[b->n] = sheet;
	b->ids[b->n++] = id;
	return TR_OK;
}

/* Reads one worksheet part into the body; a damaged part keeps what was read. */
static tr_status
xlsx_sheet(tr_extract *out, xsheet_ctx *c, tr__zip *z, const char *part, char **why)
{
	static const tr__xml_events ev = { xsheet_start, xsheet_end, xsheet_text };
	char *xml = NULL;
	size_t len;
	tr_status st = tr__zip_read(z, part, &xml, &len, why);

	if (st == TR_OK) {
		c->body = &out->body;
		c->in_v = c->in_t = false;
		c->skip = 0;
		st = tr__xml_walk(xml, len, &ev, c);
		if (st == TR_EFORMAT)
			st = TR_OK;
	} else if (st == TR_ENOTFOUND) {
		st = TR_OK;   /* a dangling link: the sheet stays empty */
	}
	free(xml);
	return st == TR_OK ? tr__sheet_row_end(&out->body) : st;
}

/* The workbook's cell styles; a missing or damaged styles part leaves every number a number. */
static tr_status
xlsx_styles(tr__xlsx_numfmts *f, tr__zip *z, const rels *r)
{
	const char *part = rels_find_type(r, "styles");
	char *xml = NULL, *why = NULL;
	size_t len;
	tr_status st;

	if (!part)
		return TR_OK;
	st = tr__zip_read(z, part, &xml, &len, &why);
	free(why);
	if (st == TR_OK)
		st = tr__xlsx_numfmts_read(f, xml, len);
	free(xml);
	return st == TR_ENOMEM ? st : TR_OK;
}

static tr_status
xlsx_read(tr_extract *out, tr__zip *z, const char *main_part, char **why)
{
	static const tr__xml_events bev = { book_start, NULL, NULL };
	static const tr__xml_events sev = { sst_start, sst_end, sst_text };
	book_ctx b = { 0 };
	sst_ctx sst = { 0 };
	xsheet_ctx c = { 0 };
	tr__xlsx_numfmts fmts = { 0 };
	rels r = { 0 };
	char *xml = NULL;
	const char *part;
	size_t len;
	tr_status st;

	tr_buf_init(&sst.cur, out->body.max);
	tr_buf_init(&c.val, out->body.max);
	c.sst = &sst;
	c.fmts = &fmts;
	if ((st = tr__zip_read(z, main_part, &xml, &len, why)) != TR_OK)
		goto done;
	st = tr__xml_walk(xml, len, &bev, &b);
	free(xml);
	xml = NULL;
	if ((st != TR_OK && st != TR_EFORMAT) || (st = rels_read(&r, z, main_part, why)) != TR_OK ||
	    (st = xlsx_styles(&fmts, z, &r)) != TR_OK)
		goto done;
	c.date1904 = b.date1904;
	if ((part = rels_find_type(&r, "sharedStrings")) &&
	    (st = tr__zip_read(z, part, &xml, &len, why)) == TR_OK) {
		st = tr__xml_walk(xml, len, &sev, &sst);
		if (st == TR_EFORMAT)
			st = TR_OK;
	} else if (st == TR_ENOTFOUND) {
		st = TR_OK;
	}
	for (size_t i = 0; i < b.n && st == TR_OK; i++) {
		if ((st = tr__sheet_begin(&out->body, i, b.names[i])) != TR_OK)
			break;
		if ((part = rels_find_id(&r, b.ids[i])))
			st = xlsx_sheet(out, &c, z, part, why);
	}
	if (st == TR_ETOOBIG && !*why)
		st = TR_OK;   /* the body is full: what fits is kept */
done:
	free(xml);
	book_free(&b);
	sst_free(&sst);
	tr__xlsx_numfmts_free(&fmts);
	tr_buf_free(&c.val);
	rels_free(&r);
	return st;
}

/* ---- The extractor ------------------------------------------------------ */

tr_status
tr__extract_ooxml(tr_extract *out, const tr_input *in, char **why)
{
	static const tr__xml_events rev = { root_start, NULL, NULL };
	tr__zip *z = NULL;
	tr__pictures pics;
	rels pkg = { 0 };
	root_ctx root = { "" };
	const char *main_part, *core;
	char *xml = NULL, *mywhy = NULL;
	size_t len;
	tr_status st;

	tr__pictures_init(&pics, in, NULL);
	if ((st = tr__zip_open(&z, in->data, in->len, &mywhy)) != TR_OK)
		goto done;
	pics.z = z;
	if ((st = rels_read(&pkg, z, "", &mywhy)) != TR_OK)
		goto done;
	main_part = rels_find_type(&pkg, "officeDocument");
	if (!main_part)
		main_part = tr__zip_has(z, "ppt/presentation.xml") ? "ppt/presentation.xml"
		            : tr__zip_has(z, "xl/workbook.xml") ? "xl/workbook.xml" : "word/document.xml";
	if ((st = tr__zip_read(z, main_part, &xml, &len, &mywhy)) != TR_OK) {
		if (st == TR_ENOTFOUND) {
			mywhy = tr__reason("beschädigt: kein Office-Dokument (%s fehlt)", main_part);
			st = TR_EFORMAT;
		}
		goto done;
	}
	st = tr__xml_walk(xml, len, &rev, &root);
	free(xml);
	xml = NULL;
	if (st == TR_ENOMEM)
		goto done;
	st = TR_OK;

	core = rels_find_type(&pkg, "core-properties");
	if ((st = tr__props_read(out, z, core ? core : "docProps/core.xml", ooxml_props)) != TR_OK)
		goto done;
	if (strcmp(root.name, "document") == 0) {
		st = docx_read(out, z, main_part, &pics, &mywhy);
	} else if (strcmp(root.name, "presentation") == 0) {
		st = pptx_read(out, z, main_part, &pics, &mywhy);
	} else if (strcmp(root.name, "workbook") == 0) {
		st = xlsx_read(out, z, main_part, &mywhy);
	} else {
		mywhy = root.name[0] ? tr__reason("beschädigt: unbekannter Inhalt in %s", main_part)
		                     : tr__reason("beschädigt: ungültiges XML in %s", main_part);
		st = TR_EFORMAT;
	}
	if (st == TR_OK)
		st = tr__pictures_unread(&pics, out, &mywhy);
	if (st == TR_OK)
		st = tr__extract_finish(out);
done:
	tr__reason_hand_over(st, &mywhy, why);
	tr__pictures_free(&pics);
	free(xml);
	rels_free(&pkg);
	tr__zip_free(z);
	return st;
}
