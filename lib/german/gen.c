/*
 * Build-time generator of the German lexicon (lib/german.c reads its
 * output).  It turns Debian's word lists into one compact, position-free
 * blob that the library embeds, so that no process parses a big text file
 * when it starts:
 *
 *   tr_german_gen OUT DICT AFF WORDLIST NOSPLIT STOPWORDS THESAURUS
 *
 * DICT and AFF are hunspell-de-de's de_DE.dic/.aff (igerman98): they say
 * which words are nouns, which may start a compound (the j/x flags, and the
 * pseudo-roots with linking elements such as "Bildungs"), which person
 * nouns have female forms (F), and how words inflect.  WORDLIST is
 * wngerman's /usr/share/dict/ngerman, every inflected form.  The other
 * three are data/ files of the project.
 *
 * The blob: a header (struct tr__german_header in lib/german.h), an
 * open-addressing hash table of 64-bit entries (48 bits of the word's
 * FNV-1a hash, 16 bits of TR__GW_* flags), the stopwords' entries again in
 * a small table of the same kind, then the thesaurus text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../german.h"

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "tr_german_gen: %s: %s\n", what, detail);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory", "");
	return p;
}

/* ---- the table under construction: a growing open-addressing hash ---- */

static uint64_t *table;
static size_t table_bits, table_used;

static void
table_put(uint64_t key, unsigned flags)
{
	size_t mask = ((size_t)1 << table_bits) - 1;
	for (size_t i = (size_t)(key >> TR__GW_KEY_SHIFT) & mask;; i = (i + 1) & mask) {
		if (!table[i]) {
			table[i] = key | flags;
			table_used++;
			return;
		}
		if ((table[i] & TR__GW_KEY_MASK) == key) {
			table[i] |= flags;
			return;
		}
	}
}

static void
table_grow(void)
{
	uint64_t *old = table;
	size_t n = old ? (size_t)1 << table_bits : 0;

	table_bits = old ? table_bits + 1 : 16;
	table = calloc((size_t)1 << table_bits, sizeof *table);
	if (!table)
		die("out of memory", "");
	table_used = 0;
	for (size_t i = 0; i < n; i++)
		if (old[i])
			table_put(old[i] & TR__GW_KEY_MASK, (unsigned)(old[i] & TR__GW_FLAG_MASK));
	free(old);
}

static void
add(const char *word, unsigned flags)
{
	if (!*word)
		return;
	/* A load of at most 5/8 keeps probes short. */
	if (!table || (table_used + 1) * 8 > ((size_t)5 << table_bits))
		table_grow();
	table_put(tr__german_key(word, strlen(word)), flags);
}

/*
 * The entries flagged TR__GW_STOP, copied into a table of their own at a
 * load of at most 1/2.  Every query word and every thesaurus word is
 * checked against the stopwords: in the big table each check lands on a
 * page of its own (a page fault in a fresh process), in this one all
 * checks share a few cache lines.
 */
static uint64_t *
stop_table(size_t *bits)
{
	size_t n = 0, mask;
	uint64_t *t;

	for (size_t i = 0; i < (size_t)1 << table_bits; i++)
		n += (table[i] & TR__GW_STOP) != 0;
	for (*bits = 4; ((size_t)1 << *bits) < 2 * n; ++*bits)
		;
	mask = ((size_t)1 << *bits) - 1;
	if (!(t = calloc(mask + 1, sizeof *t)))
		die("stopword table", strerror(errno));
	for (size_t i = 0; i < (size_t)1 << table_bits; i++) {
		if (!(table[i] & TR__GW_STOP))
			continue;
		size_t k = (size_t)(table[i] >> TR__GW_KEY_SHIFT) & mask;
		while (t[k])
			k = (k + 1) & mask;
		t[k] = table[i];
	}
	return t;
}

/* ---- UTF-8 helpers for the Latin letters of German word lists ---- */

/* Lower-cases ASCII and Latin-1 capitals (À..Þ except ×) in place. */
static void
lower(char *s)
{
	unsigned char *p = (unsigned char *)s;
	for (; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (unsigned char)(*p + 32);
		else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
			p[1] = (unsigned char)(p[1] + 32);
			p++;
		}
	}
}

static bool
is_upper_start(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	return (p[0] >= 'A' && p[0] <= 'Z') || (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E);
}

static size_t
chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

static char *
read_line(FILE *f, char **buf, size_t *cap)
{
	ssize_t n = getline(buf, cap, f);
	if (n < 0)
		return NULL;
	while (n > 0 && ((*buf)[n - 1] == '\n' || (*buf)[n - 1] == '\r'))
		(*buf)[--n] = '\0';
	return *buf;
}

static FILE *
open_or_die(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path, strerror(errno));
	return f;
}

/* ---- hunspell suffix rules ---- */

typedef struct sfx_rule {
	char flag;
	char *strip;
	char *add;
	char *cond;     /* hunspell condition: literals and [..] / [^..] classes, anchored at the end */
} sfx_rule;

static sfx_rule *rules;
static size_t n_rules;

/* Splits a condition into its elements (one character or one class each). */
static size_t
cond_elements(const char *cond, const char **el, size_t *ellen, size_t max)
{
	size_t n = 0;
	const char *p = cond;
	while (*p && n < max) {
		const char *start = p;
		if (*p == '[') {
			while (*p && *p != ']')
				p++;
			if (*p)
				p++;
		} else {
			p++;
			while (((unsigned char)*p & 0xC0) == 0x80)
				p++;
		}
		el[n] = start;
		ellen[n++] = (size_t)(p - start);
	}
	return n;
}

/* True if the character @c (UTF-8, @clen bytes) matches element @e. */
static bool
cond_char(const char *e, size_t elen, const char *c, size_t clen)
{
	if (e[0] != '[')
		return elen == clen && memcmp(e, c, clen) == 0;
	bool neg = e[1] == '^';
	const char *p = e + (neg ? 2 : 1), *end = e + elen - 1;
	bool found = false;
	while (p < end) {
		size_t l = 1;
		while (p + l < end && ((unsigned char)p[l] & 0xC0) == 0x80)
			l++;
		if (l == clen && memcmp(p, c, l) == 0)
			found = true;
		p += l;
	}
	return found != neg;
}

static bool
cond_matches(const char *cond, const char *word)
{
	const char *el[64];
	size_t ellen[64], n;
	const char *end = word + strlen(word);

	if (strcmp(cond, ".") == 0)
		return true;
	n = cond_elements(cond, el, ellen, 64);
	for (size_t i = n; i-- > 0;) {
		const char *c = end;
		if (c == word)
			return false;
		do
			c--;
		while (c > word && ((unsigned char)*c & 0xC0) == 0x80);
		if (!cond_char(el[i], ellen[i], c, (size_t)(end - c)))
			return false;
		end = c;
	}
	return true;
}

static void
read_aff(const char *path)
{
	FILE *f = open_or_die(path);
	char *buf = NULL;
	size_t cap = 0;
	char *line;

	while ((line = read_line(f, &buf, &cap))) {
		char kw[16], flag[8], strip[64], add[128], cond[128];
		int n = sscanf(line, "%15s %7s %63s %127s %127s", kw, flag, strip, add, cond);
		if (n < 5 || strcmp(kw, "SFX") != 0 || strlen(flag) != 1)
			continue;
		char *slash = strchr(add, '/');
		if (slash)
			*slash = '\0';
		/* Forms with a hyphen are hunspell's compounding devices, not words. */
		if (strchr(add, '-'))
			continue;
		rules = xrealloc(rules, (n_rules + 1) * sizeof *rules);
		rules[n_rules].flag = flag[0];
		rules[n_rules].strip = strdup(strcmp(strip, "0") == 0 ? "" : strip);
		rules[n_rules].add = strdup(strcmp(add, "0") == 0 ? "" : add);
		rules[n_rules].cond = strdup(cond);
		n_rules++;
	}
	free(buf);
	fclose(f);
}

/* Adds @form (case as in the dictionary) with the flags its entry earns. */
static void
add_form(const char *form, bool noun, bool lemma_form)
{
	char w[256];
	snprintf(w, sizeof w, "%s", form);
	lower(w);
	add(w, TR__GW_WORD | (noun ? TR__GW_HEAD : 0) | (noun && !lemma_form ? TR__GW_NOUNFORM : 0));
}

static void
read_dic(const char *path)
{
	FILE *f = open_or_die(path);
	char *buf = NULL;
	size_t cap = 0;
	char *line;
	bool first = true;

	while ((line = read_line(f, &buf, &cap))) {
		char word[256], lw[256], flags[128] = "";
		if (first) {          /* the entry count */
			first = false;
			continue;
		}
		if (!*line || *line == '\t' || *line == '#' || *line == ' ')
			continue;
		char *slash = strchr(line, '/');
		if (slash) {
			*slash = '\0';
			snprintf(flags, sizeof flags, "%s", slash + 1);
			flags[strcspn(flags, " \t")] = '\0';
		}
		snprintf(word, sizeof word, "%s", line);
		word[strcspn(word, " \t")] = '\0';
		if (!*word || strchr(flags, 'd'))   /* FORBIDDENWORD */
			continue;
		snprintf(lw, sizeof lw, "%s", word);
		lower(lw);

		bool upper = is_upper_start(word);
		bool pseudo = strchr(flags, 'h') != NULL;   /* NEEDAFFIX: a compound-only form */
		bool noun = upper && strchr(flags, 'm') && !pseudo;

		if (strchr(flags, 'F'))
			add(lw, TR__GW_FBASE);
		if (strchr(flags, 'j') || strchr(flags, 'x') || (pseudo && strchr(flags, 'k')))
			add(lw, TR__GW_BEGIN);
		if (noun) {
			add(lw, TR__GW_NOUN);
			/* Schule → Schul-, Sprache → Sprach-: the e drops before a part. */
			size_t n = strlen(lw);
			if (n > 2 && lw[n - 1] == 'e' && chars(lw) > 4 && !strchr("aeiouy", lw[n - 2]) &&
			    !((unsigned char)lw[n - 2] >= 0x80)) {
				char st[256];
				snprintf(st, sizeof st, "%.*s", (int)(n - 1), lw);
				add(st, TR__GW_NOUN);
			}
		}
		if (!upper && strchr(flags, 'A'))
			add(lw, TR__GW_ADJ);
		if (!upper && (strchr(flags, 'I') || strchr(flags, 'X') || strchr(flags, 'Y'))) {
			size_t n = strlen(lw);
			char st[256];
			if (ends_with(lw, "en") && n > 3 && lw[n - 3] != 'e') {
				snprintf(st, sizeof st, "%.*s", (int)(n - 2), lw);
				add(st, TR__GW_VSTEM);
			} else if (ends_with(lw, "ln") || ends_with(lw, "rn")) {
				snprintf(st, sizeof st, "%.*s", (int)(n - 1), lw);
				add(st, TR__GW_VSTEM);
			}
		}

		if (!pseudo)
			add_form(word, upper && strchr(flags, 'm'), true);
		for (const char *fl = flags; *fl; fl++) {
			for (size_t r = 0; r < n_rules; r++) {
				sfx_rule *rule = &rules[r];
				char form[256];
				size_t wl = strlen(word), sl = strlen(rule->strip);
				if (rule->flag != *fl || !cond_matches(rule->cond, word))
					continue;
				if (sl > wl || memcmp(word + wl - sl, rule->strip, sl) != 0)
					continue;
				snprintf(form, sizeof form, "%.*s%s", (int)(wl - sl), word, rule->add);
				add_form(form, noun || (upper && strchr(flags, 'm')), strcmp(form, word) == 0);
			}
		}
	}
	free(buf);
	fclose(f);
}

static void
read_list(const char *path, unsigned flags)
{
	FILE *f = open_or_die(path);
	char *buf = NULL;
	size_t cap = 0;
	char *line;

	while ((line = read_line(f, &buf, &cap))) {
		line[strcspn(line, "#")] = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		p[strcspn(p, " \t")] = '\0';
		if (!*p)
			continue;
		lower(p);
		add(p, flags);
	}
	free(buf);
	fclose(f);
}

/*
 * Word-formation rules, not vocabulary, so they live here rather than in a
 * data file: separable and inseparable prefixes and prefix-like words,
 * which make "ab+rüstung" or "gegen+position" look like compounds but are
 * derivations; and suffixes that happen to be words ("-haft", "-elle",
 * "-ende") and so must not be taken as a compound's last part.
 */
static const char *const particles[] = {
	"ab", "an", "auf", "aus", "bei", "dar", "durch", "ein", "ent", "er", "ge", "her", "hin",
	"mit", "nach", "ob", "über", "um", "un", "unter", "ur", "ver", "vor", "weg", "zer", "zu",
	"nieder", "empor", "vorüber", "herab", "hinab", "heraus", "herein", "herum", "herunter",
	"hinauf", "hinaus", "hinein", "hinüber", "hinunter", "voran", "voraus", "vorbei", "davon",
	"daran", "darauf", "dazu", "miteinander", "aneinander", "anti", "super", "ultra", "gegen",
	"zusammen", "neben", "hinter", "wieder", "mini", "maxi", "mega", "multi", "pseudo", "semi",
	"extra", "hyper", "inter", "intra", "infra", "para", "poly", "prä", "pro", "post", "sub",
	"trans", "voll", "miss", "ex", "co", "ko", "kon", "kom", "dis", "de", "re", "in", "im",
	"il", "ir", "non",
};

static const char *const bad_heads[] = {
	"ung", "ungen", "schaft", "schaften", "heit", "heiten", "keit", "keiten", "ion", "ionen",
	"tät", "isch", "ische", "ischer", "ismus", "ist", "isten", "lich", "liche", "los", "lose",
	"mal", "bar", "sam", "ig", "ige", "iger", "erin", "erinnen", "ern", "ens", "er", "ende",
	"enden", "ender", "endes", "elle", "ellen", "eller", "elles", "ellem", "öse", "ösen",
	"ösem", "öser", "öses", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer",
	"eines", "und", "ums", "erste", "ersten", "erster", "erstes", "haft", "hafte", "hafter",
	"haften", "haftes", "haftem",
};

int
main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr, "usage: tr_german_gen OUT DICT AFF WORDLIST NOSPLIT STOPWORDS THESAURUS\n");
		return 2;
	}
	const char *out = argv[1];

	read_aff(argv[3]);
	read_dic(argv[2]);
	read_list(argv[4], TR__GW_WORD);
	for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
		add(particles[i], TR__GW_PARTICLE);
	for (size_t i = 0; i < sizeof bad_heads / sizeof bad_heads[0]; i++)
		add(bad_heads[i], TR__GW_BADHEAD);
	read_list(argv[5], TR__GW_NOSPLIT);
	read_list(argv[6], TR__GW_STOP);

	/* The thesaurus goes in as text; lib/german.c parses its few lines on first use. */
	FILE *th = open_or_die(argv[7]);
	char *thes = NULL;
	size_t thes_len = 0, cap = 0;
	char *line, *buf = NULL;
	while ((line = read_line(th, &buf, &cap))) {
		if (!*line || *line == '#')
			continue;
		size_t n = strlen(line);
		thes = xrealloc(thes, thes_len + n + 2);
		memcpy(thes + thes_len, line, n);
		thes_len += n;
		thes[thes_len++] = '\n';
	}
	free(buf);
	fclose(th);

	size_t stop_bits;
	uint64_t *stop = stop_table(&stop_bits);
	struct tr__german_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, TR__GERMAN_MAGIC, sizeof h.magic);
	h.table_bits = (uint32_t)table_bits;
	h.thesaurus_len = (uint32_t)thes_len;
	h.stop_bits = (uint32_t)stop_bits;

	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", out);
	FILE *o = fopen(tmp, "wb");
	if (!o)
		die(tmp, strerror(errno));
	if (fwrite(&h, sizeof h, 1, o) != 1 ||
	    fwrite(table, sizeof *table, (size_t)1 << table_bits, o) != (size_t)1 << table_bits ||
	    fwrite(stop, sizeof *stop, (size_t)1 << stop_bits, o) != (size_t)1 << stop_bits ||
	    (thes_len && fwrite(thes, 1, thes_len, o) != thes_len) || fclose(o) != 0)
		die(tmp, strerror(errno));
	if (rename(tmp, out) != 0)
		die(out, strerror(errno));
	fprintf(stderr, "tr_german_gen: %zu words, table 2^%zu, thesaurus %zu bytes\n",
	        table_used, table_bits, thes_len);
	free(table);
	free(stop);
	free(thes);
	return 0;
}
