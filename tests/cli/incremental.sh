# The nightly reindex: only what changed is read, nothing is lost when a
# share is missing, removed files and roots leave the index, the data
# fingerprint triggers re-reading, --full swaps atomically, the
# configuration file is checked with file and line.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
DB=$TMP/db
A=$TMP/archiv
mkdir -p "$A/Presse" "$A/Protokolle"
cp "$TR_SOURCE_DIR/corpus/Presse/Archiv/pm_netzwerktreffen.txt" "$A/Presse/"
cp "$TR_SOURCE_DIR/corpus/Presse/pressemitteilung_netzwerk.txt" "$A/Presse/"
cp "$TR_SOURCE_DIR/corpus/AG Kita/Protokoll Grimma.txt" "$A/Protokolle/"
cp "$TR_SOURCE_DIR/corpus/Netzwerk/Protokolle/2024/Protokoll_Netzwerktreffen_Chemnitz.md" "$A/Protokolle/"
printf '' >"$A/leer.txt"

paths() { $T query --db "$DB" --limit 1000 --format json "$@" | jq -r '.hits[].path' | sort; }

expect_exit 0 "first run" -- $T index --db "$DB" --report "$TMP/r1.json" "$A"
expect_grep "$TMP/out" "4 neu, 0 geändert, 0 gelöscht, 0 unverändert, 1 übersprungen" "first run counts"
if [ "$(jq '.added | length' "$TMP/r1.json")" = 4 ] && [ "$(jq -r '.skipped[0].reason' "$TMP/r1.json")" = "leere Datei" ]; then ok; else bad "report lists added and skipped files"; fi

# No change: nothing is read again (the empty file is remembered too).
expect_exit 0 "no-change run" -- $T index --db "$DB" "$A"
expect_grep "$TMP/out" "0 neu, 0 geändert, 0 gelöscht, 4 unverändert, 1 übersprungen" "no-change run counts"
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=open,openat -o "$TMP/trace" $T index --quiet --db "$DB" "$A" >/dev/null 2>&1
	if grep -F "$A/" "$TMP/trace" | grep -v O_DIRECTORY | grep -q .; then
		bad "no-change run opened a file: $(grep -F "$A/" "$TMP/trace" | grep -v O_DIRECTORY | head -n 2)"
	else ok; fi
fi

# Touched, same content: new stamps, no extraction.
touch "$A/Presse/pm_netzwerktreffen.txt"
expect_exit 0 "touched" -- $T index --db "$DB" -v "$A"
expect_grep "$TMP/err" "pm_netzwerktreffen.txt: berührt, Inhalt gleich" "touched file not re-extracted"
expect_grep "$TMP/out" "0 neu, 1 geändert" "touched counted with changes"

# A file restored with an older mtime (cp -p, rsync -a) is still seen as changed.
cp -p "$A/Protokolle/Protokoll Grimma.txt" "$TMP/backup.txt"
sleep 1
printf '\nNachtrag: Sprachkita Wurzen eröffnet.\n' >>"$A/Protokolle/Protokoll Grimma.txt"
expect_exit 0 "edited" -- $T index --db "$DB" "$A"
expect_grep "$TMP/out" "1 geändert" "edit re-read"
[ "$(paths Sprachkita | wc -l)" -eq 1 ] && ok || bad "edited text searchable"
cp -p "$TMP/backup.txt" "$A/Protokolle/Protokoll Grimma.txt"
expect_exit 0 "restored older version" -- $T index --db "$DB" "$A"
expect_grep "$TMP/out" "1 geändert" "restored older file re-read"
[ "$(paths Sprachkita | wc -l)" -eq 0 ] && ok || bad "restored version replaces the edit"

# Renamed: found under the new path, nothing under the old one.
mv "$A/Presse/pressemitteilung_netzwerk.txt" "$A/Presse/pm_pirna_2019.txt"
expect_exit 0 "renamed" -- $T index --db "$DB" "$A"
expect_grep "$TMP/out" "1 neu, 0 geändert, 1 gelöscht" "rename is add + delete"
paths Pirna >"$TMP/p"
expect_grep "$TMP/p" "pm_pirna_2019.txt" "new path found"
expect_no_grep "$TMP/p" "pressemitteilung_netzwerk.txt" "old path gone"

# An unmounted (missing or empty) share wipes nothing.
mv "$A" "$TMP/weg"
expect_exit 3 "missing root" -- $T index --db "$DB" "$A"
expect_grep "$TMP/err" "Ordner nicht verfügbar" "missing root reported"
expect_grep "$TMP/out" "enthält 4 Dokumente" "missing root keeps documents"
mkdir "$A"
expect_exit 3 "empty root" -- $T index --db "$DB" "$A"
expect_grep "$TMP/out" "enthält 4 Dokumente" "empty root keeps documents"
rmdir "$A"
mv "$TMP/weg" "$A"

# A deleted file leaves the index.
rm "$A/Protokolle/Protokoll_Netzwerktreffen_Chemnitz.md"
expect_exit 0 "deleted" -- $T index --db "$DB" "$A"
expect_grep "$TMP/out" "1 gelöscht" "deleted file leaves"

# Dry run: lists, changes nothing.
printf 'Neue Notiz zur Elternarbeit in Bautzen.\n' >"$A/notiz.txt"
expect_exit 0 "dry run" -- $T index --db "$DB" --dry-run "$A"
expect_grep "$TMP/out" "neu: $A/notiz.txt" "dry run lists the new file"
[ "$(paths | grep -c notiz.txt)" -eq 0 ] && ok || bad "dry run wrote to the index"

# Changed data files (the topic list) re-read every document, and say why.
cp -r "$TR_SOURCE_DIR/data" "$TMP/data"
printf 'sport\tSport\tsport*;fussball\n' >>"$TMP/data/topics.tsv"
expect_exit 0 "data changed" -- $T index --db "$DB" --data-dir "$TMP/data" "$A"
expect_grep "$TMP/err" "topics.tsv hat sich geändert" "fingerprint change explained"
expect_grep "$TMP/out" "1 neu, 3 geändert" "all documents re-read"
expect_exit 0 "data unchanged again" -- $T index --db "$DB" --data-dir "$TMP/data" "$A"
expect_grep "$TMP/out" "4 unverändert" "fingerprint recorded"

# --full builds beside the live index and swaps; queries keep answering meanwhile.
i=0; fails=0
$T index --db "$DB" --full --data-dir "$TMP/data" "$A" >"$TMP/full.out" 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null && [ $i -lt 200 ]; do
	$T query --db "$DB" Bildungskoordinatoren >/dev/null 2>&1 || fails=$((fails + 1))
	i=$((i + 1))
done
wait $pid
[ $? -eq 0 ] && ok || bad "--full failed: $(cat "$TMP/full.out")"
[ $fails -eq 0 ] && ok || bad "$fails of $i queries failed during --full"
[ ! -e "$DB.neu" ] && ok || bad "--full left its build folder"
expect_grep "$TMP/full.out" "enthält 4 Dokumente" "--full result"

# The configuration file: roots with defaults; a root removed from it leaves the index.
cat >"$TMP/t.conf" <<CONF
# Tellerrand test configuration
db = $DB
data-dir = $TMP/data

[index]
jobs = 2

[root $A/Presse]
kreis = Landkreis Görlitz
typ = pressemitteilung
CONF
expect_exit 0 "config run" -- $T index --config "$TMP/t.conf"
expect_grep "$TMP/out" "2 gelöscht" "documents of roots no longer configured are deleted"
$T query --config "$TMP/t.conf" --format json >"$TMP/c.json"
[ "$(jq -r '[.hits[].districts[0]] | unique | join(",")' "$TMP/c.json")" = "landkreis-goerlitz" ] && ok || bad "root default district is the main one: $(jq -c '[.hits[].districts]' "$TMP/c.json")"
TELLERRAND_CONFIG="$TMP/t.conf" expect_exit 0 "config from the environment" -- $T status
expect_grep "$TMP/out" "Dokumente:         2" "status reads the configured index"

printf 'db = %s\nfarbe = blau\n' "$DB" >"$TMP/bad.conf"
expect_exit 2 "unknown key" -- $T index --config "$TMP/bad.conf"
expect_grep "$TMP/err" "$TMP/bad.conf:2: unbekannter Schlüssel: farbe" "unknown key with file and line"
printf '[index]\njobs = viele\n' >"$TMP/bad2.conf"
expect_exit 2 "bad value" -- $T index --config "$TMP/bad2.conf" "$A"
expect_grep "$TMP/err" "$TMP/bad2.conf:2: ungültiger Wert für --jobs: viele" "bad value with file and line"

finish
