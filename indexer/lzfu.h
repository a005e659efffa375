/*
 * Compressed RTF ([MS-OXRTFCP]), the form in which Outlook keeps a
 * message's RTF body (PR_RTF_COMPRESSED): a 16-byte header (COMPSIZE,
 * RAWSIZE, COMPTYPE, CRC), then either the RTF as it is ("MELA") or LZ77
 * runs against a 4096-byte ring dictionary that starts with 207 bytes of
 * common RTF ("LZFu").
 */
#ifndef TR_LZFU_H
#define TR_LZFU_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "tellerrand/status.h"

/*
 * Appends the RTF that @in[0..len) holds to @out.  Returns TR_OK;
 * TR_EFORMAT with *why ("beschädigt: …", owned by the caller) for a
 * header that does not fit the data, an unknown COMPTYPE, a CRC that does
 * not match or runs that end before the end marker or RAWSIZE; TR_ETOOBIG
 * when @out is full (what fits is kept); TR_ENOMEM.
 */
tr_status tr__lzfu_decompress(tr_buf *out, const unsigned char *in, size_t len, char **why);

/*
 * The CRC of [MS-OXRTFCP] 2.1.3.2 over @p[0..n): CRC-32's polynomial, but
 * no inversion before or after.  For writers of compressed RTF (the tests).
 */
uint32_t tr__lzfu_crc(const unsigned char *p, size_t n);

#endif
