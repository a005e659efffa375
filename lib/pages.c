/* What the pages of a format are (pages.h). */
#include "pages.h"

#include <stddef.h>
#include <string.h>

tr_page_kind
tr_pages_of_format(const char *format)
{
	static const struct { const char *format; tr_page_kind kind; } kinds[] = {
		{ "pdf", TR_PAGES_PAGE }, { "pptx", TR_PAGES_SLIDE }, { "odp", TR_PAGES_SLIDE },
		{ "ppt", TR_PAGES_SLIDE }, { "markdown", TR_PAGES_MARKDOWN }, { "xls", TR_PAGES_SHEET },
		{ "xlsx", TR_PAGES_SHEET }, { "ods", TR_PAGES_SHEET }, { "eml", TR_PAGES_MAIL },
		{ "msg", TR_PAGES_MAIL },
	};

	for (size_t i = 0; format && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(format, kinds[i].format) == 0)
			return kinds[i].kind;
	return TR_PAGES_NONE;
}

const char *
tr_page_word(tr_page_kind kind)
{
	switch (kind) {
	case TR_PAGES_SLIDE:
	case TR_PAGES_MARKDOWN:
		return "Folie";
	case TR_PAGES_SHEET:
		return "Tabelle";
	case TR_PAGES_MAIL:
		return NULL;
	default:
		return "Seite";
	}
}
