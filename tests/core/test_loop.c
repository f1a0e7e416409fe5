/* Unit tests for the event loop: file events, one-shot and periodic timers,
 * signals through the signalfd, the before-sleep hook and loop_wake_within. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/loop.h"

struct counts {
	int reads, ticks, once, rounds, signals;
	int fd;
	char got[16];
};

static void
on_read(struct loop *l, int fd, void *arg)
{
	struct counts *c = arg;
	ssize_t n = read(fd, c->got, sizeof(c->got) - 1);
	assert_true(n > 0);
	c->got[n] = '\0';
	c->reads++;
	loop_stop(l);
}

static void
test_file_event_runs_its_callback_with_its_arg(void **state)
{
	(void)state;
	struct loop *l;
	struct counts c = { 0 };
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_new(&l), VG_OK);
	assert_int_equal(loop_add_fd(l, p[0], on_read, &c), VG_OK);
	assert_int_equal(write(p[1], "line", 4), 4);
	assert_int_equal(loop_run(l), VG_OK);
	assert_int_equal(c.reads, 1);
	assert_string_equal(c.got, "line");
	loop_del_fd(l, p[0]);
	loop_free(l);
	close(p[0]);
	close(p[1]);
}

static int64_t
periodic(struct loop *l, long long id, void *arg)
{
	struct counts *c = arg;
	(void)id;
	if (++c->ticks == 3)
		loop_stop(l);
	return 5;
}

static int64_t
one_shot(struct loop *l, long long id, void *arg)
{
	struct counts *c = arg;
	(void)l;
	(void)id;
	c->once++;
	return LOOP_TIMER_DONE;
}

static void
count_round(struct loop *l, void *arg)
{
	struct counts *c = arg;
	(void)l;
	c->rounds++;
}

static void
test_periodic_timer_rearms_and_one_shot_fires_once(void **state)
{
	(void)state;
	struct loop *l;
	struct counts c = { 0 };
	long long id = 0;
	assert_int_equal(loop_new(&l), VG_OK);
	assert_int_equal(loop_add_timer(l, 1, one_shot, &c, NULL), VG_OK);
	assert_int_equal(loop_add_timer(l, 5, periodic, &c, &id), VG_OK);
	assert_true(id > 0);
	loop_set_before_sleep(l, count_round, &c);
	int64_t t0 = loop_now_ms();
	assert_int_equal(loop_run(l), VG_OK);
	assert_int_equal(c.ticks, 3);
	assert_int_equal(c.once, 1);
	assert_true(c.rounds >= 3);	/* the hook runs after every wake-up */
	assert_true(loop_now_ms() - t0 >= 10);	/* it waited for the timer */
	loop_free(l);
}

static int64_t
must_not_fire(struct loop *l, long long id, void *arg)
{
	(void)l;
	(void)id;
	(void)arg;
	fail_msg("a deleted timer fired");
	return LOOP_TIMER_DONE;
}

static int64_t
stop_now(struct loop *l, long long id, void *arg)
{
	(void)id;
	(void)arg;
	loop_stop(l);
	return LOOP_TIMER_DONE;
}

static void
test_deleted_timer_does_not_fire(void **state)
{
	(void)state;
	struct loop *l;
	long long id;
	assert_int_equal(loop_new(&l), VG_OK);
	assert_int_equal(loop_add_timer(l, 0, must_not_fire, NULL, &id), VG_OK);
	loop_del_timer(l, id);
	assert_int_equal(loop_add_timer(l, 2, stop_now, NULL, NULL), VG_OK);
	assert_int_equal(loop_run(l), VG_OK);
	loop_free(l);
}

static void
on_signal(struct loop *l, int signo, void *arg)
{
	struct counts *c = arg;
	assert_int_equal(signo, SIGUSR1);
	c->signals++;
	loop_stop(l);
}

static void
test_signal_arrives_through_the_loop(void **state)
{
	(void)state;
	struct loop *l;
	struct counts c = { 0 };
	assert_int_equal(loop_new(&l), VG_OK);
	assert_int_equal(loop_add_signal(l, SIGUSR1, on_signal, &c), VG_OK);
	assert_int_equal(kill(getpid(), SIGUSR1), 0);	/* blocked: waits in the signalfd */
	assert_int_equal(loop_run(l), VG_OK);
	assert_int_equal(c.signals, 1);
	loop_free(l);
}

static void
wake_again(struct loop *l, void *arg)
{
	struct counts *c = arg;
	if (++c->rounds == 50)
		loop_stop(l);
	else
		loop_wake_within(l, 0);
}

static void
test_wake_within_zero_does_not_block(void **state)
{
	(void)state;
	struct loop *l;
	struct counts c = { 0 };
	assert_int_equal(loop_new(&l), VG_OK);
	/* nothing registered: without the cap the first wait would block for a minute */
	loop_set_before_sleep(l, wake_again, &c);
	loop_wake_within(l, 0);
	int64_t t0 = loop_now_ms();
	assert_int_equal(loop_run(l), VG_OK);
	assert_int_equal(c.rounds, 50);
	assert_true(loop_now_ms() - t0 < 30000);
	loop_free(l);
}

static void
noop_read(struct loop *l, int fd, void *arg)
{
	(void)l;
	(void)fd;
	(void)arg;
}

static void
test_fd_table_has_a_hard_limit(void **state)
{
	(void)state;
	struct loop *l;
	int p[2];
	assert_int_equal(loop_new(&l), VG_OK);
	assert_int_equal(pipe(p), 0);
	int fds[LOOP_MAX_FDS];
	for (int i = 0; i < LOOP_MAX_FDS; i++) {
		fds[i] = dup(p[0]);
		assert_int_equal(loop_add_fd(l, fds[i], noop_read, NULL), VG_OK);
	}
	assert_int_equal(loop_add_fd(l, p[0], noop_read, NULL), VG_ERR_LIMIT);
	loop_free(l);
	for (int i = 0; i < LOOP_MAX_FDS; i++)
		close(fds[i]);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_event_runs_its_callback_with_its_arg),
		cmocka_unit_test(test_periodic_timer_rearms_and_one_shot_fires_once),
		cmocka_unit_test(test_deleted_timer_does_not_fire),
		cmocka_unit_test(test_signal_arrives_through_the_loop),
		cmocka_unit_test(test_wake_within_zero_does_not_block),
		cmocka_unit_test(test_fd_table_has_a_hard_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
