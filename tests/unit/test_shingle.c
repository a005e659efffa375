/* Shingle sketches: which texts count as versions of one (lib/shingle.h, docs/terms.md "Versions"). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "shingle.h"
#include "text.h"

static double
sim(const char *a, const char *b)
{
	tr_sketch sa, sb;

	if (!tr_sketch_text(a, strlen(a), &sa) || !tr_sketch_text(b, strlen(b), &sb))
		return -1.0;
	return tr_sketch_similarity(&sa, &sb);
}

/* The texts the indexer's found words must sketch as the text itself does (see found_same()). */
static const char *const found_cases[][2] = {
	{ "Bericht", "Das Netzwerktreffen der Bildungs-\nkoordinatoren fand am 12. März in Freiberg statt, "
	             "Themen waren DaZ-Unterricht und Sprach- \n  kurse für Neuzugewanderte." },
	/* A hyphen at the title's end and a body starting in lower case: one word across the two. */
	{ "Netzwerktreffen der Bildungs-", "koordinatoren in Freiberg am zwölften März mit Gästen aus Plauen und Zwickau" },
	{ "Netzwerktreffen der Bildungs-", "Koordinatoren in Freiberg am zwölften März mit Gästen aus Plauen und Zwickau" },
	{ NULL, "Über-\nsetzung und Ver-\r\n\tmittlung, Sprach-\n\nmittler, Eltern-\n-\narbeit, -\nweiter, "
	        "x-\n\xC3\x97 y, Straße-\n\xC3\xA4rger, Maß-\nÖl und so fort bis zum Ende" },
	/* Words longer than a shingle keeps, or than are folded on their own. */
	{ "", "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellerverbandsvorsitzender-\n"
	      "stellvertreterin und Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnungs"
	      "änderungsgesetzesentwurfsbegründungsabschnitt sind lange Wörter im Deutschen, sehr lange" },
	/* Text that does not fold character by character: read as before. */
	{ "Schu\xCC\x88ler", "Die Schu\xCC\x88ler in Görlitz lernen Deutsch, Ελληνικά und Українська im Kurs am Morgen" },
	{ "", "" },
};

/* Sketches @title and @body with and without the body's words found by the indexer; 1 when they agree. */
static int
found_same(const char *title, const char *body)
{
	tr_text_words words = TR_TEXT_WORDS_INIT;
	tr_doc doc;
	tr_sketch a, b;
	bool oka, okb;

	memset(&doc, 0, sizeof doc);
	doc.title = (char *)title;
	doc.body = (char *)body;
	oka = tr_sketch_doc(&doc, &a);
	if (tr_text_words_find(&words, body, 0, strlen(body)) != TR_OK || tr_text_words_fold(&words, body) != TR_OK)
		return 0;
	doc.words = &words;
	okb = tr_sketch_doc(&doc, &b);
	tr_text_words_free(&words);
	return oka == okb && a.n == b.n && memcmp(a.h, b.h, a.n * sizeof a.h[0]) == 0;
}

int
main(void)
{
	const char *release =
		"Das Netzwerktreffen der Bildungskoordinatoren fand am 12. März 2024 in Freiberg statt. "
		"Themen waren DaZ-Unterricht und Sprachkurse für Neuzugewanderte. Die Gastgeber stellten "
		"ihre Arbeit vor, danach berieten die Koordinatoren über die nachholende Schulbildung.";
	const char *draft =
		"Das Netzwerktreffen der Bildungs-\nkoordinatoren fand am 12. März 2024 in Freiberg statt. "
		"Themen waren DaZ-Unterricht und Integrationskurse für Neuzugewanderte. Die Gastgeber stellten "
		"ihre Arbeit vor, danach berieten die Koordinatoren über die nachholende Schulbildung.";
	const char *other =
		"Das Netzwerktreffen der Bildungskoordinatoren fand am 3. Mai 2023 in Plauen statt. "
		"Im Mittelpunkt stand die Elternarbeit in Kitas; eingeladen waren Fachkräfte aus dem "
		"Vogtland, die über Sprachmittler und Elterncafés berichteten.";
	tr_sketch s, t;
	unsigned char bytes[8 * TR_SKETCH_SIZE];

	/* The same words: white space, case, umlaut spelling and a line-end hyphen make no difference. */
	CHECK(sim(release, "DAS   NETZWERKTREFFEN der Bildungs-\nkoordinatoren fand am 12. Maerz 2024 in Freiberg statt. "
	          "Themen waren DaZ-Unterricht und Sprachkurse fuer Neuzugewanderte. Die Gastgeber stellten "
	          "ihre Arbeit vor, danach berieten die Koordinatoren über die nachholende Schulbildung.") == 1.0);
	/* A draft with one word changed is a version; a text on the same template is not. */
	CHECK_MSG(sim(release, draft) >= TR_VERSION_THRESHOLD, "draft: %.3f", sim(release, draft));
	CHECK_MSG(sim(release, other) < TR_VERSION_THRESHOLD, "other: %.3f", sim(release, other));
	CHECK(sim(release, draft) == sim(draft, release));
	/* A hyphen within a line is no line-end hyphenation: "DaZ-Unterricht" stays two words. */
	CHECK(sim("eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf DaZ-Unterricht",
	          "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf DaZUnterricht") < 1.0);
	/* Too short for a sketch. */
	CHECK(!tr_sketch_text("Einladung zum Netzwerktreffen in Chemnitz.", 42, &s) && s.n == 0);
	CHECK(tr_sketch_similarity(&s, &s) == 0.0);

	/* Stored and read back; a malformed value is refused. */
	CHECK(tr_sketch_text(release, strlen(release), &s) && s.n > 0 && s.n <= TR_SKETCH_SIZE);
	for (size_t i = 1; i < s.n; i++)
		CHECK(s.h[i - 1] < s.h[i]);
	tr_sketch_encode(&s, bytes);
	CHECK(tr_sketch_decode(bytes, 8 * s.n, &t) && t.n == s.n && memcmp(s.h, t.h, s.n * sizeof s.h[0]) == 0);
	CHECK(!tr_sketch_decode(bytes, 8 * s.n - 3, &t) && t.n == 0);
	CHECK(!tr_sketch_decode(bytes, 8 * (TR_SKETCH_SIZE + 1), &t));
	if (s.n > 1) {
		unsigned char swapped[16];
		memcpy(swapped, bytes + 8, 8);
		memcpy(swapped + 8, bytes, 8);
		CHECK(!tr_sketch_decode(swapped, 16, &t));
	}

	/* The words the indexer found for its finders give the same sketch as the text. */
	for (size_t i = 0; i < sizeof found_cases / sizeof found_cases[0]; i++)
		CHECK_MSG(found_same(found_cases[i][0], found_cases[i][1]), "case %zu", i);

	/* A long text keeps only the TR_SKETCH_SIZE smallest hashes. */
	{
		char big[8192];
		size_t n = 0;
		for (int i = 0; i < 400 && n + 16 < sizeof big; i++)
			n += (size_t)snprintf(big + n, sizeof big - n, "wort%d ", i);
		CHECK(tr_sketch_text(big, n, &s) && s.n == TR_SKETCH_SIZE);
	}
	return check_done();
}
