/* The Xapian shim: identity, filters, facets, sorting, errors as statuses. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "printer.h"
#include "tellerrand/db.h"

static char dir[] = "/tmp/tr-test-db-XXXXXX";

static tr_doc *
make_doc(const char *path, const char *title, const char *body, const char *district,
         tr_doctype type, int y, int m, int d)
{
	tr_doc *doc = fixture_text_doc(path, title, body);

	if (district)
		tr_strv_add_unique(&doc->districts, &doc->n_districts, district);
	doc->type = type;
	doc->date.year = y;
	doc->date.month = m;
	doc->date.day = d;
	return doc;
}

static void
add(tr_db *db, tr_doc *doc)
{
	CHECK(tr_db_replace(db, doc) == TR_OK);
	tr_doc_free(doc);
}

static tr_results *
search(tr_db *db, const char *text, const char *district, tr_sort sort)
{
	tr_search q = TR_SEARCH_INIT;
	const char *districts[1] = { district };
	tr_results *r = NULL;
	tr_status st;

	q.internal = true;
	q.text = text;
	q.sort = sort;
	if (district) {
		q.districts = districts;
		q.n_districts = 1;
	}
	st = tr_db_search(db, &q, &r);
	CHECK_MSG(st == TR_OK, "search '%s': %s", text, tr_db_errmsg(db));
	return r;
}

int
main(void)
{
	tr_db *db = NULL, *db2 = NULL;
	char *err = NULL, *path = NULL;
	char longpath[600];
	unsigned n = 0;
	tr_results *r;

	if (!mkdtemp(dir))
		return 1;
	if (asprintf(&path, "%s/index", dir) < 0)
		return 1;

	/* Reading a missing index is "not found", with a message. */
	CHECK(tr_db_open(&db, path, TR_DB_READ, &err) == TR_ENOTFOUND);
	CHECK(db == NULL && err != NULL);
	free(err);
	err = NULL;

	CHECK(tr_db_open(&db, path, TR_DB_WRITE, &err) == TR_OK);
	add(db, make_doc("/a/pm.txt", "Netzwerktreffen in Freiberg",
	                 "Die Bildungskoordinatoren sprachen über nachholende Schulbildung.",
	                 "mittelsachsen", TR_DOCTYPE_PRESSEMITTEILUNG, 2017, 9, 15));
	add(db, make_doc("/a/protokoll.txt", "Protokoll AG Sprache",
	                 "Tagesordnung: Sprachkurse und Schulbildung für Kinder.",
	                 "leipzig", TR_DOCTYPE_PROTOKOLL, 2019, 3, 12));
	add(db, make_doc("/a/alt.txt", "Alte Notiz", "Schulbildung und Kita in Borna.",
	                 "landkreis-leipzig", TR_DOCTYPE_SONSTIGES, 2016, 0, 0));
	/* A second version of the same path replaces the first. */
	add(db, make_doc("/a/pm.txt", "Netzwerktreffen in Freiberg",
	                 "Die Bildungskoordinatoren sprachen über nachholende Schulbildung und Integration.",
	                 "mittelsachsen", TR_DOCTYPE_PRESSEMITTEILUNG, 2017, 9, 15));
	/* A path longer than a Xapian term still gets its own identity. */
	memset(longpath, 'x', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	add(db, make_doc(longpath, "Lang", "Ein sehr tief abgelegtes Dokument.", NULL,
	                 TR_DOCTYPE_SONSTIGES, 2020, 1, 1));
	add(db, make_doc(longpath, "Lang", "Ein sehr tief abgelegtes Dokument.", NULL,
	                 TR_DOCTYPE_SONSTIGES, 2020, 1, 1));
	CHECK(tr_db_commit(db) == TR_OK);
	CHECK(tr_db_doccount(db, &n) == TR_OK && n == 4);

	/* A second writer is refused with the lock status, not an exception. */
	CHECK(tr_db_open(&db2, path, TR_DB_WRITE, &err) == TR_ELOCKED);
	CHECK(err != NULL);
	free(err);
	err = NULL;

	/* Capitalised nouns are stemmed: the singular finds the plural. */
	r = search(db, "Bildungskoordinator", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 1 && strcmp(r->hits[0].path, "/a/pm.txt") == 0);
	tr_results_free(r);

	/* Phrases match across inflection. */
	r = search(db, "\"nachholenden Schulbildung\"", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 1);
	if (r && r->n_hits)
		CHECK(strstr(r->hits[0].snippet, "\x02") != NULL);
	tr_results_free(r);

	/*
	 * A missing word does not empty the list; full matches rank first.
	 * The count and the facets are of the one document with both words;
	 * the two with only "Schulbildung" are listed after it.
	 */
	r = search(db, "Schulbildung Sprachkurse", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 3 && strcmp(r->hits[0].path, "/a/protokoll.txt") == 0);
	CHECK(r && r->reading == TR_READING_ALL_WORDS && r->estimate == 1 && r->partial == 2);
	CHECK(r && r->n_facets[TR_FACET_DISTRICT] == 1 && strcmp(r->facets[TR_FACET_DISTRICT][0].value, "leipzig") == 0);
	tr_results_free(r);
	/* No document has both words: those with either are counted. */
	r = search(db, "Sprachkurse Borna", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 2 && r->reading == TR_READING_SOME_WORDS && r->estimate == 2 && r->partial == 0);
	CHECK(r && r->n_facets[TR_FACET_DISTRICT] == 2);
	tr_results_free(r);
	/* One word: one reading. */
	r = search(db, "Schulbildung", NULL, TR_SORT_AUTO);
	CHECK(r && r->reading == TR_READING_ANY && r->estimate == 3 && r->partial == 0);
	tr_results_free(r);
	/*
	 * "Without this filter" counts what dropping the filter would show:
	 * in Mittelsachsen no document has both words (one has one), without
	 * the filter one has both.
	 */
	{
		tr_search q = TR_SEARCH_INIT;
		const char *districts[1] = { "mittelsachsen" };
		q.internal = true;
		q.text = "Schulbildung Sprachkurse";
		q.districts = districts;
		q.n_districts = 1;
		q.filter_counts = true;
		r = NULL;
		CHECK(tr_db_search(db, &q, &r) == TR_OK);
		CHECK(r && r->reading == TR_READING_SOME_WORDS && r->estimate == 1);
		CHECK(r && r->unfiltered[TR_FACET_DISTRICT] == 1 && r->n_facets[TR_FACET_DISTRICT] == 1 &&
		      strcmp(r->facets[TR_FACET_DISTRICT][0].value, "leipzig") == 0);
		tr_results_free(r);
	}

	/* District filter, and filters alone list newest first. */
	r = search(db, "Schulbildung", "leipzig", TR_SORT_AUTO);
	CHECK(r && r->n_hits == 1 && strcmp(r->hits[0].path, "/a/protokoll.txt") == 0);
	tr_results_free(r);
	r = search(db, "", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 4);
	CHECK(r && strcmp(r->hits[0].date, "2020-01-01") == 0 && strcmp(r->hits[3].date, "2016") == 0);
	CHECK(r && r->n_facets[TR_FACET_YEAR] == 4 && strcmp(r->facets[TR_FACET_YEAR][0].value, "2020") == 0);
	tr_results_free(r);

	/* Date range on the sortable slot. */
	{
		tr_search q = TR_SEARCH_INIT;
		q.date_from = "20170901";
		q.date_to = "20191231";
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_hits == 2);
		tr_results_free(r);
	}

	/* Snippets are plain text: markup in a document is neither lost nor escaped twice. */
	add(db, make_doc("/a/markup.txt", "Markup", "Die Klasse <b>Vorkurs</b> & Co. lernt in Pirna.",
	                 NULL, TR_DOCTYPE_SONSTIGES, 2022, 1, 1));
	CHECK(tr_db_commit(db) == TR_OK);
	r = search(db, "Vorkurs", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 1 && strstr(r->hits[0].snippet, "<b>\x02Vorkurs\x03</b> & Co.") != NULL);
	tr_results_free(r);
	CHECK(tr_db_delete(db, "/a/markup.txt") == TR_OK);
	CHECK(tr_db_commit(db) == TR_OK);

	/*
	 * The snippet shows where the query's words stand together, also
	 * inside „quotes“; a text without any of them (a title match) shows
	 * its start, not its last lines.
	 */
	{
		char body[4096];
		size_t n = (size_t)snprintf(body, sizeof body, "Elternarbeit an der Grundschule in Pirna. ");
		for (int i = 0; i < 30; i++)
			n += (size_t)snprintf(body + n, sizeof body - n, "Die Gruppe trifft sich jeden Montag im Rathaus. ");
		snprintf(body + n, sizeof body - n, "Der Fachtag „Elternarbeit und Sprachförderung“ fand in Riesa statt. Impressum.");
		add(db, make_doc("/a/fachtag.txt", "Sprachcafé", body, NULL, TR_DOCTYPE_SONSTIGES, 2022, 1, 1));
		CHECK(tr_db_commit(db) == TR_OK);
		r = search(db, "Elternarbeit Sprachförderung", NULL, TR_SORT_AUTO);
		CHECK(r && r->n_hits == 1 &&
		      strstr(r->hits[0].snippet, "„\x02" "Elternarbeit\x03 und \x02" "Sprachförderung\x03“") != NULL);
		tr_results_free(r);
		r = search(db, "Sprachcafé", NULL, TR_SORT_AUTO);
		CHECK(r && r->n_hits == 1 && strncmp(r->hits[0].snippet, "Elternarbeit an der Grundschule", 31) == 0);
		tr_results_free(r);
		CHECK(tr_db_delete(db, "/a/fachtag.txt") == TR_OK);
		CHECK(tr_db_commit(db) == TR_OK);
	}

	/*
	 * Phrases with numbers match across inflection too, and only in order:
	 * a number's position is kept like a word's.
	 */
	add(db, make_doc("/a/zahlen.txt", "Teilnahme", "Gäste aus allen 13 Landkreisen, 13 Gemeinden aus allen Kreisen.",
	                 NULL, TR_DOCTYPE_SONSTIGES, 2022, 1, 1));
	CHECK(tr_db_commit(db) == TR_OK);
	r = search(db, "\"alle 13 Landkreise\"", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 1);
	tr_results_free(r);
	r = search(db, "\"13 alle Landkreise\"", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 0);
	tr_results_free(r);
	r = search(db, "\"13 Kreisen\"", NULL, TR_SORT_AUTO);
	CHECK(r && r->n_hits == 0);
	tr_results_free(r);
	CHECK(tr_db_delete(db, "/a/zahlen.txt") == TR_OK);
	CHECK(tr_db_commit(db) == TR_OK);

	/* A typo gets a suggestion. */
	r = search(db, "Bildungskoordinatorn", NULL, TR_SORT_AUTO);
	CHECK(r && r->corrected && strstr(r->corrected, "Bildungskoordinatoren"));
	tr_results_free(r);

	/* Internal documents are invisible unless the search asks for them. */
	{
		tr_doc *doc = make_doc("/a/intern.txt", "Interne Notiz", "Vertrauliche Sprachkurse Planung.",
		                       "leipzig", TR_DOCTYPE_SONSTIGES, 2021, 5, 5);
		tr_search q = TR_SEARCH_INIT;

		doc->internal = true;
		add(db, doc);
		CHECK(tr_db_commit(db) == TR_OK);
		q.text = "Vertrauliche";
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_hits == 0 && r->estimate == 0);
		tr_results_free(r);
		q.text = "";
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_hits == 4 && r->n_facets[TR_FACET_YEAR] == 4);
		tr_results_free(r);
		/* Above the counting bound, the count and the facets are extrapolated and say so. */
		q.count_max = 2;
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_hits == 4 && !r->exact);
		if (r) {
			tr_printer_ctx pc = { 0 };
			json_t *o = tr_print_json(r, &pc);
			char *text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&text, &len);

			CHECK(o && json_is_false(json_object_get(o, "exact")));
			json_decref(o);
			if (f) {
				tr_print_text(f, r, &pc);
				fclose(f);
			}
			CHECK(text && strstr(text, "Jahre: ") && strstr(text, " (ca. "));
			free(text);
		}
		tr_results_free(r);
		q.count_max = 0;
		q.internal = true;
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_hits == 5);
		tr_results_free(r);
		/* Nor do their words surface as thesaurus expansions ("auch gesucht"). */
		doc = make_doc("/a/intern2.txt", "Intern", "Ein Kurs Deutsch als Zweitsprache.", NULL,
		               TR_DOCTYPE_SONSTIGES, 2021, 5, 5);
		doc->internal = true;
		add(db, doc);
		add(db, make_doc("/a/daz.txt", "DaZ", "DaZ in der Grundschule.", NULL,
		                 TR_DOCTYPE_SONSTIGES, 2021, 5, 6));
		CHECK(tr_db_commit(db) == TR_OK);
		q.text = "DaZ";
		q.internal = false;
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_also_searched == 0);
		tr_results_free(r);
		q.internal = true;
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_also_searched == 1);
		tr_results_free(r);
		CHECK(tr_db_delete(db, "/a/intern2.txt") == TR_OK);
		CHECK(tr_db_delete(db, "/a/daz.txt") == TR_OK);
		CHECK(tr_db_delete(db, "/a/intern.txt") == TR_OK);
	}

	/* Deleting by path. */
	CHECK(tr_db_delete(db, "/a/alt.txt") == TR_OK);
	CHECK(tr_db_commit(db) == TR_OK);
	CHECK(tr_db_doccount(db, &n) == TR_OK && n == 3);

	tr_db_free(db);
	fixture_remove_dir(dir);
	free(path);
	return check_done();
}
