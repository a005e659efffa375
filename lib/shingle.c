/*
 * Shingle sketches (lib/shingle.h).  A text's words are folded as every
 * key is (tr_text_fold: case, umlauts, ß), each run of TR_SHINGLE_WORDS
 * of them hashed (XXH3), and the TR_SKETCH_SIZE smallest distinct hashes
 * kept: a bottom-k sketch, from which the Jaccard similarity of two texts'
 * shingle sets is estimated without the texts (Broder 1997; Cohen and
 * Kaplan 2007).  One hash per shingle keeps it cheap at index time.
 */
#include "shingle.h"

#include <endian.h>
#include <string.h>
#include <xxhash.h>

#include "buf.h"
#include "text.h"

/* Texts past this many bytes are sketched from their start: the versions of a text differ early too. */
#define SKETCH_TEXT_MAX (4u << 20)

/* Whether @s starts with a lower-case letter (ASCII or a UTF-8 letter of Latin-1/Latin Extended). */
static bool
lower_start(const char *s, size_t n)
{
	unsigned char c = n ? (unsigned char)s[0] : 0;

	return (c >= 'a' && c <= 'z') || c == 0xC3 || c == 0xC5;
}

/*
 * @text with each line-end hyphenation joined ("Bildungs-\nkoordinatoren":
 * a hyphen, a line break, a lower-case letter), so that the PDF's line
 * breaks do not split a word the .docx has whole.
 */
static tr_status
dehyphenate(tr_buf *out, const char *text, size_t len)
{
	tr_status st = TR_OK;
	size_t i = 0, from = 0;

	while (st == TR_OK && i < len) {
		const char *h = memchr(text + i, '-', len - i);
		if (!h)
			break;
		size_t j = (size_t)(h - text) + 1;
		bool newline = false;
		while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) {
			newline = newline || text[j] == '\n';
			j++;
		}
		if (newline && (size_t)(h - text) > from && lower_start(text + j, len - j)) {
			st = tr_buf_add(out, text + from, (size_t)(h - text) - from);
			from = j;
		}
		i = (size_t)(h - text) + 1;
	}
	if (st == TR_OK)
		st = tr_buf_add(out, text + from, len - from);
	return st;
}

/* Adds @h to the bottom-k sketch @s unless it is there or larger than all k kept. */
static void
sketch_add(tr_sketch *s, uint64_t h)
{
	size_t lo = 0, hi = s->n;

	if (s->n == TR_SKETCH_SIZE && h >= s->h[s->n - 1])
		return;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->h[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->h[lo] == h)
		return;
	if (s->n < TR_SKETCH_SIZE)
		s->n++;
	memmove(&s->h[lo + 1], &s->h[lo], (s->n - 1 - lo) * sizeof s->h[0]);
	s->h[lo] = h;
}

/* The last TR_SHINGLE_WORDS folded words (their first 63 bytes) and the sketch they go into. */
typedef struct shingler {
	char word[TR_SHINGLE_WORDS][63];
	size_t len[TR_SHINGLE_WORDS];
	size_t words, shingles;
	tr_sketch *out;
} shingler;

/* Takes the next folded word; each run of TR_SHINGLE_WORDS words is hashed into the sketch. */
static void
shingle_push(shingler *sh, const char *w, size_t n)
{
	size_t at = sh->words++ % TR_SHINGLE_WORDS, used = 0;
	char joined[TR_SHINGLE_WORDS * 64];

	sh->len[at] = n < 63 ? n : 63;   /* a longer word is known by its start */
	memcpy(sh->word[at], w, sh->len[at]);
	if (sh->words < TR_SHINGLE_WORDS)
		return;
	for (size_t k = 0; k < TR_SHINGLE_WORDS; k++) {
		size_t i = (sh->words + k) % TR_SHINGLE_WORDS;

		memcpy(joined + used, sh->word[i], sh->len[i]);
		used += sh->len[i];
		joined[used++] = ' ';
	}
	sketch_add(sh->out, XXH3_64bits(joined, used));
	sh->shingles++;
}

/* Sketches the folded text @f: each window of TR_SHINGLE_WORDS words, joined by one space. */
static size_t
sketch_words(const char *f, size_t len, tr_sketch *out)
{
	shingler sh = { .out = out };
	size_t pos = 0, start, wlen;

	while (tr_text_next_word(f, len, &pos, &start, &wlen))
		shingle_push(&sh, f + start, wlen);
	return sh.shingles;
}

bool
tr_sketch_text(const char *text, size_t len, tr_sketch *out)
{
	tr_buf joined = TR_BUF_INIT(SKETCH_TEXT_MAX + 1), folded = TR_BUF_INIT(4 * SKETCH_TEXT_MAX + 16);
	bool ok = false;

	out->n = 0;
	if (len > SKETCH_TEXT_MAX)
		len = SKETCH_TEXT_MAX;
	if (dehyphenate(&joined, text, len) != TR_OK ||
	    tr_text_fold(&folded, joined.ptr ? joined.ptr : "", joined.len) != TR_OK)
		goto done;
	ok = sketch_words(folded.ptr ? folded.ptr : "", folded.len, out) >= TR_SKETCH_MIN_SHINGLES;
done:
	if (!ok)
		out->n = 0;
	tr_buf_free(&joined);
	tr_buf_free(&folded);
	return ok;
}

/* Whether @s[0..n) is white space that dehyphenate() passes over; *nl is set when it holds a line break. */
static bool
break_space(const char *s, size_t n, bool *nl)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			*nl = true;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	}
	return true;
}

/*
 * A word found in the title or the body, as the text "title\nbody" is
 * sketched: its text, and where it ends there.
 */
typedef struct found_word {
	const char *text;
	size_t len, end;
	bool title;
} found_word;

/*
 * Whether dehyphenate() runs word @b (starting at @b_start of its text)
 * on from @a: only a hyphen and white space with a line break lie between
 * them, and @b begins in lower case.  A hyphen after anything but a word
 * character, or before anything but one, joins no words.
 */
static bool
joins(const found_word *a, const found_word *b, size_t b_start)
{
	bool nl = false;

	if (!lower_start(b->text + b_start, b->len - b_start))
		return false;
	if (a->end >= a->len || a->text[a->end] != '-')
		return false;
	if (a->title == b->title)
		return b_start > a->end && break_space(a->text + a->end + 1, b_start - a->end - 1, &nl) && nl;
	/* From the title's end into the body: the line break between them is there. */
	return break_space(a->text + a->end + 1, a->len - a->end - 1, &nl) && break_space(b->text, b_start, &nl);
}

/*
 * The sketch of "title\nbody" (title may be NULL) from their words found
 * and folded beforehand, where both fold character by character: the
 * words tr_sketch_text() would find in the folded, dehyphenated text.
 */
static size_t
sketch_found_words(const char *title, const tr_text_words *tw, const char *body, const tr_text_words *bw,
                   tr_sketch *out)
{
	shingler sh = { .out = out };
	char w[63];              /* the word being read, as far as a shingle keeps it */
	size_t wn = 0;
	found_word prev = { NULL, 0, 0, false };

	for (int in_body = !title; in_body < 2; in_body++) {
		const tr_text_words *ws = in_body ? bw : tw;
		found_word cur = { in_body ? body : title, ws->to, 0, !in_body };

		for (size_t k = 0; k < ws->n; k++) {
			const tr_text_word *x = &ws->v[k];
			size_t take = x->flen < sizeof w - wn ? x->flen : sizeof w - wn;

			if (prev.text && !joins(&prev, &cur, x->start)) {
				shingle_push(&sh, w, wn);
				wn = 0;
				take = x->flen < sizeof w ? x->flen : sizeof w;
			}
			memcpy(w + wn, tr_text_word_fold(ws, x), take);
			wn += take;
			cur.end = x->start + x->len;
			prev = cur;
		}
	}
	if (prev.text)
		shingle_push(&sh, w, wn);
	return sh.shingles;
}

/*
 * tr_sketch_doc() from the body's words found by the indexer (doc->words),
 * where they and the title fold character by character and the text is
 * not cut; false where it cannot say.
 */
static bool
sketch_doc_found(const tr_doc *doc, tr_sketch *out, bool *ok)
{
	const tr_text_words *bw = doc->body ? tr_text_words_cover(doc->words, doc->body) : NULL;
	tr_text_words tw = TR_TEXT_WORDS_INIT;
	size_t tlen = doc->title ? strlen(doc->title) : 0;
	bool can = false;

	if (!bw || (doc->title && tlen + 1 + bw->to > SKETCH_TEXT_MAX))
		return false;
	if (!doc->title || (tr_text_words_find(&tw, doc->title, 0, tlen) == TR_OK &&
	                    tr_text_words_fold(&tw, doc->title) == TR_OK && tw.local)) {
		out->n = 0;
		*ok = sketch_found_words(doc->title, &tw, doc->body, bw, out) >= TR_SKETCH_MIN_SHINGLES;
		if (!*ok)
			out->n = 0;
		can = true;
	}
	tr_text_words_free(&tw);
	return can;
}

bool
tr_sketch_doc(const tr_doc *doc, tr_sketch *out)
{
	tr_buf text = TR_BUF_INIT(SKETCH_TEXT_MAX + 2);
	bool ok;

	if (sketch_doc_found(doc, out, &ok))
		return ok;
	/* A cut body still gives a sketch: the buffer's ceiling only stops the copy. */
	if (doc->title)
		tr_buf_printf(&text, "%s\n", doc->title);
	if (doc->body)
		tr_buf_add(&text, doc->body, strlen(doc->body) < SKETCH_TEXT_MAX ? strlen(doc->body) : SKETCH_TEXT_MAX);
	ok = tr_sketch_text(text.ptr ? text.ptr : "", text.len, out);
	tr_buf_free(&text);
	return ok;
}

double
tr_sketch_similarity(const tr_sketch *a, const tr_sketch *b)
{
	size_t i = 0, j = 0, taken = 0, both = 0;
	size_t k = a->n < b->n ? a->n : b->n;

	if (!a->n || !b->n)
		return 0.0;
	/* The k smallest hashes of the union, k the smaller sketch's size: how many both texts have. */
	while (taken < k && (i < a->n || j < b->n)) {
		if (j == b->n || (i < a->n && a->h[i] < b->h[j])) {
			i++;
		} else if (i == a->n || b->h[j] < a->h[i]) {
			j++;
		} else {
			both++;
			i++;
			j++;
		}
		taken++;
	}
	return (double)both / (double)taken;
}

void
tr_sketch_encode(const tr_sketch *a, unsigned char *out)
{
	for (size_t i = 0; i < a->n; i++)
		for (int b = 0; b < 8; b++)
			out[8 * i + (size_t)b] = (unsigned char)(a->h[i] >> (56 - 8 * b));
}

bool
tr_sketch_decode(const unsigned char *in, size_t len, tr_sketch *out)
{
	out->n = 0;
	if (len % 8 || len / 8 > TR_SKETCH_SIZE)
		return false;
	for (size_t i = 0; i < len / 8; i++) {
		uint64_t h;
		/* Big-endian: a search decodes the sketches of every version candidate. */
		memcpy(&h, in + 8 * i, 8);
		h = be64toh(h);
		if (i && h <= out->h[i - 1]) {
			out->n = 0;
			return false;
		}
		out->h[out->n++] = h;
	}
	return true;
}
