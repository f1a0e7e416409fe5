#!/bin/bash
# `vigil assess web` and `vigil assess tls` against real nginx sites in a private
# network namespace (issue 13): an exposure site with a real `git init` tree in the
# docroot, a backup archive and a Tomcat-like manager (401 with the manager's realm)
# must yield exactly those exposures; an HTTPS site that answers 200 to every path
# (try_files to index) and sends the security headers must yield no findings at all
# (its probes are dropped as not-found look-alikes); a TLS server with an expired
# self-signed certificate and TLS 1.0 enabled must yield expired, self-signed and
# old-protocol findings, the clean TLS site none of those.
source "$SRCDIR/tests/lib.sh"
NS=vgweb$$
trap '[ -f "$TMP/nginx/nginx.pid" ] && kill "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null
	ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT

if ! need_root || ! command -v ip >/dev/null || ! command -v nginx >/dev/null ||
	! command -v git >/dev/null || ! command -v openssl >/dev/null; then
	skip "assess web/tls with nginx" "needs root, ip, nginx, git and openssl"
	finish
fi
if ! ip netns add "$NS" 2>/dev/null; then
	skip "assess web/tls with nginx" "network namespaces unavailable"
	finish
fi
ip -n "$NS" link set lo up
cd "$TMP"
printf 'store: {path: %s/v.db}\n' "$TMP" >v.yaml
# every run stores its findings in the rectification list of v.db
in_ns() { if [ "$1" = "$VIGIL" ]; then shift; set -- "$VIGIL" --config "$TMP/v.yaml" "$@"; fi
	ip netns exec "$NS" "$@"; }
mkdir -p exposed catchall nginx pki/db

# --- the exposure site: a real git work tree, an archive, a manager look-alike
echo '<html><head><title>Shop</title></head><body>welcome</body></html>' >exposed/index.html
git -C exposed init -q && git -C exposed -c user.email=t@t -c user.name=t add index.html &&
	git -C exposed -c user.email=t@t -c user.name=t commit -qm init
python3 -c 'import zipfile; z = zipfile.ZipFile("exposed/site.zip", "w"); z.writestr("db.php", "<?php $pw=1;"); z.close()'
mkdir -p exposed/manager
echo '<html><head><title>/manager</title></head><body>401 Unauthorized</body></html>' \
	>exposed/manager/denied.html
# --- the catch-all site
echo '<html><head><title>Portal</title></head><body>Welcome to the portal. Nothing else here.</body></html>' \
	>catchall/index.html

# --- certificates: a valid self-signed one (catch-all site) and an expired one
openssl req -x509 -newkey rsa:2048 -nodes -keyout pki/ok.key -out pki/ok.crt -days 365 \
	-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
: >pki/db/index && echo 01 >pki/db/serial
cat >pki/ca.cnf <<'CNF'
[ca]
default_ca = x
[x]
database = db/index
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = p
[p]
commonName = supplied
CNF
(cd pki && openssl req -new -newkey rsa:2048 -nodes -keyout old.key -subj /CN=expired.test \
	-out old.csr 2>/dev/null && openssl ca -batch -config ca.cnf -selfsign -keyfile old.key \
	-in old.csr -startdate 20200101000000Z -enddate 20210101000000Z -out old.crt >/dev/null 2>&1)
if ! [ -s pki/ok.crt ] || ! [ -s pki/old.crt ]; then
	not_ok "test certificates could not be made"
	finish
fi

cat >nginx/nginx.conf <<NGX
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
	access_log $TMP/nginx/access.log;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server {
		listen 127.0.0.1:8080;
		root $TMP/exposed;
		location /manager/ {
			add_header WWW-Authenticate 'Basic realm="Tomcat Manager Application"' always;
			error_page 401 /manager/denied.html;
			return 401;
		}
		location = /manager/denied.html { internal; }
		location / { try_files \$uri \$uri/ =404; }
	}
	server {
		listen 127.0.0.1:8443 ssl;
		ssl_certificate $TMP/pki/ok.crt;
		ssl_certificate_key $TMP/pki/ok.key;
		root $TMP/catchall;
		add_header Strict-Transport-Security "max-age=31536000" always;
		add_header X-Frame-Options SAMEORIGIN always;
		add_header X-Content-Type-Options nosniff always;
		add_header Content-Security-Policy "default-src 'self'" always;
		location / { try_files \$uri /index.html; }
	}
	server {
		listen 127.0.0.1:9443 ssl;
		ssl_certificate $TMP/pki/old.crt;
		ssl_certificate_key $TMP/pki/old.key;
		ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
		ssl_ciphers ALL:@SECLEVEL=0;
		root $TMP/catchall;
	}
}
NGX
chmod 755 "$TMP" exposed catchall
chmod -R a+rX exposed catchall
if ! in_ns nginx -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" 2>nginx/start.log; then
	not_ok "nginx did not start: $(cat nginx/start.log nginx/error.log 2>/dev/null)"
	finish
fi
up() { in_ns bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080' 2>/dev/null; }
wait_for 60 up || { not_ok "nginx is not answering"; finish; }

# --- exposure site
run in_ns "$VIGIL" --json assess web http://127.0.0.1:8080/
expect_rc "findings on the exposure site: exit 1" 1
expect_match "exposed .git found" out '"check":"git-exposed"'
expect_match ".git evidence names the branch" out 'ref=refs/heads/'
expect_match "backup archive found" out '"check":"backup-archive".*site\.zip'
expect_match "Tomcat-like manager found" out '"check":"tomcat-manager"'
expect_match "plain HTTP without redirect found" out '"check":"http-no-https-redirect"'
expect_no_match "no Jenkins on the exposure site" out '"check":"jenkins"'
expect_no_match "no .env on the exposure site" out '"check":"env-exposed"'
expect_no_match "no directory listing on the exposure site" out '"check":"directory-listing"'
expect_clean_stderr "exposure run is clean under the sanitizers"

zip_id=$(grep '"check":"backup-archive"' <<<"$OUT" | grep -oE '"id":[0-9]+' | cut -d: -f2)
git_id=$(grep '"check":"git-exposed"' <<<"$OUT" | grep -oE '"id":[0-9]+' | cut -d: -f2)
run in_ns "$VIGIL" assess list --family web
expect_match "the exposures are items of the rectification list" out 'git-exposed|Exposed .git'
run in_ns "$VIGIL" --json assess web http://127.0.0.1:8080/
expect_match "a second run updates the items instead of adding new ones" out '"id":'"$git_id"',"new":false'

# the archive removed: recheck re-runs exactly that template on that URL
rm exposed/site.zip
run in_ns "$VIGIL" --json assess recheck "$zip_id" "$git_id"
expect_match "recheck: the removed archive passes and the item is verified" out \
	'"id":'"$zip_id"'.*"passed":true.*"to":"verified"'
expect_match "recheck: the .git still fails" out '"id":'"$git_id"'.*"passed":false'
expect_match "recheck ran only the template behind the item" out 'backup-archive no longer matches'
run in_ns "$VIGIL" --json assess web --template git-exposed http://127.0.0.1:8080
expect_rc "git-exposed alone still found" 1

# --- the catch-all site: 200 everywhere, headers set: nothing
run in_ns "$VIGIL" assess web https://127.0.0.1:8443/
expect_rc "no findings on the site answering 200 to every path" 0
expect_eq "no finding lines" "$OUT" ""
# A weak template (any 200 under /admin/) matches the catch-all page: only the
# not-found fingerprint keeps it from being a finding; on the exposure site, whose
# not-found page is a 404, it finds the real page.
mkdir -p weak exposed/shop && echo '<html><body>the shop</body></html>' >exposed/shop/index.html
chmod -R a+rX exposed
printf 'id: weak-200\ninfo: {name: any page, severity: low}\nrequests:\n  - path: ["{{BaseURL}}/shop/"]\n    matchers: [{type: status, status: [200]}]\n' >weak/weak.yaml
run in_ns "$VIGIL" assess web --templates weak https://127.0.0.1:8443/
expect_rc "a weak template finds nothing on the catch-all site" 0
expect_match "its match was dropped as a not-found look-alike" err \
	'0 findings, 1 dropped as not-found look-alikes'
run in_ns "$VIGIL" assess web --templates weak http://127.0.0.1:8080/
expect_rc "the weak template does match a real page" 1
expect_clean_stderr "catch-all run is clean under the sanitizers"

# --- TLS: expired, self-signed, TLS 1.0 on 9443; the catch-all's certificate is fine
run in_ns "$VIGIL" --json assess tls 127.0.0.1:9443
expect_rc "TLS findings on the old server: exit 1" 1
expect_match "expired certificate found" out '"check":"tls-cert-expired".*2021-01-01'
expect_match "self-signed certificate found" out '"check":"tls-self-signed"'
expect_match "host name mismatch found (CN=expired.test for 127.0.0.1)" out \
	'"check":"tls-hostname-mismatch"'
expect_match "TLS 1.0 accepted found" out '"check":"tls-tls10"'
expect_match "an anonymous (weak) cipher accepted found" out '"check":"tls-weak-cipher"'
expect_clean_stderr "TLS run is clean under the sanitizers"
run in_ns "$VIGIL" --json assess tls --check tls-cert-expired 127.0.0.1:9443
expect_rc "the expired check alone still fails" 1
expect_no_match "and reports nothing else" out '"check":"tls-(self|tls10|host|weak)'
exp_id=$(grep -oE '"id":[0-9]+' <<<"$OUT" | head -1 | cut -d: -f2)
run in_ns "$VIGIL" --json assess recheck "$exp_id"
expect_match "recheck of the expired certificate fails while it is served" out '"passed":false'
run in_ns "$VIGIL" assess tls --internal 127.0.0.1:8443
expect_rc "the catch-all's valid certificate, internal asset: nothing" 0
expect_match "it says what was negotiated" err 'TLSv1\.[23]'
run in_ns "$VIGIL" --json assess tls 127.0.0.1:8443
expect_rc "the same service as internet-facing: self-signed" 1
expect_no_match "but nothing else" out '"check":"tls-(cert|tls1|sslv3|weak|host)'
run in_ns "$VIGIL" assess tls 127.0.0.1:1
expect_rc "a closed port: not checked" 3
run in_ns "$VIGIL" assess tls '127.0.0.1:99999'
expect_rc "a bad port is a usage error" 2

# --- targets from the asset register: declared assets only
printf 'address,internet_facing\n127.0.0.1,no\n' >inv.csv
cat >scan.jsonl <<'JSON'
{"address":"127.0.0.1","port":8080,"service":"http"}
{"address":"127.0.0.1","port":8443,"service":"https"}
{"address":"127.0.0.1","port":9443,"service":"https"}
{"address":"127.0.0.2","port":8080,"service":"http","http_title":"found by a scan only"}
JSON
run in_ns "$VIGIL" assets import inv.csv
expect_rc "inventory imported" 0
run in_ns "$VIGIL" assets import-scan scan.jsonl --spec 127.0.0.0/30
expect_rc "scan imported" 0
run in_ns "$VIGIL" assess web --assets
expect_rc "web --assets: findings" 1
expect_match "the declared asset's HTTP service is checked" err 'web http://127\.0\.0\.1:8080/: 28 templates'
expect_match "and its HTTPS one" err 'web https://127\.0\.0\.1:8443/: 28 templates'
expect_no_match "an address only a scan found is not in scope" err '127\.0\.0\.2'
expect_match "the .git is found through the register too" out 'git-exposed +http://127\.0\.0\.1:8080'
run in_ns "$VIGIL" --json assess tls --assets
expect_match "tls --assets: the expired certificate" out '"check":"tls-cert-expired","target":"127\.0\.0\.1:9443"'
expect_no_match "the register says internal: self-signed is no finding" out '"check":"tls-self-signed"'
run in_ns "$VIGIL" --json assess tls 127.0.0.1:8443
expect_rc "an explicit host the register marks internal: no self-signed finding" 0
run in_ns "$VIGIL" assess web --assets http://127.0.0.1:8080/
expect_rc "URLs and --assets together are refused" 2

# --- scope and safety
run in_ns "$VIGIL" assess web ftp://127.0.0.1/
expect_rc "a non-http URL is refused" 2
printf 'id: bad\ninfo: {name: x, severity: low}\nrequests:\n  - method: PUT\n    path: ["{{BaseURL}}/x"]\n    matchers: [{type: status, status: [200]}]\n' >put.yaml
run in_ns "$VIGIL" assess web --templates put.yaml http://127.0.0.1:8080/
expect_rc "a template that would write is refused" 2
expect_match "with the reason" err 'only GET, HEAD, OPTIONS and TRACE'
finish
