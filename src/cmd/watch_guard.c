/* What `vigil watch` checks before it runs: one watch per store (a lock file beside
 * the store) and web roots it could not restore (read-only to this process). */
#include "cmd/watch.h"
#include "core/err.h"
#include "core/lockfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Two daemons on one store would count every line twice: the second is refused. */
int
watch_lock_store(struct watch *w)
{
	char path[4096];
	long holder;
	int r;

	if (vg_lockfile_path(w->cfg->store.path, path, sizeof(path)) != VG_OK) {
		fprintf(stderr, "vigil watch: store path too long\n");
		return VG_EXIT_USAGE;
	}
	r = vg_lockfile_take(path, &w->lock_fd, &holder);
	if (r == VG_ERR_BUSY) {
		if (holder)
			cmd_eprintf("vigil watch: another watch (pid %ld) is already running on "
			    "store %s; stop it first\n", holder, w->cfg->store.path);
		else
			cmd_eprintf("vigil watch: another watch is already running on store "
			    "%s; stop it first\n", w->cfg->store.path);
		return VG_EXIT_RUNTIME;
	}
	if (r != VG_OK) {
		cmd_eprintf("vigil watch: cannot lock %s: %s\n", path, strerror(errno));
		return VG_EXIT_RUNTIME;
	}
	return VG_EXIT_OK;
}

/* A web root the daemon may not write (systemd's ProtectSystem=strict without a
 * ReadWritePaths= for it) cannot be restored: say so at start, not at the first
 * defacement. Watching and alerting still work, so it is not fatal. */
void
watch_check_writable(struct watch *w)
{
	const struct vg_webroot_cfg *wr = w->cfg->webroots.items;

	for (size_t i = 0; i < w->cfg->webroots.n; i++) {
		if (wr[i].policy && strcmp(wr[i].policy, "alert") == 0)
			continue;
		if (access(wr[i].path, W_OK) != 0 && errno == EROFS)
			vg_error(&w->ctx->log, "watch: web root %s (%s) is read-only to this "
			    "process: restores and quarantine will fail; under systemd add "
			    "ReadWritePaths=%s in a drop-in (see vigil-watch(1))",
			    wr[i].name ? wr[i].name : wr[i].path, wr[i].path, wr[i].path);
	}
}
