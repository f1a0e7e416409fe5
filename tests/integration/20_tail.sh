#!/bin/bash
# `vigil tail`: every line exactly once across rename rotation, a SIGKILL, a
# rotation while stopped and a restart; syslog over UDP and TCP on loopback.
source "$SRCDIR/tests/lib.sh"

d=$TMP/logs
mkdir -p "$d"
db=$TMP/vigil.db
log=$d/app.log
pid=

start_tail() {
	"$VIGIL" tail --store "$db" --output "$TMP/out" --rotate-wait 300 "$log" \
		2>>"$TMP/tail.err" &
	pid=$!
	sleep 0.3
}

write_lines() { # write_lines FROM TO
	local i
	for ((i = $1; i <= $2; i++)); do
		echo "line-$i $RANDOM" >>"$log"
		((i % 20 == 0)) && sleep 0.005
	done
	return 0
}

# wait_count N FILE...: until the files hold N lines together
has_lines() { local want=$1; shift; [ "$(cat "$@" | wc -l)" -ge "$want" ]; }
wait_count() { wait_for 60 has_lines "$@" || true; }

# 1. running: lines, a logrotate-style rename, and SIGKILL while lines flow
start_tail
{
	write_lines 1 500
	mv "$log" "$log.1"
	echo "late-write-to-rotated-file" >>"$log.1"
	write_lines 501 1500
} &
writer=$!
sleep 0.4
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
echo "# lines saved before SIGKILL: $(wc -l <"$TMP/out")"
wait "$writer"
# 2. stopped: more lines, and another rotation nobody saw
write_lines 1501 1800
mv "$log.1" "$log.2"
mv "$log" "$log.1"
write_lines 1801 2000
# 3. restarted: resumes, drains the file rotated while down, goes on
start_tail
write_lines 2001 2500
wait_count 2501 "$TMP/out"
kill -TERM "$pid"
RC=0
wait "$pid" || RC=$?
OUT=""
ERR=$(cat "$TMP/tail.err")
expect_rc "tail exits 0 on SIGTERM" 0
expect_clean_stderr "tail runs clean under the sanitizers"

sed -E 's/.*"line":"([^"]*)".*/\1/' "$TMP/out" >"$TMP/lines"
total=$(wc -l <"$TMP/lines")
uniq_n=$(sort "$TMP/lines" | uniq | wc -l)
dups=$(sort "$TMP/lines" | uniq -d | wc -l)
expect_eq "every line delivered (2500 + 1 late write)" "$uniq_n" 2501
expect_eq "no line delivered twice across SIGKILL and restart" "$dups" 0
expect_eq "output holds exactly the written lines" "$total" 2501
if grep -q '"line":"late-write-to-rotated-file"' "$TMP/out"; then
	ok "write to a renamed file before the writer reopens is read"
else not_ok "write to a renamed file before the writer reopens is read"; fi
run sqlite3 "$db" "select offset from source_offsets where path = '$log'"
expect_match "position saved in the store" out '^[1-9][0-9]*$'

# Killed before any rotation, then rotated twice while down (log -> log.1 ->
# log.2, log -> log.1, new log): the file now at log.1 was never seen and is
# read from its start, besides the saved file (now log.2) and the new log.
gdb=$TMP/gap.db
glog=$d/gap.log
gout=$TMP/gap.out
"$VIGIL" tail --store "$gdb" --output "$gout" --rotate-wait 300 "$glog" 2>"$TMP/gap.err" &
pid=$!
for ((i = 1; i <= 100; i++)); do echo "gap-a-$i" >>"$glog"; done
saved_all() { [ "$(sqlite3 "$gdb" "select offset from source_offsets where path = '$glog'" \
	2>/dev/null)" = "$(stat -c %s "$glog")" ]; }
wait_for 60 saved_all || true
kill -KILL "$pid"
wait "$pid" 2>/dev/null
for ((i = 101; i <= 150; i++)); do echo "gap-a-$i" >>"$glog"; done
mv "$glog" "$glog.1"
for ((i = 1; i <= 120; i++)); do echo "gap-b-$i" >>"$glog"; done
mv "$glog.1" "$glog.2"
mv "$glog" "$glog.1"
for ((i = 1; i <= 80; i++)); do echo "gap-c-$i" >>"$glog"; done
"$VIGIL" tail --store "$gdb" --output "$gout" --rotate-wait 300 "$glog" 2>>"$TMP/gap.err" &
pid=$!
for ((i = 81; i <= 100; i++)); do echo "gap-c-$i" >>"$glog"; done
wait_count 370 "$gout"
sleep 0.5
kill -TERM "$pid"
wait "$pid"
sed -E 's/.*"line":"([^"]*)".*/\1/' "$gout" | sort >"$TMP/gap.lines"
expect_eq "killed before rotation, rotated twice while down: every line of the 3 files once" \
	"$(sort -u "$TMP/gap.lines" | wc -l) $(wc -l <"$TMP/gap.lines")" "370 370"
expect_eq "the file rotated in while down (log.1) is read whole" \
	"$(grep -c '^gap-b-' "$TMP/gap.lines")" 120
ERR=$(cat "$TMP/gap.err")
expect_clean_stderr "rotation gap restore runs clean under the sanitizers"

# The store refuses commits for a while (held locked by another process, as a
# full disk would): the batch is taken back and delivered again once it works.
ldb=$TMP/lock.db
llog=$d/lock.log
lout=$TMP/lock.out
"$VIGIL" tail --store "$ldb" --output "$lout" "$llog" 2>"$TMP/lock.err" &
pid=$!
sleep 0.3
for ((i = 1; i <= 50; i++)); do echo "pre-$i" >>"$llog"; done
wait_count 50 "$lout"
# .timeout: the locker waits out a commit of tail's own in flight instead of failing
# to lock (seen in a fresh chroot: "database is locked", then nothing to retry)
{ echo ".timeout 60000"; echo "BEGIN EXCLUSIVE;"; sleep 7; echo "COMMIT;"; } | sqlite3 "$ldb" &
locker=$!
sleep 0.5
for ((i = 1; i <= 50; i++)); do echo "during-$i" >>"$llog"; done
wait "$locker"
wait_count 100 "$lout"
sleep 0.5
kill -TERM "$pid"
wait "$pid"
run cat "$TMP/lock.err"
expect_match "a failed commit is reported and retried" out 'cannot save positions'
expect_no_match "no rollback without a transaction" out 'cannot rollback'
expect_eq "after the store recovers every line is there once" \
	"$(sort "$lout" | uniq | wc -l) $(wc -l <"$lout")" "100 100"
run sqlite3 "$ldb" "select offset from source_offsets where path = '$llog'"
expect_eq "saved position covers exactly the delivered lines" "$OUT" "$(stat -c %s "$llog")"

# Overlong and binary lines: cut, flagged, and never a crash.
head -c 1048576 /dev/zero | tr '\0' 'x' >"$d/big.log"
printf '\n\xff\xfe bad utf8 \xc3\x28\n' >>"$d/big.log"
"$VIGIL" tail --max-line 1k "$d/big.log" >"$TMP/big.out" 2>"$TMP/big.err" &
pid=$!
wait_count 2 "$TMP/big.out"
kill -TERM "$pid"
wait "$pid"
run cat "$TMP/big.out"
expect_match "overlong line is cut and flagged" out '"truncated":true'
expect_match "invalid UTF-8 is printed lossily, not dropped" out 'bad utf8'
ERR=$(cat "$TMP/big.err")
expect_clean_stderr "overlong/binary lines run clean under the sanitizers"

# Syslog over UDP and TCP (newline and RFC 6587 octet-counted framing).
"$VIGIL" -v tail --syslog udp://127.0.0.1:0 --syslog tcp://127.0.0.1:0 >"$TMP/sys.out" \
	2>"$TMP/sys.err" &
pid=$!
both_bound() { [ "$(grep -c 'bound port' "$TMP/sys.err")" = 2 ]; }
wait_for 60 both_bound
uport=$(sed -nE 's/.*syslog udp:.* bound port ([0-9]+).*/\1/p' "$TMP/sys.err")
tport=$(sed -nE 's/.*syslog tcp:.* bound port ([0-9]+).*/\1/p' "$TMP/sys.err")
if [ -n "$uport" ] && [ -n "$tport" ]; then
	printf '<34>Oct 11 22:14:15 fw1 kernel: udp-3164 DROP SRC=203.0.113.9\n' \
		>/dev/udp/127.0.0.1/"$uport"
	msg='<165>1 2026-11-24T10:00:00Z vpn1 vpnd 42 ID47 - tcp-5424 login failed'
	{
		printf 'tcp-plain one\ntcp-plain two\n'
		printf '%d %s' "${#msg}" "$msg"
	} >/dev/tcp/127.0.0.1/"$tport"
	if command -v logger >/dev/null; then
		logger -n 127.0.0.1 -P "$uport" -d "logger-udp hello" 2>/dev/null || true
	fi
	wait_count 5 "$TMP/sys.out"
fi
kill -TERM "$pid"
wait "$pid"
run cat "$TMP/sys.out"
expect_match "UDP RFC 3164 message arrives" out '"line":"<34>Oct 11 22:14:15 fw1 kernel: udp-3164'
expect_match "UDP message path is the peer address" out '"path":"udp://127\.0\.0\.1:[0-9]+"'
expect_match "TCP newline-framed messages arrive" out 'tcp-plain two'
expect_match "TCP octet-counted RFC 5424 message arrives whole" out \
	'"line":"<165>1 2026-11-24T10:00:00Z vpn1 vpnd 42 ID47 - tcp-5424 login failed"'
expect_match "logger(1) message arrives" out 'logger-udp hello'
ERR=$(cat "$TMP/sys.err")
expect_clean_stderr "syslog receiver runs clean under the sanitizers"

# Without PATH, the configuration's sources are followed under their names.
mkdir -p "$TMP/cfg"
echo "from-config" >"$TMP/cfg/site.access.log"
printf 'monitor:\n  sources:\n    - {name: web, path: "*.access.log"}\n' >"$TMP/cfg/vigil.yaml"
"$VIGIL" --config "$TMP/cfg/vigil.yaml" tail >"$TMP/cfg.out" 2>"$TMP/cfg.err" &
pid=$!
wait_count 1 "$TMP/cfg.out"
kill -TERM "$pid"
wait "$pid"
run cat "$TMP/cfg.out"
expect_match "config sources are followed under their name" out '"source":"web",.*"line":"from-config"'

run "$VIGIL" tail --syslog bogus://x
expect_rc "bad syslog address is a usage error" 2
expect_match "bad syslog address error names the address" err "bogus://x"
run "$VIGIL" tail /nonexistent-vigil-dir/a.log
expect_rc "missing directory is refused" 2
run "$VIGIL" tail --help
expect_match "tail --help documents --store" out '--store FILE'
finish
