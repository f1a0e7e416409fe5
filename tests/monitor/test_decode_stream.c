/* Unit tests for monitor/decode_stream (`vigil decode`'s line loop): over-long lines
 * keep their first max_line bytes and are flagged, their rest never becomes a line
 * of its own, and a last line without a newline is still decoded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "monitor/decode_stream.h"

struct seen {
	char raw[8][32];
	bool truncated[8];
	uint64_t lineno[8];
	size_t n;
};

static void
collect(void *arg, uint64_t lineno, const struct vg_event *ev)
{
	struct seen *s = arg;
	assert_true(s->n < 8);
	assert_true(ev->raw_len < sizeof(s->raw[0]));
	memcpy(s->raw[s->n], ev->raw, ev->raw_len);
	s->raw[s->n][ev->raw_len] = '\0';
	s->truncated[s->n] = ev->truncated;
	s->lineno[s->n++] = lineno;
	assert_string_equal(ev->source, "t.log");
}

static void
feed(struct decode_stream *ds, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	assert_int_equal(decode_stream_file(ds, "t.log", f), VG_OK);
	fclose(f);
}

static void
test_long_lines_are_cut_and_flagged_last_line_kept(void **state)
{
	struct decoder *d = NULL;
	struct decode_stream *ds = NULL;
	struct seen s = { 0 };
	uint64_t lines, truncated;
	char err[256];

	(void)state;
	assert_int_equal(decoder_new("syslog", NULL, &d, err, sizeof(err)), VG_OK);
	assert_int_equal(decode_stream_new(d, 8, collect, &s, &ds), VG_OK);
	feed(ds, "short\n0123456789abc\n01234567\nlast");
	assert_int_equal(s.n, 4);
	assert_string_equal(s.raw[0], "short");
	assert_false(s.truncated[0]);
	assert_string_equal(s.raw[1], "01234567");
	assert_true(s.truncated[1]);
	assert_string_equal(s.raw[2], "01234567");	/* exactly max_line: whole */
	assert_false(s.truncated[2]);
	assert_string_equal(s.raw[3], "last");
	assert_false(s.truncated[3]);
	/* a second stream goes on counting; an over-long last line is flagged */
	feed(ds, "xxxxxxxxxxxx");
	assert_int_equal(s.n, 5);
	assert_int_equal(s.lineno[4], 5);
	assert_string_equal(s.raw[4], "xxxxxxxx");
	assert_true(s.truncated[4]);
	decode_stream_counts(ds, &lines, &truncated);
	assert_int_equal(lines, 5);
	assert_int_equal(truncated, 2);
	decode_stream_free(ds);
	decoder_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_lines_are_cut_and_flagged_last_line_kept),
	};
	return cmocka_run_group_tests_name("decode_stream", tests, NULL, NULL);
}
