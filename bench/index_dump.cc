/*
 * Everything an index holds, as text, to compare two indexes of the same
 * files term for term (issue 18: the term generation must give the index
 * TermGenerator gave):
 *
 *   index_dump DB > dump
 *
 * Per document, in the order of its id term (document ids differ between
 * runs with two writers): the id term, the document length, every term
 * with its wdf and positions, every value in hex but the time the path
 * was added (slot 10, which differs from run to run), and the record in
 * hex; then the spelling table and the metadata keys with their values.
 */
#include <xapian.h>

#include <cstdio>
#include <map>
#include <string>

static const Xapian::valueno SLOT_ADDED = 10;

static std::string
hex(const std::string &s)
{
	static const char digits[] = "0123456789abcdef";
	std::string h;
	for (unsigned char c : s) {
		h += digits[c >> 4];
		h += digits[c & 15];
	}
	return h;
}

static std::string
dump_document(const Xapian::Database &db, Xapian::docid id, std::string &idterm)
{
	Xapian::Document doc = db.get_document(id);
	std::string out = "len " + std::to_string(db.get_doclength(id)) + "\n";

	for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		std::string term = *t;
		if (term[0] == 'Q' && idterm.empty())
			idterm = term;
		out += "t " + term + " " + std::to_string(t.get_wdf());
		for (Xapian::PositionIterator p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
			out += " " + std::to_string(*p);
		out += "\n";
	}
	for (Xapian::ValueIterator v = doc.values_begin(); v != doc.values_end(); ++v)
		if (v.get_valueno() != SLOT_ADDED)
			out += "v " + std::to_string(v.get_valueno()) + " " + hex(*v) + "\n";
	out += "d " + hex(doc.get_data()) + "\n";
	return out;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: index_dump DB\n");
		return 2;
	}
	try {
		Xapian::Database db(argv[1]);
		std::map<std::string, std::string> docs;

		for (Xapian::PostingIterator p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
			std::string idterm;
			std::string d = dump_document(db, *p, idterm);
			docs[idterm.empty() ? "#" + std::to_string(*p) : idterm] = d;
		}
		printf("documents %u\n", db.get_doccount());
		for (const auto &d : docs)
			printf("doc %s\n%s", d.first.c_str(), d.second.c_str());
		for (Xapian::TermIterator s = db.spellings_begin(); s != db.spellings_end(); ++s)
			printf("s %s %u\n", (*s).c_str(), s.get_termfreq());
		for (Xapian::TermIterator k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k)
			printf("m %s %s\n", (*k).c_str(), hex(db.get_metadata(*k)).c_str());
		return 0;
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "index_dump: %s\n", e.get_description().c_str());
		return 1;
	}
}
