// Scale benchmarks over inproc, run against Debian's libnng and ours by
// perf/run.sh (uses only the nng 1.5 API, so one binary runs on both):
//   - fan-out: one pub socket, 1000 sub sockets subscribed to everything;
//     the publisher sends 64 B messages as fast as it can, and every
//     subscriber receives through an aio callback. Reported: messages
//     delivered per second (summed over subscribers) and the share of
//     deliveries pub dropped because a subscriber's queue was full (pub
//     drops rather than blocks, by design).
//   - contexts: 10,000 concurrent req contexts, each looping send -> recv
//     through its aio callback, against 8 rep contexts echoing; requests
//     per second.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
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
};

static nng_mtx *fan_mtx;
static long     delivered;
static double   last_delivery;

static void
sub_cb(void *arg)
{
	struct sub *s = arg;
	if (nng_aio_result(s->aio) != 0) {
		return; // closed
	}
	nng_msg_free(nng_aio_get_msg(s->aio));
	double t = now_s();
	nng_mtx_lock(fan_mtx);
	delivered++;
	last_delivery = t;
	nng_mtx_unlock(fan_mtx);
	nng_recv_aio(s->s, s->aio);
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
		nng_mtx_lock(fan_mtx);
		long got = delivered;
		nng_mtx_unlock(fan_mtx);
		if (got >= NSUBS) {
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
		nng_mtx_lock(fan_mtx);
		long got = delivered;
		nng_mtx_unlock(fan_mtx);
		if (got == prev || got == (long) NSUBS * NMSGS) {
			break;
		}
		prev = got;
	}
	nng_mtx_lock(fan_mtx);
	double t1  = last_delivery;
	long   got = delivered;
	nng_mtx_unlock(fan_mtx);
	CHECK(nng_close(pub));
	for (int i = 0; i < NSUBS; i++) {
		CHECK(nng_close(subs[i].s));
		nng_aio_free(subs[i].aio);
	}
	free(subs);
	printf("fanout_pub_1000subs_64B %.0f msg/s\n", (double) got / (t1 - t0));
	printf("fanout_dropped_pct %.1f %%\n",
	    100.0 * (1.0 - (double) got / ((double) NSUBS * NMSGS)));
}

// ---------------------------------------------------------------------------
// Contexts

struct rctx {
	nng_ctx  ctx;
	nng_aio *aio;
	int      sending;
};

static nng_mtx *ctx_mtx;
static nng_cv  *ctx_cv;
static int      ctx_left;
static int      ctx_active;

static void
send16(struct rctx *c)
{
	nng_msg *m;
	CHECK(nng_msg_alloc(&m, 16));
	nng_aio_set_msg(c->aio, m);
	c->sending = 1;
	nng_ctx_send(c->ctx, c->aio);
}

static void
req_cb(void *arg)
{
	struct rctx *c = arg;
	CHECK(nng_aio_result(c->aio));
	if (c->sending) {
		c->sending = 0;
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	nng_msg_free(nng_aio_get_msg(c->aio));
	nng_mtx_lock(ctx_mtx);
	int more = ctx_left > 0;
	if (more) {
		ctx_left--;
	} else if (--ctx_active == 0) {
		nng_cv_wake(ctx_cv);
	}
	nng_mtx_unlock(ctx_mtx);
	if (more) {
		send16(c);
	}
}

static void
rep_cb(void *arg)
{
	struct rctx *c = arg;
	if (nng_aio_result(c->aio) != 0) {
		return; // closed
	}
	if (c->sending) {
		c->sending = 0;
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	c->sending = 1;
	nng_ctx_send(c->ctx, c->aio); // echo the request back
}

static void
contexts(int nreq, int total)
{
	nng_socket   req, rep;
	struct rctx *rq = calloc(nreq, sizeof(*rq));
	struct rctx  rp[8];
	CHECK(nng_req0_open(&req));
	CHECK(nng_rep0_open(&rep));
	CHECK(nng_listen(rep, "inproc://ctx", NULL, 0));
	CHECK(nng_dial(req, "inproc://ctx", NULL, 0));
	CHECK(nng_mtx_alloc(&ctx_mtx));
	CHECK(nng_cv_alloc(&ctx_cv, ctx_mtx));
	for (int i = 0; i < 8; i++) {
		CHECK(nng_ctx_open(&rp[i].ctx, rep));
		CHECK(nng_aio_alloc(&rp[i].aio, rep_cb, &rp[i]));
		rp[i].sending = 0;
		nng_ctx_recv(rp[i].ctx, rp[i].aio);
	}
	ctx_left   = total - nreq;
	ctx_active = nreq;
	double t0  = now_s();
	for (int i = 0; i < nreq; i++) {
		CHECK(nng_ctx_open(&rq[i].ctx, req));
		CHECK(nng_aio_alloc(&rq[i].aio, req_cb, &rq[i]));
		send16(&rq[i]);
	}
	nng_mtx_lock(ctx_mtx);
	while (ctx_active > 0) {
		nng_cv_wait(ctx_cv);
	}
	nng_mtx_unlock(ctx_mtx);
	double t1 = now_s();
	CHECK(nng_close(req));
	CHECK(nng_close(rep));
	for (int i = 0; i < nreq; i++) {
		nng_aio_free(rq[i].aio);
	}
	for (int i = 0; i < 8; i++) {
		nng_aio_free(rp[i].aio);
	}
	free(rq);
	printf("inproc_ctx_req%d %.0f req/s\n", nreq, total / (t1 - t0));
}

int
main(void)
{
	fanout();
	contexts(10000, 200000);
	return (0);
}
