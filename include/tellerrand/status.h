/* Status codes returned by every fallible libtellerrand function. */
#ifndef TELLERRAND_STATUS_H
#define TELLERRAND_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Append-only: a value never changes its number once released, so that
 * scripts and logs that recorded a code keep their meaning.
 */
typedef enum tr_status {
	TR_OK = 0,            /* success */
	TR_ENOMEM,            /* an allocation failed */
	TR_EINVAL,            /* an argument or input value is malformed */
	TR_ENOTFOUND,         /* the index (or another named thing) does not exist */
	TR_ELOCKED,           /* another process holds the index's write lock */
	TR_EMODIFIED,         /* the index changed under a reader; reopen and retry */
	TR_EBADQUERY,         /* the query parser rejected the query */
	TR_EIO,               /* reading or writing a file failed */
	TR_ETOOBIG,           /* input exceeds a configured size limit */
	TR_EUNSUPPORTED,      /* the file type has no extractor */
	TR_EFORMAT,           /* the file is damaged or not what its type claims */
	TR_EINTERNAL,         /* any other error from a library we call */
	TR_EREMOTE,           /* a remote shard did not answer, or not within its timeout */
	TR_ECORRUPT,          /* the index's files are damaged (truncated, overwritten) */
	TR_STATUS_COUNT       /* number of codes; not a status */
} tr_status;

/*
 * What a user is told about TR_ECORRUPT, in German and with the fix, by the
 * command line and the server alike (the detail goes to stderr or the log).
 */
#define TR_CORRUPT_MESSAGE "Der Suchindex ist beschädigt und muss neu aufgebaut werden: tellerrand index --full"

/*
 * A short German description of @status, as the command line and a file's
 * reason show it to users; static storage, never NULL.
 */
const char *tr_strerror(tr_status status);

#ifdef __cplusplus
}
#endif

#endif
