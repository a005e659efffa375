# tellerrand serve over HTTP: a server on a free loopback port over a small
# test index (public, internal and unrooted documents), driven with curl.
# Checks results, filters, paging, escaping, every kind of bad request,
# /dokument/ traversal attempts and every channel an internal document
# could leak through.
. "$(dirname "$0")/common.inc"
command -v curl >/dev/null || { echo "curl missing: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
DB=$TMP/db
TOKEN=test-token-0123456789abcdef
SERVERS=""
trap 'for p in $SERVERS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"' EXIT
# A shell killed by a signal skips the EXIT trap; exiting from here runs it, so no server outlives the test.
trap 'exit 1' INT TERM HUP PIPE

# ---- Fixtures ---------------------------------------------------------------
mkdir -p "$TMP/root" "$TMP/intern" "$TMP/other" "$TMP/outside" "$TMP/mapped"
doc() { # doc FILE TITLE DATE KREIS TYP BODY
	printf -- '---\ntitle: %s\ndate: %s\nkreis: %s\ntyp: %s\n---\n%s\n' "$2" "$3" "$4" "$5" "$6" >"$1"
}
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	k=Mittelsachsen; [ $((1$i % 2)) -eq 0 ] && k=Leipzig
	doc "$TMP/root/protokoll$i.md" "Protokoll Sprachkurs Nummer $i" "2018-$i-15" "$k" Protokoll \
		"Der Sprachkurs für Neuzugewanderte tagte zum $i. Mal. Themen: Kita, Schule, Ausbildung."
done
doc "$TMP/root/script.md" '<script>alert(1)</script>' 2019-05-03 Mittelsachsen Pressemitteilung \
	'Ein Sprachkurs mit <b>Markup</b> & "Zeichen" im Text.'
doc "$TMP/root/meissen.md" 'Netzwerktreffen Meißen' 2020-06-10 Meißen Protokoll 'Bildungsberatung im Landkreis.'
printf 'Hinweis Zeichensatz\n\nText mit <b>Markup</b> & "Zeichen".\n' >"$TMP/root/markup.txt"
printf 'Geheimnis ausserhalb der Ablage Sprachkurs\n' >"$TMP/outside/secret.txt"
ln -s "$TMP/outside/secret.txt" "$TMP/root/verweis.txt"
printf 'Vorlage Sprachkurs Austausch\n' >"$TMP/root/austausch.txt"
printf 'Vorlage Elternbrief\n' >"$TMP/root/elternbrief.txt"
printf 'Vorlage Rundbrief\n' >"$TMP/root/rundbrief.txt"
doc "$TMP/intern/geheim.md" 'Vertrauliche Quartalsplanungsrunde' 2011-04-01 Vogtlandkreis Protokoll \
	'Die Quartalsplanungsrunde berät den Haushaltsentwurf für den Sprachkurs. Der Jugendmigrationsdienst berichtet.'
doc "$TMP/other/fremd.md" 'Fremdablage' 2017-02-02 Dresden Sonstiges 'Fremdablage Sprachkurs ohne Freigabe.'
doc "$TMP/mapped/Bericht März.md" 'Bericht im Intranet' 2016-03-01 Chemnitz Sonstiges 'Bildungsbericht Intranet.'
printf '%s\n' "$TOKEN" >"$TMP/token"

ix() { timeout 120 "$T" index --quiet --db "$DB" "$@" >/dev/null 2>"$TMP/ix.err" || bad "index $*: $(head -c 300 "$TMP/ix.err")"; }
ix "$TMP/root"
ix --internal "$TMP/intern"
ix "$TMP/other"
ix "$TMP/mapped"
# After indexing, a file of the archive becomes a link out of the root.
rm "$TMP/root/austausch.txt"
ln -s "$TMP/outside/secret.txt" "$TMP/root/austausch.txt"
# ... and public documents become links to internal files: one indexed as
# internal, one in the internal root but never indexed.
printf 'Interne Notiz Teeküchenschlüssel\n' >"$TMP/intern/nicht-indexiert.txt"
rm "$TMP/root/elternbrief.txt" "$TMP/root/rundbrief.txt"
ln -s "$TMP/intern/geheim.md" "$TMP/root/elternbrief.txt"
ln -s "$TMP/intern/nicht-indexiert.txt" "$TMP/root/rundbrief.txt"

# Visible: 18 in the root (three .txt dated by their mtime; the link out of the root is not followed),
# 1 unrooted, 1 mapped; 1 internal.
VISIBLE=20
# "Sprachkurs": 12 minutes, the script title, the .txt replaced by a link, the unrooted one; plus 1 internal.
SPRACHKURS=15

# ---- Server -----------------------------------------------------------------
# start NAME ARGS...: starts a server on a free port; its base URL is in $URL.
start() {
	name=$1; shift
	"$T" serve --db "$DB" --listen 127.0.0.1:0 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	SERVERS="$SERVERS $!"
	URL=$(serve_url "$TMP/$name.out")
	[ -n "$URL" ] || { echo "server $name did not start: $(cat "$TMP/$name.err")"; exit 1; }
}

start main --root "$TMP/root" --internal-root "$TMP/intern" --token-file "$TMP/token" \
	--trust-user-header X-Remote-User --allow-origin https://intranet.example \
	--url-map "$TMP/mapped=https://intranet.example/archiv"
BASE=$URL
MAIN=$URL

# get PATH [CURL ARGS...]: body in $TMP/body, headers in $TMP/hdr, status in $code.
get() {
	path=$1; shift
	code=$(curl -s --path-as-is -o "$TMP/body" -D "$TMP/hdr" -w '%{http_code}' "$@" "$BASE$path")
}
expect_code() { # expect_code CODE WHAT
	if [ "$code" = "$1" ]; then ok; else bad "$2: HTTP $code, want $1: $(head -c 300 "$TMP/body")"; fi
}
jqv() { jq -r "$1" "$TMP/body" 2>/dev/null; }
expect_jq() { # expect_jq FILTER VALUE WHAT
	v=$(jqv "$1")
	if [ "$v" = "$2" ]; then ok; else bad "$3: $1 = '$v', want '$2'"; fi
}
AUTH="Authorization: Bearer $TOKEN"

# ---- Basics --------------------------------------------------------------------
get /
expect_code 200 "start page"
expect_grep "$TMP/body" '<html lang="de">' "German page"
expect_grep "$TMP/hdr" "Content-Security-Policy: default-src 'none'; script-src 'self'" "CSP without inline script"
expect_grep "$TMP/hdr" "X-Content-Type-Options: nosniff" "nosniff"
expect_grep "$TMP/body" 'Dokumente</span> im Archiv' "start page lists the archive"
expect_grep "$TMP/body" '<label for="q">' "search box labelled"
if grep -q '<script>' "$TMP/body" || grep -q ' style=' "$TMP/body"; then bad "inline script or style on the page"; else ok; fi

# Keep-alive: a client's next requests go over the same connection (no new TCP connection each).
conns=$(curl -s -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects} ' "$BASE/api/search?q=Kita" "$BASE/?q=Kita" "$BASE/healthz")
if [ "$conns" = "1 0 0 " ]; then ok; else bad "connection not kept alive: new connections per request: $conns"; fi
# A request with a body is answered before the body is read (405), and that connection closed.
code=$(curl -s -o /dev/null -D "$TMP/hdr" -w '%{http_code}' -X POST -d 'q=Kita' "$BASE/api/search")
if [ "$code" = 405 ] && grep -qi '^Connection: close' "$TMP/hdr"; then ok; else bad "POST with a body: HTTP $code, $(cat "$TMP/hdr")"; fi

get /healthz
expect_code 200 healthz
expect_jq .status ok "healthz status"
expect_jq .index true "healthz index readable"
expect_jq .documents $VISIBLE "healthz counts the visible documents"
if jqv .last_index | grep -q '^20'; then ok; else bad "healthz last reindex time: $(cat "$TMP/body")"; fi
get /healthz -H "$AUTH"
expect_jq .documents $((VISIBLE + 1)) "healthz with token counts internal documents too"

get /static/style.css
expect_code 200 "stylesheet"
expect_grep "$TMP/hdr" "Content-Type: text/css" "stylesheet type"
etag=$(sed -n 's/^ETag: *\(.*\)\r$/\1/p' "$TMP/hdr")
get /static/style.css -H "If-None-Match: $etag"
expect_code 304 "stylesheet not modified"
get /static/embed.js
expect_code 200 "embed script"
get /robots.txt
expect_grep "$TMP/body" "Disallow: /" "robots.txt keeps crawlers out"
code=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -I "$BASE")
[ "$code" = "200 0" ] && ok || bad "HEAD /: $code"

# ---- Results, filters, paging ------------------------------------------------------
get '/api/search?q=Sprachkurs'
expect_code 200 "api search"
expect_jq .version 2 "JSON version"
expect_jq .total $SPRACHKURS "anonymous hits"
expect_jq '.hits | length' 10 "page size"
expect_jq .seiten 2 "pages"
expect_jq '.hits[0].url | test("^/dokument/[0-9]+$")' true "hit link"
expect_jq '[.hits[].snippet_html | test("<mark>")] | any' true "highlighted snippets"
get '/api/search?q=Sprachkurs&seite=2'
expect_jq '.hits | length' $((SPRACHKURS - 10)) "second page"
expect_jq .hits[0].rank 11 "second page starts at 11"
get '/api/search?q=Sprachkurs&kreis=Mittelsachsen'
expect_jq .total 7 "district filter"
expect_jq '[.hits[].districts[0]] | unique | join(",")' mittelsachsen "district filter holds"
get '/api/search?q=Sprachkurs&kreis=Mittelsachsen&kreis=Leipzig'
expect_jq .total 13 "two districts are alternatives"
get '/api/search?typ=pressemitteilung'
expect_jq .total 1 "type filter"
get '/api/search?q=Sprachkurs&von=01.03.2018&bis=2018-04-30'
expect_jq .total 2 "date range"
get '/api/search?q=Sprachkurs&kreis=Mittelsachsen&sort=datum&anzahl=3'
expect_jq '[.hits[].date] | join(",")' "2019-05-03,2018-11-15,2018-09-15" "sort by date"
get '/api/facets?q=Sprachkurs'
expect_code 200 "facets"
expect_jq '.hits | length' 0 "facets without hits"
expect_jq '.facets.kreis | map(select(.value=="mittelsachsen"))[0].count' 7 "district count"
expect_jq '.facets.jahr | map(select(.value=="2018"))[0].count' 12 "year counts"

get '/?q=Sprachkurs'
expect_code 200 "page search"
expect_grep "$TMP/body" "<span id=\"trefferzahl\" data-total=\"$SPRACHKURS\">$SPRACHKURS Treffer</span>" "hit count shown"
expect_grep "$TMP/body" 'href="/dokument/' "document links"
expect_grep "$TMP/body" '>Mittelsachsen<' "districts shown by their display name"
expect_grep "$TMP/body" '<mark>Sprachkurs</mark>' "highlighted snippet"
expect_grep "$TMP/body" 'aria-label="Seiten"' "paging"
expect_grep "$TMP/body" 'href="/?q=Sprachkurs&amp;seite=2"' "link to page 2"
expect_grep "$TMP/body" 'data-facet="kreis:mittelsachsen" href="/?q=Sprachkurs&amp;kreis=mittelsachsen"' "district filter link"
expect_grep "$TMP/body" '<span class="lbl">Mittelsachsen</span> <span class="n">7</span>' "district count beside the value"
expect_grep "$TMP/body" 'Treffer pro Jahr' "timeline"
expect_grep "$TMP/body" 'href="/?q=Sprachkurs&amp;von=01.01.2018&amp;bis=31.12.2018"' "timeline filters by year"
get '/?q=Sprachkurs&kreis=mittelsachsen'
expect_grep "$TMP/body" 'data-total="7"' "filtered count"
expect_grep "$TMP/body" 'class="opt on" data-facet="kreis:mittelsachsen" href="/?q=Sprachkurs"' "chosen filter removes itself"
expect_grep "$TMP/body" '<span class="lbl">Leipzig</span> <span class="n">6</span>' "other districts keep their counts"
get '/?q=Sprachkurs&von=2018&bis=2018'
expect_grep "$TMP/body" 'Treffer pro Monat 2018' "timeline by month within a year"
expect_grep "$TMP/body" 'von=01.03.2018&amp;bis=31.03.2018' "month bar filters by month"
get '/?q=Sprachkurs&sort=datum'
expect_grep "$TMP/body" '<time datetime="2018-12-15">15.12.2018</time>' "German dates"
get '/?q=Sprachkurs&sort=datum&seite=2'
expect_grep "$TMP/body" 'aria-current="page" aria-label="Seite 2, aktuelle Seite"' "current page marked"
get '/?q=Sprachkurs+kreis:leipzig+jahr:2018'
expect_code 303 "inline filters become links"
expect_grep "$TMP/hdr" 'Location: /?q=Sprachkurs&kreis=leipzig&von=01.01.2018&bis=31.12.2018' "canonical address"
get '/?q=Sprachkurz'
expect_grep "$TMP/body" 'Meinten Sie' "spelling suggestion"
expect_grep "$TMP/body" 'href="/?q=Sprachkurs"' "suggestion links the corrected query"
get '/?q=Wolkenkratzer&kreis=mittelsachsen'
expect_grep "$TMP/body" 'Keine Treffer für „Wolkenkratzer“' "no-hits message"
expect_grep "$TMP/body" 'Prüfen Sie die Schreibweise' "no-hits advice"
get '/?q=Bildungsberatung&kreis=leipzig'
expect_grep "$TMP/body" 'Ohne den Filter „Landkreis/Stadt“: <a href="/?q=Bildungsberatung">1 Treffer</a>' "no-hits offers dropping a filter"

# ---- Escaping ---------------------------------------------------------------------------
get '/?q=alert'
expect_grep "$TMP/body" '&lt;script&gt;alert(1)&lt;/script&gt;' "title escaped"
expect_no_grep "$TMP/body" '<script>alert' "no script from a title"
get '/?q=Markup'
expect_grep "$TMP/body" '&lt;b&gt;<mark>Markup</mark>&lt;/b&gt;' "snippet escaped, then marked"
get '/api/search?q=alert'
expect_no_grep "$TMP/body" '</script>' "JSON escapes the slash"
expect_jq .hits[0].title '<script>alert(1)</script>' "JSON title intact"
get '/?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'
expect_no_grep "$TMP/body" '<img src=x' "query reflected escaped"
expect_grep "$TMP/body" 'value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' "query in the box escaped"
get "/?q=x&von=%3Cb%3E"
expect_code 400 "bad date with markup"
expect_grep "$TMP/body" '&quot;&lt;b&gt;&quot;' "error message escaped"
expect_no_grep "$TMP/body" '"<b>"' "no markup from an error message"

# ---- Bad requests ----------------------------------------------------------------------------
long=$(printf 'a%.0s' $(seq 501))
for api in '' 'api/search'; do
	for q in 'q=%ff' 'q=a%00b' 'q=%c3%28' "q=$long" 'von=31.02.2019' 'bis=morgen' 'kreis=Atlantis' 'typ=Rezept' \
		'thema=Raumfahrt' 'q=ODER%20Kita' 'q=Schule%20NICHT' 'q=Sprachkurs&seite=99' 'seite=0' 'seite=zwei' \
		'sort=zufall' 'gibts=nicht' 'q=a&q=b' 'von=2019&bis=2018'; do
		get "/$api?$q"
		expect_code 400 "/$api?$(printf '%.40s' "$q")"
		expect_no_grep "$TMP/body" "$TMP" "no server path in the error"
		if [ -n "$api" ]; then
			if jqv .error | grep -q .; then ok; else bad "/$api?$q: no JSON error: $(head -c 200 "$TMP/body")"; fi
		fi
	done
done
get '/api/search?kreis=Atlantis'
expect_jq .error 'unbekannter Landkreis: "Atlantis" (gültig: Chemnitz, Erzgebirgskreis, Mittelsachsen, Vogtlandkreis, Landkreis Zwickau, Dresden, Landkreis Bautzen, Landkreis Görlitz, Landkreis Meißen, Sächsische Schweiz-Osterzgebirge, Leipzig, Landkreis Leipzig, Nordsachsen)' "filter message from the query parser"
get "/api/search?q=$long"
expect_jq .error 'Suchanfrage zu lang (höchstens 500 Zeichen)' "overlong message"
get '/?von=31.02.2019'
expect_grep "$TMP/body" 'ungültiges Datum bei von' "German date message"
expect_grep "$TMP/body" 'role="alert"' "error announced"
get '/?q=Sprachkurs&seite=3'
expect_grep "$TMP/body" 'Seite 3 gibt es nicht' "page past the end"

for m in POST PUT DELETE PATCH; do
	get / -X "$m" -d 'x=1'
	expect_code 405 "$m /"
	expect_grep "$TMP/hdr" 'Allow: GET, HEAD' "$m / names the allowed methods"
done
get /api/search -X POST -d 'q=x'
expect_code 405 "POST /api/search"
expect_jq .status 405 "405 as JSON for the API"
get /dokument/1 -X DELETE
expect_code 405 "DELETE /dokument/1"

for p in /nix /index.html /api/nix /dokument/ /dokument/abc /dokument/0 /dokument/01 /dokument/99999 \
	/dokument/4294967296 /dokument/-1 /dokument/1/ '/dokument/../../../../etc/passwd' \
	'/dokument/%2e%2e/%2e%2e/%2e%2e/etc/passwd' '/dokument/..%2f..%2f..%2fetc%2fpasswd' \
	'/dokument//etc/passwd' "/dokument/$TMP/outside/secret.txt" '/dokument/1%00' '/static/../CMakeLists.txt' \
	'/static/%2e%2e/CMakeLists.txt' /static/nix.css '/../../etc/passwd'; do
	get "$p"
	case $code in 400|404) ok ;; *) bad "$p: HTTP $code" ;; esac
	expect_no_grep "$TMP/body" 'root:x:' "$p reads no system file"
	expect_no_grep "$TMP/body" 'Geheimnis' "$p reads nothing outside the roots"
done
get /api/nix
expect_code 404 "unknown API path"
expect_jq .status 404 "404 as JSON for the API"

# ---- /dokument/ ----------------------------------------------------------------------------------
id_of() { # id_of FILE [CURL ARGS]: docid of the indexed file named FILE
	f=$1; shift
	curl -s "$@" "$BASE/api/search?anzahl=100" | jq -r --arg f "$f" '.hits[] | select(.path | endswith("/" + $f)) | .docid'
}
id=$(id_of protokoll03.md)
get "/dokument/$id"
expect_code 200 "open a document"
if cmp -s "$TMP/body" "$TMP/root/protokoll03.md"; then ok; else bad "document body differs from the file"; fi
expect_grep "$TMP/hdr" 'Content-Type: text/' "content type from libmagic"
expect_grep "$TMP/hdr" 'Content-Security-Policy: sandbox' "documents are sandboxed"
expect_grep "$TMP/hdr" "Content-Disposition: inline; filename*=UTF-8''protokoll03.md" "file name"
id=$(id_of fremd.md)
[ -n "$id" ] && ok || bad "document outside the roots not indexed"
get "/dokument/$id"
expect_code 404 "indexed file outside every --root"
id=$(id_of verweis.txt)
[ -z "$id" ] && ok || bad "a symbolic link out of the root was indexed (issue 13, item 7)"
if [ -n "$id" ]; then
	get "/dokument/$id"
	expect_code 404 "symbolic link out of the root"
	expect_no_grep "$TMP/body" 'Geheimnis' "link target not served"
fi
id=$(id_of austausch.txt)
get "/dokument/$id"
expect_code 404 "file replaced by a link out of the root after indexing"
expect_no_grep "$TMP/body" 'Geheimnis' "replaced file's target not served"
id=$(id_of 'Bericht März.md')
get "/dokument/$id"
expect_code 302 "mapped document redirects"
expect_grep "$TMP/hdr" 'Location: https://intranet.example/archiv/Bericht%20M%C3%A4rz.md' "mapped URL, encoded"

# ---- Internal documents: no channel may show them to anonymous requests ---------------------------
iid=$(id_of geheim.md -H "$AUTH")
[ -n "$iid" ] && ok || bad "internal document not found with the token"
get "/dokument/$iid"
expect_code 404 "internal document anonymous"
get "/dokument/$iid" -H "$AUTH"
expect_code 200 "internal document with the token"
get "/dokument/$iid" -b "tellerrand_token=$TOKEN"
expect_code 200 "internal document with the cookie"
get "/dokument/$iid" -H 'X-Remote-User: anna.beispiel'
expect_code 200 "internal document for a user named by the proxy"
get "/dokument/$iid" -H 'Authorization: Bearer falsch-falsch-falsch-falsch'
expect_code 401 "wrong token"
expect_grep "$TMP/hdr" 'WWW-Authenticate: Bearer' "401 names the scheme"
get "/dokument/$iid" -b 'tellerrand_token=falsch-falsch-falsch-falsch'
expect_code 404 "wrong cookie is anonymous"
# A public document that became a link to an internal file: the real path's visibility counts.
id=$(id_of elternbrief.txt)
get "/dokument/$id"
expect_code 404 "public link to an internal document"
expect_no_grep "$TMP/body" 'Quartalsplanungsrunde' "internal document not served through a public link"
get "/dokument/$id" -H "$AUTH"
expect_code 200 "public link to an internal document, with the token"
id=$(id_of rundbrief.txt)
get "/dokument/$id"
expect_code 404 "public link to an unindexed file of an internal root"
expect_no_grep "$TMP/body" 'Teeküchenschlüssel' "file of an internal root not served through a public link"
get "/dokument/$id" -H "$AUTH"
expect_code 200 "public link to a file of an internal root, with the token"

get '/api/search?q=Quartalsplanungsrunde'
expect_jq .total 0 "internal hit anonymous"
get '/api/search?q=Quartalsplanungsrunde' -H "$AUTH"
expect_jq .total 1 "internal hit with the token"
get '/api/search?q=Sprachkurs'
expect_jq .total $SPRACHKURS "internal document not counted"
expect_jq .documents $VISIBLE "internal documents not in the total"
get '/api/facets?q=Sprachkurs'
expect_jq '[.facets.kreis[].value] | index("vogtlandkreis")' null "district facet"
expect_jq '[.facets.jahr[].value] | index("2011")' null "year facet"
get '/api/facets?q=Sprachkurs' -H "$AUTH"
expect_jq '[.facets.kreis[].value] | index("vogtlandkreis") != null' true "district facet with the token"
get '/api/search?q=Quartalsplanungsrunda'
expect_jq .corrected null "no suggestion of an internal word"
get '/api/search?q=Quartalsplanungsrunda' -H "$AUTH"
expect_jq .corrected Quartalsplanungsrunde "suggestion of an internal word with the token"
get '/api/search?q=JMD'
expect_jq '.also_searched | index("Jugendmigrationsdienst")' null "no thesaurus expansion that only internal documents contain"
get '/?q=JMD'
expect_no_grep "$TMP/body" 'Jugendmigrationsdienst' "page shows no internal-only expansion"
get '/api/search?q=JMD' -H "$AUTH"
expect_jq '.also_searched | index("Jugendmigrationsdienst") != null' true "thesaurus expansion with the token"
get '/api/search?q=Haushaltsentwurf+OR+Sprachkurs'
expect_no_grep "$TMP/body" 'Haushaltsentwurf für' "no internal snippet"
# The page, for queries that would show the internal document if anything leaked.
for q in 'q=Sprachkurs' 'q=Quartalsplanungsrunda' 'q=Quartalsplanungsrunde' 'q=Haushaltsentwurf' \
	'kreis=vogtlandkreis' 'von=2011&bis=2011' 'q=Sprachkurs&von=2011&bis=2011' ''; do
	get "/?$q"
	for leak in Vertrauliche Haushaltsentwurf "/dokument/$iid\"" 'Interne Dokumente' '<span class="l">2011</span>'; do
		case $q in *"$leak"*) continue ;; esac
		expect_no_grep "$TMP/body" "$leak" "page ?$q shows no '$leak'"
	done
	if grep -Eq 'Vogtlandkreis</span> <span class="n">[1-9]|2011: [1-9]|April 2011: [1-9]' "$TMP/body"; then
		bad "page ?$q counts the internal document"
	else
		ok
	fi
	case $q in
	*Quartalsplanungsrunda) expect_no_grep "$TMP/body" 'Quartalsplanungsrunde' "page ?$q suggests no internal word" ;;
	'') expect_grep "$TMP/body" "data-total=\"$VISIBLE\"" "page lists the visible documents only" ;;
	*vogtland*|*2011*|*Quartalsplanungsrunde|*Haushaltsentwurf) expect_grep "$TMP/body" 'data-total="0"' "page ?$q finds nothing" ;;
	esac
done
get '/?q=Haushaltsentwurf' -H 'X-Remote-User: anna.beispiel'
expect_grep "$TMP/body" 'Vertrauliche Quartalsplanungsrunde' "internal hit for a signed-in user"
expect_grep "$TMP/body" '<span class="badge">intern</span>' "internal hit marked"
get '/?q=Sprachkurs' -H 'X-Remote-User: anna.beispiel'
expect_grep "$TMP/body" '<span class="l">2011</span>' "internal year in the timeline"
expect_grep "$TMP/body" 'angemeldet als anna.beispiel' "signed-in user shown"
get '/?q=x' -H 'X-Remote-User: <i>mallory</i>'
expect_grep "$TMP/body" 'angemeldet als &lt;i&gt;mallory&lt;/i&gt;' "user name escaped"

# ---- Roots without a visibility: the index still knows an internal document ------------------------------
start roots --root "$TMP/root" --root "$TMP/intern"
BASE=$URL
get "/dokument/$(id_of elternbrief.txt)"
expect_code 404 "public link to a document indexed as internal, roots given as --root"
expect_no_grep "$TMP/body" 'Quartalsplanungsrunde' "document indexed as internal not served through a link"
BASE=$MAIN

# The link to the internal document goes before the reindex below.
rm "$TMP/root/elternbrief.txt"

# ---- CORS -------------------------------------------------------------------------------------------
get '/api/search?q=Sprachkurs' -H 'Origin: https://intranet.example'
expect_grep "$TMP/hdr" 'Access-Control-Allow-Origin: https://intranet.example' "allowed origin"
get '/api/search?q=Sprachkurs' -H 'Origin: https://evil.example'
expect_no_grep "$TMP/hdr" 'Access-Control-Allow-Origin' "other origin"
get '/?q=Sprachkurs' -H 'Origin: https://intranet.example'
expect_no_grep "$TMP/hdr" 'Access-Control-Allow-Origin' "no CORS on the page"
get /api/search -X OPTIONS -H 'Origin: https://intranet.example' -H 'Access-Control-Request-Method: GET'
expect_code 204 "preflight"
expect_no_grep "$TMP/hdr" 'Access-Control-Allow-Credentials' "never with credentials"

# ---- A reindex is picked up without a restart ------------------------------------------------------------
doc "$TMP/root/neu.md" 'Neues Protokoll Zwiebelturm' 2021-01-05 Mittelsachsen Protokoll 'Zwiebelturm Sprachkurs.'
# Searches keep answering while the indexer commits (a bounded loop beside it).
( i=0; while [ $i -lt 150 ]; do curl -s -o /dev/null -w '%{http_code}\n' "$BASE/?q=Sprachkurs"; i=$((i + 1)); done ) >"$TMP/codes" &
loop=$!
ix "$TMP/root"
for f in 1 2 3 4 5; do doc "$TMP/root/neu$f.md" "Nachtrag $f" 2021-02-0$f Leipzig Protokoll 'Nachtrag Sprachkurs.'; ix "$TMP/root"; done
wait $loop
n=$(grep -c '^200$' "$TMP/codes")
[ "$n" -eq 150 ] && ok || bad "requests during reindexing: $n of 150 answered 200: $(sort "$TMP/codes" | uniq -c | tr '\n' ' ')"
get '/api/search?q=Zwiebelturm'
expect_jq .total 1 "new document found after a reindex"
# ... and so is an index swapped in as a new directory.
mkdir -p "$TMP/swap/root"
doc "$TMP/swap/root/ganz-neu.md" 'Ausgetauschter Index Leuchtturm' 2022-02-02 Dresden Protokoll 'Leuchtturm.'
timeout 120 "$T" index --quiet --db "$TMP/db.neu" "$TMP/swap/root" >/dev/null 2>&1
mv "$DB" "$TMP/db.alt" && mv "$TMP/db.neu" "$DB"
get '/api/search?q=Leuchtturm'
expect_jq .total 1 "swapped index found"
for i in 1 2 3 4 5 6; do curl -s "$BASE/api/search?q=Sprachkurs" >/dev/null; done
get '/api/search?q=Sprachkurs'
expect_jq .total 0 "every worker sees the swapped index"

# ---- A server that trusts no proxy header ------------------------------------------------------------------
mv "$DB" "$TMP/db.neu" && mv "$TMP/db.alt" "$DB"
start plain
BASE=$URL
get '/api/search?q=Quartalsplanungsrunde' -H 'X-Remote-User: anna.beispiel'
expect_jq .total 0 "user header ignored unless trusted"
get '/api/search?q=Quartalsplanungsrunde' -H "$AUTH"
expect_code 200 "token ignored without --token-file"
expect_jq .total 0 "no internal documents without --token-file"
get "/dokument/$(id_of protokoll03.md)"
expect_code 404 "no documents without --root"

# ---- Settings from the configuration file ----------------------------------------------------------------------
# [root] sections count as --root, a root's url as --url-map; [serve] takes the option names.
printf '[serve]\nallow-origin = https://konfig.example\n\n[root %s]\nurl = https://intranet.example/konfig\n\n[root %s]\n\n[root %s]\ninternal = yes\n' \
	"$TMP/mapped" "$TMP/root" "$TMP/intern" >"$TMP/tellerrand.conf"
start conf --config "$TMP/tellerrand.conf"
BASE=$URL
get "/dokument/$(id_of 'Bericht März.md')"
expect_grep "$TMP/hdr" 'Location: https://intranet.example/konfig/Bericht%20M%C3%A4rz.md' "url of a configured root"
get "/dokument/$(id_of protokoll03.md)"
expect_code 200 "document of a configured root"
get "/dokument/$(id_of rundbrief.txt)"
expect_code 404 "public link to a file of a root configured internal"
expect_no_grep "$TMP/body" 'Teeküchenschlüssel' "file of a root configured internal not served through a link"
get '/api/search?q=x' -H 'Origin: https://konfig.example'
expect_grep "$TMP/hdr" 'Access-Control-Allow-Origin: https://konfig.example' "[serve] setting"

# ---- Nested roots, links between roots, file names that are not UTF-8 (issue 13, indexer side) ----
# [root intern] internal = yes listed before its parent [root ablage]: the files of intern belong to
# the more specific root, are indexed once and stay internal; a public link to an internal file
# takes the internal root's visibility; a link out of every root is not followed; a Windows-1252
# name is served by /dokument/ byte for byte.
N=$TMP/nested
mkdir -p "$N/ablage/intern" "$N/draussen"
doc "$N/ablage/intern/plan.md" 'Verschachtelte Haushaltsklausur' 2012-01-01 Zwickau Protokoll 'Haushaltsklausur intern.'
doc "$N/ablage/intern/notiz.md" 'Verschachtelte Personalnotiz' 2012-01-02 Zwickau Protokoll 'Personalnotiz Haushaltsklausur intern.'
doc "$N/ablage/offen.md" 'Verschachtelte Elternbriefe' 2012-01-03 Zwickau Protokoll 'Elternbriefe offen.'
printf 'Geheimnis Draussenwort\n' >"$N/draussen/geheim.txt"
ln -s "$N/draussen/geheim.txt" "$N/ablage/raus.txt"
ln -s "$N/ablage/intern/plan.md" "$N/ablage/oeffentlicher-verweis.md"
printf 'Windows Dateiname Maerzbericht\n' >"$N/ablage/$(printf 'M\344rzbericht.txt')"
printf '[root %s]\ninternal = yes\n\n[root %s]\n' "$N/ablage/intern" "$N/ablage" >"$N/tellerrand.conf"
for run in 1 2 3; do
	expect_exit 0 "nested roots, run $run" -- "$T" index --config "$N/tellerrand.conf" --db "$N/db"
done
printf 'Nachtrag Haushaltsklausur.\n' >>"$N/ablage/intern/notiz.md"
expect_exit 0 "nested roots, changed file" -- "$T" index --config "$N/tellerrand.conf" --db "$N/db"
expect_grep "$TMP/out" "0 neu, 1 geändert" "the changed file read once"
expect_grep "$TMP/out" "enthält 5 Dokumente" "each file indexed once, the link out not at all"
start nested --db "$N/db" --root "$N/ablage" --token-file "$TMP/token"
BASE=$URL
get /healthz
expect_jq .documents 2 "healthz counts only the public documents of nested roots"
get '/api/search?q=Haushaltsklausur'
expect_jq .total 0 "nested internal root: nothing public"
# Every file (kopien=alle): the link is a copy of the file it points to.
get '/api/search?q=Haushaltsklausur&kopien=alle' -H "$AUTH"
expect_jq .total 3 "nested internal root and the link to it, with the token"
get '/api/search?q=Draussenwort' -H "$AUTH"
expect_jq .total 0 "link out of every root not indexed"
get '/api/search?q=Maerzbericht'
expect_jq .total 1 "Windows-1252 name indexed"
expect_jq '.hits[0].url | test("^/dokument/[0-9]+$")' true "Windows-1252 name has a link"
get "$(jqv '.hits[0].url')"
expect_code 200 "Windows-1252 name served by /dokument/"
expect_grep "$TMP/body" "Maerzbericht" "the file's own content"

# ---- The command line ----------------------------------------------------------------------------------------------
expect_exit 0 "help serve" -- "$T" help serve
expect_grep "$TMP/out" "--listen ADR:PORT" "help lists --listen"
expect_grep "$TMP/out" "--token-file DATEI" "help lists --token-file"
expect_exit 2 "bad --listen" -- timeout 10 "$T" serve --db "$DB" --listen nirgendwo
expect_exit 2 "bad --allow-origin" -- timeout 10 "$T" serve --db "$DB" --allow-origin 'https://a.example/pfad'
expect_exit 1 "missing index" -- timeout 10 "$T" serve --db "$TMP/kein-index" --listen 127.0.0.1:0
expect_grep "$TMP/err" "kein Index gefunden" "missing index message"
expect_exit 1 "missing root" -- timeout 10 "$T" serve --db "$DB" --root "$TMP/gibt-es-nicht" --listen 127.0.0.1:0
printf 'kurz\n' >"$TMP/short"
expect_exit 2 "short token" -- timeout 10 "$T" serve --db "$DB" --token-file "$TMP/short" --listen 127.0.0.1:0

finish
