/*
 * The words of a text as Xapian's TermGenerator (1.4) hands them to its
 * stemmer, for the term generation (db_document.cc): the query side splits
 * query text with Xapian's QueryParser, whose rules are the same, so the
 * index's words must be exactly these.  The rules (docs/terms.md, "Words"):
 * a word is a run of Xapian's word characters (letters, marks, numbers,
 * '_'), lower-cased by Xapian::Unicode::tolower(); an apostrophe, '&', '·'
 * and a few others join two runs ("AT&T", "don't", U+2019 becomes '\''),
 * and between two digits so do ',', '.' and ';' ("3,5", "1.000");
 * zero-width characters inside a word vanish; capitals joined by single
 * dots are one word ("U.S.A." → "usa"); up to three '+' or '#' stay on a
 * word that no word character follows ("C++", "C#").  Invalid UTF-8 is
 * read byte by byte as ISO-8859-1, as Xapian's Utf8Iterator reads it.
 *
 * Where the indexer has found a text's runs of word characters before
 * (tr_text_words, lib/text.h: the body's word stream, read by the
 * metadata finders), they are read from there: inside such a run only the
 * case of each character is looked at.
 */
#ifndef TR_TERM_WORDS_HH
#define TR_TERM_WORDS_HH

#include <cstddef>
#include <string>

extern "C" {
#include "text.h"
}

class term_words {
public:
	/*
	 * The words of @s[0..len).  @runs: tr_text_words_find()'s words of
	 * @s[0..runs->to) found from 0, or NULL; words longer than @max
	 * bytes are left out, as TermGenerator's max_word_length does.
	 */
	term_words(const char *s, size_t len, const tr_text_words *runs, size_t max);

	/* The next word into @word; false at the end of the text. */
	bool next(std::string &word);

	/*
	 * Whether the rules above are Xapian's: not when XAPIAN_CJK_NGRAM
	 * is set, which makes TermGenerator and QueryParser split CJK text
	 * into n-grams; then the caller uses TermGenerator itself.
	 */
	static bool exact();

private:
	const char *s;
	size_t len, i = 0;
	const tr_text_word *run, *runs_end;
	size_t max;

	bool split(std::string &word);
	bool acronym(std::string &word);
	void suffix(std::string &word);
	unsigned char_at(size_t at, size_t *n) const;
	unsigned append_run(std::string &word);
};

#endif
