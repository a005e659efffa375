/*
 * An update run: scan the roots, compare each file's stamps with what the
 * index recorded, let workers read only what changed, write the results as
 * the single writer, and delete what disappeared.
 *
 * A document's stamp (value slot TR_SLOT_STAMP) is
 *     "SIZE MTIME_NS CTIME_NS DEV INO HASH FINGERPRINT"
 * where HASH is the XXH3-128 of the file's bytes and FINGERPRINT that of
 * what shaped the index (data files, format version).  A file whose first
 * five fields and fingerprint match is not read at all.  Files left out
 * (skipped or failed) are remembered the same way in the index metadata
 * under "skip:PATH" = "SIZE MTIME_NS CTIME_NS DEV INO - FINGERPRINT\tKIND\tREASON",
 * so an unchanged bad file is reported again without being read again.
 *
 * One index is a shard set of one: its documents, metadata and spelling
 * words all go to the same handle, and so to the same writer thread;
 * except in a run that fills it from empty, whose documents go to two
 * parts written side by side and merged into it at the end (split_start).
 */
#include "tellerrand/index.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "scan.h"
#include "workers.h"
#include "writer.h"

#define SKIP_PREFIX "skip:"

/*
 * A document on record (or a remembered skip).  A document's path is its
 * file's in the scan when the scan found it, so the index's paths are not
 * held twice, and its stamp is judged as it is read: only the verdict and,
 * for a changed file, the content hash on record are kept.
 */
typedef struct entry {
	const char *path;
	const char *stamp;     /* a skip record: its value; a document: the content hash that may spare reading it, or NULL */
	double added;          /* when it entered the index (TR_SLOT_ADDED); 0: not recorded */
	unsigned docid;        /* 0 for a skip record */
	uint32_t shard;        /* where the document is */
	bool seen;
	bool same;             /* a document whose file's stamps and fingerprint match: unchanged */
} entry;

typedef struct entries {
	entry *v;
	size_t n, alloc;
	tr__strpool strings;   /* the entries' paths and stamps */
} entries;

typedef struct run {
	tr_db *db;
	const tr_shards *set;   /* opts->shards, or @db as the one shard */
	tr__writer **w;         /* one per shard */
	tr__writer *meta_w;     /* @db's: skip records and spelling words */
	const tr_index_options *o;
	tr_index_stats *stats;
	tr__filelist files;
	const tr_root *roots;
	char **abs;             /* absolute root paths, resolved (NULL if unknown) */
	bool *walked;           /* walked in this run (and found) */
	size_t n_roots;
	const char **held;      /* folders whose documents stay: unavailable roots, unreadable folders */
	size_t n_held;
	entries docs;           /* what the index holds, sorted by path */
	entries skips;          /* remembered skipped/failed files, sorted by path */
	entries prev;           /* a rebuild: the documents of the index it replaces, by path */
	const tr__file **by_path; /* while the index's documents are read: the scanned files, sorted by path */
	/* A split run (tr_index_options.writers): the parts documents go to, merged into @db at the end. */
	tr_db *part[2];
	tr__writer *part_w[2];
	size_t n_parts;
	unsigned split_at;      /* a split rebuild: kept ids up to this go to the first part, the rest to the second */
	unsigned first_id;      /* a split first run: the id before the first job's */
	tr__job *jobs;
	entry **job_entry;      /* the document on record for each job, or NULL */
	size_t n_jobs;
	size_t done;
} run;

size_t
tr_shards_route(const tr_shards *s, const char *path, const char *district)
{
	if (s->n < 2)
		return 0;
	/* Stored placement depends on it: the hash must never change (XXH64 is specified, seed 0). */
	if (!s->districts)
		return (size_t)(XXH64(path, strlen(path), 0) % s->n);
	for (size_t i = 0, len = district ? strlen(district) : 0; district && i < s->n; i++) {
		const char *p = s->districts[i];

		while (p && *p) {
			if (strncmp(p, district, len) == 0 && (p[len] == '|' || p[len] == '\0'))
				return i;
			p = strchr(p, '|');
			if (p)
				p++;
		}
	}
	return 0;
}

static void
report(const run *r, tr_change what, const char *path, const char *reason)
{
	if (r->o->change)
		r->o->change(what, path, reason, r->o->ctx);
}

static void
entries_free(entries *e)
{
	tr__strpool_free(&e->strings);
	free(e->v);
}

/* A new zeroed entry at the end of @e, or NULL when out of memory. */
static entry *
entries_push(entries *e)
{
	if (e->n == e->alloc) {
		size_t a = e->alloc ? e->alloc * 2 : 256;
		entry *v = realloc(e->v, a * sizeof *v);

		if (!v)
			return NULL;
		e->v = v;
		e->alloc = a;
	}
	memset(&e->v[e->n], 0, sizeof *e->v);
	return &e->v[e->n++];
}

static const char *
keep(entries *e, const char *s, size_t len)
{
	return tr__strpool_copy(&e->strings, s, len);
}

static int
collect_skip(const char *key, const char *value, void *ctx)
{
	entries *skips = ctx;
	entry *v = entries_push(skips);
	const char *path = key + strlen(SKIP_PREFIX);

	if (!v || !(v->path = keep(skips, path, strlen(path))) || !(v->stamp = keep(skips, value, strlen(value))))
		return -1;
	return 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

static entry *
entries_find(entries *e, const char *path)
{
	entry key = { .path = path };
	return e->n ? bsearch(&key, e->v, e->n, sizeof *e->v, entry_cmp) : NULL;
}

/* The n-th space-separated field of a stamp, as a pointer and length. */
static const char *
stamp_field(const char *stamp, int n, size_t *len)
{
	const char *p = stamp;

	for (int i = 0; i < n && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p) {
		*len = 0;
		return "";
	}
	*len = strcspn(p, " \t");
	return p;
}

/* True if @stamp begins with the stat part @stat and carries fingerprint @fp. */
static bool
stamp_matches(const char *stamp, const char *stat, const char *fp)
{
	size_t sl = strlen(stat), fl;
	const char *f;

	if (strncmp(stamp, stat, sl) != 0 || stamp[sl] != ' ')
		return false;
	f = stamp_field(stamp, 6, &fl);
	return fl == strlen(fp) && strncmp(f, fp, fl) == 0;
}

static bool
under(const char *path, const char *root)
{
	size_t n = strlen(root);
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/' || (n == 1 && root[0] == '/'));
}

/* Whether a recorded path may be deleted when its file was not seen: its folder was walked. */
static bool
may_delete(const run *r, const char *path)
{
	for (size_t i = 0; i < r->n_held; i++)
		if (under(path, r->held[i]))
			return false;
	for (size_t i = 0; i < r->n_roots; i++)
		if (r->walked[i] && under(path, r->abs[i]))
			return true;
	return r->o->prune;
}

/* The most specific root that holds @path, or (size_t)-1. */
static size_t
owner(const run *r, const char *path)
{
	size_t best = (size_t)-1, best_len = 0;

	for (size_t i = 0; i < r->n_roots; i++) {
		size_t n = r->abs[i] ? strlen(r->abs[i]) : 0;
		if (n && under(path, r->abs[i]) && (best == (size_t)-1 || n > best_len)) {
			best = i;
			best_len = n;
		}
	}
	return best;
}

/*
 * Gives every file found the root it belongs to: the most specific one,
 * for a link the one that holds its target.  A link that leads out of
 * every root is not followed: what lies outside the archive (a password
 * file, the server's token) must never become a document.
 */
static tr_status
assign_owners(run *r)
{
	for (size_t i = 0; i < r->files.n; i++) {
		tr__file *f = &r->files.v[i];
		size_t o;

		if (f->found != TR__FOUND_FILE)
			continue;
		o = owner(r, f->real ? f->real : f->path);
		if (o != (size_t)-1) {
			f->root = (uint32_t)o;
			continue;
		}
		f->error = "Verweis auf eine Datei außerhalb der Ordner des Index, nicht gefolgt";
		f->found = TR__FOUND_SKIPPED;
	}
	return TR_OK;
}

static tr_status
hold(run *r, const char *path)
{
	const char **v = realloc(r->held, (r->n_held + 1) * sizeof *v);

	if (!v)
		return TR_ENOMEM;
	r->held = v;
	r->held[r->n_held++] = path;
	return TR_OK;
}

static const char *
fingerprint(const run *r)
{
	return r->o->fingerprint ? r->o->fingerprint : "-";
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp((*(const tr__file *const *)a)->path, (*(const tr__file *const *)b)->path);
}

/* The scanned file at @path, or NULL. */
static const tr__file *
scanned(const run *r, const char *path)
{
	tr__file key = { .path = path };
	const tr__file *k = &key, **f;

	if (!r->files.n)
		return NULL;
	f = bsearch(&k, r->by_path, r->files.n, sizeof *r->by_path, file_cmp);
	return f ? *f : NULL;
}

/* Collects one shard's documents into the view of all; @judge: decide each against its file. */
typedef struct collect_ctx {
	run *r;
	entries *docs;
	size_t shard;
	bool judge;
} collect_ctx;

/*
 * Whether a document's file is unchanged (same stamps, same fingerprint),
 * and if not, the content hash on record, which spares the extraction of
 * a file that was only touched, under the same fingerprint.
 */
static int
judge(const run *r, entries *docs, entry *v, const tr__file *f, const char *stamp)
{
	char *stat = tr__stamp_stat(f);
	const char *h, *fp;
	size_t hl, fl;

	if (!stat)
		return -1;
	v->same = stamp_matches(stamp, stat, fingerprint(r));
	free(stat);
	if (v->same)
		return 0;
	h = stamp_field(stamp, 5, &hl);
	fp = stamp_field(stamp, 6, &fl);
	if (hl && !(hl == 1 && *h == '-') && fl == strlen(fingerprint(r)) && strncmp(fp, fingerprint(r), fl) == 0 &&
	    !(v->stamp = keep(docs, h, hl)))
		return -1;
	return 0;
}

static int
collect_doc(unsigned docid, const char *path, const char *stamp, void *ctx)
{
	collect_ctx *c = ctx;
	const tr__file *f = scanned(c->r, path);
	entry *v = entries_push(c->docs);

	if (!v)
		return -1;
	v->docid = docid;
	v->shard = (uint32_t)c->shard;
	if (!(v->path = f ? f->path : keep(c->docs, path, strlen(path))))
		return -1;
	return c->judge && f && f->found == TR__FOUND_FILE ? judge(c->r, c->docs, v, f, stamp) : 0;
}

/*
 * Adds when each document entered the index to the entries one shard's
 * tr_db_each_stamp() just appended (from @next on, in docid order).
 */
typedef struct added_ctx {
	entries *docs;
	size_t next;
} added_ctx;

static int
collect_added(unsigned docid, double added, void *ctx)
{
	added_ctx *c = ctx;

	while (c->next < c->docs->n && c->docs->v[c->next].docid < docid)
		c->next++;
	if (c->next < c->docs->n && c->docs->v[c->next].docid == docid)
		c->docs->v[c->next].added = added;
	return 0;
}

static tr_status
collect_docs(run *r, tr_db *db, entries *docs, size_t shard, bool judge_files)
{
	collect_ctx c = { r, docs, shard, judge_files };
	added_ctx a = { docs, docs->n };
	tr_status st = tr_db_each_stamp(db, collect_doc, &c);

	return st == TR_OK ? tr_db_each_added(db, collect_added, &a) : st;
}

static tr_status
remember_skip(run *r, const tr__file *f, const char *kind, const char *reason)
{
	char *key = NULL, *value = NULL, *stat = tr__stamp_stat(f);
	char *stamp = stat ? tr__stamp(stat, NULL, r->o->fingerprint) : NULL;
	tr_status st = TR_ENOMEM;

	if (stamp && asprintf(&key, SKIP_PREFIX "%s", f->path) >= 0 &&
	    asprintf(&value, "%s\t%s\t%s", stamp, kind, reason) >= 0) {
		st = tr__writer_metadata(r->meta_w, key, value);
		key = value = NULL;
	}
	free(stat);
	free(stamp);
	free(key);
	free(value);
	return st;
}

static tr_status
forget_skip(run *r, const char *path)
{
	entry *s = entries_find(&r->skips, path);
	char *key = NULL, *none = NULL;

	if (!s)
		return TR_OK;
	if (asprintf(&key, SKIP_PREFIX "%s", path) < 0 || !(none = strdup(""))) {
		free(key);
		return TR_ENOMEM;
	}
	return tr__writer_metadata(r->meta_w, key, none);
}

/*
 * How many databases a search of @shards shards opens: Xapian interleaves
 * their ids (id = (own id - 1) * count + position + 1), and a set's stub
 * names its first database (metadata, no documents) before the shards.
 */
static size_t
sub_databases(size_t shards)
{
	return shards > 1 ? shards + 1 : 1;
}

/* A split run's job @k: its place among the jobs in scan order (interleave). */
static size_t
scan_place(const run *r, size_t k)
{
	return k % 2 ? (r->n_jobs + 1) / 2 + k / 2 : k / 2;
}

/*
 * Hands a built document to the writer of its shard, and its spelling
 * words to the writer of the set's first database.  A document whose
 * shard changed leaves the old one first, committed, so that no search
 * finds it twice; until the new shard commits it, a search misses it.
 */
/*
 * The writer of a split run's part for job @job's document.  The parts
 * must hold disjoint id ranges, so that they merge keeping every id: a
 * first run gives each document its place in the scan as id, the first
 * half of the scan going to the first part; a rebuild's kept ids split at
 * @split_at, and its new files go above all of them, into the second part.
 */
static tr__writer *
part_writer(run *r, size_t job, tr_built *b, unsigned kept)
{
	if (kept)
		return r->part_w[kept > r->split_at];
	if (r->o->previous)
		return r->part_w[1];
	tr_built_keep_docid(b, r->first_id + (unsigned)scan_place(r, job) + 1);
	return r->part_w[scan_place(r, job) >= (r->n_jobs + 1) / 2];
}

static tr_status
store(run *r, size_t job, tr_built *b, const char *path, const char *district, const entry *e)
{
	size_t to = tr_shards_route(r->set, path, district);
	tr_spellings *words = NULL;
	tr_status st;
	const entry *was = e ? NULL : entries_find(&r->prev, path);
	unsigned kept = 0;

	/* A changed file, one moved to another shard and a rebuild keep when the file first came in. */
	if (e || was)
		tr_built_keep_added(b, e ? e->added : was->added);
	/* A rebuild keeps the id the replaced index gave the file, if the file stays in the same shard. */
	if (was && r->o->previous_shards == r->set->n) {
		size_t subs = sub_databases(r->set->n);
		size_t sub = (was->docid - 1) % subs;

		if (sub == to + subs - r->set->n)
			tr_built_keep_docid(b, kept = (unsigned)((was->docid - 1) / subs + 1));
	}

	if (e && e->shard != to) {
		if ((st = tr__writer_delete(r->w[e->shard], e->docid)) != TR_OK ||
		    (st = tr__writer_sync(r->w[e->shard])) != TR_OK) {
			tr_built_free(b);
			return st;
		}
		r->stats->moved++;
	}
	if ((st = tr_built_take_spellings(b, &words)) != TR_OK) {
		tr_built_free(b);
		return st;
	}
	if ((st = tr__writer_document(r->n_parts ? part_writer(r, job, b, kept) : r->w[to], b)) != TR_OK) {
		tr_spellings_free(words);
		return st;
	}
	return tr__writer_spellings(r->meta_w, words);
}

/*
 * Reads the built document a worker sent (its terms made there) into a
 * Xapian document, here in the main thread while the writers store the
 * ones before.  A damaged one becomes a failed file; only running out of
 * memory stops the run.
 */
static tr_status
build(tr__result *res, tr_built **out)
{
	char *why = NULL;
	tr_status st = tr_built_new(out, res->built, res->built_len, &why);

	if (st != TR_OK && st != TR_ENOMEM) {
		res->outcome = TR_OUTCOME_FAIL;
		free(res->reason);
		res->reason = why;
		why = NULL;
		st = TR_OK;
	}
	free(why);
	return st;
}

static tr_status
on_result(tr__result *res, void *ctx)
{
	run *r = ctx;
	const tr__file *f = r->jobs[res->job].file;
	entry *e = r->job_entry[res->job];
	char *stat = tr__stamp_stat(f), *stamp = NULL;
	tr_built *built = NULL;
	tr_status st = TR_OK;

	if (!stat)
		return TR_ENOMEM;
	if (res->outcome == TR_OUTCOME_DOC && (st = build(res, &built)) != TR_OK) {
		free(stat);
		return st;
	}
	r->done++;
	r->stats->ocr_pages += res->ocr_pages;
	r->stats->ocr_cached += res->ocr_cached;
	if (r->o->progress)
		r->o->progress(r->done, r->files.n, f->path, r->o->ctx);
	switch (res->outcome) {
	case TR_OUTCOME_DOC:
		if ((st = store(r, res->job, built, f->path, res->district, e)) != TR_OK)
			break;
		if (e)
			r->stats->updated++;
		else
			r->stats->added++;
		report(r, e ? TR_CHANGE_UPDATED : TR_CHANGE_ADDED, f->path, NULL);
		st = forget_skip(r, f->path);
		break;
	case TR_OUTCOME_SAME:
		/* Touched (restored, copied over) but the same bytes: new stamps, no extraction. */
		if (!e || !(stamp = tr__stamp(stat, res->hash, r->o->fingerprint))) {
			st = TR_ENOMEM;
			break;
		}
		if ((st = tr__writer_stamp(r->w[e->shard], e->docid, stamp)) != TR_OK)
			break;
		r->stats->touched++;
		report(r, TR_CHANGE_TOUCHED, f->path, NULL);
		break;
	case TR_OUTCOME_SKIP:
	case TR_OUTCOME_FAIL: {
		bool fail = res->outcome == TR_OUTCOME_FAIL;
		const char *why = res->reason ? res->reason : "unbekannter Grund";

		if (fail)
			r->stats->failed++;
		else
			r->stats->skipped++;
		report(r, fail ? TR_CHANGE_FAILED : TR_CHANGE_SKIPPED, f->path, why);
		/*
		 * A file now left out on purpose leaves the index; one that
		 * failed keeps its last good version searchable.
		 */
		if (!fail && e) {
			if ((st = tr__writer_delete(r->w[e->shard], e->docid)) != TR_OK)
				break;
			r->stats->deleted++;
		}
		/* A crash or a timeout may be the machine's fault, not the file's: try it again next time. */
		if (!res->worker_died)
			st = remember_skip(r, f, fail ? "failed" : "skipped", why);
		break;
	}
	}
	free(stat);
	return st;
}

/*
 * For a rebuild: learns the replaced index's ids and makes every shard of
 * the new one hand out only ids above them (a set of another layout: above
 * all of them), so that an old link never opens another file.
 */
static tr_status
keep_ids(run *r)
{
	unsigned last = 0;
	size_t n = r->set->n;
	tr_status st;

	if ((st = collect_docs(r, r->o->previous, &r->prev, 0, false)) != TR_OK ||
	    (st = tr_db_last_docid(r->o->previous, &last)) != TR_OK) {
		r->stats->failed_db = r->o->previous;
		return st;
	}
	if (r->prev.n)
		qsort(r->prev.v, r->prev.n, sizeof *r->prev.v, entry_cmp);
	for (size_t i = 0; i < n && st == TR_OK; i++) {
		size_t subs = sub_databases(n);
		unsigned floor = r->o->previous_shards == n ? (unsigned)((last + subs - 1) / subs) : last;
		if ((st = tr_db_reserve_docids(r->set->db[i], floor)) != TR_OK)
			r->stats->failed_db = r->set->db[i];
	}
	return st;
}

/* Around each fork of a worker: every writer holds still (tr__fork_fn). */
static void
hold_writers(bool before, void *ctx)
{
	run *r = ctx;

	for (size_t i = 0; i < r->set->n; i++)
		tr__writer_hold(r->w[i], before);
	for (size_t i = 0; i < r->n_parts; i++)
		tr__writer_hold(r->part_w[i], before);
	if (r->meta_w && r->meta_w != r->w[0])
		tr__writer_hold(r->meta_w, before);
}

/*
 * Hands the jobs out from the scan's two halves in turn (its first file,
 * the first of its second half, its second file, ...), so that both parts
 * of a split run get documents from the start.  In place, with a copy of
 * the second half only: from the end down, job k takes the (k/2)-th of its
 * half, and the first half's are still in place below k.
 */
static tr_status
interleave(run *r)
{
	size_t n = r->n_jobs, half = (n + 1) / 2;
	tr__job *second = malloc((n - half + 1) * sizeof *second);
	entry **was = malloc((n - half + 1) * sizeof *was);

	if (!second || !was) {
		free(second);
		free(was);
		return TR_ENOMEM;
	}
	memcpy(second, r->jobs + half, (n - half) * sizeof *second);
	memcpy(was, r->job_entry + half, (n - half) * sizeof *was);
	for (size_t k = n; k-- > 0;) {
		r->jobs[k] = k % 2 ? second[k / 2] : r->jobs[k / 2];
		r->job_entry[k] = k % 2 ? was[k / 2] : r->job_entry[k / 2];
	}
	free(second);
	free(was);
	return TR_OK;
}

/*
 * A run that fills an empty single index (a first run, a rebuild) writes
 * its documents into two parts, a writer thread each, when it has enough
 * to write: one Xapian writer is the run's limit (docs/performance.md).
 * Each part commits every half batch, so the two hold what one did.
 */
static tr_status
split_start(run *r)
{
	const tr_index_options *o = r->o;
	unsigned writers = o->writers ? o->writers : r->n_jobs >= TR_SPLIT_MIN ? 2 : 1;
	unsigned batch = o->batch_size > 1 ? o->batch_size / 2 : 1;
	unsigned last = 0;
	tr_status st = TR_OK;

	if (writers < 2 || o->dry_run || o->shards || r->docs.n || !r->n_jobs)
		return TR_OK;
	if ((st = tr_db_last_docid(o->previous ? o->previous : r->db, &last)) != TR_OK ||
	    (st = interleave(r)) != TR_OK)
		return st;
	r->split_at = last / 2;
	r->first_id = o->previous ? 0 : last;
	for (size_t i = 0; i < 2 && st == TR_OK; i++)
		if ((st = tr_db_open_part(r->db, i, &r->part[i])) == TR_OK)
			r->n_parts++;
	/* A rebuild's new files go above every id the replaced index used. */
	if (st == TR_OK && o->previous && last)
		st = tr_db_reserve_docids(r->part[1], last);
	for (size_t i = 0; i < r->n_parts && st == TR_OK; i++)
		st = tr__writer_start(&r->part_w[i], r->part[i], batch);
	return st;
}

/*
 * Commits and closes the parts, and merges them into the index: also after
 * an interrupted or failed run, so that what they committed stays, as it
 * does with one writer.
 */
static tr_status
split_finish(run *r)
{
	tr_status st = TR_OK;

	for (size_t i = 0; i < r->n_parts; i++) {
		tr_status wst = tr__writer_finish(r->part_w[i]);

		if (st == TR_OK)
			st = wst;
		tr_db_free(r->part[i]);
	}
	if (st == TR_OK && r->n_parts == 2)
		st = tr_db_merge_parts(r->db, r->n_parts);
	return st;
}

/* Decides for every scanned file: unchanged, remembered as skipped, or to be read. */
static tr_status
plan(run *r)
{
	r->jobs = calloc(r->files.n ? r->files.n : 1, sizeof *r->jobs);
	r->job_entry = calloc(r->files.n ? r->files.n : 1, sizeof *r->job_entry);
	if (!r->jobs || !r->job_entry)
		return TR_ENOMEM;
	for (size_t i = 0; i < r->files.n; i++) {
		tr__file *f = &r->files.v[i];
		entry *e = entries_find(&r->docs, f->path);
		entry *s = entries_find(&r->skips, f->path);
		char *stat = NULL;

		if (f->found == TR__FOUND_UNREADABLE) {
			/* Like an unavailable root: what was indexed below it stays (may_delete). */
			r->stats->unavailable++;
			r->done++;
			report(r, TR_CHANGE_UNAVAILABLE, f->path, f->error);
			if (hold(r, f->path) != TR_OK)
				return TR_ENOMEM;
			continue;
		}
		if (f->found == TR__FOUND_SKIPPED) {
			/* Not a file to read (any more): a document on record under its name goes (delete_unseen). */
			r->stats->skipped++;
			r->done++;
			report(r, TR_CHANGE_SKIPPED, f->path, f->error);
			continue;
		}
		if (e)
			e->seen = true;
		if (s)
			s->seen = true;
		if (f->found == TR__FOUND_FAILED) {
			r->stats->failed++;
			r->done++;
			report(r, TR_CHANGE_FAILED, f->path, f->error);
			continue;
		}
		if (e && e->same) {
			r->stats->unchanged++;
			r->done++;
			report(r, TR_CHANGE_UNCHANGED, f->path, NULL);
			continue;
		}
		if (!e && s && !(stat = tr__stamp_stat(f)))
			return TR_ENOMEM;
		if (!e && s && stamp_matches(s->stamp, stat, fingerprint(r))) {
			/* "STAT - FP\tKIND\tREASON" */
			const char *kind = strchr(s->stamp, '\t');
			const char *why = kind ? strchr(kind + 1, '\t') : NULL;
			bool fail = kind && strncmp(kind + 1, "failed", 6) == 0;

			if (fail)
				r->stats->failed++;
			else
				r->stats->skipped++;
			r->done++;
			report(r, fail ? TR_CHANGE_FAILED : TR_CHANGE_SKIPPED, f->path, why ? why + 1 : "");
		} else if (r->o->dry_run) {
			if (e)
				r->stats->updated++;
			else
				r->stats->added++;
			report(r, e ? TR_CHANGE_UPDATED : TR_CHANGE_ADDED, f->path, NULL);
		} else {
			/* The content hash on record (judge) spares extraction only under the same fingerprint. */
			r->jobs[r->n_jobs].file = f;
			r->jobs[r->n_jobs].expect_hash = e ? e->stamp : NULL;
			r->job_entry[r->n_jobs] = e;
			r->n_jobs++;
		}
		if (!e && s)
			free(stat);
	}
	return TR_OK;
}

static tr_status
delete_unseen(run *r)
{
	tr_status st = TR_OK;

	for (size_t i = 0; i < r->docs.n && st == TR_OK; i++) {
		entry *e = &r->docs.v[i];
		if (e->seen || !may_delete(r, e->path))
			continue;
		r->stats->deleted++;
		report(r, TR_CHANGE_DELETED, e->path, NULL);
		if (!r->o->dry_run)
			st = tr__writer_delete(r->w[e->shard], e->docid);
	}
	for (size_t i = 0; i < r->skips.n && st == TR_OK && !r->o->dry_run; i++) {
		entry *s = &r->skips.v[i];
		if (!s->seen && may_delete(r, s->path))
			st = forget_skip(r, s->path);
	}
	return st;
}

/* Where @path really is; an absolute path that is gone stays as written, so its documents can still be found. */
static char *
resolve(const char *path)
{
	char *abs = realpath(path, NULL);

	if (!abs && errno != ENOMEM && path[0] == '/')
		abs = strdup(path);
	return abs;
}

/*
 * Walks every root of this run once.  A folder that is itself a root of
 * the run is left to its own walk, and so is the index; each file then
 * gets the root it belongs to (assign_owners).
 */
static tr_status
walk_roots(run *r)
{
	tr__dirid *skip = calloc(r->n_roots + 3, sizeof *skip);
	size_t n_skip = 0;
	struct stat sb;
	tr_status st = TR_OK;

	if (!skip)
		return TR_ENOMEM;
	/* The index, its lock file and a rebuild beside it are never documents, even inside a root. */
	for (int k = 0; r->o->exclude_dir && k < 3; k++) {
		static const char *const suffix[] = { "", ".lock", ".neu" };
		char *p = NULL;

		if (asprintf(&p, "%s%s", r->o->exclude_dir, suffix[k]) < 0) {
			free(skip);
			return TR_ENOMEM;
		}
		if (stat(p, &sb) == 0)
			skip[n_skip++] = (tr__dirid){ (uint64_t)sb.st_dev, (uint64_t)sb.st_ino };
		free(p);
	}
	for (size_t i = 0; i < r->n_roots; i++) {
		if (!(r->abs[i] = resolve(r->roots[i].path)) && errno == ENOMEM) {
			free(skip);
			return TR_ENOMEM;
		}
		if (!r->roots[i].known_only && r->abs[i] && stat(r->abs[i], &sb) == 0)
			skip[n_skip++] = (tr__dirid){ (uint64_t)sb.st_dev, (uint64_t)sb.st_ino };
	}
	for (size_t i = 0; i < r->n_roots && st == TR_OK; i++) {
		bool twice = false, available = false;
		char why[256];

		if (r->roots[i].known_only)
			continue;
		for (size_t k = 0; k < i; k++)
			twice = twice || (!r->roots[k].known_only && r->abs[k] && r->abs[i] && !strcmp(r->abs[k], r->abs[i]));
		if (twice)
			continue;
		if (r->abs[i])
			st = tr__scan_root(&r->files, r->abs[i], i, skip, n_skip, &available, why, sizeof why);
		else
			snprintf(why, sizeof why, "nicht gefunden");
		r->walked[i] = available;
		if (st == TR_OK && !available) {
			r->stats->unavailable++;
			report(r, TR_CHANGE_UNAVAILABLE, r->roots[i].path, why);
			if (r->abs[i])
				st = hold(r, r->abs[i]);
		}
	}
	free(skip);
	return st == TR_OK ? assign_owners(r) : st;
}

/*
 * Reads what the index holds, after the walk: each document is matched to
 * its scanned file and judged as it is read (collect_doc), so the run keeps
 * a small record per document, not its path and stamp.  The skip records
 * and, for a rebuild, the replaced index's documents likewise.
 */
static tr_status
read_index(run *r)
{
	tr_db *db = r->db;
	tr_status st = TR_OK;

	if (!(r->by_path = malloc((r->files.n ? r->files.n : 1) * sizeof *r->by_path)))
		return TR_ENOMEM;
	for (size_t i = 0; i < r->files.n; i++)
		r->by_path[i] = &r->files.v[i];
	if (r->files.n)
		qsort(r->by_path, r->files.n, sizeof *r->by_path, file_cmp);
	for (size_t i = 0; db && i < r->set->n && st == TR_OK; i++)
		if ((st = collect_docs(r, r->set->db[i], &r->docs, i, true)) != TR_OK)
			r->stats->failed_db = r->set->db[i];
	if (db && st == TR_OK) {
		if ((st = tr_db_each_metadata(db, SKIP_PREFIX, collect_skip, &r->skips)) != TR_OK)
			r->stats->failed_db = db;
		if (r->docs.n)
			qsort(r->docs.v, r->docs.n, sizeof *r->docs.v, entry_cmp);
		if (r->skips.n)
			qsort(r->skips.v, r->skips.n, sizeof *r->skips.v, entry_cmp);
	}
	if (st == TR_OK && r->o->previous && !r->o->dry_run)
		st = keep_ids(r);
	free(r->by_path);
	r->by_path = NULL;
	return st;
}

tr_status
tr_index_update(tr_db *db, const tr_root *roots, size_t n_roots,
                const tr_index_options *o, tr_index_stats *stats)
{
	run r;
	tr_db *single[1] = { db };
	tr_shards one = { single, 1, NULL };
	tr__writer *own_meta = NULL;
	tr_status st = TR_OK;

	memset(stats, 0, sizeof *stats);
	memset(&r, 0, sizeof r);
	r.db = db;
	r.set = o->shards ? o->shards : &one;
	r.o = o;
	r.stats = stats;
	r.roots = roots;
	r.n_roots = n_roots;
	r.abs = calloc(n_roots ? n_roots : 1, sizeof *r.abs);
	r.walked = calloc(n_roots ? n_roots : 1, sizeof *r.walked);
	r.w = calloc(r.set->n ? r.set->n : 1, sizeof *r.w);
	if (!r.abs || !r.walked || !r.w) {
		st = TR_ENOMEM;
		goto done;
	}

	/* What a killed split run committed into its parts is in the index before anything is compared. */
	if (db && !o->dry_run && !o->shards && (st = tr_db_merge_parts(db, 2)) != TR_OK)
		stats->failed_db = db;
	if (st == TR_OK)
		st = walk_roots(&r);
	if (st == TR_OK)
		st = read_index(&r);
	if (st != TR_OK || (st = plan(&r)) != TR_OK)
		goto done;

	if (!o->dry_run && r.n_jobs && (!o->districts || !o->topics)) {
		st = o->need_data ? o->need_data(o->ctx) : TR_EINVAL;
		if (st == TR_OK && (!o->districts || !o->topics))
			st = TR_EINVAL;
	}
	if (st == TR_OK)
		st = split_start(&r);
	/* The set's first database gets a writer of its own unless it is one of the shards. */
	for (size_t i = 0; !o->dry_run && i < r.set->n && st == TR_OK; i++) {
		st = tr__writer_start(&r.w[i], r.set->db[i], o->batch_size);
		if (st == TR_OK && r.set->db[i] == db)
			r.meta_w = r.w[i];
	}
	if (!o->dry_run && st == TR_OK && !r.meta_w && (st = tr__writer_start(&own_meta, db, o->batch_size)) == TR_OK)
		r.meta_w = own_meta;
	if (st == TR_OK && !o->dry_run)
		st = tr__workers_run(r.jobs, r.n_jobs, roots, o, on_result, hold_writers, &r);
	if (st == TR_OK && o->stop && *o->stop)
		stats->interrupted = true;
	/* Only a complete run knows which files are really gone. */
	if (st == TR_OK && !stats->interrupted)
		st = delete_unseen(&r);
done:
	/* Each writer commits what it was given; the first to fail names its handle. */
	for (size_t i = 0; r.w && i < r.set->n; i++) {
		tr_status wst = tr__writer_finish(r.w[i]);
		if (wst != TR_OK && !stats->failed_db) {
			stats->failed_db = r.set->db[i];
			st = wst;
		}
	}
	{
		tr_status wst = tr__writer_finish(own_meta);
		if (wst != TR_OK && !stats->failed_db) {
			stats->failed_db = db;
			st = wst;
		}
	}
	if (r.n_parts) {
		tr_status pst = split_finish(&r);

		if (st == TR_OK)
			st = pst;
	}
	if (st != TR_OK && !stats->failed_db)
		stats->failed_db = db;
	free(r.jobs);
	free(r.job_entry);
	for (size_t i = 0; i < n_roots && r.abs; i++)
		free(r.abs[i]);
	free(r.abs);
	free(r.walked);
	free(r.held);
	entries_free(&r.docs);
	entries_free(&r.skips);
	entries_free(&r.prev);
	tr__filelist_free(&r.files);
	free(r.w);
	return st;
}
