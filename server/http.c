/*
 * The HTTP core of `tellerrand serve`: the headers every response carries,
 * error pages, the server log and the per-thread index handles.  Which
 * handler answers a request is router.c's.
 */
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "printer.h"
#include "serve.h"
#include "text.h"

/*
 * No inline script or style anywhere, so an injected tag could not run even
 * if escaping failed somewhere.
 */
#define CSP_PAGE "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
                 "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
/*
 * An archived HTML file is served from our origin: the sandbox gives it an
 * origin of its own and no scripts, so it can neither run code nor read
 * anything of the search's.
 */
#define CSP_DOCUMENT "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/* ---- The server log -------------------------------------------------------- */

/* Longest message written; a longer one (a huge request line) is cut. */
#define LOG_MAX 1024

void
tr_http_vlog(const char *fmt, va_list ap)
{
	char raw[LOG_MAX];
	tr_buf line = TR_BUF_INIT(8 * LOG_MAX);
	int n = vsnprintf(raw, sizeof raw, fmt, ap);
	size_t len;

	if (n < 0)
		return;
	len = (size_t)n < sizeof raw ? (size_t)n : sizeof raw - 1;
	if (len && raw[len - 1] == '\n')
		len--;
	/* One write per line, so that lines of parallel requests do not interleave. */
	if (tr_buf_adds(&line, "tellerrand serve: ") == TR_OK && tr_text_printable(&line, raw, len) == TR_OK &&
	    tr_buf_addc(&line, '\n') == TR_OK)
		fwrite(line.ptr, 1, line.len, stderr);
	tr_buf_free(&line);
}

void
tr_http_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tr_http_vlog(fmt, ap);
	va_end(ap);
}

/* ---- Per-thread state -------------------------------------------------------- */

/*
 * The worker threads (pool.c) each keep their own index handle (Xapian's
 * Database is not thread-safe) and libmagic cookie, created on the first
 * request and freed when the thread ends.
 */
typedef struct worker {
	tr_db *db;
	dev_t dev;          /* of the index directory the handle was opened on */
	ino_t ino;
	magic_t magic;
	bool magic_tried;
} worker;

static pthread_key_t worker_key;
static pthread_once_t worker_once = PTHREAD_ONCE_INIT;

static void
worker_free(void *p)
{
	worker *w = p;

	if (!w)
		return;
	tr_db_free(w->db);
	if (w->magic)
		magic_close(w->magic);
	free(w);
}

static void
worker_key_create(void)
{
	if (pthread_key_create(&worker_key, worker_free) != 0) {
		fprintf(stderr, "tellerrand serve: pthread_key_create failed\n");
		abort();
	}
}

void
tr_http_thread_init(void)
{
	pthread_once(&worker_once, worker_key_create);
}

static worker *
worker_get(void)
{
	worker *w;

	tr_http_thread_init();
	w = pthread_getspecific(worker_key);
	if (!w && (w = calloc(1, sizeof *w)) && pthread_setspecific(worker_key, w) != 0) {
		free(w);
		w = NULL;
	}
	return w;
}

tr_status
tr_http_db(const tr_server *srv, tr_db **out)
{
	worker *w = worker_get();
	struct stat st;
	bool found;
	tr_status rs;
	tr_db *db;
	char *err = NULL;

	*out = NULL;
	if (!w)
		return TR_ENOMEM;
	/*
	 * A swapped index (a new directory renamed or linked into place) is a
	 * different inode: only a fresh open sees it.  Anything else is a
	 * commit, which reopen() picks up at the cost of reading one file.
	 * Mid-swap the path may be missing for a moment; the old handle still
	 * reads its files then.
	 */
	found = stat(srv->db_path, &st) == 0;
	if (w->db && (!found || (st.st_dev == w->dev && st.st_ino == w->ino))) {
		if (tr_db_reopen(w->db) == TR_OK || !found) {
			*out = w->db;
			return TR_OK;
		}
	}
	if (!found && !w->db)
		return TR_ENOTFOUND;
	rs = tr_db_open_with(&db, srv->db_path, TR_DB_READ, &srv->db_options, &err);
	if (rs != TR_OK) {
		tr_http_log("Index lässt sich nicht öffnen: %s: %s", srv->db_path, err ? err : tr_strerror(rs));
		free(err);
		if (!w->db)
			return rs;
		*out = w->db;
		return TR_OK;
	}
	tr_db_free(w->db);
	w->db = db;
	w->dev = st.st_dev;
	w->ino = st.st_ino;
	*out = db;
	return TR_OK;
}

void *
tr_http_magic(void)
{
	worker *w = worker_get();

	if (!w)
		return NULL;
	if (!w->magic_tried) {
		w->magic_tried = true;
		w->magic = magic_open(MAGIC_MIME | MAGIC_SYMLINK | MAGIC_ERROR);
		if (w->magic && magic_load(w->magic, NULL) != 0) {
			tr_http_log("libmagic: %s", magic_error(w->magic));
			magic_close(w->magic);
			w->magic = NULL;
		}
	}
	return w->magic;
}

tr_status
tr_http_search(tr_request *req, const tr_search *s, tr_results **out)
{
	tr_status st = TR_EINTERNAL;
	tr_db *db = NULL;

	*out = NULL;
	/* A reindex may commit between reopen and search; a few tries always get through. */
	for (int attempt = 0; attempt < 3; attempt++) {
		if ((st = tr_http_db(req->srv, &db)) != TR_OK)
			break;
		st = tr_db_search(db, s, out);
		if (st != TR_EMODIFIED)
			break;
	}
	if (st != TR_OK && st != TR_EBADQUERY && st != TR_ETOOBIG)
		tr_http_log("Suche fehlgeschlagen: %s: %s", tr_strerror(st), db ? tr_db_errmsg(db) : "");
	return st;
}

const char *
tr_http_search_errmsg(void)
{
	worker *w = worker_get();

	return w && w->db ? tr_db_errmsg(w->db) : "";
}

/* ---- Responses -------------------------------------------------------------------- */

static void
add_cors(tr_request *req, struct MHD_Response *resp)
{
	const char *origin = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Origin");

	MHD_add_response_header(resp, "Vary", "Origin");
	if (!origin)
		return;
	for (size_t i = 0; i < req->srv->n_origins; i++) {
		if (strcmp(req->srv->origins[i], "*") == 0) {
			MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
			return;
		}
		if (strcmp(req->srv->origins[i], origin) == 0) {
			MHD_add_response_header(resp, "Access-Control-Allow-Origin", origin);
			return;
		}
	}
}

enum MHD_Result
tr_http_send(tr_request *req, unsigned status, struct MHD_Response *resp, unsigned flags)
{
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        flags & TR_REPLY_SANDBOX ? CSP_DOCUMENT : CSP_PAGE);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	/* Results depend on who asks (internal documents): no shared cache may keep them. */
	if (!(flags & TR_REPLY_STATIC))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (flags & TR_REPLY_API)
		add_cors(req, resp);
	req->status = status;
	/* One answer a request; a handler that answered twice keeps the last. */
	if (req->resp)
		MHD_destroy_response(req->resp);
	req->resp = resp;
	return MHD_YES;
}

enum MHD_Result
tr_http_reply(tr_request *req, unsigned status, const char *type, tr_buf *body, bool api)
{
	struct MHD_Response *resp;
	size_t len = body->len;
	char *data = tr_buf_detach(body);

	if (!data)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	return tr_http_send(req, status, resp, api ? TR_REPLY_API : 0);
}

enum MHD_Result
tr_http_queue(tr_request *req, unsigned status, struct MHD_Response *resp, bool sandbox)
{
	return tr_http_send(req, status, resp, sandbox ? TR_REPLY_SANDBOX : 0);
}

static const char *
status_title(unsigned status)
{
	switch (status) {
	case 400: return "Ungültige Anfrage";
	case 401: return "Nicht berechtigt";
	case 404: return "Nicht gefunden";
	case 405: return "Methode nicht erlaubt";
	case 503: return "Vorübergehend nicht verfügbar";
	default:  return "Fehler";
	}
}

/* The body of a short German error, as an HTML page or JSON; NULL when out of memory. */
struct MHD_Response *
tr_http_error_response(unsigned status, const char *msg, bool api)
{
	tr_buf b = TR_BUF_INIT(1 << 16);
	struct MHD_Response *resp;
	tr_status st;
	size_t len;
	char *data;

	if (api) {
		json_t *o = json_pack("{s:i, s:s, s:i}", "version", TR_JSON_VERSION, "error", msg, "status",
		                      (int)status);
		char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER) : NULL;

		json_decref(o);
		st = s ? tr_buf_adds(&b, s) : TR_ENOMEM;
		free(s);
		if (st == TR_OK)
			st = tr_buf_addc(&b, '\n');
	} else {
		st = tr_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
		                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		                       "<title>%s – Tellerrand</title>\n"
		                       "<link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
		                       "<header class=\"site\"><p class=\"brand\"><a href=\"/\">Tellerrand</a></p></header>\n"
		                       "<main class=\"message\">\n<h1>%s</h1>\n<p role=\"alert\">",
		                   status_title(status), status_title(status));
		if (st == TR_OK)
			st = tr_html_text(&b, msg);
		if (st == TR_OK)
			st = tr_buf_adds(&b, "</p>\n<p><a href=\"/\">Zur Suche</a></p>\n</main>\n</body>\n</html>\n");
	}
	len = b.len;
	data = st == TR_OK ? tr_buf_detach(&b) : NULL;
	tr_buf_free(&b);
	if (!data)
		return NULL;
	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return NULL;
	}
	MHD_add_response_header(resp, "Content-Type",
	                        api ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
	return resp;
}

enum MHD_Result
tr_http_error(tr_request *req, unsigned status, const char *msg, bool api)
{
	return tr_http_send(req, status, tr_http_error_response(status, msg, api), api ? TR_REPLY_API : 0);
}

enum MHD_Result
tr_http_unavailable(tr_request *req, tr_status st, bool api)
{
	/*
	 * Results without a shard would look complete and count wrongly, so
	 * there are none; the server log names the shard, the page does not.
	 */
	if (st == TR_EREMOTE)
		return tr_http_error(req, 503, "Ein Teil des Suchindex (ein Teilindex auf einem anderen Rechner) "
		                               "antwortet gerade nicht. Damit keine unvollständigen Ergebnisse "
		                               "erscheinen, ist die Suche so lange nicht möglich. Bitte versuchen "
		                               "Sie es in einigen Minuten noch einmal.", api);
	if (st == TR_ECORRUPT)
		return tr_http_error(req, 503, "Der Suchindex ist beschädigt. Die Suche ist erst wieder möglich, "
		                               "wenn die Administration ihn neu aufgebaut hat (tellerrand index "
		                               "--full).", api);
	return tr_http_error(req, 503, "Der Suchindex ist gerade nicht verfügbar. Bitte versuchen Sie es "
	                               "gleich noch einmal.", api);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
tr_http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *in = s, *out = s;

	(void)cls;
	(void)conn;
	while (*in) {
		int hi, lo;

		if (in[0] == '%' && (hi = hex_value(in[1])) >= 0 && (lo = hex_value(in[2])) >= 0) {
			/*
			 * A NUL would end the C string early, so that "/dokument/1%00x"
			 * read as "/dokument/1" and "a%00b" as "a".  0xFF is never valid
			 * UTF-8: parameters with it are refused, paths with it match nothing.
			 */
			*out++ = hi || lo ? (char)(hi * 16 + lo) : (char)0xFF;
			in += 3;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}
