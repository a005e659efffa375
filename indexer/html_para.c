/*
 * Paragraphs inside the chosen main content that are not the document
 * (jusText's and trafilatura's per-paragraph classification): a short
 * paragraph that speaks about the page rather than the topic (copyright,
 * subscription and paywall notes, newsletter and share prompts, "read
 * also" lead-ins, picture credits) is left out wherever it stands; short
 * paragraphs after the last real paragraph of a part (labels, author
 * lines, "back to the list") are left out too.
 */
#include "html.h"

#include <stdlib.h>
#include <string.h>

/* Blocks whose own text is a paragraph (as the finder counts them). */
static const char *const para_tags[] = {
	"p", "div", "td", "th", "li", "dd", "dt", "pre", "blockquote", "section", "article",
	"header", "footer", "figure", "figcaption", "address", "center", "h1", "h2", "h3",
	"h4", "h5", "h6", "table", "ul", "ol", "dl", "span", NULL
};

/* A real paragraph: at least this much text (jusText's length_high is 200 characters). */
#define PARA_GOOD_MIN 150
/* After the last real paragraph, a paragraph shorter than this is a label, a date, a credit. */
#define PARA_TAIL_MAX 100

/*
 * Words that say a paragraph is about the page, not its topic, lower case:
 * strong ones in a paragraph of up to PARA_STRONG_MAX bytes, weak ones
 * (which prose uses too) only in a line of up to PARA_WEAK_MAX.
 */
static const char *const strong_phrases[] = {
	"\xC2\xA9", "all rights reserved", "alle rechte vorbehalten", "newsletter", "subscribe",
	"abonnieren", "jetzt abo", "registrieren sie sich", "folgen sie uns", "follow us",
	"siguenos", "s\xC3\xADguenos", "auch interessant", "lesen sie auch", "mehr zum thema",
	"weitere artikel", "das k\xC3\xB6nnte", "k\xC3\xB6nnte dich auch", "k\xC3\xB6nnte sie auch",
	"you may also like", "related articles", "schon gelesen", "zum weiterlesen",
	"kommentar schreiben", "keine kommentare", "comments are closed", "leave a comment",
	"diesen artikel teilen", "artikel teilen", "beitrag teilen", "share this",
	"pour lire la suite", "vous aimerez aussi", "zobacz r\xC3\xB3wnie\xC5\xBC", "mehr themen",
	"\xC3\xBC" "ber den autor", "about the author", "unterst\xC3\xBC" "tzen sie", "lust auf mehr",
	"sign up", "jetzt anmelden", "zum newsletter",
	NULL
};
static const char *const weak_phrases[] = {
	"copyright", "subscription", "abonnement", "log in", "einloggen", "eingeloggt", "teilen",
	"follow the", "read more", "weiterlesen", "kommentare", "werbung", "anzeige",
	"advertisement", "affiliate", "bildquelle", "foto:", "photo:", "credit:", "bild:",
	"quelle:", "titelbild", "zur\xC3\xBC" "ck zu", "back to",
	"kontakt", "telefon:", "e-mail:", "aktualisiert", "letzte \xC3\xA4nderung", "kategorie:",
	"category:", "themen:", "tags:", "schlagworte", "drucken", "bewertung", "posted",
	NULL
};

#define PARA_STRONG_MAX 300
#define PARA_WEAK_MAX 120

/* True if one of the phrases starts a word of @lower ("werbung", not "Bewerbung"). */
static bool
has_phrase(const char *lower, const char *const *phrases)
{
	for (size_t k = 0; phrases[k]; k++)
		for (const char *h = lower; (h = strstr(h, phrases[k])); h++) {
			unsigned char before = h > lower ? (unsigned char)h[-1] : ' ';

			if (!(before >= 'a' && before <= 'z') && before < 0x80)
				return true;
		}
	return false;
}

/* The text of @n with ASCII letters lowered and white space runs as one blank; NULL if none. */
static char *
para_text(xmlNodePtr n, size_t *len)
{
	xmlChar *s = xmlNodeGetContent(n);
	char *out;
	size_t k = 0;

	*len = 0;
	if (!s)
		return NULL;
	if (!(out = malloc(strlen((const char *)s) + 1))) {
		xmlFree(s);
		return NULL;
	}
	for (const xmlChar *p = s; *p; p++) {
		unsigned char c = *p;

		/* German capitals (Ä Ö Ü, U+00C4 U+00D6 U+00DC) lowered too: "Über den Autor". */
		if (c == 0xC3 && (p[1] == 0x84 || p[1] == 0x96 || p[1] == 0x9C)) {
			out[k++] = (char)c;
			out[k++] = (char)(*++p + 0x20);
			continue;
		}
		if (c <= ' ') {
			if (k > 0 && out[k - 1] != ' ')
				out[k++] = ' ';
			continue;
		}
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	*len = k;
	xmlFree(s);
	return out;
}

typedef struct para_list {
	xmlNodePtr *v;
	size_t n, cap;
} para_list;

/* The nearest block around text node @t, inside @root. */
static xmlNodePtr
block_of(xmlNodePtr t, xmlNodePtr root)
{
	xmlNodePtr b = t->parent;

	while (b != root && !tr__html_is_any(b, para_tags))
		b = b->parent;
	return b;
}

static bool
is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s > ' ')
			return false;
	return true;
}

/* The blocks with text of their own below @root, in document order, not left out. */
static bool
collect(para_list *l, xmlNodePtr root)
{
	xmlNodePtr n;
	bool skip = false;

	for (n = root; (n = tr__html_next(root, n, skip));) {
		xmlNodePtr b;

		skip = n->type == XML_ELEMENT_NODE && tr__html_skip(n, false);
		if ((n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE) || is_blank(n->content))
			continue;
		if ((b = block_of(n, root)) == root || (l->n > 0 && l->v[l->n - 1] == b))
			continue;
		if (l->n == l->cap) {
			size_t cap = l->cap ? 2 * l->cap : 32;
			xmlNodePtr *v = realloc(l->v, cap * sizeof *v);

			if (!v)
				return false;
			l->v = v;
			l->cap = cap;
		}
		l->v[l->n++] = b;
	}
	return true;
}

/* True if some text below @n is not blank. */
static bool
has_text(xmlNodePtr n)
{
	for (xmlNodePtr t = n; (t = tr__html_next(n, t, false));)
		if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && !is_blank(t->content))
			return true;
	return false;
}

/*
 * True if @b holds a block with text of its own (then it is judged as the
 * blocks in it); an empty block (an icon's <div>, a list of icon links) is
 * not one.
 */
static bool
has_block_below(xmlNodePtr b)
{
	for (xmlNodePtr n = b; (n = tr__html_next(b, n, false));)
		if (tr__html_is_any(n, para_tags) && has_text(n))
			return true;
	return false;
}

/*
 * True if the lowered line @t is a clock time alone ("05:28 uhr", "19:49",
 * "3:59 pm"): a page's time stamp, which says nothing of the topic and gives
 * the date finder no day.
 */
static bool
is_clock_time(const char *t, size_t len)
{
	static const char *const tails[] = { "", " uhr", "uhr", " h", " am", " pm", NULL };
	size_t i = 0;

	while (i < len && i < 2 && t[i] >= '0' && t[i] <= '9')
		i++;
	if (i == 0 || i + 3 > len || t[i] != ':' || !(t[i + 1] >= '0' && t[i + 1] <= '5') ||
	    !(t[i + 2] >= '0' && t[i + 2] <= '9'))
		return false;
	i += 3;
	for (size_t k = 0; tails[k]; k++)
		if (strcmp(t + i, tails[k]) == 0)
			return true;
	return false;
}

static bool
is_boilerplate(xmlNodePtr b, const char *t, size_t len)
{
	if (len >= PARA_STRONG_MAX || has_block_below(b))
		return false;
	return has_phrase(t, strong_phrases) || (len < PARA_WEAK_MAX && has_phrase(t, weak_phrases)) ||
	       is_clock_time(t, len);
}

/* Labels that open a box about the writer, lower case (trafilatura drops such boxes). */
static const char *const author_labels[] = {
	"autor", "autorin", "der autor", "die autorin", "\xC3\xBC" "ber den autor", "\xC3\xBC" "ber die autorin",
	"zum autor", "zur autorin", "about the author", "about the writer", NULL
};

/* A box about the writer holds little more than a name and a few lines. */
#define AUTHOR_BOX_MAX 600

/*
 * If @b's text @t is an author label, leaves out the smallest enclosing box
 * below @part that starts with it and holds more than the label.
 */
static void
leave_out_author_box(xmlNodePtr b, const char *t, size_t len, xmlNodePtr part)
{
	bool label = false;

	for (size_t k = 0; author_labels[k] && !label; k++)
		label = strlen(author_labels[k]) == len && memcmp(t, author_labels[k], len) == 0;
	if (!label)
		return;
	for (xmlNodePtr box = b->parent; box && box != part; box = box->parent) {
		size_t blen;
		char *bt = para_text(box, &blen);
		bool starts = bt && blen > len && memcmp(bt, t, len) == 0;

		free(bt);
		if (!starts || blen >= AUTHOR_BOX_MAX)
			return;
		if (has_block_below(box)) {
			tr__html_leave_out(box);
			return;
		}
	}
}

/* Items of a list or table: a short one is data (an ingredient, a result), not a label. */
static const char *const item_tags[] = { "li", "dd", "dt", "td", "th", "pre", NULL };

/* True if the text ends as a sentence does (a label, a name, a date does not). */
static bool
ends_sentence(const char *t, size_t len)
{
	static const char *const ends[] = { ".", "!", "?", ")", "\"", "\xE2\x80\xA6", "\xE2\x80\x9C",
	                                    "\xE2\x80\x9D", NULL };

	for (size_t k = 0; ends[k]; k++) {
		size_t n = strlen(ends[k]);

		if (len >= n && memcmp(t + len - n, ends[k], n) == 0)
			return true;
	}
	return false;
}

/* Leaves out the boilerplate paragraphs of one chosen part. */
static void
prune_part(xmlNodePtr part)
{
	para_list l = { 0 };
	size_t last_good = 0, *lens = NULL;
	bool *ends = NULL, *digits = NULL;
	bool any_good = false;
	char *t;

	if (part->type != XML_ELEMENT_NODE || !collect(&l, part) ||
	    !(lens = calloc(l.n + 1, sizeof *lens)) || !(ends = calloc(l.n + 1, sizeof *ends)) ||
	    !(digits = calloc(l.n + 1, sizeof *digits))) {
		free(ends);
		free(lens);
		free(l.v);
		return;
	}
	for (size_t k = 0; k < l.n; k++) {
		if (!(t = para_text(l.v[k], &lens[k])))
			continue;
		ends[k] = ends_sentence(t, lens[k]);
		digits[k] = strpbrk(t, "0123456789") != NULL;
		leave_out_author_box(l.v[k], t, lens[k], part);
		if (is_boilerplate(l.v[k], t, lens[k])) {
			tr__html_leave_out(l.v[k]);
			lens[k] = 0;
		} else if (lens[k] >= PARA_GOOD_MIN) {
			last_good = k;
			any_good = true;
		}
		free(t);
	}
	/*
	 * jusText: short paragraphs after the last good one are not the
	 * document; a line with a number is data (an address, an amount, a
	 * phone number) or the "Stand: <date>" the date finder reads in a
	 * text's tail (indexer/meta_date.c), and stays.
	 */
	for (size_t k = last_good + 1; any_good && k < l.n; k++)
		if (lens[k] < PARA_TAIL_MAX && !ends[k] && !digits[k] && !tr__html_is_any(l.v[k], item_tags) &&
		    !has_block_below(l.v[k]))
			tr__html_leave_out(l.v[k]);
	free(digits);
	free(ends);
	free(lens);
	free(l.v);
}

void
tr__html_prune_paragraphs(xmlNodePtr *parts, size_t n)
{
	for (size_t k = 0; k < n; k++)
		prune_part(parts[k]);
}
