/*
 * Building Xapian documents (terms, values, the stored record) and storing
 * them: what the indexer and its worker processes need.
 */
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include "buf.h"   /* a C header without its own extern "C" */
}
#include "db_private.hh"
#include "docdata.h"
#include "document_wire.h"
#include "german.h"
#include "sametext.h"
#include "shingle.h"
#include "term_words.hh"
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

/*
 * A document's terms, values and record as a worker builds them, before
 * the writer's process makes the Xapian::Document of them: the same
 * calls, into a hash table.  A Xapian::Document keeps its terms in a
 * sorted map and looks each one up for every term and every position
 * added; building one only to read it out again for the wire cost the
 * worker a fifth of its term generation (docs/performance.md).
 */
struct built_term {
	Xapian::termcount wdf = 0;
	std::vector<Xapian::termpos> pos;   /* ascending: the words are added in text order */
};

class built_doc {
public:
	std::unordered_map<std::string, built_term> terms;
	std::map<Xapian::valueno, std::string> values;
	std::string data;

	built_term &add_term(const std::string &term, Xapian::termcount wdf = 1)
	{
		built_term &t = terms[term];
		t.wdf += wdf;
		return t;
	}
	void add_boolean_term(const std::string &term) { add_term(term, 0); }
	/* Xapian::Document::add_value(): an empty value is none. */
	void add_value(Xapian::valueno slot, const std::string &v)
	{
		if (v.empty())
			values.erase(slot);
		else
			values[slot] = v;
	}
	std::string get_value(Xapian::valueno slot) const
	{
		auto it = values.find(slot);
		return it == values.end() ? std::string() : it->second;
	}
	void set_data(const std::string &d) { data = d; }
};

/* Adds a boolean term, cutting it to Xapian's length limit at a UTF-8 boundary. */
static void
add_boolean(built_doc &xd, const std::string &prefix, const std::string &value)
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
 * What a word adds to a document besides itself (docs/german.md): the
 * parts of compounds (XC), the stems of a noun's other inflected forms (Z,
 * by way of its last part) and the male base of female and
 * gender-inclusive forms (XG), all weighted by the word's count and
 * without positions, so phrases are unaffected; and the whole words ending
 * a compound, which become spelling words.  They are the same in every
 * document, so each word's are found once and remembered, like its stem.
 */
struct german_word {
	std::string stem;
	std::string weighted;   /* the terms, each ended by a NUL */
	std::string heads;      /* the spelling words, each ended by a NUL */
};

struct german_ctx {
	german_word *w;
	Xapian::Stem stem;
	bool failed;
};

/* The callbacks run inside C code: nothing may be thrown through it. */
static void
note_part(const char *s, size_t n, bool head, void *ctx)
{
	german_ctx *c = static_cast<german_ctx *>(ctx);
	try {
		std::string part(s, n);
		c->w->weighted += TR_PREFIX_COMPOUND + c->stem(part);
		c->w->weighted += '\0';
		if (head) {
			c->w->heads += part;
			c->w->heads += '\0';
		}
	} catch (...) {
		c->failed = true;
	}
}

/* The other inflected forms of a word: their stems, so every form finds every other. */
static void
note_form(const char *s, size_t n, void *ctx)
{
	german_ctx *c = static_cast<german_ctx *>(ctx);
	try {
		std::string stem = c->stem(std::string(s, n));
		if (stem != c->w->stem) {
			c->w->weighted += "Z" + stem;
			c->w->weighted += '\0';
		}
	} catch (...) {
		c->failed = true;
	}
}

static void
find_german_word(const std::string &word, german_word &out)
{
	german_ctx c = { &out, german_stemmer(), false };
	size_t base = tr__german_gender_base(word.data(), word.size());

	out.stem = c.stem(word);
	if (base) {
		out.weighted += TR_PREFIX_GENDER + c.stem(word.substr(0, base));
		out.weighted += '\0';
	}
	tr__german_compound_terms(word.data(), word.size(), note_part, &c);
	tr__german_word_forms(word.data(), word.size(), note_form, &c);
	if (c.failed)
		throw std::bad_alloc();
}

/*
 * The remembered words, one table per thread.  It starts afresh when full,
 * only between documents (build_document()), so that the entries a
 * document points to stay valid while it is built.
 */
typedef std::unordered_map<std::string, german_word> german_words;

/*
 * Words the table holds before it starts afresh: a few MB, so the
 * indexer's peak memory stays flat however large the archive (a 2,000
 * document archive has about 8,000 distinct words; frequent words are back
 * in the table soon after it is emptied).
 */
#define GERMAN_MEMO_MAX 20000

static german_words &
german_memo()
{
	static thread_local german_words memo;
	return memo;
}

static const german_word &
german_lookup(const std::string &word)
{
	german_words &memo = german_memo();
	auto it = memo.find(word);
	if (it != memo.end())
		return it->second;
	german_word w;
	find_german_word(word, w);
	return memo.emplace(word, std::move(w)).first->second;
}

/* Adds what @w stands for with weight @wdf (spelling words count once each). */
static void
add_german_word(const german_word &w, Xapian::termcount wdf, built_doc &xd, spellings &spell)
{
	for (size_t at = 0; at < w.weighted.size(); at = w.weighted.find('\0', at) + 1)
		xd.add_term(w.weighted.c_str() + at, wdf);
	for (size_t at = 0; at < w.heads.size(); at = w.heads.find('\0', at) + 1)
		spell.emplace_back(w.heads.c_str() + at, 1);
}

/*
 * The words of one document, each once, in text order as Xapian's
 * TermGenerator would index them (term_words.hh): the stems with their
 * positions, the words as written (their counts, per field prefix), the
 * German terms and the spelling words are made from this list; stems and
 * German terms are looked up once per distinct word, not once per
 * occurrence.  Words are numbered as TermGenerator numbers them: one
 * position per word with a stem, FIELD_GAP between two texts.
 */
enum { FIELD_TEXT, FIELD_TITLE, FIELD_AUTHOR, N_FIELDS };
static const char *const field_prefix[N_FIELDS] = { "", TR_PREFIX_TITLE, TR_PREFIX_AUTHOR };

struct doc_word {
	const german_word *german = nullptr;   /* owned by german_memo() */
	Xapian::termcount wdf[N_FIELDS] = {};
	built_term *stem[N_FIELDS] = {};       /* its stem's positional term, per field, once it has one */
};
typedef std::unordered_map<std::string, doc_word> doc_words;

/*
 * The stems with their positions go straight into the document (what
 * TermGenerator adds with STEM_ALL_Z: "Z", the field's prefix, the stem):
 * positions only grow, so a stem that several words share gets its
 * positions in order.  The words as written wait for add_words().
 */
struct word_list {
	built_doc &xd;
	doc_words words;
	int field = FIELD_TEXT;
	Xapian::termcount wdf = 1;
	Xapian::termpos pos = 0;

	explicit word_list(built_doc &d) : xd(d) {}
	void add(const std::string &word)
	{
		doc_word &w = words[word];
		if (!w.german)
			w.german = &german_lookup(word);
		w.wdf[field] += wdf;
		/* TermGenerator gives a position only to a word with a stem. */
		if (w.german->stem.empty())
			return;
		built_term *&t = w.stem[field];
		if (!t)
			t = &xd.terms[std::string("Z") + field_prefix[field] + w.german->stem];
		t->wdf += wdf;
		t->pos.push_back(++pos);
	}
};

/*
 * Where term_words cannot split as Xapian does (CJK n-grams), TermGenerator
 * itself splits, and this stemmer hands each word to the list: it returns
 * no stem, so TermGenerator adds nothing itself.
 */
class WordTap : public Xapian::StemImplementation {
	word_list &list;

public:
	explicit WordTap(word_list &l) : list(l) {}
	std::string operator()(const std::string &word) override
	{
		list.add(word);
		return std::string();
	}
	std::string get_description() const override { return "Xapian::Stem(german, word tap)"; }
};

/* Adds the words of @text (whose runs of word characters @runs has found, or NULL) to @list. */
static void
add_text_words(word_list &list, const char *text, const tr_text_words *runs)
{
	if (!term_words::exact()) {
		Xapian::TermGenerator tg;

		tg.set_stemmer(Xapian::Stem(new WordTap(list)));
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
		tg.set_max_word_length(TR_WORD_MAX);
		tg.index_text(text);
		return;
	}
	term_words split(text, strlen(text), runs, TR_WORD_MAX);
	std::string word;

	while (split.next(word))
		list.add(word);
}

/*
 * German: the terms of every word of the document, and the words that
 * hyphenated compounds stand for ("Kita-Plätze" → Z stem of "kitaplätze")
 * and the bases of gender-inclusive spellings ("Lehrer*innen" → XG stem of
 * "lehrer"), which the tokenisation splits apart and so are found in the
 * texts themselves.
 */
static void
add_german_terms(const tr_doc *doc, const doc_words &seen, built_doc &xd, spellings &spell)
{
	struct found_ctx {
		std::vector<std::string> found;
		bool failed;
	} g = { {}, false };
	tr__word_fn collect = [](const char *s, size_t n, void *ctx) {
		found_ctx *c = static_cast<found_ctx *>(ctx);
		try {
			c->found.push_back(Xapian::Unicode::tolower(std::string(s, n)));
		} catch (...) {
			c->failed = true;
		}
	};
	const Xapian::Stem &stem = german_stemmer();
	const char *texts[] = { doc->title, doc->headings, doc->description, doc->body };

	for (const auto &e : seen) {
		Xapian::termcount wdf = e.second.wdf[FIELD_TEXT];
		if (!wdf)
			continue;
		/* What TermGenerator's FLAG_SPELLING would add, word by word. */
		spell.emplace_back(e.first, wdf);
		add_german_word(*e.second.german, wdf, xd, spell);
	}
	for (const char *text : texts)
		if (text)
			tr__german_scan_hyphenated(text, collect, &g);
	for (const std::string &w : g.found) {
		const german_word &gw = german_lookup(w);
		xd.add_term("Z" + gw.stem);
		add_german_word(gw, 1, xd, spell);
	}
	g.found.clear();
	for (const char *text : texts)
		if (text)
			tr__german_scan_gender(text, collect, &g);
	for (const std::string &w : g.found)
		xd.add_term(TR_PREFIX_GENDER + stem(w));
	if (g.failed)
		throw std::bad_alloc();
}

/* The same-text key as the collapse value and as a term that finds the copies. */
static void
add_same_text_key(const tr_doc *doc, built_doc &xd)
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
add_sketch(const tr_doc *doc, built_doc &xd)
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

/*
 * The count pass's sample terms, XS1 .. XS<level> (docs/terms.md,
 * "Count sample"): read after the same-text key and the path are set.
 */
static void
add_sample_terms(built_doc &xd)
{
	for (unsigned k = 1, level = sample_level(xd.get_value(TR_SLOT_SAME_TEXT), xd.get_value(TR_SLOT_PATH));
	     k <= level; k++)
		xd.add_boolean_term(sample_term(k));
}

/* The filter terms and the values: districts, type, topics, dates, sizes, the text sample. */
static void
add_filters_and_values(const tr_doc *doc, built_doc &xd)
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
	add_sample_terms(xd);
	if (doc->stamp)
		xd.add_value(TR_SLOT_STAMP, doc->stamp);
	xd.add_value(TR_SLOT_ADDED, added_value(added_now()));
}

/* The words as written, without positions: each distinct word once with its count, per field. */
static void
add_words(const doc_words &words, built_doc &xd)
{
	for (const auto &e : words)
		for (int f = 0; f < N_FIELDS; f++)
			if (e.second.wdf[f])
				xd.add_term(field_prefix[f] + e.first, e.second.wdf[f]);
}

/* The gap TermGenerator::increase_termpos() leaves between two texts, so that no phrase spans them. */
static const Xapian::termpos FIELD_GAP = 100;

/*
 * Builds @doc's terms, values and stored record into @xd, and returns its
 * id term.  Throws on failure (the callers catch).  Needs no database.
 *
 * Positions go to the stems only.  The query side stems every word,
 * phrases included (STEM_ALL_Z), so phrases match the Z terms; the words
 * as written (the exact reading, wildcards, spelling) need only their
 * counts.  Positions for both forms would double what a re-indexed
 * document costs the writer: Xapian compares each positional term's list
 * with the stored one.  The body's words are read from the word stream
 * the metadata finders read (doc->words).
 */
static std::string
build_document(const tr_doc *doc, built_doc &xd, spellings &spell)
{
	if (german_memo().size() >= GERMAN_MEMO_MAX)
		german_words().swap(german_memo());
	word_list list(xd);

	auto index = [&](const char *text, Xapian::termcount wdf, int field, const tr_text_words *runs = nullptr) {
		list.field = field;
		list.wdf = wdf;
		list.pos += FIELD_GAP;
		add_text_words(list, text, runs);
	};
	/* Title words count three times over body words; headings twice. */
	if (doc->title && *doc->title) {
		index(doc->title, 1, FIELD_TITLE);
		index(doc->title, 3, FIELD_TEXT);
	}
	if (doc->author && *doc->author) {
		index(doc->author, 1, FIELD_AUTHOR);
		index(doc->author, 1, FIELD_TEXT);
	}
	if (doc->headings && *doc->headings)
		index(doc->headings, 2, FIELD_TEXT);
	if (doc->description && *doc->description)
		index(doc->description, 1, FIELD_TEXT);
	if (doc->body)
		index(doc->body, 1, FIELD_TEXT, doc->words);
	for (size_t i = 0; i < doc->n_tags; i++)
		index(doc->tags[i], 1, FIELD_TEXT);
	add_words(list.words, xd);
	for (size_t i = 0; i < doc->n_tags; i++)
		add_boolean(xd, TR_PREFIX_TAG, doc->tags[i]);

	add_german_terms(doc, list.words, xd, spell);

	add_filters_and_values(doc, xd);

	size_t len;
	char *data = tr__docdata_encode(doc, &len);
	if (!data)
		throw std::bad_alloc();
	std::string record(data, len);
	free(data);
	xd.set_data(record);

	std::string idt = id_term(doc->path);
	xd.add_boolean_term(idt);
	return idt;
}

static void
add_spellings(Xapian::WritableDatabase *wdb, const spellings &spell)
{
	for (const auto &w : spell)
		wdb->add_spelling(w.first, w.second);
}

struct tr_built {
	std::string idterm;
	Xapian::Document xd;
	spellings spell;
	unsigned docid = 0;     /* the id to store it under (tr_built_keep_docid), 0: its path's */
};

/*
 * The built form (lib/document_wire.h): "TRB3", the id term, the terms
 * (each: the term, its wdf, its positions), the values (slot and bytes),
 * the record, then the spelling words (word and count).  Numbers are
 * LEB128 varints (7 bits a byte, low first), a string is its length and
 * its bytes, and a term's positions are the gaps from the one before:
 * most numbers take one byte where they took four.  Xapian's own
 * Document::serialise() was not used: reading it back calls add_term() on
 * every term and then add_posting() on each position, where a term with
 * positions needs only add_posting(); that cost the parent's main thread
 * 13% more instructions.
 */
#define BUILT_MAGIC "TRB3"

class wire_writer {
	std::string s;
	size_t n = 0;

	char *room(size_t k)
	{
		if (s.size() - n < k)
			s.resize(std::max(2 * s.size(), n + k));
		return &s[n];
	}

public:
	wire_writer() { s.resize(4096); }
	void num(uint64_t v)
	{
		if (v > UINT32_MAX)
			throw std::length_error("document too large for the wire");
		char *p = room(5), *start = p;
		for (; v >= 0x80; v >>= 7)
			*p++ = static_cast<char>(v | 0x80);
		*p++ = static_cast<char>(v);
		n += static_cast<size_t>(p - start);
	}
	void bytes(const char *b, size_t len)
	{
		num(len);
		memcpy(room(len), b, len);
		n += len;
	}
	void bytes(const std::string &b) { bytes(b.data(), b.size()); }
	const char *data() const { return s.data(); }
	size_t size() const { return n; }
};

static void
put_document(wire_writer &w, const built_doc &xd)
{
	w.num(xd.terms.size());
	for (const auto &t : xd.terms) {
		Xapian::termpos last = 0;

		w.bytes(t.first);
		w.num(t.second.wdf);
		w.num(t.second.pos.size());
		for (Xapian::termpos p : t.second.pos) {
			w.num(p - last);
			last = p;
		}
	}
	w.num(xd.values.size());
	for (const auto &v : xd.values) {
		w.num(v.first);
		w.bytes(v.second);
	}
	w.bytes(xd.data);
}

/* @doc's built form into @w; throws on failure. */
static void
write_wire(const tr_doc *doc, wire_writer &w)
{
	built_doc xd;
	spellings spell;
	std::string idt = build_document(doc, xd, spell);

	w.bytes(BUILT_MAGIC, 4);
	w.bytes(idt);
	put_document(w, xd);
	w.num(spell.size());
	for (const auto &s : spell) {
		w.bytes(s.first);
		w.num(s.second);
	}
}

extern "C" tr_status
tr_doc_build_wire(const tr_doc *doc, tr_buf *out, char **errmsg)
{
	std::string msg;

	if (errmsg)
		*errmsg = nullptr;
	try {
		wire_writer w;

		write_wire(doc, w);
		return tr_buf_add(out, w.data(), w.size());
	} catch (...) {
		tr_status st = status_from_exception(&msg);
		if (errmsg)
			*errmsg = strdup(msg.c_str());
		return st;
	}
}

/* Reads the built form; false where it is cut or malformed. */
struct wire_reader {
	const char *p, *end;

	bool num(uint64_t &v)
	{
		v = 0;
		for (int shift = 0; p < end && shift < 64; shift += 7) {
			unsigned char c = static_cast<unsigned char>(*p++);
			v |= static_cast<uint64_t>(c & 0x7F) << shift;
			if (!(c & 0x80))
				return true;
		}
		return false;
	}
	bool u32(uint32_t &v)
	{
		uint64_t n;
		if (!num(n) || n > UINT32_MAX)
			return false;
		v = static_cast<uint32_t>(n);
		return true;
	}
	/* A count of items that take at least @size bytes each: never more than the bytes left. */
	bool count(uint32_t &n, size_t size)
	{
		return u32(n) && n <= static_cast<size_t>(end - p) / size;
	}
	bool bytes(std::string &s)
	{
		uint32_t n;
		if (!u32(n) || static_cast<size_t>(end - p) < n)
			return false;
		s.assign(p, n);
		p += n;
		return true;
	}
};

/*
 * The terms, values and record into @xd, with the calls TermGenerator
 * makes: a term with positions by add_posting() alone (the first carries
 * the whole wdf), others by add_term().
 */
static bool
read_document(wire_reader &r, Xapian::Document &xd)
{
	uint32_t n_terms, n_values, wdf, n_pos, gap, slot;
	std::string term, bytes;

	if (!r.count(n_terms, 3))
		return false;
	for (uint32_t i = 0; i < n_terms; i++) {
		Xapian::termpos pos = 0;

		if (!r.bytes(term) || !r.u32(wdf) || !r.count(n_pos, 1))
			return false;
		if (!n_pos)
			xd.add_term(term, wdf);
		for (uint32_t k = 0; k < n_pos; k++) {
			/* Positions ascend: a gap of 0 or past the largest position is damage. */
			if (!r.u32(gap) || gap == 0 || gap > UINT32_MAX - pos)
				return false;
			pos += gap;
			xd.add_posting(term, pos, k ? 0 : wdf);
		}
	}
	if (!r.count(n_values, 2))
		return false;
	for (uint32_t i = 0; i < n_values; i++) {
		if (!r.u32(slot) || !r.bytes(bytes))
			return false;
		xd.add_value(slot, bytes);
	}
	if (!r.bytes(bytes))
		return false;
	xd.set_data(bytes);
	return true;
}

static bool
read_built(const char *data, size_t len, tr_built &b)
{
	wire_reader r = { data, data + len };
	std::string magic;
	uint32_t n;

	if (!r.bytes(magic) || magic != BUILT_MAGIC)
		return false;
	if (!r.bytes(b.idterm) || b.idterm.empty() || !read_document(r, b.xd) || !r.count(n, 2))
		return false;
	b.spell.reserve(n);
	for (uint32_t i = 0; i < n; i++) {
		std::string word;
		uint32_t count;
		if (!r.bytes(word) || !r.u32(count))
			return false;
		b.spell.emplace_back(std::move(word), count);
	}
	return r.p == r.end;
}

/*
 * The same way as a worker's document: built, then read from its built
 * form, so that a document stored in place has exactly the terms of one
 * the indexer stores.
 */
extern "C" tr_status
tr_db_replace(tr_db *db, const tr_doc *doc)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		wire_writer w;
		tr_built b;

		write_wire(doc, w);
		if (!read_built(w.data(), w.size(), b))
			throw std::logic_error("built form unreadable");
		add_spellings(db->wdb, b.spell);
		keep_added_on_record(*db->wdb, b.idterm, b.xd);
		set_counted_value(db, b.xd);
		db->wdb->replace_document(b.idterm, b.xd);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_built_new(tr_built **out, const char *data, size_t len, char **errmsg)
{
	tr_built *b = nullptr;
	std::string msg;
	tr_status st = TR_EFORMAT;

	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	try {
		b = new tr_built;
		if (read_built(data, len, *b)) {
			*out = b;
			return TR_OK;
		}
	} catch (const std::bad_alloc &) {
		st = TR_ENOMEM;
	} catch (...) {
		/* Xapian refusing the serialised document: damaged like a cut frame. */
	}
	delete b;
	if (errmsg)
		*errmsg = strdup(st == TR_ENOMEM ? tr_strerror(st) : "interner Fehler: Dokument des Leseprozesses beschädigt");
	return st;
}

struct tr_spellings {
	spellings words;
	/* What tr_spellings_merge() gathered: each word once with its summed count. */
	std::unordered_map<std::string, Xapian::termcount> merged;
};

extern "C" tr_status
tr_spellings_merge(tr_spellings *into, tr_spellings *words)
{
	std::string ignored;

	try {
		for (auto *s : { into, words }) {
			for (auto &w : s->words)
				into->merged[std::move(w.first)] += w.second;
			s->words.clear();
		}
		return TR_OK;
	} catch (...) {
		return status_from_exception(&ignored);
	}
}

extern "C" tr_status
tr_built_take_spellings(tr_built *b, tr_spellings **out)
{
	std::string ignored;

	*out = nullptr;
	try {
		tr_spellings *s = new tr_spellings;
		s->words.swap(b->spell);
		*out = s;
		return TR_OK;
	} catch (...) {
		return status_from_exception(&ignored);
	}
}

extern "C" void
tr_spellings_free(tr_spellings *words)
{
	delete words;
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

extern "C" void
tr_built_keep_added(tr_built *b, double added)
{
	if (added > 0)
		set_added(b->xd, added);
}

extern "C" tr_status
tr_db_store_built(tr_db *db, const tr_built *b)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		/* The codes of the counted value are this database's: set here, not by the worker that built it. */
		Xapian::Document xd = b->xd;
		set_counted_value(db, xd);
		if (b->docid)
			db->wdb->replace_document(b->docid, xd);
		else
			db->wdb->replace_document(b->idterm, xd);
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
tr_db_add_spellings(tr_db *db, const tr_spellings *words)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		add_spellings(db->wdb, words->words);
		for (const auto &w : words->merged)
			db->wdb->add_spelling(w.first, w.second);
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
