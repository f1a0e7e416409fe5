/* libFuzzer harness for the probe database: the input is read both as a probe
 * file (the grammar parser) and as a server's answer matched against the shipped
 * rules (rules/inventory) under every probe name, then parsed as an HTTP answer.
 * Checks that what comes out is printable: matched fields and HTTP texts never
 * hold control bytes, whatever the server sent. */
#include "core/err.h"
#include "inventory/httpid.h"
#include "inventory/probe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct probe_db *shipped;

static void
printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct probe_db *db = NULL;

	if (!shipped) {
		const char *dir = getenv("VIGIL_FUZZ_PROBES");
		if (probe_db_new(&shipped) != VG_OK ||
		    probe_db_load(shipped, dir ? dir : "rules/inventory", err, sizeof(err)) != VG_OK) {
			fprintf(stderr, "fuzz_probe: %s\n", err);
			abort();
		}
	}
	if (probe_db_new(&db) != VG_OK)
		abort();
	err[0] = '\0';
	if (probe_db_parse(db, (const char *)data, size, "fuzz", err, sizeof(err)) != VG_OK &&
	    strncmp(err, "fuzz:", 5) != 0)
		abort();
	probe_db_free(db);

	static const char *const probes[] = { "null", "http", "redis", "postgresql", "mongodb",
		"rdp", "smb", "memcached" };
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct probe_match_out m;
		if (probe_db_match(shipped, probes[i], data, size, &m)) {
			printable(m.service);
			printable(m.product);
			printable(m.version);
			printable(m.info);
		}
	}
	struct svc_result r;
	memset(&r, 0, sizeof(r));
	if (httpid_parse(data, size, &r)) {
		printable(r.http_title);
		printable(r.http_server);
		printable(r.http_location);
		probe_db_tech(shipped, "/", data, size, r.http_tech, sizeof(r.http_tech));
		printable(r.http_tech);
	}
	return 0;
}
