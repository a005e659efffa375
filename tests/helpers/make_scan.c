/*
 * make_scan: makes scans of text files for the OCR tests, scripts/eval-ocr,
 * scripts/bench and scripts/demo, so that no scan has to be committed.
 * Text is set with cairo in DejaVu Serif (fonts-dejavu-core), wrapped to
 * an A4 width with 2.5 cm margins; pictures go through leptonica.
 *
 *   make_scan [--pt N] [--dpi N] [--a4] [--skew DEG] [--noise SD] OUT PAGE...
 *
 * OUT ending in .png or .jpg: one page; .tif: every PAGE a page of one
 * multi-page TIFF; .pdf: each PAGE is "text:FILE" (a page with a text
 * layer) or "scan:FILE" (a page that is only a picture of the text).  A
 * PAGE without a prefix is a scan.  Without --a4 a page is only as tall as
 * its text (OCR of a short page is quick).  --skew turns the picture by
 * DEG degrees and --noise adds grey noise, as a scanner would.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr.h"

#define A4_W_PT 595.28
#define A4_H_PT 841.89
#define MARGIN_PT (2.5 / 2.54 * 72)

typedef struct opts {
	double pt, dpi, skew, noise;
	int a4;
} opts;

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		n = (long)fread(buf, 1, (size_t)n, f);
		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

/*
 * Sets @text on @cr in points from the top left margin, wrapping at the
 * right margin; each line of the file is a paragraph.  With @draw 0 it
 * only measures.  Returns the height used in points.
 */
static double
set_text(cairo_t *cr, const char *text, const opts *o, int draw)
{
	double lead = o->pt * 1.3, y = MARGIN_PT + o->pt, width = A4_W_PT - 2 * MARGIN_PT;
	char line[4096];
	const char *p = text;

	cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, o->pt);
	cairo_set_source_rgb(cr, 0, 0, 0);
	while (*p) {
		size_t para = strcspn(p, "\n"), used = 0;
		const char *w = p, *end = p + para;

		line[0] = '\0';
		while (w < end) {
			size_t wl = strcspn(w, " \n");
			char try[4096];
			cairo_text_extents_t ex;

			if (wl == 0) {
				w++;
				continue;
			}
			snprintf(try, sizeof try, "%s%s%.*s", line, used ? " " : "", (int)wl, w);
			cairo_text_extents(cr, try, &ex);
			if (used && ex.x_advance > width) {
				if (draw) {
					cairo_move_to(cr, MARGIN_PT, y);
					cairo_show_text(cr, line);
				}
				y += lead;
				snprintf(line, sizeof line, "%.*s", (int)wl, w);
			} else {
				snprintf(line, sizeof line, "%s", try);
			}
			used = 1;
			w += wl;
		}
		if (draw && used) {
			cairo_move_to(cr, MARGIN_PT, y);
			cairo_show_text(cr, line);
		}
		y += used ? lead : lead / 2;
		p = *end ? end + 1 : end;
	}
	return y + MARGIN_PT;
}

static double
page_height(const char *text, const opts *o)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *cr = cairo_create(s);
	double h = set_text(cr, text, o, 0);

	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return o->a4 || h > A4_H_PT ? A4_H_PT : h;
}

/* The text rendered as a picture at o->dpi, turned and noised as asked. */
static PIX *
scan_pix(const char *text, const opts *o)
{
	double scale = o->dpi / 72.0, h = page_height(text, o);
	int w = (int)(A4_W_PT * scale), hp = (int)(h * scale);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, hp);
	cairo_t *cr = cairo_create(s);
	PIX *pix, *t;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	set_text(cr, text, o, 1);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	pix = tr__ocr_pix_from_rgb24(cairo_image_surface_get_data(s), w, hp,
	                             cairo_image_surface_get_stride(s), (int)o->dpi);
	cairo_surface_destroy(s);
	if (pix && o->skew != 0) {
		t = pixRotate(pix, (float)(o->skew * M_PI / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
		pixDestroy(&pix);
		pix = t;
	}
	if (pix && o->noise > 0) {
		t = pixAddGaussianNoise(pix, (float)o->noise);
		pixDestroy(&pix);
		pix = t;
	}
	if (pix)
		pixSetResolution(pix, (int)o->dpi, (int)o->dpi);
	return pix;
}

/* A PDF page: the text as text, or (scan) a picture of it. */
static int
pdf_page(cairo_t *cr, cairo_surface_t *pdf, const char *text, int scan, const opts *o)
{
	double h = page_height(text, o);

	cairo_pdf_surface_set_size(pdf, A4_W_PT, h);
	if (!scan) {
		set_text(cr, text, o, 1);
	} else {
		PIX *pix = scan_pix(text, o);
		int w, hp;
		cairo_surface_t *img;

		if (!pix)
			return -1;
		w = pixGetWidth(pix);
		hp = pixGetHeight(pix);
		img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, hp);
		cairo_surface_flush(img);
		for (int y = 0; y < hp; y++) {
			uint32_t *row = (uint32_t *)(void *)(cairo_image_surface_get_data(img) +
			                                     (size_t)y * (size_t)cairo_image_surface_get_stride(img));
			l_uint32 *line = pixGetData(pix) + (size_t)y * (size_t)pixGetWpl(pix);

			for (int x = 0; x < w; x++) {
				uint32_t g = GET_DATA_BYTE(line, x);
				row[x] = g << 16 | g << 8 | g;
			}
		}
		cairo_surface_mark_dirty(img);
		pixDestroy(&pix);
		cairo_save(cr);
		cairo_scale(cr, 72.0 / o->dpi, 72.0 / o->dpi);
		cairo_set_source_surface(cr, img, 0, 0);
		cairo_paint(cr);
		cairo_restore(cr);
		cairo_surface_destroy(img);
	}
	cairo_show_page(cr);
	return 0;
}

static int
write_pdf(const char *out, char **pages, int n, const opts *o)
{
	cairo_surface_t *pdf = cairo_pdf_surface_create(out, A4_W_PT, A4_H_PT);
	cairo_t *cr = cairo_create(pdf);
	int ret = 0;

	for (int i = 0; i < n && ret == 0; i++) {
		int scan = strncmp(pages[i], "text:", 5) != 0;
		const char *file = strchr(pages[i], ':') ? strchr(pages[i], ':') + 1 : pages[i];
		char *text = slurp(file);

		ret = text ? pdf_page(cr, pdf, text, scan, o) : -1;
		if (!text)
			fprintf(stderr, "make_scan: %s: not readable\n", file);
		free(text);
	}
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS)
		ret = -1;
	cairo_surface_destroy(pdf);
	return ret;
}

static int
write_image(const char *out, char **pages, int n, const opts *o)
{
	size_t len = strlen(out);
	int tiff = len > 4 && (strcmp(out + len - 4, ".tif") == 0 || strcmp(out + len - 5, ".tiff") == 0);
	int jpeg = len > 4 && strcmp(out + len - 4, ".jpg") == 0;

	for (int i = 0; i < n; i++) {
		const char *file = strncmp(pages[i], "scan:", 5) == 0 ? pages[i] + 5 : pages[i];
		char *text = slurp(file);
		PIX *pix = text ? scan_pix(text, o) : NULL;
		int bad;

		free(text);
		if (!pix) {
			fprintf(stderr, "make_scan: %s: cannot make a scan of it\n", file);
			return -1;
		}
		if (tiff)
			bad = pixWriteTiff(out, pix, IFF_TIFF_ZIP, i == 0 ? "w" : "a");
		else
			bad = pixWrite(out, pix, jpeg ? IFF_JFIF_JPEG : IFF_PNG);
		pixDestroy(&pix);
		if (bad)
			return -1;
		if (!tiff)
			break;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	opts o = { 11, 300, 0, 0, 0 };
	int i = 1;
	size_t len;

	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--a4") == 0)
			o.a4 = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--pt") == 0)
			o.pt = strtod(argv[++i], NULL);
		else if (i + 1 < argc && strcmp(argv[i], "--dpi") == 0)
			o.dpi = strtod(argv[++i], NULL);
		else if (i + 1 < argc && strcmp(argv[i], "--skew") == 0)
			o.skew = strtod(argv[++i], NULL);
		else if (i + 1 < argc && strcmp(argv[i], "--noise") == 0)
			o.noise = strtod(argv[++i], NULL);
		else
			break;
	}
	if (argc - i < 2 || o.pt <= 0 || o.dpi < 50 || o.dpi > 1200) {
		fprintf(stderr, "usage: make_scan [--pt N] [--dpi N] [--a4] [--skew DEG] [--noise SD] OUT PAGE...\n");
		return 2;
	}
	setLeptDebugOK(1);   /* leptonica may write files only when told so */
	len = strlen(argv[i]);
	if (len > 4 && strcmp(argv[i] + len - 4, ".pdf") == 0)
		return write_pdf(argv[i], argv + i + 1, argc - i - 1, &o) == 0 ? 0 : 1;
	return write_image(argv[i], argv + i + 1, argc - i - 1, &o) == 0 ? 0 : 1;
}
