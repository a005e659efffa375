/*
 * tellerrand serve: the pieces shared by the HTTP layer (http.c), the
 * search page (page.c), the JSON API (api.c) and the document handler
 * (document.c).  Nothing here is public library API.
 */
#ifndef TR_SERVER_SERVE_H
#define TR_SERVER_SERVE_H

#include <microhttpd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "query.h"
#include "tellerrand/db.h"
#include "tellerrand/district.h"
#include "tellerrand/topics.h"

/* Results per page on the search page and, by default, in the API. */
#define TR_WEB_PAGE_SIZE 10
/* Longest accepted value of any request parameter, in characters. */
#define TR_WEB_MAX_QUERY 500
/*
 * Most parameters in one query string: the known ones with every filter
 * value allowed (6 + 3 × TR_WEB_MAX_VALUES) and room to spare.
 */
#define TR_WEB_MAX_PARAMS 100
/* Most values of one repeatable filter parameter (kreis, typ, thema). */
#define TR_WEB_MAX_VALUES 20
/* Ceiling on a generated page or JSON body. */
#define TR_WEB_MAX_BODY ((size_t)8 << 20)
/* Characters of text around the matches shown per hit. */
#define TR_WEB_SNIPPET 240

typedef struct tr_url_map {
	char *prefix;      /* a path prefix of indexed files, e.g. "/srv/archiv/" */
	char *url;         /* what replaces it, e.g. "https://intranet/archiv/" */
} tr_url_map;

/* A folder whose files /dokument/ may serve. */
typedef struct tr_served_root {
	char *path;        /* canonical (realpath), no trailing '/' */
	bool internal;     /* its files only for requests that may see internal documents */
} tr_served_root;

typedef struct tr_guard tr_guard;
typedef struct tr_pool tr_pool;

/* The configuration and shared read-only state; fixed before the first request. */
typedef struct tr_server {
	const char *db_path;
	tr_db_options db_options;   /* the remote shards' timeout */
	tr_districts *districts;
	tr_topics *topics;
	tr_served_root *roots;
	size_t n_roots;
	tr_url_map *url_maps;
	size_t n_url_maps;
	char *token;                /* shared secret for internal documents, or NULL */
	const char *user_header;    /* header a trusted reverse proxy sets, or NULL */
	const char **origins;       /* origins allowed to call /api/ from a browser (CORS) */
	size_t n_origins;
	bool verbose;               /* one log line per request on stderr */
	tr_guard *guard;            /* the header deadline (guard.c), or NULL */
	tr_pool *pool;              /* the worker threads that answer requests (pool.c) */
} tr_server;

/* One request, as the handlers see it. */
typedef struct tr_request {
	const tr_server *srv;
	struct MHD_Connection *conn;
	const char *url;
	bool internal;              /* may see documents marked internal */
	const char *user;           /* the trusted header's value, or NULL */
	unsigned status;            /* of the response queued, for the log */
	struct MHD_Response *resp;  /* the answer, queued by libmicrohttpd's thread (router.c) */
} tr_request;

/* ---- router.c -------------------------------------------------------------- */

/* The access handler libmicrohttpd calls; @cls is the tr_server. */
enum MHD_Result tr_http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version,
                               const char *upload_data, size_t *upload_data_size,
                               void **req_cls);

/*
 * libmicrohttpd's MHD_OPTION_URI_LOG_CALLBACK: sees the request line's URI
 * before its query string is split into parameters, and marks a request
 * with more than TR_WEB_MAX_PARAMS of them (the result becomes *req_cls).
 */
void *tr_http_uri_check(void *cls, const char *uri, struct MHD_Connection *conn);

/*
 * libmicrohttpd's MHD_OPTION_NOTIFY_COMPLETED (@cls: the guard or NULL):
 * frees what tr_http_handle() kept for the request, then the guard's part.
 */
void tr_http_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                       enum MHD_RequestTerminationCode toe);

/* ---- pool.c ------------------------------------------------------------------ */

/* A request for a worker thread: run() answers it and resumes its connection. */
typedef struct tr_job {
	void (*run)(struct tr_job *j);
	struct tr_job *next;        /* in the queue */
} tr_job;

/* Starts @n_threads workers; NULL on failure. */
tr_pool *tr_pool_start(unsigned n_threads);
/* Queues @j for the first free worker (first come, first served); false after tr_pool_drain(). */
bool tr_pool_submit(tr_pool *p, tr_job *j);
/*
 * Takes no more jobs and waits until those queued have run: before
 * MHD_stop_daemon(), which must find no connection suspended.  Accepts NULL.
 */
void tr_pool_drain(tr_pool *p);
/* Runs the jobs still queued, then ends the workers and frees @p.  Accepts NULL. */
void tr_pool_stop(tr_pool *p);

/* ---- http.c ---------------------------------------------------------------- */

/*
 * Decodes %XX in a URL path or query parameter in place (libmicrohttpd's
 * MHD_OPTION_UNESCAPE_CALLBACK); returns the new length.
 */
size_t tr_http_unescape(void *cls, struct MHD_Connection *conn, char *s);

/*
 * Creates the key under which each worker thread keeps its index handle
 * and libmagic cookie (freed when the thread ends).  Call before starting.
 */
void tr_http_thread_init(void);

/*
 * Queues @body (taken over, even on failure) with @status and @type and the
 * security headers every response carries.  @api adds the CORS headers.
 */
enum MHD_Result tr_http_reply(tr_request *req, unsigned status, const char *type, tr_buf *body,
                              bool api);

/* Queues a response built elsewhere (document.c); @sandbox: an archived file's headers. */
enum MHD_Result tr_http_queue(tr_request *req, unsigned status, struct MHD_Response *resp,
                              bool sandbox);

/* tr_http_send()'s @flags. */
#define TR_REPLY_API     0x1u   /* CORS headers for allowed origins */
#define TR_REPLY_STATIC  0x2u   /* cacheable asset */
#define TR_REPLY_SANDBOX 0x4u   /* an archived document */

/*
 * Makes @resp (owned from here; NULL gives MHD_NO) with @status and the
 * security headers every response carries, as @flags ask, the request's
 * answer; router.c queues it in libmicrohttpd's thread.
 */
enum MHD_Result tr_http_send(tr_request *req, unsigned status, struct MHD_Response *resp, unsigned flags);

/* The response of tr_http_error(), not yet queued, for a caller that adds headers; NULL when out of memory. */
struct MHD_Response *tr_http_error_response(unsigned status, const char *msg, bool api);

/* A short German error: an HTML page, or {"error": …} when @api. */
enum MHD_Result tr_http_error(tr_request *req, unsigned status, const char *msg, bool api);

/*
 * The 503 for an index that failed with @st: a remote shard that does not
 * answer is named as such (docs/shards.md: no incomplete results).
 */
enum MHD_Result tr_http_unavailable(tr_request *req, tr_status st, bool api);

/*
 * This thread's read-only handle on the index, brought up to date: a
 * commit is picked up by reopening, an index replaced by a new directory
 * (an atomic swap) by opening it afresh.  Owned by the thread.
 */
tr_status tr_http_db(const tr_server *srv, tr_db **out);

/*
 * Writes one line "tellerrand serve: <message>" to stderr.  The message is
 * formatted, then every control character (ESC, line breaks, C1, bidi
 * overrides) is escaped by tr_text_printable(): request lines, file names
 * and error texts come from outside and must not forge a line or drive the
 * terminal of whoever reads the log.  A trailing newline of @fmt is dropped.
 */
void tr_http_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tr_http_vlog(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* This thread's libmagic cookie, or NULL if libmagic cannot be loaded. */
void *tr_http_magic(void);

/*
 * Runs @s on this thread's handle, reopening and retrying when a reindex
 * commits in between (TR_EMODIFIED).  The detail of a failure goes to the
 * server log, never to the client.
 */
tr_status tr_http_search(tr_request *req, const tr_search *s, tr_results **out);

/*
 * After tr_http_search() returned TR_ETOOBIG: the core's German message
 * for the user (a query standing for too many terms).  Valid until this
 * thread's next search.
 */
const char *tr_http_search_errmsg(void);

/* ---- guard.c ----------------------------------------------------------------- */

/* Starts the watchdog that closes connections past their header deadline; NULL on failure. */
tr_guard *tr_guard_start(unsigned header_timeout);
/* Stops it; call after MHD_stop_daemon().  Accepts NULL. */
void tr_guard_stop(tr_guard *g);
/* MHD_OPTION_NOTIFY_CONNECTION (@cls: the guard): registers and forgets connections. */
void tr_guard_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                         enum MHD_ConnectionNotificationCode toe);
/* MHD_OPTION_NOTIFY_COMPLETED (@cls: the guard): a kept-alive connection's next deadline. */
void tr_guard_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                        enum MHD_RequestTerminationCode toe);
/* A request's headers are complete: no deadline while it is answered.  Accepts NULL @g. */
void tr_guard_request(tr_guard *g, struct MHD_Connection *conn);

/* ---- params.c ------------------------------------------------------------------- */

/* A search request from the query string, checked and resolved. */
typedef struct tr_web_query {
	tr_query q;                 /* words and resolved filters */
	const char *raw_text;       /* q as sent (for the search box); owned by the connection */
	tr_sort sort;
	unsigned page;              /* 1-based */
	unsigned per_page;
	bool inline_filters;        /* q held "feld:wert" filters of its own */
	bool all_copies;            /* kopien=alle: every copy of a text as a hit */
	bool explain;               /* API explain=1, page warum=1: each hit explained (docs/json.md, docs/serve.md) */
	unsigned similar_to;        /* aehnlich=N: the documents like document N; 0: none */
} tr_web_query;

/*
 * Reads q, kreis, typ, thema, von, bis, neu, sort, seite, kopien (and anzahl when @api)
 * from the request.  On TR_EINVAL, *errmsg is a short German message for a
 * 400 response (owned by the caller; free with free()).  Returns TR_OK,
 * TR_EINVAL or TR_ENOMEM.
 */
tr_status tr_web_query_parse(tr_web_query *wq, tr_request *req, bool api, char **errmsg);
void tr_web_query_clear(tr_web_query *wq);

/*
 * Checks that a page exists: @page past the last one of @total results is
 * an error (German message in *errmsg, owned by the caller).
 */
bool tr_web_page_exists(const tr_web_query *wq, unsigned total, char **errmsg);

/*
 * The German message for a search Xapian refused (TR_EBADQUERY from
 * tr_http_search()): the command line's, from tr_query_engine_message().
 */
const char *tr_web_bad_query(tr_request *req);

/* A date bound "YYYYMMDD" (00 for unknown parts) as German text for a link or form. */
void tr_web_bound_display(const char *bound, bool upper, char out[11]);

/* ---- page.c, api.c, document.c -------------------------------------------------- */

enum MHD_Result tr_page_search(tr_request *req);

/*
 * The link to @wq's search (words, filters, kopien and neu; first page,
 * no sort) at @path: "/" for the page, "/feed" for its feed.  Escaped
 * for an href attribute ('&' as "&amp;").
 */
tr_status tr_page_search_link(tr_buf *b, const tr_web_query *wq, const char *path);

/* feed.c: GET /feed, the search of the page's parameters as an Atom feed, newest to the archive first. */
enum MHD_Result tr_feed_serve(tr_request *req);

/* copies.c: "auch als: .docx, .html (2 weitere Dateien)" under a hit with copies, each a link. */
tr_status tr_page_copies(tr_buf *b, const tr_hit *h);
/* explain.c: "Warum gefunden?" under a hit (a <details> element), from its tr_hit.matches and record. */
tr_status tr_page_explain(tr_buf *b, const tr_hit *h, const tr_districts *districts, const tr_topics *topics);
/* copies.c: "weitere Fassungen: 12.03.2024, …" under a hit with versions, each date a link. */
tr_status tr_page_versions(tr_buf *b, const tr_hit *h);
enum MHD_Result tr_api_search(tr_request *req, bool facets_only);

/*
 * similar.c: the document of aehnlich=N as the request may see it (*out
 * owned by the caller; free with tr_hit_free()).  Returns TR_OK,
 * TR_ENOTFOUND (no such document, or internal and the request has no
 * right to it) or what tr_http_db() and tr_db_get_hit() return.
 */
tr_status tr_web_similar_seed(tr_request *req, unsigned docid, tr_hit **out);
/* "Ähnliche Dokumente wie <title>" above the list of a similar search. */
tr_status tr_page_similar_head(tr_buf *b, const tr_hit *seed);
/* The "Ähnliche Dokumente" link under a hit. */
tr_status tr_page_similar_link(tr_buf *b, const tr_hit *h);
enum MHD_Result tr_api_health(tr_request *req);
enum MHD_Result tr_document_serve(tr_request *req, const char *id);

/* ---- html.c ----------------------------------------------------------------------- */

/* Appends @s escaped for HTML text and double-quoted attribute values. */
tr_status tr_html_text(tr_buf *b, const char *s);
/* Appends @s percent-encoded for a URL query value or path segment. */
tr_status tr_html_url(tr_buf *b, const char *s, bool keep_slash);
/* Appends a snippet (plain text): text escaped, matches ('\x02'…'\x03') in <mark>. */
tr_status tr_html_snippet(tr_buf *b, const char *s);
/* True if @s is well-formed UTF-8 without control characters (tabs allowed). */
bool tr_html_clean_text(const char *s, size_t len);

#endif
