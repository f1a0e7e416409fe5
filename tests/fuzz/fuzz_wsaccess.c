/* libFuzzer harness for webshell.accessed (monitor/wsaccess.c): the input's first
 * line is a script path remembered in a web root, each further line a request URL
 * (attacker bytes: decoded, folded, looked up). Checks the folded path stays a
 * terminated absolute path and the hit text is terminated and bounded. */
#include "backup/manifest.h"
#include "backup/webroot.h"
#include "core/err.h"
#include "monitor/wsaccess.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), path[512], text[256];
	struct vg_webroot_cfg cfg = { .url_prefix = "/app" };
	struct protect_root root = { .name = "site", .path = "/srv/www", .cfg = &cfg };
	struct protect p = { .roots = &root, .n_roots = 1 };
	struct wsaccess *w = NULL;
	struct alerts al;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (wsaccess_new(&p, 4, NULL, &w) != VG_OK)
		abort();
	alerts_init(&al, &(struct alerts_opts){ 0 });
	alerts_add_sink(&al, &sink_wsaccess, w);
	char *line = in, *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	struct fim_change ch = { .root = &root, .path = line, .kinds = FIM_ADDED };
	alert_emit(&al, &(struct alert_in){ .kind = ALERT_FIM, .state = ALERT_ONCE, .change = &ch });
	while (nl) {
		line = nl + 1;
		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		if (wsaccess_url_path(line, path, sizeof(path)) == VG_OK &&
		    (path[0] != '/' || strlen(path) >= sizeof(path)))
			abort();
		struct vg_event ev;
		struct correlate_hit hit;
		vg_event_init(&ev);
		ev.kind = VG_EV_HTTP;
		ev.http.url = line;
		ev.http.method = line[0] == 'P' ? "POST" : "GET";
		if (wsaccess_match(w, &ev, &hit, text, sizeof(text)) &&
		    (hit.text_len != strlen(text) || hit.text_len >= sizeof(text) ||
		     hit.key_len > hit.text_len))
			abort();
	}
	wsaccess_free(w);
	free(in);
	return 0;
}
