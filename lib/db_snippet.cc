/*
 * Snippets: the text shown under each hit, with the query's words marked
 * '\x02'...'\x03', from the best page of a paged text.
 */
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "db_private.hh"
#include "docdata.h"

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

/* Formats whose pages are slides: presentations, and Markdown exported from them. */
static bool
pages_are_slides(const char *format)
{
	static const char *const slides[] = { "pptx", "odp", "markdown", nullptr };

	for (const char *const *f = slides; format && *f; f++)
		if (strcmp(format, *f) == 0)
			return true;
	return false;
}

/* The distinct stems and the number of highlighted words in a snippet. */
static void
snippet_score(const std::string &s, const Xapian::Stem &stemmer, size_t *distinct, size_t *marks)
{
	std::vector<std::string> seen;
	size_t pos = 0;

	*marks = 0;
	while ((pos = s.find('\x02', pos)) != std::string::npos) {
		size_t end = s.find('\x03', pos + 1);
		if (end == std::string::npos)
			break;
		std::string stem = stemmer(Xapian::Unicode::tolower(s.substr(pos + 1, end - pos - 1)));
		if (std::find(seen.begin(), seen.end(), stem) == seen.end())
			seen.push_back(stem);
		++*marks;
		pos = end + 1;
	}
	*distinct = seen.size();
}

/*
 * MSet::snippet() with the highlight marks '\x02'...'\x03', and as plain
 * text: Xapian escapes <, > and & for HTML, but each printer escapes for
 * its own output (HTML, JSON, terminal), so the entities are undone here.
 */
static std::string
plain_snippet(const Xapian::MSet &highlight, const std::string &text, size_t length,
              const Xapian::Stem &stemmer, unsigned flags)
{
	std::string s = highlight.snippet(text, length, stemmer, flags, "\x02", "\x03", "…"), out;
	static const struct { const char *entity; char c; } entities[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
	};

	out.reserve(s.size());
	for (size_t i = 0; i < s.size(); i++) {
		bool done = false;
		if (s[i] == '&') {
			for (const auto &e : entities) {
				size_t n = strlen(e.entity);
				if (s.compare(i, n, e.entity) == 0) {
					out += e.c;
					i += n - 1;
					done = true;
					break;
				}
			}
		}
		if (!done)
			out += s[i];
	}
	return out;
}

/*
 * The snippet of a text whose pages (PDF) or slides (presentations) are
 * separated by '\f': each stored page gets a snippet of its own, and the
 * one with the most distinct query words, then the most highlighted words,
 * wins (the first such page on a tie); its number goes into h->page.  A
 * text without pages, or none of whose stored pages matches (the words are
 * only in the title, or beyond the stored start of a long text), gets the
 * snippet of the whole text and no page.
 */
std::string
page_snippet(const Xapian::MSet &highlight, const std::string &text, size_t length,
             const Xapian::Stem &stemmer, tr_hit *h)
{
	/*
	 * No SNIPPET_BACKGROUND_MODEL: it looks up the frequency of every
	 * other word of the text, which over a remote shard is a network
	 * round trip per word and shard (docs/shards.md).  Which page is
	 * shown is decided here by the query's words anyway.
	 */
	const unsigned flags = Xapian::MSet::SNIPPET_EXHAUSTIVE;
	std::string best;
	size_t best_distinct = 0, best_marks = 0, start = 0;
	unsigned page = 1, best_page = 0;

	if (text.find('\f') == std::string::npos)
		return plain_snippet(highlight, text, length, stemmer, flags);
	for (;;) {
		size_t end = text.find('\f', start);
		std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
		size_t distinct, marks;

		if (part.find_first_not_of(" \t\n\r") != std::string::npos) {
			std::string s = plain_snippet(highlight, part, length, stemmer, flags);
			snippet_score(s, stemmer, &distinct, &marks);
			if (distinct > best_distinct || (distinct == best_distinct && marks > best_marks)) {
				best = s;
				best_distinct = distinct;
				best_marks = marks;
				best_page = page;
			}
		}
		if (end == std::string::npos)
			break;
		start = end + 1;
		page++;
	}
	if (!best_page)
		return plain_snippet(highlight, text, length, stemmer, flags);
	h->page = best_page;
	h->slide = pages_are_slides(h->format);
	return best;
}
