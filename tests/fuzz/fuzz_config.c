/* libFuzzer harness for the configuration loader: the input is a vigil.yaml document.
 * Any outcome is fine except a crash, a leak, or a failure without an error message. */
#include "core/config.h"
#include "core/err.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_config *cfg = NULL;
	char *errors = NULL, *warnings = NULL;

	/* a base directory that does not exist, so relative paths touch nothing */
	int r = vg_config_load_string("fuzz.yaml", (const char *)data, size,
	    "/nonexistent/vigil-fuzz", &cfg, &errors, &warnings);
	if (r == VG_OK && !cfg)
		abort();
	if (r != VG_OK && (cfg || (r == VG_ERR_CONFIG && !errors)))
		abort();
	vg_config_free(cfg);
	free(errors);
	free(warnings);
	return 0;
}
