/*
 * The names of the expansion rules and metadata sources, the metadata
 * origins of a stored record, and freeing what an explanation holds.
 */
#include "tellerrand/explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docdata.h"
#include "matches.h"
#include "tellerrand/db.h"

/* Key, German label and the other names each rule answers to (--ohne, ohne=). */
static const struct {
	const char *key, *label, *names[3];
} rules[TR_RULE_COUNT] = {
	[TR_RULE_EXACT]         = { "exact", "genaues Wort", { "genau", "exakt", NULL } },
	[TR_RULE_STEM]          = { "stem", "Wortstamm", { "stamm", "wortstamm", "beugung" } },
	[TR_RULE_COMPOUND]      = { "compound", "Wortteil", { "wortteil", "wortteile", "komposita" } },
	[TR_RULE_UMLAUT]        = { "umlaut", "Umlaut", { "umlaute", NULL, NULL } },
	[TR_RULE_TRANSCRIPTION] = { "transcription", "ae/oe/ue-Schreibung", { "umschreibung", "ae", NULL } },
	[TR_RULE_GENDER]        = { "gender", "Geschlechtsform", { "geschlecht", "gendern", "gender-form" } },
	[TR_RULE_THESAURUS]     = { "thesaurus", "Thesaurus", { "synonym", "synonyme", NULL } },
	[TR_RULE_WILDCARD]      = { "wildcard", "Platzhalter *", { "platzhalter", NULL, NULL } },
};

const char *
tr_rule_key(tr_rule r)
{
	return r < TR_RULE_COUNT ? rules[r].key : "unknown";
}

const char *
tr_rule_label(tr_rule r)
{
	return r < TR_RULE_COUNT ? rules[r].label : "unbekannt";
}

tr_status
tr_rule_from_name(tr_rule *out, const char *name)
{
	for (int r = 0; r < TR_RULE_COUNT; r++) {
		if (strcasecmp(name, rules[r].key) == 0) {
			*out = (tr_rule)r;
			return TR_OK;
		}
		for (size_t i = 0; i < 3 && rules[r].names[i]; i++)
			if (strcasecmp(name, rules[r].names[i]) == 0) {
				*out = (tr_rule)r;
				return TR_OK;
			}
	}
	return TR_EINVAL;
}

const char *
tr_meta_source_label(const char *source)
{
	static const char *const names[][2] = {
		{ "explicit", "Angaben der Datei" },
		{ "folder", "Ordner oder Dateiname" },
		{ "text", "Text" },
		{ "filetime", "Änderungszeit der Datei" },
		{ "format", "Dateiformat" },
	};
	for (size_t i = 0; source && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(source, names[i][0]) == 0)
			return names[i][1];
	return "unbekannt";
}

/* One origin from @h's record: "<kind>_source", and "<kind>_where" and "<kind>_where_line" when recorded. */
static tr_status
origin_from(const tr_hit *h, const char *source_key, const char *where_key, tr_meta_origin *out)
{
	char line_key[64];
	const char *source = tr__docdata_value(h, source_key);
	const char *text = tr__docdata_value(h, where_key), *line_text;
	unsigned long line;

	snprintf(line_key, sizeof line_key, "%s_line", where_key);
	line_text = tr__docdata_value(h, line_key);
	line = line_text ? strtoul(line_text, NULL, 10) : 0;
	out->source = strdup(source && strcmp(source, "none") != 0 ? source : "");
	out->evidence = text && *text ? strdup(text) : NULL;
	out->line = line > 0 && line < 1000000000 ? (unsigned)line : 0;
	return out->source && (!text || !*text || out->evidence) ? TR_OK : TR_ENOMEM;
}

tr_status
tr_hit_meta_origins(const tr_hit *h, tr_meta_origin out[TR_META_COUNT])
{
	tr_status st = TR_OK;

	memset(out, 0, TR_META_COUNT * sizeof *out);
	if (origin_from(h, "date_source", "date_where", &out[TR_META_DATE]) != TR_OK ||
	    origin_from(h, "district_source", "district_where", &out[TR_META_DISTRICTS]) != TR_OK ||
	    origin_from(h, "type_source", "type_where", &out[TR_META_TYPE]) != TR_OK)
		st = TR_ENOMEM;
	if (st != TR_OK)
		tr_meta_origins_clear(out);
	return st;
}

void
tr_meta_origins_clear(tr_meta_origin o[TR_META_COUNT])
{
	for (int k = 0; k < TR_META_COUNT; k++) {
		free(o[k].source);
		free(o[k].evidence);
		o[k].source = o[k].evidence = NULL;
		o[k].line = 0;
	}
}

void
tr__matches_free(tr_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].word);
		free(m[i].term);
		free(m[i].form);
		free(m[i].via);
		free(m[i].found_in);
	}
	free(m);
}

void
tr_why_free(tr_why *w)
{
	if (!w)
		return;
	free(w->skip_kind);
	free(w->skip_reason);
	tr_hit_free(w->hit);
	for (size_t i = 0; i < w->n_words; i++) {
		free(w->words[i].word);
		tr__matches_free(w->words[i].forms, w->words[i].n_forms);
	}
	free(w->words);
	free(w);
}
