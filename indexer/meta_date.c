/*
 * The document's own date, from its path or its text.
 *
 * A document mentions many dates (the meeting it reports on, the next
 * meeting, deadlines, "seit 2015"); only a few are written so that a reader
 * takes them for the document's date: a dateline at the top ("15.09.2017"
 * alone on a line, "Dresden, den 3. März 2020"), or a label ("Stand:",
 * "Datum:", "Protokoll der Sitzung vom").  This file finds every date, gives
 * each such a cue, and decides: a date in the path, then a cued date in the
 * text, then (cautiously) an early full date, else nothing, so that the
 * caller falls back to the file time.  docs/metadata.md ("Date") states the
 * rules for users; the constants below are where they are tuned.
 */
#include "meta.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/*
 * Cues are looked for only where documents put them: the head and the tail.
 * That keeps a 10 MB text cheap (the middle is not even scanned when only
 * the document's date is wanted) and keeps a "Stand: 31.12.2016" in the
 * statistics on page 40 from passing for the date of the document.
 */
#define HEAD_BYTES      (64 * 1024)
#define TAIL_BYTES      4096
#define TAIL_LINES      15          /* the tail is at most the last 15 non-empty lines */

/* Lines count from the top, non-empty ones only; the title is line 0. */
#define ALONE_LINES     8           /* a date alone on its line */
#define PLACE_LINES     12          /* "Ort, den DATUM": after a letterhead */
/*
 * Saved web pages put dozens of short menu lines above the article, so a
 * dateline also counts anywhere above the first paragraph of prose (a line
 * of PROSE_BYTES or more) within the first DATELINE_BYTES.
 */
#define PROSE_BYTES     160
#define DATELINE_BYTES  4096
#define COMMA_LINES     6           /* "Vortrag im Ausschuss ..., 6. Dezember 2016" */
#define LABEL_B_LINES   20          /* header labels: "Sitzung am", "Protokoll vom", "Zeit:" */
#define LABEL_B_BYTES   8192
#define LABEL_A_LINES   60          /* labels that mean "this document": "Stand:", "Datum:" */
#define LABEL_A_BYTES   (16 * 1024)
#define HEADING_LINES   3           /* headings are searched for labels in their first lines */

/* Without any cue, a full date this early in the text is taken (see decide_text()). */
#define FALLBACK_BYTES  600
/*
 * ... if it also lies in the first half of the text, or in its opening
 * (about two lines) outside a table: a one-line note ends with its date
 * ("Eintrag vom 25.12.2022."), so there the half rule would leave every
 * date out; a sheet's date cells are its data.
 */
#define FALLBACK_OPENING_BYTES 160

#define MAX_MENTIONS    65536
#define PREFIX_MAX      400         /* bytes of a line before a date that are looked at */
#define MIN_YEAR        1900
#define MAX_YEAR        2099
#define PATH_MIN_YEAR   1950        /* "Raum 1024" in a folder name is not a year */

enum { WHERE_TITLE, WHERE_BODY, WHERE_HEADINGS };

typedef struct mention {
	tr__date_mention m;
	bool year_given;     /* the text wrote the year */
	bool neg;            /* after "bis", "nächste", "Frist", ...: never the document's date */
	bool in_table;       /* on a line of table cells (tab-separated): data, not prose */
	int where;
} mention;

typedef struct mlist {
	mention *v;
	size_t n, alloc;
} mlist;

static tr_status
mlist_add(mlist *l, const mention *m)
{
	if (l->n >= MAX_MENTIONS)
		return TR_OK;
	if (l->n == l->alloc) {
		size_t a = l->alloc ? l->alloc * 2 : 16;
		mention *v = realloc(l->v, a * sizeof *v);

		if (!v)
			return TR_ENOMEM;
		l->v = v;
		l->alloc = a;
	}
	l->v[l->n++] = *m;
	return TR_OK;
}

static bool
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_alnum(int ch)
{
	return is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool
is_break(char ch)
{
	return ch == '\n' || ch == '\r' || ch == '\f';
}

/* Case-insensitive comparison of an ASCII word with a lower-case literal. */
static bool
ascii_ieq(const char *s, size_t n, const char *w)
{
	if (strlen(w) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]) != w[i])
			return false;
	return true;
}

static bool
in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (ascii_ieq(s, n, *list))
			return true;
	return false;
}

static bool
has_prefix(const char *s, size_t n, const char *p)
{
	size_t pn = strlen(p);

	return n >= pn && memcmp(s, p, pn) == 0;
}

static bool
has_suffix(const char *s, size_t n, const char *p)
{
	size_t pn = strlen(p);

	return n >= pn && memcmp(s + n - pn, p, pn) == 0;
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* ---- Vocabulary (all folded: lower case, umlauts spelled out) ---------- */

/* Labels that introduce the document's own date wherever they open a line. */
static const char *const labels_a[] = {
	"stand", "datum", "date", "veroeffentlicht", "erstellt", "aktualisiert",
	"zuletzt aktualisiert", "zuletzt geaendert", "geaendert", "letzte aenderung",
	"letzte aktualisierung", "ort und datum", "ort datum", "datum und ort",
	"datum ort", "erschienen", "herausgegeben", "ausgabe", "redaktionsschluss",
	"bearbeitungsstand", "stand der bearbeitung", "stand der informationen",
	"verfasst", "geschrieben", "published", "last updated", "updated", "created",
	"last modified", "gesendet", "sent", "datum des dokuments", "erstellungsdatum",
	"dokumentdatum", "veroeffentlichungsdatum", "ausgabedatum", "aenderungsdatum",
	"druckdatum", "sitzungsdatum", NULL
};

/*
 * Words that open a header line naming the meeting or the release the
 * document is about ("Sitzung am", "Zeit:", "Treffen der AG am").  In a
 * header that is the document's date; further down it is the next meeting.
 */
static const char *const labels_b[] = {
	"sitzung", "treffen", "beratung", "besprechung", "termin", "sitzungstermin",
	"zeit", "wann", "zeitpunkt", "tagung", "konferenz",
	"workshop", "fachtag", "klausur", "meeting", NULL
};

/* Endings of compounds that name a meeting: "Netzwerktreffen", "Dienstberatung". */
static const char *const meeting_endings[] = {
	"sitzung", "treffen", "beratung", "besprechung", "konferenz", "tagung",
	"versammlung", "runde", "workshop", "klausur", NULL
};

/* Document kinds whose header line names their date: "Pressemitteilung vom". */
static const char *const doctype_words[] = {
	"niederschrift", "pressemitteilung", "pressemeldung", "presseinformation",
	"medieninformation", "pm", "presseerklaerung", NULL
};

/* Words between a label and its date that carry no meaning: "Datum: Montag, den". */
static const char *const fillers[] = {
	"den", "dem", "am", "vom", "von", "im", "on", "the", "of", NULL
};

/*
 * A date after these is a deadline, a plan, a start or an earlier meeting
 * ("Protokoll der letzten Sitzung vom"), never the document's date.
 */
static const char *const negative_prefixes[] = {
	"naechst", "kommend", "folgend", "kuenftig", "geplant", "vorgesehen",
	"voraussichtlich", "spaetestens", "frist", "anmeld", "einsendeschluss",
	"bewerbungsschluss", "abgabe", "deadline", "rueckmeld", "einreich",
	"letzt", "vorig", "vorherig", "vorjahr", NULL
};
static const char *const negative_words[] = {
	"bis", "seit", "ab", "zwischen", "until", "since", "by",
	"stichtag", "stand", "datenstand", "zeitraum", NULL   /* data dates, unless a label */
};

/* After these a number is a number: "Nr. 12/2019", "TOP 3.1.10", "Tel. 12.34.56". */
static const char *const number_words[] = {
	"nr", "no", "nummer", "az", "aktenzeichen", "drs", "drucksache", "vorlage",
	"top", "kapitel", "abschnitt", "ziffer", "punkt", "seite", "s", "tel",
	"telefon", "fax", "mobil", "abs", "art", "paragraph", "version", "v", "gz",
	"pm", "plz", "iban", "kw", "heft", "band", "bd", "jg", "jahrgang", NULL
};

/* Only after these is a bare "15.9." a date rather than a section number. */
static const char *const date_prepositions[] = {
	"am", "vom", "bis", "ab", "zum", "den", "dem", "seit", "und", "bzw", "oder",
	"ca", "sowie", "zwischen", NULL
};

/* ---- Words of a folded line prefix ------------------------------------ */

#define MAXW 256

typedef struct words {
	const char *s;
	size_t n;
	size_t start[MAXW], len[MAXW];
} words;

static void
words_split(words *w, const char *s, size_t len)
{
	size_t pos = 0, st, wl;

	w->s = s;
	w->n = 0;
	while (w->n < MAXW && tr_text_next_word(s, len, &pos, &st, &wl)) {
		w->start[w->n] = st;
		w->len[w->n] = wl;
		w->n++;
	}
}

static bool
w_is(const words *w, size_t i, const char *lit)
{
	return w->len[i] == strlen(lit) && memcmp(w->s + w->start[i], lit, w->len[i]) == 0;
}

static bool
w_in(const words *w, size_t i, const char *const *list)
{
	for (; *list; list++)
		if (w_is(w, i, *list))
			return true;
	return false;
}

static bool
w_is_filler(const words *w, size_t i)
{
	return w_in(w, i, fillers) ||
	       tr_date_weekday_from_name(w->s + w->start[i], (int)w->len[i]) != 0;
}

static bool
w_is_negative(const words *w, size_t i)
{
	if (w_in(w, i, negative_words))
		return true;
	for (const char *const *p = negative_prefixes; *p; p++)
		if (has_prefix(w->s + w->start[i], w->len[i], *p))
			return true;
	return false;
}

/* Label words this long match with one letter wrong, missing or extra. */
#define LABEL_TYPO_MIN 8

/* True if @a (@na bytes) becomes @b (@nb) by at most one edit. */
static bool
one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;

	if (na > nb)
		return one_edit(b, nb, a, na);
	if (nb - na > 1)
		return false;
	while (i < na && a[i] == b[i])
		i++;
	if (na == nb)   /* one letter wrong: the rest the same */
		return i == na || memcmp(a + i + 1, b + i + 1, na - i - 1) == 0;
	return memcmp(a + i, b + i + 1, na - i) == 0;   /* one letter extra in @b */
}

/*
 * True if @word (@len bytes) is label word @label (@n): the same, or a long
 * one with one typo, as typed or read by OCR ("Letzte Aktualisierun",
 * "Aktualislert am", "Veröfentlicht").
 */
static bool
label_word(const char *word, size_t len, const char *label, size_t n)
{
	if (len == n && memcmp(word, label, n) == 0)
		return true;
	return n >= LABEL_TYPO_MIN && one_edit(word, len, label, n);
}

/* True if words [from, to) spell @phrase (single spaces between words). */
static bool
w_phrase(const words *w, size_t from, size_t to, const char *phrase)
{
	size_t i = from;

	while (*phrase) {
		const char *sp = strchr(phrase, ' ');
		size_t n = sp ? (size_t)(sp - phrase) : strlen(phrase);

		if (i >= to || !label_word(w->s + w->start[i], w->len[i], phrase, n))
			return false;
		i++;
		phrase += n + (sp ? 1 : 0);
	}
	return i == to;
}

/* "Stand", "Datum", "Veröffentlicht am", "Erstellungsdatum". */
static bool
is_label_a(const words *w, size_t from, size_t to)
{
	for (const char *const *p = labels_a; *p; p++)
		if (w_phrase(w, from, to, *p))
			return true;
	return false;
}

/* Header labels: "Sitzung am", "Treffen der AG am", "Protokoll der Sitzung vom". */
static bool
is_label_b(const words *w, size_t from, size_t to)
{
	const char *w0;
	size_t n0;

	if (from >= to)
		return false;
	w0 = w->s + w->start[from];
	n0 = w->len[from];
	if (to - from <= 8 && (has_suffix(w0, n0, "protokoll") || w_in(w, from, doctype_words)))
		return true;
	/*
	 * "3. Netzwerktreffen am": an ordinal may precede a meeting, but "1.
	 * Protokoll vom" is an item of an agenda.
	 */
	while (from < to && all_digits(w->s + w->start[from], w->len[from]))
		from++;
	if (from >= to)
		return false;
	w0 = w->s + w->start[from];
	n0 = w->len[from];
	if (to - from > 6)
		return false;
	if (w_in(w, from, labels_b))
		return true;
	for (const char *const *p = meeting_endings; *p; p++)
		if (has_suffix(w0, n0, *p))
			return true;
	return false;
}

/* ---- Scanning --------------------------------------------------------- */

typedef struct line {
	size_t start, end;            /* without the line break */
	int idx;                      /* non-empty lines above it */
	size_t prev_start, prev_end;  /* the previous non-empty line (empty if none) */
} line;

typedef struct scan {
	const char *s;
	size_t len;
	int where;
	bool datelines;               /* dateline rules apply (not to headings) */
	bool labels;                  /* label rules apply */
	bool seen_prose;              /* a line of prose lies above the current one */
	size_t tail_start;            /* tail rules apply from here */
	tr_buf fold;                  /* scratch: a folded line prefix */
	words w, wprev;               /* scratch: its words, the previous line's */
	const tr_text_words *text_words;  /* the words of the text being scanned (see scan_words()) */
	tr_text_words own_words;      /* the words found here when nobody found them before */
	mlist *out;
} scan;

/* Start of a UTF-8 character at or after @p. */
static size_t
char_start(const char *s, size_t p, size_t end)
{
	while (p < end && ((unsigned char)s[p] & 0xC0) == 0x80)
		p++;
	return p;
}

/* Verbs that make a header-like line a sentence: "Protokoll vom 14.03. wird bestätigt". */
static const char *const sentence_verbs[] = {
	"wird", "wurde", "werden", "wurden", "ist", "sind", "war", "waren", "findet",
	"fand", "statt", "bestätigt", "genehmigt", "angenommen", "beschlossen",
	"verschickt", "versandt", "vertagt", "verschoben", "abgesagt", "liegt", "lag", NULL
};

/* The length of a separator (table bar, bullet, spaced dash) at @p[i], 0 if none. */
static size_t
sep_at(const char *p, size_t i, size_t n, bool *dash)
{
	*dash = false;
	if (p[i] == '|')
		return 1;
	if (i + 2 < n && !memcmp(p + i, "\xE2\x80\xA2", 3))
		return 3;                                   /* • */
	if (i + 1 < n && !memcmp(p + i, "\xC2\xB7", 2))
		return 2;                                   /* · */
	if (i > 0 && p[i - 1] == ' ' && i + 3 < n && p[i + 3] == ' ' &&
	    (!memcmp(p + i, "\xE2\x80\x93", 3) || !memcmp(p + i, "\xE2\x80\x94", 3))) {
		*dash = true;                               /* " – ", " — " */
		return 3;
	}
	if (i > 0 && p[i - 1] == ' ' && p[i] == '-' && i + 1 < n && p[i + 1] == ' ') {
		*dash = true;                               /* " - " */
		return 1;
	}
	return 0;
}

typedef struct suffix {
	int words;        /* up to 8, ignoring numbers and "Uhr" ("15.09.2017, 10:00 Uhr") */
	bool verb;        /* one of sentence_verbs */
} suffix;

/* What follows the date on its line, up to a separator ("Freiberg, 15.09.2017 – Fachtag"). */
static void
suffix_scan(const char *s, size_t from, size_t to, suffix *sf)
{
	size_t pos = from, st, wl;
	bool dash;

	sf->words = 0;
	sf->verb = false;
	/* A few words decide; looking further would make a line of dates quadratic. */
	if (to - from > 200)
		to = char_start(s, from + 200, to);
	for (size_t i = from; i < to; i++) {
		if (sep_at(s, i, to, &dash)) {
			to = i;
			break;
		}
	}
	while (sf->words < 8 && tr_text_next_word(s, to, &pos, &st, &wl)) {
		if (all_digits(s + st, wl) || ascii_ieq(s + st, wl, "uhr"))
			continue;
		sf->words++;
		if (in_list(s + st, wl, sentence_verbs))
			sf->verb = true;
	}
}

/* Folds @s[from..to) into sc->fold. */
static tr_status
fold_into(scan *sc, size_t from, size_t to)
{
	tr_buf_reset(&sc->fold);
	if (to <= from)
		return tr_buf_adds(&sc->fold, "");
	return tr_text_fold(&sc->fold, sc->s + from, to - from);
}

/*
 * True if the previous non-empty line is a label on its own ("Datum:" in
 * one table cell, the date in the next), as Office tables come out.
 */
static tr_status
prev_line_is_label(scan *sc, const line *ln, bool a, bool b, bool *yes)
{
	words *w = &sc->wprev;
	size_t to;
	tr_status st;

	*yes = false;
	if (ln->prev_end <= ln->prev_start || ln->prev_end - ln->prev_start > 120)
		return TR_OK;
	if ((st = fold_into(sc, ln->prev_start, ln->prev_end)) != TR_OK)
		return st;
	words_split(w, sc->fold.ptr, sc->fold.len);
	to = w->n;
	while (to > 0 && w_is_filler(w, to - 1))
		to--;
	/*
	 * A header label must point at the next line ("Sitzung am", "Zeit:");
	 * a headline above a date ("Netzwerktreffen in Mittelsachsen") is
	 * the title over a dateline.
	 */
	if (b && to == w->n) {
		size_t e = sc->fold.len;

		while (e > 0 && (sc->fold.ptr[e - 1] == ' ' || sc->fold.ptr[e - 1] == '\t' ||
		                 sc->fold.ptr[e - 1] == '*' || sc->fold.ptr[e - 1] == '_'))
			e--;
		b = e > 0 && sc->fold.ptr[e - 1] == ':';
	}
	*yes = (a && is_label_a(w, 0, to)) || (b && is_label_b(w, 0, to));
	return TR_OK;
}

/* Where in a folded prefix the last separators are: table bars, bullets, spaced dashes. */
typedef struct seps {
	size_t last_start, last_end;  /* the last separator; last_end == 0 if none */
	size_t prev_end;              /* end of the one before (0 if none: line start) */
	bool last_is_dash;
} seps;

static void
find_seps(const char *p, size_t n, seps *sp)
{
	memset(sp, 0, sizeof *sp);
	for (size_t i = 0; i < n; i++) {
		bool dash;
		size_t sl = sep_at(p, i, n, &dash);

		if (sl) {
			sp->prev_end = sp->last_end;
			sp->last_start = i;
			sp->last_end = i + sl;
			sp->last_is_dash = dash;
			i += sl - 1;
		}
	}
}

/* True if @s[from..to) contains @ch. */
static bool
has_char(const char *s, size_t from, size_t to, char ch)
{
	return to > from && memchr(s + from, ch, to - from) != NULL;
}

/* How the words before a date on its line are laid out (read_prefix()). */
typedef struct prefix {
	const char *pf;               /* the folded prefix (sc->fold), its words in sc->w */
	size_t len;
	size_t seg_from, seg_to;      /* the words of the date's segment (after the last separator) */
	size_t k;                     /* seg_to without the fillers before the date */
	size_t gap_from;              /* where the gap between the last real word and the date begins */
	size_t nonfill;               /* words that are not fillers, on the whole prefix */
	bool truncated;               /* the line's start was not looked at (PREFIX_MAX) */
	bool had_den;                 /* "den" among the fillers: "Dresden, den ..." */
	bool comma_gap;               /* a ',' in the gap */
	bool dash_cell;               /* the label is in the cell before a spaced dash */
	bool label_ok;                /* a label rule may look at [seg_from, k) */
	bool paren;                   /* a '(' after the last real word */
} prefix;

/* Folds the line before the date at @ws and reads its words, separators and fillers into @p. */
static tr_status
read_prefix(scan *sc, const line *ln, size_t ws, prefix *p)
{
	size_t pstart = ws - ln->start > PREFIX_MAX ? char_start(sc->s, ws - PREFIX_MAX, ws) : ln->start;
	size_t fill_from;
	bool cell = false;
	words *w = &sc->w;
	seps sp;
	tr_status st;

	memset(p, 0, sizeof *p);
	p->truncated = pstart > ln->start;
	if ((st = fold_into(sc, pstart, ws)) != TR_OK)
		return st;
	p->pf = sc->fold.ptr;
	p->len = sc->fold.len;
	words_split(w, p->pf, p->len);
	find_seps(p->pf, p->len, &sp);

	/* The segment of the line the date belongs to: after the last separator. */
	while (p->seg_from < w->n && w->start[p->seg_from] < sp.last_end)
		p->seg_from++;
	p->seg_to = w->n;
	if (p->seg_from == p->seg_to && sp.last_end) {
		/* "| Datum | 12.03.2019 |": the label is in the cell before. */
		cell = true;
		p->dash_cell = sp.last_is_dash;
		p->seg_to = p->seg_from;
		p->seg_from = 0;
		while (p->seg_from < p->seg_to && w->start[p->seg_from] < sp.prev_end)
			p->seg_from++;
	}
	p->k = p->seg_to;
	while (p->k > p->seg_from && w_is_filler(w, p->k - 1)) {
		if (w_is(w, p->k - 1, "den"))
			p->had_den = true;
		p->k--;
	}
	for (size_t i = 0; i < w->n; i++)
		if (!w_is_filler(w, i))
			p->nonfill++;
	/* Between the last word that is not a filler and the date: ", den", ": ", " (". */
	p->gap_from = p->k > p->seg_from ? w->start[p->k - 1] + w->len[p->k - 1] : sp.last_end;
	fill_from = p->k < p->seg_to ? w->start[p->k] : p->len;
	p->paren = has_char(p->pf, p->gap_from, p->len, '(');
	p->label_ok = sc->labels && p->k > p->seg_from && !(p->truncated && !sp.last_end) && !p->paren;
	if (!cell)
		p->comma_gap = has_char(p->pf, p->gap_from, fill_from, ',');
	return TR_OK;
}

/*
 * "Freiberg, 2.8.16", "Dresden, den 3. März 2020", "Freiberg – 15.09.2017",
 * "Vortrag im Ausschuss für Bildung und Sport, 6. Dezember 2016": a place
 * or a title, a comma or a dash, and the date.  Returns the cue.
 */
static tr__date_cue
place_cue(const scan *sc, const line *ln, size_t ws, const prefix *p, const suffix *sf, bool head_a, bool tail)
{
	const words *w = &sc->w;
	bool above_prose = !sc->seen_prose && ws < DATELINE_BYTES;
	bool place = p->k - p->seg_from >= 1 && p->k - p->seg_from <= 5 && !p->truncated;
	bool bare;

	if (!sc->datelines || !(p->comma_gap || p->dash_cell) || p->paren)
		return TR__DATE_MENTION;
	for (size_t i = p->seg_from; place && i < p->k; i++)
		if (all_digits(w->s + w->start[i], w->len[i]))
			place = false;
	/*
	 * A line that is nothing but "Ort, Datum" is a dateline wherever the
	 * head is: after a letterhead, under a headline, below a web page's
	 * menus.
	 */
	bare = place && p->k - p->seg_from <= 3 && sf->words == 0 && ws < DATELINE_BYTES;
	if (place && sf->words <= 3 &&
	    ((head_a && (ln->idx < PLACE_LINES || above_prose || bare)) ||
	     (tail && (p->had_den || sf->words == 0))))
		return TR__DATE_DATELINE;
	/* "Vortrag im Ausschuss für Bildung und Sport, 6. Dezember 2016" under the title. */
	if (p->comma_gap && head_a && ln->idx < COMMA_LINES && sf->words == 0)
		return TR__DATE_DATELINE;
	return TR__DATE_MENTION;
}

/*
 * Classifies the date at [ws, end) on line @ln: a label before it on the
 * line (or alone on the line above), a dateline, or a mere mention.  Sets
 * *neg when the words before it make it a deadline, a plan or an earlier
 * meeting, or when it is quoted from another mail.
 */
static tr_status
cue_for(scan *sc, const line *ln, size_t ws, size_t end, tr__date_cue *cue, bool *neg)
{
	bool tail = ws >= sc->tail_start;
	bool head_a = ln->idx < LABEL_A_LINES && ws < LABEL_A_BYTES;
	bool head_b = ln->idx < LABEL_B_LINES && ws < LABEL_B_BYTES;
	bool above_prose = !sc->seen_prose && ws < DATELINE_BYTES;
	const words *w = &sc->w;
	prefix p;
	suffix sf;
	tr_status st;

	*cue = TR__DATE_MENTION;
	*neg = false;
	if (!tail && !head_a)
		return TR_OK;
	{
		/* A quoted e-mail ("> Gesendet: ...") is another document's date, not even a fallback. */
		size_t i = ln->start;

		while (i < ws && (sc->s[i] == ' ' || sc->s[i] == '\t'))
			i++;
		if (i < ws && sc->s[i] == '>') {
			*neg = true;
			return TR_OK;
		}
	}
	if ((st = read_prefix(sc, ln, ws, &p)) != TR_OK)
		return st;
	suffix_scan(sc->s, end, ln->end, &sf);

	/* "Stand:", "**Datum:**", "Zuletzt aktualisiert am" open the segment. */
	if (p.label_ok && (head_a || tail) && is_label_a(w, p.seg_from, p.k)) {
		*cue = TR__DATE_LABEL;
		return TR_OK;
	}
	for (size_t i = p.seg_to; i > p.seg_from && i + 6 > p.seg_to; i--) {
		if (w_is_negative(w, i - 1)) {
			*neg = true;
			return TR_OK;
		}
	}
	/* "Protokoll der Sitzung vom", "Sitzung am", "Zeit:" open a header line. */
	if (p.label_ok && head_b && !sf.verb && is_label_b(w, p.seg_from, p.k)) {
		*cue = TR__DATE_LABEL;
		return TR_OK;
	}
	if (p.nonfill == 0 && !p.truncated) {
		/* Nothing but the date (and a weekday) on the line. */
		bool label;

		if ((st = prev_line_is_label(sc, ln, sc->labels && (head_a || tail),
		                             sc->labels && head_b, &label)) != TR_OK)
			return st;
		if (label)
			*cue = TR__DATE_LABEL;
		else if (sc->datelines && head_a && sf.words <= 3 &&
		         (ln->idx < ALONE_LINES || above_prose))
			*cue = TR__DATE_DATELINE;
		return TR_OK;
	}
	*cue = place_cue(sc, ln, ws, &p, &sf, head_a, tail);
	return TR_OK;
}

/*
 * The word before word @k (at @ws) on the line, if any: [*ps, *ps + *pl).
 * Only the last 64 bytes before it are looked at (a longer word is seen
 * from there), so that a line of dates stays linear.
 */
static bool
prev_word(const scan *sc, size_t k, size_t line_start, size_t ws, size_t *ps, size_t *pl)
{
	const tr_text_word *x;
	size_t from = line_start;

	if (ws - line_start > 64)
		from = char_start(sc->s, ws - 64, ws);
	if (k == 0)
		return false;
	x = &sc->text_words->v[k - 1];
	if (x->start + x->len <= from)
		return false;
	*ps = x->start > from ? x->start : from;
	*pl = x->start + x->len - *ps;
	return true;
}

static bool
span_has_letter(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* Looks at a date match at [ws, ws+used) and records it unless it is a number in disguise. */
static tr_status
take_match(scan *sc, const line *ln, size_t k, size_t used, const tr_date *d, bool *taken)
{
	const char *s = sc->s;
	size_t ws = sc->text_words->v[k].start, end = ws + used, ps = 0, pl = 0;
	bool numeric = is_digit((unsigned char)s[ws]);
	bool have_prev = prev_word(sc, k, ln->start, ws, &ps, &pl);
	mention m;
	tr_status st;

	*taken = false;
	if (end < ln->end) {
		int cp;

		tr_text_decode(s + end, ln->end - end, &cp);
		if (tr_text_is_wordchar(cp))
			return TR_OK;
		if ((cp == '.' || cp == ',') && end + 1 < ln->end && is_digit((unsigned char)s[end + 1]))
			return TR_OK;                    /* "1.12.2017,5" is a number */
	}
	if (ws >= ln->start + 2 && strchr(".,-/:", s[ws - 1]) && is_digit((unsigned char)s[ws - 2]))
		return TR_OK;                            /* "1.700.2019", "030-12.03.19" */
	if (numeric && have_prev && in_list(s + ps, pl, number_words))
		return TR_OK;
	if (numeric && ws >= ln->start + 2 && ((unsigned char)s[ws - 1] == 0xA7 ||
	    (s[ws - 1] == ' ' && ws >= ln->start + 3 && (unsigned char)s[ws - 2] == 0xA7)))
		return TR_OK;                            /* "§ 15.3" */
	if (d->year && (d->year < MIN_YEAR || d->year > MAX_YEAR))
		return TR_OK;

	memset(&m, 0, sizeof m);
	m.m.date = *d;
	m.year_given = d->year != 0;
	m.where = sc->where;
	m.m.offset = ws;
	m.m.len = end - ws;
	m.in_table = memchr(s + ln->start, '\t', ln->end - ln->start) != NULL;
	if ((st = cue_for(sc, ln, ws, end, &m.m.cue, &m.neg)) != TR_OK)
		return st;
	if (!d->year && !span_has_letter(s + ws, end - ws)) {
		/*
		 * A bare "15.9." is a date only where a date is expected: after a
		 * label or "am".  Alone at the top of a line it is far more often
		 * a section number ("1.2. Ziele") than a dateline.
		 */
		if (m.m.cue == TR__DATE_DATELINE)
			m.m.cue = TR__DATE_MENTION;
		if (m.m.cue == TR__DATE_MENTION &&
		    (!have_prev || !(in_list(s + ps, pl, date_prepositions) ||
		                     tr_date_weekday_from_name(s + ps, (int)pl))))
			return TR_OK;
	}
	*taken = true;
	return mlist_add(sc->out, &m);
}

static bool
month_initial(unsigned char c)
{
	return strchr("JFMASONDjfmasond", c) != NULL && c != '\0';
}

/*
 * Whether a word that opens with a letter can be a date: tr_date_match()
 * finds none there but a month name ("März 2019", "Sept. 2017"), and every
 * month name opens with one of these pairs of letters.  A second character
 * that is not an ASCII letter (the "ä" of "März") is left to the parser.
 */
static bool
month_start(const char *w, size_t n)
{
	static const char pairs[] = "ap au de fe ja ju ma mr no oc ok se";
	char two[3];

	if (n < 3 || n > 12 || !month_initial((unsigned char)w[0]))
		return false;
	if (!((w[1] >= 'a' && w[1] <= 'z') || (w[1] >= 'A' && w[1] <= 'Z')))
		return true;
	two[0] = (char)(w[0] | 0x20);
	two[1] = (char)(w[1] | 0x20);
	two[2] = '\0';
	return strstr(pairs, two) != NULL;
}

static tr_status
scan_line(scan *sc, const line *ln, bool *nonempty)
{
	const char *s = sc->s;
	const tr_text_words *tw = sc->text_words;
	size_t pos = ln->start, ws, wl;
	tr_status st;

	*nonempty = false;
	for (size_t k = tr_text_words_at(tw, ln->start);
	     k < tw->n && (wl = tr_text_word_cut(s, &tw->v[k], ln->end)) > 0; k++) {
		unsigned char c0;
		tr_date d;
		size_t used;
		bool taken;

		ws = tw->v[k].start;
		if (ws < pos)
			continue;                  /* inside a date taken before */
		c0 = (unsigned char)s[ws];
		*nonempty = true;
		if (!is_digit(c0) && !month_start(s + ws, wl))
			continue;
		/* A range of days comes as its first day; a time is part of the date. */
		if (!tr_date_match(&d, &used, s + ws, ln->end - ws,
		                   TR_DATE_MATCH_PARTIAL | TR_DATE_MATCH_TIME))
			continue;
		if ((st = take_match(sc, ln, k, used, &d, &taken)) != TR_OK)
			return st;
		if (taken)
			pos = ws + used;
	}
	return TR_OK;
}

/* Scans the lines of [from, to); *idx and the previous line carry over between calls. */
static tr_status
scan_range(scan *sc, size_t from, size_t to, int *idx, size_t *prev_s, size_t *prev_e)
{
	size_t p = from, para_bytes = 0, para_lines = 0;
	tr_status st;

	while (p < to) {
		size_t e = p;
		line ln;
		bool nonempty;

		while (e < to && !is_break(sc->s[e]))
			e++;
		ln.start = p;
		ln.end = e;
		ln.idx = *idx;
		ln.prev_start = *prev_s;
		ln.prev_end = *prev_e;
		if ((st = scan_line(sc, &ln, &nonempty)) != TR_OK)
			return st;
		/*
		 * Prose: a long line, or a paragraph of long lines wrapped at a
		 * width (PDF text); menus, letterheads and lists of points are
		 * short lines.
		 */
		if (nonempty) {
			para_bytes += e - p;
			para_lines++;
			if (e - p >= PROSE_BYTES ||
			    (para_bytes >= PROSE_BYTES && para_bytes / para_lines >= 65))
				sc->seen_prose = true;
		} else {
			para_bytes = 0;
			para_lines = 0;
		}
		if (nonempty) {
			if (*idx < INT_MAX / 2)
				(*idx)++;
			*prev_s = p;
			*prev_e = e;
		}
		if (e + 1 < to && sc->s[e] == '\r' && sc->s[e + 1] == '\n')
			e++;                       /* CRLF is one break */
		p = e + 1;
	}
	return TR_OK;
}

/* End of the head: at a line break near HEAD_BYTES, so that no date is cut in two. */
static size_t
head_end(const char *s, size_t len)
{
	size_t p = HEAD_BYTES;

	if (len <= HEAD_BYTES)
		return len;
	while (p < len && p < HEAD_BYTES + 4096 && !is_break(s[p]))
		p++;
	if (p < len && !is_break(s[p])) {
		p = HEAD_BYTES;
		while (p > 0 && s[p - 1] != ' ')
			p--;
	}
	return p;
}

/* Start of the tail: the last TAIL_LINES non-empty lines, at most TAIL_BYTES, from a line start. */
static size_t
tail_start(const char *s, size_t len)
{
	size_t lim = len > TAIL_BYTES ? len - TAIL_BYTES : 0, p = len;
	int lines = 0;
	bool text = false;

	while (p > lim) {
		char c = s[p - 1];

		if (is_break(c)) {
			if (text && ++lines >= TAIL_LINES)
				return p;
			text = false;
		} else if (c != ' ' && c != '\t') {
			text = true;
		}
		p--;
	}
	if (p == 0)
		return 0;
	while (p < len && !is_break(s[p]))
		p++;
	return p < len ? p + 1 : len;
}

/* ---- Path convention -------------------------------------------------- */

static int
precision(const tr_date *d)
{
	return d->day ? 3 : d->month ? 2 : d->year ? 1 : 0;
}

static int
num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n && i < 9; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool
path_year_ok(int y)
{
	return y >= PATH_MIN_YEAR && y <= MAX_YEAR;
}

/* Whether the @n digits at @s are a time of day as a stamp writes it: HHMM or HHMMSS. */
static bool
stamp_time(const char *s, size_t n)
{
	if (n != 4 && n != 6)
		return false;
	return num(s, 2) < 24 && num(s + 2, 2) < 60 && (n == 4 || num(s + 4, 2) < 60);
}

/*
 * Reads the digit groups at @s (up to three, joined by '-', '_' or '.')
 * the way file names write dates: "2019-03-12", "2019_03_12", "20190312",
 * "12.03.2019", "12.3.19", "2018-05", "05-2018", "2018", and the stamps
 * scanners and cameras name files with, "20190312_101500" and
 * "20190312101500".  Year ranges ("2015-2017", "2016_17") are no date.
 * Sets *used to the bytes read.
 */
static tr_date
path_digits(const char *s, size_t len, size_t *used)
{
	size_t gs[4], gl[4], k = 0, p = 0;
	char sep[3] = { 0, 0, 0 };
	tr_date d = TR_DATE_NONE, none = TR_DATE_NONE;

	while (k < 4) {
		gs[k] = p;
		while (p < len && is_digit((unsigned char)s[p]))
			p++;
		gl[k] = p - gs[k];
		k++;
		if (k < 4 && p + 1 < len && strchr("-_.", s[p]) && is_digit((unsigned char)s[p + 1]))
			sep[k - 1 < 3 ? k - 1 : 2] = s[p++];
		else
			break;
	}
	*used = p;
	if (gl[0] == 8 || ((gl[0] == 12 || gl[0] == 14) && stamp_time(s + 8, gl[0] - 8))) {
		int v = num(s, 8);

		d.year = v / 10000;
		d.month = v / 100 % 100;
		d.day = v % 100;
	} else if (k == 1 && gl[0] == 4) {
		d.year = num(s, 4);
	} else if (k == 2 && gl[0] == 4 && (gl[1] == 1 || gl[1] == 2)) {
		d.year = num(s, 4);
		d.month = num(s + gs[1], gl[1]);
	} else if (k == 2 && (gl[0] == 1 || gl[0] == 2) && gl[1] == 4) {
		d.year = num(s + gs[1], 4);
		d.month = num(s, gl[0]);
	} else if (k == 3 && gl[0] == 4 && gl[1] <= 2 && gl[2] <= 2) {
		d.year = num(s, 4);
		d.month = num(s + gs[1], gl[1]);
		d.day = num(s + gs[2], gl[2]);
	} else if (k == 3 && gl[0] <= 2 && gl[1] <= 2 && gl[2] == 4) {
		d.year = num(s + gs[2], 4);
		d.month = num(s + gs[1], gl[1]);
		d.day = num(s, gl[0]);
	} else if (k == 3 && gl[0] <= 2 && gl[1] <= 2 && gl[2] == 2 && sep[0] == '.' && sep[1] == '.') {
		d.year = 2000 + num(s + gs[2], 2);
		if (d.year > 2069)
			d.year -= 100;
		d.month = num(s + gs[1], gl[1]);
		d.day = num(s, gl[0]);
	}
	if ((d.month == 0 && d.day != 0) || !path_year_ok(d.year) || !tr_date_is_valid(&d))
		return none;
	return d;
}

/* The most precise date a folder or file name gives (the first of equals). */
static bool
component_date(const char *s, size_t len, tr_date *out)
{
	tr_date best = TR_DATE_NONE;
	char buf[256];
	size_t n = len < sizeof buf ? len : sizeof buf - 1;

	for (size_t i = 0; i < len;) {
		size_t used;
		tr_date d;

		if (!is_digit((unsigned char)s[i]) || (i > 0 && is_digit((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		d = path_digits(s + i, len - i, &used);
		if (precision(&d) > precision(&best))
			best = d;
		i += used;
	}
	if (!best.day) {
		/* Names with month names: "Protokoll 12. März 2019", "Fachtag_Mai_2019". */
		memcpy(buf, s, n);
		buf[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if (buf[i] == '_')
				buf[i] = ' ';
		for (size_t i = 0; i < n; i++) {
			tr_date d;
			size_t used;

			if (i > 0 && (is_alnum((unsigned char)buf[i - 1]) || (unsigned char)buf[i - 1] >= 0x80))
				continue;
			if (!tr_date_match(&d, &used, buf + i, n - i, 0))
				continue;
			if (i + used < n && (is_alnum((unsigned char)buf[i + used]) ||
			                     (unsigned char)buf[i + used] >= 0x80))
				continue;
			if (path_year_ok(d.year) && precision(&d) > precision(&best))
				best = d;
		}
	}
	*out = best;
	return best.year != 0;
}

/*
 * The date the path gives: the file name first (without its extension),
 * then the folders from the innermost out; the first that names a date
 * gives it.
 */
static bool
path_date(const char *relpath, tr_date *out)
{
	size_t end, start;

	*out = (tr_date)TR_DATE_NONE;
	if (!relpath)
		return false;
	end = strlen(relpath);
	{
		/* Strip an extension: ".md", ".pptx", not ".2019". */
		const char *slash = strrchr(relpath, '/');
		const char *dot = strrchr(relpath, '.');
		size_t base = slash ? (size_t)(slash - relpath) + 1 : 0;

		if (dot && (size_t)(dot - relpath) > base) {
			size_t el = end - (size_t)(dot - relpath) - 1;
			bool letter = false, ok = el >= 1 && el <= 5;

			for (size_t i = 1; ok && i <= el; i++) {
				if (!is_alnum((unsigned char)dot[i]))
					ok = false;
				else if (!is_digit((unsigned char)dot[i]))
					letter = true;
			}
			if (ok && letter)
				end = (size_t)(dot - relpath);
		}
	}
	while (end > 0) {
		start = end;
		while (start > 0 && relpath[start - 1] != '/')
			start--;
		if (component_date(relpath + start, end - start, out))
			return true;
		end = start > 0 ? start - 1 : 0;
	}
	return false;
}

/* ---- The decision ----------------------------------------------------- */

typedef struct analysis {
	mlist ml;          /* title, then body, then headings mentions */
	tr_date path;      /* from the path, or none */
	tr_date text;      /* the text's own date, or none */
	tr_date doc;       /* the decision */
	tr_source src;
	bool found;
	const mention *chosen;    /* the text's mention that gave the date (src text), or NULL */
	size_t body_tail;  /* where the body's tail begins (tail_start()) */
} analysis;

/* A year for a cued date written without one ("Freiberg, 15. September"), from the text. */
static int
year_from_text(const mlist *ml, int month)
{
	for (size_t i = 0; i < ml->n; i++)
		if (ml->v[i].year_given && ml->v[i].m.date.month == month)
			return ml->v[i].m.date.year;
	for (size_t i = 0; i < ml->n; i++)
		if (ml->v[i].year_given && ml->v[i].m.date.day)
			return ml->v[i].m.date.year;
	return 0;
}

/*
 * The text's own date: the first cued date (title, then body in text
 * order, then headings).  Without any cue, a full date in the title or in
 * the first FALLBACK_BYTES of the body (and its first half or its opening) is taken, since
 * a short notice that opens "Am 11. September 2017 trafen sich ..." is
 * dated by that; anything later is too likely a mere mention.  Sets *cued
 * to tell the two apart.
 */
static bool
decide_text(const analysis *a, size_t body_len, tr_date *out, bool *cued, const mention **chosen)
{
	const mlist *ml = &a->ml;

	*cued = false;
	for (size_t i = 0; i < ml->n; i++) {
		const mention *m = &ml->v[i];
		tr_date d = m->m.date;

		if (m->m.cue == TR__DATE_MENTION || m->neg)
			continue;
		if (!d.year) {
			d.year = a->path.year ? a->path.year : year_from_text(ml, d.month);
			if (!tr_date_is_valid(&d))
				continue;
		}
		*out = d;
		*cued = true;
		*chosen = m;
		return true;
	}
	for (size_t i = 0; i < ml->n; i++) {
		const mention *m = &ml->v[i];

		if (!m->year_given || !m->m.date.day || m->neg)
			continue;
		if (m->where == WHERE_TITLE ||
		    (m->where == WHERE_BODY && m->m.offset < FALLBACK_BYTES &&
		     (m->m.offset * 2 <= body_len || (m->m.offset < FALLBACK_OPENING_BYTES && !m->in_table)))) {
			*out = m->m.date;
			*chosen = m;
			return true;
		}
	}
	return false;
}

/*
 * Path against text.  A full date in the path is a deliberate statement
 * and wins.  A month in the path wins unless the text's own date is a day
 * inside it.  A year in the path is weaker: it often names the year a
 * document is about rather than the year it was written
 * ("Jahresbericht_2022" appears in March 2023, the invitation to "Fachtag
 * 2021" goes out in December 2020), so a cued text date in that year or
 * next to it wins; an uncued one only in the same year.  A text date
 * further off is more likely misread than the folder misnamed, so the
 * path's year is kept.
 */
static void
decide(analysis *a, size_t body_len)
{
	const mention *chosen = NULL;
	bool cued, have_text = decide_text(a, body_len, &a->text, &cued, &chosen);
	const tr_date *p = &a->path, *t = &a->text;
	bool inside = false;

	a->found = true;
	if (p->day) {
		inside = false;
	} else if (p->month) {
		inside = have_text && t->year == p->year && t->month == p->month && t->day;
	} else if (p->year) {
		int gap = t->year > p->year ? t->year - p->year : p->year - t->year;

		inside = have_text && (gap == 0 || (cued && gap == 1));
	} else if (have_text) {
		inside = true;
	} else {
		a->found = false;
		return;
	}
	a->doc = inside ? *t : *p;
	a->src = inside ? TR_SOURCE_TEXT : TR_SOURCE_FOLDER;
	a->chosen = inside ? chosen : NULL;
}

/*
 * Points sc->text_words at the words of sc->s[from..to): @given when it
 * holds them (found from byte 0 up to @to or further), else words found
 * here.
 */
static tr_status
scan_words(scan *sc, const tr_text_words *given, size_t from, size_t to)
{
	if (given && given->from == 0 && given->to >= to) {
		sc->text_words = given;
		return TR_OK;
	}
	sc->text_words = &sc->own_words;
	return tr_text_words_find(&sc->own_words, sc->s, from, to);
}

/* Scans the text @s[0..len); @given: its words if found before (may be NULL). */
static tr_status
scan_text(scan *sc, const char *s, size_t len, const tr_text_words *given, bool whole, int line_base,
          int max_lines)
{
	size_t he, ts, prev_s = 0, prev_e = 0;
	int idx = line_base;
	tr_status st;

	sc->s = s;
	sc->len = len;
	ts = sc->tail_start;
	if (max_lines > 0) {
		/* Only the first lines (of the headings). */
		size_t e = 0;

		for (int i = 0; i < max_lines && e < len; i++) {
			while (e < len && !is_break(s[e]))
				e++;
			if (e < len)
				e++;
		}
		if ((st = scan_words(sc, given, 0, e)) != TR_OK)
			return st;
		return scan_range(sc, 0, e, &idx, &prev_s, &prev_e);
	}
	he = whole ? len : head_end(s, len);
	if ((st = scan_words(sc, given, 0, he)) != TR_OK ||
	    (st = scan_range(sc, 0, he, &idx, &prev_s, &prev_e)) != TR_OK)
		return st;
	if (ts > he) {
		idx = INT_MAX / 2;
		prev_s = prev_e = 0;
		if ((st = scan_words(sc, given, ts, len)) != TR_OK)
			return st;
		return scan_range(sc, ts, len, &idx, &prev_s, &prev_e);
	}
	return TR_OK;
}

/*
 * Sets up @sc to collect into @ml and scans the title; *base is the body's
 * first line number (1 after a title).  @sc is then ready for the body.
 */
static tr_status
scan_title(scan *sc, const tr_meta_input *in, mlist *ml, int *base)
{
	tr_status st = TR_OK;

	memset(sc, 0, sizeof *sc);
	tr_buf_init(&sc->fold, 64 * 1024);
	sc->out = ml;
	sc->labels = true;
	*base = 0;
	if (in->title && *in->title) {
		sc->where = WHERE_TITLE;
		sc->datelines = true;
		sc->tail_start = SIZE_MAX;
		st = scan_text(sc, in->title, strlen(in->title), NULL, true, 0, 0);
		*base = 1;
	}
	sc->where = WHERE_BODY;
	sc->datelines = true;
	sc->seen_prose = false;
	return st;
}

static tr_status
analyse(const tr_meta_input *in, bool whole, analysis *a)
{
	scan sc;
	tr_status st;
	int base = 0;
	const char *body = in->body ? in->body : "";
	size_t body_len = in->body ? in->body_len : 0;

	memset(a, 0, sizeof *a);
	path_date(in->relpath, &a->path);
	if ((st = scan_title(&sc, in, &a->ml, &base)) != TR_OK)
		goto done;
	sc.tail_start = a->body_tail = tail_start(body, body_len);
	if ((st = scan_text(&sc, body, body_len, in->body ? in->words : NULL, whole, base, 0)) != TR_OK)
		goto done;
	if (in->headings && *in->headings) {
		sc.where = WHERE_HEADINGS;
		sc.datelines = false;
		sc.tail_start = SIZE_MAX;
		if ((st = scan_text(&sc, in->headings, strlen(in->headings), NULL, true, 0,
		                    HEADING_LINES)) != TR_OK)
			goto done;
	}
	decide(a, body_len);
done:
	tr_buf_free(&sc.fold);
	tr_text_words_free(&sc.own_words);
	return st;
}

bool
tr__meta_find_date(const tr_meta_input *in, tr_date *out, tr_source *src)
{
	return tr__meta_find_date_where(in, out, src, NULL);
}

/* Where the decided date was read: the mention's line (body, title or headings), or the path. */
static void
date_where(const analysis *a, const tr_meta_input *in, tr__meta_where *where)
{
	const mention *m = a->chosen;

	if (a->src == TR_SOURCE_FOLDER && in->relpath)
		tr__meta_where_set(where, in->relpath, 0, strlen(in->relpath), false);
	else if (m && m->where == WHERE_BODY && in->body)
		tr__meta_where_set(where, in->body, m->m.offset, m->m.len, true);
	else if (m && m->where == WHERE_TITLE && in->title)
		tr__meta_where_set(where, in->title, m->m.offset, m->m.len, false);
	else if (m && m->where == WHERE_HEADINGS && in->headings)
		tr__meta_where_set(where, in->headings, m->m.offset, m->m.len, false);
}

/* What the type finder will ask (tr__meta_dateline_before()): the body's first dateline, its tail. */
static void
keep_datelines(const analysis *a, tr__meta_datelines *dl)
{
	dl->known = true;
	dl->tail_start = a->body_tail;
	dl->first = SIZE_MAX;
	for (size_t i = 0; i < a->ml.n; i++) {
		if (a->ml.v[i].where == WHERE_BODY && a->ml.v[i].m.cue == TR__DATE_DATELINE) {
			dl->first = a->ml.v[i].m.offset;
			break;
		}
	}
}

bool
tr__meta_find_date_where(const tr_meta_input *in, tr_date *out, tr_source *src, tr__meta_where *where)
{
	analysis a;
	bool found = false;

	if (analyse(in, false, &a) != TR_OK) {
		free(a.ml.v);
		return false;
	}
	if (in->datelines)
		keep_datelines(&a, in->datelines);
	if (a.found) {
		*out = a.doc;
		*src = a.src;
		if (where)
			date_where(&a, in, where);
		found = true;
	}
	free(a.ml.v);
	return found;
}

tr_status
tr__meta_date_mentions(const tr_meta_input *in, tr__date_mention **out, size_t *n)
{
	analysis a;
	tr_status st;
	size_t k = 0;
	int ref;

	*out = NULL;
	*n = 0;
	if ((st = analyse(in, true, &a)) != TR_OK)
		goto done;
	/*
	 * A date written without a year belongs to the document's year: the
	 * seed press release of 15.09.2017 reports on "am 11. September".
	 */
	ref = a.found ? a.doc.year : a.path.year;
	for (size_t i = 0; i < a.ml.n; i++) {
		mention *m = &a.ml.v[i];

		if (m->where != WHERE_BODY)
			continue;
		if (!m->m.date.year && ref) {
			tr_date d = m->m.date;

			d.year = ref;
			if (tr_date_is_valid(&d)) {
				m->m.date = d;
				m->m.year_inferred = true;
			}
		}
		a.ml.v[k++].m = m->m;
	}
	if (k) {
		*out = malloc(k * sizeof **out);
		if (!*out) {
			st = TR_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < k; i++)
			(*out)[i] = a.ml.v[i].m;
		*n = k;
	}
done:
	free(a.ml.v);
	return st;
}

/*
 * The whole text and its first @lim bytes, read on their own, give every
 * date before @before the same cue when both have their tail (whose rules
 * differ) after @before: the lines above are the same lines, read the
 * same way.  Otherwise the lines of the first @lim bytes above @before
 * are read again (a date's cue depends on its line and those above).
 */
tr_status
tr__meta_dateline_before(const tr_meta_input *in, size_t lim, size_t before, bool *yes)
{
	const tr__meta_datelines *dl = in->datelines;
	const char *body = in->body ? in->body : "";
	mlist ml = { NULL, 0, 0 };
	size_t prev_s = 0, prev_e = 0;
	int idx;
	scan sc;
	tr_status st;

	*yes = false;
	if (dl && dl->known && in->body &&
	    (lim == in->body_len || (before <= dl->tail_start && before <= tail_start(body, lim)))) {
		*yes = dl->first < before;
		return TR_OK;
	}
	if ((st = scan_title(&sc, in, &ml, &idx)) != TR_OK)
		goto done;
	sc.s = body;
	sc.len = lim;
	sc.tail_start = tail_start(body, lim);
	if ((st = scan_words(&sc, in->body ? in->words : NULL, 0, before)) != TR_OK ||
	    (st = scan_range(&sc, 0, before, &idx, &prev_s, &prev_e)) != TR_OK)
		goto done;
	for (size_t i = 0; i < ml.n; i++)
		if (ml.v[i].where == WHERE_BODY && ml.v[i].m.cue == TR__DATE_DATELINE && ml.v[i].m.offset < before)
			*yes = true;
done:
	tr_buf_free(&sc.fold);
	tr_text_words_free(&sc.own_words);
	free(ml.v);
	return st;
}
