/*
 * Versions of one text ("Fassungen", docs/tellerrand-query.md "VERSIONS"):
 * texts whose shingle sketches (lib/shingle.h) agree on at least
 * TR_VERSION_THRESHOLD of their hashes.  A page's hits find their
 * versions among the matching documents by the sketch terms they share,
 * one unweighted pass; each group shows its newest text, the others
 * listed under it with their dates, and a hit that is a version of one
 * shown higher on the page folds into it.
 */
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <unordered_set>
#include <new>
#include <string>
#include <vector>

#include "db_private.hh"
#include "docdata.h"
#include "shingle.h"
#include "terms.h"

/* Matching documents read to find the page's versions at most. */
#define VERSIONS_READ_MAX 2000
/*
 * Documents beside a text's own copies that may have a sketch hash for it
 * to be looked up: the text's versions, VERSIONS_MAX listed, some of them
 * in a second copy.  A hash more documents share is a template's or a
 * common sentence's (a letterhead, a standard paragraph), which thousands
 * of documents of an archive may have.
 */
#define VERSIONS_TERM_DOCS_MAX 32
/* Versions listed per hit at most. */
#define VERSIONS_MAX 20

std::string
sketch_term(uint64_t h)
{
	static const char digits[] = "0123456789abcdef";
	std::string term(TR_PREFIX_SKETCH);

	/* 48 bits tell the texts of any archive apart; a rare clash only makes a candidate the sketch then rejects. */
	for (int shift = 60; shift >= 16; shift -= 4)
		term += digits[(h >> shift) & 0xf];
	return term;
}

static bool
sketch_of(const Xapian::Document &d, tr_sketch *s)
{
	std::string v = d.get_value(TR_SLOT_SKETCH);

	return tr_sketch_decode(reinterpret_cast<const unsigned char *>(v.data()), v.size(), s) && s->n;
}

/* Whether text @a is newer than @b: the document's date, then the file's time. */
static bool
newer(const fold_copy &a, const fold_copy &b)
{
	std::string da = a.doc.get_value(TR_SLOT_DATE), db = b.doc.get_value(TR_SLOT_DATE);

	if (da != db)
		return da > db;
	return Xapian::sortable_unserialise(a.doc.get_value(TR_SLOT_MTIME)) >
	       Xapian::sortable_unserialise(b.doc.get_value(TR_SLOT_MTIME));
}

/* A text's key: its same-text key @k, or its id when it has none. */
static std::string
text_key(const std::string &k, Xapian::docid id)
{
	return k.empty() ? "#" + std::to_string(id) : k;
}

static std::string
text_key(const fold_copy &c)
{
	return text_key(c.doc.get_value(TR_SLOT_SAME_TEXT), c.id);
}

/*
 * The ids of the @copies documents that hold the text of key @key
 * (text_key()) of document @id; its posting list is read only when the
 * text has other copies.
 */
static void
copy_ids(tr_db *db, const std::string &key, Xapian::doccount copies, Xapian::docid id,
         std::unordered_set<Xapian::docid> &out)
{
	out.insert(id);
	if (copies < 2 || key.empty() || key[0] == '#')
		return;
	const std::string term = TR_PREFIX_SAME_TEXT + key;
	for (Xapian::PostingIterator p = db->rdb->postlist_begin(term); p != db->rdb->postlist_end(term); ++p)
		out.insert(*p);
}

/*
 * @fn(i, value) for each of the documents @ids (ascending), with its value
 * in @slot ("" for none), read along the slot's value stream: a few chunk
 * reads for the lot, where get_value() on each document looks its chunk
 * up again (thousands of reads a search).
 */
template <class Fn>
static void
stream_values(tr_db *db, Xapian::valueno slot, const std::vector<Xapian::docid> &ids, Fn fn)
{
	Xapian::ValueIterator v = db->rdb->valuestream_begin(slot);
	Xapian::ValueIterator end = db->rdb->valuestream_end(slot);

	for (size_t i = 0; i < ids.size(); i++) {
		if (v != end)
			v.skip_to(ids[i]);
		fn(i, v != end && v.get_docid() == ids[i] ? *v : std::string());
	}
}

/* A matching text that shares a sketch hash with a hit: its copies and its sketch, read once. */
struct candidate {
	std::vector<fold_copy> copies;
	tr_sketch sketch;
};

/* The documents that hold the text of key @key (text_key()): its copies. */
static Xapian::doccount
copies_of(tr_db *db, const std::string &key)
{
	if (key.empty() || key[0] == '#')
		return 1;
	return std::max<Xapian::doccount>(1, db->rdb->get_termfreq(TR_PREFIX_SAME_TEXT + key));
}

/* A text's sketch, and how many documents hold the text. */
struct looked_up {
	tr_sketch sketch;
	Xapian::doccount copies;
};

/*
 * The sketch terms of @texts that find versions: those documents beside
 * the text's own copies have too, but not so many that the hash is
 * boilerplate (VERSIONS_TERM_DOCS_MAX).  Boilerplate hashes made most of
 * a search's candidates (about 1,500 of 2,000 documents, each read and
 * compared) and pushed real versions past VERSIONS_READ_MAX.  A draft
 * shares its text's own hashes; what is missed is a pair whose looked-up
 * hashes are all boilerplate: texts that are mostly one template.
 */
static std::vector<std::string>
telling_terms(tr_db *db, const std::vector<looked_up> &texts, Xapian::doccount *postings)
{
	std::map<std::string, Xapian::doccount> terms;
	std::vector<std::string> out;

	for (const looked_up &t : texts)
		for (size_t i = 0; i < t.sketch.n && i < TR_SKETCH_TERMS; i++) {
			std::string term = sketch_term(t.sketch.h[i]);
			Xapian::doccount docs = db->rdb->get_termfreq(term);
			Xapian::doccount others = docs > t.copies ? docs - t.copies : 0;

			if (others >= 1 && others <= VERSIONS_TERM_DOCS_MAX)
				terms.emplace(std::move(term), docs);
		}
	*postings = 0;
	for (const auto &t : terms) {
		*postings += t.second;
		out.push_back(t.first);
	}
	return out;
}

/*
 * The documents within @query that have one of @terms (@postings
 * postings in all), ascending, at most VERSIONS_READ_MAX.  With
 * @superset, when the caller runs its own query over what it keeps
 * (keep_matching()), and the postings are no more than that, they are
 * read as they are: no match to run, and @query is left to the caller.
 */
static std::vector<Xapian::docid>
candidate_ids(tr_db *db, const Xapian::Query &query, const std::vector<std::string> &terms,
              Xapian::doccount postings, bool superset)
{
	std::vector<Xapian::docid> ids;

	if (superset && postings <= VERSIONS_READ_MAX) {
		for (const std::string &t : terms)
			for (Xapian::PostingIterator p = db->rdb->postlist_begin(t); p != db->rdb->postlist_end(t); ++p)
				ids.push_back(*p);
	} else {
		Xapian::MSet m = matches_with_terms(db, query, terms, VERSIONS_READ_MAX);
		ids.assign(m.begin(), m.end());
	}
	/* The ids ascend, as a value stream is read. */
	std::sort(ids.begin(), ids.end());
	ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
	return ids;
}

/*
 * The texts within @query (with @superset, maybe some outside it:
 * candidate_ids()) that share a telling sketch hash with
 * @sketches' texts and that @keep wants (given a text's key and sketch, once a
 * text), by text key.  @near, given a document's id and sketch, rules
 * out first the documents @keep cannot want: most candidates are near no
 * hit, and their keys are then not read.
 */
static std::map<std::string, candidate>
candidates(tr_db *db, const Xapian::Query &query, bool superset, const std::vector<looked_up> &sketches,
           const std::function<bool(Xapian::docid, const tr_sketch &)> &near,
           const std::function<bool(const std::string &, const tr_sketch &)> &keep)
{
	Xapian::doccount postings;
	std::vector<std::string> terms = telling_terms(db, sketches, &postings);
	std::map<std::string, candidate> texts;

	if (terms.empty())
		return texts;
	std::vector<Xapian::docid> ids = candidate_ids(db, query, terms, postings, superset), near_ids;
	std::vector<tr_sketch> near_sketches;
	/* Each sketch decided as it is read: holding all of them (435 KB at 2,000 documents) was the heap's peak. */
	stream_values(db, TR_SLOT_SKETCH, ids, [&](size_t i, const std::string &sk) {
		tr_sketch sketch;
		if (!tr_sketch_decode(reinterpret_cast<const unsigned char *>(sk.data()), sk.size(), &sketch))
			sketch.n = 0;
		if (near(ids[i], sketch)) {
			near_ids.push_back(ids[i]);
			near_sketches.push_back(sketch);
		}
	});
	std::vector<std::string> keys(near_ids.size());
	stream_values(db, TR_SLOT_SAME_TEXT, near_ids, [&](size_t i, std::string value) { keys[i] = std::move(value); });
	for (size_t i = 0; i < near_ids.size(); i++) {
		std::string key = text_key(keys[i], near_ids[i]);
		auto t = texts.find(key);

		if (t == texts.end()) {
			/* A text's copies share its sketch: each copy decides alike. */
			if (!keep(key, near_sketches[i]))
				continue;
			t = texts.emplace(std::move(key), candidate{ {}, near_sketches[i] }).first;
		}
		t->second.copies.push_back(fold_copy{ near_ids[i], db->rdb->get_document(near_ids[i], Xapian::DOC_ASSUME_VALID) });
	}
	return texts;
}

/*
 * The page hits' sketch hashes, each with the hits that have it, in an
 * open-addressed table (the hashes are random already, so they index it
 * as they are): how many hashes a candidate shares with each hit costs a
 * probe per hash, where tr_sketch_similarity() merges two sketches for
 * every pair (thousands of candidates × the page's hits).
 */
class page_hashes {
public:
	explicit page_hashes(const std::vector<tr_sketch> &sketches)
	{
		size_t n = 0, size = 64;
		uint32_t at = 0;

		for (const tr_sketch &s : sketches)
			n += s.n;
		while (size < 4 * n)
			size *= 2;
		slots.resize(size);
		/* Count each hash's hits, give each its stretch of @hits, then fill the stretches from their ends. */
		for (const tr_sketch &s : sketches)
			for (size_t j = 0; j < s.n; j++) {
				slot &e = slots[place(s.h[j])];
				e.h = s.h[j];
				e.n++;
			}
		for (slot &e : slots) {
			at += e.n;
			e.first = at;
		}
		hits.resize(at);
		for (size_t i = 0; i < sketches.size(); i++)
			for (size_t j = 0; j < sketches[i].n; j++)
				hits[--slots[place(sketches[i].h[j])].first] = static_cast<uint32_t>(i);
	}

	/* @shared[i]: the hashes of @c that hit i has too. */
	void count(const tr_sketch &c, std::vector<unsigned> &shared) const
	{
		std::fill(shared.begin(), shared.end(), 0);
		for (size_t j = 0; j < c.n; j++) {
			const slot &e = slots[place(c.h[j])];
			for (uint32_t k = e.first; k < e.first + e.n; k++)
				shared[hits[k]]++;
		}
	}

private:
	/*
	 * 16 bytes a slot, the hits in one array: a slot that held its own
	 * vector (40 bytes) made the table of a ten-hit page 80 KB, 20 fresh
	 * pages faulted in for every search.
	 */
	struct slot {
		uint64_t h = 0;
		uint32_t first = 0;   /* its hits are hits[first, first + n) */
		uint32_t n = 0;       /* 0: free */
	};
	std::vector<slot> slots;
	std::vector<uint32_t> hits;

	/* Where @h is, or the free slot where it goes (the table is never more than a quarter full). */
	size_t place(uint64_t h) const
	{
		size_t mask = slots.size() - 1, i = static_cast<size_t>(h >> 20) & mask;

		while (slots[i].n && slots[i].h != h)
			i = (i + 1) & mask;
		return i;
	}
};

/*
 * Whether two texts sharing @shared hashes can be versions:
 * tr_sketch_similarity() counts the hashes both have among the smaller
 * sketch's size k, at most @shared of them, so a share under
 * TR_VERSION_THRESHOLD rules the pair out without comparing the sketches.
 */
static bool
enough_shared(unsigned shared, const tr_sketch &a, const tr_sketch &b)
{
	size_t k = std::min(a.n, b.n);

	return k && static_cast<double>(shared) / static_cast<double>(k) >= TR_VERSION_THRESHOLD;
}

std::vector<Xapian::docid>
versions_of(tr_db *db, const Xapian::Document &d, const Xapian::Query &within)
{
	std::vector<Xapian::docid> ids;
	std::vector<looked_up> mine(1);

	if (!sketch_of(d, &mine[0].sketch))
		return ids;
	mine[0].copies = copies_of(db, text_key(d.get_value(TR_SLOT_SAME_TEXT), d.get_docid()));
	auto version = [&](Xapian::docid, const tr_sketch &s) {
		return tr_sketch_similarity(&mine[0].sketch, &s) >= TR_VERSION_THRESHOLD;
	};
	auto keep = [](const std::string &, const tr_sketch &) { return true; };
	for (const auto &t : candidates(db, within, false, mine, version, keep))
		for (const fold_copy &c : t.second.copies)
			ids.push_back(c.id);
	return ids;
}

/*
 * Makes the newest of @g's text and its versions the one shown: its best
 * copy the hit, its other copies the hit's copies, every other text
 * (by its best copy) a version.
 */
static void
show_newest(fold_group &g, std::vector<std::vector<fold_copy>> texts)
{
	for (std::vector<fold_copy> &t : texts)
		std::stable_sort(t.begin(), t.end(), better_copy);
	std::stable_sort(texts.begin(), texts.end(),
	                 [](const auto &a, const auto &b) { return newer(a[0], b[0]); });
	g.shown = texts[0][0];
	g.others.assign(texts[0].begin() + 1, texts[0].end());
	g.versions.clear();
	for (size_t i = 1; i < texts.size() && g.versions.size() < VERSIONS_MAX; i++)
		g.versions.push_back(texts[i][0]);
}

/*
 * Keeps of @texts the copies that match @query, and the texts left with
 * one: a pass over the few documents named, not over the whole match.
 */
static void
keep_matching(tr_db *db, const Xapian::Query &query, std::map<std::string, candidate> &texts)
{
	std::vector<Xapian::Query> ids;
	std::unordered_set<Xapian::docid> matching;

	for (const auto &t : texts)
		for (const fold_copy &c : t.second.copies)
			ids.emplace_back(id_term(c.doc.get_value(TR_SLOT_PATH).c_str()));
	Xapian::Enquire e(*db->rdb);
	e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
	e.set_weighting_scheme(Xapian::BoolWeight());
	Xapian::MSet m = e.get_mset(0, static_cast<Xapian::doccount>(ids.size()));
	for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
		matching.insert(*it);
	for (auto t = texts.begin(); t != texts.end(); ) {
		std::vector<fold_copy> &v = t->second.copies;
		v.erase(std::remove_if(v.begin(), v.end(), [&](const fold_copy &c) { return !matching.count(c.id); }), v.end());
		t = v.empty() ? texts.erase(t) : std::next(t);
	}
}

void
fold_versions(tr_db *db, const tr_search *q, const Xapian::Query &query, std::vector<fold_group> &groups)
{
	std::vector<tr_sketch> sketches(groups.size());
	std::vector<looked_up> used;
	std::map<std::string, size_t> own;
	/* Each hit's key read once: a value read costs a database look-up, and the pairs below are many. */
	std::vector<std::string> keys(groups.size());
	std::vector<Xapian::doccount> copies(groups.size());

	for (size_t i = 0; i < groups.size(); i++) {
		keys[i] = text_key(groups[i].shown);
		own[keys[i]] = i;
		copies[i] = copies_of(db, keys[i]);
		if (sketch_of(groups[i].shown.doc, &sketches[i]))
			used.push_back(looked_up{ sketches[i], copies[i] });
	}
	if (used.empty())
		return;
	/*
	 * Most texts have no version: look for them among the documents that
	 * share a sketch term (short posting lists), and run the words and
	 * filters only over the versions found (keep_matching()).
	 */
	page_hashes hashes(sketches);
	std::vector<unsigned> shared(groups.size());
	bool any = false;
	/* What keep() takes: a copy of a hit's text (found by its same-text term), or a version of a hit. */
	std::unordered_set<Xapian::docid> own_ids;
	for (size_t i = 0; i < groups.size(); i++)
		copy_ids(db, keys[i], copies[i], groups[i].shown.id, own_ids);
	auto near = [&](Xapian::docid id, const tr_sketch &s) {
		if (own_ids.count(id))
			return true;
		hashes.count(s, shared);
		for (size_t i = 0; i < groups.size(); i++)
			if (enough_shared(shared[i], sketches[i], s) &&
			    tr_sketch_similarity(&sketches[i], &s) >= TR_VERSION_THRESHOLD)
				return true;
		return false;
	};
	/* A candidate stays if it is a hit's own text or a version of a hit. */
	auto keep = [&](const std::string &key, const tr_sketch &s) {
		bool version = false;

		hashes.count(s, shared);
		for (size_t i = 0; i < groups.size() && !version; i++)
			version = enough_shared(shared[i], sketches[i], s) && keys[i] != key &&
			          tr_sketch_similarity(&sketches[i], &s) >= TR_VERSION_THRESHOLD;
		any = any || version;
		return version || own.count(key) > 0;
	};
	auto texts = candidates(db, apply_filters(q, match_all()), true, used, near, keep);
	if (!any)
		return;
	keep_matching(db, query, texts);
	std::map<std::string, size_t> shown_in;   /* text key -> the group that shows or lists it */

	for (size_t i = 0; i < groups.size(); i++) {
		fold_group &g = groups[i];
		const std::string &own = keys[i];
		if (shown_in.count(own)) {
			g.hidden = true;
			continue;
		}
		if (!sketches[i].n)
			continue;
		std::vector<fold_copy> mine(1, g.shown);
		mine.insert(mine.end(), g.others.begin(), g.others.end());
		std::vector<std::vector<fold_copy>> group_texts(1, mine);
		for (const auto &t : texts) {
			if (t.first == own || shown_in.count(t.first) ||
			    tr_sketch_similarity(&sketches[i], &t.second.sketch) < TR_VERSION_THRESHOLD)
				continue;
			group_texts.push_back(t.second.copies);
		}
		shown_in[own] = i;
		if (group_texts.size() == 1)
			continue;
		for (const auto &t : group_texts)
			shown_in[text_key(t[0])] = i;
		show_newest(g, group_texts);
	}
}

void
store_versions(tr_hit *h, const fold_group &g)
{
	if (g.versions.empty())
		return;
	h->versions = static_cast<tr_hit *>(calloc(g.versions.size(), sizeof(tr_hit)));
	if (!h->versions)
		throw std::bad_alloc();
	for (const fold_copy &v : g.versions) {
		tr_hit *c = &h->versions[h->n_versions++];
		c->docid = v.id;
		store_record(c, v.doc);
	}
}
