/*
 * PowerPoint 97-2003 (.ppt, .pps, .pot): an OLE2 file (indexer/ole.h)
 * whose "PowerPoint Document" stream is a tree of records (MS-PPT 2.3).
 * The slides come in their order from the document's SlideListWithText,
 * which also holds the text of their placeholders (title, body); other
 * text boxes are in each slide's own record tree, and the speaker notes in
 * the notes record the slide points to.  Where these records are is
 * found through the persist directory of the last save ("Current User"
 * → UserEditAtom → PersistDirectoryAtom, newest edit first).  Each slide
 * becomes one page of body, as in PPTX and ODP (tr__slide_emit()).
 */
#include "extract.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ole.h"
#include "zipxml.h"

enum {
	RT_DOCUMENT = 0x03E8,
	RT_SLIDE = 0x03EE,
	RT_SLIDE_ATOM = 0x03EF,
	RT_NOTES = 0x03F0,
	RT_SLIDE_PERSIST_ATOM = 0x03F3,
	RT_OUTLINE_TEXT_REF = 0x0F9E,
	RT_TEXT_HEADER = 0x0F9F,
	RT_TEXT_CHARS = 0x0FA0,
	RT_TEXT_BYTES = 0x0FA8,
	RT_SLIDE_LIST_WITH_TEXT = 0x0FF0,
	RT_USER_EDIT = 0x0FF5,
	RT_PERSIST_DIRECTORY = 0x1772,
};

#define PPT_ENCRYPTED_TOKEN 0xF3D1C4DFUL
#define PPT_MAX_DEPTH 16
#define PPT_MAX_EDITS 64
#define PPT_MAX_PERSIST 65536

typedef struct ppt_rec {
	unsigned ver, instance, type;
	size_t body, len;    /* the record's data: S[body..body+len) */
} ppt_rec;

typedef struct ppt_ctx {
	const unsigned char *s;     /* the PowerPoint Document stream */
	size_t n;
	unsigned long *persist;     /* persist id → stream offset + 1 (0: unknown) */
	size_t n_persist;
	const unsigned char *notes; /* the notes list (SlideListWithText instance 2) */
	size_t notes_len;
	tr_buf title, text, piece;
	bool is_title;              /* the text that follows is a title placeholder's */
} ppt_ctx;

/* The record header at @off; false if it does not fit into @end. */
static bool
ppt_rec_at(const ppt_ctx *c, size_t off, size_t end, ppt_rec *r)
{
	unsigned long len;

	if (end > c->n || off > end || end - off < 8)
		return false;
	r->ver = c->s[off] & 0x0F;
	r->instance = tr__le16(c->s + off) >> 4;
	r->type = tr__le16(c->s + off + 2);
	len = tr__le32(c->s + off + 4);
	r->body = off + 8;
	if (len > end - r->body)
		return false;
	r->len = len;
	return true;
}

/* Adds the entries of one PersistDirectoryAtom that no newer edit set. */
static void
ppt_persist_add(ppt_ctx *c, const ppt_rec *r)
{
	size_t p = r->body, end = r->body + r->len;

	while (p + 4 <= end) {
		unsigned long e = tr__le32(c->s + p), id = e & 0xFFFFF, k = e >> 20;

		p += 4;
		for (unsigned long i = 0; i < k && p + 4 <= end; i++, p += 4)
			if (id + i < c->n_persist && !c->persist[id + i])
				c->persist[id + i] = tr__le32(c->s + p) + 1;
	}
}

/* Builds the persist map from the chain of edits; returns the document's persist id or 0. */
static unsigned long
ppt_persist_read(ppt_ctx *c, unsigned long edit)
{
	unsigned long doc = 0;
	ppt_rec r, d;

	for (int hops = 0; hops < PPT_MAX_EDITS; hops++) {
		unsigned long last, dir;

		if (!ppt_rec_at(c, edit, c->n, &r) || r.type != RT_USER_EDIT || r.len < 20)
			break;
		last = tr__le32(c->s + r.body + 8);
		dir = tr__le32(c->s + r.body + 12);
		if (!doc)
			doc = tr__le32(c->s + r.body + 16);
		if (ppt_rec_at(c, dir, c->n, &d) && d.type == RT_PERSIST_DIRECTORY)
			ppt_persist_add(c, &d);
		if (last == 0 || last >= edit)
			break;   /* the first save, or a loop */
		edit = last;
	}
	return doc;
}

/* The record a persist id points to, if it has type @type. */
static bool
ppt_persist_rec(const ppt_ctx *c, unsigned long id, unsigned type, ppt_rec *r)
{
	if (id >= c->n_persist || !c->persist[id])
		return false;
	return ppt_rec_at(c, c->persist[id] - 1, c->n, r) && r->type == type;
}

/* Appends the text of a TextCharsAtom or TextBytesAtom to @b, paragraph marks as line ends. */
static tr_status
ppt_text_add(ppt_ctx *c, const ppt_rec *r, tr_buf *b)
{
	tr_buf *p = &c->piece;
	tr_status st;

	tr_buf_reset(p);
	if (r->type == RT_TEXT_CHARS) {
		st = tr__utf16le_add(p, c->s + r->body, r->len / 2);
	} else {
		st = TR_OK;
		for (size_t i = 0; i < r->len && st == TR_OK; i++) {
			unsigned char u = c->s[r->body + i];
			char two[2] = { (char)(0xC0 | u >> 6), (char)(0x80 | (u & 0x3F)) };
			st = u < 0x80 ? tr_buf_addc(p, (char)u) : tr_buf_add(p, two, 2);
		}
	}
	if (st != TR_OK && st != TR_ETOOBIG)
		return st;
	for (size_t i = 0; i < p->len; i++)
		if (p->ptr[i] == '\r' || p->ptr[i] == '\v')
			p->ptr[i] = '\n';
		else if ((unsigned char)p->ptr[i] < ' ' && p->ptr[i] != '\t' && p->ptr[i] != '\n')
			p->ptr[i] = ' ';
	/* A text box that repeats a placeholder's text (some writers keep both) is read once. */
	if (!p->len || (c->title.ptr && strstr(c->title.ptr, p->ptr)) || (c->text.ptr && strstr(c->text.ptr, p->ptr)))
		return TR_OK;
	if ((st = tr__extract_add(b, p->ptr, p->len)) == TR_OK)
		st = tr__xml_line_end(b);
	return st;
}

/* Appends every text atom in the record tree @off..@end (a slide's or a notes page's drawing). */
static tr_status
ppt_walk_text(ppt_ctx *c, size_t off, size_t end, int depth)
{
	ppt_rec r;
	tr_status st = TR_OK;

	while (st == TR_OK && ppt_rec_at(c, off, end, &r)) {
		if (r.ver == 0xF && depth < PPT_MAX_DEPTH)
			st = ppt_walk_text(c, r.body, r.body + r.len, depth + 1);
		else if (r.type == RT_TEXT_CHARS || r.type == RT_TEXT_BYTES)
			st = ppt_text_add(c, &r, &c->text);
		off = r.body + r.len;
	}
	return st;
}

/*
 * The persist id of the notes page whose id (a SlideAtom's notesIdRef) is
 * @notes_id: the notes list pairs each with its persist id; 0 if none.
 */
static unsigned long
ppt_notes_persist(const ppt_ctx *c, unsigned long notes_id)
{
	size_t off = 0;
	ppt_rec r;
	ppt_ctx list = *c;

	list.s = c->notes;
	list.n = c->notes_len;
	for (; c->notes && ppt_rec_at(&list, off, list.n, &r); off = r.body + r.len)
		if (r.type == RT_SLIDE_PERSIST_ATOM && r.len >= 16 && tr__le32(list.s + r.body + 12) == notes_id)
			return tr__le32(list.s + r.body);
	return 0;
}

/* The text boxes of the slide with persist id @id, then its notes. */
static tr_status
ppt_slide_drawing(ppt_ctx *c, unsigned long id)
{
	ppt_rec slide, atom, notes;
	tr_status st;

	if (!ppt_persist_rec(c, id, RT_SLIDE, &slide))
		return TR_OK;
	if ((st = ppt_walk_text(c, slide.body, slide.body + slide.len, 0)) != TR_OK)
		return st;
	if (ppt_rec_at(c, slide.body, slide.body + slide.len, &atom) && atom.type == RT_SLIDE_ATOM &&
	    atom.len >= 20 &&
	    ppt_persist_rec(c, ppt_notes_persist(c, tr__le32(c->s + atom.body + 16)), RT_NOTES, &notes)) {
		if ((st = tr__xml_line_end(&c->text)) == TR_OK)
			st = ppt_walk_text(c, notes.body, notes.body + notes.len, 0);
	}
	return st;
}

/* Reads the slide list (instance 0 of SlideListWithText) in @doc into @out's body, a slide per page. */
static tr_status
ppt_slides(tr_extract *out, ppt_ctx *c, const ppt_rec *list, size_t *slides)
{
	size_t off = list->body, end = list->body + list->len;
	unsigned long id = 0;
	bool open = false;
	ppt_rec r;
	tr_status st = TR_OK;

	while (st == TR_OK && ppt_rec_at(c, off, end, &r)) {
		if (r.type == RT_SLIDE_PERSIST_ATOM && r.len >= 4) {
			if (open && (st = ppt_slide_drawing(c, id)) == TR_OK)
				st = tr__slide_emit(out, &c->title, &c->text, (*slides)++);
			id = tr__le32(c->s + r.body);
			open = true;
			c->is_title = false;
		} else if (r.type == RT_TEXT_HEADER && r.len >= 4) {
			unsigned long kind = tr__le32(c->s + r.body);
			c->is_title = kind == 0 || kind == 6;   /* title, centred title */
		} else if (open && (r.type == RT_TEXT_CHARS || r.type == RT_TEXT_BYTES)) {
			st = ppt_text_add(c, &r, c->is_title ? &c->title : &c->text);
		}
		off = r.body + r.len;
	}
	if (open && st == TR_OK && (st = ppt_slide_drawing(c, id)) == TR_OK)
		st = tr__slide_emit(out, &c->title, &c->text, (*slides)++);
	return st;
}

/* Finds the document record and reads its slide list. */
static tr_status
ppt_document(tr_extract *out, ppt_ctx *c, unsigned long doc_id, size_t *slides)
{
	ppt_rec doc, r;
	size_t off;

	if (!ppt_persist_rec(c, doc_id, RT_DOCUMENT, &doc)) {
		/* Without a usable persist directory: the first document record in the stream. */
		for (off = 0; ppt_rec_at(c, off, c->n, &doc) && doc.type != RT_DOCUMENT; off = doc.body + doc.len)
			;
		if (!ppt_rec_at(c, off, c->n, &doc))
			return TR_OK;
	}
	for (off = doc.body; ppt_rec_at(c, off, doc.body + doc.len, &r); off = r.body + r.len)
		if (r.type == RT_SLIDE_LIST_WITH_TEXT && r.instance == 2) {
			c->notes = c->s + r.body;
			c->notes_len = r.len;
		}
	for (off = doc.body; ppt_rec_at(c, off, doc.body + doc.len, &r); off = r.body + r.len)
		if (r.type == RT_SLIDE_LIST_WITH_TEXT && r.instance == 0)
			return ppt_slides(out, c, &r, slides);
	return TR_OK;
}

static tr_status
ppt_read(tr_extract *out, tr__ole *ole, ppt_ctx *c, char **why)
{
	char *cu = NULL;
	size_t cu_len = 0, slides = 0;
	unsigned long doc_id = 0;
	tr_status st;

	st = tr__ole_read(ole, "Current User", &cu, &cu_len, why);
	if (st != TR_OK && st != TR_ENOTFOUND)
		return st;
	if (cu && cu_len >= 20 && tr__le32((unsigned char *)cu + 12) == PPT_ENCRYPTED_TOKEN) {
		free(cu);
		*why = tr__reason("passwortgeschützt");
		return TR_EFORMAT;
	}
	c->n_persist = PPT_MAX_PERSIST;
	if (!(c->persist = calloc(c->n_persist, sizeof *c->persist))) {
		free(cu);
		return TR_ENOMEM;
	}
	if (cu && cu_len >= 20)
		doc_id = ppt_persist_read(c, tr__le32((unsigned char *)cu + 16));
	free(cu);
	st = ppt_document(out, c, doc_id, &slides);
	if (st == TR_OK && slides == 0) {
		/* No slide list (an odd writer): all the text there is, as one page. */
		st = ppt_walk_text(c, 0, c->n, 0);
		if (st == TR_OK)
			st = tr__slide_emit(out, &c->title, &c->text, 0);
	}
	return st;
}

tr_status
tr__extract_ppt(tr_extract *out, const tr_input *in, char **why)
{
	tr__ole *ole = NULL;
	ppt_ctx c = { 0 };
	char *mywhy = NULL, *s = NULL;
	tr_status st;

	tr_buf_init(&c.title, out->body.max);
	tr_buf_init(&c.text, out->body.max);
	tr_buf_init(&c.piece, out->body.max);
	if ((st = tr__ole_open(&ole, in->data, in->len, &mywhy)) != TR_OK)
		goto done;
	if ((st = tr__ole_read(ole, "PowerPoint Document", &s, &c.n, &mywhy)) != TR_OK) {
		if (st == TR_ENOTFOUND) {
			mywhy = tr__reason("beschädigt: keine PowerPoint-Präsentation (PowerPoint Document fehlt)");
			st = TR_EFORMAT;
		}
		goto done;
	}
	c.s = (const unsigned char *)s;
	if ((st = tr__ole_props(out, ole)) != TR_OK)
		goto done;
	st = ppt_read(out, ole, &c, &mywhy);
	if (st == TR_ETOOBIG && !mywhy)
		st = TR_OK;   /* the body is full: what fits is kept */
	if (st == TR_OK)
		st = tr__extract_finish(out);
done:
	tr__reason_hand_over(st, &mywhy, why);
	free(s);
	free(c.persist);
	tr_buf_free(&c.title);
	tr_buf_free(&c.text);
	tr_buf_free(&c.piece);
	tr__ole_free(ole);
	return st;
}
