# "Ähnliche Dokumente" (issue 19): for the seed press release of corpus/
# (the network meeting in Freiberg, 2017) the similar documents are other
# network-meeting documents, first the minutes of that very meeting; the
# release itself and its copies are never listed, internal documents only
# to those with the right; the CLI, the API and the page agree.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
A=$TMP/archiv
cp -r "$TR_SOURCE_DIR/corpus" "$A"
SEED=$A/Presse/Archiv/pm_netzwerktreffen.txt
mkdir -p "$A/Kopien" "$TMP/intern"
cp "$SEED" "$A/Kopien/Kopie von pm_netzwerktreffen.txt"
# An internal draft of the meeting's minutes.
{ cat "$A/Netzwerk/Protokolle/2017/protokoll_freiberg.txt"; echo "Interner Vermerk: Entwurf, nicht weitergeben."; } \
	>"$TMP/intern/protokoll_freiberg_intern.txt"
# Older than the minutes: a version of them, listed under them (cli/versions).
touch -d '2017-09-12 10:00' "$TMP/intern/protokoll_freiberg_intern.txt"
touch -d '2017-09-20 10:00' "$A/Netzwerk/Protokolle/2017/protokoll_freiberg.txt"
"$TELLERRAND" index --quiet --db "$TMP/db" "$A" >/dev/null || { echo "indexing failed"; exit 1; }
"$TELLERRAND" index --quiet --internal --db "$TMP/db" "$TMP/intern" >/dev/null || { echo "indexing the internal root failed"; exit 1; }

q() { "$TELLERRAND" query --db "$TMP/db" --format json "$@" >"$TMP/res.json" 2>"$TMP/err"; }
jqv() { jq -r "$1" "$TMP/res.json"; }
is() { [ "$1" = "$2" ] && ok || bad "$3: got '$1', want '$2'"; }
# Network-meeting documents: the network's own folder, or the word in the text.
meeting() { case "$1" in "$A"/Netzwerk/*) return 0 ;; esac; grep -qi netzwerktreffen "$1"; }

q --aehnlich "$SEED" --limit 5 || bad "--aehnlich failed: $(cat "$TMP/err")"
is "$(jqv .similar_to.title)" "Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen" "the document named"
is "$(jqv '.hits[0].path | sub(".*/"; "")')" protokoll_freiberg.txt "first: the minutes of the same meeting"
n=0
for p in $(jqv '.hits[].path' | tr ' ' '\001'); do
	p=$(printf '%s' "$p" | tr '\001' ' ')
	meeting "$p" && n=$((n + 1))
done
[ "$n" -ge 3 ] && ok || bad "network-meeting documents among the first five: $n, want at least 3: $(jqv '.hits[].path')"
jqv '.hits[].path' >"$TMP/by-path"

q --aehnlich "$SEED" --limit 200 || bad "--aehnlich (all) failed"
is "$(jqv "[.hits[].path, .hits[].copies[].path | select(test(\"/(Kopie von )?pm_netzwerktreffen[.]txt$\"))] | length")" 0 \
	"neither the release nor its copy is listed"
is "$(jqv '[.hits[] | .path, .versions[].path | select(test("/intern/"))] | length')" 1 "the command line sees internal documents"

id=$(jqv .similar_to.docid)
q --aehnlich "$id" --limit 5 || bad "--aehnlich ID failed: $(cat "$TMP/err")"
jqv '.hits[].path' >"$TMP/by-id"
cmp -s "$TMP/by-path" "$TMP/by-id" && ok || bad "the same list by path and by id"

q --aehnlich "$SEED" --kreis Mittelsachsen || bad "--aehnlich with a filter failed"
is "$(jqv '[.hits[] | select(.districts | index("mittelsachsen") | not)] | length')" 0 "filters apply"
[ "$(jqv '.hits | length')" -gt 0 ] && ok || bad "similar documents in Mittelsachsen"

"$TELLERRAND" query --db "$TMP/db" --aehnlich "$SEED" --limit 3 --color never >"$TMP/out" 2>&1
expect_grep "$TMP/out" "Ähnliche Dokumente wie: Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen" "text output names the document"
expect_exit 1 "a file not in the index" -- "$TELLERRAND" query --db "$TMP/db" --aehnlich "$TMP/nirgends.txt"
expect_grep "$TMP/err" "nicht im Index: $TMP/nirgends.txt" "says the file is not indexed"
expect_exit 1 "an id not in the index" -- "$TELLERRAND" query --db "$TMP/db" --aehnlich 999999
expect_grep "$TMP/err" "kein Dokument mit der Nummer 999999" "says the id is unknown"

# ---- The page and the API ------------------------------------------------
command -v curl >/dev/null || { echo "curl missing: server part skipped"; finish; exit $?; }
q protokoll_freiberg_intern Vermerk
internal=$(jqv '.hits[0].docid')
"$TELLERRAND" serve --db "$TMP/db" --listen 127.0.0.1:0 --root "$A" --root "$TMP/intern" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while ! grep -q 'http://' "$TMP/serve.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
BASE=$(sed -n 's|.*\(http://[^ ]*\)/.*|\1|p' "$TMP/serve.out")
[ -n "$BASE" ] || { bad "server did not start: $(cat "$TMP/serve.err")"; finish; exit 1; }

curl -s "$BASE/api/search?aehnlich=$id&anzahl=100" >"$TMP/res.json"
is "$(jqv .similar_to.docid)" "$id" "API: the document named"
is "$(jqv '.hits[0].path | sub(".*/"; "")')" protokoll_freiberg.txt "API: the same first hit"
is "$(jqv '[.. | .path? | select(. != null) | select(test("/intern/"))] | length')" 0 "API: no internal document"
is "$(jqv '.hits[0].similar_url')" "/api/search?aehnlich=$(jqv '.hits[0].docid')" "API: each hit links to its similar documents"
curl -s "$BASE/api/search?q=Netzwerktreffen" >"$TMP/res.json"
is "$(jqv '[.hits[] | select(.similar_url | test("^/api/search[?]aehnlich=[0-9]+$"))] | length')" "$(jqv '.hits | length')" \
	"API: every hit of a search has the link"
code=$(curl -s -o "$TMP/res.json" -w '%{http_code}' "$BASE/api/search?aehnlich=$internal")
is "$code" 404 "API: an internal document is not found"
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/search?aehnlich=abc")
is "$code" 400 "API: a bad id"

curl -s "$BASE/?q=Netzwerktreffen" >"$TMP/page.html"
expect_grep "$TMP/page.html" '<p class="similar"><a href="/?aehnlich=' "page: a link under each hit"
curl -s "$BASE/?aehnlich=$id" >"$TMP/page.html"
expect_grep "$TMP/page.html" "Ähnliche Dokumente wie <a href=\"/dokument/$id\">Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen</a>" \
	"page names the document"
expect_grep "$TMP/page.html" "Protokoll 3. Netzwerktreffen Bildungskoordinatoren Sachsen" "page lists the minutes"
expect_no_grep "$TMP/page.html" "protokoll_freiberg_intern" "page: no internal document"
expect_grep "$TMP/page.html" "aehnlich=$id&amp;" "page: filter links keep the similar search"
code=$(curl -s -o "$TMP/page.html" -w '%{http_code}' "$BASE/?aehnlich=$internal")
is "$code" 404 "page: an internal document is not found"
expect_grep "$TMP/page.html" "Das Dokument gibt es nicht (mehr) im Archiv." "page says so"
finish
