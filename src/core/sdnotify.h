/* systemd's readiness protocol (sd_notify(3)) in a few lines, without libsystemd: a
 * datagram of "KEY=VALUE" lines to the socket systemd names in $NOTIFY_SOCKET. */
#ifndef VG_SDNOTIFY_H
#define VG_SDNOTIFY_H

/* Sends state (e.g. "READY=1", "RELOADING=1", "STOPPING=1") to the service manager.
 * 0 when sent or when not run by one ($NOTIFY_SOCKET unset); VG_ERR_INVAL for an
 * unusable socket name, VG_ERR_IO when the send fails (errno set). */
int vg_sd_notify(const char *state);

/* "RELOADING=1" with the MONOTONIC_USEC= systemd wants beside it (253+ uses it to
 * tell this reload from an earlier one; older versions ignore it). Same returns. */
int vg_sd_notify_reloading(void);

#endif
