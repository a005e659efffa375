/*
 * Document types (indexer/meta_type.c): the path's words, the text's cues
 * and their weights, the format, and the precedence between them.
 */
#include <string.h>

#include "check.h"
#include "meta.h"

typedef struct type_case {
	const char *name;
	const char *relpath;
	const char *format;
	const char *title;
	const char *headings;
	const char *body;
	const char *want;   /* the type's key (data/types.tsv) */
	tr_source src;
} type_case;

/* Minutes that discuss a press release in one item: still minutes. */
static const char minutes_with_pm[] =
	"Protokoll der Sitzung vom 12. M\xC3\xA4rz 2019\n\n"
	"Ort: Landratsamt Freiberg\n"
	"Protokollantin: Anja K\xC3\xB6hler\n"
	"Anwesend: 12 Personen (s. Liste)\n\n"
	"Tagesordnung\n"
	"TOP 1 Begr\xC3\xBC\xC3\x9F" "ung\n"
	"TOP 2 Pressemitteilung zum Fachtag\n"
	"TOP 3 Verschiedenes\n\n"
	"TOP 1 Begr\xC3\xBC\xC3\x9F" "ung\n"
	"Frau K\xC3\xB6hler begr\xC3\xBC\xC3\x9F" "t die Anwesenden.\n\n"
	"TOP 2 Pressemitteilung zum Fachtag\n"
	"Pressemitteilung wird von der Pressestelle bis 20.03. versandt. Beschluss: Der Text "
	"wird wie vorgelegt freigegeben.\n\n"
	"TOP 3 Verschiedenes\n"
	"N\xC3\xA4" "chstes Treffen am 14. November 2019.\n";

/* The seed press release's shape: headline, dateline, prose; no "Pressemitteilung". */
static const char press_release[] =
	"Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen\n\n"
	"15.09.2017\n\n"
	"Unter dem Motto \xE2\x80\x9Egelingende Integration durch aktive Zusammenarbeit\xE2\x80\x9C treffen "
	"sich die s\xC3\xA4" "chsischen Bildungskoordinatoren regelm\xC3\xA4\xC3\x9F" "ig in einem gemeinsamen "
	"Netzwerk. Dabei geht es vor allem um den Austausch von Informationen und die Vorstellung "
	"von Arbeitsergebnissen. Die Gastgeber der nun schon dritten Zusammenkunft waren diesmal "
	"die Bildungskoordinatoren des Landkreises Mittelsachsen.\n\n"
	"Im Hauptgeb\xC3\xA4" "ude des Landratsamtes in Freiberg kamen am 11. September die "
	"Bildungskoordinatoren aus sieben Landkreisen zusammen, um sich \xC3\xBC" "ber aktuelle "
	"Schwerpunkte der Integration durch Bildung auszutauschen. Beim Netzwerktreffen stand "
	"die nachholende Schulbildung ganz oben auf der Tagesordnung.\n";

/* The same as PDF text: lines wrapped at a width. */
static const char press_release_wrapped[] =
	"Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen\n\n"
	"Freiberg, 15.09.2017\n\n"
	"Unter dem Motto \xE2\x80\x9E" "gelingende Integration durch aktive Zusammenarbeit\xE2\x80\x9C" "\n"
	"treffen sich die s\xC3\xA4" "chsischen Bildungskoordinatoren regelm\xC3\xA4" "\xC3\x9F" "ig in einem\n"
	"gemeinsamen Netzwerk. Dabei geht es vor allem um den Austausch von\n"
	"Informationen und die Vorstellung von Arbeitsergebnissen. Die\n"
	"Gastgeber der nun schon dritten Zusammenkunft waren diesmal die\n"
	"Bildungskoordinatoren des Landkreises Mittelsachsen.\n\n"
	"Im Hauptgeb\xC3\xA4" "ude des Landratsamtes in Freiberg kamen am 11. September\n"
	"die Bildungskoordinatoren aus sieben Landkreisen zusammen, um sich\n"
	"\xC3\xBC" "ber aktuelle Schwerpunkte der Integration durch Bildung\n"
	"auszutauschen.\n";

static const char press_release_labelled[] =
	"Pressemitteilung Nr. 45/2019\n\n"
	"Sprachpaten gesucht\n\n"
	"Die Bildungskoordination sucht Ehrenamtliche.\n\n"
	"Pressekontakt: Pressestelle des Landratsamtes, Tel. 03731 799-0\n";

static const char slides[] =
	"Gut ankommen in der Kita\n"
	"Vortrag bei der Fachberatung, Mai 2017\n\n"
	"Folie 1: Gut ankommen\n"
	"  - Kinder aus zugewanderten Familien\n"
	"  - Birgit Hantzsch, Bildungskoordinatorin\n\n"
	"Folie 2: Ausgangslage\n"
	"  - rund 380 Kinder unter 7 Jahren\n"
	"  - davon besuchen etwa 40 % eine Kita\n\n"
	"Folie 3: Ideen\n"
	"  - mehrsprachiger Flyer\n";

/* A deck as the Markdown extractor hands it over: headings apart, no bullets left. */
static const char deck_body[] =
	"Fachforum Kindertagesbetreuung, 28. Januar 2025, Werdau\n\n"
	"Felix Baumann, Bildungskoordination\n\n"
	"mehr Kinder, die mit zwei Sprachen aufwachsen\n"
	"Kitas melden Unsicherheit\n"
	"Ziel des Forums: Austausch\n\n"
	"2024: ca. 1.900 Kinder\n"
	"h\xC3\xA4ufigste Familiensprachen: Ukrainisch, Russisch, Arabisch\n"
	"Schwerpunkte: Zwickau, Werdau\n\n"
	"Mehrsprachigkeit ist eine Ressource\n"
	"Kinder lernen Deutsch im Alltag\n"
	"entscheidend: Beziehung\n\n"
	"Kita in Zwickau: Bilderbuchkisten\n"
	"Kita in Werdau: Eltern-Caf\xC3\xA9\n\n"
	"Aufnahmegespr\xC3\xA4" "ch mit Sprachmittlung\n"
	"Elternbriefe in einfacher Sprache\n\n"
	"Fortbildungen der Fachberatung\n"
	"Materialkisten zum Ausleihen\n";
static const char deck_headings[] =
	"1 | Worum es geht\n2 | Zahlen\n3 | Was die Forschung sagt\n4 | Praxisbeispiele\n"
	"5 | Elternarbeit\n6 | Unterst\xC3\xBCtzung\n7 | Ihre Fragen\n";

static const char letter[] =
	"Landeshauptstadt Dresden\nBildungsb\xC3\xBCro\n\n"
	"Dresden, den 2. November 2016\n\n"
	"Einladung zum Auftakttreffen\n\n"
	"Sehr geehrte Kolleginnen und Kollegen,\n\n"
	"seit diesem Jahr arbeiten in fast allen s\xC3\xA4" "chsischen Landkreisen und kreisfreien "
	"St\xC3\xA4" "dten Bildungskoordinatorinnen und Bildungskoordinatoren f\xC3\xBCr Neuzugewanderte. "
	"Viele von uns stehen vor \xC3\xA4hnlichen Fragen, deshalb laden wir Sie herzlich ein.\n\n"
	"Vorl\xC3\xA4ufige Tagesordnung:\n"
	"  10:00  Begr\xC3\xBC\xC3\x9F" "ung\n"
	"  12:30  Mittagspause\n\n"
	"Mit freundlichen Gr\xC3\xBC\xC3\x9F" "en\n";

static const char guide[] =
	"Ihr Kind kommt in die Schule\n\n"
	"Stand: 1. August 2017\n\n"
	"In Sachsen m\xC3\xBCssen alle Kinder zur Schule gehen. Die Schulpflicht beginnt mit sechs "
	"Jahren und dauert neun Jahre. Danach besteht die Berufsschulpflicht. Das gilt auch f\xC3\xBCr "
	"Kinder, deren Asylverfahren noch l\xC3\xA4uft, und f\xC3\xBCr Kinder aus der EU.\n";

static const char report[] =
	"Jahresbericht 2022\n\n"
	"Pirna, im M\xC3\xA4rz 2023\n\n"
	"1. Ausgangslage\n"
	"Im Jahr 2022 kamen mehr Menschen aus der Ukraine in den Landkreis als in allen Jahren "
	"zuvor. Die Bildungskoordination hat ihre Arbeit darauf eingestellt und gemeinsam mit den "
	"Schulen und dem Landesamt zus\xC3\xA4tzliche Vorbereitungsklassen geplant.\n\n"
	"2. Schule\n"
	"An den Schulen des Landkreises lernten zum Stichtag mehr als tausend Kinder in "
	"Vorbereitungsklassen; die Zahl der Klassen stieg von 41 auf 68 Klassen im Kreisgebiet.\n\n"
	"3. Ausblick\n"
	"Die Arbeit geht weiter.\n";

static const type_case cases[] = {
	/* The path */
	{ "Protokolle folder", "Netzwerk/Protokolle/2018/treffen.md", "markdown", NULL, NULL,
	  "Text.\n", "protokoll", TR_SOURCE_FOLDER },
	{ "Protokoll in the file name", "AG/2019-03-12_Protokoll_AG.md", "markdown", NULL, NULL,
	  "Text.\n", "protokoll", TR_SOURCE_FOLDER },
	{ "Niederschrift", "AG/Niederschrift Mai.txt", "text", NULL, NULL, "Text.\n",
	  "protokoll", TR_SOURCE_FOLDER },
	{ "compound Sitzungsprotokolle", "Sitzungsprotokolle/a.txt", "text", NULL, NULL, "Text.\n",
	  "protokoll", TR_SOURCE_FOLDER },
	{ "PM_ prefix", "Ablage alt/PM_Start.txt", "text", NULL, NULL, "Text.\n",
	  "pressemitteilung", TR_SOURCE_FOLDER },
	{ "Presse folder", "Presse/Archiv/x.txt", "text", NULL, NULL, "Text.\n",
	  "pressemitteilung", TR_SOURCE_FOLDER },
	{ "Pressemitteilungen folder", "Pressemitteilungen/2019/x.txt", "text", NULL, NULL, "Text.\n",
	  "pressemitteilung", TR_SOURCE_FOLDER },
	{ "Folien folder", "Fachtag 2021/Folien/x.md", "markdown", NULL, NULL, "Text.\n",
	  "praesentation", TR_SOURCE_FOLDER },
	{ "Praesentationen folder, spelled out", "Praesentationen/x.md", "markdown", NULL, NULL,
	  "Text.\n", "praesentation", TR_SOURCE_FOLDER },
	{ "Präsentationen folder", "Pr\xC3\xA4sentationen/x.md", "markdown", NULL, NULL, "Text.\n",
	  "praesentation", TR_SOURCE_FOLDER },
	{ "Vorträge folder", "Vortr\xC3\xA4ge/x.md", "markdown", NULL, NULL, "Text.\n",
	  "praesentation", TR_SOURCE_FOLDER },
	{ "Vortrag in the file name", "AG Kita/Vortrag Kita-Einstieg.txt", "text", NULL, NULL,
	  "Text.\n", "praesentation", TR_SOURCE_FOLDER },
	{ "Slides folder", "Slides/x.md", "markdown", NULL, NULL, "Text.\n",
	  "praesentation", TR_SOURCE_FOLDER },
	{ "the file name beats the folder", "Presse/Protokoll Pressekonferenz.txt", "text", NULL,
	  NULL, "Text.\n", "protokoll", TR_SOURCE_FOLDER },
	{ "the innermost folder first", "Protokolle/Folien/x.md", "markdown", NULL, NULL, "Text.\n",
	  "praesentation", TR_SOURCE_FOLDER },
	{ "an invitation in the minutes folder", "Protokolle/Einladung.txt", "text", NULL, NULL,
	  letter, "einladung", TR_SOURCE_TEXT },
	{ "Sonstiges folder names no type", "Sonstiges/x.txt", "text", NULL, NULL,
	  "Ein Text ohne Merkmale.\n", "sonstiges", TR_SOURCE_TEXT },
	{ "words inside words do not count", "Impressum/Pmlich.txt", "text", NULL, NULL,
	  "Ein Text ohne Merkmale.\n", "sonstiges", TR_SOURCE_TEXT },
	{ "the folder yields to sure text", "Presse/notiz.txt", "text", NULL, NULL,
	  minutes_with_pm, "protokoll", TR_SOURCE_TEXT },

	/* The text */
	{ "minutes mentioning a press release", "AG/notiz.txt", "text", NULL, NULL,
	  minutes_with_pm, "protokoll", TR_SOURCE_TEXT },
	{ "minutes cues in the headings", "AG/ergebnisse.md", "markdown", "Netzwerktreffen",
	  "Teilnehmende\nTagesordnung\nTOP 1 \xE2\x80\x93 Begr\xC3\xBC\xC3\x9F" "ung\n"
	  "TOP 2 \xE2\x80\x93 Berichte\nTOP 3 \xE2\x80\x93 Termine\n",
	  "18 Personen aus neun Kommunen.\n\nDie Leiterin berichtet \xC3\xBC" "ber die Lage.\n",
	  "protokoll", TR_SOURCE_TEXT },
	{ "Ergebnisprotokoll in the title", "AG/x.txt", "text", "Ergebnisprotokoll AG Sprache",
	  NULL, "Text.\n", "protokoll", TR_SOURCE_TEXT },
	{ "a press release without its name", "x.txt", "text", NULL, NULL, press_release,
	  "pressemitteilung", TR_SOURCE_TEXT },
	{ "a press release as PDF text", "x.pdf", "pdf", NULL, NULL, press_release_wrapped,
	  "pressemitteilung", TR_SOURCE_TEXT },
	{ "a press release with its name", "x.txt", "text", NULL, NULL, press_release_labelled,
	  "pressemitteilung", TR_SOURCE_TEXT },
	{ "Medieninformation after a separator", "x.html", "html", "Tablets f\xC3\xBCr Sch\xC3\xBCler",
	  NULL, "Amt f\xC3\xBCr Schule \xC2\xB7 Medieninformation\n\nText.\n",
	  "pressemitteilung", TR_SOURCE_TEXT },
	{ "slides with Folie N", "x.txt", "text", NULL, NULL, slides, "praesentation",
	  TR_SOURCE_TEXT },
	{ "a deck without Folie N", "x.md", "markdown", "Sprachbildung in der Kita", deck_headings,
	  deck_body, "praesentation", TR_SOURCE_TEXT },
	{ "thanks for listening", "x.pdf", "pdf", NULL, NULL,
	  "Bildungsmonitoring\fZahlen\n- 12.600 Menschen\fVielen Dank f\xC3\xBCr Ihre "
	  "Aufmerksamkeit!\f", "praesentation", TR_SOURCE_TEXT },
	{ "a letter of invitation is no press release", "x.txt", "text", NULL, NULL, letter,
	  "einladung", TR_SOURCE_TEXT },
	{ "a guide is Sonstiges", "x.md", "markdown", NULL, NULL, guide, "sonstiges",
	  TR_SOURCE_TEXT },
	{ "a report is no press release", "x.txt", "text", NULL, NULL, report,
	  "bericht", TR_SOURCE_TEXT },
	{ "an agenda is no minutes", "x.txt", "text", NULL, NULL,
	  "Einladung zur 5. Sitzung der Steuerungsgruppe\n\nTagesordnung\nTOP 1 Begr\xC3\xBC\xC3\x9F" "ung\n"
	  "TOP 2 Berichte\nTOP 3 Haushalt\nTOP 4 Verschiedenes\n", "einladung",
	  TR_SOURCE_TEXT },
	{ "the word Protokoll once is not enough", "x.txt", "text", NULL, NULL,
	  "Notiz\n\nDas Protokoll der Sitzung liegt vor. Die Zahlen stehen im Anhang.\n",
	  "sonstiges", TR_SOURCE_TEXT },

	/* The types of data/types.tsv beyond the three (issue 14) */
	{ "a newspaper report with a byline", "Presse/Spiegel/kita.txt", "text", NULL, NULL,
	  "Mehr Pl\xC3\xA4tze f\xC3\xBCr Kinder aus zugewanderten Familien\n\n"
	  "Von Katrin Weidlich\n\nTorgau. In den Kitas der Stadt lernen inzwischen Kinder aus "
	  "vierzehn L\xC3\xA4ndern. Die Bildungskoordinatorin des Landkreises stellte am "
	  "Dienstag vor, wie die Einrichtungen unterst\xC3\xBCtzt werden, sagte sie.\n\n"
	  "Foto: Torgauer Zeitung\n", "presseartikel", TR_SOURCE_TEXT },
	{ "a council paper with its Beratungsfolge", "x.txt", "text", NULL, NULL,
	  "Landkreis Nordsachsen\nDrucksache 2023/118\n\n"
	  "Beratungsfolge: Ausschuss f\xC3\xBCr Bildung (Vorberatung), Kreistag (Entscheidung)\n\n"
	  "Beschlussvorschlag:\nDer Kreistag nimmt den Sachstand zur Kenntnis.\n\n"
	  "Sachverhalt:\nSeit 2016 koordiniert das Bildungsb\xC3\xBCro die Angebote.\n",
	  "vorlage", TR_SOURCE_TEXT },
	{ "a council paper named in its file name", "Kreistag/Beschlussvorlage Sprachkurse.txt",
	  "text", NULL, NULL, "Der Ausschuss empfiehlt die Fortf\xC3\xBChrung.\n", "vorlage",
	  TR_SOURCE_TEXT },
	{ "an evaluation report", "x.md", "markdown", "Evaluation der Sprachpatenschaften", NULL,
	  "Inhaltsverzeichnis\n1. Ausgangslage\n2. Methodik\n3. Ergebnisse\n\n"
	  "Im Berichtszeitraum wurden 40 Patenschaften begleitet.\n", "bericht", TR_SOURCE_TEXT },
	{ "a concept", "x.txt", "text", "Rahmenkonzept Elternbegleitung", NULL,
	  "Zielgruppen\nEltern neu zugewanderter Kinder.\n\nHandlungsfelder\nBeratung, "
	  "Begleitung.\n\nMeilensteine\n2024: Aufbau.\n", "konzept", TR_SOURCE_TEXT },
	{ "an interview", "x.txt", "text", NULL, NULL,
	  "Nachgefragt: Drei Fragen an die Bildungskoordinatorin\n\n"
	  "Frage: Was hat sich ver\xC3\xA4ndert?\nAntwort: Die Schulen melden sich fr\xC3\xBCher.\n"
	  "Frage: Was fehlt?\nAntwort: Dolmetscher.\n", "interview", TR_SOURCE_TEXT },
	{ "an undated web page is information", "www.kreis-x.de/bildung/sprachkurse.html", "html",
	  "Sprachkurse f\xC3\xBCr Erwachsene", NULL,
	  "Wer kann teilnehmen?\nAlle Erwachsenen mit Aufenthaltserlaubnis.\n\n"
	  "Sprechzeiten\nDienstag 9 bis 12 Uhr\n", "information", TR_SOURCE_TEXT },
	{ "a dated news page stays a press release", "www.kreis-x.de/aktuelles/kurse.html", "html",
	  "Neue Sprachkurse", NULL,
	  "Pirna, 12.03.2024\n\nDer Landkreis bietet ab April drei neue Sprachkurse an. "
	  "Die Kurse finden in Pirna, Sebnitz und Freital statt und stehen allen Erwachsenen "
	  "offen, sagte die Bildungskoordinatorin am Dienstag bei der Vorstellung im Landratsamt.\n",
	  "pressemitteilung", TR_SOURCE_TEXT },
	{ "an e-mail header is no byline", "x.txt", "text", NULL, NULL,
	  "Von: Anna Berger\nAn: Team Bildung\nBetreff: Kurse\n\nHallo zusammen, anbei die Liste.\n",
	  "sonstiges", TR_SOURCE_TEXT },
	{ "slides about a report are slides", "Monitoringbericht Kurzfassung.pptx", "pptx",
	  "Monitoringbericht 2022", NULL, "Kennzahlen\fFazit\f", "praesentation", TR_SOURCE_FORMAT },
	{ "a folder names a type of the table", "Handreichungen/schulanmeldung.md", "markdown",
	  NULL, NULL, "Ein Text ohne Merkmale.\n", "information", TR_SOURCE_FOLDER },

	/* The format */
	{ "pptx with little text", "x.pptx", "pptx", "Titel", NULL, "Kurz\fText\f",
	  "praesentation", TR_SOURCE_FORMAT },
	{ "odp with minutes inside", "x.odp", "odp", NULL, NULL, minutes_with_pm,
	  "protokoll", TR_SOURCE_TEXT },

	/* Nothing */
	{ "empty", "x.txt", "text", NULL, NULL, "", "unbekannt", TR_SOURCE_NONE },
	{ "white space only", "x.txt", "text", NULL, NULL, " \n\f\n", "unbekannt",
	  TR_SOURCE_NONE },
	{ "no path at all", NULL, NULL, NULL, NULL, "Ein Satz.\n", "sonstiges",
	  TR_SOURCE_TEXT },
};

int
main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const type_case *c = &cases[i];
		tr_meta_input in = { c->relpath, c->title, c->headings, c->body, strlen(c->body),
		                     c->format, NULL, NULL };
		tr_source src = TR_SOURCE_NONE;
		tr_doctype t = tr__meta_find_type(&in, &src);

		CHECK_MSG(strcmp(tr_doctype_key(t), c->want) == 0 && src == c->src,
		          "%s: got %s (%s), want %s (%s)", c->name, tr_doctype_key(t),
		          tr_source_name(src), c->want, tr_source_name(c->src));
	}
	return check_done();
}
