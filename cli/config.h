/*
 * The configuration file: the command line's own long option names as
 * "key = value" lines, so there is one vocabulary.  Keys before any section
 * apply to every subcommand that has the option; "[index]", "[query]",
 * "[serve]", ... sections to that subcommand only; "[root PATH]" sections
 * declare the folders to index with their defaults, "[shard NAME]" sections
 * the district groups of a shard set, "[suche NAME]" sections the saved
 * searches of the nightly report.  Format in docs/config.md.
 */
#ifndef TR_CONFIG_H
#define TR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

typedef struct tr_config_root {
	char *path;
	char *district;     /* kreis = ... */
	char *type;         /* typ = ... */
	bool internal;      /* internal = yes */
	char *url;          /* url = ...: where result links point instead of /dokument/ */
} tr_config_root;

typedef struct tr_config_shard {
	char *name;         /* letters, digits, '-' and '_': it names the shard's folder */
	char *districts;    /* kreis = ...: district names as written, separated by ',' */
	int line;
} tr_config_shard;

typedef struct tr_config_setting {
	char *section;      /* "" for the top, else a subcommand name */
	char *key;
	char *value;
	int line;
} tr_config_setting;

/* A saved search: "[suche NAME]" with q = words and filters as `tellerrand query` takes them. */
typedef struct tr_config_search {
	char *name;
	tr_config_setting *items;   /* key = value lines in order (section: the name) */
	size_t n_items;
	int line;
} tr_config_search;

typedef struct tr_config {
	char *file;
	tr_config_setting *settings;
	size_t n_settings;
	tr_config_root *roots;
	size_t n_roots;
	tr_config_shard *shards;
	size_t n_shards;
	tr_config_search *searches;
	size_t n_searches;
} tr_config;

/*
 * Finds and loads the configuration: @explicit_path (--config), else
 * $TELLERRAND_CONFIG, else /etc/tellerrand/tellerrand.conf if it exists.
 * *out is NULL when there is none to load (not an error unless a file was
 * named).  Errors are printed as "tellerrand CMD: FILE:LINE: what".
 */
tr_status tr_config_find_and_load(const char *cmd, const char *explicit_path, tr_config **out);

void tr_config_free(tr_config *c);

/*
 * Applies the settings for @cmd through the same @set callback the
 * command-line parser uses, so a config value is checked exactly like the
 * option.  A key that is no option of @cmd is an error in its own section
 * and, at the top, unless some other subcommand has it.  An environment
 * variable that stands for an option (TELLERRAND_DB for db) wins over the
 * file.  Returns false after printing the error with file and line.
 */
bool tr_config_apply(const tr_config *c, const char *cmd, const tr_option *opts,
                     bool (*set)(void *ctx, int opt, const char *value), void *ctx);

/*
 * The whole option reading of a subcommand: the configuration file (named
 * by --config, $TELLERRAND_CONFIG or the system one), then the command line,
 * both through @set, so that flags win over the file.  Arguments as for
 * tr_cli_parse().  *config (owned by the caller; free with
 * tr_config_free(), also on failure) must outlive the values taken from it.
 * Returns true to go on; false with *exit_now set.
 */
bool tr_cli_parse_all(int argc, char **argv, const tr_option *opts, const char *synopsis,
                      const char *description,
                      bool (*set)(void *ctx, int opt, const char *value), void *ctx,
                      char **rest, int *nrest, tr_config **config, int *exit_now);

/* Returns the value of --NAME / --NAME=VALUE in argv (before "--"), or NULL. */
const char *tr_cli_peek_option(int argc, char **argv, const char *name);

#endif
