# Network-namespace fixture for `vigil discover` (sourced by tests and bench/): a
# scanner namespace and N host namespaces behind a router namespace (veth pairs,
# the hosts on one bridge), real services in the hosts, and optionally an nftables
# policy on a host that silently drops every port not in use, as border firewalls
# do. Every name carries $$; the veths are created straight inside the namespaces,
# so nothing appears in the root namespace. dn_cleanup (from the EXIT trap) stops
# the services this fixture started (by their recorded pids) and deletes the
# namespaces, which takes links, addresses and nft tables with them.
DN=vd$$
DN_SCAN=${DN}s DN_ROUTER=${DN}r
DN_DIR=${DN_DIR:-$TMP/dn}
DN_NHOSTS=0

dn_usable() {
	[ "$(id -u)" = 0 ] && command -v ip >/dev/null || return 1
	ip netns add "${DN}p" 2>/dev/null || return 1
	ip netns del "${DN}p"
}

dn_addr() { echo "10.77.2.$((10 + $1))"; }
dn_addr6() { echo "fd77:2::$((10 + $1))"; }
dn_host() { echo "${DN}h$1"; }
dn_in() { local i=$1; shift; ip netns exec "$(dn_host "$i")" "$@"; }
dn_scan() { ip netns exec "$DN_SCAN" "$@"; }

# dn_setup N: the namespaces and links for N hosts.
dn_setup() {
	local n=$1 i h
	mkdir -p "$DN_DIR" && chmod 755 "$DN_DIR" && : >"$DN_DIR/pids"
	ip netns add "$DN_SCAN" && ip netns add "$DN_ROUTER" || return 1
	ip -n "$DN_ROUTER" link add "${DN}br" type bridge || return 1
	ip -n "$DN_ROUTER" link set "${DN}br" up
	ip link add "${DN}sa" netns "$DN_SCAN" type veth peer name "${DN}sb" netns "$DN_ROUTER" || return 1
	ip -n "$DN_SCAN" addr add 10.77.1.2/24 dev "${DN}sa"
	ip -n "$DN_SCAN" addr add fd77:1::2/64 dev "${DN}sa" nodad
	ip -n "$DN_ROUTER" addr add 10.77.1.1/24 dev "${DN}sb"
	ip -n "$DN_ROUTER" addr add fd77:1::1/64 dev "${DN}sb" nodad
	ip -n "$DN_ROUTER" addr add 10.77.2.1/24 dev "${DN}br"
	ip -n "$DN_ROUTER" addr add fd77:2::1/64 dev "${DN}br" nodad
	for ns in "$DN_SCAN" "$DN_ROUTER"; do ip -n "$ns" link set lo up; done
	ip -n "$DN_SCAN" link set "${DN}sa" up && ip -n "$DN_ROUTER" link set "${DN}sb" up
	ip -n "$DN_SCAN" route add default via 10.77.1.1
	ip -n "$DN_SCAN" -6 route add default via fd77:1::1
	ip netns exec "$DN_ROUTER" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	for ((i = 1; i <= n; i++)); do
		h=$(dn_host "$i")
		ip netns add "$h" || return 1
		ip link add "${DN}h${i}a" netns "$h" type veth peer name "${DN}h${i}b" netns "$DN_ROUTER" || return 1
		ip -n "$DN_ROUTER" link set "${DN}h${i}b" master "${DN}br" up
		ip -n "$h" addr add "$(dn_addr "$i")/24" dev "${DN}h${i}a"
		ip -n "$h" addr add "$(dn_addr6 "$i")/64" dev "${DN}h${i}a" nodad
		ip -n "$h" link set lo up && ip -n "$h" link set "${DN}h${i}a" up
		ip -n "$h" route add default via 10.77.2.1
		ip -n "$h" -6 route add default via fd77:2::1
		mkdir -p "$DN_DIR/h$i" && chmod 755 "$DN_DIR/h$i"
	done
	DN_NHOSTS=$n
}

dn_cleanup() {
	local p i
	if [ -f "$DN_DIR/pids" ]; then
		while read -r p; do kill "$p" 2>/dev/null; done <"$DN_DIR/pids"
	fi
	for ((i = 1; i <= DN_NHOSTS; i++)); do ip netns del "$(dn_host "$i")" 2>/dev/null; done
	ip netns del "$DN_SCAN" 2>/dev/null
	ip netns del "$DN_ROUTER" 2>/dev/null
	[ -n "${DN_HOSTS_DIR:-}" ] && rm -rf "$DN_HOSTS_DIR"
	return 0
}

# dn_hosts "ADDR NAME"...: an /etc/hosts for commands run with dn_scan (ip netns
# exec bind-mounts /etc/netns/NS/hosts over /etc/hosts); removed by dn_cleanup.
dn_hosts() {
	DN_HOSTS_DIR=/etc/netns/$DN_SCAN
	mkdir -p "$DN_HOSTS_DIR" && printf '%s\n' "127.0.0.1 localhost" "$@" >"$DN_HOSTS_DIR/hosts"
}

# dn_pid PIDFILE: records the pid a daemon wrote, waiting for the file.
dn_pid() {
	local f=$1 t
	for t in $(seq 1 600); do
		[ -s "$f" ] && { cat "$f" >>"$DN_DIR/pids"; return 0; }
		sleep 0.1
	done
	return 1
}

# dn_cert: a self-signed certificate for www.bench.test (+ admin.bench.test).
dn_cert() {
	[ -f "$DN_DIR/cert.pem" ] && return 0
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=www.bench.test/O=vigil bench" \
		-addext "subjectAltName=DNS:www.bench.test,DNS:admin.bench.test" \
		-keyout "$DN_DIR/key.pem" -out "$DN_DIR/cert.pem" 2>/dev/null &&
		chmod 644 "$DN_DIR/key.pem" "$DN_DIR/cert.pem"
}

# dn_nginx I "PORT..." ["TLSPORT..."]: nginx on host I.
dn_nginx() {
	local i=$1 d=$DN_DIR/h$1/nginx p listen=""
	mkdir -p "$d/www" && chmod 755 "$d" "$d/www"
	printf '<html><head><title>Bench host %s</title></head><body>ok</body></html>\n' "$i" >"$d/www/index.html"
	for p in $2; do listen+="listen $p; "; done
	if [ -n "${3:-}" ]; then
		dn_cert || return 1
		for p in $3; do listen+="listen $p ssl; "; done
		listen+="ssl_certificate $DN_DIR/cert.pem; ssl_certificate_key $DN_DIR/key.pem; "
	fi
	cat >"$d/nginx.conf" <<NGX
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $d/body; proxy_temp_path $d/proxy; fastcgi_temp_path $d/fcgi;
	uwsgi_temp_path $d/uwsgi; scgi_temp_path $d/scgi;
	server { $listen root $d/www; }
}
NGX
	dn_in "$i" nginx -c "$d/nginx.conf" -e "$d/error.log" && dn_pid "$d/nginx.pid"
}

dn_sshd() {
	local i=$1 d=$DN_DIR/h$1/ssh
	mkdir -p "$d" /run/sshd
	[ -f "$d/hostkey" ] || ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey"
	cat >"$d/sshd_config" <<CONF
Port $2
HostKey $d/hostkey
PidFile $d/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
MaxStartups 1000
CONF
	dn_in "$i" /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" && dn_pid "$d/sshd.pid"
}

# dn_redis I PORT yes|no: redis-server; "yes" keeps protected mode (no password,
# no bind: every client from outside gets -DENIED), "no" answers INFO.
dn_redis() {
	local i=$1 d=$DN_DIR/h$1/redis$2
	mkdir -p "$d"
	local extra=(--protected-mode yes)
	[ "$3" = no ] && extra=(--protected-mode no --bind 0.0.0.0)
	dn_in "$i" redis-server --port "$2" --daemonize yes --pidfile "$d/redis.pid" --dir "$d" \
		--save '' --appendonly no --logfile "$d/redis.log" "${extra[@]}" && dn_pid "$d/redis.pid"
}

dn_py_http() {
	local i=$1 d=$DN_DIR/h$1/py$2
	mkdir -p "$d" && echo '<title>files</title>' >"$d/index.html"
	(cd "$d" && exec ip netns exec "$(dn_host "$i")" python3 -m http.server "$2" \
		--bind 0.0.0.0 >"$d/log" 2>&1) &
	echo $! >>"$DN_DIR/pids"
}

dn_tls() {
	local i=$1 d=$DN_DIR/h$1/tls$2
	mkdir -p "$d" && dn_cert || return 1
	ip netns exec "$(dn_host "$i")" openssl s_server -quiet -www -accept "$2" \
		-cert "$DN_DIR/cert.pem" -key "$DN_DIR/key.pem" </dev/null >"$d/log" 2>&1 &
	echo $! >>"$DN_DIR/pids"
}

# dn_drop I "PORT...": host I drops every TCP/UDP/ICMP packet except to PORTs.
dn_drop() {
	local i=$1 ports
	ports=$(echo "$2" | tr ' ' ',')
	dn_in "$i" nft -f - <<NFT
table inet ${DN}fw {
	chain input {
		type filter hook input priority 0; policy drop;
		iif lo accept
		icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept
		tcp dport { $ports } accept
	}
}
NFT
}

# dn_listening I PORT: something accepts on host I's PORT (from the scanner).
dn_listening() {
	dn_scan timeout 3 bash -c "exec 3<>/dev/tcp/$(dn_addr "$1")/$2" 2>/dev/null
}
