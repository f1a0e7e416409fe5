/* libFuzzer harness for the webshell scorer: the input is the content of a file under
 * a web root, scored with the real rules (rules/webshell, relative to the repo root
 * where tests/fuzz/run starts). Any verdict is fine; a crash, leak or out-of-range
 * field is not. */
#include "core/err.h"
#include "monitor/webshell.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer has no context argument; the compiled rules live for the whole run. */
static struct webshell_scanner *scanner;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];
	const char *rules = getenv("VIGIL_WEBSHELL_RULES");

	(void)argc;
	(void)argv;
	if (webshell_scanner_new(rules ? rules : "rules/webshell", NULL, &scanner, err,
		sizeof(err)) != VG_OK) {
		fprintf(stderr, "fuzz_webshell: %s\n", err);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webshell_finding f;

	if (webshell_scan_mem(scanner, "fuzz.php", data, size, &f) != VG_OK)
		return 0;
	if (f.score < 0 || f.score > 100 || f.stats_score > WEBSHELL_STATS_MAX ||
	    f.entropy < 0 || f.entropy > 8.0001 || f.longest_token > size ||
	    f.compress_ratio < 0 || f.compress_ratio > 1 || !f.level ||
	    strcmp(f.level, webshell_level(f.score)) != 0)
		abort();
	return 0;
}
