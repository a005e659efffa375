/*
 * ocr_text FILE: prints the body text Tellerrand's extractor gets from a
 * scan (PNG, JPEG, TIFF or PDF), with OCR on and no cache, pages separated
 * by form feeds; for scripts/eval-ocr.  Exits 1 with the reason when the
 * file gives no text.
 */
#include <stdio.h>
#include <stdlib.h>

#include "extract.h"
#include "filetype.h"
#include "ocr.h"

int
main(int argc, char **argv)
{
	tr_ocr_options ocr = TR_OCR_OPTIONS_INIT;
	char *data = NULL, *mime = NULL, *charset = NULL, *why = NULL;
	const tr_handler *h;
	tr_extract x;
	size_t len = 0;
	FILE *f;
	int ret = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: ocr_text FILE\n");
		return 2;
	}
	tr_extract_init(&x, (size_t)16 << 20);
	if (!(f = fopen(argv[1], "rb")) || fseek(f, 0, SEEK_END) != 0 || (len = (size_t)ftell(f)) == 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || !(data = malloc(len)) || fread(data, 1, len, f) != len) {
		fprintf(stderr, "ocr_text: %s: not readable\n", argv[1]);
		goto done;
	}
	if (tr__filetype_detect(data, len, argv[1], &mime, &charset) != TR_OK ||
	    !(h = tr__handler_find(mime, argv[1]))) {
		fprintf(stderr, "ocr_text: %s: type not handled\n", argv[1]);
		goto done;
	}
	{
		tr_input in = { argv[1], mime, charset, data, len, &ocr };

		if (h->extract(&x, &in, &why) != TR_OK) {
			fprintf(stderr, "ocr_text: %s: %s\n", argv[1], why ? why : "failed");
			goto done;
		}
	}
	fwrite(x.body.ptr ? x.body.ptr : "", 1, x.body.len, stdout);
	putchar('\n');
	ret = 0;
done:
	if (f)
		fclose(f);
	free(data);
	free(mime);
	free(charset);
	free(why);
	tr_extract_free(&x);
	tr__filetype_cleanup();
	tr__ocr_cleanup();
	return ret;
}
