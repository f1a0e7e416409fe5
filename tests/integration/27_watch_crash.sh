#!/bin/bash
# vigil watch under SIGKILL: open alerts' counts are committed with the read
# positions, so after repeated kills under a steady attack stream the stored
# counts add up to the lines written, exactly; one watch per store.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
: >access.log
cat >w.yaml <<YAML
store: {path: $TMP/w.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
YAML

attack() {	# attack N: one SQL injection, always from the same address
	echo "198.51.100.7 - - [24/Nov/2026:10:00:00 +0000] \"GET /item.php?id=1%27%20union%20select%20$1,2-- HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\""
}
counted() { sqlite3 w.db "select coalesce(sum(count), 0) from alerts where rule_id = 'http.sqli.union'" 2>/dev/null || echo 0; }
saved() { sqlite3 w.db "select offset from source_offsets where path = '$TMP/access.log'" 2>/dev/null; }
all_read() { [ "$(saved)" = "$(stat -c %s access.log)" ]; }
read_more() { [ "$(saved)" != "$1" ]; }
start() {
	rm -f ready
	"$VIGIL" --config w.yaml watch --ready-file ready >>out.txt 2>>err.txt & pid=$!
	wait_for 60 test -e ready
}

# A steady stream while watch is killed and restarted 5 times.
n=0
start
{
	for ((i = 1; i <= 1500; i++)); do
		attack "$i" >>access.log
		((i % 25 == 0)) && sleep 0.02
	done
} &
writer=$!
for k in 1 2 3 4 5; do
	before=$(saved)
	wait_for 60 read_more "$before"
	kill -KILL "$pid"; wait "$pid" 2>/dev/null
	start
done
wait "$writer"
n=1500
wait_for 60 all_read
expect_eq "after 5 SIGKILLs under load, stored counts equal the attack lines written" \
	"$(counted)" "$n"
alerts_n=$(sqlite3 w.db "select count(*) from alerts where rule_id = 'http.sqli.union'")
if [ "$alerts_n" -ge 2 ]; then ok "kills landed mid-stream ($alerts_n alerts)"; else
	not_ok "kills landed mid-stream (only $alerts_n alert)"; fi

# A second watch on the same store is refused with a clear message.
run timeout 60 "$VIGIL" --config w.yaml watch
expect_rc "a second watch on one store is refused" 3
expect_match "the refusal names the running watch" err "another watch \\(pid $pid\\) is already running"
attack 1501 >>access.log
wait_for 60 all_read
expect_eq "the first watch still counts each line once" "$(counted)" 1501

kill -TERM "$pid"; wait "$pid"; rc=$?
expect_eq "SIGTERM stops cleanly" "$rc" 0
expect_eq "counts stay exact after the shutdown closes the alert" "$(counted)" 1501
ERR=$(cat err.txt)
expect_clean_stderr "watch: no sanitizer report"
finish
