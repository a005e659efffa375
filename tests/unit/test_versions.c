/*
 * Versions ("Fassungen") in an archive where a footer is in thousands of
 * documents: a draft and its final form, both with the footer, still fold
 * into one hit.  Looked up by every sketch hash, the footer's hashes made
 * the circulars fill the candidates read for a page (2,000), and the draft,
 * indexed after them, was never compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "tellerrand/db.h"

#define CIRCULARS 2100

static char dir[] = "/tmp/tr-test-versions-XXXXXX";

static const char footer[] =
	"Koordinierungsstelle Bildung für Neuzugewanderte im Landratsamt, Bahnhofstraße 12. "
	"Telefonisch erreichen Sie uns montags bis donnerstags während der Sprechzeiten; "
	"Ansprechpartnerin für alle Fragen der Bildungskoordination ist die Geschäftsstelle. "
	"Weitere Informationen finden Sie auf unserer Internetseite und im monatlichen "
	"Newsletter des Netzwerks.";

static const char report[] =
	"Bericht über die Arbeitsgruppe Elternarbeit im Erzgebirgskreis. Die Arbeitsgruppe hat "
	"sich im vergangenen Halbjahr %s getroffen und dabei die Zusammenarbeit mit den "
	"Grundschulen in Annaberg-Buchholz, Aue und Marienberg ausgewertet. Besonders bewährt "
	"haben sich die Elterncafés, in denen Sprachmittlerinnen Gespräche zwischen Lehrkräften "
	"und Familien begleiten. Schwierig bleibt die Erreichbarkeit von Familien, die erst kurz "
	"in Deutschland leben und noch keinen festen Wohnsitz haben. Für das kommende Schuljahr "
	"plant die Gruppe einen gemeinsamen Elternabend mit dem Jugendmigrationsdienst sowie eine "
	"Handreichung für Lehrkräfte, die erstmals eine Vorbereitungsklasse übernehmen. Die "
	"Handreichung soll %s erscheinen und auch in einfacher Sprache vorliegen.\n\n%s";

static void
add(tr_db *db, const char *path, const char *title, const char *body, int day)
{
	tr_doc *doc = fixture_text_doc(path, title, body);

	doc->type = TR_DOCTYPE_SONSTIGES;
	doc->date.year = 2024;
	doc->date.month = 3;
	doc->date.day = day;
	CHECK(tr_db_replace(db, doc) == TR_OK);
	tr_doc_free(doc);
}

int
main(void)
{
	tr_db *db = NULL;
	char *path = NULL, body[4096], name[64];
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;

	if (!(db = fixture_open_index(dir, &path)))
		return 1;
	for (int i = 1; i <= CIRCULARS; i++) {
		snprintf(body, sizeof body, "Die Sprechstunde Nummer %d findet am Dienstag statt.\n\n%s", i, footer);
		snprintf(name, sizeof name, "/a/rundschreiben/rs_%d.txt", i);
		add(db, name, "Rundschreiben", body, 1);
	}
	CHECK(tr_db_commit(db) == TR_OK);
	/* Indexed after the circulars: higher document ids. */
	snprintf(body, sizeof body, report, "dreimal", "im Sommer", footer);
	add(db, "/a/berichte/bericht_entwurf.txt", "Bericht Elternarbeit", body, 5);
	snprintf(body, sizeof body, report, "viermal", "im Frühjahr", footer);
	add(db, "/a/berichte/bericht.txt", "Bericht Elternarbeit", body, 12);
	CHECK(tr_db_commit(db) == TR_OK);

	q.internal = true;
	q.text = "Elternarbeit";
	CHECK(tr_db_search(db, &q, &r) == TR_OK);
	CHECK_MSG(r && r->n_hits == 1, "the draft folds under the final: %zu hits", r ? r->n_hits : 0);
	if (r && r->n_hits) {
		CHECK_STR(r->hits[0].path, "/a/berichte/bericht.txt");
		CHECK_MSG(r->hits[0].n_versions == 1, "the draft is listed as a version: %zu versions", r->hits[0].n_versions);
		if (r->hits[0].n_versions)
			CHECK_STR(r->hits[0].versions[0].path, "/a/berichte/bericht_entwurf.txt");
	}
	tr_results_free(r);

	/* The circulars are found as before. */
	q.text = "Sprechstunde";
	r = NULL;
	CHECK(tr_db_search(db, &q, &r) == TR_OK);
	CHECK(r && r->n_hits > 0 && strstr(r->hits[0].path, "/a/rundschreiben/") != NULL);
	tr_results_free(r);

	tr_db_free(db);
	fixture_remove_dir(dir);
	free(path);
	return check_done();
}
