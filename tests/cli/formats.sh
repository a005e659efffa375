# Issue 16's formats end to end: Word and PowerPoint 97-2003, Excel
# (.xls, .xlsx, .ods), CSV, RTF and e-mail from tests/fixtures/formats/
# (made by scripts/make-format-fixtures from src/, or hand-written), and
# Outlook .msg written by tests/helpers/make_msg.  Each
# format's own words are found in the right file, on the right slide or
# sheet or in the right attachment, with the title, author and date the
# file states; a broken file of each format costs only itself with a
# one-line reason; a blank document is skipped, not failed.
# Queries list every file (--alle-fassungen): fixtures hold one text in several formats.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
FIX=$TR_SOURCE_DIR/tests/fixtures/formats
D=$TMP/docs
mkdir -p "$D"
cp "$FIX"/*.doc "$FIX"/*.xls "$FIX"/*.xlsx "$FIX"/*.ods "$FIX"/*.rtf "$FIX"/*.eml "$D"/
gzip -dc "$FIX/folien_alt.ppt.gz" >"$D/folien_alt.ppt"
printf 'Ort;Anzahl;Bemerkung\nFreiberg;"1.250";"Wartelisten; Nachrückverfahren"\n' >"$D/wartelisten.csv"

# check_list DB LINE...: each LINE ("FILE | FORMAT | TITLE | DATE") is one of DB's documents.
check_list() {
	db=$1
	shift
	"$TELLERRAND" query --alle-fassungen --db "$db" --limit 100 --format json >"$TMP/all.json"
	jq -r '.hits[] | "\(.path | sub("^.*/"; "")) | \(.format) | \(.title) | \(.date)"' "$TMP/all.json" >"$TMP/list"
	for line in "$@"; do
		expect_grep "$TMP/list" "$line" "title and date"
	done
}

# check_cases DB, cases on stdin: QUERY | the files it finds, sorted | JSON
# of the hit in the first file (key=value), or -
check_cases() {
	db=$1
	while IFS='|' read -r q files where; do
		[ -n "$q" ] || continue
		"$TELLERRAND" query --alle-fassungen --db "$db" --format json "$q" >"$TMP/res.json" 2>"$TMP/err"
		got=$(jq -r '[.hits[].path | sub("^.*/"; "")] | sort | join(" ")' "$TMP/res.json")
		[ "$got" = "$files" ] && ok || bad "$q: found '$got', want '$files'"
		[ "$where" = "-" ] && continue
		first=${files%% *}
		key=${where%%=*}
		want=${where#*=}
		got=$(jq -r --arg f "$first" --arg k "$key" \
			'[.hits[] | select(.path | endswith("/" + $f))][0][$k] // "none"' "$TMP/res.json")
		[ "$got" = "$want" ] && ok || bad "$q: $first: $key is '$got', want '$want'"
	done
}

# --- Broken files: each reported on one line, the good ones indexed ---------
B=$TMP/broken
mkdir -p "$B"
head -c 1536 "$FIX/protokoll_alt.doc" >"$B/kaputt.doc"
head -c 3000 "$FIX/teilnehmer.xls" >"$B/kaputt.xls"
head -c 2000 "$D/folien_alt.ppt" >"$B/kaputt.ppt"
head -c 1500 "$FIX/teilnehmer.xlsx" >"$B/kaputt.xlsx"
{ printf '{\\rtf1 '; i=0; while [ $i -lt 300 ]; do printf '{'; i=$((i + 1)); done; } >"$B/kaputt.rtf"
printf 'Zeile ohne Inhalt\n' >"$B/gut.txt"
"$TELLERRAND" index --jobs 1 --db "$TMP/bdb" "$B" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "broken files: exit $rc, want 3"
for f in kaputt.doc kaputt.xls kaputt.ppt kaputt.xlsx kaputt.rtf; do
	n=$(grep -c "$f: übersprungen – beschädigt" "$TMP/err")
	[ "$n" -eq 1 ] && ok || bad "$f: $n report lines, want 1: $(cat "$TMP/err")"
done
expect_grep "$TMP/err" "kaputt.rtf: übersprungen – beschädigt: RTF zu tief verschachtelt" "rtf reason"
"$TELLERRAND" query --alle-fassungen --db "$TMP/bdb" --format json >"$TMP/b.json"
[ "$(jq '.total' "$TMP/b.json")" -eq 1 ] && ok || bad "broken files: the good one not indexed"

# --- A blank document is skipped, and the run succeeds ----------------------
mkdir -p "$TMP/blank"
printf ';;\n;;\n' >"$TMP/blank/leer.csv"
"$TELLERRAND" index --jobs 1 --db "$TMP/blankdb" "$TMP/blank" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && ok || bad "blank document: exit $rc, want 0: $(cat "$TMP/err")"
expect_grep "$TMP/err" "leer.csv: übersprungen – leeres Dokument (kein Text)" "blank document reason"

# --- Outlook .msg, written by tests/helpers/make_msg ------------------------
# In a tree of their own: the attached .docx shares words with the fixtures above.
M=$TMP/msg
mkdir -p "$M" "$TMP/msgbroken"
if [ -z "$TR_MAKE_MSG" ] || ! "$TR_MAKE_MSG" "$M" "$TR_SOURCE_DIR/tests/fixtures/office/protokoll_tabelle.docx"; then
	bad "make_msg (TR_MAKE_MSG='$TR_MAKE_MSG') did not write the messages"
fi
mv "$M/smime.msg" "$TMP/msgbroken/"
head -c 3000 "$M/brief.msg" >"$TMP/msgbroken/kaputt.msg"
printf 'Zeile ohne Inhalt\n' >"$TMP/msgbroken/gut.txt"
# Streams that point past the file's end: read as far as they go, and libgsf's complaints stay silent.
cp "$TR_SOURCE_DIR/tests/fixtures/crashes/msg/stream-beyond-end.msg" "$TMP/msgbroken/"
"$TELLERRAND" index --jobs 1 --db "$TMP/mbdb" "$TMP/msgbroken" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "broken .msg: exit $rc, want 3"
[ "$(grep -c . "$TMP/err")" -eq 2 ] && ok || bad "broken .msg: want two lines on stderr: $(cat "$TMP/err")"
[ "$(grep -c 'kaputt.msg: übersprungen – beschädigt' "$TMP/err")" -eq 1 ] && ok ||
	bad "kaputt.msg: want one report line: $(cat "$TMP/err")"
expect_grep "$TMP/err" "smime.msg: übersprungen – verschlüsselt (S/MIME)" "encrypted .msg reason"
"$TELLERRAND" index --jobs 1 --db "$TMP/mdb" "$M" >"$TMP/out" 2>"$TMP/err" ||
	bad "index of the .msg fixtures failed: $(head -c 400 "$TMP/err")"
check_list "$TMP/mdb" \
	"brief.msg | msg | Rückmeldung zur Straßensozialarbeit in Großenhain | 2013-04-22" \
	"ansi.msg | msg | Müllabfuhr am Brückentag | 2007-09-06" \
	"latin2.msg | msg | Dolmetscherin für Tschechisch | 2016-03-01" \
	"html.msg | msg | Sprachcafé im Bürgerhaus | 2015-02-13" \
	"rtf.msg | msg | Treffen der Elternlotsinnen | 2019-01-01" \
	"weiterleitung.msg | msg | WG: Kältehilfe | 2021-01-07"
check_cases "$TMP/mdb" <<'CASES'
Quartiersmütter|brief.msg|attachment=none
Zuckertütenfest|brief.msg|attachment=notizen.txt
Elternbriefe|brief.msg|attachment=protokoll_tabelle.docx
Sperrmüllcontainer|ansi.msg|attachment=none
Děčín|latin2.msg|attachment=none
Stadtteilmütter|html.msg|attachment=none
Elternlotsinnen|rtf.msg|attachment=none
Kältebusfahrer|weiterleitung.msg|attachment=Kältehilfe
Wärmestubenplan|weiterleitung.msg|attachment=Kältehilfe
autor:Weiß|brief.msg|-
CASES
"$TELLERRAND" query --alle-fassungen --db "$TMP/mdb" Zuckertütenfest >"$TMP/text"
expect_grep "$TMP/text" "brief.msg · Anhang „notizen.txt“" ".msg attachment in text output"
expect_grep "$TMP/text" "Datum: 22.04.2013" ".msg date in text output"
"$TELLERRAND" show "$M/brief.msg" >"$TMP/show" 2>"$TMP/err"
expect_grep "$TMP/show" "Autor:        Jürgen Weiß (explicit)" ".msg author shown"

# --- Flat OpenDocument: the sources of the fixtures above, one XML file each --
F=$TMP/flat
mkdir -p "$F"
cp "$FIX/src/protokoll_alt.fodt" "$FIX/src/folien_alt.fodp" "$FIX/src/teilnehmer.fods" "$F/"
printf '<?xml version="1.0"?>\n<liste><eintrag>Pegelmesserwort</eintrag></liste>\n' >"$F/andere.xml"
"$TELLERRAND" index --jobs 1 --db "$TMP/fdb" "$F" >"$TMP/out" 2>"$TMP/ferr" ||
	bad "index of the flat OpenDocument files failed: $(head -c 400 "$TMP/ferr")"
check_list "$TMP/fdb" \
	"protokoll_alt.fodt | odt | Protokoll Arbeitskreis Sprachmittlung Görlitz | 2009-03-12" \
	"folien_alt.fodp | odp | Jahresrückblick Bildungskoordination 2008 | 2008-12-02" \
	"teilnehmer.fods | ods | Teilnehmendenliste Sprachkurse 2010 | 2010-02-15"
check_cases "$TMP/fdb" <<'CASES'
Schulbegleitpatenschaft|protokoll_alt.fodt|page=none
Lernpatenbörse|protokoll_alt.fodt|-
Sommerleseclub|folien_alt.fodp|slide=2
Mentorenprogramm|folien_alt.fodp|slide=3
Jugendintegrationskurs|teilnehmer.fods|sheet=2
autor:Rosenbaum|protokoll_alt.fodt|-
Pegelmesserwort||-
CASES
expect_grep "$TMP/ferr" "andere.xml: übersprungen – Dateityp nicht unterstützt (text/xml)" "other XML is not read"

# --- The good files ----------------------------------------------------------
"$TELLERRAND" index --jobs 1 --db "$TMP/db" "$D" >"$TMP/out" 2>"$TMP/err" ||
	bad "index of the format fixtures failed: $(head -c 400 "$TMP/err")"
check_list "$TMP/db" \
	"protokoll_alt.doc | doc | Protokoll Arbeitskreis Sprachmittlung Görlitz | 2009-03-12" \
	"folien_alt.ppt | ppt | Jahresrückblick Bildungskoordination 2008 | 2008-12-02" \
	"teilnehmer.xls | xls | Teilnehmendenliste Sprachkurse 2010 | 2010-02-15" \
	"teilnehmer.xlsx | xlsx | Teilnehmendenliste Sprachkurse 2010 | 2010-02-15" \
	"teilnehmer.ods | ods | Teilnehmendenliste Sprachkurse 2010 | 2010-02-15" \
	"einladung.rtf | rtf | Einladung Fachtag Brücken bauen | 2011-05-09" \
	"rundmail.eml | eml | Kontaktliste für den Fachaustausch Sprachmittlung | 2012-09-18" \
	"wartelisten.csv | csv | wartelisten | "
check_cases "$TMP/db" <<'CASES'
Schulbegleitpatenschaft|protokoll_alt.doc|page=none
Lernpatenbörse|protokoll_alt.doc|-
Integrationskursträger|protokoll_alt.doc|-
Kopfzeilenvermerk|protokoll_alt.doc|-
Fußzeilenvermerk|protokoll_alt.doc|-
Sommerleseclub|folien_alt.ppt|slide=2
Elterncafé|folien_alt.ppt|slide=3
Mentorenprogramm|folien_alt.ppt|slide=3
Alphabetisierungskurs|teilnehmer.ods teilnehmer.xls teilnehmer.xlsx|sheet=1
Jugendintegrationskurs|teilnehmer.ods teilnehmer.xls teilnehmer.xlsx|sheet=2
Niesky|teilnehmer.ods teilnehmer.xls teilnehmer.xlsx|sheet_name=Tabelle2
1234,5|teilnehmer.xls teilnehmer.xlsx|sheet=2
01.03.2010|teilnehmer.ods teilnehmer.xls teilnehmer.xlsx|sheet=2
"19.04.2010 14:30"|teilnehmer.ods teilnehmer.xls teilnehmer.xlsx|-
40238||-
Nachrückverfahren|wartelisten.csv|-
Straßenflüchtlingshelfer|einladung.rtf rundmail.eml|-
Dvořáková|einladung.rtf rundmail.eml|-
Kiezläufer|einladung.rtf rundmail.eml|-
feldanweisung||-
bildrauschen||-
Wohnumfeldlotsen|rundmail.eml|attachment=none
Kulturdolmetscherdienst|rundmail.eml|attachment=Kontakte Sprachmittlung.csv
Gesundheitslotsen|einladung.rtf rundmail.eml|-
Ersatzwortquelle||-
autor:Rosenbaum|protokoll_alt.doc|-
autor:Kaiser|rundmail.eml|-
CASES
# The attachment a hit is in, as the text output shows it.
"$TELLERRAND" query --alle-fassungen --db "$TMP/db" Gesundheitslotsen >"$TMP/text"
expect_grep "$TMP/text" "rundmail.eml · Anhang „einladung.rtf“" "attachment in text output"
"$TELLERRAND" query --alle-fassungen --db "$TMP/db" Jugendintegrationskurs >"$TMP/text"
expect_grep "$TMP/text" "teilnehmer.xls · Tabelle 2 „Tabelle2“" "sheet in text output"

finish
