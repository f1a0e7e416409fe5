/* `vigil decode`: runs one of the monitor's log decoders over files or stdin and shows
 * what vigil sees in each line, so a source's format (or an nginx log_format string)
 * can be checked before the event rather than discovered to be wrong during it. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "monitor/decode_stream.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_decode;

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "log-format", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct vg_config *cfg = NULL;
	struct decoder *dec = NULL;
	struct decode_stream *ds = NULL;
	const char *format = "auto", *log_format = NULL;
	char err[512];
	int i, ret, c;
	uint64_t ok = 0, errors = 0, lines = 0, truncated = 0;
	size_t max_line;

	optind = 0;
	opterr = 0;
	/* '+': options end at the first file, as they always have */
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'l')
			log_format = optarg;
		else
			return cmd_usage_error(&cmd_decode, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	}
	if (log_format && strcmp(format, "auto") == 0)
		format = "nginx";
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	max_line = cfg->monitor.max_line > 0 ? (size_t)cfg->monitor.max_line : 65536;
	if (max_line > DECODE_MAX_LINE)
		max_line = DECODE_MAX_LINE;
	if (decoder_new(format, log_format, &dec, err, sizeof(err)) != VG_OK) {
		ret = cmd_usage_error(&cmd_decode, "%s", err);
		goto out;
	}
	if (decode_stream_new(dec, max_line, decode_print_event, &ctx->json, &ds) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (optind >= argc)
		decode_stream_file(ds, "(stdin)", stdin);
	for (i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");
		if (!f) {
			cmd_eprintf("vigil decode: %s: %s\n", argv[i], strerror(errno));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (decode_stream_file(ds, argv[i], f) != VG_OK) {
			cmd_eprintf("vigil decode: %s: read error: %s\n", argv[i], strerror(errno));
			ret = VG_EXIT_RUNTIME;
		}
		if (f != stdin)
			fclose(f);
	}
	fflush(stdout);
	decoder_stats(dec, &ok, &errors);
	decode_stream_counts(ds, &lines, &truncated);
	vg_info(&ctx->log, "decode: %llu lines, %llu decoded, %llu decode errors, %llu truncated "
	    "(format %s)", (unsigned long long)lines, (unsigned long long)ok,
	    (unsigned long long)errors, (unsigned long long)truncated, format);
	if (ret == VG_EXIT_OK && errors)
		ret = VG_EXIT_FOUND;
out:
	decode_stream_free(ds);
	decoder_free(dec);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_decode = {
	.name = "decode",
	.summary = "show how vigil decodes log lines (check a source's format)",
	.help =
	    "usage: vigil decode [--format FORMAT] [--log-format STRING] [--json] [FILE...]\n"
	    "\n"
	    "Decodes each line of FILEs (or stdin, or '-') with one of the monitor's decoders\n"
	    "and prints what vigil sees: one line per input line, FILE:LINE: KIND and the\n"
	    "fields found, using ECS names (source.ip, url.original, user.name, ...). With\n"
	    "--json, one ECS JSON object per line instead; event.original is the raw line and\n"
	    "decode errors carry error.message. Lines longer than monitor.max_line (from\n"
	    "--config, default 64k) are cut there and flagged vigil.truncated; a field the\n"
	    "cut leaves open (a request without its closing quote) is decoded up to the cut.\n"
	    "With -v, a summary (lines, decoded, decode errors, truncated) goes to stderr.\n"
	    "\n"
	    "options:\n"
	    "  --format FORMAT      auto (default), combined, apache, nginx, sshd, syslog, json\n"
	    "  --log-format STRING  nginx log_format string; implies --format nginx\n"
	    "\n"
	    "formats:\n"
	    "  auto      per line: JSON if it starts with '{', combined if it parses,\n"
	    "            else syslog, else a bare sshd line (`sshd -E`)\n"
	    "  combined  nginx/Apache combined or common access log\n"
	    "  apache    same as combined (Apache's \\\" escapes are undone)\n"
	    "  nginx     any nginx log_format (needs --log-format)\n"
	    "  sshd      OpenSSH lines, syslog-prefixed or from `sshd -E` (message kept\n"
	    "            whole; the outcome, e.g. Failed password, is event.action)\n"
	    "  syslog    RFC 3164 (files, journalctl) and RFC 5424\n"
	    "  json      JSON lines: ECS keys or Suricata eve.json\n"
	    "\n"
	    "exit: 0 every line decoded, 1 some lines were decode errors, 2 usage or bad\n"
	    "      format, 3 a file could not be read or stdout could not be written.\n",
	.run = run,
};
