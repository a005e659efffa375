/*
 * Replays every input the fuzzers (fuzz/, scripts/fuzz) ever crashed on,
 * kept in tests/fixtures/crashes/TARGET/, through the same target
 * function, so that a fixed crash stays fixed.  Under a sanitizer build
 * (TR_SANITIZE=ON) this catches what the fuzzer caught; in a plain build
 * it still catches crashes and hangs.  Passing means: every input ran to
 * its end.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../fuzz/targets.h"

static tr_districts *districts;
static tr_topics *topics;

static void
run_district(const uint8_t *data, size_t size)
{
	tr_fuzz_district(districts, data, size);
}

static void
run_query(const uint8_t *data, size_t size)
{
	tr_fuzz_query(districts, topics, data, size);
}

static const struct {
	const char *name;
	void (*fn)(const uint8_t *data, size_t size);
} targets[] = {
	{ "pdf", tr_fuzz_pdf },
	{ "ooxml", tr_fuzz_ooxml },
	{ "odf", tr_fuzz_odf },
	{ "html", tr_fuzz_html },
	{ "markdown", tr_fuzz_markdown },
	{ "date", tr_fuzz_date },
	{ "district", run_district },
	{ "query", run_query },
	{ "doc", tr_fuzz_doc },
	{ "ppt", tr_fuzz_ppt },
	{ "xls", tr_fuzz_xls },
	{ "rtf", tr_fuzz_rtf },
	{ "mail", tr_fuzz_mail },
	{ "msg", tr_fuzz_msg },
	{ "fodf", tr_fuzz_fodf },
	{ "csv", tr_fuzz_csv },
	{ "image", tr_fuzz_image },
	{ "docdata", tr_fuzz_docdata },
};

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) != NULL)
		*len = fread(data, 1, (size_t)n, f);
	fclose(f);
	return data;
}

static size_t
replay(const char *dir, void (*fn)(const uint8_t *, size_t))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4600];
		size_t len;
		char *data;

		if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!(data = slurp(path, &len))) {
			CHECK_MSG(0, "cannot read %s", e->d_name);
			continue;
		}
		fn((const uint8_t *)data, len);
		free(data);
		CHECK(1);   /* it ran to its end */
		n++;
	}
	closedir(d);
	return n;
}

int
main(void)
{
	const char *file = __FILE__;
	const char *unit = strstr(file, "unit/test_fuzz_crashes.c");
	const char *datadir = getenv("TELLERRAND_DATA_DIR");
	char base[4096];
	size_t total = 0;

	if (!unit) {
		fprintf(stderr, "test_fuzz_crashes: fixtures not found\n");
		return 1;
	}
	snprintf(base, sizeof base, "%.*sfixtures/crashes", (int)(unit - file), file);
	districts = tr_fuzz_load_districts(datadir ? datadir : TR_DATADIR_SOURCE);
	CHECK(districts != NULL);
	topics = tr_fuzz_load_topics(datadir ? datadir : TR_DATADIR_SOURCE);
	CHECK(topics != NULL);
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		char dir[4200];

		snprintf(dir, sizeof dir, "%s/%s", base, targets[i].name);
		total += replay(dir, targets[i].fn);
	}
	printf("test_fuzz_crashes: %zu inputs replayed\n", total);
	tr_districts_free(districts);
	tr_topics_free(topics);
	return check_done();
}
