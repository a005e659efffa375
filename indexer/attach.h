/*
 * Attachments of a mail (.eml, .msg): each one a page of its own that
 * begins with "Anhang: NAME" and holds the text its own extractor gives
 * (any format Tellerrand reads, also a mail inside the mail), so that a
 * hit in an attachment names it.  The limits are shared by both mail
 * formats, so that an .eml inside a .msg inside an .eml counts as deep as
 * it is.
 */
#ifndef TR_ATTACH_H
#define TR_ATTACH_H

#include <stdbool.h>
#include <stddef.h>

#include "extract.h"

/* Attachments read per message. */
#define TR__ATTACH_MAX 256

typedef struct tr__attachments {
	tr_buf pages;                /* the attachments' pages, each beginning with '\f' */
	const tr_ocr_options *ocr;   /* the message's own, for scanned attachments */
	size_t n;                    /* attachments seen */
} tr__attachments;

/*
 * A message is being read (tr__attach_enter) or is done (tr__attach_leave);
 * per thread.  tr__attach_deep() is true when a message at this depth
 * should not read its attachments' contents any more.
 */
void tr__attach_enter(void);
void tr__attach_leave(void);
bool tr__attach_deep(void);

/* Appends @s[0..len) to @b with page breaks turned into line ends (an attachment is one page). */
tr_status tr__attach_flat(tr_buf *b, const char *s, size_t len);

/*
 * Begins the page of attachment @name: "Anhang: NAME" and a line end, and
 * @sub initialised with the room that is left.  Returns TR_OK (@sub must
 * then go to tr__attach_end()), TR_ENOTFOUND when the message already had
 * TR__ATTACH_MAX attachments (@sub untouched), or like tr__extract_add().
 */
tr_status tr__attach_begin(tr__attachments *a, tr_extract *sub, const char *name);

/*
 * Ends the page begun by tr__attach_begin(): @sub's title on a line, then
 * its body, if @st (what reading @sub gave) is TR_OK; frees @sub.  An
 * attachment that cannot be read costs only its text: returns TR_OK then,
 * TR_ENOMEM, or like tr__extract_add().
 */
tr_status tr__attach_end(tr__attachments *a, tr_extract *sub, tr_status st);

/*
 * One attachment given as bytes: a page "Anhang: NAME" with the text of
 * the extractor that the file's type and @name choose.  Returns like
 * tr__attach_end(); TR_OK for one over the limits.
 */
tr_status tr__attach_file(tr__attachments *a, const char *name, const char *data, size_t len);

#endif
