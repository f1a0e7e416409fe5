/* The web console (vigil serve, and vigil watch with console.enabled): an HTTP(S)
 * server on libmicrohttpd in external-polling epoll mode, so its socket can be one
 * source of the daemon's event loop (web_attach: the epoll fd as a file event, a
 * one-second timer for web_tick). vigil serve and vigil watch both host it so. */
#ifndef VG_WEB_H
#define VG_WEB_H

#include "core/config.h"
#include "core/log.h"
#include "core/store.h"

#include <stdint.h>

struct web;

/* Starts listening on cfg->console (listen, port, TLS). st is borrowed and must
 * outlive the server; the server is its only user in this thread. On failure *out
 * stays NULL and err holds a one-line reason. 0 or VG_ERR_*. */
int web_open(const struct vg_config *cfg, struct vg_store *st, const struct vg_logger *log,
    struct web **out, char *err, size_t err_size);
/* Stops the server, closing every connection. Accepts NULL. */
void web_close(struct web *w);

/* The port actually bound (useful with console.port 0). */
unsigned web_port(const struct web *w);
/* "http" or "https". */
const char *web_scheme(const struct web *w);
/* An fd that becomes readable when the server has work (the epoll fd). */
int web_fd(const struct web *w);
/* Milliseconds until web_run() must be called even without activity; -1 = none. */
int web_timeout_ms(struct web *w);
/* Serves whatever is ready without blocking. 0 or VG_ERR_*. */
int web_run(struct web *w);
/* Once a second: pushes new alerts to live-feed clients, expires sessions. */
void web_tick(struct web *w);

struct loop;
/* Makes the server sources of the daemon's loop (core/loop.h): its epoll fd as a
 * file event and a one-second timer for web_tick. 0 or VG_ERR_LIMIT/VG_ERR_IO.
 * web_close detaches it; call it before loop_free. */
int web_attach(struct web *w, struct loop *l);
void web_detach(struct web *w);

#endif
