# tellerrand serve under hostile requests (issue 13): control characters in
# the request line, query strings with hundreds of parameters, slow
# connections, wildcard and expansion bombs, a corrupt index.  Servers
# listen on 127.0.0.1 only; every load here is bounded in count and time.
. "$(dirname "$0")/common.inc"
command -v curl >/dev/null || { echo "curl missing: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
DB=$TMP/db
SERVERS=""
trap 'for p in $SERVERS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE

mkdir -p "$TMP/root"
for i in 1 2 3 4 5 6; do
	printf 'Protokoll %s\n\nDer Sprachkurs für Neuzugewanderte tagte. Themen: Kita, Schule, Ausbildung.\n' "$i" \
		>"$TMP/root/protokoll$i.txt"
done
# Enough documents for their records to fill several blocks of docdata.glass (item 11).
mkdir -p "$TMP/root/berichte"
i=0
while [ $i -lt 48 ]; do
	printf 'Bericht %s\n\nDas Netzwerktreffen Nummer %s besprach Sprachkurse, Kitaplätze, Schulanmeldungen, Ausbildung und Beratung für neu zugewanderte Familien im Landkreis. Die Koordinatorinnen berichteten über Elternabende, Dolmetscherdienste, Lernpatenschaften und die Zusammenarbeit mit Schulen und Kammern.\n' $i $i \
		>"$TMP/root/berichte/bericht$i.txt"
	i=$((i + 1))
done
# 1,500 words starting with "s", so that "s*" stands for the most a wildcard may (1,000).
i=0
while [ $i -lt 1500 ]; do printf 'st%04d ' $i; i=$((i + 1)); done >"$TMP/root/woerter.txt"
timeout 120 "$T" index --quiet --db "$DB" "$TMP/root" >/dev/null 2>"$TMP/ix.err" || bad "index: $(head -c 300 "$TMP/ix.err")"

# start NAME ARGS...: starts a server on a free port; its base URL is in $BASE.
start() {
	name=$1; shift
	"$T" serve --db "$DB" --listen 127.0.0.1:0 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	SERVERS="$SERVERS $!"
	BASE=$(serve_url "$TMP/$name.out")
	[ -n "$BASE" ] || { echo "server $name did not start: $(cat "$TMP/$name.err")"; exit 1; }
}
# get PATH [CURL ARGS...]: body in $TMP/body, status in $code; at most 10 s.
get() {
	path=$1; shift
	code=$(curl -s -m 10 --path-as-is -o "$TMP/body" -w '%{http_code}' "$@" "$BASE$path")
}
expect_code() { # expect_code CODE WHAT
	if [ "$code" = "$1" ]; then ok; else bad "$2: HTTP $code, want $1: $(head -c 300 "$TMP/body")"; fi
}
jqv() { jq -r "$1" "$TMP/body" 2>/dev/null; }

start main -v

# ---- Item 13: the request log under -v shows control characters escaped ------------------
ESC=$(printf '\033')
get '/%1b%5b31mrot%0aGET%20/gefaelscht%c2%9b'
expect_code 404 "path with control characters"
curl -s -m 10 -o /dev/null -X "$(printf 'G\033[2JET')" "$BASE/"
sleep 0.2
if grep -q "$ESC" "$TMP/main.err"; then bad "ESC reached the server log raw: $(cat -v "$TMP/main.err" | tail -3)"; else ok; fi
if grep -q '^GET /gefaelscht' "$TMP/main.err"; then bad "a line break in the path forged a log line"; else ok; fi
expect_grep "$TMP/main.err" 'GET /\x1b[31mrot\nGET /gefaelscht\u009b 404' "path logged with escapes, on one line"
expect_grep "$TMP/main.err" 'G\x1b[2JET / 405' "method logged with escapes"

# ---- Item 10: hundreds of parameters are answered at once ---------------------------------
many=""
i=0
while [ $i -lt 500 ]; do many="$many&kreis=landkreis-$i"; i=$((i + 1)); done
get "/api/search?q=Kita$many"
expect_code 400 "500 parameters (API)"
if jqv .error | grep -q 'zu viele Parameter'; then ok; else bad "500 parameters: message $(head -c 200 "$TMP/body")"; fi
get "/?q=Kita$many"
expect_code 400 "500 parameters (page)"
expect_grep "$TMP/body" 'zu viele Parameter' "500 parameters: German message on the page"
amp=$(printf '%03000d' 0 | tr 0 '&')
get "/?q=Kita$amp"
expect_code 400 "3000 empty parameters"
get '/api/search?q=Kita&kreis=dresden&kreis=leipzig&typ=protokoll'
expect_code 200 "a request with a few parameters still works"

# ---- Item 8: wildcard bombs are refused, ordinary wildcards work -------------------------------
bomb=$(i=0; while [ $i -lt 60 ]; do printf 's*+'; i=$((i + 1)); done)
get "/api/search?q=$bomb"
expect_code 400 "60 times s* (API)"
if jqv .error | grep -q '^Suchanfrage zu umfangreich'; then ok; else bad "wildcard bomb: message $(head -c 200 "$TMP/body")"; fi
get "/?q=$bomb"
expect_code 400 "60 times s* (page)"
expect_grep "$TMP/body" 'Suchanfrage zu umfangreich' "wildcard bomb: German message on the page"
# Four wildcards of 1,000 words each fill the limit (4,000); a word with its forms and
# thesaurus expressions on top goes past it.
get '/api/search?q=s*+s*+s*+s*'
expect_code 200 "four wildcards, at the limit"
get '/api/search?q=s*+s*+s*+s*+Kita'
expect_code 400 "four wildcards and a widened word, past the limit"
get '/api/search?q=st00*'
expect_code 200 "an ordinary wildcard"
if [ "$(jqv .total)" = 1 ]; then ok; else bad "st00*: total $(jqv .total), want 1"; fi
get '/api/search?q=s*'
expect_code 200 "one broad wildcard"
# Two wildcards in one query crashed the whole server (Xapian 1.4.22's OP_MAX).
get '/api/search?q=s*+k*'
expect_code 200 "two wildcards"
get '/api/search?q=s*+OR+k*'
expect_code 200 "two wildcards with OR"
get /healthz
expect_code 200 "server alive after the wildcard requests"
# The command line refuses the same query with the same message, exit 2.
expect_exit 2 "wildcard bomb on the command line" -- "$T" query --db "$DB" -- "$(echo "$bomb" | tr + ' ')"
expect_grep "$TMP/err" 'tellerrand query: Suchanfrage zu umfangreich' "command line: German message"
expect_exit 0 "two wildcards on the command line" -- "$T" query --db "$DB" -- 's* k*'

# ---- Item 9: slow connections do not starve ordinary requests -------------------------------
SLOW=$(dirname "$T")/tests/slow_clients
port() { echo "${BASE##*:}"; }
if [ ! -x "$SLOW" ]; then
	bad "helper $SLOW missing"
else
	# 400 connections that send a header byte a second and never finish, from 127.0.0.1.
	start deadline --header-timeout 2 --max-connections-per-ip 0
	"$SLOW" "$(port)" 400 7 >"$TMP/slow" &
	slow=$!
	sleep 1.5
	get '/api/search?q=Kita'
	expect_code 200 "an ordinary search beside 400 slow connections"
	wait $slow
	read -r result <"$TMP/slow"
	case $result in
	*" open=0 "*) ok ;;
	*) bad "slow connections not closed after --header-timeout: $result" ;;
	esac
	expect_grep "$TMP/deadline.err" '(--header-timeout)' "closing slow connections is logged"
	# With the default per-address limit, another address is served while one holds 400.
	if curl -s -m 5 --interface 127.0.0.2 -o /dev/null "$BASE/healthz"; then
		start perip --max-connections-per-ip 100
		"$SLOW" "$(port)" 400 4 >"$TMP/slow" &
		slow=$!
		sleep 1.5
		get '/api/search?q=Kita' --interface 127.0.0.2
		expect_code 200 "an ordinary search from another address beside 400 slow connections"
		wait $slow
		read -r result <"$TMP/slow"
		case $result in
		*" refused=0 "*) bad "no connection refused by --max-connections-per-ip 100: $result" ;;
		*) ok ;;
		esac
	else
		echo "127.0.0.2 not usable: per-address limit not checked"
	fi
	expect_exit 2 "bad --header-timeout" -- timeout 10 "$T" serve --db "$DB" --header-timeout 0
fi

# ---- Item 11: a damaged index: /healthz searches, and every message names the fix ---------------
# Zero one block of the document records at a time until one breaks every search but
# not counting documents (what /healthz used to check).
n=$(($(stat -c %s "$DB/docdata.glass") / 8192))
b=0
found=""
while [ $b -lt "$n" ] && [ -z "$found" ]; do
	rm -rf "$TMP/kaputt"
	cp -r "$DB" "$TMP/kaputt"
	dd if=/dev/zero of="$TMP/kaputt/docdata.glass" bs=8192 seek=$b count=1 conv=notrunc 2>/dev/null
	if "$T" status --db "$TMP/kaputt" >/dev/null 2>&1 && ! "$T" query --db "$TMP/kaputt" '' >/dev/null 2>&1; then
		found=$b
	fi
	b=$((b + 1))
done
if [ -z "$found" ]; then
	bad "no block of docdata.glass ($n blocks) breaks searches alone"
else
	start kaputt --db "$TMP/kaputt"
	get /healthz
	expect_code 503 "healthz on an index whose searches fail"
	if jqv .error | grep -q 'beschädigt.*tellerrand index --full'; then ok; else bad "healthz reason: $(head -c 300 "$TMP/body")"; fi
	get '/api/search?q=Kita'
	expect_code 503 "search on a damaged index"
	if jqv .error | grep -q 'tellerrand index --full'; then ok; else bad "search on a damaged index: $(head -c 300 "$TMP/body")"; fi
	expect_exit 1 "query on a damaged index" -- "$T" query --db "$TMP/kaputt" ''
	expect_grep "$TMP/err" 'tellerrand query: Der Suchindex ist beschädigt und muss neu aufgebaut werden: tellerrand index --full' "query: German message with the fix"
fi
# A truncated table fails when the index is opened.
rm -rf "$TMP/kaputt"
cp -r "$DB" "$TMP/kaputt"
truncate -s 8192 "$TMP/kaputt/postlist.glass"
expect_exit 1 "query on a truncated index" -- "$T" query --db "$TMP/kaputt" Kita
expect_grep "$TMP/err" 'Der Suchindex ist beschädigt und muss neu aufgebaut werden: tellerrand index --full' "truncated: German message with the fix"
expect_exit 1 "status on a truncated index" -- "$T" status --db "$TMP/kaputt"
expect_grep "$TMP/err" 'tellerrand status: Der Suchindex ist beschädigt' "status: German message"

finish
