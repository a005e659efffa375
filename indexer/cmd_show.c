/*
 * tellerrand show: what Tellerrand reads from one file, exactly as the
 * indexer would store it (title, metadata with the source of each value,
 * headings, the full text).  For administrators who wonder why a document
 * is (not) found, and for scripts/eval-html.  A number names a document
 * of the index; its file is read again with the same code.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "pages.h"
#include "tellerrand/db.h"
#include "tellerrand/index.h"

enum { OPT_CONFIG, OPT_DB, OPT_DATA_DIR, OPT_FORMAT };

const tr_option cmd_show_options[] = {
	[OPT_CONFIG]   = { "config", 'c', "DATEI", "Konfigurationsdatei", "$TELLERRAND_CONFIG oder /etc/tellerrand/tellerrand.conf" },
	[OPT_DB]       = { "db", 'd', "DIR", "Index-Verzeichnis (für eine Dokumentnummer)", "$TELLERRAND_DB oder ./tellerrand-index" },
	[OPT_DATA_DIR] = { "data-dir", 0, "DIR", "Verzeichnis mit Gemeindeverzeichnis und Themenliste", "$TELLERRAND_DATA_DIR oder die installierten Daten" },
	[OPT_FORMAT]   = { "format", 'f', "text|json", "Ausgabeformat (json: ein Objekt je Zeile)", "text" },
	{ NULL, 0, NULL, NULL, NULL }
};

/* The lean `tellerrand` (cli/tellerrand.c) compiles only the table above: config files and --help need it. */
#ifndef TR_CLI_OPTIONS_ONLY

typedef struct show_args {
	const char *db;
	const char *data_dir;
	bool json;
	tr_index_options opts;
	tr_db *dbh;             /* opened for the first document number */
} show_args;

static bool
show_set(void *ctx, int opt, const char *value)
{
	show_args *a = ctx;

	switch (opt) {
	case OPT_CONFIG:   return true;  /* read before the other options */
	case OPT_DB:       a->db = value; return true;
	case OPT_DATA_DIR: a->data_dir = value; return true;
	case OPT_FORMAT:
		if (strcmp(value, "text") == 0 || strcmp(value, "json") == 0) {
			a->json = strcmp(value, "json") == 0;
			return true;
		}
		tr_cli_usage_error("show", "--format: text oder json erwartet, nicht '%s'", value);
		return false;
	}
	return false;
}

static bool
is_docid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The file of document @id of the index (allocated), or NULL after a message. */
static char *
docid_path(show_args *a, const char *id)
{
	tr_hit *hit = NULL;
	char *err = NULL, *path = NULL;
	unsigned long v = strtoul(id, NULL, 10);
	tr_status st;

	if (!a->dbh) {
		const char *dbpath = tr_cli_db_path(a->db);
		st = tr_db_open(&a->dbh, dbpath, TR_DB_READ, &err);
		if (st != TR_OK) {
			tr_cli_error("show", st == TR_ENOTFOUND ? "kein Index gefunden" : "Index lässt sich nicht öffnen",
			             st == TR_ENOTFOUND ? dbpath : (err ? err : tr_strerror(st)));
			free(err);
			return NULL;
		}
	}
	st = v == 0 || v > 0xFFFFFFFFul ? TR_ENOTFOUND : tr_db_get_hit(a->dbh, (unsigned)v, true, &hit);
	if (st == TR_OK && hit->path)
		path = strdup(hit->path);
	else
		tr_cli_error("show", st == TR_ENOTFOUND ? "kein Dokument mit dieser Nummer" : tr_strerror(st), id);
	tr_hit_free(hit);
	return path;
}

static const char *
type_name(const tr_doc *d)
{
	return d->type == TR_DOCTYPE_UNKNOWN ? NULL : tr_doctype_label(d->type);
}

static void
print_lines(const char *label, const char *s)
{
	printf("%s:\n", label);
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		printf("  %.*s\n", (int)n, s);
		s += n + (s[n] == '\n');
	}
}

/* " (text, Zeile 4: „Das Landratsamt in Freiberg“)": the source and, when the finder recorded it, where it read the value. */
static void
print_source(const char *source, const char *where, unsigned line)
{
	printf(" (%s", source);
	if (line)
		printf(", Zeile %u", line);
	if (where)
		printf(": „%s“", where);
	printf(")\n");
}

static void
print_list(const char *label, char *const *v, size_t n, const char *source, const char *where, unsigned line)
{
	if (!n)
		return;
	printf("  %-14s", label);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", v[i]);
	print_source(source, where, line);
}

/*
 * The text with each page break (a form feed) as a line that names the
 * next page, "── Folie 2 ──", so that pages do not run into each other
 * on a terminal; a mail's attachments, which name themselves, get a rule.
 */
static void
print_pages(const tr_doc *d)
{
	const char *word = tr_page_word(tr_pages_of_format(d->format));
	const char *s = d->body ? d->body : "";
	unsigned page = 1;

	for (;;) {
		size_t n = strcspn(s, "\f");
		printf("%.*s", (int)n, s);
		if (!s[n])
			break;
		s += n + 1;
		if (n && s[-2] != '\n')
			putchar('\n');
		if (word)
			printf("── %s %u ──\n", word, ++page);
		else
			printf("────────\n");
	}
	putchar('\n');
}

static void
show_text(const tr_doc *d)
{
	char date[16];

	tr_date_format_iso(&d->date, date);
	printf("Datei:         %s\nFormat:        %s (%s)\nTitel:         %s\nMetadaten:\n",
	       d->path, d->format, d->mime, d->title ? d->title : "");
	if (date[0]) {
		printf("  %-14s%s", "Datum:", date);
		print_source(tr_source_name(d->date_source), d->date_where, d->date_line);
	}
	print_list("Landkreise:", d->districts, d->n_districts, tr_source_name(d->district_source),
	           d->district_where, d->district_line);
	if (type_name(d))
		printf("  %-14s%s (%s)\n", "Typ:", type_name(d), tr_source_name(d->type_source));
	print_list("Themen:", d->topics, d->n_topics, "text", NULL, 0);
	print_list("Schlagworte:", d->tags, d->n_tags, "explicit", NULL, 0);
	if (d->author)
		printf("  %-14s%s (explicit)\n", "Autor:", d->author);
	if (d->description)
		printf("  %-14s%s (explicit)\n", "Beschreibung:", d->description);
	print_lines("Überschriften", d->headings);
	printf("Text:\n");
	print_pages(d);
}

static json_t *
json_value(const char *value, const char *source)
{
	return json_pack("{s:s, s:s}", "value", value, "source", source);
}

static json_t *
json_list(char *const *v, size_t n, const char *source)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return json_pack("{s:o, s:s}", "value", a, "source", source);
}

/* Adds where the value was read ("evidence", "line") to @o, as the search's explain names them (docs/json.md). */
static json_t *
json_where(json_t *o, const char *where, unsigned line)
{
	if (o && where)
		json_object_set_new(o, "evidence", json_string(where));
	if (o && line)
		json_object_set_new(o, "line", json_integer(line));
	return o;
}

static void
show_json(const tr_doc *d)
{
	json_t *o = json_object(), *m = json_object(), *h = json_array();
	char date[16], *s;

	tr_date_format_iso(&d->date, date);
	if (date[0])
		json_object_set_new(m, "date", json_where(json_value(date, tr_source_name(d->date_source)),
		                                          d->date_where, d->date_line));
	if (d->n_districts)
		json_object_set_new(m, "districts", json_where(json_list(d->districts, d->n_districts,
		                                               tr_source_name(d->district_source)),
		                                               d->district_where, d->district_line));
	if (type_name(d))
		json_object_set_new(m, "type", json_value(tr_doctype_key(d->type), tr_source_name(d->type_source)));
	if (d->n_topics)
		json_object_set_new(m, "topics", json_list(d->topics, d->n_topics, "text"));
	if (d->n_tags)
		json_object_set_new(m, "tags", json_list(d->tags, d->n_tags, "explicit"));
	if (d->author)
		json_object_set_new(m, "author", json_value(d->author, "explicit"));
	if (d->description)
		json_object_set_new(m, "description", json_value(d->description, "explicit"));
	for (const char *p = d->headings; p && *p;) {
		size_t n = strcspn(p, "\n");
		json_array_append_new(h, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	json_object_set_new(o, "path", json_string(d->path));
	json_object_set_new(o, "format", json_string(d->format));
	json_object_set_new(o, "mime", json_string(d->mime));
	json_object_set_new(o, "title", json_string(d->title ? d->title : ""));
	json_object_set_new(o, "metadata", m);
	json_object_set_new(o, "headings", h);
	json_object_set_new(o, "body", json_string(d->body ? d->body : ""));
	s = json_dumps(o, JSON_COMPACT);
	if (s)
		puts(s);
	free(s);
	json_decref(o);
}

/* Shows one PATH or document number; false after a message. */
static bool
show_one(show_args *a, const char *arg)
{
	char *path = is_docid(arg) ? docid_path(a, arg) : strdup(arg), *why = NULL;
	tr_doc *doc = NULL;
	tr_status st;

	if (!path)
		return false;
	st = tr_index_read_file(&doc, path, path, NULL, &a->opts, &why);
	if (st != TR_OK) {
		tr_cli_error("show", why ? why : tr_strerror(st), path);
	} else if (a->json) {
		show_json(doc);
	} else {
		show_text(doc);
	}
	fflush(stdout);
	free(why);
	free(path);
	tr_doc_free(doc);
	return st == TR_OK;
}

int
cmd_show(int argc, char **argv)
{
	show_args a = { NULL, NULL, false, TR_INDEX_OPTIONS_INIT, NULL };
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0, exit_now = TR_EXIT_OK, ret = TR_EXIT_OK;
	tr_districts *districts = NULL;
	tr_topics *topics = NULL;
	tr_config *config = NULL;

	if (!rest) {
		tr_cli_error("show", tr_strerror(TR_ENOMEM), NULL);
		return TR_EXIT_ERROR;
	}
	if (!tr_cli_parse_all(argc, argv, cmd_show_options, "[--format text|json] PFAD|NUMMER...",
	                      "Zeigt, was Tellerrand aus einer Datei liest, so wie es in den Index käme:\n"
	                      "Titel, jede Angabe mit ihrer Herkunft, Überschriften und den ganzen Text.\n"
	                      "Eine Zahl ist die Nummer eines Dokuments im Index; seine Datei wird neu gelesen.",
	                      show_set, &a, rest, &nrest, &config, &exit_now)) {
		ret = exit_now;
		goto done;
	}
	if (!nrest) {
		tr_cli_usage_error("show", "PFAD oder NUMMER fehlt");
		ret = TR_EXIT_USAGE;
		goto done;
	}
	if (tr_cli_load_data("show", tr_cli_data_dir(a.data_dir), &districts, &topics) != TR_OK) {
		ret = TR_EXIT_ERROR;
		goto done;
	}
	a.opts.districts = districts;
	a.opts.topics = topics;
	for (int i = 0; i < nrest; i++)
		if (!show_one(&a, rest[i]))
			ret = TR_EXIT_ERROR;
done:
	tr_db_free(a.dbh);
	tr_districts_free(districts);
	tr_topics_free(topics);
	tr_config_free(config);
	free(rest);
	return ret;
}

#endif /* TR_CLI_OPTIONS_ONLY */
