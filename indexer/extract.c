#include "extract.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "tellerrand/document.h"
#include "text.h"

void
tr_extract_init(tr_extract *x, size_t max_text)
{
	memset(x, 0, sizeof *x);
	tr_buf_init(&x->title, max_text);
	tr_buf_init(&x->headings, max_text);
	tr_buf_init(&x->body, max_text);
	tr_buf_init(&x->description, max_text);
	tr_buf_init(&x->author, max_text);
}

void
tr_extract_free(tr_extract *x)
{
	if (!x)
		return;
	tr_buf_free(&x->title);
	tr_buf_free(&x->headings);
	tr_buf_free(&x->body);
	tr_buf_free(&x->description);
	tr_buf_free(&x->author);
	free(x->date);
	free(x->type);
	free(x->date_created);
	free(x->date_modified);
	x->date_created = x->date_modified = NULL;
	free(x->warning);
	x->warning = NULL;
	tr_strv_free(x->districts, x->n_districts);
	tr_strv_free(x->tags, x->n_tags);
	x->date = x->type = NULL;
	x->districts = x->tags = NULL;
	x->n_districts = x->n_tags = 0;
}

/*
 * The handler table.  Rows are tried in order: full types first, then
 * families ("text/").  @exts lists the extensions that name the row's type
 * when libmagic only says "some text": it recognises text and its charset
 * reliably but guesses the subtype from keywords (a Markdown file with an
 * "<a href=" in it is "text/html" to it, Markdown itself is "text/plain").
 * A row without an extract function recognises a type on purpose and
 * declines it.
 */
static const struct handler_row {
	const char *mime;
	const char *exts;       /* space-separated, lower case; NULL for none */
	tr_handler handler;
} handlers[] = {
	{ "text/markdown", "md markdown mdown mkd mkdn", { "markdown", tr__extract_markdown } },
	{ "text/x-markdown", NULL, { "markdown", tr__extract_markdown } },
	{ "text/html", "html htm xhtml shtml", { "html", tr__extract_html } },
	{ "application/xhtml+xml", NULL, { "html", tr__extract_html } },
	{ "text/csv", "csv tsv", { "csv", tr__extract_csv } },
	{ "text/tab-separated-values", NULL, { "csv", tr__extract_csv } },
	{ "text/plain", "txt text", { "text", tr__extract_text } },
	/*
	 * Binary formats.  Their extensions are used only where libmagic says
	 * no more than "a zip" or "some bytes" (it names OOXML only when the
	 * zip's first entries are in the usual order; a truncated PDF may
	 * lose its header): see tr__handler_mime_hint().
	 */
	{ "application/pdf", "pdf", { "pdf", tr__extract_pdf } },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx docm dotx dotm",
	  { "docx", tr__extract_ooxml } },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.template", NULL, { "docx", tr__extract_ooxml } },
	{ "application/vnd.ms-word.document.macroenabled.12", NULL, { "docx", tr__extract_ooxml } },
	{ "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx pptm ppsx potx",
	  { "pptx", tr__extract_ooxml } },
	{ "application/vnd.openxmlformats-officedocument.presentationml.slideshow", NULL, { "pptx", tr__extract_ooxml } },
	{ "application/vnd.ms-powerpoint.presentation.macroenabled.12", NULL, { "pptx", tr__extract_ooxml } },
	{ "application/vnd.oasis.opendocument.text", "odt ott", { "odt", tr__extract_odf } },
	{ "application/vnd.oasis.opendocument.text-template", NULL, { "odt", tr__extract_odf } },
	{ "application/vnd.oasis.opendocument.presentation", "odp otp", { "odp", tr__extract_odf } },
	{ "application/vnd.oasis.opendocument.presentation-template", NULL, { "odp", tr__extract_odf } },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx xlsm xltx xltm",
	  { "xlsx", tr__extract_ooxml } },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.template", NULL, { "xlsx", tr__extract_ooxml } },
	{ "application/vnd.ms-excel.sheet.macroenabled.12", NULL, { "xlsx", tr__extract_ooxml } },
	{ "application/vnd.oasis.opendocument.spreadsheet", "ods ots", { "ods", tr__extract_odf } },
	{ "application/vnd.oasis.opendocument.spreadsheet-template", NULL, { "ods", tr__extract_odf } },
	/* Flat OpenDocument: libmagic says text/xml, the file's root says which (filetype.c). */
	{ "application/vnd.oasis.opendocument.text-flat-xml", "fodt", { "odt", tr__extract_fodf } },
	{ "application/vnd.oasis.opendocument.presentation-flat-xml", "fodp", { "odp", tr__extract_fodf } },
	{ "application/vnd.oasis.opendocument.spreadsheet-flat-xml", "fods", { "ods", tr__extract_fodf } },
	{ "application/vnd.ms-excel", "xls xlt", { "xls", tr__extract_xls } },
	{ "application/msword", "doc dot", { "doc", tr__extract_doc } },
	{ "application/vnd.ms-powerpoint", "ppt pps pot", { "ppt", tr__extract_ppt } },
	{ "text/rtf", "rtf", { "rtf", tr__extract_rtf } },
	{ "application/rtf", NULL, { "rtf", tr__extract_rtf } },
	{ "message/rfc822", "eml", { "eml", tr__extract_mail } },
	{ "application/vnd.ms-outlook", "msg", { "msg", tr__extract_msg } },
	/* Scans, read by OCR (indexer/ocr.h). */
	{ "image/png", "png", { "image", tr__extract_image } },
	{ "image/jpeg", "jpg jpeg jpe jfif", { "image", tr__extract_image } },
	{ "image/tiff", "tif tiff", { "image", tr__extract_image } },
	/* Recognised and declined with a reason that names the format. */
	{ "application/vnd.ms-office", NULL, { "legacy", tr__extract_refuse } },
	{ "application/cdfv2", NULL, { "legacy", tr__extract_refuse } },
	{ "application/x-ole-storage", NULL, { "legacy", tr__extract_refuse } },
	/* Markup whose syntax would be indexed as words if read as plain text. */
	{ "text/xml", NULL, { NULL, NULL } },
	/* Any other text (CSV, a misrecognised letter) is still searchable. */
	{ "text/", NULL, { "text", tr__extract_text } },
};

#define N_HANDLERS (sizeof handlers / sizeof handlers[0])

/* The extension of @path's last component, without the dot; NULL if none. */
static const char *
path_ext(const char *path)
{
	const char *base, *dot;

	if (!path)
		return NULL;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	/* A leading dot marks a hidden file, not an extension. */
	if (!dot || dot == base || dot[1] == '\0')
		return NULL;
	return dot + 1;
}

static bool
ext_in_list(const char *ext, const char *list)
{
	size_t n = strlen(ext);
	const char *p = list;

	while (p && *p) {
		size_t w = strcspn(p, " ");
		if (w == n && strncasecmp(p, ext, n) == 0)
			return true;
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

/* libmagic's answers that say only "a container" or "some bytes". */
static bool
mime_is_vague_binary(const char *mime)
{
	static const char *const vague[] = {
		"application/zip", "application/x-zip", "application/x-zip-compressed",
		"application/octet-stream", NULL
	};
	size_t n = strcspn(mime, "; \t");

	for (const char *const *v = vague; *v; v++)
		if (strlen(*v) == n && strncasecmp(mime, *v, n) == 0)
			return true;
	return false;
}

/* Text whose subtype libmagic guesses from keywords: "text/..." and mail ("message/rfc822"). */
static bool
mime_is_textual(const char *mime)
{
	return strncmp(mime, "text/", 5) == 0 || strncmp(mime, "message/", 8) == 0;
}

bool
tr__handler_has_extension(const char *path)
{
	const char *ext = path_ext(path);

	for (size_t i = 0; ext && i < N_HANDLERS; i++)
		if (handlers[i].exts && mime_is_textual(handlers[i].mime) &&
		    ext_in_list(ext, handlers[i].exts))
			return true;
	return false;
}

const char *
tr__handler_mime_hint(const char *mime, const char *path)
{
	const char *ext = path_ext(path);
	bool text;

	if (!mime || !ext)
		return mime;
	/*
	 * A text type is refined only to a text row, a vague binary type only
	 * to a binary row: a ".md" that libmagic calls binary stays binary.
	 */
	text = mime_is_textual(mime);
	if (!text && !mime_is_vague_binary(mime))
		return mime;
	for (size_t i = 0; i < N_HANDLERS; i++)
		if (handlers[i].exts && ext_in_list(ext, handlers[i].exts) &&
		    mime_is_textual(handlers[i].mime) == text)
			return handlers[i].mime;
	return mime;
}

const tr_handler *
tr__handler_find(const char *mime, const char *path)
{
	const char *m = tr__handler_mime_hint(mime, path);
	size_t n;

	if (!m)
		return NULL;
	/* Callers may pass libmagic's full answer ("text/plain; charset=..."). */
	n = strcspn(m, "; \t");
	for (size_t i = 0; i < N_HANDLERS; i++) {
		const char *row = handlers[i].mime;
		size_t rn = strlen(row);
		bool family = rn && row[rn - 1] == '/';

		if (family ? (n > rn && strncasecmp(m, row, rn) == 0)
		           : (n == rn && strncasecmp(m, row, rn) == 0))
			return handlers[i].handler.extract ? &handlers[i].handler : NULL;
	}
	return NULL;
}

/* The largest n <= max such that s[0..n) ends at a UTF-8 character boundary. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

tr_status
tr__extract_add(tr_buf *b, const char *s, size_t len)
{
	size_t room = b->max > b->len ? b->max - b->len : 0;
	tr_status st;

	if (len <= room)
		return tr_buf_add(b, s, len);
	st = tr_buf_add(b, s, utf8_cut(s, len, room));
	return st == TR_OK ? TR_ETOOBIG : st;
}

tr_status
tr__extract_break(tr_buf *b, int n)
{
	int have = 0;
	size_t i;

	while (b->len && (b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\t'))
		b->ptr[--b->len] = '\0';
	if (b->len == 0)
		return TR_OK;
	for (i = b->len; i > 0 && have < n; i--) {
		if (b->ptr[i - 1] == '\f')
			return TR_OK;   /* a page break already separates */
		if (b->ptr[i - 1] != '\n')
			break;
		have++;
	}
	for (; have < n; have++) {
		tr_status st = tr__extract_add(b, "\n", 1);
		if (st != TR_OK)
			return st;
	}
	return TR_OK;
}

static size_t
mul_sat(size_t a, size_t b)
{
	return b && a > (size_t)-1 / b ? (size_t)-1 : a * b;
}

/*
 * How raw bytes become text.  libmagic says "iso-8859-1" whenever only
 * bytes 0xA0-0xFF occur, also for files written as Windows-1252 (which
 * agrees with ISO-8859-1 on all printable characters there), and
 * "unknown-8bit" when 0x80-0x9F occur, which in German office files are
 * Windows-1252's „“–…; so both are read as Windows-1252.
 */
static const char *
decode_charset(const char *charset)
{
	static const struct {
		const char *magic;
		const char *iconv;
	} map[] = {
		{ "iso-8859-1", "WINDOWS-1252" },
		{ "unknown-8bit", "WINDOWS-1252" },
		{ "utf-16le", "UTF-16LE" },
		{ "utf-16be", "UTF-16BE" },
		{ "utf-32le", "UTF-32LE" },
		{ "utf-32be", "UTF-32BE" },
		{ "utf-7", "UTF-7" },
		{ "ebcdic", "IBM273" },   /* the German EBCDIC code page */
	};

	if (!charset)
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(charset, map[i].magic) == 0)
			return map[i].iconv;
	/* "utf-8", "us-ascii", "binary" and anything unknown: try UTF-8. */
	return NULL;
}

/*
 * Whether bytes that claim to be UTF-8 but are not valid should still be
 * read as UTF-8: a file with many valid multi-byte sequences and a few
 * broken bytes (a bad copy, a truncated upload) loses less as UTF-8 with
 * a few U+FFFD than as Windows-1252 with every umlaut garbled.  German
 * Windows-1252 text almost never contains a valid UTF-8 sequence.
 */
static bool
decode_mostly_utf8(const char *s, size_t len)
{
	size_t multi = 0, bad = 0, i = 0;

	while (i < len) {
		int cp;
		size_t n;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = tr_text_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1)
			bad++;
		else
			multi++;
		i += n;
	}
	return multi > bad;
}

/*
 * Copies converted text to @out with "\r\n" and "\r" turned into "\n" and
 * C0 control characters other than tab, newline and form feed dropped:
 * they are never text, and DOS files end in ^Z.
 */
static tr_status
decode_clean(tr_buf *out, const char *s, size_t len)
{
	size_t i = 0, run = 0;
	tr_status st;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7F) {
			i++;
			continue;
		}
		if ((st = tr__extract_add(out, s + run, i - run)) != TR_OK)
			return st;
		if (c == '\r') {
			if ((st = tr__extract_add(out, "\n", 1)) != TR_OK)
				return st;
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else if (c == '\n' || c == '\t' || c == '\f') {
			if ((st = tr__extract_add(out, s + i, 1)) != TR_OK)
				return st;
		}
		run = ++i;
	}
	return tr__extract_add(out, s + run, len - run);
}

/* Input bytes per character at most, relative to UTF-8: how much input can fill @room. */
static size_t
decode_width(const char *enc)
{
	if (enc && strncmp(enc, "UTF-16", 6) == 0)
		return 2;
	if (enc && strncmp(enc, "UTF-32", 6) == 0)
		return 4;
	if (enc && strcmp(enc, "UTF-7") == 0)
		return 8;
	return 1;
}

/* The longest prefix of @data[0..len), at most @max bytes, that ends between characters. */
static size_t
decode_cut(const char *enc, const char *data, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	if (!enc)
		return utf8_cut(data, len, n);
	if (strncmp(enc, "UTF-16", 6) == 0) {
		n &= ~(size_t)1;
		/* Never split a surrogate pair. */
		if (n >= 2 && n < len) {
			unsigned char hi = (unsigned char)(enc[6] == 'L' ? data[n - 1] : data[n - 2]);
			if (hi >= 0xD8 && hi <= 0xDB)
				n -= 2;
		}
	} else if (strncmp(enc, "UTF-32", 6) == 0) {
		n &= ~(size_t)3;
	}
	return n;
}

tr_status
tr__extract_decode(tr_buf *out, const char *data, size_t len, const char *charset)
{
	const char *enc = decode_charset(charset);
	tr_buf tmp;
	size_t room = out->max > out->len ? out->max - out->len : 0;
	tr_status st;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		enc = NULL;
		data += 3;
		len -= 3;
	} else if (len >= 2 && enc && strncmp(enc, "UTF-16", 6) == 0 &&
	           (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0)) {
		/* The byte order mark decides, not libmagic's guess, and is no text. */
		enc = data[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
		data += 2;
		len -= 2;
	}
	if (!enc && !tr_text_is_utf8(data, len) && !decode_mostly_utf8(data, len))
		enc = "WINDOWS-1252";

	/*
	 * No character takes fewer bytes in UTF-8 than in its source encoding
	 * (UTF-16 and UTF-32 aside, which take at most two and four times as
	 * many as their UTF-8 form), so input beyond that cannot end up in @out;
	 * cutting it first keeps a huge file from being converted in full only
	 * to be thrown away.
	 */
	len = decode_cut(enc, data, len, mul_sat(room, decode_width(enc)));
	tr_buf_init(&tmp, mul_sat(room, 4) < (size_t)-1 / 2 ? mul_sat(room, 4) + 16 : (size_t)-1 / 2);
	for (;;) {
		tr_buf_reset(&tmp);
		if (enc) {
			st = tr_text_to_utf8(&tmp, data, len, enc);
			if (st == TR_EUNSUPPORTED) {
				enc = "WINDOWS-1252";
				continue;
			}
		} else {
			st = tr_text_nfc(&tmp, data, len);
		}
		/*
		 * Conversion and NFC can grow text up to threefold (and more for
		 * rare decomposing characters), beyond even @tmp's ceiling: then
		 * convert less.
		 */
		if (st != TR_ETOOBIG || len == 0)
			break;
		len = decode_cut(enc, data, len, len / 2);
	}
	if (st != TR_OK)
		goto done;
	st = decode_clean(out, tmp.ptr ? tmp.ptr : "", tmp.len);
done:
	tr_buf_free(&tmp);
	return st == TR_ETOOBIG ? TR_OK : st;
}

/* Trims @b to final form; @one_line squeezes all white space (titles, authors). */
static tr_status
finish_field(tr_buf *b, bool one_line)
{
	tr_buf tmp = TR_BUF_INIT((size_t)-1 / 2);
	size_t lead = 0;
	bool ascii = true;
	tr_status st = TR_OK;

	if (b->len == 0)
		return TR_OK;
	if (one_line) {
		tr_text_squeeze(b->ptr);
		b->len = strlen(b->ptr);
	}
	for (size_t i = 0; i < b->len && ascii; i++)
		ascii = (unsigned char)b->ptr[i] < 0x80;
	if (!ascii) {
		if ((st = tr_text_nfc(&tmp, b->ptr, b->len)) != TR_OK)
			goto done;
		tr_buf_reset(b);
		st = tr__extract_add(b, tmp.ptr, tmp.len);
		if (st == TR_ETOOBIG)
			st = TR_OK;
		if (st != TR_OK)
			goto done;
	}
	tr_buf_rtrim(b);
	while (lead < b->len && (b->ptr[lead] == '\n' || b->ptr[lead] == ' ' ||
	                         b->ptr[lead] == '\t' || b->ptr[lead] == '\r'))
		lead++;
	if (lead) {
		memmove(b->ptr, b->ptr + lead, b->len - lead + 1);
		b->len -= lead;
	}
done:
	tr_buf_free(&tmp);
	return st;
}

tr_status
tr__extract_finish(tr_extract *x)
{
	tr_status st;

	if ((st = finish_field(&x->title, true)) != TR_OK ||
	    (st = finish_field(&x->headings, false)) != TR_OK ||
	    (st = finish_field(&x->body, false)) != TR_OK ||
	    (st = finish_field(&x->description, true)) != TR_OK ||
	    (st = finish_field(&x->author, true)) != TR_OK)
		return st;
	return TR_OK;
}

/* Front matter. */

enum fm_field {
	FM_TITLE,
	FM_DATE,
	FM_DISTRICTS,
	FM_TYPE,
	FM_TAGS,
	FM_AUTHOR,
	FM_DESCRIPTION
};

/* Keys as folded by tr_text_fold(): lower case, umlauts spelt out. */
static const struct {
	const char *key;
	enum fm_field field;
} fm_keys[] = {
	{ "title", FM_TITLE }, { "titel", FM_TITLE },
	{ "date", FM_DATE }, { "datum", FM_DATE },
	{ "kreis", FM_DISTRICTS }, { "kreise", FM_DISTRICTS },
	{ "landkreis", FM_DISTRICTS }, { "landkreise", FM_DISTRICTS },
	{ "district", FM_DISTRICTS }, { "districts", FM_DISTRICTS },
	{ "region", FM_DISTRICTS }, { "regionen", FM_DISTRICTS },
	{ "typ", FM_TYPE }, { "type", FM_TYPE }, { "art", FM_TYPE },
	{ "dokumenttyp", FM_TYPE }, { "doctype", FM_TYPE },
	{ "tags", FM_TAGS }, { "tag", FM_TAGS }, { "keywords", FM_TAGS },
	{ "schlagworte", FM_TAGS }, { "schlagwoerter", FM_TAGS },
	{ "stichworte", FM_TAGS }, { "stichwoerter", FM_TAGS },
	{ "author", FM_AUTHOR }, { "authors", FM_AUTHOR },
	{ "autor", FM_AUTHOR }, { "autorin", FM_AUTHOR }, { "autoren", FM_AUTHOR },
	{ "description", FM_DESCRIPTION }, { "beschreibung", FM_DESCRIPTION },
	{ "summary", FM_DESCRIPTION }, { "zusammenfassung", FM_DESCRIPTION },
};

/* The front matter's own values are short; a longer "title" is not one. */
#define FM_VALUE_MAX 4096

/*
 * A YAML scalar as an allocated NFC string on one line; NULL when empty
 * (or out of memory: front matter is an extra, never worth failing for).
 */
static char *
fm_string(const unsigned char *s, size_t len)
{
	tr_buf b = TR_BUF_INIT(FM_VALUE_MAX);
	char *r;

	if (len > FM_VALUE_MAX)
		len = utf8_cut((const char *)s, len, FM_VALUE_MAX);
	if (tr_text_nfc(&b, (const char *)s, len) != TR_OK || b.len == 0) {
		tr_buf_free(&b);
		return NULL;
	}
	tr_text_squeeze(b.ptr);
	if (b.ptr[0] == '\0') {
		tr_buf_free(&b);
		return NULL;
	}
	r = tr_buf_detach(&b);
	return r;
}

/* Adds @s to a list field, or each comma/semicolon separated part when @split. */
static void
fm_list_add(char ***v, size_t *n, char *s, bool split)
{
	char *p = s;

	while (p && *n < TR__FRONT_MATTER_MAX_LIST) {
		char *end = split ? p + strcspn(p, ",;") : p + strlen(p);
		char *next = *end ? end + 1 : NULL;

		*end = '\0';
		tr_text_squeeze(p);
		if (*p && tr_strv_add_unique(v, n, p) != TR_OK)
			break;
		p = next;
	}
}

static void
fm_apply(tr_extract *out, enum fm_field f, char *s, bool from_list)
{
	switch (f) {
	case FM_TITLE:
		if (out->title.len == 0)
			tr__extract_add(&out->title, s, strlen(s));
		break;
	case FM_DATE:
		if (!out->date)
			out->date = strdup(s);
		break;
	case FM_TYPE:
		if (!out->type)
			out->type = strdup(s);
		break;
	case FM_DISTRICTS:
		fm_list_add(&out->districts, &out->n_districts, s, true);
		break;
	case FM_TAGS:
		fm_list_add(&out->tags, &out->n_tags, s, !from_list);
		break;
	case FM_AUTHOR:
		if (out->author.len && !from_list)
			break;
		if (out->author.len)
			tr__extract_add(&out->author, ", ", 2);
		tr__extract_add(&out->author, s, strlen(s));
		break;
	case FM_DESCRIPTION:
		if (out->description.len == 0)
			tr__extract_add(&out->description, s, strlen(s));
		break;
	}
}

static void
fm_value(tr_extract *out, enum fm_field f, yaml_document_t *doc, yaml_node_t *v)
{
	char *s;

	if (v->type == YAML_SCALAR_NODE) {
		if ((s = fm_string(v->data.scalar.value, v->data.scalar.length))) {
			fm_apply(out, f, s, false);
			free(s);
		}
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return;
	/*
	 * Only scalars directly in the list are read: nested lists or aliases
	 * to them would let a small block expand into a huge amount of work.
	 */
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(doc, *it);

		if (!item || item->type != YAML_SCALAR_NODE)
			continue;
		if ((s = fm_string(item->data.scalar.value, item->data.scalar.length))) {
			fm_apply(out, f, s, true);
			free(s);
		}
		if (f == FM_DATE || f == FM_TYPE || f == FM_TITLE || f == FM_DESCRIPTION)
			break;   /* one value: the first */
	}
}

/* True if the line @s[0..n) is @mark with nothing but blanks after it. */
static bool
fm_is_delim(const char *s, size_t n, const char *mark)
{
	size_t m = strlen(mark);

	if (n < m || memcmp(s, mark, m) != 0)
		return false;
	for (size_t i = m; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Parses the YAML @block; false when it is not a valid mapping. */
static bool
fm_parse(tr_extract *out, const char *block, size_t blen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	bool ok = false, loaded = false;

	if (!yaml_parser_initialize(&parser))
		return false;
	yaml_parser_set_input_string(&parser, (const unsigned char *)block, blen);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&parser, &doc))
		goto done;
	loaded = true;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ok = true;   /* an empty block: valid, just nothing in it */
		goto done;
	}
	if (root->type != YAML_MAPPING_NODE)
		goto done;
	ok = true;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);
		char *key;

		if (!k || !v || k->type != YAML_SCALAR_NODE || k->data.scalar.length > 64)
			continue;
		if (!(key = fm_string(k->data.scalar.value, k->data.scalar.length)))
			continue;
		{
			char *folded = tr_text_fold_dup(key);

			for (size_t i = 0; folded && i < sizeof fm_keys / sizeof fm_keys[0]; i++) {
				if (strcmp(folded, fm_keys[i].key) == 0) {
					fm_value(out, fm_keys[i].field, &doc, v);
					break;
				}
			}
			free(folded);
		}
		free(key);
	}
done:
	if (loaded)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return ok;
}

size_t
tr__front_matter(tr_extract *out, const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t start, pos;

	if (!nl || !fm_is_delim(data, (size_t)(nl - data), "---"))
		return 0;
	start = pos = (size_t)(nl - data) + 1;
	while (pos < len) {
		const char *e = memchr(data + pos, '\n', len - pos);
		size_t line_end = e ? (size_t)(e - data) : len;
		size_t n = line_end - pos;

		if (fm_is_delim(data + pos, n, "---") || fm_is_delim(data + pos, n, "...")) {
			size_t total = e ? line_end + 1 : len;

			if (!fm_parse(out, data + start, pos - start)) {
				/* Keep the words of a broken block, as plain lines. */
				tr__extract_add(&out->body, data + start, pos - start);
				tr__extract_break(&out->body, 2);
			}
			return total;
		}
		pos = e ? line_end + 1 : len;
	}
	/* No closing line: a thematic break, not front matter. */
	return 0;
}
