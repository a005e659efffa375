/*
 * Opening and closing an index or a shard set, the exception fence that
 * turns every C++ exception into a tr_status, and the index's metadata.
 */
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <stdexcept>
#include <string>

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_private.hh"

/* The stub file that makes a directory a shard set; Xapian itself opens such a directory the same way. */
#define STUB_NAME "XAPIANDB"

/*
 * Called from inside a catch block: rethrows and catches the most specific
 * class first, records the detail in @msg and maps the class to a status.
 * Assigning the message may itself throw bad_alloc; that is caught too.
 */
tr_status
status_from_exception(std::string *msg)
{
	tr_status st = TR_EINTERNAL;
	try {
		try {
			throw;
		} catch (const Xapian::DatabaseLockError &e) {
			st = TR_ELOCKED;
			*msg = e.get_description();
		} catch (const Xapian::DatabaseModifiedError &e) {
			st = TR_EMODIFIED;
			*msg = e.get_description();
		} catch (const Xapian::QueryParserError &e) {
			st = TR_EBADQUERY;
			*msg = e.get_msg();
		} catch (const Xapian::DatabaseNotFoundError &e) {
			st = TR_ENOTFOUND;
			*msg = e.get_msg();
		} catch (const Xapian::DatabaseOpeningError &e) {
			st = TR_ENOTFOUND;
			*msg = e.get_msg();
		} catch (const Xapian::DocNotFoundError &e) {
			st = TR_ENOTFOUND;
			*msg = e.get_msg();
		} catch (const Xapian::DatabaseCorruptError &e) {
			st = TR_ECORRUPT;
			*msg = e.get_description();
		} catch (const Xapian::DatabaseError &e) {
			/*
			 * A table that ends early (truncated) or whose compressed
			 * items do not inflate (overwritten) is damage too; other
			 * errors of the class (a failed write, a full disk) are not.
			 */
			const std::string &m = e.get_msg();
			st = m.compare(0, 17, "EOF reading block") == 0 || m.compare(0, 14, "inflate failed") == 0 ? TR_ECORRUPT
			                                                                                            : TR_EINTERNAL;
			*msg = e.get_description();
		} catch (const Xapian::NetworkError &e) {
			/* Timeouts too (NetworkTimeoutError): a remote shard that is down or slow. */
			st = TR_EREMOTE;
			*msg = e.get_msg();
			if (!e.get_context().empty())
				*msg += " (" + e.get_context() + ")";
			if (e.get_error_string())
				*msg += std::string(": ") + e.get_error_string();
		} catch (const Xapian::Error &e) {
			st = TR_EINTERNAL;
			*msg = e.get_description();
		} catch (const std::bad_alloc &) {
			st = TR_ENOMEM;
			msg->clear();
		} catch (const tr_query_too_big &e) {
			st = TR_ETOOBIG;
			*msg = e.what();
		} catch (const std::invalid_argument &e) {
			st = TR_EINVAL;
			*msg = e.what();
		} catch (const std::exception &e) {
			st = TR_EINTERNAL;
			*msg = e.what();
		} catch (...) {
			st = TR_EINTERNAL;
			*msg = "unknown exception";
		}
	} catch (...) {
		/* Out of memory while storing the message: the status still says what happened. */
	}
	return st;
}

tr_status
db_fail(tr_db *db)
{
	return status_from_exception(&db->errmsg);
}

char *
dup_string(const std::string &s)
{
	char *p = static_cast<char *>(malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

/* True (with the message on @db) if @db was not opened for writing. */
bool
read_only(tr_db *db)
{
	if (db->wdb)
		return false;
	db->errmsg = "index is open read-only";
	return true;
}

static bool
file_exists(const std::string &path)
{
	return access(path.c_str(), F_OK) == 0;
}

/*
 * Opens one line of a shard set's stub.  Xapian reads the same lines when
 * it opens the directory itself (quest, xapian-delve), but then gives
 * remote shards its fixed default timeouts; reading them here applies
 * @timeout (milliseconds, 0: none) to connecting and to every answer.
 */
static Xapian::Database
open_stub_line(const std::string &dir, const std::string &type, const std::string &target, unsigned timeout)
{
	if (type == "auto" || type == "glass")
		return Xapian::Database(target[0] == '/' ? target : dir + "/" + target);
	if (type != "remote" || target.empty())
		throw std::invalid_argument("unbekannter Eintrag (erwartet: auto PFAD, remote HOST:PORT, remote :PROGRAMM ARGUMENTE)");
	try {
		if (target[0] == ':') {
			/* "remote :PROGRAM ARGS": e.g. ssh to xapian-progsrv. */
			size_t space = target.find(' ');
			std::string prog = target.substr(1, space == std::string::npos ? std::string::npos : space - 1);
			std::string args = space == std::string::npos ? std::string() : target.substr(space + 1);
			return Xapian::Remote::open(prog, args, timeout);
		}
		size_t colon = target.rfind(':');
		std::string host = target.substr(0, colon);
		if (colon == std::string::npos || colon + 1 == target.size() ||
		    target.find_first_not_of("0123456789", colon + 1) != std::string::npos)
			throw std::invalid_argument("remote erwartet HOST:PORT");
		if (host.size() > 2 && host.front() == '[' && host.back() == ']')
			host = host.substr(1, host.size() - 2);
		return Xapian::Remote::open(host, static_cast<unsigned>(std::stoul(target.substr(colon + 1))),
		                            timeout, timeout);
	} catch (const Xapian::NetworkError &e) {
		/* Xapian's message does not say which shard; the operator needs to know. */
		const char *why = e.get_error_string();
		throw Xapian::NetworkError("remote " + target + ": " + e.get_msg() + (why ? std::string(": ") + why : ""));
	}
}

/* The databases a shard set's stub lists, combined into one for searching. */
static void
open_set(tr_db *db, const std::string &dir, unsigned timeout)
{
	std::string file = dir + "/" STUB_NAME, line;
	std::ifstream in(file);
	unsigned lineno = 0;

	if (!in)
		throw Xapian::DatabaseOpeningError("Couldn't open stub database file: " + file, errno);
	db->rdb = new Xapian::Database();
	while (std::getline(in, line)) {
		lineno++;
		if (line.empty() || line[0] == '#')
			continue;
		size_t space = line.find(' ');
		std::string type = line.substr(0, space);
		std::string target = space == std::string::npos ? std::string() : line.substr(space + 1);
		try {
			db->parts.push_back({ target, open_stub_line(dir, type, target, timeout) });
			db->remote = db->remote || type == "remote";
		} catch (const std::invalid_argument &e) {
			throw std::invalid_argument(file + ":" + std::to_string(lineno) + ": " + e.what());
		}
		db->rdb->add_database(db->parts.back().db);
	}
}

extern "C" tr_status
tr_db_open(tr_db **out, const char *path, tr_db_mode mode, char **errmsg)
{
	tr_db_options o = TR_DB_OPTIONS_INIT;

	return tr_db_open_with(out, path, mode, &o, errmsg);
}

static int
remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

bool
remove_tree(const std::string &path)
{
	struct stat sb;

	return lstat(path.c_str(), &sb) != 0 || nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

/*
 * A new index comes into being whole: it is created and committed empty
 * under "PATH.anlage", then renamed into place.  A process killed while
 * Xapian writes its first files (a first nightly run stopped at once)
 * leaves that scratch folder, removed by the next creation, never a
 * folder at PATH that no later run can open.
 */
static void
create_whole(const std::string &path)
{
	struct stat sb;
	if (lstat(path.c_str(), &sb) == 0 || errno != ENOENT)
		return;
	std::string scratch = path + ".anlage";
	if (!remove_tree(scratch))
		throw Xapian::DatabaseCreateError(scratch + ": Rest einer abgebrochenen Anlage lässt sich nicht entfernen");
	Xapian::WritableDatabase fresh(scratch, Xapian::DB_CREATE);
	fresh.commit();
	fresh.close();
	if (rename(scratch.c_str(), path.c_str()) != 0)
		throw Xapian::DatabaseCreateError(path + ": neuer Index lässt sich nicht an seinen Platz bringen", errno);
}

/* Opens @path into a new handle; throws what Xapian throws. */
static tr_db *
open_once(const char *path, tr_db_mode mode, const tr_db_options *o)
{
	tr_db *db = new tr_db;

	try {
		db->path = path;
		bool set = file_exists(db->path + "/" STUB_NAME);
		if (mode == TR_DB_WRITE && set) {
			throw std::invalid_argument(db->path + ": ein Satz von Teilindizes; geschrieben wird jeder für sich");
		} else if (mode == TR_DB_WRITE) {
			create_whole(db->path);
			db->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
			db->rdb = db->wdb;
			counted_codes_load_writer(db, nullptr);
		} else if (set) {
			open_set(db, db->path, o->remote_timeout);
		} else {
			db->rdb = new Xapian::Database(path);
		}
		return db;
	} catch (...) {
		delete db->rdb;
		delete db;
		throw;
	}
}

extern "C" tr_status
tr_db_open_with(tr_db **out, const char *path, tr_db_mode mode, const tr_db_options *o, char **errmsg)
{
	std::string msg;
	tr_status st = TR_EINTERNAL;

	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	/*
	 * A --full swaps the whole index (or shard set) in one rename while a
	 * reader may be half-way through opening it: the tables (or shards)
	 * it opened first then belong to the old index and the rest to the
	 * new one.  One more try opens the index now at @path whole.
	 */
	for (int attempt = 0; attempt < 2; attempt++) {
		try {
			*out = open_once(path, mode, o);
			return TR_OK;
		} catch (...) {
			st = status_from_exception(&msg);
		}
		if (mode != TR_DB_READ || (st != TR_EMODIFIED && st != TR_ECORRUPT && st != TR_ENOTFOUND))
			break;
	}
	if (errmsg)
		*errmsg = strdup(msg.c_str());
	return st;
}

extern "C" tr_status
tr_db_write_stub(const char *dir, const char *const *shards, size_t n, char **errmsg)
{
	std::string msg;

	if (errmsg)
		*errmsg = nullptr;
	try {
		std::string file = std::string(dir) + "/" STUB_NAME, tmp = file + ".neu";
		bool written;
		{
			std::ofstream out(tmp, std::ios::trunc);
			out << "# Ein Satz von Teilindizes, geschrieben von tellerrand index (docs/shards.md).\n";
			for (size_t i = 0; i < n; i++)
				out << "auto " << shards[i] << "\n";
			out.flush();
			written = static_cast<bool>(out);
		}
		/* Readers see the old stub or the new one, never half of it. */
		if (!written || rename(tmp.c_str(), file.c_str()) != 0) {
			msg = tmp + ": " + strerror(errno);
			if (errmsg)
				*errmsg = strdup(msg.c_str());
			return TR_EIO;
		}
		return TR_OK;
	} catch (...) {
		tr_status st = status_from_exception(&msg);
		if (errmsg)
			*errmsg = strdup(msg.c_str());
		return st;
	}
}

extern "C" size_t
tr_db_part_count(const tr_db *db)
{
	return db->parts.empty() ? 1 : db->parts.size();
}

extern "C" tr_status
tr_db_part_info(tr_db *db, size_t i, char **name, unsigned *doccount)
{
	*name = nullptr;
	try {
		if (db->parts.empty()) {
			*doccount = db->rdb->get_doccount();
			*name = dup_string(db->path);
		} else {
			*doccount = db->parts.at(i).db.get_doccount();
			*name = dup_string(db->parts.at(i).name);
		}
		return TR_OK;
	} catch (...) {
		free(*name);
		*name = nullptr;
		return db_fail(db);
	}
}

extern "C" void
tr_db_free(tr_db *db)
{
	if (!db)
		return;
	try {
		delete db->rdb;
	} catch (...) {
	}
	delete db;
}

extern "C" const char *
tr_db_errmsg(const tr_db *db)
{
	return db ? db->errmsg.c_str() : "";
}

extern "C" tr_status
tr_db_doccount(tr_db *db, unsigned *out)
{
	try {
		*out = db->rdb->get_doccount();
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_last_docid(tr_db *db, unsigned *out)
{
	try {
		*out = db->rdb->get_lastdocid();
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_commit(tr_db *db)
{
	if (!db->wdb)
		return TR_OK;
	try {
		db->wdb->commit();
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_reopen(tr_db *db)
{
	try {
		/* A new revision may have other documents under the same ids. */
		if (db->rdb->reopen())
			db->column.reset();
		counted_codes_recheck(db);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_set_metadata(tr_db *db, const char *key, const char *value)
{
	if (read_only(db))
		return TR_EINVAL;
	try {
		db->wdb->set_metadata(key, value);
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_get_metadata(tr_db *db, const char *key, char **out)
{
	*out = nullptr;
	try {
		*out = dup_string(db->rdb->get_metadata(key));
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}

extern "C" tr_status
tr_db_each_metadata(tr_db *db, const char *prefix, tr_db_metadata_fn fn, void *ctx)
{
	try {
		for (Xapian::TermIterator k = db->rdb->metadata_keys_begin(prefix);
		     k != db->rdb->metadata_keys_end(prefix); ++k) {
			std::string key = *k;
			std::string value = db->rdb->get_metadata(key);
			if (fn(key.c_str(), value.c_str(), ctx) != 0)
				break;
		}
		return TR_OK;
	} catch (...) {
		return db_fail(db);
	}
}
