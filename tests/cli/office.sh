# Office formats end to end: the fixtures of tests/fixtures/office/ index
# with one documented message per broken or hostile file while the good
# ones are indexed; and hits in the corpus's PDF, PPTX and ODP files show
# the page or slide the query matches best, in text and JSON output.
# Queries list every file (--alle-fassungen): fixtures hold one text in several formats.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
FIX=$TR_SOURCE_DIR/tests/fixtures/office

# --- Broken and hostile files: each reported, the rest indexed ------------
"$TELLERRAND" index --jobs 1 --db "$TMP/fx" "$FIX" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && ok || bad "index of the fixtures: exit $rc: $(head -c 400 "$TMP/err")"
for m in \
	"abgeschnitten.docx: übersprungen – beschädigt: kein vollständiges ZIP-Archiv (abgeschnitten?)" \
	"kaputt.pdf: übersprungen – beschädigt: kein lesbares PDF" \
	"leer.pdf: übersprungen – leere Datei" \
	"passwort.pdf: übersprungen – passwortgeschützt" \
	"scan.pdf: übersprungen – kein Text (Scan?)" \
	"zipbombe.docx: übersprungen – ZIP-Grenze überschritten: word/document.xml entpackt 100 MB (Grenze 64 MB)" \
	"zipbombe_gelogen.docx: übersprungen – ZIP-Grenze überschritten: word/document.xml entpackt über 64 MB (Zip-Bombe?)"
do
	expect_grep "$TMP/err" "$m" "fixture message"
done
"$TELLERRAND" query --alle-fassungen --db "$TMP/fx" --limit 100 --format json >"$TMP/all.json" 2>"$TMP/err"
n=$(jq '.total' "$TMP/all.json")
[ "$n" -eq 10 ] && ok || bad "fixtures: $n documents indexed, want the 10 good ones"
jq -r '.hits[] | "\(.path | sub("^.*/"; "")) \(.format) \(.title)"' "$TMP/all.json" >"$TMP/docs"
expect_grep "$TMP/docs" "folien_notizen.pptx pptx Willkommensklassen im Überblick" "pptx indexed"
expect_grep "$TMP/docs" "folien_notizen.odp odp Willkommensklassen im Überblick" "odp indexed"
expect_grep "$TMP/docs" "zweispaltig.pdf pdf Rundbrief Sprachmittlung Frühjahr 2021" "pdf indexed"
expect_grep "$TMP/docs" "protokoll_tabelle.odt odt Protokoll AG Elternarbeit" "odt indexed"
expect_grep "$TMP/docs" "vorlage_alt.docx docx Protokoll Steuerungsrunde Integration" "docx indexed"
# Word 97-2003 is read since issue 16.
expect_grep "$TMP/docs" "altformat.doc doc Protokoll Steuerungsrunde Integration" "doc indexed"

# Speaker notes are searchable and placed on their slide.
"$TELLERRAND" query --alle-fassungen --db "$TMP/fx" --format json Lernstandsdiagnostik >"$TMP/res.json"
s=$(jq -r '[.hits[] | select(.format == "pptx" or .format == "odp") | .slide] | map(tostring) | join(",")' "$TMP/res.json")
[ "$s" = "3,3" ] && ok || bad "notes: slides '$s', want 3,3"
# A PDF has pages, not slides; the second page of a two-column PDF.
"$TELLERRAND" query --alle-fassungen --db "$TMP/fx" --format json Vernetzungstreffen >"$TMP/res.json"
p=$(jq -r '.hits[0] | "\(.page) \(.slide)"' "$TMP/res.json")
[ "$p" = "2 null" ] && ok || bad "pdf page: '$p', want '2 null'"

# --- Pages and slides in the corpus ------------------------------------------
"$TELLERRAND" index --jobs 1 --quiet --db "$TMP/db" "$TR_SOURCE_DIR/corpus" >/dev/null 2>"$TMP/err" ||
	bad "index of the corpus failed: $(head -c 400 "$TMP/err")"

# WORD | file name ending | text shown after the path | JSON key=value
while IFS='|' read -r word file shown json; do
	[ -n "$word" ] || continue
	"$TELLERRAND" query --alle-fassungen --db "$TMP/db" "$word" >"$TMP/text" 2>"$TMP/err"
	expect_grep "$TMP/text" "$file$shown" "$word: text output"
	"$TELLERRAND" query --alle-fassungen --db "$TMP/db" --format json "$word" >"$TMP/res.json" 2>"$TMP/err"
	key=${json%%=*}
	want=${json#*=}
	got=$(jq -r --arg k "$key" '.hits[0][$k] // "none"' "$TMP/res.json")
	[ "$got" = "$want" ] && ok || bad "$word: JSON $key is $got, want $want"
	other=$([ "$key" = page ] && echo slide || echo page)
	got=$(jq -r --arg k "$other" '.hits[0] | has($k)' "$TMP/res.json")
	[ "$got" = false ] && ok || bad "$word: JSON has both page and slide"
done <<'CASES'
Schulwegbegleitung|Protokoll Runder Tisch Freital.pdf| · S. 2|page=2
Talentscouting|Jahresauftakt 2025 Netzwerk.pdf| · S. 4|page=4
Willkommenspaten|Elternbegleitung Landkreis Meißen.pptx| · Folie 4|slide=4
Videodolmetschen|Workshop 3 Sprachmittlung.pptx| · Folie 4|slide=4
Brückenkurs|Ausbildungsbrücke Zwischenbilanz.odp| · Folie 3|slide=3
Konfliktlotsenprogramm|Folien Schulsozialarbeit.odp| · Folie 3|slide=3
Lesepatenschaften|Protokoll Stadtteilrunde Sonnenberg.docx||page=none
Dolmetschpauschale|2022-09-14 Arbeitskreis Sprachmittlung.odt||page=none
CASES

finish
