/*
 * tr_buf: a growable byte buffer with a ceiling fixed at init (the idea of
 * curl's dynbuf).  Every extractor writes into one, so untrusted input can
 * never make us allocate more than the configured limit.  The content is
 * always NUL-terminated.
 */
#ifndef TR_BUF_H
#define TR_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "tellerrand/status.h"

typedef struct tr_buf {
	char *ptr;
	size_t len;
	size_t alloc;
	size_t max;     /* ceiling on len; an append past it fails with TR_ETOOBIG */
} tr_buf;

#define TR_BUF_INIT(maxlen) { NULL, 0, 0, (maxlen) }

void tr_buf_init(tr_buf *b, size_t max);
/* Frees the memory and resets @b to empty (keeping its ceiling). */
void tr_buf_free(tr_buf *b);
/* Empties @b without releasing memory. */
void tr_buf_reset(tr_buf *b);

tr_status tr_buf_add(tr_buf *b, const void *data, size_t len);
/* Makes room for @extra more bytes and a NUL, for a writer that fills b->ptr + b->len itself. */
tr_status tr_buf_reserve(tr_buf *b, size_t extra);
tr_status tr_buf_adds(tr_buf *b, const char *s);
tr_status tr_buf_addc(tr_buf *b, char c);
tr_status tr_buf_printf(tr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
tr_status tr_buf_vprintf(tr_buf *b, const char *fmt, va_list ap);

/*
 * Hands the content over to the caller (owned by the caller; free with
 * free()) and leaves @b empty.  Returns "" (allocated) for an empty buffer,
 * NULL only when out of memory.
 */
char *tr_buf_detach(tr_buf *b);

/* Removes trailing ASCII white space. */
void tr_buf_rtrim(tr_buf *b);

#endif
