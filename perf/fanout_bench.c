// Fan-out over inproc, run against Debian's libnng and ours by perf/run.sh
// (uses only the nng 1.5 API, so one binary runs on both): one pub socket,
// 1000 sub sockets subscribed to everything; the publisher sends 64 B
// messages as fast as it can, and every subscriber receives through an aio
// callback. Reported: messages delivered per second (summed over
// subscribers) and the share of deliveries pub dropped because a
// subscriber's queue was full (pub drops rather than blocks, by design).
// Then body copies: one 64 KiB message goes to the 1000 subscribers, each
// keeping what it receives without touching the body; the bytes the C
// allocator has handed out (glibc's mallinfo2) grow by about one 64 KiB
// body per copy made (upstream's sub makes its received message unique, a
// copy per subscriber; a library that shares the body makes none).
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/supplemental/util/platform.h>

#define CHECK(expr)                                                        \
	do {                                                               \
		int rv_ = (expr);                                          \
		if (rv_ != 0) {                                            \
			fprintf(stderr, "%s:%d: %s: %s\n", __FILE__,       \
			    __LINE__, #expr, nng_strerror(rv_));           \
			exit(1);                                           \
		}                                                          \
	} while (0)

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}

// ---------------------------------------------------------------------------
// Fan-out

#define NSUBS 1000
#define NMSGS 2000

struct sub {
	nng_socket s;
	nng_aio   *aio;
	nng_msg   *held; // copy probe: the message kept
};

static nng_mtx *fan_mtx;
static int      holding; // copy probe running: keep, do not re-arm
static long     delivered;
static double   last_delivery;

static void
sub_cb(void *arg)
{
	struct sub *s = arg;
	if (nng_aio_result(s->aio) != 0) {
		return; // closed
	}
	nng_msg *m = nng_aio_get_msg(s->aio);
	double   t = now_s();
	nng_mtx_lock(fan_mtx);
	int hold = holding;
	if (hold) {
		s->held = m;
	}
	delivered++;
	last_delivery = t;
	nng_mtx_unlock(fan_mtx);
	if (!hold) {
		nng_msg_free(m);
		nng_recv_aio(s->s, s->aio);
	}
}

// Bytes the C allocator has handed out and not had back (heap and mmap).
static long
malloc_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return ((long) (mi.uordblks + mi.hblkhd));
}

static long
delivered_now(void)
{
	nng_mtx_lock(fan_mtx);
	long got = delivered;
	nng_mtx_unlock(fan_mtx);
	return (got);
}

static void
fanout(void)
{
	nng_socket  pub;
	struct sub *subs = calloc(NSUBS, sizeof(*subs));
	CHECK(nng_mtx_alloc(&fan_mtx));
	CHECK(nng_pub0_open(&pub));
	CHECK(nng_listen(pub, "inproc://fanout", NULL, 0));
	for (int i = 0; i < NSUBS; i++) {
		CHECK(nng_sub0_open(&subs[i].s));
		CHECK(nng_setopt(subs[i].s, NNG_OPT_SUB_SUBSCRIBE, "", 0));
		CHECK(nng_aio_alloc(&subs[i].aio, sub_cb, &subs[i]));
		CHECK(nng_dial(subs[i].s, "inproc://fanout", NULL, 0));
		nng_recv_aio(subs[i].s, subs[i].aio);
	}
	// inproc connects synchronously, but pipes are attached to the pub
	// socket asynchronously: one probe message per pipe shows they are.
	for (;;) {
		nng_msg *m;
		CHECK(nng_msg_alloc(&m, 1));
		CHECK(nng_sendmsg(pub, m, 0));
		nng_msleep(20);
		if (delivered_now() >= NSUBS) {
			break;
		}
	}
	nng_mtx_lock(fan_mtx);
	delivered = 0;
	nng_mtx_unlock(fan_mtx);

	double t0 = now_s();
	for (int i = 0; i < NMSGS; i++) {
		nng_msg *m;
		CHECK(nng_msg_alloc(&m, 64));
		memset(nng_msg_body(m), i, 64);
		CHECK(nng_sendmsg(pub, m, 0));
	}
	// Wait until deliveries stop (all done, or the rest was dropped).
	long prev = -1;
	for (;;) {
		nng_msleep(100);
		long got = delivered_now();
		if (got == prev || got == (long) NSUBS * NMSGS) {
			break;
		}
		prev = got;
	}
	nng_mtx_lock(fan_mtx);
	double t1  = last_delivery;
	long   got = delivered;
	delivered  = 0;
	holding    = 1;
	nng_mtx_unlock(fan_mtx);

	// Copy probe (every subscriber's aio is armed again by now).
	enum { BIG = 65536 };
	long     used0 = malloc_in_use();
	nng_msg *m;
	CHECK(nng_msg_alloc(&m, BIG));
	memset(nng_msg_body(m), 'c', BIG);
	CHECK(nng_sendmsg(pub, m, 0));
	for (int i = 0; i < 1000 && delivered_now() < NSUBS; i++) {
		nng_msleep(10);
	}
	long kept = delivered_now();
	long used1 = malloc_in_use();
	for (int i = 0; i < NSUBS; i++) {
		if (subs[i].held != NULL) {
			nng_msg_free(subs[i].held);
		}
	}
	CHECK(nng_close(pub));
	for (int i = 0; i < NSUBS; i++) {
		CHECK(nng_close(subs[i].s));
		nng_aio_free(subs[i].aio);
	}
	free(subs);
	printf("fanout_pub_1000subs_64B %.0f msg/s\n", (double) got / (t1 - t0));
	printf("fanout_dropped_pct %.1f %%\n",
	    100.0 * (1.0 - (double) got / ((double) NSUBS * NMSGS)));
	printf("fanout_64KiB_held_by_subs %ld msgs\n", kept);
	printf("fanout_64KiB_malloc_growth %.0f KiB\n",
	    (double) (used1 - used0) / 1024.0);
	printf("fanout_64KiB_bodies_made %.1f bodies\n",
	    (double) (used1 - used0) / BIG);
}

int
main(void)
{
	fanout();
	return (0);
}
