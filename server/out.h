/*
 * Output with a sticky error, for the page and the feed: each write after
 * a failure is skipped, and the first failure is in @st at the end.
 */
#ifndef TR_SERVER_OUT_H
#define TR_SERVER_OUT_H

#include <stdarg.h>

#include "buf.h"
#include "serve.h"

typedef struct out {
	tr_buf b;
	tr_status st;
} out;

static inline void
put(out *o, const char *s)
{
	if (o->st == TR_OK)
		o->st = tr_buf_adds(&o->b, s);
}

static inline void putf(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void
putf(out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->st != TR_OK)
		return;
	va_start(ap, fmt);
	o->st = tr_buf_vprintf(&o->b, fmt, ap);
	va_end(ap);
}

/* @s as HTML text (also XML text, but for U+FFFE and U+FFFF: feed.c). */
static inline void
esc(out *o, const char *s)
{
	if (o->st == TR_OK)
		o->st = tr_html_text(&o->b, s);
}

#endif
