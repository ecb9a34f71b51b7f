// inproc benchmarks, run against Debian's libnng and ours by perf/run.sh:
//   - latency: 64 B ping-pong (pair1 and req/rep), microseconds per round trip
//   - throughput: one-way pair1 at 64 B and 64 KiB, messages per second
//   - contexts: 1000 and 10,000 concurrent req contexts against one rep
//     socket (8 rep contexts answering), requests per second
// Uses only the nng 1.5 API, so one binary runs on both libraries.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
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

static int url_seq;

static void
connect_pair(nng_socket a, nng_socket b)
{
	char url[64];
	snprintf(url, sizeof(url), "inproc://bench%d", url_seq++);
	CHECK(nng_listen(a, url, NULL, 0));
	CHECK(nng_dial(b, url, NULL, 0));
}

static double
now_us(void)
{
	return (double) nng_clock() * 1000.0;
}

// Round trips of a 64-byte message between two sockets, echo on a thread.
struct echo {
	nng_socket s;
	int        n;
};

static void
echo_main(void *arg)
{
	struct echo *e = arg;
	for (int i = 0; i < e->n; i++) {
		nng_msg *m;
		CHECK(nng_recvmsg(e->s, &m, 0));
		CHECK(nng_sendmsg(e->s, m, 0));
	}
}

static double
latency(int (*open_a)(nng_socket *), int (*open_b)(nng_socket *), int n)
{
	nng_socket  a, b;
	nng_thread *thr;
	struct echo e;
	char        buf[64];
	memset(buf, 'x', sizeof(buf));
	CHECK(open_a(&a));
	CHECK(open_b(&b));
	connect_pair(b, a);
	e.s = b;
	e.n = n;
	CHECK(nng_thread_create(&thr, echo_main, &e));
	double t0 = now_us();
	for (int i = 0; i < n; i++) {
		nng_msg *m;
		CHECK(nng_msg_alloc(&m, 0));
		CHECK(nng_msg_append(m, buf, sizeof(buf)));
		CHECK(nng_sendmsg(a, m, 0));
		CHECK(nng_recvmsg(a, &m, 0));
		nng_msg_free(m);
	}
	double t1 = now_us();
	nng_thread_destroy(thr);
	nng_close(a);
	nng_close(b);
	return (t1 - t0) / n;
}

struct sender {
	nng_socket s;
	int        n;
	size_t     size;
};

static void
sender_main(void *arg)
{
	struct sender *sd = arg;
	for (int i = 0; i < sd->n; i++) {
		nng_msg *m;
		CHECK(nng_msg_alloc(&m, sd->size));
		CHECK(nng_sendmsg(sd->s, m, 0));
	}
}

static double
throughput(size_t size, int n)
{
	nng_socket    a, b;
	nng_thread   *thr;
	struct sender sd;
	CHECK(nng_pair1_open(&a));
	CHECK(nng_pair1_open(&b));
	connect_pair(b, a);
	sd.s    = a;
	sd.n    = n;
	sd.size = size;
	CHECK(nng_thread_create(&thr, sender_main, &sd));
	double t0 = 0;
	for (int i = 0; i < n; i++) {
		nng_msg *m;
		CHECK(nng_recvmsg(b, &m, 0));
		if (i == 0) {
			t0 = now_us();
		}
		nng_msg_free(m);
	}
	double t1 = now_us();
	nng_thread_destroy(thr);
	nng_close(a);
	nng_close(b);
	return (n - 1) / ((t1 - t0) / 1e6);
}

// Contexts: each req context loops send -> recv through its aio callback.
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
req_cb(void *arg)
{
	struct rctx *c = arg;
	if (nng_aio_result(c->aio) != 0) {
		fprintf(stderr, "req ctx: %s\n", nng_strerror(nng_aio_result(c->aio)));
		exit(1);
	}
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
		nng_msg *m;
		CHECK(nng_msg_alloc(&m, 16));
		nng_aio_set_msg(c->aio, m);
		c->sending = 1;
		nng_ctx_send(c->ctx, c->aio);
	}
}

static void
rep_cb(void *arg)
{
	struct rctx *c = arg;
	if (nng_aio_result(c->aio) != 0) {
		return; // socket closed
	}
	if (c->sending) {
		c->sending = 0;
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	c->sending = 1;
	nng_ctx_send(c->ctx, c->aio); // echo the request's message back
}

static double
contexts(int nreq, int total)
{
	nng_socket   req, rep;
	struct rctx *rq = calloc(nreq, sizeof(*rq));
	struct rctx  rp[8];
	CHECK(nng_req0_open(&req));
	CHECK(nng_rep0_open(&rep));
	connect_pair(rep, req);
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
	double t0  = now_us();
	for (int i = 0; i < nreq; i++) {
		nng_msg *m;
		CHECK(nng_ctx_open(&rq[i].ctx, req));
		CHECK(nng_aio_alloc(&rq[i].aio, req_cb, &rq[i]));
		CHECK(nng_msg_alloc(&m, 16));
		nng_aio_set_msg(rq[i].aio, m);
		rq[i].sending = 1;
		nng_ctx_send(rq[i].ctx, rq[i].aio);
	}
	nng_mtx_lock(ctx_mtx);
	while (ctx_active > 0) {
		nng_cv_wait(ctx_cv);
	}
	nng_mtx_unlock(ctx_mtx);
	double t1 = now_us();
	nng_close(req);
	nng_close(rep);
	for (int i = 0; i < nreq; i++) {
		nng_aio_free(rq[i].aio);
	}
	for (int i = 0; i < 8; i++) {
		nng_aio_free(rp[i].aio);
	}
	free(rq);
	return total / ((t1 - t0) / 1e6);
}

int
main(void)
{
	printf("inproc_lat_pair1_64B %.2f us\n",
	    latency(nng_pair1_open, nng_pair1_open, 20000));
	printf("inproc_lat_reqrep_64B %.2f us\n",
	    latency(nng_req0_open, nng_rep0_open, 20000));
	printf("inproc_thr_pair1_64B %.0f msg/s\n", throughput(64, 200000));
	printf("inproc_thr_pair1_64KiB %.0f msg/s\n", throughput(65536, 20000));
	printf("inproc_ctx_req1000 %.0f req/s\n", contexts(1000, 50000));
	printf("inproc_ctx_req10000 %.0f req/s\n", contexts(10000, 200000));
	return 0;
}
