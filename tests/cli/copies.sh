# Copies of one text fold into one hit (issue 19): the same press release
# as .txt, .md and .html and as a copy in another folder is one hit that
# lists the others; a draft with one changed word stays a hit of its own;
# the counts and facets count texts; --alle-fassungen shows every file.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
F=$TR_SOURCE_DIR/tests/fixtures/copies
A=$TMP/archiv
mkdir -p "$A/Presse" "$A/Ablage alt"
cp "$F/pm.txt" "$F/pm.md" "$F/pm.html" "$F/pm_entwurf.txt" "$F/einladung.txt" "$A/Presse/"
cp "$F/pm.txt" "$A/Ablage alt/Kopie von pm.txt"
# The copy is the newest file, but its name says it is a copy: an original is shown.
touch -d '2024-03-12 10:00' "$A/Presse/"*
touch -d '2024-03-20 10:00' "$A/Ablage alt/Kopie von pm.txt"
"$TELLERRAND" index --quiet --db "$TMP/db" "$A" >/dev/null || { echo "indexing failed"; exit 1; }

q() { "$TELLERRAND" query --db "$TMP/db" --format json "$@" >"$TMP/res.json" 2>"$TMP/err"; }
jqv() { jq -r "$1" "$TMP/res.json"; }
is() { [ "$1" = "$2" ] && ok || bad "$3: got '$1', want '$2'"; }

q Netzwerktreffen || bad "query failed: $(cat "$TMP/err")"
is "$(jqv .total)" 3 "three texts: the release, its draft, the invitation"
is "$(jqv .files)" 6 "six files match"
is "$(jqv .folded)" true "folded"
is "$(jqv '[.hits[] | select(.copies | length == 3)] | length')" 1 "one hit carries three copies"
is "$(jqv '.hits[] | select(.copies | length == 3) | .path | sub(".*/archiv/"; "")')" "Presse/pm.html" "an original, not the newer 'Kopie von', is shown"
is "$(jqv '[.hits[] | select(.copies | length == 3) | .copies[].path | sub(".*/"; "")] | sort | join(",")')" "Kopie von pm.txt,pm.md,pm.txt" "the other copies"
# The draft is another text (one word changed), a version of the release: listed under it.
is "$(jqv '[.hits[].path | select(test("pm_entwurf"))] | length')" 0 "the draft is no hit of its own"
is "$(jqv '.hits[] | select(.copies | length == 3) | .versions[].path | sub(".*/"; "")')" pm_entwurf.txt "the draft is a version of the release"
is "$(jqv '.facets.kreis[] | select(.value == "mittelsachsen") | .count')" 2 "the district facet counts texts"
is "$(jqv '.facets.typ[] | select(.value == "pressemitteilung") | .count')" 2 "the type facet counts texts"

# The counts hold on a short page too (a collapsed match only estimates them).
q --limit 1 Netzwerktreffen || bad "query --limit 1 failed"
is "$(jqv .total)/$(jqv .files)" 3/6 "counts with one hit a page"

"$TELLERRAND" query --db "$TMP/db" Netzwerktreffen >"$TMP/out" 2>&1
expect_grep "$TMP/out" "auch als: .md, .txt (3 weitere Dateien)" "text output lists the copies' formats"
expect_grep "$TMP/out" "gezählt: Texte; 6 Dateien" "text output says what the counts count"

q --alle-fassungen Netzwerktreffen || bad "query --alle-fassungen failed: $(cat "$TMP/err")"
is "$(jqv .total)" 6 "every file with --alle-fassungen"
is "$(jqv .folded)" false "not folded"
is "$(jqv '[.hits[].copies | length] | add')" 0 "no copies listed"
is "$(jqv '.facets.kreis[] | select(.value == "mittelsachsen") | .count')" 5 "facets count files"

# Filters apply to every copy: only the copies that match are listed.
q Netzwerktreffen --typ Pressemitteilung || bad "filtered query failed"
is "$(jqv .total)" 2 "release and draft"

# ---- The page and the API ------------------------------------------------
command -v curl >/dev/null || { echo "curl missing: server part skipped"; finish; exit $?; }
# A copy in an internal root: never listed to a request without the right.
mkdir -p "$TMP/intern"
cp "$F/pm.md" "$TMP/intern/pm-intern.md"
touch -d '2024-03-25 10:00' "$TMP/intern/pm-intern.md"
"$TELLERRAND" index --quiet --internal --db "$TMP/db" "$TMP/intern" >/dev/null || { echo "indexing the internal root failed"; finish; exit 1; }
"$TELLERRAND" serve --db "$TMP/db" --listen 127.0.0.1:0 --root "$A" --root "$TMP/intern" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
BASE=$(serve_url "$TMP/serve.out")
[ -n "$BASE" ] || { bad "server did not start: $(cat "$TMP/serve.err")"; finish; exit 1; }

curl -s "$BASE/api/search?q=Netzwerktreffen" >"$TMP/res.json"
is "$(jqv .total)" 3 "API: three texts"
is "$(jqv '[.hits[].copies[].path | select(test("intern"))] | length')" 0 "API: the internal copy is not listed"
is "$(jqv '[.hits[] | select(.path | test("intern"))] | length')" 0 "API: the internal copy is not shown"
curl -s "$BASE/api/search?q=Netzwerktreffen&kopien=alle" >"$TMP/res.json"
is "$(jqv .total)" 6 "API: kopien=alle shows every visible file"
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/search?q=Netzwerktreffen&kopien=einige")
is "$code" 400 "API: a wrong kopien value"

curl -s "$BASE/?q=Netzwerktreffen" >"$TMP/page.html"
expect_grep "$TMP/page.html" '<p class="copies">auch als: <a href="/dokument/' "page lists the copies as links"
expect_grep "$TMP/page.html" "(3 weitere Dateien)" "page counts the copies"
expect_grep "$TMP/page.html" "kopien=alle" "page links to every copy"
curl -s "$BASE/?q=Netzwerktreffen&kopien=alle" >"$TMP/page.html"
expect_no_grep "$TMP/page.html" '<p class="copies">' "no copies listed with kopien=alle"
expect_grep "$TMP/page.html" "Kopien zusammenfassen" "page links back to folded"
expect_grep "$TMP/page.html" 'name="kopien" value="alle"' "a new search keeps the option"
finish
