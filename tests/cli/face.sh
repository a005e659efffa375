# One German face (issue 21): the command line, the API, the page and the
# status report show the same display names, say the same German sentence
# about the same bad query, read a leading "-" as a word, close an unclosed
# quote and say so, offer only sensible spelling suggestions, and create
# the folders above a new index.  A server on 127.0.0.1 only.
. "$(dirname "$0")/common.inc"
command -v curl >/dev/null || { echo "curl missing: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
DB=$TMP/db
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE

# ---- Fixtures: every kind of district name, a Präsentation, topics ------------------
mkdir -p "$TMP/archiv"
doc() { # doc FILE TITLE DATE KREIS TYP BODY
	printf -- '---\ntitle: %s\ndate: %s\nkreis: %s\ntyp: %s\n---\n%s\n' "$2" "$3" "$4" "$5" "$6" >"$TMP/archiv/$1"
}
doc a.md 'Sprachkurs Meißen' 2019-03-01 Meißen Protokoll 'Der Sprachkurs für Neuzugewanderte und die Schule. Sprachförderung und Kita für all die Familien.'
doc b.md 'Sprachkurs Dresden' 2019-04-01 Dresden Präsentation 'Folien zum Sprachkurs: Schule, Ausbildung, all das.'
doc c.md 'Sprachkurs Pirna' 2020-05-01 'Sächsische Schweiz-Osterzgebirge' Pressemitteilung 'Der Sprachkurs beginnt. Schule und Elternarbeit, all inclusive.'
doc d.md 'Sprachkurs Leipzig' 2021-06-01 'Stadt Leipzig' Sonstiges 'Sprachkurs und Schule in der Stadt, all all all.'
doc e.md 'Sprachkurs Borna' 2021-07-01 'Landkreis Leipzig' Protokoll 'Sprachkurs im Landkreis. Schule und Integration.'
doc f.md 'Sprachkurs Freiberg' 2022-08-01 Mittelsachsen Protokoll 'Ein Sprachkurs. Migration und Schule.'
expect_exit 0 "index" -- $T index --quiet --db "$DB" "$TMP/archiv"

# ---- The server ------------------------------------------------------------------------
"$T" serve --db "$DB" --listen 127.0.0.1:0 --root "$TMP/archiv" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
URL=$(serve_url "$TMP/serve.out")
[ -n "$URL" ] || { echo "server did not start: $(cat "$TMP/serve.err")"; exit 1; }
case $URL in http://127.0.0.1:*) ok ;; *) bad "server not on loopback: $URL" ;; esac

# get PATH: body in $TMP/body, status in $code.
get() { code=$(curl -s --path-as-is -o "$TMP/body" -w '%{http_code}' "$URL$1"); }
# Every byte percent-encoded, so that invalid UTF-8 reaches the server as it is.
urlenc() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/%\1/g'; }
# The page's text as people read it: no tags, no attributes.
page_text() { sed -e 's/<[^>]*>/ /g' "$TMP/body"; }

# ---- Display names: no internal key where a name belongs -------------------------------
# Keys from the data files that differ from their names, and the type keys.
keys=$( (grep -v '^#' "$TR_SOURCE_DIR/data/districts.tsv" | tail -n +2 | cut -f1
         grep -v '^#' "$TR_SOURCE_DIR/data/topics.tsv" | cut -f1
         printf '%s\n' pressemitteilung protokoll praesentation sonstiges unbekannt) | sort -u)
no_keys() { # no_keys FILE WHAT
	found=""
	for k in $keys; do
		grep -qw -- "$k" "$1" && found="$found $k"
	done
	if [ -z "$found" ]; then ok; else bad "$2 shows internal keys:$found: $(head -c 300 "$1")"; fi
}
expect_exit 0 "status" -- $T status --db "$DB"
grep -v -e '^Index:' -e '^Ordner:' "$TMP/out" >"$TMP/status.txt"
no_keys "$TMP/status.txt" "status"
expect_grep "$TMP/status.txt" "Präsentation (1)" "status names the type"
expect_grep "$TMP/status.txt" "Landkreis Meißen (1)" "status names the district"
expect_grep "$TMP/status.txt" "Sächsische Schweiz-Osterzgebirge (1)" "status uses the short form"

expect_exit 0 "query text" -- $T query --db "$DB" --color never Sprachkurs
grep -v '^   Datei:' "$TMP/out" >"$TMP/query.txt"
no_keys "$TMP/query.txt" "query text"
expect_exit 0 "query json" -- $T query --db "$DB" --format json Sprachkurs
jq -r '.hits[] | (.district_names[], .type_label, .topic_labels[])' "$TMP/out" >"$TMP/labels.txt"
jq -r '.facets[][] | .label' "$TMP/out" >>"$TMP/labels.txt"
no_keys "$TMP/labels.txt" "JSON labels"
get '/?q=Sprachkurs'
page_text >"$TMP/page.txt"
no_keys "$TMP/page.txt" "page"
get '/api/search?q=Sprachkurs'
jq -r '.hits[] | (.district_names[], .type_label, .topic_labels[])' "$TMP/body" >"$TMP/api.txt"
jq -r '.facets[][] | .label' "$TMP/body" >>"$TMP/api.txt"
no_keys "$TMP/api.txt" "API labels"

# ---- One display form per district, everywhere ------------------------------------------
for f in status.txt query.txt labels.txt page.txt api.txt; do
	expect_grep "$TMP/$f" "Dresden" "$f names Dresden"
	expect_no_grep "$TMP/$f" "Landeshauptstadt Dresden" "$f: one form for Dresden"
	expect_no_grep "$TMP/$f" "Landkreis Mittelsachsen" "$f: one form for Mittelsachsen"
	expect_no_grep "$TMP/$f" "Stadt Leipzig" "$f: one form for Leipzig"
	expect_grep "$TMP/$f" "Landkreis Leipzig" "$f keeps the two Leipzigs apart"
done
# The hits and the facet line of the text output name a district alike.
[ "$(grep -c 'Mittelsachsen' "$TMP/query.txt")" -ge 2 ] && ok || bad "text: hit and facet line name Mittelsachsen alike"

# ---- The same bad queries to the command line and the server ----------------------------
# outcome (exit code, HTTP status) and message must agree; printf escapes in the query.
while IFS='	' read -r want http fmt; do
	q=$(printf "$fmt")
	$T query --db "$DB" --limit 1 -- "$q" >"$TMP/out" 2>"$TMP/err"
	got=$?
	[ "$got" -eq "$want" ] && ok || bad "CLI '$fmt': exit $got, want $want: $(cat "$TMP/err")"
	msg=$(sed -n 's/^tellerrand query: //p' "$TMP/err")
	get "/api/search?q=$(urlenc "$q")"
	[ "$code" = "$http" ] && ok || bad "API '$fmt': HTTP $code, want $http: $(head -c 200 "$TMP/body")"
	if [ "$want" -ne 0 ]; then
		[ -n "$msg" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && ok || bad "CLI '$fmt': one-line message: $(cat "$TMP/err")"
		[ "$(jq -r .error "$TMP/body")" = "$msg" ] && ok ||
			bad "API '$fmt': '$(jq -r .error "$TMP/body")', CLI said '$msg'"
		get "/?q=$(urlenc "$q")"
		[ "$code" = "$http" ] && ok || bad "page '$fmt': HTTP $code, want $http"
		sed -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' "$TMP/body" >"$TMP/page.msg"
		expect_grep "$TMP/page.msg" "$msg" "page '$fmt' says what the CLI says"
	fi
done <<'EOF_QUERIES'
2	400	AND NOT windows
2	400	gordian NOT
2	400	gordian AND NOT
2	400	OR foo
2	400	XOR
2	400	foo OR (something AND)
2	400	Schule ODER
2	400	NICHT
2	400	foo NOT NOT bar
2	400	Schule NOT -Kita
2	400	hard\240space
2	400	Schule\001Kita
2	400	Schule\177
2	400	kreis:Atlantis Schule
0	200	Schule\tKita
0	200	Schule\r\nKita
0	200	Schule NICHT Leipzig
0	200	NOT Leipzig
0	200	"nachholende Schulbildung
EOF_QUERIES
get "/api/search?q=Sprachkurs%0D%0AKita"
[ "$(jq .total "$TMP/body")" -ge 1 ] && ok || bad "a query with a line break searches both words"

# ---- An unclosed quote or bracket: closed, and said -------------------------------------
expect_exit 0 "unclosed quote" -- $T query --db "$DB" '"Sprachkurs für'
expect_grep "$TMP/out" 'Hinweis: Anführungszeichen ergänzt, gesucht wird: "Sprachkurs für"' "CLI says the quote was closed"
expect_grep "$TMP/out" "Treffer." "the phrase is searched"
get "/api/search?q=$(urlenc '"Sprachkurs für')"
[ "$(jq -r .notice "$TMP/body")" = 'Anführungszeichen ergänzt, gesucht wird: "Sprachkurs für"' ] && ok ||
	bad "API notice: $(jq -r .notice "$TMP/body")"
get "/?q=$(urlenc '(Schule ODER Kita')"
expect_grep "$TMP/body" "Hinweis: Klammer ergänzt, gesucht wird: (Schule ODER Kita)" "page says the bracket was closed"
expect_exit 0 "stray bracket" -- $T query --db "$DB" 'Schule)'
expect_grep "$TMP/out" "Klammer ohne öffnende Klammer weggelassen" "stray bracket said"

# ---- A leading "-" is a word to leave out ------------------------------------------------
expect_exit 0 "leading -word" -- $T query --db "$DB" --format json -Leipzig Sprachkurs
[ "$(jq '.total' "$TMP/out")" -eq 5 ] && ok || bad "-Leipzig Sprachkurs: $(jq -c '[.hits[].title]' "$TMP/out")"
expect_no_grep "$TMP/out" '"Sprachkurs Leipzig"' "-Leipzig leaves Leipzig out"
expect_exit 0 "leading -word after --" -- $T query --db "$DB" --format json -- -Leipzig Sprachkurs
[ "$(jq '.total' "$TMP/out")" -eq 5 ] && ok || bad "-- -Leipzig Sprachkurs: $(jq '.total' "$TMP/out")"
expect_exit 0 "leading -number" -- $T query --db "$DB" -5..7
expect_exit 0 "options still work after a -word" -- $T query --db "$DB" -Leipzig Sprachkurs --limit 1 --format json
[ "$(jq '.hits | length' "$TMP/out")" -eq 1 ] && ok || bad "--limit after a -word"
expect_exit 2 "a misspelt long option is still an error" -- $T query --db "$DB" --kries Meißen
expect_grep "$TMP/err" "unbekannte Option: --kries" "misspelt option named"

# ---- Spelling suggestions ---------------------------------------------------------------
# "all" is frequent in the archive and two edits from "Asyl": no suggestion.
expect_exit 0 "Asyl" -- $T query --db "$DB" Asyl
expect_no_grep "$TMP/out" "Meinten Sie" "no suggestion two edits from a four-letter word"
expect_exit 0 "Shcule" -- $T query --db "$DB" Shcule
expect_grep "$TMP/out" "Meinten Sie: Schule" "a swap in a six-letter word is corrected, in the case typed"
expect_exit 0 "shcule" -- $T query --db "$DB" shcule
expect_grep "$TMP/out" "Meinten Sie: schule" "a word typed in lower case is corrected in lower case"
expect_exit 0 "SHCULE" -- $T query --db "$DB" SHCULE
expect_grep "$TMP/out" "Meinten Sie: SCHULE" "a word typed in capitals is corrected in capitals"
expect_exit 0 "Kchule" -- $T query --db "$DB" Kchule
expect_no_grep "$TMP/out" "Meinten Sie" "no suggestion with another first letter"
get "/api/search?q=Asyl"
[ "$(jq -r .corrected "$TMP/body")" = null ] && ok || bad "API suggests $(jq -r .corrected "$TMP/body") for Asyl"
get "/api/search?q=Shcule"
[ "$(jq -r .corrected "$TMP/body")" = Schule ] && ok || bad "API suggestion for Shcule: $(jq -r .corrected "$TMP/body")"

# ---- index --db into a folder that does not exist yet -----------------------------------
expect_exit 0 "index into new folders" -- $T index --quiet --db "$TMP/neu/a/b/db" "$TMP/archiv"
[ -d "$TMP/neu/a/b/db" ] && ok || bad "index not created under new folders"
expect_exit 0 "the new index answers" -- $T query --db "$TMP/neu/a/b/db" Sprachkurs
: >"$TMP/datei"
expect_exit 1 "a file where a folder should be" -- $T index --quiet --db "$TMP/datei/x/db" "$TMP/archiv"
expect_grep "$TMP/err" "Ordner für den Index lässt sich nicht anlegen: $TMP/datei/x" "the missing folder named"
expect_lines "$TMP/err" 1 "one line"

finish
