/* libFuzzer harness for the probe database: the input is read both as a probe
 * file (the grammar parser) and as a server's answer matched against the shipped
 * rules (rules/inventory) under every probe name, then parsed as an HTTP answer.
 * Checks that what comes out is printable: matched fields and HTTP texts are kept
 * raw and escaped as printed, so discover's lines about them hold no control byte
 * but their ends, whatever the server sent. */
#include "core/err.h"
#include "inventory/discover_print.h"
#include "inventory/httpid.h"
#include "inventory/probe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct probe_db *shipped;

static void
printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

/* What discover prints of r: no control byte but the line ends. */
static void
printed_clean(const struct svc_result *r)
{
	struct inv_host h = { .addr = { .family = AF_INET } };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		abort();
	discover_print_text(f, &h, 80, PORT_OPEN, REASON_CONNECTED, r);
	fclose(f);
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)out[i] < 0x20 && out[i] != '\n') || out[i] == 0x7f)
			abort();
	free(out);
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
			struct svc_result r = { .identified = true };
			printable(m.service);
			memcpy(r.service, m.service, sizeof(r.service));
			memcpy(r.product, m.product, sizeof(r.product));
			memcpy(r.version, m.version, sizeof(r.version));
			memcpy(r.info, m.info, sizeof(r.info));
			printed_clean(&r);
		}
	}
	struct svc_result r;
	memset(&r, 0, sizeof(r));
	if (httpid_parse(data, size, &r)) {
		probe_db_tech(shipped, "/", data, size, r.http_tech, sizeof(r.http_tech));
		/* title, Server, Location and technologies stay raw (escaped once,
		 * where printed) */
		printed_clean(&r);
	}
	return 0;
}
