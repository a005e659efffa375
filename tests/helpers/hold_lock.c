/*
 * Test helper: opens an index for writing, so that it holds the write lock,
 * prints "locked" and keeps the lock until its standard input closes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tellerrand/db.h"

int
main(int argc, char **argv)
{
	tr_db *db = NULL;
	char *err = NULL;
	tr_status st;

	if (argc != 2) {
		fprintf(stderr, "usage: hold_lock INDEX\n");
		return 2;
	}
	st = tr_db_open(&db, argv[1], TR_DB_WRITE, &err);
	if (st != TR_OK) {
		fprintf(stderr, "hold_lock: %s: %s\n", tr_strerror(st), err ? err : "");
		free(err);
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	while (getchar() != EOF)
		;
	tr_db_free(db);
	return 0;
}
