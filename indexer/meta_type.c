/*
 * The kind of document: Pressemitteilung, Protokoll, Präsentation or
 * Sonstiges, from the path, the text and the file format.
 *
 * People file by kind ("Protokolle/", "PM_Start.txt"), so the path is asked
 * first.  The text is scored: every cue adds to one kind, cues in the title
 * or the first lines weigh more than the same word further down (minutes
 * that discuss "die Pressemitteilung zum Fachtag" in TOP 3 remain minutes),
 * and a kind must reach a threshold and lead clearly to be taken.  The
 * format comes last: slides are a presentation unless the text says
 * otherwise.  docs/metadata.md ("Type") states the rules for users.
 */
#include "meta.h"

#include <stdlib.h>
#include <string.h>

#include "doctype.h"
#include "text.h"

#define HEAD_BYTES   (64 * 1024)   /* the text is scored on its first 64 KB ... */
#define TAIL_BYTES   4096          /* ... and its last 4 KB, where contacts and thanks sit */
#define HEAD_LINES   6             /* the title and the first lines weigh more */

#define PM_MAX_BYTES 8192          /* press releases are short */
#define PROSE_CHARS  200           /* a paragraph this long is prose (see measure_prose()) */
#define THRESHOLD    3.0           /* a kind needs this score from the text */
#define LEAD         1.5           /* and this lead over the runner-up */
#define OVERRIDE     6.0           /* text this sure of another kind beats a folder name */

#define CUES_MAX     7.0           /* a type's cues from data/types.tsv add up to this */
#define FILE_POINTS  4.0           /* a file name naming a type of the table's own cues */
#define SHAPE_SURE   5.0           /* the slides' shape this sure beats the table's cues */

/* Scores are per type number; the three the rules below know by name: */
enum {
	K_PM = TR_DOCTYPE_PRESSEMITTEILUNG,
	K_PROT = TR_DOCTYPE_PROTOKOLL,
	K_PRAES = TR_DOCTYPE_PRAESENTATION,
	K_COUNT = TR_DOCTYPE_MAX
};

/* A type the rules below score by hand; the others are scored by their table cues. */
static bool
is_ruled_type(int t)
{
	return t == K_PM || t == K_PROT || t == K_PRAES;
}

/* ---- Small helpers on folded text (lower case, umlauts spelled out) ---- */

static bool
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* (The first letters are compared first: this runs for every cue on every line.) */
static bool
word_is(const char *w, size_t n, const char *lit)
{
	if (n == 0 || w[0] != lit[0])
		return n == 0 && lit[0] == '\0';
	return n == strlen(lit) && memcmp(w, lit, n) == 0;
}

static bool
word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (word_is(w, n, *list))
			return true;
	return false;
}

static bool
starts_with(const char *w, size_t n, const char *p)
{
	size_t pn;

	if (p[0] && (n == 0 || w[0] != p[0]))
		return false;
	pn = strlen(p);
	return n >= pn && memcmp(w, p, pn) == 0;
}

static bool
ends_with(const char *w, size_t n, const char *p)
{
	size_t pn = strlen(p);

	return n >= pn && memcmp(w + n - pn, p, pn) == 0;
}

static bool
all_digits(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)w[i]))
			return false;
	return n > 0;
}

/* The value of one or two ASCII digits. */
static int
digits_value(const char *s, size_t n)
{
	return n == 2 ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
}

/* True if @s[i] starts a word (the byte before is not a letter or digit). */
static bool
word_start(const char *s, size_t i)
{
	unsigned char c;

	if (i == 0)
		return true;
	c = (unsigned char)s[i - 1];
	return !(is_digit(c) || (c >= 'a' && c <= 'z') || c >= 0x80);
}

/*
 * The word starts of a folded text grouped by their first byte: the type
 * finder looks for some seventy phrases, and each then visits only the
 * words that begin with its letter instead of reading the whole text.
 */
typedef struct word_index {
	const char *s;
	size_t len;
	uint32_t first[257];     /* starts with byte b: at[first[b]..first[b + 1]), ascending */
	uint32_t *at;
} word_index;

static tr_status
word_index_build(word_index *wi, const char *s, size_t len)
{
	uint32_t fill[256];
	size_t n = 0;

	wi->s = s;
	wi->len = len;
	memset(wi->first, 0, sizeof wi->first);
	for (size_t i = 0; i < len; i++) {
		if (word_start(s, i)) {
			wi->first[(unsigned char)s[i] + 1]++;
			n++;
		}
	}
	for (int b = 0; b < 256; b++)
		wi->first[b + 1] += wi->first[b];
	if (!(wi->at = malloc((n ? n : 1) * sizeof *wi->at)))
		return TR_ENOMEM;
	memcpy(fill, wi->first, sizeof fill);
	for (size_t i = 0; i < len; i++)
		if (word_start(s, i))
			wi->at[fill[(unsigned char)s[i]]++] = (uint32_t)i;
	return TR_OK;
}

/* Occurrences of @phrase starting at a word boundary, not overlapping, up to @max. */
static int
count_phrase(const word_index *wi, const char *phrase, int max)
{
	size_t pn = strlen(phrase), next = 0;
	unsigned char b = (unsigned char)phrase[0];
	int n = 0;

	for (uint32_t k = wi->first[b]; k < wi->first[b + 1] && n < max; k++) {
		size_t i = wi->at[k];

		if (i >= next && i + pn <= wi->len && memcmp(wi->s + i, phrase, pn) == 0) {
			n++;
			next = i + pn;
		}
	}
	return n;
}

/* ---- Path ------------------------------------------------------------- */

/* The type one folded path word names ("Sitzungsprotokolle", "Folien", "Einladung"), or unknown. */
static tr_doctype
path_word_type(const char *w, size_t n)
{
	char buf[64];
	tr_doctype t;

	if (n == 0 || n >= sizeof buf)
		return TR_DOCTYPE_UNKNOWN;
	memcpy(buf, w, n);
	buf[n] = '\0';
	return tr_doctype_from_name(&t, buf) == TR_OK ? t : TR_DOCTYPE_UNKNOWN;
}

/*
 * The type named by one folded path component: the first word that names
 * one of the three ruled types.  *other is set to the first other type a
 * word names (Sonstiges for "Brief", "Liste"): an "Einladung.txt" in
 * "Protokolle/" is an invitation, so the folder's word must not type it.
 */
static tr_doctype
component_type(const char *s, size_t len, tr_doctype *other)
{
	size_t pos = 0, st, wl;
	tr_doctype found = TR_DOCTYPE_UNKNOWN;

	*other = TR_DOCTYPE_UNKNOWN;
	while (tr_text_next_word(s, len, &pos, &st, &wl)) {
		tr_doctype t = path_word_type(s + st, wl);

		if (t != TR_DOCTYPE_UNKNOWN && !is_ruled_type(t)) {
			if (*other == TR_DOCTYPE_UNKNOWN)
				*other = t;
		} else if (t != TR_DOCTYPE_UNKNOWN && found == TR_DOCTYPE_UNKNOWN) {
			found = t;
		}
	}
	return found;
}

/*
 * The news section of a website ("landkreis-x.de/aktuelles/…"): what an
 * authority publishes there are its press releases, but the folder name is
 * too vague to decide alone, so it only adds to the text's score.
 */
static const char *const news_words[] = {
	"aktuelles", "aktuell", "news", "meldungen", "nachrichten", "neuigkeiten",
	"newsroom", NULL
};

/*
 * The path's word for the type: the file name's (without its extension) in
 * *file, else the innermost folder's in *folder.  A file name that names
 * another kind of document ("Einladung") leaves *folder unknown and puts
 * that kind in *named.  *news is set when a folder is a website's news
 * section.
 */
static tr_status
path_type(const char *relpath, tr_doctype *file, tr_doctype *folder, tr_doctype *named, bool *news)
{
	char *f;
	size_t end, start;
	tr_doctype other;

	*file = *folder = *named = TR_DOCTYPE_UNKNOWN;
	*news = false;
	if (!relpath || !*relpath)
		return TR_OK;
	f = tr_text_fold_dup(relpath);
	if (!f)
		return TR_ENOMEM;
	end = strlen(f);
	{
		const char *slash = strrchr(f, '/'), *dot = strrchr(f, '.');

		if (dot && (!slash || dot > slash) && end - (size_t)(dot - f) <= 6)
			end = (size_t)(dot - f);
	}
	start = end;
	while (start > 0 && f[start - 1] != '/')
		start--;
	*file = component_type(f + start, end - start, &other);
	if (other != TR_DOCTYPE_SONSTIGES)
		*named = other;
	while (start > 0) {
		size_t pos, st, wl;
		tr_doctype folder_other;

		end = start - 1;
		start = end;
		while (start > 0 && f[start - 1] != '/')
			start--;
		pos = start;
		while (tr_text_next_word(f, end, &pos, &st, &wl))
			if (word_in(f + st, wl, news_words))
				*news = true;
		if (*file == TR_DOCTYPE_UNKNOWN && !other && *folder == TR_DOCTYPE_UNKNOWN) {
			*folder = component_type(f + start, end - start, &folder_other);
			if (*folder == TR_DOCTYPE_UNKNOWN && folder_other != TR_DOCTYPE_SONSTIGES)
				*folder = folder_other;       /* "Berichte/", "Handreichungen/" */
		}
	}
	free(f);
	return TR_OK;
}

/* ---- Text ------------------------------------------------------------- */

typedef struct score {
	double s[K_COUNT];
	/* Distinct cues seen, so that repetition does not inflate a score. */
	unsigned long long tops;      /* TOP numbers 1..63 */
	unsigned long long folien;    /* Folie numbers 1..63 */
	unsigned long long numbers;   /* numbers 1..63 alone on a line */
	bool seen_tagesordnung, seen_protokollant, seen_notes, seen_anwesend,
	     seen_teilnehm, seen_entschuldigt, seen_head_prot, seen_head_pm,
	     seen_head_praes, seen_head_meeting, seen_results, seen_published,
	     seen_invitation;
	unsigned long long seen_head_table;   /* table types whose head word was seen (bit per type) */
	unsigned meta_labels;         /* "Moderation:", "Ort:", "Beginn:" seen (bit per label) */
	unsigned long long contacts;  /* press contact lines seen (bit per kind) */
	int n_lines, n_bullets, n_short, n_rules, n_headings, n_numbered;
	size_t line_bytes, text_bytes;
	size_t prose_chars, body_chars;   /* from measure_prose() */
} score;

static const char *const prot_head_words[] = {
	"niederschrift", "mitschrift", "ergebnisniederschrift", "minutes", NULL
};
static const char *const pm_head_words[] = {
	"pressemitteilung", "pressemeldung", "presseinformation", "medieninformation",
	"presseerklaerung", "pressenotiz", "pressetext", NULL
};
static const char *const praes_head_words[] = {
	"vortrag", "praesentation", "impulsvortrag", "foliensatz", "kurzvortrag",
	"impuls", "input", "referent", "referentin", "referenten", "slides", NULL
};

static int
popcount(unsigned long long v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* Line openers of a press release's contact block (prefixes). */
static const char *const contact_words[] = {
	"pressekontakt", "pressesprecher", "pressestelle", "medienkontakt", "presseanfragen",
	"pressereferent", NULL
};

/* Labels of a minutes header: "Moderation: ...", "Ort: ...", "Beginn: ...". */
static const char *const minutes_labels[] = {
	"moderation", "sitzungsleitung", "leitung", "ort", "beginn", "ende", "zeit",
	"gaeste", "verteiler", NULL
};

/* Section names of the results of a meeting. */
static const char *const results_words[] = {
	"verabredungen", "vereinbarungen", "beschluesse", "festlegungen", "absprachen",
	"ergebnisse", "aufgaben", NULL
};

/* "Sitzung", "Netzwerktreffen", "Dienstberatung", "Stadtteilrunde". */
static bool
is_meeting_word(const char *w, size_t n)
{
	static const char *const endings[] = {
		"sitzung", "treffen", "beratung", "besprechung", "konferenz", "runde",
		"versammlung", "klausur", NULL
	};

	for (const char *const *p = endings; *p; p++)
		if (ends_with(w, n, *p))
			return true;
	return false;
}

/* True if a word of @list opens a segment after " · ", " | ", " – " on the line. */
static bool
after_separator_is(const char *s, size_t len, const char *const *list)
{
	static const char *const seps[] = {
		"\xC2\xB7", "|", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA2", NULL
	};

	for (size_t i = 0; i < len; i++) {
		for (const char *const *sp = seps; *sp; sp++) {
			size_t n, pos, st, wl;

			if (s[i] != (*sp)[0])
				continue;                  /* most bytes open no separator */
			n = strlen(*sp);
			if (i + n > len || memcmp(s + i, *sp, n) != 0)
				continue;
			pos = i + n;
			if (tr_text_next_word(s, len, &pos, &st, &wl) && word_in(s + st, wl, list))
				return true;
		}
	}
	return false;
}

/*
 * A head word of a table type (data/types.tsv: "Einladung", "Beschlussvorlage",
 * "Jahresbericht") in the title or opening a first line: its points, once.
 */
static void
score_table_head(score *sc, const char *w, size_t n)
{
	int count = tr_doctype_count();

	for (int t = 1; t < count; t++) {
		const tr__doctype_row *r = tr__doctype_get((tr_doctype)t);

		if (!r || (sc->seen_head_table & (1ULL << t)))
			continue;
		for (size_t i = 0; i < r->n_head; i++) {
			if (tr__doctype_pattern_match(r->head[i], w, n)) {
				sc->s[t] += r->head_points;
				sc->seen_head_table |= 1ULL << t;
				break;
			}
		}
	}
}

/* One line's first two words, as the cues read them. */
typedef struct line_words {
	const char *s;        /* the whole line */
	size_t len;
	const char *w1, *w2;  /* its first and second word (wl2 0: none) */
	size_t wl1, wl2;
	bool colon;           /* the first word ends in ':' */
	bool head;            /* the title or a first line, where a document names its own kind */
} line_words;

/*
 * The shape of a line of folded text (bullets, headings, rules, short
 * lines) counted in @sc; returns where its text starts, or @len for a
 * line of only markup.
 */
static size_t
score_line_shape(score *sc, const char *s, size_t len)
{
	size_t i = 0;
	bool bullet = false;

	/* Leading markup: "# ", "**", "- ", "• ", "> ", "| ". */
	while (i < len) {
		int cp;
		size_t n = tr_text_decode(s + i, len - i, &cp);

		if (tr_text_is_wordchar(cp))
			break;
		if (cp == '-' || cp == '*' || cp == 0x2022 || cp == 0x2013 || cp == 0x25AA ||
		    cp == 0x25E6 || cp == 0x00B7 || cp == 0x2023 || cp == 0x25BA || cp == 0x2192 ||
		    cp == 0x25CF || cp == 0x25A0 || cp == 0x2714 || cp == 0x2713)
			bullet = true;
		i += n;
	}
	if (i == len) {
		/* A line of only "---" or "***" separates slides in Markdown decks. */
		if (len >= 3 && (s[0] == '-' || s[0] == '*' || s[0] == '_'))
			sc->n_rules++;
		return len;
	}
	sc->n_lines++;
	sc->line_bytes += len;
	if (s[0] == '#')
		sc->n_headings++;             /* Markdown read as plain text */
	if (bullet && !(s[0] == '*' && len > 1 && s[1] == '*'))
		sc->n_bullets++;
	if (len < 80)
		sc->n_short++;
	return i;
}

/* The cues of minutes (and the invitation that is not one) in one line. */
static void
score_minutes_line(score *sc, const line_words *l)
{
	/* Protokoll */
	if (l->head && !sc->seen_head_prot &&
	    (ends_with(l->w1, l->wl1, "protokoll") || word_in(l->w1, l->wl1, prot_head_words)) && !l->colon) {
		sc->s[K_PROT] += 5;
		sc->seen_head_prot = true;
	}
	if (!sc->seen_protokollant &&
	    (starts_with(l->w1, l->wl1, "protokollant") || starts_with(l->w1, l->wl1, "protokollfuehr") ||
	     (word_is(l->w1, l->wl1, "protokoll") && l->colon))) {
		sc->s[K_PROT] += 3;                /* "Protokoll: Thomas Brückner" */
		sc->seen_protokollant = true;
	}
	if (!sc->seen_notes && l->colon && (word_is(l->w1, l->wl1, "notizen") || word_is(l->w1, l->wl1, "mitschrift") ||
	                                 starts_with(l->w1, l->wl1, "schriftfuehr"))) {
		sc->s[K_PROT] += 1.5;              /* "Notizen: Quartiersmanagement" */
		sc->seen_notes = true;
	}
	if (l->colon) {
		for (int k = 0; minutes_labels[k]; k++) {
			if (word_is(l->w1, l->wl1, minutes_labels[k]) && !(sc->meta_labels & (1u << k))) {
				sc->meta_labels |= 1u << k;
				if (popcount(sc->meta_labels) <= 3)
					sc->s[K_PROT] += 0.5;
			}
		}
	}
	if (l->head && !sc->seen_head_meeting && l->wl2 &&
	    (word_is(l->w2, l->wl2, "vom") || word_is(l->w2, l->wl2, "am")) &&
	    is_meeting_word(l->w1, l->wl1)) {
		sc->s[K_PROT] += 2;                /* "Sitzung vom 15. November 2023" */
		sc->seen_head_meeting = true;
	}
	if (!sc->seen_results && (l->wl2 == 0 || l->colon) && word_in(l->w1, l->wl1, results_words)) {
		sc->s[K_PROT] += 1;                /* a section "Vereinbarungen" */
		sc->seen_results = true;
	}
	if (!sc->seen_tagesordnung && (word_is(l->w1, l->wl1, "tagesordnung") || word_is(l->w1, l->wl1, "agenda"))) {
		sc->s[K_PROT] += word_is(l->w1, l->wl1, "agenda") ? 0.5 : 1.5;
		sc->seen_tagesordnung = true;
	}
	if (!sc->seen_anwesend && starts_with(l->w1, l->wl1, "anwesen")) {
		sc->s[K_PROT] += 1.5;
		sc->seen_anwesend = true;
	}
	if (!sc->seen_teilnehm && starts_with(l->w1, l->wl1, "teilnehm") && (l->colon || l->wl2 == 0 || l->head)) {
		sc->s[K_PROT] += 1.5;
		sc->seen_teilnehm = true;
	}
	if (!sc->seen_entschuldigt && (word_is(l->w1, l->wl1, "entschuldigt") || word_is(l->w1, l->wl1, "abwesend"))) {
		sc->s[K_PROT] += 1.5;
		sc->seen_entschuldigt = true;
	}
	if ((word_is(l->w1, l->wl1, "top") || word_is(l->w1, l->wl1, "tagesordnungspunkt")) &&
	    l->wl2 && all_digits(l->w2, l->wl2) && l->wl2 <= 2) {
		int n = digits_value(l->w2, l->wl2);

		if (n > 0 && n < 64)
			sc->tops |= 1ULL << n;
	}

	/*
	 * An invitation carries an agenda ("Tagesordnung", "TOP 1") and a date
	 * line like minutes and press releases, but is neither.
	 */
	if (l->head && !sc->seen_invitation && starts_with(l->w1, l->wl1, "einladung")) {
		sc->s[K_PROT] -= 3;
		sc->s[K_PM] -= 2;
		sc->seen_invitation = true;
	}
}

/* The cues of a press release in one line. */
static void
score_release_line(score *sc, const line_words *l)
{
	/* Pressemitteilung */
	if (l->head && !sc->seen_published &&
	    (word_is(l->w1, l->wl1, "veroeffentlicht") || word_is(l->w1, l->wl1, "published") ||
	     word_is(l->w1, l->wl1, "erschienen")))
		sc->seen_published = true;         /* "Veröffentlicht am 08.11.2017 · Bildung" */
	if (l->head && !sc->seen_head_pm && after_separator_is(l->s, l->len, pm_head_words)) {
		sc->s[K_PM] += 5;                  /* "Amt für Schule · Pressemitteilung" */
		sc->seen_head_pm = true;
	}
	if (l->head && !sc->seen_head_pm &&
	    (word_in(l->w1, l->wl1, pm_head_words) ||
	     (word_is(l->w1, l->wl1, "press") && l->wl2 && word_is(l->w2, l->wl2, "release")) ||
	     (word_is(l->w1, l->wl1, "pm") && (l->wl2 == 0 || all_digits(l->w2, l->wl2) ||
	                                 word_is(l->w2, l->wl2, "nr"))))) {
		sc->s[K_PM] += 5;
		sc->seen_head_pm = true;
	}

	/*
	 * The contact block that closes a press release: a line that opens
	 * with "Pressekontakt", "Für Rückfragen", "Pressesprecherin".  Minutes
	 * mention "die Pressestelle" in a sentence, not as a label.
	 */
	for (int k = 0; contact_words[k]; k++)
		if (starts_with(l->w1, l->wl1, contact_words[k]))
			sc->contacts |= 1ULL << k;
	if ((word_is(l->w1, l->wl1, "fuer") && l->wl2 && word_is(l->w2, l->wl2, "rueckfragen")) ||
	    word_is(l->w1, l->wl1, "rueckfragen"))
		sc->contacts |= 1ULL << 62;
}

/* The cues of slides in one line. */
static void
score_slides_line(score *sc, const line_words *l)
{
	/* Präsentation */
	if ((word_is(l->w1, l->wl1, "folie") || word_is(l->w1, l->wl1, "slide")) &&
	    l->wl2 && all_digits(l->w2, l->wl2) && l->wl2 <= 2) {
		int n = digits_value(l->w2, l->wl2);

		if (n > 0 && n < 64)
			sc->folien |= 1ULL << n;
	}
	if (l->head && !sc->seen_head_praes && word_in(l->w1, l->wl1, praes_head_words)) {
		sc->s[K_PRAES] += 2;
		sc->seen_head_praes = true;
	}
}

/*
 * Scores one line of folded text.  @head marks the title and the first
 * lines, where a document names its own kind.
 */
static void
score_line(score *sc, const char *s, size_t len, bool head)
{
	size_t pos, st1, st2 = 0, p2;
	line_words l = { s, len, NULL, NULL, 0, 0, false, head };

	if ((pos = score_line_shape(sc, s, len)) == len)
		return;
	if (!tr_text_next_word(s, len, &pos, &st1, &l.wl1))
		return;
	if (all_digits(s + st1, l.wl1) && l.wl1 <= 2 && pos < len && s[pos] == '.' && len < 80)
		sc->n_numbered++;              /* "1. Ausgangslage": a section of a report */
	if (all_digits(s + st1, l.wl1) && l.wl1 <= 2 && st1 + l.wl1 == len) {
		int n = digits_value(s + st1, l.wl1);

		if (n > 0 && n < 64)
			sc->numbers |= 1ULL << n;
	}
	l.w1 = s + st1;
	l.colon = pos < len && s[pos] == ':';
	p2 = pos;
	if (!tr_text_next_word(s, len, &p2, &st2, &l.wl2))
		l.wl2 = 0;
	l.w2 = s + st2;
	if (head)
		score_table_head(sc, l.w1, l.wl1);
	score_minutes_line(sc, &l);
	score_release_line(sc, &l);
	score_slides_line(sc, &l);
}

/* Characters (not bytes) in @s[0..n): widths are counted in characters. */
static size_t
chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Scores each line of a folded text; the first @head_lines non-empty ones as head lines. */
static int
score_lines(score *sc, const char *s, size_t len, int head_lines)
{
	size_t p = 0;
	int nonempty = 0;

	while (p < len) {
		size_t e = p;
		int before = sc->n_lines;

		while (e < len && s[e] != '\n' && s[e] != '\r' && s[e] != '\f')
			e++;
		if (e > p)
			score_line(sc, s + p, e - p, nonempty < head_lines);
		if (sc->n_lines > before)
			nonempty++;
		p = e + 1;
	}
	sc->text_bytes += len;
	return nonempty;
}

static bool
has_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_digit((unsigned char)s[i]) || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
		    (unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/*
 * Measures how much of @s[0..len) (as written, not folded: widths count)
 * is prose, in characters, into *prose of *total.  A paragraph is prose if
 * it is long and is one line, or lines wrapped at a width (PDF text): there
 * no line would have had room for the next line's first word.  A list of
 * points, whose markers the extractors drop, has room to spare.
 */
static void
measure_prose(const char *s, size_t len, size_t *prose, size_t *total)
{
	size_t p = 0, para = 0, para_max = 0, min_fit = 0, last = 0;
	int lines = 0;

	*prose = *total = 0;
	while (p <= len) {
		size_t e = p;

		while (e < len && s[e] != '\n' && s[e] != '\r' && s[e] != '\f')
			e++;
		if (has_text(s + p, e - p)) {
			size_t n = chars(s + p, e - p);

			if (lines) {
				size_t fw = 0, fit;

				while (p + fw < e && s[p + fw] == ' ')
					fw++;
				while (p + fw < e && s[p + fw] != ' ')
					fw++;
				fit = last + 1 + chars(s + p, fw);
				min_fit = lines == 1 || fit < min_fit ? fit : min_fit;
			}
			last = n;
			para_max = n > para_max ? n : para_max;
			para += n;
			lines++;
			*total += n;
		} else if (lines) {
			if (para >= PROSE_CHARS && (lines == 1 || min_fit > para_max))
				*prose += para;
			para = para_max = min_fit = 0;
			lines = 0;
		}
		if (e + 1 < len && s[e] == '\r' && s[e + 1] == '\n')
			e++;                       /* CRLF is one break */
		p = e + 1;
	}
}

/* Occurrences of @sub anywhere in @s[0..len), up to @max. */
static int
count_sub(const char *s, size_t len, const char *sub, int max)
{
	size_t n = strlen(sub);
	int k = 0;

	for (size_t i = 0; i + n <= len && k < max; i++)
		if (s[i] == sub[0] && memcmp(s + i, sub, n) == 0)
			k++;
	return k;
}

/* Distinct words of @list found in the text, up to @max. */
static int
count_distinct(const word_index *wi, const char *const *list, int max)
{
	int n = 0;

	for (; *list && n < max; list++)
		if (count_phrase(wi, *list, 1))
			n++;
	return n;
}

/* Minutes report in the present tense, press releases in the past. */
static const char *const minutes_verbs[] = {
	"berichtet ", "informiert ", "erlaeutert ", "stellt ", "bittet ", "ergaenzt ",
	"weist ", "schlaegt ", "regt ", "fragt ", "dankt ", "verweist ", "schildert ", NULL
};
static const char *const report_verbs[] = {
	"sagte", "sagt ", "betonte", "erklaerte", "berichtete", "unterstrich", "ergaenzte",
	"informierte", "freute", "zeigte sich", "eroeffnete", "begruesste", "kamen ",
	"trafen sich", "nahmen ", "so die ", "so der ", NULL
};
static const char *const decision_words[] = {
	"beschluss", "beschluesse", "beschlossen", "vereinbart", "vereinbarung",
	"festgelegt", "verantwortlich:", "zustaendig:", "wer macht was", "bis wann",
	"aufgaben:", "ergebnis:", "naechste sitzung", "naechstes treffen",
	"naechster termin", NULL
};
/* Press-release furniture anywhere in the text. */
static const char *const press_furniture[] = {
	"v.i.s.d.p", "visdp", "abdruck honorarfrei", "abdruck frei", "belegexemplar",
	"ansprechpartner fuer die presse", "ansprechpartnerin fuer die presse",
	"ansprechpartner fuer medien", "kontakt fuer journalisten", NULL
};
/* Letters, memos and committee papers open with a dateline too. */
static const char *const letter_words[] = {
	"sehr geehrte", "liebe kolleginnen", "liebe kollegen", "mit freundlichen gruessen",
	"viele gruesse", "beste gruesse", "herzliche gruesse", "betreff:", "sachverhalt:",
	"beschlussvorschlag", "aktenzeichen", "inhaltsverzeichnis", "anlagen:", NULL
};
static const char *const thanks_words[] = {
	"vielen dank fuer ihre aufmerksamkeit", "danke fuer ihre aufmerksamkeit",
	"vielen dank fuer eure aufmerksamkeit", "danke fuer eure aufmerksamkeit",
	"thank you for your attention", "fragen und diskussion", NULL
};
/* Direct speech with its speaker, as press releases quote: „…“, sagt Frau X. */
static const char *const quote_attributions[] = {
	"\xE2\x80\x9C, sagt", "\xE2\x80\x9C, sagte", "\xE2\x80\x9C, betont", "\xE2\x80\x9C, so ",
	"\xE2\x80\x9C, erklaert", "\xE2\x80\x9C, berichtet", "\", sagt", "\", sagte", "\", so ",
	"\xC2\xAB, sagt", NULL
};

static const char *const pm_words[] = {
	"pressemitteilung", "pressemeldung", "medieninformation", "presseinformation", NULL
};

/*
 * Whether the body opens with a dateline ("15.09.2017" alone under the
 * headline, "Freiberg, 2.8.16"), as press releases do: a dateline above the
 * first paragraph of prose.  The date finder knows what a dateline is.
 */
static tr_status
has_dateline(const tr_meta_input *in, bool *yes)
{
	size_t lim = in->body_len < 4096 ? in->body_len : 4096, prose = lim;

	for (size_t i = 0, start = 0; i <= lim; i++) {
		if (i == lim || in->body[i] == '\n' || in->body[i] == '\r' || in->body[i] == '\f') {
			if (i - start >= 160) {
				prose = start;
				break;
			}
			start = i + 1;
		}
	}
	return tr__meta_dateline_before(in, lim, prose, yes);
}

/* Folds the body's bytes [from..to), cut at character boundaries, into @out: from its found words where it can. */
static tr_status
fold_part(tr_buf *out, const tr_meta_input *in, size_t from, size_t to)
{
	const char *s = in->body;

	while (from < to && ((unsigned char)s[from] & 0xC0) == 0x80)
		from++;
	while (to > from && to < in->body_len && ((unsigned char)s[to] & 0xC0) == 0x80)
		to--;
	return tr_text_words_fold_range(in->words, s, from, to, out);
}

/* The title names the kind anywhere in it: "3. Netzwerktreffen – Sitzungsprotokoll". */
static void
score_title_words(score *sc, const char *s, size_t len)
{
	size_t pos = 0, st, wl;

	while (tr_text_next_word(s, len, &pos, &st, &wl)) {
		const char *w = s + st;

		score_table_head(sc, w, wl);
		if (!sc->seen_head_prot && (ends_with(w, wl, "protokoll") || word_in(w, wl, prot_head_words))) {
			sc->s[K_PROT] += 5;
			sc->seen_head_prot = true;
		}
		if (!sc->seen_head_pm && word_in(w, wl, pm_head_words)) {
			sc->s[K_PM] += 5;
			sc->seen_head_pm = true;
		}
		if (!sc->seen_head_praes &&
		    (ends_with(w, wl, "vortrag") || starts_with(w, wl, "praesentation"))) {
			sc->s[K_PRAES] += 2;
			sc->seen_head_praes = true;
		}
	}
}

/* True if @phrase opens a line of the folded text (after markup: "**", "- ", "# "). */
static bool
line_phrase(const word_index *wi, const char *phrase)
{
	size_t pn = strlen(phrase);
	unsigned char b = (unsigned char)phrase[0];

	for (uint32_t k = wi->first[b]; k < wi->first[b + 1]; k++) {
		size_t i = wi->at[k], j = i;

		if (i + pn > wi->len || memcmp(wi->s + i, phrase, pn) != 0)
			continue;
		while (j > 0 && wi->s[j - 1] && strchr(" \t*#->|_", wi->s[j - 1]))
			j--;
		if (j == 0 || wi->s[j - 1] == '\n' || wi->s[j - 1] == '\f')
			return true;
	}
	return false;
}

/* "Von Anna Schmidt", "Von Jens-Uwe Meier": a byline, three to five capitalised words. */
static bool
is_byline(const char *s, size_t n)
{
	size_t pos = 0, st, wl;
	int words = 0;

	if (n > 60)
		return false;
	while (tr_text_next_word(s, n, &pos, &st, &wl)) {
		unsigned char c = (unsigned char)s[st];

		if (words == 0 && !(wl == 3 && (c == 'V' || c == 'v') && memcmp(s + st + 1, "on", 2) == 0 &&
		                    st + 3 < n && s[st + 3] == ' '))
			return false;                        /* not "Von:", an e-mail's header */
		if (words > 0 && ((c >= 'a' && c <= 'z') || is_digit(c)))
			return false;
		words++;
	}
	return words >= 3 && words <= 5;
}

/* A byline among the first eight lines of the text (as written: capitals count). */
static bool
has_byline(const char *s, size_t len)
{
	size_t p = 0;
	int lines = 0;

	if (len > 4096)
		len = 4096;
	while (p < len && lines < 8) {
		size_t e = p;

		while (e < len && s[e] != '\n' && s[e] != '\f')
			e++;
		if (has_text(s + p, e - p)) {
			lines++;
			if (is_byline(s + p, e - p))
				return true;
		}
		p = e + 1;
	}
	return false;
}

/*
 * The cues of data/types.tsv for the types it alone describes: each cue
 * found counts once, a type's sum up to CUES_MAX.  "@byline" and "@webpage"
 * are shapes, not words; @dated (a dateline, or a website's news section)
 * makes a web page news rather than information.
 */
static void
score_table_cues(score *sc, const word_index *wi, const tr_meta_input *in, bool dated)
{
	int count = tr_doctype_count();
	bool byline = has_byline(in->body, in->body_len);
	bool webpage = in->format && strcmp(in->format, "html") == 0 && !dated;

	for (int t = 1; t < count; t++) {
		const tr__doctype_row *r = tr__doctype_get((tr_doctype)t);
		double sum = 0;

		for (size_t i = 0; r && i < r->n_cues; i++) {
			const tr__doctype_cue *c = &r->cues[i];
			bool hit;

			if (c->phrase[0] == '@')
				hit = (byline && strcmp(c->phrase, "@byline") == 0) ||
				      (webpage && strcmp(c->phrase, "@webpage") == 0);
			else if (c->line_start)
				hit = line_phrase(wi, c->phrase);
			else
				hit = count_phrase(wi, c->phrase, 1) > 0;
			if (hit)
				sum += c->points;
		}
		sc->s[t] += sum < CUES_MAX ? sum : CUES_MAX;
	}
}

/* Protokoll: the agenda's items, decisions, reporting in the present tense. */
static void
score_minutes_text(score *sc, const word_index *wi)
{
	int tops = popcount(sc->tops);

	sc->s[K_PROT] += tops >= 4 ? 3 : tops >= 2 ? 2 : 0;
	sc->s[K_PROT] += 0.5 * count_distinct(wi, decision_words, 4);
	if (count_distinct(wi, minutes_verbs, 5) >= 3)
		sc->s[K_PROT] += 1;
	if (count_phrase(wi, "ergebnisprotokoll", 1))
		sc->s[K_PROT] += 3;
	sc->s[K_PROT] += 0.5 * count_phrase(wi, "protokoll", 2);
}

/*
 * Pressemitteilung: its name, press contacts, a dateline over prose,
 * past-tense reportage.  @dateline: the body opens with one (has_dateline()).
 */
static void
score_release_text(score *sc, const word_index *wi, size_t body_len, bool dateline)
{
	bool letter = count_distinct(wi, letter_words, 1) > 0;
	bool prose = sc->body_chars > 0 && sc->prose_chars * 2 >= sc->body_chars &&
	             sc->n_bullets * 10 < sc->n_lines * 3;
	int verbs = count_distinct(wi, report_verbs, 5);
	int contacts = popcount(sc->contacts) + count_distinct(wi, press_furniture, 2);

	for (const char *const *q = quote_attributions; *q; q++) {
		if (count_sub(wi->s, wi->len, *q, 1)) {
			sc->s[K_PM] += 1.5;
			break;
		}
	}
	if (count_distinct(wi, pm_words, 1))
		sc->s[K_PM] += 1;
	sc->s[K_PM] += 2 * (contacts > 2 ? 2 : contacts);
	/*
	 * A dateline over a page or two of prose is the shape of a press
	 * release; reports open the same way but run long and in numbered
	 * sections.
	 */
	if (dateline && !letter && body_len <= PM_MAX_BYTES && sc->n_numbered < 3)
		sc->s[K_PM] += prose ? 3.5 : 1;
	sc->s[K_PM] += verbs >= 5 ? 1.5 : verbs >= 3 ? 1 : 0;
	if (letter)
		sc->s[K_PM] -= 2;       /* a letter is no press release, however dated */
}

/* Präsentation: numbered slides, separators, short bullets, thanks for listening. */
static void
score_slides_text(score *sc, const word_index *wi, size_t body_len, int pages)
{
	int folien = popcount(sc->folien);
	int sections = sc->n_headings + sc->n_rules;
	bool bullets = sc->n_lines >= 8 && sc->n_bullets * 2 >= sc->n_lines &&
	               sc->line_bytes / (size_t)sc->n_lines < 90;

	sc->s[K_PRAES] += folien >= 2 ? 5 : folien == 1 ? 2 : 0;
	/* Converters mark slides: "<!-- Slide number: 3 -->" (markitdown). */
	if (count_phrase(wi, "slide number", 2) >= 2)
		sc->s[K_PRAES] += 5;
	if (sc->n_rules >= 3 && sc->text_bytes / (size_t)(sc->n_rules + 1) < 800)
		sc->s[K_PRAES] += 2;
	if (pages >= 4 && body_len / (size_t)pages < 700 && sc->n_short * 10 >= sc->n_lines * 7)
		sc->s[K_PRAES] += 3;
	if (bullets)
		sc->s[K_PRAES] += 1.5;
	/* Slides read as text: short lines, no paragraph of prose anywhere. */
	if (sc->n_lines >= 15 && sc->n_short * 10 >= sc->n_lines * 8 &&
	    sc->prose_chars * 4 < sc->body_chars)
		sc->s[K_PRAES] += 2;
	/* Many short sections (a heading or rule per slide). */
	if (sections >= 5 && sc->text_bytes / (size_t)sections < 500)
		sc->s[K_PRAES] += bullets ? 2 : 1.5;
	/* Slide numbers on lines of their own: "1", "2", "3". */
	if (popcount(sc->numbers) >= 3)
		sc->s[K_PRAES] += 2;
	if (count_distinct(wi, thanks_words, 1))
		sc->s[K_PRAES] += 3;
}

/*
 * Reads the title, the first headings and the body (head and, for long
 * texts, tail) line by line into @sc, and leaves the folded body in @f.
 */
static tr_status
score_read(const tr_meta_input *in, score *sc, tr_buf *f)
{
	size_t head_len = in->body_len < HEAD_BYTES ? in->body_len : HEAD_BYTES;
	int used = 0;
	tr_status st;

	/* The title and the first headings are head lines. */
	if (in->title && *in->title) {
		if ((st = tr_text_fold(f, in->title, strlen(in->title))) != TR_OK)
			return st;
		used = score_lines(sc, f->ptr, f->len, HEAD_LINES);
		score_title_words(sc, f->ptr, f->len);
		tr_buf_reset(f);
	}
	if (in->headings && *in->headings) {
		if ((st = tr_text_fold(f, in->headings, strlen(in->headings))) != TR_OK)
			return st;
		sc->n_headings += score_lines(sc, f->ptr, f->len, 2);
		tr_buf_reset(f);
	}

	/* The body: head and (for long texts) tail. */
	if ((st = fold_part(f, in, 0, head_len)) != TR_OK)
		return st;
	if (in->body_len > head_len) {
		size_t from = in->body_len - TAIL_BYTES > head_len ? in->body_len - TAIL_BYTES : head_len;

		if ((st = tr_buf_addc(f, '\n')) != TR_OK ||
		    (st = fold_part(f, in, from, in->body_len)) != TR_OK)
			return st;
	}
	score_lines(sc, f->ptr, f->len, HEAD_LINES - used > 2 ? HEAD_LINES - used : 2);
	measure_prose(in->body, head_len, &sc->prose_chars, &sc->body_chars);
	return TR_OK;
}

static tr_status
score_text(const tr_meta_input *in, bool news, score *sc, bool *any_text)
{
	tr_buf f = TR_BUF_INIT((size_t)-1 / 2);
	word_index wi = { .at = NULL };
	int pages = 1;
	bool dateline = false;
	tr_status st;

	memset(sc, 0, sizeof *sc);
	*any_text = false;
	if ((st = score_read(in, sc, &f)) != TR_OK ||
	    (st = word_index_build(&wi, f.ptr ? f.ptr : "", f.len)) != TR_OK)
		goto done;
	*any_text = sc->n_lines > 0;
	for (size_t i = 0; i < in->body_len; i++)
		if (in->body[i] == '\f')
			pages++;

	score_minutes_text(sc, &wi);
	if ((st = has_dateline(in, &dateline)) != TR_OK)
		goto done;
	dateline = dateline || sc->seen_published;
	score_release_text(sc, &wi, in->body_len, dateline);
	/* The other types: their cues in data/types.tsv. */
	score_table_cues(sc, &wi, in, dateline || news);
	score_slides_text(sc, &wi, in->body_len, pages);
done:
	free(wi.at);
	tr_buf_free(&f);
	return st;
}

static bool
is_slide_format(const char *format)
{
	static const char *const slides[] = {
		"pptx", "ppt", "odp", "key", "presentation", "impress", "powerpoint", "slides", NULL
	};

	if (!format)
		return false;
	for (const char *const *p = slides; *p; p++)
		if (strcmp(format, *p) == 0)
			return true;
	return false;
}

/* The best and the runner-up of the text's scores (Sonstiges is no contender). */
static void
rank_scores(const score *sc, int *best, int *second)
{
	int count = tr_doctype_count();

	*best = *second = 0;
	for (int t = 1; t < count; t++) {
		if (t == TR_DOCTYPE_SONSTIGES)
			continue;
		if (!*best || sc->s[t] > sc->s[*best]) {
			*second = *best;
			*best = t;
		} else if (!*second || sc->s[t] > sc->s[*second]) {
			*second = t;
		}
	}
}

/*
 * Precedence: a word of the file name that names one of the three ruled
 * types; then the innermost folder's word, unless the text is sure of
 * another kind (OVERRIDE) and finds little of the folder's; then the text's
 * kind, if it reaches THRESHOLD and leads the runner-up by LEAD (a file name
 * naming another type counts FILE_POINTS towards it); then a slide format
 * (which also beats a type of the table's cues: slides about a report are
 * slides); then Sonstiges for any text, and unknown only for an empty
 * document.
 */
tr_doctype
tr__meta_find_type(const tr_meta_input *input, tr_source *src)
{
	tr_doctype file, folder, named, text = TR_DOCTYPE_UNKNOWN;
	tr_meta_input copy = *input, *in = &copy;
	score sc;
	bool any_text = false, news, slides = is_slide_format(input->format);
	int best, second;

	if (!in->body) {
		in->body = "";
		in->body_len = 0;
	}
	if (path_type(in->relpath, &file, &folder, &named, &news) != TR_OK)
		file = folder = named = TR_DOCTYPE_UNKNOWN;
	if (file != TR_DOCTYPE_UNKNOWN) {
		*src = TR_SOURCE_FOLDER;
		return file;
	}
	if (score_text(in, news, &sc, &any_text) != TR_OK)
		memset(&sc, 0, sizeof sc);
	if (news)
		sc.s[K_PM] += 1.5;
	if (named != TR_DOCTYPE_UNKNOWN)
		sc.s[named] += FILE_POINTS;
	rank_scores(&sc, &best, &second);
	if (best && sc.s[best] >= THRESHOLD && sc.s[best] - sc.s[second] >= LEAD)
		text = (tr_doctype)best;
	/* Slides about a report are slides: the shape beats what they are about. */
	if (text != TR_DOCTYPE_UNKNOWN && !is_ruled_type(text) && (slides || sc.s[K_PRAES] >= SHAPE_SURE))
		text = slides ? TR_DOCTYPE_UNKNOWN : K_PRAES;

	if (folder != TR_DOCTYPE_UNKNOWN && !(slides && !is_ruled_type(folder))) {
		if (text != TR_DOCTYPE_UNKNOWN && text != folder && sc.s[best] >= OVERRIDE &&
		    sc.s[folder] < THRESHOLD) {
			*src = TR_SOURCE_TEXT;
			return text;
		}
		*src = TR_SOURCE_FOLDER;
		return folder;
	}
	if (text != TR_DOCTYPE_UNKNOWN) {
		*src = TR_SOURCE_TEXT;
		return text;
	}
	if (slides) {
		*src = TR_SOURCE_FORMAT;
		return TR_DOCTYPE_PRAESENTATION;
	}
	if (any_text || (in->title && *in->title)) {
		*src = TR_SOURCE_TEXT;
		return TR_DOCTYPE_SONSTIGES;
	}
	*src = TR_SOURCE_NONE;
	return TR_DOCTYPE_UNKNOWN;
}
