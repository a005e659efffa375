/*
 * Why found (lib/explain.c, lib/db_explain.cc): every rule has its names,
 * each hit's matches name the rule that searched the term, leaving the
 * rule out loses the hit, tr_db_why() tells a filter and a missing word
 * from a match, and the record's metadata origins read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "tellerrand/db.h"
#include "tellerrand/explain.h"

static void
test_names(void)
{
	tr_rule r;

	for (int i = 0; i < TR_RULE_COUNT; i++) {
		CHECK(strcmp(tr_rule_key((tr_rule)i), "unknown") != 0);
		CHECK(strcmp(tr_rule_label((tr_rule)i), "unbekannt") != 0);
		CHECK_MSG(tr_rule_from_name(&r, tr_rule_key((tr_rule)i)) == TR_OK && r == (tr_rule)i, "%s", tr_rule_key((tr_rule)i));
	}
	CHECK(tr_rule_from_name(&r, "wortteil") == TR_OK && r == TR_RULE_COMPOUND);
	CHECK(tr_rule_from_name(&r, "Geschlecht") == TR_OK && r == TR_RULE_GENDER);
	CHECK(tr_rule_from_name(&r, "nichts") == TR_EINVAL);
	CHECK_STR(tr_meta_source_label("folder"), "Ordner oder Dateiname");
	CHECK_STR(tr_meta_source_label("??"), "unbekannt");
}

static void
add(tr_db *db, const char *path, const char *body, const char *district, const char *where, unsigned line)
{
	tr_doc *doc = tr_doc_new();

	doc->path = strdup(path);
	doc->relpath = strdup(path + 1);
	doc->title = strdup("Titel");
	doc->body = strdup(body);
	doc->format = strdup("text");
	doc->mime = strdup("text/plain");
	doc->date = (tr_date){ 2019, 1, 0 };
	doc->date_source = TR_SOURCE_FOLDER;
	doc->date_where = strdup("2019-01 Fachtag/x.txt");
	if (district) {
		tr_strv_add_unique(&doc->districts, &doc->n_districts, district);
		doc->district_source = TR_SOURCE_TEXT;
		doc->district_where = strdup(where);
		doc->district_line = line;
	}
	CHECK_MSG(tr_db_replace(db, doc) == TR_OK, "%s: %s", path, tr_db_errmsg(db));
	tr_doc_free(doc);
}

/* The rule of the first match of @h for the word @word, or -1. */
static int
rule_of(const tr_hit *h, const char *term)
{
	for (size_t i = 0; i < h->n_matches; i++)
		if (strcmp(h->matches[i].term, term) == 0)
			return (int)h->matches[i].rule;
	return -1;
}

static tr_results *
search(tr_db *db, const char *text, unsigned off)
{
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;

	q.text = text;
	q.internal = true;
	q.explain = true;
	q.rules_off = off;
	CHECK_MSG(tr_db_search(db, &q, &r) == TR_OK, "'%s': %s", text, tr_db_errmsg(db));
	return r;
}

static void
test_search(tr_db *db)
{
	tr_results *r = search(db, "Koordinator", 0);
	tr_meta_origin o[TR_META_COUNT];

	CHECK(r && r->n_hits == 1);
	if (r && r->n_hits == 1) {
		const tr_hit *h = &r->hits[0];
		CHECK_STR(h->path, "/e/bk.txt");
		CHECK(rule_of(h, "XCkoordinator") == TR_RULE_COMPOUND);
		CHECK(h->n_matches > 0 && h->matches[0].weight > 0);
		CHECK(h->n_matches > 0 && h->matches[0].found_in && strcmp(h->matches[0].found_in, "bildungskoordinatorinnen") == 0);
		CHECK(tr_hit_meta_origins(h, o) == TR_OK);
		CHECK_STR(o[TR_META_DISTRICTS].source, "text");
		CHECK_STR(o[TR_META_DISTRICTS].evidence, "Das Landratsamt in Freiberg");
		CHECK(o[TR_META_DISTRICTS].line == 3);
		CHECK_STR(o[TR_META_DATE].source, "folder");
		CHECK_STR(o[TR_META_DATE].evidence, "2019-01 Fachtag/x.txt");
		CHECK(o[TR_META_DATE].line == 0);
		tr_meta_origins_clear(o);
	}
	tr_results_free(r);
	r = search(db, "Koordinator", TR_RULE_BIT(TR_RULE_COMPOUND));
	CHECK(r && r->n_hits == 0);
	tr_results_free(r);
	/* Without explain, no matches. */
	{
		tr_search q = TR_SEARCH_INIT;
		q.text = "Koordinator";
		CHECK(tr_db_search(db, &q, &r) == TR_OK && r->n_hits == 1 && r->hits[0].n_matches == 0);
		tr_results_free(r);
	}
}

static void
test_why(tr_db *db)
{
	tr_search q = TR_SEARCH_INIT;
	const char *dd[] = { "dresden" };
	tr_why *w = NULL;

	q.text = "Koordinator Flughafen";
	q.internal = true;
	q.districts = dd;
	q.n_districts = 1;
	CHECK(tr_db_why(db, &q, "/e/bk.txt", &w) == TR_OK);
	CHECK(w && w->indexed && !w->found && w->words_match);
	CHECK(w && w->filtered[0] && !w->passes[0] && !w->filtered[3] && w->passes[3]);
	CHECK(w && w->n_words == 2);
	if (w && w->n_words == 2) {
		CHECK_STR(w->words[0].word, "koordinator");
		CHECK(w->words[0].found && !w->words[1].found && w->words[1].n_forms >= 2);
	}
	tr_why_free(w);
	q.n_districts = 0;
	CHECK(tr_db_why(db, &q, "/e/bk.txt", &w) == TR_OK && w->found && w->rank == 1);
	tr_why_free(w);
	CHECK(tr_db_why(db, &q, "/e/nicht-da.txt", &w) == TR_OK && !w->indexed && !w->hit);
	tr_why_free(w);
}

int
main(void)
{
	char dir[] = "/tmp/tr-explain-XXXXXX", *path = NULL;
	tr_db *db = NULL;

	test_names();
	if (!(db = fixture_open_index(dir, &path)))
		return 1;
	add(db, "/e/bk.txt", "Einladung\n\nDas Landratsamt in Freiberg\nlädt die Bildungskoordinatorinnen ein.",
	    "mittelsachsen", "Das Landratsamt in Freiberg", 3);
	add(db, "/e/other.txt", "Ein Text über den Flughafenbau.", NULL, NULL, 0);
	CHECK(tr_db_commit(db) == TR_OK);
	test_search(db);
	test_why(db);
	tr_db_free(db);
	fixture_remove_dir(dir);
	free(path);
	return check_done();
}
