/*
 * Pictures of office documents read by OCR (pictures.h).  The OCR cache
 * entry is the office file's (keyed by its content hash like any scan),
 * and a picture's page in it is the picture's index among those
 * recognised, so the same file always numbers its pictures alike.
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

/* The OCR page of @member: its index if read before, else a new one (-1 when the file has had its fill). */
static tr_status
picture_page(tr__pictures *p, const char *member, int *page)
{
	char **nv;

	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->members[i], member) == 0) {
			*page = (int)i;
			return TR_OK;
		}
	*page = -1;
	if (p->n >= TR__OCR_MAX_PAGES)
		return TR_OK;
	if (!(nv = realloc(p->members, (p->n + 1) * sizeof *nv)))
		return TR_ENOMEM;
	p->members = nv;
	if (!(p->members[p->n] = strdup(member)))
		return TR_ENOMEM;
	*page = (int)p->n++;
	return TR_OK;
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

tr_status
tr__pictures_read(tr__pictures *p, const char *member, tr_buf *out)
{
	char *data = NULL, *why = NULL;
	size_t len = 0;
	bool read = false;
	int page;
	tr_status st;

	if (!tr__pictures_enabled(p) || !picture_named(member))
		return TR_OK;
	st = tr__zip_read(p->z, member, &data, &len, &why);
	if (st != TR_OK) {
		keep_why(p, why);
		/* A missing, damaged or oversized member costs only that picture. */
		return st == TR_ENOMEM ? st : TR_OK;
	}
	if (!picture_fits(p, data, len))
		goto done;
	if ((st = picture_page(p, member, &page)) != TR_OK || page < 0)
		goto done;
	if (!p->ocr.o && (st = tr__ocr_open(&p->ocr, p->in->ocr, p->in->data, p->in->len)) != TR_OK)
		goto done;
	if ((st = tr__xml_line_end(out)) == TR_OK)
		st = tr__image_ocr(&p->ocr, page, data, len, 0, out, &read);
	if (st == TR_OK)
		st = tr__xml_line_end(out);
	p->read += read;
done:
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
	for (size_t i = 0; i < p->n; i++)
		free(p->members[i]);
	free(p->members);
	free(p->why);
	memset(p, 0, sizeof *p);
}
