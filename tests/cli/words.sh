# Words the query side joins by Xapian's rules are found as the query
# writes them, because the term generation joins them the same way
# (docs/terms.md, "Words"): "C++", "C#", "3,5", "AT&T", "U.S.A."; and with
# XAPIAN_CJK_NGRAM set, which makes Xapian split CJK text into n-grams on
# both sides, a part of a CJK sentence is found.
. "$(dirname "$0")/common.inc"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
mkdir "$TMP/docs"
printf '# Kursplan\n\nDer C++ Kurs und der C#-Workshop finden mit 3,5 Stunden pro Woche statt,\ngefördert von AT&T und der U.S.A.-Botschaft.\n' >"$TMP/docs/kurs.md"
printf '# 交流\n\n日本語テキストの例です。\n' >"$TMP/docs/cjk.md"

# hits DB QUERY: the number of hits, then the file names, on one line.
hits() {
	"$TELLERRAND" query --db "$1" --format json "$2" | jq -r '[.total, (.hits[].path | split("/") | last)] | join(" ")'
}
# expect_hits DB QUERY WANT
expect_hits() {
	got=$(hits "$1" "$2")
	[ "$got" = "$3" ] && ok || bad "'$2' on $(basename "$1"): got '$got', want '$3'"
}

"$TELLERRAND" index --quiet --db "$TMP/db" "$TMP/docs" >/dev/null || { echo "indexing failed"; exit 1; }
for q in 'C++' 'C#' '3,5' 'AT&T' 'U.S.A.' 'usa'; do
	expect_hits "$TMP/db" "$q" "1 kurs.md"
done
# "C++" is one word, not "c": a query for the letter alone finds nothing.
expect_hits "$TMP/db" 'C' "0"
# Without n-grams a CJK run is one word.
expect_hits "$TMP/db" '本語' "0"
expect_hits "$TMP/db" '日本語テキストの例です' "1 cjk.md"

XAPIAN_CJK_NGRAM=1 "$TELLERRAND" index --quiet --db "$TMP/ngram" "$TMP/docs" >/dev/null || { echo "indexing with n-grams failed"; exit 1; }
export XAPIAN_CJK_NGRAM=1
expect_hits "$TMP/ngram" '本語' "1 cjk.md"
expect_hits "$TMP/ngram" 'C++' "1 kurs.md"
finish
