/* Option parsing and help generated from one table per subcommand. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void
print_help(const char *cmd, const tr_option *opts, const char *synopsis,
           const char *description)
{
	printf("Aufruf: tellerrand %s %s\n\n%s\n\nOptionen:\n", cmd, synopsis, description);
	for (const tr_option *o = opts; o->name; o++) {
		char left[64];

		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		/* Two spaces at least between the columns: scripts/manpage reads them. */
		printf("  %-25s  %s", left, o->help);
		if (o->defval)
			printf(" (Standard: %s)", o->defval);
		printf("\n");
	}
	printf("  %-25s  %s\n", "-h, --help", "Diese Hilfe anzeigen");
}

static const tr_option *
find_long(const tr_option *opts, const char *name, size_t len, int *idx)
{
	for (int i = 0; opts[i].name; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) {
			*idx = i;
			return &opts[i];
		}
	return NULL;
}

static const tr_option *
find_short(const tr_option *opts, char c, int *idx)
{
	for (int i = 0; opts[i].name; i++)
		if (opts[i].short_name == c) {
			*idx = i;
			return &opts[i];
		}
	return NULL;
}

bool
tr_cli_parse(int argc, char **argv, const tr_option *opts, const char *synopsis,
             const char *description,
             bool (*set)(void *ctx, int opt, const char *value), void *ctx,
             char **rest, int *nrest, int *exit_now)
{
	const char *cmd = argv[0];
	bool options_done = false;

	*nrest = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const tr_option *o = NULL;
		const char *value = NULL;
		int idx = -1;

		if (options_done || a[0] != '-' || a[1] == '\0') {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options_done = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help(cmd, opts, synopsis, description);
			*exit_now = TR_EXIT_OK;
			return false;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);

			o = find_long(opts, a + 2, len, &idx);
			if (o && eq)
				value = eq + 1;
			if (o && !o->arg && eq) {
				fprintf(stderr, "tellerrand %s: Option --%s erwartet keinen Wert\n", cmd, o->name);
				*exit_now = TR_EXIT_USAGE;
				return false;
			}
		} else if (a[2] == '\0') {
			o = find_short(opts, a[1], &idx);
		}
		if (!o && a[1] != '-') {
			/* "-Leipzig", "-5..7": a word to leave out, not an option (docs/tellerrand-query.md). */
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (!o) {
			fprintf(stderr, "tellerrand %s: unbekannte Option: %s (siehe 'tellerrand help %s')\n",
			        cmd, a, cmd);
			*exit_now = TR_EXIT_USAGE;
			return false;
		}
		if (o->arg && !value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "tellerrand %s: Option --%s erwartet einen Wert (%s)\n",
				        cmd, o->name, o->arg);
				*exit_now = TR_EXIT_USAGE;
				return false;
			}
			value = argv[++i];
		}
		if (!set(ctx, idx, value)) {
			*exit_now = TR_EXIT_USAGE;
			return false;
		}
	}
	return true;
}

void
tr_cli_error(const char *cmd, const char *what, const char *detail)
{
	if (detail && *detail)
		fprintf(stderr, "tellerrand %s: %s: %s\n", cmd, what, detail);
	else
		fprintf(stderr, "tellerrand %s: %s\n", cmd, what);
}

void
tr_cli_db_error(const char *cmd, tr_status st, const char *what, const char *detail)
{
	if (st != TR_ECORRUPT)
		tr_cli_error(cmd, what, detail);
	else if (detail && *detail)
		fprintf(stderr, "tellerrand %s: %s (%s)\n", cmd, TR_CORRUPT_MESSAGE, detail);
	else
		fprintf(stderr, "tellerrand %s: %s\n", cmd, TR_CORRUPT_MESSAGE);
}

int
tr_cli_exit_code(tr_status st)
{
	switch (st) {
	case TR_OK:
		return TR_EXIT_OK;
	case TR_ELOCKED:
		return TR_EXIT_LOCKED;
	case TR_EBADQUERY:
	case TR_EINVAL:
	case TR_ETOOBIG:      /* a query standing for too many terms */
		return TR_EXIT_USAGE;
	default:
		return TR_EXIT_ERROR;
	}
}

static bool
is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
tr_cli_data_dir(const char *option_value)
{
	const char *env;

	if (option_value)
		return option_value;
	env = getenv("TELLERRAND_DATA_DIR");
	if (env && *env)
		return env;
	/* An installed copy wins; a build tree falls back to its sources. */
	if (is_dir(TR_DATADIR_INSTALLED))
		return TR_DATADIR_INSTALLED;
	return TR_DATADIR_SOURCE;
}

const char *
tr_cli_db_path(const char *option_value)
{
	const char *env;

	if (option_value)
		return option_value;
	env = getenv("TELLERRAND_DB");
	if (env && *env)
		return env;
	return "tellerrand-index";
}

tr_status
tr_cli_load_data(const char *cmd, const char *data_dir, tr_districts **districts, tr_topics **topics)
{
	char *dpath = NULL, *gpath = NULL, *tpath = NULL, *err = NULL;
	tr_status st = TR_ENOMEM;

	*districts = NULL;
	*topics = NULL;
	if (asprintf(&dpath, "%s/districts.tsv", data_dir) < 0 ||
	    asprintf(&gpath, "%s/gazetteer-sachsen.tsv", data_dir) < 0 ||
	    asprintf(&tpath, "%s/topics.tsv", data_dir) < 0)
		goto done;
	st = tr_districts_load(districts, dpath, gpath, &err);
	if (st == TR_OK)
		st = tr_topics_load(topics, tpath, &err);
	if (st != TR_OK) {
		tr_cli_error(cmd, "Datendatei nicht lesbar", err ? err : tr_strerror(st));
		tr_districts_free(*districts);
		*districts = NULL;
	}
done:
	free(err);
	free(dpath);
	free(gpath);
	free(tpath);
	return st;
}

bool
tr_cli_parse_uint(const char *cmd, const char *name, const char *value, unsigned long min,
                  unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (!*value || *end || errno || value[0] == '-' || v < min || v > max) {
		tr_cli_usage_error(cmd, "ungültiger Wert für --%s: %s (erwartet: Zahl von %lu bis %lu)",
		                   name, value, min, max);
		return false;
	}
	*out = v;
	return true;
}

static const char *cli_context;

void
tr_cli_set_context(const char *where)
{
	cli_context = where;
}

void
tr_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tellerrand %s: ", cmd);
	if (cli_context)
		fprintf(stderr, "%s: ", cli_context);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool
tr_cli_is_command(const char *name)
{
	for (const tr_command *c = tr_cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return true;
	return false;
}

bool
tr_cli_known_option(const char *name)
{
	for (const tr_command *c = tr_cli_commands; c->name; c++)
		for (const tr_option *o = c->options; o && o->name; o++)
			if (!strcmp(o->name, name))
				return true;
	return false;
}

bool
tr_cli_filters_add(tr_cli_filters *f, const char *cmd, const char *name, const char *value)
{
	if (f->n == (int)(sizeof f->v / sizeof f->v[0])) {
		tr_cli_usage_error(cmd, "zu viele Filter");
		return false;
	}
	f->v[f->n].name = name;
	f->v[f->n++].value = value;
	return true;
}

int
tr_cli_query_build(const char *cmd, tr_query *q, const tr_query_vocab *vocab, const tr_cli_filters *f,
                   char *const *words, int nwords, tr_buf *text)
{
	char *err = NULL;
	tr_status st = TR_OK;

	for (int i = 0; i < nwords; i++)
		if (tr_buf_printf(text, "%s%s", i ? " " : "", words[i]) != TR_OK) {
			tr_cli_error(cmd, "Suchtext zu lang", NULL);
			return TR_EXIT_USAGE;
		}
	for (int i = 0; st == TR_OK && i < f->n; i++)
		st = tr_query_add_filter(q, vocab, f->v[i].name, f->v[i].value, &err);
	if (st == TR_OK)
		st = tr_query_parse(q, vocab, text->ptr ? text->ptr : "", &err);
	if (st != TR_OK)
		tr_cli_error(cmd, err ? err : tr_strerror(st), NULL);
	free(err);
	return st == TR_OK ? TR_EXIT_OK : tr_cli_exit_code(st);
}
