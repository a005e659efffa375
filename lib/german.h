/*
 * German word knowledge for indexing and searching: compound splitting,
 * spelling variants (ä/ae, ö/oe, ü/ue, ß/ss), gender-inclusive forms,
 * stopwords and the thesaurus of the field.  Pure C and no Xapian: the
 * shim (lib/db_document.cc, lib/db_query.cc) turns what these functions find into terms and queries.
 *
 * The lexicon behind it is generated at build time from Debian's
 * hunspell-de-de and wngerman by lib/german/gen.c and embedded in the
 * library, so nothing is loaded or parsed at start.  docs/german.md
 * describes the rules.
 */
#ifndef TR_GERMAN_H
#define TR_GERMAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tellerrand/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the generated blob (shared with the generator) -------------------- */

/* The embedded lexicon as bytes (*len of them): it shapes the terms, so it is part of the index fingerprint. */
const unsigned char *tr__german_lexicon(size_t *len);

#define TR__GERMAN_MAGIC "TRDE0002"

/*
 * The header, then the table, then the stopwords' entries again in a table
 * of their own (1 << stop_bits entries), then the thesaurus text.
 */
struct tr__german_header {
	char magic[8];
	uint32_t table_bits;      /* the table has 1 << table_bits entries */
	uint32_t thesaurus_len;   /* bytes of thesaurus text after the stopword table */
	uint32_t stop_bits;       /* the stopword table has 1 << stop_bits entries */
	uint32_t reserved;
};

/* Word flags, the low 16 bits of a table entry. */
enum {
	TR__GW_WORD = 1 << 0,      /* a word form of the word list */
	TR__GW_HEAD = 1 << 1,      /* a noun form: may end a compound */
	TR__GW_BEGIN = 1 << 2,     /* hunspell allows it to start a compound ("Bildungs", "Schul") */
	TR__GW_NOUN = 1 << 3,      /* a noun lemma (or lemma without final e): may start a compound */
	TR__GW_NOUNFORM = 1 << 4,  /* an inflected noun form (plural, genitive): a modifier with its linker */
	TR__GW_ADJ = 1 << 5,       /* an adjective lemma */
	TR__GW_VSTEM = 1 << 6,     /* a verb stem (infinitive without -en/-n) */
	TR__GW_FBASE = 1 << 7,     /* a person noun with female forms in -in/-innen */
	TR__GW_PARTICLE = 1 << 8,  /* a prefix or particle: never a part of its own */
	TR__GW_BADHEAD = 1 << 9,   /* a suffix that is also a word: never the last part */
	TR__GW_NOSPLIT = 1 << 10,  /* do-not-split list (data/german-nosplit.txt) */
	TR__GW_STOP = 1 << 11      /* query stopword (data/german-stopwords.txt) */
};

#define TR__GW_FLAG_MASK 0xFFFFull
#define TR__GW_KEY_MASK (~TR__GW_FLAG_MASK)
#define TR__GW_KEY_SHIFT 16

/* The table key of a lower-case word: FNV-1a, flag bits cleared, never 0. */
static inline uint64_t
tr__german_key(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	h &= TR__GW_KEY_MASK;
	return h ? h : (1ull << TR__GW_KEY_SHIFT);
}

/* ---- lookups ------------------------------------------------------------- */

/* The TR__GW_* flags of the lower-case word @s[0..len); 0 if unknown. */
unsigned tr__german_flags(const char *s, size_t len);

/* True if the lexicon was embedded (false only in a build without it). */
bool tr__german_available(void);

/* ---- compounds ----------------------------------------------------------- */

#define TR__SPLIT_MAX 8

/*
 * One part of a compound.  The surface is @word[off..off+len); the part
 * without its linking element (Fugenelement: "bildungs" → "bildung") is
 * the first @base bytes of it.
 */
typedef struct tr__part {
	size_t off, len, base;
} tr__part;

typedef struct tr__split {
	size_t n;                  /* number of parts; 0 if the word is not split */
	tr__part part[TR__SPLIT_MAX];
} tr__split;

/*
 * Splits the lower-case word @w[0..len) into its parts: "hauptschulabschluss"
 * → haupt + schul + abschluss.  Sets out->n to 0 for words that are not
 * compounds (or not known well enough to split safely).
 */
void tr__german_split(const char *w, size_t len, tr__split *out);

/*
 * Calls @fn for each term a compound contributes besides itself: every
 * part and every run of parts that ends at the last part or is a word
 * itself ("schulabschluss", "abschluss", "haupt", "schul" for
 * "hauptschulabschluss"), each without the linking element of its last
 * part, and the female forms' base of the last part.  @head is true for
 * runs that end at the last part.  Returns the number of parts.
 */
typedef void (*tr__part_fn)(const char *s, size_t len, bool head, void *ctx);
size_t tr__german_compound_terms(const char *w, size_t len, tr__part_fn fn, void *ctx);

/*
 * Calls @fn with each other inflected form of the lower-case noun @w, by way
 * of its last part: the forms of the word list that the part's lemma takes
 * ("kurs", "kurse", "kursen", "kurses"), after the word's first parts as
 * written.  So "alphabetisierungskurs" gives "alphabetisierungskurse", ...
 * even though no word list knows the compound (its last part is then its
 * longest ending that is a noun form).  Female forms give none (they have
 * their gender terms).  Returns the number of forms.
 */
typedef void (*tr__word_fn)(const char *s, size_t len, void *ctx);
size_t tr__german_word_forms(const char *w, size_t len, tr__word_fn fn, void *ctx);

/* ---- gender forms ---------------------------------------------------------- */

/*
 * If the lower-case word @w is a female or gender-inclusive form of a
 * person noun ("lehrerin", "lehrerinnen", "bildungskoordinatorinnen"),
 * returns the length of its base ("lehrer"); otherwise 0.
 */
size_t tr__german_gender_base(const char *w, size_t len);

/* True if the lower-case word is a person noun that has female forms ("lehrer"). */
bool tr__german_has_female(const char *w, size_t len);

/*
 * Finds gender-inclusive spellings in running text: "Lehrer*innen",
 * "Lehrer:innen", "Lehrer_innen", "Lehrer/innen", "LehrerInnen" (and the
 * singular "-in" forms).  Calls @fn with the base word as written
 * ("Lehrer"), which the caller lower-cases.
 */
void tr__german_scan_gender(const char *text, tr__word_fn fn, void *ctx);

/*
 * Finds hyphenated compounds in running text and calls @fn with the word
 * they stand for, without hyphens: "Kita-Plätze" → "KitaPlätze",
 * "DaZ-Klassen" → "DaZKlassen", and for a coordination with an elided part
 * "Ausländer- und Asylangelegenheiten" → "Ausländerangelegenheiten" (the
 * last part of the second word completes the first).
 */
void tr__german_scan_hyphenated(const char *text, tr__word_fn fn, void *ctx);

/*
 * Rewrites gender notation in a query to the plain female plural that the
 * index knows as a gender form: "Lehrer*innen", "Lehrer:innen",
 * "Lehrer_innen", "LehrerInnen" → "Lehrerinnen".  Returns a malloc'ed
 * string (owned by the caller; free with free()) or NULL when out of memory.
 */
char *tr__german_normalise_query(const char *text);

/* ---- spelling variants --------------------------------------------------- */

#define TR__VARIANTS_MAX 8

/*
 * Writes the spelling variants of the lower-case word @w (ae↔ä, oe↔ö,
 * ue↔ü, ss↔ß, both ways; not after q, as in "quelle") into @out, each a
 * malloc'ed string, and returns how many (at most TR__VARIANTS_MAX).  The
 * word itself is not among them.  Free each with free().
 */
size_t tr__german_variants(const char *w, char **out);

/* ---- stopwords and thesaurus ----------------------------------------------- */

/* True if the lower-case word is a German stopword (applied to queries only). */
bool tr__german_is_stopword(const char *w, size_t len);

/* One line of the thesaurus: equivalent expressions and the weight of a substitute. */
typedef struct tr__thes_group {
	double weight;
	size_t n;
	const char **terms;       /* as written in the data file, e.g. "Deutsch als Zweitsprache" */
} tr__thes_group;

/*
 * The thesaurus (data/thesaurus.tsv), parsed once.  Owned by the library;
 * valid for the life of the process.  Sets *n to the number of groups;
 * returns NULL with *n = 0 when out of memory.
 */
const tr__thes_group *tr__german_thesaurus(size_t *n);

#ifdef __cplusplus
}
#endif

#endif
