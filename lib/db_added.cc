/*
 * When each document entered the index (value slot TR_SLOT_ADDED): what
 * makes every search a feed.  A document gets the time it is first built;
 * the indexer carries it over when the file changes, moves to another
 * shard or the index is rebuilt (tr_built_keep_added()), and
 * tr_db_replace() keeps the one on record under the same path.
 */
#include <chrono>

#include "db_private.hh"
#include "terms.h"

double
added_now()
{
	using namespace std::chrono;
	/* Microseconds: documents of one run still come in the order they were stored. */
	return static_cast<double>(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) / 1e6;
}

std::string
added_value(double added)
{
	return Xapian::sortable_serialise(added);
}

void
set_added(Xapian::Document &xd, double added)
{
	xd.add_value(TR_SLOT_ADDED, added_value(added));
}

double
added_of(const Xapian::Document &d)
{
	std::string v = d.get_value(TR_SLOT_ADDED);
	return v.empty() ? 0.0 : Xapian::sortable_unserialise(v);
}

void
keep_added_on_record(Xapian::Database &db, const std::string &idterm, Xapian::Document &xd)
{
	Xapian::PostingIterator p = db.postlist_begin(idterm);
	if (p == db.postlist_end(idterm))
		return;
	double was = added_of(db.get_document(*p));
	if (was > 0)
		set_added(xd, was);
}

Xapian::Query
added_filter(double since)
{
	return Xapian::Query(Xapian::Query::OP_VALUE_GE, TR_SLOT_ADDED, Xapian::sortable_serialise(since));
}

extern "C" tr_status
tr_db_each_added(tr_db *db, tr_db_added_fn fn, void *ctx)
{
	try {
		Xapian::ValueIterator v = db->rdb->valuestream_begin(TR_SLOT_ADDED);
		Xapian::ValueIterator end = db->rdb->valuestream_end(TR_SLOT_ADDED);

		for (; v != end; ++v)
			if (fn(v.get_docid(), Xapian::sortable_unserialise(*v), ctx) != 0)
				break;
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}
