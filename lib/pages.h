/*
 * What the pages of a document's text are: the parts its extractor
 * separates with a form feed ('\f') are pages of a PDF, slides of a
 * presentation, sheets of a spreadsheet, or a mail and its attachments.
 * One table for the snippets (which name a hit's place) and for
 * `tellerrand show` (which marks each page break).
 */
#ifndef TR_PAGES_H
#define TR_PAGES_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tr_page_kind {
	TR_PAGES_NONE,       /* a text without pages of its own */
	TR_PAGES_PAGE,       /* PDF pages */
	TR_PAGES_SLIDE,      /* presentation slides */
	TR_PAGES_MARKDOWN,   /* slides, when a Markdown text has pages at all (exported from slides) */
	TR_PAGES_SHEET,      /* spreadsheet sheets, each beginning with its name */
	TR_PAGES_MAIL        /* the message, then each attachment beginning "Anhang: NAME" */
} tr_page_kind;

/* The kind of pages of the extractor format @format ("pdf", "pptx", ...; NULL allowed). */
tr_page_kind tr_pages_of_format(const char *format);

/* The German word for one page of @kind ("Seite", "Folie", "Tabelle"); NULL for a mail's parts. */
const char *tr_page_word(tr_page_kind kind);

#ifdef __cplusplus
}
#endif

#endif
