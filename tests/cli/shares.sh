# Real shares and unlucky administrators (issue 13, indexer side): file
# names that are not UTF-8 or carry control characters, unreadable
# folders, a read-only index folder, a left-over DB.neu, nested roots,
# visibility on update, links out of the archive, stable document ids and
# the smaller points of item 14.
. "$(dirname "$0")/common.inc"
T=$TELLERRAND

# ---- 1. A Windows-1252 file name is indexed, stored byte for byte, shown readable ----
mkdir -p "$TMP/x/a"
for i in 1 2 3; do echo "Kita $i" >"$TMP/x/a/z$i.txt"; done
printf 'Kita im Maerz\n' >"$TMP/x/a/$(printf 'm\344rz.txt')"
expect_exit 0 "non-UTF-8 name indexed" -- $T index --db "$TMP/x/db" "$TMP/x/a"
expect_grep "$TMP/out" "4 neu" "all four files indexed"
expect_exit 0 "query finds it" -- $T query --db "$TMP/x/db" Maerz
expect_grep "$TMP/out" "Datei: $TMP/x/a/märz.txt" "path shown decoded as Windows-1252"
expect_exit 0 "json output" -- $T query --db "$TMP/x/db" --format json Maerz
expect_grep "$TMP/out" "\"path\": \"$TMP/x/a/märz.txt\"" "JSON path readable"
# Unchanged on the next run: the stored path is the file's own bytes.
expect_exit 0 "rerun" -- $T index --db "$TMP/x/db" "$TMP/x/a"
expect_grep "$TMP/out" "0 neu, 0 geändert, 0 gelöscht, 4 unverändert" "stored path matches the file"
rm "$TMP/x/a/$(printf 'm\344rz.txt')"
expect_exit 0 "deleted" -- $T index --db "$TMP/x/db" "$TMP/x/a"
expect_grep "$TMP/out" "1 gelöscht" "its removal is seen"

# ---- 13. Control characters in names never forge a line or reach the terminal raw ----
mkdir -p "$TMP/inj/$(printf 'ordner\nneu')"
printf 'Kita\n' >"$TMP/inj/$(printf 'ordner\nneu')/$(printf 'x\033[31m.txt')"
printf '' >"$TMP/inj/$(printf 'leer\nx.txt: neu')"
expect_exit 0 "names with control characters" -- $T index -v --db "$TMP/inj.db" "$TMP/inj"
expect_grep "$TMP/err" 'ordner\nneu/x\x1b[31m.txt: neu' "newline and ESC escaped"
expect_grep "$TMP/err" 'leer\nx.txt: neu: übersprungen – leere Datei' "no forged line"
expect_lines "$TMP/err" 2 "one line per file"
if grep -q "$(printf '\033')" "$TMP/err"; then bad "ESC reached stderr raw"; else ok; fi

finish
