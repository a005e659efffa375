/*
 * The engine's own limit for Tellerrand's index (issue 18): what one Xapian
 * writer takes to store exactly the documents an index holds, when the
 * terms are ready and nothing else happens.
 *
 *   store_baseline [--batch N] SOURCE DB
 *
 * Every document of the index SOURCE (its terms with wdf and positions,
 * its values and record), its spelling words with their frequencies and
 * its metadata are read into memory first, untimed.  Then each document is
 * built as a Xapian::Document and stored under its own id with
 * replace_document() into the new database DB, committing every N
 * documents (default 250, Tellerrand's --batch), then the spelling words
 * and metadata, and DB is closed.  Prints one line "RESULT <documents>
 * <seconds> <cpu seconds>" for that timed part only.
 *
 * engine_baseline measures the engine with TermGenerator's terms; this
 * measures it with Tellerrand's (compound parts, inflected and gender
 * stems, filter terms, values), which are a quarter more postings.  C++
 * because it measures Xapian itself; it does not link Tellerrand.
 */
#include <xapian.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <string>
#include <utility>
#include <vector>

/* One document, packed: the terms as "term\0" + wdf + count + positions (uint32 each). */
struct packed_doc {
	Xapian::docid id;
	std::string terms;
	std::vector<std::pair<Xapian::valueno, std::string>> values;
	std::string data;
};

static void
put32(std::string &s, uint32_t v)
{
	s.append(reinterpret_cast<const char *>(&v), sizeof v);
}

static uint32_t
get32(const char *&p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	p += sizeof v;
	return v;
}

static packed_doc
pack(const Xapian::Database &db, Xapian::docid id)
{
	Xapian::Document d = db.get_document(id);
	packed_doc out;

	out.id = id;
	out.data = d.get_data();
	for (Xapian::TermIterator t = d.termlist_begin(); t != d.termlist_end(); ++t) {
		out.terms += *t;
		out.terms += '\0';
		put32(out.terms, t.get_wdf());
		put32(out.terms, t.positionlist_count());
		for (Xapian::PositionIterator p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
			put32(out.terms, *p);
	}
	for (Xapian::ValueIterator v = d.values_begin(); v != d.values_end(); ++v)
		out.values.emplace_back(v.get_valueno(), *v);
	return out;
}

/* What TermGenerator-free indexing leaves to the engine: a document from ready terms. */
static Xapian::Document
unpack(const packed_doc &pd)
{
	Xapian::Document d;
	const char *p = pd.terms.data();
	const char *end = p + pd.terms.size();

	while (p < end) {
		std::string term(p);
		p += term.size() + 1;
		uint32_t wdf = get32(p);
		uint32_t n = get32(p);
		/* The positions without weight, then the wdf as stored. */
		for (uint32_t i = 0; i < n; i++)
			d.add_posting(term, get32(p), 0);
		d.add_term(term, wdf);
	}
	for (const auto &v : pd.values)
		d.add_value(v.first, v.second);
	d.set_data(pd.data);
	return d;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	unsigned batch = 250;
	int a = 1;

	if (argc >= 3 && strcmp(argv[1], "--batch") == 0) {
		batch = (unsigned)strtoul(argv[2], NULL, 10);
		a = 3;
	}
	if (argc - a != 2 || batch == 0) {
		fprintf(stderr, "usage: store_baseline [--batch N] SOURCE DB\n");
		return 2;
	}
	try {
		Xapian::Database src(argv[a]);
		std::vector<packed_doc> docs;
		std::vector<std::pair<std::string, Xapian::doccount>> spellings;
		std::vector<std::pair<std::string, std::string>> metadata;

		for (Xapian::PostingIterator it = src.postlist_begin(""); it != src.postlist_end(""); ++it)
			docs.push_back(pack(src, *it));
		for (Xapian::TermIterator s = src.spellings_begin(); s != src.spellings_end(); ++s)
			spellings.emplace_back(*s, s.get_termfreq());
		for (Xapian::TermIterator k = src.metadata_keys_begin(); k != src.metadata_keys_end(); ++k)
			metadata.emplace_back(*k, src.get_metadata(*k));

		double t0 = now_s(), c0 = cpu_s();
		Xapian::WritableDatabase db(argv[a + 1], Xapian::DB_CREATE_OR_OVERWRITE);
		unsigned pending = 0;
		for (const packed_doc &pd : docs) {
			db.replace_document(pd.id, unpack(pd));
			if (++pending == batch) {
				db.commit();
				pending = 0;
			}
		}
		for (const auto &s : spellings)
			db.add_spelling(s.first, s.second);
		for (const auto &m : metadata)
			db.set_metadata(m.first, m.second);
		db.commit();
		db.close();
		printf("RESULT %zu %.3f %.3f\n", docs.size(), now_s() - t0, cpu_s() - c0);
		return 0;
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "store_baseline: %s\n", e.get_description().c_str());
		return 1;
	}
}
