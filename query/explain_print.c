#include "explain_print.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "names.h"
#include "tellerrand/date.h"

/* tr_buf_printf() that remembers a failure in *ok, so a line is built without a check per piece. */
static void __attribute__((format(printf, 3, 4)))
add(tr_buf *b, bool *ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (*ok && tr_buf_vprintf(b, fmt, ap) != TR_OK)
		*ok = false;
	va_end(ap);
}

/* The line in @b, or NULL (and @b freed) if a piece failed. */
static char *
finish(tr_buf *b, bool ok)
{
	if (!ok) {
		tr_buf_free(b);
		return NULL;
	}
	return tr_buf_detach(b);
}

/* A weight as Germans write it: "0,87". */
static void
german_number(char out[32], double x)
{
	snprintf(out, 32, "%.2f", x);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

/* Whether a term is a stem (Z, XC, XG: the shown form is a word's beginning) rather than a word as written. */
static bool
stemmed(const tr_match *m)
{
	return m->term[0] == 'Z' || strncmp(m->term, "XC", 2) == 0 || strncmp(m->term, "XG", 2) == 0;
}

char *
tr_explain_match_line(const tr_match *m, bool weight)
{
	tr_buf b = TR_BUF_INIT(4096);
	bool ok = true;
	char w[32];

	/* "koordinator: Wortteil „koordinator…“ in „bildungskoordinatorinnen“ (XCkoordinator)" */
	add(&b, &ok, "%s: %s „%s%s“", m->word, tr_rule_label(m->rule), m->form, stemmed(m) ? "…" : "");
	if (m->via)
		add(&b, &ok, " aus „%s“", m->via);
	if (m->found_in)
		add(&b, &ok, " in „%s“", m->found_in);
	if (m->field)
		add(&b, &ok, " im %s", m->term[m->term[0] == 'Z'] == 'S' ? "Titel" : "Autor");
	add(&b, &ok, " (%s)", m->term);
	if (weight) {
		german_number(w, m->weight);
		add(&b, &ok, ", Gewicht %s", w);
	}
	return finish(&b, ok);
}

/* The value of metadata @k as shown ("15.09.2017", "Mittelsachsen, Dresden", "Pressemitteilung"), into @b. */
static bool
meta_value(tr_buf *b, bool *ok, const tr_hit *h, tr_meta_kind k, const tr_printer_ctx *c)
{
	tr_query_vocab v = { c->districts, c->topics };
	char german[11] = "";
	tr_date d;

	switch (k) {
	case TR_META_DATE:
		if (!h->date[0])
			return false;
		if (tr_date_parse(&d, h->date) == TR_OK)
			tr_date_format_german(&d, german);
		add(b, ok, "Datum: %s", german[0] ? german : h->date);
		return true;
	case TR_META_DISTRICTS:
		if (!h->n_districts)
			return false;
		add(b, ok, "Landkreis%s: ", h->n_districts > 1 ? "e" : "");
		for (size_t i = 0; i < h->n_districts; i++)
			add(b, ok, "%s%s", i ? ", " : "", tr_display_name(&v, TR_FACET_DISTRICT, h->districts[i]));
		return true;
	case TR_META_TYPE:
		if (!h->type[0])
			return false;
		add(b, ok, "Typ: %s", tr_display_name(&v, TR_FACET_TYPE, h->type));
		return true;
	case TR_META_COUNT:
		break;
	}
	return false;
}

char *
tr_explain_meta_line(const tr_hit *h, tr_meta_kind k, const tr_meta_origin *o, const tr_printer_ctx *c)
{
	tr_buf b = TR_BUF_INIT(4096);
	bool ok = true;

	if (!meta_value(&b, &ok, h, k, c)) {
		tr_buf_free(&b);
		return NULL;
	}
	add(&b, &ok, " – aus: %s", tr_meta_source_label(o->source));
	if (o->line)
		add(&b, &ok, ", Zeile %u", o->line);
	else if (o->evidence && strcmp(o->source, "text") == 0)
		add(&b, &ok, ", Titel oder Überschrift");
	if (o->evidence)
		add(&b, &ok, ": „%s“", o->evidence);
	return finish(&b, ok);
}

json_t *
tr_explain_match_json(const tr_match *m)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:f}", "word", m->word, "form", m->form, "term", m->term,
	                      "rule", tr_rule_key(m->rule), "rule_label", tr_rule_label(m->rule),
	                      "weight", m->weight);
	if (o && m->via)
		json_object_set_new(o, "via", json_string(m->via));
	if (o && m->found_in)
		json_object_set_new(o, "found_in", json_string(m->found_in));
	if (o && m->field)
		json_object_set_new(o, "field", json_string(m->term[m->term[0] == 'Z'] == 'S' ? "title" : "author"));
	return o;
}

json_t *
tr_explain_json(const tr_hit *h, const tr_printer_ctx *c)
{
	static const char *const keys[TR_META_COUNT] = { "date", "districts", "type" };
	tr_meta_origin origins[TR_META_COUNT];
	json_t *o = json_object(), *matches = json_array(), *meta = json_object();

	(void)c;
	if (!o || !matches || !meta || tr_hit_meta_origins(h, origins) != TR_OK) {
		json_decref(o);
		json_decref(matches);
		json_decref(meta);
		return NULL;
	}
	for (size_t i = 0; i < h->n_matches; i++)
		json_array_append_new(matches, tr_explain_match_json(&h->matches[i]));
	for (int k = 0; k < TR_META_COUNT; k++) {
		json_t *m = json_pack("{s:s,s:s}", "source", origins[k].source,
		                      "source_label", tr_meta_source_label(origins[k].source));
		if (m && origins[k].evidence)
			json_object_set_new(m, "evidence", json_string(origins[k].evidence));
		if (m && origins[k].line)
			json_object_set_new(m, "line", json_integer(origins[k].line));
		json_object_set_new(meta, keys[k], m);
	}
	tr_meta_origins_clear(origins);
	json_object_set_new(o, "matches", matches);
	json_object_set_new(o, "metadata", meta);
	return o;
}

void
tr_explain_print_text(FILE *f, const tr_hit *h, const tr_printer_ctx *c)
{
	tr_meta_origin origins[TR_META_COUNT];
	char *line;

	fprintf(f, "   Warum gefunden:\n");
	for (size_t i = 0; i < h->n_matches; i++) {
		if ((line = tr_explain_match_line(&h->matches[i], true)))
			fprintf(f, "     %s\n", line);
		free(line);
	}
	if (tr_hit_meta_origins(h, origins) != TR_OK)
		return;
	for (int k = 0; k < TR_META_COUNT; k++) {
		if ((line = tr_explain_meta_line(h, (tr_meta_kind)k, &origins[k], c)))
			fprintf(f, "     %s\n", line);
		free(line);
	}
	tr_meta_origins_clear(origins);
}

tr_status
tr_explain_parse_rules(const char *value, unsigned *bits)
{
	char name[64];
	tr_rule r;

	for (const char *p = value; *p; ) {
		size_t n = strcspn(p, ", ");
		if (n == 0 || n >= sizeof name) {
			if (n >= sizeof name)
				return TR_EINVAL;
			p++;
			continue;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (tr_rule_from_name(&r, name) != TR_OK || r == TR_RULE_EXACT)
			return TR_EINVAL;
		*bits |= TR_RULE_BIT(r);
		p += n;
	}
	return TR_OK;
}
