/*
 * GET /dokument/<docid>: the original file of an indexed document, or a
 * redirect to where the intranet publishes it.  The request names only a
 * document number; the path comes from the index, and the file is served
 * only if, opened, it lies inside one of the configured roots, with that
 * root's visibility and that of the file's own document.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"
#include "text.h"

#define NOT_FOUND "Dieses Dokument gibt es nicht oder es ist nicht freigegeben."

/* A document number as the links write it: 1 to UINT_MAX, digits only, no leading zero. */
static bool
parse_docid(const char *s, unsigned *out)
{
	unsigned long long v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 10 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > UINT_MAX)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool
inside(const char *path, const char *root)
{
	size_t n = strlen(root);

	/* Compared with the separator, so that /srv/archiv does not admit /srv/archiv-alt. */
	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return strncmp(path, root, n) == 0 && path[n] == '/';
}

/*
 * Where the open file really is: the kernel's name for the descriptor, after
 * every symbolic link, so that a link or a renamed folder between the check
 * and the read cannot lead outside the roots.  False if it is unknown.
 */
static bool
fd_real_path(int fd, char *real, size_t size)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	n = readlink(proc, real, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return false;
	real[n] = '\0';
	return true;
}

/*
 * The root @real lies in: the most specific one, as for indexing (a folder
 * marked internal inside a public one keeps its files internal), and of
 * equally specific ones an internal one.  NULL if none.
 */
static const tr_served_root *
root_of(const tr_server *srv, const char *real)
{
	const tr_served_root *best = NULL;

	for (size_t i = 0; i < srv->n_roots; i++) {
		const tr_served_root *r = &srv->roots[i];
		size_t n = strlen(r->path), best_n = best ? strlen(best->path) : 0;

		if (inside(real, r->path) && (!best || n > best_n || (n == best_n && r->internal)))
			best = r;
	}
	return best;
}

/*
 * May this request read the file at the real path @real?  It must lie in a
 * root; and what is internal stays internal, however it is reached: a
 * public document that is a link to a file in an internal root, or to a
 * file indexed as internal, is not served to a request that may not see
 * internal documents.
 */
static bool
may_read(tr_request *req, const char *real, const char *indexed_path)
{
	const tr_served_root *root = root_of(req->srv, real);
	tr_db *db = NULL;
	bool hidden = false;

	if (!root)
		return false;
	if (req->internal)
		return true;
	if (root->internal)
		return false;
	if (strcmp(real, indexed_path) == 0)
		return true;
	/* A failure to look it up is a refusal: better a 404 than a leak. */
	return tr_http_db(req->srv, &db) == TR_OK && tr_db_path_hidden(db, real, false, &hidden) == TR_OK &&
	       !hidden;
}

/* The MIME type libmagic sees in the file's start; "; charset=binary" says nothing to a browser. */
static void
content_type(int fd, char *out, size_t size)
{
	char head[65536];
	ssize_t n = pread(fd, head, sizeof head, 0);
	magic_t m = tr_http_magic();
	const char *t = m && n >= 0 ? magic_buffer(m, head, (size_t)n) : NULL;
	char *semi;

	snprintf(out, size, "%s", t && strchr(t, '/') ? t : "application/octet-stream");
	if ((semi = strstr(out, "; charset=binary")))
		*semi = '\0';
}

static enum MHD_Result
redirect(tr_request *req, const tr_url_map *m, const char *path)
{
	tr_buf b = TR_BUF_INIT(1 << 16);
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (tr_buf_adds(&b, m->url) != TR_OK || tr_html_url(&b, path + strlen(m->prefix), true) != TR_OK) {
		tr_buf_free(&b);
		return tr_http_error(req, 500, "Interner Fehler.", false);
	}
	resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		tr_buf_free(&b);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Location", b.ptr);
	tr_buf_free(&b);
	ret = tr_http_queue(req, 302, resp, false);
	return ret;
}

static enum MHD_Result
stream(tr_request *req, const char *path)
{
	struct MHD_Response *resp;
	char type[256], real[PATH_MAX], *shown;
	const char *base;
	tr_buf disp = TR_BUF_INIT(1 << 14);
	struct stat st;
	int fd;

	/* O_NONBLOCK: a FIFO put where a file was must not hang a worker. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		tr_http_log("/dokument/: %s: %s", path, strerror(errno));
		return tr_http_error(req, 404, "Die Datei dieses Dokuments ist nicht mehr vorhanden.", false);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !fd_real_path(fd, real, sizeof real) ||
	    !may_read(req, real, path)) {
		tr_http_log("/dokument/: %s: keine Datei in einem für diese Anfrage freigegebenen Ordner (--root)", path);
		close(fd);
		return tr_http_error(req, 404, NOT_FOUND, false);
	}
	content_type(fd, type, sizeof type);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	/* RFC 6266/8187: the file's own name, UTF-8 percent-encoded, never a raw header value;
	 * a name that is not UTF-8 (a CP1252 share) as it is listed, so the browser saves "März.pdf". */
	if (!(shown = tr_text_printable_dup(base)) ||
	    tr_buf_adds(&disp, "inline; filename*=UTF-8''") != TR_OK || tr_html_url(&disp, shown, false) != TR_OK) {
		free(shown);
		close(fd);
		tr_buf_free(&disp);
		return tr_http_error(req, 500, "Interner Fehler.", false);
	}
	free(shown);
	resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		tr_buf_free(&disp);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Disposition", disp.ptr);
	tr_buf_free(&disp);
	return tr_http_queue(req, 200, resp, true);
}

enum MHD_Result
tr_document_serve(tr_request *req, const char *id)
{
	const tr_server *srv = req->srv;
	unsigned docid;
	tr_hit *hit = NULL;
	tr_db *db = NULL;
	tr_status st = TR_ENOTFOUND;
	enum MHD_Result ret;

	if (!parse_docid(id, &docid))
		return tr_http_error(req, 404, NOT_FOUND, false);
	for (int attempt = 0; attempt < 3; attempt++) {
		if ((st = tr_http_db(srv, &db)) != TR_OK)
			break;
		if ((st = tr_db_get_hit(db, docid, req->internal, &hit)) != TR_EMODIFIED)
			break;
	}
	if (st == TR_ENOTFOUND)
		return tr_http_error(req, 404, NOT_FOUND, false);
	if (st != TR_OK) {
		tr_http_log("/dokument/%u: %s: %s", docid, tr_strerror(st), db ? tr_db_errmsg(db) : "");
		return tr_http_unavailable(req, st, false);
	}
	for (size_t i = 0; i < srv->n_url_maps; i++) {
		if (strncmp(hit->path, srv->url_maps[i].prefix, strlen(srv->url_maps[i].prefix)) == 0) {
			ret = redirect(req, &srv->url_maps[i], hit->path);
			tr_hit_free(hit);
			return ret;
		}
	}
	ret = hit->path[0] == '/' ? stream(req, hit->path) : tr_http_error(req, 404, NOT_FOUND, false);
	tr_hit_free(hit);
	return ret;
}
