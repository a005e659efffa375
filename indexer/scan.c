#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 64

/* A string block: at least this much, so that a scan of 100,000 files makes a few hundred allocations. */
#define STRBLOCK_MIN (64 * 1024)

struct tr__strblock {
	struct tr__strblock *next;
	size_t used, size;
	char data[];
};

const char *
tr__strpool_copy(tr__strpool *pool, const char *s, size_t len)
{
	struct tr__strblock *b = pool->blocks;
	char *p;

	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > STRBLOCK_MIN ? len + 1 : STRBLOCK_MIN;

		if (!(b = malloc(sizeof *b + size)))
			return NULL;
		b->next = pool->blocks;
		b->used = 0;
		b->size = size;
		pool->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

void
tr__strpool_free(tr__strpool *pool)
{
	while (pool->blocks) {
		struct tr__strblock *next = pool->blocks->next;
		free(pool->blocks);
		pool->blocks = next;
	}
}

void
tr__filelist_free(tr__filelist *fl)
{
	tr__strpool_free(&fl->strings);
	free(fl->v);
	fl->v = NULL;
	fl->n = fl->alloc = 0;
}

static const char *
keep(tr__filelist *fl, const char *s)
{
	return tr__strpool_copy(&fl->strings, s, strlen(s));
}

/* Adds one entry; @real (a link's target, malloc'd) is copied and freed, also on failure. */
static tr_status
add_entry(tr__filelist *fl, const char *path, const char *relpath, size_t root,
          const struct stat *sb, tr__found found, const char *error, char *real)
{
	tr__file *f;
	size_t pl = strlen(path), rl = strlen(relpath);

	if (fl->n == fl->alloc) {
		size_t a = fl->alloc ? fl->alloc * 2 : 256;
		tr__file *v = realloc(fl->v, a * sizeof *v);
		if (!v) {
			free(real);
			return TR_ENOMEM;
		}
		fl->v = v;
		fl->alloc = a;
	}
	f = &fl->v[fl->n];
	memset(f, 0, sizeof *f);
	f->path = tr__strpool_copy(&fl->strings, path, pl);
	/* The path below the root ends the absolute path (the root's name and below): no second copy. */
	if (f->path && rl <= pl && memcmp(path + pl - rl, relpath, rl) == 0)
		f->relpath = f->path + pl - rl;
	else if (f->path)
		f->relpath = tr__strpool_copy(&fl->strings, relpath, rl);
	f->real = real && f->relpath ? keep(fl, real) : NULL;
	f->error = error && f->relpath ? keep(fl, error) : NULL;
	if (!f->relpath || (real && !f->real) || (error && !f->error)) {
		free(real);
		return TR_ENOMEM;
	}
	free(real);
	f->root = (uint32_t)root;
	f->found = found;
	if (sb) {
		f->size = (uint64_t)sb->st_size;
		f->dev = (uint64_t)sb->st_dev;
		f->ino = (uint64_t)sb->st_ino;
		f->mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
		f->ctime_ns = (int64_t)sb->st_ctim.tv_sec * 1000000000 + sb->st_ctim.tv_nsec;
	}
	fl->n++;
	return TR_OK;
}

static tr_status
add_file(tr__filelist *fl, const char *path, const char *relpath, size_t root, const struct stat *sb)
{
	return add_entry(fl, path, relpath, root, sb, TR__FOUND_FILE, NULL, NULL);
}

static int
entry_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* "@dir/@name", allocated; NULL when out of memory. */
static char *
path_join(const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);
	char *p = malloc(d + n + 2);

	if (p) {
		memcpy(p, dir, d);
		p[d] = '/';
		memcpy(p + d + 1, name, n + 1);
	}
	return p;
}

static bool
is_skipped(const struct stat *sb, const tr__dirid *skip, size_t n_skip)
{
	for (size_t i = 0; i < n_skip; i++)
		if ((uint64_t)sb->st_dev == skip[i].dev && (uint64_t)sb->st_ino == skip[i].ino)
			return true;
	return false;
}

/* What a file that is not a regular one is, for the report. */
static const char *
special_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "keine normale Datei (FIFO), nicht gelesen";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "keine normale Datei (Gerätedatei), nicht gelesen";
	if (S_ISSOCK(mode))
		return "keine normale Datei (Socket), nicht gelesen";
	return "keine normale Datei, nicht gelesen";
}

typedef struct walk {
	tr__filelist *fl;
	size_t root;
	const tr__dirid *skip;
	size_t n_skip;
	size_t entries;
} walk;

static tr_status scan_dir(walk *w, const char *path, const char *relpath, int depth);

/* One folder entry: a file, a folder to walk, a link, or something else to report. */
static tr_status
scan_entry(walk *w, const char *child, const char *childrel, unsigned char d_type, int depth)
{
	struct stat sb, target;
	char why[256];

	/*
	 * A regular file (as the folder entry says) needs one stat for its
	 * stamps; anything else is looked at with lstat first, so links to
	 * folders are not followed and no walk can loop.
	 */
	if (d_type == DT_REG && lstat(child, &sb) == 0 && S_ISREG(sb.st_mode))
		return is_skipped(&sb, w->skip, w->n_skip) ? TR_OK : add_file(w->fl, child, childrel, w->root, &sb);
	if (lstat(child, &sb) < 0) {
		snprintf(why, sizeof why, "nicht lesbar (%s)", strerror(errno));
		return add_entry(w->fl, child, childrel, w->root, NULL, TR__FOUND_FAILED, why, NULL);
	}
	if (S_ISDIR(sb.st_mode)) {
		if (is_skipped(&sb, w->skip, w->n_skip))
			return TR_OK;
		if (depth >= DEPTH_MAX)
			return add_entry(w->fl, child, childrel, w->root, NULL, TR__FOUND_FAILED,
			                 "Ordner zu tief verschachtelt", NULL);
		return scan_dir(w, child, childrel, depth + 1);
	}
	if (S_ISREG(sb.st_mode))
		return is_skipped(&sb, w->skip, w->n_skip) ? TR_OK : add_file(w->fl, child, childrel, w->root, &sb);
	if (!S_ISLNK(sb.st_mode))
		return add_entry(w->fl, child, childrel, w->root, NULL, TR__FOUND_SKIPPED, special_kind(sb.st_mode), NULL);
	/* A link: where it leads decides whether it is followed (update.c); links to folders never are. */
	if (stat(child, &target) < 0) {
		snprintf(why, sizeof why, "nicht lesbar (%s)", strerror(errno));
		return add_entry(w->fl, child, childrel, w->root, NULL, TR__FOUND_FAILED, why, NULL);
	}
	if (S_ISDIR(target.st_mode))
		return TR_OK;
	if (!S_ISREG(target.st_mode))
		return add_entry(w->fl, child, childrel, w->root, NULL, TR__FOUND_SKIPPED,
		                 special_kind(target.st_mode), NULL);
	{
		char *real = realpath(child, NULL);
		if (!real)
			return errno == ENOMEM ? TR_ENOMEM :
			       add_entry(w->fl, child, childrel, w->root, NULL, TR__FOUND_FAILED, "nicht lesbar", NULL);
		return add_entry(w->fl, child, childrel, w->root, &target, TR__FOUND_FILE, NULL, real);
	}
}

static tr_status
scan_dir(walk *w, const char *path, const char *relpath, int depth)
{
	struct dirent **names = NULL;
	int n;
	tr_status st = TR_OK;

	n = scandir(path, &names, NULL, entry_cmp);
	if (n < 0) {
		char why[256];
		snprintf(why, sizeof why, "Ordner nicht lesbar (%s)", strerror(errno));
		return add_entry(w->fl, path, relpath, w->root, NULL, TR__FOUND_UNREADABLE, why, NULL);
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *child = NULL, *childrel = NULL;

		if (st != TR_OK || name[0] == '.')
			continue; /* hidden files, ".", ".." */
		w->entries++;
		if (!(child = path_join(path, name)) || !(childrel = path_join(relpath, name)))
			st = TR_ENOMEM;
		else
			st = scan_entry(w, child, childrel, names[i]->d_type, depth);
		free(child);
		free(childrel);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return st;
}

tr_status
tr__scan_root(tr__filelist *fl, const char *root, size_t root_index,
              const tr__dirid *skip, size_t n_skip, bool *available, char *why, size_t whylen)
{
	walk w = { fl, root_index, skip, n_skip, 0 };
	struct stat sb;
	char *tmp = NULL;
	tr_status st = TR_OK;

	*available = false;
	snprintf(why, whylen, "leer (Laufwerk nicht eingebunden?)");
	if (stat(root, &sb) < 0) {
		snprintf(why, whylen, "nicht gefunden");
		return TR_OK;
	}
	/* Folder conventions see the root's own name too ("Landkreis Meißen/..."). */
	tmp = strdup(root);
	if (!tmp)
		return TR_ENOMEM;
	if (S_ISDIR(sb.st_mode)) {
		size_t before = fl->n;

		st = scan_dir(&w, root, basename(tmp), 0);
		/* Nothing to go by: an empty or unreadable folder is treated like a missing one. */
		*available = w.entries > 0;
		if (st == TR_OK && fl->n == before + 1 && fl->v[before].found == TR__FOUND_UNREADABLE) {
			snprintf(why, whylen, "%s", fl->v[before].error + strlen("Ordner "));
			fl->n = before; /* its strings stay in the blocks until the list is freed */
		}
	} else if (S_ISREG(sb.st_mode)) {
		st = add_file(fl, root, basename(tmp), root_index, &sb);
		*available = true;
	}
	free(tmp);
	return st;
}

/* Writes @v in decimal at @p, then @end; returns the position after it. */
static char *
put_num(char *p, int64_t v, bool is_signed, char end)
{
	uint64_t u = (uint64_t)v;
	char digits[20];
	int n = 0;

	if (is_signed && v < 0) {
		*p++ = '-';
		u = 0 - u;
	}
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		*p++ = digits[--n];
	*p++ = end;
	return p;
}

/* Once per file of every run, so no printf: "SIZE MTIME_NS CTIME_NS DEV INO". */
char *
tr__stamp_stat(const tr__file *f)
{
	char s[5 * 22], *p = s;

	p = put_num(p, (int64_t)f->size, false, ' ');
	p = put_num(p, f->mtime_ns, true, ' ');
	p = put_num(p, f->ctime_ns, true, ' ');
	p = put_num(p, (int64_t)f->dev, false, ' ');
	put_num(p, (int64_t)f->ino, false, '\0');
	return strdup(s);
}

char *
tr__stamp(const char *stat, const char *hash, const char *fingerprint)
{
	char *s = NULL;

	if (asprintf(&s, "%s %s %s", stat, hash && *hash ? hash : "-",
	             fingerprint && *fingerprint ? fingerprint : "-") < 0)
		return NULL;
	return s;
}
