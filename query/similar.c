#include "similar.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A document id as typed: digits only, no sign, no leading zero, in range. */
static bool
parse_docid(const char *s, unsigned *out)
{
	unsigned long v = 0;

	if (!*s || *s == '0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 10)
		return false;
	for (; *s; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	if (v > UINT_MAX)
		return false;
	*out = (unsigned)v;
	return true;
}

tr_status
tr_similar_resolve(tr_db *db, const char *arg, bool internal, tr_hit **out, char **errmsg)
{
	unsigned docid = 0;
	tr_status st;

	*out = NULL;
	*errmsg = NULL;
	if (access(arg, F_OK) != 0 && parse_docid(arg, &docid)) {
		st = tr_db_get_hit(db, docid, internal, out);
		if (st == TR_ENOTFOUND && asprintf(errmsg, "kein Dokument mit der Nummer %u im Index", docid) < 0)
			*errmsg = NULL;
		return st;
	}
	{
		char *abs = realpath(arg, NULL);

		st = tr_db_find_path(db, abs ? abs : arg, internal, &docid);
		free(abs);
	}
	if (st == TR_OK)
		st = tr_db_get_hit(db, docid, internal, out);
	if (st == TR_ENOTFOUND && asprintf(errmsg, "nicht im Index: %s", arg) < 0)
		*errmsg = NULL;
	return st;
}
