/*
 * Merging parts written side by side into one index: a full run may write
 * its documents into two databases, one writer thread each (one Xapian
 * writer is the indexer's limit), and merge them at the end in one
 * compaction (Xapian::Database::compact, in this process).
 */
#include <cerrno>
#include <cstdio>
#include <string>
#include <ctime>
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
		 * Unsynced: a part is scratch until merged, and a killed run's
		 * commits are in the page cache all the same.  Only a restart
		 * can lose them, so a part older than the boot is not merged
		 * (written_this_boot()).  Syncing cost each writer a pause per
		 * commit (about 4 % of a full run, docs/performance.md).
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

/* When this system started, from /proc/stat; 0 if unknown. */
static time_t
boot_time()
{
	FILE *f = fopen("/proc/stat", "re");
	char line[256];
	long long btime = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "btime %lld", &btime) == 1)
			break;
	fclose(f);
	return static_cast<time_t>(btime);
}

/*
 * Whether the part at @path was last written since the system started:
 * the only parts whose unsynced commits are sure to be whole.  A part from
 * before a restart (a crash, a power cut) is not read at all, since Xapian
 * reading a half-written table can fail in any way, memory errors
 * included; its documents are not in the index, so the run reads them
 * again.  Without /proc, no part is trusted.
 */
static bool
written_this_boot(const std::string &path)
{
	time_t boot = boot_time();
	time_t newest = 0;
	struct stat sb;

	for (const char *name : { "iamglass", "postlist.glass", "termlist.glass", "position.glass", "docdata.glass" })
		if (stat((path + "/" + name).c_str(), &sb) == 0 && sb.st_mtime > newest)
			newest = sb.st_mtime;
	return boot && newest >= boot;
}

/* The parts to merge: those written since the system started that hold a commit. */
static std::vector<Xapian::Database>
open_parts(const tr_db *db, size_t n)
{
	std::vector<Xapian::Database> found;

	for (size_t i = 0; i < n; i++) {
		std::string path = part_path(db, i);
		struct stat sb;
		if (lstat(path.c_str(), &sb) != 0 || !written_this_boot(path))
			continue;
		/* A part killed while Xapian created it has nothing committed. */
		try {
			found.push_back(Xapian::Database(path));
		} catch (const Xapian::DatabaseOpeningError &) {
		}
	}
	return found;
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
		std::vector<Xapian::Database> found = open_parts(db, n);
		if (found.empty()) {
			/* Parts from before a restart go, so that no later run looks at them again. */
			for (size_t i = 0; i < n; i++)
				remove_tree(part_path(db, i));
			return TR_OK;
		}
		db->wdb->commit();
		Xapian::Database all(db->path);
		for (auto &part : found)
			all.add_database(part);
		remove_tree(out);
		keep_longest_list lists;
		all.compact(out, Xapian::DBCOMPACT_NO_RENUMBER, 0, lists);
		all.close();
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
