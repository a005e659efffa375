/*
 * One German face (issue 21), the parts without an index: which spelling
 * suggestions are worth showing, what the query parser repairs, which
 * operator mistakes it explains and how, and which typed text it refuses.
 * tests/cli/face.sh checks the same through the command line and the server.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "query.h"
#include "spelling.h"

static const struct {
	const char *typed, *suggested;
	bool ok;
} suggestions[] = {
	{ "Asyl", "all", false },              /* two edits away from four letters */
	{ "Asyl", "asyle", true },
	{ "Shcule", "schule", true },          /* a swap is one edit */
	{ "Schuule", "schule", true },
	{ "Kchule", "schule", false },         /* the first letter is kept */
	{ "Sprachfoerdrung", "sprachförderung", true },
	{ "Integrazion", "integration", true },
	{ "Intgraton", "integration", true },  /* two edits in nine letters */
	{ "Kita", "kitas", true },
	{ "Kit", "kita", false },              /* below four letters: none */
	{ "einr", "einer", false },            /* a stopword */
	{ "Elternabend", "elternarbeit", false },
};

static const struct {
	const char *input;
	tr_status st;
	const char *text;      /* the text for Xapian, or a part of the message */
	const char *notice;    /* NULL: none */
} queries[] = {
	{ "Schule Leipzig", TR_OK, "Schule Leipzig", NULL },
	{ "\"nachholende Schulbildung", TR_OK, "\"nachholende Schulbildung\"", "Anführungszeichen ergänzt" },
	{ "„nachholende Schulbildung", TR_OK, "\"nachholende Schulbildung\"", "Anführungszeichen ergänzt" },
	{ "(Schule OR Kita", TR_OK, "(Schule OR Kita)", "Klammer ergänzt" },
	{ "((Schule OR Kita", TR_OK, "((Schule OR Kita))", "Klammern ergänzt" },
	{ "Schule) Kita", TR_OK, "Schule Kita", "Klammer ohne öffnende Klammer weggelassen" },
	{ "\"Schule (Kita", TR_OK, "\"Schule (Kita\"", "Anführungszeichen ergänzt" },
	{ "Schule\tKita\r\nLeipzig", TR_OK, "Schule Kita Leipzig", NULL },
	{ "NOT Leipzig", TR_OK, "NOT Leipzig", NULL },
	{ "Schule NICHT Leipzig", TR_OK, "Schule NOT Leipzig", NULL },
	{ "Schule AND NOT Leipzig", TR_OK, "Schule AND NOT Leipzig", NULL },
	{ "Schule OR NOT Leipzig", TR_OK, "Schule OR NOT Leipzig", NULL },
	{ "Schule () Kita", TR_OK, "Schule () Kita", NULL },
	{ "\"AND\" Schule", TR_OK, "\"AND\" Schule", NULL },
	{ "Schule NEAR", TR_OK, "Schule NEAR", NULL },
	{ "AND NOT windows", TR_EBADQUERY, "UND NICHT (AND NOT) braucht ein Wort davor, z. B. Schule UND NICHT Leipzig", NULL },
	{ "gordian NOT", TR_EBADQUERY, "NICHT (NOT) braucht ein Wort danach", NULL },
	{ "gordian AND NOT", TR_EBADQUERY, "UND NICHT (AND NOT) braucht ein Wort danach", NULL },
	{ "OR foo", TR_EBADQUERY, "ODER (OR) braucht ein Wort davor, z. B. Schule ODER Kita", NULL },
	{ "ODER Kita", TR_EBADQUERY, "ODER (OR) braucht ein Wort davor", NULL },
	{ "XOR", TR_EBADQUERY, "XOR braucht ein Wort davor", NULL },
	{ "foo OR (something AND)", TR_EBADQUERY, "UND (AND) braucht ein Wort danach", NULL },
	{ "foo OR ()", TR_EBADQUERY, "ODER (OR) braucht ein Wort danach", NULL },
	{ "foo (OR bar)", TR_EBADQUERY, "ODER (OR) braucht ein Wort davor", NULL },
	{ "foo AND -", TR_EBADQUERY, "UND (AND) braucht ein Wort danach", NULL },
	{ "NOT NOT foo", TR_EBADQUERY, "NICHT (NOT) braucht ein Wort danach", NULL },
	{ "hard\xa0space", TR_EINVAL, "ungültige Zeichen in der Suchanfrage (kein gültiges UTF-8)", NULL },
	{ "Schule\x01", TR_EINVAL, "ungültige Zeichen in der Suchanfrage (Steuerzeichen)", NULL },
	{ "Schule\x7f", TR_EINVAL, "ungültige Zeichen in der Suchanfrage (Steuerzeichen)", NULL },
};

int
main(void)
{
	tr_query_vocab vocab = { NULL, NULL };

	CHECK(tr__spelling_max_edits(3) == 0);
	CHECK(tr__spelling_max_edits(4) == 1);
	CHECK(tr__spelling_max_edits(8) == 2);
	for (size_t i = 0; i < sizeof suggestions / sizeof suggestions[0]; i++)
		CHECK_MSG(tr__spelling_acceptable(suggestions[i].typed, suggestions[i].suggested) == suggestions[i].ok,
		          "%s -> %s", suggestions[i].typed, suggestions[i].suggested);

	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		tr_query q;
		char *err = NULL;
		tr_status st;

		tr_query_init(&q);
		st = tr_query_parse(&q, &vocab, queries[i].input, &err);
		CHECK_MSG(st == queries[i].st, "%s: status %d, want %d (%s)", queries[i].input, st, queries[i].st,
		          err ? err : "");
		if (st == TR_OK)
			CHECK_STR(q.text, queries[i].text);
		else
			CHECK_MSG(err && strstr(err, queries[i].text) && !strchr(err, '\n'), "%s: message %s",
			          queries[i].input, err ? err : "(none)");
		if (st == TR_OK && queries[i].notice)
			CHECK_MSG(q.notice && strstr(q.notice, queries[i].notice), "%s: notice %s", queries[i].input,
			          q.notice ? q.notice : "(none)");
		else if (st == TR_OK)
			CHECK_MSG(!q.notice, "%s: unexpected notice %s", queries[i].input, q.notice);
		free(err);
		tr_query_clear(&q);
	}

	/* Xapian's own refusals get the same kind of sentence. */
	CHECK_STR(tr_query_engine_message("Syntax: <expression> AND NOT <expression>"),
	          "Suchanfrage nicht verständlich: UND NICHT (AND NOT) braucht ein Wort davor und danach, z. B. Schule UND NICHT Leipzig");
	CHECK(strstr(tr_query_engine_message("Syntax: <expression> OR <expression>"), "ODER (OR)") != NULL);
	CHECK(strstr(tr_query_engine_message(NULL), "Suchanfrage nicht verständlich") != NULL);
	return check_done();
}
