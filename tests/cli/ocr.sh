# OCR of scans (issue 16): scans made at test time by make_scan from the
# texts in tests/fixtures/ocr/ are found by their words, in the right file
# and on the right page; a mixed PDF has only its picture page recognised;
# a renamed scan and a --full rebuild take the text from the OCR cache
# (counted in the report); --no-ocr and "ocr = no" skip images; broken and
# oversized images cost only themselves, each with a one-line reason; the
# per-file time limit grows with the pages recognised; a scan attached to
# a mail is recognised as well.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
[ -x "${TR_MAKE_SCAN:-}" ] || { echo "make_scan missing: skipped"; exit 77; }
[ -f /usr/share/tesseract-ocr/5/tessdata/deu.traineddata ] || { echo "tesseract-ocr-deu missing: skipped"; exit 77; }
FIX=$TR_SOURCE_DIR/tests/fixtures/ocr
# make_scan is a test helper: what cairo and fontconfig keep until exit is no leak of Tellerrand's.
scan() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$TR_MAKE_SCAN" "$@"; }
A=$TMP/archiv
mkdir -p "$A/Scans" "$A/Kaputt"
scan --skew 0.4 --noise 6 "$A/Scans/Protokoll Steuerungsrunde.png" "$FIX/seite.txt" &&
scan "$A/Scans/Einladung gemischt.pdf" "text:$FIX/textseite.txt" "scan:$FIX/scanseite.txt" &&
scan "$A/Scans/Rundschreiben.tif" "$FIX/tiff1.txt" "$FIX/tiff2.txt" ||
	{ bad "make_scan failed"; finish; exit 1; }
# A truncated PNG, a PNG header claiming 100,000 x 100,000 pixels, a JPEG of nothing but its marker.
head -c 3000 "$A/Scans/Protokoll Steuerungsrunde.png" >"$A/Kaputt/abgeschnitten.png"
printf '\211PNG\r\n\032\n\000\000\000\015IHDR\000\001\206\240\000\001\206\240\010\000\000\000\000\215\071\124\024\000\000\000\000IDAT\000\000\000\000\000\000\000\000' >"$A/Kaputt/riesig.png"
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\331' >"$A/Kaputt/leer.jpg"
cp "$TR_SOURCE_DIR/tests/fixtures/office/scan.pdf" "$A/Kaputt/balken.pdf"

# --- First run: everything recognised ---------------------------------------
# A file may take 5 s, and each page begun adds the page limit: recognition
# (loading the model and reading a page often take longer on a shared
# machine) is covered, nothing times out.
"$TELLERRAND" index --jobs 2 --timeout 5 --db "$TMP/db" --report "$TMP/r1.json" "$A" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "first run: exit $rc, want 3 (broken images fail): $(head -c 600 "$TMP/err")"
for m in \
	"abgeschnitten.png: übersprungen – beschädigt: Bildseite 1 nicht lesbar" \
	"riesig.png: übersprungen – Bild zu groß (100000 × 100000 Pixel, Grenze 50 Millionen)" \
	"leer.jpg: übersprungen – beschädigt: kein lesbares Bild" \
	"balken.pdf: übersprungen – kein Text (Scan?)"
do
	expect_grep "$TMP/err" "$m" "broken file message"
done
n=$(grep -c . "$TMP/err")
[ "$n" -eq 4 ] && ok || bad "first run: $n lines on stderr, want one per broken file: $(cat "$TMP/err")"
pages=$(jq '.counts.ocr_pages' "$TMP/r1.json")
# The PNG (1), the PDF's picture page (1), the TIFF (2) and the black bars of balken.pdf (1).
[ "$pages" -eq 5 ] && ok || bad "first run: $pages pages recognised, want 5"
expect_grep "$TMP/out" "Texterkennung: 5 Seiten gelesen, 0 aus dem Zwischenspeicher" "summary counts OCR"

# WORD | file | page (JSON; none for a single image)
while IFS='|' read -r word file page; do
	[ -n "$word" ] || continue
	got=$(hits_at "$TMP/db" "$word")
	[ "$got" = "$file $page" ] && ok || bad "$word: found in '$got', want '$file $page'"
done <<'CASES'
Quellwasserbrunnen|Protokoll Steuerungsrunde.png|none
Sprachstandsfeststellung|Protokoll Steuerungsrunde.png|none
Willkommensmappe|Einladung gemischt.pdf|1
Kastanienallee|Einladung gemischt.pdf|2
Laternenumzug|Rundschreiben.tif|1
Kürbissuppe|Rundschreiben.tif|2
CASES

# --- A mixed PDF alone: only its picture page is recognised -------------------
mkdir -p "$TMP/gemischt"
cp "$A/Scans/Einladung gemischt.pdf" "$TMP/gemischt/"
"$TELLERRAND" index --jobs 1 --db "$TMP/db2" --ocr-cache 0 --report "$TMP/r2.json" "$TMP/gemischt" >/dev/null 2>"$TMP/err"
got=$(jq -c '[.counts.added, .counts.ocr_pages, .counts.ocr_cached]' "$TMP/r2.json")
[ "$got" = "[1,1,0]" ] && ok || bad "mixed PDF: [added, ocr_pages, ocr_cached] = $got, want [1,1,0]"

# --- A scan attached to a mail is recognised too ------------------------------
mkdir -p "$TMP/post"
{
	printf 'From: Koordination <bk@example.org>\nTo: netz@example.org\nSubject: Protokoll als Scan\n'
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\nAnbei das Protokoll.\n--b1\n'
	printf 'Content-Type: image/png\nContent-Disposition: attachment; filename="protokoll.png"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	base64 "$A/Scans/Protokoll Steuerungsrunde.png"
	printf -- '--b1--\n'
} >"$TMP/post/scan.eml"
"$TELLERRAND" index --jobs 1 --db "$TMP/db3" --ocr-cache 0 "$TMP/post" >/dev/null 2>"$TMP/err"
"$TELLERRAND" query --db "$TMP/db3" --format json Quellwasserbrunnen >"$TMP/res.json"
got=$(jq -r '[.hits[].path | sub("^.*/"; "")] | join(",")' "$TMP/res.json")
[ "$got" = "scan.eml" ] && ok || bad "scan attached to a mail: found in '$got', want scan.eml ($(head -c 300 "$TMP/err"))"

# --- Renamed and touched: from the cache, not recognised again ----------------
mv "$A/Scans/Protokoll Steuerungsrunde.png" "$A/Scans/Protokoll Steuerungsrunde 2019.png"
touch "$A/Scans/Rundschreiben.tif"
"$TELLERRAND" index --jobs 2 --db "$TMP/db" --report "$TMP/r3.json" "$A" >/dev/null 2>"$TMP/err"
got=$(jq -c '[.counts.added, .counts.deleted, .counts.touched, .counts.ocr_pages, .counts.ocr_cached]' "$TMP/r3.json")
# The touched TIFF has the same content hash: not even read; balken.pdf failed and is unchanged: not read.
[ "$got" = "[1,1,1,0,1]" ] && ok || bad "rename: [added, deleted, touched, ocr_pages, ocr_cached] = $got, want [1,1,1,0,1]"
"$TELLERRAND" query --db "$TMP/db" --format json Quellwasserbrunnen >"$TMP/res.json"
got=$(jq -r '.hits[0].path | sub("^.*/"; "")' "$TMP/res.json")
[ "$got" = "Protokoll Steuerungsrunde 2019.png" ] && ok || bad "renamed scan: found as '$got'"

# --- --full rebuilds the index but keeps the OCR cache ------------------------
"$TELLERRAND" index --full --jobs 2 --db "$TMP/db" --report "$TMP/r4.json" "$A" >/dev/null 2>"$TMP/err"
got=$(jq -c '[.counts.ocr_pages, .counts.ocr_cached]' "$TMP/r4.json")
# Five pages, the black bars of balken.pdf too: that nothing is legible there is remembered as well.
[ "$got" = "[0,5]" ] && ok || bad "--full: [ocr_pages, ocr_cached] = $got, want [0,5]"
[ -d "$TMP/.db.ocr" ] && ok || bad "the OCR cache is not beside the index"

# --- Without OCR: images are skipped, text pages still indexed ----------------
"$TELLERRAND" index --full --no-ocr --jobs 2 --db "$TMP/db" --report "$TMP/r5.json" "$A" >/dev/null 2>"$TMP/err"
expect_grep "$TMP/err" "Rundschreiben.tif: übersprungen – Bild – Texterkennung (OCR) ausgeschaltet" "--no-ocr message"
# The scan warning stays for the page that is now not read.
expect_grep "$TMP/err" "Einladung gemischt.pdf: kein Text (Scan?) auf Seite 2 – Texterkennung ausgeschaltet" "--no-ocr page warning"
"$TELLERRAND" query --db "$TMP/db" --format json Willkommensmappe >"$TMP/res.json"
[ "$(jq '.total' "$TMP/res.json")" -eq 1 ] && ok || bad "--no-ocr: the mixed PDF's text page is gone"
"$TELLERRAND" query --db "$TMP/db" --format json Kastanienallee >"$TMP/res.json"
[ "$(jq '.total' "$TMP/res.json")" -eq 0 ] && ok || bad "--no-ocr: the picture page was read"
printf '[index]\nocr = no\n' >"$TMP/conf"
"$TELLERRAND" index --config "$TMP/conf" --full --jobs 2 --db "$TMP/db" --report "$TMP/r6.json" "$A" >/dev/null 2>"$TMP/err"
[ "$(jq '.counts.ocr_pages + .counts.ocr_cached' "$TMP/r6.json")" -eq 0 ] && ok || bad "ocr = no in the configuration ignored"

finish
