/*
 * Copies of one text fold into one hit (docs/tellerrand-query.md, "COPIES"): the
 * match collapses on the same-text key (Enquire::set_collapse_key), and a
 * hit with copies shows its best copy and lists the others.
 */
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
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

Xapian::MSet
matches_with_terms(tr_db *db, const Xapian::Query &query, const std::vector<std::string> &terms,
                   Xapian::doccount max)
{
	Xapian::Enquire e(*db->rdb);

	e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
	                          Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())));
	e.set_weighting_scheme(Xapian::BoolWeight());
	e.set_docid_order(Xapian::Enquire::ASCENDING);
	return e.get_mset(0, max);
}

/* The matching copies of the folded hits' texts, by key: one unweighted pass. */
static std::map<std::string, std::vector<fold_copy>>
matching_copies(tr_db *db, const Xapian::Query &query, const std::vector<std::string> &keys,
                Xapian::doccount max)
{
	std::map<std::string, std::vector<fold_copy>> by_key;
	std::vector<std::string> terms;

	for (const std::string &k : keys)
		terms.push_back(TR_PREFIX_SAME_TEXT + k);
	Xapian::MSet m = matches_with_terms(db, query, terms, max);
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

/*
 * The value of the eight lowercase hex digits in @w (as they lie in
 * memory, the first one most significant), or a value above 32 bits if one
 * is not a digit: each byte at once.  A digit is a byte that its value,
 * written again as a digit, gives back.
 */
static uint64_t
hex_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t v = (w & 0x0F0F0F0F0F0F0F0Full) + 9 * (w >> 6 & ones);   /* '0'-'9': 0-9, 'a'-'f': 10-15 */
	uint64_t letters = (v + 6 * ones) >> 4 & ones;                    /* 1 where v is 10 or more */

	if ((v & 0xF0F0F0F0F0F0F0F0ull) || v + 0x30 * ones + 0x27 * letters != w)
		return ~0ull;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	v = (v | v >> 4) & 0x00FF00FF00FF00FFull;
	v = (v | v >> 8) & 0x0000FFFF0000FFFFull;
	return (v | v >> 16) & 0xFFFFFFFFull;
}

uint64_t
key_bits(std::string_view key)
{
	uint64_t first, second;

	if (key.size() >= 16) {
		memcpy(&first, key.data(), 8);
		memcpy(&second, key.data() + 8, 8);
		first = hex_word(first);
		second = hex_word(second);
		if ((first | second) >> 32 == 0)
			return first << 32 | second;
	}
	return std::hash<std::string_view>()(key);
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

text_once_spy::text_once_spy(tr_db *db)
	: codes(db->remote ? nullptr : &counted_codes_of(db))
{
	if (codes) {
		count_of.resize(codes->keys.size());
		column = counted_column_of(db);
	}
}

/*
 * Counts copy @c's keys once more, or once less unless @add: a column
 * entry's in place, the fields counted only; others' from @numbers.
 */
void
text_once_spy::count(const counted_copy &c, bool add)
{
	const uint32_t *n = c.entry ? &column->numbers[c.entry->numbers_at] : numbers.data() + c.numbers_at;
	int step = add ? 1 : -1;

	if (!c.entry) {
		for (uint32_t i = 0; i < c.n_numbers; i++)
			count_of[n[i]] += step;
		return;
	}
	for (int f = 0; f < COUNTED_FIELDS; n += c.entry->n_numbers[f], f++)
		if (out_of[f])
			for (uint32_t i = 0; i < c.entry->n_numbers[f]; i++)
				count_of[n[i]] += step;
}

void
text_once_spy::grow_by_key()
{
	std::vector<uint32_t> bigger(by_key.empty() ? 64 : 2 * by_key.size(), 0);
	size_t mask = bigger.size() - 1;

	for (uint32_t c = 0; c < copies.size(); c++) {
		size_t i = slot_of(copies[c].key) & mask;
		while (bigger[i])
			i = (i + 1) & mask;
		bigger[i] = c + 1;
	}
	by_key.swap(bigger);
}

/*
 * Copy @c, its path in @c.path: counted if it is the first copy of its
 * text, or in place of the copy counted so far if its path is smaller;
 * else dropped.  A column entry's path outlasts the pass; any other is
 * copied when it is kept.
 */
void
text_once_spy::keep(counted_copy c)
{
	if (2 * copies.size() >= by_key.size())
		grow_by_key();
	size_t mask = by_key.size() - 1, i = slot_of(c.key) & mask;
	for (; by_key[i]; i = (i + 1) & mask) {
		counted_copy &o = copies[by_key[i] - 1];
		if (o.key != c.key)
			continue;
		if (c.path < o.path) {
			count(o, false);
			count(c, true);
			o = c;
			if (!c.entry)
				o.path = read_paths.emplace_back(c.path);
		} else if (!c.entry) {
			numbers.resize(c.numbers_at);
		}
		return;
	}
	texts++;
	count(c, true);
	if (!c.entry)
		c.path = read_paths.emplace_back(c.path);
	copies.push_back(c);
	by_key[i] = static_cast<uint32_t>(copies.size());
}

/*
 * A match's keys from the handle's column, or else from one value read
 * (the six slots it packs would cost six reads of their value streams),
 * its codes counted at once.
 */
void
text_once_spy::operator()(const Xapian::Document &doc, double)
{
	std::string value, old_path;
	counted_copy c = {};
	bool has_key;

	files++;
	last = doc.get_docid();
	c.entry = column ? column->find(last) : nullptr;
	if (c.entry) {
		has_key = c.entry->has_key;
		c.key = c.entry->key;
		c.path = std::string_view(column->paths).substr(c.entry->path_at, c.entry->path_len);
	} else {
		c.numbers_at = static_cast<uint32_t>(numbers.size());
		value = doc.get_value(TR_SLOT_COUNTED);
		if (!number_keys(value, &has_key, &c.key, &c.path)) {
			numbers.resize(c.numbers_at);
			number_slots(doc, &has_key, &c.key, &old_path);
			c.path = old_path;
		}
		c.n_numbers = static_cast<uint32_t>(numbers.size()) - c.numbers_at;
	}
	if (!fold || !has_key) {
		texts++;
		count(c, true);
		if (!c.entry)
			numbers.resize(c.numbers_at);
		return;
	}
	keep(c);
}

void
text_once_spy::flush()
{
	for (uint32_t n = 0; n < count_of.size(); n++) {
		if (!count_of[n])
			continue;
		const counted_codes::key &k = n < codes->keys.size() ? codes->keys[n] : own.keys[n - codes->keys.size()];
		out_of[k.field]->emplace_back(k.text, count_of[n]);
	}
	count_of.assign(codes ? codes->keys.size() : 0, 0);
	own.keys.clear();
	own.number_of.clear();
	numbers.clear();
	read_paths.clear();
	copies.clear();
	by_key.clear();
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
