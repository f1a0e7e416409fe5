/* The reports' charts as inline SVG: plain rectangles and text, drawn here rather
 * than by a chart library so a report needs no script and prints as it shows.
 * Labels come from the store (categories, hours) and are escaped like any text. */
#include "report/report_int.h"

#define VB_W 360	/* viewBox of the vertical chart: it scales to the column */
#define VB_H 100
#define VB_LEFT 30
#define VB_BOTTOM 14
#define HB_ROW 14	/* one horizontal bar per row */
#define HB_LABEL 110

static long long
max_value(const struct svg_bar *bars, size_t n)
{
	long long m = 0;

	for (size_t i = 0; i < n; i++)
		if (bars[i].value > m)
			m = bars[i].value;
	return m;
}

void
svg_vbars(struct rw *w, const struct svg_bar *bars, size_t n, size_t every)
{
	long long max = max_value(bars, n);
	double plot_w = VB_W - VB_LEFT - 2, plot_h = VB_H - VB_BOTTOM - 8;
	double slot = n ? plot_w / (double)n : plot_w;

	if (every == 0)
		every = 1;
	rw_fmt(w, "<svg viewBox=\"0 0 %d %d\" role=\"img\">", VB_W, VB_H);
	/* The axis: zero and the maximum, so the bars read as numbers, not shapes. */
	rw_fmt(w, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\"/>",
	    VB_LEFT, plot_h + 8, VB_W - 2, plot_h + 8);
	rw_fmt(w, "<text x=\"%d\" y=\"12\" text-anchor=\"end\">%lld</text>", VB_LEFT - 3, max);
	rw_fmt(w, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">0</text>", VB_LEFT - 3,
	    plot_h + 8);
	for (size_t i = 0; i < n; i++) {
		double h = max > 0 ? plot_h * (double)bars[i].value / (double)max : 0;
		double x = VB_LEFT + slot * (double)i;

		if (bars[i].value > 0 && h < 1)
			h = 1;
		rw_fmt(w, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
			  "<title>", x + slot * 0.1, plot_h + 8 - h, slot * 0.8, h);
		rw_text(w, bars[i].label);
		rw_fmt(w, ": %lld</title></rect>", bars[i].value);
		if (i % every == 0) {
			rw_fmt(w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			    x + slot / 2, VB_H - 3);
			rw_text(w, bars[i].label);
			rw_raw(w, "</text>");
		}
	}
	rw_raw(w, "</svg>\n");
}

void
svg_hbars(struct rw *w, const struct svg_bar *bars, size_t n)
{
	long long max = max_value(bars, n);
	double plot_w = VB_W - HB_LABEL - 40;
	int height = (int)n * HB_ROW + 4;

	rw_fmt(w, "<svg viewBox=\"0 0 %d %d\" role=\"img\">", VB_W, height);
	for (size_t i = 0; i < n; i++) {
		double bw = max > 0 ? plot_w * (double)bars[i].value / (double)max : 0;
		int y = (int)i * HB_ROW + 2;

		if (bars[i].value > 0 && bw < 1)
			bw = 1;
		rw_fmt(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", HB_LABEL - 4, y + 10);
		rw_text(w, bars[i].label);
		rw_fmt(w, "</text><rect class=\"b\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>"
			  "<text x=\"%.1f\" y=\"%d\">%lld</text>",
		    HB_LABEL, y + 2, bw, HB_ROW - 4, HB_LABEL + bw + 3, y + 10, bars[i].value);
	}
	rw_raw(w, "</svg>\n");
}
