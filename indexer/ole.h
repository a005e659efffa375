/*
 * What the readers of the binary Office formats (.doc, .ppt, .xls) and of
 * Outlook messages (.msg) share:
 * an OLE2 compound file read from memory with libgsf, streams read whole
 * under a size limit, and the document properties of its
 * "\005SummaryInformation" stream.
 */
#ifndef TR_OLE_H
#define TR_OLE_H

#include <stdbool.h>
#include <stddef.h>

#include "extract.h"
#include "tellerrand/status.h"

/* Bytes of one stream read (a Word text stream of 64 MB is some 30 million characters). */
#define TR__OLE_MAX_STREAM ((size_t)64 << 20)

typedef struct tr__ole tr__ole;

/*
 * Opens the compound file in @data[0..len) (borrowed: it must outlive the
 * handle).  *out is owned by the caller; free with tr__ole_free().
 * Returns TR_OK; TR_EFORMAT with *why ("beschädigt: kein lesbares
 * OLE2-Dokument") for bytes that are not one; TR_ENOMEM.
 */
tr_status tr__ole_open(tr__ole **out, const char *data, size_t len, char **why);
void tr__ole_free(tr__ole *o);

/*
 * True if the file has a stream or storage at @name: a name at the top
 * level, or "storage/name" (any depth) for one inside a storage.
 */
bool tr__ole_has(tr__ole *o, const char *name);

/*
 * Reads the stream @name (a top-level name or "storage/name", as for
 * tr__ole_has()) whole into *out (owned by the caller;
 * free with free()) and its length into *len.  Returns TR_OK;
 * TR_ENOTFOUND if there is none; TR_ETOOBIG over TR__OLE_MAX_STREAM and
 * TR_EFORMAT for a stream that cannot be read, both with *why; TR_ENOMEM.
 */
tr_status tr__ole_read(tr__ole *o, const char *name, char **out, size_t *len, char **why);

/*
 * Reads title, author, keywords, subject and comments, the created and
 * modified dates from the SummaryInformation stream into @out, like
 * tr__props_read() for the zip formats.  Properties are a bonus: a
 * missing or damaged stream costs nothing.  Returns TR_OK or TR_ENOMEM.
 */
tr_status tr__ole_props(tr_extract *out, tr__ole *o);

/*
 * UTF-16LE text @s[0..n) (n in code units) appended to @b as UTF-8; lone
 * surrogates become U+FFFD.  Returns like tr__extract_add().
 */
tr_status tr__utf16le_add(tr_buf *b, const unsigned char *s, size_t n);

/* The character Windows-1252 byte @c stands for. */
int tr__cp1252(unsigned char c);

/* Little-endian reads from a byte array the caller has checked the length of. */
static inline unsigned
tr__le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline unsigned long
tr__le32(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
	       (unsigned long)p[3] << 24;
}

#endif
