/*
 * The main content of a web page.  The method follows what the field
 * publishes (Readability's paragraph scores carried up to their
 * containers, boilerpipe's and jusText's link density, trafilatura's
 * pruning by structure): boilerplate is recognised by tag, ARIA role and
 * class or id names taken as whole words, never when the element holds the
 * page's heading or article; each paragraph lends its score to its
 * ancestors; the best-scored container wins, with the siblings that
 * continue it and, when it is most of it, the <article> or <main> around
 * it.  Inside the chosen part, blocks that are mostly links are left out.
 */
#include "html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Per-element facts, kept in xmlNode._private while a document is analysed. */
typedef struct html_info {
	xmlNodePtr node;
	size_t raw;      /* non-blank text bytes below, boilerplate included */
	size_t kept;     /* non-blank text bytes outside links and boilerplate */
	size_t link;     /* non-blank text bytes inside links, outside boilerplate */
	size_t own;      /* text directly in this block, not in a nested block */
	unsigned commas;
	double score;    /* sum of the paragraph scores lent to it */
	size_t prose;    /* text bytes below in paragraphs that are not mostly links */
	bool heart;      /* is or holds <main>, <article>, role=main, articleBody */
	bool h1;         /* is or holds the page's first <h1> (themes title widgets with <h1> too) */
	bool boiler;     /* left out as boilerplate */
	bool soft;       /* looks like boilerplate but holds most of the page */
	bool best;       /* is or holds the best-scored container */
	unsigned articles; /* <article> elements at or below */
} html_info;

struct html_main {
	html_info *info;
	size_t n_info;
	xmlNodePtr *parts;
	size_t n_parts;
	xmlNodePtr first;   /* the best-scored container before Readability's corrections */
};

/* A paragraph shorter than this lends nothing (Readability's 25). */
#define HTML_PARA_MIN 25
/* A block shorter than this (bytes of text) is left out when a third of it is link text. */
#define HTML_SHORT_BLOCK 200

bool
tr__ascii_eq_ci(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n && b[i]; i++) {
		char x = a[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != b[i])
			return false;
	}
	return i == n && b[i] == '\0';
}

bool
tr__html_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	       xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

bool
tr__html_is_any(xmlNodePtr n, const char *const *names)
{
	for (; *names; names++)
		if (tr__html_is(n, *names))
			return true;
	return false;
}

const char *
tr__html_attr(xmlNodePtr n, const char *name)
{
	if (n->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		if (xmlStrcasecmp(a->name, (const xmlChar *)name) != 0)
			continue;
		if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

xmlNodePtr
tr__html_next(xmlNodePtr root, xmlNodePtr n, bool skip_children)
{
	if (!skip_children && n->children)
		return n->children;
	while (n && n != root && !n->next)
		n = n->parent;
	return n && n != root ? n->next : NULL;
}

static bool
attr_is(xmlNodePtr n, const char *name, const char *value)
{
	const char *v = tr__html_attr(n, name);

	return v && tr__ascii_eq_ci(v, strlen(v), value);
}

static html_info *
info(xmlNodePtr n)
{
	return n && n->type == XML_ELEMENT_NODE ? n->_private : NULL;
}

/* Words in class and id names. */

/* Parts of a class name that name a region that is not the document. */
static const char *const drop_parts[] = {
	"nav", "navi", "navbar", "navigation", "menu", "menue", "breadcrumb", "breadcrumbs",
	"cookie", "cookies", "consent", "gdpr", "footer", "sidebar", "skip", "social",
	"share", "sharing", "shariff", "banner", "comment", "comments", "kommentare",
	"related", "advert", "advertisement", "ads", "newsletter",
	"pagination", "pager", "popup", "modal", "subnav", "toolbar", "tags", "tagcloud",
	"byline", "promo", "sponsor", "login", "search", "suche", "rating", "privacy",
	"dsgvo", "datenschutz", "credit", "credits", "ratings", "copyright", "caption", "forum", "respond",
	"reply", "replies", "disqus", "author", "autor", "bio", "biography", "subscribe",
	"subscription", "signup", "teasers", NULL
};

/* Parts of a class name that describe a layout around the document, not a region. */
static const char *const layout_parts[] = {
	"wrap", "wrapper", "layout", "has", "no", "with", "without", "position", "postition", NULL
};

/* Parts that speak for or against a container as the document (for its score). */
static const char *const good_parts[] = {
	"article", "artikel", "body", "content", "entry", "hentry", "main", "post",
	"text", "blog", "story", "inhalt", "beitrag", "news", "page", NULL
};
static const char *const bad_parts[] = {
	"comment", "comments", "footer", "sidebar", "widget", "related", "share", "social",
	"meta", "tags", "sponsor", "promo", "ad", "ads", "banner", "nav", "menu", "teaser",
	"hidden", "masthead", "header", "aside", "navigation", "breadcrumb", NULL
};

static bool
word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (tr__ascii_eq_ci(w, n, *list))
			return true;
	return false;
}

/* Which of @a and @b (either may be NULL) the '-'/'_' parts of the name @s[0..n) contain. */
static void
name_parts(const char *s, size_t n, const char *const *a, bool *in_a,
           const char *const *b, bool *in_b)
{
	size_t i = 0;

	*in_a = *in_b = false;
	while (i < n) {
		size_t len = 0;

		while (i < n && (s[i] == '-' || s[i] == '_'))
			i++;
		while (i + len < n && s[i + len] != '-' && s[i + len] != '_')
			len++;
		if (len && a && word_in(s + i, len, a))
			*in_a = true;
		if (len && b && word_in(s + i, len, b))
			*in_b = true;
		i += len;
	}
}

/*
 * Calls @fn for each white-space separated name in @v; stops at the first
 * that returns true.
 */
static bool
each_name(const char *v, bool (*fn)(const char *s, size_t n, void *ctx), void *ctx)
{
	while (v && *v) {
		size_t n;

		v += strspn(v, " \t\n\r\f");
		n = strcspn(v, " \t\n\r\f");
		if (n && fn(v, n, ctx))
			return true;
		v += n;
	}
	return false;
}

/* A BEM modifier ("TestReport__Section--Ads") says how the block looks, not what it is. */
static size_t
bem_block(const char *s, size_t n)
{
	for (size_t i = 1; i + 2 < n; i++)
		if (s[i] == '-' && s[i + 1] == '-')
			return i;
	return n;
}

static bool
name_is_boilerplate(const char *s, size_t n, void *ctx)
{
	bool drop, layout;

	(void)ctx;
	name_parts(s, bem_block(s, n), drop_parts, &drop, layout_parts, &layout);
	return drop && !layout;
}

/* ctx: bit 1 set for a content-like name, bit 2 for a boilerplate-like one. */
static bool
name_weigh(const char *s, size_t n, void *ctx)
{
	unsigned *w = ctx;
	bool good, bad, drop, layout;

	n = bem_block(s, n);
	name_parts(s, n, good_parts, &good, bad_parts, &bad);
	name_parts(s, n, drop_parts, &drop, layout_parts, &layout);
	if (good)
		*w |= 1;
	else if (bad && !layout)
		*w |= 2;
	return false;
}

/*
 * Readability's class weight, per attribute: +25 when a class (or the id)
 * names content, else -25 when one names boilerplate.
 */
static int
class_weight(xmlNodePtr n)
{
	unsigned wc = 0, wi = 0;

	each_name(tr__html_attr(n, "class"), name_weigh, &wc);
	each_name(tr__html_attr(n, "id"), name_weigh, &wi);
	return (wc & 1 ? 25 : wc & 2 ? -25 : 0) + (wi & 1 ? 25 : wi & 2 ? -25 : 0);
}

/* Boilerplate. */

/*
 * Elements that never hold the document's text; <rt> and <rp> are the
 * reading set over ruby text (Japanese furigana), not part of it.
 */
static const char *const drop_tags[] = {
	"head", "script", "style", "template", "iframe", "frame", "frameset",
	"svg", "math", "embed", "param", "canvas", "audio", "video", "map", "button",
	"select", "textarea", "input", "dialog", "link", "meta", "figcaption", "rt", "rp", NULL
};

/* Elements that hold something beside the document, unless they hold it. */
static const char *const aside_tags[] = { "nav", "footer", "aside", "menu", "noscript", NULL };

/* ARIA landmarks that are never the document itself. */
static const char *const drop_roles[] = {
	"navigation", "banner", "contentinfo", "complementary", "search",
	"dialog", "alertdialog", "menu", "menubar", NULL
};

static bool
html_is_heart(xmlNodePtr n)
{
	return tr__html_is(n, "main") || tr__html_is(n, "article") || attr_is(n, "role", "main") ||
	       attr_is(n, "itemprop", "articleBody");
}

static bool
html_inside(xmlNodePtr n, bool (*pred)(xmlNodePtr))
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (pred(n))
			return true;
	return false;
}

static bool
style_hides(xmlNodePtr n)
{
	const char *s = tr__html_attr(n, "style");
	char buf[128];
	size_t j = 0;

	if (!s)
		return false;
	for (; *s && j + 1 < sizeof buf; s++)
		if (*s != ' ' && *s != '\t')
			buf[j++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
	buf[j] = '\0';
	return strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
}

/* Hidden from the reader: never shown, whatever it holds. */
static bool
html_hidden(xmlNodePtr n)
{
	return tr__html_attr(n, "hidden") || style_hides(n) || attr_is(n, "aria-hidden", "true");
}

/* Whether @n would be boilerplate were it not the page's heart. */
static bool
html_looks_aside(xmlNodePtr n)
{
	const char *v;

	if (tr__html_is_any(n, aside_tags) || html_hidden(n))
		return true;
	/* A page header holds logo and menus, an article's its headline and lead. */
	if ((tr__html_is(n, "header") || tr__html_is(n, "form")) && !html_inside(n, html_is_heart))
		return true;
	if ((v = tr__html_attr(n, "role"))) {
		for (const char *const *r = drop_roles; *r; r++)
			if (tr__ascii_eq_ci(v, strlen(v), *r))
				return true;
	}
	return each_name(tr__html_attr(n, "class"), name_is_boilerplate, NULL) ||
	       each_name(tr__html_attr(n, "id"), name_is_boilerplate, NULL);
}

/* The text of the <article> or <main> around @n; SIZE_MAX outside one. */
static size_t
heart_raw(xmlNodePtr n)
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (html_is_heart(n))
			return info(n) ? info(n)->raw : SIZE_MAX;
	return SIZE_MAX;
}

/*
 * Boilerplate with what the analysis knows: an element that holds the
 * page's article or main heading, or more than half its text, is never
 * boilerplate, whatever its name (layouts wrap everything in "has-sidebar"
 * and ASP.NET pages in one <form>), nor one that holds most of the text
 * of the <article> or <main> around it ("article-content sticky-sidebar").  A hidden element is, even when it
 * holds an <article> (the teasers of a slider not yet shown), and so is
 * one that holds two or more <article>s under a boilerplate name (the
 * cards of "related" articles, a list of comments).
 */
static bool
html_is_boilerplate(xmlNodePtr n, size_t page_raw)
{
	html_info *i = info(n);

	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (tr__html_is_any(n, drop_tags))
		return true;
	if (html_is_heart(n) || tr__html_is(n, "body") || !html_looks_aside(n))
		return false;
	if (!i)
		return true;
	if (!html_hidden(n) && ((i->heart && i->articles < 2) || (i->h1 && !tr__html_is(n, "header"))))
		return false;
	/* Decided once the main content is known: boilerplate unless it holds it. */
	if (i->raw * 2 > page_raw || i->raw * 2 > heart_raw(n)) {
		i->soft = true;
		return false;
	}
	return true;
}

/* Blocks left out inside the main content when they are mostly links. */
static const char *const dense_tags[] = {
	"div", "section", "article", "ul", "ol", "dl", "li", "table", "tbody", "tr", "td", "p",
	"header", "footer", "h2", "h3", "h4", "h5", "h6", "span", NULL
};

static const char *const sub_heading_tags[] = { "h2", "h3", "h4", "h5", "h6", NULL };

static bool
is_link(xmlNodePtr n)
{
	return tr__html_is(n, "a");
}

bool
tr__html_skip(xmlNodePtr n, bool loose)
{
	html_info *i = info(n);

	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (!i)
		return loose ? tr__html_is_any(n, drop_tags) : html_is_boilerplate(n, 0);
	if (loose)
		return tr__html_is_any(n, drop_tags);
	if (i->boiler)
		return true;
	/* A heading inside a link is a teaser's headline: it names another page. */
	if (tr__html_is_any(n, sub_heading_tags) && html_inside(n, is_link))
		return true;
	/*
	 * Lists of links, teasers, tag clouds: more link text than text; a
	 * short block already when a third of it is links (jusText).  A block
	 * that holds the best-scored paragraphs is judged by its parts: the
	 * article's own wrapper is often mostly links around it.
	 */
	if (!tr__html_is_any(n, dense_tags) || i->best)
		return false;
	return i->link > i->kept || (i->kept + i->link < HTML_SHORT_BLOCK && i->link * 2 > i->kept);
}

void
tr__html_leave_out(xmlNodePtr n)
{
	html_info *i = info(n);

	if (i)
		i->boiler = true;
}

bool
tr__html_left_out_text(xmlNodePtr n)
{
	html_info *i = info(n);

	return i && i->raw >= HTML_PARA_MIN;
}

/* Analysis. */

/* A walk with a call on the way down and, for elements, one on the way up. */
typedef struct html_visit {
	bool (*enter)(xmlNodePtr n, void *ctx);  /* false: do not descend */
	void (*leave)(xmlNodePtr n, void *ctx);
	void *ctx;
} html_visit;

static void
html_visit_tree(xmlNodePtr root, const html_visit *v)
{
	xmlNodePtr n = root->children;

	while (n) {
		if (v->enter(n, v->ctx) && n->children) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (n->type == XML_ELEMENT_NODE)
				v->leave(n, v->ctx);
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (!n || n == root)
				return;
		}
	}
}

static size_t
text_size(const xmlChar *p, unsigned *commas)
{
	size_t size = 0;

	for (; p && *p; p++) {
		size += *p > ' ';
		*commas += *p == ',';
	}
	return size;
}

static bool
raw_enter(xmlNodePtr n, void *ctx)
{
	html_info *p = info(n->parent);
	unsigned commas = 0;

	(void)ctx;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (p)
			p->raw += text_size(n->content, &commas);
		return false;
	}
	return n->type == XML_ELEMENT_NODE && !tr__html_is_any(n, drop_tags);
}

static void
raw_leave(xmlNodePtr n, void *ctx)
{
	html_info *i = info(n), *p = info(n->parent);
	xmlNodePtr *first_h1 = ctx;

	i->heart |= html_is_heart(n);
	i->h1 |= n == *first_h1;
	i->articles += tr__html_is(n, "article");
	if (p) {
		p->articles += i->articles;
		p->raw += i->raw;
		p->heart |= i->heart;
		p->h1 |= i->h1;
	}
}

/* Blocks whose own text is a paragraph. */
static const char *const block_tags[] = {
	"p", "div", "td", "th", "li", "dd", "dt", "pre", "blockquote", "section", "article",
	"main", "body", "header", "footer", "form", "figure", "figcaption", "address",
	"center", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", NULL
};

static const char *const heading_tags[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };

static bool
kept_enter(xmlNodePtr n, void *ctx)
{
	html_info *p = info(n->parent), *i;
	const size_t *page_raw = ctx;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		unsigned commas = 0;
		size_t size = text_size(n->content, &commas);
		xmlNodePtr b = n->parent;

		if (p)
			p->kept += size;
		while (b && info(b) && !tr__html_is_any(b, block_tags))
			b = b->parent;
		if ((i = info(b))) {
			i->own += size;
			i->commas += commas;
		}
		return false;
	}
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (html_is_boilerplate(n, *page_raw)) {
		info(n)->boiler = true;
		return false;
	}
	return true;
}

/* Readability: a paragraph lends its score to five generations of ancestors. */
static void
lend_score(xmlNodePtr n, const html_info *i)
{
	double s = 1 + i->commas + (i->own >= 300 ? 3 : (double)(i->own / 100));
	int level = 0;

	for (xmlNodePtr a = n->parent; level < 5 && info(a); a = a->parent, level++)
		info(a)->score += s / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
}

static void
kept_leave(xmlNodePtr n, void *ctx)
{
	html_info *i = info(n), *p = info(n->parent);

	(void)ctx;
	if (i->boiler)
		return;
	if (tr__html_is(n, "a")) {
		i->link += i->kept;
		i->kept = 0;
	}
	if (i->own >= HTML_PARA_MIN && !tr__html_is_any(n, heading_tags)) {
		lend_score(n, i);
		if (i->link * 2 < i->kept + i->link)
			i->prose += i->own;
	}
	if (p) {
		p->kept += i->kept;
		p->link += i->link;
		p->prose += i->prose;
	}
}

/* Choice of the main content. */

static double
link_density(const html_info *i)
{
	return i->kept + i->link ? (double)i->link / (double)(i->kept + i->link) : 0;
}

/* Readability's container score, with a bonus for the semantic elements. */
static double
final_score(xmlNodePtr n)
{
	static const char *const plus5[] = { "div", NULL };
	static const char *const plus3[] = { "pre", "td", "blockquote", NULL };
	static const char *const minus3[] = { "address", "ol", "ul", "dl", "dd", "dt", "li", "form", NULL };
	html_info *i = info(n);
	double s = i->score + class_weight(n);

	if (tr__html_is_any(n, plus5))
		s += 5;
	else if (tr__html_is_any(n, plus3))
		s += 3;
	else if (tr__html_is_any(n, minus3))
		s -= 3;
	if (html_is_heart(n))
		s += 10;
	return s * (1 - link_density(i));
}

#define HTML_TOP_N 5

/* The best-scored containers, best first, into @top (HTML_TOP_N entries, NULL-padded). */
static void
best_containers(html_main *m, xmlNodePtr *top, double *score)
{
	for (int k = 0; k < HTML_TOP_N; k++) {
		top[k] = NULL;
		score[k] = 0;
	}
	for (size_t k = 0; k < m->n_info; k++) {
		html_info *i = &m->info[k];
		double s;
		int at;

		if (i->score <= 0 || i->boiler || tr__html_is(i->node, "body"))
			continue;
		s = final_score(i->node);
		for (at = HTML_TOP_N; at > 0 && s > score[at - 1]; at--)
			;
		if (at == HTML_TOP_N)
			continue;
		memmove(top + at + 1, top + at, (HTML_TOP_N - 1 - at) * sizeof *top);
		memmove(score + at + 1, score + at, (HTML_TOP_N - 1 - at) * sizeof *score);
		top[at] = i->node;
		score[at] = s;
	}
}

static bool
is_below(xmlNodePtr n, xmlNodePtr a)
{
	for (; n; n = n->parent)
		if (n == a)
			return true;
	return false;
}

/* True if @n is the only element below its parent. */
static bool
only_child(xmlNodePtr n)
{
	for (xmlNodePtr s = n->parent->children; s; s = s->next)
		if (s != n && s->type == XML_ELEMENT_NODE)
			return false;
	return true;
}

/*
 * Readability's corrections of the best container: when three of the
 * runners-up score nearly as well and share an ancestor with it (sections
 * of one article), that ancestor; then up while the parent scores higher.
 */
static xmlNodePtr
best_container(html_main *m, double *best)
{
	xmlNodePtr top[HTML_TOP_N], t;
	double score[HTML_TOP_N], last;

	best_containers(m, top, score);
	if (!(t = m->first = top[0]))
		return NULL;
	*best = score[0];
	for (xmlNodePtr a = t->parent; info(a) && !tr__html_is(a, "body"); a = a->parent) {
		int shared = 0;

		for (int k = 1; k < HTML_TOP_N && top[k]; k++)
			shared += score[k] >= 0.75 * score[0] && is_below(top[k], a);
		if (shared >= 2) {
			t = a;
			break;
		}
	}
	last = info(t)->score;
	for (xmlNodePtr a = t->parent; info(a) && !tr__html_is(a, "body"); a = a->parent) {
		if (info(a)->score < last / 3)
			break;
		if (info(a)->score > last) {
			t = a;
			break;
		}
		last = info(a)->score;
	}
	/* Readability: an only child stands for its parent, whose siblings continue it. */
	while (info(t->parent) && !tr__html_is(t->parent, "body") && only_child(t))
		t = t->parent;
	if (t != top[0])
		*best = final_score(t);
	return t;
}

static bool
same_class(xmlNodePtr a, xmlNodePtr b)
{
	const char *x = tr__html_attr(a, "class"), *y = tr__html_attr(b, "class");

	return x && y && *x && strcmp(x, y) == 0;
}

/* Siblings that continue the top container when they read like prose. */
static const char *const prose_tags[] = { "p", "div", "section", "blockquote", "ul", "ol", NULL };

/* Readability: a short paragraph is prose when it has a full stop (". " or at its end). */
static bool
has_sentence_end(xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	size_t len;
	bool yes;

	if (!t)
		return false;
	len = strlen((const char *)t);
	while (len > 0 && t[len - 1] <= ' ')
		len--;
	yes = (len > 0 && t[len - 1] == '.') || strstr((const char *)t, ". ");
	xmlFree(t);
	return yes;
}

/* Readability: a sibling continues the top container if it scores well or is prose. */
static bool
continues(xmlNodePtr s, xmlNodePtr top, double best)
{
	html_info *i = info(s);
	double threshold = best * 0.2 > 10 ? best * 0.2 : 10, score;

	if (!i || i->boiler || i->kept == 0)
		return false;
	score = i->score > 0 ? final_score(s) : 0;
	if (same_class(s, top))
		score += best * 0.2;
	if (score >= threshold)
		return true;
	if (!tr__html_is_any(s, prose_tags))
		return false;
	if (i->kept + i->link >= 80)
		return link_density(i) < 0.25;
	return tr__html_is(s, "p") && i->link == 0 && has_sentence_end(s);
}

/*
 * The <article> or <main> around @top, if the parts are most of its text:
 * it adds the headline, the lead in its header and the parts Readability
 * would not join.
 */
static xmlNodePtr
enclosing_heart(xmlNodePtr top, size_t parts_kept)
{
	for (xmlNodePtr a = top->parent; info(a) && !tr__html_is(a, "body"); a = a->parent)
		if (html_is_heart(a))
			return info(a)->kept <= 2 * parts_kept ? a : NULL;
	return NULL;
}

/*
 * An article cut into blocks that are siblings of each other high up
 * (one per paragraph group, each with its own layout wrapper) is not one
 * container: when the chosen parts hold less than half of the page's
 * prose, the smallest ancestor that holds most of it is the document.
 */
static void
widen(html_main *m, xmlNodePtr body)
{
	size_t prose = 0, all = info(body)->prose;
	xmlNodePtr a;

	for (size_t k = 0; k < m->n_parts; k++)
		prose += info(m->parts[k])->prose;
	if (prose * 3 >= all)
		return;
	for (a = m->parts[0]->parent; info(a) && a != body; a = a->parent)
		if (info(a)->prose * 3 >= all * 2)
			break;
	m->parts[0] = info(a) ? a : body;
	m->n_parts = 1;
}

static bool
choose_parts(html_main *m, xmlNodePtr body)
{
	double best;
	xmlNodePtr top = best_container(m, &best), heart;
	size_t kept = 0, n = 0;

	if (!top) {
		m->parts = malloc(sizeof *m->parts);
		if (!m->parts)
			return false;
		m->parts[0] = body;
		m->n_parts = 1;
		return true;
	}
	for (xmlNodePtr s = top->parent->children; s; s = s->next)
		n += s == top || continues(s, top, best);
	if (!(m->parts = calloc(n, sizeof *m->parts)))
		return false;
	for (xmlNodePtr s = top->parent->children; s; s = s->next) {
		if (s == top || continues(s, top, best)) {
			m->parts[m->n_parts++] = s;
			kept += info(s)->kept;
		}
	}
	if ((heart = enclosing_heart(top, kept))) {
		m->parts[0] = heart;
		m->n_parts = 1;
	}
	widen(m, body);
	for (xmlNodePtr a = m->first; info(a); a = a->parent)
		info(a)->best = true;
	/*
	 * What looked like boilerplate but held most of the page is, unless
	 * it holds the chosen part or the best-scored paragraphs.
	 */
	for (size_t k = 0; k < m->n_info; k++) {
		xmlNodePtr n = m->info[k].node;

		if (m->info[k].soft && !is_below(m->parts[0], n) && !(m->first && is_below(m->first, n)))
			m->info[k].boiler = true;
	}
	return true;
}

static bool
count_enter(xmlNodePtr n, void *ctx)
{
	html_main *m = ctx;

	if (n->type != XML_ELEMENT_NODE)
		return false;
	m->n_info++;
	return true;
}

static void
no_leave(xmlNodePtr n, void *ctx)
{
	(void)n;
	(void)ctx;
}

static bool
assign_enter(xmlNodePtr n, void *ctx)
{
	html_main *m = ctx;

	if (n->type != XML_ELEMENT_NODE)
		return false;
	m->info[m->n_info].node = n;
	n->_private = &m->info[m->n_info++];
	return true;
}

html_main *
tr__html_main_find(xmlNodePtr body)
{
	html_main *m = calloc(1, sizeof *m);
	html_visit count = { count_enter, no_leave, NULL }, assign = { assign_enter, no_leave, NULL };
	html_visit raw = { raw_enter, raw_leave, NULL }, kept = { kept_enter, kept_leave, NULL };
	size_t page_raw;
	xmlNodePtr h1;

	if (!m)
		return NULL;
	count.ctx = assign.ctx = m;
	html_visit_tree(body, &count);
	if (!(m->info = calloc(m->n_info + 1, sizeof *m->info))) {
		free(m);
		return NULL;
	}
	m->n_info = 0;
	html_visit_tree(body, &assign);
	m->info[m->n_info].node = body;
	body->_private = &m->info[m->n_info++];
	for (h1 = body; h1 && !tr__html_is(h1, "h1"); h1 = tr__html_next(body, h1, tr__html_is_any(h1, drop_tags)))
		;
	raw.ctx = &h1;
	html_visit_tree(body, &raw);
	page_raw = info(body)->raw;
	kept.ctx = &page_raw;
	html_visit_tree(body, &kept);
	if (!choose_parts(m, body)) {
		tr__html_main_free(m, body);
		return NULL;
	}
	tr__html_prune_paragraphs(m->parts, m->n_parts);
	return m;
}

void
tr__html_main_free(html_main *m, xmlNodePtr body)
{
	if (!m)
		return;
	for (size_t k = 0; k < m->n_info; k++)
		m->info[k].node->_private = NULL;
	(void)body;
	free(m->info);
	free(m->parts);
	free(m);
}

xmlNodePtr *
tr__html_main_parts(html_main *m, size_t *n)
{
	*n = m->n_parts;
	return m->parts;
}
