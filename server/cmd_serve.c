/*
 * tellerrand serve: the search page and JSON API over HTTP (libmicrohttpd,
 * a pool of worker threads, each with its own read-only index handle).
 * Meant to listen on loopback behind the intranet's reverse proxy; see
 * docs/serve.md.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "serve.h"
#include "text.h"

#define MAX_REPEAT 64

enum {
	OPT_CONFIG, OPT_DB, OPT_DATA_DIR, OPT_LISTEN, OPT_ROOT, OPT_INTERNAL_ROOT, OPT_URL_MAP, OPT_TOKEN_FILE, OPT_TRUST_USER_HEADER,
	OPT_ALLOW_ORIGIN, OPT_THREADS, OPT_MAX_CONNECTIONS,
	OPT_MAX_CONNECTIONS_PER_IP,
	OPT_HEADER_TIMEOUT,
	OPT_TIMEOUT, OPT_SHARD_TIMEOUT, OPT_VERBOSE
};

/* Defaults of the connection limits (docs/serve.md, "Connections and timeouts"). */
#define DEFAULT_MAX_CONNECTIONS 1024
#define DEFAULT_MAX_PER_IP 128
#define DEFAULT_HEADER_TIMEOUT 10
#define DEFAULT_TIMEOUT 30

const tr_option cmd_serve_options[] = {
	[OPT_CONFIG]    = { "config", 'c', "DATEI", "Konfigurationsdatei ([serve]; ein [root PFAD] wirkt wie --root, sein url = … wie --url-map)", "$TELLERRAND_CONFIG oder /etc/tellerrand/tellerrand.conf" },
	[OPT_DB]        = { "db", 'd', "DIR", "Index-Verzeichnis", "$TELLERRAND_DB oder ./tellerrand-index" },
	[OPT_DATA_DIR]  = { "data-dir", 0, "DIR", "Verzeichnis mit Gemeindeverzeichnis und Themenliste", "$TELLERRAND_DATA_DIR oder die installierten Daten" },
	[OPT_LISTEN]    = { "listen", 'l', "ADR:PORT", "Adresse und Port (Port 0: einen freien wählen und ausgeben)", "127.0.0.1:8080" },
	[OPT_ROOT]      = { "root", 0, "DIR", "Ordner, aus dem Dokumente geöffnet werden dürfen (mehrfach möglich)", "keiner" },
	[OPT_INTERNAL_ROOT] = { "internal-root", 0, "DIR", "wie --root, doch seine Dateien nur mit Berechtigung für interne Dokumente (wie internal = yes eines [root])", NULL },
	[OPT_URL_MAP]   = { "url-map", 0, "PFAD=URL", "Dokumente unter PFAD auf URL umleiten statt sie auszuliefern (mehrfach möglich)", NULL },
	[OPT_TOKEN_FILE] = { "token-file", 0, "DATEI", "Datei mit dem Zugangsschlüssel für interne Dokumente (Bearer oder Cookie tellerrand_token)", NULL },
	[OPT_TRUST_USER_HEADER] = { "trust-user-header", 0, "NAME", "Kopfzeile des Reverse-Proxys, die angemeldete Nutzer kennzeichnet (sehen interne Dokumente)", NULL },
	[OPT_ALLOW_ORIGIN] = { "allow-origin", 0, "ORIGIN", "Herkunft, die /api/ im Browser abfragen darf (CORS, z. B. https://intranet.example; mehrfach möglich)", NULL },
	[OPT_THREADS]   = { "threads", 't', "N", "Arbeits-Threads", "Zahl der Prozessorkerne, mindestens 2" },
	[OPT_MAX_CONNECTIONS] = { "max-connections", 0, "N", "Höchstzahl gleichzeitiger Verbindungen", "1024" },
	[OPT_MAX_CONNECTIONS_PER_IP] = { "max-connections-per-ip", 0, "N", "Höchstzahl gleichzeitiger Verbindungen je Client-Adresse; 0 = keine (hinter einem Reverse-Proxy kommen alle von dessen Adresse)", "128" },
	[OPT_HEADER_TIMEOUT] = { "header-timeout", 0, "SEKUNDEN", "Verbindungen schließen, deren Anfrage (Zeile und Kopfzeilen) nach dieser Zeit nicht vollständig ist", "10" },
	[OPT_TIMEOUT]   = { "timeout", 0, "SEKUNDEN", "Untätige Verbindungen nach dieser Zeit schließen", "30" },
	[OPT_SHARD_TIMEOUT] = { "shard-timeout", 0, "MS", "Zeitlimit je entferntem Teilindex in Millisekunden; 0 = keines (docs/shards.md)", "10000" },
	[OPT_VERBOSE]   = { "verbose", 'v', NULL, "Jede Anfrage auf stderr protokollieren", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

/* The lean `tellerrand` (cli/tellerrand.c) compiles only the table above: config files and --help need it. */
#ifndef TR_CLI_OPTIONS_ONLY

typedef struct serve_args {
	const char *db;
	const char *data_dir;
	const char *listen;
	const char *roots[MAX_REPEAT];
	size_t n_roots;
	const char *internal_roots[MAX_REPEAT];
	size_t n_internal_roots;
	const char *url_maps[MAX_REPEAT];
	size_t n_url_maps;
	const char *token_file;
	const char *user_header;
	const char *origins[MAX_REPEAT];
	size_t n_origins;
	unsigned threads;
	unsigned max_connections;
	unsigned max_per_ip;
	unsigned header_timeout;
	unsigned timeout;
	tr_db_options db_options;
	bool verbose;
} serve_args;

static bool
push(const char **v, size_t *n, const char *name, const char *value)
{
	if (*n == MAX_REPEAT) {
		fprintf(stderr, "tellerrand serve: --%s höchstens %d-mal\n", name, MAX_REPEAT);
		return false;
	}
	v[(*n)++] = value;
	return true;
}

static bool
serve_set(void *ctx, int opt, const char *value)
{
	serve_args *a = ctx;
	unsigned long v;

	switch (opt) {
	case OPT_CONFIG:      return true;  /* read before the other options */
	case OPT_DB:          a->db = value; return true;
	case OPT_DATA_DIR:    a->data_dir = value; return true;
	case OPT_LISTEN:      a->listen = value; return true;
	case OPT_ROOT:        return push(a->roots, &a->n_roots, "root", value);
	case OPT_INTERNAL_ROOT: return push(a->internal_roots, &a->n_internal_roots, "internal-root", value);
	case OPT_URL_MAP:     return push(a->url_maps, &a->n_url_maps, "url-map", value);
	case OPT_TOKEN_FILE:  a->token_file = value; return true;
	case OPT_TRUST_USER_HEADER: a->user_header = value; return true;
	case OPT_ALLOW_ORIGIN: return push(a->origins, &a->n_origins, "allow-origin", value);
	case OPT_THREADS:
		if (!tr_cli_parse_uint("serve", "threads", value, 1, 256, &v))
			return false;
		a->threads = (unsigned)v;
		return true;
	case OPT_MAX_CONNECTIONS:
		if (!tr_cli_parse_uint("serve", "max-connections", value, 1, 100000, &v))
			return false;
		a->max_connections = (unsigned)v;
		return true;
	case OPT_MAX_CONNECTIONS_PER_IP:
		if (!tr_cli_parse_uint("serve", "max-connections-per-ip", value, 0, 100000, &v))
			return false;
		a->max_per_ip = (unsigned)v;
		return true;
	case OPT_HEADER_TIMEOUT:
		if (!tr_cli_parse_uint("serve", "header-timeout", value, 1, 3600, &v))
			return false;
		a->header_timeout = (unsigned)v;
		return true;
	case OPT_TIMEOUT:
		if (!tr_cli_parse_uint("serve", "timeout", value, 1, 3600, &v))
			return false;
		a->timeout = (unsigned)v;
		return true;
	case OPT_SHARD_TIMEOUT:
		if (!tr_cli_parse_uint("serve", "shard-timeout", value, 0, 3600000, &v))
			return false;
		a->db_options.remote_timeout = (unsigned)v;
		return true;
	case OPT_VERBOSE:     a->verbose = true; return true;
	}
	return false;
}

/* ---- Checking the configuration ------------------------------------------------ */

static void
server_free(tr_server *srv)
{
	for (size_t i = 0; i < srv->n_roots; i++)
		free(srv->roots[i].path);
	free(srv->roots);
	for (size_t i = 0; i < srv->n_url_maps; i++) {
		free(srv->url_maps[i].prefix);
		free(srv->url_maps[i].url);
	}
	free(srv->url_maps);
	if (srv->token) {
		explicit_bzero(srv->token, strlen(srv->token));
		free(srv->token);
	}
	tr_districts_free(srv->districts);
	tr_topics_free(srv->topics);
}

/* A copy of @s that ends in exactly one '/'. */
static char *
with_slash(const char *s)
{
	char *out = NULL;
	size_t n = strlen(s);

	if (asprintf(&out, "%s%s", s, n && s[n - 1] == '/' ? "" : "/") < 0)
		return NULL;
	return out;
}

/* Adds the folder @dir given on the command line; false after the message. */
static bool
add_root(tr_server *srv, const char *dir, bool internal, const char *option)
{
	struct stat st;
	/* Canonical, so that the comparison with an opened file's real path means something. */
	char *real = realpath(dir, NULL);

	if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		char msg[64];

		snprintf(msg, sizeof msg, "--%s ist kein Ordner", option);
		tr_cli_error("serve", msg, dir);
		free(real);
		return false;
	}
	srv->roots[srv->n_roots].path = real;
	srv->roots[srv->n_roots++].internal = internal;
	return true;
}

static int
setup_roots(tr_server *srv, const serve_args *a, const tr_config *config)
{
	size_t n_config = config ? config->n_roots : 0;

	srv->roots = calloc(a->n_roots + a->n_internal_roots + n_config + 1, sizeof *srv->roots);
	if (!srv->roots)
		return TR_EXIT_ERROR;
	/*
	 * The configuration's [root] sections are the folders that were
	 * indexed: their documents may be opened, those of an internal one
	 * only with the right to see internal documents.  One missing here
	 * (the share is mounted elsewhere) is worth a warning, not a refusal.
	 */
	for (size_t i = 0; i < n_config; i++) {
		char *real = realpath(config->roots[i].path, NULL);

		if (!real) {
			tr_http_log("Warnung: Ordner aus der Konfiguration fehlt: %s", config->roots[i].path);
			continue;
		}
		srv->roots[srv->n_roots].path = real;
		srv->roots[srv->n_roots++].internal = config->roots[i].internal;
	}
	for (size_t i = 0; i < a->n_roots; i++)
		if (!add_root(srv, a->roots[i], false, "root"))
			return TR_EXIT_ERROR;
	for (size_t i = 0; i < a->n_internal_roots; i++)
		if (!add_root(srv, a->internal_roots[i], true, "internal-root"))
			return TR_EXIT_ERROR;
	return TR_EXIT_OK;
}

/*
 * The indexer records real paths (realpath of its roots), so a prefix that
 * exists here is compared in that form too.  Both end in '/', so
 * /srv/archiv never maps /srv/archiv-alt.
 */
static bool
add_url_map(tr_server *srv, const char *prefix, const char *url)
{
	char *real = realpath(prefix, NULL);
	tr_url_map *m = &srv->url_maps[srv->n_url_maps];

	m->prefix = with_slash(real ? real : prefix);
	m->url = with_slash(url);
	free(real);
	if (!m->prefix || !m->url) {
		free(m->prefix);
		free(m->url);
		return false;
	}
	srv->n_url_maps++;
	return true;
}

static int
setup_url_maps(tr_server *srv, const serve_args *a, const tr_config *config)
{
	size_t n_config = config ? config->n_roots : 0;

	srv->url_maps = calloc(a->n_url_maps + n_config + 1, sizeof *srv->url_maps);
	if (!srv->url_maps)
		return TR_EXIT_ERROR;
	for (size_t i = 0; i < n_config; i++)
		if (config->roots[i].url && *config->roots[i].url &&
		    !add_url_map(srv, config->roots[i].path, config->roots[i].url))
			return TR_EXIT_ERROR;
	for (size_t i = 0; i < a->n_url_maps; i++) {
		const char *eq = strchr(a->url_maps[i], '=');
		char *prefix;

		if (!eq || a->url_maps[i][0] != '/' ||
		    (strncmp(eq + 1, "https://", 8) != 0 && strncmp(eq + 1, "http://", 7) != 0)) {
			tr_cli_error("serve", "--url-map erwartet /PFAD=https://…", a->url_maps[i]);
			return TR_EXIT_USAGE;
		}
		if (!tr_html_clean_text(eq + 1, strlen(eq + 1)) || strpbrk(eq + 1, " \"<>\\")) {
			tr_cli_error("serve", "--url-map: ungültige Zeichen in der URL", a->url_maps[i]);
			return TR_EXIT_USAGE;
		}
		prefix = strndup(a->url_maps[i], (size_t)(eq - a->url_maps[i]));
		if (!prefix || !add_url_map(srv, prefix, eq + 1)) {
			free(prefix);
			return TR_EXIT_ERROR;
		}
		free(prefix);
	}
	return TR_EXIT_OK;
}

static int
read_token(tr_server *srv, const char *path)
{
	char buf[4097];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		tr_cli_error("serve", "--token-file nicht lesbar", path);
		return TR_EXIT_ERROR;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	/* It travels in a header and a cookie: printable ASCII without spaces, and long enough to guess at no rate. */
	for (size_t i = 0; i < n; i++) {
		if (buf[i] <= ' ' || buf[i] > '~' || buf[i] == ';' || buf[i] == ',') {
			tr_cli_error("serve", "Zugangsschlüssel darf nur sichtbare ASCII-Zeichen ohne ; und , enthalten", path);
			explicit_bzero(buf, sizeof buf);
			return TR_EXIT_USAGE;
		}
	}
	if (n < 16) {
		tr_cli_error("serve", "Zugangsschlüssel zu kurz (mindestens 16 Zeichen)", path);
		explicit_bzero(buf, sizeof buf);
		return TR_EXIT_USAGE;
	}
	srv->token = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	return srv->token ? TR_EXIT_OK : TR_EXIT_ERROR;
}

static bool
valid_origin(const char *o)
{
	const char *host;

	if (strcmp(o, "*") == 0)
		return true;
	if (strncmp(o, "https://", 8) == 0)
		host = o + 8;
	else if (strncmp(o, "http://", 7) == 0)
		host = o + 7;
	else
		return false;
	/* Browsers send an origin without path or trailing '/'. */
	if (!*host)
		return false;
	for (; *host; host++)
		if (!((*host >= 'a' && *host <= 'z') || (*host >= 'A' && *host <= 'Z') ||
		      (*host >= '0' && *host <= '9') || strchr(".-:[]", *host)))
			return false;
	return true;
}

static bool
valid_header_name(const char *h)
{
	if (!*h)
		return false;
	for (; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') || (*h >= '0' && *h <= '9') || *h == '-' ||
		      *h == '_'))
			return false;
	return true;
}

/* ---- Listening ------------------------------------------------------------------------ */

/*
 * Opens the listening socket ourselves rather than letting libmicrohttpd
 * do it, to parse "ADDR:PORT" and "[v6]:PORT" one way and to learn the
 * port the kernel picked for port 0.
 */
static int
open_listener(const char *spec, char *shown, size_t shown_size, bool *loopback)
{
	char host[256];
	const char *colon, *port;
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd = -1, one = 1, rc;
	char addr[INET6_ADDRSTRLEN];

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':')
			return -2;
		snprintf(host, sizeof host, "%.*s", (int)(close - spec - 1), spec + 1);
		port = close + 2;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || colon == spec)
			return -2;
		snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
		port = colon + 1;
	}
	if (!*port || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 || strtoul(port, NULL, 10) > 65535)
		return -2;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0 || !ai) {
		tr_cli_error("serve", "Adresse unbekannt", gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		goto fail;
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, addr, sizeof addr);
		snprintf(shown, shown_size, "http://[%s]:%u/", addr, ntohs(s6->sin6_port));
		*loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &s4->sin_addr, addr, sizeof addr);
		snprintf(shown, shown_size, "http://%s:%u/", addr, ntohs(s4->sin_port));
		*loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	freeaddrinfo(ai);
	return fd;
fail:
	tr_cli_error("serve", "Adresse nicht nutzbar", strerror(errno));
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return -1;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	tr_http_vlog(fmt, ap);
}

static unsigned
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	/* At least two, so one slow request (a big file, a month chart) never stalls the page. */
	return n < 2 ? 2 : (n > 32 ? 32 : (unsigned)n);
}

/*
 * Each connection is a descriptor; besides them each worker keeps its
 * index files open.  A soft limit below what --max-connections needs is
 * raised (up to the hard limit); what still does not fit lowers the limit.
 */
static unsigned
fit_descriptors(unsigned max_connections, unsigned threads)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)max_connections + 64 + 32 * (rlim_t)threads;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return max_connections;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 && getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return max_connections;
	if (rl.rlim_cur >= need)
		return max_connections;
	need = rl.rlim_cur > 64 + 32 * (rlim_t)threads + 16 ? rl.rlim_cur - 64 - 32 * (rlim_t)threads : 16;
	tr_http_log("Warnung: nur %u Verbindungen möglich (Grenze offener Dateien %lu), statt --max-connections %u",
	            (unsigned)need, (unsigned long)rl.rlim_cur, max_connections);
	return (unsigned)need;
}

/*
 * libmicrohttpd's one thread (epoll) reads requests and writes responses;
 * the requests are answered by a pool of worker threads (pool.c), one
 * queue for all connections.  The connection limits, the idle timeout and
 * (guard.c) the header deadline keep slow or many connections from taking
 * every slot (docs/serve.md).
 */
static struct MHD_Daemon *
start_daemon(const serve_args *a, tr_server *srv, int fd)
{
	unsigned threads = a->threads ? a->threads : default_threads();
	unsigned max_connections = fit_descriptors(a->max_connections, threads);
	struct MHD_Daemon *d;

	if (!(srv->guard = tr_guard_start(a->header_timeout)))
		return NULL;
	if (!(srv->pool = tr_pool_start(threads))) {
		tr_guard_stop(srv->guard);
		srv->guard = NULL;
		return NULL;
	}
	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0,
	                     NULL, NULL, tr_http_handle, srv,
	                     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	                     MHD_OPTION_URI_LOG_CALLBACK, tr_http_uri_check, NULL,
	                     MHD_OPTION_UNESCAPE_CALLBACK, tr_http_unescape, NULL,
	                     MHD_OPTION_NOTIFY_CONNECTION, tr_guard_connection, srv->guard,
	                     MHD_OPTION_NOTIFY_COMPLETED, tr_http_completed, srv->guard,
	                     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	                     MHD_OPTION_CONNECTION_LIMIT, max_connections,
	                     MHD_OPTION_PER_IP_CONNECTION_LIMIT, a->max_per_ip,
	                     MHD_OPTION_CONNECTION_TIMEOUT, a->timeout,
	                     MHD_OPTION_END);
	if (!d) {
		tr_pool_stop(srv->pool);
		srv->pool = NULL;
		tr_guard_stop(srv->guard);
		srv->guard = NULL;
	}
	return d;
}

/* The server's settings from the options and the config file, and its data; 0 or the exit code. */
static int
setup_server(tr_server *srv, serve_args *a, tr_config *config)
{
	int ret;

	srv->db_path = tr_cli_db_path(a->db);
	srv->db_options = a->db_options;
	srv->verbose = a->verbose;
	srv->origins = a->origins;
	srv->n_origins = a->n_origins;
	for (size_t i = 0; i < a->n_origins; i++) {
		if (!valid_origin(a->origins[i])) {
			tr_cli_error("serve", "--allow-origin erwartet https://host[:port] oder *", a->origins[i]);
			return TR_EXIT_USAGE;
		}
	}
	if (a->user_header) {
		if (!valid_header_name(a->user_header)) {
			tr_cli_error("serve", "--trust-user-header: ungültiger Name", a->user_header);
			return TR_EXIT_USAGE;
		}
		srv->user_header = a->user_header;
	}
	if ((ret = setup_roots(srv, a, config)) != TR_EXIT_OK ||
	    (ret = setup_url_maps(srv, a, config)) != TR_EXIT_OK)
		return ret;
	if (a->token_file && (ret = read_token(srv, a->token_file)) != TR_EXIT_OK)
		return ret;
	if (tr_cli_load_data("serve", tr_cli_data_dir(a->data_dir), &srv->districts, &srv->topics) != TR_OK)
		return TR_EXIT_ERROR;
	return TR_EXIT_OK;
}

/*
 * Fail at start, not at the first request, when there is no index.  A
 * remote shard that is down may come back: the server starts and says
 * so, and each request tries again.
 */
static int
check_index(const tr_server *srv)
{
	tr_db *db = NULL;
	char *err = NULL;
	tr_status st = tr_db_open_with(&db, srv->db_path, TR_DB_READ, &srv->db_options, &err);
	int ret = TR_EXIT_OK;

	tr_db_free(db);
	if (st == TR_EREMOTE) {
		tr_http_log("Warnung: Teilindex nicht erreichbar: %s", err ? err : "");
	} else if (st != TR_OK) {
		tr_cli_error("serve", st == TR_ENOTFOUND ? "kein Index gefunden" : "Index lässt sich nicht öffnen",
		             st == TR_ENOTFOUND ? srv->db_path : (err ? err : tr_strerror(st)));
		ret = TR_EXIT_ERROR;
	}
	free(err);
	return ret;
}

/* Serves on the listening socket @fd until SIGINT or SIGTERM; 0 or the exit code. */
static int
serve_until_signal(serve_args *a, tr_server *srv, int fd, const char *shown)
{
	struct MHD_Daemon *d;
	sigset_t set;
	int sig = 0;

	/*
	 * The workers inherit this mask, so SIGINT and SIGTERM reach only the
	 * main thread's sigwait() and shutdown is an orderly MHD_stop_daemon().
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	tr_http_thread_init();
	d = start_daemon(a, srv, fd);
	if (!d) {
		tr_cli_error("serve", "HTTP-Server startet nicht", NULL);
		close(fd);
		return TR_EXIT_ERROR;
	}
	printf("Tellerrand-Suche läuft: %s (Strg+C beendet)\n", shown);
	fflush(stdout);
	while (sigwait(&set, &sig) == 0 && sig != SIGINT && sig != SIGTERM)
		;
	fprintf(stderr, "tellerrand serve: beendet\n");
	/* Requests still being answered are answered; then no connection is suspended. */
	tr_pool_drain(srv->pool);
	MHD_stop_daemon(d);
	tr_pool_stop(srv->pool);
	tr_guard_stop(srv->guard);
	return TR_EXIT_OK;
}

int
cmd_serve(int argc, char **argv)
{
	serve_args a;
	tr_server srv;
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0, exit_now = TR_EXIT_OK, ret = TR_EXIT_OK, fd = -1;
	tr_config *config = NULL;
	char shown[128];
	bool loopback = true;

	memset(&a, 0, sizeof a);
	memset(&srv, 0, sizeof srv);
	a.listen = "127.0.0.1:8080";
	a.max_connections = DEFAULT_MAX_CONNECTIONS;
	a.max_per_ip = DEFAULT_MAX_PER_IP;
	a.header_timeout = DEFAULT_HEADER_TIMEOUT;
	a.timeout = DEFAULT_TIMEOUT;
	a.db_options = (tr_db_options)TR_DB_OPTIONS_INIT;
	if (!rest) {
		tr_cli_error("serve", tr_strerror(TR_ENOMEM), NULL);
		return TR_EXIT_ERROR;
	}
	if (!tr_cli_parse_all(argc, argv, cmd_serve_options, "[OPTIONEN]",
	                  "Stellt die Suche als Webseite (GET /) und JSON-Schnittstelle (/api/search,\n"
	                  "/api/facets, /healthz) bereit und öffnet Dokumente über /dokument/NUMMER.\n"
	                  "Lauscht standardmäßig nur lokal; für das Intranet hinter einen Reverse-Proxy\n"
	                  "stellen (docs/serve.md). Interne Dokumente sieht nur, wer den Zugangsschlüssel\n"
	                  "(--token-file) mitschickt oder vom Proxy als angemeldet gemeldet wird.\n"
	                  "Beenden mit Strg+C oder SIGTERM.",
	                  serve_set, &a, rest, &nrest, &config, &exit_now)) {
		ret = exit_now;
		goto done;
	}
	if (nrest) {
		tr_cli_error("serve", "unerwartetes Argument", rest[0]);
		ret = TR_EXIT_USAGE;
		goto done;
	}
	if ((ret = setup_server(&srv, &a, config)) != TR_EXIT_OK ||
	    (ret = check_index(&srv)) != TR_EXIT_OK)
		goto done;
	fd = open_listener(a.listen, shown, sizeof shown, &loopback);
	if (fd < 0) {
		if (fd == -2)
			tr_cli_error("serve", "--listen erwartet ADRESSE:PORT, z. B. 127.0.0.1:8080 oder [::1]:8080", a.listen);
		ret = fd == -2 ? TR_EXIT_USAGE : TR_EXIT_ERROR;
		goto done;
	}
	if (srv.user_header && !loopback)
		fprintf(stderr, "tellerrand serve: Warnung: --trust-user-header bei einer Adresse außerhalb von "
		                "127.0.0.1: jeder, der den Port erreicht, kann sich als angemeldet ausgeben\n");
	if (!srv.n_roots && !srv.n_url_maps)
		fprintf(stderr, "tellerrand serve: Hinweis: ohne --root oder --url-map lassen sich keine "
		                "Dokumente öffnen\n");

	ret = serve_until_signal(&a, &srv, fd, shown);
done:
	server_free(&srv);
	/* Last: the option values point into it. */
	tr_config_free(config);
	free(rest);
	return ret;
}

#endif /* TR_CLI_OPTIONS_ONLY */
