/*
 * "Ähnliche Dokumente": the query of a document's most telling terms.
 * The document is Xapian's relevance set, and the expand set
 * (Enquire::get_eset) ranks its word stems by how much more often they
 * occur there than in the index as a whole; the best of them, ORed, find
 * the documents that share them.  The search then runs as any other
 * (filters, visibility, folding of copies, facets), without the document
 * itself, its copies and its versions.
 */
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "db_private.hh"
#include "german.h"
#include "terms.h"

/*
 * Terms taken from the expand set: enough to describe a text's subject (a
 * place, an event, its themes).  Measured on corpus/ (each of its 30
 * network-meeting documents as the seed, share of network-meeting
 * documents among the first five similar ones; 29 % of the corpus are
 * such documents): 15 terms 59 %, 25 terms
 * 63 %, 40 terms 66 % with the Bo1 scheme; TradEWeight, which ranks the
 * terms by their rarity only, 51 % with 25.
 */
#define SIMILAR_TERMS 40

/*
 * Which terms describe a text: word stems only (Z, not ZS titles: the
 * title's words are in the body stems too), no stopwords, nothing with a
 * digit (dates and numbers say when, not what), no one- or two-letter
 * stems, and none that only the document and its copies have: the expand
 * set ranks those first, and they find nothing else.
 */
class telling_term : public Xapian::ExpandDecider {
	const Xapian::Database &db;
	Xapian::doccount own;     /* the document and its copies */
public:
	telling_term(const Xapian::Database &d, Xapian::doccount n) : db(d), own(n) {}

	bool operator()(const std::string &t) const override
	{
		if (t.size() < 4 || t[0] != 'Z' || (t[1] >= 'A' && t[1] <= 'Z'))
			return false;
		if (db.get_termfreq(t) <= own)
			return false;
		if (t.find_first_of("0123456789") != std::string::npos)
			return false;
		return !tr__german_is_stopword(t.data() + 1, t.size() - 1);
	}
};

/* Whether document @d is marked internal. */
static bool
is_internal(const Xapian::Document &d)
{
	Xapian::TermIterator t = d.termlist_begin();

	t.skip_to(TR_TERM_INTERNAL);
	return t != d.termlist_end() && *t == TR_TERM_INTERNAL;
}

/* What a similar search leaves out: the document, its copies and its versions ("Fassungen"). */
static Xapian::Query
own_texts(tr_db *db, const Xapian::Document &d)
{
	std::vector<Xapian::Query> own;
	std::string path = d.get_value(TR_SLOT_PATH), key = d.get_value(TR_SLOT_SAME_TEXT);

	own.emplace_back(id_term(path.c_str()));
	if (!key.empty())
		own.emplace_back(TR_PREFIX_SAME_TEXT + key);
	for (Xapian::docid v : versions_of(db, d, match_all()))
		own.emplace_back(id_term(db->rdb->get_document(v).get_value(TR_SLOT_PATH).c_str()));
	return Xapian::Query(Xapian::Query::OP_OR, own.begin(), own.end());
}

void
similar_word_query(tr_db *db, const tr_search *q, word_query *out)
{
	Xapian::Document seed = db->rdb->get_document(q->similar_to);   /* DocNotFoundError: no such id */

	if (!q->internal && is_internal(seed))
		throw Xapian::DocNotFoundError("document " + std::to_string(q->similar_to) + " not visible");

	Xapian::Enquire e(*db->rdb);
	Xapian::RSet rset;
	std::string key = seed.get_value(TR_SLOT_SAME_TEXT);
	telling_term decider(*db->rdb, key.empty() ? 1 : std::max<Xapian::doccount>(1, db->rdb->get_termfreq(TR_PREFIX_SAME_TEXT + key)));
	std::vector<Xapian::Query> terms;

	rset.add_document(q->similar_to);
	e.set_query(match_all());
	e.set_expansion_scheme("bo1");
	Xapian::ESet eset = e.get_eset(SIMILAR_TERMS, rset, &decider);
	for (Xapian::ESetIterator t = eset.begin(); t != eset.end(); ++t)
		terms.emplace_back(*t);
	Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
	if (terms.empty())
		like = Xapian::Query::MatchNothing;

	/* Words typed as well: the similar documents that also match them. */
	if (has_words(q->text)) {
		build_word_query(db, q, out);
		out->query = Xapian::Query(Xapian::Query::OP_FILTER, like, out->query);
	} else {
		out->query = like;
	}
	out->query = Xapian::Query(Xapian::Query::OP_AND_NOT, out->query, own_texts(db, seed));
	out->matches = out->query;
}

extern "C" tr_status
tr_db_find_path(tr_db *db, const char *path, bool internal, unsigned *out)
{
	*out = 0;
	try {
		std::string idt = id_term(path);
		Xapian::PostingIterator p = db->rdb->postlist_begin(idt);
		if (p == db->rdb->postlist_end(idt))
			return TR_ENOTFOUND;
		if (!internal && is_internal(db->rdb->get_document(*p)))
			return TR_ENOTFOUND;
		*out = *p;
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}
