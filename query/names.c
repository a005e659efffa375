#include "names.h"

#include <string.h>

#include "tellerrand/document.h"

/* The document types: the table of data/types.tsv (lib/doctype.c). */
static size_t
type_count(void)
{
	return (size_t)tr_doctype_count();
}

static const char *
type_key(size_t i)
{
	return tr_doctype_key((tr_doctype)i);
}

static const char *
type_name(size_t i)
{
	return tr_doctype_label((tr_doctype)i);
}

static const char *
district_name(const tr_query_vocab *v, size_t i)
{
	return tr_districts_short_name(v->districts, i);
}

const char *
tr_display_name(const tr_query_vocab *v, tr_facet_kind k, const char *key)
{
	size_t i;

	if (!key)
		return "";
	switch (k) {
	case TR_FACET_DISTRICT:
		i = v && v->districts ? tr_districts_find_key(v->districts, key) : (size_t)-1;
		return i == (size_t)-1 ? key : district_name(v, i);
	case TR_FACET_TYPE:
		for (i = 0; i < type_count(); i++)
			if (strcmp(type_key(i), key) == 0)
				return type_name(i);
		return key;
	case TR_FACET_TOPIC:
		i = v && v->topics ? tr_topics_find_key(v->topics, key) : (size_t)-1;
		return i == (size_t)-1 ? key : tr_topics_label(v->topics, i);
	case TR_FACET_YEAR:
	case TR_FACET_MONTH:
	case TR_FACET_COUNT:
		break;
	}
	return key;
}

tr_status
tr_display_name_list(const tr_query_vocab *v, tr_facet_kind k, tr_buf *out)
{
	tr_status st = TR_OK;
	size_t n = 0;

	switch (k) {
	case TR_FACET_DISTRICT:
		for (size_t i = 0; st == TR_OK && i < tr_districts_count(v->districts); i++)
			st = tr_buf_printf(out, "%s%s", n++ ? ", " : "", district_name(v, i));
		break;
	case TR_FACET_TYPE:
		/* Not "Unbekannt": that is what a document without a type gets, not a filter. */
		for (size_t i = 1; st == TR_OK && i < type_count(); i++)
			st = tr_buf_printf(out, "%s%s", n++ ? ", " : "", type_name(i));
		break;
	case TR_FACET_TOPIC:
		for (size_t i = 0; st == TR_OK && i < tr_topics_count(v->topics); i++)
			st = tr_buf_printf(out, "%s%s", n++ ? ", " : "", tr_topics_label(v->topics, i));
		break;
	case TR_FACET_YEAR:
	case TR_FACET_MONTH:
	case TR_FACET_COUNT:
		break;
	}
	return st;
}
