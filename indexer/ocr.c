/*
 * OCR: one tesseract instance per thread (a worker process reads many
 * files with it; loading the German model costs a fifth of a second), the
 * page time limit through tesseract's cancel callback, and the cache of
 * recognised text by content hash (docs/ocr.md).
 */
#include "ocr.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <dlfcn.h>
#include <leptonica/allheaders.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tesseract/capi.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "extract.h"
#include "zipxml.h"

/* Scans are at 300 dpi unless the file says otherwise. */
#define OCR_DEFAULT_DPI 300
/* Below this mean word confidence a page is noise (a photo, a pattern), not text. */
#define OCR_MIN_CONFIDENCE 25
/* Version of the cache entries' layout; part of the engine name they record. */
#define OCR_CACHE_FORMAT 1

/*
 * libtesseract is opened when the first page is recognised, not linked:
 * its OpenMP runtime (libgomp) reads OMP_THREAD_LIMIT only as it is
 * loaded, and tesseract would start four threads per page in each worker,
 * which with one worker per core fight for the cores (a page took four
 * times as long on a loaded machine).  Loaded late, in the worker, it
 * finds OMP_THREAD_LIMIT=1 (unless the user set it).  Processes that never
 * recognise a page (query, serve, the indexer's parent) do not load it.
 */
#define TESS_FUNCTIONS(X) \
	X(TessVersion) X(TessBaseAPICreate) X(TessBaseAPIDelete) X(TessBaseAPIInit3) \
	X(TessBaseAPIEnd) X(TessBaseAPISetVariable) X(TessBaseAPISetPageSegMode) \
	X(TessBaseAPISetImage2) X(TessBaseAPISetSourceResolution) X(TessBaseAPIRecognize) \
	X(TessBaseAPIGetUTF8Text) X(TessBaseAPIMeanTextConf) X(TessBaseAPIClear) X(TessDeleteText) \
	X(TessMonitorCreate) X(TessMonitorDelete) X(TessMonitorSetCancelFunc) X(TessMonitorSetCancelThis)

static struct {
#define TESS_POINTER(f) __typeof__(f) *f;
	TESS_FUNCTIONS(TESS_POINTER)
#undef TESS_POINTER
} tess;
static bool tess_ready;
static pthread_once_t tess_once = PTHREAD_ONCE_INIT;

static void
tess_load(void)
{
	void *lib;

	setenv("OMP_THREAD_LIMIT", "1", 0);
	if (!(lib = dlopen(TR_TESSERACT_LIB, RTLD_NOW | RTLD_LOCAL)))
		return;
#define TESS_LOAD(f) if (!(*(void **)&tess.f = dlsym(lib, #f))) goto fail;
	TESS_FUNCTIONS(TESS_LOAD)
#undef TESS_LOAD
	tess_ready = true;
	return;
fail:
	memset(&tess, 0, sizeof tess);
	dlclose(lib);
}

/* Whether libtesseract could be opened (once per process). */
static bool
tess_available(void)
{
	pthread_once(&tess_once, tess_load);
	return tess_ready;
}

static _Thread_local TessBaseAPI *ocr_api;
static _Thread_local bool ocr_broken;     /* initialisation failed once: do not retry per page */
static _Thread_local unsigned ocr_count_read, ocr_count_cached;

/* What produced a cache entry: text of another engine or language is read again. */
static const char *
ocr_engine(void)
{
	static _Thread_local char name[64];

	if (!tess_available())
		return "";
	if (!name[0])
		snprintf(name, sizeof name, "tesseract %s deu %d", tess.TessVersion(), OCR_CACHE_FORMAT);
	return name;
}

static tr_status
ocr_init(char **why)
{
	if (ocr_api)
		return TR_OK;
	if (ocr_broken)
		goto broken;
	if (!tess_available()) {
		ocr_broken = true;
		goto broken;
	}
	/* Leptonica would print every decoding complaint of a broken image. */
	setMsgSeverity(L_SEVERITY_NONE);
	ocr_api = tess.TessBaseAPICreate();
	if (!ocr_api)
		return TR_ENOMEM;
	/* NULL: the data path tesseract was built with, or $TESSDATA_PREFIX. */
	if (tess.TessBaseAPIInit3(ocr_api, NULL, "deu") != 0) {
		tess.TessBaseAPIDelete(ocr_api);
		ocr_api = NULL;
		ocr_broken = true;
		goto broken;
	}
	/* Its diagnostics ("Estimating resolution ...") are not the user's business. */
	tess.TessBaseAPISetVariable(ocr_api, "debug_file", "/dev/null");
	tess.TessBaseAPISetPageSegMode(ocr_api, PSM_AUTO);
	return TR_OK;
broken:
	if (why)
		*why = tr__reason("OCR nicht verfügbar (tesseract-ocr-deu fehlt?)");
	return TR_EUNSUPPORTED;
}

tr_status
tr__ocr_available(char **why)
{
	return ocr_init(why);
}

void
tr__ocr_cleanup(void)
{
	if (ocr_api) {
		tess.TessBaseAPIEnd(ocr_api);
		tess.TessBaseAPIDelete(ocr_api);
	}
	ocr_api = NULL;
	ocr_broken = false;
}

void
tr__ocr_take_counts(unsigned *recognised, unsigned *cached)
{
	*recognised = ocr_count_read;
	*cached = ocr_count_cached;
	ocr_count_read = ocr_count_cached = 0;
}

struct Pix *
tr__ocr_pix_from_rgb24(const unsigned char *data, int w, int h, int stride, int dpi)
{
	struct Pix *pix = pixCreate(w, h, 8);

	if (!pix)
		return NULL;
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		l_uint32 *line = pixGetData(pix) + (size_t)y * (size_t)pixGetWpl(pix);

		for (int x = 0; x < w; x++) {
			uint32_t c = row[x];
			/* ITU-R 601 luma, in integers. */
			unsigned grey = (((c >> 16) & 0xFF) * 77 + ((c >> 8) & 0xFF) * 150 + (c & 0xFF) * 29) >> 8;
			SET_DATA_BYTE(line, x, grey);
		}
	}
	pixSetResolution(pix, dpi, dpi);
	return pix;
}

/* ---- Recognition --------------------------------------------------------- */

typedef struct deadline {
	struct timespec end;
	bool armed, fired;
} deadline;

/* tesseract asks this between words: true stops the page. */
static bool
ocr_cancel(void *arg, int words)
{
	deadline *d = arg;
	struct timespec now;

	(void)words;
	if (!d->armed)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > d->end.tv_sec || (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec))
		d->fired = true;
	return d->fired;
}

static bool
is_lower_start(const unsigned char *s)
{
	/* a-z, and ä ö ü ß in UTF-8 */
	return (*s >= 'a' && *s <= 'z') ||
	       (s[0] == 0xC3 && (s[1] == 0xA4 || s[1] == 0xB6 || s[1] == 0xBC || s[1] == 0x9F));
}

/*
 * Copies tesseract's text: a word hyphenated at a line end is joined again
 * ("Integra-\ntion" → "Integration"; a capitalised continuation such as
 * "Kita-\nLeitung" keeps its hyphen and the line break goes), form feeds
 * go, and lines of nothing but white space collapse.
 */
static tr_status
ocr_clean(tr_buf *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	tr_buf b = TR_BUF_INIT((size_t)-1 / 2);
	tr_status st = TR_OK;

	for (size_t i = 0; s[i] && st == TR_OK; i++) {
		if (s[i] == '-' && s[i + 1] == '\n' && i > 0 && s[i - 1] != ' ' && s[i - 1] != '\n') {
			size_t j = i + 2;

			while (s[j] == ' ')
				j++;
			if (is_lower_start(s + j)) {
				i = j - 1;
				continue;
			}
			if (s[j] && s[j] != '\n') {
				st = tr_buf_addc(&b, '-');
				i = j - 1;
				continue;
			}
		}
		if (s[i] == '\f' || s[i] == '\r')
			continue;
		if (s[i] == '\n' && b.len >= 2 && b.ptr[b.len - 1] == '\n' && b.ptr[b.len - 2] == '\n')
			continue;
		st = tr_buf_addc(&b, (char)s[i]);
	}
	if (st == TR_OK && b.len)
		st = tr__xml_add_text(out, b.ptr, b.len);
	tr_buf_free(&b);
	return st;
}

/*
 * Recognises @pix into @text (a fresh string, "" when nothing legible was
 * found).  *timed_out when the page limit stopped it (what was read until
 * then is kept).  Returns TR_OK, TR_ENOMEM, or another status with *why.
 */
static tr_status
ocr_recognise(struct Pix *pix, unsigned timeout, char **text, bool *timed_out, char **why)
{
	ETEXT_DESC *mon;
	deadline d = { { 0, 0 }, timeout > 0, false };
	char *t;
	tr_status st;

	*text = NULL;
	*timed_out = false;
	if ((st = ocr_init(why)) != TR_OK)
		return st;
	if (!(mon = tess.TessMonitorCreate()))
		return TR_ENOMEM;
	if (d.armed) {
		clock_gettime(CLOCK_MONOTONIC, &d.end);
		d.end.tv_sec += timeout;
	}
	tess.TessMonitorSetCancelFunc(mon, ocr_cancel);
	tess.TessMonitorSetCancelThis(mon, &d);
	tess.TessBaseAPISetImage2(ocr_api, pix);
	tess.TessBaseAPISetSourceResolution(ocr_api, pixGetXRes(pix) > 0 ? pixGetXRes(pix) : OCR_DEFAULT_DPI);
	if (tess.TessBaseAPIRecognize(ocr_api, mon) != 0 && !d.fired) {
		tess.TessMonitorDelete(mon);
		tess.TessBaseAPIClear(ocr_api);
		*why = tr__reason("Texterkennung fehlgeschlagen");
		return TR_EFORMAT;
	}
	tess.TessMonitorDelete(mon);
	*timed_out = d.fired;
	t = tess.TessBaseAPIGetUTF8Text(ocr_api);
	/* A photo or a pattern gives a few "words" of noise; they are no text. */
	if (t && tess.TessBaseAPIMeanTextConf(ocr_api) < OCR_MIN_CONFIDENCE)
		t[0] = '\0';
	*text = strdup(t ? t : "");
	tess.TessDeleteText(t);
	tess.TessBaseAPIClear(ocr_api);
	return *text ? TR_OK : TR_ENOMEM;
}

/* ---- The cache --------------------------------------------------------- */

static char *
cache_path(const tr__ocr_file *f)
{
	char *p = NULL;

	if (!f->o->cache_dir || asprintf(&p, "%s/%s.json", f->o->cache_dir, f->key) < 0)
		return NULL;
	return p;
}

/* The cached pages of @f's file, if an entry of this engine exists; it is marked as used. */
static void
cache_load(tr__ocr_file *f)
{
	char *path = cache_path(f);
	json_t *e = path ? json_load_file(path, 0, NULL) : NULL;
	const char *engine = json_string_value(json_object_get(e, "engine"));
	json_t *pages = json_object_get(e, "pages");

	if (engine && strcmp(engine, ocr_engine()) == 0 && json_is_object(pages)) {
		f->cached = json_incref(pages);
		/* The modification time is the last use: pruning drops the oldest. */
		utimensat(AT_FDCWD, path, NULL, 0);
	}
	json_decref(e);
	free(path);
}

/*
 * Writes @f's entry under a temporary name and renames it into place, so a
 * reader (another worker, a concurrent run) sees a whole entry or none;
 * two workers storing the same file write the same content.
 */
static void
cache_store(tr__ocr_file *f)
{
	char *path = cache_path(f), *tmp = NULL;
	json_t *e = NULL;
	int fd = -1;

	if (!path || (mkdir(f->o->cache_dir, 0755) < 0 && errno != EEXIST))
		goto done;
	if (f->cached)
		json_object_update_missing(f->fresh, f->cached);
	e = json_pack("{s:s,s:O}", "engine", ocr_engine(), "pages", f->fresh);
	if (!e || asprintf(&tmp, "%s/.tmp-XXXXXX", f->o->cache_dir) < 0) {
		tmp = NULL;
		goto done;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		free(tmp);
		tmp = NULL;
		goto done;
	}
	if (json_dumpfd(e, fd, JSON_COMPACT) < 0 || close(fd) < 0 || rename(tmp, path) < 0)
		unlink(tmp);
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	json_decref(e);
	free(tmp);
	free(path);
}

typedef struct cache_entry {
	char *name;
	off_t size;
	struct timespec used;
} cache_entry;

static int
cache_older(const void *a, const void *b)
{
	const cache_entry *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	return (x->used.tv_nsec > y->used.tv_nsec) - (x->used.tv_nsec < y->used.tv_nsec);
}

tr_status
tr_ocr_cache_prune(const char *dir, size_t max)
{
	DIR *d = opendir(dir);
	cache_entry *all = NULL;
	size_t n = 0, cap = 0;
	unsigned long long total = 0;
	struct dirent *de;
	tr_status st = TR_OK;

	if (!d)
		return errno == ENOENT ? TR_OK : TR_EIO;
	while ((de = readdir(d)) != NULL) {
		struct stat sb;

		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode))
			continue;
		/* A temporary file older than an hour is a write that was killed. */
		if (strncmp(de->d_name, ".tmp-", 5) == 0) {
			if (sb.st_mtime < time(NULL) - 3600)
				unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		if (n == cap) {
			cache_entry *m = realloc(all, (cap = cap ? cap * 2 : 256) * sizeof *all);
			if (!m) {
				st = TR_ENOMEM;
				break;
			}
			all = m;
		}
		if (!(all[n].name = strdup(de->d_name))) {
			st = TR_ENOMEM;
			break;
		}
		all[n].size = sb.st_size;
		all[n].used = sb.st_mtim;
		total += (unsigned long long)sb.st_size;
		n++;
	}
	if (st == TR_OK && total > max) {
		qsort(all, n, sizeof *all, cache_older);
		for (size_t i = 0; i < n && total > max; i++)
			if (unlinkat(dirfd(d), all[i].name, 0) == 0 || errno == ENOENT)
				total -= (unsigned long long)all[i].size;
	}
	for (size_t i = 0; i < n; i++)
		free(all[i].name);
	free(all);
	closedir(d);
	return st;
}

/* ---- One file ------------------------------------------------------------ */

tr_status
tr__ocr_open(tr__ocr_file *f, const tr_ocr_options *o, const char *data, size_t len)
{
	/* The same hash as the indexer's content hash (workers.c), so one file has one name. */
	XXH128_hash_t h = XXH3_128bits(data, len);

	memset(f, 0, sizeof *f);
	f->o = o;
	snprintf(f->key, sizeof f->key, "%016llx%016llx", (unsigned long long)h.high64,
	         (unsigned long long)h.low64);
	if (!(f->fresh = json_object()))
		return TR_ENOMEM;
	cache_load(f);
	return TR_OK;
}

/* Reads page @page anew: render, recognise, remember. */
static tr_status
ocr_fresh(tr__ocr_file *f, int page, tr__ocr_render_fn render, void *arg, char **text, bool *timed_out)
{
	char *why = NULL, key[16];
	struct Pix *pix;
	tr_status st;

	*text = NULL;
	*timed_out = false;
	/* First: loading the model and rendering count towards the page's time. */
	if (f->o->page_started)
		f->o->page_started(f->o->arg);
	if ((st = ocr_init(&why)) != TR_OK)
		goto fail;
	if (!(pix = render(arg, page, &why))) {
		f->broken = true;
		st = TR_EFORMAT;
		goto fail;
	}
	st = ocr_recognise(pix, f->o->page_timeout, text, timed_out, &why);
	pixDestroy(&pix);
	if (st != TR_OK)
		goto fail;
	ocr_count_read++;
	if (*timed_out) {
		free(f->why);
		f->why = tr__reason("Zeitlimit der Texterkennung überschritten (%u s je Seite)",
		                    f->o->page_timeout);
		return TR_OK;   /* what was read is kept, but not cached: a later run may finish the page */
	}
	snprintf(key, sizeof key, "%d", page + 1);
	return json_object_set_new(f->fresh, key, json_string(*text)) == 0 ? TR_OK : TR_ENOMEM;
fail:
	if (st == TR_ENOMEM) {
		free(why);
		return st;
	}
	if (!f->why)
		f->why = why;
	else
		free(why);
	return TR_OK;
}

static size_t
ocr_visible(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += !(*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f');
	return n;
}

tr_status
tr__ocr_page(tr__ocr_file *f, int page, tr__ocr_render_fn render, void *arg, tr_buf *out, bool *read)
{
	char key[16], *text = NULL;
	const char *hit;
	bool timed_out = false;
	tr_status st;

	*read = false;
	if (f->pages >= TR__OCR_MAX_PAGES)
		return TR_OK;
	f->pages++;
	snprintf(key, sizeof key, "%d", page + 1);
	hit = json_string_value(json_object_get(f->cached, key));
	if (hit) {
		ocr_count_cached++;
		text = strdup(hit);
		if (!text)
			return TR_ENOMEM;
	} else if ((st = ocr_fresh(f, page, render, arg, &text, &timed_out)) != TR_OK) {
		return st;
	}
	*read = text && ocr_visible(text) > 0;
	f->unreadable += !*read;
	st = *read ? ocr_clean(out, text) : TR_OK;
	free(text);
	return st;
}

void
tr__ocr_close(tr__ocr_file *f)
{
	if (!f->o)
		return;
	/* Pages cut short by the time limit are not in fresh (ocr_fresh()). */
	if (f->fresh && json_object_size(f->fresh) > 0)
		cache_store(f);
	json_decref(f->cached);
	json_decref(f->fresh);
	free(f->why);
	memset(f, 0, sizeof *f);
}
