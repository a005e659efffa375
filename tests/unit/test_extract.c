/*
 * Type detection and the text extractors (plain text, Markdown, HTML):
 * small inline inputs for the edge cases, and the files in
 * tests/fixtures/extract/ for whole documents.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract.h"
#include "filetype.h"
#include "text.h"

#define MAX_TEXT (1 << 20)

static char fixture_dir[4096];

/* tests/fixtures/extract, found from this file's path (CMake compiles with absolute paths). */
static bool
find_fixtures(void)
{
	const char *env = getenv("TR_FIXTURES_DIR");
	const char *file = __FILE__;
	const char *unit = strstr(file, "unit/test_extract.c");

	if (env)
		snprintf(fixture_dir, sizeof fixture_dir, "%s", env);
	else if (unit)
		snprintf(fixture_dir, sizeof fixture_dir, "%.*sfixtures/extract",
		         (int)(unit - file), file);
	else
		return false;
	return true;
}

static char *
read_fixture(const char *name, size_t *len)
{
	char path[4200];
	FILE *f;
	char *data = NULL;
	long n;

	snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "test_extract: cannot open %s\n", path);
		CHECK_MSG(0, "fixture %s", name);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) != NULL) {
		*len = fread(data, 1, (size_t)n, f);
		data[*len] = '\0';
	}
	fclose(f);
	return data;
}

/* Detects, picks the handler and extracts, as the indexer does. */
typedef struct result {
	tr_status st;
	char *mime;
	char *charset;
	const char *format;
	tr_extract x;
} result;

static void
run_data(result *r, const char *path, const char *data, size_t len, size_t max_text)
{
	const tr_handler *h;
	char *why = NULL;

	memset(r, 0, sizeof *r);
	tr_extract_init(&r->x, max_text);
	r->st = tr__filetype_detect(data, len, path, &r->mime, &r->charset);
	if (r->st != TR_OK)
		return;
	h = tr__handler_find(r->mime, path);
	if (!h) {
		r->st = TR_EUNSUPPORTED;
		return;
	}
	r->format = h->format;
	{
		tr_input in = { path, r->mime, r->charset, data, len, NULL };
		r->st = h->extract(&r->x, &in, &why);
	}
	free(why);
}

static bool
run_fixture(result *r, const char *name, size_t max_text)
{
	size_t len = 0;
	char *data = read_fixture(name, &len);

	memset(r, 0, sizeof *r);
	tr_extract_init(&r->x, max_text);
	if (!data)
		return false;
	tr_extract_free(&r->x);
	run_data(r, name, data, len, max_text);
	free(data);
	return true;
}

static void
result_free(result *r)
{
	free(r->mime);
	free(r->charset);
	tr_extract_free(&r->x);
}

static const char *
str(const tr_buf *b)
{
	return b->ptr ? b->ptr : "";
}

/* Every output field is UTF-8, NFC, without NUL bytes inside. */
static void
check_clean(const tr_buf *b, const char *what)
{
	tr_buf nfc = TR_BUF_INIT(MAX_TEXT * 4);

	CHECK_MSG(tr_text_is_utf8(str(b), b->len), "%s is not UTF-8", what);
	CHECK_MSG(strlen(str(b)) == b->len, "%s has a NUL byte", what);
	CHECK_MSG(b->len <= b->max, "%s exceeds its ceiling", what);
	if (tr_text_nfc(&nfc, str(b), b->len) == TR_OK)
		CHECK_MSG(nfc.len == b->len && memcmp(str(&nfc), str(b), b->len) == 0,
		          "%s is not NFC", what);
	tr_buf_free(&nfc);
}

static void
check_all_clean(const tr_extract *x)
{
	check_clean(&x->title, "title");
	check_clean(&x->headings, "headings");
	check_clean(&x->body, "body");
	check_clean(&x->description, "description");
	check_clean(&x->author, "author");
}

#define CHECK_HAS(buf, needle) \
	CHECK_MSG(strstr(str(buf), (needle)) != NULL, "\"%s\" missing from: %s", (needle), str(buf))
#define CHECK_LACKS(buf, needle) \
	CHECK_MSG(strstr(str(buf), (needle)) == NULL, "\"%s\" present in: %s", (needle), str(buf))

static bool
has_str(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The handler table and the extension hint. */
static void
test_handlers(void)
{
	static const struct {
		const char *mime, *path, *format;
	} cases[] = {
		{ "text/plain", "notiz.txt", "text" },
		{ "text/plain", "Protokoll.md", "markdown" },
		{ "text/plain", "PROTOKOLL.MD", "markdown" },
		{ "text/plain", "a/b.c/readme.markdown", "markdown" },
		{ "text/html", "Protokoll.md", "markdown" },   /* libmagic saw "<a href=" */
		{ "text/plain", "seite.html", "html" },
		{ "text/plain", "seite.htm", "html" },
		{ "text/xml", "seite.xhtml", "html" },
		{ "text/html", NULL, "html" },
		{ "text/html", "seite", "html" },
		{ "text/markdown", NULL, "markdown" },
		{ "text/plain; charset=utf-8", NULL, "text" },
		{ "text/x-c", "brief", "text" },
		{ "text/csv", "liste.csv", "csv" },
		{ "text/plain", ".md", "text" },               /* a hidden file, not an extension */
		{ "application/pdf", "a.pdf", "pdf" },
		{ "application/octet-stream", "a.md", NULL },  /* binary content wins */
		{ "text/rtf", "brief.rtf", "rtf" },
		{ "text/xml", "daten.xml", NULL },
		{ "image/png", "bild.png", "image" },          /* scans, read by OCR */
		{ "image/gif", "bild.gif", NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const tr_handler *h = tr__handler_find(cases[i].mime, cases[i].path);

		if (!cases[i].format)
			CHECK_MSG(h == NULL, "%s %s: got %s", cases[i].mime,
			          cases[i].path ? cases[i].path : "-", h ? h->format : "");
		else
			CHECK_MSG(h && strcmp(h->format, cases[i].format) == 0, "%s %s: got %s",
			          cases[i].mime, cases[i].path ? cases[i].path : "-",
			          h ? h->format : "(none)");
	}
	CHECK(tr__handler_find(NULL, "a.md") == NULL);
	CHECK_STR(tr__handler_mime_hint("text/plain", "x.md"), "text/markdown");
	CHECK_STR(tr__handler_mime_hint("image/png", "x.md"), "image/png");
}

static void
check_detect(const char *name, const char *mime, const char *charset)
{
	size_t len = 0;
	char *data = read_fixture(name, &len);
	char *m = NULL, *c = NULL;

	if (!data)
		return;
	CHECK_MSG(tr__filetype_detect(data, len, name, &m, &c) == TR_OK, "%s", name);
	CHECK_MSG(m && strcmp(m, mime) == 0, "%s: mime %s, want %s", name, m ? m : "-", mime);
	if (charset)
		CHECK_MSG(c && strcmp(c, charset) == 0, "%s: charset %s, want %s", name,
		          c ? c : "-", charset);
	free(m);
	free(c);
	free(data);
}

static void
test_filetype(void)
{
	check_detect("latin1.txt", "text/plain", "iso-8859-1");
	check_detect("cp1252.txt", "text/plain", "unknown-8bit");
	check_detect("nfd.txt", "text/plain", "utf-8");
	check_detect("front_matter.md", "text/markdown", "utf-8");  /* libmagic alone: text/html */
	check_detect("plain.md", "text/markdown", NULL);
	check_detect("article.html", "text/html", "utf-8");
	check_detect("latin1.html", "text/html", NULL);
	check_detect("empty.txt", "text/plain", "us-ascii");
	check_detect("nul.txt", "text/plain", NULL);               /* one stray NUL byte */
	check_detect("binary.bin", "application/octet-stream", "binary");
}

static void
check_decode(const char *in, size_t len, const char *charset, const char *want)
{
	tr_buf b = TR_BUF_INIT(MAX_TEXT);

	CHECK_MSG(tr__extract_decode(&b, in, len, charset) == TR_OK, "%s", want);
	CHECK_STR(str(&b), want);
	tr_buf_free(&b);
}

static void
test_decode(void)
{
	check_decode("Sch\xC3\xBCler", 8, "utf-8", "Sch\xC3\xBCler");
	check_decode("\xEF\xBB\xBFSch\xC3\xBCler", 11, "utf-8", "Sch\xC3\xBCler");      /* BOM */
	check_decode("Schu\xCC\x88ler", 9, "utf-8", "Sch\xC3\xBCler");                /* NFD */
	check_decode("Sch\xFCler", 7, "iso-8859-1", "Sch\xC3\xBCler");
	check_decode("\x84Hallo\x93", 7, "iso-8859-1", "\xE2\x80\x9EHallo\xE2\x80\x9C");
	check_decode("\x84Hallo\x93", 7, "unknown-8bit", "\xE2\x80\x9EHallo\xE2\x80\x9C");
	/* Claims UTF-8 but is Windows-1252 (libmagic looks only at the start). */
	check_decode("Gr\xFC\xDF" "e", 5, "utf-8", "Gr\xC3\xBC\xC3\x9F" "e");
	check_decode("Gr\xFC\xDF" "e", 5, "us-ascii", "Gr\xC3\xBC\xC3\x9F" "e");
	/* Mostly UTF-8 with one broken byte stays UTF-8. */
	check_decode("\xC3\xA4\xC3\xB6\xC3\xBC \xFF", 8, "utf-8", "\xC3\xA4\xC3\xB6\xC3\xBC \xEF\xBF\xBD");
	check_decode("\xFF\xFEG\0r\0\xFC\0\xDF\0", 10, "utf-16le", "Gr\xC3\xBC\xC3\x9F");
	check_decode("\0G\0r\0\xFC", 6, "utf-16be", "Gr\xC3\xBC");
	check_decode("a\r\nb\rc\n", 7, "us-ascii", "a\nb\nc\n");
	check_decode("a\0b\x01\x1A\tc\f", 8, "us-ascii", "ab\tc\f");
	check_decode("", 0, "us-ascii", "");
	check_decode("Sch\xFCler", 7, NULL, "Sch\xC3\xBCler");
	check_decode("Sch\xFCler", 7, "x-unknown-charset", "Sch\xC3\xBCler");

	/* Too long: what fits is kept, cut between characters, and it is not an error. */
	{
		tr_buf b = TR_BUF_INIT(5);

		CHECK(tr__extract_decode(&b, "Sch\xC3\xBCler", 8, "utf-8") == TR_OK);
		CHECK_STR(str(&b), "Sch\xC3\xBC");
		tr_buf_free(&b);
		tr_buf_init(&b, 4);
		CHECK(tr__extract_decode(&b, "Sch\xFCler", 7, "iso-8859-1") == TR_OK);
		CHECK_STR(str(&b), "Sch");
		tr_buf_free(&b);
		tr_buf_init(&b, 0);
		CHECK(tr__extract_decode(&b, "abc", 3, "us-ascii") == TR_OK);
		CHECK(b.len == 0);
		tr_buf_free(&b);
	}
	{
		/* U+FB2C grows to three code points, six bytes, under NFC. */
		tr_buf b = TR_BUF_INIT(8);
		char in[30];

		for (int i = 0; i < 10; i++)
			memcpy(in + 3 * i, "\xEF\xAC\xAC", 3);
		CHECK(tr__extract_decode(&b, in, sizeof in, "utf-8") == TR_OK);
		CHECK(b.len > 0 && b.len <= 8 && tr_text_is_utf8(b.ptr, b.len));
		tr_buf_free(&b);
		tr_buf_init(&b, 5);
		CHECK(tr__extract_decode(&b, "\xFF\xFEG\0r\0\xFC\0\xDF\0e\0", 12, "utf-16le") == TR_OK);
		CHECK_STR(str(&b), "Gr\xC3\xBC");
		tr_buf_free(&b);
	}
	{
		tr_buf b = TR_BUF_INIT(3);

		CHECK(tr__extract_add(&b, "ab\xC3\xBC", 4) == TR_ETOOBIG);
		CHECK_STR(str(&b), "ab");
		tr_buf_free(&b);
	}
}

static void
test_front_matter(void)
{
	tr_extract x;
	const char *doc;

	tr_extract_init(&x, MAX_TEXT);
	doc = "---\ntitle: \"Jahresbericht\"\nDATE: 2020-02-28\nKreis: Zwickau, Vogtlandkreis\n"
	      "Tags: [Schule, Kita]\nKeywords:\n  - Schule\n  - Ausbildung\nAutorin: A. B.\n...\n# Text\n";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == strlen(doc) - strlen("# Text\n"));
	CHECK_STR(str(&x.title), "Jahresbericht");
	CHECK_STR(x.date, "2020-02-28");
	CHECK(x.n_districts == 2 && has_str(x.districts, x.n_districts, "Vogtlandkreis"));
	CHECK(x.n_tags == 3 && has_str(x.tags, x.n_tags, "Ausbildung"));
	CHECK_STR(str(&x.author), "A. B.");
	tr_extract_free(&x);

	/* Not front matter: no closing line, or not at the start. */
	tr_extract_init(&x, MAX_TEXT);
	doc = "---\ntitle: x\n\nText\n";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == 0);
	doc = "Text\n---\ntitle: x\n---\n";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == 0);
	doc = "---";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == 0);
	CHECK(x.title.len == 0 && x.date == NULL);

	/* Empty and scalar-only blocks; a key that is no string. */
	doc = "---\n---\nText\n";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == 8);
	doc = "---\n? [a, b]\n: c\n---\n";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == strlen(doc));
	CHECK(x.title.len == 0 && x.body.len == 0);
	doc = "---\nNur ein Satz.\n---\n";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == strlen(doc));
	CHECK_HAS(&x.body, "Nur ein Satz.");
	tr_extract_free(&x);

	/* Aliases are not followed into nested lists. */
	tr_extract_init(&x, MAX_TEXT);
	doc = "---\na: &a [x, y]\nb: &b [*a, *a, *a]\ntags: [*b, *b, z]\n---\n";
	CHECK(tr__front_matter(&x, doc, strlen(doc)) == strlen(doc));
	CHECK(x.n_tags == 1 && has_str(x.tags, x.n_tags, "z"));
	tr_extract_free(&x);
}

static void
test_text(void)
{
	result r;

	if (run_fixture(&r, "latin1.txt", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK_STR(r.format, "text");
		CHECK_STR(str(&r.x.title), "Bestandsaufnahme Sprachkurse f\xC3\xBCr Neuzugewanderte");
		CHECK_HAS(&r.x.body, "Sch\xC3\xBCler");
		CHECK_HAS(&r.x.body, "Wei\xC3\x9Fwasser");
		CHECK_LACKS(&r.x.body, "Bestandsaufnahme");   /* the title is not repeated */
		CHECK_HAS(&r.x.body, "Stand: Oktober 2016\n");
		check_all_clean(&r.x);
	}
	result_free(&r);

	if (run_fixture(&r, "cp1252.txt", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		/* Past the label and the dateline. */
		CHECK_STR(str(&r.x.title), "Bildungskoordinatorin nimmt Arbeit auf");
		CHECK_HAS(&r.x.body, "\xE2\x80\x9E" "Elternarbeit ist der Schl\xC3\xBCssel\xE2\x80\x9C \xE2\x80\x93");
		CHECK_HAS(&r.x.body, "\nG\xC3\xB6rlitz, 14. Juni 2016\n");
		CHECK_HAS(&r.x.body, "Pressemitteilung");
		check_all_clean(&r.x);
	}
	result_free(&r);

	if (run_fixture(&r, "nfd.txt", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK_STR(str(&r.x.title), "\xC3\x9C" "bergang Schule \xE2\x80\x93 Beruf");
		CHECK_HAS(&r.x.body, "Sch\xC3\xBCler");
		CHECK_HAS(&r.x.body, "\xC3\xA4u\xC3\x9F" "ern");
		CHECK_LACKS(&r.x.body, "===");                /* the underline is no text */
		check_all_clean(&r.x);
	}
	result_free(&r);

	if (run_fixture(&r, "nul.txt", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK_STR(r.format, "text");
		CHECK_HAS(&r.x.body, "Die Sch\xC3\xBCler kommen morgen um neun Uhr.\nZweite Zeile folgt.");
		check_all_clean(&r.x);
	}
	result_free(&r);

	if (run_fixture(&r, "empty.txt", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK(r.x.title.len == 0 && r.x.body.len == 0);
	}
	result_free(&r);

	if (run_fixture(&r, "binary.bin", MAX_TEXT))
		CHECK(r.st == TR_EUNSUPPORTED);
	result_free(&r);

	/* Titles in the shapes the archive has. */
	{
		static const struct {
			const char *text, *title;
		} cases[] = {
			{ "Landratsamt Bautzen\nDezernat Jugend\n\nPROTOKOLL\nSteuerungsgruppe Bildung\n\nSitzung am: 05.11.2019\n",
			  "PROTOKOLL Steuerungsgruppe Bildung" },
			{ "Landeshauptstadt Dresden\nGesch\xC3\xA4" "ftsbereich Bildung\nBildungsb\xC3\xBCro\n\n"
			  "Dresden, den 2. November 2016\n\nEinladung zum Auftakttreffen\n\nSehr geehrte Damen und Herren,\n",
			  "Einladung zum Auftakttreffen" },
			{ "Von: A\nAn: B\nDatum: 07.07.2022\nBetreff: AW: Anfrage Kurspl\xC3\xA4tze\n\nText.\n",
			  "Anfrage Kurspl\xC3\xA4tze" },
			{ "Kurzprotokoll AG Sprache\nDatum: 16.10.18\nOrt: VHS Dresden, Raum 3.12 und noch viel mehr Text hier\n\nTOP 1\n",
			  "Kurzprotokoll AG Sprache" },
			{ "Die Bildungskoordinatorin hat zwischen Juli und September alle ihr bekannten Tr\xC3\xA4ger\n"
			  "von Sprachkursen angeschrieben.\n", "" },
			{ "Sehr geehrte Frau Lindner,\n\nvielen Dank.\n", "" },
			{ "15.09.2017\n\nNetzwerktreffen in Freiberg\n\nText.\n", "Netzwerktreffen in Freiberg" },
			{ "Pressemitteilung\n\nEin langer erster Absatz, der ein ganzer Satz ist.\n", "Pressemitteilung" },
			{ "\n\n   \n", "" },
		};

		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			run_data(&r, "t.txt", cases[i].text, strlen(cases[i].text), MAX_TEXT);
			CHECK(r.st == TR_OK);
			CHECK_MSG(strcmp(str(&r.x.title), cases[i].title) == 0, "case %zu: title \"%s\", want \"%s\"",
			          i, str(&r.x.title), cases[i].title);
			result_free(&r);
		}
	}

	/* The body ceiling truncates, it does not fail. */
	{
		const char *t = "Titel\n\nSch\xC3\xBCler sch\xC3\xB6n\n\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4\n";

		for (size_t max = 0; max < strlen(t) + 2; max++) {
			run_data(&r, "t.txt", t, strlen(t), max);
			CHECK_MSG(r.st == TR_OK, "max %zu", max);
			check_all_clean(&r.x);
			result_free(&r);
		}
	}
}

static void
test_markdown(void)
{
	result r;

	if (run_fixture(&r, "front_matter.md", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK_STR(r.format, "markdown");
		CHECK_STR(str(&r.x.title), "Protokoll 5. Netzwerktreffen G\xC3\xB6rlitz");
		CHECK_STR(r.x.date, "12.06.2018");
		CHECK_STR(r.x.type, "Protokoll");
		CHECK(r.x.n_districts == 2 && has_str(r.x.districts, r.x.n_districts, "Landkreis G\xC3\xB6rlitz") &&
		      has_str(r.x.districts, r.x.n_districts, "Bautzen"));
		CHECK(r.x.n_tags == 3 && has_str(r.x.tags, r.x.n_tags, "Sprachf\xC3\xB6rderung") &&
		      has_str(r.x.tags, r.x.n_tags, "Bildungsmonitoring"));
		CHECK_STR(str(&r.x.author), "Susanne Herrmann");
		CHECK_STR(str(&r.x.description), "Ergebnisse des f\xC3\xBCnften Treffens");
		/* The H1 repeats the front matter title: neither in headings nor body. */
		CHECK_STR(str(&r.x.headings), "TOP 1 Begr\xC3\xBC\xC3\x9Fung");
		CHECK_LACKS(&r.x.body, "Netzwerktreffen");
		CHECK_LACKS(&r.x.body, "Layout");
		/* Lines stay lines; the dateline first. */
		CHECK(strncmp(str(&r.x.body), "G\xC3\xB6rlitz, 14.06.2018\n\n", 20) == 0);
		CHECK_HAS(&r.x.body, "\nOrt: Landratsamt G\xC3\xB6rlitz\nZeit: 10:00");
		CHECK_HAS(&r.x.body, "Elterncaf\xC3\xA9s vor.\nDie zweite Zeile bleibt eine eigene Zeile.\n");
		CHECK_LACKS(&r.x.body, "example.org");      /* links give their text */
		CHECK_HAS(&r.x.body, "\nOrt\tTeilnehmende\nZittau\t12\n");
		CHECK_LACKS(&r.x.body, "---");
		CHECK_HAS(&r.x.body, "Hinweis im HTML-Block");
		CHECK_LACKS(&r.x.body, "geheimesSkriptwort");
		CHECK_LACKS(&r.x.body, "<");
		CHECK_HAS(&r.x.body, "Inline-HTML");
		CHECK_LACKS(&r.x.body, "Logo-Bildtext");
		CHECK_HAS(&r.x.body, "Quelltextzeile im Codeblock");
		CHECK_HAS(&r.x.body, "\nPunkt eins\nPunkt zwei\n");
		CHECK_HAS(&r.x.body, "Zitat im Block");
		check_all_clean(&r.x);
	}
	result_free(&r);

	if (run_fixture(&r, "plain.md", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		/* A bare label H1 completed by the heading under it. */
		CHECK_STR(str(&r.x.title), "Protokoll Auftakttreffen des Netzwerks");
		CHECK_STR(str(&r.x.headings), "Setext-\xC3\x9C" "berschrift");
		CHECK(strncmp(str(&r.x.body), "15.09.2017\n\n", 12) == 0);
		CHECK(r.x.date == NULL && r.x.n_tags == 0);
		check_all_clean(&r.x);
	}
	result_free(&r);

	if (run_fixture(&r, "broken_yaml.md", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK(r.x.date == NULL);
		CHECK_STR(str(&r.x.title), "\xC3\x9C" "berschrift nach kaputtem YAML");
		CHECK_HAS(&r.x.body, "nicht geschlossen");   /* its words are kept as text */
		CHECK_HAS(&r.x.body, "Absatz mit Text.");
		check_all_clean(&r.x);
	}
	result_free(&r);

	/* Slides converted to Markdown become pages. */
	{
		const char *md = "<!-- Slide number: 1 -->\n# Titel\nText eins\n\n"
		                 "<!-- Slide number: 2 -->\n# Zwei\n- Punkt\n";

		run_data(&r, "s.md", md, strlen(md), MAX_TEXT);
		CHECK(r.st == TR_OK);
		CHECK_STR(str(&r.x.title), "Titel");
		CHECK_STR(str(&r.x.body), "Text eins\n\fPunkt");
		CHECK_STR(str(&r.x.headings), "Zwei");
		result_free(&r);
	}

	/* The number of an ordered list item is part of its text (issue 14). */
	{
		static const struct {
			const char *md, *body;
		} lists[] = {
			{ "# Protokoll\n\n10. Dezember 2015\n\nText\n", "10. Dezember 2015\n\nText" },
			{ "3. Netzwerktreffen der AG\n", "3. Netzwerktreffen der AG" },
			{ "1. Januar 2019\n1. M\xC3\xA4rz 2019\n", "1. Januar 2019\n1. M\xC3\xA4rz 2019" },
			{ "   7) Punkt\n8) Punkt\n", "7) Punkt\n8) Punkt" },
			{ "> 2. Zitat\n", "2. Zitat" },
			{ "- eins\n- zwei\n", "eins\nzwei" },
			{ "4. Punkt\n\n   weiter\n5. letzter\n", "4. Punkt\n\nweiter\n\n5. letzter" },
		};

		for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
			run_data(&r, "l.md", lists[i].md, strlen(lists[i].md), MAX_TEXT);
			CHECK(r.st == TR_OK);
			CHECK_MSG(strcmp(str(&r.x.body), lists[i].body) == 0, "%s: got \"%s\"",
			          lists[i].md, str(&r.x.body));
			result_free(&r);
		}
	}

	/* Hostile shapes: deep nesting, NUL bytes, no text at all. */
	{
		size_t n = 20000;
		char *md = malloc(n * 2 + 16);

		if (md) {
			for (size_t i = 0; i < n; i++)
				memcpy(md + 2 * i, "> ", 2);
			memcpy(md + 2 * n, "tief\n", 6);
			run_data(&r, "d.md", md, strlen(md), MAX_TEXT);
			CHECK(r.st == TR_OK);
			CHECK_HAS(&r.x.body, "tief");
			result_free(&r);
			free(md);
		}
		run_data(&r, "n.md", "# A\0B\n\nx\0y\n", 11, MAX_TEXT);
		CHECK(r.st == TR_OK);
		check_all_clean(&r.x);
		result_free(&r);
		run_data(&r, "i.md", "![nur ein Bild](b.png)\n", 23, MAX_TEXT);
		CHECK(r.st == TR_OK && r.x.body.len == 0);
		result_free(&r);
		run_data(&r, "e.md", "", 0, MAX_TEXT);
		CHECK(r.st == TR_OK && r.x.body.len == 0 && r.x.title.len == 0);
		result_free(&r);
		run_data(&r, "e.md", "---\n---\n", 8, MAX_TEXT);
		CHECK(r.st == TR_OK && r.x.body.len == 0 && r.x.title.len == 0);
		result_free(&r);
	}

	/* The ceiling truncates every field, never fails. */
	{
		size_t len = 0;
		char *data = read_fixture("front_matter.md", &len);

		for (size_t max = 0; data && max < 200; max += 7) {
			run_data(&r, "front_matter.md", data, len, max);
			CHECK_MSG(r.st == TR_OK, "max %zu", max);
			check_all_clean(&r.x);
			result_free(&r);
		}
		free(data);
	}
}

static void
test_html(void)
{
	result r;

	if (run_fixture(&r, "article.html", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK_STR(r.format, "html");
		CHECK_STR(str(&r.x.title), "Elterncaf\xC3\xA9 in Zittau: Schule verstehen");
		/* DC.date is trusted over article:published_time; the time part goes. */
		CHECK_STR(r.x.date, "2017-11-07");
		CHECK_STR(str(&r.x.description), "Erstes Elterncaf\xC3\xA9 f\xC3\xBCr zugewanderte Familien");
		CHECK_STR(str(&r.x.author), "Pressestelle Landratsamt");
		CHECK(r.x.n_tags == 3 && has_str(r.x.tags, r.x.n_tags, "Zittau"));
		CHECK_STR(str(&r.x.headings), "Sprachmittlung & Betreuung");
		CHECK(strncmp(str(&r.x.body), "Zittau, 08.11.2017\n\n", 20) == 0);
		CHECK_HAS(&r.x.body, "Wie funktioniert eine Oberschule? Um solche Fragen ging es beim ersten "
		                     "Elterncaf\xC3\xA9 f\xC3\xBCr zugewanderte Familien.");
		CHECK_HAS(&r.x.body, "ins Arabische.\nNeue Zeile nach br.");
		CHECK_HAS(&r.x.body, "\nErster Punkt\nZweiter Punkt");
		CHECK_LACKS(&r.x.body, "Schule verstehen");  /* the title is not repeated */
		CHECK_LACKS(&r.x.body, "Cookie");
		CHECK_LACKS(&r.x.body, "Impressum");
		CHECK_LACKS(&r.x.body, "Startseite");
		CHECK_LACKS(&r.x.body, "Kopfzeile");
		CHECK_LACKS(&r.x.body, "Zum Inhalt");
		CHECK_LACKS(&r.x.body, "Facebook");
		CHECK_LACKS(&r.x.body, "Vollsperrung");
		CHECK_LACKS(&r.x.body, "trackingSkriptwort");
		CHECK_LACKS(&r.x.body, "trackPageView");
		CHECK_LACKS(&r.x.body, "display");
		CHECK_LACKS(&r.x.headings, "Weitere Meldungen");
		check_all_clean(&r.x);
	}
	result_free(&r);

	if (run_fixture(&r, "latin1.html", MAX_TEXT)) {
		CHECK(r.st == TR_OK);
		CHECK_STR(r.format, "html");
		/* No <h1>: the <title> without the site name. */
		CHECK_STR(str(&r.x.title), "Sprachkurse f\xC3\xBCr Sch\xC3\xBCler");
		CHECK_HAS(&r.x.body, "Die Sch\xC3\xBCler der Vorbereitungsklassen");
		/* 0x84/0x93 in a page declared ISO-8859-1 are Windows-1252 quotes, as browsers read them. */
		CHECK_HAS(&r.x.body, "\xE2\x80\x9E" "Deutsch\xE2\x80\x9C");
		CHECK_HAS(&r.x.body, "Gr\xC3\xBC\xC3\x9F" "e aus G\xC3\xB6rlitz.");
		check_all_clean(&r.x);
	}
	result_free(&r);

	/* Small pages for single rules. */
	{
		static const struct {
			const char *html, *title, *date, *has, *lacks;
		} cases[] = {
			/* og:title first; <time> inside the article when the head has no date. */
			{ "<html><head><meta property=\"og:title\" content=\"OG Titel\"></head><body>"
			  "<article><h1>H1 Titel</h1><time datetime=\"2019-06-03T08:00\">3. Juni</time><p>Text</p></article></body></html>",
			  "OG Titel", "2019-06-03", "Text", NULL },
			/* No container: the body, without its navigation. */
			{ "<body><div role=\"navigation\">Menüpunkt</div><p>Absatz eins</p><p hidden>Versteckt</p>"
			  "<div aria-hidden=\"true\">Icon</div><p>Absatz zwei</p></body>",
			  "", NULL, "Absatz eins\n\nAbsatz zwei", "Men" },
			/* The container with the most text wins over a teaser with a content class. */
			{ "<body><div class=\"content-teaser\"><p>Kurz</p></div><main><p>Ein viel l\xC3\xA4ngerer Haupttext steht hier.</p></main></body>",
			  "", NULL, "Haupttext", "Kurz" },
			/* A content element whose classes mention a sidebar is still content. */
			{ "<body><main class=\"main has-sidebar\"><p>Hauptinhalt</p></main><div class=\"sidebar\">Rand</div></body>",
			  "", NULL, "Hauptinhalt", "Rand" },
			/* Site suffixes go, short titles stay. */
			{ "<title>Elterncaf\xC3\xA9 in Zittau - Landkreis G\xC3\xB6rlitz</title><p>x</p>",
			  "Elterncaf\xC3\xA9 in Zittau", NULL, NULL, NULL },
			{ "<title>Neue Kurse \xE2\x80\x93 Landratsamt Vogtlandkreis</title><p>x</p>",
			  "Neue Kurse", NULL, NULL, NULL },
			{ "<title>Schule - Beruf</title><p>x</p>", "Schule - Beruf", NULL, NULL, NULL },
			/* Inline elements do not split words; blocks split lines; pre keeps its lines. */
			{ "<p><b>Plauen.</b> <i>Mit</i>tag</p><div>a<div>b</div>c</div><pre>x  y\r\nz</pre><table><tr><td>1</td><td>2</td></tr></table>",
			  "", NULL, "Plauen. Mittag\n\na\nb\nc\n\nx  y\nz\n\n1\n2", NULL },
			{ "<title>Kurse &#150; Neu</title><p>x</p>", "Kurse \xE2\x80\x93 Neu", NULL, NULL, NULL },
			/* C1 references are read as Windows-1252, as browsers do. */
			{ "<p>&#132;Zitat&#147; &#150; &uuml;</p>", "", NULL, "\xE2\x80\x9EZitat\xE2\x80\x9C \xE2\x80\x93 \xC3\xBC", NULL },
			/* Entities are never expanded from a DTD, nothing is fetched. */
			{ "<!DOCTYPE html SYSTEM \"http://127.0.0.1:9/x.dtd\" [<!ENTITY xx \"BOESE\">]><p>a &xx; b</p>",
			  "", NULL, "a", "BOESE" },
			/* A NUL byte does not end the page. */
			{ "<p>vor\0nach</p><p>weiter</p>", "", NULL, "weiter", NULL },
		};

		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			const char *h = cases[i].html;
			/* The NUL case has its length after the NUL. */
			size_t len = strlen(h);

			if (strstr(h, "<p>vor") == h)
				len = strlen(h) + 1 + strlen(h + strlen(h) + 1);
			run_data(&r, "t.html", h, len, MAX_TEXT);
			CHECK_MSG(r.st == TR_OK, "case %zu: %s", i, tr_strerror(r.st));
			CHECK_MSG(strcmp(str(&r.x.title), cases[i].title) == 0, "case %zu: title \"%s\"", i,
			          str(&r.x.title));
			if (cases[i].date)
				CHECK_MSG(r.x.date && strcmp(r.x.date, cases[i].date) == 0, "case %zu: date %s", i,
				          r.x.date ? r.x.date : "-");
			if (cases[i].has)
				CHECK_MSG(strstr(str(&r.x.body), cases[i].has) != NULL, "case %zu: body \"%s\"", i,
				          str(&r.x.body));
			if (cases[i].lacks)
				CHECK_MSG(strstr(str(&r.x.body), cases[i].lacks) == NULL, "case %zu: body \"%s\"", i,
				          str(&r.x.body));
			check_all_clean(&r.x);
			result_free(&r);
		}
	}

	/* A page saved as UTF-8 that still declares ISO-8859-1 is read as UTF-8. */
	{
		const char *h = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Gr\xC3\xBC\xC3\x9F" "e</p></body></html>";
		tr_extract x;
		tr_input in = { "m.html", "text/html", "utf-8", h, strlen(h), NULL };

		tr_extract_init(&x, MAX_TEXT);
		CHECK(tr__extract_html(&x, &in, NULL) == TR_OK);
		CHECK_STR(str(&x.body), "Gr\xC3\xBC\xC3\x9F" "e");
		tr_extract_free(&x);
	}

	/* Garbage, empty, deep: no crash, no error for what can be read. */
	{
		size_t len = 0, n = 100000;
		char *data = read_fixture("binary.bin", &len);
		char *deep = malloc(n * 5 + 16);
		tr_extract x;
		tr_input in = { "b.html", "text/html", "binary", data, len, NULL };

		tr_extract_init(&x, MAX_TEXT);
		if (data)
			CHECK(tr__extract_html(&x, &in, NULL) == TR_OK);
		check_all_clean(&x);
		tr_extract_free(&x);
		free(data);

		tr_extract_init(&x, MAX_TEXT);
		in.data = "";
		in.len = 0;
		CHECK(tr__extract_html(&x, &in, NULL) == TR_OK && x.body.len == 0);
		tr_extract_free(&x);

		if (deep) {
			for (size_t i = 0; i < n; i++)
				memcpy(deep + 5 * i, "<div>", 5);
			memcpy(deep + 5 * n, "tief", 5);
			tr_extract_init(&x, MAX_TEXT);
			in.data = deep;
			in.len = strlen(deep);
			CHECK(tr__extract_html(&x, &in, NULL) == TR_OK);
			tr_extract_free(&x);
			free(deep);
		}
	}

	/* The ceiling truncates every field, never fails. */
	{
		size_t len = 0;
		char *data = read_fixture("article.html", &len);

		for (size_t max = 0; data && max < 300; max += 11) {
			run_data(&r, "article.html", data, len, max);
			CHECK_MSG(r.st == TR_OK, "max %zu", max);
			check_all_clean(&r.x);
			result_free(&r);
		}
		free(data);
	}

	/* HTML blocks inside Markdown. */
	{
		tr_buf b = TR_BUF_INIT(MAX_TEXT);

		{
			const char *f = "<table><tr><td>A</td><td>B</td></tr></table><style>x{}</style><!-- c -->";
			CHECK(tr__html_fragment_text(&b, f, strlen(f)) == TR_OK);
		}
		CHECK_STR(str(&b), "A\nB\n\n");
		tr_buf_free(&b);
	}
}

#define P1 "<p>Der Landkreis Bautzen l\xC3\xA4" "dt zugewanderte Eltern zum Elterncaf\xC3\xA9 ein, mit Sprachmittlung, Kinderbetreuung und Kaffee.</p>"
#define P2 "<p>Fragen zur Schule, zu Kita-Pl\xC3\xA4tzen und zur Anerkennung von Abschl\xC3\xBCssen beantworten die Bildungskoordinatoren vor Ort.</p>"

/*
 * The main content of pages as they really are (issue 15): each case is
 * one class of page the benchmark showed losing its article or keeping
 * boilerplate; @has must be in the body, @lacks not, @no_heading not in
 * the headings.
 */
static void
test_html_main(void)
{
	static const struct {
		const char *what, *html, *has, *lacks, *no_heading;
	} cases[] = {
		{ "ASP.NET page wrapped in one form",
		  "<body><form id=\"aspnetForm\" method=\"post\"><div class=\"menu\"><a href=\"/\">Startseite</a></div>"
		  "<div id=\"content\">" P1 P2 "</div></form></body>",
		  "Elterncaf\xC3\xA9 ein", "Startseite", NULL },
		{ "layout class names that mention a sidebar",
		  "<body class=\"has-sidebar\"><div class=\"site-inner content-sidebar-wrap\"><div class=\"no-sidebar\">"
		  "<div class=\"entry themeform share\">" P1 P2 "</div></div>"
		  "<div class=\"sidebar\"><ul><li><a href=\"/a\">Archiv</a></li></ul></div></div></body>",
		  "Anerkennung von Abschl\xC3\xBCssen", "Archiv", NULL },
		{ "a sidebar that is longer than the article",
		  "<body><div class=\"layout\"><div class=\"article-text\"><h1>Elterncaf\xC3\xA9</h1>" P1 P2 "</div>"
		  "<div class=\"sidebar\"><h2>Termine</h2><p>Am Montag tagt der Kreistag, am Dienstag der Jugendhilfeausschuss, "
		  "am Mittwoch der Ausschuss f\xC3\xBCr Umwelt, am Donnerstag der Technische Ausschuss, am Freitag ist B\xC3\xBCrgersprechstunde, "
		  "am Samstag ist der Wertstoffhof ge\xC3\xB6" "ffnet und am Sonntag das Museum.</p>"
		  "<p>Au\xC3\x9F" "erdem: Stellenangebote, Ausschreibungen, Bekanntmachungen, Satzungen, Formulare, Geb\xC3\xBChren, "
		  "\xC3\x96" "ffnungszeiten, Ansprechpartner, Anfahrt, Parkpl\xC3\xA4tze, Barrierefreiheit und Leichte Sprache.</p></div></div></body>",
		  "Kita-Pl\xC3\xA4tzen", "Kreistag", "Termine" },
		{ "the lead in a header inside <main>",
		  "<body><header class=\"site\"><a href=\"/\">Logo</a></header><main><header><h1>Elterncaf\xC3\xA9</h1>"
		  "<p class=\"lead\">Ein Nachmittag f\xC3\xBCr Familien.</p></header><div class=\"text\">" P1 P2 "</div></main></body>",
		  "Ein Nachmittag f\xC3\xBC" "r Familien.", "Logo", NULL },
		{ "teasers of related articles",
		  "<body><article>" P1 "<h2>Sprachmittlung</h2>" P2 "</article><section class=\"more\"><h2><a href=\"/x\">Neues Kursangebot</a></h2>"
		  "<ul><li><a href=\"/y\">Sommerfest der Kulturen im Landkreis</a></li><li><a href=\"/z\">Sprachkurse ab Oktober</a></li></ul></section></body>",
		  "Sprachmittlung", "Sommerfest", "Neues Kursangebot" },
		{ "a heading over a left-out comment form",
		  "<body><article>" P1 P2 "<h3>Kommentar schreiben</h3><form class=\"comment-form\"><label>Name</label><input name=n></form></article></body>",
		  "Bildungskoordinatoren", "Name", "Kommentar schreiben" },
		{ "a copyright line inside the article",
		  "<body><article>" P1 P2 "<p>\xC2\xA9 2026 Landratsamt Bautzen. Alle Rechte vorbehalten.</p></article></body>",
		  "Bildungskoordinatoren", "Alle Rechte", NULL },
		{ "a newsletter prompt and a picture credit inside the article",
		  "<body><div class=\"text\">" P1 "<p><img src=\"a.jpg\"><span>Foto: Pressestelle</span></p>" P2
		  "<p>Abonnieren Sie unseren Newsletter und verpassen Sie keine Meldung aus dem Landkreis.</p></div></body>",
		  "Kita-Pl\xC3\xA4tzen", "Newsletter", NULL },
		{ "a credit after the article", "<body><div class=\"text\">" P1 P2 "<p>Foto: Pressestelle</p></div></body>",
		  "Bildungskoordinatoren", "Pressestelle", NULL },
		{ "labels and names after the last paragraph",
		  "<body><article>" P1 "<p>Die Bildungskoordinatoren beantworten Fragen zur Schule, zu Kita-Pl\xC3\xA4tzen und zur "
		  "Anerkennung von Abschl\xC3\xBCssen, vermitteln Sprachkurse und begleiten Familien zu den \xC3\x84mtern.</p>"
		  "<p>Kontakt:</p><p>Pressestelle Landratsamt</p></article></body>",
		  "Bildungskoordinatoren", "Pressestelle", NULL },
		{ "a short last sentence and list items after the text are the article's",
		  "<body><article>" P1 P2 "<ul><li>Ottostra\xC3\x9F" "e 14</li></ul><p>Die Bewerbung l\xC3\xA4uft bis Mai.</p></article></body>",
		  "Ottostra\xC3\x9F" "e 14\n\nDie Bewerbung l\xC3\xA4uft bis Mai.", NULL, NULL },
		{ "an address and a date line after the text are data, not labels",
		  "<body><article>" P1 "<p>Die Bildungskoordinatoren beantworten Fragen zur Schule, zu Kita-Pl\xC3\xA4tzen und zur "
		  "Anerkennung von Abschl\xC3\xBCssen, vermitteln Sprachkurse und begleiten Familien zu den \xC3\x84mtern.</p>"
		  "<p>Kontaktb\xC3\xBCro</p><p>Bahnhofstra\xC3\x9F" "e 9, 02625 Bautzen</p><p>Stand: 12.03.2024</p>"
		  "</article></body>",
		  "Bahnhofstra\xC3\x9F" "e 9, 02625 Bautzen\n\nStand: 12.03.2024", "Kontaktb\xC3\xBCro", NULL },
		{ "a short teaser line that is a third links, inside the article",
		  "<body><article>" P1 "<p>Dazu passt der Bericht <a href=\"/k\">Sprachkurse im Herbst</a></p>" P2 "</article></body>",
		  "Bildungskoordinatoren", "Sprachkurse im Herbst", NULL },
		{ "an unclosed <object>",
		  "<body><div class=\"content\">" P1 "<object data=\"film.swf\"><param name=\"q\" value=\"high\">" P2 "</div></body>",
		  "Anerkennung", NULL, NULL },
		{ "CDATA in the text", "<body><p>Vor dem Block <![CDATA[Text im CDATA-Abschnitt]]> danach.</p></body>",
		  "Vor dem Block Text im CDATA-Abschnitt danach.", "CDATA[", NULL },
		{ "&gt without its semicolon", "<body><p>Alter &gt 18 &amp Wohnsitz im Kreis</p></body>",
		  "Alter > 18 & Wohnsitz", "&gt", NULL },
		{ "a stray <title> in the body", "<body><p>Erster Satz<title>Fremder Titel</title>Zweiter Satz</p></body>",
		  "Fremder Titel\n", "TitelZweiter", NULL },
		{ "a UTF-8 page that declares ISO-8859-1 and has no umlaut",
		  "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head>"
		  "<body><p>Preis \xE2\x80\x93 5 \xE2\x82\xAC</p></body></html>",
		  "Preis \xE2\x80\x93 5 \xE2\x82\xAC", "\xC3\xA2", NULL },
		{ "a single-byte page without a declaration",
		  "<html><body><p>Gr\xFC\xDF" "e aus G\xF6rlitz \x96 " "heute</p></body></html>",
		  "Gr\xC3\xBC\xC3\x9F" "e aus G\xC3\xB6rlitz \xE2\x80\x93 heute", NULL, NULL },
		{ "an article rendered by script, its text in JSON-LD",
		  "<html><head><script type=\"application/ld+json\">{\"@graph\": [{\"@type\": \"NewsArticle\", "
		  "\"articleBody\": \"Der Kreistag hat die Richtlinie zur Sprachf\\u00f6rderung beschlossen. "
		  "Sie gilt ab dem ersten August f\\u00fcr alle Schulen im Landkreis.\"}]}</script></head>"
		  "<body><div id=\"app\">Laden \xE2\x80\xA6</div></body></html>",
		  "Richtlinie zur Sprachf\xC3\xB6rderung beschlossen", NULL, NULL },
		{ "a hidden slider with a teaser article beside the article",
		  "<body><div class=\"text\">" P1 P2 "</div><div class=\"slider\" style=\"visibility: hidden\">"
		  "<article><p>Sommerfest der Kulturen: Am Samstag feiern Vereine, Schulen und Familien aus vielen L\xC3\xA4ndern "
		  "gemeinsam auf dem Marktplatz.</p></article></div></body>",
		  "Kita-Pl\xC3\xA4tzen", "Sommerfest", NULL },
		{ "a teaser headline wrapped in a link inside the article",
		  "<body><article>" P1 "<a href=\"/sommerfest\"><h3>Sommerfest der Kulturen</h3></a>" P2 "</article></body>",
		  "Bildungskoordinatoren", "Sommerfest", "Sommerfest" },
		{ "the article's text in a block whose class name mentions a sidebar",
		  "<body><div class=\"sidebar\"><a href=\"/a\">Archiv</a></div><article><h1>Elterncaf\xC3\xA9</h1>"
		  "<div class=\"article-content sticky-sidebar-relative\">" P1 P2 "</div>"
		  "<div class=\"share\"><a href=\"/t\">Teilen</a></div></article><footer><p>Landratsamt Bautzen, "
		  "Bahnhofstra\xC3\x9F" "e 9, 02625 Bautzen. Sprechzeiten: Montag und Mittwoch 8 bis 12 Uhr, Dienstag 8 bis 18 Uhr, "
		  "Donnerstag 8 bis 16 Uhr, Freitag 8 bis 12 Uhr. Telefon, Fax und E-Mail der Pressestelle, Impressum, Datenschutz, "
		  "Barrierefreiheit, Leichte Sprache, Geb\xC3\xA4rdensprache, Stellenangebote und Ausschreibungen.</p></footer></body>",
		  "Kita-Pl\xC3\xA4tzen", "Teilen", NULL },
		{ "a list of teasers named \"teasers\" below the article",
		  "<body><main><div class=\"text\">" P1 P2 "</div><div class=\"Teasers u-grid\"><h2>Mehr aus dem Landkreis</h2>"
		  "<div class=\"item\"><h3>Sommerfest</h3><p>Vereine und Familien feiern am Samstag auf dem Marktplatz.</p>"
		  "<a href=\"/sommerfest\"></a></div></div></main></body>",
		  "Bildungskoordinatoren", "Marktplatz", "Mehr aus dem Landkreis" },
		{ "the article inside a block that is mostly links",
		  "<body><main><div class=\"wrap\"><div class=\"post\">" P1 P2 "</div><ul>"
		  "<li><a href=\"/1\">Sommerfest der Kulturen auf dem Marktplatz in Bautzen</a></li>"
		  "<li><a href=\"/2\">Neue Integrationskurse der Volkshochschule ab Oktober</a></li>"
		  "<li><a href=\"/3\">Elternabend zur Schulanmeldung f\xC3\xBCr zugewanderte Familien</a></li>"
		  "<li><a href=\"/4\">Sprechzeiten der Ausl\xC3\xA4nderbeh\xC3\xB6rde zwischen Weihnachten und Neujahr</a></li>"
		  "<li><a href=\"/5\">Bildungskonferenz des Landkreises zum \xC3\x9C" "bergang Schule und Beruf</a></li>"
		  "</ul></div></main></body>",
		  "Kita-Pl\xC3\xA4tzen", "Sommerfest", NULL },
		{ "an article cut into groups, each paragraph the only child of its group",
		  "<body><div class=\"col\"><div class=\"paragraph\"><div>" P1 P1 "</div></div>"
		  "<figure><img src=\"a.jpg\"></figure><div class=\"paragraph\"><div>" P2 "</div></div></div>"
		  "<div class=\"aside-box\"><p>Termine, Stellenangebote und Ausschreibungen des Landratsamtes finden Sie hier.</p></div></body>",
		  "Kita-Pl\xC3\xA4tzen", "Stellenangebote", NULL },
		{ "a short line beside the article that is no sentence does not continue it",
		  "<body><div class=\"text\">" P1 P2 "</div><p>Seite 1 von 3</p></body>",
		  "Kita-Pl\xC3\xA4tzen", "Seite 1 von 3", NULL },
		{ "related articles, each an <article>, inside <main>",
		  "<body><main><div class=\"text\">" P1 P2 "</div><div class=\"related\">"
		  "<article><h3>Sommerfest</h3><p>Vereine und Familien feiern am Samstag auf dem Marktplatz.</p></article>"
		  "<article><h3>Sprachkurse</h3><p>Die Volkshochschule bietet neue Kurse am Abend an.</p></article>"
		  "</div></main></body>",
		  "Kita-Pl\xC3\xA4tzen", "Marktplatz", "Sprachkurse" },
		{ "a widget title in <h1> in a sidebar after the article's <h1>",
		  "<body><main><div class=\"text\"><h1>Elterncaf\xC3\xA9 in Zittau</h1>" P1 P2 "</div>"
		  "<div class=\"sidebar\"><h1>\xC3\x9C" "ber uns</h1><p>Wir schreiben \xC3\xBC" "ber Bildung und Familien.</p></div>"
		  "</main></body>",
		  "Kita-Pl\xC3\xA4tzen", "Wir schreiben", "\xC3\x9C" "ber uns" },
		{ "ruby annotations (the reading over Japanese characters) are not the text",
		  "<body><article><p><ruby>\xE6\x9D\xB1\xE4\xBA\xAC<rp>(</rp><rt>\xE3\x81\xA8\xE3\x81\x86\xE3\x81\x8D\xE3\x82\x87\xE3\x81\x86</rt>"
		  "<rp>)</rp></ruby>\xE3\x81\xAB\xE4\xBD\x8F\xE3\x82\x93\xE3\x81\xA7\xE3\x81\x84\xE3\x81\xBE\xE3\x81\x99\xE3\x80\x82</p>"
		  P1 P2 "</article></body>",
		  "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAB\xE4\xBD\x8F", "\xE3\x81\xA8\xE3\x81\x86", NULL },
		{ "a label about the page that starts with a capital umlaut (\"\xC3\x9C" "ber den Autor\")",
		  "<body><article>" P1 "<div>\xC3\x9C" "ber den Autor</div>" P2 "</article></body>",
		  "Kita-Pl\xC3\xA4tzen", "ber den Autor", NULL },
		{ "a share prompt beside empty icon blocks is judged as one line",
		  "<body><article>" P1 "<div><strong>M\xC3\xB6" "chten Sie den Artikel teilen?</strong>"
		  "<a href=\"/fb\"><div class=\"fb\"></div></a><a href=\"/wa\"><div class=\"wa\"></div></a></div>"
		  P2 "</article></body>",
		  "Kita-Pl\xC3\xA4tzen", "Artikel teilen", NULL },
		{ "a clock time alone on a line is a time stamp, not text",
		  "<body><article>" P1 "<p>3:59 PM</p>" P2 "</article></body>",
		  "Kita-Pl\xC3\xA4tzen", "3:59", NULL },
		{ "a rating widget (class \"post-ratings\") inside the article",
		  "<body><article>" P1 "<span class=\"post-ratings\"><strong>War der Artikel n\xC3\xBCtzlich?</strong>"
		  "<img src=\"star.gif\" alt=\"1 Stern\"></span>" P2 "</article></body>",
		  "Kita-Pl\xC3\xA4tzen", "Artikel n\xC3\xBCtzlich", NULL },
		{ "a box about the writer, opened by the label \"Autor\", inside the article",
		  "<body><article>" P1 P2 "<div class=\"highlight\"><div class=\"header\">AUTOR</div><h3>Dr. Anna Beispiel</h3>"
		  "<p>ist Partnerin einer Kanzlei in Dresden. Zu ihren T\xC3\xA4tigkeitsfeldern z\xC3\xA4hlen Arbeitsrecht und "
		  "Aufenthaltsrecht.</p></div></article></body>",
		  "Kita-Pl\xC3\xA4tzen", "Arbeitsrecht", NULL },
		{ "a page that is only boilerplate still has a body",
		  "<body><nav><a href=\"/\">Startseite</a> <a href=\"/k\">Kontakt</a></nav><footer>Impressum</footer></body>",
		  "Startseite", NULL, NULL },
	};
	result r;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_data(&r, "t.html", cases[i].html, strlen(cases[i].html), MAX_TEXT);
		CHECK_MSG(r.st == TR_OK, "%s: %s", cases[i].what, tr_strerror(r.st));
		CHECK_MSG(strstr(str(&r.x.body), cases[i].has) != NULL, "%s: body \"%s\"", cases[i].what,
		          str(&r.x.body));
		if (cases[i].lacks)
			CHECK_MSG(strstr(str(&r.x.body), cases[i].lacks) == NULL, "%s: body \"%s\"",
			          cases[i].what, str(&r.x.body));
		if (cases[i].no_heading)
			CHECK_MSG(strstr(str(&r.x.headings), cases[i].no_heading) == NULL, "%s: headings \"%s\"",
			          cases[i].what, str(&r.x.headings));
		check_all_clean(&r.x);
		result_free(&r);
	}
}

int
main(void)
{
	if (!find_fixtures()) {
		fprintf(stderr, "test_extract: fixtures not found; set TR_FIXTURES_DIR\n");
		return 1;
	}
	test_handlers();
	test_filetype();
	test_decode();
	test_front_matter();
	test_text();
	test_markdown();
	test_html();
	test_html_main();
	tr__filetype_cleanup();
	return check_done();
}
