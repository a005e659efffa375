/*
 * The same-text key: one hash per document over its text after
 * normalisation, so that copies of one text (the same press release as
 * .docx, .pdf and .html, "Kopie von ...") fold into one hit.  Rules in
 * docs/terms.md ("Same-text key").
 */
#ifndef TR_SAMETEXT_H
#define TR_SAMETEXT_H

#include <stdbool.h>

#include "tellerrand/document.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hex digits of a key (XXH3-128). */
#define TR_SAME_TEXT_KEY_LEN 32

/*
 * Writes the key of @doc's title and body (pages separated by '\f') and a
 * NUL to @out.
 * Returns false, leaving @out empty, when the text has no word left after
 * normalisation or memory runs out: such a document is never folded.
 */
bool tr_same_text_key(const tr_doc *doc, char out[TR_SAME_TEXT_KEY_LEN + 1]);

/*
 * Whether the file name of @path (bytes) says it is a copy: "Kopie von X",
 * "Copy of X", "X - Kopie", "X - Kopie (2)", "X (2)", "X_kopie", "X_copy",
 * "X_alt", "X_old", "X_backup" (any case, any extension).  Such a copy
 * shows after the file it copies.
 */
bool tr_path_names_copy(const char *path);

#ifdef __cplusplus
}
#endif

#endif
