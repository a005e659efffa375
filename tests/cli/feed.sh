# Every search is a feed (issue 19): when a document entered the index is
# kept across changes and --full, `tellerrand query --neu-seit` and neu:
# list what came in since then, newest to the archive first, /feed is valid
# Atom (RFC 4287's schema, checked with xmllint) with the page's visibility
# and the API's messages, and the nightly report lists each saved search's
# new documents.
. "$(dirname "$0")/common.inc"
command -v curl >/dev/null || { echo "curl missing: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
command -v xmllint >/dev/null || { echo "xmllint (libxml2-utils) missing: skipped"; exit 77; }
T=$TELLERRAND
DB=$TMP/db
RNG=$TR_SOURCE_DIR/tests/data/atom/atom.rng
TOKEN=feed-token-0123456789abcdef
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE

doc() { # doc FILE TITLE DATE KREIS BODY
	printf -- '---\ntitle: %s\ndate: %s\nkreis: %s\n---\n%s\n' "$2" "$3" "$4" "$5" >"$1"
}
ix() { timeout 120 "$T" index --quiet --db "$DB" "$@" >/dev/null 2>"$TMP/ix.err" || bad "index $*: $(head -c 300 "$TMP/ix.err")"; }
q() { "$T" query --db "$DB" --color never "$@" >"$TMP/out" 2>"$TMP/err"; }
# titles FILE: the hit titles of a text result, in order, one per line.
titles() { sed -n 's/^[0-9]*\. //p' "$1"; }

mkdir -p "$TMP/root" "$TMP/intern"
# The older document (by its own date) enters the archive last: newest to the archive is not newest by date.
doc "$TMP/root/alt.md" 'DaZ-Konzept Freiberg' 2025-03-01 Mittelsachsen 'Konzept für DaZ-Kurse in Freiberg.'
doc "$TMP/root/leipzig.md" 'DaZ in Leipzig' 2025-04-01 Leipzig 'DaZ-Kurse in der Stadt Leipzig.'
ix "$TMP/root"
sleep 1
SINCE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
doc "$TMP/root/neu.md" 'DaZ-Sprachcafé Mittweida' 2019-05-01 Mittelsachsen 'Ein Sprachcafé für DaZ in Mittweida.'
doc "$TMP/intern/geheim.md" 'Interne DaZ-Haushaltsplanung' 2024-01-01 Mittelsachsen 'DaZ-Haushalt, vertraulich.'
ix "$TMP/root"
ix --internal "$TMP/intern"

# ---- The command line --------------------------------------------------------
q --neu-seit heute DaZ
titles "$TMP/out" >"$TMP/t"
expect_lines "$TMP/t" 4 "--neu-seit heute: everything indexed today"
[ "$(head -1 "$TMP/t")" = 'Interne DaZ-Haushaltsplanung' ] && ok || bad "newest to the archive first: $(cat "$TMP/t")"
[ "$(tail -1 "$TMP/t")" = 'DaZ-Konzept Freiberg' ] || [ "$(tail -1 "$TMP/t")" = 'DaZ in Leipzig' ] && ok || bad "first run last: $(cat "$TMP/t")"
expect_grep "$TMP/out" "Aufgenommen: $(date +%d.%m.%Y)" "the time it entered the archive is shown"

q --neu-seit "$SINCE" DaZ
titles "$TMP/out" >"$TMP/t"
expect_lines "$TMP/t" 2 "--neu-seit TIME: only what came in after it"
expect_no_grep "$TMP/t" 'DaZ-Konzept Freiberg' "--neu-seit TIME: the earlier run is not new"
q DaZ kreis:Mittelsachsen "neu:$SINCE"
titles "$TMP/out" >"$TMP/t"
[ "$(cat "$TMP/t")" = "$(printf 'Interne DaZ-Haushaltsplanung\nDaZ-Sprachcafé Mittweida')" ] && ok || bad "inline neu: with a filter: $(cat "$TMP/t")"
q DaZ neu:7tage --format json
[ "$(jq -r '.hits | length' "$TMP/out")" = 4 ] && ok || bad "neu:7tage: $(head -c 300 "$TMP/out")"
jq -r '.hits[0].added' "$TMP/out" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' && ok || bad "JSON added: $(jq -c '.hits[0].added' "$TMP/out")"
jq -e '.query.neu_seit != null' "$TMP/out" >/dev/null && ok || bad "JSON query.neu_seit"
q --neu-seit 1.1.2099 DaZ
expect_grep "$TMP/out" "Keine Treffer." "--neu-seit in the future finds nothing"
expect_exit 2 "--neu-seit morgen is refused" -- "$T" query --db "$DB" --neu-seit morgen DaZ
expect_grep "$TMP/err" 'ungültige Angabe bei neu-seit: "morgen"' "German message for a bad --neu-seit"
expect_exit 2 "neu:0tage is refused" -- "$T" query --db "$DB" DaZ neu:0tage

# A changed file and a rebuild keep when the file first came in: it is not new again.
printf 'Ergänzt: DaZ auch in Brand-Erbisdorf.\n' >>"$TMP/root/alt.md"
ix "$TMP/root"
q --neu-seit "$SINCE" DaZ
expect_no_grep "$TMP/out" 'DaZ-Konzept Freiberg' "a changed file is not new"
ix --full "$TMP/root"
ix --internal "$TMP/intern"
q --neu-seit "$SINCE" DaZ
titles "$TMP/out" >"$TMP/t"
expect_lines "$TMP/t" 2 "--full keeps when each document came in"
expect_no_grep "$TMP/t" 'DaZ-Konzept Freiberg' "--full: the old file is not new"

# ---- The feed --------------------------------------------------------------------
printf '%s\n' "$TOKEN" >"$TMP/token"
"$T" serve --db "$DB" --listen 127.0.0.1:0 --root "$TMP/root" --internal-root "$TMP/intern" \
	--token-file "$TMP/token" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
i=0
while ! grep -q 'http://' "$TMP/serve.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
BASE=$(sed -n 's|.*\(http://[^ ]*/\).*|\1|p' "$TMP/serve.out")
BASE=${BASE%/}
[ -n "$BASE" ] || { echo "server did not start: $(cat "$TMP/serve.err")"; exit 1; }
get() {
	path=$1; shift
	code=$(curl -s -o "$TMP/body" -D "$TMP/hdr" -w '%{http_code}' "$@" "$BASE$path")
}
expect_code() { if [ "$code" = "$1" ]; then ok; else bad "$2: HTTP $code, want $1: $(head -c 300 "$TMP/body")"; fi; }
valid() { # valid WHAT: the body is Atom by RFC 4287's schema
	if xmllint --noout --relaxng "$RNG" "$TMP/body" 2>"$TMP/xmllint"; then ok; else bad "$1: not valid Atom: $(head -c 400 "$TMP/xmllint")"; fi
}
# The entry titles of the feed in $TMP/body, in order.
entries() { xmllint --xpath '//*[local-name()="entry"]/*[local-name()="title"]/text()' "$TMP/body" 2>/dev/null | sed 's/$/\n/' | sed '/^$/d'; }

get '/feed?q=DaZ&kreis=Mittelsachsen'
expect_code 200 "/feed"
expect_grep "$TMP/hdr" 'application/atom+xml' "/feed: Atom media type"
valid "/feed?q=DaZ&kreis=Mittelsachsen"
entries >"$TMP/t"
[ "$(cat "$TMP/t")" = "$(printf 'DaZ-Sprachcafé Mittweida\nDaZ-Konzept Freiberg')" ] && ok || bad "feed: newest to the archive first, filtered: $(cat "$TMP/t")"
expect_no_grep "$TMP/body" 'Haushaltsplanung' "feed: no internal document without the right"
expect_no_grep "$TMP/body" 'vertraulich' "feed: no internal snippet"
expect_grep "$TMP/body" '<dc:date>2019-05-01</dc:date>' "feed: the document's date"
expect_grep "$TMP/body" 'term="mittelsachsen" label="Mittelsachsen"' "feed: the district"
expect_grep "$TMP/body" 'href="/dokument/' "feed: a link to each document"
expect_grep "$TMP/body" '<link rel="self" type="application/atom+xml" href="/feed?q=DaZ&amp;kreis=mittelsachsen"/>' "feed: self link"
# RFC 4287's Schematron rule: an author for every entry (here the feed's).
expect_grep "$TMP/body" '<author><name>Tellerrand</name></author>' "feed: an author"
first=$(xmllint --xpath 'string(//*[local-name()="entry"][1]/*[local-name()="updated"])' "$TMP/body")
top=$(xmllint --xpath 'string(/*/*[local-name()="updated"])' "$TMP/body")
[ -n "$first" ] && [ "$first" = "$top" ] && ok || bad "feed updated ($top) is its newest entry's ($first)"
ids1=$(xmllint --xpath '//*[local-name()="entry"]/*[local-name()="id"]/text()' "$TMP/body")

get '/feed?q=DaZ&kreis=Mittelsachsen' -H "Authorization: Bearer $TOKEN"
valid "/feed with the token"
entries >"$TMP/t"
[ "$(head -1 "$TMP/t")" = 'Interne DaZ-Haushaltsplanung' ] && ok || bad "feed with the token: the internal document: $(cat "$TMP/t")"
get '/feed?q=DaZ&kreis=Mittelsachsen'
ids2=$(xmllint --xpath '//*[local-name()="entry"]/*[local-name()="id"]/text()' "$TMP/body")
[ "$ids1" = "$ids2" ] && ok || bad "entry ids stay the same between polls"
get "/feed?q=DaZ&neu=$SINCE"
valid "/feed with neu="
entries >"$TMP/t"
expect_lines "$TMP/t" 1 "feed with neu=: only the new public document"
get '/feed?q=Wolkenkratzer'
expect_code 200 "an empty feed"
valid "an empty feed"
get "/feed?q=%22%3C%2Fentry%3E%26%3C%21--"
expect_code 200 "a query with markup"
valid "a query with markup is escaped"
get "/feed?q=Sprachcaf%EF%BF%BE+DaZ"
valid "U+FFFE, valid UTF-8 but no XML character, is replaced"

# Bad parameters: the API's statuses and German messages.
for bad_q in 'kreis=Atlantis' 'foo=1' 'q=%FF' 'neu=morgen' 'q=ODER+Kita' 'von=31.02.2019'; do
	code=$(curl -s -o "$TMP/api" -w '%{http_code}' "$BASE/api/search?$bad_q")
	want=$(jq -r .error "$TMP/api")
	get "/feed?$bad_q"
	expect_code "$(jq -r .status "$TMP/api")" "/feed?$bad_q: the API's status"
	[ "$code" = 400 ] && ok || bad "/api/search?$bad_q: $code"
	want_html=$(printf '%s' "$want" | sed 's/&/\&amp;/g; s/"/\&quot;/g; s/</\&lt;/g; s/>/\&gt;/g')
	expect_grep "$TMP/body" "$want_html" "/feed?$bad_q: the API's message"
done

# The page offers the feed of its search.
get '/?q=DaZ&kreis=Mittelsachsen'
expect_grep "$TMP/body" '<link rel="alternate" type="application/atom+xml" title="Suche abonnieren" href="/feed?q=DaZ&amp;kreis=mittelsachsen">' "page: feed link in the head"
expect_grep "$TMP/body" '>Suche abonnieren</a>' "page: 'Suche abonnieren'"
get '/?q=DaZ+neu:7tage'
expect_code 303 "neu: typed into the box becomes a parameter"
expect_grep "$TMP/hdr" 'Location: /?q=DaZ&neu=7tage' "redirect keeps neu"
get '/?q=DaZ&neu=7tage'
expect_grep "$TMP/body" 'Neu im Archiv seit: 7tage' "page: the neu filter as a chip"
expect_grep "$TMP/body" 'href="/feed?q=DaZ&amp;neu=7tage"' "page: the feed link keeps neu"

# ---- Saved searches in the nightly report ------------------------------------------
cat >"$TMP/conf" <<EOF
db = $DB
[root $TMP/root]
[suche DaZ in Mittelsachsen]
q = DaZ
kreis = Mittelsachsen
[suche Intern]
q = Haushalt
intern = ja
EOF
printf -- '---\ntitle: DaZ-Elternabend Döbeln\nkreis: Mittelsachsen\n---\nDaZ für Eltern.\n' >"$TMP/root/elternabend.md"
printf -- '---\ntitle: DaZ in Dresden\nkreis: Dresden\n---\nDaZ in Dresden.\n' >"$TMP/root/dresden.md"
expect_exit 0 "index with saved searches" -- "$T" index --quiet --config "$TMP/conf" --report "$TMP/rep.json"
[ "$(jq -c '[.searches[0].name, .searches[0].new, [.searches[0].documents[].title]]' "$TMP/rep.json")" = \
  '["DaZ in Mittelsachsen",1,["DaZ-Elternabend Döbeln"]]' ] && ok || bad "report: the new document of the saved search: $(jq -c .searches "$TMP/rep.json")"
[ "$(jq -c '.searches[1].new' "$TMP/rep.json")" = 0 ] && ok || bad "report: nothing new for the second search"
expect_exit 0 "the next run" -- "$T" index --quiet --config "$TMP/conf" --report "$TMP/rep.json"
[ "$(jq -c '.searches[0].new' "$TMP/rep.json")" = 0 ] && ok || bad "report: nothing new in a run without changes"
printf '[suche Kaputt]\nkreis = Atlantis\n' >>"$TMP/conf"
expect_exit 2 "a bad saved search stops the run before it starts" -- "$T" index --quiet --config "$TMP/conf" --report "$TMP/rep.json"
expect_grep "$TMP/err" '[suche Kaputt]: unbekannter Landkreis: "Atlantis"' "the bad saved search is named"

finish
