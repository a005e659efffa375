#include "filetype.h"

#include <magic.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

/*
 * Not decompressing keeps libmagic from unpacking untrusted archives into
 * memory just to name them; ELF details are irrelevant to a document index.
 */
/* Bytes of a file that is not a zip container that libmagic looks at. */
#define FILETYPE_SNIFF_TEXT 4096

#define FILETYPE_FLAGS (MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING | \
                        MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF)

/* How much of a NUL-laden file is looked at again without its NUL bytes. */
#define FILETYPE_RESNIFF_MAX ((size_t)1 << 20)

/*
 * A magic_t keeps its result and error text in the handle, so it cannot be
 * shared between threads; one per thread, opened on first use, avoids both
 * a lock and loading the database per file.
 */
static _Thread_local magic_t filetype_magic;

static tr_status
filetype_handle(magic_t *out)
{
	magic_t m;

	if (!filetype_magic) {
		m = magic_open(FILETYPE_FLAGS);
		if (!m)
			return TR_ENOMEM;
		if (magic_load(m, NULL) != 0) {
			magic_close(m);
			return TR_EINTERNAL;
		}
		filetype_magic = m;
	}
	*out = filetype_magic;
	return TR_OK;
}

void
tr__filetype_cleanup(void)
{
	if (filetype_magic)
		magic_close(filetype_magic);
	filetype_magic = NULL;
}

/* Splits libmagic's "type/sub; charset=enc" into two allocated strings. */
static tr_status
filetype_split(const char *res, char **mime, char **charset)
{
	const char *semi = strchr(res, ';');
	const char *enc = NULL;

	if (semi) {
		enc = strstr(semi, "charset=");
		enc = enc ? enc + strlen("charset=") : NULL;
	}
	*mime = strndup(res, semi ? (size_t)(semi - res) : strlen(res));
	*charset = strdup(enc ? enc : "binary");
	if (!*mime || !*charset) {
		free(*mime);
		free(*charset);
		*mime = *charset = NULL;
		return TR_ENOMEM;
	}
	return TR_OK;
}

/*
 * A text file with a stray NUL byte (a broken export, a truncated copy) is
 * "application/octet-stream" to libmagic.  When NUL bytes are rare, ask
 * again about the same bytes without them: if that is text, the file is
 * text with a defect, which the decoder survives (it drops NUL bytes).
 * Real binary data stays binary without its NUL bytes.
 */
static tr_status
filetype_resniff(magic_t m, const char *data, size_t len, char **mime, char **charset)
{
	size_t n = len < FILETYPE_RESNIFF_MAX ? len : FILETYPE_RESNIFF_MAX;
	size_t nuls = 0;
	char *clean = NULL;
	const char *res;
	size_t j = 0;
	tr_status st = TR_OK;

	for (size_t i = 0; i < n; i++)
		nuls += data[i] == '\0';
	if (nuls == 0 || nuls > 8 + n / 100 || nuls == n)
		goto done;
	clean = malloc(n - nuls);
	if (!clean) {
		st = TR_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (data[i] != '\0')
			clean[j++] = data[i];
	res = magic_buffer(m, clean, j);
	if (!res || strncmp(res, "text/", 5) != 0)
		goto done;
	free(*mime);
	free(*charset);
	st = filetype_split(res, mime, charset);
done:
	free(clean);
	return st;
}

/*
 * libmagic names an OLE2 compound file by its summary stream's application
 * name when it can, and calls it "application/x-ole-storage" (or CDFV2)
 * when that is missing or says "LibreOffice".  Which program wrote it is
 * told for sure by its main stream, whose name the directory holds in
 * UTF-16LE: WordDocument, PowerPoint Document, Workbook (Book before
 * Excel 97), or the property streams of an Outlook message.  An
 * encrypted OOXML file (EncryptedPackage) stays generic: the decliner
 * names it.
 */
static const char *
filetype_ole_kind(const char *data, size_t len)
{
	static const struct {
		const char *name;
		const char *mime;
	} kinds[] = {
		{ "EncryptedPackage", NULL },
		{ "WordDocument", "application/msword" },
		{ "PowerPoint Document", "application/vnd.ms-powerpoint" },
		{ "Workbook", "application/vnd.ms-excel" },
		{ "Book", "application/vnd.ms-excel" },
		{ "__substg1.0_", "application/vnd.ms-outlook" },
	};
	char wide[64];

	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t n = strlen(kinds[k].name);

		for (size_t i = 0; i < n; i++) {
			wide[2 * i] = kinds[k].name[i];
			wide[2 * i + 1] = '\0';
		}
		if (memmem(data, len, wide, 2 * n))
			return kinds[k].mime ? kinds[k].mime : "application/x-ole-storage";
	}
	return NULL;
}

/*
 * The type of a flat OpenDocument file (one XML document, .fodt, .fodp,
 * .fods), which libmagic calls text/xml: its root, office:document,
 * names the kind in office:mimetype near the start; NULL for other XML.
 */
static const char *
filetype_flat_odf(const char *data, size_t len)
{
	static const struct {
		const char *attr;
		const char *mime;
	} kinds[] = {
		{ "office:mimetype=\"application/vnd.oasis.opendocument.text\"",
		  "application/vnd.oasis.opendocument.text-flat-xml" },
		{ "office:mimetype=\"application/vnd.oasis.opendocument.presentation\"",
		  "application/vnd.oasis.opendocument.presentation-flat-xml" },
		{ "office:mimetype=\"application/vnd.oasis.opendocument.spreadsheet\"",
		  "application/vnd.oasis.opendocument.spreadsheet-flat-xml" },
	};
	size_t head = len < 4096 ? len : 4096;

	if (!memmem(data, head, "<office:document ", 17))
		return NULL;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (memmem(data, head, kinds[k].attr, strlen(kinds[k].attr)))
			return kinds[k].mime;
	return NULL;
}

/* libmagic's answer for @data[0..len) (not empty), split into two allocated strings. */
static tr_status
filetype_sniff(const char *data, size_t len, const char *path, char **mime, char **charset)
{
	magic_t m;
	const char *res;
	size_t whole = len;
	tr_status st;

	if ((st = filetype_handle(&m)) != TR_OK)
		return st;
	/*
	 * libmagic's text rules cost time in proportion to the bytes they see
	 * (3 ms for 16 KB of plain text); the start of a file decides its type,
	 * and a charset guessed from the start is checked again when the text
	 * is decoded (tr__extract_decode).  Zip containers keep their whole
	 * length: OOXML is told apart by member names further in.
	 */
	if (len > FILETYPE_SNIFF_TEXT && !(len >= 4 && memcmp(data, "PK\3\4", 4) == 0))
		len = FILETYPE_SNIFF_TEXT;
	/*
	 * libmagic's built-in tests alone (no rule files) tell text from
	 * binary and find the charset, at a hundredth of the cost (0.03 ms
	 * instead of 2 ms for 4 KB of plain text).  For text whose name says
	 * which text format it is (.txt, .md, .html, ...), that is all the
	 * extension hint needs; everything else gets the full rules.
	 */
	if (magic_setflags(m, FILETYPE_FLAGS | MAGIC_NO_CHECK_SOFT) == 0) {
		res = magic_buffer(m, data, len);
		magic_setflags(m, FILETYPE_FLAGS);
		if (res && strncmp(res, "text/plain", 10) == 0 &&
		    strncmp(tr__handler_mime_hint("text/plain", path), "text/", 5) == 0 &&
		    tr__handler_has_extension(path))
			return filetype_split(res, mime, charset);
	}
	if (!(res = magic_buffer(m, data, len)))
		return TR_EINTERNAL;
	if ((st = filetype_split(res, mime, charset)) != TR_OK)
		return st;
	if (strcmp(*mime, "application/octet-stream") == 0)
		return filetype_resniff(m, data, len, mime, charset);
	if (strcmp(*mime, "text/xml") == 0 || strcmp(*mime, "application/xml") == 0) {
		const char *flat = filetype_flat_odf(data, whole);
		char *f;

		if (flat) {
			if (!(f = strdup(flat)))
				return TR_ENOMEM;
			free(*mime);
			*mime = f;
		}
		return TR_OK;
	}
	if (strcmp(*mime, "application/x-ole-storage") == 0 || strncmp(*mime, "application/CDFV2", 17) == 0 ||
	    strcmp(*mime, "application/vnd.ms-office") == 0) {
		const char *kind = filetype_ole_kind(data, whole);
		char *m;

		/*
		 * No main stream found: a damaged or truncated file, whose
		 * extension then says which reader should tell what is wrong.
		 */
		if (!kind) {
			const char *hint = tr__handler_mime_hint("application/octet-stream", path);
			if (strstr(hint, "msword") || strstr(hint, "ms-excel") || strstr(hint, "ms-powerpoint") ||
			    strstr(hint, "ms-outlook"))
				kind = hint;
		}
		if (kind && strcmp(kind, *mime) != 0) {
			if (!(m = strdup(kind)))
				return TR_ENOMEM;
			free(*mime);
			*mime = m;
		}
	}
	return TR_OK;
}

tr_status
tr__filetype_detect(const char *data, size_t len, const char *path,
                    char **mime, char **charset)
{
	const char *hint;
	char *refined;
	tr_status st;

	*mime = *charset = NULL;
	if (len == 0)
		st = filetype_split("text/plain; charset=us-ascii", mime, charset);
	else
		st = filetype_sniff(data, len, path, mime, charset);
	if (st != TR_OK)
		goto done;
	hint = tr__handler_mime_hint(*mime, path);
	if (hint != *mime) {
		if (!(refined = strdup(hint))) {
			st = TR_ENOMEM;
			goto done;
		}
		free(*mime);
		*mime = refined;
	}
done:
	if (st != TR_OK) {
		free(*mime);
		free(*charset);
		*mime = *charset = NULL;
	}
	return st;
}
