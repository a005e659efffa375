/*
 * Reading the bytes of a web page: which encoding they are in, and the
 * repairs of text that libxml2's HTML 4 parser leaves as written (HTML5
 * entities without their semicolon, CDATA markers).
 */
#include "html.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>

#include "extract.h"
#include "text.h"

/* The charset declaration is looked for in the first bytes (HTML5 prescans 1024; pages put scripts first). */
#define HTML_PRESCAN 8192

/*
 * RECOVER: real pages are rarely valid.  NONET: never fetch anything.  No
 * NOBLANKS: it deletes the white space between inline elements and glues
 * words together ("<b>Plauen.</b> <i>Mit</i>").  The HTML parser neither
 * loads DTDs nor expands external entities; we pass nothing that would.
 */
#define HTML_OPTS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
                   HTML_PARSE_NONET | HTML_PARSE_COMPACT)

static void
html_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * Even with HTML_PARSE_NOERROR, encoding errors go to libxml2's generic
 * error handler, which prints to stderr; the library must never print.
 * The handler is per thread in libxml2, so this is safe with workers.
 */
htmlDocPtr
tr__html_parse(const char *data, size_t len, const char *encoding)
{
	xmlGenericErrorFunc old = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	htmlDocPtr doc;

	xmlSetGenericErrorFunc(NULL, html_silent);
	doc = htmlReadMemory(data, (int)len, NULL, encoding, HTML_OPTS);
	xmlSetGenericErrorFunc(old_ctx, old);
	return doc;
}

/* Text-decoding trouble in a parsed document: U+FFFD and "Ã¼"-style mojibake. */
static size_t
html_badness(xmlNodePtr root)
{
	size_t bad = 0;

	for (xmlNodePtr n = root; n; n = tr__html_next(root, n, false)) {
		const unsigned char *p;

		if (n->type != XML_TEXT_NODE || !n->content)
			continue;
		for (p = n->content; *p; p++) {
			if (p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD)
				bad++;
			/* UTF-8 read as Latin-1: "Ã" followed by U+0080..U+00BF. */
			else if (p[0] == 0xC3 && p[1] == 0x83 && p[2] == 0xC2 && p[3] >= 0x80 && p[3] <= 0xBF)
				bad++;
		}
	}
	return bad;
}

/* The encoding to try when libxml2's own choice gave broken text. */
static const char *
html_retry_encoding(const tr_input *in)
{
	const char *cs = in->charset;

	if (cs && (strcasecmp(cs, "utf-16le") == 0 || strcasecmp(cs, "utf-16be") == 0))
		return strcasecmp(cs, "utf-16le") == 0 ? "UTF-16LE" : "UTF-16BE";
	return tr_text_is_utf8(in->data, in->len) ? "UTF-8" : "WINDOWS-1252";
}


/* Case-insensitive search for @needle in @s[0..len). */
static const char *
html_find_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

/* Copies the charset name after "charset" or "encoding" at @p into @out. */
static bool
html_charset_value(const char *p, const char *end, char *out, size_t outsz)
{
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '=' || *p == '"' || *p == '\''))
		p++;
	while (p < end && n + 1 < outsz &&
	       ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	        *p == '-' || *p == '_' || *p == ':' || *p == '.'))
		out[n++] = *p++;
	out[n] = '\0';
	return n > 0;
}

/*
 * The charset the page declares near its start: <meta charset> or
 * <meta http-equiv="Content-Type" content="...; charset=...">, else the
 * XML declaration's encoding.
 */
static bool
html_declared(const char *d, size_t len, char *out, size_t outsz)
{
	const char *end = d + (len < HTML_PRESCAN ? len : HTML_PRESCAN), *p = d, *q;

	while ((p = html_find_ci(p, (size_t)(end - p), "<meta"))) {
		const char *tag_end = memchr(p, '>', (size_t)(end - p));

		if (!tag_end)
			break;
		if ((q = html_find_ci(p, (size_t)(tag_end - p), "charset")) &&
		    html_charset_value(q + 7, tag_end, out, outsz))
			return true;
		p = tag_end;
	}
	if (len > 5 && strncmp(d, "<?xml", 5) == 0 && (p = memchr(d, '>', (size_t)(end - d))) &&
	    (q = html_find_ci(d, (size_t)(p - d), "encoding")))
		return html_charset_value(q + 8, p, out, outsz);
	return false;
}

static bool
html_single_byte(const char *cs)
{
	static const char *const prefixes[] = {
		"iso-8859", "iso8859", "windows-125", "cp125", "latin", "us-ascii", "ascii", "koi8", NULL
	};

	for (const char *const *p = prefixes; *p; p++)
		if (strncasecmp(cs, *p, strlen(*p)) == 0)
			return true;
	return false;
}

/*
 * The encoding to read a page in: a byte order mark, else what the page
 * declares, else what the bytes are.  A page that is valid UTF-8 is read
 * as UTF-8 whatever single-byte charset it declares (pages saved as UTF-8
 * keep their old declaration); ISO-8859-1 and ASCII are read as
 * Windows-1252, as browsers do.
 */
static const char *
html_encoding(const tr_input *in, char *buf, size_t bufsz)
{
	const unsigned char *d = (const unsigned char *)in->data;
	bool utf8 = tr_text_is_utf8(in->data, in->len);
	const char *cs = in->charset;

	if (in->len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		return "UTF-8";
	if (in->len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
		return d[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
	if (cs && (strcasecmp(cs, "utf-16le") == 0 || strcasecmp(cs, "utf-16be") == 0))
		return strcasecmp(cs, "utf-16le") == 0 ? "UTF-16LE" : "UTF-16BE";
	if (!html_declared(in->data, in->len, buf, bufsz))
		return utf8 ? "UTF-8" : "WINDOWS-1252";
	if (html_single_byte(buf)) {
		if (utf8)
			return "UTF-8";
		if (strncasecmp(buf, "iso-8859-1", 10) == 0 && buf[10] == '\0')
			return "WINDOWS-1252";
		return strncasecmp(buf, "latin", 5) == 0 || strcasecmp(buf, "us-ascii") == 0 ||
		       strcasecmp(buf, "ascii") == 0 ? "WINDOWS-1252" : buf;
	}
	/* A UTF-16 declaration in bytes that could be read to find it is wrong. */
	if (strncasecmp(buf, "utf-16", 6) == 0 || strcasecmp(buf, "utf8") == 0)
		return "UTF-8";
	return buf;
}

htmlDocPtr
tr__html_read(const tr_input *in)
{
	char declared[48];
	const char *enc = html_encoding(in, declared, sizeof declared);
	htmlDocPtr doc = tr__html_parse(in->data, in->len, enc), again;
	size_t bad;

	/* A charset libxml2 does not know: what the bytes are. */
	if (!doc || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		doc = tr__html_parse(in->data, in->len, html_retry_encoding(in));
	}
	if (!doc || !xmlDocGetRootElement(doc))
		return doc;
	bad = html_badness(xmlDocGetRootElement(doc));
	if (bad == 0 || strcmp(enc, html_retry_encoding(in)) == 0)
		return doc;
	again = tr__html_parse(in->data, in->len, html_retry_encoding(in));
	if (again && xmlDocGetRootElement(again) &&
	    html_badness(xmlDocGetRootElement(again)) < bad) {
		xmlFreeDoc(doc);
		return again;
	}
	xmlFreeDoc(again);
	return doc;
}

/* HTML5's entities that browsers read without their semicolon (the common ones). */
static const struct {
	const char *name;
	const char *utf8;
} legacy_entities[] = {
	{ "amp", "&" }, { "AMP", "&" }, { "lt", "<" }, { "LT", "<" }, { "gt", ">" }, { "GT", ">" },
	{ "quot", "\"" }, { "QUOT", "\"" }, { "nbsp", " " }, { "copy", "\xC2\xA9" },
	{ "COPY", "\xC2\xA9" }, { "reg", "\xC2\xAE" }, { "REG", "\xC2\xAE" },
	{ "auml", "\xC3\xA4" }, { "ouml", "\xC3\xB6" }, { "uuml", "\xC3\xBC" },
	{ "Auml", "\xC3\x84" }, { "Ouml", "\xC3\x96" }, { "Uuml", "\xC3\x9C" },
	{ "szlig", "\xC3\x9F" }, { "eacute", "\xC3\xA9" }, { "egrave", "\xC3\xA8" },
	{ "agrave", "\xC3\xA0" }, { "sect", "\xC2\xA7" }, { "deg", "\xC2\xB0" },
};

/* The legacy entity at @s ("&gt ..."), its length in *n; NULL if none. */
static const char *
legacy_entity(const char *s, size_t *n)
{
	for (size_t i = 0; i < sizeof legacy_entities / sizeof *legacy_entities; i++) {
		size_t len = strlen(legacy_entities[i].name);

		if (strncmp(s + 1, legacy_entities[i].name, len) == 0) {
			*n = len + 1;
			return legacy_entities[i].utf8;
		}
	}
	return NULL;
}

bool
tr__html_repair_text(tr_buf *out, const char *s)
{
	bool cdata = false;

	if (!strchr(s, '&') && !strstr(s, "<![CDATA["))
		return false;
	tr_buf_reset(out);
	while (*s) {
		const char *rep;
		size_t n;

		if (strncmp(s, "<![CDATA[", 9) == 0) {
			cdata = true;
			s += 9;
		} else if (cdata && strncmp(s, "]]>", 3) == 0) {
			cdata = false;
			s += 3;
		} else if (*s == '&' && (rep = legacy_entity(s, &n))) {
			if (tr_buf_adds(out, rep) != TR_OK)
				return false;
			s += n;
		} else {
			if (tr_buf_addc(out, *s++) != TR_OK)
				return false;
		}
	}
	return true;
}
