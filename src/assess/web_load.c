/* Loading a set of web templates from a file or a directory of *.yaml files.
 * Every file is read even after a bad one, so one run reports every mistake. */
#include "assess/web_tmpl.h"
#include "core/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
report(void (*errfn)(void *, const char *), void *arg, const char *msg)
{
	if (errfn)
		errfn(arg, msg);
}

/* Reads at most WEB_TMPL_MAX_TEXT + 1 bytes (one more tells the parser it is over). */
static int
read_small(const char *path, char **text, size_t *len)
{
	size_t cap = WEB_TMPL_MAX_TEXT + 1, n = 0;
	char *b;
	int fd, rc = 0;

	*text = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return VG_ERR_IO;
	if (!(b = malloc(cap + 1))) {
		close(fd);
		return VG_ERR_NOMEM;
	}
	while (n < cap) {
		ssize_t r = read(fd, b + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = VG_ERR_IO;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (rc) {
		free(b);
		return rc;
	}
	b[n] = '\0';
	*text = b;
	*len = n;
	return 0;
}

static int
add_file(const char *path, struct web_tmpl_set *s, void (*errfn)(void *, const char *),
    void *arg)
{
	char err[512], *text;
	struct web_tmpl *t = NULL, **grown;
	size_t len;
	int rc;

	if ((rc = read_small(path, &text, &len))) {
		snprintf(err, sizeof(err), "%s: %s", path, vg_strerror(rc));
		report(errfn, arg, err);
		return rc;
	}
	rc = web_tmpl_parse(text, len, path, &t, err, sizeof(err));
	free(text);
	if (rc) {
		report(errfn, arg, err);
		return rc;
	}
	if (web_tmpl_find(s, t->id)) {
		snprintf(err, sizeof(err), "%s: id '%s' is used by another template", path, t->id);
		report(errfn, arg, err);
		web_tmpl_free(t);
		return VG_ERR_PARSE;
	}
	if (!(grown = realloc(s->t, (s->n + 1) * sizeof(*s->t)))) {
		web_tmpl_free(t);
		return VG_ERR_NOMEM;
	}
	s->t = grown;
	s->t[s->n++] = t;
	return 0;
}

static int
yaml_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' &&
	    ((n > 5 && strcmp(d->d_name + n - 5, ".yaml") == 0) ||
		(n > 4 && strcmp(d->d_name + n - 4, ".yml") == 0));
}

int
web_tmpl_load(const char *path, struct web_tmpl_set *out, void (*errfn)(void *, const char *),
    void *arg)
{
	struct dirent **names = NULL;
	struct stat st;
	int n, rc = 0;

	memset(out, 0, sizeof(*out));
	if (stat(path, &st) != 0) {
		char err[512];

		snprintf(err, sizeof(err), "%s: %s", path, strerror(errno));
		report(errfn, arg, err);
		return VG_ERR_NOTFOUND;
	}
	if (!S_ISDIR(st.st_mode)) {
		rc = add_file(path, out, errfn, arg);
		goto out;
	}
	if ((n = scandir(path, &names, yaml_name, alphasort)) < 0)
		return VG_ERR_IO;
	for (int i = 0; i < n; i++) {
		char full[4096];
		int r;

		if ((size_t)snprintf(full, sizeof(full), "%s/%s", path, names[i]->d_name) >=
		    sizeof(full))
			r = VG_ERR_LIMIT;
		else
			r = add_file(full, out, errfn, arg);
		if (r && !rc)
			rc = r;
		free(names[i]);
	}
	free(names);
	if (rc == 0 && out->n == 0) {
		char err[512];

		snprintf(err, sizeof(err), "%s: no templates (*.yaml) there", path);
		report(errfn, arg, err);
		rc = VG_ERR_NOTFOUND;
	}
out:
	if (rc)
		web_tmpl_set_free(out);
	return rc;
}

void
web_tmpl_set_free(struct web_tmpl_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		web_tmpl_free(s->t[i]);
	free(s->t);
	s->t = NULL;
	s->n = 0;
}

const struct web_tmpl *
web_tmpl_find(const struct web_tmpl_set *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->t[i]->id, id) == 0)
			return s->t[i];
	return NULL;
}
