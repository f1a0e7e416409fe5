/* The final work summary (placeholder until the full summary lands). */
#include "report/facts.h"

int
report_final(struct rw *w)
{
	struct report_facts f;

	report_facts(w, &f);
	rw_page_start(w, R_FINAL_TITLE);
	report_status(w, &f);
	report_decisions(w, &f);
	rw_page_end(w);
	report_facts_free(&f);
	return w->err;
}
