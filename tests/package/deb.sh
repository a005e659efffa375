# The Debian package end to end (issue 20): scripts/package builds it, apt-get
# installs it into this machine, the installed program, manual page, units
# and completion work, the `tellerrand` user indexes the corpus with the
# installed configuration, and removing the package leaves nothing of it but
# the conffile (purging takes that and the index too).
# Needs root and dpkg-buildpackage (scripts/bootstrap installs it); else 77.
. "$TR_SOURCE_DIR/tests/cli/common.inc"
command -v dpkg-buildpackage >/dev/null 2>&1 || { echo "dpkg-buildpackage missing"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "needs root (installs the package)"; exit 77; }
if dpkg-query -W -f='${Status}' tellerrand 2>/dev/null | grep -q 'ok installed'; then
	echo "a tellerrand package is installed already; not touching it"; exit 77
fi
trap 'apt-get purge -y -qq tellerrand >/dev/null 2>&1; rm -rf "$TMP"' EXIT

expect_exit 0 "scripts/package" -- env TR_BUILD_DIR="$TMP/pkg" "$TR_SOURCE_DIR/scripts/package"
deb=$(ls "$TMP"/pkg/tellerrand_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { bad "no .deb built: $(tail -n 5 "$TMP/err")"; finish; exit 1; }

if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error "$deb" >"$TMP/lintian" 2>&1 && ok || bad "lintian errors: $(grep '^E:' "$TMP/lintian" | head -n 5 | tr '\n' ' ')"
fi
expect_exit 0 "apt-get install ./deb" -- env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb"
dpkg -L tellerrand | sort >"$TMP/files"
expect_exit 0 "installed --version" -- /usr/bin/tellerrand --version
expect_grep "$TMP/out" "Indexformat" "--version names the index format"
expect_exit 0 "man -w tellerrand-query" -- man -w tellerrand-query
expect_grep "$TMP/out" "/usr/share/man/man1/tellerrand-query.1" "manual page installed"
expect_exit 0 "man -w 5 tellerrand.conf" -- man -w 5 tellerrand.conf
if command -v systemd-analyze >/dev/null 2>&1; then
	expect_exit 0 "systemd-analyze verify" -- systemd-analyze verify \
		/lib/systemd/system/tellerrand-index.service /lib/systemd/system/tellerrand-index.timer \
		/lib/systemd/system/tellerrand-serve.service
fi
[ -f /etc/tellerrand/tellerrand.conf ] && ok || bad "no /etc/tellerrand/tellerrand.conf"
getent passwd tellerrand >/dev/null && ok || bad "no system user tellerrand"
[ -d /var/lib/tellerrand ] && ok || bad "no /var/lib/tellerrand"
# Installed but not enabled.
if command -v systemctl >/dev/null 2>&1; then
	state=$(systemctl is-enabled tellerrand-index.timer 2>/dev/null || true)
	[ "$state" != enabled ] && ok || bad "timer enabled on install"
fi
# The completion offers the districts' keys for --kreis.
if [ -r /usr/share/bash-completion/bash_completion ]; then
	bash -c '. /usr/share/bash-completion/bash_completion
		. /usr/share/bash-completion/completions/tellerrand
		COMP_WORDS=(tellerrand query --kreis mi); COMP_CWORD=3; COMP_LINE="tellerrand query --kreis mi"; COMP_POINT=${#COMP_LINE}
		_tellerrand; printf "%s\n" "${COMPREPLY[@]}"' >"$TMP/compl" 2>&1
	expect_grep "$TMP/compl" "mittelsachsen" "completion of --kreis values"
fi

# The corpus, readable by the service user, indexed with the installed
# configuration (its db is /var/lib/tellerrand/index).
mkdir -p "$TMP/archiv" && cp -r "$TR_SOURCE_DIR/corpus/." "$TMP/archiv/"
chmod 755 "$TMP" && chmod -R a+rX "$TMP/archiv"
expect_exit 0 "index as tellerrand" -- runuser -u tellerrand -- /usr/bin/tellerrand index -q "$TMP/archiv"
[ -d /var/lib/tellerrand/index ] && ok || bad "index not at the configured db"
expect_exit 0 "query as tellerrand" -- runuser -u tellerrand -- /usr/bin/tellerrand query --limit 1 Netzwerktreffen
expect_grep "$TMP/out" "Netzwerk" "installed query finds the corpus"

# Remove: every file the package brought is gone but the conffile.
expect_exit 0 "apt-get remove" -- env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq tellerrand
while IFS= read -r f; do
	[ -f "$f" ] || continue
	case $f in /etc/tellerrand/tellerrand.conf) continue ;; esac
	echo "$f"
done <"$TMP/files" >"$TMP/left"
[ -s "$TMP/left" ] && bad "files left after remove: $(head -n 5 "$TMP/left" | tr '\n' ' ')" || ok
[ -f /etc/tellerrand/tellerrand.conf ] && ok || bad "conffile removed by remove"
expect_exit 0 "apt-get purge" -- env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tellerrand
[ ! -e /etc/tellerrand/tellerrand.conf ] && [ ! -e /var/lib/tellerrand ] && ok || bad "purge left /etc/tellerrand or /var/lib/tellerrand"
finish
