/* libFuzzer harness for the web-root protection parsers: the input is split at the
 * first NUL into an old and a new text, which are diffed (unified output bounded) and
 * whose added lines go through the tamper patterns; the whole input is also loaded as
 * a snapshot manifest. Add fuzz_protect to harnesses=() in tests/fuzz/run. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "monitor/diff.h"
#include "backup/manifest.h"
#include "monitor/tamper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tamper *t;
	const char *a = (const char *)data, *nul = memchr(data, 0, size);
	size_t alen = nul ? (size_t)(nul - a) : size / 2;
	const char *b = a + alen + (nul ? 1 : 0);
	size_t blen = size - (size_t)(b - a);
	struct diff *d = NULL;

	if (!t && tamper_new(&t) != VG_OK)
		return 0;
	if (diff_lines(a, alen, b, blen, &d) == VG_OK) {
		struct vg_buf *out = vg_buf_new(1 << 16), *added = vg_buf_new(1 << 20);
		struct tamper_result r;
		diff_unified(d, "a", "b", 3, out);
		if (diff_added_text(d, added) == VG_OK)
			tamper_scan(t, vg_buf_ptr(added), vg_buf_len(added), &r);
		vg_buf_free(out);
		vg_buf_free(added);
		diff_free(d);
	}
	int fd = memfd_create("manifest", 0);
	if (fd >= 0) {
		char path[64], err[256];
		struct manifest *m = NULL;
		if (write(fd, data, size) == (ssize_t)size) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			if (manifest_load(path, &m, err, sizeof(err)) == VG_OK)
				(void)manifest_find(m, "index.html");
			manifest_free(m);
		}
		close(fd);
	}
	return 0;
}
