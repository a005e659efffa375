/*
 * OCR's guard layer and cache, without tesseract (tests/cli/ocr.sh
 * recognises real scans): the image reader refuses what is not an image
 * and what claims too many pixels before decoding any; the OCR cache
 * beside the index is pruned to its size, the entries used longest ago
 * first, and leftovers of killed writes go.
 */
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "extract.h"

/* A PNG signature and header claiming 100,000 × 100,000 grey pixels, and a bit of data. */
static const unsigned char huge_png[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 0, 0, 0, 0, 0x8D, 0x39, 0x54, 0x14,
	0, 0, 0, 0, 'I', 'D', 'A', 'T', 0, 0, 0, 0, 0, 0, 0, 0
};

static void
test_guard(void)
{
	int pages = -1;
	char *why = NULL;
	const char text[] = "Protokoll der Sitzung, kein Bild";
	struct Pix *pix;

	CHECK(tr__image_pages(text, sizeof text - 1, &pages, &why) == TR_EFORMAT);
	CHECK_STR(why, "beschädigt: kein lesbares Bild");
	free(why);
	CHECK(tr__image_pages((const char *)huge_png, sizeof huge_png, &pages, &why) == TR_ETOOBIG);
	CHECK_STR(why, "Bild zu groß (100000 × 100000 Pixel, Grenze 50 Millionen)");
	free(why);
	/* Half a header: not an image of any size. */
	CHECK(tr__image_pages((const char *)huge_png, 20, &pages, &why) == TR_EFORMAT);
	free(why);
	pix = tr__image_page((const char *)huge_png, sizeof huge_png, 0, &why);
	CHECK(pix == NULL && why != NULL);
	pixDestroy(&pix);
	free(why);
}

/* An office document's picture is sized from its header alone (pictures.c skips logos by it). */
static void
test_size(void)
{
	const char text[] = "Protokoll der Sitzung, kein Bild";
	PIX *pix = pixCreate(640, 120, 8);
	l_uint8 *png = NULL;
	size_t len = 0;
	char *why = NULL;
	int w = -1, h = -1;

	CHECK(tr__image_size(text, sizeof text - 1, &w, &h, &why) == TR_EFORMAT && !why);
	CHECK(tr__image_size((const char *)huge_png, sizeof huge_png, &w, &h, &why) == TR_ETOOBIG);
	CHECK_STR(why, "Bild zu groß (100000 × 100000 Pixel, Grenze 50 Millionen)");
	free(why);
	why = NULL;
	if (pix && pixWriteMem(&png, &len, pix, IFF_PNG) == 0) {
		CHECK(tr__image_size((const char *)png, len, &w, &h, &why) == TR_OK);
		CHECK(w == 640 && h == 120 && !why);
	} else {
		CHECK(0);
	}
	free(png);
	pixDestroy(&pix);
}

/* Writes @size bytes to @dir/@name, last used @age seconds ago. */
static void
entry(const char *dir, const char *name, size_t size, time_t age)
{
	char path[512], *buf = calloc(1, size ? size : 1);
	struct timespec t[2];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(buf, 1, size, f);
		fclose(f);
	}
	free(buf);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age;
	t[1] = t[0];
	utimensat(AT_FDCWD, path, t, 0);
}

static int
exists(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void
test_prune(void)
{
	char dir[] = "/tmp/tr-ocr-cache-XXXXXX";

	if (!mkdtemp(dir)) {
		CHECK_MSG(0, "mkdtemp failed");
		return;
	}
	entry(dir, "alt.json", 1000, 300);
	entry(dir, "mittel.json", 1000, 200);
	entry(dir, "neu.json", 1000, 100);
	entry(dir, ".tmp-abgebrochen", 10, 7200);
	entry(dir, ".tmp-laufend", 10, 5);
	CHECK(tr_ocr_cache_prune(dir, 5000) == TR_OK);
	CHECK(exists(dir, "alt.json") && exists(dir, "mittel.json") && exists(dir, "neu.json"));
	CHECK(!exists(dir, ".tmp-abgebrochen"));   /* a write killed an hour ago */
	CHECK(exists(dir, ".tmp-laufend"));        /* a worker may be writing it now */
	CHECK(tr_ocr_cache_prune(dir, 2500) == TR_OK);
	CHECK(!exists(dir, "alt.json") && exists(dir, "mittel.json") && exists(dir, "neu.json"));
	CHECK(tr_ocr_cache_prune(dir, 0) == TR_OK);
	CHECK(!exists(dir, "mittel.json") && !exists(dir, "neu.json"));
	/* A cache that was never made is fine. */
	CHECK(tr_ocr_cache_prune("/tmp/tr-ocr-cache-does-not-exist", 0) == TR_OK);
	{
		char path[512];

		snprintf(path, sizeof path, "%s/.tmp-laufend", dir);
		unlink(path);
		rmdir(dir);
	}
}

int
main(void)
{
	test_guard();
	test_size();
	test_prune();
	return check_done();
}
