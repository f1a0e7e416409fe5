#!/bin/bash
# mkroot.sh DIR: writes a small Debian server tree that passes every check of the shipped
# baseline policies that applies to it (the clean control of the baseline tests and
# bench/). Needs root for the root-owned files the policies ask for.
set -eu
R=$1
umask 022
mkdir -p "$R"/{etc/ssh/sshd_config.d,etc/sysctl.d,etc/logrotate.d,etc/apt,etc/app,tmp,usr/bin,var/lib/dpkg,var/log}
cat >"$R/etc/passwd" <<'X'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice:/home/alice:/bin/bash
X
cat >"$R/etc/group" <<'X'
root:x:0:
shadow:x:42:
alice:x:1000:
X
cat >"$R/etc/shadow" <<'X'
root:$6$rounds=5000$salt$hash:19700:0:90:7:::
daemon:*:19700:0:99999:7:::
alice:$6$salt$hash2:19700:0:90:7:::
X
chmod 0640 "$R/etc/shadow"
chown 0:42 "$R/etc/shadow" "$R/etc/passwd" "$R/etc/group" 2>/dev/null || true
chown 0:0 "$R/etc/passwd" "$R/etc/group"
chmod 1777 "$R/tmp"
echo web01 >"$R/etc/hostname"
echo 12.4 >"$R/etc/debian_version"
printf 'PASS_MAX_DAYS\t90\nPASS_MIN_DAYS\t1\n' >"$R/etc/login.defs"
cat >"$R/etc/sysctl.d/60-hardening.conf" <<'X'
# event hardening
net.ipv4.ip_forward = 0
net.ipv4.conf.all.accept_redirects = 0
net/ipv4/conf/all/send_redirects = 0
net.ipv4.tcp_syncookies = 1
kernel.randomize_va_space = 2
fs.protected_symlinks = 1
fs.protected_hardlinks = 1
fs.suid_dumpable = 0
X
printf 'SHELL=/bin/sh\n17 * * * * root run-parts /etc/cron.hourly\n' >"$R/etc/crontab"
chmod 0600 "$R/etc/crontab"
cat >"$R/etc/logrotate.conf" <<'X'
weekly
rotate 26
create
include /etc/logrotate.d
X
cat >"$R/etc/logrotate.d/rsyslog" <<'X'
/var/log/syslog
/var/log/auth.log
{
	daily
	rotate 200
	missingok
	postrotate
		/usr/lib/rsyslog/rsyslog-rotate
	endscript
}
X
printf 'deb http://deb.debian.org/debian bookworm main\ndeb http://security.debian.org/debian-security bookworm-security main\n' \
	>"$R/etc/apt/sources.list"
cat >"$R/etc/ssh/sshd_config" <<'X'
Include /etc/ssh/sshd_config.d/*.conf
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
MaxAuthTries 3
LoginGraceTime 30
LogLevel VERBOSE
X11Forwarding no
MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com
Match User backup
	PermitRootLogin yes
X
chmod 0600 "$R/etc/ssh/sshd_config"
echo "listen=127.0.0.1" >"$R/etc/app/app.conf"
# processes and sockets as /proc shows them on the judged host
for p in 1:systemd 210:cron 305:rsyslogd 402:chronyd 511:sshd; do
	mkdir -p "$R/proc/${p%%:*}" && echo "${p#*:}" >"$R/proc/${p%%:*}/comm"
done
mkdir -p "$R/proc/net"
cat >"$R/proc/net/tcp" <<'X'
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1000 1 0 100 0 0 10 0
   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0 100 0 0 10 0
X
: >"$R/proc/net/udp"
cat >"$R/var/lib/dpkg/status" <<'X'
Package: openssh-server
Status: install ok installed
Architecture: amd64
Source: openssh
Version: 1:9.2p1-2+deb12u2
Description: secure shell (SSH) server

Package: unattended-upgrades
Status: install ok installed
Architecture: all
Version: 2.9.1+nmu3

Package: apparmor
Status: install ok installed
Architecture: amd64
Version: 3.0.8-3

Package: telnetd
Status: deinstall ok config-files
Architecture: amd64
Version: 0.17-44
X
