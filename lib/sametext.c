/*
 * The same-text key (docs/terms.md): XXH3-128 over the case-folded letters
 * and digits of the text, in order.  Spaces, line breaks, hyphens and
 * punctuation are left out, so a word hyphenated at a line end in the PDF
 * reads as the word of the .docx; page furniture is left out too: a page's
 * first or last line when it is only a page number ("- 3 -", "Seite 3 von
 * 5") or when it repeats, page numbers aside, on at least two pages and
 * half of them (running heads and feet).
 */
#include "sametext.h"

#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <xxhash.h>

#include "buf.h"
#include "text.h"

/* Pages beyond this many are hashed without looking for running heads. */
#define FURNITURE_PAGES_MAX 2000

/* One page's first or last non-empty line, and its key with the numbers left out. */
struct edge {
	const char *line;
	size_t len;
	char *key;
	bool number;         /* only a page number */
};

static bool
is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* Whether folded word @w is part of a page-number line. */
static bool
page_word(const char *w, size_t n)
{
	static const char *const words[] = { "seite", "von", "page", "of", "s", "bl", "blatt" };

	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
			return true;
	return false;
}

/*
 * Folds @line into @folded and, if @key is not NULL, its words but the
 * numbers into @key.  Returns whether the line is only a page number.
 */
static bool
fold_line(const char *line, size_t len, tr_buf *folded, tr_buf *key)
{
	size_t pos = 0, start, wlen;
	bool number = false, other = false;

	tr_buf_reset(folded);
	if (tr_text_fold(folded, line, len) != TR_OK)
		return false;
	while (tr_text_next_word(folded->ptr ? folded->ptr : "", folded->len, &pos, &start, &wlen)) {
		const char *w = folded->ptr + start;
		if (is_digits(w, wlen))
			number = true;
		else if (!page_word(w, wlen))
			other = true;
		if (key && !is_digits(w, wlen)) {
			tr_buf_add(key, w, wlen);
			tr_buf_addc(key, ' ');
		}
	}
	return number && !other;
}

static bool
blank(const char *s, size_t n)
{
	size_t pos = 0, start, wlen;

	return !tr_text_next_word(s, n, &pos, &start, &wlen);
}

/* The first (@last: last) non-blank line of page [p, end). */
static struct edge
page_edge(const char *p, const char *end, bool last)
{
	struct edge e = { NULL, 0, NULL, false };

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if (!blank(p, (size_t)(stop - p))) {
			e.line = p;
			e.len = (size_t)(stop - p);
			if (!last)
				break;
		}
		p = nl ? nl + 1 : end;
	}
	return e;
}

/* Pages of @body: fills up to @max page starts (end of the last at strlen). */
static size_t
split_pages(const char *body, const char **starts, size_t max)
{
	size_t n = 0;

	for (const char *p = body; p && n < max; ) {
		starts[n++] = p;
		p = strchr(p, '\f');
		if (p)
			p++;
	}
	return n;
}

/* Marks as furniture the edges whose key repeats on two pages and half of them. */
static void
find_running_lines(struct edge *edges, size_t n_edges, size_t n_pages, bool *furniture)
{
	for (size_t i = 0; i < n_edges; i++) {
		size_t same = 0;
		furniture[i] = edges[i].number;
		if (furniture[i] || n_pages < 2 || !edges[i].key || !*edges[i].key)
			continue;
		for (size_t j = 0; j < n_edges; j++)
			if (edges[j].key && strcmp(edges[i].key, edges[j].key) == 0 && edges[j].line != edges[i].line)
				same++;
		/* Each page has two edges; count pages, not edges, roughly: a repeat on another page. */
		furniture[i] = same + 1 >= 2 && 2 * (same + 1) >= n_pages;
	}
}

/* Appends the folded words of @s[0..len) to @out, run together. */
static void
normal_lines_of(const char *s, size_t len, tr_buf *out)
{
	tr_buf folded = TR_BUF_INIT((size_t)-1 / 2);
	size_t pos = 0, start, wlen;

	if (tr_text_fold(&folded, s, len) == TR_OK)
		while (tr_text_next_word(folded.ptr ? folded.ptr : "", folded.len, &pos, &start, &wlen))
			tr_buf_add(out, folded.ptr + start, wlen);
	tr_buf_free(&folded);
}

/*
 * Appends the folds of the words of @w that begin before @end, from word
 * *k on, to @out (unless @skip): the folded words of a line whose text
 * folds character by character (tr_text_words.local).
 */
static void
found_words_of(const tr_text_words *w, size_t *k, size_t end, bool skip, tr_buf *out)
{
	for (; *k < w->n && w->v[*k].start < end; (*k)++)
		if (!skip)
			tr_buf_add(out, tr_text_word_fold(w, &w->v[*k]), w->v[*k].flen);
}

/*
 * Appends the folded words of every line that is not furniture to @out,
 * from @words where they were found and folded for the whole body.
 */
static void
normal_lines(const char *body, const tr_text_words *words, const struct edge *edges, const bool *furniture,
             size_t n_edges, tr_buf *out)
{
	size_t e = 0;   /* edges are in text order: the next one at or after the line */
	size_t k = 0;   /* the next of @words */

	for (const char *p = body; *p; ) {
		size_t n = strcspn(p, "\n\f");
		bool skip;

		while (e < n_edges && edges[e].line < p)
			e++;
		skip = e < n_edges && edges[e].line == p && furniture[e];
		if (words)
			found_words_of(words, &k, (size_t)(p - body) + n, skip, out);
		else if (!skip)
			normal_lines_of(p, n, out);
		p += n;
		if (*p)
			p++;
	}
}

/* The edges of every page with their number-free keys; NULL when out of memory. */
static struct edge *
collect_edges(const char *body, size_t *n_edges, size_t *n_pages)
{
	const char **starts = malloc(FURNITURE_PAGES_MAX * sizeof *starts);
	struct edge *edges = NULL;
	tr_buf folded = TR_BUF_INIT((size_t)-1 / 2);

	*n_edges = 0;
	*n_pages = starts ? split_pages(body, starts, FURNITURE_PAGES_MAX) : 0;
	if (starts && *n_pages >= 1)
		edges = calloc(2 * *n_pages, sizeof *edges);
	for (size_t i = 0; edges && i < *n_pages; i++) {
		const char *end = i + 1 < *n_pages ? starts[i + 1] - 1 : body + strlen(body);
		for (int last = 0; last < 2; last++) {
			struct edge e = page_edge(starts[i], end, last);
			tr_buf key = TR_BUF_INIT(4096);
			if (!e.line || (last && *n_edges && edges[*n_edges - 1].line == e.line))
				continue;
			e.number = fold_line(e.line, e.len, &folded, &key);
			e.key = tr_buf_detach(&key);
			edges[(*n_edges)++] = e;
		}
	}
	tr_buf_free(&folded);
	free(starts);
	return edges;
}

/*
 * The normalised body: folded words without page furniture, run together;
 * @words: the body's words, found and folded for all of it, or NULL.
 */
static void
normal_body(const char *body, const tr_text_words *words, tr_buf *out)
{
	size_t n_edges = 0, n_pages = 0;
	struct edge *edges = collect_edges(body, &n_edges, &n_pages);
	bool *furniture = calloc(n_edges ? n_edges : 1, sizeof *furniture);

	if (furniture) {
		find_running_lines(edges, n_edges, n_pages, furniture);
		normal_lines(body, words, edges, furniture, n_edges, out);
	}
	for (size_t i = 0; i < n_edges; i++)
		free(edges[i].key);
	free(edges);
	free(furniture);
}

/* The file name's last component without its extension, normalised. */
static void
normal_name(const char *path, tr_buf *out)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	const char *dot;

	base = base ? base + 1 : path ? path : "";
	dot = strrchr(base, '.');
	normal_lines_of(base, dot && dot != base ? (size_t)(dot - base) : strlen(base), out);
}

bool
tr_same_text_key(const tr_doc *doc, char out[TR_SAME_TEXT_KEY_LEN + 1])
{
	tr_buf body = TR_BUF_INIT((size_t)-1 / 2), title = TR_BUF_INIT((size_t)-1 / 2),
	       name = TR_BUF_INIT((size_t)-1 / 2);
	XXH128_hash_t h;
	static const char hex[] = "0123456789abcdef";

	out[0] = '\0';
	if (doc->body)
		normal_body(doc->body, tr_text_words_cover(doc->words, doc->body), &body);
	if (doc->title)
		normal_lines_of(doc->title, strlen(doc->title), &title);
	normal_name(doc->path, &name);
	/*
	 * The title is part of the text unless the text starts with it (an
	 * HTML title over its heading) or it is the file name (a format with
	 * no title of its own): a .txt whose first line became the title then
	 * reads like the .md that kept that line in its text.
	 */
	bool own_title = title.len && !(title.len <= body.len && memcmp(title.ptr, body.ptr, title.len) == 0) &&
	                 !(title.len == name.len && memcmp(title.ptr, name.ptr, name.len) == 0);
	if (body.len) {
		XXH3_state_t *state = XXH3_createState();
		if (state && XXH3_128bits_reset(state) == XXH_OK) {
			if (own_title)
				XXH3_128bits_update(state, title.ptr, title.len);
			XXH3_128bits_update(state, body.ptr, body.len);
			h = XXH3_128bits_digest(state);
			for (int i = 0; i < 16; i++) {
				uint64_t half = i < 8 ? h.high64 : h.low64;
				unsigned char b = (unsigned char)(half >> (56 - 8 * (i % 8)));
				out[2 * i] = hex[b >> 4];
				out[2 * i + 1] = hex[b & 15];
			}
			out[TR_SAME_TEXT_KEY_LEN] = '\0';
		}
		XXH3_freeState(state);
	}
	tr_buf_free(&body);
	tr_buf_free(&title);
	tr_buf_free(&name);
	return out[0] != '\0';
}

/* Whether @s[0..n) ends with @suffix (ASCII, any case). */
static bool
ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && strncasecmp(s + n - m, suffix, m) == 0;
}

bool
tr_path_names_copy(const char *path)
{
	static const char *const prefixes[] = { "kopie von ", "copy of ", "kopie - ", "kopie_von_" };
	static const char *const suffixes[] = { " - kopie", " - copy", " kopie", "_kopie", "-kopie", "_copy",
	                                        "-copy", "_alt", "-alt", " alt", "_old", "-old", "_backup", "-backup" };
	const char *base = strrchr(path, '/'), *dot;
	size_t n;

	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (strncasecmp(base, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	dot = strrchr(base, '.');
	n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	/* " (2)": the number a file manager gives a second copy. */
	if (n >= 4 && base[n - 1] == ')') {
		size_t j = n - 1;
		while (j > 0 && base[j - 1] >= '0' && base[j - 1] <= '9')
			j--;
		if (j < n - 1 && j >= 2 && base[j - 1] == '(' && base[j - 2] == ' ')
			return true;
	}
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
		if (ends_with_ci(base, n, suffixes[i]))
			return true;
	return false;
}
