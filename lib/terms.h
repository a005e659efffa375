/*
 * The registry of term prefixes and value slots: the index's schema.  Every
 * prefix and slot used anywhere is defined here and described in
 * docs/terms.md; prefixes follow Xapian's Omega conventions where one
 * exists, so that xapian-delve and quest can read the index.
 */
#ifndef TR_TERMS_H
#define TR_TERMS_H

/* Term prefixes. */
#define TR_PREFIX_ID        "Q"   /* unique id: the file's absolute path */
#define TR_PREFIX_TITLE     "S"   /* title words (free text, positional) */
#define TR_PREFIX_AUTHOR    "A"   /* author words (free text, positional), as Omega */
#define TR_PREFIX_DISTRICT  "XD"  /* district key, every district of the document */
#define TR_PREFIX_MAIN      "XM"  /* district key of the main district */
#define TR_PREFIX_TYPE      "XT"  /* doctype key */
#define TR_PREFIX_TOPIC     "XK"  /* topic key (Thema) */
#define TR_PREFIX_TAG       "K"   /* free keyword from front matter or meta tags, folded */
#define TR_PREFIX_DATE      "D"   /* YYYYMMDD */
#define TR_PREFIX_MONTH     "M"   /* YYYYMM */
#define TR_PREFIX_YEAR      "Y"   /* YYYY */
#define TR_PREFIX_MIME      "T"   /* MIME type */
#define TR_PREFIX_FORMAT    "XF"  /* extractor name: markdown, html, text, ... */
#define TR_PREFIX_VISIBILITY "XV" /* "intern" on documents of internal roots */
#define TR_TERM_INTERNAL    TR_PREFIX_VISIBILITY "intern"
#define TR_PREFIX_COMPOUND  "XC"  /* stem of a compound's part or run of parts, no positions (docs/german.md) */
#define TR_PREFIX_GENDER    "XG"  /* stem of the male base of a female or gender-inclusive form, no positions */
#define TR_PREFIX_SAME_TEXT "XH"  /* the same-text key (lib/sametext.h): finds a text's copies */
#define TR_PREFIX_SKETCH    "XN"  /* one hash of the shingle sketch (lib/shingle.h): finds a text's versions */
#define TR_PREFIX_SAMPLE    "XS"  /* "XS<k>": the text is in the count pass's 1-in-2^k sample, k = 1 .. TR_SAMPLE_LEVELS */

/* Sample levels of the count pass (XS1 .. XS16): 1 in 65,536 texts at the last. */
#define TR_SAMPLE_LEVELS 16

/* Longest word the TermGenerator indexes, in bytes (Xapian's default is 64). */
#define TR_WORD_MAX 200

/* Value slots and their encodings. */
enum tr_slot {
	TR_SLOT_DATE = 0,       /* "YYYYMMDD", 00 for unknown month/day: sorts by date */
	TR_SLOT_DISTRICTS = 1,  /* district keys joined by '|', main first */
	TR_SLOT_TYPE = 2,       /* doctype key */
	TR_SLOT_TOPICS = 3,     /* topic keys joined by '|' */
	TR_SLOT_MTIME = 4,      /* file mtime, Xapian::sortable_serialise(seconds) */
	TR_SLOT_SIZE = 5,       /* file size, Xapian::sortable_serialise(bytes) */
	TR_SLOT_TEXT = 6,       /* the start of the body (up to TR_TEXT_SAMPLE_MAX bytes) for snippets */
	TR_SLOT_PATH = 7,       /* the absolute path, for the incremental indexer's scan */
	TR_SLOT_STAMP = 8,      /* the indexer's change-detection record (see indexer/update.c) */
	TR_SLOT_SAME_TEXT = 9,  /* the same-text key: search folds copies on it (collapse key) */
	TR_SLOT_ADDED = 10,     /* when the path first entered the index, Xapian::sortable_serialise(seconds) */
	TR_SLOT_SKETCH = 11,    /* the shingle sketch (tr_sketch_encode()): versions ("Fassungen") */
	TR_SLOT_COUNTED = 12    /* what a count pass reads, in one value: same-text key, districts, type, topics, date, path, NUL-separated */
};

/* Separator inside multi-valued slots. */
#define TR_SLOT_SEP '|'

/* How much body text is kept for snippets. */
#define TR_TEXT_SAMPLE_MAX (64 * 1024)

/* Xapian's limit on a term's length, in bytes. */
#define TR_TERM_MAX 245

#endif
