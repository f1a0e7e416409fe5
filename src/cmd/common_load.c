/* What the subcommands load before they run: the config (with the decoder
 * registry's checks), the store, the rules' path and cache, the IOC lists. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/paths.h"
#include "monitor/decode.h"
#include "monitor/ioc.h"
#include "monitor/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cmd_rules_path(struct vg_ctx *ctx, const struct vg_config *cfg, const char *opt, char **out)
{
	char path[4096];

	(void)ctx;
	*out = NULL;
	if (opt)
		*out = strdup(opt);
	else if (ruleset_default_path(cfg ? cfg->monitor.rules : NULL, path, sizeof(path)) == VG_OK)
		*out = strdup(path);
	else
		return VG_ERR_LIMIT;
	return *out ? VG_OK : VG_ERR_NOMEM;
}

const char *
cmd_rules_cache(const struct vg_config *cfg, char *out, size_t size)
{
	if (cfg && cfg->monitor.rules_cache)
		return cfg->monitor.rules_cache;
	return vg_default_cache_dir(out, size) == VG_OK ? out : NULL;
}

int
cmd_load_ioc(struct vg_ctx *ctx, const struct vg_config *cfg, const char *cmd,
    struct ioc_set **out)
{
	struct ioc_set *set = NULL;
	struct ioc_stats st;
	int ret = VG_EXIT_OK;

	*out = NULL;
	if (cfg->monitor.ioc_files.n == 0)
		return VG_EXIT_OK;
	if (ioc_set_new(&set) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	for (size_t i = 0; i < cfg->monitor.ioc_files.n; i++) {
		char *errors = NULL;
		int r = ioc_load_file(set, cfg->monitor.ioc_files.items[i], &errors);
		if (errors)
			fputs(errors, stderr);	/* escaped by the loader */
		free(errors);
		if (r == VG_ERR_NOMEM) {
			ret = VG_EXIT_RUNTIME;
			goto out;
		}
		/* An unreadable list would be a blind spot that looks like "no hits":
		 * refuse to start. Bad lines were reported and skipped. */
		if (r != VG_OK) {
			fprintf(stderr, "vigil %s: monitor.ioc_files: cannot use an IOC list\n", cmd);
			ret = VG_EXIT_USAGE;
			goto out;
		}
	}
	ioc_get_stats(set, &st);
	vg_info(&ctx->log, "%s: IOC lists: %zu addresses/networks, %zu domains, %zu bad lines "
	    "skipped", cmd, st.prefixes, st.domains, st.bad_lines);
	*out = set;
	set = NULL;
out:
	if (ret == VG_EXIT_RUNTIME)
		fprintf(stderr, "vigil %s: out of memory loading monitor.ioc_files\n", cmd);
	ioc_set_free(set);
	return ret;
}

int
cmd_load_config(struct vg_ctx *ctx, struct vg_config **out)
{
	char *errors = NULL, *warnings = NULL;
	/* core cannot know the decoders: hand it the registry's names and check. */
	const char *formats[32];
	decoder_names(formats, sizeof(formats) / sizeof(formats[0]));
	const struct vg_config_checks checks = { .source_formats = formats,
		.source = decoder_check };
	int r = vg_config_load_checked(ctx->config_path, &checks, out, &errors, &warnings);

	if (warnings) {
		warnings[strcspn(warnings, "\0") - 1] = '\0';	/* vg_log adds the newline */
		vg_warn(&ctx->log, "%s", warnings);
	}
	free(warnings);
	if (r != VG_OK) {
		fputs(errors ? errors : vg_strerror(r), stderr);
		if (!errors || errors[strlen(errors) - 1] != '\n')
			fputc('\n', stderr);
		free(errors);
		return r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
	}
	/* A config's log section applies unless -q/-v already chose a level. */
	if (ctx->log.level == VG_LOG_WARN)
		vg_log_level_parse((*out)->log.level, &ctx->log.level);
	vg_log_format_parse((*out)->log.format, &ctx->log.format);
	return VG_EXIT_OK;
}

int
cmd_open_store(struct vg_ctx *ctx, const char *name, struct vg_config **cfg,
    struct vg_store **st)
{
	char err[512];
	int ret, r;

	*st = NULL;
	if (!*cfg && (ret = cmd_load_config(ctx, cfg)) != VG_EXIT_OK)
		return ret;
	r = store_open((*cfg)->store.backend, (*cfg)->store.path, &ctx->log, st, err, sizeof(err));
	if (r == VG_OK)
		return VG_EXIT_OK;
	cmd_eprintf("vigil %s: %s\n", name, err[0] ? err : vg_strerror(r));
	return VG_EXIT_RUNTIME;
}
