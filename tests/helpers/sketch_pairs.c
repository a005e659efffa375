/*
 * For scripts/eval-versions: reads lines "FILE_A<TAB>FILE_B<TAB>LABEL" and
 * prints "SIMILARITY<TAB>LABEL<TAB>FILE_A<TAB>FILE_B<TAB>FOUND", the
 * similarity being lib/shingle.c's estimate over each file's text (read
 * as it is; -1 when either text is too short for a sketch), FOUND 1 when
 * the two share one of their TR_SKETCH_TERMS smallest hashes (a search
 * finds the one from the other by its terms), else 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shingle.h"

static bool
sketch_file(const char *path, tr_sketch *s)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long n;
	bool ok;

	if (!f)
		return false;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return false;
	}
	text = malloc((size_t)n + 1);
	ok = text && fread(text, 1, (size_t)n, f) == (size_t)n;
	fclose(f);
	ok = ok && tr_sketch_text(text, (size_t)n, s);
	free(text);
	return ok;
}

static int
found(const tr_sketch *a, const tr_sketch *b)
{
	for (size_t i = 0; i < a->n && i < TR_SKETCH_TERMS; i++)
		for (size_t j = 0; j < b->n && j < TR_SKETCH_TERMS; j++)
			if (a->h[i] == b->h[j])
				return 1;
	return 0;
}

int
main(void)
{
	char line[8192];

	while (fgets(line, sizeof line, stdin)) {
		char *a = line, *b = strchr(a, '\t'), *label;
		tr_sketch sa, sb;
		if (!b || !(label = strchr(b + 1, '\t')))
			continue;
		*b++ = '\0';
		*label++ = '\0';
		label[strcspn(label, "\n")] = '\0';
		if (!sketch_file(a, &sa) || !sketch_file(b, &sb))
			printf("-1\t%s\t%s\t%s\n", label, a, b);
		else
			printf("%.3f\t%s\t%s\t%s\t%d\n", tr_sketch_similarity(&sa, &sb), label, a, b, found(&sa, &sb));
	}
	return 0;
}
