#include "text.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool
tr_text_is_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

size_t
tr_text_decode(const char *s, size_t len, int *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	if (len && (unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

/* Replaces every malformed byte with U+FFFD so that utf8proc accepts the rest. */
static tr_status
text_sanitize(tr_buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		tr_status st;

		if (n <= 0) {
			st = tr_buf_adds(out, "\xEF\xBF\xBD");
			i++;
		} else if (cp == 0) {
			st = TR_OK; /* NUL bytes would cut C strings short */
			i += (size_t)n;
		} else {
			st = tr_buf_add(out, s + i, (size_t)n);
			i += (size_t)n;
		}
		if (st != TR_OK)
			return st;
	}
	return TR_OK;
}

static tr_status
text_map(tr_buf *out, const char *s, size_t len, utf8proc_option_t opts)
{
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t n;
	tr_status st;
	tr_buf clean = TR_BUF_INIT((size_t)-1 / 2);

	if (!tr_text_is_utf8(s, len) || memchr(s, '\0', len)) {
		if ((st = text_sanitize(&clean, s, len)) != TR_OK)
			goto done;
		s = clean.ptr ? clean.ptr : "";
		len = clean.len;
	}
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res,
	                 opts);
	if (n < 0) {
		st = n == UTF8PROC_ERROR_NOMEM ? TR_ENOMEM : TR_EFORMAT;
		goto done;
	}
	st = tr_buf_add(out, res, (size_t)n);
done:
	free(res);
	tr_buf_free(&clean);
	return st;
}

/*
 * Whether code point @cp is one of the "Latin" characters that need no
 * normalisation when no combining mark follows: everything below the
 * combining diacritics (U+0300), and the general punctuation and currency
 * signs German text uses („“ – … €), none of which has a canonical
 * decomposition.
 */
static bool
is_latin(int cp)
{
	return (cp > 0 && cp < 0x300) || (cp >= 0x2010 && cp <= 0x205F) || (cp >= 0x20A0 && cp <= 0x20BF);
}

enum piece { PIECE_ASCII, PIECE_LATIN, PIECE_OTHER };

/* The white space that cuts text into pieces. */
static bool
is_piece_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* A byte that ends a run of plain ASCII in a piece: white space, NUL, or not ASCII. */
static bool
piece_stop(unsigned char c)
{
	return c >= 0x80 || c <= ' ';
}

/*
 * Most of the archive is ASCII or Latin text, which utf8proc would
 * decompose and compose again at a few hundred instructions a byte.  Text
 * is therefore handled in pieces cut at ASCII white space: a piece of ASCII
 * only is taken as it is (@ascii, if not NULL, transforms it), a piece of
 * Latin characters goes to @latin (copied as it is if NULL: it is in NFC),
 * any other piece to @slow.  Cutting at white space never separates a
 * letter from the combining marks that follow it, so normalisation sees
 * whole characters.
 */
static tr_status
text_by_pieces(tr_buf *out, const char *s, size_t len, tr_status (*slow)(tr_buf *, const char *, size_t),
               void (*ascii)(char *, size_t), tr_status (*latin)(tr_buf *, const char *, size_t))
{
	size_t i = 0;
	tr_status st = TR_OK;

	while (i < len && st == TR_OK) {
		size_t j = i;
		enum piece kind = PIECE_ASCII;

		for (;;) {
			unsigned char c;

			/* Plain ASCII letters, digits and punctuation: nothing to decide. */
			while (j < len && !piece_stop((unsigned char)s[j]))
				j++;
			if (j >= len || is_piece_space(s[j]))
				break;
			c = (unsigned char)s[j];
			if (c == 0) {
				kind = PIECE_OTHER;
			} else if (c >= 0x80 && kind != PIECE_OTHER) {
				utf8proc_int32_t cp;
				utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + j,
				                                      (utf8proc_ssize_t)(len - j), &cp);
				if (n <= 0 || !is_latin(cp)) {
					kind = PIECE_OTHER;
				} else {
					kind = PIECE_LATIN;
					j += (size_t)n;
					continue;
				}
			}
			j++;
		}
		while (j < len && is_piece_space(s[j]))
			j++;
		if (kind == PIECE_ASCII || (kind == PIECE_LATIN && !latin)) {
			size_t at = out->len;
			st = tr_buf_add(out, s + i, j - i);
			if (st == TR_OK && ascii && kind == PIECE_ASCII)
				ascii(out->ptr + at, j - i);
		} else if (kind == PIECE_LATIN) {
			st = latin(out, s + i, j - i);
		} else {
			st = slow(out, s + i, j - i);
		}
		i = j;
	}
	return st;
}

static tr_status
nfc_slow(tr_buf *out, const char *s, size_t len)
{
	return text_map(out, s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

tr_status
tr_text_nfc(tr_buf *out, const char *s, size_t len)
{
	return text_by_pieces(out, s, len, nfc_slow, NULL, NULL);
}

static tr_status
fold_slow(tr_buf *out, const char *s, size_t len)
{
	tr_buf tmp = TR_BUF_INIT((size_t)-1 / 2);
	tr_status st;
	size_t i = 0;

	st = text_map(&tmp, s, len,
	              UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (st != TR_OK)
		goto done;
	/* Case folding already turned ß into "ss"; spell out the umlauts. */
	while (i < tmp.len && st == TR_OK) {
		int cp;
		size_t n = tr_text_decode(tmp.ptr + i, tmp.len - i, &cp);

		switch (cp) {
		case 0xE4: st = tr_buf_adds(out, "ae"); break;
		case 0xF6: st = tr_buf_adds(out, "oe"); break;
		case 0xFC: st = tr_buf_adds(out, "ue"); break;
		default:   st = tr_buf_add(out, tmp.ptr + i, n); break;
		}
		i += n;
	}
done:
	tr_buf_free(&tmp);
	return st;
}

/*
 * The folded form of every code point below U+0300, made once by
 * fold_slow() itself.  Without combining marks no two characters compose,
 * so a Latin piece folds character by character to the same bytes.
 */
#define LATIN_TABLE 0x300
static char latin_folded[LATIN_TABLE][8];
/*
 * The code point folds on its own, a word character to word characters
 * and any other character to itself: text of such characters folds to
 * itself with each word replaced by the word's fold.
 */
static bool latin_local[LATIN_TABLE];
static pthread_once_t latin_once = PTHREAD_ONCE_INIT;

static bool
folds_alone(int cp, const char *fold)
{
	utf8proc_uint8_t own[4];
	size_t n = strlen(fold);

	if (!tr_text_is_wordchar(cp))
		return (size_t)utf8proc_encode_char(cp, own) == n && memcmp(own, fold, n) == 0;
	for (size_t i = 0; i < n; ) {
		int c;

		i += tr_text_decode(fold + i, n - i, &c);
		if (!tr_text_is_wordchar(c))
			return false;
	}
	return true;
}

static void
latin_table_init(void)
{
	for (int cp = 1; cp < LATIN_TABLE; cp++) {
		utf8proc_uint8_t ch[4];
		utf8proc_ssize_t n = utf8proc_encode_char(cp, ch);
		tr_buf b = TR_BUF_INIT(64);

		/* Out of memory leaves the entry empty: fold_latin() then goes the slow way. */
		if (fold_slow(&b, (const char *)ch, (size_t)n) == TR_OK && b.len < sizeof latin_folded[cp])
			memcpy(latin_folded[cp], b.ptr, b.len);
		latin_local[cp] = latin_folded[cp][0] && folds_alone(cp, latin_folded[cp]);
		tr_buf_free(&b);
	}
}

static tr_status
fold_latin(tr_buf *out, const char *s, size_t len)
{
	size_t i = 0, at = out->len;
	tr_status st = TR_OK;

	pthread_once(&latin_once, latin_table_init);
	while (i < len && st == TR_OK) {
		int cp;
		size_t n = tr_text_decode(s + i, len - i, &cp);

		if (cp >= LATIN_TABLE) {
			st = tr_buf_add(out, s + i, n);         /* punctuation: no case */
		} else if (cp < 0x80) {
			char c = (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
			st = tr_buf_add(out, &c, 1);
		} else if (latin_folded[cp][0]) {
			st = tr_buf_adds(out, latin_folded[cp]);
		} else {
			out->len = at;
			return fold_slow(out, s, len);
		}
		i += n;
	}
	return st;
}

static void
ascii_lower(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			p[i] = (char)(p[i] - 'A' + 'a');
}

tr_status
tr_text_fold(tr_buf *out, const char *s, size_t len)
{
	return text_by_pieces(out, s, len, fold_slow, ascii_lower, fold_latin);
}

char *
tr_text_fold_dup(const char *s)
{
	tr_buf b = TR_BUF_INIT((size_t)-1 / 2);

	if (tr_text_fold(&b, s, strlen(s)) != TR_OK) {
		tr_buf_free(&b);
		return NULL;
	}
	return tr_buf_detach(&b);
}

tr_status
tr_text_to_utf8(tr_buf *out, const char *s, size_t len, const char *charset)
{
	iconv_t cd;
	tr_buf raw = TR_BUF_INIT(out->max);
	tr_status st = TR_OK;
	char *in = (char *)s;
	size_t inleft = len;

	cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return TR_EUNSUPPORTED;
	while (inleft > 0) {
		char chunk[4096];
		char *o = chunk;
		size_t oleft = sizeof chunk;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);

		if ((st = tr_buf_add(&raw, chunk, sizeof chunk - oleft)) != TR_OK)
			goto done;
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* An invalid or truncated sequence: mark it and go on. */
			if ((st = tr_buf_adds(&raw, "\xEF\xBF\xBD")) != TR_OK)
				goto done;
			in++;
			inleft--;
		}
	}
	st = tr_text_nfc(out, raw.ptr ? raw.ptr : "", raw.len);
done:
	iconv_close(cd);
	tr_buf_free(&raw);
	return st;
}

bool
tr_text_is_wordchar(int cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
		return true;
	default:
		return false;
	}
}

bool
tr_text_is_upper(int cp)
{
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

/* Word characters among the ASCII bytes (tr_text_is_wordchar()). */
static bool
ascii_wordchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool
tr_text_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *wlen)
{
	size_t i = *pos;
	int cp;

	while (i < len) {
		size_t n;

		if ((unsigned char)s[i] < 0x80) {
			if (ascii_wordchar((unsigned char)s[i]))
				break;
			i++;
			continue;
		}
		n = tr_text_decode(s + i, len - i, &cp);
		if (tr_text_is_wordchar(cp))
			break;
		i += n;
	}
	if (i >= len) {
		*pos = len;
		return false;
	}
	*start = i;
	while (i < len) {
		size_t n;

		if ((unsigned char)s[i] < 0x80) {
			if (!ascii_wordchar((unsigned char)s[i]))
				break;
			i++;
			continue;
		}
		n = tr_text_decode(s + i, len - i, &cp);
		if (!tr_text_is_wordchar(cp))
			break;
		i += n;
	}
	*wlen = i - *start;
	*pos = i;
	return true;
}

/* The case of the word @s[0..n): a capital first, only capitals and digits. */
static void
word_case(const char *s, size_t n, bool *cap, bool *upper)
{
	size_t i = 0;
	int cp;

	*upper = true;
	i += tr_text_decode(s, n, &cp);
	*cap = cp < 0x80 ? (cp >= 'A' && cp <= 'Z') : tr_text_is_upper(cp);
	if (!*cap && !(cp >= '0' && cp <= '9'))
		*upper = false;
	while (i < n && *upper) {
		i += tr_text_decode(s + i, n - i, &cp);
		if (!(cp < 0x80 ? (cp >= 'A' && cp <= 'Z') : tr_text_is_upper(cp)) && !(cp >= '0' && cp <= '9'))
			*upper = false;
	}
}

tr_status
tr_text_words_find(tr_text_words *w, const char *s, size_t from, size_t to)
{
	size_t pos = from, st, wl;

	w->n = 0;
	w->from = from;
	w->to = to;
	w->folded = w->local = false;
	while (tr_text_next_word(s, to, &pos, &st, &wl)) {
		tr_text_word *x;

		if (w->n == w->alloc) {
			/* Sized at once, not by doubling: German prose takes about seven bytes a word, a sixth leaves room. */
			size_t a = w->alloc ? w->alloc * 2 : (to - from) / 6 + 256;
			tr_text_word *v = realloc(w->v, a * sizeof *v);

			if (!v)
				return TR_ENOMEM;
			w->v = v;
			w->alloc = a;
		}
		x = &w->v[w->n++];
		x->start = st;
		x->len = wl;
		word_case(s + st, wl, &x->cap, &x->upper);
	}
	return TR_OK;
}

size_t
tr_text_words_at(const tr_text_words *w, size_t pos)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->v[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
tr_text_word_cut(const char *s, const tr_text_word *x, size_t limit)
{
	size_t end = x->start + x->len;

	if (end <= limit)
		return x->len;
	if (x->start >= limit)
		return 0;
	/* A character cut by @limit does not decode: the word ends before it. */
	end = limit;
	while (end > x->start && ((unsigned char)s[end] & 0xC0) == 0x80)
		end--;
	return end - x->start;
}

/* Whether @s[0..len) folds character by character (tr_text_folds_locally(); the table is made). */
static bool
folds_locally(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int cp;

		/* ASCII folds byte by byte; only NUL makes tr_text_fold() take the slow way. */
		while (i < len && (unsigned char)s[i] < 0x80) {
			if (!s[i])
				return false;
			i++;
		}
		if (i == len)
			break;
		i += tr_text_decode(s + i, len - i, &cp);
		if (!(cp < LATIN_TABLE ? latin_local[cp] : is_latin(cp)))
			return false;
	}
	return true;
}

bool
tr_text_folds_locally(const char *s, size_t len)
{
	pthread_once(&latin_once, latin_table_init);
	return folds_locally(s, len);
}

/* Words up to this many bytes are folded here; a Latin character folds to at most 7 bytes. */
#define WORD_FOLD_MAX 64

/*
 * Folds the word @s[0..n) into @out (room for 4 * WORD_FOLD_MAX bytes) as
 * tr_text_fold() does, character by character; false for a longer word or
 * one with a character that does not fold on its own.
 */
static bool
fold_word_local(char *out, const char *s, size_t n, size_t *olen)
{
	size_t i = 0, o = 0;

	if (n > WORD_FOLD_MAX)
		return false;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		int cp;

		if (c < 0x80) {
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			i++;
			continue;
		}
		i += tr_text_decode(s + i, n - i, &cp);
		if (!(cp < LATIN_TABLE && latin_local[cp]))
			return false;
		for (const char *f = latin_folded[cp]; *f; f++)
			out[o++] = *f;
	}
	*olen = o;
	return true;
}

tr_status
tr_text_words_fold(tr_text_words *w, const char *s)
{
	tr_status st = TR_OK;
	size_t at = w->from;     /* where the text after the last word begins */
	bool local = true;

	pthread_once(&latin_once, latin_table_init);
	tr_buf_reset(&w->folds);
	for (size_t k = 0; k < w->n && st == TR_OK; k++) {
		tr_text_word *x = &w->v[k];
		size_t fl;

		x->fold = w->folds.len;
		local = local && folds_locally(s + at, x->start - at);
		/* A word of Latin characters is folded in place; any other, and its check, the long way. */
		if ((st = tr_buf_reserve(&w->folds, 4 * WORD_FOLD_MAX)) != TR_OK)
			break;
		if (fold_word_local(w->folds.ptr + w->folds.len, s + x->start, x->len, &fl)) {
			w->folds.len += fl;
			w->folds.ptr[w->folds.len] = '\0';
		} else {
			local = local && folds_locally(s + x->start, x->len);
			st = tr_text_fold(&w->folds, s + x->start, x->len);
		}
		x->flen = w->folds.len - x->fold;
		at = x->start + x->len;
	}
	w->folded = st == TR_OK;
	w->local = w->folded && local && folds_locally(s + at, w->to - at);
	return st;
}

tr_status
tr_text_words_fold_range(const tr_text_words *w, const char *s, size_t a, size_t b, tr_buf *out)
{
	size_t k, at = a;
	tr_status st = TR_OK;

	if (!w || !w->folded || !w->local || a < w->from || b > w->to)
		return tr_text_fold(out, s + a, b - a);
	k = tr_text_words_at(w, a);
	/* The text between words folds to itself; a word cut by @a or @b is folded as far as it goes. */
	if (k > 0 && w->v[k - 1].start + w->v[k - 1].len > a) {
		at = w->v[k - 1].start + w->v[k - 1].len < b ? w->v[k - 1].start + w->v[k - 1].len : b;
		st = tr_text_fold(out, s + a, at - a);
	}
	for (; st == TR_OK && k < w->n && w->v[k].start < b; k++) {
		const tr_text_word *x = &w->v[k];

		if ((st = tr_buf_add(out, s + at, x->start - at)) != TR_OK)
			break;
		if (x->start + x->len <= b) {
			st = tr_buf_add(out, tr_text_word_fold(w, x), x->flen);
			at = x->start + x->len;
		} else {
			st = tr_text_fold(out, s + x->start, b - x->start);
			at = b;
		}
	}
	return st == TR_OK ? tr_buf_add(out, s + at, b - at) : st;
}

const tr_text_words *
tr_text_words_cover(const tr_text_words *w, const char *s)
{
	return w && w->folded && w->local && w->from == 0 && w->to == strlen(s) ? w : NULL;
}

void
tr_text_words_free(tr_text_words *w)
{
	free(w->v);
	w->v = NULL;
	w->n = w->alloc = 0;
	tr_buf_free(&w->folds);
	w->folded = w->local = false;
}

void
tr_text_squeeze(char *s)
{
	char *r = s, *w = s;
	bool space = false;

	while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == '\f' || *r == '\v')
		r++;
	for (; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == '\f' || *r == '\v') {
			space = true;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

void
tr_text_squeeze_spaces(char *s)
{
	char *r = s, *w = s;

	while (*r == ' ')
		r++;
	for (; *r; r++) {
		if (*r == ' ' && (r[1] == ' ' || r[1] == '\0'))
			continue;
		*w++ = *r;
	}
	*w = '\0';
}

uint64_t
tr_text_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Windows-1252's 0x80..0x9F, where it differs from Latin-1 (0 = undefined); 0xA0..0xFF are U+00A0..U+00FF. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0,
};

/* Code points that move the cursor, end a line or turn the writing direction. */
static bool
is_control(int cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static tr_status
add_codepoint(tr_buf *out, int cp)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n;

	switch (cp) {
	case '\n': return tr_buf_adds(out, "\\n");
	case '\r': return tr_buf_adds(out, "\\r");
	case '\t': return tr_buf_adds(out, "\\t");
	}
	if (cp < 0x20 || cp == 0x7F)
		return tr_buf_printf(out, "\\x%02x", (unsigned)cp);
	if (is_control(cp))
		return tr_buf_printf(out, "\\u%04x", (unsigned)cp);
	n = utf8proc_encode_char(cp, u);
	return tr_buf_add(out, u, (size_t)n);
}

tr_status
tr_text_printable(tr_buf *out, const char *s, size_t len)
{
	size_t i = 0;
	tr_status st = TR_OK;

	while (i < len && st == TR_OK) {
		unsigned char c = (unsigned char)s[i];
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (c >= 0x20 && c < 0x7F) {
			size_t run = i + 1;
			while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F)
				run++;
			st = tr_buf_add(out, s + i, run - i);
			i = run;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n > 0) {
			st = add_codepoint(out, cp);
			i += (size_t)n;
			continue;
		}
		/* Not UTF-8: one byte of Windows-1252. */
		if (c >= 0xA0)
			st = add_codepoint(out, c);
		else if (c >= 0x80 && cp1252_high[c - 0x80])
			st = add_codepoint(out, cp1252_high[c - 0x80]);
		else
			st = tr_buf_printf(out, "\\x%02x", (unsigned)c);
		i++;
	}
	return st;
}

char *
tr_text_printable_dup(const char *s)
{
	tr_buf b = TR_BUF_INIT((size_t)-1 / 2);

	if (!s)
		s = "";
	if (tr_text_printable(&b, s, strlen(s)) != TR_OK) {
		tr_buf_free(&b);
		return NULL;
	}
	return tr_buf_detach(&b);
}

char *
tr_text_bytes_encode(const char *s)
{
	size_t len = strlen(s), i = 0;
	tr_buf b = TR_BUF_INIT((size_t)-1 / 2);
	tr_status st = tr_buf_add(&b, "", 0);

	while (i < len && st == TR_OK) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || s[i] == '%') {
			st = tr_buf_printf(&b, "%%%02X", (unsigned)(unsigned char)s[i]);
			n = 1;
		} else {
			st = tr_buf_add(&b, s + i, (size_t)n);
		}
		i += (size_t)n;
	}
	if (st != TR_OK) {
		tr_buf_free(&b);
		return NULL;
	}
	return tr_buf_detach(&b);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *
tr_text_bytes_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		int hi, lo;
		/* A byte 0 would cut the name short: such an escape stays as written. */
		if (*s == '%' && (hi = hex_digit(s[1])) >= 0 && (lo = hex_digit(s[2])) >= 0 && (hi || lo)) {
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return out;
}
