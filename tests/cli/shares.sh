# Real shares and unlucky administrators (issue 13, indexer side): file
# names that are not UTF-8 or carry control characters, unreadable
# folders, a read-only index folder, a left-over DB.neu, nested roots,
# visibility on update, links out of the archive, stable document ids and
# the smaller points of item 14.
. "$(dirname "$0")/common.inc"
T=$TELLERRAND

# Permissions do not stop root, and the tests run as root in CI: what needs
# them runs as an unprivileged user (setpriv), in a folder that user owns.
AS_USER=""
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		AS_USER="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
		chmod 755 "$TMP"
		mkdir -p "$TMP/u" && chown nobody "$TMP/u"
	fi
else
	mkdir -p "$TMP/u"
fi
# unprivileged NAME: true if the permission tests can run; says so if not.
unprivileged() {
	[ -d "$TMP/u" ] && return 0
	echo "no way to run as an unprivileged user: $1 not tested"
	return 1
}

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

# ---- 3. A read-only index folder: a clear error and exit 1, not "locked" (75) ----
if unprivileged "read-only index folder"; then
	U=$TMP/u
	$AS_USER mkdir -p "$U/a"
	printf 'Kita\n' | $AS_USER tee "$U/a/k.txt" >/dev/null
	expect_exit 0 "index as the user" -- $AS_USER $T index --db "$U/db" "$U/a"
	chmod 555 "$U/db"
	printf 'Schule\n' | $AS_USER tee "$U/a/s.txt" >/dev/null
	expect_exit 1 "read-only index folder" -- $AS_USER $T index --db "$U/db" "$U/a"
	expect_grep "$TMP/err" "tellerrand index: Index-Verzeichnis nicht beschreibbar (Permission denied) – Rechte oder Einhängung prüfen: $U/db" "read-only folder named"
	expect_lines "$TMP/err" 1 "one line"
	chmod 755 "$U/db"
fi

# ---- 4. A killed --full leaves DB.neu: the next run of any kind removes it and says so ----
mkdir -p "$TMP/x/db.neu"
head -c 100000 /dev/zero >"$TMP/x/db.neu/postlist.glass"
expect_exit 0 "run after a killed --full" -- $T index --db "$TMP/x/db" "$TMP/x/a"
expect_grep "$TMP/err" "Rest eines abgebrochenen Neuaufbaus (--full) entfernt: $TMP/x/db.neu" "left-over named"
[ ! -e "$TMP/x/db.neu" ] && ok || bad "DB.neu still there"
expect_exit 0 "next run silent" -- $T index --db "$TMP/x/db" "$TMP/x/a"
expect_no_grep "$TMP/err" "entfernt" "nothing left to remove"
# An interrupted --full throws its half-built index away at once.
for i in $(seq 1 300); do echo "Kita Eintrag $i" >"$TMP/x/a/viele$i.txt"; done
$T index --full --db "$TMP/x/db" "$TMP/x/a" >/dev/null 2>"$TMP/err" &
pid=$!
i=0
while [ ! -e "$TMP/x/db.neu" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid; wait $pid
[ ! -e "$TMP/x/db.neu" ] && ok || bad "interrupted --full left DB.neu: $(cat "$TMP/err")"
rm -f "$TMP/x/a/viele"*

finish
