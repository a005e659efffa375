/*
 * Outlook .msg: the LZFu decompressor on the examples of [MS-OXRTFCP]
 * section 4 and on hostile variants of them, then the extractor on the
 * messages tests/helpers/make_msg writes (its path in TR_MAKE_MSG; skipped
 * without it): title, author, date, the first page and the "Anhang: NAME"
 * pages, also of an attached message; the reasons for damaged and
 * encrypted ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "extract.h"
#include "filetype.h"
#include "lzfu.h"

#define MAX_TEXT (16 << 20)

/* [MS-OXRTFCP] 4.1: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n", compressed. */
static const unsigned char spec1[] = {
	0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
	0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
	0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
	0xa0,
};

/* [MS-OXRTFCP] 4.2: "{\rtf1 WXYZWXYZWXYZWXYZWXYZ}", a reference that overlaps what it writes. */
static const unsigned char spec2[] = {
	0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b, 0x51,
	0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0,
};

static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

/* Decompresses @in; the status, the text in @got (up to @max bytes). */
static tr_status
lzfu(const unsigned char *in, size_t len, tr_buf *got, size_t max, char **why)
{
	tr_buf_init(got, max);
	*why = NULL;
	return tr__lzfu_decompress(got, in, len, why);
}

/* The examples' CRCs also check tr__lzfu_crc(), which the cases below use to make theirs. */
static void
test_lzfu_spec(void)
{
	tr_buf b;
	char *why;

	CHECK(lzfu(spec1, sizeof spec1, &b, 1 << 20, &why) == TR_OK);
	CHECK_STR(b.ptr, "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
	tr_buf_free(&b);
	free(why);
	CHECK(lzfu(spec2, sizeof spec2, &b, 1 << 20, &why) == TR_OK);
	CHECK_STR(b.ptr, "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}");
	tr_buf_free(&b);
	free(why);
}

static void
test_lzfu_mela(void)
{
	unsigned char m[16 + 12];
	tr_buf b;
	char *why;

	put32(m, sizeof m - 4);
	put32(m + 4, 10);
	memcpy(m + 8, "MELA", 4);
	put32(m + 12, 0);
	memcpy(m + 16, "{\\rtf1 ab}  ", 12);
	CHECK(lzfu(m, sizeof m, &b, 1 << 20, &why) == TR_OK);
	CHECK_STR(b.ptr, "{\\rtf1 ab}");
	tr_buf_free(&b);
	free(why);
	put32(m + 4, 13);   /* more than there is */
	CHECK(lzfu(m, sizeof m, &b, 1 << 20, &why) == TR_EFORMAT);
	CHECK(why && strstr(why, "beschädigt"));
	tr_buf_free(&b);
	free(why);
}

/* Each case: the spec's example changed so, and what must come of it. */
static void
test_lzfu_hostile(void)
{
	unsigned char m[sizeof spec1 + 8];
	tr_buf b;
	char *why;

	for (size_t n = 0; n < sizeof spec1; n++) {   /* every truncation: no crash, never OK */
		CHECK_MSG(lzfu(spec1, n, &b, 1 << 20, &why) == TR_EFORMAT, "cut at %zu", n);
		CHECK(why != NULL);
		tr_buf_free(&b);
		free(why);
	}
	memcpy(m, spec1, sizeof spec1);
	put32(m, 0x7FFFFFF0);   /* COMPSIZE beyond the data */
	CHECK(lzfu(m, sizeof spec1, &b, 1 << 20, &why) == TR_EFORMAT);
	tr_buf_free(&b);
	free(why);
	put32(m, 3);   /* COMPSIZE smaller than the header */
	CHECK(lzfu(m, sizeof spec1, &b, 1 << 20, &why) == TR_EFORMAT);
	tr_buf_free(&b);
	free(why);
	memcpy(m, spec1, sizeof spec1);
	m[20] ^= 1;   /* a byte changed: the CRC no longer fits */
	CHECK(lzfu(m, sizeof spec1, &b, 1 << 20, &why) == TR_EFORMAT);
	CHECK(why && strstr(why, "Prüfsumme"));
	tr_buf_free(&b);
	free(why);
	memcpy(m, spec1, sizeof spec1);
	memcpy(m + 8, "ZZZZ", 4);
	CHECK(lzfu(m, sizeof spec1, &b, 1 << 20, &why) == TR_EFORMAT);
	tr_buf_free(&b);
	free(why);
	memcpy(m, spec1, sizeof spec1);
	put32(m + 4, 10);   /* RAWSIZE smaller: the output stops there */
	CHECK(lzfu(m, sizeof spec1, &b, 1 << 20, &why) == TR_OK);
	CHECK(b.len == 10);
	tr_buf_free(&b);
	free(why);
	memcpy(m, spec1, sizeof spec1);
	CHECK(lzfu(m, sizeof spec1, &b, 12, &why) == TR_ETOOBIG);   /* the caller's ceiling holds */
	CHECK(b.len <= 12);
	tr_buf_free(&b);
	free(why);
}

/*
 * References the compressor never writes: to the preset dictionary's first
 * byte, to bytes not yet written (far ahead of the write position), the
 * longest length, over and over; and the end marker missing.
 */
static void
test_lzfu_references(void)
{
	unsigned char m[16 + 1 + 16 + 1 + 2];
	tr_buf b;
	char *why;
	size_t o = 16;

	m[o++] = 0xFF;   /* eight references */
	for (int i = 0; i < 8; i++) {
		unsigned ref = (i % 2 ? 4000u : 0u) << 4 | 15;
		m[o++] = (unsigned char)(ref >> 8);
		m[o++] = (unsigned char)ref;
	}
	m[o++] = 0x01;
	m[o++] = (unsigned char)(((207 + 8 * 17) % 4096) >> 4);
	m[o++] = (unsigned char)(((207 + 8 * 17) % 4096) << 4);
	put32(m, (uint32_t)(o - 4));
	put32(m + 4, 8 * 17);
	memcpy(m + 8, "LZFu", 4);
	put32(m + 12, tr__lzfu_crc(m + 16, o - 16));
	CHECK(lzfu(m, o, &b, 1 << 20, &why) == TR_OK);
	CHECK(b.len == 8 * 17 && memcmp(b.ptr, "{\\rtf1\\ansi\\mac\\d", 17) == 0);
	tr_buf_free(&b);
	free(why);
	put32(m + 4, 100000);   /* asks for more than the runs give, without an end marker */
	put32(m, (uint32_t)(o - 4 - 3));
	put32(m + 12, tr__lzfu_crc(m + 16, o - 16 - 3));
	CHECK(lzfu(m, o - 3, &b, 1 << 20, &why) == TR_EFORMAT);
	CHECK(why && strstr(why, "bricht"));
	tr_buf_free(&b);
	free(why);
}

static char tmpdir[] = "/tmp/test_extract_msg.XXXXXX";

static char *
slurp(const char *name, size_t *len)
{
	char path[4200];
	FILE *f;
	char *data = NULL;
	long n;

	*len = 0;
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	if (!(f = fopen(path, "rb")))
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) != NULL)
		*len = fread(data, 1, (size_t)n, f);
	fclose(f);
	return data;
}

/* Detects and extracts @data[0..len) as the indexer would; *why stays the caller's. */
static tr_status
extract_bytes(tr_extract *x, const char *name, const char *data, size_t len, char **why)
{
	char *mime = NULL, *charset = NULL;
	const tr_handler *h;
	tr_status st;

	*why = NULL;
	tr_extract_init(x, MAX_TEXT);
	if ((st = tr__filetype_detect(data, len, name, &mime, &charset)) != TR_OK)
		return st;
	CHECK_STR(mime, "application/vnd.ms-outlook");
	h = tr__handler_find(mime, name);
	CHECK(h && h->extract == tr__extract_msg);
	st = h ? h->extract(x, &(tr_input){ name, mime, charset, data, len, NULL }, why) : TR_EUNSUPPORTED;
	free(mime);
	free(charset);
	return st;
}

static tr_status
extract(tr_extract *x, const char *name, char **why)
{
	size_t len;
	char *data = slurp(name, &len);
	tr_status st;

	CHECK_MSG(data != NULL, "%s not written", name);
	st = extract_bytes(x, name, data ? data : "", len, why);
	free(data);
	return st;
}

static bool
has(const tr_buf *b, const char *s)
{
	return b->ptr && strstr(b->ptr, s);
}

/* The page (0-based, split at '\f') of @b on which @s is; -1 if none. */
static int
page_of(const tr_buf *b, const char *s)
{
	const char *hit = b->ptr ? strstr(b->ptr, s) : NULL;
	int page = 0;

	if (!hit)
		return -1;
	for (const char *p = b->ptr; p < hit; p++)
		page += *p == '\f';
	return page;
}

/* What each message make_msg writes must give: its fields, phrases on their pages, and no markup. */
static const struct {
	const char *file, *title, *author, *date;
	struct {
		const char *text;
		int page;   /* 0: the message; 1...: its attachments */
	} on[6];
	const char *absent[3];
} messages[] = {
	{ "brief.msg", "Rückmeldung zur Straßensozialarbeit in Großenhain", "Jürgen Weiß", "2013-04-22",
	  { { "Von: Jürgen Weiß <j.weiss@example.org>\nAn: Anke Müller; Bernd Schäfer\nKopie: "
	      "Koordinierungsstelle Meißen", 0 },
	    { "die Quartiersmütter übernehmen ab Mai", 0 },
	    { "\fAnhang: notizen.txt\n", 0 },   /* the '\f' opens page 1 */
	    { "Zuckertütenfest", 1 },
	    { "Anhang: protokoll_tabelle.docx", 2 },
	    { "Elternbriefe in Leichter Sprache", 2 } },
	  { "\r" } },
	/* The delivery time when there is no submit time; 8-bit strings in Windows-1252. */
	{ "ansi.msg", "Müllabfuhr am Brückentag", "Dörte Kühn", "2007-09-06",
	  { { "Der Sperrmüllcontainer kostet 25 € und steht vor der Tür.", 0 } }, { "\r" } },
	{ "latin2.msg", "Dolmetscherin für Tschechisch", "Lenka Dvořáková", "2016-03-01",
	  { { "Paní Dvořáková übersetzt in Děčín und Žitava.", 0 } }, { NULL } },
	{ "html.msg", "Sprachcafé im Bürgerhaus", "Ayşe Özdemir", "2015-02-13",
	  { { "An: Elternrat Grundschule Nord; Schulsozialarbeit\nKopie: Hortleitung\n", 0 },
	    { "Das Sprachcafé der Stadtteilmütter öffnet donnerstags im Bürgerhaus.", 0 },
	    { "Anmeldung bei Frau Özdemir.", 0 } },
	  { "color:red", "<p>" } },
	{ "rtf.msg", "Treffen der Elternlotsinnen", "Ilse Brandt", "2019-01-01",
	  { { "Die Elternlotsinnen treffen sich im Stadtteilzentrum Grünau.", 0 }, { "Grüße", 0 } },
	  { "\\par", "Arial" } },
	/* An attached message is read as a message, its own attachment on its page. */
	{ "weiterleitung.msg", "WG: Kältehilfe", "Carla Vogt", "2021-01-07",
	  { { "Zur Info", 0 },
	    { "Anhang: Kältehilfe\nKältehilfe\nVon: Tom Richter", 1 },
	    { "Die Kältebusfahrer suchen Verstärkung.", 1 },
	    { "Anhang: plan.txt", 1 },
	    { "Wärmestubenplan", 1 } },
	  { NULL } },
};

static void
test_messages(void)
{
	for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
		tr_extract x;
		char *why = NULL;
		tr_status st = extract(&x, messages[i].file, &why);

		CHECK_MSG(st == TR_OK, "%s: %s", messages[i].file, why ? why : "");
		CHECK_STR(x.title.ptr, messages[i].title);
		CHECK_STR(x.author.ptr, messages[i].author);
		CHECK_STR(x.date, messages[i].date);
		for (size_t k = 0; k < 6 && messages[i].on[k].text; k++)
			CHECK_MSG(page_of(&x.body, messages[i].on[k].text) == messages[i].on[k].page,
			          "%s: \"%s\" on page %d, want %d", messages[i].file, messages[i].on[k].text,
			          page_of(&x.body, messages[i].on[k].text), messages[i].on[k].page);
		for (size_t k = 0; k < 3 && messages[i].absent[k]; k++)
			CHECK_MSG(!has(&x.body, messages[i].absent[k]), "%s: has \"%s\"", messages[i].file,
			          messages[i].absent[k]);
		free(why);
		tr_extract_free(&x);
	}
}

static void
test_broken(void)
{
	tr_extract x;
	char *why;
	size_t len;
	char *data = slurp("brief.msg", &len);

	CHECK(extract(&x, "smime.msg", &why) == TR_EFORMAT);
	CHECK_STR(why, "verschlüsselt (S/MIME)");
	free(why);
	tr_extract_free(&x);
	/* Every cut of the file: a reason or some text, never a crash. */
	for (size_t n = 512; data && n < len; n += n < 8192 ? 512 : 4096) {
		tr_status st;

		tr_extract_init(&x, MAX_TEXT);
		st = tr__extract_msg(&x, &(tr_input){ "brief.msg", "application/vnd.ms-outlook", "binary",
		                                      data, n, NULL }, &why);
		CHECK_MSG(st == TR_OK || (st == TR_EFORMAT && why && strncmp(why, "beschädigt", 11) == 0),
		          "cut at %zu: %d %s", n, (int)st, why ? why : "");
		free(why);
		tr_extract_free(&x);
	}
	free(data);
}

/* Writes the messages with make_msg; false (the test is skipped) without it. */
static bool
make_messages(void)
{
	const char *maker = getenv("TR_MAKE_MSG");
	const char *file = __FILE__;
	const char *unit = strstr(file, "unit/test_extract_msg.c");
	char cmd[8192];

	if (!maker || !unit || !mkdtemp(tmpdir))
		return false;
	snprintf(cmd, sizeof cmd, "'%s' '%s' '%.*sfixtures/office/protokoll_tabelle.docx'", maker, tmpdir,
	         (int)(unit - file), file);
	return system(cmd) == 0;
}

int
main(void)
{
	char cmd[256];

	test_lzfu_spec();
	test_lzfu_mela();
	test_lzfu_hostile();
	test_lzfu_references();
	if (!make_messages()) {
		fprintf(stderr, "test_extract_msg: TR_MAKE_MSG missing or failed: skipped\n");
		return check_failed ? check_done() : 77;
	}
	test_messages();
	test_broken();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_extract_msg: %s left behind\n", tmpdir);
	tr__filetype_cleanup();
	return check_done();
}
