/*
 * Routing: which handler answers a request, after the checks every request
 * passes (method, parameter count, who may see internal documents).  The
 * handlers (page, API, feed, documents) and the HTTP core (http.c) do not
 * know of each other through it.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "assets.h"
#include "serve.h"

#define TOKEN_COOKIE "tellerrand_token"

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
		return tr_http_send(req, 304, resp, TR_REPLY_STATIC);
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
	return tr_http_send(req, 200, resp, TR_REPLY_STATIC);
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
	struct MHD_Response *resp = tr_http_error_response(405, "Diese Adresse kann nur gelesen werden (GET).", api);

	if (resp)
		MHD_add_response_header(resp, "Allow", api ? "GET, HEAD, OPTIONS" : "GET, HEAD");
	return tr_http_send(req, 405, resp, api ? TR_REPLY_API : 0);
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
	return tr_http_send(req, 204, resp, TR_REPLY_API);
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
		struct MHD_Response *resp = tr_http_error_response(401, "Zugangsschlüssel ungültig.", api);

		req->internal = false;
		if (resp)
			MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"tellerrand\", error=\"invalid_token\"");
		return tr_http_send(req, 401, resp, api ? TR_REPLY_API : 0);
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

/* The mark tr_http_uri_check() leaves on a request with too many parameters. */
static char too_many_params;
/* The mark of a request without a body whose answer waits for the second call. */
static char answer_next;

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

/* Whether the request announces a body (RFC 9112, 6.3): a Transfer-Encoding, or a Content-Length other than 0. */
static bool
has_body(struct MHD_Connection *conn)
{
	const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	       (len && strspn(len, "0") != strlen(len));
}

/*
 * A request handed to a worker (pool.c): made at the call of
 * tr_http_handle() that queues it, freed by tr_http_completed().
 */
typedef struct request_job {
	tr_job job;                 /* first: what the pool sees */
	tr_request req;
	const char *method;         /* libmicrohttpd's, valid for the request's life */
	bool too_many_params;
	struct timespec t0;
	enum MHD_Result ret;        /* the handler's; its response is in req.resp */
} request_job;

/* Answers the request: the checks every request passes, then its handler. */
static void
job_answer(request_job *rj)
{
	if (rj->too_many_params) {
		char msg[64];

		snprintf(msg, sizeof msg, "zu viele Parameter in der Anfrage (höchstens %d)", TR_WEB_MAX_PARAMS);
		rj->ret = tr_http_error(&rj->req, 400, msg, is_api(rj->req.url));
	} else {
		rj->ret = route(&rj->req, rj->method);
	}
}

/* A worker's part: the answer, then the connection back to libmicrohttpd's thread. */
static void
job_run(tr_job *j)
{
	request_job *rj = (request_job *)j;

	job_answer(rj);
	MHD_resume_connection(rj->req.conn);
}

/* Suspends the connection and queues its request for a worker; MHD_NO when out of memory. */
static enum MHD_Result
submit(const tr_server *srv, struct MHD_Connection *conn, const char *url, const char *method,
       void **req_cls)
{
	request_job *rj = calloc(1, sizeof *rj);

	if (!rj)
		return MHD_NO;
	rj->job.run = job_run;
	rj->req = (tr_request){ srv, conn, url, false, NULL, 0, NULL };
	rj->method = method;
	rj->too_many_params = *req_cls == &too_many_params;
	clock_gettime(CLOCK_MONOTONIC, &rj->t0);
	*req_cls = rj;
	tr_guard_request(srv->guard, conn);
	MHD_suspend_connection(conn);
	/* The server is stopping: answered here, and resumed at once. */
	if (!tr_pool_submit(srv->pool, &rj->job)) {
		job_answer(rj);
		MHD_resume_connection(conn);
	}
	return MHD_YES;
}

/* Queues the answer a worker made (in libmicrohttpd's thread, as it must be). */
static enum MHD_Result
queue_answer(request_job *rj)
{
	tr_request *req = &rj->req;
	enum MHD_Result ret;
	struct timespec t1;

	if (req->srv->verbose) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* Method and path come from the client: tr_http_log() escapes their control characters. */
		tr_http_log("%.32s %.300s %u %.1f ms%s", rj->method, req->url, req->status,
		            (double)(t1.tv_sec - rj->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - rj->t0.tv_nsec) / 1e6,
		            req->internal ? " (intern)" : "");
	}
	/* No response (out of memory): libmicrohttpd closes the connection. */
	if (rj->ret != MHD_YES || !req->resp)
		return MHD_NO;
	ret = MHD_queue_response(req->conn, req->status, req->resp);
	MHD_destroy_response(req->resp);
	req->resp = NULL;
	return ret;
}

enum MHD_Result
tr_http_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
               const char *version, const char *upload_data, size_t *upload_data_size,
               void **req_cls)
{
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	/*
	 * libmicrohttpd 0.9.75 closes the connection after a response queued
	 * at the first call, before it knows the request has no body: every
	 * request would cost a new TCP connection.  A request without a body
	 * is queued for a worker at the second call, and its connection kept
	 * alive.  One that announces a body is queued at the first call and
	 * answered before the body is read (nothing here accepts one: 405),
	 * and its connection closed.
	 */
	if (!*req_cls && !has_body(conn)) {
		*req_cls = &answer_next;
		return MHD_YES;
	}
	if (!*req_cls || *req_cls == &answer_next || *req_cls == &too_many_params)
		return submit(cls, conn, url, method, req_cls);
	/* Resumed: the worker has answered. */
	return queue_answer(*req_cls);
}

void
tr_http_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	request_job *rj = *req_cls;

	if (rj && *req_cls != &answer_next && *req_cls != &too_many_params) {
		if (rj->req.resp)
			MHD_destroy_response(rj->req.resp);
		free(rj);
	}
	*req_cls = NULL;
	if (cls)
		tr_guard_completed(cls, conn, req_cls, toe);
}
