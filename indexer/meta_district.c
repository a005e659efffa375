/*
 * The district finder: which of the 13 districts a document is about.
 *
 * The folder tree is the strongest hint, because the network files its
 * documents by district ("Landkreis Mittelsachsen/Presse/...", a crawl of
 * "landkreis-goerlitz.de").  Otherwise the text decides: mentions are
 * weighed by where they stand (title, opening, rest), the best-scored
 * district is the main one, and others join it only when they are a subject
 * of their own, not a passing "Gäste aus Dresden".  The rules are documented
 * in docs/metadata.md.
 */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "scan_words.h"
#include "text.h"

/* Weights of a mention by where it stands. */
#define W_TITLE 3.0
#define W_HEAD  2.0
#define W_REST  1.0
/* The opening that speaks for the document: dateline, lead paragraph. */
#define HEAD_BYTES 1000
/* Enough to know what a document is about; protects the indexer from huge files. */
#define SCAN_MAX (256u * 1024)
/* Below this the text says too little to name a district (one mention deep in the body). */
#define MIN_MAIN_SCORE 2.0
/* A further district must reach two fifths of the main district's score... */
#define CO_SHARE 0.4
/* ...and be mentioned this often (or be named in the title). */
#define CO_MENTIONS 2
/* Longest path component looked at; longer ones are no district name. */
#define COMPONENT_MAX 256
/* Places of one enumeration looked at. */
#define ENUM_MAX 32

typedef struct tally {
	double *score;
	unsigned *count;
	bool *in_title;
	bool *listed;         /* named in an enumeration of places ("Torgau, Delitzsch und Eilenburg") */
	const char *text;     /* the segment being scanned */
	size_t prev_end;      /* end of the previous mention in it, or (size_t)-1 */
	size_t group_start;   /* where the current run of joined mentions begins */
	size_t group[ENUM_MAX];   /* its districts */
	size_t n_group;
	size_t *first;        /* order of the first mention; title mentions come first */
	size_t *first_at;     /* byte offset of the first mention in its text (the title's or the body's) */
	size_t *first_len;
	bool *first_in_title;
	size_t seq;
	double weight;        /* for the segment being scanned */
	size_t head_end;      /* mentions before this byte weigh W_HEAD */
	bool title;
} tally;

/*
 * True if @s[0..n), between two place names, joins them into an
 * enumeration: ",", "und", "sowie", "oder", "bzw.", "/", "&", with an
 * article after the word ("und die Stadt Leipzig"), on one line or across
 * one line break.
 */
static bool
enumeration_gap(const char *s, size_t n)
{
	static const char *const joins[] = {
		",", "und", "sowie", "oder", "bzw.", "bzw", "/", "&", ", und", ", sowie", ", oder", NULL
	};
	static const char *const articles[] = { "der", "die", "das", "den", "dem", NULL };
	size_t a = 0, b = n, breaks = 0;

	if (n == 0 || n > 24)
		return false;
	while (a < b && s[a] && strchr(" \t\r\n", s[a]))
		breaks += s[a++] == '\n';
	while (b > a && s[b - 1] && strchr(" \t\r\n", s[b - 1]))
		breaks += s[--b] == '\n';
	if (breaks > 1)
		return false;
	for (const char *const *ar = articles; *ar; ar++) {
		size_t al = strlen(*ar);

		if (b - a > al + 1 && s[b - al - 1] == ' ' && strncmp(s + b - al, *ar, al) == 0) {
			b -= al + 1;
			while (b > a && s[b - 1] == ' ')
				b--;
			break;
		}
	}
	for (const char *const *j = joins; *j; j++)
		if (b - a == strlen(*j) && strncmp(s + a, *j, b - a) == 0)
			return true;
	return false;
}

/*
 * Words that announce the places of an enumeration as its subject: "aus den
 * Landkreisen Bautzen, Görlitz und Meißen", "die Städte Chemnitz, Dresden
 * und Leipzig", "in den Kommunen ...".
 */
static const char *const in_words[] = { "in", NULL };
static const char *const enum_nouns[] = {
	"landkreise", "landkreisen", "kreise", "kreisen", "staedte", "staedten",
	"kommunen", "gemeinden", "orte", "orten", "regionen", "standorte", "standorten",
	"landratsaemter", "landratsaemtern", "kreisfreien", NULL
};

/* True if the folded word @w[0..n) is one of @list. */
static bool
word_listed(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(*list, w, n) == 0)
			return true;
	return false;
}

/* The folded word of @s[st..st+n) is in @list. */
static bool
text_word_in(const char *s, size_t st, size_t n, const char *const *list)
{
	tr_buf f = TR_BUF_INIT(256);
	bool yes;

	if (n == 0 || n > 64 || tr_text_fold(&f, s + st, n) != TR_OK)
		return false;
	yes = f.ptr && word_listed(f.ptr, f.len, list);
	tr_buf_free(&f);
	return yes;
}

/*
 * Ends the current run of joined mentions.  An enumeration of places makes
 * each of them a subject when a plural place noun announces it (in the
 * word before it or as the first word of its first name: "Landkreisen
 * Bautzen").  Three or more places after "in" make a district a subject
 * when two of them are its towns ("in Torgau, Delitzsch und Eilenburg");
 * meeting places one from each district ("Treffen in Zwickau, Görlitz und
 * Borna") and lists in passing ("Redaktion: Nordsachsen, Dresden,
 * Görlitz", "Chemnitz und Leipzig übernehmen") are none.
 */
static void
enumeration_end(tally *t)
{
	size_t pos, ws = 0, wl = 0, fs, fl;
	bool cue = false;

	if (t->n_group < 2)
		goto done;
	pos = t->group_start;
	if (tr_text_next_word(t->text, t->group_start + 64, &pos, &fs, &fl) &&
	    text_word_in(t->text, fs, fl, enum_nouns))
		cue = true;
	{
		size_t p = t->group_start > 40 ? t->group_start - 40 : 0, st, n;

		while (p < t->group_start && tr_text_next_word(t->text, t->group_start, &p, &st, &n)) {
			ws = st;
			wl = n;
		}
	}
	if (!cue && wl)
		cue = text_word_in(t->text, ws, wl, enum_nouns);
	if (cue) {
		for (size_t k = 0; k < t->n_group; k++)
			t->listed[t->group[k]] = true;
	} else if (t->n_group >= 3 && wl && text_word_in(t->text, ws, wl, in_words)) {
		/* Towns of one district: "in Torgau, Delitzsch und Eilenburg". */
		for (size_t k = 0; k < t->n_group; k++)
			for (size_t m = k + 1; m < t->n_group; m++)
				if (t->group[k] == t->group[m])
					t->listed[t->group[k]] = true;
	}
done:
	t->n_group = 0;
}

static void
on_mention(size_t i, size_t start, size_t len, void *ctx)
{
	tally *t = ctx;
	double w = t->weight;

	if (!(t->prev_end != (size_t)-1 && start >= t->prev_end &&
	      enumeration_gap(t->text + t->prev_end, start - t->prev_end))) {
		enumeration_end(t);
		t->group_start = start;
	}
	if (t->n_group < ENUM_MAX)
		t->group[t->n_group++] = i;
	t->prev_end = start + len;
	if (!t->title)
		w = start < t->head_end ? W_HEAD : W_REST;
	t->score[i] += w;
	t->count[i]++;
	if (t->title)
		t->in_title[i] = true;
	if (t->count[i] == 1) {
		t->first[i] = t->seq;
		t->first_at[i] = start;
		t->first_len[i] = len;
		t->first_in_title[i] = t->title;
	}
	t->seq++;
}

/*
 * The district a path component names, if any: "Landkreis Mittelsachsen",
 * "LK Leipzig", "landkreis-goerlitz.de", "www.vogtlandkreis.de",
 * "Stadt Chemnitz".  Generic names ("Presse", "2017") name none.
 */
static bool
component_district(const tr_districts *reg, const char *s, size_t len, size_t *out)
{
	char buf[COMPONENT_MAX];
	char *p = buf;
	size_t n;

	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (tr_districts_resolve_name(reg, buf, out) == TR_OK)
		return true;
	if (strncmp(p, "www.", 4) == 0)
		p += 4;
	/* Strip a file extension or a top-level domain: ".md", ".de", ".html". */
	n = strlen(p);
	for (size_t i = n; i > 0; i--) {
		char c = p[i - 1];
		if (c == '.') {
			if (n - i >= 1 && n - i <= 5 && i > 1)
				p[i - 1] = '\0';
			break;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			break;
	}
	if (tr_districts_resolve_name(reg, p, out) == TR_OK)
		return true;
	/* Domains run the words together: "landkreisleipzig.de", "lramittelsachsen". */
	if (!strpbrk(p, " -_")) {
		static const char *const prefixes[] = {
			"landkreis", "landratsamt", "lra", "kreis", "lk", "stadt", NULL
		};
		for (const char *const *pre = prefixes; *pre; pre++) {
			size_t pl = strlen(*pre);
			char two[COMPONENT_MAX + 1];
			if (strncasecmp(p, *pre, pl) != 0 || !p[pl])
				continue;
			snprintf(two, sizeof two, "%s %s", *pre, p + pl);
			if (tr_districts_resolve_name(reg, two, out) == TR_OK)
				return true;
		}
	}
	return false;
}

/* Appends district @i unless it is there already. */
static tr_status
add_key(const tr_districts *reg, char ***keys, size_t *n, size_t i)
{
	return tr_strv_add_unique(keys, n, tr_districts_key(reg, i));
}

/* A cut that splits neither a UTF-8 sequence nor, if it can help it, a word. */
static size_t
cut_at(const char *s, size_t len, size_t max)
{
	size_t cut = max, i;

	if (len <= max)
		return len;
	for (i = max; i > 0 && i > max - 64; i--) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t') {
			cut = i;
			break;
		}
	}
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

tr_status
tr__meta_find_districts(const tr_districts *reg, const tr_meta_input *in,
                        char ***keys, size_t *n, tr_source *src)
{
	return tr__meta_find_districts_where(reg, in, keys, n, src, NULL);
}

/* Where the main district @i was read: its first mention, in the title or on a line of the body. */
static void
text_where(const tally *t, const tr_meta_input *in, const char *title, size_t i, tr__meta_where *where)
{
	if (!where)
		return;
	if (t->first_in_title[i])
		tr__meta_where_set(where, title, t->first_at[i], t->first_len[i], false);
	else
		tr__meta_where_set(where, in->body, t->first_at[i], t->first_len[i], true);
}

/* The per-district counters of @t for @nd districts; false when out of memory. */
static bool
tally_alloc(tally *t, size_t nd)
{
	t->score = calloc(nd, sizeof *t->score);
	t->count = calloc(nd, sizeof *t->count);
	t->in_title = calloc(nd, sizeof *t->in_title);
	t->first = calloc(nd, sizeof *t->first);
	t->listed = calloc(nd, sizeof *t->listed);
	t->first_at = calloc(nd, sizeof *t->first_at);
	t->first_len = calloc(nd, sizeof *t->first_len);
	t->first_in_title = calloc(nd, sizeof *t->first_in_title);
	return t->score && t->count && t->in_title && t->first && t->listed && t->first_at && t->first_len &&
	       t->first_in_title;
}

static void
tally_free(tally *t)
{
	free(t->score);
	free(t->count);
	free(t->in_title);
	free(t->first);
	free(t->listed);
	free(t->first_at);
	free(t->first_len);
	free(t->first_in_title);
}

/*
 * The folder convention: every component of @relpath that names a
 * district, outermost first, into @keys; *folder tells whether any did.
 */
static tr_status
folder_districts(const tr_districts *reg, const char *relpath, char ***keys, size_t *n, tr__meta_where *where,
                 bool *folder)
{
	tr_status st;

	for (const char *p = relpath ? relpath : ""; *p; ) {
		size_t len = strcspn(p, "/"), i;
		if (component_district(reg, p, len, &i)) {
			if ((st = add_key(reg, keys, n, i)) != TR_OK)
				return st;
			if (where && !*folder)
				tr__meta_where_set(where, p, 0, len, false);
			*folder = true;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return TR_OK;
}

tr_status
tr__meta_find_districts_where(const tr_districts *reg, const tr_meta_input *in,
                              char ***keys, size_t *n, tr_source *src, tr__meta_where *where)
{
	size_t nd = tr_districts_count(reg);
	tally t = { 0 };
	size_t *order = NULL, norder = 0, top = (size_t)-1, named = 0;
	const char *title = NULL;
	size_t title_len = 0;
	bool folder = false;
	tr_status st = TR_OK;

	*keys = NULL;
	*n = 0;
	*src = TR_SOURCE_NONE;
	if (!reg || !in || nd == 0)
		return TR_EINVAL;

	if ((st = folder_districts(reg, in->relpath, keys, n, where, &folder)) != TR_OK)
		goto fail;

	order = calloc(nd, sizeof *order);
	if (!tally_alloc(&t, nd) || !order) {
		st = TR_ENOMEM;
		goto fail;
	}

	/* Without a title the first heading stands in for it. */
	if (in->title && *in->title) {
		title = in->title;
		title_len = strlen(title);
	} else if (in->headings && *in->headings) {
		title = in->headings;
		title_len = strcspn(title, "\n");
	}
	if (title) {
		t.title = true;
		t.weight = W_TITLE;
		t.text = title;
		t.prev_end = (size_t)-1;
		if ((st = tr_districts_each(reg, title, cut_at(title, title_len, 4096),
		                            on_mention, &t)) != TR_OK)
			goto fail;
		enumeration_end(&t);
	}
	if (in->body) {
		t.title = false;
		t.head_end = HEAD_BYTES;
		t.text = in->body;
		t.prev_end = (size_t)-1;
		size_t cut = cut_at(in->body, in->body_len, SCAN_MAX);

		if (in->words && in->words->from == 0 && in->words->to >= cut)
			st = tr_districts_each_words(reg, in->body, cut, in->words, on_mention, &t);
		else
			st = tr_districts_each(reg, in->body, cut, on_mention, &t);
		if (st != TR_OK)
			goto fail;
		enumeration_end(&t);
	}

	for (size_t i = 0; i < nd; i++)
		if (t.count[i] && (top == (size_t)-1 || t.score[i] > t.score[top] ||
		                   (t.score[i] == t.score[top] && t.first[i] < t.first[top])))
			top = i;
	for (size_t i = 0; i < nd; i++)
		if (t.count[i])
			named++;
	/*
	 * One mention deep in the text is weak evidence, unless no other
	 * district is named at all: then it is the only candidate there is.
	 */
	if (top != (size_t)-1 && (t.score[top] >= MIN_MAIN_SCORE || t.in_title[top] || named == 1)) {
		/* The main district, then the other subjects by score. */
		order[norder++] = top;
		if (!folder)
			text_where(&t, in, title, top, where);
		for (size_t i = 0; i < nd; i++) {
			if (i == top || t.count[i] == 0)
				continue;
			if (t.in_title[i] || t.listed[i] ||
			    (t.count[i] >= CO_MENTIONS && t.score[i] >= CO_SHARE * t.score[top]))
				order[norder++] = i;
		}
		for (size_t a = 2; a < norder; a++) {
			for (size_t b = a; b > 1; b--) {
				size_t x = order[b - 1], y = order[b];
				if (!(t.score[y] > t.score[x] ||
				      (t.score[y] == t.score[x] && t.first[y] < t.first[x])))
					break;
				order[b - 1] = y;
				order[b] = x;
			}
		}
		/*
		 * Under a district folder the text only adds districts that are a
		 * subject in their own right; the folder's district stays the main one.
		 */
		for (size_t k = 0; k < norder; k++) {
			size_t i = order[k];
			if (folder && !t.in_title[i] && !t.listed[i] && t.count[i] < CO_MENTIONS)
				continue;
			if ((st = add_key(reg, keys, n, i)) != TR_OK)
				goto fail;
		}
	}
	if (*n)
		*src = folder ? TR_SOURCE_FOLDER : TR_SOURCE_TEXT;
	goto done;
fail:
	tr_strv_free(*keys, *n);
	*keys = NULL;
	*n = 0;
done:
	tally_free(&t);
	free(order);
	return st;
}
