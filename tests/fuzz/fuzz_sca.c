/* libFuzzer harness for the baseline policy loader (SCA-shaped YAML: rules, content
 * operators, regexes, variables) and for the dpkg status parser. The first byte
 * picks the parser. Any outcome is fine except a crash, a leak, or a failure without
 * a message. */
#include "assess/dpkg.h"
#include "assess/sca.h"
#include "core/err.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sca_policy *p = NULL;
	struct dpkg_db db;
	char err[256];

	if (size && data[0] == 'D') {
		if (dpkg_status_parse((const char *)data + 1, size - 1, &db) == VG_OK)
			for (size_t i = 0; i < db.n; i++)
				if (!db.pkgs[i].name || !db.pkgs[i].source_version)
					abort();
		dpkg_db_free(&db);
		return 0;
	}
	int r = sca_policy_parse("fuzz.yml", (const char *)data, size, &p, err, sizeof(err));
	if ((r == VG_OK) != (p != NULL) || (r != VG_OK && r != VG_ERR_NOMEM && !err[0]))
		abort();
	sca_policy_free(p);
	return 0;
}
