#!/bin/bash
# Baseline hashing bench: vigil vs `aide --init` (SHA-256 only) vs
# `find | xargs -P2 sha256sum` on the same generated tree, page cache warm.
# usage: bench/fim_hash.sh [FILES] [DIR]   (default 50000 files of 1-27 KiB, ~700 MB)
# Needs: build/vigil (make), aide (scripts/install-deps bench), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${VIGIL:-$PWD/build/vigil}
N=${1:-50000}
D=${2:-/tmp/vigil-bench-fim}
command -v aide >/dev/null || { echo "aide not installed (scripts/install-deps bench)"; exit 1; }

if [ ! -f "$D/.done-$N" ]; then
	rm -rf "$D"; mkdir -p "$D/www"
	python3 - "$D/www" "$N" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
random.seed(4)
block = os.urandom(1 << 20)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 1000), "s%02d" % (i % 1000 // 100))
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    size = random.randint(1024, 27 * 1024)
    off = random.randint(0, len(block) - size)
    with open(os.path.join(d, "f%05d.html" % i), "wb") as f:
        f.write(b"%d\n" % i + block[off:off + size])
PY
	touch "$D/.done-$N"
fi
files=$(find "$D/www" -type f | wc -l)
mb=$(du -sm --apparent-size "$D/www" | cut -f1)
echo "tree: $files files, $mb MiB in $D/www; $(nproc) cores"

cat >"$D/vigil.yaml" <<YAML
store: {path: $D/vigil.db}
webroots: [{path: $D/www, name: bench}]
protect: {backup_dir: $D/backup}
YAML
cat >"$D/aide.conf" <<CONF
database_out=file:$D/aide.db.new
gzip_dbout=no
report_url=stdout
H = sha256
$D/www H
CONF

# warm the page cache
find "$D/www" -type f -print0 | xargs -0 -P2 cat >/dev/null

t() {	# t CMD...: wall seconds of the best of 3 runs
	local best=999999 s e
	for _ in 1 2 3; do
		s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
		best=$(echo "$e - $s" | bc -l | awk -v b="$best" '{print ($1 < b) ? $1 : b}')
	done
	echo "$best"
}

rm -rf "$D/backup"
s=$(date +%s.%N); "$VIGIL" --config "$D/vigil.yaml" backup create >/dev/null; e=$(date +%s.%N)
first=$(echo "$e - $s" | bc -l)
vb=$(t "$VIGIL" --config "$D/vigil.yaml" fim baseline)
vc=$(t "$VIGIL" --config "$D/vigil.yaml" fim check --no-diff)
aide=$(t aide --init -c "$D/aide.conf")
sum=$(t sh -c "find '$D/www' -type f -print0 | xargs -0 -P2 -n 500 sha256sum")

printf '%-52s %8.2f s\n' "vigil backup create, first (hash + copy + sync)" "$first"
printf '%-52s %8.2f s\n' "vigil fim baseline (hash, objects already stored)" "$vb"
printf '%-52s %8.2f s\n' "vigil fim check (hash + compare)" "$vc"
printf '%-52s %8.2f s\n' "aide --init (sha256 only)" "$aide"
printf '%-52s %8.2f s\n' "find | xargs -P2 sha256sum" "$sum"
echo "ratios (higher = vigil faster):"
echo "  aide / vigil fim baseline      = $(echo "$aide / $vb" | bc -l | xargs printf '%.2f')x"
echo "  aide / vigil fim check         = $(echo "$aide / $vc" | bc -l | xargs printf '%.2f')x"
echo "  sha256sum -P2 / vigil baseline = $(echo "$sum / $vb" | bc -l | xargs printf '%.2f')x"
