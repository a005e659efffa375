#include "attach.h"

#include <stdlib.h>
#include <string.h>

#include "filetype.h"

/* A mail inside a mail inside ... this deep. */
#define ATTACH_MAX_DEPTH 4

static _Thread_local int attach_depth;

void
tr__attach_enter(void)
{
	attach_depth++;
}

void
tr__attach_leave(void)
{
	attach_depth--;
}

bool
tr__attach_deep(void)
{
	return attach_depth >= ATTACH_MAX_DEPTH;
}

tr_status
tr__attach_flat(tr_buf *b, const char *s, size_t len)
{
	tr_status st = TR_OK;
	size_t start = 0;

	for (size_t i = 0; i <= len && st == TR_OK; i++) {
		if (i < len && s[i] != '\f')
			continue;
		st = tr__extract_add(b, s + start, i - start);
		if (st == TR_OK && i < len)
			st = tr__extract_add(b, "\n", 1);
		start = i + 1;
	}
	return st;
}

tr_status
tr__attach_begin(tr__attachments *a, tr_extract *sub, const char *name)
{
	tr_status st;

	if (a->n++ >= TR__ATTACH_MAX)
		return TR_ENOTFOUND;
	if ((st = tr__extract_add(&a->pages, "\fAnhang: ", 9)) != TR_OK ||
	    (st = tr__attach_flat(&a->pages, name, strlen(name))) != TR_OK ||
	    (st = tr__extract_add(&a->pages, "\n", 1)) != TR_OK)
		return st;
	tr_extract_init(sub, a->pages.max > a->pages.len ? a->pages.max - a->pages.len : 0);
	return TR_OK;
}

tr_status
tr__attach_end(tr__attachments *a, tr_extract *sub, tr_status st)
{
	if (st == TR_OK) {
		if (sub->title.len && (st = tr__attach_flat(&a->pages, sub->title.ptr, sub->title.len)) == TR_OK)
			st = tr__extract_add(&a->pages, "\n", 1);
		if (st == TR_OK && sub->body.len)
			st = tr__attach_flat(&a->pages, sub->body.ptr, sub->body.len);
	} else if (st != TR_ENOMEM) {
		st = TR_OK;   /* an attachment that cannot be read costs only its text */
	}
	tr_extract_free(sub);
	return st;
}

/* Runs the extractor for @data[0..len) named @name; the fields go to @sub. */
static tr_status
attach_extract(tr_extract *sub, const tr__attachments *a, const char *name, const char *data,
               size_t len, char **why)
{
	const tr_handler *h;
	char *mime = NULL, *charset = NULL;
	tr_status st;

	if ((st = tr__filetype_detect(data, len, name, &mime, &charset)) != TR_OK)
		return st;
	if (!(h = tr__handler_find(mime, name))) {
		st = TR_EUNSUPPORTED;
	} else {
		tr_input in = { name, mime, charset, data, len, a->ocr };
		st = h->extract(sub, &in, why);
	}
	free(mime);
	free(charset);
	return st;
}

tr_status
tr__attach_file(tr__attachments *a, const char *name, const char *data, size_t len)
{
	tr_extract sub;
	char *why = NULL;
	tr_status st;

	if ((st = tr__attach_begin(a, &sub, name)) != TR_OK)
		return st == TR_ENOTFOUND ? TR_OK : st;
	st = !tr__attach_deep() ? attach_extract(&sub, a, name, data, len, &why) : TR_EUNSUPPORTED;
	free(why);
	return tr__attach_end(a, &sub, st);
}
