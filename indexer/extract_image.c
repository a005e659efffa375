/*
 * Scanned images: PNG, JPEG and TIFF (every page of a multi-page TIFF)
 * read by leptonica from memory and recognised by tesseract (ocr.h).
 * Each image page is one page of body.  Dimensions are checked from the
 * headers before any pixel is decoded, so a decompression bomb (a tiny
 * PNG claiming 100,000 × 100,000 pixels) costs nothing.
 */
#include "extract.h"

#include <fcntl.h>
#include <stdio.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ocr.h"
#include "zipxml.h"

/* An A3 page at 600 dpi is 35 million pixels; a scan needs no more. */
#define IMAGE_MAX_PIXELS (50LL * 1000 * 1000)
#define IMAGE_MAX_SIDE 30000
/* A longer TIFF is a book, not a scan of minutes; the first pages are read. */
#define IMAGE_MAX_PAGES TR__OCR_MAX_PAGES
/* Resolutions outside this range are a missing or wrong tag: 300 dpi is assumed. */
#define IMAGE_MIN_DPI 100
#define IMAGE_MAX_DPI 1200

/*
 * leptonica gives libpng and libjpeg their default error handlers, which
 * print to stderr ("libpng error: read error"); a broken image gets its
 * one-line reason from the extractor instead.  stderr is pointed at
 * /dev/null while leptonica decodes.  Extraction runs in single-threaded
 * worker processes, so no other thread's message is lost meanwhile.
 */
static int
quiet_begin(void)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	fflush(stderr);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void
quiet_end(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

static const char *
image_kind(int format)
{
	if (format == IFF_PNG)
		return "PNG";
	if (format == IFF_JFIF_JPEG)
		return "JPEG";
	if (L_FORMAT_IS_TIFF(format))
		return "TIFF";
	return NULL;
}

/* The header of page @page: its size (*w × *h), checked against the limits. */
static tr_status
image_header(const char *data, size_t len, int format, int page, int *w, int *h, char **why)
{
	l_int32 bps = 0, spp = 0, res = 0, cmap = 0, f = 0;
	l_ok bad;

	if (L_FORMAT_IS_TIFF(format))
		bad = readHeaderMemTiff((const l_uint8 *)data, len, page, w, h, &bps, &spp, &res, &cmap, &f);
	else
		bad = page > 0 || pixReadHeaderMem((const l_uint8 *)data, len, &f, w, h, &bps, &spp, &cmap);
	if (bad || *w <= 0 || *h <= 0)
		return TR_ENOTFOUND;
	if (*w > IMAGE_MAX_SIDE || *h > IMAGE_MAX_SIDE || (long long)*w * *h > IMAGE_MAX_PIXELS) {
		*why = tr__reason("Bild zu groß (%d × %d Pixel, Grenze %lld Millionen)", *w, *h,
		                  IMAGE_MAX_PIXELS / 1000000);
		return TR_ETOOBIG;
	}
	return TR_OK;
}

tr_status
tr__image_pages(const char *data, size_t len, int *pages, char **why)
{
	l_int32 format = IFF_UNKNOWN;
	tr_status st;
	int quiet;

	*pages = 0;
	*why = NULL;
	setMsgSeverity(L_SEVERITY_NONE);
	if (len < 12 || findFileFormatBuffer((const l_uint8 *)data, &format) || !image_kind(format)) {
		*why = tr__reason("beschädigt: kein lesbares Bild");
		return TR_EFORMAT;
	}
	quiet = quiet_begin();
	while (*pages < IMAGE_MAX_PAGES) {
		int w = 0, h = 0;

		st = image_header(data, len, format, *pages, &w, &h, why);
		if (st == TR_ENOTFOUND)
			break;
		if (st != TR_OK) {
			quiet_end(quiet);
			return st;
		}
		++*pages;
	}
	quiet_end(quiet);
	if (*pages == 0) {
		*why = tr__reason("beschädigt: kein lesbares Bild (%s)", image_kind(format));
		return TR_EFORMAT;
	}
	return TR_OK;
}

struct Pix *
tr__image_page(const char *data, size_t len, int page, char **why)
{
	l_int32 format = IFF_UNKNOWN;
	struct Pix *pix = NULL, *grey;
	bool bad;
	int quiet, w = 0, h = 0;

	*why = NULL;
	setMsgSeverity(L_SEVERITY_NONE);
	if (len < 12 || findFileFormatBuffer((const l_uint8 *)data, &format) || !image_kind(format))
		goto broken;
	quiet = quiet_begin();
	bad = image_header(data, len, format, page, &w, &h, why) != TR_OK;
	quiet_end(quiet);
	if (bad)
		goto broken;
	quiet = quiet_begin();
	pix = L_FORMAT_IS_TIFF(format) ? pixReadMemTiff((const l_uint8 *)data, len, page)
	                               : pixReadMem((const l_uint8 *)data, len);
	quiet_end(quiet);
	if (!pix)
		goto broken;
	/* tesseract takes 1-bit and 8-bit grey best; colour and palettes become grey. */
	if (pixGetDepth(pix) != 1 && (pixGetDepth(pix) != 8 || pixGetColormap(pix))) {
		grey = pixConvertTo8(pix, 0);
		pixDestroy(&pix);
		if (!(pix = grey))
			goto broken;
	}
	if (pixGetXRes(pix) < IMAGE_MIN_DPI || pixGetXRes(pix) > IMAGE_MAX_DPI)
		pixSetResolution(pix, 0, 0);
	return pix;
broken:
	if (!*why)
		*why = tr__reason("beschädigt: Bildseite %d nicht lesbar", page + 1);
	return NULL;
}

tr_status
tr__image_size(const char *data, size_t len, int *w, int *h, char **why)
{
	l_int32 format = IFF_UNKNOWN;
	tr_status st;
	int quiet;

	*w = *h = 0;
	*why = NULL;
	setMsgSeverity(L_SEVERITY_NONE);
	if (len < 12 || findFileFormatBuffer((const l_uint8 *)data, &format) || !image_kind(format))
		return TR_EFORMAT;
	quiet = quiet_begin();
	st = image_header(data, len, format, 0, w, h, why);
	quiet_end(quiet);
	return st == TR_ENOTFOUND ? TR_EFORMAT : st;
}

/* One page of an image in memory, for tr__ocr_page(). */
typedef struct image_ref {
	const char *data;
	size_t len;
	int page;
} image_ref;

static struct Pix *
image_render(void *arg, int page, char **why)
{
	const image_ref *r = arg;

	(void)page;   /* the OCR page number names the page in the cache, not in the image */
	return tr__image_page(r->data, r->len, r->page, why);
}

tr_status
tr__image_ocr(tr__ocr_file *f, int ocr_page, const char *data, size_t len, int page, tr_buf *out, bool *read)
{
	image_ref r = { data, len, page };

	return tr__ocr_page(f, ocr_page, image_render, &r, out, read);
}

tr_status
tr__extract_image(tr_extract *out, const tr_input *in, char **why)
{
	tr__ocr_file ocr;
	int pages = 0, read_pages = 0;
	char *mywhy = NULL;
	tr_status st;

	if ((st = tr__image_pages(in->data, in->len, &pages, &mywhy)) != TR_OK)
		goto done;
	if (!in->ocr || !in->ocr->enabled) {
		mywhy = tr__reason("Bild – Texterkennung (OCR) ausgeschaltet");
		st = TR_EUNSUPPORTED;
		goto done;
	}
	if ((st = tr__ocr_open(&ocr, in->ocr, in->data, in->len)) != TR_OK)
		goto done;
	for (int i = 0; i < pages && st == TR_OK; i++) {
		bool read = false;

		if (i > 0)
			st = tr__extract_add(&out->body, "\n\f", 2);
		if (st == TR_OK)
			st = tr__image_ocr(&ocr, i, in->data, in->len, i, &out->body, &read);
		read_pages += read;
	}
	if (st == TR_ETOOBIG)
		st = TR_OK;   /* the body is full: what fits is kept */
	if (st == TR_OK && read_pages == 0 && ocr.broken) {
		mywhy = ocr.why;
		ocr.why = NULL;
		st = TR_EFORMAT;
	} else if (st == TR_OK && read_pages == 0) {
		/* A photo without writing is no failure; a scan whose OCR timed out says so. */
		mywhy = tr__reason("Bild ohne erkennbaren Text%s%s%s", ocr.why ? " (" : "",
		                   ocr.why ? ocr.why : "", ocr.why ? ")" : "");
		st = TR_EUNSUPPORTED;
	}
	tr__ocr_close(&ocr);
	if (st == TR_OK)
		st = tr__extract_finish(out);
done:
	tr__reason_hand_over(st, &mywhy, why);
	return st;
}
