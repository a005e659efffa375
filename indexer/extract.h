/*
 * Extractors: one per file format, each turning the bytes of one file into
 * typed text fields and the metadata the file states explicitly.  They never
 * touch Xapian and never guess metadata from the text (that is meta.h's job).
 * A new format is one extractor file plus one row in the handler table in
 * indexer/extract.c.
 */
#ifndef TR_EXTRACT_H
#define TR_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "tellerrand/date.h"
#include "tellerrand/index.h"
#include "tellerrand/status.h"

/*
 * The text fields never repeat each other: the heading that became the
 * title is not in headings, and heading text is not in body (HTML inside
 * Markdown aside, whose headings stay body text), so that the
 * index layer can weight each field once (Omega indexes title and body
 * separately too).  Metadata finders that look for a date or a type at the
 * top of a document should look at the title as well as the body.
 */
typedef struct tr_extract {
	tr_buf title;
	tr_buf headings;     /* one heading per line */
	tr_buf body;         /* UTF-8 NFC; '\f' between pages or slides */
	tr_buf description;
	tr_buf author;

	/* Metadata exactly as the file states it (front matter, meta tags). */
	char *date;          /* e.g. "2017-09-15" or "15.09.2017"; NULL if none */
	char *type;          /* e.g. "Pressemitteilung"; NULL if none */
	char **districts;    /* district names as written; resolved later */
	size_t n_districts;
	char **tags;
	size_t n_tags;

	/*
	 * Dates from document properties (Office core.xml/meta.xml, the PDF
	 * info dictionary) as "YYYY-MM-DD"; NULL if none.  Weaker than date:
	 * the software records them, and a created date is often a template's
	 * or a copied file's.  How they are weighed against the path and the
	 * text: docs/metadata.md, "Office and PDF properties".
	 */
	char *date_created;
	char *date_modified;

	/*
	 * What the user should know about a file that was still read, as a
	 * short German phrase ("kein Text (Scan?) auf Seite 3, 5"); logged as a
	 * warning with the path; NULL if nothing.
	 */
	char *warning;
} tr_extract;

/* Initialises every text field with the ceiling @max_text bytes. */
void tr_extract_init(tr_extract *x, size_t max_text);
void tr_extract_free(tr_extract *x);

/* What an extractor knows about its input besides the bytes. */
typedef struct tr_input {
	const char *path;      /* for messages only */
	const char *mime;      /* from libmagic */
	const char *charset;   /* from libmagic: "utf-8", "iso-8859-1", "unknown-8bit", ... */
	const char *data;
	size_t len;
	const tr_ocr_options *ocr;   /* pages without text are OCR'd with these; NULL: no OCR */
} tr_input;

/*
 * An extractor fills @out from @in.  On failure it returns a status and sets
 * *why to a short German reason for the user ("ungültiges HTML", ...; owned by
 * the caller, free with free()), or leaves it NULL to let the caller use
 * tr_strerror().
 */
typedef tr_status (*tr_extract_fn)(tr_extract *out, const tr_input *in, char **why);

typedef struct tr_handler {
	const char *format;      /* "markdown", "html", "text" */
	tr_extract_fn extract;
} tr_handler;

/*
 * Chooses the handler for a file from its MIME type (libmagic, from the
 * content) with the file name's extension as a hint where the content is
 * ambiguous (Markdown is plain text to libmagic).  Returns NULL when no
 * extractor handles the type.
 */
const tr_handler *tr__handler_find(const char *mime, const char *path);

/*
 * The MIME type among the handled text formats that the extension of @path
 * names ("text/markdown" for "x.md", "text/html" for "x.htm"), if @mime is
 * a text type (whose subtype libmagic only guesses from keywords) and the
 * extension is one the handler table knows; likewise the binary type an
 * extension names ("x.docx", "x.odp", "x.pdf") when @mime only says
 * "application/zip" or "application/octet-stream"; otherwise @mime
 * itself.  Static storage or @mime; never NULL unless @mime is NULL.
 */
/* True if @path's extension names one of the text formats (.txt, .md, .html, ...). */
bool tr__handler_has_extension(const char *path);

const char *tr__handler_mime_hint(const char *mime, const char *path);

/*
 * Converts raw text bytes of @charset into @out as UTF-8 NFC (used by every
 * text-like extractor).  @charset is libmagic's name; "iso-8859-1" and
 * "unknown-8bit" are read as Windows-1252, UTF-8 that is not valid is read
 * as Windows-1252 unless it is mostly valid UTF-8, a BOM is dropped, line
 * ends become "\n" and control characters other than tab, newline and form
 * feed are dropped.  When the text does not fit into @out, as much as fits
 * is kept (cut at a character boundary) and TR_OK is returned: a document
 * truncated at the configured ceiling is still worth indexing.  Returns
 * TR_OK or TR_ENOMEM.
 */
tr_status tr__extract_decode(tr_buf *out, const char *data, size_t len, const char *charset);

/*
 * Appends @s[0..len) (UTF-8) to @b; when it does not fit, appends the part
 * that fits, cut at a character boundary, and returns TR_ETOOBIG so that
 * the caller can stop producing more.  Returns TR_OK, TR_ETOOBIG or
 * TR_ENOMEM.
 */
tr_status tr__extract_add(tr_buf *b, const char *s, size_t len);

/*
 * Makes @b end in at least @n newlines (unless it is empty), so that
 * blocks stay on lines of their own; never adds more than needed.  Returns
 * like tr__extract_add().
 */
tr_status tr__extract_break(tr_buf *b, int n);

/*
 * Brings every text field of @x into its final shape: NFC (entities and
 * escapes can produce decomposed text), trailing white space removed, the
 * title and author on one line.  Extractors call it last.  Returns TR_OK
 * or TR_ENOMEM.
 */
tr_status tr__extract_finish(tr_extract *x);

/*
 * The extractors.  Each fills @out's fields as UTF-8 NFC.  A document
 * larger than the field ceilings is cut (what fits is kept) and still gives
 * TR_OK.  Empty input gives TR_OK with empty fields.  Other returns:
 * TR_ENOMEM; for HTML also TR_EFORMAT when libxml2 cannot make a document
 * of the bytes at all (*why set) and TR_ETOOBIG for input over INT_MAX
 * bytes, which libxml2 cannot take.
 *
 * text: the title is the first line that looks like one (after letterheads,
 * datelines and labels such as "Pressemitteilung"; a "Betreff:" line wins),
 * and that line is left out of the body; rule lines ("=====") are dropped.
 * markdown: see tr__front_matter(); the first heading is the title unless
 * the front matter has one; HTML in the Markdown is read as text through
 * tr__html_fragment_text(); "<!-- Slide number: N -->" comments start pages.
 * html: the main content as indexer/html_main.c chooses it (paragraph
 * scores, link density, whole-word class names, <article>/<main>; see
 * docs/html.md), never an empty body for a page with text; headings only
 * from it, and only those that head text; title from og:title, the first
 * <h1> in it, or <title>, without the site name; date, description,
 * keywords, author and district from <meta> (ISO dates keep only the date).
 */
tr_status tr__extract_text(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_markdown(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_html(tr_extract *out, const tr_input *in, char **why);

/*
 * The office formats.  Properties (title, author, keywords → tags,
 * description, created and modified dates) come from the PDF info
 * dictionary, docProps/core.xml or meta.xml; the text of each page
 * (PDF) or slide (PPTX, ODP) is one page of body, also an empty one, so
 * that the pages count right.  The title is the property title, else the
 * first "Title" paragraph or top-level heading (DOCX, ODT), which then
 * stays out of headings, or the first slide's title (PPTX, ODP).  Slide
 * titles stay body text at the top of their slide, the first one too, so
 * that a hit in one can be placed on its slide (a PDF export of the same
 * slides reads the same): the one exception to fields never repeating
 * each other.  DOCX and ODT headings go to headings; table cells are
 * separated by tabs, rows and list items end lines; speaker notes follow
 * their slide's text; tables of contents, comments, deleted text, field
 * codes, slide numbers, footers and the fallback copies of text boxes are
 * left out; lines of bare bullet glyphs in PDFs too.  Dates go to
 * date_created/date_modified, never to date.
 *
 * Failures, each with *why set: TR_EFORMAT for a damaged file
 * ("beschädigt: …"), a password ("passwortgeschützt"), or a PDF without
 * a text layer ("kein Text (Scan?)"); TR_ETOOBIG for a zip that exceeds
 * the TR__ZIP_* limits ("ZIP-Grenze überschritten: …"); TR_EUNSUPPORTED
 * for an ODF drawing or chart ("OpenDocument-drawing nicht unterstützt");
 * TR_ENOMEM.  Spreadsheets (XLSX, ODS) are read sheet by sheet
 * (indexer/sheet.h).
 */
tr_status tr__extract_pdf(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_ooxml(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_odf(tr_extract *out, const tr_input *in, char **why);
/* The same for a flat OpenDocument file (.fodt, .fodp, .fods): one XML document. */
tr_status tr__extract_fodf(tr_extract *out, const tr_input *in, char **why);

/*
 * Issue 16's formats.  Spreadsheets (xls here; xlsx and ods through the
 * ooxml and odf extractors) give one page of body per sheet, beginning
 * with the sheet's name (indexer/sheet.h).  Broken files give
 * TR_EFORMAT with *why ("beschädigt: …", "passwortgeschützt").
 */
tr_status tr__extract_xls(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_doc(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_ppt(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_rtf(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_mail(tr_extract *out, const tr_input *in, char **why);
/*
 * Outlook .msg (indexer/extract_msg.c): read like an .eml.  Besides
 * "beschädigt: …", TR_EFORMAT with "verschlüsselt (S/MIME)" or "geschützt
 * (Rechteverwaltung, IRM)" for a message whose text is sealed.
 */
tr_status tr__extract_msg(tr_extract *out, const tr_input *in, char **why);
tr_status tr__extract_csv(tr_extract *out, const tr_input *in, char **why);

/*
 * Scanned images (PNG, JPEG, TIFF with all its pages) read by OCR
 * (indexer/ocr.h), one page of body per image page.  Failures with *why:
 * TR_EFORMAT for an image that cannot be decoded ("beschädigt: kein
 * lesbares Bild (PNG)"), TR_ETOOBIG for one over the size limits ("Bild zu
 * groß (…)"), TR_EUNSUPPORTED when OCR is off or no page gave text ("Bild
 * ohne erkennbaren Text"), TR_ENOMEM.
 */
tr_status tr__extract_image(tr_extract *out, const tr_input *in, char **why);

struct Pix;

/*
 * The decoding layer under tr__extract_image (and the image fuzzer): the
 * number of pages of the image @data[0..len), each page's header checked
 * against the size limits before any pixel is decoded; and page @page
 * (0-based) decoded to 1- or 8-bit grey (free with pixDestroy()), NULL
 * with *why set when it cannot be.  *why is owned by the caller.
 */
tr_status tr__image_pages(const char *data, size_t len, int *pages, char **why);
struct Pix *tr__image_page(const char *data, size_t len, int page, char **why);

/*
 * The size (*w × *h pixels) of the first page of the image @data[0..len),
 * from its header, without decoding a pixel.  Returns TR_OK; TR_EFORMAT
 * for no PNG, JPEG or TIFF (or a broken header); TR_ETOOBIG with *why set
 * (owned by the caller) when it exceeds the size limits.
 */
tr_status tr__image_size(const char *data, size_t len, int *w, int *h, char **why);

/*
 * Whether the property dates of @x (date_created, date_modified) give the
 * document's date, weighed against @found, the date tr__meta_find_date()
 * found in the path or text (NULL or an invalid date if none).  The
 * property date is the created date, or the modified date when the
 * created date is missing or more than a year older (a copied file or an
 * old template); it wins when there is no other date, and refines a month
 * or year from the path or text that it lies in; a day-precise date from
 * the path or text always wins.  Sets *out and returns true if the
 * property date wins.  See docs/metadata.md, "Office and PDF properties".
 */
bool tr__extract_property_date(tr_date *out, const tr_extract *x, const tr_date *found);

/*
 * Declines formats that are recognised but not read (other OLE2 files,
 * encrypted OOXML) with TR_EUNSUPPORTED and a reason that names the
 * format: "passwortgeschützt (verschlüsseltes Office-Dokument)",
 * "altes Office-Format (.vsd) nicht unterstützt".
 */
tr_status tr__extract_refuse(tr_extract *out, const tr_input *in, char **why);

/*
 * Parses YAML front matter (the text between a leading "---" line and the
 * next "---" or "..." line) into @out's metadata fields.  Returns the
 * number of bytes the front matter occupies (0 if there is none).
 *
 * @data must be UTF-8 (the output of tr__extract_decode()).  Keys are
 * compared ignoring case and umlaut spelling: title/titel → out->title,
 * date/datum → date, kreis/landkreis/district(s)/region → districts, typ/
 * type/art → type, tags/schlagworte/keywords → tags, author/autor →
 * author, description/beschreibung → description.  Lists and comma
 * separated scalars both work for districts and tags (at most
 * TR__FRONT_MATTER_MAX_LIST entries each).  A block that is not a valid
 * YAML mapping is not fatal: it gives no metadata, its lines are appended
 * to out->body as plain text (so no word is lost), and its length is still
 * returned so that a Markdown parser does not mistake its closing "---"
 * for a heading underline.
 */
size_t tr__front_matter(tr_extract *out, const char *data, size_t len);

#define TR__FRONT_MATTER_MAX_LIST 64

/*
 * Appends the visible text of the HTML fragment @html[0..len) (an HTML
 * block inside Markdown) to @out, with the HTML extractor's rules: scripts,
 * styles and navigation dropped, block elements on lines of their own.
 * Returns TR_OK, TR_ETOOBIG when @out filled up (what fits is kept), or
 * TR_ENOMEM.
 */
tr_status tr__html_fragment_text(tr_buf *out, const char *html, size_t len);

#endif
