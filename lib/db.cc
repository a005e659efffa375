/*
 * The Xapian shim: the only C++ in Tellerrand.  Every extern "C" function
 * catches every exception and turns it into a tr_status with the detail
 * text kept on the handle, so no exception ever crosses into C.
 */
#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "tellerrand/db.h"
#include "docdata.h"
#include "terms.h"

struct tr_db {
	Xapian::Database *rdb = nullptr;           // what searches use; == wdb when writable
	Xapian::WritableDatabase *wdb = nullptr;
	std::string path;
	std::string errmsg;
};

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
		} catch (const Xapian::Error &e) {
			st = TR_EINTERNAL;
			*msg = e.get_description();
		} catch (const std::bad_alloc &) {
			st = TR_ENOMEM;
			msg->clear();
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

extern "C" tr_status
tr_db_open(tr_db **out, const char *path, tr_db_mode mode, char **errmsg)
{
	tr_db *db = nullptr;
	std::string msg;

	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	try {
		db = new tr_db;
		db->path = path;
		if (mode == TR_DB_WRITE) {
			db->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
			db->rdb = db->wdb;
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

extern "C" tr_status
tr_db_replace(tr_db *db, const tr_doc *doc)
{
	char *data = nullptr;

	if (!db->wdb) {
		db->errmsg = "index is open read-only";
		return TR_EINVAL;
	}
	try {
		Xapian::Document xd;
		Xapian::TermGenerator tg;
		char date[9];

		tg.set_stemmer(Xapian::Stem("german"));
		/*
		 * The query side stems every word, phrases included (STEM_ALL_Z),
		 * so the stems need positions too, or no phrase would ever match.
		 */
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME_FULL_POS);
		tg.set_database(*db->wdb);
		tg.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
		tg.set_document(xd);

		/* Title words count three times over body words; headings twice. */
		if (doc->title && *doc->title) {
			tg.index_text(doc->title, 1, TR_PREFIX_TITLE);
			tg.increase_termpos();
			tg.index_text(doc->title, 3);
		}
		if (doc->headings && *doc->headings) {
			tg.increase_termpos();
			tg.index_text(doc->headings, 2);
		}
		if (doc->description && *doc->description) {
			tg.increase_termpos();
			tg.index_text(doc->description);
		}
		if (doc->body) {
			tg.increase_termpos();
			tg.index_text(doc->body);
		}
		for (size_t i = 0; i < doc->n_tags; i++) {
			tg.increase_termpos();
			tg.index_text(doc->tags[i]);
			add_boolean(xd, TR_PREFIX_TAG, doc->tags[i]);
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

		data = tr__docdata_encode(doc);
		if (!data)
			throw std::bad_alloc();
		xd.set_data(data);
		free(data);
		data = nullptr;

		std::string idt = id_term(doc->path);
		xd.add_boolean_term(idt);
		db->wdb->replace_document(idt, xd);
		return TR_OK;
	} catch (...) {
		free(data);
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_delete(tr_db *db, const char *path)
{
	if (!db->wdb) {
		db->errmsg = "index is open read-only";
		return TR_EINVAL;
	}
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
	if (!db->wdb) {
		db->errmsg = "index is open read-only";
		return TR_EINVAL;
	}
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
		static thread_local Xapian::Stem stem("german");
		*out = dup_string(stem(word));
		return TR_OK;
	} catch (...) {
		return status_from_exception(&ignored);
	}
}

/* ---- Searching ---------------------------------------------------------- */

/*
 * Counts facet values over every document the match looks at.  The
 * district and topic slots hold several keys; each counts once.
 */
class FacetSpy : public Xapian::MatchSpy {
public:
	std::map<std::string, unsigned> counts[TR_FACET_COUNT];

	void operator()(const Xapian::Document &doc, double) override
	{
		for (const std::string &k : split(doc.get_value(TR_SLOT_DISTRICTS)))
			++counts[TR_FACET_DISTRICT][k];
		for (const std::string &k : split(doc.get_value(TR_SLOT_TOPICS)))
			++counts[TR_FACET_TOPIC][k];
		std::string type = doc.get_value(TR_SLOT_TYPE);
		if (!type.empty())
			++counts[TR_FACET_TYPE][type];
		std::string date = doc.get_value(TR_SLOT_DATE);
		if (date.size() >= 4)
			++counts[TR_FACET_YEAR][date.substr(0, 4)];
	}
};

static Xapian::Query
filter_terms(const char *prefix, const char *const *values, size_t n)
{
	std::vector<Xapian::Query> terms;
	for (size_t i = 0; i < n; i++)
		terms.emplace_back(std::string(prefix) + values[i]);
	return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
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
store_facets(tr_results *r, const FacetSpy &spy)
{
	for (int k = 0; k < TR_FACET_COUNT; k++) {
		std::vector<std::pair<std::string, unsigned>> v(spy.counts[k].begin(), spy.counts[k].end());
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
			qp.set_stemmer(stemmer);
			/*
			 * German capitalises every noun, and STEM_SOME would leave
			 * capitalised words unstemmed; STEM_ALL_Z stems them all and
			 * matches the Z-prefixed stems the TermGenerator indexed.
			 */
			qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
			qp.add_prefix("titel", TR_PREFIX_TITLE);
			qp.add_prefix("title", TR_PREFIX_TITLE);
			qp.set_max_expansion(1000, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);

			/*
			 * Documents with all the words come first, but a missing word
			 * never empties the list: the AND reading adds its weight on
			 * top of the OR reading, so full matches outrank partial ones.
			 */
			qp.set_default_op(Xapian::Query::OP_AND);
			Xapian::Query all = qp.parse_query(q->text, flags);
			corrected = qp.get_corrected_query_string();
			qp.set_default_op(Xapian::Query::OP_OR);
			unsigned plain = flags & ~Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
			Xapian::Query any = qp.parse_query(q->text, plain);
			/*
			 * The words as typed (unstemmed) add their weight too, so the
			 * exact form outranks other inflections of the same stem.
			 */
			qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
			Xapian::Query exact = qp.parse_query(q->text, plain);
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

		FacetSpy spy;
		Xapian::doccount doccount = db->rdb->get_doccount();
		if (q->facets)
			enquire.add_matchspy(&spy);
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
				std::string text = d.get_value(TR_SLOT_TEXT);
				h->snippet = dup_string(highlight.snippet(text, q->snippet_length, stemmer,
				                                     Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
				                                     Xapian::MSet::SNIPPET_EXHAUSTIVE,
				                                     "\x02", "\x03", "…"));
			}
		}
		if (q->facets)
			store_facets(r, spy);
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
	free(r);
}
