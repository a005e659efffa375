/*
 * Near-duplicates ("Fassungen"): a small sketch of a text's word shingles
 * (every run of TR_SHINGLE_WORDS words), so that a draft and its final
 * version, which share most of their shingles, can be told from two texts
 * that only share a template.  Rules and the measured threshold in
 * docs/terms.md ("Versions").
 */
#ifndef TR_SHINGLE_H
#define TR_SHINGLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tellerrand/document.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Words per shingle. */
#define TR_SHINGLE_WORDS 4
/* Hashes a sketch keeps: the smallest of the text's shingle hashes (a bottom-k sketch). */
#define TR_SKETCH_SIZE 32
/*
 * Hashes of a sketch, its smallest, that are also terms to find the texts
 * sharing one: two versions share at least one of them but for a chance of
 * about (1 - J)^8 (2 % at J = 0.4), and a page looks up 8 terms a hit, not 32.
 */
#define TR_SKETCH_TERMS 8
/* Texts with fewer shingles get no sketch: too short to call two of them versions of one. */
#define TR_SKETCH_MIN_SHINGLES 8
/*
 * Estimated share of shared shingles (Jaccard) from which two texts are
 * versions of one ("Fassungen"); measured in docs/terms.md.
 */
#define TR_VERSION_THRESHOLD 0.4

typedef struct tr_sketch {
	uint64_t h[TR_SKETCH_SIZE];   /* ascending, distinct */
	size_t n;                     /* TR_SKETCH_SIZE, or fewer for a text with fewer shingles */
} tr_sketch;

/*
 * The sketch of @text (folded words; a word hyphenated at a line end is
 * joined).  Returns false, @out empty, for a text with fewer than
 * TR_SKETCH_MIN_SHINGLES shingles or when memory runs out.
 */
bool tr_sketch_text(const char *text, size_t len, tr_sketch *out);

/* The sketch of @doc's title and body. */
bool tr_sketch_doc(const tr_doc *doc, tr_sketch *out);

/*
 * The estimated Jaccard similarity of the two texts' shingle sets: of the
 * TR_SKETCH_SIZE smallest hashes of both, the share that both have.
 * 0 when either is empty.
 */
double tr_sketch_similarity(const tr_sketch *a, const tr_sketch *b);

/* Stored form: 8 bytes a hash, big-endian; @out holds 8 * a->n bytes. */
void tr_sketch_encode(const tr_sketch *a, unsigned char *out);
/* Reads a stored sketch; false (out empty) for a malformed one. */
bool tr_sketch_decode(const unsigned char *in, size_t len, tr_sketch *out);

#ifdef __cplusplus
}
#endif

#endif
