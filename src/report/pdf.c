/* HTML to PDF with Debian's headless Chromium, run as a child process in its own
 * process group with a fresh profile directory and every background service off
 * (the machine may have no network: without those flags Chromium keeps retrying).
 * It prints to a temporary name beside the target, renamed on success, so a killed
 * run never leaves a half-written PDF under the real name. */
#include "report/report.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const browsers[] = { "/usr/bin/chromium", "/usr/bin/chromium-browser",
	"/usr/bin/google-chrome", NULL };

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Waits for pid up to timeout_s; kills its process group after that. */
static int
wait_child(pid_t pid, int timeout_s, int *status)
{
	struct timespec t0, t;
	pid_t r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return VG_OK;
		if (r < 0 && errno != EINTR)
			return VG_ERR_IO;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= timeout_s) {
			kill(-pid, SIGKILL);
			waitpid(pid, status, 0);
			return VG_ERR_BUSY;
		}
		sleep_ms(50);
	}
}

int
report_pdf(const char *html_path, const char *pdf_path, int timeout_s, char *err,
    size_t err_size)
{
	char profile[] = "/tmp/vigil-report-chromium.XXXXXX";
	char url[PATH_MAX + 16], out_arg[PATH_MAX + 32], prof_arg[64], tmp[PATH_MAX];
	char *abs = NULL;
	const char *browser = NULL;
	struct stat sb;
	int ret = VG_ERR_IO, status = 0, r;
	pid_t pid;

	err[0] = '\0';
	for (size_t i = 0; browsers[i] && !browser; i++)
		if (access(browsers[i], X_OK) == 0)
			browser = browsers[i];
	if (!browser) {
		snprintf(err, err_size, "no Chromium found for PDF output: install it "
		    "(apt-get install chromium fonts-noto-cjk) or use --format html");
		return VG_ERR_NOTFOUND;
	}
	if (!(abs = realpath(html_path, NULL))) {
		snprintf(err, err_size, "%s: %s", html_path, strerror(errno));
		return VG_ERR_IO;
	}
	if ((size_t)snprintf(url, sizeof(url), "file://%s", abs) >= sizeof(url) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", pdf_path, (long)getpid()) >= sizeof(tmp) ||
	    (size_t)snprintf(out_arg, sizeof(out_arg), "--print-to-pdf=%s", tmp) >= sizeof(out_arg)) {
		snprintf(err, err_size, "path too long");
		free(abs);
		return VG_ERR_LIMIT;
	}
	free(abs);
	if (!mkdtemp(profile)) {
		snprintf(err, err_size, "cannot create a Chromium profile directory: %s",
		    strerror(errno));
		return VG_ERR_IO;
	}
	snprintf(prof_arg, sizeof(prof_arg), "--user-data-dir=%s", profile);
	char *argv[] = { (char *)browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-quic", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run", "--disable-extensions", "--mute-audio",
		"--no-pdf-header-footer", "--print-to-pdf-no-header", prof_arg, out_arg, url, NULL };
	if ((pid = fork()) < 0) {
		snprintf(err, err_size, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		setpgid(0, 0);
		umask(077);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execv(browser, argv);
		_exit(127);
	}
	setpgid(pid, pid);
	r = wait_child(pid, timeout_s, &status);
	/* Chromium leaves helpers behind in its group now and then. */
	kill(-pid, SIGKILL);
	if (r == VG_ERR_BUSY) {
		snprintf(err, err_size, "%s did not finish the PDF within %d s", browser, timeout_s);
	} else if (r != VG_OK || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, err_size, "%s failed (status %d)", browser,
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	} else if (stat(tmp, &sb) != 0 || sb.st_size == 0) {
		snprintf(err, err_size, "%s wrote no PDF", browser);
	} else if (rename(tmp, pdf_path) != 0) {
		snprintf(err, err_size, "%s: %s", pdf_path, strerror(errno));
	} else {
		ret = VG_OK;
	}
out:
	unlink(tmp);
	nftw(profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return ret;
}
