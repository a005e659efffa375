/*
 * The HTTP layer of `tellerrand serve`: routing, methods, the headers every
 * response carries, who may see internal documents, and the per-thread
 * index handles.
 */
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "assets.h"
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

#define TOKEN_COOKIE "tellerrand_token"

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
 * libmicrohttpd runs a fixed pool of threads; each keeps its own index
 * handle (Xapian's Database is not thread-safe) and libmagic cookie,
 * created on its first request and freed when the thread ends.
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

#define REPLY_API     0x1u   /* CORS headers for allowed origins */
#define REPLY_STATIC  0x2u   /* cacheable asset */
#define REPLY_SANDBOX 0x4u   /* an archived document */

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

static enum MHD_Result
queue(tr_request *req, unsigned status, struct MHD_Response *resp, unsigned flags)
{
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        flags & REPLY_SANDBOX ? CSP_DOCUMENT : CSP_PAGE);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	/* Results depend on who asks (internal documents): no shared cache may keep them. */
	if (!(flags & REPLY_STATIC))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (flags & REPLY_API)
		add_cors(req, resp);
	req->status = status;
	ret = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
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
	return queue(req, status, resp, api ? REPLY_API : 0);
}

enum MHD_Result
tr_http_queue(tr_request *req, unsigned status, struct MHD_Response *resp, bool sandbox)
{
	return queue(req, status, resp, sandbox ? REPLY_SANDBOX : 0);
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
static struct MHD_Response *
error_response(unsigned status, const char *msg, bool api)
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
	return queue(req, status, error_response(status, msg, api), api ? REPLY_API : 0);
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

/* ---- Static files ------------------------------------------------------------------ */

static enum MHD_Result
serve_asset(tr_request *req, const char *name)
{
	const tr_asset *a = tr_asset_find(name);
	const char *inm;
	struct MHD_Response *resp;
	char etag[32];

	if (!a)
		return tr_http_error(req, 404, "Diese Seite gibt es nicht.", false);
	snprintf(etag, sizeof etag, "\"%s\"", a->etag);
	inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (resp)
			MHD_add_response_header(resp, "ETag", etag);
		return queue(req, 304, resp, REPLY_STATIC);
	}
	resp = MHD_create_response_from_buffer(a->size, (void *)a->data, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", tr_asset_type(a));
	MHD_add_response_header(resp, "ETag", etag);
	/* Pages link assets with ?v=<etag>, so a new build is fetched at once anyway. */
	MHD_add_response_header(resp, "Cache-Control", "public, max-age=86400");
	/* The embeddable script is loaded by the intranet's own pages. */
	if (strcmp(name, "embed.js") == 0)
		MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "cross-origin");
	return queue(req, 200, resp, REPLY_STATIC);
}

/* ---- Who may see internal documents -------------------------------------------------- */

/* Compares in time independent of where the strings differ, so timing tells nothing about the token. */
static bool
token_equal(const char *given, const char *token)
{
	size_t gl = strlen(given), tl = strlen(token);
	unsigned char diff = gl != tl;

	for (size_t i = 0; i < tl; i++)
		diff |= (unsigned char)(given[i < gl ? i : 0] ^ token[i]);
	return diff == 0;
}

/* Sets req->internal; returns false when a bearer token was sent and is wrong. */
static bool
authorize(tr_request *req)
{
	const tr_server *srv = req->srv;
	const char *v;

	if (srv->token) {
		v = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
		if (v && strncasecmp(v, "Bearer ", 7) == 0) {
			v += 7;
			while (*v == ' ')
				v++;
			if (!token_equal(v, srv->token))
				return false;
			req->internal = true;
		}
		v = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, TOKEN_COOKIE);
		/* A stale cookie only means anonymous access; it must not lock a person out. */
		if (v && token_equal(v, srv->token))
			req->internal = true;
	}
	if (srv->user_header) {
		v = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, srv->user_header);
		if (v && *v) {
			req->internal = true;
			req->user = v;
		}
	}
	return true;
}

/* ---- Routing ---------------------------------------------------------------------------- */

static enum MHD_Result
method_not_allowed(tr_request *req, bool api)
{
	struct MHD_Response *resp = error_response(405, "Diese Adresse kann nur gelesen werden (GET).", api);

	if (resp)
		MHD_add_response_header(resp, "Allow", api ? "GET, HEAD, OPTIONS" : "GET, HEAD");
	return queue(req, 405, resp, api ? REPLY_API : 0);
}

/* A CORS preflight: the API is read-only and needs no request headers. */
static enum MHD_Result
preflight(tr_request *req)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Allow", "GET, HEAD, OPTIONS");
	MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, HEAD");
	MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
	return queue(req, 204, resp, REPLY_API);
}

/* Answers of the API and /healthz are JSON, even errors. */
static bool
is_api(const char *url)
{
	return strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0;
}

static enum MHD_Result
route(tr_request *req, const char *method)
{
	const char *url = req->url;
	bool api = is_api(url);
	bool read = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;

	if (api && strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0)
		return preflight(req);
	if (!read)
		return method_not_allowed(req, api);
	if (!authorize(req)) {
		struct MHD_Response *resp = error_response(401, "Zugangsschlüssel ungültig.", api);

		req->internal = false;
		if (resp)
			MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"tellerrand\", error=\"invalid_token\"");
		return queue(req, 401, resp, api ? REPLY_API : 0);
	}
	if (strcmp(url, "/") == 0)
		return tr_page_search(req);
	if (strcmp(url, "/api/search") == 0)
		return tr_api_search(req, false);
	if (strcmp(url, "/api/facets") == 0)
		return tr_api_search(req, true);
	if (strcmp(url, "/healthz") == 0)
		return tr_api_health(req);
	if (strcmp(url, "/feed") == 0)
		return tr_feed_serve(req);
	if (strncmp(url, "/dokument/", 10) == 0)
		return tr_document_serve(req, url + 10);
	if (strncmp(url, "/static/", 8) == 0)
		return serve_asset(req, url + 8);
	if (strcmp(url, "/robots.txt") == 0)
		return serve_asset(req, "robots.txt");
	return tr_http_error(req, 404, api ? "Unbekannte API-Adresse." : "Diese Seite gibt es nicht.", api);
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

/* The mark tr_http_uri_check() leaves on a request with too many parameters. */
static char too_many_params;

void *
tr_http_uri_check(void *cls, const char *uri, struct MHD_Connection *conn)
{
	char *query = strchr(uri, '?');
	size_t n = 1;

	(void)cls;
	(void)conn;
	if (!query)
		return NULL;
	for (const char *p = query; *p; p++)
		n += *p == '&';
	if (n <= TR_WEB_MAX_PARAMS)
		return NULL;
	/*
	 * libmicrohttpd 0.9.75 (Debian 12) keeps each parameter in the
	 * connection's memory pool; when they do not fit, it queues a 431 but
	 * then waits for the connection timeout (30 s) before sending it.  The
	 * request line sits in libmicrohttpd's own writable read buffer, and
	 * this callback runs after the '?' was found and before the rest is
	 * split: ending the query string here leaves nothing to split, and the
	 * handler answers 400 at once.
	 */
	query[1] = '\0';
	return &too_many_params;
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

enum MHD_Result
tr_http_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
               const char *version, const char *upload_data, size_t *upload_data_size,
               void **req_cls)
{
	tr_request req = { cls, conn, url, false, NULL, 0 };
	struct timespec t0, t1;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tr_guard_request(req.srv->guard, conn);
	/*
	 * Every route answers at the first call, before any body is read:
	 * nothing here accepts a body, and a request that sends one anyway is
	 * answered (405) and its connection closed by libmicrohttpd.
	 */
	if (*req_cls == &too_many_params) {
		char msg[64];

		snprintf(msg, sizeof msg, "zu viele Parameter in der Anfrage (höchstens %d)", TR_WEB_MAX_PARAMS);
		ret = tr_http_error(&req, 400, msg, is_api(url));
	} else {
		ret = route(&req, method);
	}
	if (req.srv->verbose) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* Method and path come from the client: tr_http_log() escapes their control characters. */
		tr_http_log("%.32s %.300s %u %.1f ms%s", method, url, req.status,
		            (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
		            req.internal ? " (intern)" : "");
	}
	return ret;
}
