/*
 * The words of a text as Xapian's TermGenerator makes them (term_words.hh).
 * Written from the rules of Xapian 1.4's termgenerator_internal.cc and
 * Utf8Iterator; tests/unit/test_term_words.cc compares every word with
 * TermGenerator's on texts made to hit each rule.
 */
#include <cstdlib>

#include <xapian.h>

#include "term_words.hh"

namespace {

/* What joins two runs of word characters into one word: none, or one to leave out. */
const unsigned JOIN_NONE = 0, JOIN_DROP = ~0u;

inline bool
ascii_word(unsigned c)
{
	return c - 'a' < 26u || c - 'A' < 26u || c - '0' < 10u || c == '_';
}

inline bool
ascii_upper(unsigned c)
{
	return c - 'A' < 26u;
}

inline unsigned
ascii_lower(unsigned c)
{
	return ascii_upper(c) ? c + ('a' - 'A') : c;
}

inline bool
is_word(unsigned c)
{
	return c < 0x80 ? ascii_word(c) : Xapian::Unicode::is_wordchar(c);
}

inline bool
is_digit(unsigned c)
{
	return c < 0x80 ? c - '0' < 10u : Xapian::Unicode::get_category(c) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

inline bool
continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

void
append_utf8(std::string &w, unsigned c)
{
	if (c < 0x80) {
		w += static_cast<char>(c);
	} else if (c < 0x800) {
		char b[2] = { static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F)) };
		w.append(b, 2);
	} else if (c < 0x10000) {
		char b[3] = { static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
		              static_cast<char>(0x80 | (c & 0x3F)) };
		w.append(b, 3);
	} else {
		char b[4] = { static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
		              static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F)) };
		w.append(b, 4);
	}
}

/* Zero-width spaces and joiners, which a word skips over. */
inline bool
zero_width(unsigned c)
{
	return c >= 0x200B && (c <= 0x200D || c == 0x2060 || c == 0xFEFF);
}

/* Between two runs not both digits: apostrophes (one spelling), '&' ("AT&T") and Unicode's mid-word letters. */
unsigned
joiner(unsigned c)
{
	switch (c) {
	case '\'': case '&': case 0xB7: case 0x5F4: case 0x2027:
		return c;
	case 0x2019: case 0x201B:
		return '\'';
	default:
		return zero_width(c) ? JOIN_DROP : JOIN_NONE;
	}
}

/* Between two digits: Unicode's mid-number characters ("3,5", "1.000.000", "1/2" with U+2044). */
unsigned
digit_joiner(unsigned c)
{
	switch (c) {
	case ',': case '.': case ';': case 0x37E: case 0x589: case 0x60D: case 0x7F8:
	case 0x2044: case 0xFE10: case 0xFE13: case 0xFE14:
		return c;
	default:
		return zero_width(c) ? JOIN_DROP : JOIN_NONE;
	}
}

} // namespace

term_words::term_words(const char *s_, size_t len_, const tr_text_words *runs, size_t max_)
	: s(s_), len(len_), run(nullptr), runs_end(nullptr), max(max_)
{
	/* Runs found in this very text from its start; any other list would mislead. */
	if (runs && runs->from == 0 && runs->to <= len) {
		run = runs->v;
		runs_end = runs->v + runs->n;
	}
}

bool
term_words::exact()
{
	static const bool plain = [] {
		const char *p = getenv("XAPIAN_CJK_NGRAM");
		return !(p && *p);
	}();
	return plain;
}

/*
 * The character at @at and its length in *n, decoded as Utf8Iterator
 * does: a byte that does not begin a well-formed, shortest, in-range
 * sequence is one character of ISO-8859-1.
 */
unsigned
term_words::char_at(size_t at, size_t *n) const
{
	const unsigned char *p = reinterpret_cast<const unsigned char *>(s) + at;
	size_t left = len - at;
	unsigned c = p[0];

	*n = 1;
	if (c < 0xC2)
		return c;
	if (c < 0xE0) {
		if (left < 2 || !continuation(p[1]))
			return c;
		*n = 2;
		return ((c & 0x1F) << 6) | (p[1] & 0x3F);
	}
	if (c < 0xF0) {
		if (left < 3 || !continuation(p[1]) || !continuation(p[2]) || (c == 0xE0 && p[1] < 0xA0))
			return c;
		*n = 3;
		return ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	}
	if (c >= 0xF5 || left < 4 || !continuation(p[1]) || !continuation(p[2]) || !continuation(p[3]) ||
	    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
		return c;
	*n = 4;
	return ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/*
 * Appends the word characters from i (one at least), lower-cased, and
 * returns the last.  A stretch of ASCII letters and digits is copied at
 * once and lower-cased in place; inside a run of the word stream its ASCII
 * bytes are known to be letters and digits, so only the first byte that
 * is not ASCII ends the stretch.  Other characters are looked up one by one.
 */
unsigned
term_words::append_run(std::string &word)
{
	size_t known = 0, n;
	unsigned last = 0, c;

	while (run != runs_end && run->start + run->len <= i)
		run++;
	if (run != runs_end && run->start <= i)
		known = run->start + run->len;
	while (i < len) {
		const unsigned char *u = reinterpret_cast<const unsigned char *>(s);
		size_t end = i;

		if (i < known)
			while (end < known && u[end] < 0x80)
				end++;
		else
			while (end < len && u[end] < 0x80 && ascii_word(u[end]))
				end++;
		if (end > i) {
			size_t at = word.size();
			word.append(s + i, end - i);
			for (char *p = &word[at], *e = p + (end - i); p < e; p++)
				*p = static_cast<char>(ascii_lower(static_cast<unsigned char>(*p)));
			last = ascii_lower(u[end - 1]);
			i = end;
			continue;
		}
		if (u[i] < 0x80)
			break;
		c = char_at(i, &n);
		if (!Xapian::Unicode::is_wordchar(c))
			break;
		last = Xapian::Unicode::tolower(c);
		append_utf8(word, last);
		i += n;
	}
	return last;
}

/*
 * Capitals joined by single dots ("U.S.A.", "P.T.O"), from an ASCII
 * capital at i: one word of the letters, the last dot taken, unless a word
 * character follows or there is only one letter.
 */
bool
term_words::acronym(std::string &word)
{
	size_t p = i, n;

	for (;;) {
		word += static_cast<char>(ascii_lower(static_cast<unsigned char>(s[p++])));
		if (p == len || s[p] != '.')
			break;
		if (++p == len || !ascii_upper(static_cast<unsigned char>(s[p])))
			break;
	}
	if (word.size() > 1 && (p == len || !is_word(char_at(p, &n)))) {
		i = p;
		return true;
	}
	word.clear();
	return false;
}

/* Up to three '+' or '#' after the word ("C++", "C#"), unless a word character follows them. */
void
term_words::suffix(std::string &word)
{
	size_t keep = word.size(), n;

	for (int count = 1; s[i] == '+' || s[i] == '#'; count++) {
		if (count > 3) {
			word.resize(keep);
			return;
		}
		word += s[i++];
		if (i == len)
			return;
	}
	if (is_word(char_at(i, &n)))
		word.resize(keep);
}

/* The next word, whatever its length. */
bool
term_words::split(std::string &word)
{
	size_t n, m;
	unsigned c;

	word.clear();
	for (;; i += n) {
		if (i >= len)
			return false;
		c = static_cast<unsigned char>(s[i]);
		n = 1;
		if (c < 0x80 ? ascii_word(c) : is_word(c = char_at(i, &n)))
			break;
	}
	if (ascii_upper(c) && acronym(word))
		return true;
	for (;;) {
		unsigned last = append_run(word);
		if (i == len)
			return true;
		unsigned gap = char_at(i, &n);
		if (i + n == len)
			break;
		unsigned after = char_at(i + n, &m);
		if (!is_word(after))
			break;
		unsigned join = is_digit(last) && is_digit(after) ? digit_joiner(gap) : joiner(gap);
		if (join == JOIN_NONE)
			break;
		if (join != JOIN_DROP)
			append_utf8(word, join);
		i += n;
	}
	suffix(word);
	return true;
}

bool
term_words::next(std::string &word)
{
	while (split(word))
		if (word.size() <= max)
			return true;
	return false;
}
