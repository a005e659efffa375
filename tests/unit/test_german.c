/*
 * German: the compound splitter, gender forms, spelling variants, the
 * query rewriting helpers, and what they do to searches on a small index
 * (compound parts ranked below the word, umlaut spellings, gender forms,
 * thesaurus, stopwords, long words, suggestions that reveal no internal word).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "german.h"
#include "tellerrand/db.h"

/* ---- the splitter ---------------------------------------------------------- */

static const struct {
	const char *word;
	const char *split;     /* parts joined by '+'; "" for no split */
} splits[] = {
	{ "hauptschulabschluss", "haupt+schul+abschluss" },
	{ "bildungskoordinatoren", "bildungs+koordinatoren" },
	{ "flüchtlingsunterkunft", "flüchtlings+unterkunft" },
	{ "sprachförderung", "sprach+förderung" },
	{ "kitaplätze", "kita+plätze" },
	{ "elternarbeit", "eltern+arbeit" },
	{ "berufsorientierung", "berufs+orientierung" },
	{ "sprachlehrerinnen", "sprach+lehrerinnen" },
	{ "verbraucherschutz", "verbraucher+schutz" },
	{ "wachstube", "wach+stube" },
	/* ae/oe/ue spellings split like umlauts (issue 14). */
	{ "fluechtlingsunterkunft", "fluechtlings+unterkunft" },
	{ "schuelerbefoerderung", "schueler+befoerderung" },
	{ "sprachfoerderung", "sprach+foerderung" },
	{ "quellensteuer", "quellen+steuer" },
	/* Not compounds, or not to be split. */
	{ "verbraucher", "" },          /* not verb+raucher: do-not-split list */
	{ "urinstinkt", "" },           /* not urin+stinkt */
	{ "verbrechen", "" },           /* ver+brechen, not verb+rechen */
	{ "lehrerinnen", "" },          /* a female form, not lehre+rinnen */
	{ "kontrolleurin", "" },        /* not kontrolle+urin */
	{ "abrüstung", "" },            /* a particle is not a part */
	{ "herausgeben", "" },
	{ "gegenposition", "" },
	{ "fließende", "" },            /* a participle, not fließ+ende */
	{ "kenianische", "" },          /* an adjective ending, not kenia+nische */
	{ "koordinator", "" },
	{ "schule", "" },
	{ "", "" },
};

static void
check_split(const char *word, const char *want)
{
	tr__split s;
	char got[256] = "";
	size_t n = 0;

	tr__german_split(word, strlen(word), &s);
	for (size_t i = 0; i < s.n; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%.*s", i ? "+" : "", (int)s.part[i].len,
		                      word + s.part[i].off);
	CHECK_MSG(strcmp(got, want) == 0, "split(%s) = \"%s\", want \"%s\"", word, got, want);
}

typedef struct collected {
	char items[32][128];
	size_t n;
} collected;

static void
collect_part(const char *s, size_t len, bool head, void *ctx)
{
	collected *c = ctx;
	if (c->n < 32)
		snprintf(c->items[c->n++], 128, "%.*s", (int)len, s);
}

static void
collect_word(const char *s, size_t len, void *ctx)
{
	collect_part(s, len, false, ctx);
}

static bool
has_item(const collected *c, const char *s)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i], s) == 0)
			return true;
	return false;
}

static void
test_words(void)
{
	collected c;
	char *v[TR__VARIANTS_MAX];
	size_t nv;
	char *norm;

	for (size_t i = 0; splits[i].word[0]; i++)
		check_split(splits[i].word, splits[i].split);

	/*
	 * Every inflected form of a noun, by way of its last part, also for
	 * compounds no word list knows: Snowball stems "alphabetisierungskurs"
	 * and "alphabetisierungskurse" apart (issue 14).
	 */
	{
		static const struct {
			const char *word, *form;
			bool want;
		} forms[] = {
			{ "alphabetisierungskurs", "alphabetisierungskurse", true },
			{ "alphabetisierungskurse", "alphabetisierungskurs", true },
			{ "alphabetisierungskursen", "alphabetisierungskurs", true },
			{ "lernpatenschaften", "lernpatenschaft", true },
			{ "elternlotsenprogramm", "elternlotsenprogramme", true },
			{ "willkommensklassen", "willkommensklasse", true },
			{ "kinder", "kind", true },
			{ "kurs", "kurse", true },
			{ "schueleraustausch", "schueleraustausches", true },
			{ "kurse", "kurse", false },                 /* not the word itself */
			{ "bildungskoordinatorinnen", "bildungskoordinatorin", false },  /* gender terms */
			{ "schnell", "schnelle", false },            /* an adjective: no noun forms */
			{ "xyz", "xyze", false },
		};

		for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
			memset(&c, 0, sizeof c);
			tr__german_word_forms(forms[i].word, strlen(forms[i].word), collect_word, &c);
			CHECK_MSG(has_item(&c, forms[i].form) == forms[i].want, "forms(%s) %s %s",
			          forms[i].word, forms[i].want ? "lack" : "have", forms[i].form);
		}
	}

	/* A leading run of parts that could stand alone is a part too. */
	memset(&c, 0, sizeof c);
	tr__german_compound_terms("elternabendplanung", 18, collect_part, &c);
	CHECK(has_item(&c, "elternabend") && has_item(&c, "abendplanung") && has_item(&c, "planung"));

	/* A compound's terms: parts and runs, without linking elements. */
	memset(&c, 0, sizeof c);
	CHECK(tr__german_compound_terms("hauptschulabschluss", 19, collect_part, &c) == 3);
	CHECK(has_item(&c, "schulabschluss"));
	CHECK(has_item(&c, "abschluss"));
	CHECK(has_item(&c, "haupt"));
	CHECK(has_item(&c, "schul"));
	CHECK(has_item(&c, "hauptschul"));       /* "Hauptschule" */
	CHECK(!has_item(&c, "hauptschulabschluss"));
	memset(&c, 0, sizeof c);
	tr__german_compound_terms("bildungskoordinatorinnen", 24, collect_part, &c);
	CHECK(has_item(&c, "bildung"));
	CHECK(has_item(&c, "koordinatorinnen"));
	CHECK(has_item(&c, "koordinator"));      /* the male base of the last part */

	/* Gender forms. */
	CHECK(tr__german_gender_base("lehrerinnen", 11) == 6);
	CHECK(tr__german_gender_base("lehrerin", 8) == 6);
	CHECK(tr__german_gender_base("bildungskoordinatorinnen", 24) == 19);
	CHECK(tr__german_gender_base("medizin", 7) == 0);
	CHECK(tr__german_gender_base("termin", 6) == 0);
	CHECK(tr__german_gender_base("beginnen", 8) == 0);
	CHECK(tr__german_has_female("lehrer", 6));
	CHECK(tr__german_has_female("bildungskoordinator", 19));
	CHECK(!tr__german_has_female("tisch", 5));

	memset(&c, 0, sizeof c);
	tr__german_scan_gender("Die Lehrer*innen, BildungskoordinatorInnen, Kolleg_innen und "
	                       "Berater:in sowie Erzieher/-innen. Ein Innenhof, Berlin, In.", collect_word, &c);
	CHECK(c.n == 5);
	CHECK(has_item(&c, "Lehrer"));
	CHECK(has_item(&c, "Bildungskoordinator"));
	CHECK(has_item(&c, "Kolleg"));
	CHECK(has_item(&c, "Berater"));
	CHECK(has_item(&c, "Erzieher"));
	/* Found after a long text with neither the marks nor a capital I in it. */
	memset(&c, 0, sizeof c);
	tr__german_scan_gender("eine lange zeile ohne zeichen und ohne gross geschriebenes i, dann "
	                       "die Schüler:innen und die ÄrztInnen.", collect_word, &c);
	CHECK(c.n == 2);
	CHECK(has_item(&c, "Schüler"));
	CHECK(has_item(&c, "Ärzt"));

	norm = tr__german_normalise_query("Lehrer*innen Kolleg:innen LehrerIn Erzieher/-innen kreis:leipzig Sprach* titel:Innen");
	CHECK_STR(norm, "Lehrerinnen Kolleginnen Lehrerin Erzieherinnen kreis:leipzig Sprach* titel:Innen");
	free(norm);

	/* Hyphenated compounds and the elided part of a coordination. */
	memset(&c, 0, sizeof c);
	tr__german_scan_hyphenated("Kita-Plätze, DaZ-Klassen und das Amt für Ausländer- und "
	                           "Asylangelegenheiten; Sprach- oder Kulturmittler.", collect_word, &c);
	CHECK(has_item(&c, "KitaPlätze"));
	CHECK(has_item(&c, "DaZKlassen"));
	CHECK(has_item(&c, "Ausländerangelegenheiten"));
	CHECK(has_item(&c, "Sprachmittler"));
	/*
	 * The scan skips the text between hyphens: what comes after a long
	 * run of plain words, a stray hyphen, a number or umlauts is still found,
	 * and only that.
	 */
	memset(&c, 0, sizeof c);
	tr__german_scan_hyphenated("Ein langer Satz ohne jeden Bindestrich, der über viele Wörter geht, "
	                           "dann - ein Strich, COVID-19, -x und Über-Prüfung; Ämter- und Behördengänge.",
	                           collect_word, &c);
	CHECK(c.n == 2);
	CHECK(has_item(&c, "ÜberPrüfung"));
	CHECK(has_item(&c, "Ämtergänge"));

	/* Spelling variants, both ways; "qu" is no umlaut. */
	nv = tr__german_variants("schueler", v);
	CHECK(nv >= 1 && strcmp(v[0], "schüler") == 0);
	for (size_t i = 0; i < nv; i++)
		free(v[i]);
	nv = tr__german_variants("meissen", v);
	CHECK(nv == 1 && strcmp(v[0], "meißen") == 0);
	for (size_t i = 0; i < nv; i++)
		free(v[i]);
	nv = tr__german_variants("görlitz", v);
	CHECK(nv == 1 && strcmp(v[0], "goerlitz") == 0);
	for (size_t i = 0; i < nv; i++)
		free(v[i]);
	nv = tr__german_variants("quelle", v);
	CHECK(nv == 0);

	/* Stopwords (queries only) and the thesaurus. */
	CHECK(tr__german_is_stopword("und", 3));
	CHECK(tr__german_is_stopword("der", 3));
	CHECK(!tr__german_is_stopword("nicht", 5));
	CHECK(!tr__german_is_stopword("schule", 6));
	size_t ng;
	const tr__thes_group *g = tr__german_thesaurus(&ng);
	bool daz = false;
	for (size_t i = 0; i < ng; i++)
		for (size_t k = 0; k + 1 < g[i].n; k++)
			if (strcmp(g[i].terms[k], "DaZ") == 0 && strcmp(g[i].terms[k + 1], "Deutsch als Zweitsprache") == 0)
				daz = true;
	CHECK(daz);
}

/* ---- searches ---------------------------------------------------------------- */

static char dir[] = "/tmp/tr-test-german-XXXXXX";

static void
add(tr_db *db, const char *path, const char *title, const char *body, bool internal)
{
	tr_doc *doc = fixture_text_doc(path, title, body);

	doc->internal = internal;
	CHECK_MSG(tr_db_replace(db, doc) == TR_OK, "%s: %s", path, tr_db_errmsg(db));
	tr_doc_free(doc);
}

static tr_results *
search_with(tr_db *db, const char *text, bool internal, double compound_weight)
{
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;

	q.text = text;
	q.internal = internal;
	q.compound_weight = compound_weight;
	q.limit = 50;
	CHECK_MSG(tr_db_search(db, &q, &r) == TR_OK, "search '%s': %s", text, tr_db_errmsg(db));
	return r;
}

static tr_results *
search(tr_db *db, const char *text)
{
	return search_with(db, text, true, TR_COMPOUND_WEIGHT_DEFAULT);
}

static bool
found(const tr_results *r, const char *path)
{
	for (size_t i = 0; r && i < r->n_hits; i++)
		if (strcmp(r->hits[i].path, path) == 0)
			return true;
	return false;
}

static const char *
first(const tr_results *r)
{
	return r && r->n_hits ? r->hits[0].path : "";
}

static bool
also(const tr_results *r, const char *s)
{
	for (size_t i = 0; r && i < r->n_also_searched; i++)
		if (strcmp(r->also_searched[i], s) == 0)
			return true;
	return false;
}

/* Runs @text and checks that @want is (or is not) among the hits. */
#define EXPECT(db, text, path, want) do { \
	tr_results *r_ = search((db), (text)); \
	CHECK_MSG(found(r_, (path)) == (want), "'%s' %s %s", (text), (want) ? "misses" : "finds", (path)); \
	tr_results_free(r_); \
} while (0)

static void
test_search(void)
{
	tr_db *db = NULL;
	char *path = NULL;
	tr_results *r;

	if (!(db = fixture_open_index(dir, &path)))
		return;
	add(db, "/g/hsa.txt", "Hauptschulabschluss nachholen", "Kurse zum Hauptschulabschluss für junge Erwachsene.", false);
	add(db, "/g/sa.txt", "Schulabschluss", "Der Schulabschluss öffnet Wege.", false);
	add(db, "/g/star.txt", "Fortbildung", "Angebot für Lehrer*innen an Oberschulen.", false);
	add(db, "/g/binnen.txt", "Treffen", "Die BildungskoordinatorInnen trafen sich in Pirna.", false);
	add(db, "/g/male.txt", "Sprechstunde", "Die Lehrer der Oberschule laden ein.", false);
	add(db, "/g/oe.txt", "Elterncafe", "Das Elterncafe in Goerlitz öffnet wieder.", false);
	add(db, "/g/umlaut.txt", "Schüler", "Schüler und Eltern in Görlitz.", false);
	add(db, "/g/daz.txt", "DaZ in Grundschulen", "DaZ-Klassen und Kita-Plätze in Borna.", false);
	add(db, "/g/dazlong.txt", "Sprachförderung", "Deutsch als Zweitsprache in der Grundschule.", false);
	add(db, "/g/verbr.txt", "Verbraucherschutz", "Verbraucherberatung und Verbraucherschutz.", false);
	add(db, "/g/amt.txt", "Amt", "Amt für Ausländer- und Asylangelegenheiten.", false);
	add(db, "/g/long.txt", "Verordnung",
	    "Die Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung gilt.", false);
	add(db, "/g/intern.txt", "Intern", "Das Projekt Sonnenblumenfeld ist vertraulich.", true);
	add(db, "/g/alpha.txt", "Kurse", "Die Alphabetisierungskurse in Riesa beginnen im Herbst.", false);
	add(db, "/g/paten.txt", "Paten", "Eine Lernpatenschaft verbindet Studierende und Kinder.", false);
	CHECK(tr_db_commit(db) == TR_OK);

	/* A compound's part matches with a lower weight: the word itself comes first. */
	r = search(db, "Schulabschluss");
	CHECK_STR(first(r), "/g/sa.txt");
	CHECK(found(r, "/g/hsa.txt"));
	tr_results_free(r);
	r = search_with(db, "Schulabschluss", true, 0);
	CHECK(!found(r, "/g/hsa.txt"));
	tr_results_free(r);
	EXPECT(db, "Hauptschule", "/g/hsa.txt", true);
	EXPECT(db, "Koordinator", "/g/binnen.txt", true);
	EXPECT(db, "Raucher", "/g/verbr.txt", false);
	EXPECT(db, "Verbraucher", "/g/verbr.txt", true);
	/* Phrases are not widened by parts. */
	EXPECT(db, "\"Schulabschluss für\"", "/g/hsa.txt", false);

	/* Gender forms find each other. */
	EXPECT(db, "Lehrerin", "/g/star.txt", true);
	EXPECT(db, "Lehrerinnen", "/g/star.txt", true);
	EXPECT(db, "Lehrer", "/g/star.txt", true);
	EXPECT(db, "Lehrer:innen", "/g/star.txt", true);
	EXPECT(db, "LehrerInnen", "/g/male.txt", true);
	EXPECT(db, "Bildungskoordinatorin", "/g/binnen.txt", true);
	EXPECT(db, "Bildungskoordinator", "/g/binnen.txt", true);
	EXPECT(db, "Bildungskoordinator*innen", "/g/binnen.txt", true);
	EXPECT(db, "Koordinatorin", "/g/binnen.txt", true);

	/* Inflected forms of compounds no word list knows find each other, with no "Meinten Sie". */
	EXPECT(db, "Alphabetisierungskurs", "/g/alpha.txt", true);
	EXPECT(db, "Alphabetisierungskursen", "/g/alpha.txt", true);
	EXPECT(db, "Lernpatenschaften", "/g/paten.txt", true);
	r = search(db, "Alphabetisierungskurs");
	CHECK(r && !r->corrected);
	tr_results_free(r);

	/* Umlaut spellings, both ways, the spelling typed first. */
	r = search(db, "Goerlitz");
	CHECK_STR(first(r), "/g/oe.txt");
	CHECK(found(r, "/g/umlaut.txt"));
	tr_results_free(r);
	r = search(db, "Görlitz");
	CHECK_STR(first(r), "/g/umlaut.txt");
	CHECK(found(r, "/g/oe.txt"));
	CHECK(r && !r->corrected);
	tr_results_free(r);
	EXPECT(db, "Schueler", "/g/umlaut.txt", true);

	/* Thesaurus, both ways, shown as "auch gesucht". */
	r = search(db, "DaZ");
	CHECK_STR(first(r), "/g/daz.txt");
	CHECK(found(r, "/g/dazlong.txt"));
	CHECK(also(r, "Deutsch als Zweitsprache"));
	tr_results_free(r);
	r = search(db, "\"Deutsch als Zweitsprache\"");
	CHECK_STR(first(r), "/g/dazlong.txt");
	CHECK(found(r, "/g/daz.txt"));
	CHECK(also(r, "DaZ"));
	tr_results_free(r);
	r = search(db, "Deutsch als Zweitsprache Borna");
	CHECK(found(r, "/g/daz.txt"));
	CHECK(also(r, "DaZ"));
	tr_results_free(r);
	/* A negated word is not widened. */
	EXPECT(db, "Grundschule NOT DaZ", "/g/dazlong.txt", true);
	r = search(db, "Grundschule");
	CHECK(r && r->n_also_searched == 0);
	tr_results_free(r);

	/* Hyphenated compounds and elided parts. */
	EXPECT(db, "Kitaplätze", "/g/daz.txt", true);
	EXPECT(db, "DaZ-Klassen", "/g/daz.txt", true);
	EXPECT(db, "Ausländerangelegenheiten", "/g/amt.txt", true);

	/* Stopwords: gone from loose words, kept in phrases. */
	EXPECT(db, "\"für Lehrer\"", "/g/star.txt", true);
	r = search(db, "Schulabschluss und");
	CHECK_STR(first(r), "/g/sa.txt");
	tr_results_free(r);

	/* Words over Xapian's default 64 bytes are indexed, and split. */
	EXPECT(db, "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung", "/g/long.txt", true);
	EXPECT(db, "Übertragungsverordnung", "/g/long.txt", true);

	/* Suggestions: never a word of internal documents only, never for a word found in another form. */
	r = search_with(db, "Sonnenblumenfelt", false, TR_COMPOUND_WEIGHT_DEFAULT);
	CHECK(r && r->estimate == 0 && r->corrected == NULL);
	tr_results_free(r);
	r = search_with(db, "Sonnenblumenfelt", true, TR_COMPOUND_WEIGHT_DEFAULT);
	CHECK(r && r->corrected && strstr(r->corrected, "Sonnenblumenfeld"));
	tr_results_free(r);
	r = search_with(db, "Koordinator", false, TR_COMPOUND_WEIGHT_DEFAULT);
	CHECK(r && r->corrected == NULL);
	tr_results_free(r);
	r = search_with(db, "Grundschle", false, TR_COMPOUND_WEIGHT_DEFAULT);
	CHECK(r && r->corrected && strstr(r->corrected, "Grundschule"));
	tr_results_free(r);

	tr_db_free(db);
	free(path);
	fixture_remove_dir(dir);
}

int
main(void)
{
	if (!tr__german_available()) {
		fprintf(stderr, "built without the German lexicon: skipped\n");
		return 77;
	}
	test_words();
	test_search();
	return check_done();
}
