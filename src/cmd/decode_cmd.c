/* `vigil decode`: runs one of the monitor's log decoders over files or stdin and shows
 * what vigil sees in each line, so a source's format (or an nginx log_format string)
 * can be checked before the event rather than discovered to be wrong during it. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/event.h"
#include "monitor/decode.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_decode;

struct decode_run {
	struct decoder *dec;
	bool json;
	size_t max_line;
	struct vg_buf *line;
	uint64_t lines, truncated;
};

/* Prints s through the one terminal sanitiser: a hostile log line cannot drive
 * the terminal or forge a line. */
static void
put_safe(const char *s)
{
	vg_esc_fwrite(stdout, s, strlen(s));
}

static void
put_field(const char *name, const char *value)
{
	if (!value || !*value)
		return;
	printf(" %s=", name);
	put_safe(value);
}

static void
print_text(const char *file, uint64_t lineno, const struct vg_event *ev)
{
	char ts[40], num[32];

	put_safe(file);
	printf(":%llu: %s", (unsigned long long)lineno, vg_event_kind_name(ev->kind));
	if (ev->kind == VG_EV_DECODE_ERROR) {
		fputs(": ", stdout);
		put_safe(ev->message ? ev->message : "");
		putchar('\n');
		return;
	}
	if (ev->ts_us) {
		vg_time_format(ev->ts_us, ts, sizeof(ts));
		printf(" @timestamp=%s", ts);
	}
	put_field("host.name", ev->host);
	put_field("source.ip", ev->src_ip);
	if (ev->src_port) {
		snprintf(num, sizeof(num), "%u", ev->src_port);
		put_field("source.port", num);
	}
	put_field("destination.ip", ev->dst_ip);
	if (ev->dst_port) {
		snprintf(num, sizeof(num), "%u", ev->dst_port);
		put_field("destination.port", num);
	}
	put_field("user.name", ev->user);
	put_field("http.request.method", ev->http.method);
	put_field("url.original", ev->http.url);
	put_field("http.version", ev->http.version);
	if (ev->http.status) {
		snprintf(num, sizeof(num), "%d", ev->http.status);
		put_field("http.response.status_code", num);
	}
	if (ev->http.bytes >= 0) {
		snprintf(num, sizeof(num), "%lld", (long long)ev->http.bytes);
		put_field("http.response.body.bytes", num);
	}
	put_field("http.request.referrer", ev->http.referer);
	put_field("user_agent.original", ev->http.user_agent);
	put_field("process.name", ev->program);
	if (ev->pid) {
		snprintf(num, sizeof(num), "%lld", (long long)ev->pid);
		put_field("process.pid", num);
	}
	put_field("message", ev->message);
	if (ev->truncated)
		printf(" vigil.truncated=true");
	putchar('\n');
}

static void
emit(struct decode_run *r, const char *file, const char *line, size_t len, bool truncated)
{
	struct vg_event ev;

	r->lines++;
	decoder_decode(r->dec, line, len, &ev);
	ev.source = file;
	ev.truncated = truncated;
	if (truncated)
		r->truncated++;
	if (!r->json) {
		print_text(file, r->lines, &ev);
		return;
	}
	json_t *j = vg_event_to_json(&ev);
	if (j && ev.kind == VG_EV_DECODE_ERROR)
		vg_json_set_path(j, "error.message", json_string(ev.message));
	if (j)
		json_dumpf(j, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(j);
}

/* Splits f into lines; a line longer than max_line keeps its first max_line bytes and
 * is flagged truncated, and a last line without a newline is still decoded. */
static int
decode_file(struct decode_run *r, const char *name, FILE *f)
{
	char chunk[65536];
	bool skipping = false;
	size_t n;

	vg_buf_reset(r->line);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		const char *p = chunk, *end = chunk + n, *nl;
		while (p < end) {
			nl = memchr(p, '\n', (size_t)(end - p));
			size_t take = (size_t)((nl ? nl : end) - p);
			if (!skipping) {
				size_t room = r->max_line - vg_buf_len(r->line);
				if (take > room) {
					vg_buf_put(r->line, p, room);
					skipping = true;
				} else {
					vg_buf_put(r->line, p, take);
				}
			}
			if (!nl)
				break;
			emit(r, name, vg_buf_ptr(r->line), vg_buf_len(r->line), skipping);
			vg_buf_reset(r->line);
			skipping = false;
			p = nl + 1;
		}
	}
	if (ferror(f))
		return VG_ERR_IO;
	if (vg_buf_len(r->line) || skipping)
		emit(r, name, vg_buf_ptr(r->line), vg_buf_len(r->line), skipping);
	return VG_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct decode_run r = { .json = ctx->json };
	struct vg_config *cfg = NULL;
	const char *format = "auto", *log_format = NULL;
	char err[512];
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "log-format", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int i, ret, c, first_file;
	uint64_t ok = 0, errors = 0;

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
	first_file = optind;
	if (log_format && strcmp(format, "auto") == 0)
		format = "nginx";
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	r.max_line = cfg->monitor.max_line > 0 ? (size_t)cfg->monitor.max_line : 65536;
	if (r.max_line > DECODE_MAX_LINE)
		r.max_line = DECODE_MAX_LINE;
	if (decoder_new(format, log_format, &r.dec, err, sizeof(err)) != VG_OK) {
		ret = cmd_usage_error(&cmd_decode, "%s", err);
		goto out;
	}
	r.line = vg_buf_new(r.max_line);
	if (!r.line) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	ret = VG_EXIT_OK;
	if (first_file >= argc) {
		decode_file(&r, "(stdin)", stdin);
	}
	for (i = first_file; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");
		if (!f) {
			fprintf(stderr, "vigil decode: %s: %s\n", argv[i], strerror(errno));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (decode_file(&r, argv[i], f) != VG_OK) {
			fprintf(stderr, "vigil decode: %s: read error: %s\n", argv[i], strerror(errno));
			ret = VG_EXIT_RUNTIME;
		}
		if (f != stdin)
			fclose(f);
	}
	fflush(stdout);
	decoder_stats(r.dec, &ok, &errors);
	vg_info(&ctx->log, "decode: %llu lines, %llu decoded, %llu decode errors, %llu truncated "
	    "(format %s)", (unsigned long long)r.lines, (unsigned long long)ok,
	    (unsigned long long)errors, (unsigned long long)r.truncated, format);
	if (ret == VG_EXIT_OK && errors)
		ret = VG_EXIT_FOUND;
out:
	decoder_free(r.dec);
	vg_buf_free(r.line);
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
	    "--config, default 64k) are cut there and flagged vigil.truncated. With -v, a\n"
	    "summary (lines, decoded, decode errors, truncated) goes to stderr.\n"
	    "\n"
	    "options:\n"
	    "  --format FORMAT      auto (default), combined, apache, nginx, sshd, syslog, json\n"
	    "  --log-format STRING  nginx log_format string; implies --format nginx\n"
	    "\n"
	    "formats:\n"
	    "  auto      per line: JSON if it starts with '{', combined if it parses,\n"
	    "            else syslog, else a bare sshd auth line\n"
	    "  combined  nginx/Apache combined or common access log\n"
	    "  apache    same as combined (Apache's \\\" escapes are undone)\n"
	    "  nginx     any nginx log_format (needs --log-format)\n"
	    "  sshd      OpenSSH auth lines, syslog-prefixed or from `sshd -E`\n"
	    "  syslog    RFC 3164 (files, journalctl) and RFC 5424\n"
	    "  json      JSON lines: ECS keys or Suricata eve.json\n"
	    "\n"
	    "exit: 0 every line decoded, 1 some lines were decode errors, 2 usage or bad\n"
	    "      format, 3 a file could not be read or stdout could not be written.\n",
	.run = run,
};
