/* tellerrand: the command-line entry point and subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_help(int argc, char **argv);

static const tr_command commands[] = {
	{ "index", cmd_index, "Dateien indexieren (Archiv einlesen oder aktualisieren)" },
	{ "query", cmd_query, "Im Archiv suchen" },
	{ "status", cmd_status, "Umfang und Stand des Index anzeigen" },
	{ "help",  cmd_help,  "Hilfe zu einem Befehl anzeigen" },
};

static const tr_command *
command_find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
usage(FILE *f)
{
	fprintf(f, "Aufruf: tellerrand [--version] BEFEHL [OPTIONEN] [ARGUMENTE]\n\n"
	           "Befehle:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'tellerrand help BEFEHL' zeigt die Optionen eines Befehls.\n"
	           "Exit-Codes: 0 ok, 1 Fehler, 2 falscher Aufruf, 75 Index gesperrt.\n");
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
		printf("tellerrand %s\n", TR_VERSION);
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
