#include "cli.h"
int cmd_index(int argc, char **argv) { (void)argc; (void)argv; return TR_EXIT_ERROR; }
