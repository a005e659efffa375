#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYSTEM_CONFIG "/etc/tellerrand/tellerrand.conf"

/* Options that an environment variable also sets; the variable wins over the file. */
static const struct {
	const char *option;
	const char *env;
} env_options[] = {
	{ "db", "TELLERRAND_DB" },
	{ "data-dir", "TELLERRAND_DATA_DIR" },
};

void
tr_config_free(tr_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_settings; i++) {
		free(c->settings[i].section);
		free(c->settings[i].key);
		free(c->settings[i].value);
	}
	for (size_t i = 0; i < c->n_roots; i++) {
		free(c->roots[i].path);
		free(c->roots[i].district);
		free(c->roots[i].type);
		free(c->roots[i].url);
	}
	for (size_t i = 0; i < c->n_shards; i++) {
		free(c->shards[i].name);
		free(c->shards[i].districts);
	}
	for (size_t i = 0; i < c->n_searches; i++) {
		for (size_t k = 0; k < c->searches[i].n_items; k++) {
			free(c->searches[i].items[k].key);
			free(c->searches[i].items[k].value);
		}
		free(c->searches[i].items);
		free(c->searches[i].name);
	}
	free(c->searches);
	free(c->settings);
	free(c->roots);
	free(c->shards);
	free(c->file);
	free(c);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int
parse_bool(const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "ja") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "on"))
		return 1;
	if (!strcmp(v, "no") || !strcmp(v, "nein") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "off"))
		return 0;
	return -1;
}

static void
config_error(const char *cmd, const char *file, int line, const char *what, const char *detail)
{
	fprintf(stderr, "tellerrand %s: %s:%d: %s%s%s\n", cmd, file, line, what,
	        detail ? ": " : "", detail ? detail : "");
}

static bool
set_root_key(const char *cmd, const char *file, int line, tr_config_root *r, const char *key,
             const char *value)
{
	char **slot = NULL;

	if (!strcmp(key, "kreis") || !strcmp(key, "district"))
		slot = &r->district;
	else if (!strcmp(key, "typ") || !strcmp(key, "type"))
		slot = &r->type;
	else if (!strcmp(key, "url"))
		slot = &r->url;
	else if (!strcmp(key, "internal") || !strcmp(key, "intern")) {
		int b = parse_bool(value);
		if (b < 0) {
			config_error(cmd, file, line, "ungültiger Wert (yes oder no erwartet)", value);
			return false;
		}
		r->internal = b;
		return true;
	} else {
		config_error(cmd, file, line, "unbekannter Schlüssel in [root] (kreis, typ, internal, url)", key);
		return false;
	}
	free(*slot);
	*slot = strdup(value);
	return *slot != NULL;
}

/* Starts a "[shard NAME]" section. */
static tr_status
add_shard(const char *cmd, const char *file, int line, tr_config *c, const char *name, tr_config_shard **out)
{
	tr_config_shard *v;

	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(name)) {
		config_error(cmd, file, line, "[shard] erwartet einen Namen aus Buchstaben, Ziffern, - und _", name);
		return TR_EINVAL;
	}
	for (size_t i = 0; i < c->n_shards; i++)
		if (!strcmp(c->shards[i].name, name)) {
			config_error(cmd, file, line, "[shard] doppelt", name);
			return TR_EINVAL;
		}
	v = realloc(c->shards, (c->n_shards + 1) * sizeof *v);
	if (!v)
		return TR_ENOMEM;
	c->shards = v;
	*out = &c->shards[c->n_shards++];
	memset(*out, 0, sizeof **out);
	(*out)->line = line;
	return ((*out)->name = strdup(name)) ? TR_OK : TR_ENOMEM;
}

/* Starts a "[suche NAME]" section: a saved search of the nightly report (docs/nightly.md). */
static tr_status
add_search(const char *cmd, const char *file, int line, tr_config *c, const char *name, tr_config_search **out)
{
	tr_config_search *v;

	if (!*name) {
		config_error(cmd, file, line, "[suche] ohne Namen", NULL);
		return TR_EINVAL;
	}
	for (size_t i = 0; i < c->n_searches; i++)
		if (!strcmp(c->searches[i].name, name)) {
			config_error(cmd, file, line, "[suche] doppelt", name);
			return TR_EINVAL;
		}
	v = realloc(c->searches, (c->n_searches + 1) * sizeof *v);
	if (!v)
		return TR_ENOMEM;
	c->searches = v;
	*out = &c->searches[c->n_searches++];
	memset(*out, 0, sizeof **out);
	(*out)->line = line;
	return ((*out)->name = strdup(name)) ? TR_OK : TR_ENOMEM;
}

/* One "key = value" of a saved search; the keys are checked when the search runs, like a query's. */
static tr_status
add_search_item(tr_config_search *s, const char *key, const char *value, int line)
{
	tr_config_setting *v = realloc(s->items, (s->n_items + 1) * sizeof *v);

	if (!v)
		return TR_ENOMEM;
	s->items = v;
	v = &s->items[s->n_items++];
	v->section = s->name;
	v->key = strdup(key);
	v->value = strdup(value);
	v->line = line;
	return v->key && v->value ? TR_OK : TR_ENOMEM;
}

/* Where the parser stands: the file, the line, and the section the next keys belong to. */
struct config_reader {
	const char *cmd, *file;
	int lineno;
	tr_config *c;
	char *section;                  /* its name as written, for plain settings */
	tr_config_root *root;           /* or the [root PATH], [shard NAME], [suche NAME] it opened */
	tr_config_shard *shard;
	tr_config_search *search;
};

/* Whether @s starts with the section keyword @kw followed by a blank or the end. */
static bool
section_is(const char *s, const char *kw)
{
	size_t n = strlen(kw);

	return !strncmp(s, kw, n) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\0');
}

static tr_status
add_root(struct config_reader *r, const char *path)
{
	tr_config *c = r->c;
	tr_config_root *v;

	if (!*path) {
		config_error(r->cmd, r->file, r->lineno, "[root] ohne Pfad", NULL);
		return TR_EINVAL;
	}
	v = realloc(c->roots, (c->n_roots + 1) * sizeof *v);
	if (!v)
		return TR_ENOMEM;
	c->roots = v;
	r->root = &c->roots[c->n_roots++];
	memset(r->root, 0, sizeof *r->root);
	return (r->root->path = strdup(path)) ? TR_OK : TR_ENOMEM;
}

/* A "[name ...]" line (@s is past the bracket): opens the section the next keys go to. */
static tr_status
read_section(struct config_reader *r, char *s)
{
	char *end = strchr(s, ']');
	tr_status st = TR_OK;

	if (!end || trim(end + 1)[0] != '\0') {
		config_error(r->cmd, r->file, r->lineno, "Abschnitt ohne schließende Klammer", s - 1);
		return TR_EINVAL;
	}
	*end = '\0';
	s = trim(s);
	r->root = NULL;
	r->shard = NULL;
	r->search = NULL;
	if (section_is(s, "root")) {
		st = add_root(r, trim(s + 4));
		s = "root";
	} else if (section_is(s, "shard")) {
		st = add_shard(r->cmd, r->file, r->lineno, r->c, trim(s + 5), &r->shard);
		s = "shard";
	} else if (section_is(s, "suche")) {
		st = add_search(r->cmd, r->file, r->lineno, r->c, trim(s + 5), &r->search);
		s = "suche";
	}
	if (st != TR_OK)
		return st;
	free(r->section);
	return (r->section = strdup(s)) ? TR_OK : TR_ENOMEM;
}

/* A plain "key = value" outside the sections that take their own keys. */
static tr_status
add_setting(struct config_reader *r, const char *key, const char *value)
{
	tr_config *c = r->c;
	tr_config_setting *v = realloc(c->settings, (c->n_settings + 1) * sizeof *v);

	if (!v)
		return TR_ENOMEM;
	c->settings = v;
	v = &c->settings[c->n_settings++];
	v->section = strdup(r->section);
	v->key = strdup(key);
	v->value = strdup(value);
	v->line = r->lineno;
	return v->section && v->key && v->value ? TR_OK : TR_ENOMEM;
}

/* A "key = value" line, given to the section it is in. */
static tr_status
read_key(struct config_reader *r, char *s)
{
	char *eq = strchr(s, '='), *key, *value;

	if (!eq) {
		config_error(r->cmd, r->file, r->lineno, "erwartet: Schlüssel = Wert", s);
		return TR_EINVAL;
	}
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (r->root)
		return set_root_key(r->cmd, r->file, r->lineno, r->root, key, value) ? TR_OK : TR_EINVAL;
	if (r->search)
		return add_search_item(r->search, key, value, r->lineno);
	if (r->shard) {
		if (strcmp(key, "kreis") && strcmp(key, "district")) {
			config_error(r->cmd, r->file, r->lineno, "unbekannter Schlüssel in [shard] (kreis)", key);
			return TR_EINVAL;
		}
		free(r->shard->districts);
		return (r->shard->districts = strdup(value)) ? TR_OK : TR_ENOMEM;
	}
	return add_setting(r, key, value);
}

static tr_status
config_parse(const char *cmd, const char *file, tr_config *c)
{
	struct config_reader r = { .cmd = cmd, .file = file, .c = c, .section = strdup("") };
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	tr_status st = TR_OK;

	if (!f) {
		fprintf(stderr, "tellerrand %s: Konfiguration nicht lesbar: %s: %s\n", cmd, file, strerror(errno));
		free(r.section);
		return TR_ENOTFOUND;
	}
	if (!r.section) {
		fclose(f);
		return TR_ENOMEM;
	}
	while (st == TR_OK && getline(&line, &cap, f) >= 0) {
		char *s = trim(line);

		r.lineno++;
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		st = *s == '[' ? read_section(&r, s + 1) : read_key(&r, s);
	}
	free(line);
	free(r.section);
	fclose(f);
	return st;
}

tr_status
tr_config_find_and_load(const char *cmd, const char *explicit_path, tr_config **out)
{
	const char *file = explicit_path;
	tr_config *c;
	tr_status st;

	*out = NULL;
	if (!file) {
		file = getenv("TELLERRAND_CONFIG");
		if (file && !*file)
			file = NULL;
	}
	if (!file) {
		if (access(SYSTEM_CONFIG, F_OK) != 0)
			return TR_OK;
		file = SYSTEM_CONFIG;
	}
	c = calloc(1, sizeof *c);
	if (!c || !(c->file = strdup(file))) {
		free(c);
		return TR_ENOMEM;
	}
	st = config_parse(cmd, file, c);
	if (st != TR_OK) {
		tr_config_free(c);
		return st;
	}
	*out = c;
	return TR_OK;
}

static int
option_index(const tr_option *opts, const char *key)
{
	for (int i = 0; opts[i].name; i++)
		if (!strcmp(opts[i].name, key))
			return i;
	return -1;
}

bool
tr_config_apply(const tr_config *c, const char *cmd, const tr_option *opts,
                bool (*set)(void *ctx, int opt, const char *value), void *ctx)
{
	if (!c)
		return true;
	for (size_t i = 0; i < c->n_settings; i++) {
		const tr_config_setting *s = &c->settings[i];
		bool mine = !strcmp(s->section, cmd);
		int idx;

		if (!mine && s->section[0] != '\0') {
			if (!tr_cli_is_command(s->section)) {
				config_error(cmd, c->file, s->line, "unbekannter Abschnitt", s->section);
				return false;
			}
			continue;
		}
		idx = option_index(opts, s->key);
		if (idx < 0) {
			if (!mine && tr_cli_known_option(s->key))
				continue;   /* another subcommand's option */
			config_error(cmd, c->file, s->line, "unbekannter Schlüssel", s->key);
			return false;
		}
		{
			bool env_set = false;
			for (size_t k = 0; k < sizeof env_options / sizeof env_options[0]; k++) {
				const char *e = getenv(env_options[k].env);
				if (!strcmp(env_options[k].option, s->key) && e && *e)
					env_set = true;
			}
			if (env_set)
				continue;
		}
		if (!opts[idx].arg) {
			int b = parse_bool(s->value);
			if (b < 0) {
				config_error(cmd, c->file, s->line, "ungültiger Wert (yes oder no erwartet)", s->value);
				return false;
			}
			/* "ocr = no" means --no-ocr where the subcommand has both flags. */
			if (!b) {
				char neg[128];

				snprintf(neg, sizeof neg, "no-%s", s->key);
				idx = option_index(opts, neg);
				b = idx >= 0 && !opts[idx].arg;
			}
			if (b && !set(ctx, idx, NULL)) {
				config_error(cmd, c->file, s->line, "ungültiger Wert", s->key);
				return false;
			}
			continue;
		}
		{
			char where[512];
			bool ok;

			snprintf(where, sizeof where, "%s:%d", c->file, s->line);
			tr_cli_set_context(where);
			ok = set(ctx, idx, s->value);
			tr_cli_set_context(NULL);
			if (!ok)
				return false;
		}
	}
	return true;
}

const char *
tr_cli_peek_option(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			break;
		if (strncmp(a, "--", 2) || strncmp(a + 2, name, n))
			continue;
		if (a[2 + n] == '=')
			return a + 3 + n;
		if (a[2 + n] == '\0' && i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

bool
tr_cli_parse_all(int argc, char **argv, const tr_option *opts, const char *synopsis,
                 const char *description,
                 bool (*set)(void *ctx, int opt, const char *value), void *ctx,
                 char **rest, int *nrest, tr_config **config, int *exit_now)
{
	const char *cmd = argv[0];

	*nrest = 0;
	if (tr_config_find_and_load(cmd, tr_cli_peek_option(argc, argv, "config"), config) != TR_OK ||
	    !tr_config_apply(*config, cmd, opts, set, ctx)) {
		*exit_now = TR_EXIT_USAGE;
		return false;
	}
	return tr_cli_parse(argc, argv, opts, synopsis, description, set, ctx, rest, nrest, exit_now);
}
