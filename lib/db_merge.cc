/*
 * Merging parts written side by side into one index: a full run may write
 * its documents into two databases, one writer thread each (one Xapian
 * writer is the indexer's limit), and merge them at the end in one
 * compaction (Xapian::Database::compact, in this process).
 */
#include <cerrno>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "db_private.hh"

/* Part @i lives inside @db's folder: the scan never reads it, and it goes with the old folder. */
static std::string
part_path(const tr_db *db, size_t i)
{
	return db->path + "/teil-" + std::to_string(i + 1);
}

extern "C" tr_status
tr_db_open_part(tr_db *db, size_t i, tr_db **out)
{
	*out = nullptr;
	if (read_only(db) || !db->parts.empty())
		return TR_EINVAL;
	tr_db *part = nullptr;
	try {
		part = new tr_db;
		part->path = part_path(db, i);
		/*
		 * Unsynced: a part is scratch until merged.  A killed run's
		 * commits are in the page cache all the same; only a machine
		 * crash can leave a part damaged, and the merge then drops it
		 * and its documents are read again (tr_db_merge_parts()).
		 * Syncing cost each writer a pause per commit (about 5 % of a
		 * full run, docs/performance.md).
		 */
		part->wdb = new Xapian::WritableDatabase(part->path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
		part->rdb = part->wdb;
		/* One list of counted keys for the run: the merge keeps the longest (keep_longest_list). */
		counted_codes_load_writer(part, db->codes);
		*out = part;
		return TR_OK;
	} catch (...) {
		tr_status st = db_fail(db);
		delete part;
		return st;
	}
}

/*
 * The parts and the index share one list of counted keys, which only ever
 * grows, and each database's metadata holds as much of it as its
 * documents use: the merged index keeps the longest.  Other metadata as
 * Xapian keeps it, from the first database (the index).
 */
struct keep_longest_list : Xapian::Compactor {
	std::string resolve_duplicate_metadata(const std::string &key, size_t n, const std::string tags[]) override
	{
		size_t longest = 0;

		if (key != COUNTED_KEYS_META)
			return tags[0];
		for (size_t i = 1; i < n; i++)
			if (tags[i].size() > tags[longest].size())
				longest = i;
		return tags[longest];
	}
};

/* Reopens @db for writing at its path, after a merge closed it. */
static void
reopen(tr_db *db)
{
	db->wdb = new Xapian::WritableDatabase(db->path, Xapian::DB_OPEN);
	db->rdb = db->wdb;
	counted_codes_load_writer(db, nullptr);
}

/* The parts that hold a commit; one killed while Xapian created it, or left unreadable by a crash, holds none. */
static std::vector<std::pair<std::string, Xapian::Database>>
open_parts(const tr_db *db, size_t n)
{
	std::vector<std::pair<std::string, Xapian::Database>> found;

	for (size_t i = 0; i < n; i++) {
		std::string path = part_path(db, i);
		struct stat sb;
		if (lstat(path.c_str(), &sb) != 0)
			continue;
		try {
			found.emplace_back(path, Xapian::Database(path));
		} catch (const Xapian::DatabaseError &) {
		}
	}
	return found;
}

/*
 * After a compaction found damage: drops the parts Xapian's check finds
 * damaged (their documents are not in the index, so the run reads them
 * again) and says whether there were any.  Damage in the index itself is
 * not a part's: the caller reports it.
 */
static bool
drop_damaged_parts(std::vector<std::pair<std::string, Xapian::Database>> &parts)
{
	size_t kept = 0;

	for (auto &p : parts) {
		bool damaged;
		try {
			damaged = Xapian::Database::check(p.first, 0, nullptr) != 0;
		} catch (const Xapian::Error &) {
			damaged = true;
		}
		if (!damaged)
			parts[kept++] = std::move(p);
	}
	bool dropped = kept < parts.size();
	parts.resize(kept);
	return dropped;
}

/* Compacts @db and @parts into @out, keeping document ids. */
static void
compact_into(tr_db *db, const std::vector<std::pair<std::string, Xapian::Database>> &parts, const std::string &out)
{
	Xapian::Database all(db->path);
	keep_longest_list lists;

	for (auto &part : parts)
		all.add_database(part.second);
	remove_tree(out);
	all.compact(out, Xapian::DBCOMPACT_NO_RENUMBER, 0, lists);
}

/*
 * The merged index is written beside @db's folder, then exchanged with it
 * in one rename; the old folder (the parts inside it too) is removed.
 */
extern "C" tr_status
tr_db_merge_parts(tr_db *db, size_t n)
{
	if (read_only(db) || !db->parts.empty())
		return TR_EINVAL;
	std::string out = db->path + ".zusammen";
	try {
		auto found = open_parts(db, n);
		if (found.empty())
			return TR_OK;
		db->wdb->commit();
		try {
			compact_into(db, found, out);
		} catch (const Xapian::DatabaseError &) {
			/* Damage reads as "inflate failed" as often as as corruption: Xapian's check tells. */
			if (!drop_damaged_parts(found))
				throw;
			compact_into(db, found, out);
		}
		db->wdb->close();
		delete db->wdb;
		db->wdb = nullptr;
		db->rdb = nullptr;
		if (renameat2(AT_FDCWD, out.c_str(), AT_FDCWD, db->path.c_str(), RENAME_EXCHANGE) != 0)
			throw Xapian::DatabaseError(db->path + ": zusammengeführter Index lässt sich nicht einsetzen", errno);
		remove_tree(out);
		reopen(db);
		return TR_OK;
	} catch (...) {
		tr_status st = db_fail(db);
		remove_tree(out);
		/* Reopened as it was, so that the caller's error path still has a handle. */
		try {
			if (!db->wdb)
				reopen(db);
		} catch (...) {
		}
		return st;
	}
}
