/*
 * Districts: the table and gazetteer in data/, resolving what users type,
 * finding mentions in running text, and the district finder of the indexer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "buf.h"
#include "meta.h"
#include "tellerrand/district.h"
#include "tellerrand/document.h"

static tr_districts *reg;
static char data_dir[4096];

/* Scores of @text as "key=N key=N" in table order, for compact expectations. */
static void
scan_str(const char *text, char *out, size_t outsz)
{
	size_t n = tr_districts_count(reg), len = 0;
	double *scores = calloc(n, sizeof *scores);

	out[0] = '\0';
	if (!scores || tr_districts_scan(reg, text, strlen(text), 1.0, scores) != TR_OK) {
		snprintf(out, outsz, "(error)");
		free(scores);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (scores[i] == 0)
			continue;
		len += (size_t)snprintf(out + len, outsz - len, "%s%s=%g", len ? " " : "",
		                        tr_districts_key(reg, i), scores[i]);
		if (len >= outsz)
			break;
	}
	free(scores);
}

static void
check_scan(const char *text, const char *want)
{
	char got[1024];

	scan_str(text, got, sizeof got);
	CHECK_MSG(strcmp(got, want) == 0, "scan \"%.60s\": got \"%.200s\", want \"%.200s\"", text, got, want);
}

static void
check_resolve(const char *name, tr_status want_st, const char *want_key)
{
	size_t i = (size_t)-1;
	tr_status st = tr_districts_resolve(reg, name, &i);

	CHECK_MSG(st == want_st && (st != TR_OK || strcmp(tr_districts_key(reg, i), want_key) == 0),
	          "resolve \"%s\": got %s %s, want %s %s", name, tr_strerror(st),
	          st == TR_OK ? tr_districts_key(reg, i) : "", tr_strerror(want_st),
	          want_key ? want_key : "");
}

/* Runs the finder and compares "key key" and the source. */
static void
check_meta(const char *relpath, const char *title, const char *body,
           const char *want, tr_source want_src)
{
	tr_meta_input in = { relpath, title, NULL, body, strlen(body), "text", NULL, NULL };
	char **keys = NULL;
	size_t n = 0, len = 0;
	tr_source src = TR_SOURCE_NONE;
	char got[512] = "";
	tr_status st = tr__meta_find_districts(reg, &in, &keys, &n, &src);

	for (size_t i = 0; i < n && len < sizeof got; i++)
		len += (size_t)snprintf(got + len, sizeof got - len, "%s%s", i ? " " : "", keys[i]);
	CHECK_MSG(st == TR_OK && strcmp(got, want) == 0 && src == want_src,
	          "meta %.80s: got \"%.150s\" (%s), want \"%.150s\" (%s)", relpath, got,
	          tr_source_name(src), want, tr_source_name(want_src));
	tr_strv_free(keys, n);
}

static const char *const keys[] = {
	"chemnitz", "erzgebirgskreis", "mittelsachsen", "vogtlandkreis", "landkreis-zwickau",
	"dresden", "landkreis-bautzen", "landkreis-goerlitz", "landkreis-meissen",
	"saechsische-schweiz-osterzgebirge", "leipzig", "landkreis-leipzig", "nordsachsen",
};

static const struct {
	const char *name;
	tr_status st;
	const char *key;
} resolves[] = {
	/* keys, names, short names */
	{ "mittelsachsen", TR_OK, "mittelsachsen" },
	{ "landkreis-leipzig", TR_OK, "landkreis-leipzig" },
	{ " Landkreis-Goerlitz ", TR_OK, "landkreis-goerlitz" },
	{ "Landkreis Mittelsachsen", TR_OK, "mittelsachsen" },
	{ "Stadt Leipzig", TR_OK, "leipzig" },
	{ "Leipzig", TR_OK, "leipzig" },
	{ "Landkreis Leipzig", TR_OK, "landkreis-leipzig" },
	{ "lk leipzig", TR_OK, "landkreis-leipzig" },
	{ "Landratsamt Leipzig", TR_OK, "landkreis-leipzig" },
	{ "Leipziger Land", TR_OK, "landkreis-leipzig" },
	{ "Landeshauptstadt Dresden", TR_OK, "dresden" },
	{ "Sächsische Schweiz-Osterzgebirge", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Saechsische Schweiz Osterzgebirge", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Sächsische Schweiz", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Osterzgebirge", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Erzgebirge", TR_OK, "erzgebirgskreis" },
	{ "Vogtland", TR_OK, "vogtlandkreis" },
	{ "Nordsachsen", TR_OK, "nordsachsen" },
	{ "mittelsächsisch", TR_OK, "mittelsachsen" },
	{ "Chemnitzer", TR_OK, "chemnitz" },
	{ "Stadt Chemnitz", TR_OK, "chemnitz" },
	/* former districts of the 2008 reform */
	{ "Weißeritzkreis", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Muldentalkreis", TR_OK, "landkreis-leipzig" },
	{ "Torgau-Oschatz", TR_OK, "nordsachsen" },
	{ "Riesa-Großenhain", TR_OK, "landkreis-meissen" },
	{ "Löbau-Zittau", TR_OK, "landkreis-goerlitz" },
	{ "Niederschlesischer Oberlausitzkreis", TR_OK, "landkreis-goerlitz" },
	{ "Aue-Schwarzenberg", TR_OK, "erzgebirgskreis" },
	{ "Chemnitzer Land", TR_OK, "landkreis-zwickau" },
	{ "Landkreis Döbeln", TR_OK, "mittelsachsen" },
	/* umlaut spellings and case */
	{ "Meißen", TR_OK, "landkreis-meissen" },
	{ "meissen", TR_OK, "landkreis-meissen" },
	{ "MEISSEN", TR_OK, "landkreis-meissen" },
	{ "Görlitz", TR_OK, "landkreis-goerlitz" },
	{ "Goerlitz", TR_OK, "landkreis-goerlitz" },
	{ "landkreis goerlitz", TR_OK, "landkreis-goerlitz" },
	/* codes */
	{ "SOE", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "pir", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "ERZ", TR_OK, "erzgebirgskreis" },
	{ "MEI", TR_OK, "landkreis-meissen" },
	{ "TDO", TR_OK, "nordsachsen" },
	{ "FG", TR_OK, "mittelsachsen" },
	{ "V", TR_OK, "vogtlandkreis" },
	{ "Z", TR_OK, "landkreis-zwickau" },
	{ "DD", TR_OK, "dresden" },
	{ "L", TR_EINVAL, NULL },         /* Stadt and Landkreis Leipzig */
	{ "14522", TR_OK, "mittelsachsen" },
	{ "14729400", TR_OK, "landkreis-leipzig" },  /* AGS of Trebsen/Mulde */
	/* municipalities, with and without their qualifiers */
	{ "Freiberg", TR_OK, "mittelsachsen" },
	{ "Stadt Freiberg", TR_OK, "mittelsachsen" },
	{ "Große Kreisstadt Freiberg", TR_OK, "mittelsachsen" },
	{ "Borna", TR_OK, "landkreis-leipzig" },
	{ "Markkleeberg", TR_OK, "landkreis-leipzig" },
	{ "Bad Lausick", TR_OK, "landkreis-leipzig" },
	{ "Aue-Bad Schlema", TR_OK, "erzgebirgskreis" },
	{ "Annaberg-Buchholz", TR_OK, "erzgebirgskreis" },
	{ "Annaberg-Buchholz, Stadt", TR_OK, "erzgebirgskreis" },
	{ "Trebsen", TR_OK, "landkreis-leipzig" },
	{ "Trebsen/Mulde", TR_OK, "landkreis-leipzig" },
	{ "Oelsnitz/Vogtl.", TR_OK, "vogtlandkreis" },
	{ "Oelsnitz im Vogtland", TR_OK, "vogtlandkreis" },
	{ "Oelsnitz/Erzgeb.", TR_OK, "erzgebirgskreis" },
	{ "Reichenbach im Vogtland", TR_OK, "vogtlandkreis" },
	{ "Reichenbach/O.L.", TR_OK, "landkreis-goerlitz" },
	{ "Neustadt in Sachsen", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Neustadt i. Sa.", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Sohland an der Spree", TR_ENOTFOUND, NULL },   /* the register abbreviates */
	{ "Sohland a. d. Spree", TR_OK, "landkreis-bautzen" },
	{ "St. Egidien", TR_OK, "landkreis-zwickau" },
	{ "Sankt Egidien", TR_OK, "landkreis-zwickau" },
	{ "Bautzen", TR_OK, "landkreis-bautzen" },
	{ "Budyšin", TR_OK, "landkreis-bautzen" },
	{ "Weißwasser", TR_OK, "landkreis-goerlitz" },
	{ "Běła Woda", TR_OK, "landkreis-goerlitz" },
	{ "Treuen", TR_OK, "vogtlandkreis" },
	{ "Stadt Wehlen", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Wehlen", TR_OK, "saechsische-schweiz-osterzgebirge" },
	{ "Krauschwitz i.d. O.L.", TR_OK, "landkreis-goerlitz" },
	{ "Chemnitz, Stadt", TR_OK, "chemnitz" },
	{ "Schleife", TR_OK, "landkreis-goerlitz" },   /* stop-listed only in running text */
	{ "Neukirch", TR_OK, "landkreis-bautzen" },    /* two municipalities, one district */
	/* names of municipalities in two districts */
	{ "Auerbach", TR_EINVAL, NULL },
	{ "Oelsnitz", TR_EINVAL, NULL },
	{ "Bernsdorf", TR_EINVAL, NULL },
	{ "Neukirchen", TR_EINVAL, NULL },
	{ "Neustadt", TR_EINVAL, NULL },
	{ "Hartmannsdorf", TR_EINVAL, NULL },
	{ "Lichtenberg", TR_EINVAL, NULL },
	{ "Rosenbach", TR_EINVAL, NULL },
	{ "Reichenbach", TR_EINVAL, NULL },
	{ "Oberlausitz", TR_EINVAL, NULL },   /* spans Bautzen and Görlitz */
	/* unknown */
	{ "Sachsen", TR_ENOTFOUND, NULL },
	{ "Mitteldeutschland", TR_ENOTFOUND, NULL },
	{ "Berlin", TR_ENOTFOUND, NULL },
	{ "Presse", TR_ENOTFOUND, NULL },
	{ "Landkreis", TR_ENOTFOUND, NULL },
	{ "", TR_ENOTFOUND, NULL },
};

static const struct {
	const char *text;
	const char *want;   /* scores in table order */
} scans[] = {
	/* the two Leipzigs */
	{ "Die Stadt Leipzig und der Landkreis Leipzig arbeiten zusammen.",
	  "leipzig=1 landkreis-leipzig=1" },
	{ "Leipzig wächst. Leipziger Schulen sind voll.", "leipzig=2" },
	/* names of newspapers and institutions count for nobody */
	{ "Die Leipziger Volkszeitung und die Universität Leipzig in Torgau.", "nordsachsen=1" },
	{ "TU Dresden, HTWK Leipzig, IHK zu Leipzig", "" },
	{ "Das Landratsamt Leipzig in Borna; die Kreisverwaltung des Landkreises Leipzig.",
	  "landkreis-leipzig=3" },
	{ "LK Leipzig, Leipziger Land, Grimma, Wurzen und Markkleeberg", "landkreis-leipzig=5" },
	{ "Leipzigs Schulen und die Schulen des Landkreises Leipzig", "leipzig=1 landkreis-leipzig=1" },
	/* a full stop or a comma ends a name */
	{ "Wir waren in Leipzig. Land und Leute.", "leipzig=1" },
	{ "im Landkreis, Leipzig", "leipzig=1" },
	/* seat named after the Landratsamt */
	{ "Im Hauptgebäude des Landratsamtes in Freiberg", "mittelsachsen=1" },
	{ "Borna", "landkreis-leipzig=1" },
	/* no kreisfreie Stadt Görlitz since 2008 */
	{ "Goerlitz", "landkreis-goerlitz=1" },
	{ "Görlitz und der Landkreis Görlitz", "landkreis-goerlitz=2" },
	/* inflections */
	{ "Mittelsachsens Schulen", "mittelsachsen=1" },
	{ "die mittelsächsischen Schulen", "mittelsachsen=1" },
	{ "Erzgebirgische Volksbank, erzgebirgischer Advent", "erzgebirgskreis=2" },
	{ "in der Sächsischen Schweiz", "saechsische-schweiz-osterzgebirge=1" },
	{ "des Vogtlandkreises", "vogtlandkreis=1" },
	{ "Zwickauer Schulen", "landkreis-zwickau=1" },
	{ "Dresdner Bildungsbüro", "dresden=1" },
	/* the state and the region are no district */
	{ "Sachsen, sächsischen Bildungskoordinatoren, Sächsische Bildungsagentur, Mitteldeutschland",
	  "" },
	{ "im Freistaat Sachsen", "" },
	/* case: the adjective is no town */
	{ "die treuen Helfer", "" },
	{ "aus Treuen im Vogtland", "vogtlandkreis=2" },
	/* stop-listed common words */
	{ "in den Bergen, eine Schleife, mit den Machern, in der Aue", "" },
	{ "in Schleife, Gemeinde Bergen, aus Machern, nach Aue",
	  "erzgebirgskreis=1 vogtlandkreis=1 landkreis-goerlitz=1 landkreis-leipzig=1" },
	/* ambiguous names count for nobody */
	{ "Auerbach, Oelsnitz und Neustadt", "" },
	{ "Auerbach/Vogtl., Oelsnitz (Erzgeb.), Neustadt in Sachsen",
	  "erzgebirgskreis=1 vogtlandkreis=1 saechsische-schweiz-osterzgebirge=1" },
	{ "Oberlausitz", "" },
	/* codes: capitals only, and never one letter */
	{ "Kfz-Kennzeichen SOE, ERZ und MEI", "erzgebirgskreis=1 landkreis-meissen=1 saechsische-schweiz-osterzgebirge=1" },
	{ "Erz und Soe", "" },
	{ "Z, L und V", "" },
	/* addresses and people */
	{ "Dresden, Leipziger Straße 5", "dresden=1" },
	{ "Freiberger Str. 4, Zwickauer Platz", "" },
	{ "in Dresden Platz finden", "dresden=1" },
	{ "Frau Meißner aus Meißen", "landkreis-meissen=1" },
	/* multi-word and hyphenated names */
	{ "Bad Lausick, Aue-Bad Schlema, Hohenstein-Ernstthal, St. Egidien",
	  "erzgebirgskreis=1 landkreis-zwickau=2 landkreis-leipzig=1" },
	{ "Landkreis Sächsische Schweiz-Osterzgebirge", "saechsische-schweiz-osterzgebirge=1" },
	{ "", "" },
};

/* The network's press release of 15.09.2017 (corpus/), about Mittelsachsen only. */
static const char seed_title[] = "Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen";
static const char seed_body[] =
	"Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen\n\n15.09.2017\n\n"
	"\xE2\x80\x9E" "Ein Blick über den Tellerrand hinaus – Austausch und enge Kooperation als "
	"Leitgedanke der Netzwerktreffen der sächsischen Bildungskoordinatoren.\xE2\x80\x9C\n\n"
	"Unter dem Motto: \xE2\x80\x9Egelingende Integration durch aktive Zusammenarbeit\xE2\x80\x9C, "
	"treffen sich die sächsischen Bildungskoordinatoren regelmäßig in einem gemeinsamen "
	"Netzwerk. Dabei geht es vor allem um den Austausch von Informationen und die Vorstellung "
	"von Arbeitsergebnissen. Die Organisation der Treffen liegt dabei in der Hand der "
	"Bildungskoordinatoren selbst – unterstützt werden sie hier von der Transferagentur "
	"Mitteldeutschland für Kommunales Bildungsmanagement. Die Gastgeber der nun schon dritten "
	"Zusammenkunft waren diesmal die Bildungskoordinatoren des Landkreis Mittelsachsen. Im "
	"Hauptgebäude des Landratsamtes in Freiberg kamen am 11. September die "
	"Bildungskoordinatoren aus sieben Landkreisen und Kreisfreien Städten zusammen, um sich "
	"über aktuelle Schwerpunkte der Integration durch Bildung auszutauschen. Die Erarbeitung "
	"von Lösungsansätzen oder gemeinsamen Konzepten unterstützt nicht nur die "
	"Bildungskoordinatoren in ihrer täglichen Arbeit sondern liefert auch wichtige und "
	"aktuelle Informationen für Vereine, Initiativen, Projektträger, Beauftragte sowie "
	"Beratungsstellen, die sich für Integration und Migration in Sachsen einsetzen. So werden "
	"bei jeder Veranstaltung themenspezifisch Referenten eingeladen, die entweder regionale "
	"Projekte vorstellen oder aktuelle Probleme in der Flüchtlings-und Integrationsarbeit "
	"aufgreifen.\n\n"
	"Eröffnet wurde Netzwerktreffen durch den Leiter der Stabstelle Ausländer- und "
	"Asylangelegenheiten, Dieter Steinert, der die Arbeit der Bildungskoordinatoren als "
	"wichtigen Baustein der Flüchtlingsintegrationsarbeit sieht. Beim Netzwerktreffen stand "
	"als Themenschwerpunkt die nachholende Schulbildung ganz oben auf der Tagesordnung. Die "
	"dafür eingeladene Migrationskoordinatorin der Sächsischen Bildungsagentur referierte über "
	"aktuelle Entwicklungen im Schulsystem und Maßnahmen die zum Erwerb eines Schulabschlusses "
	"führen. So versteht sich das Netzwerk nicht nur als Austausch-, sondern auch als "
	"Arbeitsplattform, die allen Bildungskoordinatoren hilft ihre Arbeit voran zu bringen.\n";

static void
test_meta(void)
{
	/* folder conventions */
	check_meta("Landkreis Mittelsachsen/Öffentlichkeitsarbeit/x.md", NULL, "Kein Ort.",
	           "mittelsachsen", TR_SOURCE_FOLDER);
	check_meta("Webseiten/landkreis-goerlitz.de/aktuelles/elterncafe.html", NULL, "Text",
	           "landkreis-goerlitz", TR_SOURCE_FOLDER);
	check_meta("Webseiten/www.vogtlandkreis.de/index.html", NULL, "Text",
	           "vogtlandkreis", TR_SOURCE_FOLDER);
	check_meta("LK Leipzig/Protokolle/p.txt", NULL, "Text", "landkreis-leipzig", TR_SOURCE_FOLDER);
	check_meta("Webseiten/landkreisleipzig.de/pm/p.html", NULL, "Text", "landkreis-leipzig",
	           TR_SOURCE_FOLDER);
	check_meta("Webseiten/leipzig.de/news/n.html", NULL, "Text", "leipzig", TR_SOURCE_FOLDER);
	check_meta("Stadtteilrunden/Kreistag/p.txt", NULL, "Text", "", TR_SOURCE_NONE);
	check_meta("Stadt Chemnitz/Vorträge/v.md", NULL, "Text", "chemnitz", TR_SOURCE_FOLDER);
	check_meta("Erzgebirgskreis/Handreichungen/h.md", NULL, "Text", "erzgebirgskreis",
	           TR_SOURCE_FOLDER);
	check_meta("Presse/Archiv/pm.txt", NULL, "Kein Ort.", "", TR_SOURCE_NONE);
	/* one-letter codes and common words are no folder convention */
	check_meta("V/L/Bergen/pm.txt", NULL, "Kein Ort.", "", TR_SOURCE_NONE);
	/* the folder's district stays first; a passing mention adds nothing */
	check_meta("Landkreis Görlitz/Presse/pm.txt", "Neue Bildungskoordinatorin",
	           "Zittau, den 3. März. Die neue Bildungskoordinatorin kommt aus Dresden.",
	           "landkreis-goerlitz", TR_SOURCE_FOLDER);

	/* the seed press release: Mittelsachsen only */
	check_meta("Presse/Archiv/pm_netzwerktreffen.txt", seed_title, seed_body,
	           "mittelsachsen", TR_SOURCE_TEXT);
	check_meta("Presse/Archiv/pm_netzwerktreffen.txt", NULL, seed_body,
	           "mittelsachsen", TR_SOURCE_TEXT);

	/* a main district, a second subject, and a passing mention */
	check_meta("Netzwerk/protokoll.txt", "Protokoll Netzwerktreffen in Zwickau",
	           "Ort: Landratsamt Zwickau. Gäste aus Dresden. Der Landkreis Zwickau "
	           "berichtet. Das Vogtland stellt sein Übergangsmanagement vor; im "
	           "Vogtlandkreis gibt es Fallkonferenzen.",
	           "landkreis-zwickau vogtlandkreis", TR_SOURCE_TEXT);
	/* two districts in the title */
	check_meta("Netzwerk/x.txt", "Gemeinsamer Fachtag der Landkreise Bautzen und Görlitz",
	           "Der Fachtag findet in Bautzen statt.",
	           "landkreis-bautzen landkreis-goerlitz", TR_SOURCE_TEXT);
	/* one passing mention deep in the text is not enough */
	{
		tr_buf b = TR_BUF_INIT(1 << 20);
		for (int i = 0; i < 40; i++)
			tr_buf_adds(&b, "Allgemeine Hinweise zur Schulanmeldung ohne Ortsangabe. ");
		tr_buf_adds(&b, "Gäste aus Dresden waren auch da.");
		/* One weak mention is still the only place the text names: it counts. */
		check_meta("Handreichungen/h.txt", NULL, b.ptr, "dresden", TR_SOURCE_TEXT);
		tr_buf_free(&b);
	}
	check_meta("x.txt", NULL, "", "", TR_SOURCE_NONE);

	/* Enumerations announced as places make each a subject (issue 14). */
	check_meta("Netzwerk/x.txt", "Sprachmittlerpool startet",
	           "Freiberg, 3. Mai 2022. Der Landkreis Mittelsachsen startet einen Pool. "
	           "Mitmachen k\xC3\xB6nnen auch Familien aus den Landkreisen Bautzen, G\xC3\xB6rlitz "
	           "und Mei\xC3\x9F" "en. Im Landkreis Mittelsachsen beginnt es.",
	           "mittelsachsen landkreis-bautzen landkreis-goerlitz landkreis-meissen",
	           TR_SOURCE_TEXT);
	check_meta("x.txt", "Programm f\xC3\xBCr Schulen",
	           "Gefragt sind die St\xC3\xA4" "dte Chemnitz, Dresden und Leipzig sowie der "
	           "Landkreis Zwickau.",
	           "chemnitz dresden leipzig landkreis-zwickau", TR_SOURCE_TEXT);
	check_meta("x.txt", "Sprachkurse",
	           "Neue Kurse gibt es ab Herbst in Torgau, Delitzsch und Eilenburg. Die "
	           "Leipziger Volkszeitung berichtete, die Universit\xC3\xA4t Leipzig begleitet das "
	           "Projekt. Anmeldung in der Leipziger Stra\xC3\x9F" "e 4.",
	           "nordsachsen", TR_SOURCE_TEXT);
	/* Meeting places one from each district, and a list after a colon, are in passing. */
	check_meta("x.txt", "Jahresbericht Erzgebirgskreis",
	           "Der Erzgebirgskreis baut Kurse aus. Wir waren bei Treffen in Zwickau, "
	           "G\xC3\xB6rlitz und Borna. Redaktion: Nordsachsen, Dresden, Pirna.",
	           "erzgebirgskreis", TR_SOURCE_TEXT);
	/* Under a district folder an announced enumeration adds its places too. */
	check_meta("Landkreis Görlitz/Presse/pm.txt", NULL,
	           "Das Angebot steht auch den Kreisen Bautzen und Mei\xC3\x9F" "en offen.",
	           "landkreis-goerlitz landkreis-bautzen landkreis-meissen", TR_SOURCE_FOLDER);
}

/* Writes @content to @dir/@name. */
static int
write_file(const char *dir, const char *name, const char *content)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs(content, f);
	return fclose(f);
}

static void
check_load_error(const char *dir, const char *districts, const char *gazetteer,
                 const char *stoplist, tr_status want, const char *want_msg)
{
	char dpath[4200], gpath[4200], spath[4200];
	tr_districts *r = NULL;
	char *msg = NULL;
	tr_status st;

	snprintf(dpath, sizeof dpath, "%s/districts.tsv", dir);
	snprintf(gpath, sizeof gpath, "%s/gazetteer.tsv", dir);
	snprintf(spath, sizeof spath, "%s/place-stopwords.txt", dir);
	write_file(dir, "districts.tsv", districts);
	write_file(dir, "gazetteer.tsv", gazetteer);
	unlink(spath);
	if (stoplist)
		write_file(dir, "place-stopwords.txt", stoplist);
	st = tr_districts_load(&r, dpath, gpath, &msg);
	CHECK_MSG(st == want, "load: got %s, want %s (%s)", tr_strerror(st), tr_strerror(want),
	          msg ? msg : "");
	if (want_msg)
		CHECK_MSG(msg && strstr(msg, want_msg), "message \"%s\" lacks \"%s\"",
		          msg ? msg : "(null)", want_msg);
	CHECK(want != TR_OK || r != NULL);
	tr_districts_free(r);
	free(msg);
	unlink(spath);
}

static void
test_load_errors(void)
{
	static const char hdr[] = "key\tname\tshort_name\tkind\tkreisschluessel\tseat\tvariants\n";
	static const char ghdr[] = "municipality\tdistrict\tags\tofficial_name\taliases\n";
	char tmpl[] = "/tmp/tr-district-XXXXXX";
	char *dir = mkdtemp(tmpl);
	char d_ok[512], g_ok[512];
	tr_districts *r = NULL;
	char *msg = NULL;

	if (!dir) {
		CHECK(dir != NULL);
		return;
	}
	snprintf(d_ok, sizeof d_ok, "# comment\n%s%s", hdr,
	         "mittelsachsen\tLandkreis Mittelsachsen\tMittelsachsen\tlandkreis\t14522\tFreiberg\tMittelsachsen\n");
	snprintf(g_ok, sizeof g_ok, "%s%s", ghdr,
	         "Freiberg\tLandkreis Mittelsachsen\t14522170\tFreiberg, Stadt\t\n");

	check_load_error(dir, d_ok, g_ok, NULL, TR_OK, NULL);
	check_load_error(dir, d_ok, g_ok, "Freiberg\n", TR_OK, NULL);
	/* a bad value names file and line (the header is line 2 after the comment) */
	{
		char bad[512];
		snprintf(bad, sizeof bad, "# comment\n%s%s", hdr,
		         "mittelsachsen\tLandkreis Mittelsachsen\tMittelsachsen\tlandkreis\t1452\tFreiberg\t\n");
		check_load_error(dir, bad, g_ok, NULL, TR_EFORMAT, "districts.tsv:3:");
		snprintf(bad, sizeof bad, "%s%s", hdr,
		         "mittelsachsen\tLandkreis Mittelsachsen\tMittelsachsen\tkreis\t14522\tFreiberg\t\n");
		check_load_error(dir, bad, g_ok, NULL, TR_EFORMAT, "districts.tsv:2:");
		check_load_error(dir, "key\tname\n", g_ok, NULL, TR_EFORMAT, "no column \"short_name\"");
		snprintf(bad, sizeof bad, "%s%s", ghdr, "Berlin\tBerlin\t11000000\tBerlin\t\n");
		check_load_error(dir, d_ok, bad, NULL, TR_EFORMAT, "gazetteer.tsv:2:");
		snprintf(bad, sizeof bad, "%s%s", ghdr, "Freiberg\tVogtlandkreis\t14522170\t\t\n");
		check_load_error(dir, d_ok, bad, NULL, TR_EFORMAT, "gazetteer.tsv:2:");
		check_load_error(dir, d_ok, g_ok, "# x\nFreiberg\nAtlantis\n", TR_EFORMAT,
		                 "place-stopwords.txt:3:");
	}
	CHECK(tr_districts_load(&r, "/nonexistent/districts.tsv", "/nonexistent/g.tsv", &msg) == TR_EIO);
	CHECK(r == NULL);
	CHECK(msg && strstr(msg, "/nonexistent/districts.tsv"));
	free(msg);

	{
		char p[4200];
		snprintf(p, sizeof p, "%s/districts.tsv", dir);
		unlink(p);
		snprintf(p, sizeof p, "%s/gazetteer.tsv", dir);
		unlink(p);
	}
	rmdir(dir);
}

typedef struct mentions {
	size_t n, start, len, district;
} mentions;

static void
on_mention(size_t i, size_t start, size_t len, void *ctx)
{
	mentions *m = ctx;

	if (m->n++ == 0) {
		m->district = i;
		m->start = start;
		m->len = len;
	}
}


/* The bytes of @path (NUL-terminated), or NULL. */
static char *
slurp(const char *path)
{
	tr_buf b = TR_BUF_INIT(16u << 20);
	char chunk[8192];
	size_t got;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		tr_buf_add(&b, chunk, got);
	fclose(f);
	tr_buf_addc(&b, '\0');
	return tr_buf_detach(&b);
}

/* Every mention of @text in @r as "district@start+len ...". */
static void
each_str(const tr_districts *r, const char *text, tr_buf *out);

/*
 * The registry of the shipped data files is compiled at build time and
 * used in place (lib/district_blob.h); the same files one comment line
 * apart are parsed.  Both must answer alike: every name of the gazetteer
 * and the district table, resolved and scanned as running text.
 */
static void
test_compiled(void)
{
	static const char *const names[] = {
		"districts.tsv", "gazetteer-sachsen.tsv", "place-stopwords.txt", "place-nonplaces.txt"
	};
	char tmpl[] = "/tmp/tr-district-XXXXXX";
	char *dir = mkdtemp(tmpl), path[4200], dpath[4200], gpath[4200];
	char *text[2] = { NULL, NULL };
	tr_districts *parsed = NULL;
	char *msg = NULL;

	if (!dir) {
		CHECK(dir != NULL);
		return;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *content;
		snprintf(path, sizeof path, "%s/%s", data_dir, names[i]);
		content = slurp(path);
		CHECK_MSG(content != NULL, "%s unreadable", names[i]);
		if (!content)
			goto done;
		{
			tr_buf b = TR_BUF_INIT(16u << 20);
			tr_buf_adds(&b, "# a copy\n");
			tr_buf_adds(&b, content);
			tr_buf_addc(&b, '\0');
			write_file(dir, names[i], b.ptr);
			tr_buf_free(&b);
		}
		if (i < 2)
			text[i] = content;
		else
			free(content);
	}
	snprintf(dpath, sizeof dpath, "%s/districts.tsv", dir);
	snprintf(gpath, sizeof gpath, "%s/gazetteer-sachsen.tsv", dir);
	CHECK_MSG(tr_districts_load(&parsed, dpath, gpath, &msg) == TR_OK, "load copy: %s", msg ? msg : "");
	if (!parsed)
		goto done;
	CHECK(tr_districts_count(parsed) == tr_districts_count(reg));
	for (size_t i = 0; i < tr_districts_count(reg); i++) {
		CHECK_STR(tr_districts_key(parsed, i), tr_districts_key(reg, i));
		CHECK_STR(tr_districts_name(parsed, i), tr_districts_name(reg, i));
		CHECK_STR(tr_districts_short_name(parsed, i), tr_districts_short_name(reg, i));
	}
	for (size_t t = 0; t < 2; t++) {
		tr_buf a = TR_BUF_INIT(1u << 24), b = TR_BUF_INIT(1u << 24);
		size_t checked = 0;
		/* Each field of each line as a name to resolve, the whole file as running text. */
		for (char *line = text[t]; *line; ) {
			char *end = line + strcspn(line, "\n");
			for (char *f = line; f < end; ) {
				size_t n = strcspn(f, "\t\n");
				char name[256];
				size_t i1 = 99, i2 = 99;
				tr_status s1, s2;
				snprintf(name, sizeof name, "%.*s", (int)(n < 255 ? n : 255), f);
				s1 = tr_districts_resolve(reg, name, &i1);
				s2 = tr_districts_resolve(parsed, name, &i2);
				CHECK_MSG(s1 == s2 && i1 == i2, "resolve \"%s\": %d/%zu compiled, %d/%zu parsed",
				          name, s1, i1, s2, i2);
				s1 = tr_districts_resolve_name(reg, name, &i1);
				s2 = tr_districts_resolve_name(parsed, name, &i2);
				CHECK_MSG(s1 == s2 && i1 == i2, "resolve_name \"%s\"", name);
				checked++;
				f += n + (f[n] == '\t');
			}
			line = *end ? end + 1 : end;
		}
		CHECK(checked > (t ? 400u : 13u));
		each_str(reg, text[t], &a);
		each_str(parsed, text[t], &b);
		CHECK(a.len > 0);
		CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
		tr_buf_free(&a);
		tr_buf_free(&b);
	}
done:
	tr_districts_free(parsed);
	free(msg);
	free(text[0]);
	free(text[1]);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}


static void
on_each(size_t i, size_t start, size_t len, void *ctx)
{
	tr_buf_printf(ctx, "%zu@%zu+%zu ", i, start, len);
}

static void
each_str(const tr_districts *r, const char *text, tr_buf *out)
{
	tr_districts_each(r, text, strlen(text), on_each, out);
}

int
main(void)
{
	const char *env = getenv("TELLERRAND_DATA_DIR");
	char dpath[4200], gpath[4200];
	char *msg = NULL;
	tr_status st;

	snprintf(data_dir, sizeof data_dir, "%s", env && *env ? env : TR_DATADIR_SOURCE);
	snprintf(dpath, sizeof dpath, "%s/districts.tsv", data_dir);
	snprintf(gpath, sizeof gpath, "%s/gazetteer-sachsen.tsv", data_dir);
	st = tr_districts_load(&reg, dpath, gpath, &msg);
	CHECK_MSG(st == TR_OK, "load: %s", msg ? msg : tr_strerror(st));
	free(msg);
	if (st != TR_OK)
		return check_done();

	CHECK(tr_districts_count(reg) == 13);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		CHECK_STR(tr_districts_key(reg, i), keys[i]);
		CHECK(tr_districts_find_key(reg, keys[i]) == i);
	}
	CHECK(tr_districts_find_key(reg, "sachsen") == (size_t)-1);
	CHECK(tr_districts_key(reg, 13) == NULL);
	CHECK_STR(tr_districts_name(reg, tr_districts_find_key(reg, "mittelsachsen")),
	          "Landkreis Mittelsachsen");
	CHECK_STR(tr_districts_name(reg, tr_districts_find_key(reg, "leipzig")), "Stadt Leipzig");
	CHECK_STR(tr_districts_short_name(reg, tr_districts_find_key(reg, "leipzig")), "Leipzig");
	CHECK_STR(tr_districts_short_name(reg, tr_districts_find_key(reg, "landkreis-leipzig")),
	          "Landkreis Leipzig");

	for (size_t i = 0; i < sizeof resolves / sizeof resolves[0]; i++)
		check_resolve(resolves[i].name, resolves[i].st, resolves[i].key);
	{
		size_t i;
		/* folder names: names yes, one-letter codes and common words no */
		CHECK(tr_districts_resolve_name(reg, "landkreis-goerlitz", &i) == TR_OK);
		CHECK(tr_districts_resolve_name(reg, "V", &i) == TR_ENOTFOUND);
		CHECK(tr_districts_resolve_name(reg, "Bergen", &i) == TR_ENOTFOUND);
		CHECK(tr_districts_resolve_name(reg, "14522", &i) == TR_ENOTFOUND);
		CHECK(tr_districts_resolve_name(reg, "SOE", &i) == TR_OK);
	}

	for (size_t i = 0; i < sizeof scans / sizeof scans[0]; i++)
		check_scan(scans[i].text, scans[i].want);
	{
		/* mentions come with their byte range */
		static const char text[] = "Gäste aus dem Landkreis Leipzig.";
		mentions m = { 0 };
		CHECK(tr_districts_each(reg, text, strlen(text), on_mention, &m) == TR_OK);
		CHECK(m.n == 1);
		CHECK(m.district == tr_districts_find_key(reg, "landkreis-leipzig"));
		CHECK(m.start == strlen("Gäste aus dem ") && m.len == strlen("Landkreis Leipzig"));
	}
	{
		/* weights add up */
		double scores[13] = { 0 };
		CHECK(tr_districts_scan(reg, "Freiberg", 8, 2.5, scores) == TR_OK);
		CHECK(tr_districts_scan(reg, "Freiberg", 8, 1.0, scores) == TR_OK);
		CHECK(scores[tr_districts_find_key(reg, "mittelsachsen")] == 3.5);
	}

	test_meta();
	test_load_errors();
	test_compiled();
	tr_districts_free(reg);
	tr_districts_free(NULL);
	return check_done();
}
