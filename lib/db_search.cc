/*
 * Running a search: the query of db_query.cc with the filters, the hits
 * with their stored fields and snippets, and the facet counts; single
 * documents for the server.
 */
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db_private.hh"
#include "docdata.h"
#include "terms.h"

/*
 * Facet counts: matching documents by value of each facet slot.  A local
 * index counts them with text_once_spy (db_fold.cc) from one value per
 * match, one copy per text unless every copy counts; a remote shard
 * (xapian-tcpsrv) can run only the spies it knows, so there Xapian's
 * ValueCountMatchSpy counts and its values are copied over.  The district
 * and topic slots hold several keys: text_once_spy counts each key, and
 * Xapian's spies each distinct combination, which splitting adds to every
 * key, so each document counts once per key it has.  Years and months are
 * the dates' first four and six characters.
 */
struct facet_spies {
	static constexpr Xapian::valueno slots[4] = { TR_SLOT_DISTRICTS, TR_SLOT_TYPE, TR_SLOT_TOPICS, TR_SLOT_DATE };
	value_counts counts[4];      /* by slot, in the order above */
	unsigned seen = 0;           /* documents (or texts) counted */

	/* The place of facet kind @k's slot (tr_facet_kind order; years and months share the date). */
	static int place(int k) { return k == TR_FACET_MONTH ? 3 : k; }
	value_counts &counts_of(int k) { return counts[place(k)]; }
	static counted_field field_of(int k)
	{
		static const counted_field by_place[4] = { COUNTED_DISTRICTS, COUNTED_TYPE, COUNTED_TOPICS, COUNTED_DATE };
		return by_place[place(k)];
	}
};

/* What a count pass found: the number of matches, and how far its counts are exact. */
/* What one pass of the count saw, before it is scaled to the whole archive. */
struct pass_figures {
	double files = 0, texts = 0;
	bool complete = true;        /* the pass saw every match of its (sampled) query */
	double projected = 0;        /* when it stopped early: its count over the share of document ids it got through */
};

struct counted {
	unsigned matches = 0;        /* texts when folded, else files */
	unsigned files = 0;
	bool exact = true;
	bool complete = true;        /* the pass saw every match of its (sampled) query */
	double scale = 1.0;          /* matches per document the spies saw */
};

/*
 * Counts by facet value, keyed by views into the slot values counted (the
 * value_counts of a count pass, which outlive it), so that a key costs no
 * copy: the district and topic values are nearly all distinct
 * combinations, split here into the keys they share.
 */
typedef std::unordered_map<std::string_view, unsigned> facet_map;

static void
add_count(facet_map &counts, std::string_view key, unsigned n)
{
	counts[key] += n;
}

/* Adds the @n documents with slot value @value to the counts of facet kind @k. */
static void
count_value(facet_map &counts, int k, std::string_view value, unsigned n)
{
	if (k == TR_FACET_YEAR) {
		if (value.size() >= 4)
			add_count(counts, value.substr(0, 4), n);
	} else if (k == TR_FACET_MONTH) {
		if (value.size() >= 6 && value.compare(4, 2, "00") != 0)
			add_count(counts, value.substr(0, 6), n);
	} else if ((k == TR_FACET_DISTRICT || k == TR_FACET_TOPIC) && !value.empty()) {
		/* Every key of a multi-key value, empty ones between two separators included. */
		for (size_t start = 0;;) {
			size_t end = value.find(TR_SLOT_SEP, start);
			add_count(counts, value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), n);
			if (end == std::string_view::npos)
				break;
			start = end + 1;
		}
	} else if (k != TR_FACET_DISTRICT && k != TR_FACET_TOPIC) {
		add_count(counts, value, n);
	}
}

/*
 * The counts of facet kind @k, and of @k2 unless it is -1, from one walk
 * over the slot's @values (years and months share the date).
 */
static void
facet_counts(const value_counts &values, double scale, int k, facet_map &counts,
             int k2 = -1, facet_map *counts2 = nullptr)
{
	for (const auto &v : values) {
		count_value(counts, k, v.first, v.second);
		if (counts2)
			count_value(*counts2, k2, v.first, v.second);
	}
	if (scale != 1.0)
		for (facet_map *m : { &counts, counts2 })
			if (m)
				for (auto &c : *m)
					c.second = static_cast<unsigned>(c.second * scale + 0.5);
}

/* The facet of kind @k from @counts into @r, replacing what was there. */
static void
store_facet(tr_results *r, int k, const facet_map &counts)
{
	std::vector<std::pair<std::string_view, unsigned>> v(counts.begin(), counts.end());

	/* Years and months read best in calendar order, everything else by frequency, then by value. */
	if (k == TR_FACET_YEAR || k == TR_FACET_MONTH)
		std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
	else
		std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
			return a.second != b.second ? a.second > b.second : a.first < b.first;
		});
	for (size_t i = 0; i < r->n_facets[k]; i++)
		free(r->facets[k][i].value);
	free(r->facets[k]);
	r->n_facets[k] = 0;
	r->facets[k] = static_cast<tr_facet *>(calloc(v.size() ? v.size() : 1, sizeof(tr_facet)));
	if (!r->facets[k])
		throw std::bad_alloc();
	for (const auto &e : v) {
		r->facets[k][r->n_facets[k]].value = dup_string(std::string(e.first));
		r->facets[k][r->n_facets[k]].count = e.second;
		r->n_facets[k]++;
	}
}

/* The facet of kind @k from the slot counts @values into @r. */
static void
store_facet(tr_results *r, int k, const value_counts &values, double scale)
{
	facet_map counts;

	facet_counts(values, scale, k, counts);
	store_facet(r, k, counts);
}

/*
 * Counts the matches of @query in the 1-in-2^@level sample (0: all of
 * them) and, with @spies, their facet values: an unweighted pass
 * (BoolWeight: no ranking, nothing sorted) that stops after @check
 * matches, extrapolated beyond.  With @fold, texts are counted, not copies
 * (text_once_spy, db_fold.cc), except over remote shards, which run only
 * Xapian's own spies.  With @outside (a larger level), only the matches
 * outside that level's sample.  Adds to @spies' counts; scaled() scales.
 */
static pass_figures
count_level(tr_db *db, const Xapian::Query &query, unsigned level, unsigned outside, Xapian::doccount check,
            facet_spies &spies, const std::vector<int> &kinds, bool fold)
{
	Xapian::Enquire e(*db->rdb);
	std::vector<int> places;     /* the slots counted, each once */
	text_once_spy once(db);
	/* Remote shards: Xapian's spies, fresh for each pass, as the counts are added up. */
	Xapian::ValueCountMatchSpy remote[4] = {
		Xapian::ValueCountMatchSpy(facet_spies::slots[0]), Xapian::ValueCountMatchSpy(facet_spies::slots[1]),
		Xapian::ValueCountMatchSpy(facet_spies::slots[2]), Xapian::ValueCountMatchSpy(facet_spies::slots[3])
	};
	bool local = !db->remote;
	Xapian::Query counted_query = level ? Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(sample_term(level)))
	                                    : query;
	pass_figures f;

	if (outside)
		counted_query = Xapian::Query(Xapian::Query::OP_AND_NOT, counted_query, Xapian::Query(sample_term(outside)));
	e.set_query(counted_query);
	e.set_weighting_scheme(Xapian::BoolWeight());
	for (int k : kinds) {
		if (std::find(places.begin(), places.end(), facet_spies::place(k)) != places.end())
			continue;
		places.push_back(facet_spies::place(k));
		if (local)
			once.add_field(facet_spies::field_of(k), &spies.counts_of(k));
		else
			e.add_matchspy(&remote[facet_spies::place(k)]);
	}
	once.fold = fold;
	if (local)
		e.add_matchspy(&once);
	Xapian::MSet m = e.get_mset(0, 0, check);
	once.flush();
	unsigned seen = 0;
	if (local) {
		seen = once.texts;
	} else {
		for (int p : places) {
			Xapian::ValueCountMatchSpy *spy = &remote[p];
			for (Xapian::TermIterator v = spy->values_begin(); v != spy->values_end(); ++v)
				spies.counts[p].emplace_back(*v, v.get_termfreq());
			seen = static_cast<unsigned>(spy->get_total());
		}
	}
	spies.seen += seen;
	/* Xapian may know the number of matches exactly and still have stopped counting them. */
	Xapian::doccount docs = local ? once.files : places.empty() ? m.get_matches_lower_bound() : seen;
	f.complete = m.get_matches_lower_bound() == m.get_matches_upper_bound() && docs >= m.get_matches_lower_bound();
	f.files = f.texts = m.get_matches_estimated();
	if (local && once.files)
		f.texts = f.complete ? once.texts : f.files * once.texts / once.files;
	/* Over a set of databases the last id seen says nothing of the share done. */
	if (!f.complete && once.last && spy_ids_are_handles(db))
		f.projected = once.files * static_cast<double>(db->rdb->get_lastdocid()) / once.last;
	return f;
}

/* The figures of a count of the 1-in-2^@level sample, scaled to all matches. */
static counted
scaled(const pass_figures &f, unsigned level, const facet_spies &spies, bool counting)
{
	double sampled = std::ldexp(1.0, static_cast<int>(level));
	counted c;

	c.complete = f.complete;
	c.exact = f.complete && !level;
	c.files = static_cast<unsigned>(f.files * sampled + 0.5);
	c.matches = static_cast<unsigned>(f.texts * sampled + 0.5);
	if (!c.exact && counting && spies.seen)
		c.scale = static_cast<double>(c.matches) / spies.seen;
	return c;
}

/* The smallest sample level whose share of @matches matches is at most @bound. */
static unsigned
level_for(double matches, unsigned bound)
{
	unsigned level = 0;

	for (; level < TR_SAMPLE_LEVELS && matches > bound; level++)
		matches /= 2;
	return level;
}

/*
 * Counts the matches of @query and their facet values into @spies: every
 * match while there are at most @count_max (0: TR_FACET_EXACT_MAX), above
 * that the sample level that leaves at most that many (docs/terms.md,
 * "Count sample"), scaled up.  The level comes from Xapian's estimate and,
 * when that was far off, once more from the first pass's count.  An index
 * without sample terms (before format 5) counts its first matches instead.
 */
static counted
count_pass(tr_db *db, const Xapian::Query &query, unsigned count_max, std::unique_ptr<facet_spies> &spies,
           const std::vector<int> &kinds, bool fold)
{
	unsigned bound = count_max ? count_max : TR_FACET_EXACT_MAX;
	bool sampled = db->rdb->get_termfreq(sample_term(1)) > 0;
	Xapian::Enquire guess(*db->rdb);

	guess.set_query(query);
	guess.set_weighting_scheme(Xapian::BoolWeight());
	unsigned level = sampled ? level_for(guess.get_mset(0, 0).get_matches_estimated(), bound) : 0;
	/* Room beyond the bound: a level picked from an estimate or a sample's count may hold a little more. */
	Xapian::doccount check = sampled ? 2 * bound : bound;
	spies.reset(new facet_spies);
	pass_figures f = count_level(db, query, level, 0, check, *spies, kinds, fold);
	unsigned better = level_for(f.files * std::ldexp(1.0, static_cast<int>(level)), bound);
	if (!sampled || better == level || (f.complete && better > level))
		return scaled(f, level, *spies, !kinds.empty());
	if (f.complete) {
		/*
		 * A larger sample holds this one (the levels nest): count only
		 * its matches outside, into the same spies.
		 */
		pass_figures rest = count_level(db, query, better, level, check, *spies, kinds, fold);
		f.files += rest.files;
		f.texts += rest.texts;
		f.complete = rest.complete;
		return scaled(f, better, *spies, !kinds.empty());
	}
	/*
	 * The pass stopped early: Xapian's estimate is then no more than what
	 * it counted, but the share of document ids it got through tells how
	 * many matches there are (a phrase estimated at a sixth of its
	 * matches would be counted again at a level too large).
	 */
	better = std::max(better, level_for(f.projected * std::ldexp(1.0, static_cast<int>(level)), bound));
	spies.reset(new facet_spies);
	return scaled(count_level(db, query, better, 0, check, *spies, kinds, fold), better, *spies, !kinds.empty());
}

/*
 * The count pass whose count a search shows, without the filter of kind
 * @skip (-1: none): of the all-words reading when it has a match the
 * request may see, else of the any-word reading (*reading says which),
 * with its spies in @spies.  A search of one reading runs one pass.
 */
static counted
count_words(tr_db *db, const tr_search *q, const word_query &wq, int skip, const std::vector<int> &kinds,
            std::unique_ptr<facet_spies> &spies, tr_reading *reading)
{
	*reading = TR_READING_ANY;
	if (!wq.all_words.empty()) {
		counted c = count_pass(db, apply_filters(q, wq.all_words, skip), q->count_max, spies, kinds, !q->all_copies);
		if (c.files) {
			*reading = TR_READING_ALL_WORDS;
			return c;
		}
		*reading = TR_READING_SOME_WORDS;
	}
	return count_pass(db, apply_filters(q, wq.matches, skip), q->count_max, spies, kinds, !q->all_copies);
}

/*
 * The texts with only some of the words, for a count of the all-words
 * reading @all: the any-word reading's files counted bare (no spies, no
 * weights, no documents read; exact up to PARTIAL_EXACT_MAX), as texts at
 * @all's texts per file, less @all's.  An estimate: copies are not folded
 * here.
 */
/*
 * Matches of the any-word reading counted before its number is Xapian's
 * estimate: it is shown as "ca." anyway, and on a large archive counting
 * every document with one of the words would cost more than the search.
 */
#define PARTIAL_EXACT_MAX 1000

static unsigned
partial_texts(tr_db *db, const tr_search *q, const word_query &wq, const counted &all)
{
	Xapian::Enquire e(*db->rdb);

	e.set_query(apply_filters(q, wq.matches));
	e.set_weighting_scheme(Xapian::BoolWeight());
	Xapian::MSet m = e.get_mset(0, 0, PARTIAL_EXACT_MAX);
	double files = m.get_matches_estimated();
	double texts = all.files ? files * all.matches / all.files : files;
	return texts > all.matches ? static_cast<unsigned>(texts - all.matches + 0.5) : 0;
}

/*
 * The number of matches and the facets of @r from a count pass of @wq
 * with the filters (count_words()); with q->filter_counts, each filtered
 * kind's facet from a pass without that kind's filter, which picks its
 * reading the same way, so it is the count that dropping the filter
 * shows.
 */
static void
count_facets(tr_db *db, const tr_search *q, const word_query &wq, tr_results *r)
{
	std::unique_ptr<facet_spies> spies;
	counted c = count_words(db, q, wq, -1, { TR_FACET_DISTRICT, TR_FACET_TYPE, TR_FACET_TOPIC,
	                                         TR_FACET_YEAR, TR_FACET_MONTH }, spies, &r->reading);

	r->estimate = c.matches;
	r->files = c.files;
	r->exact = c.exact;
	if (r->reading == TR_READING_ALL_WORDS)
		r->partial = partial_texts(db, q, wq, c);
	for (int k = 0; k < TR_FACET_COUNT; k++) {
		if (k == TR_FACET_YEAR) {
			facet_map years, months;
			facet_counts(spies->counts_of(TR_FACET_YEAR), c.scale, TR_FACET_YEAR, years, TR_FACET_MONTH, &months);
			store_facet(r, TR_FACET_YEAR, years);
			store_facet(r, TR_FACET_MONTH, months);
		} else if (k != TR_FACET_MONTH) {
			store_facet(r, k, spies->counts_of(k), c.scale);
		}
	}
	if (!q->filter_counts)
		return;
	for (int k = TR_FACET_DISTRICT; k <= TR_FACET_YEAR; k++) {
		bool filtered = k == TR_FACET_DISTRICT ? q->n_districts : k == TR_FACET_TYPE ? q->n_types :
		                k == TR_FACET_TOPIC ? q->n_topics : q->date_from || q->date_to;
		if (!filtered)
			continue;
		std::unique_ptr<facet_spies> without;
		tr_reading reading;
		counted w = count_words(db, q, wq, k, { k }, without, &reading);
		r->unfiltered[k] = w.matches;
		r->exact = r->exact && w.exact;
		store_facet(r, k, without->counts_of(k), w.scale);
	}
}

/* Copies "auch gesucht" and the correction into @r. */
static void
store_words(tr_results *r, const word_query &wq)
{
	if (!wq.also.empty()) {
		r->also_searched = static_cast<char **>(calloc(wq.also.size(), sizeof(char *)));
		if (!r->also_searched)
			throw std::bad_alloc();
		for (const std::string &a : wq.also)
			r->also_searched[r->n_also_searched++] = dup_string(a);
	}
	if (!wq.corrected.empty())
		r->corrected = dup_string(wq.corrected);
}

void
store_record(tr_hit *h, const Xapian::Document &d)
{
	std::string record = d.get_data();

	if (tr__docdata_decode(h, record.data(), record.size()) != TR_OK)
		throw std::bad_alloc();
}

/* The hits of @page into @r, with their stored fields and snippets. */
static void
store_hits(tr_results *r, const tr_search *q, bool words, const std::vector<Xapian::MSetIterator> &page,
           const Xapian::Query &query, const std::vector<fold_group> &groups)
{
	snippet_terms needles = words && q->snippet_length ? snippet_needles(query) : snippet_terms();
	/* The thread's memoising stemmer: a snippet stems every word of up to 64 KB of text. */
	const Xapian::Stem &stemmer = german_stemmer();

	r->hits = static_cast<tr_hit *>(calloc(page.size() ? page.size() : 1, sizeof(tr_hit)));
	if (!r->hits)
		throw std::bad_alloc();
	size_t i = 0;
	for (const Xapian::MSetIterator &it : page) {
		const fold_group &g = groups[i++];
		if (g.hidden) {
			r->versions_folded++;
			continue;
		}
		tr_hit *h = &r->hits[r->n_hits++];
		const Xapian::Document &d = g.shown.doc;

		h->docid = g.shown.id;
		store_copies(h, g);
		store_versions(h, g);
		/* Counted on the page: a version folded into a hit above leaves no gap. */
		h->rank = q->offset + static_cast<unsigned>(r->n_hits);
		h->score = words ? it.get_weight() : 0.0;
		h->percent = words ? it.get_percent() : 0;
		store_record(h, d);
		h->added = added_of(d);
		if (q->snippet_length && !words) {
			h->snippet = dup_string(leading_text(d.get_value(TR_SLOT_TEXT), q->snippet_length));
		} else if (q->snippet_length) {
			h->snippet = dup_string(page_snippet(d.get_value(TR_SLOT_TEXT), needles, q->snippet_length,
			                                     stemmer, h));
		}
	}
}

/*
 * Hits @offset to @offset + @limit of @query, one per text unless all
 * copies count, in @sort's order; by relevance only those weighing at
 * least @cutoff.
 */
static Xapian::MSet
ranked_mset(tr_db *db, const tr_search *q, tr_sort sort, const Xapian::Query &query, unsigned offset, unsigned limit,
            double cutoff = 0)
{
	Xapian::Enquire enquire(*db->rdb);

	enquire.set_query(query);
	fold_copies(enquire, q);
	if (sort == TR_SORT_DATE)
		enquire.set_sort_by_value_then_relevance(TR_SLOT_DATE, true);
	else if (sort == TR_SORT_ADDED)
		enquire.set_sort_by_value_then_relevance(TR_SLOT_ADDED, true);
	else if (cutoff > 0)
		enquire.set_cutoff(0, cutoff);
	return enquire.get_mset(offset, limit);
}

/* Whether hit @a ranks before @b by relevance: Xapian's order, the higher weight, then the lower docid. */
static bool
ranks_before(const Xapian::MSetIterator &a, const Xapian::MSetIterator &b)
{
	double wa = a.get_weight(), wb = b.get_weight();
	return wa != wb ? wa > wb : *a < *b;
}

/*
 * What a hit stands for on a page: its text (the key its copies collapse
 * on), or its file when every copy is shown or it has no key (Xapian
 * collapses no document without one).
 */
static std::pair<std::string, Xapian::docid>
page_key(const tr_search *q, const Xapian::MSetIterator &it)
{
	std::string key = q->all_copies ? std::string() : it.get_collapse_key();
	return { key, key.empty() ? *it : 0 };
}

/*
 * The hits of @tiers (the full matches, then the any-word reading's) in
 * the whole query's order, each text once, at the weight of its best
 * file as the whole query weighs it: a text's best file may be a partial
 * match that outweighs its full ones, and a full match weighs less in
 * the second tier than in the first, where it is too.
 */
static std::vector<Xapian::MSetIterator>
merge_tiers(const tr_search *q, const std::vector<Xapian::MSet> &tiers)
{
	std::map<std::pair<std::string, Xapian::docid>, size_t> at;
	std::vector<Xapian::MSetIterator> hits;

	for (const Xapian::MSet &m : tiers)
		for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it) {
			auto found = at.emplace(page_key(q, it), hits.size());
			if (found.second)
				hits.push_back(it);
			else if (ranks_before(it, hits[found.first->second]))
				hits[found.first->second] = it;
		}
	std::sort(hits.begin(), hits.end(), ranks_before);
	return hits;
}

/*
 * The page of ranked hits of @wq (kept alive in @msets), with the number
 * of matches into @r.  By relevance with two readings, Xapian ranks the
 * full matches (word_query.full) as an AND, far cheaper than the whole
 * query's three ORs, and then the matches of the any-word reading alone
 * that weigh at least the last full match the page can show: a partial
 * match weighs there what it weighs in the whole query, a full one less,
 * and a full one above that weight is among the full matches already.
 * The two merge in the whole query's order (merge_tiers).  The partial
 * matches' number is Xapian's estimate from the statistics (a count pass
 * replaces it).  Otherwise one query.
 */
static std::vector<Xapian::MSetIterator>
ranked_page(tr_db *db, const tr_search *q, const word_query &wq, tr_sort sort, std::vector<Xapian::MSet> &msets,
            tr_results *r)
{
	/*
	 * Over remote shards the rewritten queries (scaled readings) are not
	 * used: paging with them through xapian-tcpsrv dropped a hit and
	 * repeated another (Xapian 1.4.22; tests/cli/remote), where the
	 * readings' plain OR pages right.
	 */
	bool tiers = !wq.full.empty() && sort == TR_SORT_RELEVANCE && !db->remote;
	const Xapian::Query &words = tiers ? wq.full : wq.ranked.empty() || db->remote ? wq.query : wq.ranked;
	unsigned end = q->offset + q->limit;
	std::vector<Xapian::MSetIterator> page;

	msets.reserve(2);    /* first stays where it is */
	msets.push_back(ranked_mset(db, q, sort, apply_filters(q, words), tiers ? 0 : q->offset, tiers ? end : q->limit));
	const Xapian::MSet &first = msets[0];
	r->estimate = first.get_matches_estimated();
	r->exact = first.get_matches_lower_bound() == first.get_matches_upper_bound();
	r->files = first.get_uncollapsed_matches_estimated();
	if (!tiers) {
		for (Xapian::MSetIterator it = first.begin(); it != first.end(); ++it)
			page.push_back(it);
		return page;
	}
	double cutoff = first.size() == end && end ? first[end - 1].get_weight() : 0;
	msets.push_back(ranked_mset(db, q, sort, apply_filters(q, wq.matches), 0, end + first.size(), cutoff));
	Xapian::Enquire guess(*db->rdb);
	guess.set_query(apply_filters(q, Xapian::Query(Xapian::Query::OP_AND_NOT, wq.matches, wq.all_words)));
	Xapian::MSet rest = guess.get_mset(0, 0);
	r->estimate += rest.get_matches_estimated();
	r->exact = r->exact && rest.get_matches_lower_bound() == rest.get_matches_upper_bound();
	r->files += rest.get_uncollapsed_matches_estimated();

	std::vector<Xapian::MSetIterator> all = merge_tiers(q, msets);
	if (all.size() > q->offset)
		page.assign(all.begin() + q->offset, all.begin() + std::min<size_t>(all.size(), end));
	return page;
}

/* The documents the requester may see. */
static Xapian::doccount
visible_doccount(tr_db *db, bool internal)
{
	Xapian::doccount n = db->rdb->get_doccount();

	if (!internal) {
		Xapian::doccount hidden = db->rdb->get_termfreq(TR_TERM_INTERNAL);
		n = hidden < n ? n - hidden : 0;
	}
	return n;
}

extern "C" tr_status
tr_db_search(tr_db *db, const tr_search *q, tr_results **out)
{
	tr_results *r = nullptr;

	*out = nullptr;
	db->searches++;
	try {
		bool words = has_words(q->text) || q->similar_to;
		word_query wq;

		r = static_cast<tr_results *>(calloc(1, sizeof *r));
		if (!r)
			throw std::bad_alloc();
		if (q->similar_to)
			similar_word_query(db, q, &wq);
		else if (words)
			build_word_query(db, q, &wq);
		else
			wq.query = wq.matches = match_all();
		store_words(r, wq);
		Xapian::Query query = apply_filters(q, wq.query);
		tr_sort sort = q->sort != TR_SORT_AUTO ? q->sort : q->added_since > 0 ? TR_SORT_ADDED :
		               words ? TR_SORT_RELEVANCE : TR_SORT_DATE;
		std::vector<Xapian::MSet> msets;
		std::vector<Xapian::MSetIterator> page = ranked_page(db, q, wq, sort, msets, r);

		r->folded = !q->all_copies;
		r->doccount = visible_doccount(db, q->internal);
		std::vector<fold_group> groups = fold_groups(db, query, page);
		if (!q->all_copies)
			fold_versions(db, q, query, groups);
		store_hits(r, q, words, page, query, groups);
		if (q->explain && words)
			explain_hits(db, wq, r);
		if (q->facets)
			count_facets(db, q, wq, r);
		*out = r;
		return TR_OK;
	} catch (...) {
		tr_results_free(r);
		return db_fail(db);
	}
}

extern "C" void
tr_results_free(tr_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_hits; i++)
		tr__hit_clear(&r->hits[i]);
	free(r->hits);
	for (int k = 0; k < TR_FACET_COUNT; k++) {
		for (size_t i = 0; i < r->n_facets[k]; i++)
			free(r->facets[k][i].value);
		free(r->facets[k]);
	}
	free(r->corrected);
	for (size_t i = 0; i < r->n_also_searched; i++)
		free(r->also_searched[i]);
	free(r->also_searched);
	free(r);
}

/* ---- Single documents (for the server) ---------------------------------- */

extern "C" tr_status
tr_db_get_hit(tr_db *db, unsigned docid, bool internal, tr_hit **out)
{
	tr_hit *h = nullptr;

	*out = nullptr;
	try {
		if (docid == 0)
			return TR_ENOTFOUND;
		Xapian::Document d = db->rdb->get_document(docid);
		if (!internal) {
			Xapian::TermIterator t = d.termlist_begin();
			t.skip_to(TR_TERM_INTERNAL);
			if (t != d.termlist_end() && *t == TR_TERM_INTERNAL)
				return TR_ENOTFOUND;
		}
		h = static_cast<tr_hit *>(calloc(1, sizeof *h));
		if (!h)
			throw std::bad_alloc();
		h->docid = docid;
		store_record(h, d);
		h->added = added_of(d);
		*out = h;
		return TR_OK;
	} catch (const Xapian::DocNotFoundError &e) {
		tr_hit_free(h);
		db->errmsg = e.get_msg();
		return TR_ENOTFOUND;
	} catch (...) {
		tr_hit_free(h);
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_path_hidden(tr_db *db, const char *path, bool internal, bool *hidden)
{
	*hidden = false;
	if (internal)
		return TR_OK;
	try {
		std::string idt = id_term(path);
		for (Xapian::PostingIterator p = db->rdb->postlist_begin(idt); p != db->rdb->postlist_end(idt); ++p) {
			Xapian::Document d = db->rdb->get_document(*p);
			Xapian::TermIterator t = d.termlist_begin();
			t.skip_to(TR_TERM_INTERNAL);
			if (t != d.termlist_end() && *t == TR_TERM_INTERNAL)
				*hidden = true;
		}
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" void
tr_hit_free(tr_hit *hit)
{
	if (!hit)
		return;
	tr__hit_clear(hit);
	free(hit);
}

extern "C" tr_status
tr_db_doccount_visible(tr_db *db, bool internal, unsigned *out)
{
	try {
		*out = visible_doccount(db, internal);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}
