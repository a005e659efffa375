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

typedef struct tally {
	double *score;
	unsigned *count;
	bool *in_title;
	size_t *first;        /* order of the first mention; title mentions come first */
	size_t seq;
	double weight;        /* for the segment being scanned */
	size_t head_end;      /* mentions before this byte weigh W_HEAD */
	bool title;
} tally;

static void
on_mention(size_t i, size_t start, size_t len, void *ctx)
{
	tally *t = ctx;
	double w = t->weight;

	(void)len;
	if (!t->title)
		w = start < t->head_end ? W_HEAD : W_REST;
	t->score[i] += w;
	t->count[i]++;
	if (t->title)
		t->in_title[i] = true;
	if (t->count[i] == 1)
		t->first[i] = t->seq;
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

	/* The folder convention: every component that names a district, outermost first. */
	if (in->relpath) {
		const char *p = in->relpath;
		while (*p) {
			size_t len = strcspn(p, "/"), i;
			if (component_district(reg, p, len, &i)) {
				if ((st = add_key(reg, keys, n, i)) != TR_OK)
					goto fail;
				folder = true;
			}
			p += len;
			if (*p == '/')
				p++;
		}
	}

	t.score = calloc(nd, sizeof *t.score);
	t.count = calloc(nd, sizeof *t.count);
	t.in_title = calloc(nd, sizeof *t.in_title);
	t.first = calloc(nd, sizeof *t.first);
	order = calloc(nd, sizeof *order);
	if (!t.score || !t.count || !t.in_title || !t.first || !order) {
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
		if ((st = tr_districts_each(reg, title, cut_at(title, title_len, 4096),
		                            on_mention, &t)) != TR_OK)
			goto fail;
	}
	if (in->body) {
		t.title = false;
		t.head_end = HEAD_BYTES;
		if ((st = tr_districts_each(reg, in->body, cut_at(in->body, in->body_len, SCAN_MAX),
		                            on_mention, &t)) != TR_OK)
			goto fail;
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
		for (size_t i = 0; i < nd; i++) {
			if (i == top || t.count[i] == 0)
				continue;
			if (t.in_title[i] ||
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
			if (folder && !t.in_title[i] && t.count[i] < CO_MENTIONS)
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
	free(t.score);
	free(t.count);
	free(t.in_title);
	free(t.first);
	free(order);
	return st;
}
