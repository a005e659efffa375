#include "german.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

extern const unsigned char tr__german_blob[];
extern const unsigned char tr__german_blob_end[];

/* ---- the embedded table ---------------------------------------------------- */

static const struct tr__german_header *
header(void)
{
	const struct tr__german_header *h = (const struct tr__german_header *)(const void *)tr__german_blob;
	if ((size_t)(tr__german_blob_end - tr__german_blob) < sizeof *h ||
	    memcmp(h->magic, TR__GERMAN_MAGIC, sizeof h->magic) != 0)
		return NULL;
	return h;
}

bool
tr__german_available(void)
{
	return header() != NULL;
}

/* The flags of @s in the table @t of 1 << @bits entries; 0 when it is not there. */
static unsigned
table_flags(const uint64_t *t, unsigned bits, const char *s, size_t len)
{
	size_t mask = ((size_t)1 << bits) - 1;
	uint64_t key = tr__german_key(s, len);
	for (size_t i = (size_t)(key >> TR__GW_KEY_SHIFT) & mask; t[i]; i = (i + 1) & mask)
		if ((t[i] & TR__GW_KEY_MASK) == key)
			return (unsigned)(t[i] & TR__GW_FLAG_MASK);
	return 0;
}

static const uint64_t *
word_table(const struct tr__german_header *h)
{
	return (const uint64_t *)(const void *)(h + 1);
}

static const uint64_t *
stop_table(const struct tr__german_header *h)
{
	return word_table(h) + ((size_t)1 << h->table_bits);
}

unsigned
tr__german_flags(const char *s, size_t len)
{
	const struct tr__german_header *h = header();
	if (!h || !len)
		return 0;
	return table_flags(word_table(h), h->table_bits, s, len);
}

/* ---- small UTF-8 helpers ---------------------------------------------------- */

static size_t
nchars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static bool
has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static bool
has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

/* A letter of German running text: ASCII letters and any non-ASCII byte. */
static bool
letter_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool
lower_letter_before(const char *start, const char *p)
{
	if (p <= start)
		return false;
	unsigned char c = (unsigned char)p[-1];
	if (c >= 'a' && c <= 'z')
		return true;
	/* ä ö ü ß: C3 A4, C3 B6, C3 BC, C3 9F */
	return p - start >= 2 && (unsigned char)p[-2] == 0xC3 && (c == 0xA4 || c == 0xB6 || c == 0xBC || c == 0x9F);
}

/* ---- compound splitting ------------------------------------------------------- */

/*
 * Costs in tenths.  A segmentation's cost is the sum of its parts' costs;
 * among equal costs the one with more parts wins, because the parts of a
 * part are what a searcher types too ("Netzwerk" and "Werk" in
 * "Netzwerktreffen").  The values were set on the development set (see
 * docs/german.md) and are deliberately few.
 */
enum {
	COST_NONE = 1 << 20,
	COST_SHORT = 10,     /* a part of three letters or fewer */
	COST_LINK = 3,       /* a linking element the dictionary does not list */
	COST_NOUN = 6,       /* a noun as first part that hunspell does not mark as one */
	COST_ADJ = 12,       /* an adjective as first part ("grau+specht") */
	COST_VERB = 12,      /* a verb stem as first part ("spick+aal") */
	COST_NONNOUN = 10,   /* a last part that is not a noun ("wasser+dicht") */
	LIMIT_KNOWN = 5,     /* a word of the word list splits only this cheaply */
	LIMIT_UNKNOWN = 40,
	MIN_PART = 3         /* letters of the shortest part */
};

#define WORD_MAX 128

static const char *const linkers[] = { "", "s", "es", "n", "en", "er", "e", "ens", "ns" };

/* The cost of @m as a first or middle part (with its linking element). */
static int
modifier_cost(const char *m, size_t len)
{
	unsigned fm = tr__german_flags(m, len);
	int best = COST_NONE;

	if (fm & TR__GW_PARTICLE)
		return COST_NONE;
	if (fm & TR__GW_BEGIN)
		best = 0;
	for (size_t k = 0; k < sizeof linkers / sizeof linkers[0]; k++) {
		const char *l = linkers[k];
		size_t ll = strlen(l);
		if (!has_suffix(m, len, l) || nchars(m, len - ll) < MIN_PART)
			continue;
		unsigned fb = tr__german_flags(m, len - ll);
		if (fb & TR__GW_PARTICLE)
			continue;
		int lc = ll ? COST_LINK : 0, c = COST_NONE;
		if (fb & TR__GW_BEGIN)
			c = lc;
		if ((fb & TR__GW_NOUN) && ll && !(fm & TR__GW_NOUNFORM) && COST_NOUN + lc < c)
			c = COST_NOUN + lc;
		if ((fb & TR__GW_NOUN) && (!ll || (fm & TR__GW_NOUNFORM)) && COST_NOUN / 2 < c)
			c = COST_NOUN / 2;
		if (!ll && (fb & TR__GW_ADJ) && COST_ADJ < c)
			c = COST_ADJ;
		if (!ll && (fb & TR__GW_VSTEM) && COST_VERB < c)
			c = COST_VERB;
		if (c < best)
			best = c;
	}
	if (best != COST_NONE && nchars(m, len) <= 3)
		best += COST_SHORT;
	return best;
}

/* The cost of @h as the last part. */
static int
head_cost(const char *h, size_t len)
{
	size_t n = nchars(h, len);
	if (n < MIN_PART)
		return COST_NONE;
	unsigned f = tr__german_flags(h, len);
	if (f & TR__GW_BADHEAD)
		return COST_NONE;
	if (f & TR__GW_HEAD)
		return n > 3 ? 0 : COST_SHORT;
	if (f & TR__GW_WORD)
		return COST_NONNOUN;
	return COST_NONE;
}

/* The length of the part without its linking element: the lemma a searcher would type. */
static size_t
modifier_base(const char *m, size_t len)
{
	const unsigned lemma = TR__GW_NOUN | TR__GW_ADJ | TR__GW_VSTEM | TR__GW_HEAD;
	if (tr__german_flags(m, len) & lemma)
		return len;
	for (size_t k = sizeof linkers / sizeof linkers[0]; k-- > 1;) {
		size_t ll = strlen(linkers[k]);
		if (has_suffix(m, len, linkers[k]) && nchars(m, len - ll) >= MIN_PART &&
		    (tr__german_flags(m, len - ll) & (lemma | TR__GW_BEGIN)))
			return len - ll;
	}
	return len;
}

typedef struct seg {
	int cost;
	int parts;
	size_t next;         /* end of the first part */
} seg;

static bool
better(int cost, int parts, const seg *s)
{
	return cost < s->cost || (cost == s->cost && parts > s->parts);
}

/*
 * Dynamic programming over the character boundaries: best[i] is the
 * cheapest way to read w[i..] as first/middle parts plus one last part.
 */
static void
split_plain(const char *w, size_t len, tr__split *out)
{
	size_t pos[WORD_MAX + 1], np = 0;
	seg best[WORD_MAX + 1];
	bool forbidden[WORD_MAX + 1];

	out->n = 0;
	if (len > WORD_MAX || nchars(w, len) < 2 * MIN_PART)
		return;
	for (size_t i = 0; i <= len; i++)
		if (i == len || ((unsigned char)w[i] & 0xC0) != 0x80)
			pos[np++] = i;

	/* No boundary inside a word of the do-not-split list ("verbraucher"). */
	memset(forbidden, 0, sizeof forbidden);
	for (size_t a = 0; a < np; a++)
		for (size_t b = a + 5; b < np; b++)
			if (tr__german_flags(w + pos[a], pos[b] - pos[a]) & TR__GW_NOSPLIT)
				for (size_t k = a + 1; k < b; k++)
					forbidden[pos[k]] = true;

	for (size_t pi = np - 1; pi-- > 0;) {
		size_t i = pos[pi];
		seg s = { COST_NONE, 0, len };
		if (pi > 0) {
			int hc = head_cost(w + i, len - i);
			if (hc != COST_NONE)
				s = (seg){ hc, 1, len };
		}
		for (size_t pj = pi + MIN_PART; pj + MIN_PART < np; pj++) {
			size_t j = pos[pj];
			const seg *r = &best[j];
			if (r->cost == COST_NONE || forbidden[j])
				continue;
			const char *rest = w + j;
			size_t first = r->next - j;
			/* "mime+tisch", "kenia+nische": an adjective ending, not a part. */
			if ((has_prefix(rest, first, "tisch") || has_prefix(rest, first, "nisch")) &&
			    strchr("aeiouy", w[j - 1]))
				continue;
			/* A present participle ("fließ+ende") is not a compound. */
			if (has_suffix(w + i, j - i, "ende") || has_suffix(w + i, j - i, "enden"))
				continue;
			if (has_prefix(rest, first, "end") && (tr__german_flags(w + i, j - i) & TR__GW_VSTEM))
				continue;
			int mc = modifier_cost(w + i, j - i);
			if (mc == COST_NONE)
				continue;
			if (better(mc + r->cost, r->parts + 1, &s))
				s = (seg){ mc + r->cost, r->parts + 1, j };
		}
		best[i] = s;
	}

	const seg *top = &best[0];
	if (top->cost == COST_NONE || top->parts < 2 || top->parts > TR__SPLIT_MAX)
		return;
	/* "ver+brechen" read as "verb+rechen": a prefix plus a word is a derivation. */
	static const char *const inseparable[] = { "ver", "be", "ge", "er", "ent", "emp", "zer", "miss" };
	for (size_t k = 0; k < sizeof inseparable / sizeof inseparable[0]; k++) {
		size_t pl = strlen(inseparable[k]);
		size_t first = nchars(w, top->next);
		if (has_prefix(w, len, inseparable[k]) && first > pl && first <= pl + 2 &&
		    (tr__german_flags(w + pl, len - pl) & TR__GW_WORD))
			return;
	}
	bool known = tr__german_flags(w, len) & TR__GW_WORD;
	if (top->cost > (known ? LIMIT_KNOWN : LIMIT_UNKNOWN))
		return;

	for (size_t i = 0; i < len && out->n < TR__SPLIT_MAX;) {
		size_t next = best[i].next;
		tr__part *p = &out->part[out->n++];
		p->off = i;
		p->len = next - i;
		p->base = next == len ? p->len : modifier_base(w + i, p->len);
		i = next;
	}
}

/* Writes the male base of a female form ("lehrerinnen" → "lehrer", "kolleginnen" → "kollege") into @out. */
static size_t
gender_base(const char *w, size_t len, char *out, size_t cap, bool *compound)
{
	static const char *const suffixes[] = { "innen", "in" };

	*compound = false;
	for (size_t k = 0; k < 2; k++) {
		size_t sl = strlen(suffixes[k]);
		if (!has_suffix(w, len, suffixes[k]) || len - sl + 2 > cap || nchars(w, len - sl) < MIN_PART)
			continue;
		size_t bl = len - sl;
		memcpy(out, w, bl);
		if (tr__german_flags(out, bl) & TR__GW_FBASE)
			return bl;
		out[bl] = 'e';
		if (tr__german_flags(out, bl + 1) & TR__GW_FBASE)
			return bl + 1;
		/* A compound whose last part is a person noun: "bildungskoordinatorinnen". */
		tr__split s;
		split_plain(out, bl, &s);
		if (s.n >= 2) {
			const tr__part *h = &s.part[s.n - 1];
			if (tr__german_flags(out + h->off, h->len) & TR__GW_FBASE) {
				*compound = true;
				return bl;
			}
			char tmp[WORD_MAX + 2];
			if (h->len + 1 < sizeof tmp) {
				memcpy(tmp, out + h->off, h->len);
				tmp[h->len] = 'e';
				if (tr__german_flags(tmp, h->len + 1) & TR__GW_FBASE) {
					*compound = true;
					out[bl] = 'e';
					return bl + 1;
				}
			}
		}
		return 0;
	}
	return 0;
}

size_t
tr__german_gender_base(const char *w, size_t len)
{
	char buf[WORD_MAX + 2];
	bool compound;
	size_t n = gender_base(w, len, buf, sizeof buf, &compound);
	/* Only bases that are a prefix of the word can be returned as a length. */
	return n && n <= len && memcmp(buf, w, n) == 0 ? n : 0;
}

/*
 * Whether a proper suffix of @w is a base with a female form.  A split can
 * only end in one of those, and this asks the table once per letter where
 * the split asks it dozens of times (each a page fault in a fresh process).
 */
static bool
fbase_suffix(const char *w, size_t len)
{
	for (size_t i = 1; i < len; i++)
		if (((unsigned char)w[i] & 0xC0) != 0x80 && (tr__german_flags(w + i, len - i) & TR__GW_FBASE))
			return true;
	return false;
}

bool
tr__german_has_female(const char *w, size_t len)
{
	if (tr__german_flags(w, len) & TR__GW_FBASE)
		return true;
	if (!fbase_suffix(w, len))
		return false;
	tr__split s;
	split_plain(w, len, &s);
	return s.n >= 2 && (tr__german_flags(w + s.part[s.n - 1].off, s.part[s.n - 1].len) & TR__GW_FBASE);
}

/*
 * Splitting costs about 6 µs a word and words repeat across documents, so
 * each thread remembers the splits of the words it has seen (cleared when
 * the table fills).  Per thread: the server's threads split query words.
 */
#define SPLIT_CACHE_CAP (1u << 15)

typedef struct split_entry {
	char *word;               /* NULL: free slot */
	size_t len;
	tr__split split;
} split_entry;

static _Thread_local split_entry *split_cache;
static _Thread_local size_t split_cache_used;
static pthread_key_t split_cache_key;
static pthread_once_t split_cache_once = PTHREAD_ONCE_INIT;

/* Frees a thread's memo when the thread ends (the server's threads come and go). */
static void
split_cache_free(void *p)
{
	split_entry *c = p;

	for (size_t i = 0; c && i < SPLIT_CACHE_CAP; i++)
		free(c[i].word);
	free(c);
}

static void
split_cache_key_make(void)
{
	pthread_key_create(&split_cache_key, split_cache_free);
}

static void split_compute(const char *w, size_t len, tr__split *out);
static void split_known(const char *w, size_t len, tr__split *out);

void
tr__german_split(const char *w, size_t len, tr__split *out)
{
	size_t i;

	if (!split_cache) {
		if (!(split_cache = calloc(SPLIT_CACHE_CAP, sizeof *split_cache))) {
			split_compute(w, len, out);
			return;
		}
		pthread_once(&split_cache_once, split_cache_key_make);
		pthread_setspecific(split_cache_key, split_cache);
	}
	if (split_cache_used * 10 >= SPLIT_CACHE_CAP * 7) {
		for (i = 0; i < SPLIT_CACHE_CAP; i++)
			free(split_cache[i].word);
		memset(split_cache, 0, SPLIT_CACHE_CAP * sizeof *split_cache);
		split_cache_used = 0;
	}
	for (i = tr_text_hash(w, len) & (SPLIT_CACHE_CAP - 1); split_cache[i].word; i = (i + 1) & (SPLIT_CACHE_CAP - 1)) {
		if (split_cache[i].len == len && memcmp(split_cache[i].word, w, len) == 0) {
			*out = split_cache[i].split;
			return;
		}
	}
	split_compute(w, len, out);
	/* Out of memory only costs the memo, never the split. */
	if ((split_cache[i].word = malloc(len ? len : 1))) {
		memcpy(split_cache[i].word, w, len);
		split_cache[i].len = len;
		split_cache[i].split = *out;
		split_cache_used++;
	}
}

static void split_spelled_out(const char *w, size_t len, tr__split *out);

static void
split_compute(const char *w, size_t len, tr__split *out)
{
	split_known(w, len, out);
	if (!out->n)
		split_spelled_out(w, len, out);
}

/*
 * The umlaut spelling of @w in @v (same length: "ä" is two bytes like
 * "ae"): ae/oe/ue as tr__german_variants() reads them, not in "quelle",
 * "neue", "blaue".  False if there is none to replace or @w already has
 * umlauts (then it is spelled as it is meant).
 */
static bool
umlaut_spelling(const char *w, size_t len, char *v)
{
	bool changed = false;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)w[i] == 0xC3)
			return false;
	memcpy(v, w, len);
	v[len] = '\0';
	for (size_t i = 0; i + 1 < len; i++) {
		char c = w[i];

		if (w[i + 1] != 'e' || (c != 'a' && c != 'o' && c != 'u') ||
		    (i > 0 && (w[i - 1] == 'q' || w[i - 1] == 'e' || w[i - 1] == 'a')))
			continue;
		v[i] = '\xC3';
		v[i + 1] = c == 'a' ? '\xA4' : c == 'o' ? '\xB6' : '\xBC';
		changed = true;
		i++;
	}
	return changed;
}

/*
 * "schueleraustausch" splits like "schüleraustausch": the parts keep their
 * places, since both spellings have the same length.
 */
static void
split_spelled_out(const char *w, size_t len, tr__split *out)
{
	char v[WORD_MAX + 1];

	out->n = 0;
	if (len > WORD_MAX || !umlaut_spelling(w, len, v))
		return;
	split_known(v, len, out);
}

static void
split_known(const char *w, size_t len, tr__split *out)
{
	char base[WORD_MAX + 2];
	bool compound;

	out->n = 0;
	if (!len || len > WORD_MAX || (tr__german_flags(w, len) & TR__GW_NOSPLIT))
		return;
	/*
	 * A female form is split like its base, so that "lehrerinnen" is not
	 * "lehre+rinnen" and "sprachlehrerinnen" is "sprach+lehrerinnen".
	 */
	size_t bl = gender_base(w, len, base, sizeof base, &compound);
	if (bl && !compound)
		return;
	if (bl && compound && bl <= len && memcmp(base, w, bl) == 0) {
		split_plain(w, bl, out);
		if (out->n)
			out->part[out->n - 1].len = out->part[out->n - 1].base = len - out->part[out->n - 1].off;
		return;
	}
	split_plain(w, len, out);
}

size_t
tr__german_compound_terms(const char *w, size_t len, tr__part_fn fn, void *ctx)
{
	tr__split s;
	char buf[WORD_MAX + 2];
	bool compound;

	tr__german_split(w, len, &s);
	if (s.n < 2)
		return s.n;
	for (size_t a = 0; a < s.n; a++) {
		for (size_t b = a + 1; b <= s.n; b++) {
			const tr__part *last = &s.part[b - 1];
			if (a == 0 && b == s.n)
				continue;                       /* the word itself */
			if (b == s.n) {
				fn(w + s.part[a].off, len - s.part[a].off, true, ctx);
				/* The male base of a female last part: "koordinatorinnen" also gives "koordinator". */
				size_t gl = gender_base(w + last->off, last->len, buf, sizeof buf, &compound);
				if (gl && !compound) {
					char run[2 * WORD_MAX + 4];
					size_t pre = last->off - s.part[a].off;
					if (pre + gl < sizeof run) {
						memcpy(run, w + s.part[a].off, pre);
						memcpy(run + pre, buf, gl);
						fn(run, pre + gl, true, ctx);
					}
				}
				continue;
			}
			size_t n = last->off + last->base - s.part[a].off;
			/*
			 * Runs inside the compound count only if they are words
			 * ("netzwerk"), also without their final e ("hauptschul",
			 * which stems like "Hauptschule"); a leading run also if it
			 * could stand alone as a compound, its last part being a noun
			 * ("eltern+abend" in "elternabendplanung", which no word
			 * list knows).
			 */
			bool word = b - a == 1 || (tr__german_flags(w + s.part[a].off, n) & TR__GW_WORD) ||
			            (a == 0 && (tr__german_flags(w + last->off, last->base) & TR__GW_HEAD));
			if (!word && n + 1 < sizeof buf) {
				memcpy(buf, w + s.part[a].off, n);
				buf[n] = 'e';
				word = tr__german_flags(buf, n + 1) & TR__GW_WORD;
			}
			if (word)
				fn(w + s.part[a].off, n, false, ctx);
		}
	}
	return s.n;
}

/* ---- the inflected forms of a word, by way of its last part --------------------- */

/* Noun endings, shortest first: a form minus one of them may be its lemma. */
static const char *const noun_endings[] = { "n", "e", "s", "en", "es", "er", "ern" };

/*
 * The last part of @w: the splitter's, or for a word no list knows
 * ("alphabetisierungskurse") its longest ending that is a noun form of the
 * word list, at least four letters after at least three.  The offset of
 * the part, or @len if there is none.
 */
static size_t
last_part(const char *w, size_t len)
{
	tr__split s;
	unsigned f;

	tr__german_split(w, len, &s);
	if (s.n >= 2)
		return s.part[s.n - 1].off;
	f = tr__german_flags(w, len);
	if (f & TR__GW_HEAD)
		return 0;
	if (f || len > WORD_MAX)
		return len;                              /* a word, but no noun */
	for (size_t off = 3; off + 4 <= len; off++) {
		if (!letter_byte((unsigned char)w[off]) || ((unsigned char)w[off] & 0xC0) == 0x80)
			continue;
		if (nchars(w, off) < MIN_PART || nchars(w + off, len - off) < 4)
			continue;
		f = tr__german_flags(w + off, len - off);
		if ((f & TR__GW_HEAD) && !(f & (TR__GW_BADHEAD | TR__GW_PARTICLE)))
			return off;
	}
	return len;
}

/* The length of the lemma of the noun form @p[0..n) ("kurse" → "kurs"), 0 if none is found. */
static size_t
noun_lemma(const char *p, size_t n)
{
	const unsigned lemma = TR__GW_NOUN | TR__GW_WORD;

	if ((tr__german_flags(p, n) & lemma) == lemma)
		return n;
	for (size_t k = 0; k < sizeof noun_endings / sizeof noun_endings[0]; k++) {
		size_t el = strlen(noun_endings[k]);

		if (n > el + 2 && has_suffix(p, n, noun_endings[k]) &&
		    (tr__german_flags(p, n - el) & lemma) == lemma)
			return n - el;
	}
	return 0;
}

size_t
tr__german_word_forms(const char *w, size_t len, tr__word_fn fn, void *ctx)
{
	char buf[WORD_MAX + 8];
	size_t off, ll, n = 0;

	if (len == 0 || len > WORD_MAX || tr__german_gender_base(w, len))
		return 0;                                /* female forms have XG terms */
	off = last_part(w, len);
	if (off >= len || !(ll = noun_lemma(w + off, len - off)))
		return 0;
	memcpy(buf, w, off + ll);
	for (size_t k = 0; k <= sizeof noun_endings / sizeof noun_endings[0]; k++) {
		const char *e = k ? noun_endings[k - 1] : "";
		size_t el = strlen(e), fl = off + ll + el;

		memcpy(buf + off + ll, e, el);
		if (fl == len && memcmp(buf, w, len) == 0)
			continue;
		if (!(tr__german_flags(buf + off, ll + el) & TR__GW_HEAD))
			continue;
		fn(buf, fl, ctx);
		n++;
	}
	return n;
}

/* ---- gender forms in running text and queries ---------------------------------- */

/* Matches "in" or "innen" at @p followed by a non-letter; returns its length or 0. */
static size_t
female_ending(const char *p, bool capital)
{
	const char *in = capital ? "In" : "in";
	if (strncmp(p, in, 2) != 0)
		return 0;
	size_t n = strncmp(p + 2, "nen", 3) == 0 ? 5 : 2;
	return letter_byte((unsigned char)p[n]) ? 0 : n;
}

/* The start of the word that ends at @p. */
static const char *
word_start(const char *text, const char *p)
{
	while (p > text && letter_byte((unsigned char)p[-1]))
		p--;
	return p;
}

void
tr__german_scan_gender(const char *text, tr__word_fn fn, void *ctx)
{
	/* Only the marks and a capital I can start a form: skip to them (strcspn is fast on long texts). */
	for (const char *p = text; *(p += strcspn(p, "*:_/I")); p++) {
		const char *end = NULL;
		if (strchr("*:_/", *p) && p > text && letter_byte((unsigned char)p[-1])) {
			const char *q = p + 1;
			if (*q == '-')
				q++;
			if (female_ending(q, false))
				end = p;
		} else if (*p == 'I' && lower_letter_before(text, p) && female_ending(p, true)) {
			end = p;
		}
		if (end) {
			const char *start = word_start(text, end);
			if (nchars(start, (size_t)(end - start)) >= MIN_PART)
				fn(start, (size_t)(end - start), ctx);
		}
	}
}

char *
tr__german_normalise_query(const char *text)
{
	tr_buf b = TR_BUF_INIT(1 << 20);
	tr_status st = TR_OK;
	const char *p = text;

	while (*p && st == TR_OK) {
		size_t n;
		if (strchr("*:_/", *p) && p > text && letter_byte((unsigned char)p[-1])) {
			const char *q = p + 1 + (p[1] == '-');
			if ((n = female_ending(q, false))) {
				st = tr_buf_add(&b, q, n);
				p = q + n;
				continue;
			}
		} else if (*p == 'I' && lower_letter_before(text, p) && (n = female_ending(p, true))) {
			st = tr_buf_add(&b, n == 5 ? "innen" : "in", n);
			p += n;
			continue;
		}
		st = tr_buf_addc(&b, *p++);
	}
	if (st == TR_OK && !b.ptr)
		st = tr_buf_add(&b, "", 0);
	if (st != TR_OK) {
		tr_buf_free(&b);
		return NULL;
	}
	return tr_buf_detach(&b);
}

/* ---- hyphenated compounds ---------------------------------------------------------- */

static bool
is_conjunction(const char *s, size_t n)
{
	static const char *const words[] = { "und", "oder", "sowie", "bzw", "bzw.", "&" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
			return true;
	return false;
}

static void
lower_copy(char *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	/* Ä Ö Ü as C3 84/96/9C → C3 A4/B6/BC */
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)out[i] == 0xC3 && ((unsigned char)out[i + 1] == 0x84 ||
		    (unsigned char)out[i + 1] == 0x96 || (unsigned char)out[i + 1] == 0x9C))
			out[i + 1] = (char)((unsigned char)out[i + 1] + 0x20);
}

void
tr__german_scan_hyphenated(const char *text, tr__word_fn fn, void *ctx)
{
	const char *p = text;
	const char *pending[4];
	size_t pending_len[4], n_pending = 0;
	bool after_conj = false;

	while (*p) {
		if (!n_pending) {
			/* Only a token with a hyphen can start anything: skip to the next one. */
			const char *h = strchr(p, '-');
			if (!h)
				return;
			while (h > p && letter_byte((unsigned char)h[-1]))
				h--;
			p = h;
		}
		if (!letter_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		/* A token: letters and inner hyphens. */
		const char *start = p;
		size_t segments = 1;
		while (letter_byte((unsigned char)*p) || (*p == '-' && letter_byte((unsigned char)p[1]))) {
			if (*p == '-')
				segments++;
			p++;
		}
		size_t tlen = (size_t)(p - start);
		/* "Ausländer- und": a hyphen before a space or comma, not "COVID-19". */
		bool elided = *p == '-' && (p[1] == ' ' || p[1] == ',' || p[1] == '\t' || p[1] == '\n');

		if (segments > 1 && tlen < WORD_MAX) {
			char joined[WORD_MAX];
			size_t n = 0;
			for (const char *c = start; c < p; c++)
				if (*c != '-')
					joined[n++] = *c;
			fn(joined, n, ctx);
		}
		if (elided && segments == 1 && n_pending < 4) {
			pending[n_pending] = start;
			pending_len[n_pending++] = tlen;
			after_conj = false;
			p++;
			continue;
		}
		if (is_conjunction(start, tlen) && n_pending) {
			after_conj = true;
			continue;
		}
		if (after_conj && n_pending && tlen < WORD_MAX) {
			/* The last part of the full word completes each elided one. */
			char low[WORD_MAX];
			const char *last = start;
			for (const char *c = start; c < p; c++)
				if (*c == '-')
					last = c + 1;
			size_t ll = (size_t)(p - last);
			lower_copy(low, last, ll);
			tr__split s;
			tr__german_split(low, ll, &s);
			if (s.n >= 2) {
				const tr__part *h = &s.part[s.n - 1];
				for (size_t k = 0; k < n_pending; k++) {
					char full[2 * WORD_MAX];
					if (pending_len[k] + h->len >= sizeof full)
						continue;
					memcpy(full, pending[k], pending_len[k]);
					memcpy(full + pending_len[k], last + h->off, h->len);
					fn(full, pending_len[k] + h->len, ctx);
				}
			}
		}
		n_pending = 0;
		after_conj = false;
	}
}

/* ---- spelling variants ------------------------------------------------------------ */

static char *
replace_all(const char *w, bool fold, bool umlauts, bool sharp)
{
	size_t len = strlen(w);
	char *out = malloc(2 * len + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = w; *p;) {
		if (fold && (unsigned char)p[0] == 0xC3) {
			const char *rep = NULL;
			switch ((unsigned char)p[1]) {
			case 0xA4: rep = "ae"; break;
			case 0xB6: rep = "oe"; break;
			case 0xBC: rep = "ue"; break;
			case 0x9F: rep = "ss"; break;
			}
			if (rep) {
				memcpy(o, rep, 2);
				o += 2;
				p += 2;
				continue;
			}
		}
		/* ae/oe/ue stand for umlauts, but not in "quelle", "neue", "blaue". */
		if (umlauts && p[1] == 'e' && (p[0] == 'a' || p[0] == 'o' || p[0] == 'u') &&
		    !(p > w && (p[-1] == 'q' || p[-1] == 'e' || p[-1] == 'a'))) {
			const char *rep = p[0] == 'a' ? "\xC3\xA4" : p[0] == 'o' ? "\xC3\xB6" : "\xC3\xBC";
			memcpy(o, rep, 2);
			o += 2;
			p += 2;
			continue;
		}
		if (sharp && p[0] == 's' && p[1] == 's') {
			memcpy(o, "\xC3\x9F", 2);
			o += 2;
			p += 2;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

size_t
tr__german_variants(const char *w, char **out)
{
	static const bool modes[][3] = {
		{ true, false, false },   /* Schüler → schueler, Meißen → meissen */
		{ false, true, false },   /* Schueler → schüler */
		{ false, false, true },   /* Meissen → meißen */
		{ false, true, true },    /* Strasse, Groesse → straße, größe */
	};
	size_t n = 0;

	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		char *v = replace_all(w, modes[m][0], modes[m][1], modes[m][2]);
		bool dup = !v || strcmp(v, w) == 0;
		for (size_t k = 0; !dup && k < n; k++)
			dup = strcmp(out[k], v) == 0;
		if (dup) {
			free(v);
			continue;
		}
		out[n++] = v;
	}
	return n;
}

/* ---- stopwords and thesaurus --------------------------------------------------------- */

/* From the small stopword table: the big one would cost a page fault per word in a fresh process. */
bool
tr__german_is_stopword(const char *w, size_t len)
{
	const struct tr__german_header *h = header();
	if (!h || !len)
		return false;
	return (table_flags(stop_table(h), h->stop_bits, w, len) & TR__GW_STOP) != 0;
}

static tr__thes_group *thes_groups;
static size_t thes_n;
static pthread_once_t thes_once = PTHREAD_ONCE_INIT;

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Parses "WEIGHT<TAB>term | term | ..." lines; the strings live as long as the process. */
static void
thes_parse(void)
{
	const struct tr__german_header *h = header();
	if (!h || !h->thesaurus_len)
		return;
	const char *src = (const char *)(const void *)(stop_table(h) + ((size_t)1 << h->stop_bits));
	char *text = strndup(src, h->thesaurus_len);
	if (!text)
		return;
	size_t cap = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *end;
		double weight = strtod(line, &end);
		if (end == line || weight <= 0)
			continue;
		if (thes_n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			tr__thes_group *g = realloc(thes_groups, nc * sizeof *g);
			if (!g)
				return;
			thes_groups = g;
			cap = nc;
		}
		tr__thes_group *g = &thes_groups[thes_n];
		g->weight = weight;
		g->n = 0;
		g->terms = NULL;
		for (char *t = tab + 1, *bar; t; t = bar) {
			bar = strchr(t, '|');
			if (bar)
				*bar++ = '\0';
			t = trim(t);
			if (!*t)
				continue;
			const char **nt = realloc((void *)g->terms, (g->n + 1) * sizeof *nt);
			if (!nt)
				return;
			g->terms = nt;
			g->terms[g->n++] = t;
		}
		if (g->n >= 2)
			thes_n++;
		else
			free((void *)g->terms);
	}
	/* text stays allocated: the groups point into it. */
}

const tr__thes_group *
tr__german_thesaurus(size_t *n)
{
	pthread_once(&thes_once, thes_parse);
	*n = thes_n;
	return thes_groups;
}
