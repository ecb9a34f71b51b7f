// Tests of the platform helpers: clock, sleep, random, socket pairs,
// threads, mutexes and condition variables, including bad input.

#include <nuts.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct add_arg {
	int          cnt;
	nng_duration delay;
	nng_mtx     *mx;
	nng_cv      *cv;
};

static void
add(void *arg)
{
	struct add_arg *aa = arg;

	if (aa->delay > 0) {
		nng_msleep(aa->delay);
	}
	nng_mtx_lock(aa->mx);
	aa->cnt++;
	nng_cv_wake(aa->cv);
	nng_mtx_unlock(aa->mx);
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000);
}

static void
test_sleep(void)
{
	nng_time start = nng_clock();
	nng_msleep(50);
	NUTS_TRUE(nng_clock() - start >= 50);
	// Zero and negative durations return at once.
	start = nng_clock();
	nng_msleep(0);
	nng_msleep(-10);
	NUTS_TRUE(nng_clock() - start < 1000);
}

static void
test_clock(void)
{
	uint64_t s0 = mono_ms();
	nng_time t0 = nng_clock();
	nng_msleep(100);
	nng_time t1 = nng_clock();
	uint64_t s1 = mono_ms();

	NUTS_TRUE(t1 > t0);
	NUTS_TRUE(t1 - t0 >= 100);
	NUTS_TRUE(t1 - t0 < 5000);
	// nng_clock is CLOCK_MONOTONIC in milliseconds.
	NUTS_TRUE(t0 >= s0 && t0 <= s1);
	NUTS_TRUE(t1 >= s0 && t1 <= s1);
}

static void
test_mutex(void)
{
	nng_mtx *mx, *mx2;

	NUTS_PASS(nng_mtx_alloc(&mx));
	nng_mtx_lock(mx);
	nng_mtx_unlock(mx);
	nng_mtx_lock(mx);
	nng_mtx_unlock(mx);
	nng_mtx_free(mx);

	NUTS_PASS(nng_mtx_alloc(&mx));
	NUTS_PASS(nng_mtx_alloc(&mx2));
	NUTS_TRUE(mx != mx2);
	nng_mtx_free(mx);
	nng_mtx_free(mx2);
}

static void
test_thread(void)
{
	nng_thread   *thr;
	struct add_arg aa;

	NUTS_PASS(nng_mtx_alloc(&aa.mx));
	NUTS_PASS(nng_cv_alloc(&aa.cv, aa.mx));
	aa.cnt   = 0;
	aa.delay = 0;

	NUTS_PASS(nng_thread_create(&thr, add, &aa));
	nng_thread_set_name(thr, "nng-test-thread-with-a-long-name");
	nng_thread_destroy(thr);
	NUTS_TRUE(aa.cnt == 1);

	// A NULL body makes a handle without a thread.
	NUTS_PASS(nng_thread_create(&thr, NULL, NULL));
	nng_thread_destroy(thr);

	nng_cv_free(aa.cv);
	nng_mtx_free(aa.mx);
}

static void
name_self(void *arg)
{
	char *out = arg;
	nng_thread_set_name(NULL, "nng-self");
	FILE *f = fopen("/proc/thread-self/comm", "r");
	if (f != NULL) {
		if (fgets(out, 32, f) == NULL) {
			out[0] = 0;
		}
		fclose(f);
	}
}

static void
test_thread_name_self(void)
{
	nng_thread *thr;
	char        name[32] = "";
	NUTS_PASS(nng_thread_create(&thr, name_self, name));
	nng_thread_destroy(thr);
	NUTS_MATCH(name, "nng-self\n");
}

static void
test_cond_var(void)
{
	nng_thread   *thr;
	struct add_arg aa;

	NUTS_PASS(nng_mtx_alloc(&aa.mx));
	NUTS_PASS(nng_cv_alloc(&aa.cv, aa.mx));
	aa.cnt   = 0;
	aa.delay = 0;

	NUTS_PASS(nng_thread_create(&thr, add, &aa));

	nng_mtx_lock(aa.mx);
	while (aa.cnt == 0) {
		nng_cv_wait(aa.cv);
	}
	nng_mtx_unlock(aa.mx);
	nng_thread_destroy(thr);
	NUTS_TRUE(aa.cnt == 1);

	nng_cv_free(aa.cv);
	nng_mtx_free(aa.mx);
}

static void
test_cond_wake(void)
{
	nng_thread   *thr;
	struct add_arg aa;
	nng_time       now;

	NUTS_PASS(nng_mtx_alloc(&aa.mx));
	NUTS_PASS(nng_cv_alloc(&aa.cv, aa.mx));
	aa.cnt   = 0;
	aa.delay = 50;

	now = nng_clock();
	NUTS_PASS(nng_thread_create(&thr, add, &aa));

	nng_mtx_lock(aa.mx);
	while (aa.cnt == 0) {
		if (nng_cv_until(aa.cv, now + 5000) == NNG_ETIMEDOUT) {
			break;
		}
	}
	nng_mtx_unlock(aa.mx);

	NUTS_TRUE(aa.cnt == 1);
	NUTS_TRUE(nng_clock() >= now + 50);
	NUTS_TRUE(nng_clock() < now + 5000);

	nng_thread_destroy(thr);
	nng_cv_free(aa.cv);
	nng_mtx_free(aa.mx);
}

static void
test_cond_wake1(void)
{
	struct add_arg aa;
	nng_thread    *thr;

	NUTS_PASS(nng_mtx_alloc(&aa.mx));
	NUTS_PASS(nng_cv_alloc(&aa.cv, aa.mx));
	aa.cnt   = 0;
	aa.delay = 0;
	NUTS_PASS(nng_thread_create(&thr, add, &aa));
	nng_mtx_lock(aa.mx);
	nng_time deadline = nng_clock() + 5000;
	while (aa.cnt == 0) {
		if (nng_cv_until(aa.cv, deadline) == NNG_ETIMEDOUT) {
			break;
		}
	}
	nng_cv_wake1(aa.cv); // no waiter: harmless
	nng_mtx_unlock(aa.mx);
	NUTS_TRUE(aa.cnt == 1);
	nng_thread_destroy(thr);
	nng_cv_free(aa.cv);
	nng_mtx_free(aa.mx);
}

static void
test_cond_until(void)
{
	nng_mtx *mx;
	nng_cv  *cv;
	nng_time now;
	int      rv;

	NUTS_PASS(nng_mtx_alloc(&mx));
	NUTS_PASS(nng_cv_alloc(&cv, mx));

	now = nng_clock();
	nng_mtx_lock(mx);
	do {
		rv = nng_cv_until(cv, now + 50);
	} while (rv == 0); // spurious wake-ups are allowed
	NUTS_FAIL(rv, NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() >= now + 50);
	NUTS_TRUE(nng_clock() < now + 5000);
	// A time in the past times out at once; zero is "would block".
	NUTS_FAIL(nng_cv_until(cv, 1), NNG_ETIMEDOUT);
	NUTS_FAIL(nng_cv_until(cv, 0), NNG_EAGAIN);
	nng_mtx_unlock(mx);

	nng_cv_free(cv);
	nng_mtx_free(mx);
}

static void
test_random(void)
{
	int      same = 0;
	uint32_t values[1000];

	for (int i = 0; i < 1000; i++) {
		values[i] = nng_random();
	}
	for (int i = 0; i < 1000; i++) {
		for (int j = 0; j < i; j++) {
			if (values[j] == values[i]) {
				same++;
			}
		}
	}
	NUTS_TRUE(same < 5);
}

static void
test_socket_pair(void)
{
	int  fds[2];
	char c = 0;

	NUTS_PASS(nng_socket_pair(fds));
	NUTS_TRUE(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1]);
	NUTS_TRUE(write(fds[0], "a", 1) == 1);
	NUTS_TRUE(read(fds[1], &c, 1) == 1);
	NUTS_TRUE(c == 'a');
	NUTS_TRUE(write(fds[1], "b", 1) == 1);
	NUTS_TRUE(read(fds[0], &c, 1) == 1);
	NUTS_TRUE(c == 'b');

	int       type = 0;
	socklen_t len  = sizeof(type);
	NUTS_TRUE(getsockopt(fds[0], SOL_SOCKET, SO_TYPE, &type, &len) == 0);
	NUTS_TRUE(type == SOCK_STREAM);
	close(fds[0]);
	close(fds[1]);
}

static void
test_bad_input(void)
{
	nng_cv *cv = NULL;

	NUTS_FAIL(nng_mtx_alloc(NULL), NNG_EINVAL);
	NUTS_FAIL(nng_cv_alloc(NULL, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_cv_alloc(&cv, NULL), NNG_EINVAL);
	NUTS_NULL(cv);
	NUTS_FAIL(nng_cv_until(NULL, 1), NNG_EINVAL);
	NUTS_FAIL(nng_thread_create(NULL, add, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_pair(NULL), NNG_EINVAL);
	nng_mtx_free(NULL);
	nng_mtx_lock(NULL);
	nng_mtx_unlock(NULL);
	nng_cv_free(NULL);
	nng_cv_wait(NULL);
	nng_cv_wake(NULL);
	nng_cv_wake1(NULL);
	nng_thread_destroy(NULL);
	nng_thread_set_name(NULL, NULL);
}

NUTS_TESTS = {
	{ "sleep", test_sleep },
	{ "clock", test_clock },
	{ "mutex", test_mutex },
	{ "thread", test_thread },
	{ "thread name self", test_thread_name_self },
	{ "cond var", test_cond_var },
	{ "cond wake", test_cond_wake },
	{ "cond wake1", test_cond_wake1 },
	{ "cond until", test_cond_until },
	{ "random", test_random },
	{ "socket pair", test_socket_pair },
	{ "bad input", test_bad_input },
	{ NULL, NULL },
};
