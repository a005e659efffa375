/*
 * RTF: a small reader of its own (Debian has no maintained C library for
 * it).  Groups keep their state on a stack; the text of destinations that
 * hold no document text (font and colour tables, style sheets, pictures,
 * field instructions, anything marked \*) is dropped; \info gives title,
 * author, subject, keywords and the created and revised dates.  Bytes
 * (\'e4 and 8-bit characters) are read in the code page of the current
 * font's \fcharset, else the document's \ansicpg (Windows-1252 when it
 * names none); \uN gives a character directly and skips the \ucN
 * replacement characters that follow it.  \cell becomes a tab and \row
 * a line end, so that tables stay readable as text.
 */
#include "extract.h"

#include <ctype.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "zipxml.h"

#define RTF_MAX_DEPTH 256
#define RTF_MAX_FONTS 1024
#define RTF_MAX_TABLES 8
#define RTF_WORD_MAX 32

typedef enum rtf_dest {
	DEST_BODY,
	DEST_SKIP,
	DEST_FONTTBL,
	DEST_INFO,
	DEST_TITLE,
	DEST_AUTHOR,
	DEST_SUBJECT,
	DEST_KEYWORDS,
	DEST_CREATIM,
	DEST_REVTIM
} rtf_dest;

typedef struct rtf_state {
	rtf_dest dest;
	int uc;              /* replacement characters after \uN */
	int font;            /* \fN; -1 for none */
} rtf_state;

typedef struct rtf_table {
	int cp;              /* Windows code page number */
	int map[256];        /* byte → code point */
} rtf_table;

typedef struct rtf_ctx {
	const char *s;
	size_t n, i;
	rtf_state st[RTF_MAX_DEPTH];
	int depth;
	int ansicpg;
	short font_cp[RTF_MAX_FONTS];   /* font number → code page (0: the document's) */
	rtf_table tables[RTF_MAX_TABLES];
	int n_tables;
	int skip;            /* replacement characters still to skip */
	int yr, mo, dy;      /* the date being read in \creatim or \revtim */
	tr_buf field;        /* the text of an \info field */
	tr_extract *out;
	bool cell;           /* the last thing written was a cell end */
} rtf_ctx;

/* The byte → code point table of Windows code page @cp (built with iconv on first use). */
static const int *
rtf_table_for(rtf_ctx *c, int cp)
{
	char name[24];
	rtf_table *t;
	iconv_t cd;

	for (int k = 0; k < c->n_tables; k++)
		if (c->tables[k].cp == cp)
			return c->tables[k].map;
	t = &c->tables[c->n_tables < RTF_MAX_TABLES ? c->n_tables++ : RTF_MAX_TABLES - 1];
	t->cp = cp;
	snprintf(name, sizeof name, cp == 10000 ? "MACINTOSH" : "CP%d", cp);
	cd = iconv_open("UTF-32LE", name);
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-32LE", "CP1252");
	for (int b = 0; b < 256; b++) {
		char in = (char)b, out[4], *ip = &in, *op = out;
		size_t il = 1, ol = 4;

		t->map[b] = b < 0x80 ? b : 0xFFFD;
		if (b >= 0x80 && cd != (iconv_t)-1 && iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0)
			t->map[b] = (unsigned char)out[0] | (unsigned char)out[1] << 8 | (unsigned char)out[2] << 16;
		if (cd != (iconv_t)-1)
			iconv(cd, NULL, NULL, NULL, NULL);
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return t->map;
}

/* The code page \fcharset @n stands for; 0 for the document's. */
static int
rtf_charset_cp(long n)
{
	static const struct { int charset, cp; } map[] = {
		{ 77, 10000 }, { 161, 1253 }, { 162, 1254 }, { 163, 1258 }, { 177, 1255 },
		{ 178, 1256 }, { 186, 1257 }, { 204, 1251 }, { 222, 874 }, { 238, 1250 },
	};

	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
		if (map[k].charset == n)
			return map[k].cp;
	return 0;
}

static tr_buf *
rtf_target(rtf_ctx *c)
{
	switch (c->st[c->depth].dest) {
	case DEST_BODY:
		return &c->out->body;
	case DEST_TITLE:
	case DEST_AUTHOR:
	case DEST_SUBJECT:
	case DEST_KEYWORDS:
		return &c->field;
	default:
		return NULL;
	}
}

/* Appends code point @cp to the current destination. */
static tr_status
rtf_put(rtf_ctx *c, int cp)
{
	tr_buf *b = rtf_target(c);
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n;

	if (!b || cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n'))
		return TR_OK;
	c->cell = false;
	n = utf8proc_encode_char(cp, u);
	return n > 0 ? tr__extract_add(b, (const char *)u, (size_t)n) : TR_OK;
}

/* A byte of text in the current font's code page. */
static tr_status
rtf_byte(rtf_ctx *c, unsigned char b)
{
	int font = c->st[c->depth].font;
	int cp = font >= 0 && font < RTF_MAX_FONTS && c->font_cp[font] ? c->font_cp[font] : c->ansicpg;

	if (c->skip > 0) {
		c->skip--;
		return TR_OK;
	}
	return rtf_put(c, b < 0x80 ? b : rtf_table_for(c, cp)[b]);
}

/* Ends an \info field: its text goes to its property. */
static void
rtf_field_end(rtf_ctx *c, rtf_dest d)
{
	char date[16];

	if (d == DEST_CREATIM || d == DEST_REVTIM) {
		char **slot = d == DEST_CREATIM ? &c->out->date_created : &c->out->date_modified;
		snprintf(date, sizeof date, "%04d-%02d-%02d", c->yr % 10000, c->mo % 100, c->dy % 100);
		if (!*slot && c->yr)
			*slot = tr__property_date(date);
		c->yr = c->mo = c->dy = 0;
		return;
	}
	if (!c->field.len)
		return;
	if (d == DEST_TITLE)
		tr__property_set(&c->out->title, c->field.ptr);
	else if (d == DEST_AUTHOR)
		tr__property_set(&c->out->author, c->field.ptr);
	else if (d == DEST_SUBJECT)
		tr__property_set(&c->out->description, c->field.ptr);
	else if (d == DEST_KEYWORDS)
		tr__property_tags(&c->out->tags, &c->out->n_tags, c->field.ptr);
	tr_buf_reset(&c->field);
}

/* Destinations by their control word; those not listed keep their parent's. */
static bool
rtf_destination(rtf_ctx *c, const char *w)
{
	static const struct { const char *word; rtf_dest dest; } dests[] = {
		{ "fonttbl", DEST_FONTTBL }, { "colortbl", DEST_SKIP }, { "stylesheet", DEST_SKIP },
		{ "info", DEST_INFO }, { "pict", DEST_SKIP }, { "listtable", DEST_SKIP },
		{ "listoverridetable", DEST_SKIP }, { "revtbl", DEST_SKIP }, { "filetbl", DEST_SKIP },
		{ "objdata", DEST_SKIP }, { "fldinst", DEST_SKIP }, { "xe", DEST_SKIP }, { "tc", DEST_SKIP },
		{ "title", DEST_TITLE }, { "author", DEST_AUTHOR }, { "subject", DEST_SUBJECT },
		{ "keywords", DEST_KEYWORDS }, { "creatim", DEST_CREATIM }, { "revtim", DEST_REVTIM },
		{ "operator", DEST_SKIP }, { "company", DEST_SKIP }, { "doccomm", DEST_SKIP },
		{ "bkmkstart", DEST_SKIP }, { "bkmkend", DEST_SKIP }, { "datafield", DEST_SKIP },
	};
	rtf_state *s = &c->st[c->depth];

	for (size_t k = 0; k < sizeof dests / sizeof dests[0]; k++) {
		if (strcmp(w, dests[k].word) != 0)
			continue;
		/* Info fields count only inside \info; the rest of \info is no text. */
		if (dests[k].dest >= DEST_TITLE && s->dest != DEST_INFO)
			return false;
		if (s->dest != DEST_SKIP)
			s->dest = dests[k].dest;
		return true;
	}
	return false;
}

/* Characters that control words stand for. */
static int
rtf_symbol(const char *w)
{
	static const struct { const char *word; int cp; } syms[] = {
		{ "par", '\n' }, { "line", '\n' }, { "sect", '\n' }, { "page", '\n' }, { "tab", '\t' },
		{ "emdash", 0x2014 }, { "endash", 0x2013 }, { "bullet", 0x2022 }, { "lquote", 0x2018 },
		{ "rquote", 0x2019 }, { "ldblquote", 0x201C }, { "rdblquote", 0x201D }, { "emspace", ' ' },
		{ "enspace", ' ' }, { "qmspace", ' ' },
	};

	for (size_t k = 0; k < sizeof syms / sizeof syms[0]; k++)
		if (strcmp(w, syms[k].word) == 0)
			return syms[k].cp;
	return 0;
}

/* A control word @w with its parameter (@has_arg, @arg). */
static tr_status
rtf_word(rtf_ctx *c, const char *w, bool has_arg, long arg)
{
	rtf_state *s = &c->st[c->depth];
	int sym;

	if (rtf_destination(c, w))
		return TR_OK;
	if (strcmp(w, "u") == 0 && has_arg) {
		c->skip = s->uc;
		return rtf_put(c, (int)(arg < 0 ? arg + 65536 : arg));
	}
	if (strcmp(w, "uc") == 0 && has_arg && arg >= 0 && arg < 16)
		s->uc = (int)arg;
	else if (strcmp(w, "ansicpg") == 0 && has_arg && arg > 0 && arg < 100000)
		c->ansicpg = (int)arg;
	else if (strcmp(w, "f") == 0 && has_arg)
		s->font = arg >= 0 && arg < RTF_MAX_FONTS ? (int)arg : -1;
	else if (strcmp(w, "fcharset") == 0 && has_arg && s->dest == DEST_FONTTBL &&
	         s->font >= 0 && s->font < RTF_MAX_FONTS)
		c->font_cp[s->font] = (short)rtf_charset_cp(arg);
	else if (strcmp(w, "yr") == 0 && has_arg)
		c->yr = (int)(arg > 0 && arg < 10000 ? arg : 0);
	else if (strcmp(w, "mo") == 0 && has_arg)
		c->mo = (int)(arg > 0 && arg <= 12 ? arg : 0);
	else if (strcmp(w, "dy") == 0 && has_arg)
		c->dy = (int)(arg > 0 && arg <= 31 ? arg : 0);
	else if (strcmp(w, "cell") == 0 || strcmp(w, "nestcell") == 0) {
		tr_status st = rtf_put(c, '\t');
		c->cell = true;
		return st;
	} else if (strcmp(w, "row") == 0 || strcmp(w, "nestrow") == 0) {
		return rtf_put(c, '\n');
	} else if ((sym = rtf_symbol(w)))
		return rtf_put(c, sym);
	return TR_OK;
}

/* Reads a control word or symbol after the backslash at c->i. */
/* The value of a hex digit (isxdigit() checked). */
static int
hex_value(char ch)
{
	return ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10;
}

static tr_status
rtf_control(rtf_ctx *c)
{
	char w[RTF_WORD_MAX + 1];
	size_t k = 0;
	long arg = 0;
	bool has_arg = false, neg = false;
	unsigned char ch;

	if (++c->i >= c->n)
		return TR_OK;
	ch = (unsigned char)c->s[c->i];
	if (!isalpha(ch)) {
		c->i++;
		if (ch == '\'') {
			/* Two hex digits, read by hand: the input is not NUL-terminated (sscanf ran past its end). */
			if (c->i + 2 <= c->n && isxdigit((unsigned char)c->s[c->i]) &&
			    isxdigit((unsigned char)c->s[c->i + 1])) {
				unsigned v = (unsigned)(hex_value(c->s[c->i]) << 4 | hex_value(c->s[c->i + 1]));
				c->i += 2;
				return rtf_byte(c, (unsigned char)v);
			}
			return TR_OK;
		}
		if (ch == '*') {
			c->st[c->depth].dest = DEST_SKIP;
			return TR_OK;
		}
		if (ch == '~')
			return rtf_put(c, ' ');
		if (ch == '_')
			return rtf_put(c, '-');
		if (ch == '\n' || ch == '\r')
			return rtf_put(c, '\n');
		return ch == '\\' || ch == '{' || ch == '}' ? rtf_byte(c, ch) : TR_OK;
	}
	while (c->i < c->n && isalpha((unsigned char)c->s[c->i])) {
		if (k < RTF_WORD_MAX)
			w[k++] = c->s[c->i];
		c->i++;
	}
	w[k] = '\0';
	if (c->i < c->n && c->s[c->i] == '-') {
		neg = true;
		c->i++;
	}
	while (c->i < c->n && isdigit((unsigned char)c->s[c->i])) {
		if (arg < 100000000)
			arg = arg * 10 + (c->s[c->i] - '0');
		has_arg = true;
		c->i++;
	}
	if (neg)
		arg = -arg;
	if (c->i < c->n && c->s[c->i] == ' ')
		c->i++;   /* the delimiter belongs to the control word */
	if (strcmp(w, "bin") == 0 && has_arg && arg > 0) {
		c->i += (size_t)arg < c->n - c->i ? (size_t)arg : c->n - c->i;
		return TR_OK;
	}
	return rtf_word(c, w, has_arg, arg);
}

static tr_status
rtf_parse(rtf_ctx *c)
{
	tr_status st = TR_OK;

	while (c->i < c->n && st == TR_OK) {
		unsigned char ch = (unsigned char)c->s[c->i];

		if (ch == '{') {
			c->i++;
			if (c->depth + 1 < RTF_MAX_DEPTH) {
				c->st[c->depth + 1] = c->st[c->depth];
				c->depth++;
			} else {
				return TR_EFORMAT;   /* nested deeper than any writer does */
			}
		} else if (ch == '}') {
			c->i++;
			if (c->depth > 0) {
				rtf_dest d = c->st[c->depth].dest;
				if (d != c->st[c->depth - 1].dest)
					rtf_field_end(c, d);
				c->depth--;
			}
		} else if (ch == '\\') {
			st = rtf_control(c);
		} else {
			c->i++;
			if (ch != '\r' && ch != '\n')
				st = rtf_byte(c, ch);
		}
	}
	return st;
}

tr_status
tr__extract_rtf(tr_extract *out, const tr_input *in, char **why)
{
	rtf_ctx *c;
	tr_status st;

	if (in->len < 5 || memcmp(in->data, "{\\rtf", 5) != 0) {
		*why = tr__reason("beschädigt: kein RTF-Dokument");
		return TR_EFORMAT;
	}
	if (!(c = calloc(1, sizeof *c)))
		return TR_ENOMEM;
	c->s = in->data;
	c->n = in->len;
	c->ansicpg = 1252;
	c->out = out;
	c->st[0].uc = 1;
	c->st[0].font = -1;
	tr_buf_init(&c->field, out->title.max);
	st = rtf_parse(c);
	if (st == TR_EFORMAT && out->body.len == 0)
		*why = tr__reason("beschädigt: RTF zu tief verschachtelt");
	else if (st == TR_EFORMAT || st == TR_ETOOBIG)
		st = TR_OK;   /* what was read is kept */
	if (st == TR_OK)
		st = tr__extract_finish(out);
	tr_buf_free(&c->field);
	free(c);
	return st;
}
