#include "writer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/*
 * Changes a writer holds before the parent waits: bounds memory when the
 * disk is slower than the workers.  A queued document holds all its terms
 * and positions, so each writer of a run (two parts and the spelling
 * words' writer) keeps only a few: 64 cost 17 MB of peak RSS at 2,000
 * documents with two writers, against 16.
 */
#define QUEUE_MAX 16

typedef enum op_kind { OP_DOCUMENT, OP_SPELLING, OP_STAMP, OP_DELETE, OP_METADATA, OP_SYNC } op_kind;

typedef struct op {
	op_kind kind;
	tr_built *doc;       /* DOCUMENT */
	tr_spellings *spell; /* SPELLING */
	char *a;             /* STAMP: the stamp; METADATA: the key */
	char *b;             /* METADATA: the value */
	unsigned n;          /* STAMP, DELETE: the docid */
	struct op *next;
} op;

struct tr__writer {
	tr_db *db;
	unsigned batch;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;   /* queue, status or sync count changed: both sides wait on it */
	op *head, *tail;
	size_t queued;
	bool closing;
	bool holding;             /* tr__writer_hold(): take no change until released */
	bool waiting;             /* the thread is blocked on @changed, holding no lock */
	tr_status st;             /* the first failure; then the thread only drains the queue */
	tr_spellings *spell;      /* the spelling words since the last commit, each once (writer thread only) */
	unsigned spelled;         /* documents whose spelling words came since the last commit (writer thread only) */
	unsigned long syncs_asked, syncs_done;
};

static void
op_free(op *o)
{
	tr_built_free(o->doc);
	tr_spellings_free(o->spell);
	free(o->a);
	free(o->b);
	free(o);
}

/*
 * Keeps a document's spelling words with the others of the batch: a word
 * goes to the database once a commit, with its counts summed, instead of
 * once for each document that has it.
 */
static tr_status
keep_spellings(tr__writer *w, op *o)
{
	if (!w->spell) {
		w->spell = o->spell;
		o->spell = NULL;
		return TR_OK;
	}
	return tr_spellings_merge(w->spell, o->spell);
}

/* Commits, the batch's spelling words first. */
static tr_status
commit(tr__writer *w)
{
	tr_status st = TR_OK;

	if (w->spell) {
		st = tr_db_add_spellings(w->db, w->spell);
		tr_spellings_free(w->spell);
		w->spell = NULL;
	}
	return st == TR_OK ? tr_db_commit(w->db) : st;
}

static tr_status
apply(tr__writer *w, op *o, unsigned *pending)
{
	tr_status st = TR_OK;

	switch (o->kind) {
	case OP_DOCUMENT: st = tr_db_store_built(w->db, o->doc); break;
	case OP_SPELLING: st = keep_spellings(w, o); break;
	case OP_STAMP:    st = tr_db_set_stamp(w->db, o->n, o->a); break;
	case OP_DELETE:   st = tr_db_delete_docid(w->db, o->n); break;
	case OP_METADATA: st = tr_db_set_metadata(w->db, o->a, o->b); break;
	case OP_SYNC:
		*pending = 0;
		w->spelled = 0;
		return commit(w);
	}
	/*
	 * The batch counts documents: a document's spelling words are part of
	 * its change.  A writer that gets the words of documents stored by
	 * others (a split run's, a shard set's first database) counts them,
	 * so that it does not hold the words of the whole run until its end.
	 */
	if (st == TR_OK && (o->kind == OP_SPELLING ? ++w->spelled >= w->batch : ++*pending >= w->batch)) {
		*pending = 0;
		w->spelled = 0;
		st = commit(w);
	}
	return st;
}

static void *
writer_main(void *arg)
{
	tr__writer *w = arg;
	unsigned pending = 0;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		op *o = w->holding ? NULL : w->head;
		tr_status st;

		if (!o) {
			if (w->closing && !w->head)
				break;
			w->waiting = true;
			pthread_cond_broadcast(&w->changed);
			pthread_cond_wait(&w->changed, &w->lock);
			w->waiting = false;
			continue;
		}
		w->head = o->next;
		if (!w->head)
			w->tail = NULL;
		w->queued--;
		pthread_mutex_unlock(&w->lock);
		st = w->st == TR_OK ? apply(w, o, &pending) : w->st;
		pthread_mutex_lock(&w->lock);
		if (w->st == TR_OK)
			w->st = st;
		if (o->kind == OP_SYNC)
			w->syncs_done++;
		op_free(o);
		pthread_cond_broadcast(&w->changed);
	}
	/* A set's first database may have had spelling words only. */
	if (w->st == TR_OK && (pending || w->spell))
		w->st = commit(w);
	tr_spellings_free(w->spell);
	w->spell = NULL;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

tr_status
tr__writer_start(tr__writer **out, tr_db *db, unsigned batch)
{
	tr__writer *w = calloc(1, sizeof *w);

	*out = NULL;
	if (!w)
		return TR_ENOMEM;
	w->db = db;
	w->batch = batch ? batch : 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_cond_destroy(&w->changed);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return TR_EINTERNAL;
	}
	*out = w;
	return TR_OK;
}

static tr_status
push(tr__writer *w, op_kind kind, tr_built *doc, tr_spellings *spell, char *a, char *b, unsigned n)
{
	op *o = malloc(sizeof *o);
	tr_status st;

	if (!o) {
		tr_built_free(doc);
		tr_spellings_free(spell);
		free(a);
		free(b);
		return TR_ENOMEM;
	}
	*o = (op){ kind, doc, spell, a, b, n, NULL };
	pthread_mutex_lock(&w->lock);
	while (w->st == TR_OK && w->queued >= QUEUE_MAX)
		pthread_cond_wait(&w->changed, &w->lock);
	st = w->st;
	if (st == TR_OK) {
		if (w->tail)
			w->tail->next = o;
		else
			w->head = o;
		w->tail = o;
		w->queued++;
		if (kind == OP_SYNC)
			w->syncs_asked++;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	if (st != TR_OK)
		op_free(o);
	return st;
}

tr_status
tr__writer_document(tr__writer *w, tr_built *doc)
{
	return push(w, OP_DOCUMENT, doc, NULL, NULL, NULL, 0);
}

tr_status
tr__writer_spellings(tr__writer *w, tr_spellings *words)
{
	return push(w, OP_SPELLING, NULL, words, NULL, NULL, 0);
}

tr_status
tr__writer_stamp(tr__writer *w, unsigned docid, char *stamp)
{
	return push(w, OP_STAMP, NULL, NULL, stamp, NULL, docid);
}

tr_status
tr__writer_delete(tr__writer *w, unsigned docid)
{
	return push(w, OP_DELETE, NULL, NULL, NULL, NULL, docid);
}

tr_status
tr__writer_metadata(tr__writer *w, char *key, char *value)
{
	return push(w, OP_METADATA, NULL, NULL, key, value, 0);
}

tr_status
tr__writer_sync(tr__writer *w)
{
	tr_status st = push(w, OP_SYNC, NULL, NULL, NULL, NULL, 0);
	unsigned long ticket;

	if (st != TR_OK)
		return st;
	pthread_mutex_lock(&w->lock);
	ticket = w->syncs_asked;
	while (w->syncs_done < ticket)
		pthread_cond_wait(&w->changed, &w->lock);
	st = w->st;
	pthread_mutex_unlock(&w->lock);
	return st;
}

void
tr__writer_hold(tr__writer *w, bool hold)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->holding = hold;
	pthread_cond_broadcast(&w->changed);
	while (hold && !w->waiting)
		pthread_cond_wait(&w->changed, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

tr_status
tr__writer_finish(tr__writer *w)
{
	tr_status st;

	if (!w)
		return TR_OK;
	pthread_mutex_lock(&w->lock);
	w->closing = true;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	st = w->st;
	pthread_cond_destroy(&w->changed);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return st;
}
