/*
 * The engine's own query speed for scripts/bench (issue 17): a bare Xapian
 * search on Tellerrand's index, what the in-process figures of
 * query_latency are compared with.
 *
 *   enquire_baseline [--rounds N] [--facets] DB QUERIES
 *
 * Each query of QUERIES (one a line, '#' and blank lines left out) is
 * parsed by Xapian's QueryParser with the German stemmer and STEM_ALL_Z
 * (the Z terms Tellerrand indexes), the filters kreis:, typ:, thema: as
 * boolean prefixes, default operator OR; Enquire returns the top 10 with
 * BM25, nothing else: no facets, no snippets, no German expansion.  One
 * untimed pass warms the caches; then N rounds (default 20) through the
 * list.  Prints JSON: samples, p50/p95/p99, mean and maximum in ms.
 *
 * --facets adds what Xapian offers for facets: a second pass without
 * weights over every match, with a ValueCountMatchSpy on each of the four
 * slots Tellerrand shows facets of (districts, type, topics, date), the
 * way the Xapian documentation counts facets.  It is the engine's own
 * cost of exact facets, without folding copies, sampling or German
 * expansion, and the number of matches it counts is the exact total.
 */
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

static double
percentile(const std::vector<double> &v, double p)
{
	size_t rank = static_cast<size_t>(p / 100 * static_cast<double>(v.size()) + 0.999999);
	return v[rank ? rank - 1 : 0];
}

/* Tellerrand's value slots of the facets (lib/terms.h): districts, type, topics, date. */
static const Xapian::valueno facet_slots[] = { 1, 2, 3, 0 };

/* Every match of @query counted, with Xapian's spies on the facets' slots. */
static Xapian::doccount
count_facets(Xapian::Database &db, const Xapian::Query &query)
{
	Xapian::Enquire enquire(db);
	std::vector<Xapian::ValueCountMatchSpy> spies(facet_slots, facet_slots + 4);

	enquire.set_query(query);
	enquire.set_weighting_scheme(Xapian::BoolWeight());
	for (Xapian::ValueCountMatchSpy &spy : spies)
		enquire.add_matchspy(&spy);
	Xapian::MSet m = enquire.get_mset(0, 0, db.get_doccount());
	return m.get_matches_estimated();
}

static Xapian::doccount
run(Xapian::Database &db, const std::string &text, bool facets)
{
	Xapian::QueryParser qp;
	qp.set_database(db);
	qp.set_stemmer(Xapian::Stem("german"));
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
	qp.add_boolean_prefix("kreis", "XD");
	qp.add_boolean_prefix("typ", "XT");
	qp.add_boolean_prefix("thema", "XK");
	qp.add_boolean_prefix("jahr", "Y");
	Xapian::Enquire enquire(db);
	Xapian::Query query = qp.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD);
	enquire.set_query(query);
	Xapian::MSet m = enquire.get_mset(0, 10);
	for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
		(void)it.get_document().get_data();
	return facets ? count_facets(db, query) : m.get_matches_estimated();
}

int
main(int argc, char **argv)
{
	size_t rounds = 20;
	bool facets = false;
	int a = 1;

	for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
		if (strcmp(argv[a], "--rounds") == 0 && a + 1 < argc)
			rounds = strtoul(argv[++a], nullptr, 10);
		else if (strcmp(argv[a], "--facets") == 0)
			facets = true;
		else
			break;
	}
	if (argc - a != 2 || rounds == 0) {
		fprintf(stderr, "usage: enquire_baseline [--rounds N] [--facets] DB QUERIES\n");
		return 2;
	}
	try {
		Xapian::Database db(argv[a]);
		std::ifstream in(argv[a + 1]);
		std::vector<std::string> queries;
		std::vector<double> samples;
		std::string line;
		while (std::getline(in, line))
			if (!line.empty() && line[0] != '#')
				queries.push_back(line);
		for (const std::string &q : queries)
			run(db, q, facets);
		for (size_t r = 0; r < rounds; r++)
			for (const std::string &q : queries) {
				auto t0 = std::chrono::steady_clock::now();
				run(db, q, facets);
				samples.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
			}
		if (samples.empty())
			return 1;
		double sum = 0;
		for (double s : samples)
			sum += s;
		std::sort(samples.begin(), samples.end());
		printf("{\"samples\": %zu, \"rounds\": %zu, \"p50_ms\": %.4f, \"p95_ms\": %.4f, \"p99_ms\": %.4f, "
		       "\"mean_ms\": %.4f, \"max_ms\": %.4f, \"failures\": 0}\n", samples.size(), rounds,
		       percentile(samples, 50), percentile(samples, 95), percentile(samples, 99),
		       sum / static_cast<double>(samples.size()), samples.back());
		return 0;
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "enquire_baseline: %s\n", e.get_description().c_str());
		return 1;
	}
}
