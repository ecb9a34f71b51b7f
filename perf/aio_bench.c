// aio micro-benchmark: the cost of the aio machinery itself, with no
// transport involved. Build once, run against any libnng:
//
//   gcc -O2 perf/aio_bench.c -o /tmp/aio_bench -lnng -lpthread
//   /tmp/aio_bench [rounds [case]]                        # system libnng
//   LD_LIBRARY_PATH=target/release /tmp/aio_bench [rounds] # ours
//
// With a case argument only the cases whose name contains it run.
//
// Cases (ns per round, median of 5 runs):
//   alloc+sleep0+wait+free      nng_aio_alloc(no callback), nng_sleep_aio(0),
//                               nng_aio_wait, nng_aio_free
//   sleep0+wait (reused)        one aio, no callback, nng_sleep_aio(0) + wait
//   alloc+sleep0+wait+free (cb) as the first, with a completion callback
//   sleep0+callback round trip  one aio with a callback; wait until it ran
//   callback chain              the callback resubmits sleep(0) itself
//   begin+finish+wait           provider path without timers: one aio, no
//                               callback, nng_aio_begin + nng_aio_finish +
//                               nng_aio_wait
//   begin+finish (cb)           the same with a completion callback (one
//                               hop to a task thread and back)
//
// nng_sleep_aio(0) goes through upstream's expire thread, whose clock has
// millisecond granularity, so on upstream those rows measure the timer; the
// begin+finish rows measure the completion machinery alone.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec);
}

static void
die(const char *what, int rv)
{
	fprintf(stderr, "%s: %s\n", what, nng_strerror(rv));
	exit(1);
}

static void
noop_cb(void *arg)
{
	(void) arg;
}

static double
bench_alloc_sleep_wait_free(int n, int with_cb)
{
	uint64_t start = now_ns();
	for (int i = 0; i < n; i++) {
		nng_aio *aio;
		int      rv;
		if ((rv = nng_aio_alloc(&aio, with_cb ? noop_cb : NULL, NULL)) != 0) {
			die("nng_aio_alloc", rv);
		}
		nng_sleep_aio(0, aio);
		nng_aio_wait(aio);
		if ((rv = nng_aio_result(aio)) != 0) {
			die("sleep", rv);
		}
		nng_aio_free(aio);
	}
	return ((double) (now_ns() - start) / n);
}

static double
bench_reused(int n, int with_cb)
{
	nng_aio *aio;
	int      rv;
	if ((rv = nng_aio_alloc(&aio, with_cb ? noop_cb : NULL, NULL)) != 0) {
		die("nng_aio_alloc", rv);
	}
	uint64_t start = now_ns();
	for (int i = 0; i < n; i++) {
		nng_sleep_aio(0, aio);
		nng_aio_wait(aio);
	}
	double r = (double) (now_ns() - start) / n;
	if ((rv = nng_aio_result(aio)) != 0) {
		die("sleep", rv);
	}
	nng_aio_free(aio);
	return (r);
}

static double
bench_begin_finish(int n, int with_cb)
{
	nng_aio *aio;
	int      rv;
	if ((rv = nng_aio_alloc(&aio, with_cb ? noop_cb : NULL, NULL)) != 0) {
		die("nng_aio_alloc", rv);
	}
	uint64_t start = now_ns();
	for (int i = 0; i < n; i++) {
		if (!nng_aio_begin(aio)) {
			die("nng_aio_begin", NNG_ECANCELED);
		}
		nng_aio_finish(aio, 0);
		nng_aio_wait(aio);
	}
	double r = (double) (now_ns() - start) / n;
	nng_aio_free(aio);
	return (r);
}

typedef struct {
	nng_aio *aio;
	nng_mtx *mx;
	nng_cv  *cv;
	int      left;
	int      done;
} chain;

static void
chain_cb(void *arg)
{
	chain *c = arg;
	if (nng_aio_result(c->aio) != 0) {
		die("chain", nng_aio_result(c->aio));
	}
	if (--c->left > 0) {
		nng_sleep_aio(0, c->aio);
		return;
	}
	nng_mtx_lock(c->mx);
	c->done = 1;
	nng_cv_wake(c->cv);
	nng_mtx_unlock(c->mx);
}

static double
bench_chain(int n)
{
	chain c;
	int   rv;
	c.left = n;
	c.done = 0;
	if (((rv = nng_mtx_alloc(&c.mx)) != 0) ||
	    ((rv = nng_cv_alloc(&c.cv, c.mx)) != 0) ||
	    ((rv = nng_aio_alloc(&c.aio, chain_cb, &c)) != 0)) {
		die("alloc", rv);
	}
	uint64_t start = now_ns();
	nng_sleep_aio(0, c.aio);
	nng_mtx_lock(c.mx);
	while (!c.done) {
		nng_cv_wait(c.cv);
	}
	nng_mtx_unlock(c.mx);
	double r = (double) (now_ns() - start) / n;
	nng_aio_wait(c.aio);
	nng_aio_free(c.aio);
	nng_cv_free(c.cv);
	nng_mtx_free(c.mx);
	return (r);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return ((x > y) - (x < y));
}

#define RUNS 5

static const char *only = NULL;

// One "<metric> <value> <unit>" line for perf/run.sh: the name with every
// character other than a letter or digit turned into '_'.
static void
metric_line(const char *name, double ns)
{
	char m[80];
	size_t i;
	for (i = 0; name[i] != '\0' && i + 1 < sizeof(m); i++) {
		char c = name[i];
		m[i] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9'))
		    ? c
		    : '_';
	}
	m[i] = '\0';
	printf("%s %.1f ns/op\n", m, ns);
}

static void
report(const char *name, double (*fn)(int, int), int n, int arg)
{
	double v[RUNS];
	if (only != NULL && strstr(name, only) == NULL) {
		return;
	}
	for (int i = 0; i < RUNS; i++) {
		v[i] = fn(n, arg);
	}
	qsort(v, RUNS, sizeof(v[0]), cmp);
	printf("# %-32s %10.0f ns/op  (min %.0f, max %.0f)\n", name, v[RUNS / 2],
	    v[0], v[RUNS - 1]);
	metric_line(name, v[RUNS / 2]);
}

static double
chain_adapter(int n, int unused)
{
	(void) unused;
	return (bench_chain(n));
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100000;
	if (n <= 0) {
		n = 100000;
	}
	if (argc > 2) {
		only = argv[2];
	}
	printf("libnng %s, %d rounds, median of %d runs\n", nng_version(), n,
	    RUNS);
	report("alloc+sleep0+wait+free", bench_alloc_sleep_wait_free, n, 0);
	report("sleep0+wait (reused)", bench_reused, n, 0);
	report("alloc+sleep0+wait+free (cb)", bench_alloc_sleep_wait_free, n, 1);
	report("sleep0+callback round trip", bench_reused, n, 1);
	report("callback chain", chain_adapter, n, 0);
	report("begin+finish+wait", bench_begin_finish, n, 0);
	report("begin+finish (cb)", bench_begin_finish, n, 1);
	return (0);
}
