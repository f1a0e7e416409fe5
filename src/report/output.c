/* A report as files: the deliverables first (the summary lists them with their
 * hashes), then the HTML written atomically and privately, then the PDF printed from
 * that HTML. */
#include "report/report.h"
#include "core/atomic.h"
#include "core/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int
report_write(struct vg_store *st, struct report_opts *o, const struct report_files *files,
    json_t **result, char *err, size_t err_size)
{
	struct vg_buf *html = NULL;
	json_t *exports = NULL, *res = NULL;
	int r;

	*result = NULL;
	err[0] = '\0';
	if (files->exports_dir) {
		if ((r = report_exports(st, o, files->exports_dir, &exports)) != VG_OK) {
			snprintf(err, err_size, "%s: deliverables: %s", files->exports_dir,
			    r == VG_ERR_STORE ? store_errmsg(st) : vg_strerror(r));
			goto out;
		}
		o->deliverables = exports;
	}
	if (!(html = vg_buf_new(REPORT_HTML_MAX))) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	if ((r = report_render(st, o, html)) != VG_OK) {
		snprintf(err, err_size, "%s", r == VG_ERR_STORE ? store_errmsg(st) : vg_strerror(r));
		goto out;
	}
	if ((r = vg_atomic_write(files->html, vg_buf_ptr(html), vg_buf_len(html), 0600, 0)) != VG_OK) {
		snprintf(err, err_size, "%s: %s", files->html, strerror(errno));
		goto out;
	}
	res = json_pack("{s:s, s:I}", "html", files->html, "bytes", (json_int_t)vg_buf_len(html));
	if (exports)
		json_object_set(res, "exports", exports);
	if (files->pdf) {
		r = report_pdf(files->html, files->pdf, files->pdf_timeout_s, err, err_size);
		if (r != VG_OK)
			goto out;
		json_object_set_new(res, "pdf", json_string(files->pdf));
	}
	*result = res;
	res = NULL;
	r = VG_OK;
out:
	o->deliverables = NULL;
	json_decref(exports);
	json_decref(res);
	vg_buf_free(html);
	return r;
}
