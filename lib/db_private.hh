/*
 * The Xapian shim's private header: the only C++ in Tellerrand.  Every
 * extern "C" function catches every exception and turns it into a
 * tr_status with the detail text kept on the handle, so no exception ever
 * crosses into C.
 *
 *   db_open.cc      opening and closing, the exception fence, metadata
 *   db_document.cc  building and storing documents, what the indexer needs
 *   term_words.cc   a text's words as Xapian's TermGenerator splits them
 *   db_query.cc     the query: parser, German expansion, thesaurus, spelling
 *   db_search.cc    running a search, facets, single documents
 *   db_snippet.cc   the text shown under each hit
 *   db_explain.cc   why a hit matches, why a file does not
 *   db_similar.cc   "Ähnliche Dokumente": a document's telling terms as a query
 *   db_fold.cc      copies of one text folded into one hit
 *   db_versions.cc  versions of one text ("Fassungen") folded under the newest
 */
#ifndef TR_DB_PRIVATE_HH
#define TR_DB_PRIVATE_HH

#include <xapian.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tellerrand/db.h"

/* One database of a shard set, as its stub line names it. */
struct tr_db_part {
	std::string name;
	Xapian::Database db;
};

/* An expression of the thesaurus, as the query side matches it. */
struct thes_entry {
	std::string text;
	std::vector<std::string> stems;     /* every word's stem: phrase matching */
	std::vector<std::string> content;   /* without stopwords: matching loose words */
};

/* A line of the thesaurus: expressions that stand for each other. */
struct thes_line {
	double weight;
	std::vector<thes_entry> entries;
};

struct counted_codes;
struct counted_column;

struct tr_db {
	Xapian::Database *rdb = nullptr;           // what searches use; == wdb when writable
	Xapian::WritableDatabase *wdb = nullptr;
	std::vector<tr_db_part> parts;             // a shard set's databases, in stub order; empty for one index
	std::string path;
	std::string errmsg;
	bool remote = false;                       // a shard is remote: only Xapian's own match spies run
	/* The keys of TR_SLOT_COUNTED's codes (db_counted.cc): a writer's list, or a search's numbers. */
	std::shared_ptr<counted_codes> codes;
	size_t codes_stored = 0;                   // a writer: the keys of the list its metadata holds
	bool codes_recheck = false;                // a search: reopened since the lists were read
	/* Every document's counted value, decoded once for a handle that searches again (db_counted.cc). */
	std::shared_ptr<counted_column> column;
	unsigned searches = 0;                     // tr_db_search() calls on this handle
	/* Compiled once per handle (db_query.cc): the same for every query. */
	std::vector<thes_line> thesaurus;
	bool thesaurus_ready = false;
};

/*
 * Whether a match spy sees @db's own document ids: not over a set of
 * databases, where Xapian 1.4 hands it each database's own (and goes
 * through one database's matches after another).
 */
inline bool
spy_ids_are_handles(const tr_db *db)
{
	return db->parts.size() <= 1;
}

/*
 * A query that matches every document, new for each use.  Never
 * Xapian::Query::MatchAll itself: that is one object for the whole
 * process, and Xapian's reference counts are not atomic, so the server's
 * threads copying it at once corrupt its count and free it while in use
 * (a segfault in libxapian under wrk on the page).
 */
inline Xapian::Query
match_all()
{
	return Xapian::Query(std::string());
}

/* A query that stands for more than TR_QUERY_MAX_TERMS terms; what() is the German message (TR_ETOOBIG). */
class tr_query_too_big : public std::runtime_error {
public:
	explicit tr_query_too_big(const std::string &msg) : std::runtime_error(msg) {}
};

/* ---- db_open.cc: the exception fence ------------------------------------ */

/*
 * Called from inside a catch block: rethrows and catches the most specific
 * class first, records the detail in @msg and maps the class to a status.
 */
tr_status status_from_exception(std::string *msg);

/* status_from_exception() with the detail kept on @db. */
tr_status db_fail(tr_db *db);

/* True (with the message on @db) if @db was not opened for writing. */
bool read_only(tr_db *db);

/* Removes the folder @path and all in it (symlinks as links); true if it is gone or was never there. */
bool remove_tree(const std::string &path);

/* A malloc'ed copy of @s for C callers; throws bad_alloc. */
char *dup_string(const std::string &s);

/* @h's stored fields (path, title, districts, ...) from @d's record (lib/docdata.c); throws bad_alloc. */
void store_record(tr_hit *h, const Xapian::Document &d);

/* ---- db_document.cc ----------------------------------------------------- */

/* The unique id term of a path; paths longer than a term allows keep their start plus a hash of the whole. */
std::string id_term(const char *path);

/* The German stemmer of this thread, remembering its answers. */
const Xapian::Stem &german_stemmer();

/* ---- db_query.cc -------------------------------------------------------- */

/*
 * Why a term is in a search: the query word it stands for, the rule of the
 * expansion that added it, and that rule's factor on its weight.  The
 * first rule to add a term names it (the words as typed are noted first).
 */
struct term_origin {
	std::string word;     /* lower case; "schul*" for a wildcard's words */
	tr_rule rule;
	double factor;
	std::string via;      /* thesaurus: the expression searched */
};

typedef std::map<std::string, term_origin> term_origins;

/* What the words of a search became: the query, the correction, "auch gesucht". */
struct word_query {
	Xapian::Query query;
	/*
	 * What counting needs: the same matches without the all-words reading
	 * (a subset of the any-word reading), so a count pass reads each
	 * posting list once less.
	 */
	Xapian::Query matches;
	/*
	 * The all-words reading alone (a subset of matches), which counts when
	 * it has matches (tr_results.reading); empty when the words join the
	 * same either way (one word, a phrase, an OR).
	 */
	Xapian::Query all_words;
	/*
	 * The ranked pass (db_search.cc ranked_page): query weighs a match as
	 * its readings' weights summed.  With two readings, full holds the
	 * all-words reading weighed so, to be merged with the partial
	 * matches (matches without all_words) by weight.  With one, ranked
	 * (if not empty) weighs as query does, with each list read once.
	 */
	Xapian::Query full;
	Xapian::Query ranked;
	std::string corrected;
	std::vector<std::string> also;
	term_origins origins;   /* every term of query: why it is searched (db_explain.cc) */
};

/* Whether @text has anything but white space. */
bool has_words(const char *text);

/* The query of @q's words (q->text has words); throws on failure. */
void build_word_query(tr_db *db, const tr_search *q, word_query *out);

/*
 * @query restricted by @q's filters, except those of the kind @skip (a
 * tr_facet_kind; TR_FACET_YEAR: the date range; -1: none skipped), and,
 * without the right to them, to visible documents.
 */
Xapian::Query apply_filters(const tr_search *q, const Xapian::Query &query, int skip = -1);

/* ---- db_snippet.cc ------------------------------------------------------ */

/*
 * The start of a text, white space squeezed, cut after at most @chars
 * characters at a word boundary: what a list without search words shows.
 */
std::string leading_text(const std::string &text, size_t chars);

/* What page_snippet() looks for in a text: the stems and words of a query. */
struct snippet_terms {
	std::unordered_set<std::string> stems, words;
	std::vector<std::string> needles;     /* both, folded as folded_text folds the text */
	/*
	 * The needles no other needle begins, each with the needles it begins
	 * (itself first): the text is searched for these only, since a
	 * needle's places are among those of each needle that begins it.
	 */
	std::vector<std::vector<size_t>> groups;
};

snippet_terms snippet_needles(const Xapian::Query &query);

/* The snippet of @text with @terms marked, from its best page (noted in @h). */
std::string page_snippet(const std::string &text, const snippet_terms &terms, size_t length,
                         const Xapian::Stem &stemmer, tr_hit *h);

/* ---- db_added.cc: when documents entered the index --------------------------- */

/* Now, in seconds since 1970 (UTC) with microseconds. */
double added_now();

/* The TR_SLOT_ADDED value for @added. */
std::string added_value(double added);

/* Records on @xd that its path entered the index at @added. */
void set_added(Xapian::Document &xd, double added);

/* When @d entered the index; 0 if it does not record it. */
double added_of(const Xapian::Document &d);

/* Gives @xd the time of the document on record under @idterm in @db, if any. */
void keep_added_on_record(Xapian::Database &db, const std::string &idterm, Xapian::Document &xd);

/* Documents that entered the index at or after @since. */
Xapian::Query added_filter(double since);
/* ---- db_similar.cc ------------------------------------------------------ */

/*
 * The query of the documents like q->similar_to (its most telling terms),
 * without it and its copies; with q's words too, only those that match
 * them.  Throws DocNotFoundError when the document is gone or not visible
 * to @q.
 */
void similar_word_query(tr_db *db, const tr_search *q, word_query *out);

/* ---- db_fold.cc: copies of one text --------------------------------------- */

/* Folds copies of one text into one hit unless @q asks for all copies. */
void fold_copies(Xapian::Enquire &enquire, const tr_search *q);

/* What a hit shows: its best copy, and the other copies that match too. */
struct fold_copy {
	Xapian::docid id;                 /* the id in the whole set (Document::get_docid() is a shard's own) */
	Xapian::Document doc;
};

struct fold_group {
	fold_copy shown;
	std::vector<fold_copy> others;
	std::vector<fold_copy> versions;  /* other texts, near-duplicates of this one (db_versions.cc) */
	bool hidden = false;              /* a version of a hit higher on the page: not shown */
};

/* Whether copy @a of a text shows before copy @b (a paged PDF, then the newest file). */
bool better_copy(const fold_copy &a, const fold_copy &b);

/*
 * The documents that match @query and have one of @terms, unweighted, in
 * ascending document id: at most @max.  What the copies of a page's texts
 * (db_fold.cc) and the candidates for versions (db_versions.cc) read.
 */
Xapian::MSet matches_with_terms(tr_db *db, const Xapian::Query &query, const std::vector<std::string> &terms,
                                Xapian::doccount max);

/*
 * The group of every hit of @page (run with fold_copies()): one unweighted
 * pass over the files of the page's texts that match @query, none when
 * every copy is shown.  Every text on the page that several files have
 * is looked up: a hit's collapse count is no sure sign of copies (under
 * Xapian's pruning a copy weighing less than the page may go uncounted),
 * and the ranked pass's two tiers (db_search.cc ranked_page) count what
 * each saw.
 */
std::vector<fold_group> fold_groups(tr_db *db, const Xapian::Query &query,
                                    const std::vector<Xapian::MSetIterator> &page);

/* Matching documents by value of one slot (each value once): what a count pass leaves for the facets. */
typedef std::vector<std::pair<std::string, unsigned>> value_counts;

/* The lists of codes in TR_SLOT_COUNTED, in their order (docs/terms.md, "Counted value"). */
enum counted_field { COUNTED_DISTRICTS, COUNTED_TYPE, COUNTED_TOPICS, COUNTED_DATE, COUNTED_FIELDS };

/* ---- db_counted.cc: the count pass's compact value ----------------------- */

/*
 * The keys that the codes of TR_SLOT_COUNTED stand for (docs/terms.md,
 * "Counted value").  Each database numbers the keys it stores (a district,
 * a type, a topic, a year and month) in a list of its own, in the order it
 * first meets them and never renumbered, kept in its metadata under a
 * random id that each value names: the parts of a run share one list.  A
 * search numbers the keys of all its databases' lists once and maps each
 * list's codes to those numbers, so that shards indexed apart count alike
 * (Xapian hands a match spy a shard's own document id, which does not say
 * the shard).
 */
struct counted_codes {
	struct key {
		counted_field field;
		std::string text;
	};
	/* A database's list: its codes' numbers (UINT32_MAX: a damaged entry). */
	struct list {
		uint32_t id;
		std::vector<uint32_t> number_of_code;
		bool unsure;                                    /* two lists have its id and differ: read the slots */
	};
	std::vector<key> keys;                                  /* by number */
	std::unordered_map<std::string, uint32_t> number_of;    /* field letter + text -> number */
	std::vector<list> lists;
	std::string stored;                                     /* a writer's list, as its metadata holds it */
	std::vector<std::string> read_from;                     /* a search's: each database's list as read */
	std::mutex lock;                                        /* a run's two writer threads share the list */

	/* The number of key @text of field @f, new if it is not there yet. */
	uint32_t number(counted_field f, std::string_view text);
};

/* The metadata key of a database's list of counted keys. */
#define COUNTED_KEYS_META "counted-keys"

/*
 * @db's codes for a search: read from its databases' metadata at the first
 * count pass after opening it, and again after a reopen if a list changed.
 */
counted_codes &counted_codes_of(tr_db *db);
/* After a reopen (the server's, before each request): a run may have added keys. */
void counted_codes_recheck(tr_db *db);

/*
 * The counted value of every document of a search handle, decoded into
 * @codes' numbers: what the count pass would otherwise read and decode
 * match by match, through Xapian's value chunks, on every search (docs/
 * performance.md, "Eleventh round: the counted column").  Built at a handle's second
 * search, so that a process that searches once (the command line) never
 * reads it, and dropped when a reopen sees a new revision.  A document
 * without an entry (no compact value, a list not known) is read as before;
 * a set of databases has no column (spy_ids_are_handles()).
 */
struct counted_column {
	struct entry {
		uint64_t key;                            /* the same-text key's first 64 bits */
		uint32_t numbers_at, path_at;            /* in @numbers and @paths */
		uint8_t n_numbers[COUNTED_FIELDS];       /* the keys of each field, one after another */
		uint16_t path_len;
		bool has_key;
	};
	std::shared_ptr<const counted_codes> codes;      /* whose numbers these are */
	std::vector<uint32_t> entry_of;                  /* by document id: index in @entries + 1, or 0 */
	std::vector<entry> entries;
	std::vector<uint32_t> numbers;
	std::string paths;                               /* of copies only, when every document has an entry */

	const entry *find(Xapian::docid id) const
	{
		return id < entry_of.size() && entry_of[id] ? &entries[entry_of[id] - 1] : nullptr;
	}
};

/* @db's column for its codes, built now if this is not the handle's first search; null if it has none. */
std::shared_ptr<counted_column> counted_column_of(tr_db *db);
/* A writer's list, read from its metadata: for tr_db_open() and tr_db_open_part() (shared). */
void counted_codes_load_writer(tr_db *db, const std::shared_ptr<counted_codes> &shared);
/* Sets @xd's TR_SLOT_COUNTED from its other slots, numbering new keys in @db's list. */
void set_counted_value(tr_db *db, Xapian::Document &xd);
/* The first 64 bits of same-text key @key (hex), or a hash of it if it is not hex. */
uint64_t key_bits(std::string_view key);

/*
 * A match spy that counts the facet values of the matches from one value
 * each (TR_SLOT_COUNTED).  With @fold it counts one copy of each text, so
 * facets count texts, not copies (Xapian runs the spies before the
 * collapse): the copy with the smallest path, whatever the order of the
 * match (one index or shards).  flush() after the match leaves the counts
 * in each field's value_counts, the district and topic keys one by one, the
 * dates as their year and month ("YYYYMM": what the facets show).  A
 * remote shard cannot run it (db->remote): Xapian's spies count there.
 *
 * Each match's value is read once: its codes, mapped to @db's numbers,
 * are counted by array increments.  A text is counted when it is first
 * seen, and a copy of it with a smaller path seen later takes its place
 * (its keys counted, the other copy's taken back).
 */
struct text_once_spy : Xapian::MatchSpy {
	explicit text_once_spy(tr_db *db);
	bool fold = true;
	/*
	 * Matching files and texts seen: exact when the match ran to the end
	 * (check_at_least the document count), where the estimates of a
	 * collapsed match are not.
	 */
	Xapian::doccount files = 0, texts = 0;
	Xapian::docid last = 0;                 /* the last match's id: how far a pass that stopped early got */

	/* Counts field @f (COUNTED_DISTRICTS … COUNTED_DATE) into @out. */
	void add_field(counted_field f, value_counts *out) { out_of[f] = out; }
	void operator()(const Xapian::Document &doc, double wt) override;
	void flush();

    private:
	/*
	 * The copy of a text counted so far: its key's first 64 bits, its
	 * path, and its keys: its column entry's, or its numbers in @numbers.
	 */
	struct counted_copy {
		uint64_t key;
		std::string_view path;                  /* in the column or @read_paths */
		const counted_column::entry *entry;
		uint32_t numbers_at, n_numbers;         /* in @numbers, without an entry */
	};
	value_counts *out_of[COUNTED_FIELDS] = {};
	counted_codes *codes;                   /* @db's numbers; none over remote shards */
	std::shared_ptr<counted_column> column; /* @db's decoded values, if it has them */
	counted_codes own;                      /* numbers beyond them: keys of older documents no list has */
	std::vector<unsigned> count_of;         /* texts by key number */
	std::vector<uint32_t> numbers;          /* the counted copies' key numbers */
	std::deque<std::string> read_paths;     /* the counted copies' paths read from their documents */
	std::vector<counted_copy> copies;
	std::vector<uint32_t> by_key;           /* open addressing over copies' keys: index + 1, or 0 */

	bool number_keys(const std::string &value, bool *has_key, uint64_t *key, std::string_view *path);
	void number_slots(const Xapian::Document &doc, bool *has_key, uint64_t *key, std::string *path);
	void count(const counted_copy &c, bool add);
	void keep(counted_copy c);
	void grow_by_key();
	/* Where @key's search in @by_key starts: its bits mixed (they may be a std::hash). */
	static uint64_t slot_of(uint64_t key) { key *= 0x9E3779B97F4A7C15ull; return key ^ key >> 32; }
};

/*
 * The count pass's sample (docs/terms.md, "Count sample"): a document is in
 * the 1-in-2^k sample, and has term sample_term(k), for every k up to its
 * level, the trailing zero bits of its text's hash (@key, the same-text
 * key, else @path), so all copies of a text are in or out together and each
 * level's sample holds the next one.
 */
unsigned sample_level(const std::string &key, const std::string &path);
std::string sample_term(unsigned k);

/* Stores @g's other copies as @h's copies. */
void store_copies(tr_hit *h, const fold_group &g);

/* ---- db_explain.cc: why found ------------------------------------------------ */

/* Fills each hit's matches (tr_search.explain): the terms of @wq it has, with origin and weight. */
void explain_hits(tr_db *db, const word_query &wq, tr_results *r);
/* ---- db_versions.cc: versions of one text ("Fassungen") ------------------ */

/* The term of sketch hash @h (TR_PREFIX_SKETCH): what a document's versions share. */
std::string sketch_term(uint64_t h);

/*
 * Folds the versions of @groups' texts that match @query into them: each
 * group shows its newest text and lists the others, and a group whose
 * text another one higher up lists is hidden.  One pass over the
 * documents the filters let through that share a sketch hash with the
 * page's hits (short posting lists), and only when versions are among
 * them, one pass of @query over those versions.
 */
void fold_versions(tr_db *db, const tr_search *q, const Xapian::Query &query, std::vector<fold_group> &groups);

/* The ids of @d's versions (their copies included) among the documents matching @within. */
std::vector<Xapian::docid> versions_of(tr_db *db, const Xapian::Document &d, const Xapian::Query &within);

/* Stores @g's versions as @h's versions. */
void store_versions(tr_hit *h, const fold_group &g);

#endif
