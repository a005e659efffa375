/*
 * Prints the compound split of each word read from stdin (one a line, the
 * first TAB-separated column): "word<TAB>part+part+part", or the word
 * alone when it is not split.  scripts/eval-compounds scores its output.
 */
#include <stdio.h>
#include <string.h>

#include "german.h"

int
main(void)
{
	char line[1024];

	if (!tr__german_available()) {
		fprintf(stderr, "german_split: built without the German lexicon\n");
		return 77;
	}
	while (fgets(line, sizeof line, stdin)) {
		size_t n = strcspn(line, "\t\r\n");
		tr__split s;

		line[n] = '\0';
		tr__german_split(line, n, &s);
		fputs(line, stdout);
		for (size_t i = 0; i < s.n; i++)
			printf("%c%.*s", i ? '+' : '\t', (int)s.part[i].len, line + s.part[i].off);
		putchar('\n');
	}
	return 0;
}
