/*
 * The German lexicon generated at build time (lib/german/gen.c), embedded
 * as it is: the table is used in place, so nothing is parsed or copied
 * when a process starts.  CMake passes the blob's path and rebuilds this
 * file when the blob changes.
 */
#include "german.h"

#ifdef TR_GERMAN_BLOB_PATH
__asm__(".section .rodata\n"
        ".global tr__german_blob\n"
        ".type tr__german_blob, @object\n"
        ".balign 64\n"
        "tr__german_blob:\n"
        ".incbin \"" TR_GERMAN_BLOB_PATH "\"\n"
        ".global tr__german_blob_end\n"
        ".type tr__german_blob_end, @object\n"
        "tr__german_blob_end:\n"
        ".byte 0\n"
        ".previous\n");
#else
/* A build without the lexicon: the splitter finds no compounds. */
const unsigned char tr__german_blob[1] = { 0 };
const unsigned char tr__german_blob_end[1] = { 0 };
#endif

extern const unsigned char tr__german_blob[];
extern const unsigned char tr__german_blob_end[];

const unsigned char *
tr__german_lexicon(size_t *len)
{
	*len = (size_t)(tr__german_blob_end - tr__german_blob);
	return tr__german_blob;
}
