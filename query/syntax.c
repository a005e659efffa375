#include "syntax.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

tr_status
tr_query_repair(tr_buf *out, const char *in, char **notice)
{
	bool in_quote = false, dropped = false;
	int depth = 0, closed = 0;
	tr_status st = TR_OK;
	const char *what[3];
	size_t n = 0;

	*notice = NULL;
	for (const char *c = in; *c && st == TR_OK; c++) {
		if (*c == '"')
			in_quote = !in_quote;
		else if (!in_quote && *c == '(')
			depth++;
		else if (!in_quote && *c == ')' && depth == 0) {
			dropped = true;
			continue;
		} else if (!in_quote && *c == ')')
			depth--;
		st = tr_buf_addc(out, *c);
	}
	if (st == TR_OK && in_quote)
		st = tr_buf_addc(out, '"');
	for (closed = depth; st == TR_OK && depth > 0; depth--)
		st = tr_buf_addc(out, ')');
	if (st != TR_OK)
		return st;
	if (in_quote)
		what[n++] = "Anführungszeichen ergänzt";
	if (closed)
		what[n++] = closed > 1 ? "Klammern ergänzt" : "Klammer ergänzt";
	if (dropped)
		what[n++] = "Klammer ohne öffnende Klammer weggelassen";
	if (n && asprintf(notice, "%s%s%s%s%s, gesucht wird: %s", what[0], n > 1 ? ", " : "",
	                  n > 1 ? what[1] : "", n > 2 ? ", " : "", n > 2 ? what[2] : "",
	                  out->ptr ? out->ptr : "") < 0) {
		*notice = NULL;
		return TR_ENOMEM;
	}
	return TR_OK;
}

/* What the checker sees: a word (or phrase), an operator, or a bracket. */
typedef enum { I_WORD, I_AND, I_OR, I_XOR, I_NOT, I_OPEN, I_CLOSE } item_kind;

static const struct {
	const char *name;       /* as in the text handed to Xapian */
	item_kind kind;
	const char *said;       /* as the message names it */
	const char *example;
} operators[] = {
	{ "AND", I_AND, "UND (AND)", "Schule UND Kita" },
	{ "OR", I_OR, "ODER (OR)", "Schule ODER Kita" },
	{ "XOR", I_XOR, "XOR", "Schule XOR Kita" },
	{ "NOT", I_NOT, "NICHT (NOT)", "Schule NICHT Leipzig" },
};

static bool
is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

/*
 * The next item from *p, or false at the end.  Tokens without a letter or
 * digit ("-", "*", "\"\"") give Xapian no term and are skipped, as it
 * skips them.
 */
static bool
next_item(const char **p, item_kind *out)
{
	for (;;) {
		const char *s = *p, *e;
		bool word = false;

		while (*s == ' ')
			s++;
		if (!*s)
			return false;
		if (*s == '(' || *s == ')') {
			*out = *s == '(' ? I_OPEN : I_CLOSE;
			*p = s + 1;
			return true;
		}
		if (*s == '"') {
			e = strchr(s + 1, '"');
			e = e ? e + 1 : s + strlen(s);
		} else {
			e = s + strcspn(s, " ()\"");
		}
		for (const char *c = s; c < e; c++)
			word = word || is_word_byte((unsigned char)*c);
		*p = e;
		if (!word)
			continue;
		*out = I_WORD;
		for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
			if ((size_t)(e - s) == strlen(operators[i].name) &&
			    strncmp(s, operators[i].name, (size_t)(e - s)) == 0)
				*out = operators[i].kind;
		return true;
	}
}

static tr_status
operator_error(char **errmsg, item_kind k, bool and_not, bool before)
{
	for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
		if (operators[i].kind != k)
			continue;
		if (errmsg && asprintf(errmsg, "Suchanfrage nicht verständlich: %s braucht ein Wort %s, z. B. %s",
		                       and_not ? "UND NICHT (AND NOT)" : operators[i].said, before ? "davor" : "danach",
		                       and_not ? "Schule UND NICHT Leipzig" : operators[i].example) < 0)
			*errmsg = NULL;
	}
	return TR_EBADQUERY;
}

static bool
is_operator(item_kind k)
{
	return k == I_AND || k == I_OR || k == I_XOR || k == I_NOT;
}

tr_status
tr_query_check_operators(const char *text, char **errmsg)
{
	size_t n = 0, cap = 0;
	item_kind *v = NULL, k;
	tr_status st = TR_OK;

	/* The items, with empty brackets "()" dropped: they stand for nothing. */
	for (const char *p = text; next_item(&p, &k);) {
		if (k == I_CLOSE && n && v[n - 1] == I_OPEN) {
			n--;
			continue;
		}
		if (n == cap) {
			item_kind *w = realloc(v, (cap = cap ? 2 * cap : 32) * sizeof *v);
			if (!w) {
				free(v);
				return TR_ENOMEM;
			}
			v = w;
		}
		v[n++] = k;
	}
	for (size_t i = 0; i < n && st == TR_OK; i++) {
		item_kind before = i ? v[i - 1] : I_OPEN, after = i + 1 < n ? v[i + 1] : I_CLOSE;

		if (!is_operator(v[i]))
			continue;
		/* NOT may stand first (everything except ...), the others need a word before them. */
		if (v[i] != I_NOT && before != I_WORD && before != I_CLOSE)
			st = operator_error(errmsg, v[i], v[i] == I_AND && after == I_NOT, true);
		else if (after != I_WORD && after != I_OPEN && (v[i] == I_NOT || after != I_NOT))
			st = operator_error(errmsg, v[i] == I_NOT && before == I_AND ? I_AND : v[i],
			                    v[i] == I_NOT && before == I_AND, false);
	}
	free(v);
	return st;
}

const char *
tr_query_engine_message(const char *engine_msg)
{
	static const struct {
		const char *op;
		const char *msg;
	} known[] = {
		{ " AND NOT ", "Suchanfrage nicht verständlich: UND NICHT (AND NOT) braucht ein Wort davor und danach, z. B. Schule UND NICHT Leipzig" },
		{ " AND ", "Suchanfrage nicht verständlich: UND (AND) braucht ein Wort davor und danach, z. B. Schule UND Kita" },
		{ " OR ", "Suchanfrage nicht verständlich: ODER (OR) braucht ein Wort davor und danach, z. B. Schule ODER Kita" },
		{ " XOR ", "Suchanfrage nicht verständlich: XOR braucht ein Wort davor und danach, z. B. Schule XOR Kita" },
		{ " NOT ", "Suchanfrage nicht verständlich: NICHT (NOT) braucht ein Wort danach, z. B. Schule NICHT Leipzig" },
	};

	for (size_t i = 0; engine_msg && i < sizeof known / sizeof known[0]; i++)
		if (strstr(engine_msg, known[i].op) && strncmp(engine_msg, "Syntax:", 7) == 0)
			return known[i].msg;
	return "Suchanfrage nicht verständlich: Anführungszeichen, Klammern und UND, ODER, NICHT prüfen";
}
