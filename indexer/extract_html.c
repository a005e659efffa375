/*
 * HTML through libxml2's forgiving HTML parser.  Web pages of the
 * Landratsämter are mostly navigation, cookie banners and footers around a
 * short article, so the extractor looks for the main content (the element
 * with the most text among <main>, <article>, role=main and "content"-like
 * ids and classes) and drops boilerplate inside it.  Text is laid out in
 * lines the way a browser would break them, so that datelines survive.
 */
#include "extract.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "html.h"
#include "tellerrand/document.h"
#include "text.h"

/* Headings in a row without text between them; more are dropped. */
#define HTML_PENDING_MAX 16
/* A site name after the separator in <title> is at most this long. */
#define HTML_SITE_SUFFIX_MAX 60
/* Metadata values longer than this are not what they claim to be. */
#define HTML_META_MAX 4096

/* The first element named @name below @root outside boilerplate; NULL if none. */
static xmlNodePtr
html_find(xmlNodePtr root, const char *name, bool skip_boilerplate)
{
	xmlNodePtr n = root->children;

	while (n) {
		bool skip = skip_boilerplate && tr__html_skip(n, false);

		if (!skip && tr__html_is(n, name))
			return n;
		n = tr__html_next(root, n, skip);
	}
	return NULL;
}

/* Text output. */

static const char *const heading_tags[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };

/* Blocks after which a blank line follows: paragraphs and their kin. */
static const char *const para_tags[] = {
	"p", "ul", "ol", "dl", "table", "blockquote", "pre", "section", "article",
	"main", "header", "figure", "address", "hr", "details", "fieldset", "title", NULL
};

/* Blocks that end a line. */
static const char *const line_tags[] = {
	"div", "li", "dt", "dd", "tr", "td", "th", "caption", "figcaption",
	"summary", "legend", "center", "option", "body", "html", "thead",
	"tbody", "tfoot", NULL
};

typedef struct html_ctx {
	tr_buf *body;
	tr_buf *headings;      /* NULL: headings are body text (fragments) */
	const char *title;     /* a heading with this text is not repeated */
	tr_buf heading;        /* the heading being read */
	xmlNodePtr in_heading; /* the heading element being read, or NULL */
	int pre;               /* depth of <pre>: white space is kept */
	bool space;            /* white space seen, not yet written */
	bool loose;            /* only the tag rules for boilerplate (the fallback) */
	/*
	 * Headings wait here until text follows them: a heading over a
	 * comment form or a newsletter box that was left out, or at the end,
	 * heads nothing of the document.  Each pending heading starts at
	 * pending_at[i] and has level pending_level[i].
	 */
	tr_buf pending;
	size_t pending_at[HTML_PENDING_MAX];
	int pending_level[HTML_PENDING_MAX];
	int n_pending;
} html_ctx;

/*
 * Appends @s[0..n), which has no white space outside <pre>.  libxml2 reads
 * bytes 0x80-0x9F of an ISO-8859-1 page (and numeric references like
 * &#150;) as C1 control characters; browsers read them as Windows-1252
 * („ “ – €), and so do we, converting each through iconv.
 */
static tr_status
html_emit(tr_buf *b, const char *s, size_t n)
{
	size_t run = 0;
	tr_status st;

	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i + 1];
		tr_buf one = TR_BUF_INIT(16);
		char byte;

		if ((unsigned char)s[i] != 0xC2 || c < 0x80 || c > 0x9F)
			continue;
		if ((st = tr__extract_add(b, s + run, i - run)) != TR_OK)
			return st;
		byte = (char)c;
		st = tr_text_to_utf8(&one, &byte, 1, "WINDOWS-1252");
		if (st == TR_OK)
			st = tr__extract_add(b, one.ptr, one.len);
		tr_buf_free(&one);
		if (st != TR_OK)
			return st;
		run = i + 2;
		i++;
	}
	return tr__extract_add(b, s + run, n - run);
}

static bool
html_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Preformatted text keeps its white space; only line ends are unified. */
static tr_status
html_text_pre(tr_buf *b, const char *s)
{
	tr_status st;

	for (;;) {
		size_t n = strcspn(s, "\r");

		if ((st = html_emit(b, s, n)) != TR_OK || !s[n])
			return st;
		if ((st = tr__extract_add(b, "\n", 1)) != TR_OK)
			return st;
		s += n + 1;
		if (*s == '\n')
			s++;
	}
}

/* Appends a text node, white space collapsed, to @b. */
static tr_status
html_text_flow(html_ctx *c, tr_buf *b, const char *s)
{
	tr_status st;
	size_t i = 0;

	while (s[i]) {
		size_t start;

		if (html_ws(s[i])) {
			c->space = true;
			i++;
			continue;
		}
		start = i;
		while (s[i] && !html_ws(s[i]))
			i++;
		if (c->space && b->len && b->ptr[b->len - 1] != '\n' && b->ptr[b->len - 1] != ' ' &&
		    (st = tr__extract_add(b, " ", 1)) != TR_OK)
			return st;
		c->space = false;
		if ((st = html_emit(b, s + start, i - start)) != TR_OK)
			return st;
	}
	return TR_OK;
}

static tr_status html_text_node(html_ctx *c, const char *s);

/* Text follows the pending headings: they head something. */
static tr_status
html_flush_headings(html_ctx *c)
{
	tr_status st = tr__extract_add(c->headings, c->pending.ptr, c->pending.len);

	tr_buf_reset(&c->pending);
	c->n_pending = 0;
	/* A full headings field loses later headings, not the body. */
	return st == TR_ETOOBIG ? TR_OK : st;
}

/*
 * Holds a heading of @level back until text follows; a heading of the
 * same or a higher level first drops the pending ones of its level and
 * below, which headed nothing.
 */
static tr_status
html_pend_heading(html_ctx *c, int level)
{
	tr_status st;

	while (c->n_pending && c->pending_level[c->n_pending - 1] >= level) {
		c->n_pending--;
		c->pending.len = c->pending_at[c->n_pending];
		c->pending.ptr[c->pending.len] = '\0';
	}
	if (c->n_pending == HTML_PENDING_MAX)
		return TR_OK;
	c->pending_at[c->n_pending] = c->pending.len;
	c->pending_level[c->n_pending++] = level;
	st = tr__extract_add(&c->pending, c->heading.ptr, c->heading.len);
	if (st == TR_OK)
		st = tr__extract_add(&c->pending, "\n", 1);
	return st == TR_ETOOBIG ? TR_OK : st;
}

static tr_status
html_text(html_ctx *c, const char *s)
{
	tr_buf fixed = TR_BUF_INIT(SIZE_MAX);
	tr_status st = html_text_node(c, !tr__html_repair_text(&fixed, s) ? s : fixed.ptr ? fixed.ptr : "");

	tr_buf_free(&fixed);
	return st;
}

static tr_status
html_text_node(html_ctx *c, const char *s)
{
	tr_status st;

	if (!c->in_heading) {
		if (c->n_pending && s[strspn(s, " \t\r\n\f")] && (st = html_flush_headings(c)) != TR_OK)
			return st;
		return c->pre ? html_text_pre(c->body, s) : html_text_flow(c, c->body, s);
	}
	st = html_text_flow(c, &c->heading, s);
	/* An overlong heading is cut; the body goes on. */
	return st == TR_ETOOBIG ? TR_OK : st;
}

static tr_status
html_heading_done(html_ctx *c)
{
	tr_status st = TR_OK;
	tr_buf *b = c->headings ? c->headings : c->body;
	int level = c->in_heading->name[1] - '0';

	c->in_heading = NULL;
	c->space = false;
	if (!c->heading.ptr)
		return TR_OK;
	tr_text_squeeze(c->heading.ptr);
	c->heading.len = strlen(c->heading.ptr);
	if (c->heading.len && c->headings && !(c->title && strcmp(c->heading.ptr, c->title) == 0)) {
		st = html_pend_heading(c, level);
	} else if (c->heading.len && !(c->title && strcmp(c->heading.ptr, c->title) == 0)) {
		st = tr__extract_add(b, c->heading.ptr, c->heading.len);
		if (st == TR_OK)
			st = tr__extract_break(b, 1);
		/* A full headings field loses later headings, not the body. */
		if (st == TR_ETOOBIG && b != c->body)
			st = TR_OK;
	}
	tr_buf_reset(&c->heading);
	return st;
}

static tr_status
html_enter(html_ctx *c, xmlNodePtr n)
{
	if (tr__html_is(n, "br")) {
		if (c->in_heading) {
			c->space = true;
			return TR_OK;
		}
		return tr__extract_break(c->body, 1);
	}
	if (tr__html_is(n, "pre"))
		c->pre++;
	if (tr__html_is_any(n, heading_tags) && !c->in_heading) {
		c->in_heading = n;
		c->space = false;
		tr_buf_reset(&c->heading);
		return tr__extract_break(c->body, 2);
	}
	if (!c->in_heading && tr__html_is_any(n, para_tags))
		return tr__extract_break(c->body, 2);
	if (!c->in_heading && tr__html_is_any(n, line_tags))
		return tr__extract_break(c->body, 1);
	return TR_OK;
}

static tr_status
html_leave(html_ctx *c, xmlNodePtr n)
{
	if (tr__html_is(n, "pre") && c->pre > 0)
		c->pre--;
	if (n == c->in_heading) {
		tr_status st = html_heading_done(c);
		return st != TR_OK ? st : tr__extract_break(c->body, 2);
	}
	if (c->in_heading)
		return TR_OK;
	if (tr__html_is_any(n, para_tags)) {
		c->space = false;
		return tr__extract_break(c->body, 2);
	}
	if (tr__html_is_any(n, line_tags)) {
		c->space = false;
		return tr__extract_break(c->body, 1);
	}
	return TR_OK;
}

/* Writes the visible text below @root. */
static tr_status
html_walk(html_ctx *c, xmlNodePtr root)
{
	xmlNodePtr n = root->children;
	tr_status st = TR_OK;

	while (n && st == TR_OK) {
		bool descend = false;

		if (n->type == XML_ELEMENT_NODE) {
			if (!tr__html_skip(n, c->loose)) {
				st = html_enter(c, n);
				descend = n->children != NULL;
				if (!descend && st == TR_OK)
					st = html_leave(c, n);
			} else if (tr__html_left_out_text(n)) {
				/* "Mehr zum Thema" over a list that was left out heads nothing kept. */
				tr_buf_reset(&c->pending);
				c->n_pending = 0;
			}
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		           n->content) {
			st = html_text(c, (const char *)n->content);
		}
		if (st != TR_OK)
			break;
		if (descend) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			if (!n || n == root)
				return TR_OK;
			if ((st = html_leave(c, n)) != TR_OK)
				return st;
		}
		n = n != root ? n->next : NULL;
	}
	return st;
}

static bool
html_blank(const tr_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (!html_ws(b->ptr[i]))
			return false;
	return true;
}

/* Writes @n itself and what is below it. */
static tr_status
html_walk_part(html_ctx *c, xmlNodePtr n)
{
	tr_status st;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return n->content ? html_text(c, (const char *)n->content) : TR_OK;
	/* A part was chosen as a whole: only the tag rules apply to it. */
	if (n->type != XML_ELEMENT_NODE || tr__html_skip(n, true))
		return TR_OK;
	if ((st = html_enter(c, n)) == TR_OK)
		st = html_walk(c, n);
	return st == TR_OK ? html_leave(c, n) : st;
}

/*
 * Writes the main content; a page whose chosen parts give no text is
 * written whole, first without its boilerplate, then with only the tag
 * rules: a page with text never gets an empty body.
 */
static tr_status
html_write_main(html_ctx *c, xmlNodePtr *parts, size_t n_parts, xmlNodePtr body)
{
	tr_status st = TR_OK;

	for (size_t i = 0; i < n_parts && st == TR_OK; i++)
		st = html_walk_part(c, parts[i]);
	for (int pass = 0; st == TR_OK && html_blank(c->body) && pass < 2; pass++) {
		tr_buf_reset(c->headings);
		tr_buf_reset(&c->pending);
		c->n_pending = 0;
		c->loose = pass == 1;
		st = html_walk(c, body);
	}
	if (st == TR_OK && c->in_heading)
		st = html_heading_done(c);
	return st;
}

/* Metadata. */

/* Names of <meta> dates, most trusted first. */
static const char *const date_names[] = {
	"date", "dcterms.date", "dc.date", "dcterms.issued", "dc.date.issued",
	"dcterms.created", "dc.date.created", "article:published_time",
	"og:article:published_time", "pubdate", NULL
};

static const char *const author_names[] = {
	"author", "dc.creator", "dcterms.creator", NULL
};

static const char *const district_names[] = {
	"district", "kreis", "landkreis", "geo.placename", NULL
};

static const char *const keyword_names[] = { "keywords", "news_keywords", NULL };

static int
name_index(const char *name, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (tr__ascii_eq_ci(name, strlen(name), names[i]))
			return i;
	return -1;
}

/*
 * An allocated NFC copy of @s on one line, C1 characters read as
 * Windows-1252 like the text, at most HTML_META_MAX bytes; NULL if empty
 * (or out of memory: metadata is never worth failing a page for).
 */
static char *
meta_string(const char *s)
{
	tr_buf raw = TR_BUF_INIT(HTML_META_MAX * 2), b = TR_BUF_INIT(HTML_META_MAX * 4);
	size_t len = strnlen(s, HTML_META_MAX);
	tr_status st;

	/* Cut a too long value at a character boundary. */
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	st = html_emit(&raw, s, len);
	if (st == TR_ETOOBIG)
		st = TR_OK;
	if (st == TR_OK)
		st = tr_text_nfc(&b, raw.ptr ? raw.ptr : "", raw.len);
	tr_buf_free(&raw);
	if (st != TR_OK || !b.ptr) {
		tr_buf_free(&b);
		return NULL;
	}
	tr_text_squeeze(b.ptr);
	if (!b.ptr[0]) {
		tr_buf_free(&b);
		return NULL;
	}
	return tr_buf_detach(&b);
}

/* "2016-09-05T10:12:00+02:00" → "2016-09-05"; other forms stay as written. */
static char *
meta_date(const char *s)
{
	char *d = meta_string(s);
	size_t n = 0;

	if (!d)
		return NULL;
	while (n < 10 && ((n == 4 || n == 7) ? d[n] == '-' : (d[n] >= '0' && d[n] <= '9')))
		n++;
	if (n == 10 || ((n == 4 || n == 7) && (d[n] == 'T' || d[n] == ' ')))
		d[n] = '\0';
	return d;
}

static void
meta_list(char ***v, size_t *n, const char *content)
{
	char *s = meta_string(content), *p = s;

	while (p && *n < TR__FRONT_MATTER_MAX_LIST) {
		char *end = p + strcspn(p, ",;");
		char *next = *end ? end + 1 : NULL;

		*end = '\0';
		tr_text_squeeze(p);
		if (*p && tr_strv_add_unique(v, n, p) != TR_OK)
			break;
		p = next;
	}
	free(s);
}

/*
 * Reads the <meta> elements anywhere in the document.  *og_title receives
 * og:title (allocated) if present.
 */
static void
html_meta(tr_extract *out, xmlNodePtr root, char **og_title)
{
	int best_date = INT_MAX;
	xmlNodePtr n = root;

	for (; n; n = tr__html_next(root, n, false)) {
		const char *name, *content;
		int i;
		char *s;

		if (!tr__html_is(n, "meta") || !(content = tr__html_attr(n, "content")))
			continue;
		if (!(name = tr__html_attr(n, "name")) && !(name = tr__html_attr(n, "property")))
			continue;
		if ((i = name_index(name, date_names)) >= 0) {
			if (i < best_date && (s = meta_date(content))) {
				free(out->date);
				out->date = s;
				best_date = i;
			}
		} else if (name_index(name, keyword_names) >= 0) {
			meta_list(&out->tags, &out->n_tags, content);
		} else if (name_index(name, district_names) >= 0) {
			meta_list(&out->districts, &out->n_districts, content);
		} else if (tr__ascii_eq_ci(name, strlen(name), "description") ||
		           tr__ascii_eq_ci(name, strlen(name), "og:description")) {
			if (out->description.len == 0 && (s = meta_string(content))) {
				tr__extract_add(&out->description, s, strlen(s));
				free(s);
			}
		} else if (name_index(name, author_names) >= 0) {
			if (out->author.len == 0 && (s = meta_string(content))) {
				tr__extract_add(&out->author, s, strlen(s));
				free(s);
			}
		} else if (tr__ascii_eq_ci(name, strlen(name), "og:title")) {
			if (!*og_title)
				*og_title = meta_string(content);
		}
	}
}

/* The squeezed text of @n (all of it, boilerplate rules do not apply); allocated. */
static char *
html_node_text(xmlNodePtr n)
{
	xmlChar *raw = xmlNodeGetContent(n);
	char *s;

	if (!raw)
		return NULL;
	s = meta_string((const char *)raw);
	xmlFree(raw);
	return s;
}

static size_t
utf8_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Words that mark the part after a separator as the name of an authority's site. */
static const char *const site_words[] = {
	"Landratsamt", "Landkreis", "Kreis", "kreis", "Stadt", "stadt", "Gemeinde",
	"Freistaat", "Sachsen", ".de", NULL
};

/*
 * Cuts the site name off a <title>: "Elterncafé in Zittau - Landkreis
 * Görlitz" → "Elterncafé in Zittau".  Only at the last separator, only
 * when what follows is short enough to be a site name, and what precedes
 * is substantial and either longer than it or followed by an authority's
 * name; so "Schule - Beruf" and "Integration - ein Überblick über
 * Angebote" are left alone.
 */
static void
html_title_trim(char *t)
{
	static const char *const seps[] = { " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " - ", " :: ", NULL };
	char *cut = NULL;
	size_t sep_len = 0, before, after;

	for (const char *const *sep = seps; *sep; sep++) {
		for (char *p = strstr(t, *sep); p; p = strstr(p + 1, *sep)) {
			if (p > cut) {
				cut = p;
				sep_len = strlen(*sep);
			}
		}
	}
	if (!cut)
		return;
	before = utf8_chars(t, (size_t)(cut - t));
	after = utf8_chars(cut + sep_len, strlen(cut + sep_len));
	if (after > HTML_SITE_SUFFIX_MAX || before < 8)
		return;
	if (before >= after) {
		*cut = '\0';
		return;
	}
	for (const char *const *w = site_words; *w; w++) {
		if (strstr(cut + sep_len, *w)) {
			*cut = '\0';
			return;
		}
	}
}

/*
 * The publisher's articleBody (JSON-LD) replaces the body when it is much
 * longer: the markup hid the article or cut it into pieces.
 */
static tr_status
html_prefer_article_body(tr_extract *out, xmlNodePtr root)
{
	tr_buf article = TR_BUF_INIT(out->body.max);
	tr_status st = tr__html_article_body(&article, root);

	if (st == TR_ETOOBIG)
		st = TR_OK;
	if (st == TR_OK && article.len > out->body.len * 3) {
		tr_buf_reset(&out->body);
		st = tr__extract_add(&out->body, article.ptr, article.len);
	}
	tr_buf_free(&article);
	return st;
}

static tr_status
html_set_title(tr_extract *out, char *t)
{
	tr_status st = tr__extract_add(&out->title, t, strlen(t));

	return st == TR_ETOOBIG ? TR_OK : st;
}

tr_status
tr__extract_html(tr_extract *out, const tr_input *in, char **why)
{
	htmlDocPtr doc = NULL;
	xmlNodePtr root, body = NULL, n, *parts;
	size_t n_parts;
	html_main *m = NULL;
	html_ctx c = { 0 };
	char *og_title = NULL, *title = NULL;
	tr_status st = TR_OK;

	tr_buf_init(&c.heading, out->headings.max);
	tr_buf_init(&c.pending, out->headings.max);
	if (in->len == 0)
		goto finish;
	if (in->len > INT_MAX) {
		st = TR_ETOOBIG;
		goto done;
	}
	doc = tr__html_read(in);
	if (!doc) {
		st = TR_EFORMAT;
		if (why)
			*why = strdup("ungültiges HTML");
		goto done;
	}
	if (!(root = xmlDocGetRootElement(doc)))
		goto finish;
	html_meta(out, root, &og_title);
	body = html_find(root, "body", false);
	if (!body)
		body = root;
	if (!(m = tr__html_main_find(body))) {
		st = TR_ENOMEM;
		goto done;
	}
	parts = tr__html_main_parts(m, &n_parts);

	if (og_title) {
		title = og_title;
		og_title = NULL;
		html_title_trim(title);
	} else if ((n = html_find(parts[0], "h1", true)) && (title = html_node_text(n))) {
		;
	} else if ((n = html_find(body, "h1", true)) && (title = html_node_text(n))) {
		;
	} else if ((n = html_find(root, "title", false)) && (title = html_node_text(n))) {
		html_title_trim(title);
	}
	if (title && (st = html_set_title(out, title)) != TR_OK)
		goto done;

	/* Inside the main content the article's own date, if the head had none. */
	if (!out->date && (n = html_find(parts[0], "time", true))) {
		const char *dt = tr__html_attr(n, "datetime");
		out->date = dt ? meta_date(dt) : NULL;
	}

	c.body = &out->body;
	c.headings = &out->headings;
	c.title = out->title.ptr;
	st = html_write_main(&c, parts, n_parts, body);
	if (st == TR_OK)
		st = html_prefer_article_body(out, root);
	if (st == TR_ETOOBIG)
		st = TR_OK;
	if (st != TR_OK)
		goto done;
finish:
	st = tr__extract_finish(out);
done:
	free(og_title);
	free(title);
	tr_buf_free(&c.heading);
	tr_buf_free(&c.pending);
	tr__html_main_free(m, body);
	xmlFreeDoc(doc);
	return st;
}

tr_status
tr__html_fragment_text(tr_buf *out, const char *html, size_t len)
{
	htmlDocPtr doc;
	xmlNodePtr root;
	html_ctx c = { 0 };
	tr_status st = TR_OK;

	if (len == 0)
		return TR_OK;
	if (len > INT_MAX)
		return TR_ETOOBIG;
	/* Fragments come from text that is already UTF-8. */
	doc = tr__html_parse(html, len, "UTF-8");
	if (!doc || !(root = xmlDocGetRootElement(doc)))
		goto done;
	tr_buf_init(&c.heading, out->max);
	c.body = out;
	st = html_walk(&c, root);
	if (st == TR_OK && c.in_heading)
		st = html_heading_done(&c);
	if (st == TR_OK)
		st = tr__extract_break(out, 2);
	tr_buf_free(&c.heading);
done:
	xmlFreeDoc(doc);
	return st;
}
