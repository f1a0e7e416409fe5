/* Deliverables (placeholder). */
#include "report/report_int.h"
#include "core/err.h"

int
report_exports(struct vg_store *st, const struct report_opts *o, const char *dir, json_t **list)
{
	(void)st; (void)o; (void)dir;
	*list = NULL;
	return VG_ERR_INVAL;
}
