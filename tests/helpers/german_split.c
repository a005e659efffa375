/*
 * Prints the compound split of each word read from stdin (one a line, the
 * first TAB-separated column): "word<TAB>part+part+part", or the word
 * alone when it is not split.  scripts/eval-compounds scores its output.
 * With --terms: the word, then the compound terms it contributes
 * (tr__german_compound_terms(), "*" after runs that end the word) and the
 * other forms it is indexed under (tr__german_word_forms()).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "german.h"

static void
print_part(const char *s, size_t len, bool head, void *ctx)
{
	(void)ctx;
	printf(" %.*s%s", (int)len, s, head ? "*" : "");
}

static void
print_form(const char *s, size_t len, void *ctx)
{
	(void)ctx;
	printf(" =%.*s", (int)len, s);
}

int
main(int argc, char **argv)
{
	char line[1024];
	bool terms = argc > 1 && strcmp(argv[1], "--terms") == 0;

	if (!tr__german_available()) {
		fprintf(stderr, "german_split: built without the German lexicon\n");
		return 77;
	}
	while (fgets(line, sizeof line, stdin)) {
		size_t n = strcspn(line, "\t\r\n");
		tr__split s;

		line[n] = '\0';
		if (terms) {
			fputs(line, stdout);
			tr__german_compound_terms(line, n, print_part, NULL);
			tr__german_word_forms(line, n, print_form, NULL);
			putchar('\n');
			continue;
		}
		tr__german_split(line, n, &s);
		fputs(line, stdout);
		for (size_t i = 0; i < s.n; i++)
			printf("%c%.*s", i ? '+' : '\t', (int)s.part[i].len, line + s.part[i].off);
		putchar('\n');
	}
	return 0;
}
