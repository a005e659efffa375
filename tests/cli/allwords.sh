# Several words (issue 17): the count and the facets are of the documents
# with all the words whenever there are any; those with only some are
# listed after them and shown as "ca. N weitere".  The command line (text
# and JSON), the API and the page say the same.
. "$(dirname "$0")/common.inc"
command -v curl >/dev/null || { echo "curl missing: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
DB=$TMP/db
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE

mkdir -p "$TMP/root"
doc() { # doc FILE KREIS BODY
	printf -- '---\ntitle: %s\ndate: 2021-03-01\nkreis: %s\ntyp: Protokoll\n---\n%s\n' "$1" "$2" "$3" >"$TMP/root/$1.md"
}
# Both words, in some form: Elternabend/Elternabende, Sprachpaten/Sprachpate.
doc beide1 Mittelsachsen 'Der Elternabend in Freiberg lädt die Sprachpaten ein.'
doc beide2 Mittelsachsen 'Zwei Elternabende suchen einen Sprachpaten für Arabisch.'
doc beide3 Bautzen 'Beim Elternabend in Bautzen stellte sich ein Sprachpate vor.'
# One word only.
doc eltern1 Leipzig 'Der Elternabend der Grundschule ist montags.'
doc eltern2 Bautzen 'Elternabende an drei Schulen, mit Dolmetscherinnen.'
doc paten1 Leipzig 'Sprachpaten begleiten Familien zu Ämtern.'
# Neither.
doc keins Görlitz 'Netzwerktreffen der Bildungskoordinatoren.'
timeout 120 "$T" index --quiet --db "$DB" "$TMP/root" >/dev/null 2>"$TMP/ix.err" || { echo "indexing failed: $(cat "$TMP/ix.err")"; exit 1; }

SAID='3 Treffer mit allen Wörtern, ca. 3 weitere mit einem Teil der Wörter'

# ---- Command line: text -------------------------------------------------------
expect_exit 0 "text query" -- "$T" query --db "$DB" --limit 10 'Elternabend Sprachpaten'
expect_grep "$TMP/out" "$SAID." "text: the count is of the documents with both words"
expect_grep "$TMP/out" 'Landkreise: Mittelsachsen (2), Landkreis Bautzen (1)' "text: facets count the documents with both words"
# All six are listed, those with both words first.
grep -E '^[0-9]+\. ' "$TMP/out" | sed 's/^[0-9]*\. //' >"$TMP/titles"
expect_lines "$TMP/titles" 6 "text: a missing word does not empty the list"
head -n 3 "$TMP/titles" | sort | tr '\n' ' ' >"$TMP/first"
expect_grep "$TMP/first" 'beide1 beide2 beide3 ' "text: documents with both words first"
expect_exit 0 "text query, one page" -- "$T" query --db "$DB" --limit 2 'Elternabend Sprachpaten'
expect_grep "$TMP/out" '(Treffer 1–2 von ca. 6; weitere mit --offset 2)' "text: paging covers the documents with some words"

# No document in Leipzig has both words: the two with one of them count.
expect_exit 0 "text query, Leipzig" -- "$T" query --db "$DB" --kreis Leipzig 'Elternabend Sprachpaten'
expect_grep "$TMP/out" '2 Treffer, keiner mit allen Wörtern.' "text: none with all the words"
# One word and a phrase: one reading, said as before.
expect_exit 0 "one word" -- "$T" query --db "$DB" Elternabend
expect_grep "$TMP/out" '5 Treffer.' "text: one word counts every match"
expect_exit 0 "phrase" -- "$T" query --db "$DB" '"Elternabend der Grundschule"'
expect_grep "$TMP/out" '1 Treffer.' "text: a phrase counts every match"

# ---- Command line: JSON ------------------------------------------------------------
expect_exit 0 "json query" -- "$T" query --db "$DB" --format json 'Elternabend Sprachpaten'
cp "$TMP/out" "$TMP/cli.json"
check_json() { # check_json FILE WHAT
	if jq -e --arg said "$SAID" '.total == 3 and .counted == "all_words" and .partial == 3
	        and .count_text == $said and (.hits | length) == 6
	        and ([.facets.kreis[] | "\(.value)=\(.count)"] | sort) == ["landkreis-bautzen=1", "mittelsachsen=2"]' \
	        "$1" >/dev/null; then ok; else bad "$2: $(jq -c '{total, counted, partial, count_text, kreis: .facets.kreis}' "$1")"; fi
}
check_json "$TMP/cli.json" "CLI JSON"
expect_exit 0 "json query, Leipzig" -- "$T" query --db "$DB" --format json --kreis Leipzig 'Elternabend Sprachpaten'
if jq -e '.total == 2 and .counted == "some_words" and .partial == 0' "$TMP/out" >/dev/null; then ok; else bad "CLI JSON, Leipzig: $(jq -c '{total, counted, partial}' "$TMP/out")"; fi

# ---- Server: the API and the page ---------------------------------------------------
# A phrase: the document with it, in any inflection, is the one full match
# (100 %).  The words as typed have no positions, so their phrase takes no
# part: once it did, and the full match showed as 57 %.
expect_exit 0 "phrase query" -- "$T" query --db "$DB" --format json '"Elternabende in Freiberg"'
if jq -e '.total == 1 and .hits[0].title == "beide1" and .hits[0].percent == 100' "$TMP/out" >/dev/null; then ok; else bad "phrase: $(jq -c '{total, hits: [.hits[] | {title, percent}]}' "$TMP/out")"; fi

"$T" serve --db "$DB" --listen 127.0.0.1:0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
BASE=$(serve_url "$TMP/serve.out")
[ -n "$BASE" ] || { echo "server did not start: $(cat "$TMP/serve.err")"; exit 1; }
Q='q=Elternabend+Sprachpaten'
curl -s -o "$TMP/api.json" "$BASE/api/search?$Q"
check_json "$TMP/api.json" "API"
curl -s -o "$TMP/page.html" "$BASE/?$Q"
expect_grep "$TMP/page.html" "<span id=\"trefferzahl\" data-total=\"3\">$SAID</span>" "page: the same count and words"
# Two per page: three pages hold the six documents, and the third has the last two.
curl -s -o "$TMP/api2.json" "$BASE/api/search?$Q&anzahl=2&seite=3"
if jq -e '.seiten == 3 and (.hits | length) == 2' "$TMP/api2.json" >/dev/null; then ok; else bad "API paging: $(head -c 300 "$TMP/api2.json")"; fi
curl -s -o "$TMP/page.html" "$BASE/?$Q&kreis=Leipzig"
expect_grep "$TMP/page.html" '2 Treffer, keiner mit allen Wörtern</span>' "page: none with all the words"

finish
