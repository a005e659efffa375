/* The same-text key: which texts count as one (lib/sametext.h, docs/terms.md). */
#include <string.h>

#include "check.h"
#include "sametext.h"
#include "text.h"

/* The key of a document with @title, @body and file @path. */
static void
key_of(const char *path, const char *title, const char *body, char out[TR_SAME_TEXT_KEY_LEN + 1])
{
	tr_doc d;

	memset(&d, 0, sizeof d);
	d.path = (char *)path;
	d.title = (char *)title;
	d.body = (char *)body;
	tr_same_text_key(&d, out);
}

static int
same(const char *p1, const char *t1, const char *b1, const char *p2, const char *t2, const char *b2)
{
	char k1[TR_SAME_TEXT_KEY_LEN + 1], k2[TR_SAME_TEXT_KEY_LEN + 1];

	key_of(p1, t1, b1, k1);
	key_of(p2, t2, b2, k2);
	return k1[0] && strcmp(k1, k2) == 0;
}

/* Bodies whose key must not depend on whether the indexer found their words (see found_same()). */
static const char *const found_bodies[] = {
	"Das  Netzwerktreffen der Bildungs-\nkoordinatoren fand\tin Freiberg statt.\n\nThemen: Straße, Maß, Öl.",
	"Landratsamt Mittelsachsen – Bericht 2024\nErster Absatz über DaZ.\n- 1 -\f"
	"Landratsamt Mittelsachsen – Bericht 2024\nZweiter Absatz über Kitas.\nSeite 2 von 3\f"
	"Landratsamt Mittelsachsen – Bericht 2024\nDritter Absatz.\n3",
	"\f\fx\n\n\xC3\x97\xC2\xB5\xC2\xAA \xC2\xB2 \xE2\x80\x9EZitat\xE2\x80\x9C \xE2\x82\xAC 5\f",
	"SCHU\xCC\x88LER IN GOERLITZ und Ελληνικά",
	"",
};

/* The key of @body with and without its words found and folded by the indexer; 1 when they agree. */
static int
found_same(const char *body)
{
	tr_text_words words = TR_TEXT_WORDS_INIT;
	char k1[TR_SAME_TEXT_KEY_LEN + 1], k2[TR_SAME_TEXT_KEY_LEN + 1];
	tr_doc d;

	memset(&d, 0, sizeof d);
	d.path = (char *)"/a/x.pdf";
	d.title = (char *)"Bericht";
	d.body = (char *)body;
	tr_same_text_key(&d, k1);
	if (tr_text_words_find(&words, body, 0, strlen(body)) != TR_OK || tr_text_words_fold(&words, body) != TR_OK)
		return 0;
	d.words = &words;
	tr_same_text_key(&d, k2);
	tr_text_words_free(&words);
	return strcmp(k1, k2) == 0;
}

int
main(void)
{
	char k[TR_SAME_TEXT_KEY_LEN + 1];
	const char *plain = "Das Netzwerktreffen der Bildungskoordinatoren fand in Freiberg statt.\n"
	                    "Themen waren Sprachkurse.";

	/* White space, line breaks and a word hyphenated at the line end. */
	CHECK(same("/a/x.txt", "Bericht", plain, "/b/y.pdf", "Bericht",
	           "Das  Netzwerktreffen der Bildungs-\nkoordinatoren fand\tin Freiberg statt.\n\nThemen waren Sprachkurse."));
	/* Case, NFD umlauts and ae/oe/ue spellings fold alike. */
	CHECK(same("/a/x.txt", "", "Schüler in Görlitz", "/a/y.txt", "", "SCHU\xCC\x88LER IN GOERLITZ"));
	/* Page furniture: page-number lines and a running head on every page. */
	CHECK(same("/a/x.docx", "Bericht", "Erster Absatz über DaZ.\nZweiter Absatz über Kitas.\nDritter Absatz.",
	           "/a/x.pdf", "Bericht",
	           "Landratsamt Mittelsachsen – Bericht 2024\nErster Absatz über DaZ.\n- 1 -\f"
	           "Landratsamt Mittelsachsen – Bericht 2024\nZweiter Absatz über Kitas.\nSeite 2 von 3\f"
	           "Landratsamt Mittelsachsen – Bericht 2024\nDritter Absatz.\n3"));
	/* A title taken from the first line (.txt) reads like a text that kept the line (.md, title = file name). */
	CHECK(same("/a/pm.txt", "Pressemitteilung Mittelsachsen", plain,
	           "/a/pm.md", "pm", "Pressemitteilung Mittelsachsen\n\nDas Netzwerktreffen der Bildungskoordinatoren fand in Freiberg statt. Themen waren Sprachkurse."));
	/* An HTML title over a text that starts with it. */
	CHECK(same("/a/pm.html", "Pressemitteilung", "Pressemitteilung Mittelsachsen\nDas Netzwerktreffen der Bildungskoordinatoren fand in Freiberg statt. Themen waren Sprachkurse.",
	           "/a/pm.md", "pm", "Pressemitteilung Mittelsachsen\nDas Netzwerktreffen der Bildungskoordinatoren fand in Freiberg statt. Themen waren Sprachkurse."));

	/* Different words are different texts, also a changed number or a different title. */
	CHECK(!same("/a/x.txt", "", plain, "/a/y.txt", "", "Das Netzwerktreffen der Bildungskoordinatoren fand in Chemnitz statt.\nThemen waren Sprachkurse."));
	CHECK(!same("/a/x.txt", "", "Sitzung am 12. März", "/a/y.txt", "", "Sitzung am 13. März"));
	CHECK(!same("/a/x.txt", "Protokoll Januar", plain, "/a/y.txt", "Protokoll Februar", plain));
	/* Only a page's first or last line can be a page number: lines of numbers inside count. */
	CHECK(!same("/a/x.txt", "", "Tabelle\n1\n2", "/a/y.txt", "", "Tabelle\n3\n4"));

	/* The words the indexer found for its finders give the same key as the text. */
	for (size_t i = 0; i < sizeof found_bodies / sizeof found_bodies[0]; i++)
		CHECK_MSG(found_same(found_bodies[i]), "body %zu", i);

	/* No words, no key: such documents never fold. */
	key_of("/a/x.pdf", "", "", k);
	CHECK(k[0] == '\0');
	key_of("/a/x.pdf", "", " \f \n- 2 -\n", k);
	CHECK(k[0] == '\0');
	key_of("/a/x.pdf", "", NULL, k);
	CHECK(k[0] == '\0');
	key_of("/a/x.txt", "", "Text", k);
	CHECK(strlen(k) == TR_SAME_TEXT_KEY_LEN);

	/* File names that say they are copies, and some that do not. */
	CHECK(tr_path_names_copy("/a/Kopie von Protokoll.docx"));
	CHECK(tr_path_names_copy("/a/Copy of report.pdf"));
	CHECK(tr_path_names_copy("/a/Protokoll - Kopie.docx"));
	CHECK(tr_path_names_copy("/a/Protokoll - Kopie (2).docx"));
	CHECK(tr_path_names_copy("/a/Protokoll (3).pdf"));
	CHECK(tr_path_names_copy("/a/pm_KOPIE.md"));
	CHECK(tr_path_names_copy("/a/pm_alt.txt"));
	CHECK(tr_path_names_copy("/a/pm_backup"));
	CHECK(!tr_path_names_copy("/a/Kopie von/pm.txt"));
	CHECK(!tr_path_names_copy("/a/Protokoll.docx"));
	CHECK(!tr_path_names_copy("/a/Protokoll (Entwurf).docx"));
	CHECK(!tr_path_names_copy("/a/Gestalt.txt"));
	CHECK(!tr_path_names_copy("/a/Protokoll_final.pdf"));
	CHECK(!tr_path_names_copy("/a/(2).txt"));
	CHECK(!tr_path_names_copy("/a/Anlage 2).txt"));
	return check_done();
}
