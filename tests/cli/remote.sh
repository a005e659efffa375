# Shards served by xapian-tcpsrv (docs/shards.md), on loopback only: corpus/
# indexed into a set of two shards by tellerrand's own routing, each shard
# served by its own xapian-tcpsrv, must answer every query as a single
# index of the same documents does: the same hits in the same order, the
# same totals, facets and spelling suggestion, with filters, date sorting
# and paging.  Then one server stops (and one hangs): the documented
# failure, a clear error and HTTP 503, never incomplete results.
. "$(dirname "$0")/common.inc"
command -v xapian-tcpsrv >/dev/null || { echo "xapian-tcpsrv missing (xapian-tools): skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
command -v curl >/dev/null || { echo "curl missing: skipped"; exit 77; }
T=$TELLERRAND
PIDS=""
# Servers run in sessions of their own (see serve_shard): signals go to the
# process group, which holds the children serving open connections too.
trap 'for p in $PIDS; do kill -CONT -"$p" 2>/dev/null; kill -- -"$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE

$T index --quiet --db "$TMP/one" --jobs 2 "$TR_SOURCE_DIR/corpus" >/dev/null 2>"$TMP/err" || bad "single index: $(cat "$TMP/err")"
$T index --quiet --db "$TMP/set" --jobs 2 --shards 2 "$TR_SOURCE_DIR/corpus" >/dev/null 2>"$TMP/err" || bad "shard set: $(cat "$TMP/err")"

# serve_shard N: a xapian-tcpsrv for shard-N on a free port (in $PORT), in
# a session of its own: tcpsrv forks a child per connection, and stopping a
# shard means stopping those too.
serve_shard() {
	for try in 1 2 3 4 5 6 7 8 9 10; do
		PORT=$((20000 + ($$ * 7 + $1 * 997 + try * 7919) % 40000))
		setsid xapian-tcpsrv --interface 127.0.0.1 --port $PORT "$TMP/set/shard-$1" >"$TMP/srv$1.log" 2>&1 &
		SRV=$!
		i=0
		while ! grep -q Listening "$TMP/srv$1.log" && kill -0 $SRV 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		if grep -q Listening "$TMP/srv$1.log"; then PIDS="$PIDS $SRV"; return 0; fi
		kill -- -$SRV 2>/dev/null
	done
	echo "xapian-tcpsrv for shard-$1 did not start: $(cat "$TMP/srv$1.log")"
	exit 1
}
serve_shard 0; P0=$SRV; PORT0=$PORT
serve_shard 1; P1=$SRV; PORT1=$PORT

# The serving machine's stub: the set's first database (spelling words,
# run metadata) local, the shards remote.
mkdir "$TMP/remote"
printf '# two shard servers\nauto %s/set/meta\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$TMP" "$PORT0" "$PORT1" >"$TMP/remote/XAPIANDB"

# What must agree: totals, facets, suggestion, and the hits in order.  Hits
# that tie (same score; sorted by relevance the date does not break a tie)
# are ordered by document number, which differs between one index and a
# set (and between runs: --jobs 2 numbers documents as the workers finish),
# so within a tie only the set of paths counts; scores are compared to
# nine decimals (sums of the same statistics, in another order).
NORM='{total, documents, corrected, facets, hits: ([.hits[] | {path, date, s: ((.score * 1e9) | round)}]
	| reduce .[] as $h ([]; if length > 0 and .[-1][0].s == $h.s
	                       then .[-1] += [$h] else . + [[$h]] end)
	| map(sort_by(.path)))}'
# A wildcard's words are joined as one OP_SYNONYM (docs/shards.md): its
# frequency is estimated per shard, so its weights over remote shards differ
# a little from one index's.  Such a query must find the same documents,
# totals and facets; its order is not compared.
SETNORM='{total, documents, corrected, facets, hits: ([.hits[] | {path, date}] | sort_by(.path))}'
q() { # q DB ARGS...: the normalised JSON answer
	db=$1; shift
	case "$*" in
	*\**) $T query --db "$db" --format json "$@" 2>>"$TMP/qerr" | jq -S "$SETNORM" ;;
	*) $T query --db "$db" --format json "$@" 2>>"$TMP/qerr" | jq -S "$NORM" ;;
	esac
}
n=0
while IFS= read -r line; do
	[ -z "$line" ] && continue
	n=$((n + 1))
	# shellcheck disable=SC2086
	eval "set -- $line"
	q "$TMP/one" "$@" >"$TMP/one.json"
	q "$TMP/remote" "$@" >"$TMP/remote.json"
	if [ -s "$TMP/one.json" ] && cmp -s "$TMP/one.json" "$TMP/remote.json"; then ok; else
		bad "query $line: remote shards differ from one index: $(diff "$TMP/one.json" "$TMP/remote.json" | head -n 8) $(tail -n 2 "$TMP/qerr")"
	fi
done <<'QUERIES'
--limit 200
--limit 200 Schulbildung
--limit 200 "Sprachförderung Kita"
--limit 200 '"nachholende Schulbildung"'
--limit 200 Netzwerktreffen --kreis Mittelsachsen --kreis Dresden
--limit 200 --typ protokoll --von 2019-01-01 --bis 2022-12-31
--limit 200 Integration --sort datum
--limit 200 --thema kita
--limit 200 Sprachfördrung
--limit 200 'Bildungskoordinator* -Leipzig'
QUERIES
[ $n -eq 10 ] && ok || bad "ran $n queries"

# Paging through the remote set gives the full list, page by page: one
# word, and two (ranked in two tiers, full matches and partial ones).
# shellcheck disable=SC2086
for words in Netzwerk "Protokoll Netzwerk"; do
	$T query --db "$TMP/remote" --format json --limit 200 $words | jq -c '[.hits[].path]' >"$TMP/all"
	: >"$TMP/paged"
	for off in 0 5 10 15 20 25 30 35 40 45 50 55 60 65 70; do
		$T query --db "$TMP/remote" --format json --limit 5 --offset $off $words | jq -c '.hits[].path' >>"$TMP/paged"
	done
	if [ "$(jq -sc . "$TMP/paged")" = "$(jq -c '.[:75]' "$TMP/all")" ] && [ "$(jq length "$TMP/all")" -gt 10 ]; then ok; else
		bad "$words: pages differ from the whole list: $(jq -sc . "$TMP/paged" | head -c 300) vs $(head -c 300 "$TMP/all")"
	fi
done
# A page's total is the whole match's, as with one index.
[ "$($T query --db "$TMP/remote" --format json --limit 5 --offset 5 Netzwerk | jq .total)" = \
  "$($T query --db "$TMP/one" --format json --limit 5 --offset 5 Netzwerk | jq .total)" ] && ok || bad "total of a page"

# Snippets come from the remote documents too.
$T query --db "$TMP/remote" --format json --limit 3 Schulbildung >"$TMP/s.json"
[ "$(jq '[.hits[].snippet_html | select(test("<mark>"))] | length' "$TMP/s.json")" -eq 3 ] && ok || bad "remote snippets: $(head -c 300 "$TMP/s.json")"

# A shard through a program on stdin/stdout (as over ssh): xapian-progsrv.
if command -v xapian-progsrv >/dev/null; then
	mkdir "$TMP/prog"
	printf 'auto %s/set/meta\nremote :xapian-progsrv %s/set/shard-0\nremote 127.0.0.1:%s\n' "$TMP" "$TMP" "$PORT1" >"$TMP/prog/XAPIANDB"
	q "$TMP/one" --limit 200 Netzwerk --kreis Chemnitz >"$TMP/one.json"
	q "$TMP/prog" --limit 200 Netzwerk --kreis Chemnitz >"$TMP/prog.json"
	cmp -s "$TMP/one.json" "$TMP/prog.json" && ok || bad "shard over xapian-progsrv: $(diff "$TMP/one.json" "$TMP/prog.json" | head -n 6)"
fi

# status counts each shard.
expect_exit 0 "status over remote shards" -- $T status --db "$TMP/remote"
expect_grep "$TMP/out" "127.0.0.1:$PORT0:" "status names the remote shard"
expect_grep "$TMP/out" "Dokumente:         $($T query --db "$TMP/one" --format json | jq .documents)" "status total"

# The search page over the remote set, before and after a shard fails.
setsid $T serve --db "$TMP/remote" --listen 127.0.0.1:0 --shard-timeout 1000 >"$TMP/serve.out" 2>"$TMP/serve.err" &
PIDS="$PIDS $!"
URL=$(serve_url "$TMP/serve.out")/
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "${URL}api/search?q=Schulbildung")
[ "$code" = 200 ] && [ "$(jq .total "$TMP/body")" = "$($T query --db "$TMP/one" --format json Schulbildung | jq .total)" ] && ok ||
	bad "API over remote shards: HTTP $code $(head -c 200 "$TMP/body")"

# A shard that is down: a clear error, exit 1, and 503 on the page and API.
kill -- -$P1
wait $P1 2>/dev/null
expect_exit 1 "query with a shard down" -- $T query --db "$TMP/remote" Schulbildung
expect_grep "$TMP/err" "Teilindex nicht erreichbar: remote 127.0.0.1:$PORT1" "the error names the shard"
expect_exit 1 "status with a shard down" -- $T status --db "$TMP/remote"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "${URL}?q=Schulbildung")
[ "$code" = 503 ] && ok || bad "page with a shard down: HTTP $code"
expect_grep "$TMP/body" "antwortet gerade nicht" "the page says a part of the index does not answer"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "${URL}api/search?q=Schulbildung")
[ "$code" = 503 ] && [ "$(jq -r .error "$TMP/body" | grep -c 'Teil des Suchindex')" = 1 ] && ok || bad "API with a shard down: HTTP $code $(head -c 200 "$TMP/body")"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "${URL}healthz")
[ "$code" = 503 ] && ok || bad "healthz with a shard down: HTTP $code"

# Back again: the server reconnects by itself.
setsid xapian-tcpsrv --interface 127.0.0.1 --port $PORT1 "$TMP/set/shard-1" >"$TMP/srv1.log" 2>&1 &
P1=$!; PIDS="$PIDS $P1"
i=0; while ! grep -q Listening "$TMP/srv1.log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "${URL}api/search?q=Schulbildung")
[ "$code" = 200 ] && ok || bad "API after the shard came back: HTTP $code $(head -c 200 "$TMP/body")"

# A shard that hangs: the configured timeout, then the same error.
kill -STOP -$P0
start=$(date +%s)
expect_exit 1 "query with a hanging shard" -- $T query --db "$TMP/remote" --shard-timeout 500 Schulbildung
[ $(($(date +%s) - start)) -le 4 ] && ok || bad "timeout of 500 ms took $(($(date +%s) - start)) s"
expect_grep "$TMP/err" "Teilindex nicht erreichbar" "a hanging shard is reported"
printf 'shard-timeout = 500\n' >"$TMP/t.conf"
start=$(date +%s)
expect_exit 1 "timeout from the configuration" -- $T query --config "$TMP/t.conf" --db "$TMP/remote" Schulbildung
[ $(($(date +%s) - start)) -le 4 ] && ok || bad "configured timeout took $(($(date +%s) - start)) s"
code=$(curl -s -m 10 -o "$TMP/body" -w '%{http_code}' "${URL}?q=Schulbildung")
[ "$code" = 503 ] && ok || bad "page with a hanging shard: HTTP $code"
kill -CONT -$P0

finish
