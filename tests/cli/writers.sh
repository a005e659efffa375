# A full run written by two writers into two parts and merged at the end
# (issue 18, --writers 2) finds exactly what one writer's index finds:
# the same documents under the same ids, the same ranking, snippets,
# spelling corrections and counts; no part is left behind; a rebuild
# (--full) written that way keeps every document's id.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
A=$TR_SOURCE_DIR/corpus

# What a user sees of a search, without the time a file entered the index.
seen() {
	$T query --db "$1" --limit 1000 --alle-fassungen --format json -- "$2" |
		jq -c '[.total, .corrected, [.hits[] | [.docid, .path, .score, .snippet, .copies, .versions, .date]]]'
}
ids() { $T query --db "$1" --limit 1000 --alle-fassungen --format json | jq -r '.hits[] | "\(.docid) \(.path)"' | sort; }

# One worker hands the documents to one writer in the scan's order: the ids the split run gives.
expect_exit 0 "one writer" -- $T index --quiet --jobs 1 --writers 1 --db "$TMP/one" "$A"
expect_exit 0 "two writers" -- $T index --quiet --writers 2 --db "$TMP/two" "$A"
n=$(ids "$TMP/one" | wc -l)
[ "$n" -gt 50 ] && ok || bad "one writer's index lists only $n documents"
ids "$TMP/one" >"$TMP/ids1"
ids "$TMP/two" >"$TMP/ids2"
if cmp -s "$TMP/ids1" "$TMP/ids2"; then ok; else bad "ids differ: $(diff "$TMP/ids1" "$TMP/ids2" | head -n 4)"; fi
for q in "" Integration "Kita Leipzig" '"Deutsch als Zweitsprache"' Sprachfoerderung Intgration "Schule -Kita" "Dolmetscher*"; do
	if [ "$(seen "$TMP/one" "$q")" = "$(seen "$TMP/two" "$q")" ]; then ok; else bad "search '$q' differs between one and two writers"; fi
done
ls -d "$TMP"/two/teil-* "$TMP"/two.zusammen >/dev/null 2>&1 && bad "a part or the merge folder was left behind" || ok

# A rebuild keeps each document's id, whichever part it was written into.
ids "$TMP/two" >"$TMP/before"
expect_exit 0 "rebuild with two writers" -- $T index --quiet --full --writers 2 --db "$TMP/two" "$A"
if ids "$TMP/two" | cmp -s - "$TMP/before"; then ok; else bad "--full changed ids: $(ids "$TMP/two" | diff "$TMP/before" - | head -n 4)"; fi
if [ "$(seen "$TMP/one" Integration)" = "$(seen "$TMP/two" Integration)" ]; then ok; else bad "search differs after the rebuild"; fi

# A new file in a rebuild gets an id above every one used before.
mkdir -p "$TMP/more"
cp -r "$A" "$TMP/more/corpus"
cp "$A/Presse/pressemitteilung_netzwerk.txt" "$TMP/more/corpus/neu_hinzu.txt"
expect_exit 0 "first run, copy" -- $T index --quiet --writers 2 --db "$TMP/m" "$TMP/more/corpus"
last=$(ids "$TMP/m" | sort -n | tail -n 1 | cut -d' ' -f1)
cp "$A/Presse/pressemitteilung_netzwerk.txt" "$TMP/more/corpus/noch_einer.txt"
expect_exit 0 "rebuild with a new file" -- $T index --quiet --full --writers 2 --db "$TMP/m" "$TMP/more/corpus"
new=$(ids "$TMP/m" | grep 'noch_einer.txt$' | cut -d' ' -f1)
[ -n "$new" ] && [ "$new" -gt "$last" ] && ok || bad "new file's id '$new' not above $last"
# A split run killed before its merge left its parts in the index folder:
# the next run merges what they committed and reads only the rest.
mkdir -p "$TMP/leer"
# An empty folder is reported as unavailable (exit 3); the index is made all the same.
expect_exit 3 "empty index" -- $T index --quiet --db "$TMP/k" "$TMP/leer"
cp -r "$TMP/one" "$TMP/k/teil-1"
expect_exit 0 "run after a killed split run" -- $T index --db "$TMP/k" "$A"
expect_grep "$TMP/out" "0 neu, 0 geändert, 0 gelöscht, $n unverändert" "the parts' documents are taken, not read again"
ls -d "$TMP"/k/teil-* >/dev/null 2>&1 && bad "the left part is still there" || ok
# Parts are written without sync: a part last written before the system
# started (a crash may have cut it short) is not read but removed, its
# documents are read again, and the run goes on.
expect_exit 3 "second empty index" -- $T index --quiet --db "$TMP/d" "$TMP/leer"
cp -r "$TMP/one" "$TMP/d/teil-1"
touch -d @1 "$TMP"/d/teil-1/*
expect_exit 0 "run after a restart left a part" -- $T index --db "$TMP/d" "$A"
expect_grep "$TMP/out" "$n neu, 0 geändert, 0 gelöscht, 0 unverändert" "the old part's documents are read again"
ls -d "$TMP"/d/teil-* >/dev/null 2>&1 && bad "the old part is still there" || ok
finish
