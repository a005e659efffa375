/*
 * The server's worker threads search at once, each with its own handle:
 * nothing the library shares between handles may break then.  Searches
 * without words (every document, filtered) once crashed the server under
 * load, because they all copied one process-wide Xapian query
 * (Query::MatchAll, whose reference count is not atomic); with that bug
 * back, this test crashed in 2 of 5 runs here.  A race shows only
 * sometimes: a pass proves less than a failure.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "tellerrand/db.h"

#define THREADS 4
#define SEARCHES 3000

static char dir[] = "/tmp/tr-test-threads-XXXXXX";
static char *path;

static void *
search_loop(void *arg)
{
	tr_db *db = NULL;
	char *err = NULL;
	long bad = 0;

	if (tr_db_open(&db, path, TR_DB_READ, &err) != TR_OK) {
		free(err);
		return (void *)(long)SEARCHES;
	}
	for (int i = 0; i < SEARCHES; i++) {
		tr_search q = TR_SEARCH_INIT;
		const char *district = "leipzig";
		tr_results *r = NULL;

		q.text = "";
		q.snippet_length = 0;
		if (i % 2) {
			q.districts = &district;
			q.n_districts = 1;
		}
		if (tr_db_search(db, &q, &r) != TR_OK || r->estimate != (i % 2 ? 1u : 3u))
			bad++;
		tr_results_free(r);
	}
	tr_db_free(db);
	return (void *)bad;
}

int
main(void)
{
	pthread_t t[THREADS];
	tr_db *db = NULL;
	const char *districts[] = { "leipzig", "dresden", "chemnitz" };

	if (!(db = fixture_open_index(dir, &path)))
		return 1;
	for (int i = 0; db && i < 3; i++) {
		char p[32], body[64];
		tr_doc *doc;

		snprintf(p, sizeof p, "/a/%d.txt", i);
		snprintf(body, sizeof body, "Sprachkurse und Schulbildung in %s.", districts[i]);
		doc = fixture_text_doc(p, "Notiz", body);
		tr_strv_add_unique(&doc->districts, &doc->n_districts, districts[i]);
		CHECK(tr_db_replace(db, doc) == TR_OK);
		tr_doc_free(doc);
	}
	CHECK(db && tr_db_commit(db) == TR_OK);
	tr_db_free(db);

	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, search_loop, NULL) == 0);
	for (int i = 0; i < THREADS; i++) {
		void *bad = NULL;
		pthread_join(t[i], &bad);
		CHECK_MSG(bad == NULL, "thread %d: %ld of %d searches failed or miscounted", i, (long)bad, SEARCHES);
	}
	fixture_remove_dir(dir);
	free(path);
	return check_done();
}
