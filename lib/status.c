#include "tellerrand/status.h"

/*
 * No default label: built with -Werror=switch, so a new status code without
 * a string is a compile error rather than a silent "unknown error".
 */
const char *
tr_strerror(tr_status status)
{
	switch (status) {
	case TR_OK:           return "success";
	case TR_ENOMEM:       return "out of memory";
	case TR_EINVAL:       return "invalid argument";
	case TR_ENOTFOUND:    return "not found";
	case TR_ELOCKED:      return "index is locked by another process";
	case TR_EMODIFIED:    return "index was modified while reading";
	case TR_EBADQUERY:    return "query could not be parsed";
	case TR_EIO:          return "input/output error";
	case TR_ETOOBIG:      return "input exceeds size limit";
	case TR_EUNSUPPORTED: return "unsupported file type";
	case TR_EFORMAT:      return "damaged or malformed file";
	case TR_EINTERNAL:    return "internal error";
	case TR_EREMOTE:      return "remote shard unavailable";
	case TR_ECORRUPT:     return "index is damaged";
	case TR_STATUS_COUNT: break;
	}
	return "unknown status";
}
