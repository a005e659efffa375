/*
 * Query latency for scripts/bench (issue 7), in two modes:
 *
 *   query_latency [--rounds N] [--samples] [--all-copies] [--count-max N] [--explain|--similar]
 *                 DB DATADIR QUERIES
 *   query_latency --exec [--rounds N] [--samples] QUERIES -- COMMAND [ARG...]
 *
 * QUERIES has one query a line, as a user types it into `tellerrand query`
 * (inline filters such as kreis:, typ:, jahr: included); blank lines and
 * lines starting with '#' are left out.
 *
 * The first mode opens the index once, as the server does, and runs every
 * query N times (default 20) in-process: parsing with tr_query_parse() and
 * tr_db_search() with the settings of `tellerrand query` (10 hits, facets,
 * spelling, snippets).  One untimed pass warms the caches first; the
 * rounds go through the whole list in turn, so that each query meets the
 * caches as the others leave them.
 *
 * The second mode measures a whole program per query: COMMAND ARG... QUERY
 * is started N times (default 5) for each query with its output thrown
 * away, and the wall time from start to exit is what counts.  scripts/bench
 * runs it for `tellerrand query` and for Xapian's quest.
 *
 * Both print one JSON object: the number of samples, p50/p95/p99, mean and
 * maximum in milliseconds over all samples, failures, and each query's
 * median and (in-process) estimated matches.  --samples adds every sample
 * (ascending, "samples_ms"), so that runs can be pooled: scripts/bench-shards
 * measures several indexes in turns and pools each one's passes.
 */
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "query.h"
#include "tellerrand/db.h"
#include "tellerrand/district.h"
#include "tellerrand/topics.h"

extern char **environ;

static bool raw_samples;
/* --all-copies: every copy a hit of its own (no folding), for the cost of folding. */
static bool all_copies;
/* --count-max: the facets' exactness bound (tr_search.count_max), for its cost. */
static unsigned count_max;
/* --explain: each hit's "Warum gefunden?" (tr_search.explain), for the cost of explaining. */
static bool explain;
/*
 * --similar: "Ähnliche Dokumente" of each query's first hit (found in the
 * warm-up round) instead of the query, for the cost of a similar search.
 */
static bool similar;

typedef struct query_list {
	char **q;
	size_t n;
} query_list;

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

/* Nearest-rank percentile of the sorted @v. */
static double
percentile(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100 * (double)n + 0.999999);
	return v[rank ? rank - 1 : 0];
}

static void
query_list_clear(query_list *ql)
{
	for (size_t k = 0; k < ql->n; k++)
		free(ql->q[k]);
	free(ql->q);
}

static bool
load_queries(query_list *out, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!f) {
		fprintf(stderr, "query_latency: %s: cannot open\n", path);
		return false;
	}
	out->q = NULL;
	out->n = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		char **q = realloc(out->q, (out->n + 1) * sizeof *q);
		if (!q || !(q[out->n] = strdup(line))) {
			free(q ? q : out->q);
			out->q = NULL;
			free(line);
			fclose(f);
			return false;
		}
		out->q = q;
		out->n++;
	}
	free(line);
	fclose(f);
	return out->n > 0;
}

/*
 * Prints the summary of @samples (@rounds per query, query-major) and the
 * per-query medians as JSON; @matches may be NULL.
 */
static void
report(const query_list *ql, double *samples, size_t rounds, const unsigned *matches, unsigned failures)
{
	size_t n = ql->n * rounds;
	double sum = 0;
	json_t *queries = json_array(), *out;

	for (size_t k = 0; k < ql->n; k++) {
		double *v = samples + k * rounds;
		qsort(v, rounds, sizeof *v, cmp_double);
		json_t *o = json_pack("{s:s, s:f}", "query", ql->q[k], "median_ms", percentile(v, rounds, 50));
		if (matches)
			json_object_set_new(o, "matches", json_integer(matches[k]));
		json_array_append_new(queries, o);
	}
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	qsort(samples, n, sizeof *samples, cmp_double);
	out = json_pack("{s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:I, s:o}",
	                "samples", (json_int_t)n, "rounds", (json_int_t)rounds,
	                "p50_ms", percentile(samples, n, 50), "p95_ms", percentile(samples, n, 95),
	                "p99_ms", percentile(samples, n, 99), "mean_ms", sum / (double)n,
	                "max_ms", samples[n - 1], "failures", (json_int_t)failures, "queries", queries);
	if (raw_samples) {
		json_t *all = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(all, json_real(samples[i]));
		json_object_set_new(out, "samples_ms", all);
	}
	json_dumpf(out, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(out);
}

static int
run_inprocess(const char *dbpath, const char *datadir, const query_list *ql, size_t rounds)
{
	tr_districts *districts = NULL;
	tr_topics *topics = NULL;
	tr_db *db = NULL;
	char *err = NULL, *dpath = NULL, *gpath = NULL, *tpath = NULL;
	double *samples = calloc(ql->n * rounds, sizeof *samples);
	unsigned *matches = calloc(ql->n, sizeof *matches), failures = 0;
	unsigned *seeds = calloc(ql->n, sizeof *seeds);
	int ret = 1;

	if (!samples || !matches || !seeds || asprintf(&dpath, "%s/districts.tsv", datadir) < 0 ||
	    asprintf(&gpath, "%s/gazetteer-sachsen.tsv", datadir) < 0 ||
	    asprintf(&tpath, "%s/topics.tsv", datadir) < 0)
		goto done;
	if (tr_districts_load(&districts, dpath, gpath, &err) != TR_OK ||
	    tr_topics_load(&topics, tpath, &err) != TR_OK) {
		fprintf(stderr, "query_latency: %s: %s\n", datadir, err ? err : "data files not readable");
		goto done;
	}
	if (tr_db_open(&db, dbpath, TR_DB_READ, &err) != TR_OK) {
		fprintf(stderr, "query_latency: %s: %s\n", dbpath, err ? err : "cannot open");
		goto done;
	}
	/* Round 0 is the warm-up and is not recorded. */
	for (size_t r = 0; r <= rounds; r++) {
		for (size_t k = 0; k < ql->n; k++) {
			tr_query_vocab vocab = { districts, topics };
			tr_search s = TR_SEARCH_INIT;
			tr_results *res = NULL;
			tr_query q;

			s.all_copies = all_copies;
			s.count_max = count_max;
			s.explain = explain;
			tr_status st;
			double t0 = now_ms();

			tr_query_init(&q);
			s.internal = true;
			if (similar && r > 0) {
				s.similar_to = seeds[k];
				st = seeds[k] ? tr_db_search(db, &s, &res) : TR_ENOTFOUND;
			} else {
				st = tr_query_parse(&q, &vocab, ql->q[k], &err);
				if (st == TR_OK) {
					tr_query_to_search(&q, &s);
					st = tr_db_search(db, &s, &res);
				}
				if (similar && st == TR_OK && res->n_hits) {
					tr_search w = TR_SEARCH_INIT;
					tr_results *warm = NULL;
					seeds[k] = res->hits[0].docid;
					w.internal = true;
					w.similar_to = seeds[k];
					if (tr_db_search(db, &w, &warm) != TR_OK)
						seeds[k] = 0;
					tr_results_free(warm);
				}
			}
			double t = now_ms() - t0;
			if (st != TR_OK) {
				if (r == 0)
					fprintf(stderr, "query_latency: %s: %s\n", ql->q[k],
					        err ? err : tr_db_errmsg(db));
				if (r > 0)
					failures++;
			} else if (r == 0) {
				matches[k] = res->estimate;
			}
			free(err);
			err = NULL;
			tr_results_free(res);
			tr_query_clear(&q);
			if (r > 0)
				samples[k * rounds + r - 1] = t;
		}
	}
	report(ql, samples, rounds, matches, failures);
	ret = 0;
done:
	tr_db_free(db);
	tr_topics_free(topics);
	tr_districts_free(districts);
	free(err);
	free(dpath);
	free(gpath);
	free(tpath);
	free(samples);
	free(matches);
	free(seeds);
	return ret;
}

/* Runs @argv (NULL-terminated) with stdout and stderr on /dev/null; false if it did not exit 0. */
static bool
run_command(char **argv)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;
	bool ok = false;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0 && waitpid(pid, &status, 0) == pid)
		ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	posix_spawn_file_actions_destroy(&fa);
	return ok;
}

static int
run_exec(const query_list *ql, size_t rounds, int argc, char **argv)
{
	double *samples = calloc(ql->n * rounds, sizeof *samples);
	char **cmd = calloc((size_t)argc + 2, sizeof *cmd);
	unsigned failures = 0;

	if (!samples || !cmd) {
		free(samples);
		free(cmd);
		return 1;
	}
	memcpy(cmd, argv, (size_t)argc * sizeof *cmd);
	for (size_t r = 0; r < rounds; r++) {
		for (size_t k = 0; k < ql->n; k++) {
			cmd[argc] = ql->q[k];
			double t0 = now_ms();
			if (!run_command(cmd))
				failures++;
			samples[k * rounds + r] = now_ms() - t0;
		}
	}
	report(ql, samples, rounds, NULL, failures);
	free(samples);
	free(cmd);
	return 0;
}

int
main(int argc, char **argv)
{
	bool exec = false;
	size_t rounds = 0;
	query_list ql;
	int i = 1, ret;

	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--exec") == 0) {
			exec = true;
		} else if (strcmp(argv[i], "--samples") == 0) {
			raw_samples = true;
		} else if (strcmp(argv[i], "--all-copies") == 0) {
			all_copies = true;
		} else if (strcmp(argv[i], "--explain") == 0) {
			explain = true;
		} else if (strcmp(argv[i], "--similar") == 0) {
			similar = true;
		} else if (strcmp(argv[i], "--count-max") == 0 && i + 1 < argc) {
			count_max = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
			rounds = strtoul(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "query_latency: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (rounds == 0)
		rounds = exec ? 5 : 20;
	if (exec) {
		if (argc - i < 3 || strcmp(argv[i + 1], "--") != 0) {
			fprintf(stderr, "usage: query_latency --exec [--rounds N] [--samples] QUERIES -- COMMAND [ARG...]\n");
			return 2;
		}
		if (!load_queries(&ql, argv[i]))
			return 1;
		ret = run_exec(&ql, rounds, argc - i - 2, argv + i + 2);
		query_list_clear(&ql);
		return ret;
	}
	if (argc - i != 3) {
		fprintf(stderr, "usage: query_latency [--rounds N] [--samples] DB DATADIR QUERIES\n");
		return 2;
	}
	if (!load_queries(&ql, argv[i + 2]))
		return 1;
	ret = run_inprocess(argv[i], argv[i + 1], &ql, rounds);
	query_list_clear(&ql);
	return ret;
}
