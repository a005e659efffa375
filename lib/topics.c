#include "tellerrand/topics.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tellerrand/db.h"
#include "scan_words.h"
#include "text.h"

#define PHRASE_MAX 4   /* words in a multi-word keyword */

typedef enum { MATCH_STEM, MATCH_PREFIX, MATCH_SUFFIX, MATCH_INFIX } match_kind;

typedef struct keyword {
	size_t topic;
	match_kind kind;
	char *folded;                 /* the keyword without '*', folded */
	char *stems[PHRASE_MAX];      /* MATCH_STEM: the stem of each word (at the first scan) */
	size_t n_words;
} keyword;

typedef struct topic {
	char *key;
	char *label;
} topic;

struct tr_topics {
	topic *topics;
	size_t n_topics;
	keyword *keywords;
	size_t n_keywords, cap_keywords;
	struct word_cache *cache;   /* words analysed so far (see tr_topics_scan) */
};

#define CACHE_CAP (1u << 16)

typedef struct word_info {
	char *word;            /* the bytes as in the text; NULL: free slot */
	size_t wlen;
	char *stem;
	unsigned *matches;     /* single-word keywords that match */
	size_t n_matches;
	unsigned *ends;        /* phrase keywords whose last word this is */
	size_t n_ends;
} word_info;

struct word_cache {
	word_info *slots;
	size_t used;
};

static void cache_clear(struct word_cache *c);

static void
keyword_clear(keyword *k)
{
	free(k->folded);
	for (size_t i = 0; i < PHRASE_MAX; i++)
		free(k->stems[i]);
}

void
tr_topics_free(tr_topics *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_topics; i++) {
		free(t->topics[i].key);
		free(t->topics[i].label);
	}
	for (size_t i = 0; i < t->n_keywords; i++)
		keyword_clear(&t->keywords[i]);
	free(t->topics);
	free(t->keywords);
	if (t->cache) {
		cache_clear(t->cache);
		free(t->cache->slots);
		free(t->cache);
	}
	free(t);
}

/* Parses one keyword ("deutsch als zweitsprache", "sprachkurs*") into @k; its stems come at the first scan. */
static tr_status
keyword_parse(keyword *k, size_t topic_index, const char *text)
{
	size_t len = strlen(text);
	bool lead = len && text[0] == '*';
	bool trail = len > 1 && text[len - 1] == '*';

	memset(k, 0, sizeof *k);
	k->topic = topic_index;
	k->kind = lead && trail ? MATCH_INFIX : lead ? MATCH_SUFFIX : trail ? MATCH_PREFIX : MATCH_STEM;
	if (lead) {
		text++;
		len--;
	}
	if (trail)
		len--;
	{
		char *raw = strndup(text, len);
		if (!raw)
			return TR_ENOMEM;
		k->folded = tr_text_fold_dup(raw);
		free(raw);
	}
	if (!k->folded || !*k->folded)
		return k->folded ? TR_EINVAL : TR_ENOMEM;
	if (k->kind != MATCH_STEM)
		return TR_OK;
	/* Plain keywords match by stem, word by word: at most PHRASE_MAX words. */
	for (const char *p = k->folded; *p; ) {
		size_t n = strcspn(p, " ");
		if (n && ++k->n_words > PHRASE_MAX)
			return TR_EINVAL;
		p += n + strspn(p + n, " ");
	}
	return TR_OK;
}

/*
 * The stems of plain keyword @k's words.  Only a scan (the indexer) needs
 * them; stemming every keyword was most of what loading the taxonomy cost a
 * `tellerrand query`, which uses keys, labels and folded keywords only.
 */
static tr_status
keyword_stem(keyword *k)
{
	char *copy, *word, *save = NULL;
	size_t n = 0;
	tr_status st = TR_OK;

	if (k->kind != MATCH_STEM || k->stems[0])
		return TR_OK;
	if (!(copy = strdup(k->folded)))
		return TR_ENOMEM;
	for (word = strtok_r(copy, " ", &save); word && n < k->n_words; word = strtok_r(NULL, " ", &save))
		if ((st = tr_stem_german(&k->stems[n++], word)) != TR_OK)
			break;
	free(copy);
	if (st != TR_OK)
		for (size_t i = 0; i < n; i++) {
			free(k->stems[i]);
			k->stems[i] = NULL;
		}
	return st;
}

static tr_status
topics_add_line(tr_topics *t, char *line, const char *path, size_t lineno, char **errmsg)
{
	char *fields[3];
	char *p = line, *kw, *save = NULL;
	size_t n = 0;
	topic *nt;

	while (n < 3) {
		fields[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n < 3 || !*fields[0] || !*fields[1]) {
		if (errmsg && asprintf(errmsg, "%s:%zu: erwartet: Schlüssel TAB Bezeichnung TAB Stichwörter", path, lineno) < 0)
			*errmsg = NULL;
		return TR_EINVAL;
	}
	nt = realloc(t->topics, (t->n_topics + 1) * sizeof *nt);
	if (!nt)
		return TR_ENOMEM;
	t->topics = nt;
	nt[t->n_topics].key = strdup(fields[0]);
	nt[t->n_topics].label = strdup(fields[1]);
	t->n_topics++;
	if (!nt[t->n_topics - 1].key || !nt[t->n_topics - 1].label)
		return TR_ENOMEM;

	for (kw = strtok_r(fields[2], ";", &save); kw; kw = strtok_r(NULL, ";", &save)) {
		keyword *nk;
		tr_status st;

		tr_text_squeeze(kw);
		if (!*kw)
			continue;
		if (t->n_keywords == t->cap_keywords) {
			/* Doubling: one realloc a keyword moved the array through ~10 fresh heap pages. */
			size_t cap = t->cap_keywords ? 2 * t->cap_keywords : 64;
			if (!(nk = realloc(t->keywords, cap * sizeof *nk)))
				return TR_ENOMEM;
			t->keywords = nk;
			t->cap_keywords = cap;
		}
		nk = t->keywords;
		st = keyword_parse(&nk[t->n_keywords], t->n_topics - 1, kw);
		t->n_keywords++;
		if (st != TR_OK) {
			if (st == TR_EINVAL && errmsg &&
			    asprintf(errmsg, "%s:%zu: ungültiges Stichwort: %s", path, lineno, kw) < 0)
				*errmsg = NULL;
			return st;
		}
	}
	return TR_OK;
}

tr_status
tr_topics_load(tr_topics **out, const char *path, char **errmsg)
{
	FILE *f;
	tr_topics *t;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	tr_status st = TR_OK;

	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	f = fopen(path, "r");
	if (!f) {
		if (errmsg && asprintf(errmsg, "%s: %s", path, strerror(errno)) < 0)
			*errmsg = NULL;
		return TR_ENOTFOUND;
	}
	t = calloc(1, sizeof *t);
	if (t && !(t->cache = calloc(1, sizeof *t->cache))) {
		free(t);
		t = NULL;
	}
	if (!t) {
		st = TR_ENOMEM;
		goto done;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if ((st = topics_add_line(t, line, path, lineno, errmsg)) != TR_OK)
			goto done;
	}
	*out = t;
	t = NULL;
done:
	free(line);
	fclose(f);
	tr_topics_free(t);
	return st;
}

size_t
tr_topics_count(const tr_topics *t)
{
	return t->n_topics;
}

const char *
tr_topics_key(const tr_topics *t, size_t i)
{
	return t->topics[i].key;
}

const char *
tr_topics_label(const tr_topics *t, size_t i)
{
	return t->topics[i].label;
}

size_t
tr_topics_find_key(const tr_topics *t, const char *key)
{
	for (size_t i = 0; i < t->n_topics; i++)
		if (strcmp(t->topics[i].key, key) == 0)
			return i;
	return (size_t)-1;
}

tr_status
tr_topics_resolve(const tr_topics *t, const char *name, size_t *out)
{
	char *want = tr_text_fold_dup(name);
	tr_status st = TR_ENOTFOUND;

	if (!want)
		return TR_ENOMEM;
	tr_text_squeeze(want);
	for (size_t i = 0; i < t->n_topics && st != TR_OK; i++) {
		char *label = tr_text_fold_dup(t->topics[i].label);
		char *part, *save = NULL;

		if (!label) {
			st = TR_ENOMEM;
			break;
		}
		/* The key, the whole label, or one part of a label like "Sprachförderung/DaZ". */
		if (strcmp(want, t->topics[i].key) == 0 || strcmp(want, label) == 0) {
			*out = i;
			st = TR_OK;
		}
		for (part = strtok_r(label, "/", &save); part && st != TR_OK; part = strtok_r(NULL, "/", &save)) {
			if (strcmp(want, part) == 0) {
				*out = i;
				st = TR_OK;
			}
		}
		free(label);
	}
	/* Finally a keyword that is a plain word: "DaZ", "Kita". */
	for (size_t i = 0; i < t->n_keywords && st == TR_ENOTFOUND; i++) {
		const keyword *k = &t->keywords[i];
		if (k->kind == MATCH_STEM && strcmp(k->folded, want) == 0) {
			*out = k->topic;
			st = TR_OK;
		}
	}
	free(want);
	return st;
}

static bool
ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* True if keyword @k matches at the current word, given the stems of the last words (ring). */
static bool
keyword_matches(const keyword *k, const char *folded, size_t flen, char *const *recent, size_t n_recent)
{
	switch (k->kind) {
	case MATCH_PREFIX:
		return strncmp(folded, k->folded, strlen(k->folded)) == 0;
	case MATCH_SUFFIX:
		return ends_with(folded, flen, k->folded);
	case MATCH_INFIX:
		return strstr(folded, k->folded) != NULL;
	case MATCH_STEM:
		if (k->n_words > n_recent)
			return false;
		/* recent[0] is the current word's stem, recent[1] the one before, ... */
		for (size_t w = 0; w < k->n_words; w++)
			if (strcmp(recent[k->n_words - 1 - w], k->stems[w]) != 0)
				return false;
		return true;
	}
	return false;
}

/* ---- The word cache ------------------------------------------------------
 *
 * Folding and stemming every word of every document, then testing it
 * against every keyword, was a quarter of the indexer's time; words repeat
 * a lot, so each distinct spelling is analysed once per process and
 * remembered with its stem and the single-word keywords it matches.
 */

static void
cache_clear(struct word_cache *c)
{
	for (size_t i = 0; c->slots && i < CACHE_CAP; i++) {
		free(c->slots[i].word);
		free(c->slots[i].stem);
		free(c->slots[i].matches);
		free(c->slots[i].ends);
	}
	if (c->slots)
		memset(c->slots, 0, CACHE_CAP * sizeof *c->slots);
	c->used = 0;
}

static tr_status
list_add(unsigned **list, size_t *n, size_t value)
{
	unsigned *m = realloc(*list, (*n + 1) * sizeof *m);

	if (!m)
		return TR_ENOMEM;
	*list = m;
	m[(*n)++] = (unsigned)value;
	return TR_OK;
}

/* Analyses a word not seen before into @w. */
static tr_status
word_analyse(const tr_topics *t, word_info *w, const char *word, size_t wlen)
{
	tr_buf folded = TR_BUF_INIT(1024);
	tr_status st;

	if ((st = tr_text_fold(&folded, word, wlen)) != TR_OK ||
	    (st = tr_stem_german(&w->stem, folded.ptr ? folded.ptr : "")) != TR_OK)
		goto done;
	for (size_t i = 0; i < t->n_keywords && st == TR_OK; i++) {
		const keyword *k = &t->keywords[i];
		char *one[1] = { w->stem };

		/* Phrases are matched against the words before, where they can end. */
		if (k->kind == MATCH_STEM && k->n_words > 1) {
			if (strcmp(k->stems[k->n_words - 1], w->stem) == 0)
				st = list_add(&w->ends, &w->n_ends, i);
		} else if (keyword_matches(k, folded.ptr ? folded.ptr : "", folded.len, one, 1)) {
			st = list_add(&w->matches, &w->n_matches, i);
		}
	}
	if (st != TR_OK)
		goto done;
	if (!(w->word = malloc(wlen ? wlen : 1))) {
		st = TR_ENOMEM;
		goto done;
	}
	memcpy(w->word, word, wlen);
	w->wlen = wlen;
done:
	tr_buf_free(&folded);
	return st;
}

/* The cache entry for @word, analysing it first if needed; *reset tells that the cache was emptied. */
static tr_status
word_lookup(const tr_topics *t, const char *word, size_t wlen, word_info **out, bool *reset)
{
	struct word_cache *c = t->cache;
	size_t i;
	tr_status st;

	*reset = false;
	if (!c->slots) {
		/* The first scan: stem the keywords, then make the cache. */
		for (size_t k = 0; k < t->n_keywords; k++)
			if ((st = keyword_stem(&t->keywords[k])) != TR_OK)
				return st;
		if (!(c->slots = calloc(CACHE_CAP, sizeof *c->slots)))
			return TR_ENOMEM;
	}
	if (c->used * 10 >= CACHE_CAP * 7) {
		cache_clear(c);
		*reset = true;
	}
	for (i = tr_text_hash(word, wlen) & (CACHE_CAP - 1); c->slots[i].word; i = (i + 1) & (CACHE_CAP - 1)) {
		if (c->slots[i].wlen == wlen && memcmp(c->slots[i].word, word, wlen) == 0) {
			*out = &c->slots[i];
			return TR_OK;
		}
	}
	if ((st = word_analyse(t, &c->slots[i], word, wlen)) != TR_OK) {
		free(c->slots[i].stem);
		free(c->slots[i].matches);
		free(c->slots[i].ends);
		memset(&c->slots[i], 0, sizeof c->slots[i]);
		return st;
	}
	c->used++;
	*out = &c->slots[i];
	return TR_OK;
}

tr_status
tr_topics_scan(const tr_topics *t, const char *text, size_t len, double weight, double *scores)
{
	tr_text_words words = TR_TEXT_WORDS_INIT;
	tr_status st;

	if ((st = tr_text_words_find(&words, text, 0, len)) == TR_OK)
		st = tr_topics_scan_words(t, text, len, &words, weight, scores);
	tr_text_words_free(&words);
	return st;
}

tr_status
tr_topics_scan_words(const tr_topics *t, const char *text, size_t len, const tr_text_words *words,
                     double weight, double *scores)
{
	char *recent[PHRASE_MAX] = { NULL };   /* stems of the last words, owned by the cache */
	size_t n_recent = 0, start, wlen;
	tr_status st = TR_OK;

	for (size_t k = tr_text_words_at(words, 0);
	     k < words->n && (wlen = tr_text_word_cut(text, &words->v[k], len)) > 0; k++) {
		word_info *w;
		bool reset;

		start = words->v[k].start;
		if (wlen > 200)
			continue;  /* not a word anyone writes a keyword for */
		if ((st = word_lookup(t, text + start, wlen, &w, &reset)) != TR_OK)
			break;
		if (reset)
			n_recent = 0;  /* the stems before were freed with the cache */
		memmove(recent + 1, recent, (PHRASE_MAX - 1) * sizeof *recent);
		recent[0] = w->stem;
		if (n_recent < PHRASE_MAX)
			n_recent++;
		for (size_t i = 0; i < w->n_matches; i++)
			scores[t->keywords[w->matches[i]].topic] += weight;
		for (size_t i = 0; i < w->n_ends; i++) {
			const keyword *k = &t->keywords[w->ends[i]];
			if (keyword_matches(k, "", 0, recent, n_recent))
				scores[k->topic] += weight;
		}
	}
	return st;
}
