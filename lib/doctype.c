/*
 * Document types: data/types.tsv, embedded at build time and read once,
 * is the one source of the type keys, their display names, the names that
 * resolve to them, and the cues the type finder (indexer/meta_type.c)
 * scores.  The file's format is described in its header and docs/data.md.
 */
#include "doctype.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#ifdef TR_TYPES_TSV_PATH
__asm__(".section .rodata\n"
        ".global tr__types_tsv\n"
        ".type tr__types_tsv, @object\n"
        "tr__types_tsv:\n"
        ".incbin \"" TR_TYPES_TSV_PATH "\"\n"
        ".byte 0\n"
        ".previous\n");
extern const char tr__types_tsv[];
#else
#error "TR_TYPES_TSV_PATH must name data/types.tsv"
#endif

#define MAX_ITEMS 128     /* names, head words or cues of one type */

typedef struct row_store {
	tr__doctype_row row;
	const char *names[MAX_ITEMS];
	const char *head[MAX_ITEMS];
	tr__doctype_cue cues[MAX_ITEMS];
} row_store;

static row_store rows[TR_DOCTYPE_MAX];
static int n_rows = 1;                  /* row 0 is TR_DOCTYPE_UNKNOWN */
static char *table_text;                /* the table's copy the rows point into */
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* Splits @s at @sep in place into up to @max items; "-" and "" are none. */
static size_t
split(char *s, char sep, char **out, size_t max)
{
	size_t n = 0;

	if (!s || !*s || strcmp(s, "-") == 0)
		return 0;
	while (s && n < max) {
		char *next = strchr(s, sep);

		if (next)
			*next++ = '\0';
		if (*s)
			out[n++] = s;
		s = next;
	}
	return n;
}

/* Reads one line "key label names head cues" into the next row. */
static void
table_row(char *line)
{
	char *f[5] = { NULL }, *items[MAX_ITEMS];
	row_store *r;
	size_t n;

	if (n_rows >= TR_DOCTYPE_MAX || split(line, '\t', f, 5) < 2)
		return;
	r = &rows[n_rows++];
	r->row.key = f[0];
	r->row.label = f[1];
	r->row.names = r->names;
	r->row.n_names = split(f[2], ';', (char **)r->names, MAX_ITEMS);
	r->row.head = r->head;
	if (f[3] && strchr(f[3], ':') && strcmp(f[3], "-") != 0) {
		char *colon = strchr(f[3], ':');

		*colon = '\0';
		r->row.head_points = strtod(f[3], NULL);
		r->row.n_head = split(colon + 1, ';', (char **)r->head, MAX_ITEMS);
	}
	r->row.cues = r->cues;
	n = split(f[4], ';', items, MAX_ITEMS);
	for (size_t i = 0; i < n; i++) {
		char *eq = strrchr(items[i], '=');
		tr__doctype_cue *c = &r->cues[r->row.n_cues];

		if (!eq)
			continue;
		*eq = '\0';
		c->line_start = items[i][0] == '^';
		c->phrase = items[i] + c->line_start;
		c->points = strtod(eq + 1, NULL);
		r->row.n_cues++;
	}
}

static void
table_load(void)
{
	char *p;

	rows[0].row.key = "unbekannt";
	rows[0].row.label = "Unbekannt";
	table_text = strdup(tr__types_tsv);
	for (p = table_text; p && *p;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl++ = '\0';
		if (*p != '#' && *p)
			table_row(p);
		p = nl;
	}
}

static void
table_init(void)
{
	pthread_once(&table_once, table_load);
}

int
tr_doctype_count(void)
{
	table_init();
	return n_rows;
}

const tr__doctype_row *
tr__doctype_get(tr_doctype t)
{
	table_init();
	return (int)t > 0 && (int)t < n_rows ? &rows[t].row : NULL;
}

const char *
tr_doctype_key(tr_doctype t)
{
	table_init();
	return (int)t >= 0 && (int)t < n_rows ? rows[t].row.key : rows[0].row.key;
}

const char *
tr_doctype_label(tr_doctype t)
{
	table_init();
	return (int)t >= 0 && (int)t < n_rows ? rows[t].row.label : rows[0].row.label;
}

bool
tr__doctype_pattern_match(const char *pattern, const char *w, size_t n)
{
	size_t pn = strlen(pattern);

	if (pn > 1 && pattern[0] == '*')
		return n >= pn - 1 && memcmp(w + n - (pn - 1), pattern + 1, pn - 1) == 0;
	if (pn > 1 && pattern[pn - 1] == '*')
		return n >= pn - 1 && memcmp(w, pattern, pn - 1) == 0;
	return n == pn && memcmp(w, pattern, n) == 0;
}

/*
 * A key or a name as written wins over a pattern ("bildungsbericht" is
 * named, "*bericht" only matches), and the first row over later ones.
 */
/* The type whose key or name (not pattern) is @key: 0 if none, *pattern_type the first pattern's. */
static int
name_lookup(const char *key, size_t n, int *pattern_type)
{
	*pattern_type = 0;
	for (int t = 1; t < n_rows; t++) {
		const tr__doctype_row *r = &rows[t].row;

		if (strcmp(key, r->key) == 0)
			return t;
		for (size_t i = 0; i < r->n_names; i++) {
			const char *p = r->names[i];
			bool is_pattern = p[0] == '*' || p[strlen(p) - 1] == '*';

			if (!is_pattern && strcmp(key, p) == 0)
				return t;
			if (is_pattern && !*pattern_type && tr__doctype_pattern_match(p, key, n))
				*pattern_type = t;
		}
	}
	return 0;
}

tr_status
tr_doctype_from_name(tr_doctype *out, const char *name)
{
	char *key = tr_text_fold_dup(name);
	int t = 0, pattern_type = 0;

	if (!key)
		return TR_ENOMEM;
	tr_text_squeeze(key);
	table_init();
	if (*key)
		t = name_lookup(key, strlen(key), &pattern_type);
	free(key);
	if (!t)
		t = pattern_type;
	if (!t)
		return TR_ENOTFOUND;
	*out = (tr_doctype)t;
	return TR_OK;
}
