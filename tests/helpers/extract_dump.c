/*
 * Prints what the extractor for a file gives (format, fields, body with
 * "<FF>" for page breaks), or its failure reason: for looking at a file
 * by hand and for the format tests of tests/cli/formats.sh.
 *
 *   extract_dump FILE
 */
#include <stdio.h>
#include <stdlib.h>

#include "extract.h"
#include "filetype.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) && fread(data, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(data);
		data = NULL;
	}
	fclose(f);
	return data;
}

static void
field(const char *name, const char *v)
{
	if (v && *v)
		printf("%s: %s\n", name, v);
}

int
main(int argc, char **argv)
{
	tr_extract x;
	const tr_handler *h;
	char *data, *mime = NULL, *charset = NULL, *why = NULL;
	size_t len = 0;
	tr_status st;

	if (argc != 2 || !(data = slurp(argv[1], &len))) {
		fprintf(stderr, "usage: extract_dump FILE\n");
		return 2;
	}
	if (tr__filetype_detect(data, len, argv[1], &mime, &charset) != TR_OK)
		return 1;
	if (!(h = tr__handler_find(mime, argv[1]))) {
		printf("mime: %s\nno handler\n", mime);
		return 1;
	}
	tr_input in = { argv[1], mime, charset, data, len, NULL };   /* no OCR */
	tr_extract_init(&x, 64 << 20);
	st = h->extract(&x, &in, &why);
	printf("format: %s\nmime: %s\n", h->format, mime);
	if (st != TR_OK) {
		printf("error: %s\n", why ? why : tr_strerror(st));
		return 1;
	}
	field("title", x.title.ptr);
	field("author", x.author.ptr);
	field("date", x.date);
	field("created", x.date_created);
	field("modified", x.date_modified);
	field("description", x.description.ptr);
	field("headings", x.headings.ptr);
	printf("body:\n");
	for (const char *p = x.body.ptr ? x.body.ptr : ""; *p; p++)
		if (*p == '\f')
			fputs("<FF>", stdout);
		else
			putchar(*p);
	putchar('\n');
	tr_extract_free(&x);
	free(why);
	free(mime);
	free(charset);
	free(data);
	return 0;
}
