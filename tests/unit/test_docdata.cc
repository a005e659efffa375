/*
 * The record stored with each document (index format 5: NUL-separated
 * keys and values, docs/terms.md "Document data"): a hit shows what was
 * indexed, a path that is not UTF-8 byte for byte; an index of format 4
 * or before, whose records are JSON, shows the same until it is read
 * again; a damaged record shows what can be read of it.  C++ because
 * rewriting the stored records needs Xapian itself.
 */
#include <stdlib.h>
#include <string.h>

#include <string>

#include <xapian.h>

#include "check.h"
#include "fixture.h"
#include "tellerrand/db.h"
#include "tellerrand/explain.h"

static char dir[] = "/tmp/tr-test-docdata-XXXXXX";

/* "Beschlüsse" as an old Windows share names it: 0xFC is not UTF-8. */
static const char cp1252_path[] = "/share/Beschl\xfcsse.txt";

static void
add(tr_db *db)
{
	tr_doc *doc = fixture_text_doc(cp1252_path, "Protokoll der Sitzung",
	                               "Protokoll vom 3. März 2021\nSprachförderung im Landkreis Leipzig.");

	tr_strv_add_unique(&doc->districts, &doc->n_districts, "landkreis-leipzig");
	tr_strv_add_unique(&doc->districts, &doc->n_districts, "leipzig");
	tr_strv_add_unique(&doc->topics, &doc->n_topics, "sprachfoerderung");
	doc->type = TR_DOCTYPE_PROTOKOLL;
	doc->date.year = 2021;
	doc->date.month = 3;
	doc->date.day = 3;
	doc->date_source = TR_SOURCE_TEXT;
	doc->date_where = strdup("Protokoll vom 3. März 2021");
	doc->date_line = 1;
	doc->internal = true;
	CHECK(tr_db_replace(db, doc) == TR_OK);
	tr_doc_free(doc);
}

/* The one hit of "Sprachförderung", its fields and origins checked against what add() indexed. */
static void
check_hit(const char *path, const char *what)
{
	tr_db *db = NULL;
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;
	tr_meta_origin o[TR_META_COUNT];

	q.text = "Sprachförderung";
	q.internal = true;
	CHECK(tr_db_open(&db, path, TR_DB_READ, NULL) == TR_OK);
	CHECK(db && tr_db_search(db, &q, &r) == TR_OK && r && r->n_hits == 1);
	if (r && r->n_hits == 1) {
		const tr_hit *h = &r->hits[0];
		CHECK_MSG(h->path && strcmp(h->path, cp1252_path) == 0, "%s: path", what);
		CHECK_MSG(h->title && strcmp(h->title, "Protokoll der Sitzung") == 0, "%s: title", what);
		CHECK_MSG(h->type && strcmp(h->type, "protokoll") == 0, "%s: type", what);
		CHECK_MSG(h->date && strcmp(h->date, "2021-03-03") == 0, "%s: date", what);
		CHECK_MSG(h->n_districts == 2 && strcmp(h->districts[0], "landkreis-leipzig") == 0 &&
		          strcmp(h->districts[1], "leipzig") == 0, "%s: districts", what);
		CHECK_MSG(h->n_topics == 1 && strcmp(h->topics[0], "sprachfoerderung") == 0, "%s: topics", what);
		CHECK_MSG(h->internal, "%s: internal", what);
		CHECK_MSG(h->mime && strcmp(h->mime, "text/plain") == 0, "%s: mime", what);
		CHECK(tr_hit_meta_origins(h, o) == TR_OK);
		CHECK_MSG(o[TR_META_DATE].source && strcmp(o[TR_META_DATE].source, "text") == 0, "%s: date source", what);
		CHECK_MSG(o[TR_META_DATE].evidence && strcmp(o[TR_META_DATE].evidence, "Protokoll vom 3. März 2021") == 0,
		          "%s: date evidence", what);
		CHECK_MSG(o[TR_META_DATE].line == 1, "%s: date line", what);
		tr_meta_origins_clear(o);
	}
	tr_results_free(r);
	tr_db_free(db);
}

/* Replaces the stored record of every document by @record. */
static void
set_records(const std::string &path, const std::string &record)
{
	Xapian::WritableDatabase w(path);

	for (Xapian::PostingIterator p = w.postlist_begin(""); p != w.postlist_end(""); ++p) {
		Xapian::Document d = w.get_document(*p);
		d.set_data(record);
		w.replace_document(*p, d);
	}
	w.commit();
}

/* The stored record of the first document. */
static std::string
record_of(const std::string &path)
{
	Xapian::Database d(path);

	return d.get_document(*d.postlist_begin("")).get_data();
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
	add(db);
	CHECK(tr_db_commit(db) == TR_OK);
	tr_db_free(db);
	check_hit(path.c_str(), "format 5");

	/* The record as index format 4 stored it (lib/docdata.c before format 5). */
	set_records(path, "{\"v\":1,\"path\":\"/share/Beschl\\u00fcsse.txt\",\"path_bytes\":\"/share/Beschl%FCsse.txt\","
	                  "\"relpath\":\"/share/Beschl\\u00fcsse.txt\",\"title\":\"Protokoll der Sitzung\","
	                  "\"type\":\"protokoll\",\"type_source\":\"none\",\"date\":\"2021-03-03\",\"date_source\":\"text\","
	                  "\"districts\":[\"landkreis-leipzig\",\"leipzig\"],\"district_source\":\"none\","
	                  "\"date_where\":{\"text\":\"Protokoll vom 3. März 2021\",\"line\":1},"
	                  "\"topics\":[\"sprachfoerderung\"],\"tags\":[],\"format\":\"text\",\"mime\":\"text/plain\","
	                  "\"size\":0,\"internal\":true,\"mtime\":0,\"sample\":\"Protokoll vom 3. März 2021\"}");
	check_hit(path.c_str(), "format 4");

	/* Damaged: cut inside a value, and without the closing empty key. */
	set_records(path, std::string("v\0" "2\0" "title\0" "Protokoll\0" "path\0" "/share/x", 33));
	{
		tr_search q = TR_SEARCH_INIT;
		tr_results *r = NULL;

		q.text = "Sprachförderung";
		q.internal = true;
		CHECK(tr_db_open(&db, path.c_str(), TR_DB_READ, NULL) == TR_OK);
		CHECK(db && tr_db_search(db, &q, &r) == TR_OK && r && r->n_hits == 1);
		if (r && r->n_hits == 1) {
			CHECK_STR(r->hits[0].title, "Protokoll");
			CHECK_STR(r->hits[0].path, "");
			CHECK(!r->hits[0].internal && r->hits[0].n_districts == 0);
		}
		tr_results_free(r);
		tr_db_free(db);
	}
	CHECK(record_of(path).size() == 33);

	fixture_remove_dir(dir);
	return check_done();
}
