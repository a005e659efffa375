/*
 * Copies of one text fold into one hit (docs/tellerrand-query.md, "COPIES"): the
 * match collapses on the same-text key (Enquire::set_collapse_key), and a
 * hit with copies shows its best copy and lists the others.
 */
#include <algorithm>
#include <cstdlib>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "db_private.hh"
#include "docdata.h"
#include "sametext.h"
#include "terms.h"

/* Copies listed per hit at most; a text copied more often is listed this far. */
#define FOLD_COPIES_MAX 50

void
fold_copies(Xapian::Enquire &enquire, const tr_search *q)
{
	if (!q->all_copies)
		enquire.set_collapse_key(TR_SLOT_SAME_TEXT);
}

/*
 * Whether copy @a shows before @b: a paged PDF (its text has page breaks)
 * first, as it can open at the page; then a file whose name does not say
 * it is a copy ("Kopie von …", "… (2)"); then the newest file; then the
 * smallest path, so one index and its shards choose alike.
 */
static bool
paged_pdf(const Xapian::Document &d)
{
	static const std::string pdf = TR_PREFIX_FORMAT "pdf";
	Xapian::TermIterator t = d.termlist_begin();

	t.skip_to(pdf);
	return t != d.termlist_end() && *t == pdf && d.get_value(TR_SLOT_TEXT).find('\f') != std::string::npos;
}

bool
better_copy(const fold_copy &ca, const fold_copy &cb)
{
	const Xapian::Document &a = ca.doc, &b = cb.doc;
	bool pa = paged_pdf(a), pb = paged_pdf(b);
	if (pa != pb)
		return pa;
	bool ca_copy = tr_path_names_copy(a.get_value(TR_SLOT_PATH).c_str());
	bool cb_copy = tr_path_names_copy(b.get_value(TR_SLOT_PATH).c_str());
	if (ca_copy != cb_copy)
		return cb_copy;
	double ma = Xapian::sortable_unserialise(a.get_value(TR_SLOT_MTIME));
	double mb = Xapian::sortable_unserialise(b.get_value(TR_SLOT_MTIME));
	if (ma != mb)
		return ma > mb;
	return a.get_value(TR_SLOT_PATH) < b.get_value(TR_SLOT_PATH);
}

/* The matching copies of the folded hits' texts, by key: one unweighted pass. */
static std::map<std::string, std::vector<fold_copy>>
matching_copies(tr_db *db, const Xapian::Query &query, const std::vector<std::string> &keys,
                Xapian::doccount max)
{
	std::map<std::string, std::vector<fold_copy>> by_key;
	std::vector<Xapian::Query> terms;

	for (const std::string &k : keys)
		terms.emplace_back(TR_PREFIX_SAME_TEXT + k);
	Xapian::Enquire e(*db->rdb);
	e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
	                          Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())));
	e.set_weighting_scheme(Xapian::BoolWeight());
	e.set_docid_order(Xapian::Enquire::ASCENDING);
	Xapian::MSet m = e.get_mset(0, max);
	for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it) {
		Xapian::Document d = it.get_document();
		std::vector<fold_copy> &v = by_key[d.get_value(TR_SLOT_SAME_TEXT)];
		if (v.size() < FOLD_COPIES_MAX + 1)
			v.push_back({ *it, d });
	}
	return by_key;
}

std::vector<fold_group>
fold_groups(tr_db *db, const Xapian::Query &query, const Xapian::MSet &mset)
{
	std::vector<fold_group> groups;
	std::vector<std::string> keys;
	Xapian::doccount copies = 0;

	for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
		groups.push_back({ { *it, it.get_document() }, {}, {}, false });
		if (it.get_collapse_count() > 0) {
			keys.push_back(it.get_collapse_key());
			copies += it.get_collapse_count() + 1;
		}
	}
	if (keys.empty())
		return groups;
	auto by_key = matching_copies(db, query, keys, copies + keys.size() * FOLD_COPIES_MAX);
	for (fold_group &g : groups) {
		auto found = by_key.find(g.shown.doc.get_value(TR_SLOT_SAME_TEXT));
		if (found == by_key.end() || found->second.size() < 2)
			continue;
		std::vector<fold_copy> all = found->second;
		std::stable_sort(all.begin(), all.end(), better_copy);
		g.shown = all[0];
		g.others.assign(all.begin() + 1, all.end());
	}
	return groups;
}

/* The value slots the facet spies read: what text_once_spy keeps of a copy. */
static const Xapian::valueno facet_slots[4] = { TR_SLOT_DATE, TR_SLOT_DISTRICTS, TR_SLOT_TYPE, TR_SLOT_TOPICS };

void
text_once_spy::operator()(const Xapian::Document &doc, double wt)
{
	std::string key = doc.get_value(TR_SLOT_SAME_TEXT);

	files++;
	if (key.empty()) {
		texts++;
		for (Xapian::MatchSpy *s : spies)
			(*s)(doc, wt);
		return;
	}
	std::string path = doc.get_value(TR_SLOT_PATH);
	auto found = first.find(key);
	if (found != first.end() && !(path < found->second.path))
		return;
	/* Plain strings, not a Xapian::Document per text: this runs for every match. */
	counted_copy &c = found != first.end() ? found->second : first[key];
	c.path = path;
	for (size_t i = 0; i < sizeof facet_slots / sizeof facet_slots[0]; i++)
		c.values[i] = doc.get_value(facet_slots[i]);
}

void
text_once_spy::flush()
{
	/* One document, its values replaced per text, carries them to the spies. */
	Xapian::Document values;

	for (const auto &e : first) {
		texts++;
		for (size_t i = 0; i < sizeof facet_slots / sizeof facet_slots[0]; i++)
			values.add_value(facet_slots[i], e.second.values[i]);
		for (Xapian::MatchSpy *s : spies)
			(*s)(values, 0.0);
	}
	first.clear();
}

void
store_copies(tr_hit *h, const fold_group &g)
{
	if (g.others.empty())
		return;
	h->copies = static_cast<tr_hit *>(calloc(g.others.size(), sizeof(tr_hit)));
	if (!h->copies)
		throw std::bad_alloc();
	for (const fold_copy &o : g.others) {
		tr_hit *c = &h->copies[h->n_copies++];
		c->docid = o.id;
		c->data = dup_string(o.doc.get_data());
		if (tr__docdata_decode(c) != TR_OK)
			throw std::bad_alloc();
	}
}
