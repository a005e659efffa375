/*
 * The pictures of an office document read by OCR where the document has
 * no text of its own: a scanned letter pasted into Word or Writer, a
 * slide that is only a scan.  Shared by the OOXML and ODF extractors; the
 * pictures are decoded and recognised as image files are (extract_image.c,
 * ocr.h).  See docs/ocr.md.
 */
#ifndef TR_PICTURES_H
#define TR_PICTURES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "extract.h"
#include "ocr.h"
#include "tellerrand/status.h"
#include "zipxml.h"

/* A picture smaller than this on its short side is a logo or an icon, not a scanned page. */
#define TR__PICTURE_MIN_SIDE 300

/* More picture references than this in one document are not followed. */
#define TR__PICTURE_MAX_REFS 4096

/* The pictures a document (or a slide) shows, in order, each once: relationship ids or member names. */
typedef struct tr__picture_refs {
	char **v;
	size_t n;
} tr__picture_refs;

/*
 * Adds @ref (taken over; NULL is ignored) unless it is there already or
 * the list is full.  Returns TR_OK or TR_ENOMEM.
 */
tr_status tr__picture_refs_add(tr__picture_refs *r, char *ref);

/* Empties @r (for the next slide) and frees its entries. */
void tr__picture_refs_clear(tr__picture_refs *r);

/* A picture looked at, and the text OCR read in it ("" for none, or a picture not read). */
typedef struct tr__picture {
	char *member;
	char *text;
} tr__picture;

/* The pictures of one office file read so far. */
typedef struct tr__pictures {
	const tr_input *in;
	tr__zip *z;
	tr__ocr_file ocr;    /* opened when the first picture is recognised */
	tr__picture *v;      /* the pictures looked at, in order */
	size_t n;
	unsigned pages;      /* pictures recognised: the next one's OCR page */
	unsigned read;       /* pictures that gave text */
	char *why;           /* the first reason a picture could not be read */
} tr__pictures;

/* Starts with no picture read; @in and @z are borrowed. */
void tr__pictures_init(tr__pictures *p, const tr_input *in, tr__zip *z);

/* Whether OCR is on for this file (off with --no-ocr): pictures are then not even collected. */
bool tr__pictures_enabled(const tr__pictures *p);

/*
 * Appends the OCR text of the picture in zip member @member to @out, on
 * lines of its own.  Only PNG, JPEG and TIFF pictures within the size
 * limits and at least TR__PICTURE_MIN_SIDE pixels on the short side are
 * read, at most TR__OCR_MAX_PAGES a file; a picture that is missing,
 * too big or cannot be decoded is left out (the reason kept for
 * tr__pictures_unread()).  A picture read before gives its text again,
 * without being read again.
 * Returns TR_OK, TR_ETOOBIG when @out is full, or TR_ENOMEM.
 */
tr_status tr__pictures_read(tr__pictures *p, const char *member, tr_buf *out);

/*
 * The end of a document whose pictures were read: one left without text
 * (body and title empty) although a picture was tried and failed (a time
 * limit, OCR unavailable, a broken or oversized picture) is skipped as
 * blank with that reason: TR_EUNSUPPORTED with *why "leeres Dokument (kein
 * Text): <reason>" (owned by the caller).  Otherwise TR_OK, and index.c
 * treats a blank document as always.  TR_ENOMEM.
 */
tr_status tr__pictures_unread(const tr__pictures *p, const tr_extract *out, char **why);

/* Stores what was recognised in the OCR cache and frees @p. */
void tr__pictures_free(tr__pictures *p);

/* True if @s[0..len) holds nothing but white space. */
bool tr__text_blank(const char *s, size_t len);

#endif
