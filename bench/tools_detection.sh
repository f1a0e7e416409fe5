#!/bin/bash
# Detection of real attack tools: runs sqlmap, wapiti, dirb, gobuster, nmap NSE and
# hydra (all from Debian) against a small nginx site on loopback, splits the access log
# per tool, and reports per tool the share of requests vigil flags and whether it
# raised an alert for the source, next to libmodsecurity + CRS PL1 on the same lines.
# Needs root (apt) and takes a few minutes; traffic stays on 127.0.0.1.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PORT=${PORT:-18088}
work=$(mktemp -d /tmp/vigil-tools.XXXXXX)
pkgs=(nginx-light sqlmap dirb nmap gobuster wapiti hydra openssl)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q '^installed$' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
		echo "tools_detection: cannot install ${missing[*]}; skipped"; exit 0; }
fi

chmod 755 "$work"	# nginx workers run as www-data
mkdir -p "$work/www/admin" "$work/logs"
echo '<html><head><title>Demo Agency</title></head><body>Welcome</body></html>' >"$work/www/index.html"
printf 'admin:%s\n' "$(openssl passwd -apr1 's3cret-Pass')" >"$work/htpasswd"
chmod 644 "$work/htpasswd"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 256; }
http {
  access_log $work/logs/access.log combined;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$PORT;
    root $work/www;
    default_type text/html;
    location = /item.php { return 200 "<html><body>item \$arg_id</body></html>"; }
    location = /search.php { return 200 "<html><body>results for \$arg_q</body></html>"; }
    location /admin/ { auth_basic "admin"; auth_basic_user_file $work/htpasswd; }
    location / { try_files \$uri \$uri/ =404; }
  }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" || { echo "tools_detection: nginx did not start; skipped"; exit 0; }
trap 'nginx -c "$work/nginx.conf" -s stop 2>/dev/null; sleep 0.2; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
base="http://127.0.0.1:$PORT"
printf 'password\n123456\nadmin\nletmein\nqwerty\n' >"$work/pw.txt"
for i in $(seq 1 60); do echo "pw$i"; done >>"$work/pw.txt"

declare -A cmd=(
	[sqlmap]="sqlmap -u '$base/item.php?id=1' --batch --flush-session --level 2 --risk 1 --time-sec 1 --output-dir $work/sqlmap"
	[wapiti]="wapiti -u '$base/search.php?q=test' --scope page -m sql,xss,exec,file,crlf --flush-session --max-scan-time 90 -f txt -o $work/wapiti"
	[dirb]="dirb $base/ /usr/share/dirb/wordlists/common.txt -S -r"
	[gobuster]="gobuster dir -q -u $base/ -w /usr/share/dirb/wordlists/common.txt -t 4"
	[nmap]="nmap -Pn -sV -p $PORT --script http-enum,http-methods,http-title,http-headers 127.0.0.1"
	[hydra]="hydra -l admin -P $work/pw.txt -t 4 -s $PORT 127.0.0.1 http-get /admin/"
)
printf '%-9s %8s %16s %12s %16s\n' tool requests "vigil flagged" "vigil alert" "CRS flagged"
for tool in sqlmap wapiti dirb gobuster nmap hydra; do
	before=$(wc -l <"$work/logs/access.log")
	timeout 240 bash -c "${cmd[$tool]}" >"$work/$tool.out" 2>&1
	sleep 0.3
	tail -n +"$((before + 1))" "$work/logs/access.log" >"$work/$tool.log"
	n=$(wc -l <"$work/$tool.log")
	[ "$n" -gt 0 ] || { printf '%-9s %8s\n' "$tool" 0; continue; }
	summary=$("$BUILD/vigil" scan-log "$work/$tool.log" 2>&1 >"$work/$tool.alerts" | grep ' lines (')
	matched=$(sed -E 's/.*, ([0-9]+) matched a rule.*/\1/' <<<"$summary")
	alerts=$(grep -c '127\.0\.0\.1' "$work/$tool.alerts")
	crs=$("$BUILD/bench/crs_replay" "$work/$tool.log" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["flagged"])')
	pct() { python3 -c "print('%.1f%%' % (100.0 * $1 / $2))"; }
	printf '%-9s %8d %8d (%6s) %12s %8d (%6s)\n' "$tool" "$n" "$matched" "$(pct "$matched" "$n")" \
	    "$([ "$alerts" -gt 0 ] && echo "yes ($alerts)" || echo no)" "$crs" "$(pct "$crs" "$n")"
	echo "          alerts: $(grep -oE '^[a-z]+ +[a-z0-9_.]+' "$work/$tool.alerts" | awk '{print $2}' | sort -u | tr '\n' ' ')"
done
