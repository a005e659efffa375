/*
 * Outlook messages (.msg, [MS-OXMSG]): an OLE2 file (indexer/ole.h) that
 * keeps each MAPI property of the message in a stream of its own,
 * "__substg1.0_TTTTPPPP" (TTTT the property id, PPPP its type: 001F
 * UTF-16LE, 001E 8-bit in the message's code page, 0102 binary), and the
 * fixed-size ones (dates, numbers) as 16-byte entries of the
 * "__properties_version1.0" stream.  Read like an .eml: the subject is
 * the title, the sender the author, the submit (else delivery) time the
 * document's date; the first page is "Von:" and "An:" lines and the body
 * (plain text, else the HTML body through the HTML extractor, else the
 * compressed RTF through the RTF extractor); each attachment is a page of
 * its own (indexer/attach.h), an attached Outlook message read as a
 * message in turn.
 */
#include "extract.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "attach.h"
#include "lzfu.h"
#include "ole.h"
#include "text.h"
#include "zipxml.h"

/* Property ids ([MS-OXPROPS]). */
#define PID_MESSAGE_CLASS 0x001A
#define PID_SUBJECT 0x0037
#define PID_CLIENT_SUBMIT_TIME 0x0039
#define PID_SENT_REPRESENTING_NAME 0x0042
#define PID_DISPLAY_CC 0x0E03
#define PID_DISPLAY_TO 0x0E04
#define PID_MESSAGE_DELIVERY_TIME 0x0E06
#define PID_SENDER_NAME 0x0C1A
#define PID_SENDER_EMAIL 0x0C1F
#define PID_BODY 0x1000
#define PID_RTF_COMPRESSED 0x1009
#define PID_HTML 0x1013
#define PID_DISPLAY_NAME 0x3001
#define PID_ATTACH_DATA 0x3701
#define PID_ATTACH_FILENAME 0x3704
#define PID_ATTACH_LONG_FILENAME 0x3707
#define PID_INTERNET_CPID 0x3FDE
#define PID_MESSAGE_CODEPAGE 0x3FFD
#define PID_SENDER_SMTP 0x5D01
#define PID_RECIPIENT_TYPE 0x0C15
#define PID_EMAIL_ADDRESS 0x3003

/* Property types. */
#define PT_LONG 0x0003
#define PT_OBJECT 0x000D
#define PT_STRING8 0x001E
#define PT_UNICODE 0x001F
#define PT_SYSTIME 0x0040
#define PT_BINARY 0x0102

/* The header before the entries of "__properties_version1.0" ([MS-OXMSG] 2.4.1). */
#define MSG_HEADER_TOP 32
#define MSG_HEADER_EMBEDDED 24
#define MSG_HEADER_ATTACH 8
#define MSG_PROP_ENTRY 16

#define MSG_PATH_MAX 1024
#define MSG_MAX_RECIPIENTS 1024
#define MSG_NAMES_MAX (64 << 10)   /* bytes of a name or a list of names */
#define MSG_CP_DEFAULT 1252

typedef struct msg_ctx {
	tr__ole *ole;
	const char *prefix;          /* the message's storage: "" at the top */
	tr_extract *out;
	tr_buf text;                 /* the first page */
	tr__attachments att;
	unsigned char *props;        /* "__properties_version1.0" */
	size_t props_len, header;
	int cp;                      /* code page of the 001E strings */
} msg_ctx;

/* @dir + "/" + @name into @path (just @name at the top); false if it does not fit. */
static bool
msg_path(char *path, const char *dir, const char *name)
{
	int n = *dir ? snprintf(path, MSG_PATH_MAX, "%s/%s", dir, name)
	             : snprintf(path, MSG_PATH_MAX, "%s", name);

	return n > 0 && n < MSG_PATH_MAX;
}

/* Reads the stream of property @id of type @type in storage @dir; TR_ENOTFOUND if none. */
static tr_status
msg_stream(tr__ole *ole, const char *dir, unsigned id, unsigned type, char **data, size_t *len,
           char **why)
{
	char name[32], path[MSG_PATH_MAX];

	snprintf(name, sizeof name, "__substg1.0_%04X%04X", id & 0xFFFF, type & 0xFFFF);
	if (!msg_path(path, dir, name))
		return TR_ENOTFOUND;
	return tr__ole_read(ole, path, data, len, why);
}

/*
 * The value of the fixed-size property @id of type @type from the
 * properties stream, in *val; false if it is not there.
 */
static bool
msg_fixed(const unsigned char *props, size_t len, size_t header, unsigned id, unsigned type,
          uint64_t *val)
{
	unsigned long tag = (unsigned long)id << 16 | type;

	for (size_t p = header; props && p + MSG_PROP_ENTRY <= len; p += MSG_PROP_ENTRY) {
		if (tr__le32(props + p) != tag)
			continue;
		*val = (uint64_t)tr__le32(props + p + 8) | (uint64_t)tr__le32(props + p + 12) << 32;
		return true;
	}
	return false;
}

/*
 * 8-bit text @s[0..n) in Windows code page @cp appended to @b as UTF-8.
 * iconv knows the Windows and DOS code pages as "CPnnn"; the ISO 8859
 * ones (28591-28605) and KOI8 only by their own names.  What iconv does
 * not know is read as Windows-1252.
 */
static tr_status
msg_decode8(tr_buf *b, const char *s, size_t n, int cp)
{
	char name[16];
	tr_status st;

	if (cp == 65001)
		return tr__extract_decode(b, s, n, "utf-8");
	if (cp != MSG_CP_DEFAULT && cp != 28591 && cp != 20127 && cp > 0) {
		if (cp > 28591 && cp <= 28605)
			snprintf(name, sizeof name, "ISO-8859-%d", cp - 28590);
		else if (cp == 20866 || cp == 21866)
			snprintf(name, sizeof name, "%s", cp == 20866 ? "KOI8-R" : "KOI8-U");
		else
			snprintf(name, sizeof name, "CP%d", cp);
		if ((st = tr_text_to_utf8(b, s, n, name)) != TR_EUNSUPPORTED)
			return st;
	}
	return tr__extract_decode(b, s, n, "iso-8859-1");   /* read as Windows-1252 */
}

/*
 * The string property @id of storage @dir appended to @b: the UTF-16 form
 * if there is one, else the 8-bit one in code page @cp.  Trailing NULs,
 * which some writers store, are dropped.  TR_ENOTFOUND if there is neither.
 */
static tr_status
msg_string(tr_buf *b, tr__ole *ole, const char *dir, unsigned id, int cp)
{
	char *s = NULL, *why = NULL;
	size_t n = 0;
	tr_status st;

	if ((st = msg_stream(ole, dir, id, PT_UNICODE, &s, &n, &why)) == TR_OK) {
		tr_buf u = TR_BUF_INIT(b->max);

		/* Through UTF-8 and the common decoder, which makes "\r\n" line ends "\n". */
		n /= 2;
		while (n && s[2 * n - 2] == 0 && s[2 * n - 1] == 0)
			n--;
		st = tr__utf16le_add(&u, (const unsigned char *)s, n);
		if (st == TR_OK || st == TR_ETOOBIG)
			st = tr__extract_decode(b, u.ptr ? u.ptr : "", u.len, "utf-8");
		tr_buf_free(&u);
	} else if (st != TR_ENOMEM &&
	           (st = msg_stream(ole, dir, id, PT_STRING8, &s, &n, &why)) == TR_OK) {
		while (n && s[n - 1] == 0)
			n--;
		st = msg_decode8(b, s, n, cp);
	}
	free(s);
	free(why);
	return st == TR_ETOOBIG ? TR_OK : st;
}

/* Like msg_string() for a short value, as an allocated string; NULL if none or empty. */
static char *
msg_string_dup(msg_ctx *c, const char *dir, unsigned id)
{
	tr_buf b = TR_BUF_INIT(MSG_NAMES_MAX);
	char *s = NULL;

	if (msg_string(&b, c->ole, dir, id, c->cp) == TR_OK && b.len)
		s = tr_buf_detach(&b);
	tr_buf_free(&b);
	return s;
}

/* FILETIME (100 ns since 1601) @ft as "YYYY-MM-DD" (UTC, as Outlook stores it); NULL if absurd. */
static char *
msg_filetime(uint64_t ft)
{
	uint64_t secs = ft / 10000000u;
	const uint64_t epoch = 11644473600u;   /* 1601-01-01 to 1970-01-01 */
	struct tm tm;
	time_t t;
	char d[16];

	if (secs < epoch || secs - epoch > (uint64_t)253402300799u)   /* after 9999 */
		return NULL;
	t = (time_t)(secs - epoch);
	if (!gmtime_r(&t, &tm) || strftime(d, sizeof d, "%Y-%m-%d", &tm) == 0)
		return NULL;
	return strdup(d);
}

/* The sender as "Name <address>", either part alone if the other is missing; NULL if none. */
static char *
msg_sender(msg_ctx *c, char **name)
{
	char *addr = msg_string_dup(c, c->prefix, PID_SENDER_SMTP);
	char *from;

	if (!addr)
		addr = msg_string_dup(c, c->prefix, PID_SENDER_EMAIL);
	if (addr && !strchr(addr, '@')) {
		free(addr);   /* an Exchange address ("/O=ORG/OU=..."), not worth a line */
		addr = NULL;
	}
	if (!(*name = msg_string_dup(c, c->prefix, PID_SENDER_NAME)))
		*name = msg_string_dup(c, c->prefix, PID_SENT_REPRESENTING_NAME);
	if (*name && addr && strcmp(*name, addr) != 0)
		from = tr__reason("%s <%s>", *name, addr);
	else
		from = *name ? strdup(*name) : addr ? strdup(addr) : NULL;
	free(addr);
	return from;
}

/* Recipient @dir's PR_RECIPIENT_TYPE (1 to, 2 cc, 3 bcc); 1 if it does not say. */
static unsigned long
msg_recipient_type(msg_ctx *c, const char *dir)
{
	char path[MSG_PATH_MAX], *props = NULL, *why = NULL;
	size_t n = 0;
	uint64_t type = 1;

	if (msg_path(path, dir, "__properties_version1.0") &&
	    tr__ole_read(c->ole, path, &props, &n, &why) == TR_OK)
		msg_fixed((const unsigned char *)props, n, MSG_HEADER_ATTACH, PID_RECIPIENT_TYPE, PT_LONG, &type);
	free(props);
	free(why);
	return (unsigned long)(type & 0xFF);
}

/*
 * The names of the recipients of @type, "; " between them, from their
 * storages: for messages that lack PR_DISPLAY_TO or PR_DISPLAY_CC (not
 * every program that writes .msg sets them).  NULL if none.
 */
static char *
msg_recipients(msg_ctx *c, unsigned long type)
{
	tr_buf b = TR_BUF_INIT(MSG_NAMES_MAX);
	char store[40], dir[MSG_PATH_MAX], *name, *s = NULL;
	tr_status st = TR_OK;

	for (unsigned long i = 0; i < MSG_MAX_RECIPIENTS && st == TR_OK; i++) {
		snprintf(store, sizeof store, "__recip_version1.0_#%08lX", i);
		if (!msg_path(dir, c->prefix, store) || !tr__ole_has(c->ole, dir))
			break;
		if (msg_recipient_type(c, dir) != type)
			continue;
		if (!(name = msg_string_dup(c, dir, PID_DISPLAY_NAME)))
			name = msg_string_dup(c, dir, PID_EMAIL_ADDRESS);
		if (name)
			st = tr_buf_printf(&b, "%s%s", b.len ? "; " : "", name);
		free(name);
	}
	if (b.len)
		s = tr_buf_detach(&b);
	tr_buf_free(&b);
	return s;
}

/* Subject, sender, recipients and date into the fields and the head of the text. */
static tr_status
msg_headers(msg_ctx *c)
{
	char *subject = msg_string_dup(c, c->prefix, PID_SUBJECT);
	char *name = NULL, *from = msg_sender(c, &name);
	char *to = msg_string_dup(c, c->prefix, PID_DISPLAY_TO);
	char *cc = msg_string_dup(c, c->prefix, PID_DISPLAY_CC);
	uint64_t ft;
	tr_status st = TR_OK;

	if (!to)
		to = msg_recipients(c, 1);
	if (!cc)
		cc = msg_recipients(c, 2);

	if (subject)
		tr__property_set(&c->out->title, subject);
	if (name || from)
		tr__property_set(&c->out->author, name ? name : from);
	if (from)
		st = tr_buf_printf(&c->text, "Von: %s\n", from);
	if (st == TR_OK && to)
		st = tr_buf_printf(&c->text, "An: %s\n", to);
	if (st == TR_OK && cc)
		st = tr_buf_printf(&c->text, "Kopie: %s\n", cc);
	if (st == TR_OK && !c->out->date &&
	    (msg_fixed(c->props, c->props_len, c->header, PID_CLIENT_SUBMIT_TIME, PT_SYSTIME, &ft) ||
	     msg_fixed(c->props, c->props_len, c->header, PID_MESSAGE_DELIVERY_TIME, PT_SYSTIME, &ft)))
		c->out->date = msg_filetime(ft);
	if (st == TR_OK)
		st = tr__extract_break(&c->text, 2);
	free(subject);
	free(name);
	free(from);
	free(to);
	free(cc);
	return st == TR_ETOOBIG ? TR_OK : st;
}

/* Runs extractor @fn on @data[0..len) and appends the body it gives to the text. */
static tr_status
msg_body_via(msg_ctx *c, tr_extract_fn fn, const char *name, const char *mime,
             const char *charset, const char *data, size_t len)
{
	tr_extract sub;
	char *why = NULL;
	tr_input in = { name, mime, charset, data, len, NULL };
	tr_status st = TR_OK;

	tr_extract_init(&sub, c->text.max);
	if (fn(&sub, &in, &why) == TR_OK && sub.body.len)
		st = tr__attach_flat(&c->text, sub.body.ptr, sub.body.len);
	free(why);
	tr_extract_free(&sub);
	return st;
}

/* The HTML body, a binary stream in the message's code page or a string. */
static tr_status
msg_body_html(msg_ctx *c, bool *found)
{
	char *s = NULL, *why = NULL;
	size_t n = 0;
	tr_buf u = TR_BUF_INIT(c->text.max);
	tr_status st;

	if ((st = msg_stream(c->ole, c->prefix, PID_HTML, PT_BINARY, &s, &n, &why)) == TR_OK) {
		*found = true;
		st = msg_body_via(c, tr__extract_html, "body.html", "text/html",
		                  c->cp == 65001 ? "utf-8" : "iso-8859-1", s, n);
	} else if (st != TR_ENOMEM && (st = msg_string(&u, c->ole, c->prefix, PID_HTML, c->cp)) == TR_OK &&
	           u.len) {
		*found = true;
		st = msg_body_via(c, tr__extract_html, "body.html", "text/html", "utf-8", u.ptr, u.len);
	}
	free(s);
	free(why);
	tr_buf_free(&u);
	return st == TR_ENOTFOUND || st == TR_ETOOBIG ? TR_OK : st;
}

/* The compressed RTF body, decompressed and read by the RTF extractor. */
static tr_status
msg_body_rtf(msg_ctx *c)
{
	char *s = NULL, *why = NULL;
	size_t n = 0;
	tr_buf rtf = TR_BUF_INIT(TR__OLE_MAX_STREAM);
	tr_status st;

	st = msg_stream(c->ole, c->prefix, PID_RTF_COMPRESSED, PT_BINARY, &s, &n, &why);
	if (st == TR_OK) {
		st = tr__lzfu_decompress(&rtf, (const unsigned char *)s, n, &why);
		if (st == TR_OK || st == TR_ETOOBIG)
			st = msg_body_via(c, tr__extract_rtf, "body.rtf", "text/rtf", "binary", rtf.ptr,
			                  rtf.len);
	}
	free(s);
	free(why);
	tr_buf_free(&rtf);
	return st == TR_ENOMEM ? st : TR_OK;   /* a damaged body costs only the body */
}

/* The body: plain text, else HTML, else compressed RTF. */
static tr_status
msg_body(msg_ctx *c)
{
	size_t before = c->text.len;
	bool html = false;
	tr_status st = msg_string(&c->text, c->ole, c->prefix, PID_BODY, c->cp);

	if (st == TR_ENOTFOUND || (st == TR_OK && c->text.len == before))
		st = msg_body_html(c, &html);
	if (st == TR_OK && !html && c->text.len == before)
		st = msg_body_rtf(c);
	if (st == TR_OK)
		st = tr__extract_break(&c->text, 2);
	return st == TR_ENOTFOUND || st == TR_ETOOBIG ? TR_OK : st;
}

static tr_status msg_read(tr_extract *out, tr__ole *ole, const char *prefix, size_t header,
                          const tr_ocr_options *ocr, char **why);

/* An attached Outlook message (PR_ATTACH_DATA_OBJ, a storage): read as a message. */
static tr_status
msg_attach_embedded(msg_ctx *c, const char *dir, const char *name)
{
	char path[MSG_PATH_MAX], *why = NULL;
	tr_extract sub;
	tr_status st;

	if ((st = tr__attach_begin(&c->att, &sub, name)) != TR_OK)
		return st == TR_ENOTFOUND ? TR_OK : st;
	st = TR_EUNSUPPORTED;
	if (!tr__attach_deep() && msg_path(path, dir, "__substg1.0_3701000D"))
		st = msg_read(&sub, c->ole, path, MSG_HEADER_EMBEDDED, c->att.ocr, &why);
	free(why);
	return tr__attach_end(&c->att, &sub, st);
}

/* Attachment number @i: its file's text, or an attached message's; skipped if unreadable. */
static tr_status
msg_attachment(msg_ctx *c, unsigned long i)
{
	char dir[MSG_PATH_MAX], obj[MSG_PATH_MAX], store[40], *name, *data = NULL, *why = NULL;
	size_t len = 0;
	tr_status st;

	snprintf(store, sizeof store, "__attach_version1.0_#%08lX", i);
	if (!msg_path(dir, c->prefix, store) || !tr__ole_has(c->ole, dir))
		return TR_ENOTFOUND;
	if (!(name = msg_string_dup(c, dir, PID_ATTACH_LONG_FILENAME)) &&
	    !(name = msg_string_dup(c, dir, PID_ATTACH_FILENAME)) &&
	    !(name = msg_string_dup(c, dir, PID_DISPLAY_NAME)) && !(name = strdup("unbenannt")))
		return TR_ENOMEM;
	if (msg_path(obj, dir, "__substg1.0_3701000D") && tr__ole_has(c->ole, obj)) {
		st = msg_attach_embedded(c, dir, name);
	} else if ((st = msg_stream(c->ole, dir, PID_ATTACH_DATA, PT_BINARY, &data, &len, &why)) == TR_OK) {
		st = tr__attach_file(&c->att, name, data, len);
	} else if (st != TR_ENOMEM) {
		st = TR_OK;   /* a link or an OLE object without data: nothing to read */
	}
	free(name);
	free(data);
	free(why);
	return st;
}

/*
 * The attachments, numbered from 0 in storages of their own.  The header
 * says how many there are, and the numbers may have gaps (attachments
 * deleted before saving), so a bounded number of names is tried; without
 * a header the first missing number ends the list.
 */
static tr_status
msg_attachments(msg_ctx *c)
{
	bool counted = c->header > MSG_HEADER_ATTACH && c->props_len >= c->header;
	unsigned long want = counted ? tr__le32(c->props + 20) : TR__ATTACH_MAX, seen = 0;
	tr_status st = TR_OK;

	for (unsigned long i = 0; i < 4 * TR__ATTACH_MAX && seen < want && st == TR_OK; i++) {
		st = msg_attachment(c, i);
		if (st == TR_OK)
			seen++;
		else if (st == TR_ENOTFOUND && counted)
			st = TR_OK;
	}
	return st == TR_ENOTFOUND || st == TR_ETOOBIG ? TR_OK : st;
}

/* Messages that hold no readable text, with the reason; NULL for one that is readable. */
static char *
msg_unreadable(msg_ctx *c)
{
	char *cls = msg_string_dup(c, c->prefix, PID_MESSAGE_CLASS);
	char *why = NULL;

	if (cls && strncasecmp(cls, "IPM.Note.SMIME", 14) == 0 && !strcasestr(cls, "MultipartSigned"))
		why = tr__reason("verschlüsselt (S/MIME)");
	else if (cls && (strcasestr(cls, ".Rpmsg") || strcasestr(cls, ".RPMSG")))
		why = tr__reason("geschützt (Rechteverwaltung, IRM)");
	free(cls);
	return why;
}

/* The code page of the message's 8-bit strings. */
static int
msg_codepage(const msg_ctx *c)
{
	uint64_t v;

	if (msg_fixed(c->props, c->props_len, c->header, PID_INTERNET_CPID, PT_LONG, &v) && v > 0 && v < 65536)
		return (int)v;
	if (msg_fixed(c->props, c->props_len, c->header, PID_MESSAGE_CODEPAGE, PT_LONG, &v) && v > 0 && v < 65536)
		return (int)v;
	return MSG_CP_DEFAULT;
}

/* Reads the message in storage @prefix ("" for the file's own) into @out. */
static tr_status
msg_read(tr_extract *out, tr__ole *ole, const char *prefix, size_t header,
         const tr_ocr_options *ocr, char **why)
{
	msg_ctx c = { .ole = ole, .prefix = prefix, .out = out, .header = header };
	char path[MSG_PATH_MAX], *lost = NULL;
	tr_status st = TR_OK;

	/* Without the properties stream only the dates and the code page are missing. */
	c.att.ocr = ocr;
	if (msg_path(path, prefix, "__properties_version1.0") &&
	    tr__ole_read(ole, path, (char **)&c.props, &c.props_len, &lost) == TR_ENOMEM)
		return TR_ENOMEM;
	free(lost);
	c.cp = msg_codepage(&c);
	if ((*why = msg_unreadable(&c))) {
		free(c.props);
		return TR_EFORMAT;
	}
	tr_buf_init(&c.text, out->body.max);
	tr_buf_init(&c.att.pages, out->body.max);
	tr__attach_enter();
	if ((st = msg_headers(&c)) == TR_OK && (st = msg_body(&c)) == TR_OK)
		st = msg_attachments(&c);
	tr__attach_leave();
	tr_buf_rtrim(&c.text);
	if ((st == TR_OK || st == TR_ETOOBIG) && c.text.len)
		st = tr__extract_add(&out->body, c.text.ptr, c.text.len);
	if ((st == TR_OK || st == TR_ETOOBIG) && c.att.pages.len)
		st = tr__extract_add(&out->body, c.att.pages.ptr, c.att.pages.len);
	if (st == TR_ETOOBIG)
		st = TR_OK;   /* what fits is kept */
	if (st == TR_OK)
		st = tr__extract_finish(out);
	tr_buf_free(&c.text);
	tr_buf_free(&c.att.pages);
	free(c.props);
	return st;
}

tr_status
tr__extract_msg(tr_extract *out, const tr_input *in, char **why)
{
	tr__ole *ole;
	tr_status st;

	if ((st = tr__ole_open(&ole, in->data, in->len, why)) != TR_OK)
		return st;
	if (!tr__ole_has(ole, "__properties_version1.0") &&
	    !tr__ole_has(ole, "__substg1.0_0037001F") && !tr__ole_has(ole, "__substg1.0_0037001E") &&
	    !tr__ole_has(ole, "__substg1.0_1000001F") && !tr__ole_has(ole, "__substg1.0_1000001E")) {
		tr__ole_free(ole);
		*why = tr__reason("beschädigt: keine lesbare Outlook-Nachricht");
		return TR_EFORMAT;
	}
	st = msg_read(out, ole, "", MSG_HEADER_TOP, in->ocr, why);
	tr__ole_free(ole);
	return st;
}
