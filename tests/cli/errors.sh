# Bad input of every kind: a one-line message and the documented exit code.
. "$(dirname "$0")/common.inc"
T=$TELLERRAND
DB=$TMP/db

# A small archive with good and bad files.
mkdir -p "$TMP/archiv/sub"
printf 'Protokoll der Sitzung vom 12.03.2019\n\nTagesordnung\nTOP 1: Sprachkurse in Pirna\n' >"$TMP/archiv/protokoll.txt"
printf '' >"$TMP/archiv/leer.txt"
head -c 3000 /dev/urandom >"$TMP/archiv/sub/daten.bin"
ln -s "$TMP/archiv/fehlt.txt" "$TMP/archiv/kaputt-link.txt"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$TMP/archiv/gross.txt"

# Exit 3: the run finished, but a file could not be read (the dangling link).
expect_exit 3 "index with bad files" -- $T index --db "$DB" --max-size 1 "$TMP/archiv"
expect_grep "$TMP/out" "1 neu," "summary counts the good file"
expect_grep "$TMP/out" "3 übersprungen, 1 fehlgeschlagen" "summary counts the bad files"
expect_grep "$TMP/err" "leer.txt: übersprungen – leere Datei" "empty file reported"
expect_grep "$TMP/err" "gross.txt: übersprungen – zu groß" "too large file reported"
expect_grep "$TMP/err" "kaputt-link.txt: übersprungen – nicht lesbar" "dangling link reported"
expect_grep "$TMP/err" "daten.bin: übersprungen – Dateityp nicht unterstützt" "binary file reported"

# A missing root is reported (exit 3) and wipes nothing; the other paths are still looked at.
expect_exit 3 "missing path" -- $T index --db "$DB" "$TMP/gibt-es-nicht" "$TMP/archiv/protokoll.txt"
expect_grep "$TMP/err" "$TMP/gibt-es-nicht: Ordner nicht verfügbar – nicht gefunden" "missing path named"
expect_grep "$TMP/out" "1 unverändert" "other path looked at"
expect_grep "$TMP/out" "enthält 1 Dokument." "nothing lost"

# Nothing indexed twice: a changed file replaces its old version.
printf 'TOP 2: Elterncafé in Pirna\n' >>"$TMP/archiv/protokoll.txt"
expect_exit 0 "reindex" -- $T index --db "$DB" "$TMP/archiv/protokoll.txt"
expect_grep "$TMP/out" "1 geändert" "changed file re-read"
expect_grep "$TMP/out" "enthält 1 Dokument." "re-index replaces, never duplicates"

# Query errors.
expect_exit 1 "no index" -- $T query --db "$TMP/nirgends" Schule
expect_grep "$TMP/err" "tellerrand query: kein Index gefunden: $TMP/nirgends" "missing index message"
expect_exit 2 "unknown district" -- $T query --db "$DB" --kreis Atlantis
expect_grep "$TMP/err" 'unbekannter Landkreis: "Atlantis" (gültig: ' "unknown district lists valid ones"
expect_grep "$TMP/err" "Mittelsachsen, " "valid districts listed by their display names"
expect_exit 2 "unknown inline district" -- $T query --db "$DB" 'Schule kreis:atlantis'
expect_exit 2 "ambiguous district" -- $T query --db "$DB" --kreis L
expect_grep "$TMP/err" 'mehrdeutiger Landkreis: "L"' "ambiguous district message"
expect_exit 2 "bad date" -- $T query --db "$DB" --von 31.02.2019
expect_grep "$TMP/err" 'ungültiges Datum bei von: "31.02.2019"' "bad date message"
expect_exit 2 "bad range" -- $T query --db "$DB" 'datum:2019..2017'
expect_grep "$TMP/err" "Zeitraum rückwärts" "reversed range message"
expect_exit 2 "bad year" -- $T query --db "$DB" 'jahr:zwanzig'
# An unclosed quote or bracket is closed and the user told (tests/cli/face.sh has more).
expect_exit 0 "unbalanced quotes" -- $T query --db "$DB" '"nachholende Schulbildung'
expect_grep "$TMP/out" "Hinweis: Anführungszeichen ergänzt" "unbalanced quotes notice"
expect_exit 0 "unbalanced brackets" -- $T query --db "$DB" '(Schule OR Kita'
expect_grep "$TMP/out" "Hinweis: Klammer ergänzt" "unbalanced brackets notice"
expect_exit 2 "unknown type" -- $T query --db "$DB" --typ Rezept
expect_exit 2 "unknown topic" -- $T query --db "$DB" --thema Raumfahrt
expect_exit 2 "unknown option" -- $T query --db "$DB" --kries Meißen
expect_exit 2 "bad limit" -- $T query --db "$DB" --limit zehn
expect_exit 2 "bad format" -- $T query --db "$DB" --format xml
expect_exit 2 "unknown command" -- $T suche Schule
expect_exit 1 "bad data dir" -- $T query --db "$DB" --data-dir "$TMP/keine-daten" Schule
expect_grep "$TMP/err" "Datendatei nicht lesbar" "bad data dir message"

# Every error is one line.
for cmd in "--kreis Atlantis" "--von 31.02.2019"; do
	$T query --db "$DB" $cmd >/dev/null 2>"$TMP/err"
	expect_lines "$TMP/err" 1 "one-line error for $cmd"
done

# A locked index: the indexer stops at once with exit 75.
mkfifo "$TMP/hold"
"$TR_HOLD_LOCK" "$DB" <"$TMP/hold" >"$TMP/lock.out" &
exec 3>"$TMP/hold"
i=0
while ! grep -q locked "$TMP/lock.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_exit 75 "locked index" -- $T index --db "$DB" "$TMP/archiv/protokoll.txt"
expect_grep "$TMP/err" "Index wird gerade aktualisiert" "locked message"
# The indexer's own lock names the process that holds it.
( exec 9>"$DB.lock"; flock 9; echo 4242 >"$DB.lock"; sleep 3 ) &
sleep 0.5
expect_exit 75 "locked by another indexer" -- $T index --db "$DB" "$TMP/archiv/protokoll.txt"
expect_grep "$TMP/err" "Index wird gerade aktualisiert (PID 4242)" "lock names the PID"
# Searching still works while the writer holds the lock.
expect_exit 0 "query while locked" -- $T query --db "$DB" Sprachkurse
expect_grep "$TMP/out" "protokoll.txt" "query while locked finds the document"
exec 3>&-
wait

# Status: what the index holds.
expect_exit 0 "status" -- $T status --db "$DB"
expect_grep "$TMP/out" "Dokumente:         1" "status counts documents"
expect_grep "$TMP/out" "Zuletzt indexiert: 2" "status shows the last run"
expect_exit 1 "status without index" -- $T status --db "$TMP/nirgends"

# Help and version.
expect_exit 0 "help" -- $T help query
cp "$TMP/out" "$TMP/help1"
expect_exit 0 "--help" -- $T query --help
if cmp -s "$TMP/out" "$TMP/help1"; then ok; else bad "help query differs from query --help"; fi
expect_grep "$TMP/out" "--kreis NAME" "help lists options"
expect_exit 0 "version" -- $T --version
expect_grep "$TMP/out" "tellerrand " "version printed"

finish
