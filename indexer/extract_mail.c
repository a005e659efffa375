/*
 * E-mail (.eml, RFC 5322 with MIME) through GMime: the subject is the
 * title, the sender the author, the Date header the document's date (as
 * the file states it, like front matter).  The first page of the body is
 * the message: "Von:" and "An:" lines, then the text (text/plain, or the
 * HTML part through the HTML extractor when there is no plain one).
 * Transfer encodings (quoted-printable, base64) and encoded words in
 * headers are undone by GMime, charsets converted with iconv.  Each
 * attachment is a page of its own (indexer/attach.h).
 */
#include "extract.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attach.h"
#include "text.h"
#include "zipxml.h"

/* MIME parts looked at. */
#define MAIL_MAX_PARTS 4096

static pthread_once_t mail_once = PTHREAD_ONCE_INIT;

static void
mail_init(void)
{
	g_mime_init();
}

typedef struct mail_ctx {
	tr_extract *out;
	tr_buf text;           /* the message's text, first page */
	tr__attachments att;
	size_t parts;
	bool have_text;
} mail_ctx;

/* The decoded content of @part (transfer encoding undone) as a byte array; NULL if none. */
static GByteArray *
mail_content(GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *a = NULL;

	if (!w)
		return NULL;
	mem = g_mime_stream_mem_new();
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	if (g_mime_data_wrapper_write_to_stream(w, mem) >= 0)
		a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_object_unref(mem);
	return a;
}

/* A text part's content as UTF-8 NFC appended to @b, from the charset its Content-Type names. */
static tr_status
mail_text_decode(tr_buf *b, GMimeObject *obj, const GByteArray *a)
{
	const char *cs = g_mime_content_type_get_parameter(g_mime_object_get_content_type(obj), "charset");
	tr_status st;

	if (cs && strcasecmp(cs, "us-ascii") != 0 && strcasecmp(cs, "utf-8") != 0) {
		st = tr_text_to_utf8(b, (const char *)a->data, a->len, cs);
		if (st != TR_EUNSUPPORTED)
			return st;
	}
	return tr__extract_decode(b, (const char *)a->data, a->len, "utf-8");
}

static tr_status mail_object(mail_ctx *c, GMimeObject *obj);

/* A leaf part: text of the message, or an attachment. */
static tr_status
mail_part(mail_ctx *c, GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *name = g_mime_part_get_filename(part);
	bool plain = g_mime_content_type_is_type(ct, "text", "plain");
	bool html = g_mime_content_type_is_type(ct, "text", "html");
	GByteArray *a;
	tr_status st = TR_OK;

	if (!(a = mail_content(part)))
		return TR_OK;
	if ((g_mime_part_is_attachment(part) || name || !(plain || html)) && (name || !(plain || html))) {
		st = tr__attach_file(&c->att, name ? name : "unbenannt", (const char *)a->data, a->len);
	} else if (plain || (html && !c->have_text)) {
		tr_buf raw = TR_BUF_INIT(c->text.max);

		if ((st = mail_text_decode(&raw, obj, a)) == TR_OK && raw.len) {
			if (html) {
				tr_extract sub;
				char *why = NULL;
				tr_input in = { "mail.html", "text/html", "utf-8", raw.ptr, raw.len, NULL };

				tr_extract_init(&sub, c->text.max);
				if (tr__extract_html(&sub, &in, &why) == TR_OK && sub.body.len)
					st = tr__attach_flat(&c->text, sub.body.ptr, sub.body.len);
				free(why);
				tr_extract_free(&sub);
			} else {
				st = tr__attach_flat(&c->text, raw.ptr, raw.len);
			}
			if (st == TR_OK)
				st = tr__extract_break(&c->text, 2);
			c->have_text = c->have_text || plain;
		}
		tr_buf_free(&raw);
	}
	g_byte_array_free(a, TRUE);
	return st;
}

/* A multipart/alternative shows one of its parts: the plain text if there is one. */
static tr_status
mail_alternative(mail_ctx *c, GMimeMultipart *mp)
{
	int n = g_mime_multipart_get_count(mp), pick = n - 1;

	for (int i = 0; i < n; i++) {
		GMimeObject *o = g_mime_multipart_get_part(mp, i);
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "plain")) {
			pick = i;
			break;
		}
	}
	return pick >= 0 ? mail_object(c, g_mime_multipart_get_part(mp, pick)) : TR_OK;
}

static tr_status
mail_object(mail_ctx *c, GMimeObject *obj)
{
	tr_status st = TR_OK;

	if (!obj || c->parts++ >= MAIL_MAX_PARTS)
		return TR_OK;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "multipart", "alternative"))
			return mail_alternative(c, mp);
		for (int i = 0; i < g_mime_multipart_get_count(mp) && st == TR_OK; i++)
			st = mail_object(c, g_mime_multipart_get_part(mp, i));
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		/* A forwarded mail: an attachment read by this same extractor. */
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		GMimeStream *mem = g_mime_stream_mem_new();
		GByteArray *a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		const char *subj = m ? g_mime_message_get_subject(m) : NULL;
		char *name = tr__reason("%s.eml", subj && *subj ? subj : "Nachricht");

		if (!name)
			st = TR_ENOMEM;
		else if (m && g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, mem) >= 0)
			st = tr__attach_file(&c->att, name, (const char *)a->data, a->len);
		free(name);
		g_object_unref(mem);
	} else if (GMIME_IS_PART(obj)) {
		st = mail_part(c, GMIME_PART(obj));
	}
	return st;
}

/* Subject, From, To and Date into @c's fields and the head of the text. */
static tr_status
mail_headers(mail_ctx *c, GMimeMessage *msg)
{
	const char *subject = g_mime_message_get_subject(msg);
	char *from = internet_address_list_to_string(g_mime_message_get_from(msg), NULL, FALSE);
	char *to = internet_address_list_to_string(g_mime_message_get_to(msg), NULL, FALSE);
	GDateTime *date = g_mime_message_get_date(msg);
	tr_status st = TR_OK;

	if (subject)
		tr__property_set(&c->out->title, subject);
	if (from && *from) {
		tr__property_set(&c->out->author, from);
		st = tr_buf_printf(&c->text, "Von: %s\n", from);
	}
	if (st == TR_OK && to && *to)
		st = tr_buf_printf(&c->text, "An: %s\n", to);
	if (st == TR_OK && date) {
		gchar *d = g_date_time_format(date, "%Y-%m-%d");
		if (d && !(c->out->date = strdup(d)))
			st = TR_ENOMEM;
		g_free(d);
	}
	if (st == TR_OK)
		st = tr__extract_break(&c->text, 2);
	g_free(from);
	g_free(to);
	return st == TR_ETOOBIG ? TR_OK : st;
}

tr_status
tr__extract_mail(tr_extract *out, const tr_input *in, char **why)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	mail_ctx c = { 0 };
	tr_status st;

	c.out = out;
	c.att.ocr = in->ocr;
	pthread_once(&mail_once, mail_init);
	stream = g_mime_stream_mem_new_with_buffer(in->data, in->len);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (!msg) {
		*why = tr__reason("beschädigt: keine lesbare E-Mail");
		return TR_EFORMAT;
	}
	tr_buf_init(&c.text, out->body.max);
	tr_buf_init(&c.att.pages, out->body.max);
	tr__attach_enter();
	if ((st = mail_headers(&c, msg)) == TR_OK)
		st = mail_object(&c, g_mime_message_get_mime_part(msg));
	tr__attach_leave();
	if (st == TR_ETOOBIG)
		st = TR_OK;   /* what fits is kept */
	tr_buf_rtrim(&c.text);
	if (st == TR_OK && c.text.len)
		st = tr__extract_add(&out->body, c.text.ptr, c.text.len);
	if ((st == TR_OK || st == TR_ETOOBIG) && c.att.pages.len)
		st = tr__extract_add(&out->body, c.att.pages.ptr, c.att.pages.len);
	if (st == TR_ETOOBIG)
		st = TR_OK;
	if (st == TR_OK)
		st = tr__extract_finish(out);
	tr_buf_free(&c.text);
	tr_buf_free(&c.att.pages);
	g_object_unref(msg);
	return st;
}
