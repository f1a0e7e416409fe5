/* "auto": picks the layout per line, for sources that mix formats or when the user
 * did not say. JSON if the line starts with '{', else combined if it parses as
 * combined, else syslog (with sshd inside), else a bare `sshd -E` line. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <stdlib.h>

struct auto_state {
	struct decode_syslog syslog;
	struct decode_json *json;
};

static void
auto_free(void *state)
{
	struct auto_state *a = state;
	if (!a)
		return;
	decode_json_free(a->json);
	free(a);
}

static int
auto_new(const char *log_format, void **state, char *err, size_t err_size)
{
	(void)log_format;
	(void)err;
	(void)err_size;
	struct auto_state *a = calloc(1, sizeof(*a));
	if (!a || decode_json_new(&a->json) != VG_OK) {
		auto_free(a);
		return VG_ERR_NOMEM;
	}
	decode_syslog_init(&a->syslog);
	*state = a;
	return VG_OK;
}

static int
auto_decode(void *state, struct decode_line *ln, struct vg_event *ev, const char **reason)
{
	struct auto_state *a = state;
	const char *ignored;

	if (ln->len && ln->buf[0] == '{')
		return decode_json_line(a->json, ln, ev, reason);
	if (decode_combined_line(ln, ev, &ignored) == VG_OK)
		return VG_OK;
	decode_event_clear(ev);
	decode_line_reset(ln);
	if (decode_syslog_parse(&a->syslog, ln, ev, &ignored) == VG_OK)
		return VG_OK;
	decode_event_clear(ev);
	decode_line_reset(ln);
	if (decode_sshd_bare(ln, ev, true, &ignored) == VG_OK)
		return VG_OK;
	*reason = "auto: not JSON, combined, syslog or an sshd line";
	return VG_ERR_PARSE;
}

const struct decoder_ops decoder_auto = {
	.name = "auto",
	.docs = "per line: JSON if it starts with '{', combined if it parses, else syslog, "
		"else a bare sshd line (`sshd -E`)",
	.new_state = auto_new,
	.decode = auto_decode,
	.free_state = auto_free,
};
