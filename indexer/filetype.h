/*
 * File type detection: libmagic decides from the content what a file is
 * and which charset its text uses; the file name's extension only settles
 * what libmagic cannot know (Markdown is plain text to it).
 */
#ifndef TR_FILETYPE_H
#define TR_FILETYPE_H

#include <stddef.h>

#include "tellerrand/status.h"

/*
 * Detects the MIME type and charset of @data[0..len).  @path (may be NULL)
 * gives the extension hint of tr__handler_mime_hint(): "text/plain" from
 * "x.md" becomes "text/markdown".  *mime receives e.g. "text/plain",
 * *charset libmagic's encoding name ("utf-8", "us-ascii", "iso-8859-1",
 * "unknown-8bit", "utf-16le", "binary", ...); both owned by the caller,
 * free with free().
 *
 * An empty file is reported as "text/plain" in "us-ascii" (refined by its
 * extension), so that it is indexed as an empty document and can be found
 * by its name; skipping empty files is the indexer's policy, not ours.  A
 * file libmagic calls binary only because of stray NUL bytes is reported
 * as text when its extension names a text format.
 *
 * libmagic handles are not thread-safe, so each thread opens its own on
 * first use; call tr__filetype_cleanup() in a thread before it ends.
 * Returns TR_OK, TR_ENOMEM, or TR_EINTERNAL when the magic database cannot
 * be loaded or libmagic fails.
 */
tr_status tr__filetype_detect(const char *data, size_t len, const char *path,
                              char **mime, char **charset);

/*
 * Closes the calling thread's libmagic handle (a later detection opens a
 * new one).  For thread exit, tests and valgrind.
 */
void tr__filetype_cleanup(void);

#endif
