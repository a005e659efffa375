/* Where a metadata finder read its value: the words and the body's line (indexer/meta.h). */
#include "meta.h"

#include <string.h>

/* Bytes before a match kept as its context: "Landratsamt in " before "Freiberg". */
#define CONTEXT_BYTES 40

static bool
is_line_end(char c)
{
	return c == '\n' || c == '\f' || c == '\r';
}

void
tr__meta_where_set(tr__meta_where *w, const char *s, size_t at, size_t len, bool body)
{
	size_t start = at, end = at + len, n;

	w->line = 0;
	if (body) {
		w->line = 1;
		for (size_t i = 0; i < at; i++)
			if (s[i] == '\n' || s[i] == '\f')
				w->line++;
	}
	/* Back to the line's start, at most CONTEXT_BYTES, then forward to a word's start. */
	while (start > 0 && at - start < CONTEXT_BYTES && !is_line_end(s[start - 1]))
		start--;
	if (start > 0 && !is_line_end(s[start - 1]))
		while (start < at && s[start] != ' ')
			start++;
	while (start < at && (s[start] == ' ' || s[start] == '\t'))
		start++;
	n = end - start;
	if (n >= sizeof w->text) {
		start = end - (sizeof w->text - 1);
		n = sizeof w->text - 1;
	}
	/* Never start inside a UTF-8 character. */
	while (n > 0 && ((unsigned char)s[start] & 0xC0) == 0x80) {
		start++;
		n--;
	}
	memcpy(w->text, s + start, n);
	w->text[n] = '\0';
}
