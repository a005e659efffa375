# tellerrand why PFAD 'SUCHE' (issue 19): why a search finds a file or not.
# A found file with its place and reasons; a date read from the folder that
# a date filter excludes; district, type and topic filters with the
# document's own values and where they came from; a missing word with the
# forms tried; an excluded word; an internal document; files the index
# does not hold (the indexer's reason, outside the roots, missing); usage.
. "$(dirname "$0")/common.inc"
A=$TMP/archiv
cp -r "$TR_SOURCE_DIR/tests/fixtures/explain" "$A"
printf '%%PDF-1.4 kaputt' >"$A/kaputt.pdf"
# "als" alone is one word of the thesaurus phrase "Deutsch als Zweitsprache", not a reason.
echo "Der Bericht gilt als vorläufig." >"$A/Presse/vorlaeufig.txt"
mkdir -p "$TMP/intern"
echo "Vertrauliche Raumplanung der Leitung" >"$TMP/intern/leitung.txt"
echo "draußen" >"$TMP/draussen.txt"
"$TELLERRAND" index --quiet --db "$TMP/db" "$A" >/dev/null 2>&1
[ $? -eq 3 ] || { echo "indexing did not report the broken PDF"; exit 1; }
"$TELLERRAND" index --quiet --internal --db "$TMP/db" "$TMP/intern" >/dev/null 2>&1 || { echo "indexing the internal root failed"; exit 1; }
W() { "$TELLERRAND" why --db "$TMP/db" "$@"; }

expect_exit 0 "found" -- W "$A/Presse/lehrerinnen.md" Lehrer
expect_grep "$TMP/out" "Ergebnis: gefunden, Platz 1 unter den passenden Dateien" "found: place"
expect_grep "$TMP/out" "lehrer: Geschlechtsform „lehr…“ (XGlehr)" "found: the gender form"

# A relative path is the same file.
( cd "$A/Presse" && "$TELLERRAND" why --db "$TMP/db" lehrerinnen.md Lehrer >"$TMP/out" 2>&1 ) && ok || bad "relative path: $(cat "$TMP/out")"

expect_exit 3 "date from the folder excluded" -- W "$A/2019-01 Fachtag/notiz.md" Raumplanung datum:2020
expect_grep "$TMP/out" "Ergebnis: nicht gefunden" "not found"
expect_grep "$TMP/out" "Datum passt nicht zum Filter (gesucht: ab 2020 bis 31.12.2020); das Dokument hat Datum: 01.2019 – aus: Ordner oder Dateiname: „archiv/2019-01 Fachtag/notiz.md“" "the folder's date"
expect_exit 0 "the right year finds it" -- W "$A/2019-01 Fachtag/notiz.md" Raumplanung datum:2019

expect_exit 3 "filters" -- W "$A/Presse/elternabend.txt" Elternabend --kreis Dresden --typ Protokoll --thema Kita
expect_grep "$TMP/out" "Landkreis passt nicht zum Filter (gesucht: Dresden); das Dokument hat Landkreis: Mittelsachsen – aus: Text, Zeile 4: „Das Landratsamt in Freiberg“" "district filter"
expect_grep "$TMP/out" "Typ passt nicht zum Filter (gesucht: Protokoll/Niederschrift); das Dokument hat Typ: Pressemitteilung" "type filter"
expect_grep "$TMP/out" "Thema passt nicht zum Filter (gesucht: Kita/frühkindliche Bildung)" "topic filter"
expect_grep "$TMP/out" "elternabend: genaues Wort „elternabend“" "what matches"
expect_exit 0 "the district itself" -- W "$A/Presse/elternabend.txt" Elternabend kreis:mittelsachsen

expect_exit 3 "missing words" -- W "$A/Presse/lehrerinnen.md" Flughafen Bahnhof
expect_grep "$TMP/out" "Suchwort „flughafen“ kommt in keiner gesuchten Form vor; gesucht: flughaf… (Wortstamm), flughafen (genaues Wort)" "forms tried"
expect_exit 0 "one word is enough" -- W "$A/Presse/lehrerinnen.md" Flughafen Fortbildung
expect_grep "$TMP/out" "flughafen: fehlt im Dokument (steht deshalb weiter hinten)" "a missing word ranks lower"

expect_exit 3 "one word of a thesaurus phrase" -- W "$A/Presse/vorlaeufig.txt" DaZ
expect_grep "$TMP/out" "Suchwort „daz“ kommt in keiner gesuchten Form vor" "a phrase's stopword is no match"
expect_no_grep "$TMP/out" "Thesaurus „als" "not listed as what matches"

expect_exit 3 "excluded word" -- W "$A/Presse/lehrerinnen.md" Fortbildung -Lehrerinnen
expect_grep "$TMP/out" "Das Dokument enthält das ausgeschlossene Wort „lehrerinnen“" "excluded word named"
# The rule left out: the gender form no longer counts.
expect_exit 3 "--ohne geschlecht" -- W --ohne geschlecht "$A/Presse/lehrerinnen.md" Lehrer

expect_exit 0 "internal, visible on the command line" -- W "$TMP/intern/leitung.txt" Raumplanung
expect_grep "$TMP/out" "intern: nur mit Berechtigung" "internal noted"
expect_exit 3 "internal, as the public page" -- W --oeffentlich "$TMP/intern/leitung.txt" Raumplanung
expect_grep "$TMP/out" "Das Dokument ist intern" "internal reason"

expect_exit 4 "skipped by the indexer" -- W "$A/kaputt.pdf" Raumplanung
expect_grep "$TMP/out" "Grund: beim Indexieren fehlgeschlagen – " "the indexer's reason"
expect_exit 4 "outside the roots" -- W "$TMP/draussen.txt" x
expect_grep "$TMP/out" "in keinem Ordner, aus dem dieser Index gebaut wurde" "outside reason"
expect_exit 4 "missing file" -- W "$A/fehlt.md" x
expect_grep "$TMP/out" "die Datei gibt es nicht (mehr)" "missing reason"

expect_exit 2 "no path" -- W
expect_grep "$TMP/err" "tellerrand why: PFAD fehlt" "usage message"
expect_exit 1 "no index" -- "$TELLERRAND" why --db "$TMP/keiner" "$A/Presse/lehrerinnen.md" x
expect_grep "$TMP/err" "tellerrand why: kein Index gefunden" "no index message"
expect_exit 2 "bad filter" -- W "$A/Presse/lehrerinnen.md" x kreis:atlantis
# --format json: the same answer for scripts, with the same exit codes.
if command -v jq >/dev/null; then
	expect_exit 3 "json: filters" -- W --format json "$A/Presse/elternabend.txt" Elternabend --kreis Dresden
	jq -e '.result == "not_found" and .rank == null and (.filters[] | select(.filter == "kreis") | .passes == false and .wanted == ["dresden"])' "$TMP/out" >/dev/null && ok || bad "json: the district filter fails: $(head -c 400 "$TMP/out")"
	jq -e '.explain.metadata.districts.source == "text" and (.words[0] | .word == "elternabend" and .found and .forms[0].in_document)' "$TMP/out" >/dev/null && ok || bad "json: words and origins: $(head -c 400 "$TMP/out")"
	expect_exit 0 "json: found" -- W -f json "$A/Presse/lehrerinnen.md" Lehrer
	jq -e '.result == "found" and .rank == 1 and any(.explain.matches[]; .rule == "gender")' "$TMP/out" >/dev/null && ok || bad "json: found with the gender form: $(head -c 400 "$TMP/out")"
	expect_exit 4 "json: skipped" -- W --format json "$A/kaputt.pdf" Raumplanung
	jq -e '.result == "not_indexed" and .not_indexed.reason == "failed" and (.not_indexed.message | startswith("beim Indexieren fehlgeschlagen"))' "$TMP/out" >/dev/null && ok || bad "json: the indexer's reason: $(cat "$TMP/out")"
	expect_exit 2 "json: bad format" -- W --format xml "$A/kaputt.pdf" x
fi
finish
