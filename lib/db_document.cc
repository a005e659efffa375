/*
 * Building Xapian documents (terms, values, the stored record) and storing
 * them: what the indexer and its worker processes need.
 */
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "db_private.hh"
#include "docdata.h"
#include "document_wire.h"
#include "german.h"
#include "sametext.h"
#include "shingle.h"
#include "terms.h"

std::string
id_term(const char *path)
{
	std::string t = TR_PREFIX_ID;
	size_t len = strlen(path);

	if (t.size() + len <= TR_TERM_MAX) {
		t.append(path, len);
		return t;
	}
	uint64_t h = 1469598103934665603ULL; /* FNV-1a, 64 bit */
	for (size_t i = 0; i < len; i++) {
		h ^= static_cast<unsigned char>(path[i]);
		h *= 1099511628211ULL;
	}
	char hex[17];
	for (int i = 15; i >= 0; i--, h >>= 4)
		hex[i] = "0123456789abcdef"[h & 15];
	hex[16] = '\0';
	t.append(path, 200);
	t += '#';
	t += hex;
	return t;
}

/* Adds a boolean term, cutting it to Xapian's length limit at a UTF-8 boundary. */
static void
add_boolean(Xapian::Document &xd, const std::string &prefix, const std::string &value)
{
	std::string t = prefix + value;
	if (t.size() > TR_TERM_MAX) {
		size_t n = TR_TERM_MAX;
		while (n > prefix.size() && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80)
			n--;
		t.resize(n);
	}
	xd.add_boolean_term(t);
}

static std::string
join(char **v, size_t n)
{
	std::string s;
	for (size_t i = 0; i < n; i++) {
		if (i)
			s += TR_SLOT_SEP;
		s += v[i];
	}
	return s;
}

/*
 * Words for the spelling table: each distinct word with how often it
 * occurs.  Collected while a document is built, because building needs no
 * database (a worker process can do it) and only the writer has one.
 */
typedef std::vector<std::pair<std::string, Xapian::termcount>> spellings;

/*
 * The German stemmer, remembering its answers: Snowball costs thousands of
 * instructions a word, and an archive's texts repeat most of their words.
 * One per thread (Xapian objects are not shared between threads); the
 * memory is bounded by starting afresh when it is full.
 */
class MemoStem : public Xapian::StemImplementation {
	Xapian::Stem real;
	std::unordered_map<std::string, std::string> memo;

public:
	MemoStem() : real("german") {}
	std::string operator()(const std::string &word) override
	{
		auto it = memo.find(word);
		if (it != memo.end())
			return it->second;
		if (memo.size() >= 200000)
			memo.clear();
		return memo.emplace(word, real(word)).first->second;
	}
	std::string get_description() const override { return "Xapian::Stem(german, memo)"; }
};

const Xapian::Stem &
german_stemmer()
{
	static thread_local Xapian::Stem stem(new MemoStem());
	return stem;
}

/*
 * German (docs/german.md): the parts of compounds (XC), the stems of
 * a noun's other inflected forms (Z, by way of its last part), the male
 * base of female and gender-inclusive forms (XG) and the words
 * that hyphenated compounds stand for ("Kita-Plätze" → Z stem of
 * "kitaplätze"), all without positions, so phrases are unaffected.
 * Words come from the terms just generated: each distinct word
 * is split once, with its wdf as the weight of its parts.
 */
static void
add_german_terms(const tr_doc *doc, Xapian::Document &xd, spellings &spell)
{
	struct german_ctx {
		Xapian::Document *xd;
		spellings *spell;
		Xapian::Stem stem;
		Xapian::termcount wdf;
		std::vector<std::string> found;
		bool failed;
		std::string own;            /* the stem of the word whose forms are added */
	} g = { &xd, &spell, german_stemmer(), 1, {}, false, {} };
	/* The callbacks run inside C code: nothing may be thrown through it. */
	tr__part_fn add_part = [](const char *s, size_t n, bool head, void *ctx) {
		german_ctx *c = static_cast<german_ctx *>(ctx);
		try {
			std::string part(s, n);
			c->xd->add_term(TR_PREFIX_COMPOUND + c->stem(part), c->wdf);
			/* Whole words ending a compound become spelling candidates too. */
			if (head)
				c->spell->emplace_back(part, 1);
		} catch (...) {
			c->failed = true;
		}
	};
	tr__word_fn collect = [](const char *s, size_t n, void *ctx) {
		german_ctx *c = static_cast<german_ctx *>(ctx);
		try {
			c->found.push_back(Xapian::Unicode::tolower(std::string(s, n)));
		} catch (...) {
			c->failed = true;
		}
	};
	/* The other inflected forms of a word: their stems, so every form finds every other. */
	tr__word_fn add_form = [](const char *s, size_t n, void *ctx) {
		german_ctx *c = static_cast<german_ctx *>(ctx);
		try {
			std::string stem = c->stem(std::string(s, n));
			if (stem != c->own)
				c->xd->add_term("Z" + stem, c->wdf);
		} catch (...) {
			c->failed = true;
		}
	};
	std::vector<std::pair<std::string, Xapian::termcount>> words;
	for (Xapian::TermIterator t = xd.termlist_begin(); t != xd.termlist_end(); ++t) {
		std::string w = *t;
		/* Prefixed terms start with a capital; words are lower case. */
		if (!w.empty() && !(w[0] >= 'A' && w[0] <= 'Z')) {
			words.emplace_back(w, t.get_wdf());
			/* What TermGenerator's FLAG_SPELLING would add, word by word. */
			spell.emplace_back(w, t.get_wdf());
		}
	}
	const char *texts[] = { doc->title, doc->headings, doc->description, doc->body };
	for (const char *text : texts)
		if (text)
			tr__german_scan_hyphenated(text, collect, &g);
	for (const std::string &w : g.found) {
		xd.add_term("Z" + g.stem(w));
		words.emplace_back(w, 1);
	}
	g.found.clear();
	for (const char *text : texts)
		if (text)
			tr__german_scan_gender(text, collect, &g);
	for (const std::string &w : g.found)
		xd.add_term(TR_PREFIX_GENDER + g.stem(w));
	for (const auto &w : words) {
		size_t base = tr__german_gender_base(w.first.data(), w.first.size());
		if (base)
			xd.add_term(TR_PREFIX_GENDER + g.stem(w.first.substr(0, base)), w.second);
		g.wdf = w.second;
		tr__german_compound_terms(w.first.data(), w.first.size(), add_part, &g);
		g.own = g.stem(w.first);
		tr__german_word_forms(w.first.data(), w.first.size(), add_form, &g);
	}
	if (g.failed)
		throw std::bad_alloc();
}

/* The same-text key as the collapse value and as a term that finds the copies. */
static void
add_same_text_key(const tr_doc *doc, Xapian::Document &xd)
{
	char key[TR_SAME_TEXT_KEY_LEN + 1];

	if (!tr_same_text_key(doc, key))
		return;
	xd.add_value(TR_SLOT_SAME_TEXT, key);
	xd.add_boolean_term(std::string(TR_PREFIX_SAME_TEXT) + key);
}

/*
 * The shingle sketch as a value (to compare two texts) and each hash as a
 * term (to find the texts that share one): docs/terms.md, "Versions".
 */
static void
add_sketch(const tr_doc *doc, Xapian::Document &xd)
{
	tr_sketch s;
	unsigned char bytes[8 * TR_SKETCH_SIZE];

	if (!tr_sketch_doc(doc, &s))
		return;
	tr_sketch_encode(&s, bytes);
	xd.add_value(TR_SLOT_SKETCH, std::string(reinterpret_cast<char *>(bytes), 8 * s.n));
	for (size_t i = 0; i < s.n && i < TR_SKETCH_TERMS; i++)
		xd.add_boolean_term(sketch_term(s.h[i]));
}

/* The filter terms and the values: districts, type, topics, dates, sizes, the text sample. */
static void
add_filters_and_values(const tr_doc *doc, Xapian::Document &xd)
{
	char date[9];

	for (size_t i = 0; i < doc->n_districts; i++)
		add_boolean(xd, TR_PREFIX_DISTRICT, doc->districts[i]);
	if (doc->n_districts)
		add_boolean(xd, TR_PREFIX_MAIN, doc->districts[0]);
	add_boolean(xd, TR_PREFIX_TYPE, tr_doctype_key(doc->type));
	for (size_t i = 0; i < doc->n_topics; i++)
		add_boolean(xd, TR_PREFIX_TOPIC, doc->topics[i]);
	if (doc->mime)
		add_boolean(xd, TR_PREFIX_MIME, doc->mime);
	if (doc->format)
		add_boolean(xd, TR_PREFIX_FORMAT, doc->format);
	if (doc->internal)
		xd.add_boolean_term(TR_TERM_INTERNAL);

	tr_date_format_sortable(&doc->date, date);
	if (tr_date_is_valid(&doc->date)) {
		std::string d(date);
		add_boolean(xd, TR_PREFIX_YEAR, d.substr(0, 4));
		if (doc->date.month)
			add_boolean(xd, TR_PREFIX_MONTH, d.substr(0, 6));
		if (doc->date.day)
			add_boolean(xd, TR_PREFIX_DATE, d);
		xd.add_value(TR_SLOT_DATE, d);
	}
	if (doc->n_districts)
		xd.add_value(TR_SLOT_DISTRICTS, join(doc->districts, doc->n_districts));
	xd.add_value(TR_SLOT_TYPE, tr_doctype_key(doc->type));
	if (doc->n_topics)
		xd.add_value(TR_SLOT_TOPICS, join(doc->topics, doc->n_topics));
	xd.add_value(TR_SLOT_MTIME, Xapian::sortable_serialise(static_cast<double>(doc->mtime)));
	xd.add_value(TR_SLOT_SIZE, Xapian::sortable_serialise(static_cast<double>(doc->size)));
	if (doc->body) {
		size_t n = strlen(doc->body);
		if (n > TR_TEXT_SAMPLE_MAX) {
			n = TR_TEXT_SAMPLE_MAX;
			while (n && (static_cast<unsigned char>(doc->body[n]) & 0xC0) == 0x80)
				n--;
		}
		xd.add_value(TR_SLOT_TEXT, std::string(doc->body, n));
	}
	add_same_text_key(doc, xd);
	add_sketch(doc, xd);

	if (doc->path)
		xd.add_value(TR_SLOT_PATH, doc->path);
	if (doc->stamp)
		xd.add_value(TR_SLOT_STAMP, doc->stamp);
}

/*
 * Builds the Xapian document for @doc: terms, values, the stored record.
 * Throws on failure (the callers catch).  Needs no database.
 */
static std::string
build_document(const tr_doc *doc, Xapian::Document &xd, spellings &spell)
{
	char *data = nullptr;

	{
		Xapian::TermGenerator tg;
		tg.set_stemmer(german_stemmer());
		/* German compounds outgrow Xapian's default of 64 bytes; none is dropped below TR_WORD_MAX. */
		tg.set_max_word_length(TR_WORD_MAX);
		tg.set_document(xd);

		/*
		 * Positions go to the stems only.  The query side stems every
		 * word, phrases included (STEM_ALL_Z), so phrases match the Z
		 * terms; the words as written (the exact reading, wildcards,
		 * spelling) need only their counts.  Positions for both forms
		 * would double what a re-indexed document costs the writer:
		 * Xapian compares each positional term's list with the stored
		 * one.  Pass 1 gives the stems with positions, pass 2 the words.
		 */
		for (int pass = 1; pass <= 2; pass++) {
			auto index = [&](const char *text, Xapian::termcount wdf, const std::string &prefix) {
				if (pass == 1) {
					tg.increase_termpos();
					tg.index_text(text, wdf, prefix);
				} else {
					tg.index_text_without_positions(text, wdf, prefix);
				}
			};
			tg.set_stemming_strategy(pass == 1 ? Xapian::TermGenerator::STEM_ALL_Z
			                                   : Xapian::TermGenerator::STEM_NONE);
			/* Title words count three times over body words; headings twice. */
			if (doc->title && *doc->title) {
				index(doc->title, 1, TR_PREFIX_TITLE);
				index(doc->title, 3, "");
			}
			if (doc->author && *doc->author) {
				index(doc->author, 1, TR_PREFIX_AUTHOR);
				index(doc->author, 1, "");
			}
			if (doc->headings && *doc->headings)
				index(doc->headings, 2, "");
			if (doc->description && *doc->description)
				index(doc->description, 1, "");
			if (doc->body)
				index(doc->body, 1, "");
			for (size_t i = 0; i < doc->n_tags; i++)
				index(doc->tags[i], 1, "");
		}
		for (size_t i = 0; i < doc->n_tags; i++)
			add_boolean(xd, TR_PREFIX_TAG, doc->tags[i]);

		add_german_terms(doc, xd, spell);

		add_filters_and_values(doc, xd);

		data = tr__docdata_encode(doc);
		if (!data)
			throw std::bad_alloc();
		std::string record(data);
		free(data);
		xd.set_data(record);

		std::string idt = id_term(doc->path);
		xd.add_boolean_term(idt);
		return idt;
	}
}

static void
add_spellings(Xapian::WritableDatabase *wdb, const spellings &spell)
{
	for (const auto &w : spell)
		wdb->add_spelling(w.first, w.second);
}

extern "C" tr_status
tr_db_replace(tr_db *db, const tr_doc *doc)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		Xapian::Document xd;
		spellings spell;
		std::string idt = build_document(doc, xd, spell);

		add_spellings(db->wdb, spell);
		db->wdb->replace_document(idt, xd);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

struct tr_built {
	std::string idterm;
	Xapian::Document xd;
	spellings spell;
	unsigned docid = 0;     /* the id to store it under (tr_built_keep_docid), 0: its path's */
};

extern "C" tr_status
tr_built_new(tr_built **out, const char *data, size_t len, char **errmsg)
{
	tr_doc *doc = nullptr;
	tr_built *b = nullptr;
	std::string msg;
	tr_status st;

	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	if ((st = tr_doc_decode(data, len, &doc)) != TR_OK) {
		if (errmsg)
			*errmsg = strdup("interner Fehler: Dokument des Leseprozesses beschädigt");
		return st;
	}
	try {
		b = new tr_built;
		b->idterm = build_document(doc, b->xd, b->spell);
		tr_doc_free(doc);
		*out = b;
		return TR_OK;
	} catch (...) {
		delete b;
		tr_doc_free(doc);
		st = status_from_exception(&msg);
		if (errmsg)
			*errmsg = strdup(msg.c_str());
		return st;
	}
}

extern "C" tr_status
tr_built_take_spellings(tr_built *b, char **words, size_t *len)
{
	std::string ignored;

	*words = nullptr;
	*len = 0;
	try {
		std::string w;
		for (const auto &e : b->spell)
			w += e.first + '\t' + std::to_string(e.second) + '\n';
		if (!(*words = static_cast<char *>(malloc(w.size() + 1))))
			return TR_ENOMEM;
		memcpy(*words, w.c_str(), w.size() + 1);
		*len = w.size();
		spellings().swap(b->spell);
		return TR_OK;
	} catch (...) {
		return status_from_exception(&ignored);
	}
}

extern "C" void
tr_built_free(tr_built *b)
{
	delete b;
}

extern "C" void
tr_built_keep_docid(tr_built *b, unsigned docid)
{
	b->docid = docid;
}

extern "C" tr_status
tr_db_store_built(tr_db *db, const tr_built *b)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		if (b->docid)
			db->wdb->replace_document(b->docid, b->xd);
		else
			db->wdb->replace_document(b->idterm, b->xd);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_reserve_docids(tr_db *db, unsigned last)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		/* Xapian never hands out an id up to its last one, deleted or not: use @last once. */
		if (last && db->wdb->get_lastdocid() < last) {
			db->wdb->replace_document(last, Xapian::Document());
			db->wdb->delete_document(last);
		}
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_add_spellings(tr_db *db, const char *words, size_t len)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		const char *p = words, *end = words + len;

		while (p < end) {
			const char *nl = static_cast<const char *>(memchr(p, '\n', static_cast<size_t>(end - p)));
			const char *tab = static_cast<const char *>(memchr(p, '\t', static_cast<size_t>(end - p)));
			if (!nl || !tab || tab > nl)
				break;
			db->wdb->add_spelling(std::string(p, tab), static_cast<Xapian::termcount>(strtoul(tab + 1, nullptr, 10)));
			p = nl + 1;
		}
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_delete(tr_db *db, const char *path)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		db->wdb->delete_document(id_term(path));
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}


extern "C" tr_status
tr_stem_german(char **out, const char *word)
{
	std::string ignored;

	*out = nullptr;
	try {
		*out = dup_string(german_stemmer()(word));
		return TR_OK;
	} catch (...) {
		return status_from_exception(&ignored);
	}
}

/* ---- What the incremental indexer needs -------------------------------- */

extern "C" tr_status
tr_db_each_stamp(tr_db *db, tr_db_stamp_fn fn, void *ctx)
{
	try {
		/* Value streams read one slot for all documents without loading them. */
		Xapian::ValueIterator p = db->rdb->valuestream_begin(TR_SLOT_PATH);
		Xapian::ValueIterator end = db->rdb->valuestream_end(TR_SLOT_PATH);
		Xapian::ValueIterator s = db->rdb->valuestream_begin(TR_SLOT_STAMP);
		Xapian::ValueIterator send = db->rdb->valuestream_end(TR_SLOT_STAMP);

		for (; p != end; ++p) {
			std::string path = *p, stamp;
			if (s != send && s.get_docid() < p.get_docid())
				s.skip_to(p.get_docid());
			if (s != send && s.get_docid() == p.get_docid())
				stamp = *s;
			if (fn(p.get_docid(), path.c_str(), stamp.c_str(), ctx) != 0)
				break;
		}
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_set_stamp(tr_db *db, unsigned docid, const char *stamp)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		Xapian::Document d = db->wdb->get_document(docid);
		d.add_value(TR_SLOT_STAMP, stamp);
		db->wdb->replace_document(docid, d);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_delete_docid(tr_db *db, unsigned docid)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		db->wdb->delete_document(docid);
		return TR_OK;
	} catch (const Xapian::DocNotFoundError &) {
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}
