/* libFuzzer harness for field normalisation: the SIMD build of normalize_field must
 * give the byte loops' output exactly (same result, length and bytes) for any input
 * and any output size, and never write past out_size (ASan sees the heap buffers). */
#include "monitor/normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NORMALIZE_SCALAR 1
#define normalize_field normalize_field_scalar
#include "../../src/monitor/normalize.c"
#undef normalize_field

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the output size: whole input, or cut somewhere in it */
	size_t out_size = size + 1;
	if (size > 1 && data[0] < 64)
		out_size = 1 + data[0] * size / 64;
	char *a = malloc(out_size), *b = malloc(out_size);
	size_t na = 0, nb = 0;

	if (!a || !b)
		abort();
	int ra = normalize_field((const char *)data, size, a, out_size, &na);
	int rb = normalize_field_scalar((const char *)data, size, b, out_size, &nb);
	if (ra != rb || na != nb || na >= out_size || memcmp(a, b, na + 1) != 0)
		abort();
	free(a);
	free(b);
	return 0;
}
