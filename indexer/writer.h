/*
 * The indexer's writers: one thread per index handle (each shard of a set,
 * and the set's first database), so that the shards are written in
 * parallel while the parent goes on receiving the workers' results.  A
 * Xapian database may be used by one thread at a time; each handle here
 * is used by its writer thread alone until tr__writer_finish().
 */
#ifndef TR_WRITER_H
#define TR_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "tellerrand/db.h"

typedef struct tr__writer tr__writer;

/*
 * Starts the thread that writes @db, committing after every @batch
 * changes.  *out is owned by the caller; end it with tr__writer_finish().
 */
tr_status tr__writer_start(tr__writer **out, tr_db *db, unsigned batch);

/*
 * Queue one change; the strings, documents and spelling words are taken over (freed by the writer, also
 * on failure).  A call blocks while the queue is full, and returns the
 * writer's first failure once it has one (the detail in tr_db_errmsg() of
 * its handle): after that, it writes nothing more.
 */
tr_status tr__writer_document(tr__writer *w, tr_built *doc);
tr_status tr__writer_spellings(tr__writer *w, tr_spellings *words);
tr_status tr__writer_stamp(tr__writer *w, unsigned docid, char *stamp);
tr_status tr__writer_delete(tr__writer *w, unsigned docid);
tr_status tr__writer_metadata(tr__writer *w, char *key, char *value);

/* Commits everything queued so far and waits until it is durable. */
tr_status tr__writer_sync(tr__writer *w);

/*
 * With @hold, waits until the thread stands still between two changes,
 * holding no lock, and keeps it there; without, lets it go on.  Around a
 * fork (tr__fork_fn), so that the child inherits no lock the thread held.
 * Accepts NULL.
 */
void tr__writer_hold(tr__writer *w, bool hold);

/* Commits what is queued, ends the thread and frees @w; returns its first failure.  Accepts NULL. */
tr_status tr__writer_finish(tr__writer *w);

#endif
