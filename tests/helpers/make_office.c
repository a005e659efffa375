/*
 * make_office: writes small Word, PowerPoint, Writer and Impress files
 * (.docx, .pptx, .odt, .odp) of text paragraphs and pictures for the
 * tests, with libzip, so that no office file with a scan in it has to be
 * committed.
 *
 *   make_office OUT.docx|OUT.odt ITEM...
 *   make_office OUT.pptx|OUT.odp SLIDE...
 *
 * An ITEM is "text:Some words" (a paragraph) or "pic:FILE" (a paragraph
 * showing the picture FILE, a PNG, JPEG or TIFF, stored under its own
 * extension; a FILE given twice is stored once and shown twice).  A SLIDE
 * is one or more items separated by '|' (a text box each, or a picture
 * each); "" is an empty slide.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"

#define MAX_SIZE ((size_t)64 << 20)

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_P "http://schemas.openxmlformats.org/presentationml/2006/main"
#define NS_PIC "http://schemas.openxmlformats.org/drawingml/2006/picture"
#define NS_WP "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL NS_R "/"
#define ODF_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" " \
	"xmlns:xlink=\"http://www.w3.org/1999/xlink\""

static zip_t *za;
static int n_media, n_rels;
/* The picture files stored, by their names on the command line: a file given twice is stored once. */
#define MAX_FILES 64
static struct {
	const char *file;
	char *name;
} stored[MAX_FILES];

static void
die(const char *what)
{
	fprintf(stderr, "make_office: %s\n", what);
	if (za)
		zip_discard(za);
	exit(1);
}

/* Adds member @name with a copy of @data[0..len). */
static void
add(const char *name, const void *data, size_t len)
{
	void *copy = malloc(len ? len : 1);
	zip_source_t *src;

	if (!copy)
		die("out of memory");
	memcpy(copy, data, len);
	if (!(src = zip_source_buffer(za, copy, len, 1)) || zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0)
		die(zip_strerror(za));
}

static void
add_buf(const char *name, tr_buf *b)
{
	add(name, b->ptr ? b->ptr : "", b->len);
	tr_buf_free(b);
}

static void
addf(tr_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0 || tr_buf_add(b, s, (size_t)n) != TR_OK)
		die("out of memory");
	free(s);
}

/* Adds the picture FILE as a member of @dir, unless it is there; returns its name in @dir (free()). */
static char *
add_picture(const char *dir, const char *file)
{
	FILE *f;
	tr_buf b = TR_BUF_INIT(MAX_SIZE);
	const char *dot = strrchr(file, '.');
	char chunk[65536], *name = NULL, *member = NULL;
	size_t n;

	for (int i = 0; i < n_media && i < MAX_FILES; i++)
		if (stored[i].file && stored[i].name && strcmp(stored[i].file, file) == 0 &&
		    (name = strdup(stored[i].name)))
			return name;
	if (!(f = fopen(file, "rb")))
		die(file);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (tr_buf_add(&b, chunk, n) != TR_OK)
			die("picture too big");
	fclose(f);
	if (asprintf(&name, "image%d%s", ++n_media, dot ? dot : ".png") < 0 ||
	    asprintf(&member, "%s%s", dir, name) < 0)
		die("out of memory");
	add_buf(member, &b);
	free(member);
	if (n_media <= MAX_FILES && (stored[n_media - 1].file = strdup(file)))
		stored[n_media - 1].name = strdup(name);
	return name;
}

/* Writes @s escaped for XML. */
static void
add_escaped(tr_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '<')
			addf(b, "&lt;");
		else if (s[i] == '&')
			addf(b, "&amp;");
		else
			addf(b, "%c", s[i]);
	}
}

/* Calls @item for each '|'-separated item of @spec. */
static void
each_item(const char *spec, void (*item)(void *ctx, bool pic, const char *s, size_t len), void *ctx)
{
	while (*spec) {
		size_t len = strcspn(spec, "|");

		if (strncmp(spec, "text:", 5) == 0)
			item(ctx, false, spec + 5, len - 5);
		else if (strncmp(spec, "pic:", 4) == 0)
			item(ctx, true, spec + 4, len - 4);
		else
			die("an item is text:WORDS or pic:FILE");
		spec += len + (spec[len] == '|');
	}
}

/* ---- Word ----------------------------------------------------------------- */

typedef struct ooxml_part {
	tr_buf xml, rels;
	const char *media_dir;    /* where pictures go, from the zip's root */
	const char *media_rel;    /* and from the part's folder */
	const char *text_open, *text_close;   /* the XML around a paragraph's text */
	const char *picture;      /* the XML of a picture, %s its relationship id */
} ooxml_part;

static char *
picture_rel(ooxml_part *p, const char *s, size_t len)
{
	char *file = strndup(s, len), *name, *id = NULL;

	if (!file)
		die("out of memory");
	name = add_picture(p->media_dir, file);
	if (asprintf(&id, "rId%d", 100 + ++n_rels) < 0)
		die("out of memory");
	addf(&p->rels, "<Relationship Id=\"%s\" Type=\"" REL "image\" Target=\"%s%s\"/>", id, p->media_rel, name);
	free(name);
	free(file);
	return id;
}

/* A Word paragraph or a slide's shape: text, or a picture. */
static void
ooxml_item(void *ctx, bool pic, const char *s, size_t len)
{
	ooxml_part *p = ctx;
	char *id;

	if (!pic) {
		addf(&p->xml, "%s", p->text_open);
		add_escaped(&p->xml, s, len);
		addf(&p->xml, "%s", p->text_close);
		return;
	}
	id = picture_rel(p, s, len);
	addf(&p->xml, p->picture, id);
	free(id);
}

static void
rels_begin(tr_buf *b)
{
	addf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" NS_PKG "\">");
}

static void
make_docx(int argc, char **argv)
{
	ooxml_part p = { TR_BUF_INIT(MAX_SIZE), TR_BUF_INIT(MAX_SIZE), "word/media/", "media/",
		"<w:p><w:r><w:t>", "</w:t></w:r></w:p>",
		"<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill>"
		"<a:blip r:embed=\"%s\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline>"
		"</w:drawing></w:r></w:p>" };
	tr_buf pkg = TR_BUF_INIT(MAX_SIZE);

	rels_begin(&pkg);
	addf(&pkg, "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
	     "</Relationships>");
	add_buf("_rels/.rels", &pkg);
	rels_begin(&p.rels);
	addf(&p.xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R
	     "\" xmlns:a=\"" NS_A "\" xmlns:pic=\"" NS_PIC "\" xmlns:wp=\"" NS_WP "\"><w:body>");
	for (int i = 0; i < argc; i++)
		each_item(argv[i], ooxml_item, &p);
	addf(&p.xml, "</w:body></w:document>");
	addf(&p.rels, "</Relationships>");
	add_buf("word/document.xml", &p.xml);
	add_buf("word/_rels/document.xml.rels", &p.rels);
}

/* ---- PowerPoint ----------------------------------------------------------- */

static void
make_pptx(int argc, char **argv)
{
	tr_buf pkg = TR_BUF_INIT(MAX_SIZE), pres = TR_BUF_INIT(MAX_SIZE), prels = TR_BUF_INIT(MAX_SIZE);

	rels_begin(&pkg);
	addf(&pkg, "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"ppt/presentation.xml\"/>"
	     "</Relationships>");
	add_buf("_rels/.rels", &pkg);
	rels_begin(&prels);
	addf(&pres, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:presentation xmlns:p=\"" NS_P "\" xmlns:r=\""
	     NS_R "\"><p:sldIdLst>");
	for (int i = 0; i < argc; i++) {
		ooxml_part p = { TR_BUF_INIT(MAX_SIZE), TR_BUF_INIT(MAX_SIZE), "ppt/media/", "../media/",
			"<p:sp><p:txBody><a:p><a:r><a:t>", "</a:t></a:r></a:p></p:txBody></p:sp>",
			"<p:pic><p:blipFill><a:blip r:embed=\"%s\"/></p:blipFill></p:pic>" };
		char name[64];

		addf(&pres, "<p:sldId id=\"%d\" r:id=\"rId%d\"/>", 256 + i, i + 1);
		addf(&prels, "<Relationship Id=\"rId%d\" Type=\"" REL "slide\" Target=\"slides/slide%d.xml\"/>",
		     i + 1, i + 1);
		rels_begin(&p.rels);
		addf(&p.xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:sld xmlns:p=\"" NS_P "\" xmlns:r=\"" NS_R
		     "\" xmlns:a=\"" NS_A "\"><p:cSld><p:spTree>");
		each_item(argv[i], ooxml_item, &p);
		addf(&p.xml, "</p:spTree></p:cSld></p:sld>");
		addf(&p.rels, "</Relationships>");
		snprintf(name, sizeof name, "ppt/slides/slide%d.xml", i + 1);
		add_buf(name, &p.xml);
		snprintf(name, sizeof name, "ppt/slides/_rels/slide%d.xml.rels", i + 1);
		add_buf(name, &p.rels);
	}
	addf(&pres, "</p:sldIdLst></p:presentation>");
	addf(&prels, "</Relationships>");
	add_buf("ppt/presentation.xml", &pres);
	add_buf("ppt/_rels/presentation.xml.rels", &prels);
}

/* ---- OpenDocument --------------------------------------------------------- */

static void
odf_item(void *ctx, bool pic, const char *s, size_t len)
{
	tr_buf *b = ctx;
	char *file, *name;

	if (!pic) {
		addf(b, "<draw:frame><draw:text-box><text:p>");
		add_escaped(b, s, len);
		addf(b, "</text:p></draw:text-box></draw:frame>");
		return;
	}
	if (!(file = strndup(s, len)))
		die("out of memory");
	name = add_picture("Pictures/", file);
	addf(b, "<draw:frame><draw:image xlink:href=\"Pictures/%s\"/></draw:frame>", name);
	free(name);
	free(file);
}

static void
make_odf(int argc, char **argv, bool slides)
{
	static const char mime_text[] = "application/vnd.oasis.opendocument.text";
	static const char mime_pres[] = "application/vnd.oasis.opendocument.presentation";
	tr_buf b = TR_BUF_INIT(MAX_SIZE);

	add("mimetype", slides ? mime_pres : mime_text, strlen(slides ? mime_pres : mime_text));
	addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content " ODF_NS
	     "><office:body><office:%s>", slides ? "presentation" : "text");
	for (int i = 0; i < argc; i++) {
		/* Writer: each item in a paragraph of its own; Impress: each argument a page. */
		if (slides)
			addf(&b, "<draw:page draw:name=\"p%d\">", i + 1);
		else
			addf(&b, "<text:p>");
		each_item(argv[i], odf_item, &b);
		addf(&b, slides ? "</draw:page>" : "</text:p>");
	}
	addf(&b, "</office:%s></office:body></office:document-content>", slides ? "presentation" : "text");
	add_buf("content.xml", &b);
}

int
main(int argc, char **argv)
{
	const char *dot = argc > 1 ? strrchr(argv[1], '.') : NULL;

	if (!dot) {
		fprintf(stderr, "usage: make_office OUT.docx|OUT.pptx|OUT.odt|OUT.odp ITEM...\n");
		return 2;
	}
	if (!(za = zip_open(argv[1], ZIP_CREATE | ZIP_TRUNCATE, NULL)))
		die(argv[1]);
	if (strcmp(dot, ".docx") == 0)
		make_docx(argc - 2, argv + 2);
	else if (strcmp(dot, ".pptx") == 0)
		make_pptx(argc - 2, argv + 2);
	else if (strcmp(dot, ".odt") == 0 || strcmp(dot, ".odp") == 0)
		make_odf(argc - 2, argv + 2, dot[3] == 'p');
	else
		die("OUT must end in .docx, .pptx, .odt or .odp");
	if (zip_close(za) < 0)
		die(zip_strerror(za));
	return 0;
}
