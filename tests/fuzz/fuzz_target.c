/* libFuzzer harness for `vigil discover`'s target and port specs: the input is split
 * at its first NUL into a target spec and a port spec. Names are never resolved
 * here. Checks the parser's contract: success yields addresses of one of the two
 * families within the limit, failure always explains itself, and port lists are
 * sorted, unique and within 1..65535. */
#include "core/err.h"
#include "inventory/target.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, err[512];
	struct target_set *t = NULL;
	struct port_list pl;

	if (size > 4096)
		return 0;
	if (!(buf = malloc(size + 2)))
		abort();
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	const char *ports = buf + strlen(buf) + 1;
	if (ports > buf + size)
		ports = buf + size;
	if (target_set_new(false, &t) != VG_OK)
		abort();
	err[0] = '\0';
	int rc = target_add(t, buf, "fuzz", err, sizeof(err));
	if (rc != VG_OK && (err[0] == '\0' || strncmp(err, "fuzz: ", 6) != 0))
		abort();
	/* the same text as an exclusion must never fail differently than as a target,
	 * except that exclusions have no size limit */
	int rx = target_exclude(t, buf, "fuzz", err, sizeof(err));
	if (rc == VG_OK && rx != VG_OK)
		abort();
	if (target_finish(t) != VG_OK)
		abort();
	size_t n;
	const struct inv_host *h = target_hosts(t, &n);
	if (n > TARGET_MAX_HOSTS)
		abort();
	for (size_t i = 0; i < n; i++)
		if (h[i].addr.family != AF_INET && h[i].addr.family != AF_INET6)
			abort();
	if (rc == VG_OK && n != 0)
		abort();	/* excluding exactly what was added leaves nothing */
	target_set_free(t);

	err[0] = '\0';
	if (target_parse_ports(ports, &pl, err, sizeof(err)) == VG_OK) {
		for (size_t i = 0; i < pl.n; i++)
			if (pl.ports[i] == 0 || (i && pl.ports[i] <= pl.ports[i - 1]))
				abort();
		target_ports_free(&pl);
	} else if (err[0] == '\0') {
		abort();
	}
	free(buf);
	return 0;
}
