/*
 * Markdown through libcmark: YAML front matter first, then the document's
 * AST walked with cmark's iterator.  Headings go to the headings field (the
 * first one becomes the title unless the front matter has one); every
 * other block goes to the body on lines of its own, soft line breaks
 * included, because the author's line structure ("Borna, 23.11.2018" on a
 * line of its own) is what the metadata finders read.
 */
#include "extract.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cmark.h>

#include "text.h"

typedef struct md_ctx {
	tr_extract *out;
	tr_buf heading;        /* the heading being read */
	bool in_heading;
	bool title_open;       /* the title is a bare label a subtitle may complete */
	int in_image;          /* image descriptions are alt text, not prose */
	size_t para_start;     /* where the current paragraph began in the body */
	const char *src;       /* the Markdown cmark parses, for list numbers */
	size_t src_len;
	int line;              /* a line of src (1-based) and where it starts: */
	size_t line_off;       /* items come in order, so this only moves on */
	char number[16];       /* an ordered item's "10. ", put before its first paragraph */
	size_t number_len;
} md_ctx;

/* The offset of line @line (1-based) in the source, moving c->line forward only. */
static size_t
md_line_offset(md_ctx *c, int line)
{
	while (c->line < line && c->line_off < c->src_len) {
		const char *nl = memchr(c->src + c->line_off, '\n', c->src_len - c->line_off);

		c->line_off = nl ? (size_t)(nl - c->src) + 1 : c->src_len;
		c->line++;
	}
	return c->line_off;
}

/*
 * The number of an ordered list item is part of the text: "10. Dezember
 * 2015" and "3. Netzwerktreffen" are lines that cmark reads as lists.  The
 * number is taken as written at the item's position in the source (cmark
 * renumbers "1. 1. 1."); failing that, the list's start plus the item's
 * place in it.  Kept in c->number until the item's first paragraph opens.
 */
static void
md_item_number(md_ctx *c, cmark_node *item)
{
	cmark_node *list = cmark_node_parent(item);
	char *num = c->number;
	int len = 0;

	c->number_len = 0;
	if (!list || cmark_node_get_list_type(list) != CMARK_ORDERED_LIST)
		return;
	if (c->src && cmark_node_get_start_line(item) >= c->line) {
		size_t p = md_line_offset(c, cmark_node_get_start_line(item));
		size_t e = p, col = (size_t)cmark_node_get_start_column(item);

		while (e < c->src_len && c->src[e] != '\n')
			e++;
		p = col >= 1 && p + col - 1 < e ? p + col - 1 : e;
		while (p < e && (c->src[p] == ' ' || c->src[p] == '>'))
			p++;
		while (p + len < e && len < 9 && c->src[p + len] >= '0' && c->src[p + len] <= '9')
			len++;
		if (len > 0 && p + len < e && (c->src[p + len] == '.' || c->src[p + len] == ')')) {
			memcpy(num, c->src + p, (size_t)len + 1);
			len++;
		} else {
			len = 0;
		}
	}
	if (len == 0) {
		int i = cmark_node_get_list_start(list);

		for (cmark_node *n = cmark_node_previous(item); n; n = cmark_node_previous(n))
			i++;
		len = snprintf(num, sizeof c->number - 1, "%d%c", i,
		               cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.');
		if (len < 0 || (size_t)len >= sizeof c->number - 1)
			return;
	}
	num[len++] = ' ';
	c->number_len = (size_t)len;
}

/* True if @n is a paragraph in an item of a tight list (no blank lines). */
static bool
md_tight(cmark_node *n)
{
	cmark_node *item = cmark_node_parent(n);
	cmark_node *list = item ? cmark_node_parent(item) : NULL;

	return item && list && cmark_node_get_type(item) == CMARK_NODE_ITEM &&
	       cmark_node_get_list_tight(list);
}

/*
 * Plain cmark has no tables, so a pipe table arrives as paragraph lines
 * "| Ort | Rathaus Dresden |".  Rewrites the lines of the body from @from
 * on, in place: separator rows ("|---|:--|") are no text and go, the outer
 * pipes go, and inner cell borders become tabs, so that a row reads
 * "Ort<TAB>Rathaus Dresden" like a table copied from a word processor.
 */
static void
md_table_lines(tr_buf *b, size_t from)
{
	size_t r = from, w = from;

	if (!b->ptr)
		return;
	while (r < b->len) {
		char *nl = memchr(b->ptr + r, '\n', b->len - r);
		size_t end = nl ? (size_t)(nl - b->ptr) : b->len;
		size_t start = r, s = r, e = end, row = w;
		bool pipe = false, only_rule = true;

		for (size_t i = s; i < e; i++) {
			pipe |= b->ptr[i] == '|';
			only_rule &= strchr("|-: \t", b->ptr[i]) != NULL;
		}
		r = nl ? end + 1 : end;
		if (pipe && only_rule)
			continue;
		while (s < e && (b->ptr[s] == ' ' || b->ptr[s] == '\t'))
			s++;
		while (e > s && (b->ptr[e - 1] == ' ' || b->ptr[e - 1] == '\t'))
			e--;
		if (e - s >= 2 && b->ptr[s] == '|' && b->ptr[e - 1] == '|') {
			for (size_t i = s + 1; i < e - 1; i++) {
				if (b->ptr[i] != '|') {
					if (w > row || b->ptr[i] != ' ')
						b->ptr[w++] = b->ptr[i];
					continue;
				}
				/* A cell border, with the blanks around it. */
				while (w > row && b->ptr[w - 1] == ' ')
					w--;
				b->ptr[w++] = '\t';
				while (i + 2 < e && b->ptr[i + 1] == ' ')
					i++;
			}
			while (w > row && (b->ptr[w - 1] == ' ' || b->ptr[w - 1] == '\t'))
				w--;
		} else {
			/* Not a table row: the line as it was, indentation included. */
			memmove(b->ptr + w, b->ptr + start, e - start);
			w += e - start;
		}
		if (nl)
			b->ptr[w++] = '\n';
	}
	b->len = w;
	b->ptr[w] = '\0';
}

/* Appends literal text to the heading being read or to the body. */
static tr_status
md_text(md_ctx *c, const char *s)
{
	if (!s || c->in_image)
		return TR_OK;
	if (c->in_heading) {
		tr_status st = tr__extract_add(&c->heading, s, strlen(s));
		return st == TR_ETOOBIG ? TR_OK : st;
	}
	return tr__extract_add(&c->out->body, s, strlen(s));
}

/* A heading is complete: the title if it is the first and none is known, else a heading. */
static tr_status
md_heading_done(md_ctx *c)
{
	tr_extract *out = c->out;
	tr_status st = TR_OK;

	c->in_heading = false;
	if (!c->heading.ptr)
		return TR_OK;
	tr_text_squeeze(c->heading.ptr);
	c->heading.len = strlen(c->heading.ptr);
	if (c->heading.len == 0)
		goto done;
	if (out->title.len == 0) {
		st = tr__extract_add(&out->title, c->heading.ptr, c->heading.len);
		/* "# Protokoll" says what the document is, the heading under it which. */
		c->title_open = !memchr(c->heading.ptr, ' ', c->heading.len);
		goto done;
	}
	if (c->title_open) {
		c->title_open = false;
		if ((st = tr__extract_add(&out->title, " ", 1)) == TR_OK)
			st = tr__extract_add(&out->title, c->heading.ptr, c->heading.len);
	} else if (strcmp(out->title.ptr, c->heading.ptr) != 0) {
		st = tr__extract_add(&out->headings, c->heading.ptr, c->heading.len);
		if (st == TR_OK)
			st = tr__extract_break(&out->headings, 1);
	}
	/* A full title or headings field costs those, not the body. */
	if (st == TR_ETOOBIG)
		st = TR_OK;
done:
	tr_buf_reset(&c->heading);
	return st;
}

/* True for the comment markitdown writes before each slide of a presentation. */
static bool
md_is_slide_marker(const char *html)
{
	return html && strncmp(html, "<!-- Slide number:", 18) == 0;
}

static tr_status
md_enter(md_ctx *c, cmark_node *n)
{
	tr_buf *body = &c->out->body;
	tr_status st;

	/* Only a heading right after a label title completes it. */
	if (cmark_node_get_type(n) != CMARK_NODE_HEADING &&
	    cmark_node_get_type(n) < CMARK_NODE_FIRST_INLINE)
		c->title_open = false;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		c->in_heading = true;
		tr_buf_reset(&c->heading);
		return tr__extract_break(body, 2);
	case CMARK_NODE_PARAGRAPH:
		if ((st = tr__extract_break(body, 1)) != TR_OK)
			return st;
		c->para_start = body->len;
		if (c->number_len) {
			st = tr__extract_add(body, c->number, c->number_len);
			c->number_len = 0;
		}
		return st;
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
		return tr__extract_break(body, 1);
	case CMARK_NODE_ITEM:
		md_item_number(c, n);
		return tr__extract_break(body, 1);
	case CMARK_NODE_CODE_BLOCK:
		if ((st = tr__extract_break(body, 1)) != TR_OK ||
		    (st = md_text(c, cmark_node_get_literal(n))) != TR_OK)
			return st;
		return tr__extract_break(body, 2);
	case CMARK_NODE_HTML_BLOCK:
		/*
		 * Presentations converted to Markdown mark each slide with a
		 * comment; a form feed keeps the slides apart as pages are, after
		 * the last line of the slide as pdftotext puts it.
		 */
		if (md_is_slide_marker(cmark_node_get_literal(n))) {
			if (body->len == 0)
				return TR_OK;
			while (body->len && body->ptr[body->len - 1] == '\n')
				body->ptr[--body->len] = '\0';
			return tr__extract_add(body, "\n\f", 2);
		}
		if ((st = tr__extract_break(body, 1)) != TR_OK)
			return st;
		{
			const char *html = cmark_node_get_literal(n);
			return html ? tr__html_fragment_text(body, html, strlen(html)) : TR_OK;
		}
	case CMARK_NODE_THEMATIC_BREAK:
		return tr__extract_break(body, 2);
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		return md_text(c, cmark_node_get_literal(n));
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		/* Line structure is kept in the body; a heading is one line. */
		return md_text(c, c->in_heading ? " " : "\n");
	case CMARK_NODE_IMAGE:
		c->in_image++;
		return TR_OK;
	case CMARK_NODE_HTML_INLINE:
		/* Tags only; the text between them is in TEXT nodes. */
		return TR_OK;
	default:
		return TR_OK;
	}
}

static tr_status
md_exit(md_ctx *c, cmark_node *n)
{
	tr_buf *body = &c->out->body;
	tr_status st;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		if ((st = md_heading_done(c)) != TR_OK)
			return st;
		return tr__extract_break(body, 2);
	case CMARK_NODE_PARAGRAPH:
		if (c->para_start <= body->len)
			md_table_lines(body, c->para_start);
		return tr__extract_break(body, md_tight(n) ? 1 : 2);
	case CMARK_NODE_ITEM:
		c->number_len = 0;
		return tr__extract_break(body, 1);
	case CMARK_NODE_LIST:
	case CMARK_NODE_BLOCK_QUOTE:
		return tr__extract_break(body, 2);
	case CMARK_NODE_IMAGE:
		if (c->in_image > 0)
			c->in_image--;
		return TR_OK;
	default:
		return TR_OK;
	}
}

tr_status
tr__extract_markdown(tr_extract *out, const tr_input *in, char **why)
{
	tr_buf text = TR_BUF_INIT(out->body.max);
	md_ctx c = { .out = out };
	cmark_node *doc = NULL;
	cmark_iter *it = NULL;
	cmark_event_type ev;
	size_t fm;
	tr_status st;

	tr_buf_init(&c.heading, out->headings.max);
	if ((st = tr__extract_decode(&text, in->data, in->len, in->charset)) != TR_OK)
		goto done;
	if (!text.ptr)
		goto finish;
	fm = tr__front_matter(out, text.ptr, text.len);
	/*
	 * CMARK_OPT_DEFAULT: raw HTML is kept in the AST as HTML nodes, which
	 * we read as text or drop; nothing is ever rendered.
	 */
	c.src = text.ptr + fm;
	c.src_len = text.len - fm;
	c.line = 1;
	doc = cmark_parse_document(c.src, c.src_len, CMARK_OPT_DEFAULT);
	if (!doc || !(it = cmark_iter_new(doc))) {
		st = TR_ENOMEM;
		goto done;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		st = ev == CMARK_EVENT_ENTER ? md_enter(&c, n) : md_exit(&c, n);
		if (st != TR_OK)
			break;
	}
	/* A full body is a truncated document, not a failed one. */
	if (st == TR_ETOOBIG)
		st = TR_OK;
	if (st != TR_OK)
		goto done;
finish:
	st = tr__extract_finish(out);
done:
	/* Neither accepts NULL. */
	if (it)
		cmark_iter_free(it);
	if (doc)
		cmark_node_free(doc);
	tr_buf_free(&c.heading);
	tr_buf_free(&text);
	return st;
}
