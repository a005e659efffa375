#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 64

void
tr__filelist_free(tr__filelist *fl)
{
	for (size_t i = 0; i < fl->n; i++) {
		free(fl->v[i].path);
		free(fl->v[i].relpath);
		free(fl->v[i].error);
	}
	free(fl->v);
	fl->v = NULL;
	fl->n = fl->alloc = 0;
}

static tr_status
add_file(tr__filelist *fl, const char *path, const char *relpath, size_t root,
         const struct stat *sb, const char *error)
{
	tr__file *f;

	if (fl->n == fl->alloc) {
		size_t a = fl->alloc ? fl->alloc * 2 : 256;
		tr__file *v = realloc(fl->v, a * sizeof *v);
		if (!v)
			return TR_ENOMEM;
		fl->v = v;
		fl->alloc = a;
	}
	f = &fl->v[fl->n];
	memset(f, 0, sizeof *f);
	f->path = strdup(path);
	f->relpath = strdup(relpath);
	f->error = error ? strdup(error) : NULL;
	if (!f->path || !f->relpath || (error && !f->error)) {
		free(f->path);
		free(f->relpath);
		free(f->error);
		return TR_ENOMEM;
	}
	f->root = root;
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

static tr_status
scan_dir(tr__filelist *fl, const char *path, const char *relpath, size_t root,
         const struct stat *exclude, int depth, size_t *entries)
{
	struct dirent **names = NULL;
	int n;
	tr_status st = TR_OK;

	n = scandir(path, &names, NULL, entry_cmp);
	if (n < 0) {
		char why[256];
		snprintf(why, sizeof why, "Ordner nicht lesbar (%s)", strerror(errno));
		return add_file(fl, path, relpath, root, NULL, why);
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *child = NULL, *childrel = NULL;
		struct stat sb;

		if (st != TR_OK || name[0] == '.')
			continue; /* hidden files, ".", ".." */
		(*entries)++;
		if (!(child = path_join(path, name)) || !(childrel = path_join(relpath, name))) {
			free(child);
			st = TR_ENOMEM;
			continue;
		}
		/*
		 * A regular file (as the folder entry says) needs one stat for its
		 * stamps; anything else is looked at with lstat first, so links to
		 * folders are not followed and no walk can loop.
		 */
		if (names[i]->d_type == DT_REG) {
			if (stat(child, &sb) == 0 && S_ISREG(sb.st_mode))
				st = add_file(fl, child, childrel, root, &sb, NULL);
		} else if (lstat(child, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (exclude && sb.st_dev == exclude->st_dev && sb.st_ino == exclude->st_ino)
				;
			else if (depth >= DEPTH_MAX)
				st = add_file(fl, child, childrel, root, NULL, "Ordner zu tief verschachtelt");
			else
				st = scan_dir(fl, child, childrel, root, exclude, depth + 1, entries);
		} else if (stat(child, &sb) < 0) {
			char why[256];
			snprintf(why, sizeof why, "nicht lesbar (%s)", strerror(errno));
			st = add_file(fl, child, childrel, root, NULL, why);
		} else if (S_ISREG(sb.st_mode)) {
			st = add_file(fl, child, childrel, root, &sb, NULL);
		}
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
              const struct stat *exclude, bool *available, char **abs)
{
	struct stat sb;
	char *tmp = NULL;
	size_t entries = 0;
	tr_status st = TR_OK;

	*available = false;
	*abs = realpath(root, NULL);
	if (!*abs || stat(*abs, &sb) < 0) {
		if (!*abs && errno == ENOMEM)
			return TR_ENOMEM;
		return TR_OK;
	}
	/* Folder conventions see the root's own name too ("Landkreis Meißen/..."). */
	tmp = strdup(*abs);
	if (!tmp)
		return TR_ENOMEM;
	if (S_ISDIR(sb.st_mode)) {
		st = scan_dir(fl, *abs, basename(tmp), root_index, exclude, 0, &entries);
		/* Nothing to go by: an empty folder is treated like a missing one. */
		*available = entries > 0;
	} else if (S_ISREG(sb.st_mode)) {
		st = add_file(fl, *abs, basename(tmp), root_index, &sb, NULL);
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
