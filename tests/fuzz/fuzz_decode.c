/* libFuzzer harness for the log decoders: every registry format decodes the input as
 * one line, and an nginx decoder compiled from the input's first line (when it has
 * one) decodes the rest, each as a whole line and as one cut at max_line (a field
 * may then run to the end). Checks the decoder contract, then encodes the event to JSON
 * so every string it points at is read to its end. */
#include "core/err.h"
#include "core/event.h"
#include "monitor/decode.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check_one(struct decoder *d, const char *line, size_t len, bool cut)
{
	struct vg_event ev;
	int r = decoder_decode_cut(d, line, len, cut, &ev);

	if (r != VG_OK && r != VG_ERR_PARSE)
		abort();
	if (ev.raw != line || ev.raw_len != len)
		abort();
	if (r == VG_ERR_PARSE && (ev.kind != VG_EV_DECODE_ERROR || !ev.message))
		abort();
	if (r == VG_OK && ev.kind == VG_EV_DECODE_ERROR)
		abort();
	if (ev.truncated != cut)
		abort();
	if (memchr(ev.src_ip, '\0', sizeof(ev.src_ip)) == NULL ||
	    memchr(ev.dst_ip, '\0', sizeof(ev.dst_ip)) == NULL)
		abort();
	json_t *j = vg_event_to_json(&ev);
	char *s = j ? json_dumps(j, 0) : NULL;
	free(s);
	json_decref(j);
}

static void
check(struct decoder *d, const char *line, size_t len)
{
	check_one(d, line, len, false);
	check_one(d, line, len, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const nginx_formats[] = {
		"$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
		"\"$http_referer\" \"$http_user_agent\"",
		"$msec|$remote_addr:$remote_port|$host|$request_method $request_uri "
		"$server_protocol|$status|$bytes_sent|[$time_iso8601]|$request_time",
	};
	const char *line = (const char *)data;
	char err[256];

	for (size_t i = 0; decoder_registry[i]; i++) {
		struct decoder *d = NULL;
		if (strcmp(decoder_registry[i]->name, "nginx") == 0)
			continue;
		if (decoder_new(decoder_registry[i]->name, NULL, &d, err, sizeof(err)) != VG_OK)
			abort();
		check(d, line, size);
		check(d, line, size);	/* state left by the previous line must not matter */
		decoder_free(d);
	}
	for (size_t i = 0; i < sizeof(nginx_formats) / sizeof(nginx_formats[0]); i++) {
		struct decoder *d = NULL;
		if (decoder_new("nginx", nginx_formats[i], &d, err, sizeof(err)) != VG_OK)
			abort();
		check(d, line, size);
		decoder_free(d);
	}
	/* first line = a log_format of the fuzzer's choosing, the rest = the log line */
	const char *nl = memchr(line, '\n', size);
	if (nl && (size_t)(nl - line) < 4096) {
		size_t flen = (size_t)(nl - line);
		char *fmt = malloc(flen + 1);
		struct decoder *d = NULL;
		if (!fmt)
			return 0;
		memcpy(fmt, line, flen);
		fmt[flen] = '\0';
		if (decoder_new("nginx", fmt, &d, err, sizeof(err)) == VG_OK) {
			check(d, nl + 1, size - flen - 1);
			decoder_free(d);
		} else if (d != NULL || err[0] == '\0') {
			abort();
		}
		free(fmt);
	}
	return 0;
}
