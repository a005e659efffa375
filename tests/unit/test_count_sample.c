/*
 * The count pass above its bound (tr_search.count_max) counts a fair
 * sample: the texts whose same-text key falls into the 1-in-2^k sample,
 * wherever they are in the index, copies together (docs/terms.md, "Count
 * sample").  Counting the first matches instead sees only the districts
 * of the folders the walk met first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "tellerrand/db.h"

static char dir[] = "/tmp/tr-test-count-sample-XXXXXX";

/* Text number @n of district @district at @path. */
static void
add(tr_db *db, const char *path, int n, const char *district, int year)
{
	char body[128];
	tr_doc *doc;

	snprintf(body, sizeof body, "Sprachförderung im Bericht Nummer %d über die Kita.", n);
	doc = fixture_text_doc(path, "Bericht", body);
	tr_strv_add_unique(&doc->districts, &doc->n_districts, district);
	doc->type = TR_DOCTYPE_PROTOKOLL;
	doc->date.year = year;
	CHECK(tr_db_replace(db, doc) == TR_OK);
	tr_doc_free(doc);
}

/* The count of @value in facet @kind of @r; 0 when it is not there. */
static unsigned
facet(const tr_results *r, int kind, const char *value)
{
	for (size_t i = 0; i < r->n_facets[kind]; i++)
		if (strcmp(r->facets[kind][i].value, value) == 0)
			return r->facets[kind][i].count;
	return 0;
}

static tr_results *
search(tr_db *db, unsigned count_max, bool all_copies)
{
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;

	q.text = "Sprachförderung";
	q.count_max = count_max;
	q.all_copies = all_copies;
	CHECK(tr_db_search(db, &q, &r) == TR_OK && r);
	return r;
}

static bool
near(unsigned got, unsigned want)
{
	return got >= want * 2 / 3 && got <= want * 4 / 3;
}

int
main(void)
{
	char *path = NULL, file[64];
	tr_db *db;
	tr_search q;
	tr_results *r;

	if (!(db = fixture_open_index(dir, &path)))
		return 1;
	/* In index order: 300 texts of Leipzig, 300 of Dresden, then copies of Leipzig's. */
	for (int i = 0; i < 300; i++) {
		snprintf(file, sizeof file, "/a/leipzig-%03d.txt", i);
		add(db, file, i, "leipzig", 2020);
	}
	for (int i = 300; i < 600; i++) {
		snprintf(file, sizeof file, "/b/dresden-%03d.txt", i);
		add(db, file, i, "dresden", 2021);
	}
	for (int i = 0; i < 300; i++) {
		snprintf(file, sizeof file, "/c/kopie-%03d.txt", i);
		add(db, file, i, "leipzig", 2020);
	}
	/* Texts without the words, so that the archive is larger than the matches. */
	for (int i = 0; i < 900; i++) {
		tr_doc *doc;
		char body[64];

		snprintf(file, sizeof file, "/d/protokoll-%03d.txt", i);
		snprintf(body, sizeof body, "Protokoll der Sitzung Nummer %d.", i);
		doc = fixture_text_doc(file, "Protokoll", body);
		CHECK(tr_db_replace(db, doc) == TR_OK);
		tr_doc_free(doc);
	}
	CHECK(tr_db_commit(db) == TR_OK);

	/* Under the bound: every match counted. */
	r = search(db, 0, false);
	CHECK(r->exact && r->estimate == 600 && r->files == 900);
	CHECK(facet(r, TR_FACET_DISTRICT, "leipzig") == 300 && facet(r, TR_FACET_DISTRICT, "dresden") == 300);
	tr_results_free(r);

	/* Above it: a sample of texts, both halves of the index in it, copies folded. */
	r = search(db, 200, false);
	CHECK(!r->exact);
	CHECK_MSG(near(r->estimate, 600) && near(r->files, 900), "estimate %u, files %u", r->estimate, r->files);
	CHECK_MSG(near(facet(r, TR_FACET_DISTRICT, "leipzig"), 300) && near(facet(r, TR_FACET_DISTRICT, "dresden"), 300),
	          "leipzig %u, dresden %u", facet(r, TR_FACET_DISTRICT, "leipzig"), facet(r, TR_FACET_DISTRICT, "dresden"));
	CHECK(near(facet(r, TR_FACET_YEAR, "2021"), 300));
	tr_results_free(r);

	/*
	 * A bound the matches fit under, which Xapian's estimate of an OR
	 * overshoots (it takes the words as independent): the sample it
	 * leads to shows that, and the rest is counted, exactly.
	 */
	q = (tr_search)TR_SEARCH_INIT;
	q.text = "Sprachförderung OR Kita";
	q.count_max = 1000;
	r = NULL;
	CHECK(tr_db_search(db, &q, &r) == TR_OK && r);
	CHECK_MSG(r->exact && r->estimate == 600 && r->files == 900, "estimate %u, files %u", r->estimate, r->files);
	CHECK(facet(r, TR_FACET_DISTRICT, "dresden") == 300 && facet(r, TR_FACET_DISTRICT, "leipzig") == 300);
	CHECK(facet(r, TR_FACET_YEAR, "2021") == 300);
	tr_results_free(r);

	/*
	 * A phrase, which Xapian estimates as a share of its words' AND (here
	 * at a ninth of its matches), at a bound it exceeds: a first small
	 * sample tells the level, and the rest of that level is counted
	 * outside it.  Counting the first sample again would add half.
	 */
	q = (tr_search)TR_SEARCH_INIT;
	q.text = "\"im Bericht Nummer\"";
	q.count_max = 250;
	r = NULL;
	CHECK(tr_db_search(db, &q, &r) == TR_OK && r);
	CHECK_MSG(!r->exact && near(r->estimate, 600) && near(r->files, 900), "estimate %u, files %u", r->estimate,
	          r->files);
	CHECK_MSG(near(facet(r, TR_FACET_DISTRICT, "leipzig"), 300) && near(facet(r, TR_FACET_DISTRICT, "dresden"), 300),
	          "leipzig %u, dresden %u", facet(r, TR_FACET_DISTRICT, "leipzig"), facet(r, TR_FACET_DISTRICT, "dresden"));
	tr_results_free(r);

	/* Every copy counted (--alle-fassungen): Leipzig has twice the files. */
	r = search(db, 200, true);
	CHECK(!r->exact && near(r->estimate, 900));
	CHECK_MSG(near(facet(r, TR_FACET_DISTRICT, "leipzig"), 600) && near(facet(r, TR_FACET_DISTRICT, "dresden"), 300),
	          "leipzig %u, dresden %u", facet(r, TR_FACET_DISTRICT, "leipzig"), facet(r, TR_FACET_DISTRICT, "dresden"));
	tr_results_free(r);

	tr_db_free(db);
	fixture_remove_dir(dir);
	free(path);
	return check_done();
}
