/*
 * Dates: the parser for every written form, the calendar checks, and the
 * finder of a document's own date (indexer/meta_date.c) against the traps
 * documents set: mentioned dates, deadlines, data dates, years in folders.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "meta.h"
#include "tellerrand/date.h"

/* "" means TR_EINVAL is expected. */
static const struct {
	const char *in;
	const char *iso;
} parse_cases[] = {
	{ "15.09.2017", "2017-09-15" },
	{ "15.9.17", "2017-09-15" },
	{ "5.9.2017", "2017-09-05" },
	{ "15. 09. 2017", "2017-09-15" },
	{ "15. September 2017", "2017-09-15" },
	{ "15.September 2017", "2017-09-15" },
	{ "15. Sept. 2017", "2017-09-15" },
	{ "15. Sep. 2017", "2017-09-15" },
	{ "15 Sep 2017", "2017-09-15" },
	{ "1. März 2019", "2019-03-01" },
	{ "1. Maerz 2019", "2019-03-01" },
	{ "1. MÄRZ 2019", "2019-03-01" },
	{ "1. Ma\xCC\x88rz 2019", "2019-03-01" },           /* NFD */
	{ "1. Mrz. 2019", "2019-03-01" },
	{ "1. Mär 2019", "2019-03-01" },
	{ "3. Jan. 2018", "2018-01-03" },
	{ "3. Jänner 2018", "2018-01-03" },
	{ "24. Dez. 2016", "2016-12-24" },
	{ "6. Okt 2016", "2016-10-06" },
	{ "September 2017", "2017-09" },
	{ "Sept. 2017", "2017-09" },
	{ "Maerz 2020", "2020-03" },
	{ "Jan. 2018", "2018-01" },
	{ "09/2017", "2017-09" },
	{ "9/2017", "2017-09" },
	{ "09.2017", "2017-09" },
	{ "15/09/2017", "2017-09-15" },
	/* Roman months, only between a day and a year */
	{ "12.III.2019", "2019-03-12" },
	{ "12. XII. 2019", "2019-12-12" },
	{ "1.IV.19", "2019-04-01" },
	{ "12.XIII.2019", "" },
	{ "12.III.", "" },
	{ "2017-09-15", "2017-09-15" },
	{ "2017-9-5", "2017-09-05" },
	{ "2017-09", "2017-09" },
	{ "2017", "2017" },
	{ "2017/09/15", "2017-09-15" },
	/* English */
	{ "September 15, 2017", "2017-09-15" },
	{ "Sep 15 2017", "2017-09-15" },
	{ "15th September 2017", "2017-09-15" },
	{ "1st of May 2019", "2019-05-01" },
	{ "March 2019", "2019-03" },
	{ "Oct. 3, 2016", "2016-10-03" },
	{ "December 2016", "2016-12" },
	/* Weekdays and times, as metadata fields write them */
	{ "Montag, 11. September 2017", "2017-09-11" },
	{ "Mo, 11.09.2017", "2017-09-11" },
	{ "Fri, 15 Sep 2017 10:00:00 +0200", "2017-09-15" },
	{ "2017-09-15T10:00:00+02:00", "2017-09-15" },
	{ "2017-09-15T10:00:00Z", "2017-09-15" },
	{ "2017-09-15 10:00", "2017-09-15" },
	{ "15.09.2017, 10:00 Uhr", "2017-09-15" },
	{ "  2017-09-15\n", "2017-09-15" },
	/* Two-digit years: 19xx above 69, else 20xx */
	{ "15.09.69", "2069-09-15" },
	{ "15.09.70", "1970-09-15" },
	{ "01.01.00", "2000-01-01" },
	{ "2.8.16", "2016-08-02" },
	/* Leap years */
	{ "29.02.2020", "2020-02-29" },
	{ "29.2.2000", "2000-02-29" },
	{ "29.02.2019", "" },
	{ "29.2.1900", "" },
	{ "2017-02-29", "" },
	/* Dashes, slashes with a short year, spaced dots (issue 14) */
	{ "07-03-2021", "2021-03-07" },
	{ "7-3-21", "2021-03-07" },
	{ "03-Okt-2019", "2019-10-03" },
	{ "3-Sept.-2019", "2019-09-03" },
	{ "4/11/19", "2019-11-04" },
	{ "04/11/19 17:45", "2019-11-04" },
	{ "4 . 11.19", "2019-11-04" },
	{ "04 . 11 . 2019 08.30", "2019-11-04" },
	{ "2019-11-04T08:30:00.5+01:00", "2019-11-04" },
	{ "07-03-21-4", "" },
	{ "7-3", "" },
	{ "4/11/1", "" },
	{ "4 . 11.", "" },
	{ "07-Okt", "" },
	/* A range of days is dated by its first day */
	{ "3. - 5.11.2019", "2019-11-03" },
	{ "3 - 5.11.19", "2019-11-03" },
	{ "3.11. - 5.11.2019", "2019-11-03" },
	{ "3.11. \xE2\x80\x93 5.11.2019", "2019-11-03" },
	{ "3.11.\xE2\x80\x94" "5.11.2019", "2019-11-03" },
	{ "3./5.11.2019", "2019-11-03" },
	{ "3.11. bis 5.11.2019", "2019-11-03" },
	{ "3.11. bis zum 5.11.2019", "2019-11-03" },
	{ "3.11. auf den 5.11.2019", "2019-11-03" },
	{ "3. bis 5. November 2019", "2019-11-03" },
	{ "30. Oktober - 2. November 2019", "2019-10-30" },
	{ "30.12. - 2.1.2020", "2019-12-30" },
	{ "5. - 3.11.2019", "" },          /* the first day after the last */
	{ "5.11. - 5.11.2019", "" },
	{ "3/5.11.2019", "" },             /* a slash joins only after the day's dot */
	/* Not real dates */
	{ "31.02.2019", "" },
	{ "32.1.2019", "" },
	{ "15.13.2017", "" },
	{ "0.1.2019", "" },
	{ "31.04.2019", "" },
	{ "2017-13", "" },
	{ "2017-00-10", "" },
	{ "13/2017", "" },
	{ "00.2017", "" },
	/* Not dates at all */
	{ "", "" },
	{ "hello", "" },
	{ "15.9.", "" },            /* no year: not a whole date */
	{ "11. September", "" },
	{ "September", "" },
	{ "15.09.2017 x", "" },
	{ "1.2.3", "" },
	{ "15.30", "" },
	{ "2015-2017", "" },
	{ "2016/17", "" },
	{ "15.09.201", "" },
	{ "15.09.20177", "" },
	{ "123", "" },
	{ "Septembertagung 2017", "" },
	{ "15. Mai. 2017 Mai", "" },
};

static void
test_parse(void)
{
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		tr_date d = TR_DATE_NONE;
		char iso[11] = "";
		tr_status st = tr_date_parse(&d, parse_cases[i].in);

		if (st == TR_OK)
			tr_date_format_iso(&d, iso);
		CHECK_MSG(strcmp(iso, parse_cases[i].iso) == 0 &&
		          (st == TR_OK) == (parse_cases[i].iso[0] != '\0'),
		          "\"%s\": got \"%s\" (status %d), want \"%s\"", parse_cases[i].in, iso,
		          (int)st, parse_cases[i].iso);
	}
}

static void
test_names(void)
{
	static const struct {
		const char *name;
		int month;
	} months[] = {
		{ "Januar", 1 }, { "Jan", 1 }, { "Jan.", 1 }, { "January", 1 }, { "Februar", 2 },
		{ "Feb", 2 }, { "März", 3 }, { "Maerz", 3 }, { "Mrz", 3 }, { "Mär", 3 },
		{ "Maer", 3 }, { "March", 3 }, { "April", 4 }, { "Apr", 4 }, { "Mai", 5 },
		{ "May", 5 }, { "Juni", 6 }, { "Jun", 6 }, { "Juli", 7 }, { "Jul", 7 },
		{ "August", 8 }, { "Aug", 8 }, { "September", 9 }, { "Sep", 9 }, { "Sept", 9 },
		{ "Sept.", 9 }, { "SEPTEMBER", 9 }, { "Oktober", 10 }, { "Okt", 10 }, { "October", 10 },
		{ "Oct", 10 }, { "November", 11 }, { "Nov", 11 }, { "Dezember", 12 }, { "Dez", 12 },
		{ "December", 12 }, { "Dec", 12 },
		{ "Ma", 0 }, { "Septembers", 0 }, { "Montag", 0 }, { "", 0 }, { "Mär..", 0 },
	};

	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
		CHECK_MSG(tr_date_month_from_name(months[i].name, (int)strlen(months[i].name)) ==
		          months[i].month, "month \"%s\"", months[i].name);
	/* Only @len bytes count. */
	CHECK(tr_date_month_from_name("Septembertagung", 9) == 9);
	CHECK(tr_date_weekday_from_name("Montag", 6) == 1);
	CHECK(tr_date_weekday_from_name("Sonnabend", 9) == 6);
	CHECK(tr_date_weekday_from_name("Do.", 3) == 4);
	CHECK(tr_date_weekday_from_name("Thu", 3) == 4);
	CHECK(tr_date_weekday_from_name("Mai", 3) == 0);
}

static void
test_calendar(void)
{
	tr_date d;
	char buf[11];
	tr_date a = { 2017, 9, 15 }, b = { 2017, 9, 0 }, c = { 2017, 0, 0 }, none = TR_DATE_NONE;

	CHECK(tr_date_days_in_month(2019, 2) == 28);
	CHECK(tr_date_days_in_month(2020, 2) == 29);
	CHECK(tr_date_days_in_month(1900, 2) == 28);
	CHECK(tr_date_days_in_month(2000, 2) == 29);
	CHECK(tr_date_days_in_month(2019, 4) == 30);
	CHECK(tr_date_days_in_month(2019, 13) == 0);

	CHECK(tr_date_is_valid(&a) && tr_date_is_valid(&b) && tr_date_is_valid(&c));
	CHECK(!tr_date_is_valid(&none));
	{
		tr_date day_without_month = { 2017, 0, 5 }, bad = { 2019, 2, 29 };

		CHECK(!tr_date_is_valid(&day_without_month));
		CHECK(!tr_date_is_valid(&bad));
	}

	CHECK(tr_date_compare(&c, &b) < 0 && tr_date_compare(&b, &a) < 0);
	CHECK(tr_date_compare(&a, &a) == 0 && tr_date_compare(&a, &c) > 0);

	tr_date_format_iso(&a, buf);
	CHECK_STR(buf, "2017-09-15");
	tr_date_format_iso(&b, buf);
	CHECK_STR(buf, "2017-09");
	tr_date_format_iso(&c, buf);
	CHECK_STR(buf, "2017");
	tr_date_format_iso(&none, buf);
	CHECK_STR(buf, "");
	tr_date_format_german(&a, buf);
	CHECK_STR(buf, "15.09.2017");
	tr_date_format_german(&b, buf);
	CHECK_STR(buf, "09.2017");
	tr_date_format_german(&c, buf);
	CHECK_STR(buf, "2017");
	tr_date_format_sortable(&a, buf);
	CHECK_STR(buf, "20170915");
	tr_date_format_sortable(&b, buf);
	CHECK_STR(buf, "20170900");
	tr_date_format_sortable(&c, buf);
	CHECK_STR(buf, "20170000");

	/* What the formatters write, the parsers read back. */
	tr_date_format_german(&b, buf);
	CHECK(tr_date_parse(&d, buf) == TR_OK && tr_date_compare(&d, &b) == 0);
	CHECK(tr_date_parse_sortable(&d, "20170915") == TR_OK && tr_date_compare(&d, &a) == 0);
	CHECK(tr_date_parse_sortable(&d, "20170900") == TR_OK && tr_date_compare(&d, &b) == 0);
	CHECK(tr_date_parse_sortable(&d, "20170000") == TR_OK && tr_date_compare(&d, &c) == 0);
	CHECK(tr_date_parse_sortable(&d, "20170230") == TR_EINVAL);
	CHECK(tr_date_parse_sortable(&d, "20170005") == TR_EINVAL);
	CHECK(tr_date_parse_sortable(&d, "00000000") == TR_EINVAL);
	CHECK(tr_date_parse_sortable(&d, "2017091") == TR_EINVAL);
	CHECK(tr_date_parse_sortable(&d, "2017O915") == TR_EINVAL);
}

static void
test_match(void)
{
	tr_date d;
	size_t used;

	/* A prefix match: the caller checks what follows. */
	CHECK(tr_date_match(&d, &used, "15.09.2017 fand", 15, 0) && used == 10 && d.day == 15);
	CHECK(tr_date_match(&d, &used, "11. September die", 17, TR_DATE_MATCH_PARTIAL) &&
	      d.year == 0 && d.month == 9 && d.day == 11 && used == 13);
	CHECK(!tr_date_match(&d, &used, "11. September die", 17, 0));
	CHECK(tr_date_match(&d, &used, "15.9. um", 8, TR_DATE_MATCH_PARTIAL) &&
	      d.year == 0 && d.month == 9 && used == 5);
	CHECK(tr_date_match(&d, &used, "29.2.", 5, TR_DATE_MATCH_PARTIAL));   /* the year decides later */
	CHECK(!tr_date_match(&d, &used, "30.2.", 5, TR_DATE_MATCH_PARTIAL));
	CHECK(!tr_date_match(&d, &used, "11 September", 12, TR_DATE_MATCH_PARTIAL));
	CHECK(!tr_date_match(&d, &used, "2017", 4, 0));
	CHECK(tr_date_match(&d, &used, "2017", 4, TR_DATE_MATCH_YEAR) && d.year == 2017);
	CHECK(tr_date_match(&d, &used, "März 2020.", 10, 0) && d.month == 3 && d.day == 0);
	CHECK(tr_date_match(&d, &used, "15.\xC2\xA0September\xC2\xA0" "2017", 20, 0) && d.day == 15 &&
	      used == 20);
	CHECK(!tr_date_match(&d, &used, "15.\nSeptember 2017", 18, 0));
}

/* ---- The document's own date ------------------------------------------ */

typedef struct doc_case {
	const char *name;
	const char *relpath;
	const char *title;
	const char *body;
	const char *want;          /* ISO date, or "" for none */
	tr_source src;
} doc_case;

static const char seed[] =
	"Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen\n\n"
	"15.09.2017\n\n"
	"\xE2\x80\x9E" "Ein Blick \xC3\xBC" "ber den Tellerrand hinaus \xE2\x80\x93 Austausch und enge "
	"Kooperation als Leitgedanke der Netzwerktreffen der s\xC3\xA4" "chsischen "
	"Bildungskoordinatoren.\xE2\x80\x9C\n\n"
	"Unter dem Motto: \xE2\x80\x9Egelingende Integration durch aktive Zusammenarbeit\xE2\x80\x9C, "
	"treffen sich die s\xC3\xA4" "chsischen Bildungskoordinatoren regelm\xC3\xA4\xC3\x9F" "ig in einem "
	"gemeinsamen Netzwerk. Im Hauptgeb\xC3\xA4" "ude des Landratsamtes in Freiberg kamen am "
	"11. September die Bildungskoordinatoren aus sieben Landkreisen und Kreisfreien "
	"St\xC3\xA4" "dten zusammen, um sich \xC3\xBC" "ber aktuelle Schwerpunkte der Integration durch "
	"Bildung auszutauschen. Seit 2015 w\xC3\xA4" "chst die Zahl der Teilnehmenden.\n";

static const char minutes[] =
	"Protokoll der Sitzung vom 12. M\xC3\xA4rz 2019\n\n"
	"Ort: Landratsamt Freiberg\n"
	"Teilnehmende: 14 Personen\n\n"
	"TOP 1 Begr\xC3\xBC\xC3\x9F" "ung\n"
	"Das Protokoll der letzten Sitzung vom 14.01.2019 wird best\xC3\xA4tigt.\n\n"
	"TOP 2 Berichte\n"
	"Die Frist f\xC3\xBCr die Antr\xC3\xA4ge endet am 30.04.2019. Die AG berichtet \xC3\xBC" "ber den "
	"Fachtag am 3. Mai 2019.\n\n"
	"TOP 3 Termine\n"
	"Das n\xC3\xA4" "chste Treffen findet am 14. November 2019 in D\xC3\xB6" "beln statt.\n";

/* A text whose dates are all mere mentions, far from the top. */
static const char mentions_only[] =
	"Bildungsangebote f\xC3\xBCr Neuzugewanderte im Landkreis\n\n"
	"Die Bildungskoordination vermittelt zwischen Schulen, Kitas, Volkshochschulen, "
	"Jobcentern und Ehrenamtlichen. Sie sammelt Angebote, erkennt L\xC3\xBC" "cken und bringt die "
	"Beteiligten an einen Tisch. Dazu geh\xC3\xB6ren regelm\xC3\xA4\xC3\x9F" "ige Runden mit den Schulen, "
	"eine \xC3\x9C" "bersicht \xC3\xBC" "ber Sprachkurse und Beratung f\xC3\xBCr Familien, die neu im Landkreis "
	"sind. Viele Angebote werden von Ehrenamtlichen getragen, die Unterst\xC3\xBCtzung brauchen.\n\n"
	"Die Schulen melden freie Pl\xC3\xA4tze in den Vorbereitungsklassen monatlich. Wer ein Kind "
	"anmelden m\xC3\xB6" "chte, wendet sich an die Bildungsagentur oder an die Schule in der N\xC3\xA4he; "
	"die Bildungskoordination hilft bei der Suche nach einem Platz und bei Fragen zur "
	"Schulpflicht. Eltern erhalten Informationen in mehreren Sprachen.\n\n"
	"Der Fachtag fand am 21.06.2017 in Glauchau statt, der n\xC3\xA4" "chste folgt am 5. Mai 2018.\n";

/* A handout whose own date is only in a label at its end. */
#define HANDOUT \
	"Handreichung f\xC3\xBCr Eltern\n\n" \
	"Die Anmeldung f\xC3\xBCr das Schuljahr ist bis zum 30.04.2018 m\xC3\xB6glich. Die Schulen " \
	"beraten an den Tagen der offenen T\xC3\xBCr, zuletzt am 14.03.2018, und in der " \
	"Sprechstunde. Das Schuljahr beginnt am 6. August 2018.\n\n" \
	"Weitere Informationen gibt es im Landratsamt.\n\n"

static const char stand_at_end[] = HANDOUT "Stand: 12.03.2018\n";

static const doc_case doc_cases[] = {
	{ "seed: dateline under the headline", "seed.txt", NULL, seed, "2017-09-15", TR_SOURCE_TEXT },
	{ "minutes: label beats the later meetings", "sitzung.txt", NULL, minutes,
	  "2019-03-12", TR_SOURCE_TEXT },
	{ "only mentions, far down: no date", "info.txt", NULL, mentions_only, "", TR_SOURCE_NONE },
	{ "Stand: at the end", "eltern.md", NULL, stand_at_end, "2018-03-12", TR_SOURCE_TEXT },
	{ "Stand: month only", "x.txt", NULL, "Bestandsaufnahme\n\nStand: September 2017\n\nText.\n",
	  "2017-09", TR_SOURCE_TEXT },
	{ "Ort, den", "einladung.txt", NULL,
	  "Landeshauptstadt Dresden\nBildungsb\xC3\xBCro\n\nDresden, den 3. M\xC3\xA4rz 2020\n\n"
	  "Einladung zum Fachtag am 23. April 2020. Bitte melden Sie sich bis zum 3. April 2020 an.\n",
	  "2020-03-03", TR_SOURCE_TEXT },
	{ "Ort, two-digit year", "pm.txt", NULL,
	  "Freiberg, 2.8.16\n\nZwei Bildungskoordinatoren starten\n\nSeit dem 1. August ...\n",
	  "2016-08-02", TR_SOURCE_TEXT },
	{ "Ort, Datum \xE2\x80\x93 event", "v.md", "Von der Koordination zur Kommune",
	  "Freiberg, 15. Sept. 2023 \xE2\x80\x93 Kreistagsklausur, Ausschuss f\xC3\xBCr Bildung\n\n"
	  "Folie 1\n", "2023-09-15", TR_SOURCE_TEXT },
	{ "comma dateline under the title", "v.md", "Kommunale Koordinierung",
	  "Vortrag im Ausschuss f\xC3\xBCr Bildung und Sport, 6. Dezember 2016\n"
	  "Sandra W\xC3\xBCnsche, Bildungskoordinatorin\n", "2016-12-06", TR_SOURCE_TEXT },
	{ "label in a table cell", "p.md", "Protokoll",
	  "| Datum | 12.03.2019 |\n| Ort | Rathaus |\n\nN\xC3\xA4" "chste Sitzung: 4.6.2019\n",
	  "2019-03-12", TR_SOURCE_TEXT },
	{ "label on the line above", "p.txt", NULL,
	  "Ergebnisse der Runde\n\nDatum:\n11.09.2017\n\nText ...\n", "2017-09-11", TR_SOURCE_TEXT },
	{ "label in the title", "p.txt", "Protokoll AG Sprache vom 12.03.2019",
	  "Anwesend: alle\n\nTOP 1 ...\n", "2019-03-12", TR_SOURCE_TEXT },
	{ "English label", "p.html", NULL, "Published: September 15, 2017\n\nText\n",
	  "2017-09-15", TR_SOURCE_TEXT },
	{ "page breaks are line breaks", "deck.pdf", NULL,
	  "Netzwerktreffen\f15.09.2017\fFolie 2\fam 11. September\f", "2017-09-15", TR_SOURCE_TEXT },
	{ "CRLF lines", "p.txt", NULL,
	  "Protokoll\r\n\r\nDatum: 11.09.2017, 10:00 \xE2\x80\x93 15:30 Uhr\r\n", "2017-09-11",
	  TR_SOURCE_TEXT },
	{ "deadline only: no date", "f.txt", NULL,
	  "Anmeldeschluss: 30.04.2019\n\nBitte melden Sie sich an.\n", "", TR_SOURCE_NONE },
	{ "data date (Stichtag) only: no date", "folien.md", "Bildungsmonitoring",
	  "Kennzahlen, Stichtag 31.12.2023\n\n12.600 Menschen\n", "", TR_SOURCE_NONE },
	{ "the previous meeting is no label", "p.md", NULL,
	  "1. Protokoll der letzten Sitzung (14.03.2023)\n2. Verschiedenes\n", "", TR_SOURCE_NONE },
	{ "a quoted mail's date is no label", "mail.txt", NULL,
	  "Hallo,\n\ndanke f\xC3\xBCr die Nachricht.\n\n> Gesendet: Donnerstag, 30. Juni 2022 14:12\n"
	  "> Betreff: Anfrage\n", "", TR_SOURCE_NONE },
	{ "not a real date", "x.txt", NULL, "31.02.2019\n\nText\n", "", TR_SOURCE_NONE },
	{ "section numbers are no dates", "x.txt", NULL, "1.2. Ziele\n\n3.4. Wege\n", "",
	  TR_SOURCE_NONE },
	{ "no cue: a full date at the very top", "x.txt", NULL,
	  "Am 11. September 2017 trafen sich in Freiberg die Bildungskoordinatoren aus "
	  "sieben Landkreisen.\n", "2017-09-11", TR_SOURCE_TEXT },
	{ "no cue: a one-line note that ends with its date", "x.txt", NULL,
	  "Eintrag vom 25/12/2022.\n", "2022-12-25", TR_SOURCE_TEXT },
	{ "no cue: a date late in a longer text is a mention", "x.txt", NULL,
	  "Die Teilnehmenden sprachen \xC3\xBC" "ber Sprachkurse, Elternarbeit und die Begleitung neu "
	  "zugewanderter Familien beim \xC3\x9C" "bergang in die Schule und in den Beruf; "
	  "so der Bericht vom 1.9.2023.\n", "", TR_SOURCE_NONE },
	/* Year-less datelines take their year from the path, else from the text. */
	{ "year-less dateline, year folder", "Presse/2017/pm.txt", NULL,
	  "Freiberg, 15. September\n\nText.\n", "2017-09-15", TR_SOURCE_TEXT },
	{ "year-less dateline, year in text", "pm.txt", NULL,
	  "Freiberg, 15. September\n\nDas Treffen am 11.09.2017 war gut besucht.\n", "2017-09-15",
	  TR_SOURCE_TEXT },
	{ "year-less dateline, no year anywhere", "pm.txt", NULL,
	  "Freiberg, 15. September\n\nText.\n", "", TR_SOURCE_NONE },
	/* Folder and file-name conventions */
	{ "full date in the file name", "AG/2019-03-12_Protokoll_AG.md", NULL,
	  "Protokoll der Sitzung vom 9. April 2019\n", "2019-03-12", TR_SOURCE_FOLDER },
	{ "compact date in the file name", "AG/20190312 notiz.md", NULL, "Text\n", "2019-03-12",
	  TR_SOURCE_FOLDER },
	{ "a scanner's stamp in the file name", "Scans/Scan_20190312_101500.pdf", NULL, "Text\n",
	  "2019-03-12", TR_SOURCE_FOLDER },
	{ "a stamp without separator", "Scans/doc20190312101500.pdf", NULL, "Text\n", "2019-03-12",
	  TR_SOURCE_FOLDER },
	{ "fourteen digits that are no stamp", "Scans/Akte 20190312996600.pdf", NULL, "Text\n", "",
	  TR_SOURCE_NONE },
	{ "German date in the file name", "AG/Protokoll 12.03.2019.txt", NULL, "Text\n",
	  "2019-03-12", TR_SOURCE_FOLDER },
	{ "underscored date in the file name", "AG/2019_03_12_AG.txt", NULL, "Text\n",
	  "2019-03-12", TR_SOURCE_FOLDER },
	{ "month in the file name, day in the text", "Presse/PM 2018-05 Fachtag.txt", NULL,
	  "Bautzen, 17.05.2018\n\nText\n", "2018-05-17", TR_SOURCE_TEXT },
	{ "month in the file name, text elsewhere", "Presse/PM 2018-05 Fachtag.txt", NULL,
	  "Bautzen, 17.06.2018\n\nText\n", "2018-05", TR_SOURCE_FOLDER },
	{ "month in the file name only", "Presse/PM 2018-05 Fachtag.txt", NULL, "Text\n",
	  "2018-05", TR_SOURCE_FOLDER },
	{ "month name in the file name", "Protokolle/Fachtag Mai 2019.md", NULL, "Text\n",
	  "2019-05", TR_SOURCE_FOLDER },
	{ "year folder, text date in that year", "Protokolle/2018/ag.md", NULL,
	  "Protokoll der Sitzung vom 12. M\xC3\xA4rz 2018\n", "2018-03-12", TR_SOURCE_TEXT },
	{ "year folder, no text date", "Protokolle/2018/ag.md", NULL, "Text ohne Datum\n", "2018",
	  TR_SOURCE_FOLDER },
	{ "year in a folder name, only mentions", "Fachtag 2021/Folien/x.md", NULL,
	  "Folie 1\n\nseit Februar 2020 online\n", "2021", TR_SOURCE_FOLDER },
	{ "year in a name, report published the next year", "Berichte/Jahresbericht_2022.txt", NULL,
	  "Jahresbericht 2022\n\nPirna, im M\xC3\xA4rz 2023\n\nText\n", "2023-03", TR_SOURCE_TEXT },
	{ "year folder contradicted by far: folder wins", "Protokolle/2018/ag.md", NULL,
	  "Stand: 12.03.2011\n", "2018", TR_SOURCE_FOLDER },
	{ "year ranges are no year", "Schuljahr 2016-2017/x.txt", NULL, "Text\n", "",
	  TR_SOURCE_NONE },
	{ "school year 2016_17 is no date", "SJ 2016_17/x.txt", NULL, "Text\n", "",
	  TR_SOURCE_NONE },
	{ "an extension of digits is part of the name", "Protokoll 12.03.2019", NULL, "Text\n",
	  "2019-03-12", TR_SOURCE_FOLDER },
	{ "empty body", "x.txt", NULL, "", "", TR_SOURCE_NONE },
	/* Issue 14: ranges, dashes, times in datelines and labels */
	{ "dateline with a range from vom to bis zum", "x.txt", NULL,
	  "Torgau, vom 3.11. bis zum 5.11.2019\n\nText\n", "2019-11-03", TR_SOURCE_TEXT },
	{ "label with a range of bare days", "x.txt", NULL,
	  "Datum: 3 - 5.11.19\n\nText\n", "2019-11-03", TR_SOURCE_TEXT },
	{ "dateline with dashes and a weekday", "x.txt", NULL,
	  "Zwickau, Montag 04-11-19\n\nText\n", "2019-11-04", TR_SOURCE_TEXT },
	{ "ISO date with a time after a label", "x.txt", NULL,
	  "Zuletzt aktualisiert: 2019-11-04T08:30:00Z\n\nText\n", "2019-11-04", TR_SOURCE_TEXT },
	{ "a range's last day after bis is no date of its own", "x.txt", NULL,
	  "Aktuelles\n\nAnmeldung bis 5.11.2019 unter der Nummer.\n", "", TR_SOURCE_NONE },
	{ "a long label word with a typo (OCR: l for i)", "x.txt", NULL,
	  HANDOUT "Aktualislert am 12.03.2018\n", "2018-03-12", TR_SOURCE_TEXT },
	{ "a long label word with a letter missing", "x.txt", NULL,
	  HANDOUT "Ver\xC3\xB6" "fentlicht: 13. M\xC3\xA4rz 2018\n", "2018-03-13", TR_SOURCE_TEXT },
	/* Not 12.03.: what the handout gives without a label. */
	{ "a short label word with a typo is no label", "x.txt", NULL,
	  HANDOUT "Datun: 12.03.2018\n", "2018-03-14", TR_SOURCE_TEXT },
	{ "two dates in a row are not a date and a time", "x.txt", NULL,
	  "Datum: 04.11.2019 05.11.2019\n\nText\n", "2019-11-04", TR_SOURCE_TEXT },
};

static void
test_find_date(void)
{
	for (size_t i = 0; i < sizeof doc_cases / sizeof doc_cases[0]; i++) {
		const doc_case *c = &doc_cases[i];
		tr_meta_input in = { c->relpath, c->title, NULL, c->body, strlen(c->body), "text", NULL, NULL };
		tr_date d = TR_DATE_NONE;
		tr_source src = TR_SOURCE_NONE;
		char iso[11] = "";
		bool found = tr__meta_find_date(&in, &d, &src);

		if (found)
			tr_date_format_iso(&d, iso);
		CHECK_MSG(found == (c->want[0] != '\0') && strcmp(iso, c->want) == 0 &&
		          (!found || src == c->src),
		          "%s: got \"%s\" (%s), want \"%s\" (%s)", c->name, iso,
		          tr_source_name(src), c->want, tr_source_name(c->src));
	}
}

/* The mention at @offset in @body, or NULL. */
static const tr__date_mention *
mention_at(const tr__date_mention *m, size_t n, const char *body, const char *text)
{
	const char *p = strstr(body, text);

	for (size_t i = 0; p && i < n; i++)
		if (m[i].offset == (size_t)(p - body))
			return &m[i];
	return NULL;
}

static void
test_mentions(void)
{
	tr__date_mention *m = NULL;
	const tr__date_mention *x;
	size_t n = 0;
	char iso[11];

	/* The seed: the dateline, and "am 11. September" in the dateline's year. */
	{
		tr_meta_input in = { "seed.txt", NULL, NULL, seed, strlen(seed), "text", NULL, NULL };

		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK_MSG(n == 2, "%zu mentions", n);      /* "Seit 2015" is no date */
		x = mention_at(m, n, seed, "15.09.2017");
		CHECK(x && x->cue == TR__DATE_DATELINE && x->len == 10 && !x->year_inferred);
		x = mention_at(m, n, seed, "11. September");
		CHECK(x && x->cue == TR__DATE_MENTION && x->year_inferred && x->len == 13);
		if (x) {
			tr_date_format_iso(&x->date, iso);
			CHECK_STR(iso, "2017-09-11");
		}
		free(m);
	}
	/* The minutes: one label, the rest mentions. */
	{
		tr_meta_input in = { "p.txt", NULL, NULL, minutes, strlen(minutes), "text", NULL, NULL };

		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK_MSG(n == 5, "%zu mentions", n);
		x = mention_at(m, n, minutes, "12. M");
		CHECK(x && x->cue == TR__DATE_LABEL);
		for (size_t i = 1; i < n; i++)
			CHECK_MSG(m[i].cue == TR__DATE_MENTION, "mention %zu", i);
		x = mention_at(m, n, minutes, "14. November 2019");
		CHECK(x && x->date.year == 2019 && x->date.month == 11 && x->date.day == 14);
		free(m);
	}
	/* Dates in running text, with word boundaries. */
	{
		static const char body[] =
			"Stand: M\xC3\xA4rz 2020\n\n"
			"Vom 15.9.17 bis zum 2017-9-5, am 3.5. und am 1. Maerz 2019; Jan. 2018 und "
			"September 2017. Keine Daten: 1.700 Sch\xC3\xBCler, 15.30 Uhr, Nr. 12/2019, "
			"Version 1.2.3, \xC2\xA7 15.3.2019, A15.09.2017, 15.09.2017a, Jan Meier, "
			"31.02.2019, 10:00, KW 12/2019, Tel. 12.03.45.\n";
		static const struct {
			const char *at;
			const char *iso;
			tr__date_cue cue;
		} want[] = {
			{ "M\xC3\xA4rz 2020", "2020-03", TR__DATE_LABEL },
			{ "15.9.17", "2017-09-15", TR__DATE_MENTION },
			{ "2017-9-5", "2017-09-05", TR__DATE_MENTION },
			{ "3.5.", "2020-05-03", TR__DATE_MENTION },
			{ "1. Maerz 2019", "2019-03-01", TR__DATE_MENTION },
			{ "Jan. 2018", "2018-01", TR__DATE_MENTION },
			{ "September 2017", "2017-09", TR__DATE_MENTION },
		};
		tr_meta_input in = { "x.txt", NULL, NULL, body, strlen(body), "text", NULL, NULL };

		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK_MSG(n == sizeof want / sizeof want[0], "%zu mentions", n);
		for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
			x = mention_at(m, n, body, want[i].at);
			CHECK_MSG(x != NULL, "no mention at \"%s\"", want[i].at);
			if (!x)
				continue;
			tr_date_format_iso(&x->date, iso);
			CHECK_MSG(strcmp(iso, want[i].iso) == 0 && x->cue == want[i].cue,
			          "\"%s\": got %s cue %d", want[i].at, iso, (int)x->cue);
		}
		free(m);
	}
	/* A range of days is dated by its first day. */
	{
		static const char body[] =
			"Fachtag DaZ\n11.\xE2\x80\x93" "12. September 2017\nDresden\n\n"
			"Am 11./12.09.2017 und vom 3. bis 5. Mai 2018.\n";
		tr_meta_input in = { "x.txt", NULL, NULL, body, strlen(body), "text", NULL, NULL };
		tr_date d;
		tr_source src;

		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK_MSG(n == 3, "%zu mentions", n);
		x = mention_at(m, n, body, "11.\xE2\x80\x93");
		CHECK(x && x->date.day == 11 && x->cue == TR__DATE_DATELINE &&
		      x->len == strlen("11.\xE2\x80\x93" "12. September 2017"));
		x = mention_at(m, n, body, "11./12.");
		CHECK(x && x->date.day == 11 && x->date.month == 9);
		x = mention_at(m, n, body, "3. bis");
		CHECK(x && x->date.day == 3 && x->date.month == 5);
		free(m);
		CHECK(tr__meta_find_date(&in, &d, &src) && d.day == 11 && d.month == 9);
	}
	/* A bare "15.9." counts only where a date is expected. */
	{
		static const char body[] = "Text\n\n2.1. Ziele\n15.9. Termine; am 15.9. Treffen\n";
		tr_meta_input in = { "x.txt", NULL, NULL, body, strlen(body), "text", NULL, NULL };

		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK_MSG(n == 1 && m[0].offset == (size_t)(strstr(body, "am 15") + 3 - body),
		          "%zu mentions", n);
		free(m);
	}
	/* Without a year anywhere, year-less mentions stay without one. */
	{
		static const char body[] = "Wir treffen uns am 11. September.\n";
		tr_meta_input in = { "x.txt", NULL, NULL, body, strlen(body), "text", NULL, NULL };

		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK(n == 1 && m[0].date.year == 0 && m[0].date.month == 9 && !m[0].year_inferred);
		free(m);
	}
	/* A "29. Februar" in a year without one stays unresolved. */
	{
		static const char body[] = "Stand: 1. M\xC3\xA4rz 2019\n\nAm 29. Februar war nichts.\n";
		tr_meta_input in = { "x.txt", NULL, NULL, body, strlen(body), "text", NULL, NULL };

		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK(n == 2 && m[1].date.year == 0 && !m[1].year_inferred);
		free(m);
	}
}

/* Big input: linear time, the head and tail only for the document date, a cap on mentions. */
static void
test_large(void)
{
	size_t len = 10u << 20, i = 0;
	char *body = malloc(len + 1);
	static const char line[] = "Am 15.09.2017 und am 16.09.2017 war etwas los.\n";
	tr__date_mention *m = NULL;
	size_t n = 0;
	tr_date d;
	tr_source src;

	if (!body) {
		CHECK(!"out of memory");
		return;
	}
	while (i + sizeof line - 1 <= len) {
		memcpy(body + i, line, sizeof line - 1);
		i += sizeof line - 1;
	}
	len = i;
	body[len] = '\0';
	{
		tr_meta_input in = { "big.txt", NULL, NULL, body, len, "text", NULL, NULL };

		/* The first full date is within the first 600 bytes: taken without a cue. */
		CHECK(tr__meta_find_date(&in, &d, &src) && d.year == 2017 && d.day == 15);
		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK);
		CHECK_MSG(n == 65536, "%zu mentions", n);
		free(m);
	}
	/*
	 * One line of dates, no line break: each date looks at a bounded
	 * neighbourhood only (this took minutes when a date's rest of line was
	 * read to its end).
	 */
	for (i = 0; i + 11 <= (1u << 20); i += 11)
		memcpy(body + i, "15.09.2017 ", 11);
	body[i] = '\0';
	{
		tr_meta_input in = { "big.txt", NULL, NULL, body, i, "text", NULL, NULL };

		CHECK(tr__meta_find_date(&in, &d, &src) && d.day == 15);
		CHECK(tr__meta_date_mentions(&in, &m, &n) == TR_OK && n == 65536);
		free(m);
	}
	free(body);
}

int
main(void)
{
	test_parse();
	test_names();
	test_calendar();
	test_match();
	test_find_date();
	test_mentions();
	test_large();
	return check_done();
}
