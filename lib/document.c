#include "tellerrand/document.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const struct {
	const char *key;
	const char *label;
} doctypes[TR_DOCTYPE_COUNT] = {
	[TR_DOCTYPE_UNKNOWN]          = { "unbekannt", "Unbekannt" },
	[TR_DOCTYPE_PRESSEMITTEILUNG] = { "pressemitteilung", "Pressemitteilung" },
	[TR_DOCTYPE_PROTOKOLL]        = { "protokoll", "Protokoll" },
	[TR_DOCTYPE_PRAESENTATION]    = { "praesentation", "Präsentation" },
	[TR_DOCTYPE_SONSTIGES]        = { "sonstiges", "Sonstiges" },
};

/* Names people use for the types, as folded keys (see tr_text_fold()). */
static const struct {
	const char *name;
	tr_doctype type;
} doctype_aliases[] = {
	{ "pressemitteilung", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "pressemitteilungen", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "pressemeldung", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "medieninformation", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "presseinformation", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "pm", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "presse", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "press", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "press release", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "press-release", TR_DOCTYPE_PRESSEMITTEILUNG },
	{ "protokoll", TR_DOCTYPE_PROTOKOLL },
	{ "protokolle", TR_DOCTYPE_PROTOKOLL },
	{ "sitzungsprotokoll", TR_DOCTYPE_PROTOKOLL },
	{ "ergebnisprotokoll", TR_DOCTYPE_PROTOKOLL },
	{ "niederschrift", TR_DOCTYPE_PROTOKOLL },
	{ "minutes", TR_DOCTYPE_PROTOKOLL },
	{ "praesentation", TR_DOCTYPE_PRAESENTATION },
	{ "praesentationen", TR_DOCTYPE_PRAESENTATION },
	{ "folien", TR_DOCTYPE_PRAESENTATION },
	{ "foliensatz", TR_DOCTYPE_PRAESENTATION },
	{ "vortrag", TR_DOCTYPE_PRAESENTATION },
	{ "presentation", TR_DOCTYPE_PRAESENTATION },
	{ "slides", TR_DOCTYPE_PRAESENTATION },
	{ "sonstiges", TR_DOCTYPE_SONSTIGES },
	{ "sonstige", TR_DOCTYPE_SONSTIGES },
	{ "other", TR_DOCTYPE_SONSTIGES },
	/* Kinds of document the network names but files under "Sonstiges". */
	{ "bericht", TR_DOCTYPE_SONSTIGES },
	{ "jahresbericht", TR_DOCTYPE_SONSTIGES },
	{ "sachstandsbericht", TR_DOCTYPE_SONSTIGES },
	{ "einladung", TR_DOCTYPE_SONSTIGES },
	{ "flyer", TR_DOCTYPE_SONSTIGES },
	{ "handreichung", TR_DOCTYPE_SONSTIGES },
	{ "broschuere", TR_DOCTYPE_SONSTIGES },
	{ "leitfaden", TR_DOCTYPE_SONSTIGES },
	{ "positionspapier", TR_DOCTYPE_SONSTIGES },
	{ "konzept", TR_DOCTYPE_SONSTIGES },
	{ "vorlage", TR_DOCTYPE_SONSTIGES },
	{ "informationsvorlage", TR_DOCTYPE_SONSTIGES },
	{ "newsletter", TR_DOCTYPE_SONSTIGES },
	{ "report", TR_DOCTYPE_SONSTIGES },
};

const char *
tr_doctype_key(tr_doctype t)
{
	return (unsigned)t < TR_DOCTYPE_COUNT ? doctypes[t].key : doctypes[0].key;
}

const char *
tr_doctype_label(tr_doctype t)
{
	return (unsigned)t < TR_DOCTYPE_COUNT ? doctypes[t].label : doctypes[0].label;
}

tr_status
tr_doctype_from_name(tr_doctype *out, const char *name)
{
	char *key = tr_text_fold_dup(name);
	tr_status st = TR_ENOTFOUND;

	if (!key)
		return TR_ENOMEM;
	tr_text_squeeze(key);
	for (size_t i = 0; i < sizeof doctype_aliases / sizeof doctype_aliases[0]; i++) {
		if (strcmp(key, doctype_aliases[i].name) == 0) {
			*out = doctype_aliases[i].type;
			st = TR_OK;
			break;
		}
	}
	free(key);
	return st;
}

const char *
tr_source_name(tr_source s)
{
	switch (s) {
	case TR_SOURCE_NONE:     return "none";
	case TR_SOURCE_FORMAT:   return "format";
	case TR_SOURCE_FILETIME: return "filetime";
	case TR_SOURCE_TEXT:     return "text";
	case TR_SOURCE_FOLDER:   return "folder";
	case TR_SOURCE_EXPLICIT: return "explicit";
	}
	return "none";
}

tr_doc *
tr_doc_new(void)
{
	return calloc(1, sizeof(tr_doc));
}

void
tr_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

tr_status
tr_strv_add_unique(char ***v, size_t *n, const char *s)
{
	char **nv;
	char *copy;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return TR_OK;
	copy = strdup(s);
	if (!copy)
		return TR_ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv) {
		free(copy);
		return TR_ENOMEM;
	}
	nv[(*n)++] = copy;
	*v = nv;
	return TR_OK;
}

void
tr_doc_free(tr_doc *doc)
{
	if (!doc)
		return;
	free(doc->path);
	free(doc->relpath);
	free(doc->mime);
	free(doc->format);
	free(doc->title);
	free(doc->headings);
	free(doc->body);
	free(doc->description);
	free(doc->author);
	free(doc->stamp);
	tr_strv_free(doc->districts, doc->n_districts);
	tr_strv_free(doc->topics, doc->n_topics);
	tr_strv_free(doc->tags, doc->n_tags);
	free(doc);
}
