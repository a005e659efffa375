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
		# The build must be reachable by that user (not so in a clone inside a 0700 mktemp -d).
		if $AS_USER "$T" help >/dev/null 2>&1; then
			mkdir -p "$TMP/u" && chown nobody "$TMP/u"
		fi
	fi
else
	mkdir -p "$TMP/u"
fi
# public DB QUERY: how many documents an anonymous search page request finds.
public() {
	rm -f "$TMP/srv.out"
	"$T" serve --db "$1" --listen 127.0.0.1:0 >"$TMP/srv.out" 2>"$TMP/srv.err" &
	srv=$!
	url=$(serve_url "$TMP/srv.out")/
	curl -s "${url}api/search?q=$2" | sed -n 's/.*"total": *\([0-9]*\).*/\1/p' | head -n 1
	kill $srv; wait $srv 2>/dev/null
}
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
# Opened from the search page, it is offered under its readable name (RFC 8187, UTF-8).
if command -v curl >/dev/null; then
	$T query --db "$TMP/x/db" --format json Maerz >"$TMP/q.json"
	id=$(sed -n 's/.*"docid": *\([0-9]*\).*/\1/p' "$TMP/q.json" | head -n 1)
	"$T" serve --db "$TMP/x/db" --root "$TMP/x/a" --listen 127.0.0.1:0 >"$TMP/srv.out" 2>"$TMP/srv.err" &
	srv=$!
	url=$(serve_url "$TMP/srv.out")/
	curl -s -D "$TMP/hdr" -o "$TMP/body" "${url}dokument/$id"
	kill $srv; wait $srv 2>/dev/null
	expect_grep "$TMP/body" "Kita im Maerz" "the file itself served"
	expect_grep "$TMP/hdr" "filename*=UTF-8''m%C3%A4rz.txt" "saved as märz.txt"
fi
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

# The index inside the archive: neither it nor its lock file nor a rebuild beside it becomes a document.
mkdir -p "$TMP/in"
printf 'Kita\n' >"$TMP/in/k.txt"
expect_exit 0 "index inside its root" -- $T index --db "$TMP/in/db" "$TMP/in"
expect_exit 0 "again" -- $T index --full --db "$TMP/in/db" "$TMP/in"
expect_grep "$TMP/out" "enthält 1 Dokument." "only the file itself"

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

# ---- 2. A subfolder that becomes unreadable keeps its documents, like an unavailable root ----
if unprivileged "unreadable subfolder"; then
	U=$TMP/u
	$AS_USER mkdir -p "$U/b/sub"
	printf 'Kita oben\n' | $AS_USER tee "$U/b/oben.txt" >/dev/null
	printf 'Kita unten\n' | $AS_USER tee "$U/b/sub/unten.txt" >/dev/null
	expect_exit 0 "index" -- $AS_USER $T index --db "$U/db2" "$U/b"
	chmod 000 "$U/b/sub"
	expect_exit 3 "unreadable subfolder" -- $AS_USER $T index --db "$U/db2" "$U/b"
	expect_grep "$TMP/err" "$U/b/sub: Ordner nicht verfügbar – Ordner nicht lesbar (Permission denied); seine Dokumente bleiben im Index" "reported like an unavailable root"
	expect_grep "$TMP/out" "0 gelöscht" "nothing deleted"
	expect_grep "$TMP/out" "enthält 2 Dokumente" "its document kept"
	chmod 755 "$U/b/sub"
	expect_exit 0 "readable again" -- $AS_USER $T index --db "$U/db2" "$U/b"
	expect_grep "$TMP/out" "0 neu, 0 geändert, 0 gelöscht, 2 unverändert" "back as it was"
fi

# ---- 5. Nested roots: the most specific root owns a file, whatever the order; indexed once ----
if command -v curl >/dev/null; then
	mkdir -p "$TMP/n/a/intern"
	printf 'Kita offen\n' >"$TMP/n/a/offen.txt"
	printf 'Kita intern eins\n' >"$TMP/n/a/intern/eins.txt"
	printf 'Kita intern zwei\n' >"$TMP/n/a/intern/zwei.txt"
	printf '[root %s/a/intern]\ninternal = yes\n\n[root %s/a]\n' "$TMP/n" "$TMP/n" >"$TMP/n/inner-first.conf"
	printf '[root %s/a]\n\n[root %s/a/intern]\ninternal = yes\n' "$TMP/n" "$TMP/n" >"$TMP/n/outer-first.conf"
	for order in inner-first outer-first; do
		expect_exit 0 "nested roots, $order" -- $T index --config "$TMP/n/$order.conf" --db "$TMP/n/$order.db"
		expect_grep "$TMP/out" "3 neu," "three files, three documents ($order)"
		expect_grep "$TMP/out" "enthält 3 Dokumente" "each once ($order)"
		[ "$(public "$TMP/n/$order.db" Kita)" = 1 ] && ok || bad "nested internal root public ($order)"
	done

	# ---- 6. Visibility survives an update from a run without --internal ----
	expect_exit 0 "internal root" -- $T index --internal --db "$TMP/n/v.db" "$TMP/n/a/intern"
	printf 'Kita intern eins, geändert\n' >"$TMP/n/a/intern/eins.txt"
	expect_exit 0 "update from the parent" -- $T index --db "$TMP/n/v.db" "$TMP/n/a"
	expect_grep "$TMP/out" "1 neu, 1 geändert" "the parent's new file and the edited one"
	[ "$(public "$TMP/n/v.db" Kita)" = 1 ] && ok || bad "edited internal file turned public"
	expect_exit 0 "rebuild" -- $T index --full --db "$TMP/n/v.db" "$TMP/n/a"
	[ "$(public "$TMP/n/v.db" Kita)" = 1 ] && ok || bad "--full made the internal root public"

	# ---- 7. Links: never out of the roots; into another root with that root's visibility ----
	mkdir -p "$TMP/l/offen" "$TMP/l/intern" "$TMP/l/draussen"
	printf 'Kita draussen Geheimwort\n' >"$TMP/l/draussen/geheim.txt"
	printf 'Kita intern Planwort\n' >"$TMP/l/intern/plan.txt"
	ln -s "$TMP/l/draussen/geheim.txt" "$TMP/l/offen/raus.txt"
	ln -s /etc/passwd "$TMP/l/offen/passwd.txt"
	ln -s "$TMP/l/intern/plan.txt" "$TMP/l/offen/verweis.txt"
	printf '[root %s/l/offen]\n\n[root %s/l/intern]\ninternal = yes\n' "$TMP" "$TMP" >"$TMP/l/t.conf"
	expect_exit 0 "links" -- $T index --config "$TMP/l/t.conf" --db "$TMP/l/db"
	expect_grep "$TMP/err" "raus.txt: übersprungen – Verweis auf eine Datei außerhalb der Ordner des Index, nicht gefolgt" "link out reported"
	expect_grep "$TMP/err" "passwd.txt: übersprungen – Verweis auf eine Datei außerhalb" "link to /etc/passwd reported"
	expect_exit 0 "nothing from outside" -- $T query --db "$TMP/l/db" Geheimwort
	expect_grep "$TMP/out" "Keine Treffer" "link target outside not indexed"
	expect_exit 0 "no /etc/passwd" -- $T query --db "$TMP/l/db" root
	expect_grep "$TMP/out" "Keine Treffer" "/etc/passwd not indexed"
	[ "$(public "$TMP/l/db" Planwort)" = 0 ] && ok || bad "public link to an internal file made it public"
	# A file that becomes a link out of the roots leaves the index.
	printf 'Kita Tauschwort\n' >"$TMP/l/offen/tausch.txt"
	expect_exit 0 "before the swap" -- $T index --config "$TMP/l/t.conf" --db "$TMP/l/db"
	rm "$TMP/l/offen/tausch.txt"
	ln -s "$TMP/l/draussen/geheim.txt" "$TMP/l/offen/tausch.txt"
	expect_exit 0 "after the swap" -- $T index --config "$TMP/l/t.conf" --db "$TMP/l/db"
	expect_grep "$TMP/out" "1 gelöscht" "the swapped file's document goes"
	expect_exit 0 "swapped link not followed" -- $T query --db "$TMP/l/db" Geheimwort
	expect_grep "$TMP/out" "Keine Treffer" "swapped link's target not indexed"
else
	echo "curl missing: nested roots, visibility and links not tested"
fi

# ---- 14. FIFOs and devices inside folders are reported ----
mkdir -p "$TMP/f"
printf 'Kita\n' >"$TMP/f/k.txt"
mkfifo "$TMP/f/rohr"
expect_exit 0 "FIFO in a folder" -- timeout 60 $T index --db "$TMP/f.db" "$TMP/f"
expect_grep "$TMP/err" "rohr: übersprungen – keine normale Datei (FIFO), nicht gelesen" "FIFO reported"
expect_grep "$TMP/out" "1 übersprungen" "FIFO counted"

# ---- 14. Zip bombs count as failed: a run whose only problem is one exits 3 ----
mkdir -p "$TMP/z"
printf 'Kita\n' >"$TMP/z/k.txt"
cp "$TR_SOURCE_DIR/tests/fixtures/office/zipbombe.docx" "$TMP/z/"
expect_exit 3 "zip bomb" -- $T index --db "$TMP/z.db" "$TMP/z"
expect_grep "$TMP/out" "0 übersprungen, 1 fehlgeschlagen" "the bomb is a failure"
expect_grep "$TMP/err" "zipbombe.docx: übersprungen – ZIP-Grenze überschritten" "the bomb named"

# ---- 14. --max-size past what a worker may hold: the German size reason, not "out of memory" ----
mkdir -p "$TMP/g"
printf 'Kita\n' >"$TMP/g/k.txt"
truncate -s 2100M "$TMP/g/riesig.txt"
expect_exit 0 "2 GB file with --max-size 3000" -- $T index --max-size 3000 --db "$TMP/g.db" "$TMP/g"
expect_grep "$TMP/err" "riesig.txt: übersprungen – zu groß (2202.0 MB): mehr, als ein Leseprozess im Speicher halten darf" "size reason"
expect_no_grep "$TMP/err" "out of memory" "no English memory message"
rm -f "$TMP/g/riesig.txt"

# ---- 12. --full keeps document ids: an old /dokument/N opens the same file or none ----
if command -v jq >/dev/null; then
	ids() { # ids DB: "docid path" of every document, sorted
		$T query --alle-fassungen --db "$1" --format json --limit 1000 Stabil | jq -r '.hits[] | "\(.docid) \(.path)"' | sort
	}
	mkdir -p "$TMP/s"
	for i in $(seq 1 40); do echo "Stabil Nummer $i" >"$TMP/s/d$i.txt"; done
	for layout in "" "--shards 3"; do
		rm -rf "$TMP/s.db"
		expect_exit 0 "index ($layout)" -- $T index $layout --db "$TMP/s.db" "$TMP/s"
		ids "$TMP/s.db" >"$TMP/ids.before"
		rm "$TMP/s/d7.txt"
		echo "Stabil neu" >"$TMP/s/a-neu.txt"
		expect_exit 0 "--full ($layout)" -- $T index --full --db "$TMP/s.db" "$TMP/s"
		ids "$TMP/s.db" >"$TMP/ids.after"
		moved=$(join "$TMP/ids.before" "$TMP/ids.after" | awk '$2 != $3' | wc -l)
		kept=$(join "$TMP/ids.before" "$TMP/ids.after" | awk '$2 == $3' | wc -l)
		[ "$moved" -eq 0 ] && ok || bad "--full ($layout): $moved old ids open another file"
		[ "$kept" -eq 39 ] && ok || bad "--full ($layout): $kept of 39 ids kept"
		last=$(sort -n "$TMP/ids.before" | tail -n 1 | cut -d' ' -f1)
		new=$(grep ' .*a-neu.txt$' "$TMP/ids.after" | cut -d' ' -f1)
		[ -n "$new" ] && [ "$new" -gt "$last" ] && ok || bad "--full ($layout): the new file got id $new, not above $last"
		echo "Stabil Nummer 7" >"$TMP/s/d7.txt"
		rm "$TMP/s/a-neu.txt"
	done
fi

finish
