# Scans pasted into office documents (docs/ocr.md, "What is read"): the
# pictures of a .docx, .odt without text of their own, and of a .pptx or
# .odp slide without text of its own, are read by OCR and found, on the
# right slide; a document with text of its own keeps its pictures unread;
# a logo-sized picture is not read; with --no-ocr a picture-only document
# is skipped as blank, as before.  The scans are made by make_scan and
# wrapped by make_office at test time.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
[ -x "${TR_MAKE_SCAN:-}" ] || { echo "make_scan missing: skipped"; exit 77; }
[ -x "${TR_MAKE_OFFICE:-}" ] || { echo "make_office missing: skipped"; exit 77; }
[ -f /usr/share/tesseract-ocr/5/tessdata/deu.traineddata ] || { echo "tesseract-ocr-deu missing: skipped"; exit 77; }
# The helpers are test tools: what cairo and fontconfig keep until exit is no leak of Tellerrand's.
scan() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$TR_MAKE_SCAN" "$@"; }
office() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$TR_MAKE_OFFICE" "$@"; }
S=$TMP/scans
A=$TMP/archiv
mkdir -p "$S" "$A"
printf 'Brief des Schulamts\nDie Lesepatenschaft beginnt im Oktober.\n' >"$S/brief.txt"
printf 'Zweite Folie als Scan\nDie Schulwegbegleitung startet am Montag.\n' >"$S/folie.txt"
printf 'Aushang der Jugendhilfe\nDas Sommerferienprogramm ist ausgebucht.\n' >"$S/aushang.txt"
printf 'Handzettel als Scan\nDie Mittagsversorgung wird teurer.\n' >"$S/zettel.txt"
printf 'Beigelegtes Blatt\nDie Elternbeiratssitzung wurde verschoben.\n' >"$S/beilage.txt"
printf 'Schulamt\n' >"$S/logo.txt"
printf 'Wiederholte Folie\nDer Kinderschutzbeauftragte stellt sich vor.\n' >"$S/zweimal.txt"
{
	scan "$S/brief.png" "$S/brief.txt" &&
	scan "$S/folie.jpg" "$S/folie.txt" &&
	scan "$S/aushang.png" "$S/aushang.txt" &&
	scan "$S/zettel.tif" "$S/zettel.txt" &&
	scan "$S/beilage.png" "$S/beilage.txt" &&
	scan --pt 8 --dpi 100 "$S/logo.png" "$S/logo.txt" &&
	scan "$S/zweimal.png" "$S/zweimal.txt" &&
	office "$A/eingescannt.docx" "pic:$S/brief.png" &&
	office "$A/Vortrag.pptx" "text:Gliederung des Elternabends" "pic:$S/folie.jpg" "text:Anhang|pic:$S/beilage.png" &&
	office "$A/Aushang.odt" "pic:$S/aushang.png" &&
	office "$A/Vortrag2.odp" "text:Tagesordnung der Runde" "pic:$S/zettel.tif" &&
	office "$A/mit Text.docx" "text:Bericht des Arbeitskreises Integration" "pic:$S/beilage.png" &&
	office "$A/nur Logo.docx" "pic:$S/logo.png" &&
	office "$A/Wiederholung.pptx" "text:Einleitung" "pic:$S/zweimal.png" "pic:$S/zweimal.png" &&
	head -c 3000 "$S/brief.png" >"$S/kaputt.png" &&
	office "$A/kaputtes Bild.docx" "pic:$S/kaputt.png"
} || { bad "make_scan or make_office failed"; finish; exit 1; }

"$TELLERRAND" index --jobs 2 --timeout 5 --db "$TMP/db" --report "$TMP/r.json" "$A" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 0 ] && ok || bad "index: exit $rc, want 0: $(head -c 600 "$TMP/err")"
# The five scans are read, the one on two slides of Wiederholung.pptx once;
# the pictures of "mit Text.docx" and of the third slide of Vortrag.pptx
# (both with text of their own) and the logo are not.
pages=$(jq '.counts.ocr_pages' "$TMP/r.json")
[ "$pages" -eq 5 ] && ok || bad "$pages pictures recognised, want 5"
expect_grep "$TMP/err" "nur Logo.docx: übersprungen – leeres Dokument (kein Text)" "a logo alone is not read"
expect_grep "$TMP/err" "kaputtes Bild.docx: übersprungen – leeres Dokument (kein Text): beschädigt: Bildseite 1 nicht lesbar" \
	"a broken picture: the reason"
n=$(grep -c . "$TMP/err")
[ "$n" -eq 2 ] && ok || bad "$n lines on stderr, want 2: $(cat "$TMP/err")"

# WORD | file | page or slide (JSON; none for a text document)
while IFS='|' read -r word file page; do
	[ -n "$word" ] || continue
	got=$(hits_at "$TMP/db" "$word")
	[ "$got" = "$file $page" ] && ok || bad "$word: found in '$got', want '$file $page'"
done <<'CASES'
Lesepatenschaft|eingescannt.docx|none
Schulwegbegleitung|Vortrag.pptx|2
Gliederung|Vortrag.pptx|1
Sommerferienprogramm|Aushang.odt|none
Mittagsversorgung|Vortrag2.odp|2
Arbeitskreises|mit Text.docx|none
Kinderschutzbeauftragte|Wiederholung.pptx|2
CASES
# The picture shown twice is on both slides.
"$TELLERRAND" show "$A/Wiederholung.pptx" >"$TMP/show.txt" 2>&1
n=$(grep -c "Kinderschutzbeauftragte" "$TMP/show.txt")
[ "$n" -eq 2 ] && ok || bad "a picture on two slides: found $n times, want 2: $(head -c 600 "$TMP/show.txt")"
# A document or slide with text of its own: its picture is not read (the rule of docs/ocr.md).
"$TELLERRAND" query --db "$TMP/db" --format json Elternbeiratssitzung >"$TMP/res.json" 2>&1
got=$(jq '.hits | length' "$TMP/res.json")
[ "$got" = 0 ] && ok || bad "the picture of a document with text was read: $got hits"
# The text output names the slide.
"$TELLERRAND" query --db "$TMP/db" Schulwegbegleitung >"$TMP/res.txt" 2>&1
expect_grep "$TMP/res.txt" "Vortrag.pptx · Folie 2" "text hit on the slide"

# --- Again from the cache: nothing is recognised anew ---------------------------
"$TELLERRAND" index --jobs 2 --full --db "$TMP/db" --report "$TMP/r2.json" "$A" >/dev/null 2>&1
got=$(jq -c '[.counts.ocr_pages, .counts.ocr_cached]' "$TMP/r2.json")
[ "$got" = "[0,5]" ] && ok || bad "--full: [ocr_pages, ocr_cached] = $got, want [0,5]"

# --- With --no-ocr: today's behaviour --------------------------------------------
"$TELLERRAND" index --no-ocr --jobs 2 --db "$TMP/db3" --report "$TMP/r3.json" "$A" >/dev/null 2>"$TMP/err"
for f in eingescannt.docx Aushang.odt "nur Logo.docx"; do
	expect_grep "$TMP/err" "$f: übersprungen – leeres Dokument (kein Text)" "--no-ocr: $f"
done
got=$(jq -c '[.counts.added, .counts.ocr_pages]' "$TMP/r3.json")
[ "$got" = "[4,0]" ] && ok || bad "--no-ocr: [added, ocr_pages] = $got, want [4,0]"
"$TELLERRAND" query --db "$TMP/db3" --format json Schulwegbegleitung >"$TMP/res.json" 2>&1
got=$(jq '.hits | length' "$TMP/res.json")
[ "$got" = 0 ] && ok || bad "--no-ocr: the slide's picture was read: $got hits"
finish
