/*
 * The versions of a hit's text ("Fassungen", docs/tellerrand-query.md
 * "VERSIONS") as the text output and the JSON show them.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "printer.h"
#include "tellerrand/date.h"
#include "text.h"

/* The ISO date as "12.03.2024" (or "03.2024", "2024"), or "ohne Datum". */
static void
german_date(const char *iso, char out[11])
{
	tr_date d;

	if (iso && *iso && tr_date_parse(&d, iso) == TR_OK)
		tr_date_format_german(&d, out);
	else
		memcpy(out, "ohne Datum", sizeof "ohne Datum");
}

char *
tr_print_versions_line(const tr_hit *h)
{
	tr_buf b = TR_BUF_INIT(64 * 1024);

	if (!h->n_versions)
		return NULL;
	tr_buf_adds(&b, "weitere Fassungen: ");
	for (size_t i = 0; i < h->n_versions; i++) {
		const tr_hit *v = &h->versions[i];
		const char *base = strrchr(v->path, '/');
		char *shown = tr_text_printable_dup(base ? base + 1 : v->path);
		char date[11];

		german_date(v->date, date);
		tr_buf_printf(&b, "%s%s (%s)", i ? ", " : "", shown ? shown : "", date);
		free(shown);
	}
	return tr_buf_detach(&b);
}

json_t *
tr_print_versions_json(const tr_hit *h)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < h->n_versions; i++) {
		const tr_hit *v = &h->versions[i];
		char *shown = tr_text_printable_dup(v->path);
		json_t *o = json_object();
		json_object_set_new(o, "docid", json_integer(v->docid));
		json_object_set_new(o, "path", json_string(shown ? shown : ""));
		json_object_set_new(o, "title", json_string(v->title));
		json_object_set_new(o, "format", json_string(v->format));
		json_object_set_new(o, "date", v->date[0] ? json_string(v->date) : json_null());
		json_array_append_new(a, o);
		free(shown);
	}
	return a;
}
