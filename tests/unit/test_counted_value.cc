/*
 * The count pass's one value per document (TR_SLOT_COUNTED, index format
 * 6: codes from each database's list of counted keys): facets count the
 * copy of a text with the smallest path, district and topic keys one by
 * one, and an index built before the value existed (its documents without
 * slot 12) shows the same counts.  Keys first met by a later run, by a
 * run's two parts, or by shards indexed apart, are counted as their own.
 * A handle's second search counts from its column, and alike.
 * C++ because taking the value out of the stored documents needs Xapian
 * itself.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>

#include <xapian.h>

#include "check.h"
#include "fixture.h"
#include "tellerrand/db.h"
extern "C" {
#include "buf.h"   /* a C header without its own extern "C" */
}
#include "document_wire.h"

static char dir[] = "/tmp/tr-test-counted-XXXXXX";

/* The slot of lib/terms.h's TR_SLOT_COUNTED (docs/terms.md). */
static const Xapian::valueno counted_slot = 12;
/* lib/terms.h's TR_SLOT_PATH. */
static const Xapian::valueno path_slot = 7;

static void
add(tr_db *db, const char *path, const char *body, const char *d1, const char *d2, int year, int month = 0,
    const char *topic = NULL, unsigned docid = 0)
{
	tr_doc *doc = tr_doc_new();

	doc->path = strdup(path);
	doc->relpath = strdup(path);
	doc->title = strdup("Titel");
	doc->body = strdup(body);
	doc->format = strdup("text");
	doc->mime = strdup("text/plain");
	tr_strv_add_unique(&doc->districts, &doc->n_districts, d1);
	if (d2)
		tr_strv_add_unique(&doc->districts, &doc->n_districts, d2);
	if (topic)
		tr_strv_add_unique(&doc->topics, &doc->n_topics, topic);
	doc->type = TR_DOCTYPE_PROTOKOLL;
	doc->date.year = year;
	doc->date.month = month;
	doc->date.day = month ? 14 : 0;
	if (!docid) {
		CHECK(tr_db_replace(db, doc) == TR_OK);
	} else {
		/* Built as a worker builds it, stored under @docid as a split run's writer stores it. */
		tr_buf wire;
		tr_built *b = NULL;
		tr_buf_init(&wire, 1 << 20);
		CHECK(tr_doc_build_wire(doc, &wire, NULL) == TR_OK && tr_built_new(&b, wire.ptr, wire.len, NULL) == TR_OK);
		tr_built_keep_docid(b, docid);
		CHECK(tr_db_store_built(db, b) == TR_OK);
		tr_built_free(b);
		tr_buf_free(&wire);
	}
	tr_doc_free(doc);
}

/* Every facet of a search for @text in @db as "kind:value" -> count. */
static std::map<std::string, unsigned>
facets_of(tr_db *db, const char *text, bool all_copies)
{
	std::map<std::string, unsigned> out;
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;

	q.internal = true;
	q.text = text;
	q.all_copies = all_copies;
	CHECK(db && tr_db_search(db, &q, &r) == TR_OK && r);
	for (int k = 0; r && k < TR_FACET_COUNT; k++)
		for (size_t i = 0; i < r->n_facets[k]; i++)
			out[std::to_string(k) + ":" + r->facets[k][i].value] = r->facets[k][i].count;
	if (r)
		out["total"] = r->estimate;
	tr_results_free(r);
	return out;
}

/*
 * The same, in the index (or shard set) at @path; searched twice, as the
 * server's handles search, the second time from the handle's column.
 */
static std::map<std::string, unsigned>
facets(const char *path, const char *text, bool all_copies)
{
	tr_db *db = NULL;

	CHECK(tr_db_open(&db, path, TR_DB_READ, NULL) == TR_OK);
	std::map<std::string, unsigned> out = facets_of(db, text, all_copies);
	CHECK(facets_of(db, text, all_copies) == out);
	tr_db_free(db);
	return out;
}

static tr_db *
open_write(const std::string &path)
{
	tr_db *db = NULL;

	CHECK(tr_db_open(&db, path.c_str(), TR_DB_WRITE, NULL) == TR_OK);
	return db;
}

static unsigned
facet(std::map<std::string, unsigned> &f, int kind, const char *key)
{
	return f[std::to_string(kind) + ":" + key];
}

/* Commits and closes writer @db, then opens a search handle on @path. */
static tr_db *
commit_and_read(tr_db *db, const std::string &path)
{
	tr_db *reader = NULL;

	CHECK(tr_db_commit(db) == TR_OK);
	tr_db_free(db);
	CHECK(tr_db_open(&reader, path.c_str(), TR_DB_READ, NULL) == TR_OK);
	return reader;
}

/*
 * Commits and closes writer @db, reopens @reader as the server does and
 * returns its facets for @text, checked against a fresh handle's; frees
 * @reader.
 */
static std::map<std::string, unsigned>
reopened_facets(tr_db *db, tr_db *reader, const std::string &path, const char *text)
{
	CHECK(tr_db_commit(db) == TR_OK);
	tr_db_free(db);
	CHECK(tr_db_reopen(reader) == TR_OK);
	std::map<std::string, unsigned> out = facets_of(reader, text, false);
	tr_db_free(reader);
	CHECK(out == facets(path.c_str(), text, false));
	return out;
}

/*
 * A later run meets a new district, topic and month: counted, the old
 * ones as before, also by a search handle opened before the run and
 * reopened after it (the server's).
 */
static void
check_later_run(const std::string &path)
{
	tr_db *db = open_write(path);

	add(db, "/c/eins.txt", "Sprachförderung im Hort.", "leipzig", NULL, 2021, 5, "sprache");
	tr_db *reader = commit_and_read(db, path);
	std::map<std::string, unsigned> before = facets_of(reader, "Sprachförderung", false);
	CHECK(facet(before, TR_FACET_DISTRICT, "leipzig") == 1 && before["total"] == 1);

	db = open_write(path);
	add(db, "/c/zwei.txt", "Sprachförderung in Zwickau.", "zwickau", "leipzig", 2022, 3, "schule");
	add(db, "/c/drei.txt", "Sprachförderung und Schule.", "zwickau", NULL, 2021, 5, "sprache");
	std::map<std::string, unsigned> after = reopened_facets(db, reader, path, "Sprachförderung");
	CHECK(after["total"] == 3);
	CHECK(facet(after, TR_FACET_DISTRICT, "zwickau") == 2 && facet(after, TR_FACET_DISTRICT, "leipzig") == 2);
	CHECK(facet(after, TR_FACET_TOPIC, "sprache") == 2 && facet(after, TR_FACET_TOPIC, "schule") == 1);
	CHECK(facet(after, TR_FACET_MONTH, "202105") == 2 && facet(after, TR_FACET_MONTH, "202203") == 1);
	CHECK(facet(after, TR_FACET_YEAR, "2022") == 1 && facet(after, TR_FACET_YEAR, "2021") == 2);
}

/*
 * A handle that has searched twice (its column read) and is reopened after
 * a run indexed a file again, with keys the list already had: the new
 * keys are counted, not the column's.
 */
static void
check_reindexed(const std::string &path)
{
	tr_db *db = open_write(path);

	add(db, "/d/eins.txt", "Sprachförderung im Hort.", "leipzig", NULL, 2021, 5, "sprache");
	add(db, "/d/zwei.txt", "Sprachförderung in Zwickau.", "zwickau", NULL, 2022, 3, "schule");
	tr_db *reader = commit_and_read(db, path);
	std::map<std::string, unsigned> before = facets_of(reader, "Sprachförderung", false);
	CHECK(facets_of(reader, "Sprachförderung", false) == before);
	CHECK(facet(before, TR_FACET_DISTRICT, "leipzig") == 1 && facet(before, TR_FACET_DISTRICT, "zwickau") == 1);

	db = open_write(path);
	add(db, "/d/eins.txt", "Sprachförderung im Hort, neu.", "zwickau", NULL, 2022, 3, "schule");
	std::map<std::string, unsigned> after = reopened_facets(db, reader, path, "Sprachförderung");
	CHECK(after["total"] == 2 && facet(after, TR_FACET_DISTRICT, "zwickau") == 2);
	CHECK(facet(after, TR_FACET_DISTRICT, "leipzig") == 0 && facet(after, TR_FACET_TOPIC, "schule") == 2);
	CHECK(facet(after, TR_FACET_MONTH, "202203") == 2 && facet(after, TR_FACET_MONTH, "202105") == 0);
}

/*
 * Two parts of one run (tellerrand index with two writers), each meeting
 * new keys in its own order, merged: each key counted as itself.
 */
static void
check_parts(const std::string &path)
{
	tr_db *db = open_write(path), *part[2] = { NULL, NULL };

	CHECK(tr_db_open_part(db, 0, &part[0]) == TR_OK && tr_db_open_part(db, 1, &part[1]) == TR_OK);
	/* The first part's ids below the second's, as the indexer gives them. */
	add(part[1], "/p/alt.txt", "Sprachförderung, alt.", "dresden", NULL, 2019, 1, "sprache", 3);
	add(part[0], "/p/a.txt", "Sprachförderung in Bautzen.", "bautzen", NULL, 2020, 2, "kita", 1);
	add(part[1], "/p/b.txt", "Sprachförderung in Görlitz.", "goerlitz", "dresden", 2020, 3, "beruf", 4);
	add(part[0], "/p/c.txt", "Sprachförderung in Görlitz, Kita.", "goerlitz", NULL, 2020, 3, "beruf", 2);
	add(part[1], "/p/d.txt", "Sprachförderung in Bautzen, Schule.", "bautzen", NULL, 2020, 2, "kita", 5);
	for (tr_db *p : part) {
		CHECK(tr_db_commit(p) == TR_OK);
		tr_db_free(p);
	}
	CHECK(tr_db_merge_parts(db, 2) == TR_OK);
	tr_db_free(db);
	std::map<std::string, unsigned> f = facets(path.c_str(), "Sprachförderung", false);
	CHECK(f["total"] == 5);
	CHECK(facet(f, TR_FACET_DISTRICT, "bautzen") == 2 && facet(f, TR_FACET_DISTRICT, "goerlitz") == 2 &&
	      facet(f, TR_FACET_DISTRICT, "dresden") == 2);
	CHECK(facet(f, TR_FACET_TOPIC, "kita") == 2 && facet(f, TR_FACET_TOPIC, "beruf") == 2 &&
	      facet(f, TR_FACET_TOPIC, "sprache") == 1);
	CHECK(facet(f, TR_FACET_MONTH, "202002") == 2 && facet(f, TR_FACET_MONTH, "202003") == 2 &&
	      facet(f, TR_FACET_MONTH, "201901") == 1);
	/* A later run over the merged index goes on with the merged list. */
	db = open_write(path);
	add(db, "/p/e.txt", "Sprachförderung in Meißen.", "meissen", "goerlitz", 2020, 3, "beruf");
	CHECK(tr_db_commit(db) == TR_OK);
	tr_db_free(db);
	f = facets(path.c_str(), "Sprachförderung", false);
	CHECK(facet(f, TR_FACET_DISTRICT, "meissen") == 1 && facet(f, TR_FACET_DISTRICT, "goerlitz") == 3 &&
	      facet(f, TR_FACET_DISTRICT, "bautzen") == 2 && facet(f, TR_FACET_TOPIC, "beruf") == 3);
}

/* Two shards indexed apart, meeting the keys in other orders, searched as one set. */
static void
check_shards(const std::string &dir)
{
	tr_db *a = open_write(dir + "/shard-a"), *b = open_write(dir + "/shard-b");
	const char *shards[] = { "shard-a", "shard-b" };

	add(a, "/s/1.txt", "Sprachförderung eins.", "leipzig", NULL, 2020, 1, "kita");
	add(a, "/s/2.txt", "Sprachförderung zwei.", "chemnitz", NULL, 2021, 2, "beruf");
	add(b, "/s/3.txt", "Sprachförderung drei.", "chemnitz", "leipzig", 2021, 2, "beruf");
	add(b, "/s/4.txt", "Sprachförderung vier.", "vogtland", NULL, 2020, 1, "kita");
	add(b, "/s/5.txt", "Sprachförderung fünf.", "leipzig", NULL, 2022, 7, "kita");
	for (tr_db *s : { a, b }) {
		CHECK(tr_db_commit(s) == TR_OK);
		tr_db_free(s);
	}
	CHECK(tr_db_write_stub(dir.c_str(), shards, 2, NULL) == TR_OK);
	std::map<std::string, unsigned> f = facets(dir.c_str(), "Sprachförderung", false);
	CHECK(f["total"] == 5);
	CHECK(facet(f, TR_FACET_DISTRICT, "leipzig") == 3 && facet(f, TR_FACET_DISTRICT, "chemnitz") == 2 &&
	      facet(f, TR_FACET_DISTRICT, "vogtland") == 1);
	CHECK(facet(f, TR_FACET_TOPIC, "kita") == 3 && facet(f, TR_FACET_TOPIC, "beruf") == 2);
	CHECK(facet(f, TR_FACET_MONTH, "202001") == 2 && facet(f, TR_FACET_MONTH, "202102") == 2 &&
	      facet(f, TR_FACET_MONTH, "202207") == 1);
}

static unsigned
district(std::map<std::string, unsigned> &f, const char *key)
{
	return f[std::to_string(TR_FACET_DISTRICT) + ":" + key];
}

int
main(void)
{
	char *index = NULL;
	tr_db *db = fixture_open_index(dir, &index);

	if (!db)
		return 1;
	std::string path(index);
	free(index);
	/* Two copies of one text: the one with the larger path comes first. */
	add(db, "/b/kopie.txt", "Elternabend zur Sprachförderung in der Kita.", "leipzig", NULL, 2021, 5);
	add(db, "/a/kopie.txt", "Elternabend zur Sprachförderung in der Kita.", "dresden", "chemnitz", 2021, 6);
	add(db, "/a/eins.txt", "Sprachförderung im Hort, ein Bericht.", "leipzig", "dresden", 2020);
	CHECK(tr_db_commit(db) == TR_OK);
	tr_db_free(db);

	std::map<std::string, unsigned> folded = facets(path.c_str(), "Sprachförderung", false);
	std::map<std::string, unsigned> copies = facets(path.c_str(), "Sprachförderung", true);
	/* Texts, not files: the copy counted is /a/kopie.txt (Dresden, Chemnitz). */
	CHECK(folded["total"] == 2);
	CHECK(district(folded, "dresden") == 2 && district(folded, "chemnitz") == 1 && district(folded, "leipzig") == 1);
	CHECK(folded[std::to_string(TR_FACET_YEAR) + ":2021"] == 1);
	/* Months of the dates that have one; the copy not counted leaves no month behind, not even with 0. */
	CHECK(folded[std::to_string(TR_FACET_MONTH) + ":202106"] == 1);
	CHECK(folded.count(std::to_string(TR_FACET_MONTH) + ":202105") == 0);
	CHECK(folded.count(std::to_string(TR_FACET_MONTH) + ":202000") == 0 && folded.count(std::to_string(TR_FACET_MONTH) + ":2020") == 0);
	/* Every file with --alle-fassungen. */
	CHECK(copies["total"] == 3);
	CHECK(district(copies, "dresden") == 2 && district(copies, "chemnitz") == 1 && district(copies, "leipzig") == 2);
	CHECK(copies[std::to_string(TR_FACET_MONTH) + ":202105"] == 1 && copies[std::to_string(TR_FACET_MONTH) + ":202106"] == 1);

	/*
	 * One copy without slot 12 (/a/kopie.txt): a handle's
	 * column has the other two, this one is read from its slots, and the
	 * copy counted is still the one with the smaller path.
	 */
	Xapian::docid without = 0;
	{
		Xapian::WritableDatabase w(path);
		for (Xapian::PostingIterator p = w.postlist_begin(""); p != w.postlist_end(""); ++p) {
			Xapian::Document d = w.get_document(*p);
			if (d.get_value(path_slot) != "/a/kopie.txt")
				continue;
			without = *p;
			d.remove_value(counted_slot);
			w.replace_document(*p, d);
		}
		w.commit();
	}
	CHECK(without != 0);
	CHECK(facets(path.c_str(), "Sprachförderung", false) == folded);
	CHECK(facets(path.c_str(), "Sprachförderung", true) == copies);

	/* The same index as format 3 wrote it: no slot 12. */
	{
		Xapian::WritableDatabase w(path);
		for (Xapian::PostingIterator p = w.postlist_begin(""); p != w.postlist_end(""); ++p) {
			Xapian::Document d = w.get_document(*p);
			if (d.get_value(counted_slot).empty()) {
				CHECK(*p == without);
				continue;
			}
			d.remove_value(counted_slot);
			w.replace_document(*p, d);
		}
		w.commit();
	}
	CHECK(facets(path.c_str(), "Sprachförderung", false) == folded);
	CHECK(facets(path.c_str(), "Sprachförderung", true) == copies);

	check_later_run(std::string(dir) + "/later");
	check_reindexed(std::string(dir) + "/reindexed");
	check_parts(std::string(dir) + "/parts");
	CHECK(mkdir((std::string(dir) + "/set").c_str(), 0777) == 0);
	check_shards(std::string(dir) + "/set");

	if (system(("rm -rf '" + std::string(dir) + "'").c_str()) != 0)
		CHECK(!"cleanup");
	return check_done();
}
