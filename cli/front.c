/*
 * tellerrand: the program users run.  It answers --version itself, with
 * nothing but the C library loaded; every other call runs in
 * tellerrand-cli.so (cli/tellerrand.c built as a module: query, status
 * and why run there; index, show and serve execute tellerrand-helper).
 * Loading libxapian and libstdc++ was nearly all of what `tellerrand
 * --version` cost (2.5 M of 2.7 M instructions); a query loads them
 * through dlopen() as it did at start, for the same price.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MODULE_NAME "tellerrand-cli.so"

/* The module beside this executable (a build tree, or both installed in one directory), else the installed one. */
static void *
module_open(void)
{
	static char path[PATH_MAX + 32];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/" MODULE_NAME, self);
			if (access(path, F_OK) == 0)
				return dlopen(path, RTLD_LAZY | RTLD_LOCAL);
		}
	}
	return dlopen(TR_LIBEXECDIR "/" MODULE_NAME, RTLD_LAZY | RTLD_LOCAL);
}

int
main(int argc, char **argv)
{
	void *module;
	int (*run)(int, char **);

	if (argc == 2 && tr_cli_version(argv[1]))
		return TR_EXIT_OK;
	if (!(module = module_open()) ||
	    !(*(void **)&run = dlsym(module, "tr_cli_main"))) {
		/* dlerror() names the file. */
		fprintf(stderr, "tellerrand: Programmteil nicht ladbar: %s\n", dlerror());
		return TR_EXIT_ERROR;
	}
	return run(argc, argv);
}
