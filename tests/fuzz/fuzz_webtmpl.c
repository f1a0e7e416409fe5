/* libFuzzer harness for the web checks' data: the input is parsed as a web template
 * and as a checklist; a template that loads is then run (matchers, extractors) over a
 * response made of the same bytes, and the bytes are fingerprinted as a not-found
 * page. Any outcome is fine except a crash, a leak, a hang, or a failure without a
 * message. */
#include "assess/checklist.h"
#include "assess/web_match.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_tmpl *t = NULL;
	struct checklist *c = NULL;
	struct web_nf nf;
	char err[512];
	int r = web_tmpl_parse((const char *)data, size, "fuzz.yaml", &t, err, sizeof(err));
	struct web_resp resp = { .status = 200, .headers = (const char *)data, .hlen = size / 2,
		.body = (const char *)data + size / 2, .blen = size - size / 2 };

	if ((r == VG_OK && !t) || (r != VG_OK && (t || !err[0])))
		abort();
	web_nf_make(&resp, "/.git/HEAD", &nf);
	if (t) {
		struct vg_buf *ev = vg_buf_new(16384);

		for (size_t i = 0; ev && i < t->nrequests; i++) {
			vg_buf_reset(ev);
			(void)web_match(&t->requests[i], &resp, ev);
			web_extract(&t->requests[i], &resp, ev);
		}
		vg_buf_free(ev);
		web_tmpl_free(t);
	}
	r = checklist_parse((const char *)data, size, "fuzz.yaml", &c, err, sizeof(err));
	if ((r == VG_OK && !c) || (r != VG_OK && (c || !err[0])))
		abort();
	checklist_free(c);
	return 0;
}
