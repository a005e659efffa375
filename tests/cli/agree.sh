# The command line, the API and the search page print one search's result:
# for every case of tests/queries.txt they must show the same number of
# matches, the same files and the same facet counts (issue 17: "the page,
# the API and the CLI print that result and run no searches of their own").
# The server gets the access key, so it sees the internal documents the
# command line shows.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
command -v curl >/dev/null || { echo "curl missing: skipped"; exit 77; }
DB=$TMP/db
"$TELLERRAND" index --quiet --db "$DB" "$TR_SOURCE_DIR/corpus" >/dev/null || { echo "indexing failed"; exit 1; }
token=agree-test-token-0123456789
printf '%s\n' "$token" >"$TMP/token"
"$TELLERRAND" serve --db "$DB" --listen 127.0.0.1:0 --token-file "$TMP/token" >"$TMP/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT
url=$(serve_url "$TMP/serve.log")
[ -n "$url" ] || { echo "server did not start: $(cat "$TMP/serve.log")"; exit 1; }

# The request parameters for the command-line words "$@": the query text
# joined into q, each filter option as the page's parameter.
to_params() {
	q="" params=""
	while [ $# -gt 0 ]; do
		case $1 in
		--kreis|--typ|--thema|--von|--bis)
			params="$params&${1#--}=$(jq -rn --arg v "$2" '$v|@uri')"; shift ;;
		--jahr)
			from=${2%%..*} to=${2##*..}
			params="$params&von=$from&bis=$to"; shift ;;
		--*) return 1 ;;     # an option the page has no parameter for
		*) q="${q:+$q }$1" ;;
		esac
		shift
	done
	printf 'q=%s%s' "$(jq -rn --arg v "$q" '$v|@uri')" "$params"
}

# Facet counts as sorted "kind:value=count" lines.
facet_lines() {
	jq -r '.facets | to_entries[] | .key as $k | .value[] | "\($k):\(.value)=\(.count)"' "$1" | sort
}

check_case() {
	name=$1
	eval "set -- $2"
	"$TELLERRAND" query --db "$DB" --format json "$@" >"$TMP/cli.json" 2>"$TMP/err" || { bad "$name: query failed: $(cat "$TMP/err")"; return; }
	params=$(to_params "$@") || return 0
	curl -s -H "Authorization: Bearer $token" "$url/api/search?$params" >"$TMP/api.json"
	curl -s -L -H "Authorization: Bearer $token" "$url/?$params" >"$TMP/page.html"
	for field in total files documents; do
		c=$(jq -r ".$field" "$TMP/cli.json") a=$(jq -r ".$field" "$TMP/api.json")
		[ "$c" = "$a" ] && ok || bad "$name: $field $c on the command line, $a in the API"
	done
	facet_lines "$TMP/cli.json" >"$TMP/cli.facets"
	facet_lines "$TMP/api.json" >"$TMP/api.facets"
	cmp -s "$TMP/cli.facets" "$TMP/api.facets" && ok ||
		bad "$name: facets differ: $(diff "$TMP/cli.facets" "$TMP/api.facets" | grep '^[<>]' | head -n 4 | tr '\n' ';')"
	# The page: its count, and every facet option it offers with the API's
	# count.  A kind the request filters by (an option marked "on", inline
	# filters included, which the page turns into parameters) offers the
	# count each value would give if chosen instead, so it is left out.
	total=$(jq -r .total "$TMP/api.json")
	if [ "$total" -gt 0 ]; then
		expect_grep "$TMP/page.html" "data-total=\"$total\"" "$name: page count"
	fi
	filtered=$(sed -n 's|.*class="opt on" data-facet="\([a-z]*\):.*|\1|p' "$TMP/page.html" | sort -u | tr '\n' '|')
	sed -n 's|.*data-facet="\([^"]*\)".*<span class="n">\([0-9]*\)</span>.*|\1=\2|p' "$TMP/page.html" |
		grep -Ev "^(${filtered%|}):" | sort >"$TMP/page.facets"
	extra=$(comm -23 "$TMP/page.facets" "$TMP/api.facets" | head -n 3 | tr '\n' ';')
	[ -z "$extra" ] && ok || bad "$name: the page offers counts the API does not give: $extra"
}

while IFS= read -r line; do
	case $line in '#'*|'') continue ;; esac
	name=$(printf '%s' "$line" | cut -d'|' -f1 | sed 's/ *$//')
	check_case "$name" "$(printf '%s' "$line" | cut -d'|' -f2)"
done <"$TR_SOURCE_DIR/tests/queries.txt"

finish
