/*
 * tellerrand: the command-line entry point and subcommand table.
 *
 * Built twice.  tellerrand-cli.so (TR_CLI_FRONT, TR_CLI_MODULE), which the
 * `tellerrand` users run loads (cli/front.c), runs query, status and why
 * itself and links none of the PDF, office or HTTP libraries, so a search
 * starts as fast as Xapian's quest; for index, show and serve it executes
 * tellerrand-helper (the same table with every command built in, and a
 * main), found beside the program or in the installed libexec directory.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tellerrand/index.h"

static int cmd_help(int argc, char **argv);

#ifdef TR_CLI_FRONT
static int run_helper(int argc, char **argv);
#define RUN_INDEX run_helper
#define RUN_SHOW run_helper
#define RUN_SERVE run_helper
#else
#define RUN_INDEX cmd_index
#define RUN_SHOW cmd_show
#define RUN_SERVE cmd_serve
#endif

const tr_command tr_cli_commands[] = {
	{ "index",  RUN_INDEX,  "Dateien indexieren (Archiv einlesen oder aktualisieren)", cmd_index_options },
	{ "query",  cmd_query,  "Im Archiv suchen", cmd_query_options },
	{ "status", cmd_status, "Umfang und Stand des Index anzeigen", cmd_status_options },
	{ "show",   RUN_SHOW,   "Zeigen, was Tellerrand aus einer Datei liest (Titel, Angaben, Text)", cmd_show_options },
	{ "why",    cmd_why,    "Erklären, warum eine Suche eine Datei findet oder nicht", cmd_why_options },
	{ "serve",  RUN_SERVE,  "Suchseite und JSON-Schnittstelle über HTTP bereitstellen", cmd_serve_options },
	{ "help",   cmd_help,   "Hilfe zu einem Befehl anzeigen", NULL },
	{ NULL, NULL, NULL, NULL }
};

static const tr_command *
command_find(const char *name)
{
	for (const tr_command *c = tr_cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void
usage(FILE *f)
{
	fprintf(f, "Aufruf: tellerrand [--version] BEFEHL [OPTIONEN] [ARGUMENTE]\n\n"
	           "Befehle:\n");
	for (const tr_command *c = tr_cli_commands; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
	fprintf(f, "\n'tellerrand help BEFEHL' zeigt die Optionen eines Befehls.\n"
	           "Exit-Codes: 0 ok, 1 Fehler, 2 falscher Aufruf, 3 teilweise fehlgeschlagen (index),\n"
	           "75 Index gesperrt.\n");
}

#ifdef TR_CLI_FRONT
/*
 * Runs subcommand argv[0] in tellerrand-helper: the one beside this
 * executable (a build tree, or both installed in one directory), else the
 * installed one.  Returns only when neither can be executed.
 */
static int
run_helper(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 32];
	char *args[argc + 2];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;
	sigset_t stop, old;

	/*
	 * The indexer finishes its batch on SIGINT/SIGTERM once its handler is
	 * in place; until then (loading the helper's libraries, the data, the
	 * index) a signal stays pending instead of killing it half-way.
	 * cmd_index() unblocks them after installing the handler.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, strcmp(argv[0], "index") == 0 ? &stop : NULL, &old);
	args[0] = "tellerrand-helper";
	for (int i = 0; i <= argc; i++)
		args[i + 1] = argv[i];
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/tellerrand-helper", self);
			execv(path, args);
		}
	}
	execv(TR_LIBEXECDIR "/tellerrand-helper", args);
	sigprocmask(SIG_SETMASK, &old, NULL);
	fprintf(stderr, "tellerrand %s: Hilfsprogramm %s nicht ausführbar: %s\n", argv[0],
	        TR_LIBEXECDIR "/tellerrand-helper", strerror(errno));
	return TR_EXIT_ERROR;
}
#endif

/* "tellerrand help X" is "tellerrand X --help": both print the same text. */
static int
cmd_help(int argc, char **argv)
{
	const tr_command *c;
	char *args[3];

	if (argc < 2) {
		usage(stdout);
		return TR_EXIT_OK;
	}
	c = command_find(argv[1]);
	if (!c || c->run == cmd_help) {
		fprintf(stderr, "tellerrand help: unbekannter Befehl: %s\n", argv[1]);
		return TR_EXIT_USAGE;
	}
	args[0] = argv[1];
	args[1] = "--help";
	args[2] = NULL;
	return c->run(2, args);
}

int
tr_cli_main(int argc, char **argv)
{
	const tr_command *c;

	if (argc < 2) {
		usage(stderr);
		return TR_EXIT_USAGE;
	}
	if (tr_cli_version(argv[1]))
		return TR_EXIT_OK;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return TR_EXIT_OK;
	}
	c = command_find(argv[1]);
	if (!c) {
		fprintf(stderr, "tellerrand: unbekannter Befehl: %s (siehe 'tellerrand --help')\n", argv[1]);
		return TR_EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}

#ifndef TR_CLI_MODULE
int
main(int argc, char **argv)
{
	return tr_cli_main(argc, argv);
}
#endif
