/* libFuzzer harness for the asset register's parsers: the first byte picks the
 * declared-inventory CSV import (import_parse: the CSV reader plus the row
 * checks), one ss/conntrack line, a classification rules file or a web page
 * (the website watch's HTML scanner); the rest is the input. Any outcome is
 * fine except a crash, a leak, or an error without a message. */
#include "core/buf.h"
#include "core/err.h"
#include "inventory/classify.h"
#include "inventory/import.h"
#include "inventory/import_obs.h"
#include "inventory/sitewatch_page.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_buf *errs;
	int r;

	if (size < 1)
		return 0;
	if (!(errs = vg_buf_new(1 << 20)))
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	switch (data[0] % 4) {
	case 3: {
		struct page pg;
		if (page_parse(text, len, &pg) == VG_OK && (!pg.title || !pg.text))
			abort();
		page_free(&pg);
		break;
	}
	case 0: {
		struct import_decls d;
		r = import_parse("fuzz.csv", text, len, &d, errs);
		if (r == VG_ERR_PARSE && vg_buf_len(errs) == 0)
			abort();
		if (r != VG_OK && d.n != 0)
			abort();
		import_decls_free(&d);
		break;
	}
	case 1: {
		char *line = malloc(len + 1);
		struct obs_link o;
		if (!line)
			break;
		memcpy(line, text, len);
		line[len] = '\0';
		if (import_obs_line(line, &o) == VG_OK && (!o.src[0] || !o.dst[0]))
			abort();
		free(line);
		break;
	}
	default: {
		struct classify_rules *cr = NULL;
		r = classify_rules_parse("fuzz.yaml", text, len, &cr, errs);
		if (r == VG_ERR_CONFIG && vg_buf_len(errs) == 0)
			abort();
		if ((r == VG_OK) != (cr != NULL))
			abort();
		classify_rules_free(cr);
		break;
	}
	}
	vg_buf_free(errs);
	return 0;
}
