/*
 * make_msg: writes Outlook messages (.msg) for the tests, laid out as
 * [MS-OXMSG] describes and written with libgsf's OLE2 writer, so that no
 * .msg has to be committed.
 *
 *   make_msg DIR ATTACHMENT
 *
 * Writes into DIR: brief.msg (UTF-16 subject and body, sender,
 * recipients, a submit time, a text attachment and ATTACHMENT, any file
 * Tellerrand reads), ansi.msg (only 8-bit Windows-1252 strings and a
 * delivery time), latin2.msg (8-bit strings in ISO 8859-2), html.msg
 * (only an HTML body, the recipients only in their storages), rtf.msg
 * (only compressed RTF, LZFu with literal runs), weiterleitung.msg (an
 * attached Outlook message with an attachment of its own) and smime.msg
 * (an encrypted message).
 */
#include <gsf/gsf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzfu.h"

#define PT_LONG 0x0003
#define PT_OBJECT 0x000D
#define PT_STRING8 0x001E
#define PT_UNICODE 0x001F
#define PT_SYSTIME 0x0040
#define PT_BINARY 0x0102

/* The fixed-size properties and sizes of one storage's "__properties_version1.0". */
typedef struct props {
	unsigned char buf[4096];
	size_t len;
} props;

static void
le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

/* Starts a properties stream with a header of @size bytes (32, 24 or 8) and its counts. */
static void
props_start(props *p, size_t size, uint32_t recipients, uint32_t attachments)
{
	memset(p, 0, sizeof *p);
	p->len = size;
	if (size >= 24) {
		le32(p->buf + 8, recipients);
		le32(p->buf + 12, attachments);
		le32(p->buf + 16, recipients);
		le32(p->buf + 20, attachments);
	}
}

static void
props_add(props *p, unsigned id, unsigned type, uint64_t value)
{
	unsigned char *e = p->buf + p->len;

	le32(e, (uint32_t)id << 16 | type);
	le32(e + 4, 6);   /* readable, writable */
	le32(e + 8, (uint32_t)value);
	le32(e + 12, (uint32_t)(value >> 32));
	p->len += 16;
}

static void
stream(GsfOutfile *dir, const char *name, const void *data, size_t len)
{
	GsfOutput *o = gsf_outfile_new_child(dir, name, FALSE);

	if (!o || (len && !gsf_output_write(o, len, data))) {
		fprintf(stderr, "make_msg: cannot write %s\n", name);
		exit(1);
	}
	gsf_output_close(o);
	g_object_unref(o);
}

/* Property @id as a stream of type @type; its size goes to @p as [MS-OXMSG] 2.4.2.2 asks. */
static void
prop_stream(GsfOutfile *dir, props *p, unsigned id, unsigned type, const void *data, size_t len)
{
	char name[32];

	snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
	stream(dir, name, data, len);
	if (p)
		props_add(p, id, type, type == PT_BINARY ? len : len + (type == PT_UNICODE ? 2 : 1));
}

/* UTF-8 @s as a UTF-16LE string property (the test strings stay in the BMP). */
static void
prop_unicode(GsfOutfile *dir, props *p, unsigned id, const char *s)
{
	glong n = 0;
	gunichar2 *u = g_utf8_to_utf16(s, -1, NULL, &n, NULL);
	unsigned char *b = malloc(2 * (size_t)n + 1);

	for (glong i = 0; i < n; i++) {
		b[2 * i] = (unsigned char)(u[i] & 0xFF);
		b[2 * i + 1] = (unsigned char)(u[i] >> 8);
	}
	prop_stream(dir, p, id, PT_UNICODE, b, 2 * (size_t)n);
	free(b);
	g_free(u);
}

/* UTF-8 @s as an 8-bit string property in @charset. */
static void
prop_8bit(GsfOutfile *dir, props *p, unsigned id, const char *s, const char *charset)
{
	gsize n = 0;
	gchar *b = g_convert(s, -1, charset, "UTF-8", NULL, &n, NULL);

	prop_stream(dir, p, id, PT_STRING8, b, n);
	g_free(b);
}

static void
prop_ansi(GsfOutfile *dir, props *p, unsigned id, const char *s)
{
	prop_8bit(dir, p, id, s, "WINDOWS-1252");
}

static void
props_write(GsfOutfile *dir, const props *p)
{
	stream(dir, "__properties_version1.0", p->buf, p->len);
}

static GsfOutfile *
storage(GsfOutfile *dir, const char *name)
{
	return GSF_OUTFILE(gsf_outfile_new_child(dir, name, TRUE));
}

static void
storage_close(GsfOutfile *s)
{
	gsf_output_close(GSF_OUTPUT(s));
	g_object_unref(s);
}

/* The named-property mapping storage every message has ([MS-OXMSG] 2.2.3), here empty. */
static void
nameid(GsfOutfile *root)
{
	GsfOutfile *s = storage(root, "__nameid_version1.0");

	prop_stream(s, NULL, 0x0002, PT_BINARY, "", 0);
	prop_stream(s, NULL, 0x0003, PT_BINARY, "", 0);
	prop_stream(s, NULL, 0x0004, PT_BINARY, "", 0);
	storage_close(s);
}

/* Recipient number @i, of @type (1 to, 2 cc). */
static void
recipient(GsfOutfile *dir, int i, unsigned type, const char *name, const char *addr)
{
	char sname[40];
	GsfOutfile *s;
	props p;

	snprintf(sname, sizeof sname, "__recip_version1.0_#%08X", i);
	s = storage(dir, sname);
	props_start(&p, 8, 0, 0);
	props_add(&p, 0x0C15, PT_LONG, type);   /* PR_RECIPIENT_TYPE */
	prop_unicode(s, &p, 0x3001, name);
	prop_unicode(s, &p, 0x3003, addr);
	props_write(s, &p);
	storage_close(s);
}

/* Attachment number @i: a file called @name holding @data[0..len). */
static void
attachment(GsfOutfile *dir, int i, const char *name, const char *shortname, const void *data,
           size_t len)
{
	char sname[40];
	GsfOutfile *s;
	props p;

	snprintf(sname, sizeof sname, "__attach_version1.0_#%08X", i);
	s = storage(dir, sname);
	props_start(&p, 8, 0, 0);
	props_add(&p, 0x3705, PT_LONG, 1);   /* PR_ATTACH_METHOD: by value */
	props_add(&p, 0x0E21, PT_LONG, (uint64_t)i);
	if (shortname)
		prop_unicode(s, &p, 0x3704, shortname);
	prop_unicode(s, &p, 0x3707, name);
	prop_unicode(s, &p, 0x3001, name);
	prop_stream(s, &p, 0x3701, PT_BINARY, data, len);
	props_write(s, &p);
	storage_close(s);
}

/* FILETIME of a time given in seconds since 1970. */
static uint64_t
filetime(int64_t unix_secs)
{
	return (uint64_t)(unix_secs + 11644473600) * 10000000u;
}

static GsfOutfile *
open_msg(const char *dir, const char *name, GsfOutput **file)
{
	char path[4096];
	GError *err = NULL;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(*file = gsf_output_stdio_new(path, &err))) {
		fprintf(stderr, "make_msg: %s: %s\n", path, err ? err->message : "?");
		exit(1);
	}
	return gsf_outfile_msole_new(*file);
}

static void
close_msg(GsfOutfile *root, GsfOutput *file)
{
	gsf_output_close(GSF_OUTPUT(root));   /* closes @file too */
	g_object_unref(root);
	g_object_unref(file);
}

static char *
slurp(const char *path, size_t *len)
{
	gchar *data = NULL;
	gsize n = 0;

	if (!g_file_get_contents(path, &data, &n, NULL)) {
		fprintf(stderr, "make_msg: cannot read %s\n", path);
		exit(1);
	}
	*len = n;
	return data;
}

/*
 * @rtf as LZFu with literal runs only (a control byte 0 before every eight
 * bytes) and the end marker, a reference to the write position, after
 * them: valid compressed RTF that any reader must take.  Free with free().
 */
static unsigned char *
lzfu(const char *rtf, size_t *len)
{
	size_t n = strlen(rtf), w = (207 + n) % 4096, o = 16;
	unsigned char *b = malloc(16 + n + n / 8 + 4);

	for (size_t i = 0; i < n; i += 8) {
		size_t k = n - i < 8 ? n - i : 8;
		b[o++] = k < 8 ? (unsigned char)(1u << k) : 0;
		memcpy(b + o, rtf + i, k);
		o += k;
		if (k < 8) {
			b[o++] = (unsigned char)(w >> 4);
			b[o++] = (unsigned char)(w << 4);
		}
	}
	if (n % 8 == 0) {
		b[o++] = 1;
		b[o++] = (unsigned char)(w >> 4);
		b[o++] = (unsigned char)(w << 4);
	}
	le32(b, (uint32_t)(o - 4));
	le32(b + 4, (uint32_t)n);
	memcpy(b + 8, "LZFu", 4);
	le32(b + 12, tr__lzfu_crc(b + 16, o - 16));
	*len = o;
	return b;
}

/*
 * Opens DIR/NAME as a message with what every message has: the counts
 * in the header, the class,
 * flags, @time_id (submit or delivery time) at @when, the named-property
 * storage; finish() writes the properties and closes it.
 */
static GsfOutfile *
begin(const char *dir, const char *name, GsfOutput **file, props *p, uint32_t recipients,
      uint32_t attachments, const char *cls, unsigned time_id, int64_t when)
{
	GsfOutfile *root = open_msg(dir, name, file);

	props_start(p, 32, recipients, attachments);
	prop_unicode(root, p, 0x001A, cls);
	props_add(p, 0x0E07, PT_LONG, 1);   /* PR_MESSAGE_FLAGS: read */
	props_add(p, time_id, PT_SYSTIME, filetime(when));
	nameid(root);
	return root;
}

static void
finish(GsfOutfile *root, GsfOutput *file, const props *p)
{
	props_write(root, p);
	close_msg(root, file);
}

static void
write_brief(const char *dir, const char *extra)
{
	static const char notes[] = "Notizen zum Zuckertütenfest im Nachbarschaftstreff\n";
	GsfOutput *file;
	GsfOutfile *root;
	const char *base = strrchr(extra, '/') ? strrchr(extra, '/') + 1 : extra;
	size_t len;
	char *data = slurp(extra, &len);
	props p;

	/* 2013-04-22 09:15 UTC */
	root = begin(dir, "brief.msg", &file, &p, 2, 2, "IPM.Note", 0x0039, 1366622100);
	props_add(&p, 0x3FDE, PT_LONG, 1252);
	prop_unicode(root, &p, 0x0037, "Rückmeldung zur Straßensozialarbeit in Großenhain");
	prop_unicode(root, &p, 0x0C1A, "Jürgen Weiß");
	prop_unicode(root, &p, 0x0C1F, "j.weiss@example.org");
	prop_unicode(root, &p, 0x5D01, "j.weiss@example.org");
	prop_unicode(root, &p, 0x0E04, "Anke Müller; Bernd Schäfer");
	prop_unicode(root, &p, 0x0E03, "Koordinierungsstelle Meißen");
	prop_unicode(root, &p, 0x1000,
	             "Liebe Kolleginnen,\r\n\r\ndie Quartiersmütter übernehmen ab Mai die "
	             "Sprechstunde. Die Übersicht hängt an.\r\n\r\nViele Grüße\r\nJürgen\r\n");
	recipient(root, 0, 1, "Anke Müller", "a.mueller@example.org");
	recipient(root, 1, 1, "Bernd Schäfer", "b.schaefer@example.org");
	attachment(root, 0, "notizen.txt", "NOTIZEN.TXT", notes, sizeof notes - 1);
	attachment(root, 1, base, NULL, data, len);
	finish(root, file, &p);
	g_free(data);
}

static void
write_ansi(const char *dir)
{
	GsfOutput *file;
	GsfOutfile *root;
	props p;

	/* 2007-09-06 08:00 UTC */
	root = begin(dir, "ansi.msg", &file, &p, 0, 0, "IPM.Note", 0x0E06, 1189065600);
	props_add(&p, 0x3FFD, PT_LONG, 1252);
	prop_ansi(root, &p, 0x0037, "Müllabfuhr am Brückentag");
	prop_ansi(root, &p, 0x0C1A, "Dörte Kühn");
	prop_ansi(root, &p, 0x0E04, "Hausmeisterei");
	prop_ansi(root, &p, 0x1000, "Der Sperrmüllcontainer kostet 25 € und steht vor der Tür.\r\n");
	finish(root, file, &p);
}

/* 8-bit strings in ISO 8859-2, the code page PR_INTERNET_CPID names (28592). */
static void
write_latin2(const char *dir)
{
	GsfOutput *file;
	GsfOutfile *root;
	props p;

	/* 2016-03-01 09:00 UTC */
	root = begin(dir, "latin2.msg", &file, &p, 0, 0, "IPM.Note", 0x0039, 1456822800);
	props_add(&p, 0x3FDE, PT_LONG, 28592);
	prop_8bit(root, &p, 0x0037, "Dolmetscherin für Tschechisch", "ISO-8859-2");
	prop_8bit(root, &p, 0x0C1A, "Lenka Dvořáková", "ISO-8859-2");
	prop_8bit(root, &p, 0x1000, "Paní Dvořáková übersetzt in Děčín und Žitava.\r\n", "ISO-8859-2");
	finish(root, file, &p);
}

static void
write_html(const char *dir)
{
	static const char html[] =
		"<html><head><meta charset=\"utf-8\"><title>x</title><style>p{color:red}</style></head>"
		"<body><p>Das Sprachcafé der Stadtteilmütter öffnet donnerstags im Bürgerhaus.</p>"
		"<p>Anmeldung bei Frau Özdemir.</p></body></html>";
	GsfOutput *file;
	GsfOutfile *root;
	props p;

	/* 2015-02-13 10:00 UTC */
	root = begin(dir, "html.msg", &file, &p, 3, 0, "IPM.Note", 0x0039, 1423821600);
	props_add(&p, 0x3FDE, PT_LONG, 65001);
	prop_unicode(root, &p, 0x0037, "Sprachcafé im Bürgerhaus");
	prop_unicode(root, &p, 0x0C1A, "Ayşe Özdemir");
	prop_stream(root, &p, 0x1013, PT_BINARY, html, sizeof html - 1);
	/* No PR_DISPLAY_TO or PR_DISPLAY_CC: the recipients only in their storages. */
	recipient(root, 0, 1, "Elternrat Grundschule Nord", "elternrat@example.org");
	recipient(root, 1, 2, "Hortleitung", "hort@example.org");
	recipient(root, 2, 1, "Schulsozialarbeit", "ssa@example.org");
	finish(root, file, &p);
}

static void
write_rtf(const char *dir)
{
	static const char rtf[] =
		"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\\f0\\fs20 "
		"Die Elternlotsinnen treffen sich im Stadtteilzentrum Gr\\'fcnau.\\par "
		"Gr\\u252?\\'dfe\\par}";
	GsfOutput *file;
	GsfOutfile *root;
	size_t len;
	unsigned char *z = lzfu(rtf, &len);
	props p;

	/* 2019-01-01 10:00 UTC */
	root = begin(dir, "rtf.msg", &file, &p, 0, 0, "IPM.Note", 0x0039, 1546336800);
	prop_unicode(root, &p, 0x0037, "Treffen der Elternlotsinnen");
	prop_unicode(root, &p, 0x0C1A, "Ilse Brandt");
	prop_stream(root, &p, 0x1009, PT_BINARY, z, len);
	finish(root, file, &p);
	free(z);
}

/* An attached Outlook message: attachment 0, method 5, its message in storage 3701000D. */
static void
write_forward(const char *dir)
{
	static const char plan[] = "Wärmestubenplan für Januar\n";
	GsfOutput *file;
	GsfOutfile *root, *att, *inner;
	props p, ap, ip;

	/* 2021-01-07 06:13 UTC */
	root = begin(dir, "weiterleitung.msg", &file, &p, 0, 1, "IPM.Note", 0x0039, 1610000000);
	prop_unicode(root, &p, 0x0037, "WG: Kältehilfe");
	prop_unicode(root, &p, 0x0C1A, "Carla Vogt");
	prop_unicode(root, &p, 0x1000, "Zur Info, siehe unten.\r\n");
	att = storage(root, "__attach_version1.0_#00000000");
	props_start(&ap, 8, 0, 0);
	props_add(&ap, 0x3705, PT_LONG, 5);   /* PR_ATTACH_METHOD: embedded message */
	props_add(&ap, 0x3701, PT_OBJECT, 0xFFFFFFFFu);
	prop_unicode(att, &ap, 0x3001, "Kältehilfe");
	inner = storage(att, "__substg1.0_3701000D");
	props_start(&ip, 24, 0, 1);
	prop_unicode(inner, &ip, 0x001A, "IPM.Note");
	props_add(&ip, 0x0039, PT_SYSTIME, filetime(1609900000));
	prop_unicode(inner, &ip, 0x0037, "Kältehilfe");
	prop_unicode(inner, &ip, 0x0C1A, "Tom Richter");
	prop_unicode(inner, &ip, 0x1000, "Die Kältebusfahrer suchen Verstärkung.\r\n");
	attachment(inner, 0, "plan.txt", NULL, plan, sizeof plan - 1);
	props_write(inner, &ip);
	storage_close(inner);
	props_write(att, &ap);
	storage_close(att);
	finish(root, file, &p);
}

static void
write_smime(const char *dir)
{
	static const char p7m[] = "0\x82\x01\x00 not really CMS";
	GsfOutput *file;
	GsfOutfile *root;
	props p;

	root = begin(dir, "smime.msg", &file, &p, 0, 1, "IPM.Note.SMIME", 0x0039, 1600000000);
	prop_unicode(root, &p, 0x0037, "Vertraulich");
	attachment(root, 0, "smime.p7m", NULL, p7m, sizeof p7m - 1);
	finish(root, file, &p);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: make_msg DIR ATTACHMENT\n");
		return 2;
	}
	gsf_init();
	write_brief(argv[1], argv[2]);
	write_ansi(argv[1]);
	write_latin2(argv[1]);
	write_html(argv[1]);
	write_rtf(argv[1]);
	write_forward(argv[1]);
	write_smime(argv[1]);
	gsf_shutdown();
	return 0;
}
