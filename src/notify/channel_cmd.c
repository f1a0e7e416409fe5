/* A local command: fork/exec of the configured argv (no shell, so nothing in a
 * message is ever interpreted), the webhook JSON on its stdin and the key in
 * VIGIL_IDEMPOTENCY_KEY. Exit status 0 within the channel timeout = delivered. */
#include "notify/channel.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define ARGV_MAX 64
#define ENV_MAX 512

static int
wait_deadline(pid_t pid, long long timeout_s, int *status)
{
	struct timespec start, now, nap = { 0, 10 * 1000000 };

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return VG_OK;
		if (w < 0 && errno != EINTR)
			return VG_ERR_IO;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout_s) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return VG_ERR_BUSY;
		}
		nanosleep(&nap, NULL);
	}
}

static int
send_command(void **conn, const struct notify_delivery *d, char *err, size_t err_size)
{
	char *argv[ARGV_MAX + 1], *envp[ENV_MAX + 2], keyenv[320];
	json_t *body = notify_webhook_body(d);
	char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int in[2] = { -1, -1 }, status = 0, r = VG_ERR_IO, devnull = -1;
	size_t n = 0, e = 0;
	pid_t pid;

	(void)conn;
	json_decref(body);
	if (!payload)
		return VG_ERR_NOMEM;
	for (; n < d->ch->command.n && n < ARGV_MAX; n++)
		argv[n] = d->ch->command.items[n];
	argv[n] = NULL;
	snprintf(keyenv, sizeof(keyenv), "VIGIL_IDEMPOTENCY_KEY=%s", d->key);
	for (char **p = environ; *p && e < ENV_MAX; p++)
		if (strncmp(*p, "VIGIL_IDEMPOTENCY_KEY=", 22) != 0)
			envp[e++] = *p;
	envp[e++] = keyenv;
	envp[e] = NULL;
	if (pipe2(in, O_CLOEXEC) != 0 || (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
		snprintf(err, err_size, "pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, err_size, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exec (we may be threaded).
		 * The sender thread blocks every signal and ignores SIGPIPE: undo both. */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
			_exit(126);
		execvpe(argv[0], argv, envp);
		_exit(127);
	}
	close(in[0]);
	in[0] = -1;
	/* A child that does not read must not block us: write what fits. */
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);	/* a child that exits early must not kill vigil */
	size_t len = strlen(payload), off = 0;
	while (off < len) {
		ssize_t w = write(in[1], payload + off, len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(in[1]);
	in[1] = -1;
	r = wait_deadline(pid, d->ch->timeout, &status);
	if (r == VG_ERR_BUSY) {
		snprintf(err, err_size, "%s: timed out", argv[0]);
		r = VG_ERR_IO;
	} else if (r == VG_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		snprintf(err, err_size, "%s: exit %d", argv[0],
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		r = VG_ERR_IO;
	}
out:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (devnull >= 0)
		close(devnull);
	free(payload);
	return r;
}

const struct notify_channel_ops notify_channel_command = { .type = "command",
	.needs_command = true, .send = send_command };
