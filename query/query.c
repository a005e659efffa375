#include "query.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "names.h"
#include "newsince.h"
#include "syntax.h"
#include "tellerrand/date.h"
#include "tellerrand/document.h"
#include "text.h"

typedef enum { F_DISTRICT, F_TYPE, F_TOPIC, F_DATE, F_YEAR, F_FROM, F_TO, F_NEW } field_kind;

static const struct {
	const char *name;
	field_kind kind;
} fields[] = {
	{ "kreis", F_DISTRICT }, { "landkreis", F_DISTRICT }, { "district", F_DISTRICT },
	{ "typ", F_TYPE }, { "type", F_TYPE }, { "art", F_TYPE },
	{ "thema", F_TOPIC }, { "topic", F_TOPIC },
	{ "datum", F_DATE }, { "date", F_DATE },
	{ "jahr", F_YEAR }, { "year", F_YEAR },
	{ "von", F_FROM }, { "from", F_FROM }, { "ab", F_FROM },
	{ "bis", F_TO }, { "to", F_TO },
	{ "neu", F_NEW }, { "neu-seit", F_NEW }, { "new", F_NEW },
};

static int
field_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strlen(fields[i].name) == len && strncasecmp(fields[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static tr_status
fail(char **errmsg, tr_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static tr_status
fail(char **errmsg, tr_status st, const char *fmt, ...)
{
	va_list ap;

	if (errmsg) {
		va_start(ap, fmt);
		if (vasprintf(errmsg, fmt, ap) < 0)
			*errmsg = NULL;
		va_end(ap);
	}
	return st;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

tr_status
tr_query_check_text(const char *field, const char *s, size_t len, char **errmsg)
{
	const char *where = field ? "bei " : "in der ";
	const char *what = field ? field : "Suchanfrage";

	if (!tr_text_is_utf8(s, len))
		return fail(errmsg, TR_EINVAL, "ungültige Zeichen %s%s (kein gültiges UTF-8)", where, what);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !is_space((char)c)) || c == 0x7f)
			return fail(errmsg, TR_EINVAL, "ungültige Zeichen %s%s (Steuerzeichen)", where, what);
	}
	return TR_OK;
}

/* Tab, CR and LF are spaces to a search: pasted lines stay one query, messages one line. */
static void
spaces_for_breaks(char *s)
{
	for (; *s; s++)
		if (is_space(*s))
			*s = ' ';
}

void
tr_query_init(tr_query *q)
{
	memset(q, 0, sizeof *q);
}

void
tr_query_clear(tr_query *q)
{
	free(q->text);
	free(q->notice);
	free(q->since_text);
	tr_strv_free(q->districts, q->n_districts);
	tr_strv_free(q->types, q->n_types);
	tr_strv_free(q->topics, q->n_topics);
	tr_query_init(q);
}

/*
 * The error for a filter value no table knows (or, for a district, one
 * that names two): "unbekanntes Thema: "x" (gültig: …)", listing the
 * display names of @kind.
 */
static tr_status
unknown_value(const tr_query_vocab *v, tr_facet_kind kind, const char *what, const char *value,
              char **errmsg)
{
	tr_buf list = TR_BUF_INIT(4096);
	tr_status st;

	tr_display_name_list(v, kind, &list);
	st = fail(errmsg, TR_EINVAL, "%s: \"%s\" (gültig: %s)", what, value, list.ptr ? list.ptr : "");
	tr_buf_free(&list);
	return st;
}

/*
 * The first and last sortable day a date of any precision stands for
 * (see docs/terms.md for the encoding).  The lower bound also admits
 * documents dated only by the same month (or year), whose sortable value
 * has 00 for the unknown parts; the upper bound uses day 31 of any month,
 * which sorts after all of its real days.
 */
static void
bound(char *out, int year, int month, int day)
{
	snprintf(out, 9, "%04u%02u%02u", (unsigned)year % 10000u, (unsigned)month % 100u,
	         (unsigned)day % 100u);
}

static void
date_lower(const tr_date *d, char *out)
{
	int month = d->month, day = d->day;

	if (day <= 1)
		day = 0;
	if (day == 0 && month <= 1)
		month = 0;
	bound(out, d->year, month, day);
}

static void
date_upper(const tr_date *d, char *out)
{
	bound(out, d->year, d->month ? d->month : 12, d->day ? d->day : 31);
}

static tr_status
parse_date_value(tr_date *d, const char *s, const char *field, char **errmsg)
{
	if (tr_date_parse(d, s) == TR_OK)
		return TR_OK;
	return fail(errmsg, TR_EINVAL,
	            "ungültiges Datum bei %s: \"%s\" (z. B. 15.09.2017, 2017-09-15, September 2017, 2017)",
	            field, s);
}

/* "A..B", "A..", "..B", "A bis B", or a single date meaning its whole day, month or year. */
static tr_status
add_date_range(tr_query *q, const char *value, const char *field, bool year_only, char **errmsg)
{
	const char *sep = strstr(value, "..");
	size_t seplen = 2;
	char *a = NULL, *b = NULL;
	tr_date da = TR_DATE_NONE, db = TR_DATE_NONE;
	tr_status st = TR_OK;

	if (!sep && (sep = strstr(value, " bis ")))
		seplen = 5;
	if (sep) {
		a = strndup(value, (size_t)(sep - value));
		b = strdup(sep + seplen);
	} else {
		a = strdup(value);
		b = strdup(value);
	}
	if (!a || !b) {
		st = TR_ENOMEM;
		goto done;
	}
	tr_text_squeeze(a);
	tr_text_squeeze(b);
	if (!*a && !*b) {
		st = fail(errmsg, TR_EINVAL, "leerer Zeitraum bei %s", field);
		goto done;
	}
	if (*a && (st = parse_date_value(&da, a, field, errmsg)) != TR_OK)
		goto done;
	if (*b && (st = parse_date_value(&db, b, field, errmsg)) != TR_OK)
		goto done;
	if (year_only && ((*a && da.month) || (*b && db.month))) {
		st = fail(errmsg, TR_EINVAL, "ungültiges Jahr: \"%s\" (z. B. jahr:2017 oder jahr:2016..2018)", value);
		goto done;
	}
	if (*a && *b && tr_date_compare(&da, &db) > 0) {
		st = fail(errmsg, TR_EINVAL, "Zeitraum rückwärts: \"%s\" (Anfang nach Ende)", value);
		goto done;
	}
	if (*a)
		date_lower(&da, q->from);
	if (*b)
		date_upper(&db, q->to);
done:
	free(a);
	free(b);
	return st;
}

tr_status
tr_query_add_filter(tr_query *q, const tr_query_vocab *v, const char *field,
                    const char *value, char **errmsg)
{
	int f = field_find(field, strlen(field));
	size_t idx;
	tr_status st;
	tr_date d;

	if (f < 0)
		return fail(errmsg, TR_EINVAL, "unbekanntes Suchfeld: %s", field);
	if ((st = tr_query_check_text(field, value, strlen(value), errmsg)) != TR_OK)
		return st;
	if (strpbrk(value, "\t\r\n")) {
		char *flat = strdup(value);
		if (!flat)
			return TR_ENOMEM;
		spaces_for_breaks(flat);
		st = tr_query_add_filter(q, v, field, flat, errmsg);
		free(flat);
		return st;
	}
	if (!*value)
		return fail(errmsg, TR_EINVAL, "leerer Wert bei %s:", field);
	switch (fields[f].kind) {
	case F_DISTRICT:
		st = tr_districts_resolve(v->districts, value, &idx);
		if (st == TR_ENOMEM)
			return st;
		if (st != TR_OK)
			return unknown_value(v, TR_FACET_DISTRICT,
			                     st == TR_EINVAL ? "mehrdeutiger Landkreis" : "unbekannter Landkreis",
			                     value, errmsg);
		return tr_strv_add_unique(&q->districts, &q->n_districts, tr_districts_key(v->districts, idx));
	case F_TYPE: {
		tr_doctype t;
		if (tr_doctype_from_name(&t, value) != TR_OK)
			return unknown_value(v, TR_FACET_TYPE, "unbekannter Dokumenttyp", value, errmsg);
		return tr_strv_add_unique(&q->types, &q->n_types, tr_doctype_key(t));
	}
	case F_TOPIC:
		st = tr_topics_resolve(v->topics, value, &idx);
		if (st == TR_ENOMEM)
			return st;
		if (st != TR_OK)
			return unknown_value(v, TR_FACET_TOPIC, "unbekanntes Thema", value, errmsg);
		return tr_strv_add_unique(&q->topics, &q->n_topics, tr_topics_key(v->topics, idx));
	case F_DATE:
		return add_date_range(q, value, field, false, errmsg);
	case F_YEAR:
		return add_date_range(q, value, field, true, errmsg);
	case F_FROM:
		if ((st = parse_date_value(&d, value, field, errmsg)) != TR_OK)
			return st;
		date_lower(&d, q->from);
		return TR_OK;
	case F_TO:
		if ((st = parse_date_value(&d, value, field, errmsg)) != TR_OK)
			return st;
		date_upper(&d, q->to);
		return TR_OK;
	case F_NEW:
		if ((st = tr_newsince_parse(value, field, tr_newsince_now(), &q->since, errmsg)) != TR_OK)
			return st;
		free(q->since_text);
		return (q->since_text = strdup(value)) ? TR_OK : TR_ENOMEM;
	}
	return TR_EINVAL;
}

/*
 * German typographic quotes become ASCII ones, so that „nachholende
 * Schulbildung“ is a phrase like "nachholende Schulbildung".
 */
static tr_status
normalise_quotes(tr_buf *out, const char *in)
{
	static const char *const quotes[] = {
		"\xE2\x80\x9E", "\xE2\x80\x9C", "\xE2\x80\x9D", /* „ “ ” */
		"\xC2\xBB", "\xC2\xAB",                         /* » « */
	};
	tr_status st = TR_OK;

	while (*in && st == TR_OK) {
		bool quote = false;

		for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
			size_t n = strlen(quotes[i]);
			if (strncmp(in, quotes[i], n) == 0) {
				st = tr_buf_addc(out, '"');
				in += n;
				quote = true;
				break;
			}
		}
		if (!quote)
			st = tr_buf_addc(out, *in++);
	}
	return st;
}

static const char *
boolean_word(const char *w, size_t len)
{
	if (len == 3 && strncmp(w, "UND", 3) == 0)
		return "AND";
	if (len == 4 && strncmp(w, "ODER", 4) == 0)
		return "OR";
	if (len == 5 && strncmp(w, "NICHT", 5) == 0)
		return "NOT";
	return NULL;
}

tr_status
tr_query_parse(tr_query *q, const tr_query_vocab *v, const char *input, char **errmsg)
{
	tr_buf norm = TR_BUF_INIT(1 << 20);
	tr_buf text = TR_BUF_INIT(1 << 20);
	tr_buf fixed = TR_BUF_INIT(1 << 20);
	tr_status st;
	const char *p;

	if (errmsg)
		*errmsg = NULL;
	input = input ? input : "";
	if ((st = tr_query_check_text(NULL, input, strlen(input), errmsg)) != TR_OK ||
	    (st = normalise_quotes(&norm, input)) != TR_OK)
		goto done;
	p = norm.ptr ? norm.ptr : "";
	if (norm.ptr)
		spaces_for_breaks(norm.ptr);

	/* An unclosed quote is a typo in a search box: closed, and the user told. */
	free(q->notice);
	if ((st = tr_query_repair(&fixed, p, &q->notice)) != TR_OK)
		goto done;
	p = fixed.ptr ? fixed.ptr : "";

	while (*p && st == TR_OK) {
		const char *start, *colon = NULL;
		bool in_quote = false;
		int f = -1;

		while (is_space(*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && (in_quote || !is_space(*p))) {
			if (*p == '"')
				in_quote = !in_quote;
			else if (*p == ':' && !colon && !in_quote)
				colon = p;
			p++;
		}
		if (colon)
			f = field_find(start, (size_t)(colon - start));
		if (f >= 0) {
			/* A filter: its value may be quoted and contain spaces. */
			char *value = strndup(colon + 1, (size_t)(p - colon - 1));
			char *field = strndup(start, (size_t)(colon - start));
			size_t vl;

			if (!value || !field) {
				st = TR_ENOMEM;
			} else {
				vl = strlen(value);
				if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
					memmove(value, value + 1, vl - 2);
					value[vl - 2] = '\0';
				}
				st = tr_query_add_filter(q, v, field, value, errmsg);
			}
			free(value);
			free(field);
			continue;
		}
		if (text.len)
			st = tr_buf_addc(&text, ' ');
		if (st == TR_OK) {
			const char *op = boolean_word(start, (size_t)(p - start));
			st = op ? tr_buf_adds(&text, op) : tr_buf_add(&text, start, (size_t)(p - start));
		}
	}
	if (st == TR_OK) {
		free(q->text);
		q->text = tr_buf_detach(&text);
		if (!q->text)
			st = TR_ENOMEM;
		else
			st = tr_query_check_operators(q->text, errmsg);
	}
done:
	tr_buf_free(&fixed);
	tr_buf_free(&norm);
	tr_buf_free(&text);
	return st;
}

void
tr_query_to_search(const tr_query *q, tr_search *s)
{
	s->text = q->text ? q->text : "";
	s->districts = (const char *const *)q->districts;
	s->n_districts = q->n_districts;
	s->types = (const char *const *)q->types;
	s->n_types = q->n_types;
	s->topics = (const char *const *)q->topics;
	s->n_topics = q->n_topics;
	s->date_from = q->from[0] ? q->from : NULL;
	s->date_to = q->to[0] ? q->to : NULL;
	s->added_since = q->since;
}
