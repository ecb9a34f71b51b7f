// Message micro-benchmark. Uses only the public <nng/nng.h> API, so the same
// binary runs against any libnng.so.1:
//
//   gcc -O2 perf/msg_bench.c -lnng -o /tmp/msg_bench
//   /tmp/msg_bench                                        # system libnng
//   LD_LIBRARY_PATH=target/release /tmp/msg_bench         # ours
//
// Each case runs ROUNDS rounds of N iterations and prints the median ns/op.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>

#define ROUNDS 7

static uint8_t payload[65536];

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec);
}

static void
check(int rv, const char *what)
{
	if (rv != 0) {
		fprintf(stderr, "%s: %s\n", what, nng_strerror(rv));
		exit(1);
	}
}

// alloc(0) + append 64 bytes + free
static void
case_small_append(long n)
{
	for (long i = 0; i < n; i++) {
		nng_msg *m;
		check(nng_msg_alloc(&m, 0), "alloc");
		check(nng_msg_append(m, payload, 64), "append");
		nng_msg_free(m);
	}
}

// alloc(64k) + free
static void
case_alloc_64k(long n)
{
	for (long i = 0; i < n; i++) {
		nng_msg *m;
		check(nng_msg_alloc(&m, 65536), "alloc");
		nng_msg_free(m);
	}
}

// alloc(64) + prepend an 8-byte header + free (uses headroom)
static void
case_insert_8(long n)
{
	for (long i = 0; i < n; i++) {
		nng_msg *m;
		check(nng_msg_alloc(&m, 64), "alloc");
		check(nng_msg_insert_u64(m, (uint64_t) i), "insert");
		nng_msg_free(m);
	}
}

// build a 1 KiB message with 16 appends of 64 bytes, then free
static void
case_build_1k(long n)
{
	for (long i = 0; i < n; i++) {
		nng_msg *m;
		check(nng_msg_alloc(&m, 0), "alloc");
		for (int k = 0; k < 16; k++) {
			check(nng_msg_append(m, payload, 64), "append");
		}
		nng_msg_free(m);
	}
}

// dup a 1 KiB message with a 8-byte header, then free the copy
static void
case_dup_1k(long n)
{
	nng_msg *src;
	check(nng_msg_alloc(&src, 1024), "alloc");
	check(nng_msg_header_append_u64(src, 42), "header");
	for (long i = 0; i < n; i++) {
		nng_msg *m;
		check(nng_msg_dup(&m, src), "dup");
		nng_msg_free(m);
	}
	nng_msg_free(src);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return ((x > y) - (x < y));
}

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
run(const char *name, void (*fn)(long), long n)
{
	double r[ROUNDS];
	fn(n / 10); // warm up
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = now_ns();
		fn(n);
		r[i] = (double) (now_ns() - t0) / (double) n;
	}
	qsort(r, ROUNDS, sizeof(r[0]), cmp_double);
	printf("# %-36s %8.1f ns/op  (min %.1f, max %.1f, %d x %ld)\n", name,
	    r[ROUNDS / 2], r[0], r[ROUNDS - 1], ROUNDS, n);
	metric_line(name, r[ROUNDS / 2]);
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	memset(payload, 'p', sizeof(payload));
	printf("nng %s\n", nng_version());
	run("alloc(0) + append 64 + free", case_small_append, n);
	run("alloc(64k) + free", case_alloc_64k, n / 10);
	run("alloc(64) + insert_u64 + free", case_insert_8, n);
	run("alloc(0) + 16 x append 64 + free", case_build_1k, n / 4);
	run("dup(1k msg) + free", case_dup_1k, n);
	return (0);
}
