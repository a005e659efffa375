/*
 * Plain text.  The text is kept line for line (the date finder reads the
 * first lines), with two exceptions: lines that only draw a rule or
 * underline ("=====", "-----") are no text, and the line taken as the
 * title is not repeated in the body.
 */
#include "extract.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "text.h"

/* Titles are looked for in this many paragraphs at the top. */
#define TITLE_MAX_BLOCKS 5
/* A longer first line is a sentence, not a title. */
#define TITLE_MAX_CHARS 150
/* Lines of a letterhead or address block are short. */
#define SHORT_LINE_CHARS 60

typedef struct line {
	size_t start, end;   /* byte range without the newline */
} line;

static bool
line_next(const char *s, size_t len, size_t *pos, line *l)
{
	const char *nl;

	if (*pos >= len)
		return false;
	nl = memchr(s + *pos, '\n', len - *pos);
	l->start = *pos;
	l->end = nl ? (size_t)(nl - s) : len;
	*pos = nl ? l->end + 1 : len;
	/* Trailing blanks say nothing and would defeat the checks below. */
	while (l->end > l->start && (s[l->end - 1] == ' ' || s[l->end - 1] == '\t'))
		l->end--;
	while (l->start < l->end && (s[l->start] == ' ' || s[l->start] == '\t'))
		l->start++;
	return true;
}

static bool
line_blank(const char *s, const line *l)
{
	for (size_t i = l->start; i < l->end; i++)
		if (s[i] != '\f')
			return false;
	return true;
}

/*
 * A line drawn with one character: setext underlines ("====", "----") and
 * separators ("****", "- - -", "____").  Three characters make a rule;
 * two suffice for '=' and '-', which underline short headings.
 */
static bool
line_is_rule(const char *s, const line *l)
{
	char c = 0;
	size_t n = 0;

	for (size_t i = l->start; i < l->end; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (!strchr("=-*_~#", s[i]) || (c && s[i] != c))
			return false;
		c = s[i];
		n++;
	}
	return n >= 3 || (n == 2 && (c == '=' || c == '-'));
}

static size_t
line_chars(const char *s, const line *l)
{
	size_t n = 0;

	for (size_t i = l->start; i < l->end; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static bool
line_has_letter(const char *s, const line *l)
{
	size_t i = l->start;

	while (i < l->end) {
		int cp;
		size_t n = tr_text_decode(s + i, l->end - i, &cp);

		if (tr_text_is_wordchar(cp) && !(cp >= '0' && cp <= '9'))
			return true;
		i += n;
	}
	return false;
}

/*
 * A dateline ("Görlitz, 14. Juni 2016", "Dresden, den 2. November 2016",
 * "15.09.2017"): short, ending in a number, its last comma-separated part
 * starting with a number or "den".  It stands at the top of letters and
 * press releases but is not their title.
 */
static bool
line_is_dateline(const char *s, const line *l)
{
	size_t i = l->end, part = l->start;

	while (i > l->start && s[i - 1] == '.')
		i--;
	if (line_chars(s, l) > 80 || i == l->start || s[i - 1] < '0' || s[i - 1] > '9')
		return false;
	for (size_t j = l->start; j < l->end; j++)
		if (s[j] == ',')
			part = j + 1;
	while (part < l->end && s[part] == ' ')
		part++;
	return (s[part] >= '0' && s[part] <= '9') ||
	       (l->end - part > 4 && strncmp(s + part, "den ", 4) == 0);
}

/* Ends like a sentence or a lead-in (". , ; :"), not like a title. */
static bool
line_ends_prose(const char *s, const line *l)
{
	char c = l->end > l->start ? s[l->end - 1] : 0;

	return c == '.' || c == ',' || c == ';' || c == ':';
}

static bool
line_starts_lower(const char *s, const line *l)
{
	int cp;

	if (l->end == l->start)
		return false;
	tr_text_decode(s + l->start, l->end - l->start, &cp);
	return tr_text_is_wordchar(cp) && !tr_text_is_upper(cp) && !(cp >= '0' && cp <= '9');
}

static size_t
line_words(const char *s, const line *l)
{
	size_t n = 0;
	bool in_word = false;

	for (size_t i = l->start; i < l->end; i++) {
		bool blank = s[i] == ' ' || s[i] == '\t';
		n += !blank && !in_word;
		in_word = !blank;
	}
	return n;
}

/* True if the first word of @l is one of @words (ASCII case ignored). */
static bool
line_starts_with_word(const char *s, const line *l, const char *const *words)
{
	size_t n = 0;

	while (l->start + n < l->end && s[l->start + n] != ' ' && s[l->start + n] != '\t' &&
	       s[l->start + n] != ':')
		n++;
	for (; *words; words++)
		if (strlen(*words) == n && strncasecmp(s + l->start, *words, n) == 0)
			return true;
	return false;
}

/*
 * The first lines of a letterhead name the authority ("Landratsamt
 * Bautzen", "Landkreis Leipzig"): an institution word and a name.
 */
static const char *const letterhead_words[] = {
	"Landratsamt", "Landkreis", "Landeshauptstadt", "Stadt", "Stadtverwaltung",
	"Gemeinde", "Gemeindeverwaltung", "Freistaat", NULL
};

/* Lines that label the kind of document rather than name it. */
static const char *const label_words[] = {
	"Pressemitteilung", "Presseinformation", "Pressemeldung",
	"Medieninformation", "Entwurf", NULL
};

/* Subject lines of letters and mails: their value is the title. */
static const char *const subject_words[] = { "Betreff", "Betr.", "Subject", NULL };

/* Reply and forward markers before a subject. */
static const char *const reply_words[] = { "AW", "WG", "Re", "Fwd", "Fw", "Wg", NULL };

/* "Datum: 16.10.18", "Teilnehmer/innen: ...": a form field, not a title. */
static bool
line_is_field(const char *s, const line *l)
{
	size_t words = 1;

	for (size_t i = l->start; i < l->end && i < l->start + 30; i++) {
		char c = s[i];

		if (c == ':')
			return i > l->start && words <= 3;
		if (c == ' ')
			words++;
		/* Digits, punctuation and quotes („“ start with 0xE2) make no field name. */
		else if ((c >= '0' && c <= '9') || strchr(",;!?\"()", c) || c == (char)0xE2)
			return false;
	}
	return false;
}

/*
 * A "Betreff:" line among the first lines: the writer named the document
 * there, better than any guess.  Reply markers ("AW:") are left out.
 */
static bool
text_find_subject(const char *s, size_t len, line *title)
{
	size_t pos = 0;
	line l;

	for (int i = 0; i < 40 && line_next(s, len, &pos, &l); i++) {
		size_t v;

		if (!line_starts_with_word(s, &l, subject_words) || !line_is_field(s, &l))
			continue;
		v = l.start + strcspn(s + l.start, ":") + 1;
		for (;;) {
			line rest = { v, l.end };

			while (rest.start < rest.end && s[rest.start] == ' ')
				rest.start++;
			v = rest.start;
			if (!line_starts_with_word(s, &rest, reply_words) ||
			    !memchr(s + v, ':', rest.end - v))
				break;
			v += strcspn(s + v, ":") + 1;
		}
		if (v < l.end) {
			title->start = v;
			title->end = l.end;
			return true;
		}
	}
	return false;
}

/* Short, not a sentence, with letters: could be a title. */
static bool
line_title_like(const char *s, const line *l)
{
	return line_has_letter(s, l) && line_chars(s, l) <= TITLE_MAX_CHARS &&
	       !line_ends_prose(s, l) && !line_is_dateline(s, l) && !line_is_field(s, l);
}

/*
 * Finds the title among the first paragraphs.  A subject line wins.  Else
 * a title is a line that stands alone (or has a subtitle line under it,
 * or an underline), is short and does not end like a sentence.
 * Letterheads (an authority's name, blocks of three or more short lines)
 * and datelines before it are passed over; a label ("Pressemitteilung", a
 * single word) is taken only if nothing better follows; a short label with
 * a line under it ("PROTOKOLL" / "Steuerungsgruppe ...") makes a title of
 * both lines.  The search stops at the first paragraph of prose.  The
 * title may span two lines: the caller squeezes it into one.
 */
static bool
text_find_title(const char *s, size_t len, line *title)
{
	size_t pos = 0;
	bool have_fallback = false;
	line fallback = { 0, 0 };

	if (text_find_subject(s, len, title))
		return true;
	for (int blocks = 0; blocks < TITLE_MAX_BLOCKS; blocks++) {
		line l, first = { 0, 0 }, second = { 0, 0 };
		size_t nlines = 0;
		bool underlined = false, short_plain = true, got;

		while ((got = line_next(s, len, &pos, &l)) && line_blank(s, &l))
			;
		if (!got)
			break;
		do {
			if (line_blank(s, &l))
				break;
			if (line_is_rule(s, &l)) {
				underlined |= nlines == 1;
				continue;
			}
			if (nlines == 0)
				first = l;
			else if (nlines == 1)
				second = l;
			if (line_chars(s, &l) > SHORT_LINE_CHARS || line_ends_prose(s, &l) ||
			    (l.end > l.start && strchr(".!?", s[l.end - 1])))
				short_plain = false;
			nlines++;
		} while (line_next(s, len, &pos, &l));

		if (nlines == 0)
			continue;
		if (underlined && line_has_letter(s, &first) &&
		    line_chars(s, &first) <= TITLE_MAX_CHARS) {
			*title = first;
			return true;
		}
		if (line_is_dateline(s, &first) || !line_has_letter(s, &first))
			continue;
		if (line_starts_with_word(s, &first, letterhead_words) && line_words(s, &first) <= 4)
			continue;
		if (nlines >= 3) {
			if (line_title_like(s, &first) && line_is_field(s, &second)) {
				*title = first;    /* a heading over form fields */
				return true;
			}
			if (short_plain)
				continue;          /* a letterhead or address */
			break;
		}
		if (!line_title_like(s, &first))
			break;
		if (nlines == 2 && line_chars(s, &first) > SHORT_LINE_CHARS &&
		    line_starts_lower(s, &second))
			break;                 /* a paragraph wrapped by hand */
		if (line_starts_with_word(s, &first, label_words)) {
			if (!have_fallback)
				fallback = first;
			have_fallback = true;
			continue;
		}
		if (nlines == 2 && line_words(s, &first) <= 3 && line_title_like(s, &second)) {
			title->start = first.start;
			title->end = second.end;
			return true;
		}
		if (line_words(s, &first) == 1) {
			if (!have_fallback)
				fallback = first;
			have_fallback = true;
			continue;
		}
		*title = first;
		return true;
	}
	if (have_fallback)
		*title = fallback;
	return have_fallback;
}

tr_status
tr__extract_text(tr_extract *out, const tr_input *in, char **why)
{
	tr_buf text = TR_BUF_INIT(out->body.max);
	line title = { 0, 0 }, l;
	bool have_title, blank = false;
	size_t pos = 0;
	tr_status st;

	if ((st = tr__extract_decode(&text, in->data, in->len, in->charset)) != TR_OK)
		goto done;
	if (!text.ptr)
		goto finish;
	have_title = text_find_title(text.ptr, text.len, &title);
	if (have_title) {
		st = tr__extract_add(&out->title, text.ptr + title.start, title.end - title.start);
		if (st != TR_OK && st != TR_ETOOBIG)
			goto done;
		st = TR_OK;
	}
	/*
	 * Lines keep their indentation (tables aligned with spaces are still
	 * tables); runs of blank lines shrink to one.
	 */
	while (line_next(text.ptr, text.len, &pos, &l)) {
		size_t start = l.start;

		if (have_title && l.start < title.end && l.end > title.start)
			continue;
		if (line_is_rule(text.ptr, &l))
			continue;
		if (l.start == l.end) {
			blank = out->body.len > 0;
			continue;
		}
		while (start > 0 && text.ptr[start - 1] != '\n')
			start--;
		if (blank && (st = tr__extract_break(&out->body, 2)) != TR_OK)
			break;
		blank = false;
		if ((st = tr__extract_add(&out->body, text.ptr + start, l.end - start)) != TR_OK ||
		    (st = tr__extract_add(&out->body, "\n", 1)) != TR_OK)
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
	tr_buf_free(&text);
	return st;
}
