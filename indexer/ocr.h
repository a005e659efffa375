/*
 * OCR of scanned pages through libtesseract (German), shared by the
 * extractors that meet pages without a text layer (image-only PDF pages,
 * PNG, JPEG and TIFF files).  The text of every page read is kept in a
 * cache by the file's content hash, so a renamed, touched or fully
 * reindexed scan is not read again.  See docs/ocr.md.
 */
#ifndef TR_OCR_H
#define TR_OCR_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "tellerrand/index.h"
#include "tellerrand/status.h"

struct Pix;

/*
 * Pages of one file that OCR reads at most (a longer scan is a book, not
 * minutes); the rest stay unread.  Each page begun extends the worker's
 * time limit, so this also bounds the time one file can take.
 */
#define TR__OCR_MAX_PAGES 200

/*
 * Makes the picture of page @page (0-based) for recognition: 8-bit grey or
 * 1-bit, with its resolution set when known.  Returns NULL with *why set
 * (a short German reason, owned by the caller) when the page cannot be
 * made.  Called only when the cache does not have the page.
 */
typedef struct Pix *(*tr__ocr_render_fn)(void *arg, int page, char **why);

/* One file's OCR: its cache entry and the pages read in it. */
typedef struct tr__ocr_file {
	const tr_ocr_options *o;
	char key[40];            /* content hash (hex) */
	void *cached;            /* json_t: page number → text, from the cache */
	void *fresh;             /* json_t: pages read now, to store */
	unsigned pages;          /* pages asked for (cached or read) */
	unsigned unreadable;     /* pages OCR found no text on */
	bool broken;             /* a page could not be rendered or decoded (why says which) */
	char *why;               /* the first reason a page could not be read */
} tr__ocr_file;

/* Starts the OCR of the file @data[0..len) (its content decides the cache entry). */
tr_status tr__ocr_open(tr__ocr_file *f, const tr_ocr_options *o, const char *data, size_t len);

/*
 * Appends the text of page @page to @out: from the cache, or recognised in
 * the picture @render makes, within o->page_timeout.  *read says whether
 * the page gave any text.  A page that cannot be rendered or recognised is
 * not an error of the file: *read is false and f->why says why.  Returns
 * TR_OK, TR_ETOOBIG when @out is full, or TR_ENOMEM.
 */
tr_status tr__ocr_page(tr__ocr_file *f, int page, tr__ocr_render_fn render, void *arg,
                       tr_buf *out, bool *read);

/*
 * tr__ocr_page() of page @page (0-based) of the PNG, JPEG or TIFF image
 * @data[0..len), decoded by tr__image_page(), as page @ocr_page of @f (its
 * number in the cache: the image's page in an image file, the picture's
 * index in an office document).  Returns like tr__ocr_page().  In
 * extract_image.c.
 */
tr_status tr__image_ocr(tr__ocr_file *f, int ocr_page, const char *data, size_t len, int page, tr_buf *out,
                        bool *read);

/*
 * Stores the pages read now in the cache and frees @f.  A page cut short
 * by the time limit is not stored: a later run reads it again.
 */
void tr__ocr_close(tr__ocr_file *f);

/*
 * Pages recognised and pages taken from the cache by this thread since the
 * last call; the counters are reset.  Workers report them per file.
 */
void tr__ocr_take_counts(unsigned *recognised, unsigned *cached);

/*
 * An 8-bit grey picture of the cairo RGB24 pixels @data (@w × @h, @stride
 * bytes a row) at @dpi, for a page rendered from a PDF; NULL if out of
 * memory.  Free with pixDestroy().
 */
struct Pix *tr__ocr_pix_from_rgb24(const unsigned char *data, int w, int h, int stride, int dpi);

/* Ends this thread's tesseract instance (for tests and leak checkers). */
void tr__ocr_cleanup(void);

/*
 * Whether OCR can run here: tesseract with its German data.  Returns
 * TR_OK, or TR_EUNSUPPORTED with *why set.
 */
tr_status tr__ocr_available(char **why);

#endif
