/* OpenSSH authentication messages (the text after "sshd[pid]: "), shared by the
 * syslog and sshd decoders; it calls neither, so neither decoder file depends on
 * the other through it. The user name is attacker-chosen and may hold spaces or a fake " from 1.2.3.4", so
 * addresses are read from the right: sshd always ends with "IP port N" (plus fixed
 * trailers such as " ssh2" or " [preauth]"). Fields are cut from a copy of the
 * message (ln->spare), so ev->message stays the whole text sshd wrote, for rules
 * and evidence; the outcome goes to ev->action as a fixed phrase ("Failed
 * password") for correlation. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <string.h>

bool
decode_is_sshd_program(const char *program)
{
	return program && (strcmp(program, "sshd") == 0 || strcmp(program, "sshd-session") == 0 ||
			   strcmp(program, "sshd-auth") == 0);
}

bool
decode_sshd_known(const char *msg)
{
	/* What OpenSSH 9.x writes around logins (LogLevel INFO/VERBOSE); enough to
	 * tell an `sshd -E` file from a line of some other format. */
	static const char *const prefixes[] = {
		"Server listening on ", "Received disconnect from ", "Disconnected from ",
		"Received signal ", "banner exchange: ", "kex_exchange_identification: ",
		"Bad protocol version identification ", "Protocol major versions differ",
		"Unable to negotiate with ", "Did not receive identification string",
		"Connection from ", "Connection closed by ", "Connection reset by ",
		"Timeout before authentication", "Postponed ", "Partial publickey ",
		"Starting session: ", "Close session: ", "User child is on pid ",
		"Could not get shadow information", "ssh_dispatch_run_fatal: ",
		"Missing privilege separation directory", "pam_unix(sshd:", "drop connection #",
		"error: ", "fatal: ", "Exiting on signal", "Invalid user ",
		"message repeated ", "Disconnecting ", "Accepted ", "Failed ",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(msg, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* Finds the last "IP port N" in s: sets the address and port, and returns the
 * space before the IP (the end of whatever precedes it), or NULL. */
static char *
tail_addr(char *s, struct vg_event *ev)
{
	char *port = NULL, *p = s;
	/* last " port " */
	while ((p = strstr(p, " port ")) != NULL) {
		port = p;
		p++;
	}
	if (!port || port == s)
		return NULL;
	char *ip_end = port, *ip = ip_end;
	while (ip > s && ip[-1] != ' ')
		ip--;
	if (ip == s || !decode_set_ip(ev->src_ip, ip, (size_t)(ip_end - ip)))
		return NULL;
	char *d = port + 6;
	size_t n = strspn(d, "0123456789");
	uint64_t v;
	if (decode_uint(d, n, 65535, &v) != VG_OK) {
		ev->src_ip[0] = '\0';
		return NULL;
	}
	ev->src_port = (uint16_t)v;
	return ip - 1;
}

/* Strips prefix from *s if present. */
static bool
eat(char **s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(*s, prefix, n) != 0)
		return false;
	*s += n;
	return true;
}

/* Sets ev->user to [s, end) minus an "invalid user " prefix. */
static void
set_user(char *s, char *end, struct vg_event *ev)
{
	eat(&s, "invalid user ");
	if (end > s) {
		*end = '\0';
		ev->user = s;
	}
}

static const char *
method_outcome(bool ok, const char *m, size_t len)
{
	static const struct {
		const char *method, *failed, *accepted;
	} t[] = {
		{ "password", "Failed password", "Accepted password" },
		{ "publickey", "Failed publickey", "Accepted publickey" },
		{ "keyboard-interactive", "Failed keyboard-interactive", "Accepted keyboard-interactive" },
		{ "keyboard-interactive/pam", "Failed keyboard-interactive", "Accepted keyboard-interactive" },
		{ "none", "Failed none", "Accepted none" },
		{ "hostbased", "Failed hostbased", "Accepted hostbased" },
		{ "gssapi-with-mic", "Failed gssapi-with-mic", "Accepted gssapi-with-mic" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].method) == len && memcmp(t[i].method, m, len) == 0)
			return ok ? t[i].accepted : t[i].failed;
	return ok ? "Accepted other" : "Failed other";
}

/* "USER from IP port N ..." (user may be prefixed "invalid user "). */
static bool
user_from_addr(char *s, struct vg_event *ev)
{
	char *sp = tail_addr(s, ev);
	if (!sp || sp - s < 5 || memcmp(sp - 5, " from", 5) != 0)
		return false;
	set_user(s, sp - 5, ev);
	return true;
}

/* "USER IP port N ..." */
static bool
user_addr(char *s, struct vg_event *ev)
{
	char *sp = tail_addr(s, ev);
	if (!sp)
		return false;
	set_user(s, sp, ev);
	return true;
}

bool
decode_sshd_message(struct decode_line *ln, const char *msg, struct vg_event *ev)
{
	size_t len = strlen(msg);
	char *s = ln->spare, *m;
	const char *outcome = NULL;
	char src_ip[VG_IP_MAX];

	if (len > ln->len)
		return false;	/* msg is not inside this line: no room was kept for it */
	memcpy(s, msg, len + 1);
	/* rsyslog folds repeats: "message repeated 3 times: [ Failed password ...]" */
	if (eat(&s, "message repeated ")) {
		char *b = strstr(s, ": [ ");
		if (!b)
			return false;
		s = b + 4;
		size_t n = strlen(s);
		if (n && s[n - 1] == ']')
			s[n - 1] = '\0';
	}
	memcpy(src_ip, ev->src_ip, sizeof(src_ip));
	bool accepted = false;
	if (eat(&s, "Failed ") || (accepted = eat(&s, "Accepted "))) {
		m = s;
		s = strstr(s, " for ");
		if (!s)
			goto no;
		outcome = method_outcome(accepted, m, (size_t)(s - m));
		if (!user_from_addr(s + 5, ev))
			goto no;
	} else if (eat(&s, "Invalid user ")) {
		outcome = "Invalid user";
		if (!user_from_addr(s, ev)) {
			/* OpenSSH before 7.x: "Invalid user NAME from IP", no port */
			char *f = NULL, *p = s;
			while ((p = strstr(p, " from ")) != NULL)
				f = p++;
			if (!f || !decode_set_ip(ev->src_ip, f + 6, strlen(f + 6)))
				goto no;
			set_user(s, f, ev);
		}
	} else if (eat(&s, "Connection closed by authenticating user ")) {
		outcome = "Connection closed by authenticating user";
		if (!user_addr(s, ev))
			goto no;
	} else if (eat(&s, "Connection closed by invalid user ")) {
		outcome = "Connection closed by invalid user";
		if (!user_addr(s, ev))
			goto no;
	} else if (eat(&s, "Disconnected from authenticating user ")) {
		outcome = "Disconnected from authenticating user";
		if (!user_addr(s, ev))
			goto no;
	} else if (eat(&s, "Disconnected from invalid user ")) {
		outcome = "Disconnected from invalid user";
		if (!user_addr(s, ev))
			goto no;
	} else if (eat(&s, "Disconnecting authenticating user ") ||
		   eat(&s, "Disconnecting invalid user ")) {
		outcome = "Too many authentication failures";
		char *c = strstr(s, ": Too many authentication failures");
		if (!c)
			goto no;
		*c = '\0';
		if (!user_addr(s, ev))
			goto no;
	} else if (eat(&s, "error: maximum authentication attempts exceeded for ")) {
		outcome = "Maximum authentication attempts exceeded";
		if (!user_from_addr(s, ev))
			goto no;
	} else if (eat(&s, "Connection closed by ") || eat(&s, "Connection reset by ")) {
		outcome = "Connection closed";
		if (!tail_addr(s - 1, ev) || strchr(s, ' ') != strstr(s, " port "))
			goto no;
	} else if (eat(&s, "Did not receive identification string from ")) {
		outcome = "No identification string";
		if (!tail_addr(s - 1, ev))
			goto no;
	} else if (eat(&s, "banner exchange: Connection from ") ||
		   eat(&s, "Unable to negotiate with ")) {
		/* "IP port N: reason"; the reason may quote what the client sent */
		outcome = "Protocol probe";
		char *c = strstr(s, ": ");
		if (!c)
			goto no;
		*c = '\0';
		if (!tail_addr(s - 1, ev) || strchr(s, ' ') != strstr(s, " port "))
			goto no;
	} else if (eat(&s, "Bad protocol version identification ")) {
		outcome = "Protocol probe";
		if (!tail_addr(s, ev))
			goto no;
	} else if (strncmp(s, "pam_unix(sshd:auth): authentication failure;", 45) == 0) {
		outcome = "PAM authentication failure";
		char *r = strstr(s, " rhost="), *u = strstr(s, " user=");
		if (r) {
			r += 7;
			decode_set_ip(ev->src_ip, r, strcspn(r, " "));
		}
		if (u && u[6]) {
			u += 6;
			u[strcspn(u, " ")] = '\0';
			ev->user = u;
		}
	} else {
		return false;
	}
	ev->kind = VG_EV_AUTH;
	ev->message = msg;
	ev->action = outcome;
	if (!ev->program)
		ev->program = "sshd";
	return true;
no:
	/* keep whatever address the caller had; the line is not an auth line after all */
	memcpy(ev->src_ip, src_ip, sizeof(src_ip));
	ev->src_port = 0;
	ev->user = NULL;
	return false;
}
