/*
 * Escaping for the places the server puts text: HTML text and attributes,
 * URL query values.  Every string from a document or a request goes
 * through one of these at the point where it is written.
 */
#include <string.h>

#include "serve.h"
#include "text.h"

#define REPLACEMENT "\xEF\xBF\xBD"

/*
 * One code point of @s escaped for HTML; *used receives its length.
 * Malformed UTF-8 becomes U+FFFD, so a damaged record cannot produce an
 * invalid page; control characters become spaces, which HTML forbids.
 */
static tr_status
html_char(tr_buf *b, const char *s, size_t len, size_t *used)
{
	unsigned char c = (unsigned char)*s;
	int cp;

	*used = 1;
	switch (c) {
	case '&': return tr_buf_adds(b, "&amp;");
	case '<': return tr_buf_adds(b, "&lt;");
	case '>': return tr_buf_adds(b, "&gt;");
	case '"': return tr_buf_adds(b, "&quot;");
	case '\'': return tr_buf_adds(b, "&#39;");
	default: break;
	}
	if (c < 0x20 || c == 0x7f)
		return tr_buf_addc(b, ' ');
	if (c < 0x80)
		return tr_buf_addc(b, (char)c);
	*used = tr_text_decode(s, len, &cp);
	if (cp == 0xFFFD && !(*used == 3 && memcmp(s, REPLACEMENT, 3) == 0))
		return tr_buf_adds(b, REPLACEMENT);
	/* C1 controls are as invalid in HTML as C0 ones. */
	if (cp >= 0x80 && cp < 0xA0)
		return tr_buf_addc(b, ' ');
	return tr_buf_add(b, s, *used);
}

tr_status
tr_html_text(tr_buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, used;
	tr_status st = TR_OK;

	while (i < len && st == TR_OK) {
		st = html_char(b, s + i, len - i, &used);
		i += used;
	}
	return st;
}

tr_status
tr_html_url(tr_buf *b, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	tr_status st = TR_OK;

	for (; s && *s && st == TR_OK; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
			st = tr_buf_addc(b, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			st = tr_buf_add(b, esc, 3);
		}
	}
	return st;
}

tr_status
tr_html_snippet(tr_buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, used;
	bool open = false;
	tr_status st = TR_OK;

	while (i < len && st == TR_OK) {
		if (s[i] == '\x02' || s[i] == '\x03') {
			/* Marks that do not pair up must not leave an element open. */
			if (s[i] == '\x02' && !open)
				st = tr_buf_adds(b, "<mark>");
			else if (s[i] == '\x03' && open)
				st = tr_buf_adds(b, "</mark>");
			open = s[i] == '\x02';
			i++;
			continue;
		}
		st = html_char(b, s + i, len - i, &used);
		i += used;
	}
	if (open && st == TR_OK)
		st = tr_buf_adds(b, "</mark>");
	return st;
}

bool
tr_html_clean_text(const char *s, size_t len)
{
	if (!tr_text_is_utf8(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}
