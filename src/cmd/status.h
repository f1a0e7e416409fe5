/* What the `vigil status` files share. */
#ifndef VG_CMD_STATUS_H
#define VG_CMD_STATUS_H

#include "cmd/cmd.h"

/* Prints s (status's JSON object: running, pid, store_bytes, heartbeat, last_alert;
 * absent parts JSON null) as text lines on stdout. */
void status_print_text(const char *store_path, const json_t *s);

#endif
