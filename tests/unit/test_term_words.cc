/*
 * The index's words must be exactly those Xapian's TermGenerator makes,
 * because the query side splits query text by Xapian's rules: a word the
 * index spells otherwise ("c++" as "c", "3,5" as "3" and "5", "usa" as
 * "u", "s", "a") is never found.  term_words (lib/term_words.hh) is
 * compared word for word with TermGenerator, on texts that hit each rule
 * and on many texts made at random from the characters the rules name,
 * with and without the indexer's word stream.
 */
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include <xapian.h>

#include "check.h"
#include "term_words.hh"
#include "terms.h"

/* TermGenerator's words in order: the stemmer it hands each one to notes them. */
class Note : public Xapian::StemImplementation {
public:
	std::vector<std::string> &out;
	explicit Note(std::vector<std::string> &o) : out(o) {}
	std::string operator()(const std::string &w) override
	{
		out.push_back(w);
		return std::string();
	}
	std::string get_description() const override { return "note"; }
};

static std::vector<std::string>
xapian_words(const std::string &text)
{
	std::vector<std::string> out;
	Xapian::TermGenerator tg;

	tg.set_stemmer(Xapian::Stem(new Note(out)));
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
	tg.set_max_word_length(TR_WORD_MAX);
	tg.index_text(text);
	return out;
}

/* term_words on @text; with the text's word stream when @stream, found up to @to (all of it for -1). */
static std::vector<std::string>
our_words(const std::string &text, bool stream, size_t to = (size_t)-1)
{
	std::vector<std::string> out;
	tr_text_words runs = TR_TEXT_WORDS_INIT;
	size_t len = strlen(text.c_str());
	std::string w;

	if (stream && tr_text_words_find(&runs, text.c_str(), 0, to < len ? to : len) != TR_OK)
		return out;
	term_words split(text.c_str(), len, stream ? &runs : nullptr, TR_WORD_MAX);
	while (split.next(w))
		out.push_back(w);
	tr_text_words_free(&runs);
	return out;
}

static std::string
joined(const std::vector<std::string> &v)
{
	std::string s;
	for (const auto &w : v)
		s += "[" + w + "]";
	return s;
}

static void
same(const std::string &text, size_t to = (size_t)-1)
{
	std::string want = joined(xapian_words(text));

	CHECK_MSG(joined(our_words(text, false)) == want, "\"%s\": got %s, want %s", text.c_str(),
	          joined(our_words(text, false)).c_str(), want.c_str());
	CHECK_MSG(joined(our_words(text, true, to)) == want, "\"%s\" (stream to %zu): got %s, want %s", text.c_str(), to,
	          joined(our_words(text, true, to)).c_str(), want.c_str());
}

static void
expect(const char *text, const char *want)
{
	std::string got = joined(our_words(text, true));

	CHECK_MSG(got == want, "\"%s\": got %s, want %s", text, got.c_str(), want);
}

/* Each rule, and the words one would expect of it (so the comparison is not with itself alone). */
static void
rules(void)
{
	expect("C++ und C# für AT&T, don’t!", "[c++][und][c#][für][at&t][don't]");
	expect("3,5 % von 1.000.000 am 03.12.2025", "[3,5][von][1.000.000][am][03.12.2025]");
	expect("U.S.A. und die U.N.", "[usa][und][die][un]");
	const char *texts[] = {
		"C++ und C# sind Sprachen; C+++ und C++++ nicht, fish+chips auch nicht, C++x",
		"AT&T, M&S, Rock'n'Roll, don’t, it‛s, l'école, ‘Zitat’, a''b, a' b, 'a",
		"U.S.A. und P.T.O und U.N.C.L.E.x und A.B.c, Z.B. z.B. U.S, A., A..B, AB.CD, Ä.Ö.",
		"3,5 % von 1.000.000 Euro am 03.12.2025; 1;2 1'000 1.a a.1 1..2 1,,2 3.5.",
		"foo_bar __init__ _ a_ _b x² H₂O Ⅻ ½ ①",
		"zero\u200bwidth soft\u00adhyphen word\u2060joiner a\ufeffb 1\u200b2 \u200b",
		"Kita-Plätze Lehrer*innen Schüler:innen Bürger/innen Straße STRASSE ǅungla İstanbul",
		"ΣΊΣΥΦΟΣ ὈΔΥΣΣΕΎΣ ПРИВЕТ мир Schu\u0308ler e\u0301te \u0301x",
		"日本語テキスト 中文 한국어 テスト123 ١٢٣,٤٥ ٣٫٥ ١٢٣٬٤٥٦ १२३",
		"a·b a\u05f4b a\u2027b 1\u2044 2 1\u20442 1\u037e2 1\ufe102 a:b",
		"M\xe4rz \xc3 x\xc3 \xe0\x80\x80 \xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf \x80" "abc \xf0\x9f\x98\x80 a\xff",
		"Ende mit C++",
		"Ende mit C#",
		"Ende mit 3,",
		"Ende mit U.S.",
		"Ende mit don'",
		"A",
		"",
	};
	for (const char *t : texts)
		same(t);
	/* TR_WORD_MAX: a longer word is left out, and nothing of it stands in its place. */
	for (size_t n : { (size_t)TR_WORD_MAX - 1, (size_t)TR_WORD_MAX, (size_t)TR_WORD_MAX + 1 }) {
		same("vor " + std::string(n, 'a') + " nach");
		same("vor " + std::string(n - 1, 'b') + "++ nach");
		std::string umlauts;
		for (size_t k = 0; k < n / 2; k++)
			umlauts += "Ä";
		same("vor " + umlauts + "x nach");
	}
	/* A stream that stops inside a word, or before the text ends. */
	same("Sprachförderung im Landkreis", 8);
	same("Sprachförderung im Landkreis", 5);
	same("C++ und C#", 1);
}

/*
 * Texts made at random from pieces that touch every rule: letters of
 * each case, digits of two scripts, each joiner, '+' and '#', the
 * zero-width characters, word characters our stream does not count
 * ('_', '²'), CJK, and bytes that are not UTF-8.
 */
static void
random_texts(void)
{
	static const char *const pieces[] = {
		"a", "Z", "U", "S", ".", "..", ",", ";", "'", "’", "‛", "&", "+", "#", "_", " ", "-", "\n",
		"\u200b", "\u2060", "·", "\u2044", "²", "ä", "Ä", "ß", "ǅ", "İ", "ς", "Σ", "1", "0", "٣", "٫",
		"日", "本", "e\u0301", "\u0301", "\xe4", "\xc3", "\xe2\x80", "\xf0\x9f\x98\x80", "*", ":", "/",
	};
	const size_t n_pieces = sizeof pieces / sizeof *pieces;
	unsigned long long seed = 0x5eed;

	for (int t = 0; t < 20000; t++) {
		std::string text;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int len = 1 + (int)((seed >> 33) % 14);
		for (int k = 0; k < len; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			text += pieces[(seed >> 33) % n_pieces];
		}
		std::string want = joined(xapian_words(text));
		if (joined(our_words(text, false)) != want || joined(our_words(text, true)) != want) {
			same(text);   /* says which */
			break;
		}
		check_passed++;
	}
}

int
main(void)
{
	/* Xapian reads it once; with it set, TermGenerator splits CJK text into n-grams (term_words::exact()). */
	unsetenv("XAPIAN_CJK_NGRAM");
	CHECK(term_words::exact());
	rules();
	random_texts();
	return check_done();
}
