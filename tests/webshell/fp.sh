#!/bin/bash
# False positives on real benign code: downloads the Debian packages wordpress,
# phpmyadmin, mediawiki and tomcat10-examples (apt-get download, no install),
# unpacks them with dpkg-deb -x, scans with `vigil scan --json --all` and asserts
# zero malicious findings. Prints the number of files scanned and every suspicious
# file. Skips with a message when apt is unavailable or the download fails.
# The unpacked tree is kept in $VIGIL_FP_CACHE (default /var/tmp/vigil-webshell-fp) so
# reruns and bench/webshell_scan.sh do not download again. Run alone:
#   SRCDIR=$PWD VIGIL=$PWD/build/vigil bash tests/webshell/fp.sh
source "$SRCDIR/tests/lib.sh"
export VIGIL_WEBSHELL_RULES=$SRCDIR/rules/webshell
CACHE=${VIGIL_FP_CACHE:-/var/tmp/vigil-webshell-fp}
PKGS="wordpress phpmyadmin mediawiki tomcat10-examples"

fp_fetch() {
	[ -f "$CACHE/.complete" ] && return 0
	command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || return 1
	rm -rf "$CACHE" && mkdir -p "$CACHE/debs" "$CACHE/root" || return 1
	# apt-get download runs unsandboxed when the directory is not _apt's; harmless.
	(cd "$CACHE/debs" && timeout 300 apt-get download -q $PKGS) >"$CACHE/download.log" 2>&1 ||
		return 1
	for d in "$CACHE"/debs/*.deb; do dpkg-deb -x "$d" "$CACHE/root" || return 1; done
	touch "$CACHE/.complete"
}

if ! fp_fetch; then
	skip "false positives on $PKGS" "apt-get download unavailable ($(tail -1 "$CACHE/download.log" 2>/dev/null))"
	finish
fi

run "$VIGIL" scan --json --all --no-progress "$CACHE/root"
expect_clean_stderr "benign packages: no sanitizer reports"
files=$(grep -c '"path"' <<<"$OUT")
mal=$(grep -c '"level":"malicious"' <<<"$OUT")
sus=$(grep -c '"level":"suspicious"' <<<"$OUT")
echo "# scanned $files files from: $PKGS"
echo "# $mal malicious, $sus suspicious"
grep -E '"level":"(malicious|suspicious)"' <<<"$OUT" | cut -c1-300 | sed 's/^/# /'
[ "$files" -gt 10000 ]
expect_eq "benign packages: more than 10000 files were scanned" "$?" 0
expect_eq "benign packages: zero malicious findings" "$mal" 0
expect_match "benign packages: summary line" err ': 0 malicious, [0-9]+ suspicious'
finish
