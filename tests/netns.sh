# Network-namespace fixture for blocking tests (sourced after tests/lib.sh). Builds
# a server namespace with two client namespaces on private /24s that exist only
# inside these namespaces; every name carries this shell's pid, and netns_cleanup
# (called from the EXIT trap) removes the namespaces, which takes their nft tables
# and veth pairs with them.
NS_SRV=vgsrv$$ NS_ATK=vgatk$$ NS_OK=vgok$$
SRV_IP=10.231.0.1 ATK_IP=10.231.0.2 SRV_IP2=10.231.1.1 OK_IP=10.231.1.2
# IPv6 on the same links (unique local addresses, private to the namespaces too)
SRV_IP6=fd00:231::1 ATK_IP6=fd00:231::2 SRV_IP6_2=fd00:231:1::1 OK_IP6=fd00:231:1::2

netns_cleanup() {
	for ns in $NS_SRV $NS_ATK $NS_OK; do ip netns del "$ns" 2>/dev/null; done
	return 0
}

# netns_usable: root, ip, nft and namespaces work here.
netns_usable() {
	need_root && command -v ip >/dev/null && command -v nft >/dev/null || return 1
	ip netns add "vgprobe$$" 2>/dev/null || return 1
	ip netns del "vgprobe$$"
}

netns_setup() {
	ip netns add $NS_SRV && ip netns add $NS_ATK && ip netns add $NS_OK || return 1
	ip link add vga$$ type veth peer name vgb$$ || return 1
	ip link add vgc$$ type veth peer name vgd$$ || return 1
	ip link set vga$$ netns $NS_SRV && ip link set vgb$$ netns $NS_ATK &&
	ip link set vgc$$ netns $NS_SRV && ip link set vgd$$ netns $NS_OK || return 1
	ip -n $NS_SRV addr add $SRV_IP/24 dev vga$$ && ip -n $NS_SRV addr add $SRV_IP2/24 dev vgc$$ &&
	ip -n $NS_ATK addr add $ATK_IP/24 dev vgb$$ && ip -n $NS_OK addr add $OK_IP/24 dev vgd$$ ||
		return 1
	# nodad: usable at once, no duplicate-address detection wait
	ip -n $NS_SRV addr add $SRV_IP6/64 dev vga$$ nodad &&
	ip -n $NS_SRV addr add $SRV_IP6_2/64 dev vgc$$ nodad &&
	ip -n $NS_ATK addr add $ATK_IP6/64 dev vgb$$ nodad &&
	ip -n $NS_OK addr add $OK_IP6/64 dev vgd$$ nodad || return 1
	for l in "$NS_SRV vga$$" "$NS_SRV vgc$$" "$NS_ATK vgb$$" "$NS_OK vgd$$"; do
		set -- $l
		ip -n "$1" link set "$2" up || return 1
	done
	for ns in $NS_SRV $NS_ATK $NS_OK; do ip -n $ns link set lo up; done
}

# in_srv|in_atk|in_ok CMD...: runs CMD in that namespace.
in_srv() { ip netns exec $NS_SRV "$@"; }
in_atk() { ip netns exec $NS_ATK "$@"; }
in_ok() { ip netns exec $NS_OK "$@"; }

# can_connect NS HOST PORT: a TCP connect from NS succeeds within 3 s (a dropped
# SYN makes it time out). HOST may be an IPv6 address.
can_connect() {
	ip netns exec "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
}

# connect_refused NS HOST PORT: the connect fails at once with "refused" (a reset),
# not by timing out.
connect_refused() {
	local e
	e=$(ip netns exec "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>&1)
	[ $? -ne 124 ] && case "$e" in *refused*) return 0 ;; esac
	return 1
}

# nft_drops TABLE: packets the table's input rules have dropped so far.
nft_drops() {
	in_srv nft list chain inet "$1" input 2>/dev/null |
		awk '/counter packets/ { for (i = 1; i < NF; i++) if ($i == "packets") s += $(i + 1) }
		     END { print s + 0 }'
}

# poll_until SECONDS CMD...: runs CMD every 0.05 s until it succeeds or the
# deadline passes.
poll_until() {
	local deadline=$((SECONDS + $1)); shift
	while [ $SECONDS -lt $deadline ]; do
		"$@" && return 0
		sleep 0.05
	done
	"$@"
}

# nginx_start PORT [DIRECTIVES]: nginx in the server namespace on the server's
# IPv4 and IPv6 addresses with DIRECTIVES in its server block, combined access log at
# $TMP/access.log, everything else under $TMP/nginx.
nginx_start() {
	mkdir -p "$TMP/nginx/www" && echo ok >"$TMP/nginx/www/index.html"
	cat >"$TMP/nginx/nginx.conf" <<NGX
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 256; }
http {
	access_log $TMP/access.log combined;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server {
		listen $SRV_IP:$1;
		listen $SRV_IP2:$1;
		listen [$SRV_IP6]:$1;
		listen [$SRV_IP6_2]:$1;
		root $TMP/nginx/www;
		${2:-}
		location / { try_files \$uri \$uri/ =404; }
	}
}
NGX
	chmod 755 "$TMP" "$TMP/nginx" "$TMP/nginx/www"
	in_srv nginx -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log"
}

nginx_stop() {
	[ -f "$TMP/nginx/nginx.pid" ] && kill "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null
	return 0
}
