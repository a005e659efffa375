/*
 * A document built in an indexer worker and stored by the writer is found
 * like one built in place (words, phrases, filters, the record, spelling
 * suggestions); damaged bytes are refused.
 */
#include "check.h"
#include "fixture.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document_wire.h"
#include "tellerrand/db.h"

static char dir[] = "/tmp/tr-test-wire-XXXXXX";

static tr_doc *
sample(void)
{
	tr_doc *d = tr_doc_new();

	d->path = strdup("/srv/archiv/Protokolle/Netzwerktreffen Görlitz.md");
	d->relpath = strdup("Protokolle/Netzwerktreffen Görlitz.md");
	d->format = strdup("markdown");
	d->mime = strdup("text/markdown");
	d->title = strdup("Protokoll – 3. Netzwerktreffen");
	d->body = strdup("TOP 1: Begrüßung der Bildungskoordinatorinnen\fFolie 2: Sprachkurse für Neuzugewanderte "
	                 "in Görlitz und Bautzen, Kita-Plätze und Lehrer*innen");
	d->date = (tr_date){ 2019, 9, 15 };
	d->date_source = TR_SOURCE_TEXT;
	d->type = TR_DOCTYPE_PROTOKOLL;
	d->type_source = TR_SOURCE_FOLDER;
	d->size = 12345;
	d->mtime = 1568540000;
	tr_strv_add_unique(&d->districts, &d->n_districts, "goerlitz");
	tr_strv_add_unique(&d->districts, &d->n_districts, "bautzen");
	tr_strv_add_unique(&d->topics, &d->n_topics, "sprache");
	return d;
}

/* Stores @wire as the writer does: the document, then its spelling words. */
static void
store_wire(tr_db *db, const tr_buf *wire)
{
	tr_built *b = NULL;
	tr_spellings *words = NULL;

	CHECK(tr_built_new(&b, wire->ptr, wire->len, NULL) == TR_OK && b != NULL);
	if (!b)
		return;
	CHECK(tr_built_take_spellings(b, &words) == TR_OK);
	CHECK(tr_db_store_built(db, b) == TR_OK);
	CHECK(tr_db_add_spellings(db, words) == TR_OK);
	tr_spellings_free(words);
	tr_built_free(b);
	CHECK(tr_db_commit(db) == TR_OK);
}

/* The number of hits for @text in @district (NULL: all); *title gets the first hit's title. */
static size_t
hits(tr_db *db, const char *text, const char *district, char **title, char **corrected)
{
	tr_search q = TR_SEARCH_INIT;
	const char *districts[1] = { district };
	tr_results *r = NULL;
	size_t n;

	q.internal = true;
	q.text = text;
	q.spelling = corrected != NULL;
	if (district) {
		q.districts = districts;
		q.n_districts = 1;
	}
	CHECK_MSG(tr_db_search(db, &q, &r) == TR_OK, "search '%s'", text);
	if (!r)
		return 0;
	n = r->n_hits;
	if (title)
		*title = n ? strdup(r->hits[0].title) : NULL;
	if (corrected)
		*corrected = r->corrected ? strdup(r->corrected) : NULL;
	tr_results_free(r);
	return n;
}

static void
check_found(tr_db *db)
{
	char *title = NULL, *corrected = NULL;

	CHECK(hits(db, "Sprachkurs", NULL, &title, NULL) == 1);
	CHECK_STR(title, "Protokoll – 3. Netzwerktreffen");
	free(title);
	/* Positions: the phrase as written, not the words in another order. */
	CHECK(hits(db, "\"Sprachkurse für Neuzugewanderte\"", NULL, NULL, NULL) == 1);
	CHECK(hits(db, "\"Neuzugewanderte für Sprachkurse\"", NULL, NULL, NULL) == 0);
	/* German terms: a compound's part, a hyphenated compound whole, a gender form's base. */
	CHECK(hits(db, "Koordinatorin", NULL, NULL, NULL) == 1);
	CHECK(hits(db, "Kitaplätze", NULL, NULL, NULL) == 1);
	CHECK(hits(db, "Lehrer", NULL, NULL, NULL) == 1);
	/* Filters and values. */
	CHECK(hits(db, "Sprachkurse", "bautzen", NULL, NULL) == 1);
	CHECK(hits(db, "Sprachkurse", "leipzig", NULL, NULL) == 0);
	/* The spelling words arrived. */
	CHECK(hits(db, "Sprachkurze", NULL, NULL, &corrected) == 0);
	CHECK_STR(corrected, "Sprachkurse");
	free(corrected);
}

/* Every cut of the bytes is refused with a reason, never read past; so is a count beyond the bytes. */
static void
check_refused(const tr_buf *wire)
{
	for (size_t cut = 0; cut < wire->len; cut++) {
		tr_built *b = NULL;
		char *why = NULL;

		CHECK_MSG(tr_built_new(&b, wire->ptr, cut, &why) == TR_EFORMAT && b == NULL && why != NULL,
		          "cut at %zu of %zu", cut, wire->len);
		tr_built_free(b);
		free(why);
	}
	{
		char *bad = malloc(wire->len);
		/* UINT32_MAX - 1 as a varint (7 bits a byte, low first). */
		static const unsigned char huge[] = { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F };
		tr_built *b = NULL;
		size_t at;

		if (!bad)
			return;
		memcpy(bad, wire->ptr, wire->len);
		/* The term count follows the magic (its length, "TRB3") and the id term (its length, one byte here). */
		CHECK((unsigned char)bad[5] < 0x80);
		at = 5 + 1 + (unsigned char)bad[5];
		CHECK(at + sizeof huge <= wire->len);
		memcpy(bad + at, huge, sizeof huge);
		CHECK(tr_built_new(&b, bad, wire->len, NULL) == TR_EFORMAT && b == NULL);
		free(bad);
	}
}

int
main(void)
{
	tr_buf wire = TR_BUF_INIT((size_t)-1 / 2);
	tr_doc *doc = sample();
	tr_db *db = NULL;
	char *path = NULL;

	if (!mkdtemp(dir) || asprintf(&path, "%s/index", dir) < 0)
		return 1;
	CHECK(tr_doc_build_wire(doc, &wire, NULL) == TR_OK && wire.len > 0);
	CHECK(tr_db_open(&db, path, TR_DB_WRITE, NULL) == TR_OK);
	if (db) {
		store_wire(db, &wire);
		check_found(db);
		tr_db_free(db);
	}
	check_refused(&wire);
	tr_doc_free(doc);
	tr_buf_free(&wire);
	fixture_remove_dir(dir);
	free(path);
	return check_done();
}
