#!/bin/bash
# The sshd rules against a real OpenSSH server: sshd on loopback (a free port, its
# own config and host key, logging with -E to a file), real ssh clients failing
# (wrong password, unknown user), succeeding (key), a protocol probe and, when
# installed, hydra. watch follows the log live; scan-log reads it afterwards.
source "$SRCDIR/tests/lib.sh"
cd "$TMP"

if ! need_root || [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null; then
	skip "real sshd" "needs root, openssh-server and openssh-client"
	finish
fi
# Debian's unit creates the privilege separation directory; a container may not.
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd

ssh-keygen -q -t ed25519 -N '' -f hostkey
ssh-keygen -q -t ed25519 -N '' -f goodkey
cp goodkey.pub authorized_keys
chmod 600 authorized_keys
: >sshd.log

cat >w.yaml <<YAML
store: {path: $TMP/w.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: sshd, path: $TMP/sshd.log, format: sshd}
YAML
"$VIGIL" -v --config w.yaml watch --ready-file ready >wout.txt 2>werr.txt & wpid=$!
wait_for 60 test -e ready || not_ok "watch did not become ready"

# A free port: bind 0 and hand the number to sshd; retried if another test takes
# it in between.
start_sshd() {
	local try
	for try in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		cat >sshd_config <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $TMP/hostkey
PidFile $TMP/sshd.pid
AuthorizedKeysFile $TMP/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin yes
MaxStartups 100
CONF
		/usr/sbin/sshd -f sshd_config -E "$TMP/sshd.log" && return 0
	done
	return 1
}
stop_sshd() { [ -s sshd.pid ] && kill "$(cat sshd.pid)" 2>/dev/null; rm -f sshd.pid; }
trap 'stop_sshd; kill "$wpid" 2>/dev/null; rm -rf "$TMP"' EXIT

start_sshd || { not_ok "sshd did not start"; finish; }
listening() { grep -q "Server listening on 127.0.0.1 port $port" sshd.log; }
wait_for 60 listening || not_ok "sshd is not listening"

sshopt=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
	-o ConnectTimeout=60 -o IdentitiesOnly=yes -p "$port")
printf '#!/bin/sh\necho not-the-password\n' >askpass
chmod 700 askpass
wrong_password() {	# wrong_password USER: two password attempts through SSH_ASKPASS
	SSH_ASKPASS=$TMP/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none setsid \
		ssh "${sshopt[@]}" -o PreferredAuthentications=password \
		-o NumberOfPasswordPrompts=2 "$1@127.0.0.1" true </dev/null >/dev/null 2>&1
}

ssh "${sshopt[@]}" -o BatchMode=yes -i goodkey root@127.0.0.1 true </dev/null >/dev/null 2>&1 &&
	ok "ssh with the right key logs in" || not_ok "key login failed"
wrong_password root && not_ok "a wrong password was accepted" || ok "a wrong password is refused"
wrong_password nosuchuser-$$ || true
# a protocol probe: an HTTP request instead of an SSH banner
exec 3<>"/dev/tcp/127.0.0.1/$port" && { printf 'GET / HTTP/1.1\r\n\r\n' >&3; cat <&3 >/dev/null 2>&1; exec 3<&-; }

hydra_ran=0
if command -v hydra >/dev/null; then
	printf 'a\nb\nc\n' >pw.txt
	timeout 120 hydra -l admin -P pw.txt -t 2 -s "$port" 127.0.0.1 ssh >hydra.txt 2>&1 &&
		hydra_ran=1
fi
seen_all() {
	grep -q 'Accepted publickey for root' sshd.log &&
		grep -q 'Failed password for root' sshd.log &&
		grep -q "Failed password for invalid user nosuchuser-$$" sshd.log &&
		grep -q 'banner exchange: Connection from 127.0.0.1' sshd.log &&
		{ [ "$hydra_ran" = 0 ] || [ "$(grep -c 'Failed password for invalid user admin' sshd.log)" -ge 3 ]; }
}
wait_for 60 seen_all || not_ok "sshd did not log every attempt: $(cat sshd.log)"
stop_sshd
grep -q 'OpenSSH_9\|Server listening' sshd.log && echo "# $(/usr/sbin/sshd -V 2>&1 | head -1)"

# watch, following the log live
stored() { sqlite3 w.db "select count(*) from alerts where rule_id = '$1' and source_ip = '127.0.0.1'" 2>/dev/null; }
has() { [ "$(stored "$1")" -ge 1 ]; }
for rule in auth.ssh.accepted auth.ssh.failed auth.ssh.probe; do
	wait_for 60 has "$rule" && ok "watch: real OpenSSH lines raise $rule" ||
		not_ok "watch: no $rule alert from the real sshd log"
done
kill -TERM "$wpid"; wait "$wpid"
ERR=$(cat werr.txt)
expect_clean_stderr "watch on a real sshd log: no sanitizer report"
expect_match "watch: no line of the real sshd log is undecodable" err 'watch: [1-9][0-9]* lines, 0 undecodable'

# scan-log, the same file: --format sshd and auto
for fmt in sshd auto; do
	run "$VIGIL" scan-log --format "$fmt" --rules "$SRCDIR/rules" sshd.log
	expect_rc "scan-log --format $fmt: alerts exit 1" 1
	for rule in auth.ssh.accepted auth.ssh.failed auth.ssh.probe; do
		expect_match "scan-log --format $fmt: $rule on real OpenSSH lines" out \
			"$rule +127\\.0\\.0\\.1"
	done
	expect_match "scan-log --format $fmt: zero decode errors on $(wc -l <sshd.log) real lines" \
		err '^[0-9]+ lines \(0 undecodable'
done
if [ "$hydra_ran" = 1 ]; then
	expect_match "scan-log: hydra against the real sshd is a brute force" out 'auth\.bruteforce +127\.0\.0\.1'
else
	skip "hydra against the real sshd" "hydra not installed"
fi

finish
