#!/bin/sh
# End-to-end test of the search page in a real browser: indexes corpus/,
# starts `tellerrand serve` on a free loopback port and runs search.mjs in
# Debian's Chromium through playwright-core (installed from npm into the build
# directory; node_modules never lives in the source tree).  The screenshot of
# the result page is kept as a test artifact in $TR_BUILD_DIR/browser-test/.
# Skipped (77) only where Chromium is missing.
# TR_DOCS_SCREENSHOT=FILE also writes the picture for docs/screenshot-suche.png.
set -u
: "${TELLERRAND:?set by ctest}"
: "${TR_SOURCE_DIR:?set by ctest}"
: "${TR_BUILD_DIR:?set by ctest}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || { echo "chromium missing ($CHROMIUM): skipped"; exit 77; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "node/npm missing (scripts/bootstrap installs them)"; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
work=$TR_BUILD_DIR/browser-test
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/search.mjs" "$work/"
# npm ci only when the lock file changed since the last install.
if ! cmp -s "$work/package-lock.json" "$work/.installed-lock" || [ ! -d "$work/node_modules/playwright-core" ]; then
	(cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; exit 1; }
	cp "$work/package-lock.json" "$work/.installed-lock"
fi

TMP=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE
timeout 300 "$TELLERRAND" index --quiet --db "$TMP/db" "$TR_SOURCE_DIR/corpus" >/dev/null || { echo "indexing failed"; exit 1; }
# A free port for the stand-in intranet page that embeds the search box.
TR_EMBED_PORT=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
export TR_EMBED_PORT
"$TELLERRAND" serve --db "$TMP/db" --listen 127.0.0.1:0 --root "$TR_SOURCE_DIR/corpus" \
	--allow-origin "http://127.0.0.1:$TR_EMBED_PORT" >"$TMP/out" 2>"$TMP/err" &
pid=$!
i=0
while ! grep -q 'http://' "$TMP/out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(sed -n 's|.*\(http://[^ ]*/\).*|\1|p' "$TMP/out")
[ -n "$url" ] || { echo "server did not start: $(cat "$TMP/err")"; exit 1; }

timeout 300 node "$work/search.mjs" "$url" "$work/suche.png" ${TR_DOCS_SCREENSHOT:+"$TR_DOCS_SCREENSHOT"}
rc=$?
echo "screenshot: $work/suche.png"
[ $rc -ne 0 ] && [ -s "$TMP/err" ] && { echo "server log:"; cat "$TMP/err"; }
exit $rc
