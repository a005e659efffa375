/*
 * Build-time compiler of the district registry (lib/district.c reads its
 * output, lib/district_blob.h describes it):
 *
 *   tr_districts_gen OUT DISTRICTS_TSV GAZETTEER_TSV
 *
 * It loads the data files exactly as a process would without the blob
 * and writes the trie with the files' own bytes, so that a process whose
 * data files are these uses the trie in place.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "district_blob.h"

int
main(int argc, char **argv)
{
	tr_districts *reg = NULL;
	tr_buf out = TR_BUF_INIT((size_t)1 << 30);
	char *err = NULL;
	FILE *f;
	tr_status st;
	int ret = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: tr_districts_gen OUT DISTRICTS_TSV GAZETTEER_TSV\n");
		return 2;
	}
	if ((st = tr_districts_load(&reg, argv[2], argv[3], &err)) != TR_OK) {
		fprintf(stderr, "tr_districts_gen: %s\n", err ? err : tr_strerror(st));
		goto done;
	}
	if ((st = tr__districts_compile(reg, argv[2], argv[3], &out)) != TR_OK) {
		fprintf(stderr, "tr_districts_gen: %s\n", tr_strerror(st));
		goto done;
	}
	if (!(f = fopen(argv[1], "wb"))) {
		perror(argv[1]);
		goto done;
	}
	if (fwrite(out.ptr, 1, out.len, f) != out.len || fclose(f) != 0) {
		perror(argv[1]);
		goto done;
	}
	ret = 0;
done:
	tr_buf_free(&out);
	tr_districts_free(reg);
	free(err);
	return ret;
}
