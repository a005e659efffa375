# Why found (issue 19): for each rule of the query's expansion, a query
# whose only way to the fixture document is that rule.  --explain (and the
# JSON's "explain") must name that rule, and the same query with the rule
# left out (--ohne) must not find the document: the form listed is the
# real reason.  Then where the metadata came from: a dateline and a district
# from the text with their lines, a date from the folder.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
cp -r "$TR_SOURCE_DIR/tests/fixtures/explain" "$TMP/archiv"
"$TELLERRAND" index --quiet --db "$TMP/db" "$TMP/archiv" >/dev/null || { echo "indexing failed"; exit 1; }

q() { "$TELLERRAND" query --db "$TMP/db" --format json "$@" >"$TMP/res.json" 2>"$TMP/err" || bad "query $*: $(cat "$TMP/err")"; }
jqv() { jq -r "$1" "$TMP/res.json"; }
is() { [ "$1" = "$2" ] && ok || bad "$3: got '$1', want '$2'"; }

# rule_case QUERY FILE RULE OFF: QUERY finds FILE, its explain lists RULE
# (and the query word), and with --ohne OFF the file is not found.
rule_case() {
	query=$1 file=$2 rule=$3 off=$4
	q --explain "$query"
	hit=".hits[] | select(.path | endswith(\"/$file\"))"
	is "$(jqv "[$hit] | length")" 1 "$query finds $file"
	is "$(jqv "[$hit | .explain.matches[] | select(.rule == \"$rule\")] | length > 0")" true "$query: $file by $rule"
	is "$(jqv "[$hit | .explain.matches[] | select(.weight > 0)] | length > 0")" true "$query: weights"
	if [ -n "$off" ]; then
		q --ohne "$off" "$query"
		is "$(jqv "[$hit] | length")" 0 "$query --ohne $off no longer finds $file"
	fi
}

rule_case Sprachkurs sprachkurse.md stem stamm
rule_case Klasse willkommen.md compound wortteil
rule_case Foerderung foerderung.md umlaut umlaut
rule_case "Übergänge" uebergaenge.md transcription umschreibung
rule_case Lehrer lehrerinnen.md gender geschlecht
rule_case DaZ zweitsprache.md thesaurus thesaurus
# The exact word survives every rule left out.
rule_case Sprachmittler sprachmittler.md exact ""
q --ohne stamm,wortteil,umlaut,umschreibung,geschlecht,thesaurus Sprachmittler
is "$(jqv '.hits[0].explain')" null "no explain without --explain"
is "$(jqv '.total')" 1 "the word as typed, with every rule off"
# A wildcard: the word it stands for, and without the * nothing.
rule_case 'Sprachpat*' patenschaften.md wildcard ""
q Sprachpat
is "$(jqv '.total')" 0 "without the * no document"

# The word a compound part or gender form was found in.
q --explain Klasse
is "$(jqv '.hits[0].explain.matches[0].found_in')" vorbereitungsklassen "compound part found in"
is "$(jqv '.hits[0].explain.matches[0].term')" XCklass "compound term"
q --explain DaZ
is "$(jqv '[.hits[0].explain.matches[].via] | unique | join(",")')" "Deutsch als Zweitsprache" "thesaurus expression"

# Metadata: where each value was read.
q --explain Elternabend
is "$(jqv '.hits[0].explain.metadata.districts.source')" text "district from the text"
is "$(jqv '.hits[0].explain.metadata.districts.line')" 4 "district's line"
is "$(jqv '.hits[0].explain.metadata.districts.evidence')" "Das Landratsamt in Freiberg" "district's words"
is "$(jqv '.hits[0].explain.metadata.date.source')/$(jqv '.hits[0].explain.metadata.date.line')" text/1 "dateline"
q --explain Raumplanung
is "$(jqv '.hits[0].explain.metadata.date.source')" folder "date from the folder"
is "$(jqv '.hits[0].date')" 2019-01 "the folder's month"
expect_grep "$TMP/res.json" '2019-01 Fachtag/notiz.md' "the folder named as evidence"

# The text output says the same in German.
"$TELLERRAND" query --db "$TMP/db" --explain Elternabend >"$TMP/out" 2>&1
expect_grep "$TMP/out" "Warum gefunden:" "text heading"
expect_grep "$TMP/out" "elternabend: genaues Wort „elternabend“" "exact word line"
expect_grep "$TMP/out" "Landkreis: Mittelsachsen – aus: Text, Zeile 4: „Das Landratsamt in Freiberg“" "district line"
expect_grep "$TMP/out" "Datum: 15.09.2017 – aus: Text, Zeile 1: „15.09.2017“" "date line"
"$TELLERRAND" query --db "$TMP/db" --explain Lehrer >"$TMP/out" 2>&1
expect_grep "$TMP/out" "lehrer: Geschlechtsform „lehr…“ (XGlehr), Gewicht " "gender line"
expect_exit 2 "unknown rule" -- "$TELLERRAND" query --db "$TMP/db" --ohne genau Lehrer
expect_grep "$TMP/err" "unbekannte Regel in --ohne: genau" "message for the exact word"

# ---- The page and the API ------------------------------------------------
command -v curl >/dev/null || { echo "curl missing: server part skipped"; finish; exit $?; }
"$TELLERRAND" serve --db "$TMP/db" --listen 127.0.0.1:0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
BASE=$(serve_url "$TMP/serve.out")
[ -n "$BASE" ] || { bad "server did not start: $(cat "$TMP/serve.err")"; finish; exit 1; }
curl -s "$BASE/api/search?q=Lehrer&explain=1" >"$TMP/res.json"
is "$(jqv '.hits[0].explain.matches[0].rule')" gender "API: explain=1"
curl -s "$BASE/api/search?q=Lehrer" >"$TMP/res.json"
is "$(jqv '.hits[0].explain')" null "API: no explain unless asked"
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/search?q=Lehrer&explain=ja")
is "$code" 400 "API: a wrong explain value"
# The page explains on request (it costs about 40 % more per page): a link under each hit asks for it.
curl -s "$BASE/?q=Elternabend" >"$TMP/page.html"
expect_grep "$TMP/page.html" '<p class="why"><a href="/?q=Elternabend&amp;warum=1#treffer-1">Warum gefunden?</a></p>' "page: the link"
expect_no_grep "$TMP/page.html" '<details class="why"' "page: nothing explained unless asked"
curl -s "$BASE/?q=Elternabend&warum=1" >"$TMP/page.html"
expect_grep "$TMP/page.html" '<li class="hit" id="treffer-1">' "page: the hit the link leads to"
expect_grep "$TMP/page.html" '<details class="why" open><summary>Warum gefunden?</summary>' "page: the explanation"
expect_grep "$TMP/page.html" "<li>Landkreis: Mittelsachsen – aus: Text, Zeile 4: „Das Landratsamt in Freiberg“</li>" "page: district line"
code=$(curl -s -o "$TMP/page.html" -w '%{http_code}' "$BASE/?q=Elternabend&warum=ja")
is "$code" 400 "page: a wrong warum value"
expect_grep "$TMP/page.html" "ungültiger Wert für warum" "page: its message"
finish
