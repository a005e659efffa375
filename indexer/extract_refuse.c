/*
 * Formats that are recognised but not read: OLE2 files that are neither
 * Word, PowerPoint, Excel nor Outlook messages, and encrypted OOXML.
 * Declining them in an extractor, rather
 * than leaving them without a handler, gives the user a reason that
 * names the format instead of a MIME type.
 */
#include "extract.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zipxml.h"

/* "EncryptedPackage" in UTF-16LE: the stream an encrypted OOXML file keeps in its OLE container. */
static const char encrypted_package[] =
	"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e";

static bool
has_bytes(const char *data, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; n && i + n <= len; i++)
		if (data[i] == needle[0] && memcmp(data + i, needle, n) == 0)
			return true;
	return false;
}

static const char *
ext_of(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	const char *dot;

	base = base ? base + 1 : path;
	dot = base ? strrchr(base, '.') : NULL;
	return dot && dot != base && dot[1] ? dot + 1 : NULL;
}

tr_status
tr__extract_refuse(tr_extract *out, const tr_input *in, char **why)
{
	static const char *const sheets[] = { "xlsx", "xlsm", "ods", NULL };
	const char *ext = ext_of(in->path);
	bool sheet = false;
	char *s;

	(void)out;
	for (const char *const *e = sheets; ext && *e; e++)
		sheet = sheet || strcasecmp(ext, *e) == 0;
	/* Word and PowerPoint save a password-protected file as an OLE container. */
	if (has_bytes(in->data, in->len, encrypted_package, sizeof encrypted_package - 1))
		s = tr__reason("passwortgeschützt (verschlüsseltes Office-Dokument)");
	else if (sheet)
		s = tr__reason("Tabellendokument (.%s) nicht unterstützt", ext);
	else if (ext && strlen(ext) <= 8)
		s = tr__reason("altes Office-Format (.%s) nicht unterstützt", ext);
	else
		s = tr__reason("altes Office-Format (%s) nicht unterstützt", in->mime ? in->mime : "?");
	if (why)
		*why = s;
	else
		free(s);
	return TR_EUNSUPPORTED;
}
