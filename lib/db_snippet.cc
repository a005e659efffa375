/*
 * Snippets: the text shown under each hit, with the query's words marked
 * '\x02'...'\x03', from the best page of a paged text.
 */
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include <utf8proc.h>

#include "db_private.hh"
#include "docdata.h"
#include "pages.h"

/*
 * The start of a text, white space squeezed, cut after at most @chars
 * characters at a word boundary: what a list without search words shows.
 */
std::string
leading_text(const std::string &text, size_t chars)
{
	std::string out;
	size_t count = 0, last_space = 0;
	bool space = false;

	for (size_t i = 0; i < text.size(); i++) {
		unsigned char c = static_cast<unsigned char>(text[i]);
		bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';

		if (ws) {
			space = !out.empty();
			continue;
		}
		if ((c & 0xC0) != 0x80) {
			if (count + (space ? 1 : 0) >= chars) {
				out.resize(last_space ? last_space : out.size());
				return out + " …";
			}
			count += space ? 2 : 1;
		}
		if (space) {
			last_space = out.size();
			out += ' ';
			space = false;
		}
		out += text[i];
	}
	return out;
}

/* Sets h->page and what it counts for a snippet on page @page, whose text begins @text. */
static void
page_place(tr_hit *h, unsigned page, const std::string &text)
{
	static const char attachment[] = "Anhang: ";
	tr_page_kind kind = tr_pages_of_format(h->format);
	std::string first = text.substr(0, text.find('\n'));

	h->page = page;
	h->slide = kind == TR_PAGES_SLIDE || kind == TR_PAGES_MARKDOWN;
	h->sheet = kind == TR_PAGES_SHEET;
	if (kind == TR_PAGES_SHEET && !first.empty()) {
		h->part = dup_string(first);
	} else if (kind == TR_PAGES_MAIL) {
		/* The message itself has no place to name; an attachment its file name. */
		h->page = 0;
		if (page > 1 && first.compare(0, sizeof attachment - 1, attachment) == 0)
			h->part = dup_string(first.substr(sizeof attachment - 1));
	}
}

/*
 * @n bytes of @src to @dst with A-Z lower-cased, eight at a time (the bits
 * of each byte stay in it): bytes of other letters and of UTF-8 sequences
 * are copied as they are.
 */
static void
lower_ascii(const unsigned char *src, size_t n, char *dst)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	size_t k = 0;

	for (; k + 8 <= n; k += 8) {
		uint64_t x;
		memcpy(&x, src + k, 8);
		uint64_t low7 = x & ~high;
		uint64_t from_a = low7 + ones * (0x80 - 'A');       /* high bit: at least 'A' */
		uint64_t past_z = low7 + ones * (0x80 - 'Z' - 1);   /* high bit: past 'Z' */
		x |= (from_a & ~past_z & ~x & high) >> 2;           /* 0x20 into each ASCII capital */
		memcpy(dst + k, &x, 8);
	}
	for (; k < n; k++)
		dst[k] = static_cast<char>(src[k] + ((static_cast<unsigned char>(src[k] - 'A') < 26) << 5));
}

/*
 * Where the query's words are in a text, found without tokenising it: the
 * text lower-cased with ä, ö, ü and ß folded as the German stemmer folds
 * them, so that a stem is a prefix of each word it stems from.  Only ä, ö
 * and ü (two bytes, one folded) shift offsets; they are noted where they
 * are, so no map of every byte is written (it cost as much as the fold).
 */
struct folded_text {
	std::string text;
	std::vector<uint32_t> folded_at;     /* each shortening umlaut's folded offset, in order */
	std::vector<uint32_t> original_at;   /* and its original offset */

	/* Written through plain pointers: it runs over every byte of each hit's text. */
	explicit folded_text(const std::string &s)
	{
		const unsigned char *p = reinterpret_cast<const unsigned char *>(s.data());
		size_t len = s.size(), n = 0, i = 0;

		/* Folding never lengthens: ä, ö, ü take two bytes and give one, ß gives "ss". */
		text.resize(len);
		char *t = &text[0];
		while (i < len) {
			/* Up to the next two-byte Latin-1 letter: ASCII case folding only. */
			const void *c3 = memchr(p + i, 0xC3, len - i);
			size_t stop = c3 ? static_cast<size_t>(static_cast<const unsigned char *>(c3) - p) : len;
			lower_ascii(p + i, stop - i, t + n);
			n += stop - i;
			i = stop;
			if (i >= len)
				break;
			char put = 0;
			if (i + 1 < len) {
				switch (p[i + 1]) {
				case 0xA4: case 0x84: put = 'a'; break;
				case 0xB6: case 0x96: put = 'o'; break;
				case 0xBC: case 0x9C: put = 'u'; break;
				case 0x9F: put = 's'; break;
				}
			}
			if (!put) {
				t[n++] = static_cast<char>(p[i++]);
				continue;
			}
			t[n++] = put;
			if (p[i + 1] == 0x9F) {
				t[n++] = 's';
			} else {
				folded_at.push_back(static_cast<uint32_t>(n - 1));
				original_at.push_back(static_cast<uint32_t>(i));
			}
			i += 2;
		}
		text.resize(n);
	}

	/* The original offset of folded offset @k. */
	size_t original(size_t k) const
	{
		return k + static_cast<size_t>(std::lower_bound(folded_at.begin(), folded_at.end(), k) - folded_at.begin());
	}

	/* The folded offset of original offset @orig, which starts a character. */
	size_t from_original(size_t orig) const
	{
		/* Each umlaut wholly before @orig shortened the folded text by one byte. */
		auto before = std::lower_bound(original_at.begin(), original_at.end(), orig) - original_at.begin();
		return orig - static_cast<size_t>(before);
	}
};

snippet_terms
snippet_needles(const Xapian::Query &query)
{
	snippet_terms st;

	for (Xapian::TermIterator t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
		std::string term = *t, word;
		/* "Z" + stem, or a word as written; prefixed terms (titel:, compound parts, filters) are not in the text. */
		if (term.size() > 1 && term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z')) {
			word = term.substr(1);
			st.stems.insert(word);
		} else if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z')) {
			word = term;
			st.words.insert(word);
		}
		if (word.size() < 2)
			continue;
		word = folded_text(word).text;
		if (std::find(st.needles.begin(), st.needles.end(), word) == st.needles.end())
			st.needles.push_back(word);
	}
	/* Each needle into the group of the shortest needle that begins it (a prefix of all others that do). */
	std::vector<size_t> order(st.needles.size());
	for (size_t n = 0; n < order.size(); n++)
		order[n] = n;
	std::stable_sort(order.begin(), order.end(),
	                 [&](size_t a, size_t b) { return st.needles[a].size() < st.needles[b].size(); });
	for (size_t n : order) {
		auto g = std::find_if(st.groups.begin(), st.groups.end(), [&](const std::vector<size_t> &g) {
			return st.needles[n].compare(0, st.needles[g[0]].size(), st.needles[g[0]]) == 0;
		});
		if (g == st.groups.end())
			st.groups.push_back({ n });
		else
			g->push_back(n);
	}
	return st;
}

static bool
word_byte(char c)
{
	unsigned char u = static_cast<unsigned char>(c);
	return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}

/*
 * Whether the character at byte @i of @text belongs to a word, as Xapian's
 * TermGenerator decides it: letters, digits and marks, not „quotes“ or
 * dashes (whose UTF-8 bytes word_byte() takes for a word's); its bytes
 * into *@len.
 */
static bool
word_char_at(const std::string &text, size_t i, size_t *len)
{
	unsigned char c = static_cast<unsigned char>(text[i]);

	*len = 1;
	if (c < 0x80)
		return word_byte(text[i]);
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(text.data() + i),
	                                      static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
	/* A byte that is not UTF-8 stays part of a word, as word_byte() has it. */
	if (n <= 0)
		return true;
	*len = static_cast<size_t>(n);
	return Xapian::Unicode::is_wordchar(static_cast<unsigned>(cp));
}

/* Whether a word goes on before byte @i of @text (which starts a character). */
static bool
word_before(const std::string &text, size_t i)
{
	size_t len;

	if (i == 0)
		return false;
	do
		i--;
	while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80);
	return word_char_at(text, i, &len);
}

/* A '.' or ',' between two digits, which the TermGenerator keeps inside a number. */
static bool
number_infix(const std::string &text, size_t i, size_t end)
{
	auto digit = [](char c) { return c >= '0' && c <= '9'; };
	return (text[i] == ',' || text[i] == '.') && i > 0 && digit(text[i - 1]) && i + 1 < end && digit(text[i + 1]);
}

/* The end of the word at byte @i of @text, as Xapian's TermGenerator ends it: "1234,5" and "2.5" are one word. */
static size_t
word_end(const std::string &text, size_t i, size_t end)
{
	for (size_t len; i < end && (word_char_at(text, i, &len) || number_infix(text, i, end)); )
		i += len;
	return i;
}

/* The start of the first word at or after byte @i of @text; @end if none. */
static size_t
next_word(const std::string &text, size_t i, size_t end)
{
	for (size_t len; i < end && !word_char_at(text, i, &len); )
		i += len;
	return i;
}

/* A word of the text that the snippet will mark: where it starts and which needle found it. */
struct text_match {
	size_t pos;
	size_t end;      /* where the word ends */
	size_t needle;
	size_t word;     /* a hash of the word as lower-cased: two forms of a stem are two words */
};

/* The most places one needle is checked at in one range. */
#define MATCHES_PER_NEEDLE 64

/*
 * The words in @text[@start, @end) that are query terms, as MSet::snippet()
 * decided it (the word lower-cased, or its stem), found by looking for the
 * folded needles at word starts and stemming only the words found there.
 */
static std::vector<text_match>
find_matches(const std::string &text, const folded_text &f, const snippet_terms &st, size_t start, size_t end,
             const Xapian::Stem &stemmer)
{
	std::vector<text_match> found;
	size_t fs = f.from_original(start), fe = f.from_original(end);
	const char *range = f.text.data() + fs;
	std::vector<size_t> checked(st.needles.size());
	std::vector<size_t> here;   /* a group's needles at one word start, each checked at most MATCHES_PER_NEEDLE times */

	for (const std::vector<size_t> &group : st.groups) {
		const std::string &root = st.needles[group[0]];
		size_t p = 0, open = group.size();
		const void *at;
		/* memmem skips by the needle's bytes; string_view::find compared at every first byte. */
		while (open && p < fe - fs && (at = memmem(range + p, fe - fs - p, root.data(), root.size()))) {
			p = static_cast<size_t>(static_cast<const char *>(at) - range);
			size_t orig = f.original(fs + p);
			here.clear();
			for (size_t n : group)
				if (checked[n] < MATCHES_PER_NEEDLE && f.text.compare(fs + p, st.needles[n].size(), st.needles[n]) == 0)
					here.push_back(n);
			p++;
			if (here.empty() || word_before(text, orig))
				continue;
			for (size_t n : here)
				open -= ++checked[n] == MATCHES_PER_NEEDLE;
			size_t e = word_end(text, orig, end);
			std::string w = Xapian::Unicode::tolower(text.substr(orig, e - orig));
			if (st.words.count(w) || st.stems.count(stemmer(w)))
				for (size_t n : here)
					found.push_back({ orig, e, n, std::hash<std::string>()(w) });
		}
	}
	std::sort(found.begin(), found.end(),
	          [](const text_match &a, const text_match &b) { return a.pos != b.pos ? a.pos < b.pos : a.needle < b.needle; });
	return found;
}

/* How well a stretch of text would fill a snippet: compared in this order. */
struct stretch_score {
	size_t distinct = 0;   /* distinct query terms (needles) */
	size_t words = 0;      /* distinct words marked: "Förderung" and "Förderer" are two */
	size_t marks = 0;      /* words marked */

	bool operator>(const stretch_score &o) const
	{
		if (distinct != o.distinct)
			return distinct > o.distinct;
		return words != o.words ? words > o.words : marks > o.marks;
	}
};

/*
 * The stretch of one snippet's length (@length bytes from one of the
 * matches @m) that would fill a snippet best (stretch_score).  Returns its
 * first match (the first such stretch on a tie) and its score in *@score.
 * A page is chosen by this before any snippet is made, so only one page
 * of a paged text is marked.
 */
static size_t
best_stretch(const std::vector<text_match> &m, size_t length, stretch_score *score)
{
	size_t best = 0;
	std::vector<size_t> needles, words;   /* reused: a text has hundreds of matches */

	*score = stretch_score();
	for (size_t i = 0; i < m.size(); i++) {
		stretch_score here;

		needles.clear();
		words.clear();
		size_t last = SIZE_MAX;
		/* Whole words: a word that would be cut off counts for the next stretch. */
		for (size_t j = i; j < m.size() && (j == i || m[j].end <= m[i].pos + length); j++) {
			if (std::find(needles.begin(), needles.end(), m[j].needle) == needles.end())
				needles.push_back(m[j].needle);
			/* Two needles found at one place are one highlighted word. */
			if (m[j].pos != last) {
				here.marks++;
				if (std::find(words.begin(), words.end(), m[j].word) == words.end())
					words.push_back(m[j].word);
			}
			last = m[j].pos;
		}
		here.distinct = needles.size();
		here.words = words.size();
		if (here > *score) {
			*score = here;
			best = i;
		}
	}
	return best;
}

/* Bytes of text before the best stretch that a snippet shows. */
#define SNIPPET_BEFORE(length) ((length) / 8)

/*
 * The words of @text from @from (a word's start) that fit in @length
 * bytes (the first one at least), with the matches @m marked, and after
 * them, when the range goes on to @end, the punctuation that ends their
 * sentence or else "…", as MSet::snippet() ends a snippet.
 */
static std::string
marked_words(const std::string &text, const std::vector<text_match> &m, size_t from, size_t end, size_t length)
{
	size_t stop = from, next = from, at = from, len;
	std::string s;

	while ((next = next_word(text, next, end)) < end) {
		size_t e = word_end(text, next, end);
		if (e > from + length && stop > from)
			break;
		stop = next = e;
	}
	for (const text_match &t : m) {
		/* A second needle at a word already marked starts before @at. */
		if (t.pos < at || t.pos >= stop)
			continue;
		size_t e = word_end(text, t.pos, stop);
		s.append(text, at, t.pos - at).append("\x02").append(text, t.pos, e - t.pos).append("\x03");
		at = e;
	}
	s.append(text, at, stop - at);
	if (stop >= end)
		return s;
	bool stop_mark = false;
	size_t i = stop;
	for (; i < end && !word_char_at(text, i, &len); i += len) {
		char c = text[i];
		if (stop_mark && (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'))
			break;
		stop_mark = c == '.' || c == '?' || c == '!';
	}
	return stop_mark ? s.append(text, stop, i - stop) : s.append("…");
}

/*
 * The snippet of @text[@start, @end) for the matches @m found in it: the
 * stretch with the most distinct query words, a little of the text before
 * it, marked here (MSet::snippet() tokenised and stemmed every word of
 * the window again to find the same matches: a sixth of a search's cost).
 */
static std::string
window_snippet(const std::string &text, const std::vector<text_match> &m, size_t start, size_t end, size_t length)
{
	/*
	 * No query word in the range (the words are in the title, in parts of
	 * compounds or beyond the stored text): nothing to mark, so its start,
	 * as a list without search words shows it.
	 */
	if (m.empty())
		return leading_text(text.substr(start, end - start), length);
	stretch_score score;
	size_t first = best_stretch(m, length, &score), last = first;
	size_t anchor = m[first].pos;
	while (last + 1 < m.size() && m[last + 1].end <= anchor + length)
		last++;
	/* Text before the stretch only where it leaves room for the stretch's last match. */
	size_t stretch = m[last].end - anchor;
	size_t before = std::min<size_t>(SNIPPET_BEFORE(length), length > stretch ? length - stretch : 0);
	size_t from = anchor > start + before ? anchor - before : start;
	/* Near the end the snippet reaches back instead, so it keeps its length. */
	from = end - start > length ? std::min(from, end - length) : start;
	/* Whole words only: start after a space. */
	while (from > start && from < anchor && word_byte(text[from - 1]))
		from++;
	from = next_word(text, from, anchor);
	std::string s = marked_words(text, m, from, end, length);
	return from > start ? "…" + s : s;
}

/*
 * The snippet of a text whose pages (PDF) or slides (presentations) are
 * separated by '\f': of the stored pages with a query word on them, the
 * one whose matches bring the most distinct query words, then the most
 * matches, within a snippet's length wins (the first such page on a tie);
 * its number goes into h->page and only it gets a snippet.  A text
 * without pages, or none of whose stored pages matches (the words are only
 * in the title, or beyond the stored start of a long text), gets the
 * start of the whole text and no page.
 */
std::string
page_snippet(const std::string &text, const snippet_terms &terms, size_t length, const Xapian::Stem &stemmer,
             tr_hit *h)
{
	folded_text f(text);
	std::vector<text_match> best;
	stretch_score best_score;
	size_t start = 0, best_start = 0, best_stop = 0;
	unsigned page = 1, best_page = 0;

	if (text.find('\f') == std::string::npos) {
		/* One page (a one-page PDF, a single sheet) is still page 1 when the words are on it. */
		std::vector<text_match> m = find_matches(text, f, terms, 0, text.size(), stemmer);
		std::string s = window_snippet(text, m, 0, text.size(), length);
		tr_page_kind kind = tr_pages_of_format(h->format);

		if (!m.empty() && kind != TR_PAGES_NONE && kind != TR_PAGES_MARKDOWN)
			page_place(h, 1, text);
		return s;
	}
	for (;;) {
		size_t end = text.find('\f', start);
		size_t stop = end == std::string::npos ? text.size() : end;
		stretch_score score;

		/* A page without any query word cannot win. */
		std::vector<text_match> m;
		if (text.find_first_not_of(" \t\n\r", start) < stop &&
		    !(m = find_matches(text, f, terms, start, stop, stemmer)).empty()) {
			best_stretch(m, length, &score);
			if (score > best_score) {
				best.swap(m);
				best_score = score;
				best_page = page;
				best_start = start;
				best_stop = stop;
			}
		}
		if (end == std::string::npos)
			break;
		start = end + 1;
		page++;
	}
	if (!best_page)
		return leading_text(text, length);
	page_place(h, best_page, text.substr(best_start, std::min(best_stop, text.find('\n', best_start)) - best_start));
	return window_snippet(text, best, best_start, best_stop, length);
}
