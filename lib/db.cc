/*
 * The Xapian shim: the only C++ in Tellerrand.  Every extern "C" function
 * catches every exception and turns it into a tr_status with the detail
 * text kept on the handle, so no exception ever crosses into C.
 */
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <new>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include "tellerrand/db.h"
#include "docdata.h"
#include "document_wire.h"
#include "german.h"
#include "terms.h"

/* One database of a shard set, as its stub line names it. */
struct tr_db_part {
	std::string name;
	Xapian::Database db;
};

struct tr_db {
	Xapian::Database *rdb = nullptr;           // what searches use; == wdb when writable
	Xapian::WritableDatabase *wdb = nullptr;
	std::vector<tr_db_part> parts;             // a shard set's databases, in stub order; empty for one index
	std::string path;
	std::string errmsg;
};

/* The stub file that makes a directory a shard set; Xapian itself opens such a directory the same way. */
#define STUB_NAME "XAPIANDB"

/*
 * Called from inside a catch block: rethrows and catches the most specific
 * class first, records the detail in @msg and maps the class to a status.
 * Assigning the message may itself throw bad_alloc; that is caught too.
 */
static tr_status
status_from_exception(std::string *msg)
{
	tr_status st = TR_EINTERNAL;
	try {
		try {
			throw;
		} catch (const Xapian::DatabaseLockError &e) {
			st = TR_ELOCKED;
			*msg = e.get_description();
		} catch (const Xapian::DatabaseModifiedError &e) {
			st = TR_EMODIFIED;
			*msg = e.get_description();
		} catch (const Xapian::QueryParserError &e) {
			st = TR_EBADQUERY;
			*msg = e.get_msg();
		} catch (const Xapian::DatabaseNotFoundError &e) {
			st = TR_ENOTFOUND;
			*msg = e.get_msg();
		} catch (const Xapian::DatabaseOpeningError &e) {
			st = TR_ENOTFOUND;
			*msg = e.get_msg();
		} catch (const Xapian::NetworkError &e) {
			/* Timeouts too (NetworkTimeoutError): a remote shard that is down or slow. */
			st = TR_EREMOTE;
			*msg = e.get_msg();
			if (!e.get_context().empty())
				*msg += " (" + e.get_context() + ")";
			if (e.get_error_string())
				*msg += std::string(": ") + e.get_error_string();
		} catch (const Xapian::Error &e) {
			st = TR_EINTERNAL;
			*msg = e.get_description();
		} catch (const std::bad_alloc &) {
			st = TR_ENOMEM;
			msg->clear();
		} catch (const std::invalid_argument &e) {
			st = TR_EINVAL;
			*msg = e.what();
		} catch (const std::exception &e) {
			st = TR_EINTERNAL;
			*msg = e.what();
		} catch (...) {
			st = TR_EINTERNAL;
			*msg = "unknown exception";
		}
	} catch (...) {
		/* Out of memory while storing the message: the status still says what happened. */
	}
	return st;
}

static tr_status
db_fail(tr_db *db)
{
	return status_from_exception(&db->errmsg);
}

static char *
dup_string(const std::string &s)
{
	char *p = static_cast<char *>(malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

/* The unique id term of a path; paths longer than a term allows keep their start plus a hash of the whole. */
static std::string
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

static std::vector<std::string>
split(const std::string &s)
{
	std::vector<std::string> parts;
	size_t start = 0;

	if (s.empty())
		return parts;
	for (;;) {
		size_t end = s.find(TR_SLOT_SEP, start);
		parts.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
		if (end == std::string::npos)
			break;
		start = end + 1;
	}
	return parts;
}

static bool
file_exists(const std::string &path)
{
	return access(path.c_str(), F_OK) == 0;
}

/*
 * Opens one line of a shard set's stub.  Xapian reads the same lines when
 * it opens the directory itself (quest, xapian-delve), but then gives
 * remote shards its fixed default timeouts; reading them here applies
 * @timeout (milliseconds, 0: none) to connecting and to every answer.
 */
static Xapian::Database
open_stub_line(const std::string &dir, const std::string &type, const std::string &target, unsigned timeout)
{
	if (type == "auto" || type == "glass")
		return Xapian::Database(target[0] == '/' ? target : dir + "/" + target);
	if (type != "remote" || target.empty())
		throw std::invalid_argument("unbekannter Eintrag (erwartet: auto PFAD, remote HOST:PORT, remote :PROGRAMM ARGUMENTE)");
	try {
		if (target[0] == ':') {
			/* "remote :PROGRAM ARGS": e.g. ssh to xapian-progsrv. */
			size_t space = target.find(' ');
			std::string prog = target.substr(1, space == std::string::npos ? std::string::npos : space - 1);
			std::string args = space == std::string::npos ? std::string() : target.substr(space + 1);
			return Xapian::Remote::open(prog, args, timeout);
		}
		size_t colon = target.rfind(':');
		std::string host = target.substr(0, colon);
		if (colon == std::string::npos || colon + 1 == target.size() ||
		    target.find_first_not_of("0123456789", colon + 1) != std::string::npos)
			throw std::invalid_argument("remote erwartet HOST:PORT");
		if (host.size() > 2 && host.front() == '[' && host.back() == ']')
			host = host.substr(1, host.size() - 2);
		return Xapian::Remote::open(host, static_cast<unsigned>(std::stoul(target.substr(colon + 1))),
		                            timeout, timeout);
	} catch (const Xapian::NetworkError &e) {
		/* Xapian's message does not say which shard; the operator needs to know. */
		const char *why = e.get_error_string();
		throw Xapian::NetworkError("remote " + target + ": " + e.get_msg() + (why ? std::string(": ") + why : ""));
	}
}

/* The databases a shard set's stub lists, combined into one for searching. */
static void
open_set(tr_db *db, const std::string &dir, unsigned timeout)
{
	std::string file = dir + "/" STUB_NAME, line;
	std::ifstream in(file);
	unsigned lineno = 0;

	if (!in)
		throw Xapian::DatabaseOpeningError("Couldn't open stub database file: " + file, errno);
	db->rdb = new Xapian::Database();
	while (std::getline(in, line)) {
		lineno++;
		if (line.empty() || line[0] == '#')
			continue;
		size_t space = line.find(' ');
		std::string type = line.substr(0, space);
		std::string target = space == std::string::npos ? std::string() : line.substr(space + 1);
		try {
			db->parts.push_back({ target, open_stub_line(dir, type, target, timeout) });
		} catch (const std::invalid_argument &e) {
			throw std::invalid_argument(file + ":" + std::to_string(lineno) + ": " + e.what());
		}
		db->rdb->add_database(db->parts.back().db);
	}
}

extern "C" tr_status
tr_db_open(tr_db **out, const char *path, tr_db_mode mode, char **errmsg)
{
	tr_db_options o = TR_DB_OPTIONS_INIT;

	return tr_db_open_with(out, path, mode, &o, errmsg);
}

extern "C" tr_status
tr_db_open_with(tr_db **out, const char *path, tr_db_mode mode, const tr_db_options *o, char **errmsg)
{
	tr_db *db = nullptr;
	std::string msg;

	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	try {
		db = new tr_db;
		db->path = path;
		bool set = file_exists(db->path + "/" STUB_NAME);
		if (mode == TR_DB_WRITE && set) {
			throw std::invalid_argument(db->path + ": ein Satz von Teilindizes; geschrieben wird jeder für sich");
		} else if (mode == TR_DB_WRITE) {
			db->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
			db->rdb = db->wdb;
		} else if (set) {
			open_set(db, db->path, o->remote_timeout);
		} else {
			db->rdb = new Xapian::Database(path);
		}
		*out = db;
		return TR_OK;
	} catch (...) {
		tr_status st = status_from_exception(&msg);
		if (db) {
			delete db->rdb;
			delete db;
		}
		if (errmsg)
			*errmsg = strdup(msg.c_str());
		return st;
	}
}

extern "C" tr_status
tr_db_write_stub(const char *dir, const char *const *shards, size_t n, char **errmsg)
{
	std::string msg;

	if (errmsg)
		*errmsg = nullptr;
	try {
		std::string file = std::string(dir) + "/" STUB_NAME, tmp = file + ".neu";
		bool written;
		{
			std::ofstream out(tmp, std::ios::trunc);
			out << "# Ein Satz von Teilindizes, geschrieben von tellerrand index (docs/shards.md).\n";
			for (size_t i = 0; i < n; i++)
				out << "auto " << shards[i] << "\n";
			out.flush();
			written = static_cast<bool>(out);
		}
		/* Readers see the old stub or the new one, never half of it. */
		if (!written || rename(tmp.c_str(), file.c_str()) != 0) {
			msg = tmp + ": " + strerror(errno);
			if (errmsg)
				*errmsg = strdup(msg.c_str());
			return TR_EIO;
		}
		return TR_OK;
	} catch (...) {
		tr_status st = status_from_exception(&msg);
		if (errmsg)
			*errmsg = strdup(msg.c_str());
		return st;
	}
}

extern "C" size_t
tr_db_part_count(const tr_db *db)
{
	return db->parts.empty() ? 1 : db->parts.size();
}

extern "C" tr_status
tr_db_part_info(tr_db *db, size_t i, char **name, unsigned *doccount)
{
	*name = nullptr;
	try {
		if (db->parts.empty()) {
			*doccount = db->rdb->get_doccount();
			*name = dup_string(db->path);
		} else {
			*doccount = db->parts.at(i).db.get_doccount();
			*name = dup_string(db->parts.at(i).name);
		}
		return TR_OK;
	} catch (...) {
		free(*name);
		*name = nullptr;
		return db_fail(db);
	}
}

extern "C" void
tr_db_free(tr_db *db)
{
	if (!db)
		return;
	try {
		delete db->rdb;
	} catch (...) {
	}
	delete db;
}

extern "C" const char *
tr_db_errmsg(const tr_db *db)
{
	return db ? db->errmsg.c_str() : "";
}

extern "C" tr_status
tr_db_doccount(tr_db *db, unsigned *out)
{
	try {
		*out = db->rdb->get_doccount();
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
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

static const Xapian::Stem &
german_stemmer()
{
	static thread_local Xapian::Stem stem(new MemoStem());
	return stem;
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
		char date[9];

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

		/*
		 * German (docs/german.md): the parts of compounds (XC), the male
		 * base of female and gender-inclusive forms (XG) and the words
		 * that hyphenated compounds stand for ("Kita-Plätze" → Z stem of
		 * "kitaplätze"), all without positions, so phrases are unaffected.
		 * Words come from the terms just generated: each distinct word
		 * is split once, with its wdf as the weight of its parts.
		 */
		{
			struct german_ctx {
				Xapian::Document *xd;
				spellings *spell;
				Xapian::Stem stem;
				Xapian::termcount wdf;
				std::vector<std::string> found;
				bool failed;
			} g = { &xd, &spell, german_stemmer(), 1, {}, false };
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
			}
			if (g.failed)
				throw std::bad_alloc();
		}

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

		if (doc->path)
			xd.add_value(TR_SLOT_PATH, doc->path);
		if (doc->stamp)
			xd.add_value(TR_SLOT_STAMP, doc->stamp);

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

/* True (with the message on @db) if @db was not opened for writing. */
static bool
read_only(tr_db *db)
{
	if (db->wdb)
		return false;
	db->errmsg = "index is open read-only";
	return true;
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

extern "C" tr_status
tr_db_store_built(tr_db *db, const tr_built *b)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		db->wdb->replace_document(b->idterm, b->xd);
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
tr_db_commit(tr_db *db)
{
	if (!db->wdb)
		return TR_OK;
	try {
		db->wdb->commit();
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_reopen(tr_db *db)
{
	try {
		db->rdb->reopen();
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_set_metadata(tr_db *db, const char *key, const char *value)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		db->wdb->set_metadata(key, value);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_get_metadata(tr_db *db, const char *key, char **out)
{
	*out = nullptr;
	try {
		*out = dup_string(db->rdb->get_metadata(key));
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

extern "C" tr_status
tr_db_each_metadata(tr_db *db, const char *prefix, tr_db_metadata_fn fn, void *ctx)
{
	try {
		for (Xapian::TermIterator k = db->rdb->metadata_keys_begin(prefix);
		     k != db->rdb->metadata_keys_end(prefix); ++k) {
			std::string key = *k;
			std::string value = db->rdb->get_metadata(key);
			if (fn(key.c_str(), value.c_str(), ctx) != 0)
				break;
		}
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

/* ---- Searching ---------------------------------------------------------- */

/*
 * Facet counts come from Xapian's built-in ValueCountMatchSpy, one per
 * slot, because a remote shard (xapian-tcpsrv) can run only the spies it
 * knows.  The district and topic slots hold several keys: the spy counts
 * each distinct combination, and splitting it adds its count to every key,
 * so each document counts once per key it has.  Years are the dates' first
 * four characters.
 */
struct facet_spies {
	Xapian::ValueCountMatchSpy district{ TR_SLOT_DISTRICTS }, type{ TR_SLOT_TYPE },
	                           topic{ TR_SLOT_TOPICS }, date{ TR_SLOT_DATE };

	void add_to(Xapian::Enquire &e)
	{
		e.add_matchspy(&district);
		e.add_matchspy(&type);
		e.add_matchspy(&topic);
		e.add_matchspy(&date);
	}
};

static std::map<std::string, unsigned>
facet_counts(Xapian::ValueCountMatchSpy &spy, tr_facet_kind k)
{
	std::map<std::string, unsigned> counts;

	for (Xapian::TermIterator v = spy.values_begin(); v != spy.values_end(); ++v) {
		std::string value = *v;
		unsigned n = v.get_termfreq();
		if (k == TR_FACET_YEAR) {
			if (value.size() >= 4)
				counts[value.substr(0, 4)] += n;
		} else if (k == TR_FACET_DISTRICT || k == TR_FACET_TOPIC) {
			for (const std::string &key : split(value))
				counts[key] += n;
		} else {
			counts[value] += n;
		}
	}
	return counts;
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
 * Expands the parser's wildcards here, against all shards at once.  Left
 * to Xapian 1.4, each shard expands a wildcard to the words it has and
 * weighs them by its own statistics, and OP_SYNONYM, which joins them,
 * is estimated per shard too: a set would rank such hits unlike one index.
 * The words, the most frequent WILDCARD_MAX of them, are scored as the
 * best of them (OP_MAX), each by its statistics over the whole set.  The
 * parser offers no way to reach a wildcard's pattern but its description;
 * one it does not recognise stays as it was.
 */
static Xapian::Query
expand_wildcards(const Xapian::Database &db, const Xapian::Query &node)
{
	typedef Xapian::Query X;
	X::op op = node.get_type();

	if (op == X::OP_WILDCARD) {
		const std::string head = "Query(WILDCARD SYNONYM ";
		std::string d = node.get_description();
		if (d.compare(0, head.size(), head) != 0 || d.back() != ')' || d.find(' ', head.size()) != std::string::npos)
			return node;
		std::string pattern = d.substr(head.size(), d.size() - head.size() - 1);
		std::vector<std::pair<Xapian::doccount, std::string>> words;
		for (Xapian::TermIterator t = db.allterms_begin(pattern); t != db.allterms_end(pattern); ++t)
			words.emplace_back(t.get_termfreq(), *t);
		if (words.size() > WILDCARD_MAX) {
			std::stable_sort(words.begin(), words.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
			words.resize(WILDCARD_MAX);
		}
		std::vector<X> terms;
		for (const auto &w : words)
			terms.emplace_back(w.second);
		return X(X::OP_MAX, terms.begin(), terms.end());
	}
	/* Operators without parameters; wildcards never appear inside phrases. */
	if (op != X::OP_AND && op != X::OP_OR && op != X::OP_AND_NOT && op != X::OP_XOR &&
	    op != X::OP_AND_MAYBE && op != X::OP_FILTER && op != X::OP_SYNONYM && op != X::OP_MAX)
		return node;
	std::vector<X> kids;
	for (size_t i = 0; i < node.get_num_subqueries(); i++)
		kids.push_back(expand_wildcards(db, node.get_subquery(i)));
	return X(op, kids.begin(), kids.end());
}

static bool
has_words(const char *text)
{
	if (!text)
		return false;
	for (const char *p = text; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return true;
	return false;
}

static void
store_facets(tr_results *r, facet_spies &spies)
{
	/* In the order of tr_facet_kind. */
	Xapian::ValueCountMatchSpy *by_kind[TR_FACET_COUNT] = { &spies.district, &spies.type, &spies.topic,
	                                                        &spies.date };

	for (int k = 0; k < TR_FACET_COUNT; k++) {
		std::map<std::string, unsigned> counts = facet_counts(*by_kind[k], static_cast<tr_facet_kind>(k));
		std::vector<std::pair<std::string, unsigned>> v(counts.begin(), counts.end());
		/* Years read best in calendar order, everything else by frequency. */
		if (k == TR_FACET_YEAR)
			std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
		else
			std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
		r->facets[k] = static_cast<tr_facet *>(calloc(v.size() ? v.size() : 1, sizeof(tr_facet)));
		if (!r->facets[k])
			throw std::bad_alloc();
		for (const auto &e : v) {
			r->facets[k][r->n_facets[k]].value = dup_string(e.first);
			r->facets[k][r->n_facets[k]].count = e.second;
			r->n_facets[k]++;
		}
	}
}

/*
 * The start of a text, white space squeezed, cut after at most @chars
 * characters at a word boundary: what a list without search words shows.
 */
static std::string
leading_text(const std::string &text, size_t chars)
{
	std::string out;
	size_t count = 0, last_space = 0;
	bool space = false;

	for (size_t i = 0; i < text.size(); i++) {
		unsigned char c = static_cast<unsigned char>(text[i]);
		bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';

		if (ws) {
			space = !out.empty();
			continue;
		}
		if ((c & 0xC0) != 0x80) {
			if (count + (space ? 1 : 0) >= chars) {
				out.resize(last_space ? last_space : out.size());
				return out + " …";
			}
			count += space ? 2 : 1;
		}
		if (space) {
			last_space = out.size();
			out += ' ';
			space = false;
		}
		out += text[i];
	}
	return out;
}

/* Formats whose pages are slides: presentations, and Markdown exported from them. */
static bool
pages_are_slides(const char *format)
{
	static const char *const slides[] = { "pptx", "odp", "markdown", nullptr };

	for (const char *const *f = slides; format && *f; f++)
		if (strcmp(format, *f) == 0)
			return true;
	return false;
}

/* The distinct stems and the number of highlighted words in a snippet. */
static void
snippet_score(const std::string &s, const Xapian::Stem &stemmer, size_t *distinct, size_t *marks)
{
	std::vector<std::string> seen;
	size_t pos = 0;

	*marks = 0;
	while ((pos = s.find('\x02', pos)) != std::string::npos) {
		size_t end = s.find('\x03', pos + 1);
		if (end == std::string::npos)
			break;
		std::string stem = stemmer(Xapian::Unicode::tolower(s.substr(pos + 1, end - pos - 1)));
		if (std::find(seen.begin(), seen.end(), stem) == seen.end())
			seen.push_back(stem);
		++*marks;
		pos = end + 1;
	}
	*distinct = seen.size();
}

/*
 * The snippet of a text whose pages (PDF) or slides (presentations) are
 * separated by '\f': each stored page gets a snippet of its own, and the
 * one with the most distinct query words, then the most highlighted words,
 * wins (the first such page on a tie); its number goes into h->page.  A
 * text without pages, or none of whose stored pages matches (the words are
 * only in the title, or beyond the stored start of a long text), gets the
 * snippet of the whole text and no page.
 */
/*
 * MSet::snippet() with the highlight marks '\x02'...'\x03', and as plain
 * text: Xapian escapes <, > and & for HTML, but each printer escapes for
 * its own output (HTML, JSON, terminal), so the entities are undone here.
 */
static std::string
plain_snippet(const Xapian::MSet &highlight, const std::string &text, size_t length,
              const Xapian::Stem &stemmer, unsigned flags)
{
	std::string s = highlight.snippet(text, length, stemmer, flags, "\x02", "\x03", "…"), out;
	static const struct { const char *entity; char c; } entities[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
	};

	out.reserve(s.size());
	for (size_t i = 0; i < s.size(); i++) {
		bool done = false;
		if (s[i] == '&') {
			for (const auto &e : entities) {
				size_t n = strlen(e.entity);
				if (s.compare(i, n, e.entity) == 0) {
					out += e.c;
					i += n - 1;
					done = true;
					break;
				}
			}
		}
		if (!done)
			out += s[i];
	}
	return out;
}

static std::string
page_snippet(const Xapian::MSet &highlight, const std::string &text, size_t length,
             const Xapian::Stem &stemmer, tr_hit *h)
{
	/*
	 * No SNIPPET_BACKGROUND_MODEL: it looks up the frequency of every
	 * other word of the text, which over a remote shard is a network
	 * round trip per word and shard (docs/shards.md).  Which page is
	 * shown is decided here by the query's words anyway.
	 */
	const unsigned flags = Xapian::MSet::SNIPPET_EXHAUSTIVE;
	std::string best;
	size_t best_distinct = 0, best_marks = 0, start = 0;
	unsigned page = 1, best_page = 0;

	if (text.find('\f') == std::string::npos)
		return plain_snippet(highlight, text, length, stemmer, flags);
	for (;;) {
		size_t end = text.find('\f', start);
		std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
		size_t distinct, marks;

		if (part.find_first_not_of(" \t\n\r") != std::string::npos) {
			std::string s = plain_snippet(highlight, part, length, stemmer, flags);
			snippet_score(s, stemmer, &distinct, &marks);
			if (distinct > best_distinct || (distinct == best_distinct && marks > best_marks)) {
				best = s;
				best_distinct = distinct;
				best_marks = marks;
				best_page = page;
			}
		}
		if (end == std::string::npos)
			break;
		start = end + 1;
		page++;
	}
	if (!best_page)
		return plain_snippet(highlight, text, length, stemmer, flags);
	h->page = best_page;
	h->slide = pages_are_slides(h->format);
	return best;
}

extern "C" tr_status
tr_db_search(tr_db *db, const tr_search *q, tr_results **out)
{
	tr_results *r = nullptr;

	*out = nullptr;
	try {
		Xapian::Enquire enquire(*db->rdb);
		Xapian::Stem stemmer("german");
		Xapian::Query query;
		bool words = has_words(q->text);
		std::string corrected;

		r = static_cast<tr_results *>(calloc(1, sizeof *r));
		if (!r)
			throw std::bad_alloc();

		if (words) {
			Xapian::QueryParser qp;
			unsigned flags = Xapian::QueryParser::FLAG_DEFAULT |
			                 Xapian::QueryParser::FLAG_WILDCARD |
			                 Xapian::QueryParser::FLAG_PURE_NOT;
			if (q->spelling)
				flags |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
			qp.set_database(*db->rdb);

			/*
			 * German (docs/german.md).  Gender notation ("Lehrer*innen")
			 * becomes the plain female plural, which would otherwise read
			 * as a wildcard or a field.  A recording stemmer remembers the
			 * word behind each stem, so that the parsed query can be
			 * widened term by term: spelling variants, gender forms,
			 * compound parts and the thesaurus.  Stopwords are dropped
			 * from the query only, never inside a phrase.
			 */
			std::string text = q->text;
			typedef std::map<std::string, std::set<std::string>> origin_map;
			origin_map originals;
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
			GermanStopper stopper;
			if (q->german) {
				char *norm = tr__german_normalise_query(q->text);
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
			qp.add_prefix("titel", TR_PREFIX_TITLE);
			qp.add_prefix("title", TR_PREFIX_TITLE);
			qp.set_max_expansion(WILDCARD_MAX, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);

			/*
			 * Documents with all the words come first, but a missing word
			 * never empties the list: the AND reading adds its weight on
			 * top of the OR reading, so full matches outrank partial ones.
			 */
			qp.set_default_op(Xapian::Query::OP_AND);
			Xapian::Query all = qp.parse_query(text, flags);
			corrected = qp.get_corrected_query_string();
			qp.set_default_op(Xapian::Query::OP_OR);
			unsigned plain = flags & ~Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
			Xapian::Query any = qp.parse_query(text, plain);
			/*
			 * The words as typed (unstemmed) add their weight too, so the
			 * exact form outranks other inflections of the same stem.
			 * This reading is never widened: it is what keeps the exact
			 * word, spelling and expression first.  Its phrases match
			 * nothing (the words as written have no positions): inside a
			 * phrase, inflections rank alike.
			 */
			qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
			Xapian::Query exact = qp.parse_query(text, plain);

			/* A spelling variant counts a little less than the spelling typed. */
			const double variant_weight = 0.9;
			const double cw = q->compound_weight > 0 ? q->compound_weight : 0;
			std::vector<std::string> also;
			struct thes_entry {
				std::string text;
				std::vector<std::string> stems;     /* every word's stem: phrase matching */
				std::vector<std::string> content;   /* without stopwords: matching loose words */
			};
			struct thes_line {
				double weight;
				std::vector<thes_entry> entries;
			};
			std::vector<thes_line> thesaurus;
			if (q->german) {
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
							e.stems.push_back(stemmer(w));
							if (!tr__german_is_stopword(w.data(), w.size()))
								e.content.push_back(e.stems.back());
							w.clear();
						}
						if (!e.stems.empty())
							line.entries.push_back(e);
					}
					thesaurus.push_back(line);
				}
			}
			auto scaled = [](const Xapian::Query &x, double w) {
				return w == 1.0 ? x : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, x, w);
			};
			/* An expression of the thesaurus as a query; empty if a word of it is not in the index. */
			auto expression = [&](const thes_entry &e) {
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
			};
			/* The other expressions of every line in which @matches finds one; noted as "auch gesucht". */
			auto synonyms = [&](const std::function<bool(const thes_entry &)> &matches,
			                    std::vector<Xapian::Query> &alt, bool note) {
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
			};
			/* One stemmed word of the query and what else it stands for. */
			auto expand_word = [&](const std::string &t, const std::set<std::string> &forms, bool note) {
				std::vector<Xapian::Query> alt{ Xapian::Query(t) };
				std::string s = t.substr(1);
				auto add = [&](const std::string &term, double w) {
					if (term != t && db->rdb->term_exists(term))
						alt.push_back(scaled(Xapian::Query(term), w));
				};
				if (cw > 0)
					add(TR_PREFIX_COMPOUND + s, cw);
				for (const std::string &w : forms) {
					char *v[TR__VARIANTS_MAX];
					size_t nv = tr__german_variants(w.c_str(), v);
					std::vector<std::string> variants(v, v + nv);
					for (size_t i = 0; i < nv; i++)
						free(v[i]);
					for (const std::string &vw : variants) {
						std::string sv = stemmer(vw);
						add("Z" + sv, variant_weight);
						if (cw > 0)
							add(TR_PREFIX_COMPOUND + sv, cw * variant_weight);
					}
					/* Every gender form of a person noun finds the others. */
					size_t gb = tr__german_gender_base(w.data(), w.size());
					std::string base = gb ? w.substr(0, gb) :
					                   tr__german_has_female(w.data(), w.size()) ? w : std::string();
					if (!base.empty()) {
						std::string sb = stemmer(base);
						add("Z" + sb, 1.0);
						add(TR_PREFIX_GENDER + sb, 1.0);
						if (cw > 0)
							add(TR_PREFIX_COMPOUND + sb, cw);
					}
				}
				synonyms([&](const thes_entry &e) { return e.stems.size() == 1 && e.stems[0] == s; }, alt, note);
				return alt.size() == 1 ? alt[0] : Xapian::Query(Xapian::Query::OP_OR, alt.begin(), alt.end());
			};
			auto stemmed_word = [](const Xapian::Query &x, std::string *stem) {
				if (x.get_type() != Xapian::Query::LEAF_TERM)
					return false;
				std::string t = *x.get_terms_begin();
				/* "Z" + stem of a free-text word; "ZS…" (titel:) and boolean terms stay as they are. */
				if (t.size() < 2 || t[0] != 'Z' || (t[1] >= 'A' && t[1] <= 'Z'))
					return false;
				*stem = t.substr(1);
				return true;
			};
			/*
			 * Rebuilds the parsed query with each positive word widened.
			 * Negated words (NOT), filters and phrases keep their meaning;
			 * a phrase, or loose words of an AND/OR that together form an
			 * expression of the thesaurus, also search its other forms.
			 */
			std::function<Xapian::Query(const Xapian::Query &)> widen = [&](const Xapian::Query &node) {
				typedef Xapian::Query X;
				X::op op = node.get_type();
				std::string s;
				if (stemmed_word(node, &s)) {
					auto it = originals.find(s);
					return expand_word("Z" + s, it == originals.end() ? std::set<std::string>() : it->second, true);
				}
				if (op == X::OP_PHRASE) {
					std::vector<std::string> stems;
					for (size_t i = 0; i < node.get_num_subqueries(); i++)
						if (stemmed_word(node.get_subquery(i), &s))
							stems.push_back(s);
					std::vector<X> alt{ node };
					synonyms([&](const thes_entry &e) { return e.stems.size() > 1 && e.stems == stems; }, alt, true);
					return alt.size() == 1 ? node : X(X::OP_OR, alt.begin(), alt.end());
				}
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
				std::vector<X> out;
				for (size_t i = 0; i < kids.size(); i++)
					if (!used[i])
						out.push_back(kids[i]);
				out.insert(out.end(), extra.begin(), extra.end());
				if (out.size() == 1 && (op == X::OP_AND || op == X::OP_OR))
					return out[0];
				return X(op, out.begin(), out.end());
			};
			if (q->german || cw > 0) {
				all = widen(all);
				any = widen(any);
			}
			all = expand_wildcards(*db->rdb, all);
			any = expand_wildcards(*db->rdb, any);
			exact = expand_wildcards(*db->rdb, exact);

			/*
			 * "Meinten Sie" only for a word that finds nothing in any of
			 * its forms (variants, gender forms, compound parts), and only
			 * with a correction that the requester may see in some
			 * document: otherwise a suggestion could reveal a word that
			 * occurs in internal documents only.
			 */
			if (!corrected.empty()) {
				auto visible = [&](const Xapian::Query &x) {
					Xapian::Enquire e(*db->rdb);
					e.set_query(q->internal ? x : Xapian::Query(Xapian::Query::OP_AND_NOT, x,
					                                             Xapian::Query(TR_TERM_INTERNAL)));
					return e.get_mset(0, 1).size() > 0;
				};
				/* The words of a query string, without quotes, brackets, +/- and field names. */
				auto tokens = [](const std::string &str) {
					std::vector<std::string> v;
					size_t p = 0;
					while ((p = str.find_first_not_of(" \t", p)) != std::string::npos) {
						size_t e = str.find_first_of(" \t", p);
						std::string w = str.substr(p, e == std::string::npos ? e : e - p);
						size_t colon = w.rfind(':');
						if (colon != std::string::npos)
							w.erase(0, colon + 1);
						size_t a = w.find_first_not_of("\"()+-"), b = w.find_last_not_of("\"()*");
						w = a == std::string::npos || b < a ? std::string() : w.substr(a, b - a + 1);
						v.push_back(Xapian::Unicode::tolower(w));
						p = e;
					}
					return v;
				};
				std::vector<std::string> was = tokens(text), now = tokens(corrected);
				bool keep = was.size() == now.size(), changed = false;
				for (size_t i = 0; keep && i < now.size(); i++) {
					if (was[i] == now[i])
						continue;
					changed = true;
					std::string o = was[i], c = now[i];
					if (o.empty() || c.empty()) {
						keep = false;
						break;
					}
					if (visible(expand_word("Z" + stemmer(o), { o }, false)))
						keep = false;
					else if (!visible(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Z" + stemmer(c)),
					                                Xapian::Query(c))))
						keep = false;
				}
				if (!keep || !changed)
					corrected.clear();
			}
			if (!also.empty()) {
				r->also_searched = static_cast<char **>(calloc(also.size(), sizeof(char *)));
				if (!r->also_searched)
					throw std::bad_alloc();
				for (const std::string &a : also)
					r->also_searched[r->n_also_searched++] = dup_string(a);
			}
			Xapian::Query parts[] = { all, any, exact };
			query = Xapian::Query(Xapian::Query::OP_OR, parts, parts + 3);
		} else {
			query = Xapian::Query::MatchAll;
		}

		std::vector<Xapian::Query> filters;
		if (q->n_districts)
			filters.push_back(filter_terms(TR_PREFIX_DISTRICT, q->districts, q->n_districts));
		if (q->n_types)
			filters.push_back(filter_terms(TR_PREFIX_TYPE, q->types, q->n_types));
		if (q->n_topics)
			filters.push_back(filter_terms(TR_PREFIX_TOPIC, q->topics, q->n_topics));
		if (q->date_from || q->date_to)
			filters.push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, TR_SLOT_DATE,
			                                q->date_from ? q->date_from : "00000000",
			                                q->date_to ? q->date_to : "99999999"));
		if (!filters.empty())
			query = Xapian::Query(Xapian::Query::OP_FILTER, query,
			                      Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
		/* Hidden before matching, so no count, facet or snippet can reveal them. */
		if (!q->internal)
			query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(TR_TERM_INTERNAL));

		enquire.set_query(query);
		tr_sort sort = q->sort == TR_SORT_AUTO ? (words ? TR_SORT_RELEVANCE : TR_SORT_DATE) : q->sort;
		if (sort == TR_SORT_DATE)
			enquire.set_sort_by_value_then_relevance(TR_SLOT_DATE, true);

		facet_spies spies;
		Xapian::doccount doccount = db->rdb->get_doccount();
		if (q->facets)
			spies.add_to(enquire);
		Xapian::MSet mset = enquire.get_mset(q->offset, q->limit, q->facets ? doccount : 0);

		/*
		 * MSet::snippet() does not highlight stemmed (Z) terms inside a
		 * phrase, so snippets come from a second, flat query of the same
		 * terms; get_mset(0, 0) gives its statistics without matching.
		 */
		Xapian::MSet highlight = mset;
		if (words && q->snippet_length) {
			std::vector<Xapian::Query> terms(query.get_unique_terms_begin(), query.get_unique_terms_end());
			Xapian::Enquire flat(*db->rdb);
			flat.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
			highlight = flat.get_mset(0, 0);
		}

		r->estimate = mset.get_matches_estimated();
		r->doccount = doccount;
		r->hits = static_cast<tr_hit *>(calloc(mset.size() ? mset.size() : 1, sizeof(tr_hit)));
		if (!r->hits)
			throw std::bad_alloc();
		for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
			tr_hit *h = &r->hits[r->n_hits++];
			Xapian::Document d = it.get_document();

			h->docid = *it;
			h->rank = it.get_rank() + 1;
			h->score = words ? it.get_weight() : 0.0;
			h->percent = words ? it.get_percent() : 0;
			h->data = dup_string(d.get_data());
			if (tr__docdata_decode(h) != TR_OK)
				throw std::bad_alloc();
			if (q->snippet_length && !words) {
				h->snippet = dup_string(leading_text(d.get_value(TR_SLOT_TEXT), q->snippet_length));
			} else if (q->snippet_length) {
				h->snippet = dup_string(page_snippet(highlight, d.get_value(TR_SLOT_TEXT),
				                                     q->snippet_length, stemmer, h));
			}
		}
		if (q->facets)
			store_facets(r, spies);
		if (!corrected.empty())
			r->corrected = dup_string(corrected);
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
		h->data = dup_string(d.get_data());
		if (tr__docdata_decode(h) != TR_OK)
			throw std::bad_alloc();
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
		Xapian::doccount n = db->rdb->get_doccount();
		if (!internal) {
			Xapian::doccount hidden = db->rdb->get_termfreq(TR_TERM_INTERNAL);
			n = hidden < n ? n - hidden : 0;
		}
		*out = n;
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}
