/* The HTML writer of the reports (report_int.h): escaping, times, tables and the
 * page frame with its inline CSS. The CSS is sized for A4 so the daily briefing prints
 * on one page; CJK text uses the Noto CJK fonts (Debian fonts-noto-cjk). */
#include "report/report_int.h"
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char css[] =
    "@page{size:A4;margin:10mm}"
    "*{box-sizing:border-box}"
    "body{font-family:'Noto Sans CJK SC','Noto Sans SC','WenQuanYi Micro Hei',"
    "'DejaVu Sans',sans-serif;font-size:9.5pt;color:#1b1f24;margin:0 auto;max-width:190mm;"
    "line-height:1.35}"
    "h1{font-size:16pt;margin:0 0 2mm;border-bottom:2px solid #8b1a1a;padding-bottom:1mm}"
    "h2{font-size:11pt;margin:3mm 0 1mm;color:#8b1a1a;break-after:avoid}"
    ".meta{color:#555;font-size:8.5pt;margin-bottom:2mm}"
    ".status{font-size:11pt;font-weight:bold;background:#f4efe6;border-left:4px solid #8b1a1a;"
    "padding:2mm 3mm;margin:2mm 0}"
    ".grid{display:grid;grid-template-columns:1fr 1fr;column-gap:5mm}"
    ".grid>div{min-width:0}"
    "table{border-collapse:collapse;width:100%;font-size:8.5pt;margin:1mm 0;"
    "break-inside:avoid}"
    "th,td{border-bottom:1px solid #ddd;padding:0.6mm 1.2mm;text-align:left;"
    "vertical-align:top;overflow-wrap:anywhere}"
    "th{background:#f1f1f1;font-weight:600;white-space:nowrap}td.t{white-space:nowrap}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "p.none{color:#666;font-style:italic;margin:1mm 0}"
    ".late{color:#b00020;font-weight:600}.ok{color:#1b6e20}"
    ".tag{display:inline-block;background:#8b1a1a;color:#fff;border-radius:2px;"
    "padding:0 1mm;font-size:7.5pt}"
    "ul{margin:1mm 0;padding-left:5mm}li{margin:0.5mm 0}"
    "p.figs{margin:1mm 0}p.figs span{display:inline-block;margin-right:3mm;white-space:nowrap}"
    "p.figs b{color:#8b1a1a}"
    "svg{display:block;width:100%;height:auto}"
    "svg text{font-size:9px;fill:#333}svg rect.b{fill:#8b1a1a}"
    ".final h2{break-after:avoid}.final svg{max-width:140mm;max-height:60mm}";

static void
put(struct rw *w, const char *s, size_t n)
{
	int r;

	if (w->err)
		return;
	if ((r = vg_buf_put(w->b, s, n)) != VG_OK)
		w->err = r;
}

void
rw_raw(struct rw *w, const char *s)
{
	put(w, s, strlen(s));
}

void
rw_fmt(struct rw *w, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (w->err)
		return;
	va_start(ap, fmt);
	r = vg_buf_vputf(w->b, fmt, ap);
	va_end(ap);
	if (r != VG_OK)
		w->err = r;
}

void
rw_text(struct rw *w, const char *s)
{
	const char *run;

	if (!s) {
		put(w, "-", 1);
		return;
	}
	run = s;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		const char *rep = NULL;
		char hex[8];

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(hex, sizeof(hex), "\\x%02x", c);
				rep = hex;
			}
		}
		if (!rep)
			continue;
		put(w, run, (size_t)(p - run));
		put(w, rep, strlen(rep));
		run = p + 1;
	}
	put(w, run, strlen(run));
}

void
rw_text_cut(struct rw *w, const char *s, size_t max)
{
	char buf[512];
	size_t len;

	if (!s || strlen(s) <= max || max >= sizeof(buf)) {
		rw_text(w, s);
		return;
	}
	len = max;
	/* Back off UTF-8 continuation bytes so a character is never split. */
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	memcpy(buf, s, len);
	buf[len] = '\0';
	rw_text(w, buf);
	rw_raw(w, "&hellip;");
}

void
rw_tr(struct rw *w, enum rstr id)
{
	rw_text(w, report_str(w->lang, id));
}

void
rw_tpl(struct rw *w, enum rstr id, long long n, long long m)
{
	const char *t = report_str(w->lang, id), *p;
	char num[32];

	while ((p = strchr(t, '{')) && (p[1] == 'n' || p[1] == 'm') && p[2] == '}') {
		char piece[256];
		size_t len = (size_t)(p - t) < sizeof(piece) - 1 ? (size_t)(p - t) : sizeof(piece) - 1;

		memcpy(piece, t, len);
		piece[len] = '\0';
		rw_text(w, piece);
		snprintf(num, sizeof(num), "%lld", p[1] == 'n' ? n : m);
		rw_raw(w, num);
		t = p + 3;
	}
	rw_text(w, t);
}

void
rw_time(struct rw *w, int64_t us)
{
	char buf[32];
	struct tm tm;
	time_t t = (time_t)(us / 1000000);

	if (us <= 0 || !localtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm)) {
		rw_raw(w, "-");
		return;
	}
	rw_raw(w, buf);
}

void
rw_dur(struct rw *w, int64_t us)
{
	long long s = us / 1000000;

	if (s < 0)
		s = 0;
	if (s >= 86400)
		rw_fmt(w, "%lldd %lldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		rw_fmt(w, "%lldh %02lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		rw_fmt(w, "%lldm %02llds", s / 60, s % 60);
	else
		rw_fmt(w, "%llds", s);
}

void
rw_int(struct rw *w, long long n)
{
	rw_fmt(w, "%lld", n);
}

void
rw_pct(struct rw *w, long long n, long long d)
{
	if (d <= 0)
		rw_raw(w, "-");
	else
		rw_fmt(w, "%.1f%%", 100.0 * (double)n / (double)d);
}

void
rw_page_start(struct rw *w, enum rstr title)
{
	const struct report_opts *o = w->o;

	rw_fmt(w, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">",
	    w->lang == REPORT_ZH ? "zh-CN" : "en");
	rw_raw(w, "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	rw_tr(w, title);
	rw_raw(w, " ");
	rw_time(w, o->from_us);
	rw_raw(w, "</title><style>");
	rw_raw(w, css);
	rw_fmt(w, "</style></head><body class=\"%s\">\n<h1>",
	    o->kind == REPORT_FINAL ? "final" : "daily");
	rw_tr(w, title);
	rw_raw(w, "</h1>\n<div class=\"meta\">");
	rw_tr(w, R_PERIOD);
	rw_raw(w, ": ");
	rw_time(w, o->from_us);
	rw_raw(w, " &ndash; ");
	rw_time(w, o->to_us);
	rw_raw(w, " &middot; ");
	rw_tr(w, R_GENERATED);
	rw_raw(w, ": ");
	rw_time(w, o->now_us);
	rw_raw(w, " &middot; vigil</div>\n");
}

void
rw_page_end(struct rw *w)
{
	rw_raw(w, "</body></html>\n");
}

void
rw_h2(struct rw *w, enum rstr id)
{
	rw_raw(w, "<h2>");
	rw_tr(w, id);
	rw_raw(w, "</h2>\n");
}

void
rw_none(struct rw *w, enum rstr id)
{
	rw_raw(w, "<p class=\"none\">");
	rw_tr(w, id);
	rw_raw(w, "</p>\n");
}

void
rw_table(struct rw *w, const enum rstr *cols, size_t n)
{
	rw_raw(w, "<table><tr>");
	for (size_t i = 0; i < n; i++) {
		rw_raw(w, "<th>");
		rw_tr(w, cols[i]);
		rw_raw(w, "</th>");
	}
	rw_raw(w, "</tr>\n");
}

void
rw_table_end(struct rw *w)
{
	rw_raw(w, "</table>\n");
}

void
rw_kv(struct rw *w, enum rstr label, long long n)
{
	rw_raw(w, "<tr><th>");
	rw_tr(w, label);
	rw_fmt(w, "</th><td class=\"n\">%lld</td></tr>\n", n);
}

void
rw_figs_start(struct rw *w)
{
	rw_raw(w, "<p class=\"figs\">");
}

void
rw_fig(struct rw *w, enum rstr label, long long n)
{
	rw_raw(w, "<span>");
	rw_tr(w, label);
	rw_fmt(w, " <b>%lld</b></span> ", n);
}

void
rw_figs_end(struct rw *w)
{
	rw_raw(w, "</p>\n");
}

void
rw_td(struct rw *w, const char *s)
{
	rw_raw(w, "<td>");
	rw_text(w, s);
	rw_raw(w, "</td>");
}

void
rw_td_int(struct rw *w, long long n)
{
	rw_fmt(w, "<td class=\"n\">%lld</td>", n);
}

void
rw_td_time(struct rw *w, int64_t us)
{
	rw_raw(w, "<td class=\"t\">");
	rw_time(w, us);
	rw_raw(w, "</td>");
}
