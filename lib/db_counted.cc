/*
 * The count pass's compact value (TR_SLOT_COUNTED, index format 6;
 * docs/terms.md, "Counted value"): what a search counts of a match, with
 * each district, type, topic and year-month as a small code from its
 * database's list of counted keys, so that the count pass (text_once_spy,
 * db_fold.cc) counts a key with an array increment, not a hash of its text.
 */
#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "db_private.hh"
#include "terms.h"

/* The first byte of a compact value; a value of format 4 or 5 (text) never starts so. */
#define COUNTED_TAG 6

/* Each list's slot, and the letter that marks its keys in the metadata. */
static const Xapian::valueno field_slots[COUNTED_FIELDS] = {
	TR_SLOT_DISTRICTS, TR_SLOT_TYPE, TR_SLOT_TOPICS, TR_SLOT_DATE
};
static const char field_letters[COUNTED_FIELDS + 1] = "dtkm";

uint32_t
counted_codes::number(counted_field f, std::string_view text)
{
	std::string k(1, field_letters[f]);

	k.append(text);
	auto found = number_of.find(k);
	if (found != number_of.end())
		return found->second;
	uint32_t n = static_cast<uint32_t>(keys.size());
	keys.push_back({ f, std::string(text) });
	number_of.emplace(std::move(k), n);
	return n;
}

/*
 * Calls @fn with each key of list @f in its slot's value @v: the one type
 * (also an empty one), the district and topic keys split at TR_SLOT_SEP
 * (empty ones between two separators too), the year and month of a date.
 */
template <class Fn>
static void
each_key(counted_field f, std::string_view v, Fn fn)
{
	if (f == COUNTED_TYPE) {
		fn(v);
	} else if (f == COUNTED_DATE) {
		if (!v.empty())
			fn(v.substr(0, 6));
	} else if (!v.empty()) {
		for (size_t start = 0;;) {
			size_t end = v.find(TR_SLOT_SEP, start);
			fn(v.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
			if (end == std::string_view::npos)
				break;
			start = end + 1;
		}
	}
}

/* The list id at the start of a list's metadata or of a value (big endian). */
static uint32_t
get_id(const unsigned char *p)
{
	return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 | p[3];
}

static void
put_id(std::string &s, uint32_t id)
{
	for (int shift = 24; shift >= 0; shift -= 8)
		s += static_cast<char>(id >> shift);
}

/*
 * Reads list @stored (its id, then each key: its field's letter, its
 * text and a NUL) into @c: its keys numbered, and its codes' numbers.  A
 * damaged entry's code counts nothing (UINT32_MAX).
 */
static void
read_list(counted_codes &c, std::string_view stored)
{
	if (stored.size() < 4)
		return;
	counted_codes::list l = { get_id(reinterpret_cast<const unsigned char *>(stored.data())), {}, false };
	for (size_t at = 4; at < stored.size();) {
		size_t nul = stored.find('\0', at);
		if (nul == std::string_view::npos)
			nul = stored.size();
		const char *letter = stored[at] ? strchr(field_letters, stored[at]) : nullptr;
		if (letter)
			l.number_of_code.push_back(c.number(static_cast<counted_field>(letter - field_letters),
			                                    stored.substr(at + 1, nul - at - 1)));
		else
			l.number_of_code.push_back(UINT32_MAX);
		at = nul + 1;
	}
	/*
	 * The same id twice: one list, of a run's parts (or a copied shard),
	 * as far as one is the start of the other; else the slots decide.
	 */
	for (counted_codes::list &o : c.lists) {
		if (o.id != l.id)
			continue;
		std::vector<uint32_t> &shorter = o.number_of_code.size() < l.number_of_code.size() ? o.number_of_code : l.number_of_code;
		std::vector<uint32_t> &longer = &shorter == &o.number_of_code ? l.number_of_code : o.number_of_code;
		o.unsure = o.unsure || !std::equal(shorter.begin(), shorter.end(), longer.begin());
		if (o.number_of_code.size() < l.number_of_code.size())
			o.number_of_code.swap(l.number_of_code);
		return;
	}
	c.lists.push_back(std::move(l));
}

counted_codes &
counted_codes_of(tr_db *db)
{
	if (db->codes && !db->codes_recheck)
		return *db->codes;
	/* Xapian reads metadata from the first database of a set only: each shard's own list. */
	std::vector<std::string> lists;
	if (db->parts.empty())
		lists.push_back(db->rdb->get_metadata(COUNTED_KEYS_META));
	for (tr_db_part &part : db->parts)
		lists.push_back(part.db.get_metadata(COUNTED_KEYS_META));
	db->codes_recheck = false;
	if (db->codes && db->codes->read_from == lists)
		return *db->codes;
	auto c = std::make_shared<counted_codes>();
	for (const std::string &l : lists)
		read_list(*c, l);
	c->read_from = std::move(lists);
	db->codes = c;
	return *c;
}

void
counted_codes_recheck(tr_db *db)
{
	if (!db->wdb)
		db->codes_recheck = true;
}

void
counted_codes_load_writer(tr_db *db, const std::shared_ptr<counted_codes> &shared)
{
	db->codes_stored = 0;
	if (shared) {
		db->codes = shared;
		return;
	}
	auto c = std::make_shared<counted_codes>();
	c->stored = db->wdb->get_metadata(COUNTED_KEYS_META);
	if (c->stored.size() < 4) {
		c->stored.clear();
		put_id(c->stored, std::random_device()());
	}
	read_list(*c, c->stored);
	/* A writer's codes are its numbers: each key once, in the list's order. */
	if (c->lists.size() != 1 || c->keys.size() != c->lists[0].number_of_code.size())
		throw Xapian::DatabaseCorruptError(db->path + ": Liste der gezählten Schlüssel (" COUNTED_KEYS_META ") beschädigt");
	db->codes = c;
	db->codes_stored = c->keys.size();
}

/* The code of key @text of list @f in writer list @c, appended to the list if it is new. */
static uint32_t
writer_code(counted_codes &c, counted_field f, std::string_view text)
{
	size_t before = c.keys.size();
	uint32_t n = c.number(f, text);

	if (c.keys.size() > before) {
		c.lists[0].number_of_code.push_back(n);
		c.stored += field_letters[f];
		c.stored.append(text);
		c.stored += '\0';
	}
	return n;
}

static void
put_number(std::string &v, uint32_t n)
{
	for (; n >= 0x80; n >>= 7)
		v += static_cast<char>(n | 0x80);
	v += static_cast<char>(n);
}

/*
 * The value: COUNTED_TAG; the list's id; 1 and the same-text key's first
 * 64 bits (big endian), or 0 for a file without text; for each list (districts, type,
 * topics, year-month) the number of codes and the codes, each a base-128
 * number of one byte below 128; then the path, which the count pass
 * compares only between two copies of one text (the one with the
 * smallest path is counted: one index and its shards choose alike).
 */
void
set_counted_value(tr_db *db, Xapian::Document &xd)
{
	counted_codes &c = *db->codes;
	std::string v(1, static_cast<char>(COUNTED_TAG)), key = xd.get_value(TR_SLOT_SAME_TEXT);
	std::vector<uint32_t> codes;

	put_id(v, c.lists[0].id);
	v += static_cast<char>(!key.empty());
	if (!key.empty()) {
		uint64_t bits = key_bits(key);
		for (int shift = 56; shift >= 0; shift -= 8)
			v += static_cast<char>(bits >> shift);
	}
	std::lock_guard<std::mutex> hold(c.lock);
	for (int f = 0; f < COUNTED_FIELDS; f++) {
		std::string slot = xd.get_value(field_slots[f]);
		codes.clear();
		each_key(static_cast<counted_field>(f), slot,
		         [&](std::string_view k) { codes.push_back(writer_code(c, static_cast<counted_field>(f), k)); });
		put_number(v, static_cast<uint32_t>(codes.size()));
		for (uint32_t code : codes)
			put_number(v, code);
	}
	/* The list in this database's metadata, committed with the document: a part's or a shard's too. */
	if (db->codes_stored < c.keys.size()) {
		db->wdb->set_metadata(COUNTED_KEYS_META, c.stored);
		db->codes_stored = c.keys.size();
	}
	v += xd.get_value(TR_SLOT_PATH);
	xd.add_value(TR_SLOT_COUNTED, v);
}

/* A base-128 number (put_number) at @p, or false at the end of the value. */
static inline bool
get_number(const unsigned char *&p, const unsigned char *end, uint32_t &n)
{
	if (p < end && *p < 0x80) {
		n = *p++;
		return true;
	}
	n = 0;
	for (int shift = 0; p < end && shift < 32; shift += 7) {
		unsigned char b = *p++;
		n |= static_cast<uint32_t>(b & 0x7F) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/*
 * Decodes compact value @value against @codes: sets @key (0 for a file
 * without text: @has_key) and @path, and calls @fn(field, number) for each
 * counted key whose code the list knows.  False if the value is not
 * compact (an older index), its list is not known or not sure, or the
 * value is damaged: then the slots decide.
 */
template <class Fn>
static bool
decode_counted(const counted_codes &codes, std::string_view value, bool *has_key, uint64_t *key,
               std::string_view *path, Fn fn)
{
	const unsigned char *p = reinterpret_cast<const unsigned char *>(value.data()), *end = p + value.size();

	if (value.size() < 6 || p[0] != COUNTED_TAG || (p[5] && value.size() < 14))
		return false;
	uint32_t id = get_id(p + 1);
	const std::vector<uint32_t> *found = nullptr;
	for (const counted_codes::list &l : codes.lists)
		if (l.id == id) {
			found = l.unsure ? nullptr : &l.number_of_code;
			break;
		}
	if (!found)
		return false;
	const std::vector<uint32_t> &map = *found;
	*has_key = p[5];
	*key = 0;
	p += 6;
	if (*has_key)
		for (int i = 0; i < 8; i++)
			*key = *key << 8 | *p++;
	for (int f = 0; f < COUNTED_FIELDS; f++) {
		uint32_t n, code;
		if (!get_number(p, end, n))
			return false;
		for (uint32_t i = 0; i < n; i++) {
			if (!get_number(p, end, code))
				return false;
			if (code < map.size() && map[code] != UINT32_MAX)
				fn(f, map[code]);
		}
	}
	*path = std::string_view(reinterpret_cast<const char *>(p), static_cast<size_t>(end - p));
	return true;
}

/* Appends the numbers of the keys @value counts to @numbers (decode_counted()). */
bool
text_once_spy::number_keys(const std::string &value, bool *has_key, uint64_t *key, std::string_view *path)
{
	return decode_counted(*codes, value, has_key, key, path, [&](int f, uint32_t number) {
		if (out_of[f])
			numbers.push_back(number);
	});
}

/*
 * Adds document @id's compact value @value to @c, if it decodes and fits
 * an entry (at most 255 keys a field, a path under 64 KiB).
 */
static void
add_to_column(counted_column &c, Xapian::docid id, std::string_view value)
{
	counted_column::entry e = {};
	std::string_view path;
	size_t numbers = c.numbers.size();
	bool fits = true;

	e.numbers_at = static_cast<uint32_t>(numbers);
	if (!decode_counted(*c.codes, value, &e.has_key, &e.key, &path, [&](int f, uint32_t number) {
		    fits = fits && e.n_numbers[f] < UINT8_MAX;
		    e.n_numbers[f]++;
		    c.numbers.push_back(number);
	    }) || !fits || path.size() > UINT16_MAX) {
		c.numbers.resize(numbers);
		return;
	}
	e.path_at = static_cast<uint32_t>(c.paths.size());
	e.path_len = static_cast<uint16_t>(path.size());
	c.paths.append(path);
	if (c.entry_of.size() <= id)
		c.entry_of.resize(id + 1, 0);
	c.entries.push_back(e);
	c.entry_of[id] = static_cast<uint32_t>(c.entries.size());
}

/*
 * The count pass compares paths only between copies of one text, so of a
 * column with an entry for every document only the paths of keys that
 * several documents share are kept: most of its memory otherwise.  (A
 * document without an entry may be a copy of any, so then all stay.)
 */
static void
keep_copies_paths(counted_column &c)
{
	std::unordered_map<uint64_t, uint32_t> documents;
	std::string kept;

	documents.reserve(c.entries.size());
	for (const counted_column::entry &e : c.entries)
		if (e.has_key)
			documents[e.key]++;
	for (counted_column::entry &e : c.entries) {
		if (e.has_key && documents[e.key] > 1) {
			size_t at = kept.size();
			kept.append(c.paths, e.path_at, e.path_len);
			e.path_at = static_cast<uint32_t>(at);
		} else {
			e.path_at = 0;
			e.path_len = 0;
		}
	}
	kept.shrink_to_fit();
	c.paths.swap(kept);
}

std::shared_ptr<counted_column>
counted_column_of(tr_db *db)
{
	if (db->wdb || db->remote || !spy_ids_are_handles(db) || !db->codes || db->searches < 2)
		return nullptr;
	if (db->column && db->column->codes == db->codes)
		return db->column;
	auto c = std::make_shared<counted_column>();
	c->codes = db->codes;
	c->entry_of.reserve(db->rdb->get_lastdocid() + 1);
	c->entries.reserve(db->rdb->get_doccount());
	for (Xapian::ValueIterator v = db->rdb->valuestream_begin(TR_SLOT_COUNTED);
	     v != db->rdb->valuestream_end(TR_SLOT_COUNTED); ++v)
		add_to_column(*c, v.get_docid(), *v);
	if (c->entries.size() == db->rdb->get_doccount())
		keep_copies_paths(*c);
	c->numbers.shrink_to_fit();
	db->column = c;
	return c;
}

/*
 * The counted keys of a document whose value is not compact (indexed
 * before format 6, or damaged), from its own slots: numbered by their
 * text, in @db's numbers or, for keys no list has, this search's own.
 */
void
text_once_spy::number_slots(const Xapian::Document &doc, bool *has_key, uint64_t *key, std::string *path)
{
	std::string k = doc.get_value(TR_SLOT_SAME_TEXT);

	*has_key = !k.empty();
	*key = *has_key ? key_bits(k) : 0;
	for (int f = 0; f < COUNTED_FIELDS; f++) {
		if (!out_of[f])
			continue;
		counted_field field = static_cast<counted_field>(f);
		each_key(field, doc.get_value(field_slots[f]), [&](std::string_view t) {
			std::string letter_text(1, field_letters[f]);
			letter_text.append(t);
			auto found = codes->number_of.find(letter_text);
			if (found != codes->number_of.end())
				numbers.push_back(found->second);
			else
				numbers.push_back(static_cast<uint32_t>(codes->keys.size()) + own.number(field, t));
		});
	}
	*path = doc.get_value(TR_SLOT_PATH);
	if (count_of.size() < codes->keys.size() + own.keys.size())
		count_of.resize(codes->keys.size() + own.keys.size());
}
