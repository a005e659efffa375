# Versions of one text ("Fassungen", issue 19): a draft and its final press
# release share most of their word shingles and fold into one hit, the
# newest, with the other listed with its date; texts written on one
# template (two meetings' minutes) stay apart; --alle-fassungen and
# kopien=alle show every file; internal versions stay hidden; similar
# documents leave the versions out.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
F=$TR_SOURCE_DIR/tests/fixtures/copies
C=$TR_SOURCE_DIR/corpus/Netzwerk/Protokolle
A=$TMP/archiv
mkdir -p "$A/Presse" "$A/Protokolle" "$TMP/intern"
cp "$F/pm.txt" "$F/pm_entwurf.txt" "$A/Presse/"
cp "$C/2017/protokoll_freiberg.txt" "$C/2017/Protokoll 2. Netzwerktreffen.md" "$A/Protokolle/"
touch -d '2024-03-05 10:00' "$A/Presse/pm_entwurf.txt"
touch -d '2024-03-12 10:00' "$A/Presse/pm.txt"
# An internal later draft: a version too, for those with the right only.
sed 's/Neuzugewanderte/neu Zugewanderte/' "$F/pm.txt" >"$TMP/intern/pm_intern.txt"
touch -d '2024-03-20 10:00' "$TMP/intern/pm_intern.txt"
"$TELLERRAND" index --quiet --db "$TMP/db" "$A" >/dev/null || { echo "indexing failed"; exit 1; }

q() { "$TELLERRAND" query --db "$TMP/db" --format json "$@" >"$TMP/res.json" 2>"$TMP/err"; }
jqv() { jq -r "$1" "$TMP/res.json"; }
is() { [ "$1" = "$2" ] && ok || bad "$3: got '$1', want '$2'"; }

q Netzwerktreffen Freiberg || bad "query failed: $(cat "$TMP/err")"
is "$(jqv '[.hits[] | select(.path | test("/Presse/"))] | length')" 1 "draft and final are one hit"
is "$(jqv '.hits[] | select(.path | test("/Presse/")) | .path | sub(".*/"; "")')" pm.txt "the newest is shown"
is "$(jqv '.hits[] | select(.path | test("/Presse/")) | .versions | map(.path | sub(".*/"; "")) | join(",")')" pm_entwurf.txt \
	"the draft is listed as a version"
is "$(jqv '.hits[] | select(.path | test("/Presse/")) | .versions[0].date')" 2024-03-12 "with its date"
is "$(jqv '[.hits[] | select(.path | test("/Protokolle/"))] | length')" 2 "two meetings' minutes stay two hits"
is "$(jqv '[.hits[] | select(.path | test("/Protokolle/")) | .versions | length] | add')" 0 "minutes have no versions"
is "$(jqv .total)" 4 "versions count as texts of their own"
is "$(jqv .versions_folded)" 1 "one version folded on the page"

"$TELLERRAND" query --db "$TMP/db" Netzwerktreffen Freiberg >"$TMP/out" 2>&1
expect_grep "$TMP/out" "weitere Fassungen: pm_entwurf.txt (12.03.2024)" "text output lists the version"
expect_grep "$TMP/out" "(1 weitere Fassung unter einem Treffer oben; Fassungen zählen als eigene Texte)" "text output says what is counted"

# A version that does not match is not listed: the draft alone has "Integrationskurse".
q Integrationskurse || bad "query failed"
is "$(jqv '[.hits[].path | select(test("/Presse/")) | sub(".*/"; "")] | join(",")')" pm_entwurf.txt "the draft alone"
is "$(jqv '.hits[] | select(.path | test("/Presse/")) | .versions | length')" 0 "the final does not match: not listed"

q --alle-fassungen Netzwerktreffen Freiberg || bad "--alle-fassungen failed"
is "$(jqv '[.hits[] | select(.path | test("/Presse/"))] | length')" 2 "--alle-fassungen: every version a hit"
is "$(jqv '[.hits[].versions | length] | add')" 0 "--alle-fassungen: nothing folded"

q --aehnlich "$A/Presse/pm.txt" --limit 50 || bad "--aehnlich failed: $(cat "$TMP/err")"
is "$(jqv '[.hits[].path | select(test("pm_entwurf"))] | length')" 0 "similar documents leave the versions out"

# ---- The API and the page, with an internal version -----------------------
command -v curl >/dev/null || { echo "curl missing: server part skipped"; finish; exit $?; }
"$TELLERRAND" index --quiet --internal --db "$TMP/db" "$TMP/intern" >/dev/null || { echo "indexing the internal root failed"; finish; exit 1; }
q Netzwerktreffen Freiberg
is "$(jqv '.hits[] | select(.path | test("/Presse/|/intern/")) | .path | sub(".*/"; "")')" pm_intern.txt \
	"the command line sees the internal version as the newest"
"$TELLERRAND" serve --db "$TMP/db" --listen 127.0.0.1:0 --root "$A" --root "$TMP/intern" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while ! grep -q 'http://' "$TMP/serve.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
BASE=$(sed -n 's|.*\(http://[^ ]*\)/.*|\1|p' "$TMP/serve.out")
[ -n "$BASE" ] || { bad "server did not start: $(cat "$TMP/serve.err")"; finish; exit 1; }
curl -s "$BASE/api/search?q=Netzwerktreffen+Freiberg" >"$TMP/res.json"
is "$(jqv '.hits[] | select(.path | test("/Presse/")) | .path | sub(".*/"; "")')" pm.txt "API: the newest visible version"
is "$(jqv '[.. | .path? | select(. != null) | select(test("/intern/"))] | length')" 0 "API: no internal version"
is "$(jqv '.hits[] | select(.path | test("/Presse/")) | .versions[0].path | sub(".*/"; "")')" pm_entwurf.txt "API: the version"
curl -s "$BASE/api/search?q=Netzwerktreffen+Freiberg&kopien=alle" >"$TMP/res.json"
is "$(jqv '[.hits[] | select(.path | test("/Presse/"))] | length')" 2 "API: kopien=alle shows every version"
curl -s "$BASE/?q=Netzwerktreffen+Freiberg" >"$TMP/page.html"
expect_grep "$TMP/page.html" '<p class="versions">weitere Fassungen: <a href="/dokument/' "page lists the version as a link"
expect_grep "$TMP/page.html" '>12.03.2024</a></p>' "page shows the version's date"
expect_no_grep "$TMP/page.html" "pm_intern" "page: no internal version"
finish
