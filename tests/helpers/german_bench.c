/*
 * Query-time cost of the German rules, measured in one run:
 *
 *   german_bench DB ROUNDS QUERY...
 *
 * Each query runs ROUNDS times in each of three settings, interleaved so
 * that caches and clock drift treat them alike: "plain" (no compound
 * matching, no variants, gender forms, thesaurus or stopwords: the search
 * as it was before), "german" (all of that but compound matching) and
 * "compounds" (everything, the default).  Prints the median latency of
 * each setting per query and over all, in milliseconds, and the matches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tellerrand/db.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	static const char *const names[3] = { "plain", "german", "compounds" };
	tr_db *db = NULL;
	char *err = NULL;

	if (argc < 4) {
		fprintf(stderr, "usage: german_bench DB ROUNDS QUERY...\n");
		return 2;
	}
	if (tr_db_open(&db, argv[1], TR_DB_READ, &err) != TR_OK) {
		fprintf(stderr, "german_bench: %s: %s\n", argv[1], err ? err : "cannot open");
		return 1;
	}
	size_t rounds = strtoul(argv[2], NULL, 10), nq = (size_t)argc - 3;
	if (rounds < 1)
		rounds = 1;
	double *all[3];
	for (int s = 0; s < 3; s++)
		all[s] = calloc(rounds * nq, sizeof(double));
	double *t[3];
	for (int s = 0; s < 3; s++)
		t[s] = calloc(rounds, sizeof(double));
	if (!all[0] || !all[1] || !all[2] || !t[0] || !t[1] || !t[2])
		return 1;

	printf("%-42s %9s %9s %9s  %s\n", "query (median ms)", names[0], names[1], names[2], "matches plain/german/compounds");
	for (size_t k = 0; k < nq; k++) {
		unsigned matches[3] = { 0, 0, 0 };
		for (size_t i = 0; i < rounds; i++) {
			for (int s = 0; s < 3; s++) {
				tr_search q = TR_SEARCH_INIT;
				tr_results *r = NULL;
				q.text = argv[3 + k];
				q.internal = true;
				q.german = s > 0;
				q.compound_weight = s == 2 ? TR_COMPOUND_WEIGHT_DEFAULT : 0;
				double t0 = now_ms();
				if (tr_db_search(db, &q, &r) != TR_OK) {
					fprintf(stderr, "german_bench: %s: %s\n", q.text, tr_db_errmsg(db));
					return 1;
				}
				t[s][i] = now_ms() - t0;
				all[s][k * rounds + i] = t[s][i];
				matches[s] = r->estimate;
				tr_results_free(r);
			}
		}
		printf("%-42s %9.3f %9.3f %9.3f  %u/%u/%u\n", argv[3 + k], median(t[0], rounds), median(t[1], rounds),
		       median(t[2], rounds), matches[0], matches[1], matches[2]);
	}
	printf("%-42s %9.3f %9.3f %9.3f\n", "all queries", median(all[0], rounds * nq),
	       median(all[1], rounds * nq), median(all[2], rounds * nq));
	for (int s = 0; s < 3; s++) {
		free(all[s]);
		free(t[s]);
	}
	tr_db_free(db);
	return 0;
}
