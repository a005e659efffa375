/*
 * Copies of one text fold into one hit (docs/tellerrand-query.md, "COPIES"): the
 * match collapses on the same-text key (Enquire::set_collapse_key), and a
 * hit with copies shows its best copy and lists the others.
 */
#include <algorithm>
#include <cstdlib>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <xxhash.h>

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
fold_groups(tr_db *db, const Xapian::Query &query, const std::vector<Xapian::MSetIterator> &page)
{
	std::vector<fold_group> groups;
	std::vector<std::string> keys;
	Xapian::doccount copies = 0;

	for (const Xapian::MSetIterator &it : page) {
		groups.push_back({ { *it, it.get_document() }, {}, {}, false });
		/*
		 * Collapsed on a key (empty when every copy is shown, or for a
		 * file without text) that more than one file has.
		 */
		const std::string &key = it.get_collapse_key();
		if (!key.empty() && db->rdb->get_termfreq(TR_PREFIX_SAME_TEXT + key) > 1) {
			keys.push_back(key);
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

/* The first 64 bits of same-text key @key (hex), or a hash of it if it is not hex. */
static uint64_t
key_bits(std::string_view key)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 16; i++) {
		char c = i < key.size() ? key[i] : '\0';
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return std::hash<std::string_view>()(key);
		v = v << 4 | static_cast<uint64_t>(d);
	}
	return v;
}

unsigned
sample_level(const std::string &key, const std::string &path)
{
	uint64_t bits;

	if (!key.empty())
		bits = key_bits(key);
	else
		bits = XXH3_64bits(path.data(), path.size());
	return bits ? std::min<unsigned>(__builtin_ctzll(bits), TR_SAMPLE_LEVELS) : TR_SAMPLE_LEVELS;
}

std::string
sample_term(unsigned k)
{
	return TR_PREFIX_SAMPLE + std::to_string(k);
}

/* The path of a TR_SLOT_COUNTED value: its last field (a path has no NUL). */
static std::string_view
counted_path(std::string_view value)
{
	size_t nul = value.rfind('\0');
	return nul == std::string_view::npos ? value : value.substr(nul + 1);
}

void
text_once_spy::field_counts::add(std::string_view key)
{
	auto found = number.find(key);
	if (found != number.end()) {
		texts[found->second]++;
		return;
	}
	keys.emplace_back(key);
	number.emplace(keys.back(), static_cast<unsigned>(texts.size()));
	texts.push_back(1);
}

/* Counts one text's fields, the district and topic keys one by one. */
void
text_once_spy::count(std::string_view value)
{
	std::string_view at[COUNTED_FIELDS], rest = value;

	texts++;
	for (int f = 0; f < COUNTED_FIELDS; f++) {
		size_t nul = f + 1 < COUNTED_FIELDS ? rest.find('\0') : std::string_view::npos;
		at[f] = rest.substr(0, nul);
		rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
	}
	for (field_counts &c : fields) {
		std::string_view v = at[c.field];
		if (c.field != COUNTED_DISTRICTS && c.field != COUNTED_TOPICS) {
			c.add(v);
			continue;
		}
		while (!v.empty()) {
			size_t sep = v.find(TR_SLOT_SEP);
			c.add(v.substr(0, sep));
			v = sep == std::string_view::npos ? std::string_view() : v.substr(sep + 1);
		}
	}
}

/*
 * One value read per match (the six slots it packs cost six reads of
 * their value streams).  A text is kept, not counted, until the match is
 * over: a copy with a smaller path may still come.
 */
void
text_once_spy::operator()(const Xapian::Document &doc, double)
{
	std::string value = doc.get_value(TR_SLOT_COUNTED);

	if (value.empty())
		value = counted_value(doc);
	files++;
	std::string_view key(value.data(), std::min(value.find('\0'), value.size()));
	if (!fold || key.empty()) {
		count(value);
		return;
	}
	by_key.emplace_back(key_bits(key), static_cast<unsigned>(copies.size()));
	copies.push_back(std::move(value));
}

void
text_once_spy::flush()
{
	/* Each text once: its copy with the smallest path. */
	std::sort(by_key.begin(), by_key.end(), [this](const auto &a, const auto &b) {
		return a.first != b.first ? a.first < b.first : counted_path(copies[a.second]) < counted_path(copies[b.second]);
	});
	for (size_t i = 0; i < by_key.size(); i++)
		if (i == 0 || by_key[i].first != by_key[i - 1].first)
			count(copies[by_key[i].second]);
	by_key.clear();
	copies.clear();
	for (field_counts &c : fields) {
		c.out->reserve(c.out->size() + c.keys.size());
		for (size_t i = 0; i < c.keys.size(); i++)
			c.out->emplace_back(std::move(c.keys[i]), c.texts[i]);
		c.number.clear();
		c.keys.clear();
		c.texts.clear();
	}
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
		store_record(c, o.doc);
	}
}
