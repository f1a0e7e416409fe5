/* `vigil report daily|final`: the daily briefing and the final work summary from the
 * store, as HTML (and PDF through headless Chromium), in English or Chinese. Options,
 * file names and help here; the period and the writing in report_do.c. */
#include "cmd/report.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define PDF_TIMEOUT_S 120

static int
parse(int argc, char **argv, struct report_cmd_opts *o)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' }, { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' }, { "lang", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'F' }, { "output", required_argument, NULL, 'o' },
		{ "exports", required_argument, NULL, 'e' }, { NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((c = cmd_getopt(&cmd_report, argc, argv, ":o:", longopts)) != -1) {
		switch (c) {
		case 'd': o->date = optarg; break;
		case 'f': o->from = optarg; break;
		case 't': o->to = optarg; break;
		case 'l': o->lang = optarg; break;
		case 'F': o->format = optarg; break;
		case 'o': o->out = optarg; break;
		case 'e': o->exports = optarg; break;
		default: return VG_EXIT_USAGE;
		}
	}
	return optind == argc ? VG_EXIT_OK :
	    cmd_usage_error(&cmd_report, "unknown argument '%s'", argv[optind]);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct report_opts ro = { .now_us = vg_now_us() };
	struct report_files f = { .pdf_timeout_s = PDF_TIMEOUT_S };
	char stem[96], html[4096], pdf[4096], dir[4096];
	struct report_cmd_opts o;
	bool want_pdf;
	int ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_report, "expected daily or final");
	if ((ret = parse(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
		return ret;
	if (o.lang && report_lang_parse(o.lang, &ro.lang) != VG_OK)
		return cmd_usage_error(&cmd_report, "bad --lang '%s' (en or zh)", o.lang);
	if (o.format && strcmp(o.format, "html") != 0 && strcmp(o.format, "pdf") != 0)
		return cmd_usage_error(&cmd_report, "bad --format '%s' (html or pdf)", o.format);
	want_pdf = o.format && strcmp(o.format, "pdf") == 0;
	if ((ret = report_do_period(argv[1], &o, &ro, stem, sizeof(stem))) != VG_EXIT_OK)
		return ret;
	/* With --format pdf, -o names the PDF and the HTML it is printed from sits
	 * beside it with .html instead. */
	if (o.out) {
		size_t len = strlen(o.out);
		bool pdf_ext = len > 4 && strcmp(o.out + len - 4, ".pdf") == 0;
		if (want_pdf)
			snprintf(html, sizeof(html), "%.*s.html", (int)(pdf_ext ? len - 4 : len), o.out);
		else
			snprintf(html, sizeof(html), "%s", o.out);
		snprintf(pdf, sizeof(pdf), "%s", o.out);
		if (want_pdf && !pdf_ext)
			snprintf(pdf, sizeof(pdf), "%s.pdf", o.out);
	} else {
		snprintf(html, sizeof(html), "%s.html", stem);
		snprintf(pdf, sizeof(pdf), "%s.pdf", stem);
	}
	f.html = html;
	f.pdf = want_pdf ? pdf : NULL;
	if (ro.kind == REPORT_FINAL) {
		size_t len = strlen(html);
		if (o.exports)
			snprintf(dir, sizeof(dir), "%s", o.exports);
		else	/* beside the report: NAME.html -> NAME-deliverables */
			snprintf(dir, sizeof(dir), "%.*s-deliverables",
			    (int)(len > 5 && strcmp(html + len - 5, ".html") == 0 ? len - 5 : len), html);
		f.exports_dir = dir;
	}
	return report_do_write(ctx, &ro, &f);
}

const struct cmd_ops cmd_report = {
	.name = "report",
	.summary = "the daily briefing and the final work summary (HTML/PDF, English/Chinese)",
	.help =
	    "usage: vigil report daily [--date YYYY-MM-DD] [--lang en|zh] [--format html|pdf]\n"
	    "                          [-o FILE]\n"
	    "       vigil report final --from TIME --to TIME [--lang en|zh] [--format html|pdf]\n"
	    "                          [-o FILE] [--exports DIR]\n"
	    "\n"
	    "Reads the store (store.path of --config) and writes one self-contained HTML\n"
	    "file (inline CSS and SVG charts, no scripts; file 0600), named\n"
	    "vigil-daily-DATE-LANG.html / vigil-final-FROM-LANG.html unless -o says, and\n"
	    "prints its path.\n"
	    "\n"
	    "daily: one page for the day (local time, default today): the status in one\n"
	    "sentence, attacks per hour and by category, top sources (IOC hits marked) and\n"
	    "sites, incidents opened/disposed/overdue with when each was notified (the\n"
	    "notification outbox; \"not notified\" when none went out) and handling times\n"
	    "against the SLA, tampering and webshells with what was restored or\n"
	    "quarantined, blocks in force, vulnerabilities and rectification items, new\n"
	    "shadow assets, duty coverage (daily shifts keep their local hours across a\n"
	    "DST change) and handovers, and what needs a leader's decision.\n"
	    "final: the work summary for --from..--to: totals and attacks per day, every\n"
	    "significant incident with its handling chain (who and when), acknowledge and\n"
	    "dispose times (median, 90th percentile) against the SLA, coverage of the asset\n"
	    "register, rectification before and after, planning advice derived from the\n"
	    "data, and the deliverables: CSV/JSON exports written to --exports DIR (default\n"
	    "beside the report: NAME-deliverables/, 0700, files 0600) with SHA256SUMS;\n"
	    "a CSV with no rows still has its header line.\n"
	    "A section without data says so in one line.\n"
	    "\n"
	    "  --format pdf  also print the HTML to PDF with headless Chromium (Debian\n"
	    "                chromium; fonts-noto-cjk for Chinese): -o names the PDF, the\n"
	    "                HTML is written beside it. Without Chromium: an error naming\n"
	    "                the package, the HTML is still written.\n"
	    "TIME is YYYY-MM-DD[ HH:MM] (local), RFC 3339 with Z, or -3d from now.\n"
	    "\n"
	    "exit: 0 ok, 2 usage error, 3 store, write or PDF failure.\n",
	.run = run,
};
