/*
 * What the Office extractors (OOXML, ODF) share: a zip archive read from
 * memory with limits against zip bombs, a streaming XML walk with libxml2
 * that never loads a DTD, expands an entity or touches the network, and
 * the helpers that turn XML text into body text.
 */
#ifndef TR_ZIPXML_H
#define TR_ZIPXML_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "extract.h"
#include "tellerrand/status.h"

/*
 * Limits.  They are checked against the central directory when the
 * archive is opened (member count, declared sizes) and enforced again
 * while decompressing, because a zip's declared sizes may lie.
 */
#define TR__ZIP_MAX_MEMBERS   10000                 /* entries in the archive */
#define TR__ZIP_MAX_MEMBER    ((size_t)64 << 20)    /* bytes of one member read, uncompressed */
#define TR__ZIP_MAX_TOTAL     ((size_t)256 << 20)   /* bytes of all members read together */
#define TR__ZIP_MAX_DECLARED  ((size_t)1 << 30)     /* declared size of all members together */

typedef struct tr__zip tr__zip;

/*
 * Opens the archive in @data[0..len) (borrowed: it must outlive the
 * handle).  *out is owned by the caller; free with tr__zip_free().
 * Returns TR_OK; TR_EFORMAT for bytes that are no (complete) zip;
 * TR_ETOOBIG when the central directory exceeds a limit; TR_ENOMEM.  On
 * failure *why receives a German reason (owned by the caller; free()).
 */
tr_status tr__zip_open(tr__zip **out, const char *data, size_t len, char **why);
void tr__zip_free(tr__zip *z);

/* True if the archive has a member named @name (compared ignoring case). */
bool tr__zip_has(tr__zip *z, const char *name);

/*
 * Reads member @name whole into *out (NUL-terminated; owned by the
 * caller, free with free()) and its length into *len.  Returns TR_OK;
 * TR_ENOTFOUND if there is no such member (*why untouched); TR_ETOOBIG
 * when it exceeds TR__ZIP_MAX_MEMBER or the archive's reads exceed
 * TR__ZIP_MAX_TOTAL; TR_EFORMAT for an encrypted or damaged member;
 * TR_ENOMEM.  On failure other than TR_ENOTFOUND *why receives a reason.
 */
tr_status tr__zip_read(tr__zip *z, const char *name, char **out, size_t *len, char **why);

/*
 * The part a relationship points to: @target resolved against the folder
 * of @source ("word/document.xml" + "media/a.png" → "word/media/a.png";
 * "../x" climbs, "/x" is absolute).  Allocated; NULL when out of memory.
 */
char *tr__zip_resolve(const char *source, const char *target);

/* ---- Streaming XML ------------------------------------------------------ */

/*
 * Callbacks of tr__xml_walk().  @name is the element's local name (the
 * namespace prefix stripped: OOXML's transitional and strict namespaces
 * and ODF's use the same local names), @ns its namespace URI or "".
 * Returning anything but TR_OK stops the walk with that status.
 */
typedef struct tr__xml_events {
	tr_status (*start)(void *ctx, void *reader, const char *ns, const char *name);
	tr_status (*end)(void *ctx, const char *ns, const char *name);
	tr_status (*text)(void *ctx, const char *s, size_t len);
} tr__xml_events;

/*
 * Streams through the XML document @data[0..len) calling @ev.  Empty
 * elements get an end event too.  Entity references are not expanded
 * (their text is lost, which no Office file needs), no DTD is loaded and
 * nothing is fetched.  Returns TR_OK, TR_EFORMAT for XML that is not
 * well-formed (what was read before the error has been delivered), the
 * status a callback returned, or TR_ENOMEM.
 */
tr_status tr__xml_walk(const char *data, size_t len, const tr__xml_events *ev, void *ctx);

/*
 * The value of attribute @name (local name) of the element a start
 * callback is at, whatever its namespace prefix; NULL if absent.  Owned
 * by the caller; free with free().
 */
char *tr__xml_attr(void *reader, const char *name);

/*
 * Like tr__xml_attr() but only an attribute with a namespace prefix
 * (OOXML's r:id beside a plain id).
 */
char *tr__xml_attr_ns(void *reader, const char *name);

/*
 * Appends XML character data to @b with every control character other
 * than tab and newline turned into a space (a form feed separates pages
 * in body and must not come from the text).  Returns like
 * tr__extract_add().
 */
tr_status tr__xml_add_text(tr_buf *b, const char *s, size_t len);

/* Like tr__extract_add() for a NUL-terminated string. */
tr_status tr__xml_adds(tr_buf *b, const char *s);

/*
 * "2019-03-12" from a property date ("2019-03-12T10:15:00Z" or any form
 * tr_date_parse() reads); NULL for no date, a date that does not parse,
 * one without a day, or a year before 1980 (defaults such as 1601-01-01).
 * Allocated; free with free().
 */
char *tr__property_date(const char *s);

/*
 * Adds the keywords in @s, separated by ',' or ';', to the tag list (at
 * most TR__FRONT_MATTER_MAX_LIST entries).  Out of memory only loses tags.
 */
void tr__property_tags(char ***tags, size_t *n_tags, const char *s);

/*
 * Sets the text field @b to @s squeezed onto one line, unless @b already
 * has text or @s is empty.  Out of memory or a full field only loses it.
 */
void tr__property_set(tr_buf *b, const char *s);

/* ---- Building the text fields ------------------------------------------ */

/* Ends a line in @b unless it is empty or already ends one. */
tr_status tr__xml_line_end(tr_buf *b);

/* Ends a table cell: the cell's text is followed by one tab. */
tr_status tr__xml_cell_end(tr_buf *b);

/* Ends a paragraph: a line of its own, or, inside a table cell, a space. */
tr_status tr__xml_para_end(tr_buf *b, bool in_cell);

/*
 * Appends slide @i (0-based) to @out->body: a form feed before every
 * slide but the first (also before an empty one, so that the pages count
 * the slides), then @title on a line, then @text.  The first slide title
 * becomes the document's title if it has none.  Empties both buffers.
 * Returns like tr__extract_add().
 */
tr_status tr__slide_emit(tr_extract *out, tr_buf *title, tr_buf *text, size_t i);

/*
 * The headings of a word-processing document, gathered while reading so
 * that the title can be chosen at the end.
 */
typedef struct tr__heading {
	char *text;
	bool title;          /* in a "Title" style */
	int level;           /* 0 for a top-level heading */
} tr__heading;

typedef struct tr__headings {
	tr__heading *v;
	size_t n;
} tr__headings;

/* More headings than this go straight into the headings field. */
#define TR__HEADINGS_MAX 4096

/* Adds one heading (squeezed onto a line; an empty one is dropped). */
tr_status tr__headings_add(tr__headings *h, tr_extract *out, const char *text, bool title, int level);

/*
 * Chooses the title, unless @out has one from the properties: the first
 * heading in a "Title" style, else the first top-level heading.  Writes
 * the others to @out->headings, one per line, without the title.
 */
tr_status tr__headings_finish(tr__headings *h, tr_extract *out);
void tr__headings_free(tr__headings *h);

/* An allocated German reason built like printf; NULL when out of memory. */
char *tr__reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * An extractor's epilogue: on failure (other than out of memory) *@mine
 * becomes the caller's *@why, if it asked; otherwise it is freed.
 */
void tr__reason_hand_over(tr_status st, char **mine, char **why);

/* Where the text of a document-properties element goes. */
typedef enum tr__prop_kind {
	TR_PROP_TITLE,
	TR_PROP_AUTHOR,            /* the author; the first such element wins */
	TR_PROP_AUTHOR_FALLBACK,   /* the author only if no TR_PROP_AUTHOR element gave one */
	TR_PROP_DESCRIPTION,
	TR_PROP_TAGS,
	TR_PROP_CREATED,
	TR_PROP_MODIFIED
} tr__prop_kind;

typedef struct tr__prop_field {
	const char *element;       /* local name, e.g. "creator"; NULL ends the table */
	tr__prop_kind kind;
} tr__prop_field;

/*
 * Reads the document properties in the zip member @part (OOXML
 * docProps/core.xml, ODF meta.xml) into @out, each element of @fields by
 * its kind.  Properties are a bonus: a missing or damaged part costs
 * nothing (TR_OK); only running out of memory is an error.
 */
tr_status tr__props_read(tr_extract *out, tr__zip *z, const char *part, const tr__prop_field *fields);

/* The same for the properties document @xml[0..len) itself (a flat OpenDocument's office:meta). */
tr_status tr__props_parse(tr_extract *out, const char *xml, size_t len, const tr__prop_field *fields);

#endif
