#!/bin/bash
# vigil watch when the store's disk fills up under a steady attack stream: rounds
# fail and are rolled back, the same lines come again, and once there is room the
# stored counts add up to the lines written, exactly (none counted twice from the
# rolled-back rounds), across a SIGKILL too. The store sits on a small tmpfs in a
# private mount namespace of this test.
if [ "${VG_ROLLBACK_NS:-}" != 1 ] && [ "$(id -u)" = 0 ] &&
	unshare -m --propagation private true 2>/dev/null; then
	VG_ROLLBACK_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
source "$SRCDIR/tests/lib.sh"

if [ "${VG_ROLLBACK_NS:-}" != 1 ]; then
	skip "watch rollback on a full disk" "needs root and unshare (a private tmpfs)"
	finish
fi
cd "$TMP"
mkdir small
mount -t tmpfs -o size=8m "vigil-test-$$" small || { not_ok "cannot mount a tmpfs"; finish; }
trap 'kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; umount -l "$TMP/small"; rm -rf "$TMP"' EXIT

: >access.log
cat >w.yaml <<YAML
store: {path: $TMP/small/w.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
YAML

n=0
attack() {	# one SQL injection, always from the same address
	n=$((n + 1))
	echo "198.51.100.7 - - [24/Nov/2026:10:00:00 +0000] \"GET /item.php?id=1%27%20union%20select%20$n,2-- HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\"" >>access.log
}
counted() { sqlite3 small/w.db "select coalesce(sum(count), 0) from alerts where rule_id = 'http.sqli.union'" 2>/dev/null || echo 0; }
saved() { sqlite3 small/w.db "select offset from source_offsets where path = '$TMP/access.log'" 2>/dev/null; }
all_read() { [ "$(saved)" = "$(stat -c %s access.log)" ]; }
failures() { grep -c 'batch not saved' err.txt; }
start() {
	rm -f ready
	"$VIGIL" --config w.yaml watch --ready-file ready >>out.txt 2>>err.txt & pid=$!
	wait_for 60 test -e ready
}

start || not_ok "watch did not become ready"
for i in $(seq 1 100); do attack; done
wait_for 60 all_read || not_ok "the first 100 lines were not read"
expect_eq "before the disk fills, counts are exact" "$(counted)" "$n"

# Fill the disk; keep attacking until rounds fail, then some more.
dd if=/dev/zero of=small/fill bs=64k 2>/dev/null
fail_seen() {
	attack
	sleep 0.02
	[ "$(failures)" -ge 3 ]
}
wait_for 60 fail_seen && ok "a full disk makes rounds fail and roll back ($(failures) so far)" ||
	not_ok "the full disk never failed a round"
# While the disk stays full, failed rounds back off (100 ms doubling to 5 s) instead of
# spinning: without the back-off this window saw hundreds of failed rounds.
# Rounds that carry no lines still fail (positions, heartbeat) about 4 times a second;
# the bound is a rate, so a slow machine does not fail it.
f0=$(failures) t0=$(date +%s%N)
for i in $(seq 1 50); do attack; sleep 0.06; done
f1=$(failures) ms=$((($(date +%s%N) - t0) / 1000000))
[ $((f1 - f0)) -le $((10 * ms / 1000 + 5)) ] &&
	ok "a full disk backs off ($((f1 - f0)) failed rounds in $ms ms)" ||
	not_ok "failed rounds spin on a full disk ($((f1 - f0)) in $ms ms)"
rm -f small/fill
for i in $(seq 1 50); do attack; done
wait_for 60 all_read || not_ok "the lines were not all read once there was room"
expect_eq "after rolled-back rounds, stored counts equal the $n attack lines written" \
	"$(counted)" "$n"
expect_eq "the open alert kept counting across the full disk (one alert, not split)" \
	"$(sqlite3 small/w.db "select count(*) from alerts where rule_id = 'http.sqli.union'")" 1

# A kill under the stream after the recovery: still exact.
{ for i in $(seq 1 200); do attack; ((i % 20 == 0)) && sleep 0.02; done; } &
writer=$!
sleep 0.1
kill -KILL "$pid"; wait "$pid" 2>/dev/null
wait "$writer"
n=$((n + 200))
start || not_ok "watch did not restart"
wait_for 60 all_read || not_ok "the lines were not all read after the restart"
expect_eq "after a SIGKILL too, stored counts equal the $n attack lines" "$(counted)" "$n"

kill -TERM "$pid"; wait "$pid"
expect_eq "SIGTERM stops cleanly" "$?" 0
expect_eq "counts stay exact after the shutdown closes the alert" "$(counted)" "$n"
ERR=$(cat err.txt)
expect_clean_stderr "watch on a full disk: no sanitizer report"
finish
