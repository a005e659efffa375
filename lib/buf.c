#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
tr_buf_init(tr_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void
tr_buf_free(tr_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
}

void
tr_buf_reset(tr_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

static tr_status
buf_grow(tr_buf *b, size_t extra)
{
	size_t need, a;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return TR_ETOOBIG;
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return TR_OK;
	a = b->alloc ? b->alloc : 64;
	while (a < need)
		a = a > ((size_t)-1) / 2 ? need : a * 2;
	p = realloc(b->ptr, a);
	if (!p)
		return TR_ENOMEM;
	b->ptr = p;
	b->alloc = a;
	return TR_OK;
}

tr_status
tr_buf_reserve(tr_buf *b, size_t extra)
{
	return buf_grow(b, extra);
}

tr_status
tr_buf_add(tr_buf *b, const void *data, size_t len)
{
	tr_status st = buf_grow(b, len);

	if (st != TR_OK)
		return st;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return TR_OK;
}

tr_status
tr_buf_adds(tr_buf *b, const char *s)
{
	return tr_buf_add(b, s, strlen(s));
}

tr_status
tr_buf_addc(tr_buf *b, char c)
{
	return tr_buf_add(b, &c, 1);
}

tr_status
tr_buf_vprintf(tr_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	tr_status st;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return TR_EINVAL;
	st = buf_grow(b, (size_t)n);
	if (st != TR_OK)
		return st;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return TR_OK;
}

tr_status
tr_buf_printf(tr_buf *b, const char *fmt, ...)
{
	va_list ap;
	tr_status st;

	va_start(ap, fmt);
	st = tr_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

char *
tr_buf_detach(tr_buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
	return p;
}

void
tr_buf_rtrim(tr_buf *b)
{
	while (b->len && (b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\t' ||
	                  b->ptr[b->len - 1] == '\n' || b->ptr[b->len - 1] == '\r'))
		b->ptr[--b->len] = '\0';
}
