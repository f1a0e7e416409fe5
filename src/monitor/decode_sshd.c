/* The sshd decoder: OpenSSH lines with a syslog/journal prefix (decode_syslog.c)
 * or bare from `sshd -E FILE`; the message itself is read by decode_sshd_msg.c. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

int
decode_sshd_bare(struct decode_line *ln, struct vg_event *ev, bool auth_only,
    const char **reason)
{
	char *s = ln->buf;

	/* `sshd -E` may prefix the program name ("sshd[123]: ") */
	if (strncmp(s, "sshd", 4) == 0) {
		char *c = strstr(s, ": ");
		size_t tag = c ? (size_t)(c - s) : 0;
		if (c && tag < 32 && !memchr(s, ' ', tag)) {
			char *br = memchr(s, '[', tag);
			uint64_t pid;
			if (br && c[-1] == ']' && decode_uint(br + 1, (size_t)(c - 1 - br - 1),
			    UINT32_MAX, &pid) == VG_OK)
				ev->pid = (int64_t)pid;
			*(br ? br : c) = '\0';
			if (decode_is_sshd_program(s))
				ev->program = s;
			s = c + 2;
		}
	}
	if (decode_sshd_message(ln, s, ev))
		return VG_OK;
	if ((auth_only && !ev->program && !decode_sshd_known(s)) || !decode_is_text(s, strlen(s)) ||
	    !*s) {
		*reason = "sshd: not an OpenSSH log line";
		return VG_ERR_PARSE;
	}
	ev->kind = VG_EV_SYSLOG;
	ev->program = ev->program ? ev->program : "sshd";
	ev->message = s;
	return VG_OK;
}

static int
sshd_decode(void *state, struct decode_line *ln, struct vg_event *ev, const char **reason)
{
	if (decode_syslog_parse(state, ln, ev, reason) == VG_OK)
		return VG_OK;
	decode_event_clear(ev);
	decode_line_reset(ln);
	return decode_sshd_bare(ln, ev, false, reason);
}

const struct decoder_ops decoder_sshd = {
	.name = "sshd",
	.docs = "OpenSSH auth lines, syslog/journal-prefixed or from `sshd -E` "
		"(Failed/Accepted password|publickey, Invalid user, ...)",
	.new_state = decode_syslog_new_state,	/* same state: sshd lines may carry a syslog prefix */
	.decode = sshd_decode,
	.free_state = free,
};
