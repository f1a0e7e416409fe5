#!/bin/bash
# Records the detection corpus: real attack tools from Debian (sqlmap per DBMS, wapiti,
# wfuzz, ffuf, dirb, nmap NSE, hydra) and our hand-written attack and benign requests,
# all against the loopback site of site.sh, one nginx access log per run, kept
# gzipped in bench/corpus/logs/ (labels beside the hand-written ones). Every run is
# bounded in time; traffic stays on 127.0.0.1. Needs root for apt (scripts/install-deps
# bench). usage: bench/corpus/record.sh [RUN...]  (default: all runs)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/site.sh"
PORT=${PORT:-18089}
T=${T:-150}	# seconds per tool run
out="$here/logs"
mkdir -p "$out"
work=$(mktemp -d /tmp/vigil-corpus.XXXXXX)
site_start "$work" "$PORT" || { echo "record: nginx did not start" >&2; exit 1; }
trap 'site_stop "$work"; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
base="http://127.0.0.1:$PORT"
browser='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
printf 'password\n123456\nadmin\nletmein\nqwerty\n' >"$work/pw.txt"
for i in $(seq 1 60); do echo "pw$i"; done >>"$work/pw.txt"

# run NAME COMMAND...: runs one bounded command and keeps the log lines it caused.
run() {
	local name=$1 before; shift
	before=$(wc -l <"$work/logs/access.log")
	echo "record: $name" >&2
	timeout -k 5 "$T" "$@" >"$work/$name.out" 2>&1 </dev/null
	sleep 0.5
	tail -n +"$((before + 1))" "$work/logs/access.log" | gzip -9n >"$out/$name.log.gz"
	echo "record: $name: $(zcat "$out/$name.log.gz" | wc -l) lines" >&2
}
hand() {	# hand NAME: the hand-written cases of NAME.src
	sed 's/ | /\t/g' "$here/$1.src" >"$work/$1.tsv"
	run "$1" python3 "$here/send.py" "$PORT" "$work/$1.tsv" "$work/$1.labels"
	cp "$work/$1.labels" "$out/$1.labels"
}
# A password guesser that sends a browser's user agent.
brute='for i in $(seq 1 40); do curl -s -o /dev/null -A "$1" -e "$2/login.php" --data "user=admin&pass=guess$i" "$2/login.php"; done'
sqlmap_run() {	# sqlmap_run NAME DBMS ARGS...
	local name=$1 dbms=$2; shift 2
	run "$name" sqlmap -u "$base/item.php?id=1" --batch --flush-session --level 5 --risk 3 \
	    --technique BEUSTQ --dbms "$dbms" --time-sec 1 --threads 4 \
	    --output-dir "$work/sqlmap" "$@"
}

all=(hand brute hydra sqlmap wapiti wfuzz ffuf dirb nmap)
for r in "${@:-${all[@]}}"; do
	case $r in
	hand) hand attacks; hand benign ;;
	brute) run brute-browser bash -c "$brute" brute "$browser" "$base" ;;
	hydra) run hydra hydra -l admin -P "$work/pw.txt" -t 4 -s "$PORT" 127.0.0.1 \
	    http-post-form "/login.php:user=^USER^&pass=^PASS^:F=failed" ;;
	sqlmap)
		for d in MySQL PostgreSQL "Microsoft SQL Server" Oracle SQLite; do
			n=$(tr -d ' ' <<<"$d" | tr A-Z a-z)
			sqlmap_run "sqlmap-$n-url" "$d" -p id
			sqlmap_run "sqlmap-$n-headers" "$d" -p "user-agent,referer"
		done
		sqlmap_run sqlmap-mysql-randomagent MySQL -p id --random-agent ;;
	wapiti) T=$((T * 2)) run wapiti wapiti -u "$base/" --scope folder -m all --flush-session \
	    --max-scan-time $((T * 2 - 20)) --max-attack-time 60 -f txt -o "$work/wapiti" ;;
	wfuzz) run wfuzz-dirs wfuzz -t 4 --hc 404 -w /usr/share/wfuzz/wordlist/general/common.txt "$base/FUZZ"
		run wfuzz-injections wfuzz -t 4 -w /usr/share/wfuzz/wordlist/Injections/All_attack.txt \
		    "$base/search.php?q=FUZZ" ;;
	ffuf) run ffuf ffuf -s -t 4 -w /usr/share/dirb/wordlists/common.txt -e .bak,.php -u "$base/FUZZ" ;;
	dirb) run dirb dirb "$base/" /usr/share/dirb/wordlists/common.txt -S -r ;;
	nmap) run nmap nmap -Pn -sV -p "$PORT" --script "http-* and not (dos or brute or external)" \
	    --script-timeout 60s --host-timeout $((T - 10))s 127.0.0.1 ;;
	*) echo "record: unknown run $r" >&2 ;;
	esac
done
