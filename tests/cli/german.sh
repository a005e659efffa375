# German on the command line (docs/german.md): the thesaurus's "auch gesucht"
# in text and as also_searched in JSON, and gender, umlaut and compound
# forms finding the fixture documents of tests/fixtures/german/.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
DB=$TMP/db
mkdir "$TMP/docs"
cp "$TR_SOURCE_DIR/tests/fixtures/german/daz.md" "$TR_SOURCE_DIR/tests/fixtures/german/zweitsprache.txt" "$TMP/docs/"
"$TELLERRAND" index --quiet --db "$DB" "$TMP/docs" >/dev/null || { echo "indexing failed"; exit 1; }

expect_exit 0 "text query" -- "$TELLERRAND" query --db "$DB" --color never DaZ
expect_grep "$TMP/out" "auch gesucht: Deutsch als Zweitsprache" "thesaurus shown in text"
expect_grep "$TMP/out" "2 Treffer." "DaZ finds the long form too"

expect_exit 0 "json query" -- "$TELLERRAND" query --db "$DB" --format json '"Deutsch als Zweitsprache"'
[ "$(jq -c .also_searched "$TMP/out")" = '["DaZ"]' ] && ok || bad "also_searched: $(jq -c .also_searched "$TMP/out")"
expect_exit 0 "json without expansion" -- "$TELLERRAND" query --db "$DB" --format json Oberschule
[ "$(jq -c .also_searched "$TMP/out")" = '[]' ] && ok || bad "also_searched not empty: $(jq -c .also_searched "$TMP/out")"

# Each query must find the named document (and the count of matches).
find_doc() {
	q=$1 want=$2
	if "$TELLERRAND" query --db "$DB" --format json "$q" >"$TMP/res.json" 2>"$TMP/err"; then
		jq -r '.hits[].path' "$TMP/res.json" | grep -qF "$want" && ok || bad "'$q' does not find $want"
	else
		bad "'$q': $(cat "$TMP/err")"
	fi
}
find_doc 'Lehrerin' daz.md
find_doc 'Lehrer:innen' daz.md
find_doc 'Bildungskoordinatorin' daz.md
find_doc 'Koordinator' daz.md
find_doc 'Kitaplätze' daz.md
find_doc 'Görlitz' zweitsprache.txt
find_doc 'Schüler' zweitsprache.txt
find_doc 'Ausländerangelegenheiten' zweitsprache.txt
find_doc 'Zweitsprache' zweitsprache.txt
# Decomposed umlauts (NFD: "u" and U+0308), as a Mac or a PDF's text gives them.
find_doc "$(printf 'Schu\314\210ler')" zweitsprache.txt
find_doc "$(printf 'Go\314\210rlitz')" zweitsprache.txt

# No "Meinten Sie" for a word that is found as a compound's part.
expect_exit 0 "no suggestion" -- "$TELLERRAND" query --db "$DB" --format json Koordinator
[ "$(jq -r .corrected "$TMP/out")" = null ] && ok || bad "suggestion for a part: $(jq -r .corrected "$TMP/out")"

finish
