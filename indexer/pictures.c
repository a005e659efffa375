/*
 * Pictures of office documents read by OCR (pictures.h).  The OCR cache
 * entry is the office file's (keyed by its content hash like any scan),
 * and a picture's page in it is the picture's index among those
 * recognised, so the same file always numbers its pictures alike.  Each
 * picture is looked at once a file: one shown again gives the text it
 * gave the first time.
 */
#include "pictures.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tellerrand/document.h"

/* Only these can be scans; EMF, WMF, SVG and GIF are drawings, charts and clip art. */
static bool
picture_named(const char *member)
{
	static const char *const exts[] = { ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".tif", ".tiff", NULL };
	const char *dot = strrchr(member, '.');

	for (const char *const *e = exts; dot && *e; e++)
		if (strcasecmp(dot, *e) == 0)
			return true;
	return false;
}

bool
tr__text_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f'))
			return false;
	return true;
}

tr_status
tr__picture_refs_add(tr__picture_refs *r, char *ref)
{
	tr_status st = TR_OK;

	if (ref && r->n < TR__PICTURE_MAX_REFS)
		st = tr_strv_add_unique(&r->v, &r->n, ref);
	free(ref);
	return st;
}

void
tr__picture_refs_clear(tr__picture_refs *r)
{
	tr_strv_free(r->v, r->n);
	r->v = NULL;
	r->n = 0;
}

void
tr__pictures_init(tr__pictures *p, const tr_input *in, tr__zip *z)
{
	memset(p, 0, sizeof *p);
	p->in = in;
	p->z = z;
}

bool
tr__pictures_enabled(const tr__pictures *p)
{
	return p->in->ocr && p->in->ocr->enabled;
}

static void
keep_why(tr__pictures *p, char *why)
{
	if (!p->why)
		p->why = why;
	else
		free(why);
}

/* The picture @member if it was looked at before in this file, else NULL. */
static const tr__picture *
picture_seen(const tr__pictures *p, const char *member)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].member, member) == 0)
			return &p->v[i];
	return NULL;
}

/* Remembers that @member gave @text[0..len) (nothing for a picture not read). */
static tr_status
picture_remember(tr__pictures *p, const char *member, const char *text, size_t len)
{
	tr__picture *nv;

	if (p->n >= TR__PICTURE_MAX_REFS)
		return TR_OK;
	if (!(nv = realloc(p->v, (p->n + 1) * sizeof *nv)))
		return TR_ENOMEM;
	p->v = nv;
	nv[p->n].member = strdup(member);
	nv[p->n].text = strndup(text ? text : "", len);
	if (!nv[p->n].member || !nv[p->n].text) {
		free(nv[p->n].member);
		free(nv[p->n].text);
		return TR_ENOMEM;
	}
	p->n++;
	return TR_OK;
}

/* Appends @text on lines of its own. */
static tr_status
picture_text(tr_buf *out, const char *text)
{
	tr_status st = TR_OK;

	if (!*text)
		return TR_OK;
	if ((st = tr__xml_line_end(out)) == TR_OK && (st = tr__xml_adds(out, text)) == TR_OK)
		st = tr__xml_line_end(out);
	return st;
}

/* Whether the picture @data[0..len) may be a scanned page: decodable, within the limits, not tiny. */
static bool
picture_fits(tr__pictures *p, const char *data, size_t len)
{
	char *why = NULL;
	int w, h;

	if (tr__image_size(data, len, &w, &h, &why) != TR_OK) {
		keep_why(p, why);
		return false;
	}
	return (w < h ? w : h) >= TR__PICTURE_MIN_SIDE;
}

/* Recognises the picture @data[0..len) as the next OCR page of the file and appends its text. */
static tr_status
picture_ocr(tr__pictures *p, const char *member, const char *data, size_t len, tr_buf *out)
{
	size_t start;
	bool read = false;
	tr_status st;

	if (!p->ocr.o && (st = tr__ocr_open(&p->ocr, p->in->ocr, p->in->data, p->in->len)) != TR_OK)
		return st;
	if ((st = tr__xml_line_end(out)) != TR_OK)
		return st;
	start = out->len;
	st = tr__image_ocr(&p->ocr, (int)p->pages++, data, len, 0, out, &read);
	p->read += read;
	if (st == TR_OK)
		st = picture_remember(p, member, out->ptr ? out->ptr + start : NULL, out->len - start);
	if (st == TR_OK)
		st = tr__xml_line_end(out);
	return st;
}

tr_status
tr__pictures_read(tr__pictures *p, const char *member, tr_buf *out)
{
	const tr__picture *seen;
	char *data = NULL, *why = NULL;
	size_t len = 0;
	tr_status st;

	if (!tr__pictures_enabled(p) || !picture_named(member))
		return TR_OK;
	/* A picture shown again (on two slides) gives the text read a moment ago. */
	if ((seen = picture_seen(p, member)))
		return picture_text(out, seen->text);
	if (p->pages >= TR__OCR_MAX_PAGES)
		return TR_OK;
	st = tr__zip_read(p->z, member, &data, &len, &why);
	if (st != TR_OK) {
		keep_why(p, why);
		/* A missing, damaged or oversized member costs only that picture. */
		return st == TR_ENOMEM ? st : TR_OK;
	}
	if (picture_fits(p, data, len))
		st = picture_ocr(p, member, data, len, out);
	else
		st = picture_remember(p, member, NULL, 0);
	free(data);
	return st;
}

static const char *
pictures_why(const tr__pictures *p)
{
	return p->ocr.why ? p->ocr.why : p->why;
}

tr_status
tr__pictures_unread(const tr__pictures *p, const tr_extract *out, char **why)
{
	const char *reason = pictures_why(p);

	if (!reason || p->read || !tr__text_blank(out->body.ptr, out->body.len) || out->title.len)
		return TR_OK;
	*why = tr__reason("leeres Dokument (kein Text): %s", reason);
	return *why ? TR_EUNSUPPORTED : TR_ENOMEM;
}

void
tr__pictures_free(tr__pictures *p)
{
	tr__ocr_close(&p->ocr);
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].member);
		free(p->v[i].text);
	}
	free(p->v);
	free(p->why);
	memset(p, 0, sizeof *p);
}
