/*
 * Why found: the terms of a search that a document has, each put down to
 * the query word and the rule of the expansion that searched it (the
 * record db_query.cc keeps while it builds the query: word_query.origins),
 * with its weight in that document; and, for `tellerrand why`, why a given
 * file is or is not in a search's results.
 */
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "db_private.hh"
#include "docdata.h"
#include "matches.h"
#include "terms.h"

/* A term of the title or author field (titel:, autor:), not of the text. */
static bool
field_term(const std::string &t)
{
	std::string r = t.compare(0, 1, "Z") == 0 && t.size() > 1 && t[1] >= 'A' && t[1] <= 'Z' ? t.substr(1) : t;
	return r.compare(0, strlen(TR_PREFIX_TITLE), TR_PREFIX_TITLE) == 0 ||
	       r.compare(0, strlen(TR_PREFIX_AUTHOR), TR_PREFIX_AUTHOR) == 0;
}

/* The term as shown: without its prefix (upper-case letters: terms themselves are lower case). */
static std::string
bare(const std::string &t)
{
	size_t p = 0;
	while (p < t.size() && t[p] >= 'A' && t[p] <= 'Z')
		p++;
	return t.substr(p);
}

/* A word with ä, ö, ü, ß as the German stemmer writes them in a stem (a, o, u, ss). */
static std::string
fold_umlauts(const std::string &w)
{
	std::string out;
	for (size_t i = 0; i < w.size(); i++) {
		if (w[i] == '\xc3' && i + 1 < w.size()) {
			char c = w[i + 1];
			const char *f = c == '\xa4' ? "a" : c == '\xb6' ? "o" : c == '\xbc' ? "u" : c == '\x9f' ? "ss" : nullptr;
			if (f) {
				out += f;
				i++;
				continue;
			}
		}
		out += w[i];
	}
	return out;
}

/* The words of a document as indexed (terms without a prefix), folded, with their wdf. */
struct doc_word {
	std::string word, folded;      /* folded: "" when the same as word */
	Xapian::termcount wdf;
};

/* What explaining needs of a document: the search's terms it has, and its words. */
struct doc_terms {
	Xapian::docid id;
	std::string unique;                   /* its unique id term (Q): a filter that keeps only it */
	std::vector<std::string> matched;     /* in term order */
	std::vector<doc_word> words;
};

/*
 * A thesaurus expression of several words ("Deutsch als Zweitsprache") is
 * searched as a phrase: one of its words alone ("als") is no reason.
 * Drops from @matched the terms of an expression the document does not
 * have all the words of.
 */
static void
drop_partial_phrases(const term_origins &origins, std::vector<std::string> &matched)
{
	typedef std::pair<std::string, std::string> expression;   /* the query word, the expression */
	std::map<expression, size_t> want, got;

	for (const auto &o : origins)
		if (o.second.rule == TR_RULE_THESAURUS && o.second.via.find(' ') != std::string::npos)
			want[{ o.second.word, o.second.via }]++;
	if (want.empty())
		return;
	for (const std::string &t : matched) {
		const term_origin &o = origins.at(t);
		if (o.rule == TR_RULE_THESAURUS && want.count({ o.word, o.via }))
			got[{ o.word, o.via }]++;
	}
	matched.erase(std::remove_if(matched.begin(), matched.end(), [&](const std::string &t) {
		const term_origin &o = origins.at(t);
		expression e{ o.word, o.via };
		return o.rule == TR_RULE_THESAURUS && want.count(e) && got[e] < want[e];
	}), matched.end());
}

/*
 * One pass over document @id's term list: the terms @origins knows (the
 * search's) and, with @words, the words as indexed, for found_in().
 */
static doc_terms
read_doc(tr_db *db, Xapian::docid id, const term_origins &origins, bool words)
{
	doc_terms d;

	d.id = id;
	for (Xapian::TermIterator t = db->rdb->termlist_begin(id); t != db->rdb->termlist_end(id); ++t) {
		std::string w = *t;
		if (origins.count(w))
			d.matched.push_back(w);
		else if (d.unique.empty() && w.compare(0, strlen(TR_PREFIX_ID), TR_PREFIX_ID) == 0)
			d.unique = w;
		if (words && !w.empty() && !(w[0] >= 'A' && w[0] <= 'Z'))
			d.words.push_back({ w, w.find('\xc3') == std::string::npos ? std::string() : fold_umlauts(w), t.get_wdf() });
	}
	drop_partial_phrases(origins, d.matched);
	return d;
}

/*
 * The weight of each (document, term) of @found: one weighted pass per
 * term, filtered to the documents that have it, so Xapian's own weighting
 * scheme (BM25, with the whole index's statistics) gives the number.
 */
typedef std::map<std::pair<Xapian::docid, std::string>, double> term_weights;

static term_weights
weigh(tr_db *db, const std::vector<doc_terms> &docs)
{
	std::map<std::string, std::vector<Xapian::Query>> docs_of;   /* term → unique terms of its documents */
	term_weights w;

	for (const doc_terms &d : docs) {
		if (d.unique.empty())
			continue;
		for (const std::string &t : d.matched)
			docs_of[t].emplace_back(d.unique);
	}
	for (const auto &t : docs_of) {
		Xapian::Enquire e(*db->rdb);
		e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(t.first),
		                          Xapian::Query(Xapian::Query::OP_OR, t.second.begin(), t.second.end())));
		Xapian::MSet m = e.get_mset(0, static_cast<Xapian::doccount>(t.second.size()));
		for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
			w[{ *it, t.first }] = it.get_weight();
	}
	return w;
}

/*
 * The document's word in which a stem term was found, its most frequent:
 * a word with that stem (Z), a compound with that part (XC), a female or
 * gender-inclusive form of that base (XG).  Empty for other terms.
 */
static std::string
found_in(const std::vector<doc_word> &words, const std::string &term)
{
	bool z = term[0] == 'Z' && term.size() > 1 && !(term[1] >= 'A' && term[1] <= 'Z');
	bool xc = term.compare(0, strlen(TR_PREFIX_COMPOUND), TR_PREFIX_COMPOUND) == 0;
	bool xg = term.compare(0, strlen(TR_PREFIX_GENDER), TR_PREFIX_GENDER) == 0;
	if (!z && !xc && !xg)
		return std::string();
	std::string s = term.substr(z ? 1 : 2);
	const Xapian::Stem &stem = german_stemmer();
	const doc_word *best = nullptr;

	for (const doc_word &w : words) {
		const std::string &f = w.folded.empty() ? w.word : w.folded;
		bool fits = z ? f.compare(0, s.size(), s) == 0 && stem(w.word) == s :
		            xc ? f.find(s) != std::string::npos && f.size() > s.size() + 2 :
		                 f.find(s + "in") != std::string::npos;
		if (fits && (!best || w.wdf > best->wdf))
			best = &w;
	}
	return best ? best->word : std::string();
}

/* @terms as matches with their origins from @origins and weights from @w (none: 0), heaviest first. */
static void
store_matches(tr_match **out, size_t *n, Xapian::docid id, const std::vector<std::string> &terms,
              const term_origins &origins, const term_weights *w, const std::vector<doc_word> *words = nullptr)
{
	std::vector<std::pair<double, const std::string *>> order;

	for (const std::string &t : terms) {
		double weight = 0;
		if (w) {
			auto it = w->find({ id, t });
			weight = it == w->end() ? 0 : it->second * origins.at(t).factor;
		}
		order.emplace_back(weight, &t);
	}
	std::stable_sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
	*out = static_cast<tr_match *>(calloc(order.size() ? order.size() : 1, sizeof(tr_match)));
	if (!*out)
		throw std::bad_alloc();
	*n = 0;
	for (const auto &o : order) {
		const term_origin &why = origins.at(*o.second);
		tr_match *m = &(*out)[(*n)++];
		m->rule = why.rule;
		m->weight = o.first;
		m->field = field_term(*o.second);
		m->word = dup_string(why.word);
		m->term = dup_string(*o.second);
		m->form = dup_string(bare(*o.second));
		m->via = why.via.empty() ? nullptr : dup_string(why.via);
		std::string in = words ? found_in(*words, *o.second) : std::string();
		m->found_in = in.empty() || in == m->form ? nullptr : dup_string(in);
	}
}

void
explain_hits(tr_db *db, const word_query &wq, tr_results *r)
{
	std::vector<doc_terms> docs;

	for (size_t i = 0; i < r->n_hits; i++)
		docs.push_back(read_doc(db, r->hits[i].docid, wq.origins, true));
	term_weights w = weigh(db, docs);
	for (size_t i = 0; i < r->n_hits; i++)
		store_matches(&r->hits[i].matches, &r->hits[i].n_matches, docs[i].id, docs[i].matched,
		              wq.origins, &w, &docs[i].words);
}

/* ---- tellerrand why -------------------------------------------------------- */

/* Whether @x finds a document at all. */
static bool
finds(tr_db *db, const Xapian::Query &x)
{
	Xapian::Enquire e(*db->rdb);
	e.set_query(x);
	e.set_weighting_scheme(Xapian::BoolWeight());
	return e.get_mset(0, 1).size() > 0;
}

/* The terms under a NOT (the right side of AND_NOT): finding them excludes a document. */
static void
negated_terms(const Xapian::Query &x, bool negated, std::set<std::string> &out)
{
	if (x.get_type() == Xapian::Query::LEAF_TERM) {
		if (negated)
			out.insert(*x.get_terms_begin());
		return;
	}
	for (size_t i = 0; i < x.get_num_subqueries(); i++)
		negated_terms(x.get_subquery(i), negated || (x.get_type() == Xapian::Query::OP_AND_NOT && i > 0), out);
}

/* The indexer's record of a file it left out: "STAMP\tKIND\tREASON" under "skip:PATH" (indexer/update.c). */
static void
read_skip(tr_db *db, const char *path, tr_why *w)
{
	std::string v = db->rdb->get_metadata(std::string("skip:") + path);
	size_t a = v.find('\t');
	size_t b = a == std::string::npos ? a : v.find('\t', a + 1);

	if (b == std::string::npos)
		return;
	w->skip_kind = dup_string(v.substr(a + 1, b - a - 1));
	w->skip_reason = dup_string(v.substr(b + 1));
}

/*
 * Whether @path lies under a folder the index was built from: the "roots"
 * record of the indexer (a JSON object whose keys are the roots' absolute
 * paths, bytes encoded as tr_text_bytes_encode() does; a plain path reads
 * the same).  Read as text here: the shim has no JSON parser, and a key
 * is a quoted string followed by ':'.
 */
static bool
under_root(tr_db *db, const char *path)
{
	std::string roots = db->rdb->get_metadata("roots"), p = path;
	for (size_t at = roots.find('"'); at != std::string::npos; ) {
		size_t end = roots.find('"', at + 1);
		if (end == std::string::npos)
			break;
		std::string key = roots.substr(at + 1, end - at - 1);
		if (end + 1 < roots.size() && roots[end + 1] == ':' && !key.empty() &&
		    p.compare(0, key.size(), key) == 0 && (p.size() == key.size() || p[key.size()] == '/' || key.back() == '/'))
			return true;
		at = roots.find('"', end + 1);
	}
	return false;
}

/* Each word of the search and the forms searched for it, in the order they were typed. */
static void
store_words(tr_why *w, const tr_search *q, const word_query &wq, const std::vector<std::string> &have)
{
	std::set<std::string> neg, has(have.begin(), have.end());
	std::vector<std::string> order;
	std::map<std::string, std::vector<std::string>> forms;   /* word → its terms, found ones first */
	std::string text = Xapian::Unicode::tolower(q->text ? q->text : "");

	negated_terms(wq.query, false, neg);
	for (const auto &o : wq.origins) {
		if (forms.find(o.second.word) == forms.end())
			order.push_back(o.second.word);
		forms[o.second.word].push_back(o.first);
	}
	std::stable_sort(order.begin(), order.end(), [&](const std::string &a, const std::string &b) {
		return text.find(a) < text.find(b);
	});
	w->words = static_cast<tr_why_word *>(calloc(order.size() ? order.size() : 1, sizeof(tr_why_word)));
	if (!w->words)
		throw std::bad_alloc();
	for (const std::string &word : order) {
		std::vector<std::string> &f = forms[word];
		std::stable_partition(f.begin(), f.end(), [&](const std::string &t) { return has.count(t) > 0; });
		tr_why_word *ww = &w->words[w->n_words++];
		ww->word = dup_string(word);
		for (const std::string &t : f) {
			ww->n_found += has.count(t);
			ww->negated = ww->negated || neg.count(t);
		}
		ww->found = ww->n_found > 0;
		store_matches(&ww->forms, &ww->n_forms, 0, f, wq.origins, nullptr);
	}
}

/* The file's place among the search's matching files (unfolded), as the search ranks them; 0 past 10000. */
static unsigned
rank_of(tr_db *db, const tr_search *q, const Xapian::Query &query, Xapian::docid id, bool words)
{
	Xapian::Enquire e(*db->rdb);
	e.set_query(query);
	if (q->sort == TR_SORT_DATE || (q->sort == TR_SORT_AUTO && !words))
		e.set_sort_by_value_then_relevance(TR_SLOT_DATE, true);
	Xapian::MSet m = e.get_mset(0, 10000);
	for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
		if (*it == id)
			return it.get_rank() + 1;
	return 0;
}

/* The filters of @q one kind at a time: which the document with unique term @self passes. */
static void
check_filters(tr_db *db, const tr_search *q, const Xapian::Query &self, tr_why *w)
{
	for (int k = 0; k < TR_WHY_FILTERS; k++) {
		tr_search one = *q;
		one.internal = true;
		one.n_districts = k == TR_FACET_DISTRICT ? q->n_districts : 0;
		one.n_types = k == TR_FACET_TYPE ? q->n_types : 0;
		one.n_topics = k == TR_FACET_TOPIC ? q->n_topics : 0;
		one.date_from = k == TR_FACET_YEAR ? q->date_from : nullptr;
		one.date_to = k == TR_FACET_YEAR ? q->date_to : nullptr;
		w->filtered[k] = one.n_districts || one.n_types || one.n_topics || one.date_from || one.date_to;
		w->passes[k] = !w->filtered[k] || finds(db, apply_filters(&one, self));
	}
}

extern "C" tr_status
tr_db_why(tr_db *db, const tr_search *q, const char *path, tr_why **out)
{
	tr_why *w = nullptr;

	*out = nullptr;
	try {
		w = static_cast<tr_why *>(calloc(1, sizeof *w));
		if (!w)
			throw std::bad_alloc();
		std::string idt = id_term(path);
		w->under_root = under_root(db, path);
		Xapian::PostingIterator p = db->rdb->postlist_begin(idt);
		if (p == db->rdb->postlist_end(idt)) {
			read_skip(db, path, w);
			*out = w;
			return TR_OK;
		}
		Xapian::docid id = *p;
		Xapian::Document d = db->rdb->get_document(id);
		w->indexed = true;
		w->hit = static_cast<tr_hit *>(calloc(1, sizeof(tr_hit)));
		if (!w->hit)
			throw std::bad_alloc();
		w->hit->docid = id;
		store_record(w->hit, d);
		w->internal = w->hit->internal;
		w->visible = !w->internal || q->internal;

		bool words = has_words(q->text);
		word_query wq;
		if (words)
			build_word_query(db, q, &wq);
		else
			wq.query = wq.matches = match_all();
		Xapian::Query self(idt);
		std::vector<doc_terms> doc{ read_doc(db, id, wq.origins, true) };
		const std::vector<std::string> &have = doc[0].matched;
		term_weights tw = weigh(db, doc);
		store_matches(&w->hit->matches, &w->hit->n_matches, id, have, wq.origins, &tw, &doc[0].words);
		w->words_match = !words || finds(db, Xapian::Query(Xapian::Query::OP_FILTER, wq.matches, self));
		check_filters(db, q, self, w);
		Xapian::Query query = apply_filters(q, wq.query);
		w->found = finds(db, Xapian::Query(Xapian::Query::OP_FILTER, query, self));
		if (w->found)
			w->rank = rank_of(db, q, query, id, words);
		if (words)
			store_words(w, q, wq, have);
		*out = w;
		return TR_OK;
	} catch (...) {
		tr_why_free(w);
		return db_fail(db);
	}
}
