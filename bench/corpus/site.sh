#!/bin/bash
# Starts the loopback test site the detection corpus is recorded against: nginx on
# 127.0.0.1:$PORT with a few endpoints that echo their parameter (so scanners see a
# live, parameterised app) and a combined access log. Sourced by record.sh.
# site_start WORKDIR PORT; site_stop WORKDIR. Traffic stays on 127.0.0.1.
site_start() {
	local work=$1 port=$2
	chmod 755 "$work"	# nginx workers run as www-data
	mkdir -p "$work/www" "$work/logs" "$work/tmp"
	cat >"$work/www/index.html" <<'HTML'
<html><head><title>Demo Agency</title></head><body>
<a href="/item.php?id=1">item</a> <a href="/page.php?file=intro.html">intro</a>
<a href="/ping.php?host=127.0.0.1">ping</a> <a href="/go.php?url=/index.html">go</a>
<a href="/api/users?name=bob&amp;sort=asc">users</a>
<form action="/search.php" method="get"><input name="q" value="test"><input type="submit"></form>
<form action="/login.php" method="post"><input name="user"><input type="password" name="pass"><input type="submit"></form>
<form action="/comment.php" method="post"><textarea name="text"></textarea><input name="email"><input type="submit"></form>
</body></html>
HTML
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
    listen 127.0.0.1:$port;
    root $work/www;
    default_type text/html;
    location = /item.php { return 200 "<html><body>item \$arg_id</body></html>"; }
    location = /search.php { return 200 "<html><body>results for \$arg_q</body></html>"; }
    location = /page.php { return 200 "<html><body>page \$arg_file</body></html>"; }
    location = /ping.php { return 200 "<html><body>ping \$arg_host</body></html>"; }
    location = /go.php { return 302 /index.html; }
    location = /login.php { return 200 "<html><body>login failed</body></html>"; }
    location = /comment.php { return 200 "<html><body>thanks</body></html>"; }
    location /api/ { return 200 "{\"users\":[\"\$arg_name\"]}"; }
    location / { try_files \$uri \$uri/ =404; }
  }
}
CONF
	nginx -c "$work/nginx.conf"
}

site_stop() {
	nginx -c "$1/nginx.conf" -s stop 2>/dev/null
	sleep 0.3
}
