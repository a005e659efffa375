/*
 * The engine baseline of scripts/bench (issue 7): what one Xapian writer
 * does with the archive's text when nothing else happens.
 *
 *   engine_baseline [--batch N] DB TEXTDIR
 *
 * Every regular file under TEXTDIR (plain UTF-8, extracted once before the
 * timed runs by bench/extract_text.py) becomes one document: its words go
 * through a TermGenerator with the German stemmer (Xapian's default
 * strategy, with positions), the document gets a unique Q term for its
 * path and the path as data, is stored with replace_document() as an
 * indexer does, and the database is committed every N documents (default
 * 500, Tellerrand's --batch default) and at the end.  Files are read in
 * name order.  Prints one line "RESULT <documents> <bytes> <seconds>"; the
 * time runs from opening the database to closing it.
 *
 * This is C++ because it measures Xapian itself.  It is not part of
 * Tellerrand, whose only C++ stays the shim in lib/db_*.cc.
 */
#include <xapian.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <algorithm>
#include <string>
#include <vector>

static std::vector<std::string> files;

static int
collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F)
		files.emplace_back(path);
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads all of @path into @out; false (with errno set) if it cannot. */
static bool
read_file(const char *path, std::string &out)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f)
		return false;
	out.clear();
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		out.append(chunk, n);
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}

int
main(int argc, char **argv)
{
	unsigned long batch = 500;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "--batch") == 0) {
		char *end;
		batch = strtoul(argv[2], &end, 10);
		if (*end || batch == 0) {
			fprintf(stderr, "engine_baseline: bad --batch: %s\n", argv[2]);
			return 2;
		}
		i = 3;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: engine_baseline [--batch N] DB TEXTDIR\n");
		return 2;
	}
	const char *dbpath = argv[i], *dir = argv[i + 1];
	size_t prefix = strlen(dir);

	if (nftw(dir, collect, 32, FTW_PHYS) != 0) {
		fprintf(stderr, "engine_baseline: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	std::sort(files.begin(), files.end());

	try {
		double t0 = now_s();
		unsigned long long bytes = 0;
		unsigned long docs = 0;
		std::string text;
		Xapian::WritableDatabase db(dbpath, Xapian::DB_CREATE_OR_OVERWRITE);
		Xapian::TermGenerator tg;

		tg.set_stemmer(Xapian::Stem("german"));
		for (const std::string &path : files) {
			if (!read_file(path.c_str(), text)) {
				fprintf(stderr, "%s: übersprungen – %s\n", path.c_str(), strerror(errno));
				continue;
			}
			/* The unique id is the path inside TEXTDIR, as an indexer's would be. */
			std::string id = "Q" + path.substr(prefix);
			if (id.size() > 245)
				id.resize(245);
			Xapian::Document doc;
			tg.set_document(doc);
			tg.index_text(text);
			doc.add_boolean_term(id);
			doc.set_data(path.substr(prefix));
			db.replace_document(id, doc);
			bytes += text.size();
			if (++docs % batch == 0)
				db.commit();
		}
		db.commit();
		db.close();
		printf("RESULT %lu %llu %.3f\n", docs, bytes, now_s() - t0);
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "engine_baseline: %s\n", e.get_description().c_str());
		return 1;
	} catch (const std::bad_alloc &) {
		fprintf(stderr, "engine_baseline: out of memory\n");
		return 1;
	}
	return 0;
}
