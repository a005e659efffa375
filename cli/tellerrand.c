/* tellerrand: the command-line entry point and subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tellerrand/index.h"

static int cmd_help(int argc, char **argv);

const tr_command tr_cli_commands[] = {
	{ "index",  cmd_index,  "Dateien indexieren (Archiv einlesen oder aktualisieren)", cmd_index_options },
	{ "query",  cmd_query,  "Im Archiv suchen", cmd_query_options },
	{ "status", cmd_status, "Umfang und Stand des Index anzeigen", cmd_status_options },
	{ "serve",  cmd_serve,  "Suchseite und JSON-Schnittstelle über HTTP bereitstellen", cmd_serve_options },
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
main(int argc, char **argv)
{
	const tr_command *c;

	if (argc < 2) {
		usage(stderr);
		return TR_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("tellerrand %s (Indexformat %d)\n", TR_VERSION, TR_INDEX_FORMAT_VERSION);
		return TR_EXIT_OK;
	}
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
