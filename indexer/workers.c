#include "workers.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "tellerrand/db.h"
#include "document_wire.h"
#include "filetype.h"
#include "text.h"
#include "ocr.h"

/*
 * What a page of OCR may take beyond its limit (tr_ocr_options.page_timeout):
 * rendering and layout analysis come before tesseract's own limit can act,
 * which keeps what it read; the worker is killed only when that failed.
 */
#define OCR_PAGE_SLACK_MS 3000

/* A frame on a pipe: 4-byte length (host order: both ends are one binary), then JSON. */
#define FRAME_MAX ((uint32_t)1 << 30)

typedef struct worker {
	pid_t pid;
	int to;              /* parent writes requests */
	int from;            /* parent reads results */
	size_t job;          /* the job in progress, or (size_t)-1 */
	int64_t deadline;    /* monotonic ms; 0: none */
	unsigned ocr_pages;  /* pages of the job in progress that OCR started on */
} worker;

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
send_frame(int fd, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	uint32_t len;
	int ret = -1;

	if (!s)
		return -1;
	len = (uint32_t)strlen(s);
	if (write_all(fd, &len, sizeof len) == 0 && write_all(fd, s, len) == 0)
		ret = 0;
	free(s);
	return ret;
}

static int
send_raw(int fd, const char *data, size_t len)
{
	uint32_t n = (uint32_t)len;

	if (len > FRAME_MAX)
		return -1;
	return write_all(fd, &n, sizeof n) == 0 && write_all(fd, data, len) == 0 ? 0 : -1;
}

/* A raw frame (owned by the caller), or NULL at end of file or on a broken frame. */
static char *
recv_raw(int fd, size_t *out_len)
{
	uint32_t len;
	char *buf;

	if (read_all(fd, &len, sizeof len) < 0 || len > FRAME_MAX)
		return NULL;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return NULL;
	if (read_all(fd, buf, len) < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*out_len = len;
	return buf;
}

/* NULL at end of file or on a broken frame. */
static json_t *
recv_frame(int fd)
{
	size_t len;
	char *buf = recv_raw(fd, &len);
	json_t *o = buf ? json_loadb(buf, len, 0, NULL) : NULL;

	free(buf);
	return o;
}

char *
tr__hash_file(const char *path)
{
	XXH3_state_t *state = XXH3_createState();
	char buf[65536];
	char *hex = NULL;
	int fd = -1;
	ssize_t n;

	if (!state)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 || XXH3_128bits_reset(state) == XXH_ERROR)
		goto done;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		XXH3_128bits_update(state, buf, (size_t)n);
	if (n == 0) {
		XXH128_hash_t h = XXH3_128bits_digest(state);
		if (asprintf(&hex, "%016llx%016llx", (unsigned long long)h.high64,
		             (unsigned long long)h.low64) < 0)
			hex = NULL;
	}
done:
	if (fd >= 0)
		close(fd);
	XXH3_freeState(state);
	return hex;
}

/* ---- The worker side ---------------------------------------------------- */

/*
 * Reads one file.  Returns the result object; for an extracted document
 * *built (owned by the caller) is its index form, sent as a second frame.
 */
static json_t *
work_one(json_t *req, const tr_root *roots, const tr_index_options *o, char **built, size_t *built_len)
{
	const char *path_field = json_string_value(json_object_get(req, "path"));
	const char *relpath_field = json_string_value(json_object_get(req, "relpath"));
	const char *open_field = json_string_value(json_object_get(req, "open"));
	char *path = path_field ? tr_text_bytes_decode(path_field) : NULL;
	char *relpath = relpath_field ? tr_text_bytes_decode(relpath_field) : NULL;
	/* A link is read where the scan found it leads (and checked it may be followed), never through the link. */
	char *source = open_field ? tr_text_bytes_decode(open_field) : path_field ? strdup(path) : NULL;
	const char *expect = json_string_value(json_object_get(req, "expect"));
	const char *stat = json_string_value(json_object_get(req, "stat"));
	json_int_t root = json_integer_value(json_object_get(req, "root"));
	json_int_t size = json_integer_value(json_object_get(req, "size"));
	json_t *res = json_object();
	char *hash = NULL, *why = NULL;
	tr_doc *doc = NULL;
	tr_status st;

	if (!res || !path || !relpath || !source)
		goto done;
	/* Too large files are refused unread; everything else is hashed first. */
	if ((uint64_t)size <= tr__read_limit(o)) {
		hash = tr__hash_file(source);
		if (hash)
			json_object_set_new(res, "hash", json_string(hash));
		if (hash && expect && strcmp(hash, expect) == 0) {
			json_object_set_new(res, "outcome", json_integer(TR_OUTCOME_SAME));
			goto done;
		}
	}
	st = tr_index_read_file(&doc, source, relpath, &roots[root], o, &why);
	if (st == TR_OK && open_field) {
		free(doc->path);
		if (!(doc->path = strdup(path)))
			st = TR_ENOMEM;
	}
	if (st == TR_OK) {
		/* The terms are made here: the writer's process only stores them. */
		tr_buf wire = TR_BUF_INIT((size_t)-1 / 2);

		if (!(doc->stamp = tr__stamp(stat ? stat : "-", hash, o->fingerprint)))
			st = TR_ENOMEM;
		if (st == TR_OK)
			st = tr_doc_build_wire(doc, &wire, &why);
		if (st == TR_OK) {
			*built_len = wire.len;
			if (!(*built = tr_buf_detach(&wire)))
				st = TR_ENOMEM;
		}
		tr_buf_free(&wire);
		if (st == TR_OK) {
			json_object_set_new(res, "outcome", json_integer(TR_OUTCOME_DOC));
			if (doc->n_districts)
				json_object_set_new(res, "district", json_string(doc->districts[0]));
		} else {
			char *shown = tr_text_printable_dup(why ? why : tr_strerror(st));

			json_object_set_new(res, "outcome", json_integer(TR_OUTCOME_FAIL));
			json_object_set_new(res, "reason", json_string(shown ? shown : tr_strerror(st)));
			free(shown);
		}
	} else {
		bool fail = st == TR_EIO || st == TR_EFORMAT || st == TR_ENOMEM;
		/* A reason may quote the file (a member's name in a zip): readable, one line, whatever its bytes. */
		char *shown = tr_text_printable_dup(why ? why : tr_strerror(st));

		json_object_set_new(res, "outcome", json_integer(fail ? TR_OUTCOME_FAIL : TR_OUTCOME_SKIP));
		json_object_set_new(res, "reason", json_string(shown ? shown : tr_strerror(st)));
		free(shown);
	}
	{
		unsigned read, cached;

		tr__ocr_take_counts(&read, &cached);
		if (read)
			json_object_set_new(res, "ocr_pages", json_integer(read));
		if (cached)
			json_object_set_new(res, "ocr_cached", json_integer(cached));
	}
done:
	free(path);
	free(relpath);
	free(source);
	free(hash);
	free(why);
	tr_doc_free(doc);
	return res;
}

/*
 * Tells the parent that OCR of a page begins (tr_ocr_options.page_started):
 * it extends the file's time limit by a page's.  @arg points to the
 * result pipe.
 */
static void
worker_ocr_page(void *arg)
{
	json_t *o = json_pack("{s:b}", "ocr_page", 1);

	if (o && send_frame(*(int *)arg, o) < 0)
		_exit(4);
	json_decref(o);
}

static void
worker_main(int in, int out, const tr_root *roots, const tr_index_options *opts)
{
	tr_index_options mine = *opts;
	const tr_index_options *o = &mine;
	json_t *req;

	mine.ocr.page_started = worker_ocr_page;
	mine.ocr.arg = &out;

	/* The parent decides when to stop; a Ctrl-C on the terminal must not kill a file half-way. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
#if !defined(__SANITIZE_ADDRESS__)
	if (o->max_memory) {
		struct rlimit rl = { (rlim_t)o->max_memory, (rlim_t)o->max_memory };
		setrlimit(RLIMIT_AS, &rl);
	}
#endif
	while ((req = recv_frame(in)) != NULL) {
		char *built = NULL;
		size_t built_len = 0;
		json_t *res = work_one(req, roots, o, &built, &built_len);
		json_int_t job = json_integer_value(json_object_get(req, "job"));

		json_decref(req);
		if (!res)
			_exit(3);
		json_object_set_new(res, "job", json_integer(job));
		if (send_frame(out, res) < 0 || (built && send_raw(out, built, built_len) < 0))
			_exit(4);
		free(built);
		json_decref(res);
	}
	tr__filetype_cleanup();
	tr__ocr_cleanup();
	_exit(0);
}

/* ---- The parent side ---------------------------------------------------- */

/*
 * Starts worker @w; @all (of @n) are the other workers, whose pipe ends the
 * child must close: a child holding another worker's request pipe open
 * would keep that worker from ever seeing the end of its input.
 */
typedef struct pool {
	worker *w;
	unsigned nw;
	const tr__job *jobs;
	size_t n, next, busy;
	const tr_root *roots;
	const tr_index_options *o;
	tr__fork_fn fork_fn;
	void *ctx;
} pool;

static int
worker_start(pool *p, worker *w)
{
	worker *all = p->w;
	unsigned n = p->nw;
	int req[2], res[2];
	pid_t pid;

	if (pipe2(req, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(res, O_CLOEXEC) < 0) {
		close(req[0]);
		close(req[1]);
		return -1;
	}
	fflush(NULL);
	if (p->fork_fn)
		p->fork_fn(true, p->ctx);
	pid = fork();
	if (pid != 0 && p->fork_fn)
		p->fork_fn(false, p->ctx);
	if (pid < 0) {
		close(req[0]);
		close(req[1]);
		close(res[0]);
		close(res[1]);
		return -1;
	}
	if (pid == 0) {
		close(req[1]);
		close(res[0]);
		for (unsigned i = 0; i < n; i++) {
			if (&all[i] == w || all[i].pid <= 0)
				continue;
			close(all[i].to);
			close(all[i].from);
		}
		worker_main(req[0], res[1], p->roots, p->o);
	}
	close(req[0]);
	close(res[1]);
	w->pid = pid;
	w->to = req[1];
	w->from = res[0];
	w->job = (size_t)-1;
	w->deadline = 0;
	return 0;
}

/* Ends a worker; with @kill_it it is killed first (a hang), else it exits when its pipe closes. */
static int
worker_stop(worker *w, bool kill_it)
{
	int status = 0;

	if (w->pid <= 0)
		return 0;
	if (kill_it)
		kill(w->pid, SIGKILL);
	close(w->to);
	close(w->from);
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	return status;
}

static tr_status
report_failure(tr__result_fn fn, void *ctx, size_t job, const char *reason)
{
	tr__result r = { job, TR_OUTCOME_FAIL, NULL, NULL, NULL, 0, NULL, true, 0, 0 };
	tr_status st;

	r.reason = strdup(reason);
	if (!r.reason)
		return TR_ENOMEM;
	st = fn(&r, ctx);
	free(r.reason);
	return st;
}

/* Completes @r from a worker's answer @o, reading the built document that follows it. */
static tr_status
receive(json_t *o, int from, tr__result *r)
{
	const char *s;

	r->outcome = (tr__outcome)json_integer_value(json_object_get(o, "outcome"));
	if ((s = json_string_value(json_object_get(o, "hash"))) && !(r->hash = strdup(s)))
		return TR_ENOMEM;
	if ((s = json_string_value(json_object_get(o, "reason"))) && !(r->reason = strdup(s)))
		return TR_ENOMEM;
	if ((s = json_string_value(json_object_get(o, "district"))) && !(r->district = strdup(s)))
		return TR_ENOMEM;
	r->ocr_pages = (unsigned)json_integer_value(json_object_get(o, "ocr_pages"));
	r->ocr_cached = (unsigned)json_integer_value(json_object_get(o, "ocr_cached"));
	if (r->outcome == TR_OUTCOME_DOC && !(r->built = recv_raw(from, &r->built_len))) {
		r->outcome = TR_OUTCOME_FAIL;
		free(r->reason);
		if (!(r->reason = strdup("interner Fehler: Antwort des Leseprozesses unvollständig")))
			return TR_ENOMEM;
	}
	return TR_OK;
}

static void
result_clear(tr__result *r)
{
	free(r->built);
	free(r->hash);
	free(r->reason);
	free(r->district);
}

static void
describe_death(int status, const tr_index_options *o, const worker *w, bool timed_out, char *buf, size_t len)
{
	if (timed_out && w->ocr_pages)
		snprintf(buf, len, "Zeitlimit überschritten (%u s und %u s je Seite für %u Seite%s Texterkennung)",
		         o->timeout, o->ocr.page_timeout, w->ocr_pages, w->ocr_pages == 1 ? "" : "n");
	else if (timed_out)
		snprintf(buf, len, "Zeitlimit überschritten (%u s)", o->timeout);
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "Leseprozess abgestürzt (Signal %d: %s)", WTERMSIG(status),
		         strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "Leseprozess unerwartet beendet (Status %d)",
		         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Gives idle worker @i the next file, if there is one and no stop was asked for. */
static tr_status
pool_assign(pool *p, unsigned i, int64_t now)
{
	const tr__job *j;
	json_t *req;
	char *path, *relpath, *target, *stat;
	int sent;

	if (p->w[i].job != (size_t)-1 || p->next >= p->n || (p->o->stop && *p->o->stop))
		return TR_OK;
	j = &p->jobs[p->next];
	/* File names are bytes; the frame is JSON. */
	path = tr_text_bytes_encode(j->file->path);
	relpath = tr_text_bytes_encode(j->file->relpath);
	target = j->file->real ? tr_text_bytes_encode(j->file->real) : NULL;
	/* Made when sent, not kept for every file of the run: the parent's memory stays flat. */
	stat = tr__stamp_stat(j->file);
	req = path && relpath && stat && (target || !j->file->real) ? json_pack("{s:I,s:s,s:s,s:I,s:I,s:s}", "job", (json_int_t)p->next,
	                                  "path", path, "relpath", relpath,
	                                  "root", (json_int_t)j->file->root, "size", (json_int_t)j->file->size,
	                                  "stat", stat) : NULL;
	free(path);
	free(stat);
	free(relpath);
	if (req && target)
		json_object_set_new(req, "open", json_string(target));
	free(target);
	if (!req)
		return TR_ENOMEM;
	if (j->expect_hash)
		json_object_set_new(req, "expect", json_string(j->expect_hash));
	sent = send_frame(p->w[i].to, req);
	json_decref(req);
	if (sent < 0) {
		/* It died idle: start another; the file goes out in the next round. */
		worker_stop(&p->w[i], true);
		return worker_start(p, &p->w[i]) < 0 ? TR_EINTERNAL : TR_OK;
	}
	p->w[i].job = p->next++;
	p->w[i].deadline = p->o->timeout ? now + (int64_t)p->o->timeout * 1000 : 0;
	p->w[i].ocr_pages = 0;
	p->busy++;
	return TR_OK;
}

/*
 * A worker starts recognising a page: the file's time limit grows by a
 * page's (without a page limit, OCR has no limit either), and the
 * progress display learns of it.
 */
static void
ocr_page_started(pool *p, worker *w)
{
	w->ocr_pages++;
	if (w->deadline && p->o->ocr.page_timeout)
		w->deadline += (int64_t)p->o->ocr.page_timeout * 1000 + OCR_PAGE_SLACK_MS;
	else
		w->deadline = 0;
	if (p->o->ocr_page)
		p->o->ocr_page(p->o->ctx);
}

tr_status
tr__workers_run(const tr__job *jobs, size_t n, const tr_root *roots,
                const tr_index_options *o, tr__result_fn fn, tr__fork_fn fork_fn, void *ctx)
{
	pool p = { NULL, o->jobs ? o->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN), jobs, n, 0, 0, roots, o,
	           fork_fn, ctx };
	struct pollfd *pfd = NULL;
	tr_status st = TR_OK;
	void (*old_pipe)(int);

	if (n == 0)
		return TR_OK;
	if (p.nw < 1)
		p.nw = 1;
	if (p.nw > n)
		p.nw = (unsigned)n;
	p.w = calloc(p.nw, sizeof *p.w);
	pfd = calloc(p.nw, sizeof *pfd);
	if (!p.w || !pfd) {
		free(p.w);
		free(pfd);
		return TR_ENOMEM;
	}
	/* A worker that died leaves a broken pipe: that is a result, not a reason to die. */
	old_pipe = signal(SIGPIPE, SIG_IGN);
	for (unsigned i = 0; i < p.nw; i++)
		if (worker_start(&p, &p.w[i]) < 0) {
			st = TR_EINTERNAL;
			goto done;
		}

	for (;;) {
		int64_t now = now_ms(), wait = -1;
		int ready;

		for (unsigned i = 0; i < p.nw && st == TR_OK; i++)
			st = pool_assign(&p, i, now);
		if (st != TR_OK || p.busy == 0)
			break;

		for (unsigned i = 0; i < p.nw; i++) {
			pfd[i].fd = p.w[i].job != (size_t)-1 ? p.w[i].from : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			if (p.w[i].job != (size_t)-1 && p.w[i].deadline) {
				int64_t left = p.w[i].deadline - now;
				if (left < 0)
					left = 0;
				if (wait < 0 || left < wait)
					wait = left;
			}
		}
		ready = poll(pfd, p.nw, wait > INT32_MAX ? INT32_MAX : (int)wait);
		if (ready < 0 && errno != EINTR) {
			st = TR_EINTERNAL;
			break;
		}
		now = now_ms();
		for (unsigned i = 0; i < p.nw && st == TR_OK; i++) {
			size_t job = p.w[i].job;
			bool timed_out = p.w[i].deadline && now >= p.w[i].deadline;

			if (job == (size_t)-1)
				continue;
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				json_t *res = recv_frame(p.w[i].from);
				if (res && json_object_get(res, "ocr_page")) {
					ocr_page_started(&p, &p.w[i]);
					json_decref(res);
					continue;
				}
				if (res) {
					tr__result r = { job, TR_OUTCOME_FAIL, NULL, NULL, NULL, 0, NULL, false, 0, 0 };

					st = receive(res, p.w[i].from, &r);
					json_decref(res);
					p.w[i].job = (size_t)-1;
					p.busy--;
					/* The worker reads its next file while this one is being stored. */
					if (st == TR_OK)
						st = pool_assign(&p, i, now);
					if (st == TR_OK)
						st = fn(&r, ctx);
					result_clear(&r);
					continue;
				}
				timed_out = false; /* it died: say so rather than blame the clock */
			} else if (!timed_out) {
				continue;
			}
			{
				char why[160];
				int status = worker_stop(&p.w[i], timed_out);

				describe_death(status, o, &p.w[i], timed_out, why, sizeof why);
				p.w[i].job = (size_t)-1;
				p.busy--;
				st = report_failure(fn, ctx, job, why);
				if (st == TR_OK && worker_start(&p, &p.w[i]) < 0)
					st = TR_EINTERNAL;
			}
		}
		if (st != TR_OK)
			break;
	}
done:
	for (unsigned i = 0; i < p.nw; i++)
		worker_stop(&p.w[i], st != TR_OK);
	signal(SIGPIPE, old_pipe);
	free(p.w);
	free(pfd);
	return st;
}
