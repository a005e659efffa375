# Indexes corpus/ into a fresh index and checks every case of
# tests/queries.txt by the documents it must and must not return.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
DB=$TMP/db
"$TELLERRAND" index --quiet --db "$DB" "$TR_SOURCE_DIR/corpus" >/dev/null || { echo "indexing failed"; exit 1; }

# Each case: NAME | ARGUMENTS (shell words) | EXPECTATIONS (space-separated):
#   first=SUBSTR  the first hit's path (below corpus/) contains SUBSTR
#   has=SUBSTR    some hit's path contains SUBSTR
#   not=SUBSTR    no hit's path contains SUBSTR
#   only=SUBSTR   every hit's path contains SUBSTR
#   count=N, min=N, max=N   on the number of matches ("total")
#   date=ISO      the first hit's date;  kreis=KEYS  the first hit's districts (comma-joined)
#   newest        hits are sorted by date, newest first
#   corrected=SUBSTR  the "Meinten Sie" suggestion contains SUBSTR
# A "~" in SUBSTR stands for a space.
check_case() {
	name=$1 args=$2 expects=$3
	eval "set -- $args"
	if ! "$TELLERRAND" query --db "$DB" --limit 200 --format json "$@" >"$TMP/res.json" 2>"$TMP/err"; then
		bad "$name: query failed: $(cat "$TMP/err")"
		return
	fi
	jq -r '.hits[].path | sub("^.*?/corpus/"; "")' "$TMP/res.json" >"$TMP/paths"
	total=$(jq -r .total "$TMP/res.json")
	for e in $expects; do
		key=${e%%=*}
		val=$(printf '%s' "${e#*=}" | tr '~' ' ')
		case $key in
		first) head -n 1 "$TMP/paths" | grep -qF -- "$val" && ok || bad "$name: first hit is '$(head -n 1 "$TMP/paths")', want *$val*" ;;
		has) grep -qF -- "$val" "$TMP/paths" && ok || bad "$name: no hit *$val* in: $(tr '\n' ';' <"$TMP/paths")" ;;
		not) grep -qF -- "$val" "$TMP/paths" && bad "$name: unexpected hit *$val*" || ok ;;
		only) [ "$(grep -cvF -- "$val" "$TMP/paths")" -eq 0 ] && ok || bad "$name: hits not *$val*: $(grep -vF -- "$val" "$TMP/paths" | tr '\n' ';')" ;;
		count) [ "$total" -eq "$val" ] && ok || bad "$name: $total matches, want $val" ;;
		min) [ "$total" -ge "$val" ] && ok || bad "$name: $total matches, want at least $val" ;;
		max) [ "$total" -le "$val" ] && ok || bad "$name: $total matches, want at most $val" ;;
		date) d=$(jq -r '.hits[0].date' "$TMP/res.json"); [ "$d" = "$val" ] && ok || bad "$name: first date $d, want $val" ;;
		kreis) k=$(jq -r '.hits[0].districts | join(",")' "$TMP/res.json"); [ "$k" = "$val" ] && ok || bad "$name: first districts $k, want $val" ;;
		newest) jq -e '[.hits[].date // ""] as $d | $d == ($d | sort | reverse)' "$TMP/res.json" >/dev/null && ok || bad "$name: not newest first" ;;
		corrected) c=$(jq -r '.corrected // ""' "$TMP/res.json"); case $c in *"$val"*) ok ;; *) bad "$name: suggestion '$c', want *$val*" ;; esac ;;
		*) bad "$name: unknown expectation $e" ;;
		esac
	done
}

while IFS= read -r line; do
	case $line in '#'*|'') continue ;; esac
	name=$(printf '%s' "$line" | cut -d'|' -f1 | sed 's/ *$//')
	args=$(printf '%s' "$line" | cut -d'|' -f2)
	expects=$(printf '%s' "$line" | cut -d'|' -f3-)
	check_case "$name" "$args" "$expects"
done <"$TR_SOURCE_DIR/tests/queries.txt"

finish
