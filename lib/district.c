/*
 * The district registry: the 13 districts of Saxony and every name that
 * points to one of them.
 *
 * All names live in one trie of folded words (tr_text_fold: "Meißen",
 * "MEISSEN" and "Meissen" are one word).  An edge is a (parent node, word)
 * pair in one open-addressing hash table, so the 13 districts, the 419
 * municipalities and the few thousand generated forms load in a few
 * milliseconds and a lookup costs one hash probe per word.  Scanning a text
 * walks the trie from every word and keeps the longest match, which is what
 * makes "Landkreis Leipzig" beat "Leipzig" and "Oelsnitz/Vogtl." beat the
 * ambiguous "Oelsnitz".
 *
 * Each node carries two answers: the district for tr_districts_resolve()
 * (every name, code and key) and the one for running text (no one-letter
 * codes, no official keys).  Names from districts.tsv outrank names from the
 * gazetteer; two districts at the same rank make the node ambiguous, and an
 * ambiguous match still consumes its words but counts for nobody.
 */
#include "tellerrand/district.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "district_blob.h"
#include "scan_words.h"
#include "text.h"

#define D_NONE  (-1)
#define D_AMBIG (-2)

/* Folded words longer than this are no place name (the longest is 18 bytes). */
#define WORD_MAX 48
/* Longest run of words a match in running text may span. */
#define SCAN_WORDS 8
/* Words of a name given to tr_districts_resolve(). */
#define RESOLVE_WORDS 16
/* Data files are small; anything bigger is not ours. */
#define FILE_MAX (16u << 20)

enum { LEVEL_GAZETTEER = 1, LEVEL_TABLE = 2, LEVEL_NONPLACE = 3 };

/* What the text word must look like for an edge to match in running text. */
enum { CASE_ANY = 0, CASE_CAP = 1, CASE_UPPER = 2 };

/* Edge flags: endings the word may carry and punctuation that may follow it. */
enum {
	E_GEN = 1 << 0,   /* genitive -s/-es ("Mittelsachsens"); ends the match */
	E_DEM = 1 << 1,   /* -er/-ern/-ers ("Zwickauer", "den Freibergern"); ends the match */
	E_ADJ = 1 << 2,   /* adjective ending ("mittelsächsischen", "Sächsischen Schweiz") */
	E_DOT = 1 << 3    /* an abbreviation: a '.' may follow inside the name ("St. Egidien") */
};

typedef struct node {
	int32_t resolve_d;    /* for tr_districts_resolve(): index, D_NONE or D_AMBIG */
	int32_t scan_d;       /* for running text */
	uint8_t resolve_level, scan_level;
	bool needs_cue;       /* stop-listed: counts only after "in", "aus", "Gemeinde", ... */
} node;

typedef struct edge {
	uint32_t parent;
	uint32_t child;       /* 0 marks an empty slot: the root is nobody's child */
	uint32_t word;        /* offset of the folded word in the pool */
	uint16_t wlen;
	uint8_t caseq;
	uint8_t flags;
} edge;

typedef struct district {
	char *key, *name, *short_name, *kind, *kreisschluessel, *seat;
	bool city;
} district;

struct tr_districts {
	district *d;
	size_t n;

	node *nodes;
	size_t n_nodes, cap_nodes;

	edge *edges;          /* hash table; cap_edges is a power of two */
	size_t n_edges, cap_edges;

	char *pool;           /* folded words, not NUL-terminated */
	size_t pool_len, pool_cap;

	/* The trie and the district names lie in the embedded blob (lib/district_blob.h). */
	bool compiled;
};

/*
 * Words in front of a name that make it the Landkreis ("Landkreis Leipzig",
 * "Landratsamt Zwickau") or the city ("Stadt Leipzig").  Forms with them are
 * generated from every name of a district at load time, so no table lists
 * them by hand; tr_districts_resolve() also strips them from user input.
 */
static const char *const landkreis_markers[] = {
	"Landkreis", "Landkreises", "Landkreise", "Landkreisen", "Kreis", "Kreises",
	"LK", "Lkr", "Landratsamt", "Landratsamtes", "Landratsamts", "LRA",
	"Kreisverwaltung", "Kreistag", "Kreistages", "Kreistags",
	"Landrat", "Landrats", "Landrätin", NULL
};
static const char *const city_markers[] = {
	"Stadt", "Landeshauptstadt", "Stadtverwaltung", NULL
};
/* Words a municipality's official name may begin with ("Stadt Wehlen"). */
static const char *const name_prefixes[] = {
	"stadt", "gemeinde", NULL
};
/* Further words stripped from the front of user input ("Große Kreisstadt Freiberg"). */
static const char *const strip_words[] = {
	"gemeinde", "grosse", "kreisstadt", "kreisfreie", "kurort", NULL
};

/* A person's title before a surname that happens to be a place ("Frau Meißner"). */
static const char *const honorifics[] = {
	"herr", "herrn", "frau", "fr", "hr", "dr", "prof", "familie", NULL
};
/* A street named after a place is an address, not a mention ("Leipziger Straße" in Dresden). */
static const char *const street_words[] = {
	"strasse", "str", "weg", "platz", "allee", "ring", "chaussee", "gasse",
	"damm", "landstrasse", "ufer", "promenade", NULL
};
/* Words that make a stop-listed name a place ("in Schleife", "Gemeinde Bergen"). */
static const char *const place_cues[] = {
	"in", "aus", "nach", "gemeinde", "stadt", "ortsteil", NULL
};

/*
 * Regional qualifiers of municipality names.  A name written with one form
 * ("Oelsnitz/Vogtl.", "Reichenbach im Vogtland") is also entered with the
 * others, since documents spell them every which way.
 */
static const char *const qualifiers[][6] = {
	{ "Erzgeb.", "Erzgebirge", "im Erzgebirge", "i. Erzgeb.", NULL },
	{ "Vogtl.", "Vogtland", "im Vogtland", "i. V.", "i. Vogtl.", NULL },
	{ "O.L.", "OL", "Oberlausitz", "in der Oberlausitz", "i. d. OL", NULL },
	{ "Sa.", "Sachsen", "in Sachsen", "i. Sa.", NULL },
	{ "Sächs. Schw.", "Sächsische Schweiz", "in der Sächsischen Schweiz", NULL },
};
/* Words that open a qualifier ("im Vogtland", "a. d. Spree", "b. Kirchberg"). */
static const char *const qualifier_words[] = {
	"im", "in", "am", "an", "a", "b", "bei", "i", "auf", NULL
};

#define STOPLIST_NAME "place-stopwords.txt"
#define NONPLACES_NAME "place-nonplaces.txt"

static bool
in_list(const char *const *list, const char *w, size_t wlen)
{
	for (; *list; list++)
		if (strlen(*list) == wlen && memcmp(*list, w, wlen) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------------
 * Words
 */

typedef enum sep { SEP_JOIN, SEP_DOT, SEP_BREAK } sep;

typedef struct word {
	size_t start, len;    /* byte range in the text */
	size_t flen;          /* 0: too long to be a name */
	char fold[WORD_MAX];
	bool cap;             /* begins with a capital */
	bool upper;           /* has no lower-case letter */
	sep before;           /* what separates it from the previous word */
} word;

/* Folds one word; sets *flen to 0 for words too long to be a place name. */
static tr_status
fold_word(const char *s, size_t len, char *out, size_t *flen)
{
	tr_buf b = TR_BUF_INIT(4 * WORD_MAX);
	tr_status st;
	size_t i;

	*flen = 0;
	for (i = 0; i < len && !((unsigned char)s[i] & 0x80); i++)
		;
	if (i == len) {
		/* Plain ASCII, the common case, needs no trip through utf8proc. */
		if (len >= WORD_MAX)
			return TR_OK;
		for (i = 0; i < len; i++)
			out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		*flen = len;
		return TR_OK;
	}
	if (len >= 4 * WORD_MAX)
		return TR_OK;
	st = tr_text_fold(&b, s, len);
	if (st == TR_ETOOBIG)
		st = TR_OK;
	else if (st == TR_OK && b.len < WORD_MAX) {
		memcpy(out, b.ptr, b.len);
		*flen = b.len;
	}
	tr_buf_free(&b);
	return st;
}

static tr_status
word_init(word *w, const char *s, size_t start, size_t len)
{
	size_t i = start;
	int cp;

	w->start = start;
	w->len = len;
	w->upper = true;
	i += tr_text_decode(s + i, start + len - i, &cp);
	w->cap = tr_text_is_upper(cp);
	if (!w->cap && !(cp >= '0' && cp <= '9'))
		w->upper = false;
	while (i < start + len && w->upper) {
		i += tr_text_decode(s + i, start + len - i, &cp);
		if (!tr_text_is_upper(cp) && !(cp >= '0' && cp <= '9'))
			w->upper = false;
	}
	w->before = SEP_BREAK;
	return fold_word(s + start, len, w->fold, &w->flen);
}

/*
 * Classifies what lies between two words.  A name may span spaces, one line
 * break, hyphens, slashes and brackets ("Oelsnitz (Vogtl.)"), and a '.'
 * only after an abbreviation; anything else (commas, a full stop, a blank
 * line, a page break) ends it, so "in Leipzig. Land und Leute" is no
 * "Leipzig-Land".
 */
static sep
classify_sep(const char *s, size_t len)
{
	size_t i = 0;
	int newlines = 0;
	bool dot = false;

	if (len > 24)
		return SEP_BREAK;
	while (i < len) {
		int cp;
		i += tr_text_decode(s + i, len - i, &cp);
		switch (cp) {
		case ' ': case '\t': case '\r': case 0xA0: case 0x202F: case 0x2009:
		case '-': case 0x2010: case 0x2011: case '/': case '(': case ')':
		case '\'': case 0x2019:
			break;
		case '\n':
			if (++newlines > 1)
				return SEP_BREAK;
			break;
		case '.':
			dot = true;
			break;
		default:
			return SEP_BREAK;
		}
	}
	return dot ? SEP_DOT : SEP_JOIN;
}

/* ------------------------------------------------------------------------
 * The trie
 */

static uint32_t
edge_hash(uint32_t parent, const char *w, size_t wlen)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < wlen; i++) {
		h ^= (unsigned char)w[i];
		h *= 16777619u;
	}
	h ^= parent * 0x9E3779B1u;
	h ^= h >> 15;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	return h;
}

static const edge *
edge_find(const tr_districts *reg, uint32_t parent, const char *w, size_t wlen)
{
	size_t mask, i;

	if (reg->cap_edges == 0 || wlen == 0)
		return NULL;
	mask = reg->cap_edges - 1;
	for (i = edge_hash(parent, w, wlen) & mask; reg->edges[i].child; i = (i + 1) & mask) {
		const edge *e = &reg->edges[i];
		if (e->parent == parent && e->wlen == wlen &&
		    memcmp(reg->pool + e->word, w, wlen) == 0)
			return e;
	}
	return NULL;
}

static tr_status
edges_grow(tr_districts *reg)
{
	size_t cap = reg->cap_edges ? reg->cap_edges * 2 : 1024;
	edge *t = calloc(cap, sizeof *t);

	if (!t)
		return TR_ENOMEM;
	for (size_t i = 0; i < reg->cap_edges; i++) {
		const edge *e = &reg->edges[i];
		size_t j;
		if (!e->child)
			continue;
		j = edge_hash(e->parent, reg->pool + e->word, e->wlen) & (cap - 1);
		while (t[j].child)
			j = (j + 1) & (cap - 1);
		t[j] = *e;
	}
	free(reg->edges);
	reg->edges = t;
	reg->cap_edges = cap;
	return TR_OK;
}

static tr_status
node_new(tr_districts *reg, uint32_t *out)
{
	if (reg->n_nodes == reg->cap_nodes) {
		size_t cap = reg->cap_nodes ? reg->cap_nodes * 2 : 1024;
		node *t = realloc(reg->nodes, cap * sizeof *t);
		if (!t)
			return TR_ENOMEM;
		reg->nodes = t;
		reg->cap_nodes = cap;
	}
	reg->nodes[reg->n_nodes] = (node){ D_NONE, D_NONE, 0, 0, false };
	*out = (uint32_t)reg->n_nodes++;
	return TR_OK;
}

/* Finds or adds the edge for @w below @parent; the case rule is the most lenient asked for. */
static tr_status
edge_add(tr_districts *reg, uint32_t parent, const char *w, size_t wlen,
         uint8_t caseq, uint8_t flags, uint32_t *child)
{
	edge *e = (edge *)edge_find(reg, parent, w, wlen);
	size_t mask, i;
	tr_status st;

	if (e) {
		if (caseq < e->caseq)
			e->caseq = caseq;
		e->flags |= flags;
		*child = e->child;
		return TR_OK;
	}
	if ((reg->n_edges + 1) * 10 > reg->cap_edges * 7 && (st = edges_grow(reg)) != TR_OK)
		return st;
	if (reg->pool_len + wlen > reg->pool_cap) {
		size_t cap = reg->pool_cap ? reg->pool_cap * 2 : 16384;
		char *t;
		while (cap < reg->pool_len + wlen)
			cap *= 2;
		if (!(t = realloc(reg->pool, cap)))
			return TR_ENOMEM;
		reg->pool = t;
		reg->pool_cap = cap;
	}
	if ((st = node_new(reg, child)) != TR_OK)
		return st;
	memcpy(reg->pool + reg->pool_len, w, wlen);
	mask = reg->cap_edges - 1;
	for (i = edge_hash(parent, w, wlen) & mask; reg->edges[i].child; i = (i + 1) & mask)
		;
	reg->edges[i] = (edge){ parent, *child, (uint32_t)reg->pool_len, (uint16_t)wlen, caseq, flags };
	reg->pool_len += wlen;
	reg->n_edges++;
	return TR_OK;
}

/* A higher level overrides, an equal level with another district makes the name ambiguous. */
static void
merge(int32_t *cur, uint8_t *level, int d, int lvl)
{
	if (*cur == D_NONE || lvl > *level) {
		*cur = d;
		*level = (uint8_t)lvl;
	} else if (lvl == *level && *cur != d) {
		*cur = D_AMBIG;
	}
}

typedef struct entry {
	int district;
	int level;
	bool scan;      /* counts in running text, not only in user filters */
	bool code;      /* all capitals, matched case-sensitively in text */
	uint8_t last;   /* endings the last word may take (E_GEN, E_DEM) */
} entry;

/*
 * Enters one name.  How it is written sets the case rule per word (a
 * capitalised word must be capitalised in the text, so the adjective
 * "treuen" is not the town Treuen), a '*' after a word allows adjective
 * endings and a '.' marks an abbreviation.
 */
static tr_status
add_name(tr_districts *reg, const char *s, size_t len, const entry *en)
{
	size_t pos = 0, start, wlen, nstart, nwlen;
	uint32_t at = 0;
	bool have, any = false;
	tr_status st;

	have = tr_text_next_word(s, len, &pos, &start, &wlen);
	while (have) {
		char f[WORD_MAX];
		size_t flen, after = start + wlen;
		uint8_t caseq = CASE_ANY, flags = 0;
		int cp;
		size_t next_pos = pos;
		bool last = !tr_text_next_word(s, len, &next_pos, &nstart, &nwlen);

		if ((st = fold_word(s + start, wlen, f, &flen)) != TR_OK)
			return st;
		if (flen == 0)
			return TR_OK;  /* cannot occur in text either */
		tr_text_decode(s + start, wlen, &cp);
		if (tr_text_is_upper(cp))
			caseq = en->code ? CASE_UPPER : CASE_CAP;
		if (after < len && s[after] == '*')
			flags |= E_ADJ;
		else if (last)
			flags |= en->last;
		if (after < len && s[after] == '.')
			flags |= E_DOT;
		if ((st = edge_add(reg, at, f, flen, caseq, flags, &at)) != TR_OK)
			return st;
		any = true;
		pos = next_pos;
		start = nstart;
		wlen = nwlen;
		have = !last;
	}
	if (!any)
		return TR_OK;
	merge(&reg->nodes[at].resolve_d, &reg->nodes[at].resolve_level, en->district, en->level);
	if (en->scan)
		merge(&reg->nodes[at].scan_d, &reg->nodes[at].scan_level, en->district, en->level);
	return TR_OK;
}

/* ------------------------------------------------------------------------
 * Matching
 */

typedef enum mode {
	MODE_SCAN,      /* running text: case and separators matter */
	MODE_RESOLVE,   /* user input: every name and code */
	MODE_NAME       /* folder names: like text, but any case */
} mode;

typedef struct match {
	size_t nwords;
	uint32_t node;
} match;

static bool
terminal(const node *n, mode m)
{
	switch (m) {
	case MODE_SCAN:    return n->scan_d != D_NONE;
	case MODE_RESOLVE: return n->resolve_d != D_NONE;
	case MODE_NAME:    return n->scan_d != D_NONE && !n->needs_cue;
	}
	return false;
}

static bool
case_ok(const edge *e, const word *w, mode m)
{
	if (m != MODE_SCAN)
		return true;
	switch (e->caseq) {
	case CASE_CAP:   return w->cap;
	case CASE_UPPER: return w->upper;
	default:         return true;
	}
}

static const struct {
	const char *s;
	size_t n;
	uint8_t flag;
} endings[] = {
	{ "s", 1, E_GEN }, { "es", 2, E_GEN },
	{ "er", 2, E_DEM }, { "ern", 3, E_DEM }, { "ers", 3, E_DEM },
	{ "e", 1, E_ADJ }, { "en", 2, E_ADJ }, { "er", 2, E_ADJ }, { "es", 2, E_ADJ },
	{ "em", 2, E_ADJ },
};

/*
 * Walks the trie from node @at with words w[k..nw), remembering the longest
 * run that ends on a name.  Every way a word can match is tried: as it is,
 * and without an ending its edge allows.  A genitive or "-er" ending closes
 * the name; an adjective ending may go on ("Sächsischen Schweiz").
 */
static void
walk(const tr_districts *reg, const word *w, size_t nw, size_t k, uint32_t at,
     uint8_t via, mode m, match *best)
{
	const word *cur;

	if (k >= nw)
		return;
	cur = &w[k];
	if (cur->flen == 0)
		return;
	if (k > 0 && m == MODE_SCAN) {
		if (cur->before == SEP_BREAK)
			return;
		if (cur->before == SEP_DOT && !(via & E_DOT))
			return;
	}
	{
		const edge *e = edge_find(reg, at, cur->fold, cur->flen);
		if (e && case_ok(e, cur, m)) {
			if (terminal(&reg->nodes[e->child], m) && k + 1 > best->nwords)
				*best = (match){ k + 1, e->child };
			walk(reg, w, nw, k + 1, e->child, e->flags, m, best);
		}
	}
	for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
		size_t stem = cur->flen - endings[i].n;
		const edge *e;

		if (cur->flen < endings[i].n + 3 ||
		    memcmp(cur->fold + stem, endings[i].s, endings[i].n) != 0)
			continue;
		e = edge_find(reg, at, cur->fold, stem);
		if (!e || !(e->flags & endings[i].flag) || !case_ok(e, cur, m))
			continue;
		if (terminal(&reg->nodes[e->child], m) && k + 1 > best->nwords)
			*best = (match){ k + 1, e->child };
		if (endings[i].flag == E_ADJ)
			walk(reg, w, nw, k + 1, e->child, e->flags, m, best);
	}
}

/* Splits @s into at most @max folded words; *n is their number, or (size_t)-1 when there are more. */
static tr_status
split_words(const char *s, size_t len, word *w, size_t max, size_t *n)
{
	size_t pos = 0, start, wlen;
	tr_status st;

	*n = 0;
	while (tr_text_next_word(s, len, &pos, &start, &wlen)) {
		if (*n == max) {
			*n = (size_t)-1;
			return TR_OK;
		}
		if ((st = word_init(&w[*n], s, start, wlen)) != TR_OK)
			return st;
		(*n)++;
	}
	return TR_OK;
}

static bool
is_marker(const word *w)
{
	for (int k = 0; k < 2; k++) {
		const char *const *list = k ? city_markers : landkreis_markers;
		for (; *list; list++) {
			char f[WORD_MAX];
			size_t flen;
			if (fold_word(*list, strlen(*list), f, &flen) == TR_OK &&
			    flen == w->flen && memcmp(f, w->fold, flen) == 0)
				return true;
		}
	}
	return in_list(strip_words, w->fold, w->flen);
}

/* Looks @name up as a whole; *d is the district, D_AMBIG or D_NONE. */
static tr_status
lookup(const tr_districts *reg, const char *name, size_t len, mode m, int *d)
{
	word w[RESOLVE_WORDS];
	size_t n, first = 0;
	tr_status st;

	*d = D_NONE;
	if ((st = split_words(name, len, w, RESOLVE_WORDS, &n)) != TR_OK)
		return st;
	if (n == (size_t)-1)
		return TR_OK;
	/* "Stadt Freiberg", "Landkreis Grimma": the marker adds nothing to the place. */
	while (first < n) {
		match best = { 0, 0 };
		walk(reg, w + first, n - first, 0, 0, 0, m, &best);
		if (best.nwords == n - first) {
			const node *nd = &reg->nodes[best.node];
			*d = m == MODE_RESOLVE ? nd->resolve_d : nd->scan_d;
			return TR_OK;
		}
		if (!is_marker(&w[first]))
			break;
		first++;
	}
	return TR_OK;
}

static tr_status
resolve_mode(const tr_districts *reg, const char *name, size_t *out, mode m)
{
	const char *comma;
	size_t len;
	int d;
	tr_status st;

	if (!reg || !name || !out)
		return TR_EINVAL;
	if (m == MODE_RESOLVE) {
		char key[64];
		size_t i, j = 0;
		/* Keys are lower-case ASCII; accept them in any case and with blanks around. */
		for (i = 0; name[i] && j + 1 < sizeof key; i++) {
			if (name[i] == ' ' || name[i] == '\t')
				continue;
			key[j++] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
		}
		key[j] = '\0';
		if (!name[i] && (*out = tr_districts_find_key(reg, key)) != (size_t)-1)
			return TR_OK;
	}
	len = strlen(name);
	if ((st = lookup(reg, name, len, m, &d)) != TR_OK)
		return st;
	/* "Annaberg-Buchholz, Stadt", as the register writes names. */
	if (d == D_NONE && (comma = strchr(name, ',')) != NULL &&
	    (st = lookup(reg, name, (size_t)(comma - name), m, &d)) != TR_OK)
		return st;
	if (d == D_AMBIG)
		return TR_EINVAL;
	if (d < 0)
		return TR_ENOTFOUND;
	*out = (size_t)d;
	return TR_OK;
}

tr_status
tr_districts_resolve(const tr_districts *reg, const char *name, size_t *out)
{
	return resolve_mode(reg, name, out, MODE_RESOLVE);
}

tr_status
tr_districts_resolve_name(const tr_districts *reg, const char *name, size_t *out)
{
	return resolve_mode(reg, name, out, MODE_NAME);
}

static bool
word_in(const word *w, const char *const *list)
{
	return in_list(list, w->fold, w->flen);
}

/*
 * Streets are named with the "-er" form ("Leipziger Straße"); "in Dresden
 * Platz finden" is no address.
 */
static bool
ends_er(const word *w)
{
	return w->flen > 2 && memcmp(w->fold + w->flen - 2, "er", 2) == 0;
}

/*
 * The text is read through a window of SCAN_WORDS words; the word before the
 * window is kept for the checks that look back ("Frau Meißner", "in Bergen").
 */
/* Word @k of @words as tr_text_next_word() finds it in @text[0..len); false past the end. */
static bool
next_text_word(const char *text, size_t len, const tr_text_words *words, size_t *k, word *w, tr_status *st)
{
	const tr_text_word *x;
	size_t wlen;

	if (*k >= words->n || !(wlen = tr_text_word_cut(text, &words->v[*k], len)))
		return false;
	x = &words->v[(*k)++];
	if (wlen != x->len) {
		*st = word_init(w, text, x->start, wlen);     /* cut by @len: its case may differ */
		return true;
	}
	w->start = x->start;
	w->len = x->len;
	w->cap = x->cap;
	w->upper = x->upper;
	w->before = SEP_BREAK;
	if (!words->folded) {
		*st = fold_word(text + x->start, x->len, w->fold, &w->flen);
		return true;
	}
	/* The fold found once for every reader, with fold_word()'s bounds on what can be a name. */
	w->flen = x->len < 4 * WORD_MAX && x->flen < WORD_MAX ? x->flen : 0;
	if (w->flen)
		memcpy(w->fold, tr_text_word_fold(words, x), w->flen);
	*st = TR_OK;
	return true;
}

tr_status
tr_districts_each(const tr_districts *reg, const char *text, size_t len,
                  tr_districts_mention_fn fn, void *ctx)
{
	tr_text_words words = TR_TEXT_WORDS_INIT;
	tr_status st;

	if (!reg || (!text && len) || !fn)
		return TR_EINVAL;
	if ((st = tr_text_words_find(&words, text, 0, len)) == TR_OK)
		st = tr_districts_each_words(reg, text, len, &words, fn, ctx);
	tr_text_words_free(&words);
	return st;
}

tr_status
tr_districts_each_words(const tr_districts *reg, const char *text, size_t len, const tr_text_words *words,
                        tr_districts_mention_fn fn, void *ctx)
{
	/* One word more than a match may span, for the look at the word after it. */
	word win[SCAN_WORDS + 1];
	word prev;
	size_t nw = 0, k = tr_text_words_at(words, 0), last_end = 0;
	bool more = true, have_prev = false, have_last = false;
	tr_status st = TR_OK;

	if (!reg || (!text && len) || !fn)
		return TR_EINVAL;
	memset(&prev, 0, sizeof prev);
	for (;;) {
		match best = { 0, 0 };
		size_t used;

		while (more && nw < SCAN_WORDS + 1) {
			size_t start, wlen;

			if (!next_text_word(text, len, words, &k, &win[nw], &st)) {
				more = false;
				break;
			}
			if (st != TR_OK)
				return st;
			start = win[nw].start;
			wlen = win[nw].len;
			if (have_last)
				win[nw].before = classify_sep(text + last_end, start - last_end);
			last_end = start + wlen;
			have_last = true;
			nw++;
		}
		if (nw == 0)
			break;
		walk(reg, win, nw < SCAN_WORDS ? nw : SCAN_WORDS, 0, 0, 0, MODE_SCAN, &best);
		used = best.nwords ? best.nwords : 1;
		if (best.nwords) {
			const node *nd = &reg->nodes[best.node];
			bool count = nd->scan_d >= 0;
			bool prev_near = have_prev && win[0].before != SEP_BREAK;

			if (count && prev_near && word_in(&prev, honorifics))
				count = false;
			if (count && used < nw && win[used].before != SEP_BREAK &&
			    ends_er(&win[used - 1]) && word_in(&win[used], street_words))
				count = false;
			if (count && nd->needs_cue && !(prev_near && word_in(&prev, place_cues)))
				count = false;
			if (count)
				fn((size_t)nd->scan_d, win[0].start,
				   win[used - 1].start + win[used - 1].len - win[0].start, ctx);
		}
		prev = win[used - 1];
		have_prev = true;
		memmove(win, win + used, (nw - used) * sizeof *win);
		nw -= used;
	}
	return TR_OK;
}

typedef struct scan_ctx {
	double weight;
	double *scores;
} scan_ctx;

static void
scan_add(size_t i, size_t start, size_t len, void *ctx)
{
	scan_ctx *c = ctx;

	(void)start;
	(void)len;
	c->scores[i] += c->weight;
}

tr_status
tr_districts_scan(const tr_districts *reg, const char *text, size_t len,
                  double weight, double *scores)
{
	scan_ctx c = { weight, scores };

	if (!scores)
		return TR_EINVAL;
	return tr_districts_each(reg, text, len, scan_add, &c);
}

/* ------------------------------------------------------------------------
 * Accessors
 */

size_t
tr_districts_count(const tr_districts *reg)
{
	return reg ? reg->n : 0;
}

const char *
tr_districts_key(const tr_districts *reg, size_t i)
{
	return reg && i < reg->n ? reg->d[i].key : NULL;
}

const char *
tr_districts_name(const tr_districts *reg, size_t i)
{
	return reg && i < reg->n ? reg->d[i].name : NULL;
}

const char *
tr_districts_short_name(const tr_districts *reg, size_t i)
{
	return reg && i < reg->n ? reg->d[i].short_name : NULL;
}

size_t
tr_districts_find_key(const tr_districts *reg, const char *key)
{
	if (!reg || !key)
		return (size_t)-1;
	for (size_t i = 0; i < reg->n; i++)
		if (strcmp(reg->d[i].key, key) == 0)
			return i;
	return (size_t)-1;
}

void
tr_districts_free(tr_districts *reg)
{
	if (!reg)
		return;
	if (reg->compiled) {
		free(reg->d);
		free(reg);
		return;
	}
	for (size_t i = 0; i < reg->n; i++) {
		free(reg->d[i].key);
		free(reg->d[i].name);
		free(reg->d[i].short_name);
		free(reg->d[i].kind);
		free(reg->d[i].kreisschluessel);
		free(reg->d[i].seat);
	}
	free(reg->d);
	free(reg->nodes);
	free(reg->edges);
	free(reg->pool);
	free(reg);
}

/* ------------------------------------------------------------------------
 * Loading
 */

typedef struct field {
	const char *p;
	size_t n;
} field;

#define MAX_COLS 16

/* One data file, read whole and handed out line by line. */
typedef struct tsv {
	const char *path;
	char *data;
	size_t len, pos;
	size_t line;         /* number of the line last returned */
	char **errmsg;
} tsv;

static tr_status
fail(char **errmsg, tr_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tr_status
fail(char **errmsg, tr_status st, const char *fmt, ...)
{
	tr_buf b = TR_BUF_INIT(1024);
	va_list ap;

	if (!errmsg)
		return st;
	va_start(ap, fmt);
	tr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	*errmsg = tr_buf_detach(&b);
	return st;
}

static tr_status
tsv_open(tsv *t, const char *path, char **errmsg, bool *missing)
{
	FILE *f;
	tr_buf b = TR_BUF_INIT(FILE_MAX);
	char chunk[8192];
	size_t got;
	tr_status st = TR_OK;

	memset(t, 0, sizeof *t);
	t->path = path;
	t->errmsg = errmsg;
	if (!(f = fopen(path, "rb"))) {
		if (missing && errno == ENOENT) {
			*missing = true;
			return TR_OK;
		}
		return fail(errmsg, TR_EIO, "%s: %s", path, strerror(errno));
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((st = tr_buf_add(&b, chunk, got)) != TR_OK)
			break;
	if (st == TR_OK && ferror(f))
		st = fail(errmsg, TR_EIO, "%s: read error", path);
	else if (st == TR_ETOOBIG)
		st = fail(errmsg, TR_ETOOBIG, "%s: larger than %u bytes", path, FILE_MAX);
	else if (st != TR_OK)
		st = fail(errmsg, st, "%s: %s", path, tr_strerror(st));
	fclose(f);
	if (st != TR_OK) {
		tr_buf_free(&b);
		return st;
	}
	if (!tr_text_is_utf8(b.ptr ? b.ptr : "", b.len)) {
		tr_buf_free(&b);
		return fail(errmsg, TR_EFORMAT, "%s: not UTF-8", path);
	}
	t->len = b.len;
	if (!(t->data = tr_buf_detach(&b)))
		return fail(errmsg, TR_ENOMEM, "%s: out of memory", path);
	return TR_OK;
}

/*
 * Returns the next line that is neither empty nor a '#' comment, split at
 * tabs into f[0..*n); the line is NUL-terminated in place.
 */
static bool
tsv_next(tsv *t, field *f, size_t *n)
{
	while (t->pos < t->len) {
		char *s = t->data + t->pos;
		char *nl = memchr(s, '\n', t->len - t->pos);
		size_t l = nl ? (size_t)(nl - s) : t->len - t->pos;

		t->pos += l + (nl ? 1 : 0);
		t->line++;
		if (l > 0 && s[l - 1] == '\r')
			l--;
		s[l] = '\0';
		if (l == 0 || s[0] == '#')
			continue;
		*n = 0;
		for (char *p = s;;) {
			char *tab = strchr(p, '\t');
			size_t fl = tab ? (size_t)(tab - p) : strlen(p);
			if (*n < MAX_COLS)
				f[(*n)++] = (field){ p, fl };
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		return true;
	}
	return false;
}

/* Finds the columns named in @names in the header line; -1 for absent ones. */
static tr_status
tsv_header(tsv *t, const char *const *names, int *col, size_t ncol, size_t nrequired)
{
	field f[MAX_COLS];
	size_t n;

	if (!tsv_next(t, f, &n))
		return fail(t->errmsg, TR_EFORMAT, "%s: no header line", t->path);
	for (size_t i = 0; i < ncol; i++) {
		col[i] = -1;
		for (size_t j = 0; j < n; j++)
			if (strlen(names[i]) == f[j].n && memcmp(names[i], f[j].p, f[j].n) == 0)
				col[i] = (int)j;
		if (col[i] < 0 && i < nrequired)
			return fail(t->errmsg, TR_EFORMAT, "%s:%zu: no column \"%s\"",
			            t->path, t->line, names[i]);
	}
	return TR_OK;
}

static field
col_of(const field *f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? f[col] : (field){ "", 0 };
}

static char *
field_dup(field f)
{
	char *s = malloc(f.n + 1);

	if (s) {
		memcpy(s, f.p, f.n);
		s[f.n] = '\0';
	}
	return s;
}

static bool
all_digits(field f, size_t n)
{
	if (f.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (f.p[i] < '0' || f.p[i] > '9')
			return false;
	return true;
}

/* Calls @fn for each trimmed, non-empty item of a ';'-separated list. */
static tr_status
each_item(tr_districts *reg, field f, const entry *en,
          tr_status (*fn)(tr_districts *, const char *, size_t, const entry *))
{
	size_t i = 0;

	while (i < f.n) {
		size_t j = i, a, b;
		tr_status st;
		while (j < f.n && f.p[j] != ';')
			j++;
		for (a = i; a < j && f.p[a] == ' '; a++)
			;
		for (b = j; b > a && f.p[b - 1] == ' '; b--)
			;
		if (b > a && (st = fn(reg, f.p + a, b - a, en)) != TR_OK)
			return st;
		i = j + 1;
	}
	return TR_OK;
}

/*
 * Strips leading marker words ("Landkreis", "LK", "Stadt") from a name;
 * returns the offset of the bare name within @s, or @len when only markers
 * remain.
 */
static size_t
bare_offset(const char *s, size_t len)
{
	size_t pos = 0, start, wlen;

	while (tr_text_next_word(s, len, &pos, &start, &wlen)) {
		word w;
		if (word_init(&w, s, start, wlen) != TR_OK || !is_marker(&w))
			return start;
	}
	return len;
}

/*
 * Enters a district name and, for every Landkreis or city marker, the name
 * after it ("Leipzig" → "Landkreis Leipzig", "Landratsamtes Leipzig", "LK
 * Leipzig"), so that the marker decides between the city and the Landkreis
 * for every district alike.
 */
static tr_status
add_district_name(tr_districts *reg, const char *s, size_t len, const entry *en)
{
	const district *d = &reg->d[en->district];
	const char *const *m;
	size_t off;
	tr_status st;
	tr_buf b = TR_BUF_INIT(1024);
	entry gen = *en;

	if ((st = add_name(reg, s, len, en)) != TR_OK)
		return st;
	/* Adjectives ("mittelsächsisch*") take no marker. */
	if (memchr(s, '*', len))
		return TR_OK;
	{
		int cp;
		tr_text_decode(s, len, &cp);
		if (!tr_text_is_upper(cp))
			return TR_OK;
	}
	off = bare_offset(s, len);
	if (off >= len)
		return TR_OK;
	gen.last = E_GEN;
	for (m = d->city ? city_markers : landkreis_markers; *m; m++) {
		tr_buf_reset(&b);
		if ((st = tr_buf_printf(&b, "%s %.*s", *m, (int)(len - off), s + off)) != TR_OK ||
		    (st = add_name(reg, b.ptr, b.len, &gen)) != TR_OK)
			break;
	}
	tr_buf_free(&b);
	return st;
}

static tr_status
add_filter_code(tr_districts *reg, const char *s, size_t len, const entry *en)
{
	entry e = *en;

	e.scan = false;
	e.last = 0;
	return add_name(reg, s, len, &e);
}

static tr_status
add_text_code(tr_districts *reg, const char *s, size_t len, const entry *en)
{
	entry e = *en;

	e.code = true;
	e.last = 0;
	return add_name(reg, s, len, &e);
}

static tr_status
parse_districts(tr_districts *reg, const char *path, char **errmsg)
{
	static const char *const names[] = {
		"key", "name", "short_name", "kind", "kreisschluessel", "seat",
		"variants", "codes_text", "codes_filter", "former_districts"
	};
	enum { C_KEY, C_NAME, C_SHORT, C_KIND, C_KS, C_SEAT, C_VAR, C_CTEXT, C_CFILTER, C_FORMER, C_N };
	int col[C_N];
	field f[MAX_COLS];
	size_t n, cap = 0;
	tsv t;
	tr_status st;

	if ((st = tsv_open(&t, path, errmsg, NULL)) != TR_OK)
		return st;
	if ((st = tsv_header(&t, names, col, C_N, C_SEAT + 1)) != TR_OK)
		goto done;
	while (tsv_next(&t, f, &n)) {
		field key = col_of(f, n, col[C_KEY]), kind = col_of(f, n, col[C_KIND]);
		field ks = col_of(f, n, col[C_KS]);
		district *d;

		if (key.n == 0 || col_of(f, n, col[C_NAME]).n == 0 ||
		    col_of(f, n, col[C_SHORT]).n == 0 || col_of(f, n, col[C_SEAT]).n == 0) {
			st = fail(errmsg, TR_EFORMAT, "%s:%zu: key, name, short_name and seat must not be empty",
			          path, t.line);
			goto done;
		}
		if (!all_digits(ks, 5)) {
			st = fail(errmsg, TR_EFORMAT, "%s:%zu: kreisschluessel \"%.*s\" is not 5 digits",
			          path, t.line, (int)ks.n, ks.p);
			goto done;
		}
		if (!(kind.n == 9 && memcmp(kind.p, "landkreis", 9) == 0) &&
		    !(kind.n == 16 && memcmp(kind.p, "kreisfreie-stadt", 16) == 0)) {
			st = fail(errmsg, TR_EFORMAT,
			          "%s:%zu: kind \"%.*s\" is neither \"landkreis\" nor \"kreisfreie-stadt\"",
			          path, t.line, (int)kind.n, kind.p);
			goto done;
		}
		for (size_t i = 0; i < reg->n; i++) {
			if (strlen(reg->d[i].key) == key.n && memcmp(reg->d[i].key, key.p, key.n) == 0) {
				st = fail(errmsg, TR_EFORMAT, "%s:%zu: duplicate key \"%.*s\"",
				          path, t.line, (int)key.n, key.p);
				goto done;
			}
			if (memcmp(reg->d[i].kreisschluessel, ks.p, 5) == 0) {
				st = fail(errmsg, TR_EFORMAT, "%s:%zu: duplicate kreisschluessel %.*s",
				          path, t.line, (int)ks.n, ks.p);
				goto done;
			}
		}
		if (reg->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			district *nd = realloc(reg->d, ncap * sizeof *nd);
			if (!nd) {
				st = fail(errmsg, TR_ENOMEM, "%s: out of memory", path);
				goto done;
			}
			reg->d = nd;
			cap = ncap;
		}
		d = &reg->d[reg->n];
		memset(d, 0, sizeof *d);
		reg->n++;
		d->key = field_dup(key);
		d->name = field_dup(col_of(f, n, col[C_NAME]));
		d->short_name = field_dup(col_of(f, n, col[C_SHORT]));
		d->kind = field_dup(kind);
		d->kreisschluessel = field_dup(ks);
		d->seat = field_dup(col_of(f, n, col[C_SEAT]));
		d->city = kind.n == 16;
		if (!d->key || !d->name || !d->short_name || !d->kind || !d->kreisschluessel || !d->seat) {
			st = fail(errmsg, TR_ENOMEM, "%s: out of memory", path);
			goto done;
		}
		{
			entry en = { (int)(reg->n - 1), LEVEL_TABLE, true, false, E_GEN | E_DEM };
			entry seat = en;
			seat.last = E_GEN;
			if ((st = add_district_name(reg, d->name, strlen(d->name), &en)) != TR_OK ||
			    (st = add_district_name(reg, d->short_name, strlen(d->short_name), &en)) != TR_OK ||
			    (st = each_item(reg, col_of(f, n, col[C_VAR]), &en, add_district_name)) != TR_OK ||
			    (st = each_item(reg, col_of(f, n, col[C_FORMER]), &en, add_district_name)) != TR_OK ||
			    (st = each_item(reg, col_of(f, n, col[C_CTEXT]), &en, add_text_code)) != TR_OK ||
			    (st = each_item(reg, col_of(f, n, col[C_CFILTER]), &en, add_filter_code)) != TR_OK ||
			    (st = add_filter_code(reg, ks.p, ks.n, &en)) != TR_OK)
				goto nomem;
			/*
			 * The seat itself comes from the gazetteer; here it only lends
			 * its name to the marker forms ("Landratsamt Borna").
			 */
			if (!d->city) {
				tr_buf b = TR_BUF_INIT(1024);
				for (const char *const *m = landkreis_markers; *m && st == TR_OK; m++) {
					tr_buf_reset(&b);
					if ((st = tr_buf_printf(&b, "%s %s", *m, d->seat)) == TR_OK)
						st = add_name(reg, b.ptr, b.len, &seat);
				}
				tr_buf_free(&b);
				if (st != TR_OK)
					goto nomem;
			}
		}
	}
	if (reg->n == 0)
		st = fail(errmsg, TR_EFORMAT, "%s: no districts", path);
	goto done;
nomem:
	st = fail(errmsg, st, "%s:%zu: %s", path, t.line, tr_strerror(st));
done:
	free(t.data);
	return st;
}

/*
 * Enters a municipality name with the other spellings of its regional
 * qualifier ("Oelsnitz/Vogtl." also as "Oelsnitz im Vogtland" and "Oelsnitz
 * i. V."), its bare form ("Oelsnitz", "Reichenbach" from "Reichenbach im
 * Vogtland") and "Sankt" for "St.".  A bare form shared by two districts is
 * what makes "Oelsnitz" ambiguous.
 */
static tr_status
add_place(tr_districts *reg, const char *s, size_t len, const entry *en)
{
	word w[RESOLVE_WORDS];
	size_t n, q;
	tr_buf b = TR_BUF_INIT(1024);
	tr_status st;

	if ((st = add_name(reg, s, len, en)) != TR_OK)
		return st;
	if ((st = split_words(s, len, w, RESOLVE_WORDS, &n)) != TR_OK || n == (size_t)-1 || n < 2)
		return st;
	if (w[0].flen == 2 && memcmp(w[0].fold, "st", 2) == 0 &&
	    w[0].start + 2 < len && s[w[0].start + 2] == '.') {
		size_t rest = w[0].start + 3;
		if ((st = tr_buf_printf(&b, "Sankt%.*s", (int)(len - rest), s + rest)) == TR_OK)
			st = add_name(reg, b.ptr, b.len, en);
		goto done;
	}
	/* "Stadt Wehlen" is called "Wehlen" as often. */
	if (in_list(name_prefixes, w[0].fold, w[0].flen) &&
	    (st = add_name(reg, s + w[1].start, len - w[1].start, en)) != TR_OK)
		goto done;
	/* Where does the qualifier begin: after a '/' or at a lower-case preposition? */
	for (q = 1; q < n; q++) {
		size_t gap = w[q].start - (w[q - 1].start + w[q - 1].len);
		if (memchr(s + w[q - 1].start + w[q - 1].len, '/', gap))
			break;
		if (!w[q].cap && in_list(qualifier_words, w[q].fold, w[q].flen))
			break;
	}
	if (q == n)
		goto done;
	{
		size_t base_end = w[q - 1].start + w[q - 1].len;
		size_t c = q;   /* first word of the qualifier's content */
		char content[256];
		size_t clen = 0;

		if ((st = add_name(reg, s, base_end, en)) != TR_OK)
			goto done;
		while (c < n && !w[c].cap && !(w[c].upper))
			c++;
		for (size_t i = c; i < n && clen + w[i].flen + 1 < sizeof content; i++) {
			if (clen)
				content[clen++] = ' ';
			memcpy(content + clen, w[i].fold, w[i].flen);
			clen += w[i].flen;
		}
		for (size_t r = 0; r < sizeof qualifiers / sizeof qualifiers[0]; r++) {
			bool hit = false;
			for (size_t k = 0; qualifiers[r][k] && !hit; k++) {
				word qw[RESOLVE_WORDS];
				size_t qn, qc = 0;
				char qcontent[256];
				size_t qlen = 0;
				const char *form = qualifiers[r][k];

				if ((st = split_words(form, strlen(form), qw, RESOLVE_WORDS, &qn)) != TR_OK)
					goto done;
				while (qc < qn && !qw[qc].cap && !qw[qc].upper)
					qc++;
				for (size_t i = qc; i < qn && qlen + qw[i].flen + 1 < sizeof qcontent; i++) {
					if (qlen)
						qcontent[qlen++] = ' ';
					memcpy(qcontent + qlen, qw[i].fold, qw[i].flen);
					qlen += qw[i].flen;
				}
				hit = qlen == clen && memcmp(qcontent, content, clen) == 0;
			}
			if (!hit)
				continue;
			for (size_t k = 0; qualifiers[r][k]; k++) {
				const char *form = qualifiers[r][k];
				int cp;
				tr_text_decode(form, strlen(form), &cp);
				tr_buf_reset(&b);
				st = tr_buf_printf(&b, "%.*s%s%s", (int)base_end, s,
				                   tr_text_is_upper(cp) ? "/" : " ", form);
				if (st != TR_OK || (st = add_name(reg, b.ptr, b.len, en)) != TR_OK)
					goto done;
			}
		}
	}
done:
	tr_buf_free(&b);
	return st;
}

/* The register's official name: "Bautzen / Budyšin, Stadt" gives "Bautzen" and "Budyšin". */
static tr_status
add_official(tr_districts *reg, field f, const entry *en)
{
	size_t i = 0;

	while (i < f.n) {
		size_t j = i, end;
		tr_status st;

		while (j < f.n && !(f.p[j] == ' ' && j + 2 < f.n && f.p[j + 1] == '/' && f.p[j + 2] == ' '))
			j++;
		for (end = i; end < j && f.p[end] != ','; end++)
			;
		if (end > i && (st = add_place(reg, f.p + i, end - i, en)) != TR_OK)
			return st;
		i = j + 3;
	}
	return TR_OK;
}

static tr_status
parse_gazetteer(tr_districts *reg, const char *path, char **errmsg)
{
	static const char *const names[] = {
		"municipality", "district", "ags", "official_name", "aliases"
	};
	enum { C_MUN, C_DIST, C_AGS, C_OFF, C_ALIAS, C_N };
	int col[C_N];
	field f[MAX_COLS];
	size_t n;
	tsv t;
	tr_status st;

	if ((st = tsv_open(&t, path, errmsg, NULL)) != TR_OK)
		return st;
	if ((st = tsv_header(&t, names, col, C_N, C_AGS + 1)) != TR_OK)
		goto done;
	while (tsv_next(&t, f, &n)) {
		field mun = col_of(f, n, col[C_MUN]), dist = col_of(f, n, col[C_DIST]);
		field ags = col_of(f, n, col[C_AGS]);
		size_t d, named;
		entry en;
		char *dname;

		if (mun.n == 0) {
			st = fail(errmsg, TR_EFORMAT, "%s:%zu: empty municipality", path, t.line);
			goto done;
		}
		if (!all_digits(ags, 8)) {
			st = fail(errmsg, TR_EFORMAT, "%s:%zu: ags \"%.*s\" is not 8 digits",
			          path, t.line, (int)ags.n, ags.p);
			goto done;
		}
		for (d = 0; d < reg->n && memcmp(reg->d[d].kreisschluessel, ags.p, 5) != 0; d++)
			;
		if (d == reg->n) {
			st = fail(errmsg, TR_EFORMAT, "%s:%zu: ags %.*s lies in no district of the district table",
			          path, t.line, (int)ags.n, ags.p);
			goto done;
		}
		/* The district column must agree with the key, or one of the files is wrong. */
		if (dist.n) {
			if (!(dname = field_dup(dist))) {
				st = fail(errmsg, TR_ENOMEM, "%s: out of memory", path);
				goto done;
			}
			st = tr_districts_resolve(reg, dname, &named);
			free(dname);
			if (st == TR_ENOMEM) {
				st = fail(errmsg, st, "%s: out of memory", path);
				goto done;
			}
			if (st != TR_OK || named != d) {
				st = fail(errmsg, TR_EFORMAT, "%s:%zu: district \"%.*s\" does not match ags %.*s (%s)",
				          path, t.line, (int)dist.n, dist.p, (int)ags.n, ags.p, reg->d[d].name);
				goto done;
			}
		}
		en = (entry){ (int)d, LEVEL_GAZETTEER, true, false, E_GEN | E_DEM };
		if ((st = add_place(reg, mun.p, mun.n, &en)) != TR_OK ||
		    (st = each_item(reg, col_of(f, n, col[C_ALIAS]), &en, add_place)) != TR_OK ||
		    (st = add_official(reg, col_of(f, n, col[C_OFF]), &en)) != TR_OK ||
		    (st = add_filter_code(reg, ags.p, ags.n, &en)) != TR_OK) {
			st = fail(errmsg, st, "%s:%zu: %s", path, t.line, tr_strerror(st));
			goto done;
		}
	}
done:
	free(t.data);
	return st;
}

/* The data file @name in the folder of the district table @districts_tsv. */
static tr_status
sibling_path(tr_buf *path, const char *districts_tsv, const char *name, char **errmsg)
{
	const char *slash = strrchr(districts_tsv, '/');
	tr_status st;

	st = slash ? tr_buf_printf(path, "%.*s/%s", (int)(slash - districts_tsv), districts_tsv, name)
	           : tr_buf_adds(path, name);
	return st == TR_OK ? TR_OK : fail(errmsg, st, "%s: %s", name, tr_strerror(st));
}

/* Marks the names in the stop list beside the district table (if there is one). */
static tr_status
parse_stoplist(tr_districts *reg, const char *districts_tsv, char **errmsg)
{
	tr_buf path = TR_BUF_INIT(4096);
	field f[MAX_COLS];
	size_t n;
	bool missing = false;
	tsv t = { 0 };
	tr_status st;

	if ((st = sibling_path(&path, districts_tsv, STOPLIST_NAME, errmsg)) != TR_OK)
		goto done;
	if ((st = tsv_open(&t, path.ptr, errmsg, &missing)) != TR_OK || missing)
		goto done;
	while (tsv_next(&t, f, &n)) {
		word w[RESOLVE_WORDS];
		size_t nw;
		match best = { 0, 0 };

		if ((st = split_words(f[0].p, f[0].n, w, RESOLVE_WORDS, &nw)) != TR_OK) {
			st = fail(errmsg, st, "%s:%zu: %s", path.ptr, t.line, tr_strerror(st));
			goto done;
		}
		if (nw != (size_t)-1 && nw > 0)
			walk(reg, w, nw, 0, 0, 0, MODE_RESOLVE, &best);
		if (nw == (size_t)-1 || nw == 0 || best.nwords != nw) {
			st = fail(errmsg, TR_EFORMAT, "%s:%zu: \"%.*s\" is no known place name",
			          path.ptr, t.line, (int)f[0].n, f[0].p);
			goto done;
		}
		reg->nodes[best.node].needs_cue = true;
	}
done:
	free(t.data);
	tr_buf_free(&path);
	return st;
}

/*
 * Enters the names of things named after a place (place-nonplaces.txt
 * beside the district table, if there is one) as names of nobody: the
 * longest match wins, so "Leipziger Volkszeitung" consumes its words and
 * counts for no district.
 */
static tr_status
parse_nonplaces(tr_districts *reg, const char *districts_tsv, char **errmsg)
{
	tr_buf path = TR_BUF_INIT(4096);
	field f[MAX_COLS];
	size_t n;
	bool missing = false;
	tsv t = { 0 };
	entry en = { D_AMBIG, LEVEL_NONPLACE, true, false, E_GEN };
	tr_status st;

	if ((st = sibling_path(&path, districts_tsv, NONPLACES_NAME, errmsg)) != TR_OK)
		goto done;
	if ((st = tsv_open(&t, path.ptr, errmsg, &missing)) != TR_OK || missing)
		goto done;
	while (tsv_next(&t, f, &n)) {
		if ((st = add_name(reg, f[0].p, f[0].n, &en)) != TR_OK) {
			st = fail(errmsg, st, "%s:%zu: %s", path.ptr, t.line, tr_strerror(st));
			goto done;
		}
	}
done:
	free(t.data);
	tr_buf_free(&path);
	return st;
}

/* ------------------------------------------------------------------------
 * The compiled form (lib/district_blob.h)
 *
 * Building the trie folds and enters tens of thousands of names, which
 * cost a query process more than its search.  The build compiles the
 * shipped data files once; a process whose data files are those bytes
 * uses that trie in place, and any other data directory is parsed as
 * above, so both give the same registry.
 */

/* The sources of a registry: the two files given and the two optional siblings. */
static tr_status
source_paths(tr_buf paths[TR__DISTRICTS_SOURCES], const char *districts_tsv,
             const char *gazetteer_tsv, char **errmsg)
{
	tr_status st;

	if ((st = tr_buf_adds(&paths[0], districts_tsv)) != TR_OK ||
	    (st = tr_buf_adds(&paths[1], gazetteer_tsv)) != TR_OK)
		return fail(errmsg, st, "%s", tr_strerror(st));
	if ((st = sibling_path(&paths[2], districts_tsv, STOPLIST_NAME, errmsg)) != TR_OK)
		return st;
	return sibling_path(&paths[3], districts_tsv, NONPLACES_NAME, errmsg);
}

static void
free_paths(tr_buf paths[TR__DISTRICTS_SOURCES])
{
	for (int i = 0; i < TR__DISTRICTS_SOURCES; i++)
		tr_buf_free(&paths[i]);
}

#ifndef TR_DISTRICTS_GEN
extern const unsigned char tr__districts_blob[];
extern const unsigned char tr__districts_blob_end[];

/* The embedded blob's header, or NULL when there is none this build can use. */
static const struct tr__districts_header *
embedded(void)
{
	const struct tr__districts_header *h = (const void *)tr__districts_blob;

	if (tr__districts_blob[0] == 0 ||
	    (size_t)(tr__districts_blob_end - tr__districts_blob) < sizeof *h ||
	    memcmp(h->magic, TR__DISTRICTS_MAGIC, sizeof h->magic) != 0 ||
	    h->total != (size_t)(tr__districts_blob_end - tr__districts_blob) ||
	    h->node_size != sizeof(node) || h->edge_size != sizeof(edge))
		return NULL;
	return h;
}

/* Whether the file at @path is absent and @len says so, or holds exactly @want. */
static bool
file_equals(const char *path, const unsigned char *want, uint32_t len)
{
	unsigned char chunk[8192];
	size_t at = 0, got;
	bool same = true;
	FILE *f = fopen(path, "rb");

	if (!f)
		return len == TR__DISTRICTS_ABSENT && errno == ENOENT;
	if (len == TR__DISTRICTS_ABSENT) {
		fclose(f);
		return false;
	}
	while (same && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		same = got <= len - at && memcmp(chunk, want + at, got) == 0;
		at += got;
	}
	same = same && !ferror(f) && at == len;
	fclose(f);
	return same;
}

/* Whether the data files are the ones the embedded registry was compiled from. */
static bool
compiled_matches(const char *districts_tsv, const char *gazetteer_tsv)
{
	const struct tr__districts_header *h = embedded();
	tr_buf paths[TR__DISTRICTS_SOURCES] = {
		TR_BUF_INIT(4096), TR_BUF_INIT(4096), TR_BUF_INIT(4096), TR_BUF_INIT(4096)
	};
	bool same = h && source_paths(paths, districts_tsv, gazetteer_tsv, NULL) == TR_OK;

	for (int i = 0; same && i < TR__DISTRICTS_SOURCES; i++)
		same = paths[i].ptr &&
		       file_equals(paths[i].ptr, (const unsigned char *)h + h->off_src[i], h->src_len[i]);
	free_paths(paths);
	return same;
}

/* A registry whose trie and names are those of the blob @h. */
static tr_status
load_compiled(tr_districts **out, const struct tr__districts_header *h)
{
	const unsigned char *base = (const unsigned char *)h;
	const char *s = (const char *)base + h->off_strings;
	tr_districts *reg = calloc(1, sizeof *reg);

	if (!reg || !(reg->d = calloc(h->n_districts, sizeof *reg->d))) {
		free(reg);
		return TR_ENOMEM;
	}
	reg->compiled = true;
	reg->n = h->n_districts;
	for (size_t i = 0; i < reg->n; i++) {
		district *d = &reg->d[i];
		char **field[] = { &d->key, &d->name, &d->short_name, &d->kind, &d->kreisschluessel, &d->seat };
		for (size_t k = 0; k < sizeof field / sizeof field[0]; k++) {
			*field[k] = (char *)s;
			s += strlen(s) + 1;
		}
		d->city = strcmp(d->kind, "kreisfreie-stadt") == 0;
	}
	reg->nodes = (node *)(base + h->off_nodes);
	reg->n_nodes = reg->cap_nodes = h->n_nodes;
	reg->edges = (edge *)(base + h->off_edges);
	reg->cap_edges = h->cap_edges;
	reg->n_edges = h->n_edges;
	reg->pool = (char *)(base + h->off_pool);
	reg->pool_len = reg->pool_cap = h->pool_len;
	*out = reg;
	return TR_OK;
}
#endif

/* Appends @n bytes at the next multiple of 8 after @base; *off is their offset from @base. */
static tr_status
put_section(tr_buf *out, size_t base, uint32_t *off, const void *p, size_t n)
{
	static const char zeros[8];
	tr_status st;

	if ((out->len - base) % 8 && (st = tr_buf_add(out, zeros, 8 - (out->len - base) % 8)) != TR_OK)
		return st;
	*off = (uint32_t)(out->len - base);
	return n ? tr_buf_add(out, p, n) : TR_OK;
}

/* The raw bytes of the file at @path into @b; *absent when there is none. */
static tr_status
read_raw(const char *path, tr_buf *b, bool *absent)
{
	char chunk[8192];
	size_t got;
	tr_status st = TR_OK;
	FILE *f = fopen(path, "rb");

	*absent = false;
	if (!f) {
		*absent = errno == ENOENT;
		return *absent ? TR_OK : TR_EIO;
	}
	while (st == TR_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		st = tr_buf_add(b, chunk, got);
	if (st == TR_OK && ferror(f))
		st = TR_EIO;
	fclose(f);
	return st;
}

/* The nodes, field by field, so that padding bytes are zeros and the blob reproducible. */
static tr_status
put_nodes(tr_buf *out, size_t base, uint32_t *off, const tr_districts *reg)
{
	tr_status st = put_section(out, base, off, NULL, 0);

	for (size_t i = 0; st == TR_OK && i < reg->n_nodes; i++) {
		node n;
		memset(&n, 0, sizeof n);
		n.resolve_d = reg->nodes[i].resolve_d;
		n.scan_d = reg->nodes[i].scan_d;
		n.resolve_level = reg->nodes[i].resolve_level;
		n.scan_level = reg->nodes[i].scan_level;
		n.needs_cue = reg->nodes[i].needs_cue;
		st = tr_buf_add(out, &n, sizeof n);
	}
	return st;
}

static tr_status
put_strings(tr_buf *out, size_t base, uint32_t *off, const tr_districts *reg)
{
	tr_status st = put_section(out, base, off, NULL, 0);

	for (size_t i = 0; st == TR_OK && i < reg->n; i++) {
		const district *d = &reg->d[i];
		const char *field[] = { d->key, d->name, d->short_name, d->kind, d->kreisschluessel, d->seat };
		for (size_t k = 0; st == TR_OK && k < sizeof field / sizeof field[0]; k++)
			st = tr_buf_add(out, field[k], strlen(field[k]) + 1);
	}
	return st;
}

tr_status
tr__districts_compile(const tr_districts *reg, const char *districts_tsv,
                      const char *gazetteer_tsv, tr_buf *out)
{
	struct tr__districts_header h;
	tr_buf paths[TR__DISTRICTS_SOURCES] = {
		TR_BUF_INIT(4096), TR_BUF_INIT(4096), TR_BUF_INIT(4096), TR_BUF_INIT(4096)
	};
	size_t base = out->len;
	tr_status st;

	memset(&h, 0, sizeof h);
	memcpy(h.magic, TR__DISTRICTS_MAGIC, sizeof h.magic);
	h.node_size = sizeof(node);
	h.edge_size = sizeof(edge);
	h.n_districts = (uint32_t)reg->n;
	h.n_nodes = (uint32_t)reg->n_nodes;
	h.cap_edges = (uint32_t)reg->cap_edges;
	h.n_edges = (uint32_t)reg->n_edges;
	h.pool_len = (uint32_t)reg->pool_len;
	if ((st = tr_buf_add(out, &h, sizeof h)) != TR_OK ||
	    (st = put_strings(out, base, &h.off_strings, reg)) != TR_OK ||
	    (st = put_nodes(out, base, &h.off_nodes, reg)) != TR_OK ||
	    (st = put_section(out, base, &h.off_edges, reg->edges, reg->cap_edges * sizeof(edge))) != TR_OK ||
	    (st = put_section(out, base, &h.off_pool, reg->pool, reg->pool_len)) != TR_OK ||
	    (st = source_paths(paths, districts_tsv, gazetteer_tsv, NULL)) != TR_OK)
		goto done;
	for (int i = 0; i < TR__DISTRICTS_SOURCES; i++) {
		tr_buf src = TR_BUF_INIT(FILE_MAX);
		bool absent;
		if ((st = read_raw(paths[i].ptr ? paths[i].ptr : "", &src, &absent)) == TR_OK)
			st = put_section(out, base, &h.off_src[i], src.ptr, src.len);
		h.src_len[i] = absent ? TR__DISTRICTS_ABSENT : (uint32_t)src.len;
		tr_buf_free(&src);
		if (st != TR_OK)
			goto done;
	}
	h.total = (uint32_t)(out->len - base);
	memcpy(out->ptr + base, &h, sizeof h);
done:
	free_paths(paths);
	return st;
}

tr_status
tr_districts_load(tr_districts **out, const char *districts_tsv,
                  const char *gazetteer_tsv, char **errmsg)
{
	tr_districts *reg;
	uint32_t root;
	tr_status st;

	if (errmsg)
		*errmsg = NULL;
	if (!out || !districts_tsv || !gazetteer_tsv)
		return TR_EINVAL;
	*out = NULL;
#ifndef TR_DISTRICTS_GEN
	if (compiled_matches(districts_tsv, gazetteer_tsv)) {
		st = load_compiled(out, (const struct tr__districts_header *)(const void *)tr__districts_blob);
		return st == TR_OK ? st : fail(errmsg, st, "out of memory");
	}
#endif
	if (!(reg = calloc(1, sizeof *reg)))
		return fail(errmsg, TR_ENOMEM, "out of memory");
	if ((st = node_new(reg, &root)) != TR_OK || (st = edges_grow(reg)) != TR_OK) {
		st = fail(errmsg, st, "out of memory");
		goto fail;
	}
	if ((st = parse_districts(reg, districts_tsv, errmsg)) != TR_OK ||
	    (st = parse_gazetteer(reg, gazetteer_tsv, errmsg)) != TR_OK ||
	    (st = parse_stoplist(reg, districts_tsv, errmsg)) != TR_OK ||
	    (st = parse_nonplaces(reg, districts_tsv, errmsg)) != TR_OK)
		goto fail;
	*out = reg;
	return TR_OK;
fail:
	tr_districts_free(reg);
	return st;
}
