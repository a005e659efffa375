/*
 * The index: a Xapian database seen through a C API.  This header is pure C;
 * the implementation (lib/db_*.cc) is the only C++ in Tellerrand, and no
 * exception ever leaves it: every function returns a tr_status, and the
 * detail text of the last error is kept on the handle (tr_db_errmsg()).
 */
#ifndef TELLERRAND_DB_H
#define TELLERRAND_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "tellerrand/document.h"
#include "tellerrand/explain.h"
#include "tellerrand/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tr_db tr_db;

typedef enum tr_db_mode {
	TR_DB_READ,    /* read-only; TR_ENOTFOUND if there is no index at the path */
	TR_DB_WRITE    /* create the index if needed; TR_ELOCKED if another writer has it */
} tr_db_mode;

typedef struct tr_db_options {
	/*
	 * Milliseconds a remote shard may take to accept the connection and
	 * then to answer each request; 0: wait for ever.  A shard that takes
	 * longer fails the call with TR_EREMOTE.
	 */
	unsigned remote_timeout;
} tr_db_options;

#define TR_DB_OPTIONS_INIT { 10000 }

/*
 * Opens the index at @path.  A directory holding a stub file XAPIANDB is a
 * shard set (docs/shards.md): read-only, its local and remote shards are
 * opened and searched as one index; it cannot be opened for writing (each
 * shard is written on its own).  *out is owned by the caller; free with
 * tr_db_free().  On failure *out is NULL and, if @errmsg is not NULL,
 * *errmsg receives the detail (owned by the caller; free with free()).
 * Returns TR_OK, TR_ENOTFOUND, TR_ELOCKED, TR_EREMOTE, TR_EINVAL (a bad
 * stub line; a set opened for writing), TR_ENOMEM or TR_EINTERNAL.
 */
tr_status tr_db_open_with(tr_db **out, const char *path, tr_db_mode mode, const tr_db_options *o,
                          char **errmsg);

/* tr_db_open_with() with the default options. */
tr_status tr_db_open(tr_db **out, const char *path, tr_db_mode mode, char **errmsg);

/*
 * Makes @dir a shard set of the local shards @shards (paths relative to
 * @dir, in this order), replacing its stub file atomically.  The first
 * database of a set is where its metadata lives: Xapian reads metadata
 * and spelling words of a combined database from there.  Returns TR_OK,
 * TR_EIO (detail in *errmsg, owned by the caller) or TR_ENOMEM.
 */
tr_status tr_db_write_stub(const char *dir, const char *const *shards, size_t n, char **errmsg);

/* Number of databases the handle searches: the lines of a set's stub, or 1 for one index. */
size_t tr_db_part_count(const tr_db *db);

/*
 * Database @i of the handle: its name (the stub line's target, e.g.
 * "shard-0" or "10.0.0.2:33333"; the path for one index) and its number of
 * documents.  *name is owned by the caller; free with free().
 */
tr_status tr_db_part_info(tr_db *db, size_t i, char **name, unsigned *doccount);

/*
 * Closes the index.  Xapian commits pending changes when a writer closes;
 * call tr_db_commit() first to learn whether that worked.  Accepts NULL.
 */
void tr_db_free(tr_db *db);

/* Detail of the last failed call on @db; owned by @db, valid until the next call. */
const char *tr_db_errmsg(const tr_db *db);

/* Number of documents in the index. */
tr_status tr_db_doccount(tr_db *db, unsigned *out);

/*
 * Adds @doc, replacing any document indexed before under the same path
 * (the path's unique id term), so a re-index never duplicates.
 * Takes effect at the next tr_db_commit().
 */
tr_status tr_db_replace(tr_db *db, const tr_doc *doc);

/*
 * The index form of a document (terms, values, record, spelling words),
 * built without any database: the indexer's workers build it, and its
 * main thread reads it back while a writer thread stores the one before.
 */
typedef struct tr_built tr_built;

/*
 * Reads a document in the form an indexer worker sends it, its terms
 * already made there (tr_doc_build_wire() in lib/document_wire.h).
 * TR_EFORMAT for damaged bytes.  On failure *errmsg (if not NULL) gets
 * the detail; free it with free().
 */
tr_status tr_built_new(tr_built **out, const char *data, size_t len, char **errmsg);

/* A document's spelling words with their counts, on their way to the database that keeps them. */
typedef struct tr_spellings tr_spellings;

/*
 * Takes the spelling words out of @b for tr_db_add_spellings() on the
 * database that keeps them (a shard set's first one).  *out is owned by
 * the caller; free it with tr_spellings_free().
 */
tr_status tr_built_take_spellings(tr_built *b, tr_spellings **out);

void tr_spellings_free(tr_spellings *words);

/*
 * Moves @words into @into, summing the counts of a word both hold: a
 * writer adds a batch's words once each, since Xapian's add_spelling()
 * costs it per call.  @words is left empty.
 */
tr_status tr_spellings_merge(tr_spellings *into, tr_spellings *words);

void tr_built_free(tr_built *b);

/*
 * Stores @b under document id @docid instead of the next free one: a
 * rebuild (--full) keeps each document's id, so /dokument/N links stay.
 */
void tr_built_keep_docid(tr_built *b, unsigned docid);

/*
 * Records that @b's path entered the index at @added (seconds since 1970,
 * UTC) instead of now: a changed file, a file moved to another shard and a
 * rebuild (--full) keep the time it was first indexed, so it is not "new"
 * again (docs/terms.md, TR_SLOT_ADDED).
 */
void tr_built_keep_added(tr_built *b, double added);

/* Stores @b (its spelling words apart) like tr_db_replace(). */
tr_status tr_db_store_built(tr_db *db, const tr_built *b);

/*
 * Makes sure no document added later gets an id up to @last: a rebuild
 * never gives a new file the id of one deleted before (an old link then
 * answers 404, never with another file).
 */
tr_status tr_db_reserve_docids(tr_db *db, unsigned last);

/*
 * A full run's documents may be written into parts side by side, each by
 * a writer thread of its own, and merged into the index at the end:
 * tr_db_open_part() creates (anew) part @i of @db, opened for writing;
 * tr_db_merge_parts() merges its first @n parts, closed before, into @db
 * in one compaction and removes them; parts that are not there (or hold
 * nothing committed) are left out, and without any it does nothing, so a
 * run can merge what a killed one left.  Every document keeps its id: the
 * parts must hold disjoint ranges of ids.  TR_EINVAL for a read-only
 * handle or a set.
 */
tr_status tr_db_open_part(tr_db *db, size_t i, tr_db **out);
tr_status tr_db_merge_parts(tr_db *db, size_t n);

/* The highest document id ever used (deleted documents included); 0 for none. */
tr_status tr_db_last_docid(tr_db *db, unsigned *out);

/* Adds spelling words taken by tr_built_take_spellings(). */
tr_status tr_db_add_spellings(tr_db *db, const tr_spellings *words);

/* Removes the document indexed under @path; TR_OK also if there was none. */
tr_status tr_db_delete(tr_db *db, const char *path);

/* Makes all changes since the last commit durable and visible to readers. */
tr_status tr_db_commit(tr_db *db);

/*
 * Reopens a read-only handle on the latest committed revision (after
 * TR_EMODIFIED, or to see a reindex).
 */
tr_status tr_db_reopen(tr_db *db);

/* Stored metadata key/value pairs of the index (e.g. "last-index"). */
tr_status tr_db_set_metadata(tr_db *db, const char *key, const char *value);
/* *out is owned by the caller; free with free(); "" if unset. */
tr_status tr_db_get_metadata(tr_db *db, const char *key, char **out);

/* ---- For the incremental indexer ----------------------------------------- */

/* Called for each document with its id, path and stamp ("" if none); return non-zero to stop. */
typedef int (*tr_db_stamp_fn)(unsigned docid, const char *path, const char *stamp, void *ctx);

/* Calls @fn for every document (in docid order) without loading its text. */
tr_status tr_db_each_stamp(tr_db *db, tr_db_stamp_fn fn, void *ctx);

/* Called with a document's id and when it entered the index (seconds since 1970); return non-zero to stop. */
typedef int (*tr_db_added_fn)(unsigned docid, double added, void *ctx);

/* Calls @fn, in docid order, for every document that records when it entered the index. */
tr_status tr_db_each_added(tr_db *db, tr_db_added_fn fn, void *ctx);

/* Replaces the stamp of document @docid (a file touched but unchanged in content). */
tr_status tr_db_set_stamp(tr_db *db, unsigned docid, const char *stamp);

/* Deletes document @docid; TR_OK also if it is gone already. */
tr_status tr_db_delete_docid(tr_db *db, unsigned docid);

/* Called for each metadata key starting with the prefix; return non-zero to stop. */
typedef int (*tr_db_metadata_fn)(const char *key, const char *value, void *ctx);

/* Calls @fn for every metadata key/value whose key starts with @prefix. Setting a value to "" deletes it. */
tr_status tr_db_each_metadata(tr_db *db, const char *prefix, tr_db_metadata_fn fn, void *ctx);

/*
 * German Snowball stem of one lower-case word.  *out is owned by the caller;
 * free with free().  Needs no database.
 */
tr_status tr_stem_german(char **out, const char *word);

/* ---- Searching ---------------------------------------------------------- */

typedef enum tr_sort {
	TR_SORT_AUTO = 0,     /* relevance, or newest first when there are no words */
	TR_SORT_RELEVANCE,
	TR_SORT_DATE,         /* newest first */
	TR_SORT_ADDED         /* newest to the archive first (when each document entered the index) */
} tr_sort;

/*
 * A search request.  Strings are borrowed: they must stay valid for the
 * duration of tr_db_search().  Within one filter kind the values are
 * alternatives (OR); different kinds must all hold (AND).
 */
typedef struct tr_search {
	const char *text;              /* words for Xapian's QueryParser; "" or NULL: none */
	const char *const *districts;  /* district keys */
	size_t n_districts;
	const char *const *types;      /* doctype keys */
	size_t n_types;
	const char *const *topics;     /* topic keys */
	size_t n_topics;
	const char *date_from;         /* "YYYYMMDD" inclusive, or NULL */
	const char *date_to;           /* "YYYYMMDD" inclusive, or NULL */
	tr_sort sort;
	unsigned offset;
	unsigned limit;
	bool facets;                   /* count districts, types, topics, years over the whole match */
	bool spelling;                 /* suggest a corrected query */
	size_t snippet_length;         /* characters; 0: no snippets */
	bool internal;                 /* include documents marked internal (default: no) */
	/*
	 * Weight of a match on a compound's part ("Koordinator" in
	 * "Bildungskoordinatoren") relative to the word itself; 0 turns compound
	 * matching off.  Applied at query time: no reindex to change it.
	 */
	double compound_weight;
	bool german;                   /* spelling variants, gender forms, thesaurus, stopwords (default: yes) */
	/*
	 * The count each filter value would give if chosen: the facets of a
	 * kind that is filtered (districts, types, topics; the years for a
	 * date range) count the match without that kind's own filter, and
	 * tr_results.unfiltered[kind] holds that match's size.  One count
	 * pass per filtered kind (default: no).
	 */
	bool filter_counts;
	/* Matches counted exactly before a sample is counted; 0: TR_FACET_EXACT_MAX. */
	unsigned count_max;

	/* Every copy of a text as a hit of its own; default: copies fold into one hit (docs/tellerrand-query.md). */
	bool all_copies;

	/*
	 * Only documents that entered the index at or after this time (seconds
	 * since 1970, UTC; 0: any).  With TR_SORT_AUTO they come newest to
	 * the archive first.
	 */
	double added_since;
	/* Each hit's tr_hit.matches: which term matched by which rule (docs/tellerrand-query.md, "WARUM GEFUNDEN"). */
	bool explain;
	/* Rules of the German expansion left out: TR_RULE_BIT()s of tr_rule (stem off: only the words as typed). */
	unsigned rules_off;
	/*
	 * "Ähnliche Dokumente": the documents like this one (a docid; 0: none),
	 * found by its most telling terms, without it and its copies, ranked
	 * by relevance; words in @text then only narrow them down.  The
	 * search fails with TR_ENOTFOUND if the document is gone or internal
	 * to a request without the right (lib/db_similar.cc).
	 */
	unsigned similar_to;
} tr_search;

#define TR_COMPOUND_WEIGHT_DEFAULT 0.5

#define TR_SEARCH_INIT { NULL, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, \
	TR_SORT_AUTO, 0, 10, true, true, 240, false, TR_COMPOUND_WEIGHT_DEFAULT, true, false, 0, \
	false, 0, false, 0, 0 }

/*
 * Facet counts (and the estimate) are exact while the match has at most
 * this many documents (tr_search.count_max); above it they are counted in
 * a sample of the texts that holds about this many, scaled up, and
 * tr_results.exact is false (show them as "ca."; docs/terms.md, "Count
 * sample").  Counting is a separate, unweighted pass.
 */
#define TR_FACET_EXACT_MAX 10000

/* One hit.  Every field is owned by its tr_results. */
typedef struct tr_hit {
	unsigned docid;
	unsigned rank;                 /* 1-based position in the whole result list */
	double score;                  /* Xapian weight; 0 for date-sorted filter-only lists */
	int percent;
	char *path;                    /* the file's name as bytes, maybe not UTF-8: shown through tr_text_printable() */
	char *title;
	char *type;                    /* doctype key */
	char *date;                    /* "YYYY-MM-DD", "YYYY-MM", "YYYY" or "" */
	char **districts;              /* keys, main first */
	size_t n_districts;
	char **topics;
	size_t n_topics;
	char *format;
	char *snippet;                 /* text with matches between '\x02' and '\x03' */
	char *mime;                    /* the MIME type as detected when indexed, or "" */
	bool internal;                 /* marked internal (only a request with the right sees it) */
	char *data;                    /* the stored record (the library's own; callers use the fields) */
	size_t data_len;               /* its bytes (NULs inside) */
	unsigned page;                 /* 1-based page or slide the snippet is from; 0: none (not paged, no match on a page) */
	bool slide;                    /* page counts slides (pptx, odp, ppt, Markdown from slides), not pages (pdf, text) */
	bool sheet;                    /* page counts the sheets of a spreadsheet (xls, xlsx, ods) */
	char *part;                    /* the page's name: a sheet's name, or the file name of the mail
	                                  attachment the snippet is from (then page is 0); NULL if none */

	/*
	 * The other files with the same text (folded into this hit, which is
	 * the best copy: docs/tellerrand-query.md, "COPIES"), with their stored fields; rank,
	 * score and snippet empty.  None with tr_search.all_copies.
	 */
	struct tr_hit *copies;
	size_t n_copies;

	double added;                  /* when the document entered the index (seconds since 1970, UTC); 0: not recorded */
	/* With tr_search.explain: the search's terms this document has, each with its origin, by weight. */
	tr_match *matches;
	size_t n_matches;
	/*
	 * Other texts that are versions of this one ("Fassungen": most of
	 * their word shingles shared, docs/tellerrand-query.md "VERSIONS"),
	 * older than it or ranked lower, that match too; each by its best
	 * copy, with its stored fields.  None with tr_search.all_copies.
	 */
	struct tr_hit *versions;
	size_t n_versions;
} tr_hit;

typedef struct tr_facet {
	char *value;
	unsigned count;
} tr_facet;

typedef enum tr_facet_kind {
	TR_FACET_DISTRICT,
	TR_FACET_TYPE,
	TR_FACET_TOPIC,
	TR_FACET_YEAR,
	TR_FACET_MONTH,                /* "YYYYMM" of the dates that have a month */
	TR_FACET_COUNT
} tr_facet_kind;

/*
 * Which documents a search with several words counts (tr_results.reading).
 * The list always holds every document with any of the words, those with
 * all of them first; the count and the facets are of those with all the
 * words whenever there are any (with the filters, visible to the request).
 */
typedef enum tr_reading {
	/* One reading: one word, a phrase, an OR, no words, or no facets asked for: every match counted. */
	TR_READING_ANY,
	/* Documents with all the words (in some form); tr_results.partial more have only some. */
	TR_READING_ALL_WORDS,
	/* No document has all the words: those with some of them are counted. */
	TR_READING_SOME_WORDS
} tr_reading;

typedef struct tr_results {
	unsigned estimate;             /* number of matching documents (see .reading): exact if .exact */
	bool exact;                    /* estimate and facets are exact (see TR_FACET_EXACT_MAX) */
	unsigned doccount;             /* documents in the index the request may see (tr_search.internal) */
	tr_hit *hits;
	size_t n_hits;
	tr_facet *facets[TR_FACET_COUNT];   /* by count, descending; years and months newest first */
	size_t n_facets[TR_FACET_COUNT];
	unsigned unfiltered[TR_FACET_COUNT]; /* with filter_counts: matches without that kind's filter */
	/*
	 * "Meinten Sie"-query, or NULL: only when a word typed finds nothing in
	 * any form, and the correction (with the filters) finds documents the
	 * request may see.
	 */
	char *corrected;
	char **also_searched;          /* thesaurus expansions searched too ("auch gesucht"), visible ones only */
	size_t n_also_searched;

	/* Matching files, copies counted (estimate and facets count texts when folded). */
	unsigned files;
	bool folded;                   /* copies folded: estimate and facets count each text once */
	/*
	 * Matches of this page not shown as hits, being versions of a hit
	 * above ("Fassungen"); the next page starts at offset + n_hits +
	 * versions_folded.  Versions count as texts of their own.
	 */
	unsigned versions_folded;
	tr_reading reading;            /* what .estimate and the facets count */
	/*
	 * With TR_READING_ALL_WORDS: the documents with only some of the
	 * words, listed after those with all of them.  An estimate (show it
	 * as "ca."): the files with any word, as texts, less the count.
	 */
	unsigned partial;
} tr_results;

/* How many documents the hit list holds, for paging: the count, and those with only some words. */
static inline unsigned
tr_results_listed(const tr_results *r)
{
	return r->estimate + r->partial;
}

/*
 * The most terms one reading of a search may stand for: its words with
 * their German forms, compound parts and thesaurus expressions, and the
 * words its wildcards stand for (each wildcard at most the 1,000 most
 * frequent).
 */
#define TR_QUERY_MAX_TERMS 4000

/*
 * Runs @q.  *out is owned by the caller; free with tr_results_free().
 * Returns TR_OK, TR_EBADQUERY (detail in tr_db_errmsg()), TR_ETOOBIG (a
 * query past TR_QUERY_MAX_TERMS; tr_db_errmsg() is a German message for
 * the user), TR_EMODIFIED, TR_ENOMEM or TR_EINTERNAL.
 */
tr_status tr_db_search(tr_db *db, const tr_search *q, tr_results **out);

void tr_results_free(tr_results *r);

/* ---- Single documents (for the server) ----------------------------------- */

/*
 * Reads the stored record of document @docid, as a search hit would show it
 * (rank, score and snippet empty).  A document marked internal counts as
 * absent unless @internal is true, so a caller cannot reveal it by id.
 * *out is owned by the caller; free with tr_hit_free().  Returns TR_OK,
 * TR_ENOTFOUND, TR_EMODIFIED, TR_ENOMEM or TR_EINTERNAL.
 */
tr_status tr_db_get_hit(tr_db *db, unsigned docid, bool internal, tr_hit **out);

/*
 * Sets *hidden when a document is indexed under @path, marked internal, and
 * @internal is false: the server asks this of the real path of a file it
 * is about to send, so that a public link to an internal file does not
 * serve it.  Returns TR_OK, TR_EMODIFIED, TR_ENOMEM or TR_EINTERNAL.
 */
tr_status tr_db_path_hidden(tr_db *db, const char *path, bool internal, bool *hidden);

/*
 * Sets *out to the id of the document indexed under @path (absolute, as
 * the indexer stores it).  A document marked internal counts as absent
 * unless @internal is true.  Returns TR_OK, TR_ENOTFOUND, TR_EMODIFIED,
 * TR_ENOMEM or TR_EINTERNAL.
 */
tr_status tr_db_find_path(tr_db *db, const char *path, bool internal, unsigned *out);

/* Frees a hit from tr_db_get_hit().  Accepts NULL. */
void tr_hit_free(tr_hit *hit);

/*
 * Number of documents a request may see: all of them with @internal, else
 * those not marked internal.  Cheap (term statistics, no match).
 */
tr_status tr_db_doccount_visible(tr_db *db, bool internal, unsigned *out);

#ifdef __cplusplus
}
#endif

#endif
