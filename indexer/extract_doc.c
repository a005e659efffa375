/*
 * Word 97-2003 (.doc, .dot): an OLE2 file (indexer/ole.h) whose
 * WordDocument stream begins with the File Information Block (FIB) and
 * holds the text; the table stream ("0Table" or "1Table") holds the piece
 * table that says where each run of characters is and whether it is
 * stored as Windows-1252 bytes or UTF-16.  The character positions are
 * the main text, then footnotes, headers and footers, comments,
 * endnotes, text boxes (MS-DOC 2.3, "Document Parts").  Field codes
 * (between 0x13 and 0x14) are left out, their results kept; cell marks
 * (0x07) become tabs, a row's end a line end.  Word 6/95 files have
 * another layout and are declined.
 */
#include "extract.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "ole.h"
#include "zipxml.h"

#define DOC_IDENT 0xA5EC
#define DOC_NFIB_97 0x00C1          /* Word 97; Word 6 and 95 use 101-105 */
#define DOC_F_ENCRYPTED 0x0100
#define DOC_F_TABLE1 0x0200
#define DOC_MAX_FIELD_DEPTH 32
#define DOC_MAX_PIECES (1u << 20)

/* The document parts in character-position order (FibRgLw97 from ccpText on). */
enum { PART_MAIN, PART_FTN, PART_HDD, PART_MCR, PART_ATN, PART_EDN, PART_TXBX, PART_HDRTXBX, N_PARTS };

typedef struct doc_fib {
	unsigned long ccp[N_PARTS];
	unsigned long fc_clx, lcb_clx;
	unsigned flags;
} doc_fib;

typedef struct doc_pieces {
	const unsigned char *cp;    /* n + 1 character positions */
	const unsigned char *pcd;   /* n piece descriptors of 8 bytes */
	size_t n;
} doc_pieces;

typedef struct doc_ctx {
	const unsigned char *word;  /* the WordDocument stream */
	size_t word_len;
	doc_pieces pc;
	tr_buf *out;
	unsigned depth;             /* field nesting */
	unsigned long code;         /* bit d: field at depth d is in its code part */
	unsigned prev;              /* the previous character */
	char stage[512];            /* UTF-8 waiting to be appended */
	size_t staged;
} doc_ctx;

static tr_status
doc_fib_read(doc_fib *f, const unsigned char *w, size_t n, char **why)
{
	size_t pos, lw, blob, csw, cslw, cb;

	memset(f, 0, sizeof *f);
	if (n < 34 || tr__le16(w) != DOC_IDENT) {
		*why = tr__reason("beschädigt: kein Word-Dokument (FIB fehlt)");
		return TR_EFORMAT;
	}
	if (tr__le16(w + 2) < DOC_NFIB_97) {
		*why = tr__reason("Word-6/95-Format nicht unterstützt");
		return TR_EUNSUPPORTED;
	}
	f->flags = tr__le16(w + 0x0A);
	csw = tr__le16(w + 32);
	pos = 34 + 2 * csw;
	cslw = pos + 2 <= n ? tr__le16(w + pos) : 0;
	lw = pos + 2;
	pos = lw + 4 * cslw;
	cb = pos + 2 <= n ? tr__le16(w + pos) : 0;
	blob = pos + 2;
	if (cslw < 11 || cb < 34 || blob + 8 * cb > n) {
		*why = tr__reason("beschädigt: FIB unvollständig");
		return TR_EFORMAT;
	}
	for (int i = 0; i < N_PARTS; i++)
		f->ccp[i] = tr__le32(w + lw + 4 * (3 + (size_t)i));
	f->fc_clx = tr__le32(w + blob + 33 * 8);
	f->lcb_clx = tr__le32(w + blob + 33 * 8 + 4);
	return TR_OK;
}

/* Finds the piece table (PlcPcd) in the Clx at @tbl[fc..fc+lcb). */
static tr_status
doc_pieces_read(doc_pieces *pc, const unsigned char *tbl, size_t tbl_len, const doc_fib *f, char **why)
{
	size_t p = f->fc_clx, end = f->fc_clx + f->lcb_clx;

	if (f->fc_clx > tbl_len || f->lcb_clx > tbl_len - f->fc_clx)
		goto bad;
	/* Prc entries (formatting) come first; the Pcdt (0x02) holds the pieces. */
	while (p < end && tbl[p] == 0x01) {
		if (p + 3 > end)
			goto bad;
		p += 3 + tr__le16(tbl + p + 1);
	}
	if (p + 5 > end || tbl[p] != 0x02)
		goto bad;
	{
		size_t lcb = tr__le32(tbl + p + 1);
		if (lcb > end - p - 5 || lcb < 4 || (lcb - 4) % 12 != 0 || (lcb - 4) / 12 > DOC_MAX_PIECES)
			goto bad;
		pc->n = (lcb - 4) / 12;
		pc->cp = tbl + p + 5;
		pc->pcd = pc->cp + 4 * (pc->n + 1);
	}
	return TR_OK;
bad:
	*why = tr__reason("beschädigt: Word-Zeichentabelle (piece table) ungültig");
	return TR_EFORMAT;
}

static tr_status
doc_flush(doc_ctx *c)
{
	tr_status st = c->staged ? tr__extract_add(c->out, c->stage, c->staged) : TR_OK;

	c->staged = 0;
	return st;
}

/* Appends one character of the text as its special meaning says. */
static tr_status
doc_char(doc_ctx *c, unsigned ch)
{
	unsigned prev = c->prev;
	unsigned long bit;

	c->prev = ch;
	if (ch == 0x13) {                     /* field begins: its code follows */
		if (c->depth < DOC_MAX_FIELD_DEPTH)
			c->code |= 1UL << c->depth;
		c->depth++;
		return TR_OK;
	}
	bit = c->depth && c->depth <= DOC_MAX_FIELD_DEPTH ? 1UL << (c->depth - 1) : 0;
	if (ch == 0x14) {                     /* field separator: its result follows */
		c->code &= ~bit;
		return TR_OK;
	}
	if (ch == 0x15) {                     /* field ends */
		c->code &= ~bit;
		c->depth -= c->depth > 0;
		return TR_OK;
	}
	if (c->code)                          /* inside a field's code */
		return TR_OK;
	if (ch == 0x0D || ch == 0x0B || ch == 0x0C)
		ch = '\n';
	else if (ch == 0x07)
		ch = prev == 0x07 ? '\n' : '\t';  /* a cell's end; twice: the row's end */
	else if (ch == 0x1E || ch == 0x2011)
		ch = '-';
	else if (ch == 0xA0)
		ch = ' ';
	else if ((ch < 0x20 && ch != '\t') || ch == 0x1F || ch == 0xAD)
		return TR_OK;                     /* pictures, note marks, soft hyphens */
	if (c->staged > sizeof c->stage - 4) {
		tr_status st = doc_flush(c);
		if (st != TR_OK)
			return st;
	}
	c->staged += (size_t)utf8proc_encode_char((utf8proc_int32_t)ch, (utf8proc_uint8_t *)c->stage + c->staged);
	return TR_OK;
}

/* Appends the characters at positions [from, to) to c->out. */
static tr_status
doc_range(doc_ctx *c, unsigned long from, unsigned long to)
{
	tr_status st = TR_OK;

	for (size_t i = 0; i < c->pc.n && st == TR_OK; i++) {
		unsigned long a = tr__le32(c->pc.cp + 4 * i), b = tr__le32(c->pc.cp + 4 * (i + 1));
		unsigned long fc = tr__le32(c->pc.pcd + 8 * i + 2);
		bool compressed = fc & 0x40000000UL;
		unsigned long lo = a > from ? a : from, hi = b < to ? b : to;

		fc &= 0x3FFFFFFFUL;
		if (compressed)
			fc /= 2;
		for (unsigned long cp = lo; cp < hi && st == TR_OK; cp++) {
			size_t off = fc + (compressed ? 1 : 2) * (size_t)(cp - a);

			if (off + (compressed ? 1 : 2) > c->word_len)
				break;   /* a piece beyond the stream: damaged, the rest is lost */
			st = doc_char(c, compressed ? (unsigned)tr__cp1252(c->word[off]) : tr__le16(c->word + off));
		}
	}
	if (st == TR_OK)
		st = doc_flush(c);
	return st;
}

/* Reads the text of every part but macros and comments into @out's body. */
static tr_status
doc_text(tr_extract *out, const unsigned char *w, size_t wlen, const doc_pieces *pc, const doc_fib *f)
{
	doc_ctx c = { 0 };
	unsigned long start = 0;
	tr_status st = TR_OK;

	c.word = w;
	c.word_len = wlen;
	c.pc = *pc;
	c.out = &out->body;
	for (int part = 0; part < N_PARTS && st == TR_OK; part++) {
		unsigned long n = f->ccp[part];

		if (n > 0xFFFFFFFFUL - start)
			break;
		if (part != PART_MCR && part != PART_ATN && n) {
			c.depth = 0;
			c.code = 0;
			if (part != PART_MAIN)
				st = tr__extract_break(&out->body, 2);
			if (st == TR_OK)
				st = doc_range(&c, start, start + n);
		}
		start += n;
	}
	return st;
}

tr_status
tr__extract_doc(tr_extract *out, const tr_input *in, char **why)
{
	tr__ole *ole = NULL;
	unsigned char *word = NULL, *tbl = NULL;
	char *mywhy = NULL;
	size_t wlen, tlen;
	doc_fib f;
	doc_pieces pc;
	tr_status st;

	if ((st = tr__ole_open(&ole, in->data, in->len, &mywhy)) != TR_OK)
		goto done;
	if ((st = tr__ole_read(ole, "WordDocument", (char **)&word, &wlen, &mywhy)) != TR_OK) {
		if (st == TR_ENOTFOUND) {
			mywhy = tr__reason("beschädigt: kein Word-Dokument (WordDocument fehlt)");
			st = TR_EFORMAT;
		}
		goto done;
	}
	if ((st = doc_fib_read(&f, word, wlen, &mywhy)) != TR_OK)
		goto done;
	if (f.flags & DOC_F_ENCRYPTED) {
		mywhy = tr__reason("passwortgeschützt");
		st = TR_EFORMAT;
		goto done;
	}
	st = tr__ole_read(ole, f.flags & DOC_F_TABLE1 ? "1Table" : "0Table", (char **)&tbl, &tlen, &mywhy);
	if (st == TR_ENOTFOUND) {
		mywhy = tr__reason("beschädigt: Word-Tabellenstrom fehlt");
		st = TR_EFORMAT;
	}
	if (st != TR_OK || (st = doc_pieces_read(&pc, tbl, tlen, &f, &mywhy)) != TR_OK)
		goto done;
	if ((st = tr__ole_props(out, ole)) != TR_OK)
		goto done;
	st = doc_text(out, word, wlen, &pc, &f);
	if (st == TR_ETOOBIG)
		st = TR_OK;   /* the body is full: what fits is kept */
	if (st == TR_OK)
		st = tr__extract_finish(out);
done:
	tr__reason_hand_over(st, &mywhy, why);
	free(word);
	free(tbl);
	tr__ole_free(ole);
	return st;
}
