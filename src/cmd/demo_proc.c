/* `vigil demo`'s process glue (see demo_site.h): running this same binary, and
 * polling for what the demo waits for. */
#include "cmd/demo_site.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

bool
demo_page_clean(const char *page)
{
	FILE *f = fopen(page, "r");
	char line[1024];
	bool clean = f != NULL;

	while (f && fgets(line, sizeof(line), f))
		clean = clean && !strstr(line, "casino");
	if (f)
		fclose(f);
	return clean;
}

bool
demo_gone(const char *path)
{
	return access(path, F_OK) != 0;
}

bool
demo_exists(const char *path)
{
	return !demo_gone(path);
}

void
demo_pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

#define DEMO_WAIT_MS 120000

bool
demo_wait_until(bool (*done)(const char *), const char *arg, pid_t watcher)
{
	int status;

	for (long t = 0; t < DEMO_WAIT_MS; t += 50) {
		if (done(arg))
			return true;
		if (waitpid(watcher, &status, WNOHANG) == watcher)
			return false;
		demo_pause_ms(50);
	}
	return done(arg);
}

pid_t
demo_spawn(char *const args[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", args);
		_exit(127);
	}
	return pid;
}

int
demo_run_vigil(char *const args[])
{
	int status = 0;
	pid_t pid = demo_spawn(args);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
