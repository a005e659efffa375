#include "tellerrand/document.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

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
	free(doc->date_where);
	free(doc->district_where);
	if (doc->words) {
		tr_text_words_free(doc->words);
		free(doc->words);
	}
	tr_strv_free(doc->districts, doc->n_districts);
	tr_strv_free(doc->topics, doc->n_topics);
	tr_strv_free(doc->tags, doc->n_tags);
	free(doc);
}
