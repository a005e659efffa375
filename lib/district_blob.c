/*
 * The district registry compiled at build time (lib/district/gen.c),
 * embedded as it is: lib/district.c uses its trie in place, so a process
 * that starts does not parse the gazetteer.  CMake passes the blob's path
 * and rebuilds this file when the blob changes.
 */
#ifdef TR_DISTRICTS_BLOB_PATH
__asm__(".section .rodata\n"
        ".global tr__districts_blob\n"
        ".type tr__districts_blob, @object\n"
        ".balign 64\n"
        "tr__districts_blob:\n"
        ".incbin \"" TR_DISTRICTS_BLOB_PATH "\"\n"
        ".global tr__districts_blob_end\n"
        ".type tr__districts_blob_end, @object\n"
        "tr__districts_blob_end:\n"
        ".byte 0\n"
        ".previous\n");
#else
/* A build without the blob: every process parses the data files. */
const unsigned char tr__districts_blob[1] = { 0 };
const unsigned char tr__districts_blob_end[1] = { 0 };
#endif
