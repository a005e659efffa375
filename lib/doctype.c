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

/*
 * The rows' item lists are allocated to their size and live as long as the
 * process, like table_text: fixed arrays of MAX_ITEMS made the table 166 KB
 * of zero pages, of which a process printing one result touched dozens.
 */
static tr__doctype_row rows[TR_DOCTYPE_MAX];
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

/* Splits @s like split() into a list of its own size in *@out; the count (0 if out of memory). */
static size_t
split_list(char *s, char sep, const char *const **out)
{
	char *items[MAX_ITEMS];
	size_t n = split(s, sep, items, MAX_ITEMS);
	const char **list = n ? malloc(n * sizeof *list) : NULL;

	*out = list;
	if (!list)
		return 0;
	memcpy(list, items, n * sizeof *list);
	return n;
}

/* Reads the cues "[^]phrase=points;..." of @s into the row's list. */
static void
row_cues(tr__doctype_row *row, char *s)
{
	char *items[MAX_ITEMS];
	size_t n = split(s, ';', items, MAX_ITEMS);
	tr__doctype_cue *cues = n ? calloc(n, sizeof *cues) : NULL;

	row->cues = cues;
	for (size_t i = 0; cues && i < n; i++) {
		char *eq = strrchr(items[i], '=');
		tr__doctype_cue *c = &cues[row->n_cues];

		if (!eq)
			continue;
		*eq = '\0';
		c->line_start = items[i][0] == '^';
		c->phrase = items[i] + c->line_start;
		c->points = strtod(eq + 1, NULL);
		row->n_cues++;
	}
}

/* Reads one line "key label names head cues" into the next row. */
static void
table_row(char *line)
{
	char *f[5] = { NULL };
	tr__doctype_row *r;

	if (n_rows >= TR_DOCTYPE_MAX || split(line, '\t', f, 5) < 2)
		return;
	r = &rows[n_rows++];
	r->key = f[0];
	r->label = f[1];
	r->n_names = split_list(f[2], ';', &r->names);
	if (f[3] && strchr(f[3], ':') && strcmp(f[3], "-") != 0) {
		char *colon = strchr(f[3], ':');

		*colon = '\0';
		r->head_points = strtod(f[3], NULL);
		r->n_head = split_list(colon + 1, ';', &r->head);
	}
	row_cues(r, f[4]);
}

static void
table_load(void)
{
	char *p;

	rows[0].key = "unbekannt";
	rows[0].label = "Unbekannt";
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
	return (int)t > 0 && (int)t < n_rows ? &rows[t] : NULL;
}

const char *
tr_doctype_key(tr_doctype t)
{
	table_init();
	return (int)t >= 0 && (int)t < n_rows ? rows[t].key : rows[0].key;
}

const char *
tr_doctype_label(tr_doctype t)
{
	table_init();
	return (int)t >= 0 && (int)t < n_rows ? rows[t].label : rows[0].label;
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
		const tr__doctype_row *r = &rows[t];

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
