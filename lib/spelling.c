#include "spelling.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "german.h"
#include "text.h"

unsigned
tr__spelling_max_edits(size_t chars)
{
	return chars < 4 ? 0 : chars <= 7 ? 1 : 2;
}

/* The code points of @s (valid UTF-8 from tr_text_fold_dup()); NULL when out of memory. */
static utf8proc_int32_t *
code_points(const char *s, size_t *n)
{
	size_t len = strlen(s);
	utf8proc_int32_t *v = malloc((len + 1) * sizeof *v);
	utf8proc_ssize_t k;

	*n = 0;
	if (!v)
		return NULL;
	for (const char *p = s; *p; p += k) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &v[*n]);
		if (k <= 0)
			break;
		(*n)++;
	}
	return v;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

/* Edits from @a to @b (insert, delete, replace, swap of neighbours), stopping early above @limit. */
static size_t
distance(const utf8proc_int32_t *a, size_t na, const utf8proc_int32_t *b, size_t nb, size_t limit)
{
	size_t *d, w = nb + 1, r;

	if ((na > nb ? na - nb : nb - na) > limit)
		return limit + 1;
	d = malloc((na + 1) * w * sizeof *d);
	if (!d)
		return limit + 1;
	for (size_t i = 0; i <= na; i++)
		d[i * w] = i;
	for (size_t j = 0; j <= nb; j++)
		d[j] = j;
	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = min3(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[(i - 2) * w + j - 2] + 1 < v)
				v = d[(i - 2) * w + j - 2] + 1;
			d[i * w + j] = v;
		}
	r = d[na * w + nb];
	free(d);
	return r;
}

bool
tr__spelling_acceptable(const char *typed, const char *suggested)
{
	char *t = tr_text_fold_dup(typed), *s = tr_text_fold_dup(suggested);
	utf8proc_int32_t *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	bool ok = false;

	if (!t || !s || tr__german_is_stopword(suggested, strlen(suggested)))
		goto done;
	a = code_points(t, &na);
	b = code_points(s, &nb);
	if (!a || !b || !na || !nb || a[0] != b[0])
		goto done;
	ok = distance(a, na, b, nb, tr__spelling_max_edits(na)) <= tr__spelling_max_edits(na);
done:
	free(t);
	free(s);
	free(a);
	free(b);
	return ok;
}
