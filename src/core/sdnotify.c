/* sd_notify(3) over $NOTIFY_SOCKET: a path, or an abstract socket when it starts with
 * '@'. A socket per call: the daemon notifies a handful of times in its life. */
#include "core/sdnotify.h"
#include "core/err.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int
vg_sd_notify(const char *state)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n, len = strlen(state);
	ssize_t w;
	int fd, saved;

	if (!name || !name[0])
		return VG_OK;
	n = strlen(name);
	if ((name[0] != '/' && name[0] != '@') || n >= sizeof(sa.sun_path))
		return VG_ERR_INVAL;
	memcpy(sa.sun_path, name, n);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract namespace */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return VG_ERR_IO;
	w = sendto(fd, state, len, MSG_NOSIGNAL, (struct sockaddr *)&sa,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
	saved = errno;
	close(fd);
	errno = saved;
	return w == (ssize_t)len ? VG_OK : VG_ERR_IO;
}

int
vg_sd_notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
	return vg_sd_notify(msg);
}
