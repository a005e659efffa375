/* Unicode helpers: NFC, folding of umlauts and ß, charset conversion. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text.h"
#include "tellerrand/document.h"

static void
check_fold(const char *in, const char *want)
{
	char *got = tr_text_fold_dup(in);
	CHECK_STR(got, want);
	free(got);
}

int
main(void)
{
	tr_buf b = TR_BUF_INIT(1 << 20);
	tr_doctype t;

	check_fold("Meißen", "meissen");
	check_fold("MEISSEN", "meissen");
	check_fold("Görlitz", "goerlitz");
	check_fold("Goerlitz", "goerlitz");
	check_fold("Sächsische Schweiz", "saechsische schweiz");
	check_fold("Su\xCC\x88\x64", "sued"); /* NFD "Süd" */

	/* NFD (as macOS writes it) becomes NFC. */
	CHECK(tr_text_nfc(&b, "Schu\xCC\x88ler", 9) == TR_OK);
	CHECK_STR(b.ptr, "Sch\xC3\xBCler");
	tr_buf_reset(&b);

	/* In running text too: ASCII pieces and pieces with combining marks side by side. */
	{
		const char *nfd = "Die Schu\xCC\x88ler im\nSu\xCC\x88" "den";
		CHECK(tr_text_nfc(&b, nfd, strlen(nfd)) == TR_OK);
	}
	CHECK_STR(b.ptr, "Die Sch\xC3\xBCler im\nS\xC3\xBC" "den");
	tr_buf_reset(&b);
	check_fold("Die GROSSE Straße in Görlitz", "die grosse strasse in goerlitz");
	/* Latin letters beyond the umlauts, and punctuation, in the same words. */
	check_fold("„CAFÉ“ – ÉCOLE…", "„café“ – école…");
	check_fold("Œuvre, Łódź, ǅ, µ", "œuvre, łódź, ǆ, \xCE\xBC");
	check_fold("Grüße€", "gruesse€");
	/* A Latin word followed by a combining mark is normalised first. */
	check_fold("GRU\xCC\x88SSE", "gruesse");
	check_fold("Übung\xCC\x81", "uebun\xC7\xB5"); /* g + acute composes to ǵ */

	/* Latin-1 and Windows-1252 bytes become UTF-8. */
	CHECK(tr_text_to_utf8(&b, "Gr\xFC\xDF" "e", 5, "ISO-8859-1") == TR_OK);
	CHECK_STR(b.ptr, "Gr\xC3\xBC\xC3\x9F" "e");
	tr_buf_reset(&b);
	CHECK(tr_text_to_utf8(&b, "\x84Hallo\x93", 7, "WINDOWS-1252") == TR_OK);
	CHECK_STR(b.ptr, "\xE2\x80\x9EHallo\xE2\x80\x9C");
	tr_buf_reset(&b);

	CHECK(tr_text_is_utf8("Gr\xC3\xBC\xC3\x9F", 6));
	CHECK(!tr_text_is_utf8("Gr\xFC\xDF", 4));

	/* The buffer ceiling holds. */
	{
		tr_buf small = TR_BUF_INIT(4);
		CHECK(tr_buf_adds(&small, "abcd") == TR_OK);
		CHECK(tr_buf_addc(&small, 'e') == TR_ETOOBIG);
		CHECK(small.len == 4);
		tr_buf_free(&small);
	}

	CHECK(tr_doctype_from_name(&t, "Präsentation") == TR_OK && t == TR_DOCTYPE_PRAESENTATION);
	CHECK(tr_doctype_from_name(&t, "PM") == TR_OK && t == TR_DOCTYPE_PRESSEMITTEILUNG);
	CHECK(tr_doctype_from_name(&t, "Minutes") == TR_OK && t == TR_DOCTYPE_PROTOKOLL);
	CHECK(tr_doctype_from_name(&t, "Rezept") == TR_ENOTFOUND);
	CHECK(tr_doctype_from_name(&t, "") == TR_ENOTFOUND);

	/* The type table (data/types.tsv): keys, display names, names and patterns. */
	{
		static const struct {
			const char *name, *key;
		} names[] = {
			{ "Beschlussvorlage", "vorlage" }, { "Drucksache", "vorlage" },
			{ "Jahresbericht", "bericht" }, { "Sozialraumbericht", "bericht" },
			{ "Einladung", "einladung" }, { "Flyer", "information" },
			{ "Handreichung", "information" }, { "Zeitungsartikel", "presseartikel" },
			{ "Konzeption", "konzept" }, { "Interview", "interview" },
			{ "Sitzungsprotokolle", "protokoll" }, { "Niederschrift", "protokoll" },
			{ "Impulsvortrag", "praesentation" }, { "pressemitteilung", "pressemitteilung" },
			{ "sonstiges", "sonstiges" }, { "Protokoll/Niederschrift", "protokoll" },
			{ "Kochrezept", "" },
		};
		int n = tr_doctype_count();

		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			tr_status st = tr_doctype_from_name(&t, names[i].name);

			CHECK_MSG(names[i].key[0] ? st == TR_OK && strcmp(tr_doctype_key(t), names[i].key) == 0
			                          : st == TR_ENOTFOUND,
			          "%s: %s", names[i].name, st == TR_OK ? tr_doctype_key(t) : "-");
		}
		CHECK(n >= 12);
		CHECK_STR(tr_doctype_key(TR_DOCTYPE_PROTOKOLL), "protokoll");
		CHECK_STR(tr_doctype_label(TR_DOCTYPE_PROTOKOLL), "Protokoll/Niederschrift");
		CHECK_STR(tr_doctype_key(TR_DOCTYPE_SONSTIGES), "sonstiges");
		CHECK_STR(tr_doctype_key((tr_doctype)n), "unbekannt");
		/* Every key resolves to itself, and every type has a display name. */
		for (int k = 1; k < n; k++) {
			CHECK(tr_doctype_from_name(&t, tr_doctype_key((tr_doctype)k)) == TR_OK && (int)t == k);
			CHECK(tr_doctype_label((tr_doctype)k)[0] != '\0');
		}
	}

	/* Outside text in a message: readable, one line, no terminal control (issue 13, items 1 and 13). */
	{
		static const struct { const char *in, *want; } cases[] = {
			{ "M\xe4rz.txt", "M\xc3\xa4rz.txt" },                 /* Windows-1252 ä */
			{ "\x84Zitat\x93", "\xe2\x80\x9eZitat\xe2\x80\x9c" }, /* „Zitat“ */
			{ "M\xc3\xa4rz.txt", "M\xc3\xa4rz.txt" },              /* UTF-8 stays */
			{ "a\nb: neu", "a\\nb: neu" },                        /* no forged line */
			{ "x\x1b[31my", "x\\x1b[31my" },                      /* no terminal escape */
			{ "\r\t\x7f", "\\r\\t\\x7f" },
			{ "\x81", "\\x81" },                                  /* undefined in Windows-1252 */
			{ "\xc2\x9b", "\\u009b" },                             /* C1 control as UTF-8 */
			{ "txt.\xe2\x80\xae" "exe", "txt.\\u202eexe" },          /* bidi override */
		};
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			char *got = tr_text_printable_dup(cases[i].in);
			CHECK_STR(got, cases[i].want);
			CHECK(got && tr_text_is_utf8(got, strlen(got)));
			free(got);
		}
	}

	/* File names as bytes through JSON and back, unchanged (issue 13, item 1). */
	{
		static const char *names[] = { "/a/M\xe4rz.txt", "/a/50%.txt", "/a/M\xc3\xa4rz %41.txt", "/a/\xff\xfe%" };
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			char *enc = tr_text_bytes_encode(names[i]);
			char *dec = enc ? tr_text_bytes_decode(enc) : NULL;
			CHECK(enc && tr_text_is_utf8(enc, strlen(enc)));
			CHECK_STR(dec, names[i]);
			free(enc);
			free(dec);
		}
		{
			char *enc = tr_text_bytes_encode("/a/M\xc3\xa4rz.txt");
			CHECK_STR(enc, "/a/M\xc3\xa4rz.txt"); /* a valid name stays readable */
			free(enc);
		}
	}

	/*
	 * A document's words, found once, are the words every finder's own
	 * walk finds, also where the finder stops mid-word or inside a
	 * character (a limit of 256 KB falls anywhere), with their case.
	 */
	{
		static const char text[] = "  Landkreis MEISSEN, LK2 \xC3\x9C" "bung \xC3\xA4rger\n15.09.2017 Gr\xC3\xBC\xC3\x9F" "e";
		size_t len = sizeof text - 1;
		tr_text_words w = TR_TEXT_WORDS_INIT;

		CHECK(tr_text_words_find(&w, text, 0, len) == TR_OK);
		for (size_t limit = 0; limit <= len; limit++) {
			size_t pos = 0, st, wl, k = tr_text_words_at(&w, 0), cut;

			while (tr_text_next_word(text, limit, &pos, &st, &wl)) {
				CHECK_MSG(k < w.n && w.v[k].start == st && tr_text_word_cut(text, &w.v[k], limit) == wl,
				          "limit %zu, word at %zu", limit, st);
				k++;
			}
			cut = k < w.n ? tr_text_word_cut(text, &w.v[k], limit) : 0;
			CHECK_MSG(cut == 0, "limit %zu: a word too many", limit);
		}
		CHECK(w.n == 9);
		CHECK(w.v[0].cap && !w.v[0].upper);          /* Landkreis */
		CHECK(w.v[1].cap && w.v[1].upper);           /* MEISSEN */
		CHECK(w.v[2].upper);                         /* LK2 */
		CHECK(w.v[3].cap && !w.v[3].upper);          /* Übung */
		CHECK(!w.v[4].cap && !w.v[4].upper);         /* ärger */
		CHECK(tr_text_words_at(&w, 3) == 1 && tr_text_words_at(&w, len) == w.n);
		/* Each word's fold is tr_text_fold()'s; Latin text folds character by character. */
		CHECK(tr_text_words_fold(&w, text) == TR_OK && w.local);
		for (size_t k = 0; k < w.n; k++) {
			tr_buf f = TR_BUF_INIT(1024);

			CHECK(tr_text_fold(&f, text + w.v[k].start, w.v[k].len) == TR_OK && f.len == w.v[k].flen &&
			      memcmp(f.ptr, tr_text_word_fold(&w, &w.v[k]), f.len) == 0);
			tr_buf_free(&f);
		}
		CHECK(w.v[8].flen == 7 && memcmp(tr_text_word_fold(&w, &w.v[8]), "gruesse", 7) == 0);
		/* Any stretch between two characters folds from the words as tr_text_fold() folds it. */
		for (size_t a = 0; a <= len; a++) {
			for (size_t b = a; b <= len; b++) {
				tr_buf f = TR_BUF_INIT(1024), g = TR_BUF_INIT(1024);

				if (((unsigned char)text[a] & 0xC0) == 0x80 || (b < len && ((unsigned char)text[b] & 0xC0) == 0x80))
					continue;
				CHECK_MSG(tr_text_fold(&f, text + a, b - a) == TR_OK &&
				          tr_text_words_fold_range(&w, text, a, b, &g) == TR_OK && f.len == g.len &&
				          (f.len == 0 || memcmp(f.ptr, g.ptr, f.len) == 0), "stretch %zu..%zu", a, b);
				tr_buf_free(&f);
				tr_buf_free(&g);
			}
		}
		tr_text_words_free(&w);
		/* Combining marks, Greek and NUL do not fold character by character. */
		CHECK(tr_text_folds_locally("Stra\xC3\x9F" "e \xC3\x97 \xE2\x80\x9E\xE2\x82\xAC\xE2\x80\x9C", 20));
		CHECK(!tr_text_folds_locally("Schu\xCC\x88ler", 9));
		CHECK(!tr_text_folds_locally("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", 10));
		CHECK(!tr_text_folds_locally("a\0b", 3));
	}

	/* Every status code has its own description. */
	for (int i = 0; i < TR_STATUS_COUNT; i++)
		CHECK_MSG(strcmp(tr_strerror((tr_status)i), "unbekannter Fehler") != 0, "code %d", i);

	tr_buf_free(&b);
	return check_done();
}
