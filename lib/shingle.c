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

/* Sketches the folded text @f: each window of TR_SHINGLE_WORDS words, joined by one space. */
static size_t
sketch_words(const char *f, size_t len, tr_sketch *out)
{
	size_t starts[TR_SHINGLE_WORDS], lens[TR_SHINGLE_WORDS];
	size_t pos = 0, start, wlen, words = 0, shingles = 0;
	char joined[TR_SHINGLE_WORDS * 64];

	while (tr_text_next_word(f, len, &pos, &start, &wlen)) {
		size_t at = words++ % TR_SHINGLE_WORDS, used = 0;
		starts[at] = start;
		lens[at] = wlen;
		if (words < TR_SHINGLE_WORDS)
			continue;
		for (size_t k = 0; k < TR_SHINGLE_WORDS; k++) {
			size_t w = (words + k) % TR_SHINGLE_WORDS;
			size_t n = lens[w] < 63 ? lens[w] : 63;   /* a longer word is known by its start */
			memcpy(joined + used, f + starts[w], n);
			used += n;
			joined[used++] = ' ';
		}
		sketch_add(out, XXH3_64bits(joined, used));
		shingles++;
	}
	return shingles;
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

bool
tr_sketch_doc(const tr_doc *doc, tr_sketch *out)
{
	tr_buf text = TR_BUF_INIT(SKETCH_TEXT_MAX + 2);
	bool ok;

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
