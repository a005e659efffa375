/*
 * tr_thes_stems: the stems of the thesaurus's words (data/thesaurus.tsv),
 * made at build time by the Xapian stemmer the queries use, written as a
 * table sorted by word that lib/db_query.cc includes.  Compiling the
 * thesaurus stemmed its words again in every process that searched
 * (0.55 M of the 0.9 M instructions it cost a `tellerrand query`); a word
 * the table lacks is still stemmed at run time.
 *
 * Usage: tr_thes_stems OUT thesaurus.tsv
 */
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

#include <xapian.h>

/* @s as the body of a C string literal. */
static std::string
c_string(const std::string &s)
{
	std::string out;
	char oct[8];

	for (unsigned char c : s) {
		if (c == '"' || c == '\\' || c < 0x20) {
			snprintf(oct, sizeof oct, "\\%03o", c);
			out += oct;
		} else {
			out += static_cast<char>(c);
		}
	}
	return out;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tr_thes_stems OUT thesaurus.tsv\n");
		return 2;
	}
	std::ifstream in(argv[2]);
	if (!in) {
		perror(argv[2]);
		return 1;
	}
	Xapian::Stem stemmer("german");
	std::map<std::string, std::string> stems;
	std::string line;

	/* The words as load_thesaurus() cuts them: lower case, between blanks, hyphens and bars. */
	while (std::getline(in, line)) {
		size_t tab = line.find('\t');
		if (line.empty() || line[0] == '#' || tab == std::string::npos)
			continue;
		std::string low = Xapian::Unicode::tolower(line.substr(tab + 1)), w;
		for (size_t p = 0; p <= low.size(); p++) {
			if (p < low.size() && !strchr(" -|\t\r", low[p])) {
				w += low[p];
				continue;
			}
			if (!w.empty())
				stems.emplace(w, stemmer(w));
			w.clear();
		}
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out, "/* Made by tr_thes_stems from data/thesaurus.tsv: word, stem. */\n");
	for (const auto &ws : stems)
		fprintf(out, "{ \"%s\", \"%s\" },\n", c_string(ws.first).c_str(), c_string(ws.second).c_str());
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
