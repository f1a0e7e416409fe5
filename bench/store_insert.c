/* Bench: alerts/s into the store through the real store API (prepared statement,
 * batched transactions, WAL). Usage: store_insert DB N BATCH; prints one JSON line. */
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct vg_store *st = NULL;
	char err[512];
	long long n = 0, batch = 0;

	if (argc != 4 || vg_parse_ll(argv[2], 1, 1000000000, &n) != VG_OK ||
	    vg_parse_ll(argv[3], 1, 1000000000, &batch) != VG_OK) {
		fprintf(stderr, "usage: store_insert DB N BATCH\n");
		return 2;
	}
	if (store_open("sqlite", argv[1], NULL, &st, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "store_insert: %s\n", err);
		return 3;
	}
	struct vg_alert a = { .rule_id = "http.sqli.union", .title = "SQL injection (UNION)",
		.category = "sqli", .mitre = "T1190", .severity = VG_SEV_HIGH, .sensor = "web1",
		.count = 1, .field = "url.original", .matched = "union select",
		.evidence = "203.0.113.66 - - [24/Nov/2026:09:01:10 +0000] \"GET /item.php?id=1 "
			    "UNION SELECT username,password FROM users-- HTTP/1.1\" 200 88" };
	double t0 = now_s();
	for (long long i = 0; i < n; i++) {
		if (i % batch == 0 && store_begin(st) != VG_OK)
			return 3;
		snprintf(a.source_ip, sizeof(a.source_ip), "203.0.%d.%d", (int)(i >> 8) & 255,
		    (int)i & 255);
		a.first_seen_us = a.last_seen_us = 1764000000000000LL + i;
		if (store_alert_add(st, &a) != VG_OK) {
			fprintf(stderr, "store_insert: %s\n", store_errmsg(st));
			return 3;
		}
		if ((i + 1) % batch == 0 || i + 1 == n) {
			if (store_commit(st) != VG_OK)
				return 3;
		}
	}
	double dt = now_s() - t0;
	printf("{\"impl\":\"vigil-c\",\"rows\":%lld,\"batch\":%lld,\"seconds\":%.3f,"
	       "\"rows_per_s\":%.0f}\n", n, batch, dt, (double)n / dt);
	store_close(st);
	return 0;
}
