#include "lzfu.h"

#include <stdint.h>
#include <string.h>

#include "ole.h"
#include "zipxml.h"

#define LZFU_COMPRESSED 0x75465A4Cul     /* "LZFu" */
#define LZFU_UNCOMPRESSED 0x414C454Dul   /* "MELA" */
#define LZFU_DICT 4096
#define LZFU_HEADER 16

/* The dictionary's first bytes, as [MS-OXRTFCP] 2.1.2.1 gives them. */
static const char lzfu_preset[] =
	"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss "
	"\\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
	"{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

_Static_assert(sizeof lzfu_preset - 1 == 207, "the preset dictionary is 207 bytes");

uint32_t
tr__lzfu_crc(const unsigned char *p, size_t n)
{
	uint32_t crc = 0;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return crc;
}

typedef struct lzfu_ctx {
	unsigned char dict[LZFU_DICT];
	size_t w;          /* the dictionary's write position */
	tr_buf *out;
	size_t left;       /* bytes RAWSIZE still allows */
} lzfu_ctx;

static tr_status
lzfu_put(lzfu_ctx *c, unsigned char b)
{
	c->dict[c->w] = b;
	c->w = (c->w + 1) % LZFU_DICT;
	c->left--;
	return tr_buf_addc(c->out, (char)b);
}

/*
 * The runs of @p[0..n): a control byte whose bits (lowest first) say
 * whether each of the next eight tokens is a literal byte or a two-byte
 * big-endian reference (12 bits dictionary offset, 4 bits length - 2).  A
 * reference to the write position itself ends the data.
 */
static tr_status
lzfu_runs(lzfu_ctx *c, const unsigned char *p, size_t n, char **why)
{
	size_t i = 0;

	while (i < n && c->left) {
		unsigned ctl = p[i++];

		for (int bit = 0; bit < 8 && c->left; bit++) {
			tr_status st = TR_OK;

			if (i >= n)
				break;
			if (!(ctl >> bit & 1)) {
				st = lzfu_put(c, p[i++]);
			} else if (i + 2 > n) {
				break;
			} else {
				size_t ref = (size_t)p[i] << 8 | p[i + 1];
				size_t off = ref >> 4, k = (ref & 15) + 2;

				i += 2;
				if (off == c->w)
					return TR_OK;
				/* Byte by byte: a reference may overlap what it writes. */
				for (size_t j = 0; j < k && c->left && st == TR_OK; j++)
					st = lzfu_put(c, c->dict[(off + j) % LZFU_DICT]);
			}
			if (st != TR_OK)
				return st;
		}
	}
	if (!c->left)
		return TR_OK;
	*why = tr__reason("beschädigt: komprimiertes RTF bricht vor dem Ende ab");
	return TR_EFORMAT;
}

tr_status
tr__lzfu_decompress(tr_buf *out, const unsigned char *in, size_t len, char **why)
{
	static lzfu_ctx zero;
	lzfu_ctx c = zero;
	unsigned long compsize, rawsize, type;
	const unsigned char *data = in + LZFU_HEADER;
	size_t n;

	if (len < LZFU_HEADER) {
		*why = tr__reason("beschädigt: komprimiertes RTF ohne Kopf");
		return TR_EFORMAT;
	}
	compsize = tr__le32(in);
	rawsize = tr__le32(in + 4);
	type = tr__le32(in + 8);
	if (compsize < LZFU_HEADER - 4 || compsize > len - 4) {
		*why = tr__reason("beschädigt: komprimiertes RTF mit falscher Länge");
		return TR_EFORMAT;
	}
	n = compsize - (LZFU_HEADER - 4);
	if (type == LZFU_UNCOMPRESSED) {
		if (rawsize > n) {
			*why = tr__reason("beschädigt: RTF kürzer als angegeben");
			return TR_EFORMAT;
		}
		return tr_buf_add(out, data, rawsize);
	}
	if (type != LZFU_COMPRESSED) {
		*why = tr__reason("beschädigt: unbekannte RTF-Kompression");
		return TR_EFORMAT;
	}
	if (tr__lzfu_crc(data, n) != tr__le32(in + 12)) {
		*why = tr__reason("beschädigt: Prüfsumme des komprimierten RTF falsch");
		return TR_EFORMAT;
	}
	memcpy(c.dict, lzfu_preset, sizeof lzfu_preset - 1);
	c.w = sizeof lzfu_preset - 1;
	c.out = out;
	c.left = rawsize;
	return lzfu_runs(&c, data, n, why);
}
