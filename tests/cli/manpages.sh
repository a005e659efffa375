# The manual pages (issue 20): each command's page lists the options that
# `tellerrand COMMAND --help` lists, with their help text, and each page has
# a whatis line that names the page.  Skipped where go-md2man was missing
# at build time (no pages built).
. "$TR_SOURCE_DIR/tests/cli/common.inc"
T=$TELLERRAND
MAN=$(dirname "$T")/man
[ -f "$MAN/tellerrand-query.1" ] || { echo "no manual pages built (go-md2man missing)"; exit 77; }
command -v man >/dev/null 2>&1 || { echo "man missing"; exit 77; }

render() { MANWIDTH=200 man -l "$1" 2>/dev/null | col -b; }

for cmd in index query status serve show why; do
	page=$MAN/tellerrand-$cmd.1
	render "$page" >"$TMP/man"
	$T "$cmd" --help >"$TMP/help"
	grep -o -- '--[a-z][a-z-]*' "$TMP/help" | sort -u >"$TMP/help-opts"
	sed -n '/^OPTIONS/,/^[A-Z]/p' "$TMP/man" | grep -o -- '--[a-z][a-z-]*' | sort -u >"$TMP/man-opts"
	# Options named in the description (e.g. --token-file) are options too.
	if comm -23 "$TMP/help-opts" "$TMP/man-opts" | grep -q .; then
		bad "$cmd: --help options missing in the manual: $(comm -23 "$TMP/help-opts" "$TMP/man-opts" | tr '\n' ' ')"
	else ok; fi
	if comm -13 "$TMP/help-opts" "$TMP/man-opts" | grep -q .; then
		bad "$cmd: manual options unknown to --help: $(comm -13 "$TMP/help-opts" "$TMP/man-opts" | tr '\n' ' ')"
	else ok; fi
	# Each option's help text, as --help words it, stands in the manual.
	sed -n '/^Optionen:/,$p' "$TMP/help" | sed -n 's/^  .*[^ ]  \+\([^ (][^(]*\).*/\1/p' |
		sed 's/ *$//' | while IFS= read -r text; do
			words=$(printf '%s' "$text" | cut -d' ' -f1-3)
			tr -s ' \n' ' ' <"$TMP/man" | grep -qF -- "$words" || echo "$words"
		done >"$TMP/missing"
	if [ -s "$TMP/missing" ]; then bad "$cmd: help texts missing in the manual: $(tr '\n' '|' <"$TMP/missing")"; else ok; fi
	expect_grep "$TMP/man" "EXIT STATUS" "$cmd: exit status section"
done

if command -v lexgrog >/dev/null 2>&1; then
	for p in "$MAN"/*.[15]; do
		name=$(basename "$p" | sed 's/\.[15]$//')
		lexgrog "$p" >"$TMP/whatis" 2>&1
		expect_grep "$TMP/whatis" "\"$name - " "$name: whatis line"
	done
fi
render "$MAN/tellerrand.conf.5" >"$TMP/conf"
expect_grep "$TMP/conf" "[root" "tellerrand.conf(5) describes [root] sections"
finish
