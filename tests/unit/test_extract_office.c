/*
 * The office extractors (PDF, DOCX, PPTX, ODT, ODP) on the files in
 * tests/fixtures/office/: text, title, author, dates and the page or slide
 * each phrase is on; and the message for every broken or hostile file.
 *
 * How the fixtures were made (LibreOffice 7.4 from Debian 12; the tests do
 * not need it): Flat ODF sources written by hand, converted with
 * `soffice --headless --convert-to pdf|docx|odt|pptx|odp`:
 * zweispaltig.pdf (a two-column section, a page break), folien_notizen.pptx
 * and .odp (three slides, speaker notes on two), folien.pdf (the same slides
 * as PDF), protokoll_tabelle.odt and .docx (Title and Heading 1 styles, a
 * list, a table), vorlage_alt.docx (created 2015-01-07, modified
 * 2019-06-18, the text dated 17.06.2019), altformat.doc (--convert-to doc).
 * Then: passwort.pdf with `qpdf --encrypt geheim geheim 256`; scan.pdf
 * from a PNG of black bars through LibreOffice Draw (an image, no text);
 * kaputt.pdf the first 15000 bytes of zweispaltig.pdf; abgeschnitten.docx
 * the first half of vorlage_alt.docx; leer.pdf zero bytes; zipbombe.docx a
 * Python zipfile with a 100 MiB word/document.xml of spaces (100 KB on
 * disk), zipbombe_gelogen.docx the same with both size fields patched to
 * claim 1000 bytes.  Two files are written by a Python script instead, as
 * Microsoft Office structures them and LibreOffice does not:
 * word_stile.docx (German style ids such as "berschrift1" named "heading
 * 1", a style based on a heading style, a table of contents entry, a text
 * box in mc:AlternateContent with its VML fallback, tracked deletions and
 * field codes) and powerpoint_platzhalter.pptx (title, subtitle, slide
 * number, footer and date placeholders, slides listed out of file-name
 * order, an absolute relationship target, a table, a notes page with a
 * slide image and slide number).
 */
#include <leptonica/allheaders.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "check.h"
#include "extract.h"
#include "filetype.h"
#include "zipxml.h"

#define MAX_TEXT (16 << 20)

static char fixture_dir[4096];

static bool
find_fixtures(void)
{
	const char *file = __FILE__;
	const char *unit = strstr(file, "unit/test_extract_office.c");

	if (!unit)
		return false;
	snprintf(fixture_dir, sizeof fixture_dir, "%.*sfixtures/office", (int)(unit - file), file);
	return true;
}

static char *
read_fixture(const char *name, size_t *len)
{
	char path[4200];
	FILE *f;
	char *data = NULL;
	long n;

	*len = 0;
	snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
	if (!(f = fopen(path, "rb"))) {
		fprintf(stderr, "test_extract_office: cannot open %s\n", path);
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

typedef struct result {
	tr_status st;
	const char *format;     /* handler chosen; NULL if none */
	char *why;
	tr_extract x;
} result;

/* Detects, picks the handler and extracts, as the indexer does. */
static void
run(result *r, const char *name)
{
	char *data, *mime = NULL, *charset = NULL;
	size_t len;
	const tr_handler *h = NULL;

	memset(r, 0, sizeof *r);
	tr_extract_init(&r->x, MAX_TEXT);
	if (!(data = read_fixture(name, &len))) {
		r->st = TR_EIO;
		return;
	}
	r->st = tr__filetype_detect(data, len, name, &mime, &charset);
	if (r->st == TR_OK && !(h = tr__handler_find(mime, name)))
		r->st = TR_EUNSUPPORTED;
	if (r->st == TR_OK) {
		tr_input in = { name, mime, charset, data, len, NULL };
		r->format = h->format;
		r->st = h->extract(&r->x, &in, &r->why);
	}
	free(mime);
	free(charset);
	free(data);
}

static void
result_free(result *r)
{
	free(r->why);
	tr_extract_free(&r->x);
}

static const char *
str(const tr_buf *b)
{
	return b->ptr ? b->ptr : "";
}

/* The 1-based page of the body that @phrase is on (pages end at '\f'); 0 if absent. */
static int
page_of(const result *r, const char *phrase)
{
	const char *body = str(&r->x.body), *hit = strstr(body, phrase);
	int page = 1;

	if (!hit)
		return 0;
	for (const char *p = body; p < hit; p++)
		page += *p == '\f';
	return page;
}

static int
pages(const result *r)
{
	int n = 1;

	for (const char *p = str(&r->x.body); *p; p++)
		n += *p == '\f';
	return n;
}

static bool
has_tag(const result *r, const char *tag)
{
	for (size_t i = 0; i < r->x.n_tags; i++)
		if (strcmp(r->x.tags[i], tag) == 0)
			return true;
	return false;
}

#define CHECK_PAGE(r, phrase, want) do { \
	int got_ = page_of((r), (phrase)); \
	CHECK_MSG(got_ == (want), "\"%s\" on page %d, want %d", (phrase), got_, (want)); \
} while (0)

static void
test_handlers(void)
{
	static const struct {
		const char *mime, *path, *format;
	} cases[] = {
		{ "application/pdf", "a.pdf", "pdf" },
		{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a.docx", "docx" },
		{ "application/vnd.openxmlformats-officedocument.presentationml.presentation", NULL, "pptx" },
		{ "application/vnd.oasis.opendocument.text", NULL, "odt" },
		{ "application/vnd.oasis.opendocument.presentation", NULL, "odp" },
		/* libmagic names OOXML only when the zip's entries are in the usual order. */
		{ "application/zip", "Protokoll.DOCX", "docx" },
		{ "application/zip", "folien.pptx", "pptx" },
		{ "application/octet-stream", "folien.odp", "odp" },
		{ "application/octet-stream", "bericht.pdf", "pdf" },
		{ "application/zip", "archiv.zip", NULL },
		{ "application/zip", NULL, NULL },
		{ "image/png", "bild.docx", "image" },     /* a real other type wins over the name */
		{ "text/plain", "notiz.docx", "text" },    /* text stays text */
		{ "application/msword", "alt.doc", "doc" },
		{ "application/vnd.ms-powerpoint", NULL, "ppt" },
		{ "application/CDFV2", "alt.xls", "legacy" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const tr_handler *h = tr__handler_find(cases[i].mime, cases[i].path);

		if (!cases[i].format)
			CHECK_MSG(h == NULL, "%s %s: got %s", cases[i].mime,
			          cases[i].path ? cases[i].path : "-", h ? h->format : "");
		else
			CHECK_MSG(h && strcmp(h->format, cases[i].format) == 0, "%s %s: got %s",
			          cases[i].mime, cases[i].path ? cases[i].path : "-", h ? h->format : "(none)");
	}
	CHECK_STR(tr__handler_mime_hint("application/zip", "a.odt"), "application/vnd.oasis.opendocument.text");
	CHECK_STR(tr__handler_mime_hint("application/octet-stream", "a.md"), "application/octet-stream");
}

/* A two-column page reads column by column; the second page is page 2. */
static void
test_pdf(void)
{
	result r;

	run(&r, "zweispaltig.pdf");
	CHECK(r.st == TR_OK);
	CHECK_STR(r.format, "pdf");
	CHECK_STR(str(&r.x.title), "Rundbrief Sprachmittlung Frühjahr 2021");
	CHECK_STR(str(&r.x.author), "Katrin Vogel");
	CHECK(has_tag(&r, "Sprachmittlung") && has_tag(&r, "Dolmetscherpool"));
	/* LibreOffice writes the time of the export as the PDF's creation date. */
	CHECK_STR(r.x.date_created, "2026-11-26");
	CHECK(r.x.date_modified == NULL);
	CHECK(r.x.date == NULL);
	CHECK(pages(&r) == 2);
	CHECK_PAGE(&r, "Chemnitz, 14.04.2021", 1);
	CHECK_PAGE(&r, "Tigrinya", 1);
	CHECK_PAGE(&r, "Videodolmetschen", 1);
	CHECK_PAGE(&r, "Vernetzungstreffen der Sprachmittlerinnen", 2);
	/* The left column ends before the right one starts. */
	{
		const char *b = str(&r.x.body);
		const char *left = strstr(b, "Termine waren ausgebucht");
		const char *right = strstr(b, "Rechte Spalte");
		CHECK(left && right && left < right);
		CHECK(strstr(b, "Die Verbindung wird über ein Tablet") != NULL);
	}
	result_free(&r);

	run(&r, "folien.pdf");
	CHECK(r.st == TR_OK);
	CHECK_STR(str(&r.x.title), "Willkommensklassen im Überblick");
	CHECK(pages(&r) == 3);
	CHECK_PAGE(&r, "Netzwerktreffen Bautzen", 1);
	CHECK_PAGE(&r, "212 Schülerinnen und Schüler", 2);
	CHECK_PAGE(&r, "Etappenmodell", 3);
	/* A PDF of slides has no speaker notes. */
	CHECK_PAGE(&r, "Lernstandsdiagnostik", 0);
	/* The bullets poppler puts on lines of their own are left out. */
	CHECK(strstr(str(&r.x.body), "\xE2\x80\xA2") == NULL);
	CHECK(strstr(str(&r.x.body), "2022/23\n14 Vorbereitungsklassen") != NULL);
	result_free(&r);
}

/* The same slides as PPTX and ODP: slide titles, text and notes per slide. */
static void
test_slides(const char *name, const char *format)
{
	result r;

	run(&r, name);
	CHECK_MSG(r.st == TR_OK, "%s: %s", name, r.why ? r.why : tr_strerror(r.st));
	CHECK_STR(r.format, format);
	CHECK_STR(str(&r.x.title), "Willkommensklassen im Überblick");
	CHECK_STR(str(&r.x.author), "Jens Hartmann");
	CHECK_STR(r.x.date_created, "2022-11-08");
	CHECK_STR(r.x.date_modified, "2022-11-09");
	CHECK(has_tag(&r, "DaZ") || has_tag(&r, "DaZ Vorbereitungsklassen"));
	CHECK(pages(&r) == 3);
	CHECK_PAGE(&r, "Netzwerktreffen Bautzen, 8. November 2022", 1);
	CHECK_PAGE(&r, "Zahlen im Schuljahr 2022/23", 2);
	CHECK_PAGE(&r, "14 Vorbereitungsklassen an Oberschulen", 2);
	CHECK_PAGE(&r, "Stichtag der Schulstatistik", 2);      /* speaker notes */
	CHECK_PAGE(&r, "Etappenmodell", 3);
	CHECK_PAGE(&r, "Etappe 3: volle Teilnahme", 3);
	CHECK_PAGE(&r, "Lernstandsdiagnostik", 3);             /* speaker notes */
	/* Notes follow the slide's own text. */
	CHECK(strstr(str(&r.x.body), "Förderstunden\nRückfrage aus dem Publikum") != NULL);
	result_free(&r);
}

/* Minutes with a list and a table, as ODT and as DOCX. */
static void
test_minutes(const char *name, const char *format)
{
	result r;
	const char *b;

	run(&r, name);
	CHECK_MSG(r.st == TR_OK, "%s: %s", name, r.why ? r.why : tr_strerror(r.st));
	CHECK_STR(r.format, format);
	CHECK_STR(str(&r.x.title), "Protokoll AG Elternarbeit");
	CHECK_STR(str(&r.x.author), "Sabine Krüger");
	CHECK_STR(r.x.date_created, "2020-02-20");
	CHECK_STR(r.x.date_modified, "2020-02-21");
	CHECK(has_tag(&r, "Elternarbeit"));
	CHECK_STR(str(&r.x.headings), "Teilnehmende\nVereinbarungen");
	b = str(&r.x.body);
	CHECK(strchr(b, '\f') == NULL);
	CHECK(strncmp(b, "Sitzung am 20.02.2020 im Landratsamt Pirna\n", 43) == 0);
	CHECK(strstr(b, "\nMehmet Aydin (Elternverein)\n") != NULL);
	CHECK(strstr(b, "\nAufgabe\tWer\tBis wann\n") != NULL);
	CHECK(strstr(b, "\nElternbriefe in Leichter Sprache übersetzen\tHerr Aydin\t31.03.2020\n") != NULL);
	/* The title paragraph is the title, not body or a heading. */
	CHECK(strstr(b, "Protokoll AG Elternarbeit") == NULL);
	result_free(&r);
}

/* Properties from a copied old document: created years before the text's own date. */
static void
test_stale_template(void)
{
	result r;

	run(&r, "vorlage_alt.docx");
	CHECK(r.st == TR_OK);
	CHECK_STR(str(&r.x.title), "Protokoll Steuerungsrunde Integration");
	CHECK_STR(str(&r.x.author), "Thomas Richter");
	CHECK_STR(r.x.date_created, "2015-01-07");
	CHECK_STR(r.x.date_modified, "2019-06-18");
	CHECK(r.x.date == NULL);   /* properties never pose as an explicit date */
	CHECK(strncmp(str(&r.x.body), "Datum: 17.06.2019\n", 18) == 0);
	CHECK_STR(str(&r.x.headings), "TOP 1 Sprachkursangebote\nUnterpunkt Kinderbetreuung\nTOP 2 Verschiedenes");
	result_free(&r);
}

/* Word's own structures: localized style ids, text boxes with fallbacks, deletions, fields. */
static void
test_word_structures(void)
{
	result r;

	run(&r, "word_stile.docx");
	CHECK(r.st == TR_OK);
	CHECK_STR(str(&r.x.title), "Protokoll Fachgruppe Ganztag");   /* the empty dc:title does not count */
	CHECK(has_tag(&r, "Ganztag") && has_tag(&r, "Hort"));
	CHECK_STR(str(&r.x.headings), "TOP 1 Hortplätze\nUnterpunkt Ferienzeiten");
	CHECK_STR(str(&r.x.body), "Datum: 05.03.2024\n"
	          "Die Stadt meldet zusätzliche\tPlätze.\n"
	          "Text mit Feld\n"
	          "Absatz mit Textfeld.\n"
	          "Kasten: Anmeldung bis Freitag\n"
	          "Zelle A zweiter Absatz\tZelle B\n"
	          "Ende.");
	result_free(&r);
}

/* PowerPoint's placeholders, slide order and notes pages. */
static void
test_powerpoint_structures(void)
{
	result r;

	run(&r, "powerpoint_platzhalter.pptx");
	CHECK(r.st == TR_OK);
	CHECK_STR(str(&r.x.title), "Ganztag in Ostsachsen");
	CHECK_STR(r.x.date_created, "2024-02-28");
	CHECK_STR(str(&r.x.body), "Ganztag in Ostsachsen\nFachforum, 05.03.2024\n"
	          "\fHortplätze\nKreis\tPlätze\nGörlitz\t40\n"
	          "\fAusblick\nErweiterungsplan 2025\nZweiter Punkt\nNotiz zur Erweiterungsplanung");
	CHECK_PAGE(&r, "Notiz zur Erweiterungsplanung", 3);
	result_free(&r);
}

/* Each broken or hostile file gives its documented status and message. */
static void
test_broken(void)
{
	static const struct {
		const char *name;
		tr_status st;
		const char *why;          /* exact, or a prefix when ending in '*' */
	} cases[] = {
		{ "passwort.pdf", TR_EFORMAT, "passwortgeschützt" },
		{ "scan.pdf", TR_EFORMAT, "kein Text (Scan?)" },
		{ "kaputt.pdf", TR_EFORMAT, "beschädigt: kein lesbares PDF*" },
		{ "abgeschnitten.docx", TR_EFORMAT, "beschädigt: kein vollständiges ZIP-Archiv (abgeschnitten?)" },
		{ "zipbombe.docx", TR_ETOOBIG,
		  "ZIP-Grenze überschritten: word/document.xml entpackt 100 MB (Grenze 64 MB)" },
		{ "zipbombe_gelogen.docx", TR_ETOOBIG,
		  "ZIP-Grenze überschritten: word/document.xml entpackt über 64 MB (Zip-Bombe?)" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		result r;
		const char *want = cases[i].why;
		size_t n = strlen(want);

		run(&r, cases[i].name);
		CHECK_MSG(r.st == cases[i].st, "%s: status %s, want %s", cases[i].name,
		          tr_strerror(r.st), tr_strerror(cases[i].st));
		if (want[n - 1] == '*')
			CHECK_MSG(r.why && strncmp(r.why, want, n - 1) == 0, "%s: why \"%s\"",
			          cases[i].name, r.why ? r.why : "(null)");
		else
			CHECK_MSG(r.why && strcmp(r.why, want) == 0, "%s: why \"%s\", want \"%s\"",
			          cases[i].name, r.why ? r.why : "(null)", want);
		CHECK_MSG(r.x.body.len == 0, "%s: body not empty", cases[i].name);
		result_free(&r);
	}
}

/* Builds a zip at @path with @n empty members, or one encrypted document.xml. */
static bool
make_zip(const char *path, int n, bool encrypted)
{
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL);
	static const char rels[] =
		"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
		"Target=\"word/document.xml\"/></Relationships>";
	static const char docxml[] = "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>geheim</w:t></w:r></w:p></w:body></w:document>";

	if (!za)
		return false;
	for (int i = 0; i < n; i++) {
		char name[32];
		zip_source_t *src = zip_source_buffer(za, "", 0, 0);

		snprintf(name, sizeof name, "f%05d", i);
		if (!src || zip_file_add(za, name, src, 0) < 0) {
			zip_source_free(src);
			zip_discard(za);
			return false;
		}
	}
	if (encrypted) {
		zip_source_t *r = zip_source_buffer(za, rels, sizeof rels - 1, 0);
		zip_source_t *d = zip_source_buffer(za, docxml, sizeof docxml - 1, 0);
		zip_int64_t idx;

		if (zip_file_add(za, "_rels/.rels", r, 0) < 0 ||
		    (idx = zip_file_add(za, "word/document.xml", d, 0)) < 0 ||
		    zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, "geheim") < 0) {
			zip_discard(za);
			return false;
		}
	}
	return zip_close(za) == 0;
}

static void
check_zip(const char *path, tr_status want_st, const char *want)
{
	FILE *f = fopen(path, "rb");
	char *data = malloc(4 << 20);
	size_t len = f && data ? fread(data, 1, 4 << 20, f) : 0;
	tr_extract x;
	char *why = NULL;
	tr_input in = { path, "application/zip", "binary", data, len, NULL };
	tr_status st;

	if (f)
		fclose(f);
	tr_extract_init(&x, MAX_TEXT);
	st = tr__extract_ooxml(&x, &in, &why);
	CHECK_MSG(st == want_st, "%s: %s", path, tr_strerror(st));
	CHECK_MSG(why && strcmp(why, want) == 0, "why \"%s\", want \"%s\"", why ? why : "(null)", want);
	free(why);
	tr_extract_free(&x);
	free(data);
}

/* Builds a DOCX at @path whose word/document.xml is @xml. */
static bool
make_docx(const char *path, const char *xml)
{
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL);
	zip_source_t *d;

	if (!za)
		return false;
	if (!(d = zip_source_buffer(za, xml, strlen(xml), 0)) || zip_file_add(za, "word/document.xml", d, 0) < 0) {
		zip_source_free(d);
		zip_discard(za);
		return false;
	}
	return zip_close(za) == 0;
}

/* Runs the OOXML extractor on the file at @path. */
static tr_status
extract_file(tr_extract *x, const char *path, char **why)
{
	FILE *f = fopen(path, "rb");
	char *data = malloc(1 << 20);
	size_t len = f && data ? fread(data, 1, 1 << 20, f) : 0;
	tr_input in = { path, "application/zip", "binary", data, len, NULL };
	tr_status st;

	if (f)
		fclose(f);
	tr_extract_init(x, MAX_TEXT);
	st = tr__extract_ooxml(x, &in, why);
	free(data);
	return st;
}

/*
 * Real documents are not refused for libxml2's defaults for unbounded
 * input (issue 13, item 14): a chapter of over 10 MB in one run and tables
 * nested deeper than 256 elements are valid DOCX.
 */
static void
test_large_structures(void)
{
	static const char head[] = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Anfang ";
	static const char mid[] = " Ende</w:t></w:r></w:p>";
	static const char tail[] = "<w:p><w:r><w:t>Tiefe Tabelle</w:t></w:r></w:p></w:body></w:document>";
	size_t run = (size_t)11 << 20, depth = 100, len = 0;
	static const char open_cell[] = "<w:tbl><w:tr><w:tc>", close_cell[] = "</w:tc></w:tr></w:tbl>";
	static const char inner[] = "<w:p><w:r><w:t>Innen</w:t></w:r></w:p>";
	char *xml = malloc(sizeof head + run + sizeof mid + depth * (sizeof open_cell + sizeof close_cell) +
	                   sizeof inner + sizeof tail);
	char path[] = "/tmp/test_extract_office_XXXXXX";
	int fd = mkstemp(path);
	tr_extract x;
	char *why = NULL;
	tr_status st;

	if (!xml || fd < 0) {
		CHECK(0);
		free(xml);
		return;
	}
	close(fd);
	memcpy(xml, head, sizeof head - 1);
	len = sizeof head - 1;
	for (size_t i = 0; i < run; i++)
		xml[len++] = "Absatz "[i % 7];
	memcpy(xml + len, mid, sizeof mid - 1);
	len += sizeof mid - 1;
	/* Three elements per level: 300 deep. */
	for (size_t i = 0; i < depth; i++, len += sizeof open_cell - 1)
		memcpy(xml + len, open_cell, sizeof open_cell - 1);
	memcpy(xml + len, inner, sizeof inner - 1);
	len += sizeof inner - 1;
	for (size_t i = 0; i < depth; i++, len += sizeof close_cell - 1)
		memcpy(xml + len, close_cell, sizeof close_cell - 1);
	memcpy(xml + len, tail, sizeof tail);
	CHECK(make_docx(path, xml));
	st = extract_file(&x, path, &why);
	CHECK_MSG(st == TR_OK, "large run and deep tables: %s", why ? why : tr_strerror(st));
	CHECK(strstr(str(&x.body), "Anfang Absatz") != NULL);
	CHECK(strstr(str(&x.body), " Ende") != NULL);
	CHECK(strstr(str(&x.body), "Innen") != NULL);
	CHECK(strstr(str(&x.body), "Tiefe Tabelle") != NULL);
	tr_extract_free(&x);
	free(why);
	free(xml);
	unlink(path);
}

/*
 * libxml2 expands no entity and loads nothing: an external entity does
 * not read /etc/passwd, nested entities ("billion laughs") do not blow up.
 */
static void
test_xml_entities(void)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>vor &x; nach</w:t></w:r></w:p></w:body></w:document>";
	static const char laughs[] =
		"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"hahahahahahahahahaha\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
		"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\"><!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>"
		"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Lachen: &i;</w:t></w:r></w:p></w:body></w:document>";
	char path[] = "/tmp/test_extract_office_XXXXXX";
	int fd = mkstemp(path);
	tr_extract x;
	char *why = NULL;
	tr_status st;

	if (fd < 0) {
		CHECK(0);
		return;
	}
	close(fd);
	CHECK(make_docx(path, xxe));
	st = extract_file(&x, path, &why);
	CHECK_MSG(st == TR_OK, "xxe: %s", why ? why : tr_strerror(st));
	CHECK_STR(str(&x.body), "vor  nach");
	tr_extract_free(&x);
	free(why);
	why = NULL;

	CHECK(make_docx(path, laughs));
	st = extract_file(&x, path, &why);
	CHECK_MSG(st == TR_OK || st == TR_EFORMAT, "laughs: %s", tr_strerror(st));
	CHECK_MSG(x.body.len < 100, "laughs: %zu bytes of body", x.body.len);
	tr_extract_free(&x);
	free(why);
	unlink(path);
}

/* The member count is checked in the central directory; an encrypted member is refused. */
static void
test_zip_limits(void)
{
	char path[] = "/tmp/test_extract_office_XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0) {
		CHECK(0);
		return;
	}
	close(fd);
	CHECK(make_zip(path, TR__ZIP_MAX_MEMBERS + 1, false));
	check_zip(path, TR_ETOOBIG, "ZIP-Grenze überschritten: 10001 Einträge (Grenze 10000)");
	if (zip_encryption_method_supported(ZIP_EM_AES_256, 1)) {
		CHECK(make_zip(path, 0, true));
		check_zip(path, TR_EFORMAT, "passwortgeschützt");
	}
	unlink(path);
}

/* ---- Pictures read by OCR (docs/ocr.md) ----------------------------------- */

/* A PNG header claiming 100,000 × 100,000 grey pixels. */
static const unsigned char huge_png[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 0, 0, 0, 0, 0x8D, 0x39, 0x54, 0x14,
	0, 0, 0, 0, 'I', 'D', 'A', 'T', 0, 0, 0, 0, 0, 0, 0, 0
};

typedef struct member {
	const char *name;
	const void *data;
	size_t len;
} member;

/* Builds a zip at @path of the members @m (until one without a name). */
static bool
make_members(const char *path, const member *m)
{
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL);

	if (!za)
		return false;
	for (; m->name; m++) {
		zip_source_t *src = zip_source_buffer(za, m->data, m->len, 0);

		if (!src || zip_file_add(za, m->name, src, 0) < 0) {
			zip_source_free(src);
			zip_discard(za);
			return false;
		}
	}
	return zip_close(za) == 0;
}

/* A white PNG of @w × @h pixels, in *len bytes (free()). */
static unsigned char *
white_png(int w, int h, size_t *len)
{
	PIX *pix = pixCreate(w, h, 8);
	l_uint8 *data = NULL;

	if (pix) {
		pixSetAll(pix);
		pixWriteMem(&data, len, pix, IFF_PNG);
	}
	pixDestroy(&pix);
	return data;
}

static void
count_page(void *arg)
{
	++*(int *)arg;
}

/* Any status will do (OCR found nothing, or tesseract is not installed). */
#define ANY_STATUS ((tr_status)-1)

/*
 * Runs the OOXML extractor with OCR on (@ocr) on the zip at @path; returns
 * the pictures OCR began to read (the page callback runs before tesseract
 * is even loaded, so this needs no tesseract).
 */
static int
ocr_pages(const char *path, bool ocr, tr_status want_st, const char *want_why, const char *want_body)
{
	FILE *f = fopen(path, "rb");
	char *data = malloc(1 << 20), *why = NULL;
	size_t len = f && data ? fread(data, 1, 1 << 20, f) : 0;
	int pages = 0;
	tr_ocr_options o = TR_OCR_OPTIONS_INIT;
	tr_input in = { path, "application/zip", "binary", data, len, ocr ? &o : NULL };
	tr_extract x;
	tr_status st;

	if (f)
		fclose(f);
	o.page_started = count_page;
	o.arg = &pages;
	tr_extract_init(&x, MAX_TEXT);
	st = tr__extract_ooxml(&x, &in, &why);
	CHECK_MSG(want_st == ANY_STATUS || st == want_st, "%s: %s (%s)", path, tr_strerror(st), why ? why : "");
	if (want_why)
		CHECK_MSG(why && strcmp(why, want_why) == 0, "why \"%s\", want \"%s\"", why ? why : "(null)", want_why);
	if (want_body && st == TR_OK)
		CHECK_MSG(x.body.ptr && strstr(x.body.ptr, want_body), "body \"%s\"", x.body.ptr ? x.body.ptr : "");
	free(why);
	tr_extract_free(&x);
	free(data);
	return pages;
}

#define DOCX_HEAD "<w:document xmlns:w=\"w\" xmlns:r=\"r\" xmlns:a=\"a\"><w:body>"
#define DOCX_PIC(id) "<w:p><w:r><w:drawing><a:blip r:embed=\"" id "\"/></w:drawing></w:r></w:p>"
#define DOCX_RELS(ids) "<Relationships>" ids "</Relationships>"
#define DOCX_REL(id, target) "<Relationship Id=\"" id "\" Type=\"x/image\" Target=\"" target "\"/>"

/*
 * Which pictures of a DOCX OCR reads: only those of a document without
 * text of its own, never an EMF, a logo under 300 px or a picture too big
 * (checked from its header, with the reason), and nothing at all with OCR
 * off.
 */
static void
test_pictures(void)
{
	static const char only_pictures[] = DOCX_HEAD DOCX_PIC("rLogo") DOCX_PIC("rEmf") DOCX_PIC("rHuge")
		DOCX_PIC("rGone") "</w:body></w:document>";
	static const char rels[] = DOCX_RELS(DOCX_REL("rLogo", "media/logo.png") DOCX_REL("rEmf", "media/chart.emf")
		DOCX_REL("rHuge", "media/huge.png") DOCX_REL("rGone", "media/weg.png") DOCX_REL("rScan", "media/scan.png"));
	static const char with_text[] = DOCX_HEAD "<w:p><w:r><w:t>Bericht</w:t></w:r></w:p>" DOCX_PIC("rScan")
		"</w:body></w:document>";
	static const char scan_only[] = DOCX_HEAD "<w:p/>" DOCX_PIC("rScan") "</w:body></w:document>";
	char path[] = "/tmp/test_extract_office_XXXXXX";
	size_t logo_len = 0, scan_len = 0;
	unsigned char *logo = white_png(240, 80, &logo_len), *scan = white_png(600, 400, &scan_len);
	int fd = mkstemp(path);
	member m[] = {
		{ "word/_rels/document.xml.rels", rels, sizeof rels - 1 },
		{ "word/media/logo.png", logo, logo_len },
		{ "word/media/chart.emf", "\x01\0\0\0EMF", 8 },
		{ "word/media/huge.png", huge_png, sizeof huge_png },
		{ "word/media/scan.png", scan, scan_len },
		{ "word/document.xml", only_pictures, sizeof only_pictures - 1 },
		{ NULL, NULL, 0 }
	};

	if (fd < 0 || !logo || !scan) {
		CHECK(0);
		goto done;
	}
	close(fd);
	CHECK(make_members(path, m));
	CHECK(ocr_pages(path, true, TR_EUNSUPPORTED,
	                "leeres Dokument (kein Text): Bild zu groß (100000 × 100000 Pixel, Grenze 50 Millionen)", NULL) == 0);
	/* With OCR off, the blank document is left to the indexer's "leeres Dokument" as before. */
	CHECK(ocr_pages(path, false, TR_OK, NULL, NULL) == 0);
	m[5].data = with_text;
	m[5].len = sizeof with_text - 1;
	CHECK(make_members(path, m));
	CHECK(ocr_pages(path, true, TR_OK, NULL, "Bericht") == 0);
	/* An empty paragraph is no text: the scan-sized picture is read (whatever OCR finds on white). */
	m[5].data = scan_only;
	m[5].len = sizeof scan_only - 1;
	CHECK(make_members(path, m));
	fd = ocr_pages(path, true, ANY_STATUS, NULL, NULL);
	CHECK_MSG(fd == 1, "%d pictures begun, want 1", fd);
	unlink(path);
done:
	free(logo);
	free(scan);
}

/*
 * A zero-byte file is "leere Datei" to the indexer before any extractor
 * sees it; called directly, each extractor still refuses it clearly.
 */
static void
test_empty(void)
{
	static const tr_extract_fn fns[] = { tr__extract_pdf, tr__extract_ooxml, tr__extract_odf };
	size_t len;
	char *data = read_fixture("leer.pdf", &len);

	CHECK(data && len == 0);
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		tr_extract x;
		char *why = NULL;
		tr_input in = { "leer.pdf", "application/pdf", "binary", data ? data : "", 0, NULL };

		tr_extract_init(&x, MAX_TEXT);
		CHECK(fns[i](&x, &in, &why) == TR_EFORMAT);
		CHECK_STR(why, "beschädigt: leere Datei");
		free(why);
		tr_extract_free(&x);
	}
	free(data);
}

/* A small text ceiling cuts the body at a character boundary and keeps what fits. */
static void
test_ceiling(void)
{
	static const char *const names[] = {
		"zweispaltig.pdf", "folien_notizen.pptx", "folien_notizen.odp", "protokoll_tabelle.odt",
		"protokoll_tabelle.docx",
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *data, *mime = NULL, *charset = NULL;
		size_t len;
		const tr_handler *h;
		tr_extract x;
		char *why = NULL;

		if (!(data = read_fixture(names[i], &len)))
			continue;
		tr__filetype_detect(data, len, names[i], &mime, &charset);
		h = tr__handler_find(mime, names[i]);
		CHECK(h != NULL);
		tr_extract_init(&x, 100);
		if (h) {
			tr_input in = { names[i], mime, charset, data, len, NULL };
			CHECK_MSG(h->extract(&x, &in, &why) == TR_OK, "%s", names[i]);
			CHECK_MSG(x.body.len > 0 && x.body.len <= 100, "%s: %zu bytes", names[i], x.body.len);
		}
		free(why);
		tr_extract_free(&x);
		free(mime);
		free(charset);
		free(data);
	}
}

/* The rule of docs/metadata.md, "Office and PDF properties". */
static void
test_property_date(void)
{
	static const struct {
		const char *created, *modified;
		const char *found;       /* what the path or text gave; NULL: nothing */
		const char *want;        /* the property date that wins; NULL: it does not */
	} cases[] = {
		{ "2019-06-17", "2019-06-18", NULL, "2019-06-17" },          /* no other date: created */
		{ NULL, "2019-06-18", NULL, "2019-06-18" },                  /* only modified */
		{ "2015-01-07", "2019-06-18", NULL, "2019-06-18" },          /* created years older: a copy */
		{ "2018-09-01", "2019-06-18", NULL, "2018-09-01" },          /* within a year: created */
		{ "2015-01-07", "2019-06-18", "2019-06-17", NULL },          /* a clear date in the text wins */
		{ "2019-06-15", "2019-06-16", "2019-06-17", NULL },          /* also when close to it */
		{ "2019-06-15", NULL, "2019-06", "2019-06-15" },             /* refines a month it lies in */
		{ "2019-06-15", NULL, "2019", "2019-06-15" },                /* and a year */
		{ "2012-03-01", NULL, "2019", NULL },                        /* not one it lies outside */
		{ "2019-07-01", NULL, "2019-06", NULL },
		{ NULL, NULL, NULL, NULL },
		{ "kein Datum", NULL, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tr_extract x;
		tr_date found = TR_DATE_NONE, out = TR_DATE_NONE;
		char iso[11] = "";
		bool won;

		tr_extract_init(&x, 16);
		x.date_created = cases[i].created ? strdup(cases[i].created) : NULL;
		x.date_modified = cases[i].modified ? strdup(cases[i].modified) : NULL;
		if (cases[i].found)
			CHECK(tr_date_parse(&found, cases[i].found) == TR_OK);
		won = tr__extract_property_date(&out, &x, cases[i].found ? &found : NULL);
		tr_date_format_iso(&out, iso);
		if (cases[i].want)
			CHECK_MSG(won && strcmp(iso, cases[i].want) == 0, "case %zu: got %s", i, won ? iso : "none");
		else
			CHECK_MSG(!won, "case %zu: property date %s won", i, iso);
		tr_extract_free(&x);
	}
}

int
main(void)
{
	if (!find_fixtures()) {
		fprintf(stderr, "test_extract_office: fixtures not found\n");
		return 1;
	}
	test_handlers();
	test_pdf();
	test_slides("folien_notizen.pptx", "pptx");
	test_slides("folien_notizen.odp", "odp");
	test_minutes("protokoll_tabelle.odt", "odt");
	test_minutes("protokoll_tabelle.docx", "docx");
	test_stale_template();
	test_word_structures();
	test_powerpoint_structures();
	test_broken();
	test_empty();
	test_zip_limits();
	test_pictures();
	test_xml_entities();
	test_large_structures();
	test_ceiling();
	test_property_date();
	tr__filetype_cleanup();
	return check_done();
}
