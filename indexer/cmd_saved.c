/* The saved searches of `tellerrand index --report` (indexer/saved.h). */
#include "saved.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printer.h"
#include "tellerrand/db.h"

/* The most documents one saved search lists per run; "new" still counts them all. */
#define SAVED_MAX 500

static int
parse_yes(const char *v)
{
	if (!strcmp(v, "ja") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "nein") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		return 0;
	return -1;
}

/* One "key = value" of a saved search into @s; *errmsg (German) on a bad one. */
static tr_status
saved_item(tr_saved_search *s, const tr_query_vocab *v, const tr_config_setting *it, char **errmsg)
{
	if (!strcmp(it->key, "q"))
		return tr_query_parse(&s->q, v, it->value, errmsg);
	if (!strcmp(it->key, "intern") || !strcmp(it->key, "internal")) {
		int b = parse_yes(it->value);
		if (b < 0)
			return asprintf(errmsg, "ungültiger Wert bei %s: \"%s\" (ja oder nein)", it->key, it->value) < 0 ?
			       TR_ENOMEM : TR_EINVAL;
		s->internal = b;
		return TR_OK;
	}
	return tr_query_add_filter(&s->q, v, it->key, it->value, errmsg);
}

tr_status
tr_saved_parse(tr_saved *out, const tr_config *c, const tr_query_vocab *v)
{
	memset(out, 0, sizeof *out);
	if (!c || !c->n_searches)
		return TR_OK;
	if (!(out->v = calloc(c->n_searches, sizeof *out->v)))
		return TR_ENOMEM;
	for (size_t i = 0; i < c->n_searches; i++) {
		const tr_config_search *cs = &c->searches[i];
		tr_saved_search *s = &out->v[out->n++];

		s->name = cs->name;
		tr_query_init(&s->q);
		for (size_t k = 0; k < cs->n_items; k++) {
			char *err = NULL;
			tr_status st = saved_item(s, v, &cs->items[k], &err);

			if (st == TR_EBADQUERY)
				st = TR_EINVAL;
			if (st != TR_OK) {
				if (st != TR_ENOMEM)
					fprintf(stderr, "tellerrand index: %s:%d: [suche %s]: %s\n", c->file, cs->items[k].line,
					        cs->name, err ? err : tr_strerror(st));
				free(err);
				return st;
			}
		}
	}
	return TR_OK;
}

/* One saved search's entry of the report. */
static json_t *
run_one(tr_db *db, const tr_saved_search *s, double since, const tr_query_vocab *v)
{
	tr_search q = TR_SEARCH_INIT;
	tr_results *r = NULL;
	json_t *o = json_pack("{s:s,s:s}", "name", s->name, "query", s->q.text ? s->q.text : "");
	tr_status st;

	tr_query_to_search(&s->q, &q);
	q.added_since = since;
	q.sort = TR_SORT_ADDED;
	q.internal = s->internal;
	q.limit = SAVED_MAX;
	q.facets = false;
	q.spelling = false;
	q.snippet_length = 160;
	st = tr_db_search(db, &q, &r);
	if (st == TR_EMODIFIED && tr_db_reopen(db) == TR_OK)
		st = tr_db_search(db, &q, &r);
	if (st != TR_OK) {
		json_object_set_new(o, "error", json_string(st == TR_ETOOBIG ? tr_db_errmsg(db) : tr_strerror(st)));
	} else {
		/* Each document as `tellerrand query --format json` shows a hit (docs/json.md). */
		tr_printer_ctx pc = { v->districts, v->topics, &s->q, &q, false, NULL };
		json_t *all = tr_print_json(r, &pc);

		json_object_set_new(o, "new", json_integer(r->estimate));
		json_object_set_new(o, "documents", all ? json_incref(json_object_get(all, "hits")) : json_array());
		json_decref(all);
	}
	tr_results_free(r);
	return o;
}

void
tr_saved_run(const tr_saved *s, const char *db_path, double since, const tr_query_vocab *v, json_t *rep)
{
	json_t *list = json_array();
	tr_db *db = NULL;
	char *err = NULL;
	tr_status st;

	if (!s->n)
		return;
	/* A reader of its own: a set of shards is searched as one, as `tellerrand query` does. */
	st = tr_db_open(&db, db_path, TR_DB_READ, &err);
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(list, st == TR_OK ? run_one(db, &s->v[i], since, v)
		                                        : json_pack("{s:s,s:s}", "name", s->v[i].name, "error",
		                                                    err ? err : tr_strerror(st)));
	json_object_set_new(rep, "searches", list);
	tr_db_free(db);
	free(err);
}

void
tr_saved_free(tr_saved *s)
{
	for (size_t i = 0; i < s->n; i++)
		tr_query_clear(&s->v[i].q);
	free(s->v);
	memset(s, 0, sizeof *s);
}
