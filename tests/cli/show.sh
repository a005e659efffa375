# tellerrand show: what is read from one file, as text and as JSON, by path
# or by document number, with the documented messages and exit codes.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
ART=$TR_SOURCE_DIR/tests/fixtures/extract/article.html

expect_exit 0 "show a page" -- "$TELLERRAND" show "$ART"
expect_grep "$TMP/out" "Titel:         Elterncafé in Zittau: Schule verstehen" "text: title"
expect_grep "$TMP/out" "Datum:        2017-11-07 (explicit)" "text: date with its source"
expect_grep "$TMP/out" "Schlagworte:  Elternarbeit, Schule, Zittau (explicit)" "text: tags"
expect_grep "$TMP/out" "  Sprachmittlung & Betreuung" "text: heading"
expect_grep "$TMP/out" "Sprachmittlerinnen übersetzten ins Arabische." "text: body"
expect_no_grep "$TMP/out" "Vollsperrung" "text: the sidebar is not read"

expect_exit 0 "show as JSON" -- "$TELLERRAND" show --format json "$ART"
t=$(jq -r '.title' "$TMP/out")
[ "$t" = "Elterncafé in Zittau: Schule verstehen" ] && ok || bad "json: title '$t'"
d=$(jq -r '.metadata.date.value + " " + .metadata.date.source' "$TMP/out")
[ "$d" = "2017-11-07 explicit" ] && ok || bad "json: date '$d'"
h=$(jq -r '.headings | join("|")' "$TMP/out")
[ "$h" = "Sprachmittlung & Betreuung" ] && ok || bad "json: headings '$h'"
jq -e '.body | contains("Erster Punkt\nZweiter Punkt")' "$TMP/out" >/dev/null && ok || bad "json: body"

# Page breaks as lines that name the next page (the JSON body keeps its form feeds).
expect_exit 0 "show slides" -- "$TELLERRAND" show "$TR_SOURCE_DIR/tests/fixtures/office/folien_notizen.pptx"
expect_grep "$TMP/out" "── Folie 2 ──" "text: the second slide is marked"
expect_no_grep "$TMP/out" "$(printf '\f')" "text: no form feed"
expect_exit 0 "show a mail" -- "$TELLERRAND" show "$TR_SOURCE_DIR/tests/fixtures/formats/rundmail.eml"
[ "$(grep -A1 -x '────────' "$TMP/out" | sed -n 2p)" = "Anhang: Kontakte Sprachmittlung.csv" ] && ok ||
	bad "text: a rule before the first attachment"
expect_exit 0 "show slides as JSON" -- "$TELLERRAND" show -f json "$TR_SOURCE_DIR/tests/fixtures/office/folien_notizen.pptx"
jq -e '.body | contains("\f")' "$TMP/out" >/dev/null && ok || bad "json: the body keeps its form feeds"

# Several files: one JSON object per line; a missing one is reported, the rest shown.
expect_exit 1 "one of two files missing" -- "$TELLERRAND" show -f json "$ART" "$TMP/fehlt.html"
expect_lines "$TMP/out" 1 "json lines for the readable file"
expect_grep "$TMP/err" "tellerrand show: nicht lesbar" "missing file message"

expect_exit 2 "no argument" -- "$TELLERRAND" show
expect_grep "$TMP/err" "PFAD oder NUMMER fehlt" "usage message"
expect_exit 2 "bad format" -- "$TELLERRAND" show --format xml "$ART"

# By document number: the file of that document read again.
mkdir -p "$TMP/archiv"
cp "$ART" "$TMP/archiv/"
"$TELLERRAND" index --jobs 1 --quiet --db "$TMP/db" "$TMP/archiv" >/dev/null 2>&1 || bad "index"
expect_exit 0 "show a document number" -- "$TELLERRAND" show --db "$TMP/db" 1
expect_grep "$TMP/out" "Titel:         Elterncafé in Zittau: Schule verstehen" "by number: title"
expect_exit 1 "unknown document number" -- "$TELLERRAND" show --db "$TMP/db" 99
expect_grep "$TMP/err" "kein Dokument mit dieser Nummer" "unknown number message"
expect_exit 1 "number without an index" -- "$TELLERRAND" show --db "$TMP/keiner" 1
expect_grep "$TMP/err" "kein Index gefunden" "missing index message"

"$TELLERRAND" help show >"$TMP/out" 2>&1
expect_grep "$TMP/out" "--format" "help show"
"$TELLERRAND" --help >"$TMP/out" 2>&1
expect_grep "$TMP/out" "show" "show in the command list"
finish
