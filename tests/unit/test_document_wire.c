/* A document survives the trip from an indexer worker to the writer; damaged bytes are refused. */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "document_wire.h"

static tr_doc *
sample(void)
{
	tr_doc *d = tr_doc_new();

	d->path = strdup("/srv/archiv/Protokolle/Netzwerktreffen Görlitz.md");
	d->relpath = strdup("Protokolle/Netzwerktreffen Görlitz.md");
	d->format = strdup("markdown");
	d->title = strdup("Protokoll – 3. Netzwerktreffen");
	d->body = strdup("TOP 1: Begrüßung\fFolie 2: Sprachkurse für Neuzugewanderte");
	d->date = (tr_date){ 2019, 9, 15 };
	d->date_source = TR_SOURCE_TEXT;
	d->type = TR_DOCTYPE_PROTOKOLL;
	d->type_source = TR_SOURCE_FOLDER;
	d->internal = true;
	d->size = 12345;
	d->mtime = 1568540000;
	tr_strv_add_unique(&d->districts, &d->n_districts, "goerlitz");
	tr_strv_add_unique(&d->districts, &d->n_districts, "bautzen");
	tr_strv_add_unique(&d->topics, &d->n_topics, "sprache");
	return d;
}

int
main(void)
{
	tr_buf b = TR_BUF_INIT((size_t)-1 / 2);
	tr_doc *in = sample(), *out = NULL;

	CHECK(tr_doc_encode(in, &b) == TR_OK);
	CHECK(tr_doc_decode(b.ptr, b.len, &out) == TR_OK);
	CHECK(out != NULL);
	if (out) {
		CHECK_STR(out->path, in->path);
		CHECK_STR(out->title, in->title);
		CHECK_STR(out->body, in->body);
		CHECK(out->mime == NULL && out->description == NULL && out->stamp == NULL);
		CHECK(out->date.year == 2019 && out->date.month == 9 && out->date.day == 15);
		CHECK(out->date_source == TR_SOURCE_TEXT && out->type == TR_DOCTYPE_PROTOKOLL);
		CHECK(out->type_source == TR_SOURCE_FOLDER && out->internal);
		CHECK(out->size == 12345 && out->mtime == 1568540000);
		CHECK(out->n_districts == 2 && out->n_topics == 1 && out->n_tags == 0);
		if (out->n_districts == 2)
			CHECK_STR(out->districts[1], "bautzen");
	}
	tr_doc_free(out);

	/* Every cut of the bytes is refused, never read past. */
	for (size_t cut = 0; cut < b.len; cut++) {
		out = NULL;
		CHECK(tr_doc_decode(b.ptr, cut, &out) == TR_EFORMAT && out == NULL);
	}
	/* A list count larger than the bytes that follow is refused before allocating. */
	{
		char bad[4 + 8 * 10 + 4 * 10 + 8];
		uint32_t none = UINT32_MAX;
		uint64_t huge = UINT64_MAX / 2;

		memset(bad, 0, sizeof bad);
		memcpy(bad, "TRW1", 4);
		for (int i = 0; i < 10; i++)
			memcpy(bad + 4 + 80 + 4 * i, &none, 4);
		memcpy(bad + 4 + 80 + 40, &huge, 8);
		CHECK(tr_doc_decode(bad, sizeof bad, &out) == TR_EFORMAT);
	}
	tr_doc_free(in);
	tr_buf_free(&b);
	return check_done();
}
