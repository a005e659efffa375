# A set of local shards (docs/shards.md): documents spread by a hash of the
# path or by district group, searched as one index; a document whose
# district changes moves to its new shard and is never found twice; the
# nightly machinery (incremental runs, --dry-run, --report, the lock,
# --full, fingerprints, SIGKILL) works per shard.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$TELLERRAND
A=$TMP/archiv
mkdir -p "$A"
cp -r "$TR_SOURCE_DIR/corpus/Netzwerk" "$TR_SOURCE_DIR/corpus/Presse" "$A/"
n=$(find "$A" -type f | wc -l)

paths() { $T query --alle-fassungen --db "$1" --limit 100000 --format json | jq -r '.hits[].path' | sort; }
facets() { $T query --db "$1" --format json "$2" | jq -S '{total, facets}'; }

# Hash shards hold what one index holds, and count it the same.
expect_exit 0 "one index" -- $T index --db "$TMP/one" "$A"
expect_exit 0 "hash shards" -- $T index --db "$TMP/hash" --shards 3 --report "$TMP/r.json" "$A"
expect_grep "$TMP/out" "enthält $n Dokumente in 3 Teilindizes" "summary names the shards"
expect_grep "$TMP/hash/XAPIANDB" "auto shard-2" "the stub lists the shards"
[ "$(jq '[.shards[].documents] | add' "$TMP/r.json")" -eq "$n" ] && [ "$(jq '[.shards[] | select(.documents > 0)] | length' "$TMP/r.json")" -eq 3 ] &&
	ok || bad "report counts per shard: $(jq -c .shards "$TMP/r.json")"
paths "$TMP/one" >"$TMP/p1"; paths "$TMP/hash" >"$TMP/p2"
cmp -s "$TMP/p1" "$TMP/p2" && [ "$(uniq -d "$TMP/p2" | wc -l)" -eq 0 ] && ok || bad "hash shards hold other documents: $(diff "$TMP/p1" "$TMP/p2" | head -n 4)"
for w in "" Netzwerktreffen "Sprachförderung Kita"; do
	facets "$TMP/one" "$w" >"$TMP/f1"; facets "$TMP/hash" "$w" >"$TMP/f2"
	cmp -s "$TMP/f1" "$TMP/f2" && ok || bad "facets for '$w' differ: $(diff "$TMP/f1" "$TMP/f2" | head -n 6)"
done
[ "$($T query --db "$TMP/hash" --format json Sprachfördrung | jq -r .corrected)" = "$($T query --db "$TMP/one" --format json Sprachfördrung | jq -r .corrected)" ] &&
	ok || bad "spelling suggestion of the set"
expect_exit 0 "status of a set" -- $T status --db "$TMP/hash"
expect_grep "$TMP/out" "Teilindizes:       meta: 0" "status lists the shards"
expect_grep "$TMP/out" "Dokumente:         $n" "status total"
expect_grep "$TMP/out" "Letzter Lauf:" "run metadata lives in the set's first database"
expect_exit 0 "no change" -- $T index --db "$TMP/hash" "$A"
expect_grep "$TMP/out" "0 neu, 0 geändert, 0 gelöscht, $n unverändert" "incremental per shard"

# A stub line Tellerrand does not know is an error with file and line.
mkdir "$TMP/badstub"
printf 'auto %s/hash/meta\nchert %s/hash/shard-0\n' "$TMP" "$TMP" >"$TMP/badstub/XAPIANDB"
expect_exit 1 "bad stub line" -- $T query --db "$TMP/badstub" Netzwerk
expect_grep "$TMP/err" "badstub/XAPIANDB:2: unbekannter Eintrag" "bad stub line named"

# The rule is fixed when the set is made: another needs --full.
expect_exit 2 "other shard count" -- $T index --db "$TMP/hash" --shards 2 "$A"
expect_grep "$TMP/err" "mit --full neu aufbauen" "says how to change the rule"
expect_exit 2 "shards over one index" -- $T index --db "$TMP/one" --shards 2 "$A"
expect_exit 2 "bad --shards" -- $T index --db "$TMP/x" --shards viele "$A"

# District groups from the configuration.
cat >"$TMP/k.conf" <<CONF
db = $TMP/kreis
[index]
shards = kreis
[shard west]
kreis = Chemnitz, Erzgebirgskreis, Mittelsachsen, Vogtlandkreis, Landkreis Zwickau
[shard ost]
kreis = Dresden, Landkreis Bautzen, Landkreis Görlitz, Meißen, Sächsische Schweiz-Osterzgebirge
[shard nord]
kreis = Leipzig, Landkreis Leipzig, Nordsachsen
CONF
expect_exit 0 "district shards" -- $T index --config "$TMP/k.conf" --report "$TMP/k.json" "$A"
in_shard() { # in_shard SHARD DISTRICT...: every document of SHARD has its main district among DISTRICTs
	$T query --db "$TMP/kreis/shard-$1" --limit 1000 --format json | jq -r '.hits[] | .districts[0] // "-"' | sort -u >"$TMP/main"
	shift
	for d in "$@"; do sed -i "/^$d\$/d" "$TMP/main"; done
	[ ! -s "$TMP/main" ]
}
in_shard west chemnitz erzgebirgskreis mittelsachsen vogtlandkreis landkreis-zwickau - && ok || bad "shard west holds $(cat "$TMP/main")"
in_shard ost dresden landkreis-bautzen landkreis-goerlitz landkreis-meissen saechsische-schweiz-osterzgebirge && ok || bad "shard ost holds $(cat "$TMP/main")"
in_shard nord leipzig landkreis-leipzig nordsachsen && ok || bad "shard nord holds $(cat "$TMP/main")"
printf '[index]\nshards = kreis\n[shard a]\nkreis = Dresden\n[shard b]\nkreis = Meißen, Dresden\n' >"$TMP/bad.conf"
expect_exit 2 "a district in two groups" -- $T index --config "$TMP/bad.conf" --db "$TMP/bad" "$A"
expect_grep "$TMP/err" "gehört schon zu [shard a]" "names the other group"

# A document whose district changes moves, and is found once.
F="$A/Netzwerk/Protokolle/2024/Protokoll_Netzwerktreffen_Chemnitz.md"
count_in() { $T query --db "$TMP/kreis/shard-$1" --limit 1000 --format json | jq '.total'; }
west=$(count_in west); ost=$(count_in ost)
sed -i 's/^landkreis: Stadt Chemnitz/landkreis: Stadt Dresden/' "$F"
expect_exit 0 "district changed" -- $T index --config "$TMP/k.conf" --report "$TMP/m.json" "$A"
[ "$(jq .counts.moved "$TMP/m.json")" = 1 ] && ok || bad "report counts the move: $(jq -c .counts "$TMP/m.json")"
[ "$(count_in west)" -eq $((west - 1)) ] && [ "$(count_in ost)" -eq $((ost + 1)) ] && ok || bad "moved from west ($west → $(count_in west)) to ost ($ost → $(count_in ost))"
[ "$(paths "$TMP/kreis" | grep -c Protokoll_Netzwerktreffen_Chemnitz)" -eq 1 ] && ok || bad "moved document found $(paths "$TMP/kreis" | grep -c Protokoll_Netzwerktreffen_Chemnitz) times"
[ "$(paths "$TMP/kreis" | uniq -d | wc -l)" -eq 0 ] && ok || bad "duplicates in the set"
[ "$($T query --db "$TMP/kreis" --format json Kulturhauptstadt --kreis Dresden | jq .total)" -ge 1 ] && ok || bad "moved document under its new district"

# Dry run, lock, fingerprints.
printf 'Neue Notiz zur Elternarbeit in Bautzen.\n' >"$A/notiz.txt"
expect_exit 0 "dry run on a set" -- $T index --config "$TMP/k.conf" --dry-run "$A"
expect_grep "$TMP/out" "neu: $A/notiz.txt" "dry run lists the new file"
[ "$(paths "$TMP/kreis" | grep -c notiz.txt)" -eq 0 ] && ok || bad "dry run wrote to the set"
if command -v flock >/dev/null; then
	flock "$TMP/kreis.lock" sleep 3 &
	sleep 0.3
	expect_exit 75 "set locked" -- $T index --config "$TMP/k.conf" "$A"
	wait
fi
mkfifo "$TMP/hold"
"$TR_HOLD_LOCK" "$TMP/kreis/shard-nord" <"$TMP/hold" >"$TMP/held" &
exec 9>"$TMP/hold"
i=0; while ! grep -q locked "$TMP/held" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
expect_exit 75 "a shard held by another writer" -- $T index --config "$TMP/k.conf" "$A"
exec 9>&-
wait
cp -r "$TR_SOURCE_DIR/data" "$TMP/data"
printf 'sport\tSport\tsport*;fussball\n' >>"$TMP/data/topics.tsv"
expect_exit 0 "data changed" -- $T index --config "$TMP/k.conf" --data-dir "$TMP/data" "$A"
expect_grep "$TMP/err" "topics.tsv hat sich geändert" "fingerprint change explained"
expect_grep "$TMP/out" "1 neu, $n geändert" "every shard re-read"
[ "$(paths "$TMP/kreis" | wc -l)" -eq $((n + 1)) ] && ok || bad "after re-reading: $(paths "$TMP/kreis" | wc -l) documents"

# --full swaps the whole set at once; queries keep answering meanwhile.
i=0; fails=0
$T index --config "$TMP/k.conf" --data-dir "$TMP/data" --full "$A" >"$TMP/full.out" 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null && [ $i -lt 200 ]; do
	$T query --db "$TMP/kreis" Netzwerk >/dev/null 2>"$TMP/qerr" || { fails=$((fails + 1)); cp "$TMP/qerr" "$TMP/qerr1"; }
	i=$((i + 1))
done
wait $pid && ok || bad "--full of a set: $(cat "$TMP/full.out")"
[ $fails -eq 0 ] && ok || bad "$fails of $i queries failed during --full: $(cat "$TMP/qerr1")"
[ ! -e "$TMP/kreis.neu" ] && ok || bad "--full left its build folder"
expect_exit 0 "--full to another rule" -- $T index --db "$TMP/kreis" --shards 2 --full "$A"
expect_grep "$TMP/kreis/XAPIANDB" "auto shard-1" "the new set has the new rule"
[ "$(paths "$TMP/kreis" | wc -l)" -eq $((n + 1)) ] && ok || bad "after --full: $(paths "$TMP/kreis" | wc -l) documents"

# Killed at any moment, a set answers with what it committed, and the
# next run completes it: the same documents as an uninterrupted run.
for k in 1 2 3 4 5 6; do cp -r "$A/Netzwerk" "$A/kopie$k"; done
m=$(find "$A" -type f | wc -l)
$T index --quiet --db "$TMP/kill" --shards 3 --batch 5 --jobs 2 "$A" >/dev/null 2>&1 &
pid=$!
sleep 0.4
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
if [ -e "$TMP/kill/XAPIANDB" ] && ! $T query --db "$TMP/kill" Netzwerk >/dev/null 2>"$TMP/err"; then
	bad "killed set does not answer: $(cat "$TMP/err")"
else ok; fi
sleep 0.3
expect_exit 0 "resume after SIGKILL" -- $T index --quiet --db "$TMP/kill" --jobs 2 "$A"
[ "$(paths "$TMP/kill" | wc -l)" -eq "$m" ] && [ "$(paths "$TMP/kill" | uniq -d | wc -l)" -eq 0 ] && ok ||
	bad "after kill and resume: $(paths "$TMP/kill" | wc -l) of $m documents"

finish
