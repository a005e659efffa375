/* Shared pieces of the command-line layer: subcommands, exit codes, options. */
#ifndef TR_CLI_H
#define TR_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tellerrand/index.h"
#include "tellerrand/status.h"

/* Exit codes, documented in docs/tellerrand.1.md. */
enum {
	TR_EXIT_OK = 0,
	TR_EXIT_ERROR = 1,     /* runtime error: index missing, bad data files, ... */
	TR_EXIT_USAGE = 2,     /* bad options, bad query, bad filter value */
	TR_EXIT_PARTIAL = 3,   /* index: finished, but some files failed or a root was unavailable */
	TR_EXIT_LOCKED = 75    /* EX_TEMPFAIL: another indexer holds the lock */
};

/*
 * One option table drives parsing, --help and the defaults shown there.
 * An option either takes a value (arg != NULL names it) or is a flag.
 */
typedef struct tr_option {
	const char *name;        /* long name without "--" */
	char short_name;         /* 0 for none */
	const char *arg;         /* value placeholder, e.g. "DIR"; NULL for a flag */
	const char *help;        /* German help text */
	const char *defval;      /* default shown in --help, or NULL */
} tr_option;

typedef struct tr_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const tr_option *options;     /* for the configuration file; NULL: none */
} tr_command;

int cmd_index(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_why(int argc, char **argv);

/* Each subcommand's option table (the one its parser and --help use). */
extern const tr_option cmd_index_options[];
extern const tr_option cmd_query_options[];
extern const tr_option cmd_status_options[];
extern const tr_option cmd_serve_options[];
extern const tr_option cmd_show_options[];
extern const tr_option cmd_why_options[];

/* The subcommand table (cli/tellerrand.c), ending with a NULL name. */
extern const tr_command tr_cli_commands[];

/*
 * The commands' main (cli/tellerrand.c): tellerrand-helper's main, and
 * what the program users run (cli/front.c) calls in tellerrand-cli.so.
 */
int tr_cli_main(int argc, char **argv);

/* If @arg asks for the version (--version, version), prints it and returns true. */
static inline bool
tr_cli_version(const char *arg)
{
	if (strcmp(arg, "--version") != 0 && strcmp(arg, "version") != 0)
		return false;
	printf("tellerrand %s (Indexformat %d)\n", TR_VERSION, TR_INDEX_FORMAT_VERSION);
	return true;
}

/* True if @name is a subcommand. */
bool tr_cli_is_command(const char *name);
/* True if some subcommand has the long option @name. */
bool tr_cli_known_option(const char *name);

/*
 * Where values come from while they are checked, e.g. "tellerrand.conf:12";
 * usage errors then name it.  NULL: the command line.
 */
void tr_cli_set_context(const char *where);

/* Prints a usage error "tellerrand CMD: [WHERE: ]message" on stderr. */
void tr_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));


/*
 * Parses argv (argv[0] is the subcommand name) against @opts.  For each
 * option found, calls @set with its index and value (NULL for flags); @set
 * returns false to reject a value (after printing why).  Non-option
 * arguments are collected in order into @rest (which must hold argc
 * entries) and counted in *nrest, and so is a word starting with a single
 * "-" that is no known short option ("-Leipzig": a query's -wort, or a
 * path).  "--" ends options.  "--help" prints the
 * help generated from @opts and returns TR_EXIT_OK through *exit_now.
 * Returns true to go on; false with *exit_now set to the exit code.
 */
bool tr_cli_parse(int argc, char **argv, const tr_option *opts, const char *synopsis,
                  const char *description,
                  bool (*set)(void *ctx, int opt, const char *value), void *ctx,
                  char **rest, int *nrest, int *exit_now);

/* Prints "tellerrand CMD: what: detail" to stderr (detail may be NULL). */
void tr_cli_error(const char *cmd, const char *what, const char *detail);

/*
 * Like tr_cli_error() for a failure @st of the index; a damaged index
 * (TR_ECORRUPT) is named as such with the fix (TR_CORRUPT_MESSAGE), the
 * library's detail in brackets.
 */
void tr_cli_db_error(const char *cmd, tr_status st, const char *what, const char *detail);

/* Maps a library status to the documented exit code. */
int tr_cli_exit_code(tr_status st);

/* The data directory: --data-dir, else $TELLERRAND_DATA_DIR, else the installed or source one. */
const char *tr_cli_data_dir(const char *option_value);

/* Default index location: --db, else $TELLERRAND_DB, else "./tellerrand-index". */
const char *tr_cli_db_path(const char *option_value);

#include "tellerrand/district.h"
#include "tellerrand/topics.h"

/*
 * Loads the district registry and the topic taxonomy from @data_dir,
 * reporting a failure as "tellerrand CMD: ..." on stderr.
 */
tr_status tr_cli_load_data(const char *cmd, const char *data_dir, tr_districts **districts,
                           tr_topics **topics);

/* Parses a decimal number from @min to @max for option --@name; prints why not and returns false. */
bool tr_cli_parse_uint(const char *cmd, const char *name, const char *value, unsigned long min,
                       unsigned long max, unsigned long *out);

/* ---- The search of a command (query, why) ------------------------------- */

#include "buf.h"
#include "query.h"

/* A command's filter options (--kreis, --typ, ...) as given, resolved once the data files are loaded. */
typedef struct tr_cli_filters {
	struct { const char *name, *value; } v[64];
	int n;
} tr_cli_filters;

/* Adds option --@name = @value; false, after a usage message for @cmd, when there are too many. */
bool tr_cli_filters_add(tr_cli_filters *f, const char *cmd, const char *name, const char *value);

/*
 * The search of command @cmd into @q: the filters @f, then @words joined
 * by spaces (kept in @text, which @q points into) as the query text.
 * Reports a bad filter or text; returns an exit code (TR_EXIT_OK to go on).
 */
int tr_cli_query_build(const char *cmd, tr_query *q, const tr_query_vocab *vocab, const tr_cli_filters *f,
                       char *const *words, int nwords, tr_buf *text);

#endif
