/*
 * The query of a search's words: Xapian's parser, the German expansion
 * (spelling variants, gender forms, compound parts), the thesaurus with
 * its "auch gesucht", wildcards, the spelling correction, and the filters.
 */
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <new>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "db_private.hh"
#include "german.h"
#include "spelling.h"
#include "terms.h"

extern "C" {
#include "buf.h"    /* C headers without their own extern "C" */
#include "text.h"
}

static Xapian::Query
filter_terms(const char *prefix, const char *const *values, size_t n)
{
	std::vector<Xapian::Query> terms;
	for (size_t i = 0; i < n; i++)
		terms.emplace_back(std::string(prefix) + values[i]);
	return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

/* The most words a wildcard stands for: the most frequent ones. */
static const Xapian::termcount WILDCARD_MAX = 1000;

/*
 * The most terms one reading of a query may stand for: its words with
 * their German widening (variants, gender forms, compound parts, thesaurus
 * expressions) and every word its wildcards stand for.  A query past it
 * is refused (tr_query_too_big); unbounded, 166 times "s*" took seconds of
 * CPU and hundreds of MB per request.
 */
static const size_t QUERY_MAX_TERMS = TR_QUERY_MAX_TERMS;

[[noreturn]] static void
too_big()
{
	throw tr_query_too_big("Suchanfrage zu umfangreich: sie steht für mehr als " +
	                       std::to_string(QUERY_MAX_TERMS) + " Suchwörter (mit allen Wortformen und den "
	                       "Wörtern, für die ein * steht). Bitte weniger Platzhalter oder längere "
	                       "Wortanfänge vor dem * verwenden.");
}

/* The number of terms in @x, counted until it passes @limit. */
static size_t
count_terms(const Xapian::Query &x, size_t limit)
{
	if (x.get_type() == Xapian::Query::LEAF_TERM)
		return 1;
	size_t n = 0;
	for (size_t i = 0; i < x.get_num_subqueries() && n <= limit; i++)
		n += count_terms(x.get_subquery(i), limit - n + 1);
	return n;
}

/*
 * Expands the parser's wildcards here rather than at match time, so that
 * the words they stand for count against QUERY_MAX_TERMS before anything
 * runs.  The words, the most frequent WILDCARD_MAX of them (Xapian's
 * WILDCARD_LIMIT_MOST_FREQUENT), are joined by OP_SYNONYM, as Xapian's own
 * expansion joins them: they count as one word.  They were joined by
 * OP_MAX, so that each word kept its statistics over a whole shard set;
 * but Xapian 1.4.22's MaxPostList frees a sub-list it still reads when
 * two of its words end at the same document (erase_sublist() and
 * recalc_maxweight()), and "s* k*" crashed the process, the server with
 * it.  The parser offers no way to reach a wildcard's pattern but its
 * description; one it does not recognise stays as it was (and Xapian
 * expands it with the parser's limit).  Each pattern is looked up once
 * per query; the words all wildcards of a reading stand for count
 * against QUERY_MAX_TERMS as they are added, so a bomb stops early.
 */
class wildcard_expander {
public:
	wildcard_expander(const Xapian::Database &db, term_origins *origins) : db(db), origins(origins) {}
	Xapian::Query expand(const Xapian::Query &reading)
	{
		used = 0;
		Xapian::Query x = walk(reading);
		if (count_terms(x, QUERY_MAX_TERMS) > QUERY_MAX_TERMS)
			too_big();
		return x;
	}

private:
	const Xapian::Database &db;
	term_origins *origins;
	std::map<std::string, std::vector<std::string>> seen;  /* pattern → its words */
	size_t used = 0;

	const std::vector<std::string> &words_of(const std::string &pattern)
	{
		auto it = seen.find(pattern);
		if (it != seen.end())
			return it->second;
		std::vector<std::pair<Xapian::doccount, std::string>> words;
		for (Xapian::TermIterator t = db.allterms_begin(pattern); t != db.allterms_end(pattern); ++t)
			words.emplace_back(t.get_termfreq(), *t);
		if (words.size() > WILDCARD_MAX) {
			std::stable_sort(words.begin(), words.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
			words.resize(WILDCARD_MAX);
		}
		std::vector<std::string> &out = seen[pattern];
		for (auto &w : words)
			out.push_back(std::move(w.second));
		return out;
	}

	Xapian::Query walk(const Xapian::Query &node)
	{
		typedef Xapian::Query X;
		X::op op = node.get_type();

		if (op == X::OP_WILDCARD) {
			const std::string head = "Query(WILDCARD SYNONYM ";
			std::string d = node.get_description();
			if (d.compare(0, head.size(), head) != 0 || d.back() != ')' ||
			    d.find(' ', head.size()) != std::string::npos) {
				used += WILDCARD_MAX;
			} else {
				std::string pattern = d.substr(head.size(), d.size() - head.size() - 1);
				const std::vector<std::string> &words = words_of(pattern);
				used += words.size();
				if (used <= QUERY_MAX_TERMS) {
					for (const std::string &w : words)
						origins->emplace(w, term_origin{ pattern + "*", TR_RULE_WILDCARD, 1.0, {} });
					std::vector<X> terms(words.begin(), words.end());
					return X(X::OP_SYNONYM, terms.begin(), terms.end());
				}
			}
			if (used > QUERY_MAX_TERMS)
				too_big();
			return node;
		}
		/* Operators without parameters; wildcards never appear inside phrases. */
		if (op != X::OP_AND && op != X::OP_OR && op != X::OP_AND_NOT && op != X::OP_XOR &&
		    op != X::OP_AND_MAYBE && op != X::OP_FILTER && op != X::OP_SYNONYM && op != X::OP_MAX)
			return node;
		std::vector<X> kids;
		for (size_t i = 0; i < node.get_num_subqueries(); i++)
			kids.push_back(walk(node.get_subquery(i)));
		return X(op, kids.begin(), kids.end());
	}
};

bool
has_words(const char *text)
{
	if (!text)
		return false;
	for (const char *p = text; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return true;
	return false;
}

typedef std::map<std::string, std::set<std::string>> origin_map;

/* A stemmer that remembers the word behind each stem. */
class RecordingStem : public Xapian::StemImplementation {
	Xapian::Stem real;
	origin_map *seen;
public:
	explicit RecordingStem(origin_map *s) : real("german"), seen(s) {}
	std::string operator()(const std::string &w) override
	{
		std::string s = real(w);
		(*seen)[s].insert(w);
		return s;
	}
	std::string get_description() const override { return "Xapian::Stem(german, recording)"; }
};

class GermanStopper : public Xapian::Stopper {
public:
	bool operator()(const std::string &w) const override
	{
		return tr__german_is_stopword(w.data(), w.size());
	}
};

/* A spelling variant counts a little less than the spelling typed. */
static const double variant_weight = 0.9;

static Xapian::Query
scaled(const Xapian::Query &x, double w)
{
	return w == 1.0 ? x : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, x, w);
}

/* The stem of a free-text word ("Z" + stem); "ZS…" (titel:) and boolean terms are none. */
static bool
stemmed_word(const Xapian::Query &x, std::string *stem)
{
	if (x.get_type() != Xapian::Query::LEAF_TERM)
		return false;
	std::string t = *x.get_terms_begin();
	if (t.size() < 2 || t[0] != 'Z' || (t[1] >= 'A' && t[1] <= 'Z'))
		return false;
	*stem = t.substr(1);
	return true;
}

/* The thesaurus's words and their stems, made at build time (lib/german/thes_stems.cc), sorted by word. */
static const struct {
	const char *word, *stem;
} thes_stems[] = {
#include TR_THES_STEMS_PATH
};

/* The stem of thesaurus word @w: from the table, else from @stemmer. */
static std::string
thes_stem(const Xapian::Stem &stemmer, const std::string &w)
{
	auto end = std::end(thes_stems);
	auto it = std::lower_bound(std::begin(thes_stems), end, w,
	                           [](const auto &e, const std::string &k) { return k.compare(e.word) > 0; });
	return it != end && w == it->word ? std::string(it->stem) : stemmer(w);
}

/* The thesaurus as stems, for matching the parsed query. */
static std::vector<thes_line>
load_thesaurus(const Xapian::Stem &stemmer)
{
	std::vector<thes_line> thesaurus;
	size_t ng;
	const tr__thes_group *groups = tr__german_thesaurus(&ng);

	for (size_t i = 0; i < ng; i++) {
		thes_line line{ groups[i].weight, {} };
		for (size_t k = 0; k < groups[i].n; k++) {
			thes_entry e{ groups[i].terms[k], {}, {} };
			std::string low = Xapian::Unicode::tolower(e.text), w;
			for (size_t p = 0; p <= low.size(); p++) {
				if (p < low.size() && low[p] != ' ' && low[p] != '-') {
					w += low[p];
					continue;
				}
				if (w.empty())
					continue;
				e.stems.push_back(thes_stem(stemmer, w));
				if (!tr__german_is_stopword(w.data(), w.size()))
					e.content.push_back(e.stems.back());
				w.clear();
			}
			if (!e.stems.empty())
				line.entries.push_back(std::move(e));
		}
		thesaurus.push_back(std::move(line));
	}
	return thesaurus;
}

/* The handle's thesaurus, compiled at its first German query; none for a search without German. */
static const std::vector<thes_line> &
handle_thesaurus(tr_db *db, bool german)
{
	static const std::vector<thes_line> none;

	if (!german)
		return none;
	if (!db->thesaurus_ready) {
		db->thesaurus = load_thesaurus(Xapian::Stem("german"));
		db->thesaurus_ready = true;
	}
	return db->thesaurus;
}

/* The tokens of a query string as typed: split at spaces and tabs. */
static std::vector<std::string>
split_tokens(const std::string &str)
{
	std::vector<std::string> v;
	size_t p = 0;
	while ((p = str.find_first_not_of(" \t", p)) != std::string::npos) {
		size_t e = str.find_first_of(" \t", p);
		v.push_back(str.substr(p, e == std::string::npos ? e : e - p));
		p = e;
	}
	return v;
}

/* The part of query token @t that is its word: after a field's colon, without quotes, brackets, signs or '*'. */
static std::pair<size_t, size_t>
token_word(const std::string &t)
{
	size_t colon = t.rfind(':');
	size_t from = colon == std::string::npos ? 0 : colon + 1;
	size_t a = t.find_first_not_of("\"()+-", from), b = t.find_last_not_of("\"()*");
	return a == std::string::npos || b == std::string::npos || b < a ? std::make_pair(t.size(), t.size())
	                                                                  : std::make_pair(a, b + 1);
}

/* The words of a query string, without quotes, brackets, +/- and field names. */
static std::vector<std::string>
query_tokens(const std::string &str)
{
	std::vector<std::string> v;
	for (const std::string &t : split_tokens(str)) {
		std::pair<size_t, size_t> w = token_word(t);
		v.push_back(Xapian::Unicode::tolower(t.substr(w.first, w.second - w.first)));
	}
	return v;
}

/*
 * German (docs/german.md).  Gender notation ("Lehrer*innen") becomes the
 * plain female plural, which would otherwise read as a wildcard or a
 * field.  A recording stemmer remembers the word behind each stem, so that
 * the parsed query can be widened term by term: spelling variants, gender
 * forms, compound parts and the thesaurus.  Stopwords are dropped from the
 * query only, never inside a phrase.
 */
class query_builder {
public:
	query_builder(tr_db *db, const tr_search *q)
		: db(db), q(q), stemmer("german"), cw(q->compound_weight > 0 && !(q->rules_off & TR_RULE_BIT(TR_RULE_COMPOUND)) ? q->compound_weight : 0),
		  thesaurus(handle_thesaurus(db, q->german)) {}
	void build(word_query *out);

private:
	tr_db *db;
	const tr_search *q;
	Xapian::Stem stemmer;
	const double cw;
	origin_map originals;
	const std::vector<thes_line> &thesaurus;
	std::vector<std::string> also;
	term_origins record;           /* why each term is searched: word_query.origins */

	bool off(tr_rule r) const { return (q->rules_off & TR_RULE_BIT(r)) != 0; }
	void note(const std::string &term, const std::string &word, tr_rule rule, double factor,
	          const std::string &via = std::string())
	{
		record.emplace(term, term_origin{ word, rule, factor, via });
	}
	void note_typed(const Xapian::Query &reading);
	Xapian::Query expression(const thes_entry &e);
	void synonyms(const std::function<bool(const thes_entry &)> &matches, std::vector<Xapian::Query> &alt,
	              bool note);
	Xapian::Query expand_word(const std::string &t, const std::set<std::string> &forms, bool note);
	Xapian::Query widen(const Xapian::Query &node);
	Xapian::Query widen_phrase(const Xapian::Query &node);
	void widen_expressions(Xapian::Query::op op, std::map<std::string, size_t> &loose,
	                       std::vector<Xapian::Query> &kids, std::vector<bool> &used,
	                       std::vector<Xapian::Query> &extra);
	bool visible(const Xapian::Query &x);
	bool words_all_visible(const std::string &text);
	void check_correction(const std::string &text, std::string &corrected);
	bool corrected_finds(const std::string &corrected);
};

/* An expression of the thesaurus as a query; empty if a word of it is not in the index. */
Xapian::Query
query_builder::expression(const thes_entry &e)
{
	std::vector<Xapian::Query> terms;
	for (const std::string &s : e.stems) {
		if (!db->rdb->term_exists("Z" + s))
			return Xapian::Query();
		terms.emplace_back("Z" + s);
	}
	Xapian::Query x = terms.size() == 1 ? terms[0]
	                  : Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), terms.size());
	/*
	 * Without the right to see internal documents, an expression
	 * that only they contain must not appear ("auch gesucht"
	 * would reveal their words).
	 */
	if (!q->internal) {
		Xapian::Enquire visible(*db->rdb);
		visible.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, x, Xapian::Query(TR_TERM_INTERNAL)));
		if (visible.get_mset(0, 0, 1).get_matches_lower_bound() == 0)
			return Xapian::Query();
	}
	return x;
}

/* The other expressions of every line in which @matches finds one; noted as "auch gesucht". */
void
query_builder::synonyms(const std::function<bool(const thes_entry &)> &matches, std::vector<Xapian::Query> &alt,
                        bool note)
{
	for (const thes_line &line : thesaurus)
		for (const thes_entry &e : line.entries) {
			if (!matches(e))
				continue;
			for (const thes_entry &other : line.entries) {
				if (&other == &e)
					continue;
				Xapian::Query x = expression(other);
				if (x.empty())
					continue;
				if (note)
					for (auto t = x.get_unique_terms_begin(); t != x.get_unique_terms_end(); ++t)
						this->note(*t, Xapian::Unicode::tolower(e.text), TR_RULE_THESAURUS,
						           line.weight / static_cast<double>(other.stems.size()), other.text);
				/*
				 * A phrase weighs as much as its words together;
				 * divided by their number it counts like one word,
				 * so the expression typed still ranks first.
				 */
				alt.push_back(scaled(x, line.weight / static_cast<double>(other.stems.size())));
				if (note && std::find(also.begin(), also.end(), other.text) == also.end())
					also.push_back(other.text);
			}
		}
}

/* Whether the variant @v of the word @w writes ä, ö, ü, ß where @w has ae, oe, ue, ss. */
static tr_rule
variant_rule(const std::string &w, const std::string &v)
{
	auto umlauts = [](const std::string &x) {
		size_t n = 0;
		for (size_t i = 0; i + 1 < x.size(); i++)
			if (x[i] == '\xc3' && (x[i + 1] == '\xa4' || x[i + 1] == '\xb6' || x[i + 1] == '\xbc' || x[i + 1] == '\x9f'))
				n++;
		return n;
	};
	return umlauts(v) > umlauts(w) ? TR_RULE_UMLAUT : TR_RULE_TRANSCRIPTION;
}

/*
 * One stemmed word of the query and what else it stands for.  With @note
 * (the query proper, not a check of the correction) each term added is
 * noted with its rule, and thesaurus expressions as "auch gesucht".
 */
Xapian::Query
query_builder::expand_word(const std::string &t, const std::set<std::string> &forms, bool note)
{
	std::vector<Xapian::Query> alt{ Xapian::Query(t) };
	std::string s = t.substr(1);
	std::string word = forms.empty() ? s : *forms.begin();
	auto add = [&](const std::string &term, double w, tr_rule rule) {
		if (term == t || off(rule) || !db->rdb->term_exists(term))
			return;
		alt.push_back(scaled(Xapian::Query(term), w));
		if (note)
			this->note(term, word, rule, w);
	};
	if (cw > 0)
		add(TR_PREFIX_COMPOUND + s, cw, TR_RULE_COMPOUND);
	for (const std::string &w : forms) {
		char *v[TR__VARIANTS_MAX];
		size_t nv = tr__german_variants(w.c_str(), v);
		std::vector<std::string> variants(v, v + nv);
		for (size_t i = 0; i < nv; i++)
			free(v[i]);
		for (const std::string &vw : variants) {
			std::string sv = stemmer(vw);
			tr_rule rule = variant_rule(w, vw);
			if (off(rule))
				continue;
			add("Z" + sv, variant_weight, rule);
			if (cw > 0)
				add(TR_PREFIX_COMPOUND + sv, cw * variant_weight, TR_RULE_COMPOUND);
		}
		/* Every gender form of a person noun finds the others. */
		size_t gb = tr__german_gender_base(w.data(), w.size());
		std::string base = gb ? w.substr(0, gb) :
		                   tr__german_has_female(w.data(), w.size()) ? w : std::string();
		if (!base.empty() && !off(TR_RULE_GENDER)) {
			std::string sb = stemmer(base);
			add("Z" + sb, 1.0, TR_RULE_GENDER);
			add(TR_PREFIX_GENDER + sb, 1.0, TR_RULE_GENDER);
			if (cw > 0)
				add(TR_PREFIX_COMPOUND + sb, cw, TR_RULE_COMPOUND);
		}
	}
	if (!off(TR_RULE_THESAURUS))
		synonyms([&](const thes_entry &e) { return e.stems.size() == 1 && e.stems[0] == s; }, alt, note);
	return alt.size() == 1 ? alt[0] : Xapian::Query(Xapian::Query::OP_OR, alt.begin(), alt.end());
}

/* A phrase, and the other forms of the thesaurus expression it is. */
Xapian::Query
query_builder::widen_phrase(const Xapian::Query &node)
{
	typedef Xapian::Query X;
	std::vector<std::string> stems;
	std::string s;

	for (size_t i = 0; i < node.get_num_subqueries(); i++)
		if (stemmed_word(node.get_subquery(i), &s))
			stems.push_back(s);
	std::vector<X> alt{ node };
	if (!off(TR_RULE_THESAURUS))
		synonyms([&](const thes_entry &e) { return e.stems.size() > 1 && e.stems == stems; }, alt, true);
	return alt.size() == 1 ? node : X(X::OP_OR, alt.begin(), alt.end());
}

/*
 * Loose words of an AND/OR (@loose: stem → index in @kids) that together
 * form an expression of the thesaurus also search its other forms, added
 * to @extra; under AND the words used go into that alternative (@used).
 */
void
query_builder::widen_expressions(Xapian::Query::op op, std::map<std::string, size_t> &loose,
                                 std::vector<Xapian::Query> &kids, std::vector<bool> &used,
                                 std::vector<Xapian::Query> &extra)
{
	typedef Xapian::Query X;

	if (off(TR_RULE_THESAURUS))
		return;
	for (const thes_line &line : thesaurus)
		for (const thes_entry &e : line.entries) {
			if (e.content.size() < 2)
				continue;
			std::vector<size_t> idx;
			for (const std::string &c : e.content) {
				auto it = loose.find(c);
				if (it == loose.end() || used[it->second])
					break;
				idx.push_back(it->second);
			}
			if (idx.size() != e.content.size())
				continue;
			std::vector<X> alt;
			synonyms([&](const thes_entry &x) { return &x == &e; }, alt, true);
			if (alt.empty())
				continue;
			if (op == X::OP_OR) {
				extra.insert(extra.end(), alt.begin(), alt.end());
				continue;
			}
			/* AND: the words of the expression, or one of its other forms. */
			std::vector<X> words_of;
			for (size_t i : idx) {
				words_of.push_back(kids[i]);
				used[i] = true;
			}
			alt.insert(alt.begin(), X(X::OP_AND, words_of.begin(), words_of.end()));
			extra.push_back(X(X::OP_OR, alt.begin(), alt.end()));
		}
}

/*
 * Rebuilds the parsed query with each positive word widened.
 * Negated words (NOT), filters and phrases keep their meaning;
 * a phrase, or loose words of an AND/OR that together form an
 * expression of the thesaurus, also search its other forms.
 */
Xapian::Query
query_builder::widen(const Xapian::Query &node)
{
	typedef Xapian::Query X;
	X::op op = node.get_type();
	std::string s;
	if (stemmed_word(node, &s)) {
		auto it = originals.find(s);
		return expand_word("Z" + s, it == originals.end() ? std::set<std::string>() : it->second, true);
	}
	if (op == X::OP_PHRASE)
		return widen_phrase(node);
	if (op != X::OP_AND && op != X::OP_OR && op != X::OP_AND_MAYBE && op != X::OP_AND_NOT &&
	    op != X::OP_FILTER && op != X::OP_XOR)
		return node;
	std::vector<X> kids;
	std::map<std::string, size_t> loose;   /* stem of a direct word child → its index */
	for (size_t i = 0; i < node.get_num_subqueries(); i++) {
		X k = node.get_subquery(i);
		bool positive = i == 0 || op == X::OP_AND || op == X::OP_OR || op == X::OP_AND_MAYBE || op == X::OP_XOR;
		if (positive && (op == X::OP_AND || op == X::OP_OR) && stemmed_word(k, &s))
			loose.emplace(s, i);
		kids.push_back(positive ? widen(k) : k);
	}
	std::vector<bool> used(kids.size(), false);
	std::vector<X> extra;
	widen_expressions(op, loose, kids, used, extra);
	std::vector<X> out;
	for (size_t i = 0; i < kids.size(); i++)
		if (!used[i])
			out.push_back(kids[i]);
	out.insert(out.end(), extra.begin(), extra.end());
	if (out.size() == 1 && (op == X::OP_AND || op == X::OP_OR))
		return out[0];
	return X(op, out.begin(), out.end());
}

/* Whether the requester may see a document that @x matches. */
bool
query_builder::visible(const Xapian::Query &x)
{
	Xapian::Enquire e(*db->rdb);
	e.set_query(q->internal ? x : Xapian::Query(Xapian::Query::OP_AND_NOT, x,
	                                             Xapian::Query(TR_TERM_INTERNAL)));
	return e.get_mset(0, 1).size() > 0;
}

/*
 * Whether every word of @text is indexed (its Z stem) where the requester
 * may see it.  check_correction() would then drop any correction, so
 * Xapian's spelling search, a trigram search per word, is not run.
 */
bool
query_builder::words_all_visible(const std::string &text)
{
	std::vector<std::string> words = query_tokens(text);

	if (words.empty() || (!q->internal && db->rdb->get_termfreq(TR_TERM_INTERNAL) > 0))
		return false;
	for (const std::string &w : words)
		if (w.empty() || !db->rdb->term_exists("Z" + stemmer(w)))
			return false;
	return true;
}

/* @word in the case of @typed: all capitals if @typed is ("KITA"), else capitalised if it is ("Schule"). */
static std::string
cased_like(const std::string &typed, const std::string &word)
{
	Xapian::Utf8Iterator t(typed);
	bool first_upper = t != Xapian::Utf8Iterator() &&
	                   Xapian::Unicode::get_category(*t) == Xapian::Unicode::UPPERCASE_LETTER;
	size_t letters = 0, upper = 0;
	for (; t != Xapian::Utf8Iterator(); ++t) {
		Xapian::Unicode::category c = Xapian::Unicode::get_category(*t);
		if (c == Xapian::Unicode::UPPERCASE_LETTER || c == Xapian::Unicode::LOWERCASE_LETTER) {
			letters++;
			upper += c == Xapian::Unicode::UPPERCASE_LETTER;
		}
	}
	if (!first_upper)
		return word;
	bool all = letters > 1 && upper == letters;
	std::string out;
	size_t i = 0;
	for (Xapian::Utf8Iterator w(word); w != Xapian::Utf8Iterator(); ++w, ++i)
		Xapian::Unicode::append_utf8(out, all || i == 0 ? Xapian::Unicode::toupper(*w) : *w);
	return out;
}

/*
 * @corrected (Xapian's speller writes its words in lower case) with each
 * word it replaced in the case the user typed the word in: "Shcule" is
 * corrected to "Schule", as German writes nouns, not to "schule".
 */
static std::string
in_typed_case(const std::string &typed, const std::string &corrected)
{
	std::vector<std::string> was = split_tokens(typed), now = split_tokens(corrected);
	if (was.size() != now.size())
		return corrected;
	std::string out;
	for (size_t i = 0; i < now.size(); i++) {
		std::pair<size_t, size_t> tw = token_word(was[i]), cw = token_word(now[i]);
		std::string tok = now[i];
		if (was[i] != now[i] && tw.first < tw.second && cw.first < cw.second)
			tok = now[i].substr(0, cw.first) +
			      cased_like(was[i].substr(tw.first, tw.second - tw.first),
			                 now[i].substr(cw.first, cw.second - cw.first)) +
			      now[i].substr(cw.second);
		out += (i ? " " : "") + tok;
	}
	return out;
}

/*
 * "Meinten Sie" only for a word that finds nothing in any of
 * its forms (variants, gender forms, compound parts), and only
 * with a correction that the requester may see in some
 * document: otherwise a suggestion could reveal a word that
 * occurs in internal documents only; only one a person would have
 * meant (tr__spelling_acceptable()); and the corrected query with the
 * search's filters must find such a document.  Clears @corrected otherwise.
 */
void
query_builder::check_correction(const std::string &text, std::string &corrected)
{
	std::vector<std::string> was = query_tokens(text), now = query_tokens(corrected);
	bool keep = was.size() == now.size(), changed = false;
	for (size_t i = 0; keep && i < now.size(); i++) {
		if (was[i] == now[i])
			continue;
		changed = true;
		std::string o = was[i], c = now[i];
		/* Near enough for its length, same first letter, no stopword (lib/spelling.c). */
		if (o.empty() || c.empty() || !tr__spelling_acceptable(o.c_str(), c.c_str())) {
			keep = false;
			break;
		}
		if (visible(expand_word("Z" + stemmer(o), { o }, false)))
			keep = false;
		else if (!visible(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Z" + stemmer(c)),
		                                Xapian::Query(c))))
			keep = false;
	}
	if (keep && changed && !corrected_finds(corrected))
		keep = false;
	if (!keep || !changed)
		corrected.clear();
	else
		corrected = in_typed_case(text, corrected);
}

/* Whether the corrected query, as a search with the same filters, finds a document the requester may see. */
bool
query_builder::corrected_finds(const std::string &corrected)
{
	tr_search cq = *q;
	word_query wq;

	cq.text = corrected.c_str();
	cq.spelling = false;
	query_builder(db, &cq).build(&wq);
	Xapian::Enquire e(*db->rdb);
	e.set_query(apply_filters(q, wq.matches));
	e.set_weighting_scheme(Xapian::BoolWeight());
	return e.get_mset(0, 1).size() > 0;
}

/*
 * Notes the terms of a reading as the parser made them: the words as
 * typed (no prefix, or a field's) and their stems (Z).  Noted before any
 * widening, so a word typed is never put down to another word's rule.
 */
void
query_builder::note_typed(const Xapian::Query &reading)
{
	for (auto it = reading.get_unique_terms_begin(); it != reading.get_unique_terms_end(); ++it) {
		const std::string &t = *it;
		size_t p = 0;
		while (p < t.size() && t[p] >= 'A' && t[p] <= 'Z')
			p++;
		std::string bare = t.substr(p);
		if (t[0] != 'Z') {
			note(t, bare, TR_RULE_EXACT, 1.0);
			continue;
		}
		auto o = originals.find(bare);
		note(t, o == originals.end() || o->second.empty() ? bare : *o->second.begin(), TR_RULE_STEM, 1.0);
	}
}

/*
 * @x without its phrases and NEARs: in the exact reading they match
 * nothing (the words as written have no positions), but Xapian still
 * reads the position lists of every document with all their words to
 * find that out, in the ranked and in the count pass: 263 of 320 M
 * instructions of the phrase query „Bildung für Neuzugewanderte“ on the
 * 100,000-document bench archive.  Xapian's operators drop a
 * MatchNothing from an OR and match nothing for an AND that has one.
 */
static Xapian::Query
without_positions(const Xapian::Query &node)
{
	typedef Xapian::Query X;
	X::op op = node.get_type();

	if (op == X::OP_PHRASE || op == X::OP_NEAR)
		return X::MatchNothing;
	if (op != X::OP_AND && op != X::OP_OR && op != X::OP_AND_MAYBE && op != X::OP_AND_NOT &&
	    op != X::OP_FILTER && op != X::OP_XOR)
		return node;
	std::vector<X> kids;
	for (size_t i = 0; i < node.get_num_subqueries(); i++)
		kids.push_back(without_positions(node.get_subquery(i)));
	return X(op, kids.begin(), kids.end());
}

/*
 * The ranked query weighs a match by all + any + exact (its readings'
 * weights summed).  A full match (one of the all-words reading) has
 * every word its any-word reading finds inside the all-words reading
 * too when that reading is an AND of ORs of the same terms: then its
 * weight is 2 * all + exact, a query Xapian can prune as an AND instead
 * of scoring every match of three ORs (docs/performance.md, "ranked
 * pass").  The helpers below decide that from the query trees; a node
 * whose weight does not split into its terms' (a term, a synonym, a
 * phrase) is one unit, the same in both readings.
 */
static bool
unit(const Xapian::Query &x)
{
	typedef Xapian::Query X;
	switch (x.get_type()) {
	case X::LEAF_TERM: case X::LEAF_MATCH_ALL: case X::LEAF_MATCH_NOTHING:
	case X::OP_SYNONYM: case X::OP_PHRASE: case X::OP_NEAR: case X::OP_MAX:
	case X::OP_VALUE_RANGE: case X::OP_VALUE_GE: case X::OP_VALUE_LE:
		return true;
	case X::OP_SCALE_WEIGHT:
		return unit(x.get_subquery(0));
	default:
		return false;
	}
}

/* Whether a match of @x has the weight of every unit of @x it has: units joined by OR. */
static bool
flat(const Xapian::Query &x)
{
	if (unit(x))
		return true;
	if (x.get_type() != Xapian::Query::OP_OR)
		return false;
	for (size_t i = 0; i < x.get_num_subqueries(); i++)
		if (!flat(x.get_subquery(i)))
			return false;
	return true;
}

/* The same for a reading whose weighed part may be an AND of such ORs (@and) less unweighed ones. */
static bool
sums_units(const Xapian::Query &x, bool and_ok)
{
	Xapian::Query::op op = x.get_type();

	if (flat(x))
		return true;
	if (op == Xapian::Query::OP_AND_NOT || op == Xapian::Query::OP_FILTER)
		return sums_units(x.get_subquery(0), and_ok);
	if (op != Xapian::Query::OP_AND || !and_ok)
		return false;
	for (size_t i = 0; i < x.get_num_subqueries(); i++)
		if (!sums_units(x.get_subquery(i), true))
			return false;
	return true;
}

/* The weighed units of @x into @out; false for an operator not weighed as a sum. */
static bool
weighed_units(const Xapian::Query &x, std::vector<std::string> &out)
{
	Xapian::Query::op op = x.get_type();

	if (unit(x)) {
		out.push_back(x.get_description());
		return true;
	}
	if (op == Xapian::Query::OP_AND_NOT || op == Xapian::Query::OP_FILTER)
		return weighed_units(x.get_subquery(0), out);
	if (op != Xapian::Query::OP_AND && op != Xapian::Query::OP_OR)
		return false;
	for (size_t i = 0; i < x.get_num_subqueries(); i++)
		if (!weighed_units(x.get_subquery(i), out))
			return false;
	return true;
}

/*
 * The query of the full matches, weighed as OR(all, any, exact) weighs
 * them: 2 * all + exact when a full match weighs the same in both
 * readings (see above), else all with the other two on top.
 */
static Xapian::Query
full_matches(const Xapian::Query &all, const Xapian::Query &any, const Xapian::Query &exact)
{
	typedef Xapian::Query X;
	std::vector<std::string> in_all, in_any;

	if (sums_units(all, true) && sums_units(any, false) && weighed_units(all, in_all) &&
	    weighed_units(any, in_any)) {
		std::sort(in_all.begin(), in_all.end());
		std::sort(in_any.begin(), in_any.end());
		if (in_all == in_any)
			return X(X::OP_AND_MAYBE, X(X::OP_SCALE_WEIGHT, all, 2.0), exact);
	}
	return X(X::OP_AND_MAYBE, all, X(X::OP_OR, any, exact));
}

/*
 * @s in NFC, as the index holds its words: text typed on a Mac or copied
 * out of a PDF may spell "ü" as "u" and a combining diaeresis, which
 * Xapian would take for another word.  Bytes that are not UTF-8 stay as
 * they are (Xapian reads them as ISO-8859-1 on both sides).
 */
static std::string
composed(const char *s)
{
	size_t len = strlen(s);
	tr_buf b = TR_BUF_INIT(len * 3 + 16);

	if (!tr_text_is_utf8(s, len))
		return s;
	tr_status st = tr_text_nfc(&b, s, len);
	std::string nfc = st == TR_OK && b.ptr ? std::string(b.ptr, b.len) : std::string();
	tr_buf_free(&b);
	if (st == TR_ENOMEM)
		throw std::bad_alloc();
	return st == TR_OK ? nfc : std::string(s);
}

void
query_builder::build(word_query *out)
{
	Xapian::QueryParser qp;
	unsigned flags = Xapian::QueryParser::FLAG_DEFAULT |
	                 Xapian::QueryParser::FLAG_WILDCARD |
	                 Xapian::QueryParser::FLAG_PURE_NOT;
	if (q->spelling)
		flags |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
	qp.set_database(*db->rdb);

	std::string text = composed(q->text);
	GermanStopper stopper;
	if (q->german) {
		char *norm = tr__german_normalise_query(text.c_str());
		if (!norm)
			throw std::bad_alloc();
		text = norm;
		free(norm);
		qp.set_stemmer(Xapian::Stem(new RecordingStem(&originals)));
		qp.set_stopper(&stopper);
	} else {
		qp.set_stemmer(stemmer);
	}
	/*
	 * German capitalises every noun, and STEM_SOME would leave
	 * capitalised words unstemmed; STEM_ALL_Z stems them all and
	 * matches the Z-prefixed stems the TermGenerator indexed.
	 */
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
	if (q->spelling && words_all_visible(text))
		flags &= ~Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
	qp.add_prefix("titel", TR_PREFIX_TITLE);
	qp.add_prefix("title", TR_PREFIX_TITLE);
	qp.add_prefix("autor", TR_PREFIX_AUTHOR);
	qp.add_prefix("author", TR_PREFIX_AUTHOR);
	qp.set_max_expansion(WILDCARD_MAX, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);

	/*
	 * Documents with all the words come first, but a missing word
	 * never empties the list: the AND reading adds its weight on
	 * top of the OR reading, so full matches outrank partial ones.
	 */
	qp.set_default_op(Xapian::Query::OP_AND);
	Xapian::Query all = qp.parse_query(text, flags);
	std::string corrected = qp.get_corrected_query_string();
	qp.set_default_op(Xapian::Query::OP_OR);
	unsigned plain = flags & ~Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
	Xapian::Query any = qp.parse_query(text, plain);
	/*
	 * The words as typed (unstemmed) add their weight too, so the
	 * exact form outranks other inflections of the same stem.
	 * This reading is never widened: it is what keeps the exact
	 * word, spelling and expression first.  Its phrases match
	 * nothing (the words as written have no positions), and are left
	 * out below: inside a phrase, inflections rank alike.
	 */
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
	Xapian::Query exact = qp.parse_query(text, plain);
	if (off(TR_RULE_STEM)) {
		/* Only the words as typed: no stems, so nothing to widen either. */
		qp.set_default_op(Xapian::Query::OP_AND);
		all = qp.parse_query(text, plain);
		any = exact;
	}
	note_typed(exact);
	note_typed(any);
	/* One word, a phrase or an OR parse the same with either default operator: one reading to count. */
	bool one_reading = all.get_description() == any.get_description();

	if ((q->german || cw > 0) && !off(TR_RULE_STEM)) {
		all = widen(all);
		any = widen(any);
	}
	wildcard_expander wildcards(*db->rdb, &record);
	all = wildcards.expand(all);
	any = wildcards.expand(any);
	exact = wildcards.expand(exact);

	if (!corrected.empty())
		check_correction(text, corrected);
	Xapian::Query parts[] = { all, any, exact };
	/* The whole query keeps the exact reading's phrases: the snippets mark their words. */
	out->query = Xapian::Query(Xapian::Query::OP_OR, parts, parts + 3);
	exact = without_positions(exact);
	out->matches = Xapian::Query(Xapian::Query::OP_OR, any, exact);
	if (!one_reading)
		out->all_words = all;
	if (!one_reading) {
		out->full = full_matches(all, any, exact);
	} else if (all.get_description() == any.get_description()) {
		/* One reading: every match is a full one, and all weighs what any does. */
		out->ranked = Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any, 2.0), exact);
	}
	out->corrected = corrected;
	out->also = also;
	out->origins = std::move(record);
}

void
build_word_query(tr_db *db, const tr_search *q, word_query *out)
{
	query_builder(db, q).build(out);
}

Xapian::Query
apply_filters(const tr_search *q, const Xapian::Query &words, int skip)
{
	Xapian::Query query = words;
	std::vector<Xapian::Query> filters;

	if (q->n_districts && skip != TR_FACET_DISTRICT)
		filters.push_back(filter_terms(TR_PREFIX_DISTRICT, q->districts, q->n_districts));
	if (q->n_types && skip != TR_FACET_TYPE)
		filters.push_back(filter_terms(TR_PREFIX_TYPE, q->types, q->n_types));
	if (q->n_topics && skip != TR_FACET_TOPIC)
		filters.push_back(filter_terms(TR_PREFIX_TOPIC, q->topics, q->n_topics));
	if ((q->date_from || q->date_to) && skip != TR_FACET_YEAR)
		filters.push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, TR_SLOT_DATE,
		                                q->date_from ? q->date_from : "00000000",
		                                q->date_to ? q->date_to : "99999999"));
	if (q->added_since > 0)
		filters.push_back(added_filter(q->added_since));
	if (!filters.empty())
		query = Xapian::Query(Xapian::Query::OP_FILTER, query,
		                      Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
	/* Hidden before matching, so no count, facet or snippet can reveal them. */
	if (!q->internal)
		query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(TR_TERM_INTERNAL));
	return query;
}
