#!/bin/bash
# Webshell detection quality and cost of `vigil scan` (rules + statistics + taint paths):
#  1. recall per language and per technique on tests/webshell/samples/technique (written
#     for vigil together with the taint engine: they show what it was built to catch,
#     not how it does on shells nobody has seen);
#  2. false positives on the benign Debian packages of tests/webshell/fp.sh (wordpress,
#     phpmyadmin, mediawiki, tomcat10-examples; fetched once into /var/tmp/vigil-webshell-fp)
#     and on more real code fetched here once into /var/tmp/vigil-webshell-fp-extra
#     (roundcube, dokuwiki, jetty9, Symfony, Horde, Twig, TCPDF, phpseclib...) and in
#     /var/tmp/vigil-webshell-fp-more (tomcat10-admin/-docs, cacti, zabbix, icingaweb2,
#     tt-rss, adminer);
#  3. throughput per thread (MiB per CPU-second, user+sys) and peak memory on that tree;
#  4. time and peak memory on hostile 1 MiB files (`<%%>` repeated, nested parentheses).
# Usage: bench/webshell_recall.sh   (after `make`; BASE=/path/to/older/vigil adds a
# column for that binary's recall, e.g. one built from the commit before the engine)
set -euo pipefail
cd "$(dirname "$0")/.."
SRCDIR=$PWD
VIGIL=${VIGIL:-$PWD/${BUILD:-build}/vigil}
BASE=${BASE:-}
export VIGIL_WEBSHELL_RULES=$PWD/rules/webshell
SAMPLES=$PWD/tests/webshell/samples
TREE=${VIGIL_FP_CACHE:-/var/tmp/vigil-webshell-fp}/root
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -x "$VIGIL" ] || { echo "bench: build vigil first (make)" >&2; exit 1; }

recall() {	# recall BINARY -> prints "technique lang n malicious suspicious+" per technique
	"$1" scan --json --all --no-progress "$SAMPLES/technique" >"$TMP/r.json" 2>/dev/null || true
	grep '^technique/' "$SAMPLES/expected.tsv" | while IFS=$'\t' read -r p _ _; do
		lvl=$(grep -F "\"path\":\"$SAMPLES/$p\"" "$TMP/r.json" | grep -o '"level":"[a-z]*"' |
			cut -d'"' -f4)
		f=${p##*/}
		echo "${f%_*} $(cut -d/ -f2 <<<"$p") ${lvl:-error}"
	done | awk '{k=$1" "$2; n[k]++; if ($3=="malicious") m[k]++; if ($3!="clean") s[k]++}
		END {for (k in n) printf "%s %d %d %d\n", k, n[k], m[k], s[k]}' | sort
}

echo "== recall on tests/webshell/samples/technique (malicious / suspicious or worse)"
recall "$VIGIL" >"$TMP/new.txt"
[ -n "$BASE" ] && recall "$BASE" >"$TMP/base.txt"
printf '%-24s %-5s %3s %10s %10s' technique lang n malicious "susp+"
[ -n "$BASE" ] && printf ' %16s %10s' "base malicious" "base susp+"
echo
while read -r t l n m s; do
	printf '%-24s %-5s %3d %10s %10s' "$t" "$l" "$n" "$m/$n" "$s/$n"
	[ -n "$BASE" ] && printf ' %16s %10s' "$(awk -v t="$t" '$1==t {print $4"/"$3}' "$TMP/base.txt")" \
		"$(awk -v t="$t" '$1==t {print $5"/"$3}' "$TMP/base.txt")"
	echo
done <"$TMP/new.txt"
awk '{n[$2]+=$3; m[$2]+=$4; s[$2]+=$5; N+=$3; M+=$4; S+=$5}
	END {for (l in n) printf "%-30s %3d %9.1f%% %9.1f%%\n", "all " l, n[l], 100*m[l]/n[l], 100*s[l]/n[l];
	printf "%-30s %3d %9.1f%% %9.1f%%\n", "all", N, 100*M/N, 100*S/N}' "$TMP/new.txt" | sort
if [ -n "$BASE" ]; then
	awk '{n[$2]+=$3; m[$2]+=$4; s[$2]+=$5}
		END {for (l in n) printf "base %-25s %3d %9.1f%% %9.1f%%\n", "all " l, n[l], 100*m[l]/n[l], 100*s[l]/n[l]}' \
		"$TMP/base.txt" | sort
fi

# extra_set DIR PACKAGES: fetches the Debian packages once into DIR, scans them and
# prints the counts and every suspicious or malicious file.
extra_set() {
	local dir=$1 pkgs=$2
	if [ ! -f "$dir/.complete" ] && command -v apt-get >/dev/null; then
		rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root"
		# shellcheck disable=SC2086
		if (cd "$dir/debs" && timeout 300 apt-get download -q $pkgs) >/dev/null 2>&1; then
			for d in "$dir"/debs/*.deb; do dpkg-deb -x "$d" "$dir/root"; done
			touch "$dir/.complete"
		fi
	fi
	[ -f "$dir/.complete" ] || return 0
	echo "== more benign packages ($pkgs)" | tr '\n' ' '
	echo
	"$VIGIL" scan --json --all --no-progress "$dir/root" >"$TMP/extra.json" 2>/dev/null || true
	echo "files: $(grep -c '"path"' "$TMP/extra.json"); malicious: $(grep -c '"level":"malicious"' \
		"$TMP/extra.json" || true); suspicious: $(grep -c '"level":"suspicious"' "$TMP/extra.json" || true)"
	grep -E '"level":"(malicious|suspicious)"' "$TMP/extra.json" | cut -c1-200 || true
}
extra_set "${VIGIL_FP_EXTRA:-/var/tmp/vigil-webshell-fp-extra}" "roundcube-core roundcube-plugins dokuwiki
php-symfony-console php-symfony-http-foundation php-symfony-dependency-injection php-guzzlehttp-psr7
php-league-commonmark php-phpseclib3 php-tcpdf php-getid3 php-pear php-horde-util php-horde-mime php-twig
jetty9"
# Monitoring and admin front ends; adminer is a single-file database manager, the tool
# class the database-manager techniques describe: expected suspicious, never malicious.
extra_set "${VIGIL_FP_MORE:-/var/tmp/vigil-webshell-fp-more}" "tomcat10-admin tomcat10-docs cacti
zabbix-frontend-php icingaweb2 tt-rss adminer"

if [ ! -d "$TREE" ]; then
	echo "bench: fetching the benign packages via tests/webshell/fp.sh" >&2
	SRCDIR=$SRCDIR VIGIL=$VIGIL bash tests/webshell/fp.sh >/dev/null || true
fi
if [ -d "$TREE" ]; then
	echo "== benign packages ($TREE)"
	files=$(find "$TREE" -type f -size -8193k | wc -l)
	bytes=$(find "$TREE" -type f -size -8193k -printf '%s\n' | awk '{s+=$1} END {print s}')
	find "$TREE" -type f -exec cat {} + >/dev/null	# warm the page cache
	for bin in "$VIGIL" $BASE; do
		best_cpu=999999
		for _ in 1 2 3; do	# runs of the two binaries alternate less than blocks would
			/usr/bin/time -f '%U %S %M' -o "$TMP/time" "$bin" scan -q --no-progress \
				--threads 1 --json "$TREE" >"$TMP/fp.json" 2>/dev/null || true
			read -r u s rss <"$TMP/time"
			cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')
			if awk -v a="$cpu" -v b="$best_cpu" 'BEGIN {exit !(a < b)}'; then
				best_cpu=$cpu
				best_rss=$rss
			fi
		done
		mal=$(grep -c '"level":"malicious"' "$TMP/fp.json" || true)
		sus=$(grep -c '"level":"suspicious"' "$TMP/fp.json" || true)
		echo "$bin: files: $files; malicious: $mal; suspicious: $sus"
		awk -v b="$bytes" -v c="$best_cpu" -v r="$best_rss" 'BEGIN {
			printf "  1 thread: %.1f MiB in %.2f CPU-s (best of 3) = %.1f MiB per CPU-s; peak RSS %.0f MiB\n",
			b / 1048576, c, b / 1048576 / c, r / 1024}'
	done
fi

echo "== hostile 1 MiB files (CPU seconds, peak RSS)"
mkdir -p "$TMP/h"
awk 'BEGIN {for (i = 0; i < 262144; i++) printf "<%%%%>"}' >"$TMP/h/tags.aspx"
cp "$TMP/h/tags.aspx" "$TMP/h/tags.php"
{ printf '<?php '; head -c 1048570 /dev/zero | tr '\0' '('; } >"$TMP/h/nest.php"
{ printf '<%%\n'; awk 'BEGIN {for (i = 0; i < 100000; i++) printf "x = x & x\n"}'; } >"$TMP/h/grow.asp"
for f in "$TMP"/h/*; do
	/usr/bin/time -f '%U %S %M' -o "$TMP/time" "$VIGIL" scan -q --no-progress --threads 1 \
		--json "$f" >/dev/null 2>&1 || true
	read -r u s rss <"$TMP/time"
	awk -v n="${f##*/}" -v u="$u" -v s="$s" -v r="$rss" \
		'BEGIN {printf "%-12s %6.2f s %6.0f MiB\n", n, u + s, r / 1024}'
done
