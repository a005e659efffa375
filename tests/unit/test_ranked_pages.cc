/*
 * The ranked pass in two tiers (lib/db_search.cc ranked_page) must show
 * what the whole query OR(all words, any word, exact) shows: page by page
 * (offsets 0, 10, 20), by relevance and by date, folded and with every
 * copy, on one index and on a set of two shards, the same texts in the
 * same order with the same scores, and each hit lists the other files of
 * its text that match.  The archive has what the tiers must get
 * right: a text whose copies are a full match (a word only in one copy's
 * abstract) and partial matches, one of them outweighing the full one
 * (the word again and again in its abstract), documents without text
 * (no same-text key: never folded) that match all or some words, and a
 * phrase.  The reference is the whole query itself, run through
 * Xapian::Enquire here.  C++ because it needs the query the library builds.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmath>
#include <string>
#include <vector>

#include <xapian.h>

#include "check.h"
#include "db_private.hh"
#include "terms.h"
#include "tellerrand/db.h"

static char dir[] = "/tmp/tr-test-ranked-XXXXXX";

static const char *const filler[] = {
	"Bericht", "Sitzung", "Landkreis", "Elternabend", "Kita", "Sprachkurs", "Integration", "Ehrenamt",
	"Protokoll", "Netzwerk", "Jugendamt", "Beratung", "Familie", "Wohnung", "Arbeit", "Praktikum",
	"Fachtag", "Gemeinde", "Verwaltung", "Förderung", "Vorlage", "Einladung", "Zeitung", "Projekt",
	"Träger", "Verein", "Sport", "Musik", "Bibliothek", "Museum", "Garten", "Küche", "Bahnhof",
	"Rathaus", "Hafen", "Brücke", "Wald", "Fluss", "Berg", "Straße",
};
static const size_t n_filler = sizeof filler / sizeof *filler;

/* A text of its own (no two alike, so none is a version of another) with @n of each search word. */
static std::string
text(unsigned i, unsigned schule, unsigned beruf, unsigned uebergang)
{
	std::string t;
	unsigned x = i * 2654435761u + 12345;

	for (unsigned w = 0; w < 12 + i % 17; w++) {
		x = x * 1103515245u + 12345;
		t += filler[(x >> 8) % n_filler];
		t += w % 6 == 5 ? ". " : " ";
	}
	for (unsigned k = 0; k < schule; k++)
		t += "Die Schule lädt ein. ";
	for (unsigned k = 0; k < beruf; k++)
		t += "Ein Beruf mit Zukunft. ";
	for (unsigned k = 0; k < uebergang; k++)
		t += "Der Übergang gelingt. ";
	if (i % 9 == 4)
		t += "Vom Übergang Schule Beruf erzählt der Bericht. ";
	return t + "Nummer " + std::to_string(i) + ".";
}

static void
add(tr_db *db, const std::string &path, const char *title, const std::string &body, const char *abstract,
    int year, int month)
{
	tr_doc *doc = tr_doc_new();

	doc->path = strdup(path.c_str());
	doc->relpath = strdup(path.c_str());
	doc->title = strdup(title);
	if (!body.empty())
		doc->body = strdup(body.c_str());
	if (abstract)
		doc->description = strdup(abstract);
	doc->format = strdup("text");
	doc->mime = strdup("text/plain");
	doc->type = TR_DOCTYPE_PROTOKOLL;
	doc->date.year = year;
	doc->date.month = month;
	CHECK(tr_db_replace(db, doc) == TR_OK);
	tr_doc_free(doc);
}

/* The archive, its documents spread over @dbs by number. */
static void
fill(const std::vector<tr_db *> &dbs)
{
	auto at = [&](unsigned i) { return dbs[i % dbs.size()]; };
	unsigned i = 0;

	for (; i < 60; i++) {
		std::string p = "/archiv/dok_" + std::to_string(i) + ".txt";
		add(at(i), p, "Notiz", text(i, i % 4, i % 3, i % 5 == 0), NULL, 2016 + i % 9, 1 + i % 12);
	}
	/* One text, three files: a full match by its abstract, a partial one that outweighs it, a plain one. */
	std::string same = text(100, 1, 0, 0);
	add(at(i++), "/archiv/copy/voll.txt", "Notiz", same, "Übergang", 2020, 5);
	add(at(i++), "/archiv/copy/stark.txt", "Notiz", same, "Schule Schule Schule Schule Schule Schule Schule",
	    2021, 6);
	add(at(i++), "/archiv/copy/schlicht.txt", "Notiz", same, NULL, 2019, 4);
	/* A text whose two files match only partly, with Beruf. */
	std::string other = text(101, 0, 2, 0);
	add(at(i++), "/archiv/copy2/a.txt", "Notiz", other, NULL, 2018, 3);
	add(at(i++), "/archiv/copy2/b.txt", "Notiz", other, "Schule", 2018, 3);
	/* No text, so no same-text key: each file a hit of its own. */
	add(at(i++), "/archiv/bild1.jpg", "Übergang Schule Beruf", "", NULL, 2022, 1);
	add(at(i++), "/archiv/bild2.jpg", "Schule", "", NULL, 2022, 2);
	add(at(i++), "/archiv/bild3.jpg", "Beruf", "", NULL, 2017, 2);
	add(at(i++), "/archiv/bild4.jpg", "Schule Beruf", "", NULL, 2023, 9);
	for (tr_db *db : dbs)
		CHECK(tr_db_commit(db) == TR_OK);
}

/* What a hit is on a page: its text's key, or its file's number without one (or with every copy shown). */
static std::string
text_of(tr_db *db, unsigned docid, bool all_copies)
{
	std::string key = all_copies ? std::string() : db->rdb->get_document(docid).get_value(TR_SLOT_SAME_TEXT);
	return key.empty() ? "#" + std::to_string(docid) : key;
}

/* The whole query's page, as one Enquire ranks it; with @every_file, each matching file. */
static Xapian::MSet
whole_query(tr_db *db, const tr_search *q, bool every_file = false)
{
	word_query wq;

	build_word_query(db, q, &wq);
	Xapian::Enquire e(*db->rdb);
	e.set_query(apply_filters(q, wq.query));
	if (every_file)
		return e.get_mset(0, db->rdb->get_doccount());
	fold_copies(e, q);
	if (q->sort == TR_SORT_DATE)
		e.set_sort_by_value_then_relevance(TR_SLOT_DATE, true);
	return e.get_mset(q->offset, q->limit);
}

/* The other files of the text of @docid that match: what its hit lists ("auch als"). */
static size_t
copies_of(tr_db *db, const tr_search *q, unsigned docid)
{
	std::string text = text_of(db, docid, q->all_copies);
	size_t n = 0;

	if (text[0] == '#')
		return 0;
	Xapian::MSet all = whole_query(db, q, true);
	for (Xapian::MSetIterator it = all.begin(); it != all.end(); ++it)
		n += text_of(db, *it, false) == text;
	return n - 1;
}

static unsigned pages_compared;

static void
compare(const char *path, const char *text, tr_sort sort, bool all_copies, unsigned offset)
{
	tr_db *db = NULL;
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;

	CHECK(tr_db_open(&db, path, TR_DB_READ, NULL) == TR_OK);
	q.text = text;
	q.sort = sort;
	q.all_copies = all_copies;
	q.offset = offset;
	q.limit = 10;
	CHECK(db && tr_db_search(db, &q, &r) == TR_OK && r);
	if (!db || !r) {
		tr_results_free(r);
		tr_db_free(db);
		return;
	}
	Xapian::MSet want = whole_query(db, &q);
	bool same = r->n_hits == want.size() && r->versions_folded == 0;
	size_t i = 0;
	for (Xapian::MSetIterator it = want.begin(); same && it != want.end(); ++it, i++) {
		const tr_hit &h = r->hits[i];
		same = text_of(db, h.docid, all_copies) == text_of(db, *it, all_copies) &&
		       std::fabs(h.score - it.get_weight()) <= 1e-9 * it.get_weight() &&
		       h.n_copies == copies_of(db, &q, *it);
	}
	if (!same)
		fprintf(stderr, "differs from the whole query: %s, '%s', %s, %s, offset %u (%zu hits, want %u)\n", path,
		        text, sort == TR_SORT_DATE ? "date" : "relevance", all_copies ? "every copy" : "folded", offset,
		        r->n_hits, want.size());
	if (!same) {
		for (size_t k = 0; k < r->n_hits; k++)
			fprintf(stderr, "  got  %u %.12f copies %zu %s\n", r->hits[k].docid, r->hits[k].score,
			        r->hits[k].n_copies, r->hits[k].path);
		for (Xapian::MSetIterator it = want.begin(); it != want.end(); ++it)
			fprintf(stderr, "  want %u %.12f copies %zu %s\n", *it, it.get_weight(), copies_of(db, &q, *it),
			        it.get_document().get_value(TR_SLOT_PATH).c_str());
	}
	CHECK(same);
	pages_compared++;
	tr_results_free(r);
	tr_db_free(db);
}

int
main(void)
{
	static const char *const queries[] = {
		"Übergang Schule", "Schule Beruf", "Übergang Schule Beruf", "\"Übergang Schule\" Beruf",
	};
	std::string one, set;
	tr_db *db = NULL, *s0 = NULL, *s1 = NULL;

	if (!mkdtemp(dir))
		return 1;
	one = std::string(dir) + "/one";
	set = std::string(dir) + "/set";
	CHECK(tr_db_open(&db, one.c_str(), TR_DB_WRITE, NULL) == TR_OK);
	fill({ db });
	tr_db_free(db);
	CHECK(system(("mkdir '" + set + "'").c_str()) == 0);
	CHECK(tr_db_open(&s0, (set + "/shard-0").c_str(), TR_DB_WRITE, NULL) == TR_OK);
	CHECK(tr_db_open(&s1, (set + "/shard-1").c_str(), TR_DB_WRITE, NULL) == TR_OK);
	fill({ s0, s1 });
	tr_db_free(s0);
	tr_db_free(s1);
	FILE *stub = fopen((set + "/XAPIANDB").c_str(), "w");
	CHECK(stub && fputs("auto shard-0\nauto shard-1\n", stub) >= 0 && fclose(stub) == 0);

	for (const std::string &path : { one, set })
		for (const char *text : queries)
			for (tr_sort sort : { TR_SORT_RELEVANCE, TR_SORT_DATE })
				for (bool all_copies : { false, true })
					for (unsigned offset : { 0u, 10u, 20u })
						compare(path.c_str(), text, sort, all_copies, offset);
	CHECK(pages_compared == 2 * 4 * 2 * 2 * 3);

	if (system(("rm -rf '" + std::string(dir) + "'").c_str()) != 0)
		CHECK(!"cleanup");
	return check_done();
}
