/*
 * Calendar dates as people write them in German (and sometimes English)
 * documents.  One matcher, tr_date_match(), knows every written form; the
 * whole-string parser and the finders in indexer/meta_date.c build on it,
 * so that a form added here is recognised everywhere.
 */
#include "tellerrand/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/*
 * Folded names (see date_fold_word()); one trailing '.' is stripped before
 * lookup.  Sorted by name: every word of a text is looked up (bsearch).
 */
typedef struct date_name {
	const char *name;
	int value;
} date_name;

static const date_name month_names[] = {
	{ "apr", 4 }, { "april", 4 }, { "aug", 8 }, { "august", 8 },
	{ "dec", 12 }, { "december", 12 }, { "dez", 12 }, { "dezember", 12 },
	{ "feb", 2 }, { "feber", 2 }, { "febr", 2 }, { "februar", 2 }, { "february", 2 },
	{ "jaenner", 1 }, { "jan", 1 }, { "januar", 1 }, { "january", 1 },
	{ "jul", 7 }, { "juli", 7 }, { "july", 7 }, { "jun", 6 }, { "june", 6 }, { "juni", 6 },
	{ "maer", 3 }, { "maerz", 3 }, { "mai", 5 }, { "mar", 3 }, { "march", 3 }, { "marz", 3 },
	{ "may", 5 }, { "mrz", 3 },
	{ "nov", 11 }, { "november", 11 },
	{ "oct", 10 }, { "october", 10 }, { "okt", 10 }, { "oktober", 10 },
	{ "sep", 9 }, { "sept", 9 }, { "september", 9 },
};

static const date_name weekday_names[] = {
	{ "di", 2 }, { "dienstag", 2 }, { "do", 4 }, { "donnerstag", 4 },
	{ "fr", 5 }, { "freitag", 5 }, { "fri", 5 }, { "friday", 5 },
	{ "mi", 3 }, { "mittwoch", 3 }, { "mo", 1 }, { "mon", 1 }, { "monday", 1 }, { "montag", 1 },
	{ "sa", 6 }, { "samstag", 6 }, { "sat", 6 }, { "saturday", 6 },
	{ "so", 7 }, { "sonnabend", 6 }, { "sonntag", 7 }, { "sun", 7 }, { "sunday", 7 },
	{ "thu", 4 }, { "thur", 4 }, { "thurs", 4 }, { "thursday", 4 },
	{ "tue", 2 }, { "tues", 2 }, { "tuesday", 2 }, { "wed", 3 }, { "wednesday", 3 },
};

static int
name_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const date_name *)entry)->name);
}

static bool
is_leap(int year)
{
	return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int
tr_date_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

bool
tr_date_is_valid(const tr_date *d)
{
	if (!d || d->year < 1 || d->year > 9999)
		return false;
	if (d->month < 0 || d->month > 12 || d->day < 0)
		return false;
	if (d->day == 0)
		return true;
	return d->month != 0 && d->day <= tr_date_days_in_month(d->year, d->month);
}

/*
 * A lookup key for a month or weekday name: ASCII lower case, umlauts
 * spelled out ("März" and "Maerz" meet), a combining diaeresis (NFD input)
 * treated the same way.  This is the one-word, allocation-free cousin of
 * tr_text_fold(): it runs for every candidate word of large texts, and any
 * letter outside the small alphabet of month names means "no month" anyway.
 */
static bool
date_fold_word(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	while (i < len) {
		int cp;
		size_t n = tr_text_decode(s + i, len - i, &cp);
		const char *rep;
		char one[2] = { 0, 0 };

		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
			one[0] = (char)(cp | 0x20);
			rep = one;
		} else {
			switch (cp) {
			case 0xE4: case 0xC4: rep = "ae"; break;
			case 0xF6: case 0xD6: rep = "oe"; break;
			case 0xFC: case 0xDC: rep = "ue"; break;
			case 0xDF:            rep = "ss"; break;
			case 0x308:           rep = "e"; break;
			default:              return false;
			}
		}
		for (; *rep; rep++) {
			if (o + 1 >= outsz)
				return false;
			out[o++] = *rep;
		}
		i += n;
	}
	out[o] = '\0';
	return o > 0;
}

/* Folds @name without one trailing '.' into @key; false if it cannot be a month or weekday name. */
static bool
name_key(const char *name, int len, char *key, size_t keysz)
{
	if (!name || len <= 0)
		return false;
	if (name[len - 1] == '.')
		len--;
	return len > 0 && date_fold_word(name, (size_t)len, key, keysz);
}

/* The value of @name in the sorted table @t, or 0. */
static int
name_lookup(const date_name *t, size_t n, const char *name, int len)
{
	char key[16];
	const date_name *hit;

	if (!name_key(name, len, key, sizeof key))
		return 0;
	hit = bsearch(key, t, n, sizeof *t, name_cmp);
	return hit ? hit->value : 0;
}

int
tr_date_month_from_name(const char *name, int len)
{
	return name_lookup(month_names, sizeof month_names / sizeof month_names[0], name, len);
}

int
tr_date_weekday_from_name(const char *name, int len)
{
	return name_lookup(weekday_names, sizeof weekday_names / sizeof weekday_names[0], name, len);
}

/* ---- The matcher ------------------------------------------------------ */

typedef struct cur {
	const char *s;
	size_t len;
	size_t pos;
} cur;

static int
peek(const cur *c)
{
	return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static bool
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
peek_at(const cur *c, size_t ahead)
{
	return c->pos + ahead < c->len ? (unsigned char)c->s[c->pos + ahead] : -1;
}

static bool
one_or_two(size_t ndigits)
{
	return ndigits == 1 || ndigits == 2;
}

static bool
lit(cur *c, char ch)
{
	if (peek(c) != (unsigned char)ch)
		return false;
	c->pos++;
	return true;
}

/*
 * Skips horizontal white space, including the no-break and thin spaces
 * that word processors put between day, month and year.  Never a line
 * break: a date does not continue on the next line.
 */
static size_t
hspace(cur *c)
{
	size_t start = c->pos;

	while (c->pos < c->len) {
		const unsigned char *p = (const unsigned char *)c->s + c->pos;
		size_t left = c->len - c->pos;

		if (p[0] == ' ' || p[0] == '\t')
			c->pos++;
		else if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
			c->pos += 2;                            /* U+00A0 */
		else if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
		         (p[2] == 0xAF || p[2] == 0x89 || p[2] == 0x8A))
			c->pos += 3;                            /* U+202F, U+2009, U+200A */
		else
			break;
	}
	return c->pos - start;
}

/*
 * Reads a run of ASCII digits; returns its length (0 if none).  Only the
 * first 9 digits make the value: longer runs are no dates anyway.
 */
static size_t
digits(cur *c, int *val)
{
	size_t start = c->pos;
	long v = 0;

	while (c->pos < c->len && is_digit((unsigned char)c->s[c->pos])) {
		if (c->pos - start < 9)
			v = v * 10 + (c->s[c->pos] - '0');
		c->pos++;
	}
	*val = (int)v;
	return c->pos - start;
}

/* Reads a run of letters (word characters other than digits); returns its length. */
static size_t
letters(const cur *c, size_t at)
{
	size_t i = at;

	while (i < c->len) {
		int cp;
		size_t n = tr_text_decode(c->s + i, c->len - i, &cp);

		if (is_digit(cp) || !tr_text_is_wordchar(cp))
			break;
		i += n;
	}
	return i - at;
}

/* A month name at the cursor, with its abbreviation dot; 0 (cursor unmoved) if none. */
static int
month_word(cur *c)
{
	size_t n = letters(c, c->pos);
	int m;

	if (n < 3 || n > 12)
		return 0;
	m = tr_date_month_from_name(c->s + c->pos, (int)n);
	if (m) {
		c->pos += n;
		lit(c, '.');
	}
	return m;
}

/*
 * A month in Roman numerals with its dot, as older letters and some
 * neighbours write a date ("12.III.2019", "12. III. 2019"); 0 (cursor
 * unmoved) if none.  Only ever read between a day's dot and a year.
 */
static int
roman_month(cur *c)
{
	static const char *const roman[] = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII" };
	size_t n = letters(c, c->pos);

	if (n == 0 || n > 4 || c->pos + n >= c->len || c->s[c->pos + n] != '.')
		return 0;
	for (int m = 0; m < 12; m++) {
		if (strlen(roman[m]) == n && memcmp(c->s + c->pos, roman[m], n) == 0) {
			c->pos += n + 1;
			return m + 1;
		}
	}
	return 0;
}

/* An English ordinal suffix ("15th", "1st") directly after the day. */
static bool
ordinal_suffix(cur *c)
{
	static const char *const suf[] = { "st", "nd", "rd", "th" };

	if (c->pos + 2 > c->len || letters(c, c->pos) != 2)
		return false;
	for (size_t i = 0; i < 4; i++) {
		if ((c->s[c->pos] | 0x20) == suf[i][0] && (c->s[c->pos + 1] | 0x20) == suf[i][1]) {
			c->pos += 2;
			return true;
		}
	}
	return false;
}

/* Case-insensitive ASCII word @w at the cursor, ending at a non-letter. */
static bool
word(cur *c, const char *w)
{
	size_t n = strlen(w);

	if (c->pos + n > c->len || letters(c, c->pos) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((c->s[c->pos + i] | 0x20) != w[i])
			return false;
	c->pos += n;
	return true;
}

/*
 * A time after a date, as metadata fields and e-mail headers write it:
 * "T10:00:00Z", " 10:00", ", 10.00 Uhr", " 10:00:00 +0200".  Leaves the
 * cursor unmoved unless a whole time is there.
 */
static bool
match_time(cur *c)
{
	size_t save = c->pos;
	int v;

	if (!lit(c, 'T')) {
		lit(c, ',');
		if (!hspace(c) && c->pos == save)
			goto fail;
		if (word(c, "um"))
			hspace(c);
	}
	if (!one_or_two(digits(c, &v)) || v > 24)
		goto fail;
	if (!lit(c, ':') && !lit(c, '.'))
		goto fail;
	if (digits(c, &v) != 2 || v > 59)
		goto fail;
	if (lit(c, ':')) {
		if (digits(c, &v) != 2 || v > 60)
			goto fail;
		if (lit(c, '.') && digits(c, &v) == 0)
			goto fail;
	}
	if (c->pos + 1 < c->len && c->s[c->pos] && strchr(".:/-", c->s[c->pos]) &&
	    is_digit(peek_at(c, 1)))
		goto fail;                              /* "15.09.2017 16.09.2017": a date, not 16:09 */
	{
		size_t before = c->pos;

		hspace(c);
		if (!word(c, "uhr") && !word(c, "h"))
			c->pos = before;
	}
	{
		/* A zone: "Z", "+02:00", "+0200", "+02", " UTC", " MESZ". */
		size_t before = c->pos;

		if (lit(c, 'Z'))
			return true;
		hspace(c);
		if (lit(c, '+') || lit(c, '-')) {
			size_t n = digits(c, &v);

			if (n == 2) {
				size_t hours = c->pos;

				if (!lit(c, ':') || digits(c, &v) != 2)
					c->pos = hours;
				return true;
			}
			if (n == 4)
				return true;
		} else if (word(c, "utc") || word(c, "gmt") || word(c, "mez") ||
		           word(c, "mesz") || word(c, "cet") || word(c, "cest")) {
			return true;
		}
		c->pos = before;
	}
	return true;
fail:
	c->pos = save;
	return false;
}

static int
expand_year(int y, size_t ndigits)
{
	if (ndigits == 2)
		return y > 69 ? 1900 + y : 2000 + y;
	return y;
}

/*
 * Checks and stores a match: @month and @day as written, 0 for a part not
 * written (so a written "0" never passes).  A partial date (year 0) is
 * checked against the longest month there is, so that "29.2." stays
 * possible until the caller knows the year.
 */
static bool
set_date(tr_date *out, int year, int month, int day, bool has_month, bool has_day)
{
	tr_date d = { year, month, day };

	if ((has_month && month < 1) || (has_day && day < 1))
		return false;
	if (year == 0) {
		if (month < 1 || month > 12 || day < 1 || day > tr_date_days_in_month(2000, month))
			return false;
	} else if (!tr_date_is_valid(&d)) {
		return false;
	}
	*out = d;
	return true;
}

static bool
set_ymd(tr_date *out, int year, int month, int day)
{
	return set_date(out, year, month, day, true, true);
}

static bool
set_ym(tr_date *out, int year, int month)
{
	return set_date(out, year, month, 0, true, false);
}

/* Forms that start with a four-digit year: ISO 8601 and "2017/09/15". */
static bool
match_year_first(tr_date *out, cur *c, int y, unsigned flags)
{
	size_t after_year = c->pos;
	int m, d;
	size_t n;

	if (lit(c, '-')) {
		n = digits(c, &m);
		if (n >= 1 && n <= 2) {
			size_t after_month = c->pos;

			if (lit(c, '-') && is_digit(peek(c))) {
				n = digits(c, &d);
				return n >= 1 && n <= 2 && set_ymd(out, y, m, d);
			}
			c->pos = after_month;
			return set_ym(out, y, m);
		}
	} else if (lit(c, '/')) {
		if (one_or_two(digits(c, &m)) && lit(c, '/') && one_or_two(digits(c, &d)))
			return set_ymd(out, y, m, d);
	}
	c->pos = after_year;
	return (flags & TR_DATE_MATCH_YEAR) && set_date(out, y, 0, 0, false, false);
}

/* A year of two or four digits (two-digit years expanded); false (cursor moved) if none. */
static bool
year_digits(cur *c, int *y)
{
	size_t n = digits(c, y);

	if (n != 2 && n != 4)
		return false;
	*y = expand_year(*y, n);
	return true;
}

/* After "15-": "15-06-1996", "30-12-16", "12-Mär-2014". */
static bool
match_dashed(tr_date *out, cur *c, int d)
{
	int m, y;

	if (is_digit(peek(c))) {
		if (!one_or_two(digits(c, &m)))
			return false;
	} else if (!(m = month_word(c))) {
		return false;
	}
	return lit(c, '-') && year_digits(c, &y) && set_ymd(out, y, m, d);
}

/* After "26 . ": the month, a dot (spaces allowed around it) and the year. */
static bool
match_spaced_dots(tr_date *out, cur *c, int d)
{
	int m, y;

	if (!one_or_two(digits(c, &m)))
		return false;
	hspace(c);
	if (!lit(c, '.'))
		return false;
	hspace(c);
	return year_digits(c, &y) && set_ymd(out, y, m, d);
}

/* Forms that start with a day (or, in "09/2017" and "09.2017", a month). */
static bool
match_day_first(tr_date *out, cur *c, int d, unsigned flags)
{
	bool ord, dot, spaced;
	size_t n;
	int m, y;

	ord = ordinal_suffix(c);
	dot = !ord && lit(c, '.');
	if (!ord && !dot && lit(c, '/')) {
		/* "09/2017", or day first "15/09/2017", "1/1/16" as Germans write it with slashes. */
		n = digits(c, &m);
		if (n == 4)
			return set_ym(out, m, d);
		if (one_or_two(n) && lit(c, '/') && year_digits(c, &y))
			return set_ymd(out, y, m, d);
		return false;
	}
	if (!ord && !dot && lit(c, '-'))
		return match_dashed(out, c, d);
	spaced = hspace(c) > 0;
	if (spaced && !dot && !ord && peek(c) == '.') {
		/* "26 . 10.21", "30 . 09 . 22": spaced dots, only with a year. */
		lit(c, '.');
		hspace(c);
		return match_spaced_dots(out, c, d);
	}
	if (!dot && !ord && !spaced)
		return false; /* "15September" is not how anyone writes */
	if (dot && is_digit(peek(c))) {
		size_t after_dot2;

		n = digits(c, &m);
		if (n == 4 && !spaced)
			return set_ym(out, m, d);            /* "09.2017" */
		if (!one_or_two(n) || !lit(c, '.'))
			return false;                        /* "15.30 Uhr", "1.700" */
		after_dot2 = c->pos;
		hspace(c);
		if (is_digit(peek(c))) {
			n = digits(c, &y);
			if (n != 2 && n != 4)
				return false;                /* "1.2.3", a version or a section */
			return set_ymd(out, expand_year(y, n), m, d);
		}
		c->pos = after_dot2;
		return (flags & TR_DATE_MATCH_PARTIAL) && set_ymd(out, 0, m, d);
	}
	if (dot && (m = roman_month(c)) != 0) {
		hspace(c);
		n = digits(c, &y);
		return (n == 2 || n == 4) && set_ymd(out, expand_year(y, n), m, d);
	}
	if (ord && word(c, "of"))
		hspace(c);
	m = month_word(c);
	if (!m)
		return false;
	{
		size_t after_month = c->pos;

		hspace(c);
		lit(c, ',');
		hspace(c);
		if (digits(c, &y) == 4)
			return set_ymd(out, y, m, d);
		c->pos = after_month;
	}
	/* Without a year only with the ordinal dot: "am 11. September". */
	return (flags & TR_DATE_MATCH_PARTIAL) && (dot || ord) && set_ymd(out, 0, m, d);
}

/* Forms that start with a month name: "September 2017", "Sept. 2017", "September 15, 2017". */
static bool
match_month_first(tr_date *out, cur *c)
{
	int m = month_word(c), v, y;
	size_t n;

	if (!m)
		return false;
	hspace(c);
	n = digits(c, &v);
	if (n == 4)
		return set_ym(out, v, m);
	if (n < 1 || n > 2)
		return false;
	ordinal_suffix(c);
	hspace(c);
	lit(c, ',');
	hspace(c);
	return digits(c, &y) == 4 && set_ymd(out, y, m, v);
}

/* One date (no range) at the cursor. */
static bool
match_one(tr_date *out, cur *c, unsigned flags)
{
	if (is_digit(peek(c))) {
		int v;
		size_t n = digits(c, &v);

		if (n == 4)
			return match_year_first(out, c, v, flags);
		if (n <= 2)
			return match_day_first(out, c, v, flags);
		return false;
	}
	return match_month_first(out, c);
}

/* A hyphen, an en dash or an em dash at the cursor. */
static bool
dash(cur *c)
{
	if (lit(c, '-'))
		return true;
	if (c->pos + 3 <= c->len && (!memcmp(c->s + c->pos, "\xE2\x80\x93", 3) ||
	                             !memcmp(c->s + c->pos, "\xE2\x80\x94", 3))) {
		c->pos += 3;
		return true;
	}
	return false;
}

/*
 * What joins the two ends of a range of days: "-", "–", "—", "/", "bis",
 * "bis zum", "auf den"; false (cursor unmoved) if none.  A slash only
 * right after the first day's dot ("14./15.10."): "1/1/16" is a date.
 */
static bool
range_joiner(cur *c, bool after_dot)
{
	size_t save = c->pos;

	hspace(c);
	if (dash(c)) {
		hspace(c);
		return true;
	}
	if (after_dot && c->pos == save && lit(c, '/'))
		return true;
	if (word(c, "bis") || word(c, "auf")) {
		size_t after = c->pos;

		hspace(c);
		if (!word(c, "zum") && !word(c, "zur") && !word(c, "den") && !word(c, "dem"))
			c->pos = after;
		hspace(c);
		return true;
	}
	c->pos = save;
	return false;
}

/*
 * A range of days, dated by its first day: "14.10. - 15.10.2018", "14. -
 * 15.10.13", "14 - 15.10.18", "14./15.10.2018", "10. bis 22. Oktober 2012",
 * "vom 14.10. bis zum 15.10.2018" (from the day on), "10. August - 12.
 * Oktober 2013".  The first end takes the month and year it does not write
 * from the second; it must not lie after the second.
 */
static bool
match_range(tr_date *out, cur *c, unsigned flags)
{
	int d, m = 0;
	bool dot;
	tr_date end;

	if (!one_or_two(digits(c, &d)) || d < 1 || d > 31)
		return false;
	dot = lit(c, '.');
	if (dot && is_digit(peek(c))) {
		if (!one_or_two(digits(c, &m)) || m < 1 || m > 12 || !lit(c, '.'))
			return false;
	} else if (dot) {
		size_t before = c->pos;

		hspace(c);
		if (!(m = month_word(c)))
			c->pos = before;
	}
	if (!range_joiner(c, dot) || !is_digit(peek(c)))
		return false;
	if (!match_one(&end, c, flags & TR_DATE_MATCH_PARTIAL) || !end.day)
		return false;
	if (!m && d >= end.day)
		return false;
	if (m && m == end.month && d >= end.day)
		return false;
	if (m && end.year && m > end.month)
		end.year--;                                 /* "28.12. - 3.1.2019" */
	return set_date(out, end.year, m ? m : end.month, d, true, true);
}

bool
tr_date_match(tr_date *out, size_t *used, const char *s, size_t len, unsigned flags)
{
	cur c = { s, len, 0 };
	tr_date d = TR_DATE_NONE;

	if (!s || len == 0)
		return false;
	if (!match_range(&d, &c, flags)) {
		c.pos = 0;
		d = (tr_date)TR_DATE_NONE;
		if (!match_one(&d, &c, flags))
			return false;
	}
	if ((flags & TR_DATE_MATCH_TIME) && d.day)
		match_time(&c);
	*out = d;
	*used = c.pos;
	return true;
}

static bool
is_trim_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

tr_status
tr_date_parse(tr_date *out, const char *s)
{
	size_t len, start = 0, used;
	tr_date d;

	if (!out || !s)
		return TR_EINVAL;
	len = strlen(s);
	while (start < len && is_trim_space(s[start]))
		start++;
	while (len > start && is_trim_space(s[len - 1]))
		len--;
	{
		/* A leading weekday: "Montag, 11. September 2017", "Fri, 15 Sep 2017". */
		cur c = { s, len, start };
		size_t n = letters(&c, start);

		if (n && tr_date_weekday_from_name(s + start, (int)n)) {
			c.pos += n;
			lit(&c, '.');
			lit(&c, ',');
			hspace(&c);
			lit(&c, ',');
			hspace(&c);
			start = c.pos;
		}
	}
	if (!tr_date_match(&d, &used, s + start, len - start,
	                   TR_DATE_MATCH_YEAR | TR_DATE_MATCH_TIME))
		return TR_EINVAL;
	{
		/* Only white space (or a sentence's full stop) may follow. */
		cur c = { s, len, start + used };

		hspace(&c);
		lit(&c, '.');
		hspace(&c);
		if (c.pos != len)
			return TR_EINVAL;
	}
	if (!tr_date_is_valid(&d))
		return TR_EINVAL;
	*out = d;
	return TR_OK;
}

int
tr_date_compare(const tr_date *a, const tr_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

/*
 * The formatters below run on valid dates only (year 1..9999); the
 * remainders change nothing but tell the compiler the output fits.
 */
#define Y4(d) ((unsigned)(d)->year % 10000u)
#define M2(d) ((unsigned)(d)->month % 100u)
#define D2(d) ((unsigned)(d)->day % 100u)

void
tr_date_format_iso(const tr_date *d, char *out)
{
	if (!tr_date_is_valid(d))
		out[0] = '\0';
	else if (d->day)
		snprintf(out, 11, "%04u-%02u-%02u", Y4(d), M2(d), D2(d));
	else if (d->month)
		snprintf(out, 11, "%04u-%02u", Y4(d), M2(d));
	else
		snprintf(out, 11, "%04d", d->year);
}

void
tr_date_format_german(const tr_date *d, char *out)
{
	if (!tr_date_is_valid(d))
		out[0] = '\0';
	else if (d->day)
		snprintf(out, 11, "%02u.%02u.%04u", D2(d), M2(d), Y4(d));
	else if (d->month)
		snprintf(out, 11, "%02u.%04u", M2(d), Y4(d));
	else
		snprintf(out, 11, "%04d", d->year);
}

void
tr_date_format_sortable(const tr_date *d, char *out)
{
	if (!tr_date_is_valid(d))
		out[0] = '\0';
	else
		snprintf(out, 9, "%04u%02u%02u", Y4(d), M2(d), D2(d));
}

tr_status
tr_date_parse_sortable(tr_date *out, const char *s)
{
	tr_date d;
	int v[8];

	if (!s || strlen(s) != 8)
		return TR_EINVAL;
	for (int i = 0; i < 8; i++) {
		if (!is_digit((unsigned char)s[i]))
			return TR_EINVAL;
		v[i] = s[i] - '0';
	}
	d.year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	d.month = v[4] * 10 + v[5];
	d.day = v[6] * 10 + v[7];
	if (!tr_date_is_valid(&d))
		return TR_EINVAL;
	*out = d;
	return TR_OK;
}
