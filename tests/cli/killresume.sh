# Crash safety: an indexer killed with SIGKILL at any moment leaves the last
# committed state searchable, and the next run ends with exactly the
# documents and metadata a clean full index has.  SIGTERM finishes the
# batch, commits and says so.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
A=$TMP/archiv

# A few hundred distinct files made from the corpus's text documents.
i=0
find "$TR_SOURCE_DIR/corpus" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' \) | sort >"$TMP/src"
for round in 1 2 3 4 5 6 7 8; do
	while IFS= read -r f; do
		i=$((i + 1))
		d="$A/teil$((i % 7))"
		mkdir -p "$d"
		ext=${f##*.}
		{ cat "$f"; printf '\nAblagenummer %d-%d\n' "$round" "$i"; } >"$d/dok$i.$ext"
	done <"$TMP/src"
done
n=$(find "$A" -type f | wc -l)

snapshot() {
	$T query --alle-fassungen --db "$1" --limit 100000 --format json |
		jq -S '[.hits[] | {path, title, date, districts, type, topics}] | sort_by(.path)'
}

$T index --quiet --db "$TMP/ref" --jobs 2 "$A" >/dev/null 2>&1
snapshot "$TMP/ref" >"$TMP/ref.json"
[ "$(jq length "$TMP/ref.json")" -eq "$n" ] && ok || bad "reference index has $(jq length "$TMP/ref.json") of $n documents"

for delay in 0.2 0.6 1.2 2.0; do
	DB=$TMP/db-$delay
	$T index --quiet --db "$DB" --jobs 2 --batch 25 "$A" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# Whatever was committed is searchable (or there is no index yet at all).
	if [ -d "$DB" ] && ! $T query --db "$DB" Schule >/dev/null 2>"$TMP/err"; then
		bad "after kill at $delay s the index does not answer: $(cat "$TMP/err")"
	else ok; fi
	# Workers notice their parent is gone and end (a loaded machine may
	# take a while to run them: up to 10 s).
	tries=0
	while pgrep -f "index --quiet --db $DB " >/dev/null && [ $tries -lt 100 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	if pgrep -f "index --quiet --db $DB " >/dev/null; then bad "workers outlived the killed indexer by 10 s"; else ok; fi
	$T index --quiet --db "$DB" --jobs 2 "$A" >/dev/null 2>"$TMP/err" || bad "resume after $delay s failed: $(cat "$TMP/err")"
	snapshot "$DB" >"$TMP/got.json"
	if cmp -s "$TMP/ref.json" "$TMP/got.json"; then ok; else
		bad "after kill at $delay s and resume the index differs: $(diff "$TMP/ref.json" "$TMP/got.json" | head -n 6)"
	fi
done

# A worker killed in the middle of a file costs that file only: it is
# reported, the run completes, and the next run reads the file again.
DB=$TMP/db-worker
$T index --db "$DB" --jobs 2 "$A" >"$TMP/out" 2>"$TMP/err" &
pid=$!
victim=""
i=0
while [ -z "$victim" ] && [ $i -lt 50 ]; do
	sleep 0.1
	victim=$(pgrep -P $pid | head -n 1)
	i=$((i + 1))
done
sleep 0.5
[ -n "$victim" ] && kill -9 "$victim"
wait $pid
code=$?
if [ -z "$victim" ]; then
	bad "no worker process found to kill"
elif grep -q "Leseprozess abgestürzt (Signal 9" "$TMP/err"; then
	ok
	[ $code -eq 3 ] && ok || bad "a crashed worker's run exit $code, want 3"
	expect_grep "$TMP/out" "1 fehlgeschlagen" "the killed file is counted as failed"
	$T index --quiet --db "$DB" --jobs 2 "$A" >/dev/null 2>&1
	snapshot "$DB" >"$TMP/got.json"
	cmp -s "$TMP/ref.json" "$TMP/got.json" && ok || bad "after a worker crash and a rerun the index differs"
else
	# The worker was idle between files when it died: then no file may be lost either.
	snapshot "$DB" >"$TMP/got.json"
	cmp -s "$TMP/ref.json" "$TMP/got.json" && ok || bad "worker killed between files, index incomplete: $(cat "$TMP/err" | head -n 3)"
fi

# SIGTERM: finish the batch, commit, exit 1 with a message; the next run completes.
DB=$TMP/db-term
$T index --db "$DB" --jobs 2 --batch 25 "$A" >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
code=$?
if [ $code -eq 0 ]; then
	ok   # it was done before the signal arrived
else
	[ $code -eq 1 ] && ok || bad "SIGTERM exit $code, want 1"
	expect_grep "$TMP/err" "abgebrochen – der bisherige Stand ist gespeichert" "SIGTERM message"
fi
$T index --quiet --db "$DB" --jobs 2 "$A" >/dev/null 2>&1
snapshot "$DB" >"$TMP/got.json"
cmp -s "$TMP/ref.json" "$TMP/got.json" && ok || bad "after SIGTERM and resume the index differs"

finish
