/*
 * The count pass's one value per document (TR_SLOT_COUNTED, index format
 * 4): facets count the copy of a text with the smallest path, district and
 * topic keys one by one, and an index built before the value existed
 * (its documents without slot 12) shows the same counts.  C++ because
 * taking the value out of the stored documents needs Xapian itself.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <map>
#include <string>

#include <xapian.h>

#include "check.h"
#include "fixture.h"
#include "tellerrand/db.h"

static char dir[] = "/tmp/tr-test-counted-XXXXXX";

/* The slot of lib/terms.h's TR_SLOT_COUNTED (docs/terms.md). */
static const Xapian::valueno counted_slot = 12;

static void
add(tr_db *db, const char *path, const char *body, const char *d1, const char *d2, int year, int month = 0)
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
	doc->type = TR_DOCTYPE_PROTOKOLL;
	doc->date.year = year;
	doc->date.month = month;
	doc->date.day = month ? 14 : 0;
	CHECK(tr_db_replace(db, doc) == TR_OK);
	tr_doc_free(doc);
}

/* Every facet of a search for @text as "kind:value" -> count. */
static std::map<std::string, unsigned>
facets(const char *path, const char *text, bool all_copies)
{
	std::map<std::string, unsigned> out;
	tr_db *db = NULL;
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;

	CHECK(tr_db_open(&db, path, TR_DB_READ, NULL) == TR_OK);
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
	tr_db_free(db);
	return out;
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

	/* The same index as format 3 wrote it: no slot 12. */
	{
		Xapian::WritableDatabase w(path);
		for (Xapian::PostingIterator p = w.postlist_begin(""); p != w.postlist_end(""); ++p) {
			Xapian::Document d = w.get_document(*p);
			CHECK(!d.get_value(counted_slot).empty());
			d.remove_value(counted_slot);
			w.replace_document(*p, d);
		}
		w.commit();
	}
	CHECK(facets(path.c_str(), "Sprachförderung", false) == folded);
	CHECK(facets(path.c_str(), "Sprachförderung", true) == copies);

	if (system(("rm -rf '" + std::string(dir) + "'").c_str()) != 0)
		CHECK(!"cleanup");
	return check_done();
}
