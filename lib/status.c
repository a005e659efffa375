#include "tellerrand/status.h"

/*
 * No default label: built with -Werror=switch, so a new status code without
 * a string is a compile error rather than a silent "unknown error".
 */
const char *
tr_strerror(tr_status status)
{
	switch (status) {
	case TR_OK:           return "kein Fehler";
	case TR_ENOMEM:       return "nicht genug Arbeitsspeicher";
	case TR_EINVAL:       return "ungültige Angabe";
	case TR_ENOTFOUND:    return "nicht gefunden";
	case TR_ELOCKED:      return "Index gesperrt (ein anderer Vorgang schreibt)";
	case TR_EMODIFIED:    return "Index wurde beim Lesen geändert";
	case TR_EBADQUERY:    return "Suchanfrage nicht verständlich";
	case TR_EIO:          return "Lese- oder Schreibfehler";
	case TR_ETOOBIG:      return "zu groß";
	case TR_EUNSUPPORTED: return "Dateityp nicht unterstützt";
	case TR_EFORMAT:      return "Datei beschädigt";
	case TR_EINTERNAL:    return "interner Fehler";
	case TR_EREMOTE:      return "Teilindex nicht erreichbar";
	case TR_ECORRUPT:     return "Index beschädigt";
	case TR_STATUS_COUNT: break;
	}
	return "unbekannter Fehler";
}
