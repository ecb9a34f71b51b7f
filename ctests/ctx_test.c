// Contexts (nng_ctx_*) from C, over inproc: open/close rules, per-context
// options, send/recv by aio and by sendmsg/recvmsg, timeouts and
// cancellation, closing while blocked, and many concurrent contexts
// (1000 req contexts served by a rep using contexts). Behaviour as upstream
// nng v1.12.0 (src/core/socket.c, reqrep0, tests/reqctx.c).
//
// nng-ctest: memcheck

#include "nuts.h"
#include "sphelp.h"

static void
test_ctx_open_close(void)
{
	nng_socket s;
	nng_ctx    c1;
	nng_ctx    c2;
	nng_ctx    zero = NNG_CTX_INITIALIZER;
	nng_msg   *m;
	nng_aio   *aio;
	int        v;

	NUTS_PASS(nng_rep0_open(&s));
	NUTS_PASS(nng_ctx_open(&c1, s));
	NUTS_PASS(nng_ctx_open(&c2, s));
	NUTS_TRUE(nng_ctx_id(c1) > 0);
	NUTS_TRUE(nng_ctx_id(c2) > 0);
	NUTS_TRUE(nng_ctx_id(c1) != nng_ctx_id(c2));
	NUTS_EQ(nng_ctx_id(zero), -1);

	NUTS_PASS(nng_ctx_close(c1));
	NUTS_FAIL(nng_ctx_close(c1), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_close(zero), NNG_ECLOSED);

	// Everything on a closed context fails with NNG_ECLOSED.
	NUTS_FAIL(nng_ctx_get_int(c1, NNG_OPT_MAXTTL, &v), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_set_ms(c1, NNG_OPT_RECVTIMEO, 10), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_recvmsg(c1, &m, 0), NNG_ECLOSED);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_FAIL(nng_ctx_sendmsg(c1, m, 0), NNG_ECLOSED);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_msg(aio, m);
	nng_ctx_send(c1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	NUTS_TRUE(nng_aio_get_msg(aio) == m);
	nng_ctx_recv(zero, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_msg_free(m);
	nng_aio_free(aio);

	// Closing the socket closes its contexts.
	SP_CLOSE(s);
	NUTS_FAIL(nng_ctx_close(c2), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_open(&c1, s), NNG_ECLOSED);
}

static void
test_ctx_not_supported(void)
{
	nng_socket s;
	nng_ctx    c;

	NUTS_PASS(nng_req0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&c, s), NNG_ENOTSUP);
	SP_CLOSE(s);
	NUTS_PASS(nng_rep0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&c, s), NNG_ENOTSUP);
	SP_CLOSE(s);
	NUTS_PASS(nng_surveyor0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&c, s), NNG_ENOTSUP);
	SP_CLOSE(s);
	NUTS_PASS(nng_respondent0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&c, s), NNG_ENOTSUP);
	SP_CLOSE(s);
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_ctx_open(&c, s), NNG_ENOTSUP);
	SP_CLOSE(s);
}

static void
test_ctx_options(void)
{
	nng_socket   s;
	nng_ctx      c;
	nng_duration d;
	bool         b;
	int          v;
	size_t       sz;
	char        *str;

	NUTS_PASS(nng_req0_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 1234));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 2345));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_REQ_RESENDTIME, 3456));
	NUTS_PASS(nng_ctx_open(&c, s));

	// A new context starts from the socket's values ...
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, 1234);
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_SENDTIMEO, &d));
	NUTS_EQ(d, 2345);
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_REQ_RESENDTIME, &d));
	NUTS_EQ(d, 3456);

	// ... and then has its own.
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, 11));
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_SENDTIMEO, 22));
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_REQ_RESENDTIME, 33));
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, 11);
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_SENDTIMEO, &d));
	NUTS_EQ(d, 22);
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_REQ_RESENDTIME, &d));
	NUTS_EQ(d, 33);
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, 1234);
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_SENDTIMEO, &d));
	NUTS_EQ(d, 2345);
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_REQ_RESENDTIME, &d));
	NUTS_EQ(d, 3456);
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, NNG_DURATION_INFINITE));
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, NNG_DURATION_INFINITE);

	// Type, size and value checks.
	NUTS_FAIL(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, -5), NNG_EINVAL);
	NUTS_FAIL(nng_ctx_set_bool(c, NNG_OPT_RECVTIMEO, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_ctx_get_bool(c, NNG_OPT_SENDTIMEO, &b), NNG_EBADTYPE);
	NUTS_FAIL(nng_ctx_set(c, NNG_OPT_RECVTIMEO, "", 1), NNG_EINVAL);
	sz = 1;
	NUTS_FAIL(nng_ctx_get(c, NNG_OPT_RECVTIMEO, &d, &sz), NNG_EINVAL);
	sz = sizeof(d);
	NUTS_PASS(nng_ctx_get(c, NNG_OPT_SENDTIMEO, &d, &sz));
	NUTS_EQ(d, 22);
	NUTS_EQ(sz, sizeof(d));

	// Socket-only options are not context options.
	NUTS_FAIL(nng_ctx_get_bool(c, NNG_OPT_RAW, &b), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(c, NNG_OPT_RECVBUF, &v), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_string(c, NNG_OPT_SOCKNAME, &str), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_set_ms(c, NNG_OPT_REQ_RESENDTICK, 10), NNG_ENOTSUP);
	// ... whatever type is asked for: not a type error (as upstream).
	NUTS_FAIL(nng_ctx_get_ms(c, NNG_OPT_RECVBUF, &d), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_set_ms(c, NNG_OPT_SENDBUF, 10), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_set_ms(c, NNG_OPT_MAXTTL, 10), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_bool(c, NNG_OPT_REQ_RESENDTIME, &b), NNG_EBADTYPE);
	NUTS_FAIL(nng_ctx_set_int(c, "no-such-option", 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(c, "no-such-option", &v), NNG_ENOTSUP);

	NUTS_PASS(nng_ctx_close(c));
	SP_CLOSE(s);
}

// The context's own receive timeout applies, not the socket's.
static void
test_ctx_recv_timeout(void)
{
	nng_socket s;
	nng_ctx    c;
	nng_msg   *m = NULL;
	nng_time   t0;

	NUTS_PASS(nng_rep0_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 5 * SP_SECOND));
	NUTS_PASS(nng_ctx_open(&c, s));
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, 50));
	t0 = nng_clock();
	NUTS_FAIL(nng_ctx_recvmsg(c, &m, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);
	NUTS_TRUE(nng_clock() - t0 < 2 * SP_SECOND);
	NUTS_NULL(m);
	NUTS_FAIL(nng_ctx_recvmsg(c, &m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	// A socket with a zero timeout: the context's still applies.
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 0));
	t0 = nng_clock();
	NUTS_FAIL(nng_ctx_recvmsg(c, &m, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);
	NUTS_PASS(nng_ctx_close(c));
	SP_CLOSE(s);
}

static void
test_ctx_send_timeout(void)
{
	nng_socket s;
	nng_ctx    c;
	nng_msg   *m;
	nng_time   t0;

	NUTS_PASS(nng_req0_open(&s));
	NUTS_PASS(nng_ctx_open(&c, s));
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_SENDTIMEO, 50));
	NUTS_PASS(nng_msg_alloc(&m, 0));
	t0 = nng_clock();
	// No peer: nowhere to send.
	NUTS_FAIL(nng_ctx_sendmsg(c, m, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);
	NUTS_FAIL(nng_ctx_sendmsg(c, m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	nng_msg_free(m);
	NUTS_PASS(nng_ctx_close(c));
	SP_CLOSE(s);
}

static void
test_ctx_sendmsg_recvmsg(void)
{
	nng_socket req;
	nng_socket rep;
	nng_ctx    qc;
	nng_ctx    pc;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_ctx_open(&qc, req));
	NUTS_PASS(nng_ctx_open(&pc, rep));
	NUTS_PASS(nng_ctx_set_ms(qc, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_ctx_set_ms(pc, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_ctx_set_ms(qc, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_ctx_set_ms(pc, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(rep, req);

	for (int i = 0; i < 5; i++) {
		NUTS_PASS(sp_ctx_send(qc, "question"));
		NUTS_PASS(sp_ctx_recv(pc, "question"));
		NUTS_PASS(sp_ctx_send(pc, "answer"));
		NUTS_PASS(sp_ctx_recv(qc, "answer"));
	}
	// Context state rules hold per context.
	nng_msg *m;
	NUTS_FAIL(nng_ctx_recvmsg(qc, &m, 0), NNG_ESTATE);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_FAIL(nng_ctx_sendmsg(pc, m, 0), NNG_ESTATE);
	nng_msg_free(m);

	NUTS_PASS(nng_ctx_close(qc));
	NUTS_PASS(nng_ctx_close(pc));
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// Requests on two contexts, answered in the other order by two rep
// contexts: each answer goes to the context that asked.
static void
test_ctx_rep_out_of_order(void)
{
	nng_socket req;
	nng_socket rep;
	nng_ctx    q[2];
	nng_ctx    p[2];
	nng_msg   *m[2];

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	for (int i = 0; i < 2; i++) {
		NUTS_PASS(nng_ctx_open(&q[i], req));
		NUTS_PASS(nng_ctx_open(&p[i], rep));
	}
	SP_MARRY(rep, req);

	NUTS_PASS(sp_ctx_send(q[0], "zero"));
	NUTS_PASS(sp_ctx_send(q[1], "one"));
	NUTS_PASS(nng_ctx_recvmsg(p[0], &m[0], 0));
	NUTS_PASS(nng_ctx_recvmsg(p[1], &m[1], 0));
	// Answer the second first; each answer echoes the request.
	NUTS_PASS(nng_ctx_sendmsg(p[1], m[1], 0));
	NUTS_PASS(nng_ctx_sendmsg(p[0], m[0], 0));
	NUTS_PASS(sp_ctx_recv(q[1], "one"));
	NUTS_PASS(sp_ctx_recv(q[0], "zero"));

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_ctx_aio_timeout_cancel(void)
{
	nng_socket s;
	nng_ctx    c;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open(&s));
	NUTS_PASS(nng_ctx_open(&c, s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	// The aio's own timeout.
	nng_aio_set_timeout(aio, 30);
	nng_ctx_recv(c, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);

	// NNG_DURATION_DEFAULT: the context's receive timeout.
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, 30));
	nng_aio_set_timeout(aio, NNG_DURATION_DEFAULT);
	nng_ctx_recv(c, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);

	// Cancel and abort.
	nng_aio_set_timeout(aio, NNG_DURATION_INFINITE);
	nng_ctx_recv(c, aio);
	nng_aio_cancel(aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	nng_ctx_recv(c, aio);
	nng_aio_abort(aio, NNG_ECONNABORTED);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECONNABORTED);
	NUTS_NULL(nng_aio_get_msg(aio));

	// A send with no message is invalid.
	nng_aio_set_msg(aio, NULL);
	nng_ctx_send(c, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_EINVAL);

	// A stopped aio fails at once.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	nng_aio_stop(aio);
	nng_ctx_recv(c, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	nng_msg_free(m);

	nng_aio_free(aio);
	NUTS_PASS(nng_ctx_close(c));
	SP_CLOSE(s);
}

// Closing a context fails its pending operations, and only its own.
static void
test_ctx_close_pending(void)
{
	nng_socket req;
	nng_socket rep;
	nng_ctx    c1;
	nng_ctx    c2;
	nng_aio   *a1;
	nng_aio   *a2;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_ctx_open(&c1, rep));
	NUTS_PASS(nng_ctx_open(&c2, rep));
	NUTS_PASS(nng_aio_alloc(&a1, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&a2, NULL, NULL));
	nng_aio_set_timeout(a2, 5 * SP_SECOND);
	nng_ctx_recv(c1, a1);
	nng_ctx_recv(c2, a2);
	NUTS_PASS(nng_ctx_close(c1));
	nng_aio_wait(a1);
	NUTS_FAIL(nng_aio_result(a1), NNG_ECLOSED);
	NUTS_TRUE(nng_aio_busy(a2));

	// The other context still works.
	SP_MARRY(rep, req);
	SP_SEND(req, "still there");
	nng_aio_wait(a2);
	NUTS_PASS(nng_aio_result(a2));
	nng_msg *m = nng_aio_get_msg(a2);
	NUTS_MATCH(nng_msg_body(m), "still there");
	nng_aio_set_msg(a2, m);
	nng_ctx_send(c2, a2);
	nng_aio_wait(a2);
	NUTS_PASS(nng_aio_result(a2));
	SP_RECV(req, "still there");

	nng_aio_free(a1);
	nng_aio_free(a2);
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// Closing the socket fails every pending context operation.
static void
test_ctx_socket_close_pending(void)
{
	nng_socket s;
	nng_ctx    c[8];
	nng_aio   *a[8];

	NUTS_PASS(nng_rep0_open(&s));
	for (int i = 0; i < 8; i++) {
		NUTS_PASS(nng_ctx_open(&c[i], s));
		NUTS_PASS(nng_aio_alloc(&a[i], NULL, NULL));
		nng_ctx_recv(c[i], a[i]);
	}
	SP_CLOSE(s);
	for (int i = 0; i < 8; i++) {
		nng_aio_wait(a[i]);
		NUTS_FAIL(nng_aio_result(a[i]), NNG_ECLOSED);
		NUTS_FAIL(nng_ctx_close(c[i]), NNG_ECLOSED);
		nng_aio_free(a[i]);
	}
}

struct ctx_blocked {
	nng_ctx  c;
	nng_mtx *mtx;
	nng_cv  *cv;
	bool     started;
	int      rv;
};

static void
ctx_blocked_recv(void *arg)
{
	struct ctx_blocked *b = arg;
	nng_msg            *m = NULL;
	int                 rv;

	nng_mtx_lock(b->mtx);
	b->started = true;
	nng_cv_wake(b->cv);
	nng_mtx_unlock(b->mtx);
	rv = nng_ctx_recvmsg(b->c, &m, 0);
	if (m != NULL) {
		nng_msg_free(m);
	}
	nng_mtx_lock(b->mtx);
	b->rv = rv;
	nng_mtx_unlock(b->mtx);
}

// A thread blocked in nng_ctx_recvmsg wakes with NNG_ECLOSED when the
// context is closed, whether the close came before or after it blocked.
static void
test_ctx_close_while_blocked(void)
{
	nng_socket         s;
	nng_thread        *thr;
	struct ctx_blocked b;

	memset(&b, 0, sizeof(b));
	b.rv = -1;
	NUTS_PASS(nng_mtx_alloc(&b.mtx));
	NUTS_PASS(nng_cv_alloc(&b.cv, b.mtx));
	NUTS_PASS(nng_rep0_open(&s));
	NUTS_PASS(nng_ctx_open(&b.c, s));
	NUTS_PASS(nng_thread_create(&thr, ctx_blocked_recv, &b));
	nng_mtx_lock(b.mtx);
	while (!b.started) {
		NUTS_PASS(nng_cv_until(b.cv, nng_clock() + 5 * SP_SECOND));
	}
	nng_mtx_unlock(b.mtx);
	NUTS_PASS(nng_ctx_close(b.c));
	nng_thread_destroy(thr);
	NUTS_FAIL(b.rv, NNG_ECLOSED);

	// The same with the socket closed under the context.
	b.started = false;
	b.rv      = -1;
	NUTS_PASS(nng_ctx_open(&b.c, s));
	NUTS_PASS(nng_thread_create(&thr, ctx_blocked_recv, &b));
	nng_mtx_lock(b.mtx);
	while (!b.started) {
		NUTS_PASS(nng_cv_until(b.cv, nng_clock() + 5 * SP_SECOND));
	}
	nng_mtx_unlock(b.mtx);
	SP_CLOSE(s);
	nng_thread_destroy(thr);
	NUTS_FAIL(b.rv, NNG_ECLOSED);

	nng_cv_free(b.cv);
	nng_mtx_free(b.mtx);
}

// ---------------------------------------------------------------------------
// Many concurrent contexts.

#define NCTX 1000
#define NWORKERS 16

// A rep server: NWORKERS contexts, each a receive/send loop driven by its
// aio callback.
struct worker {
	nng_aio *aio;
	nng_ctx  ctx;
	enum { W_RECV, W_SEND } state;
	int      served;
};

static void
worker_cb(void *arg)
{
	struct worker *w = arg;
	nng_msg       *m;

	if (nng_aio_result(w->aio) != 0) {
		if (w->state == W_SEND) {
			nng_msg_free(nng_aio_get_msg(w->aio));
			nng_aio_set_msg(w->aio, NULL);
		}
		return; // closed: the worker stops
	}
	if (w->state == W_RECV) {
		m        = nng_aio_get_msg(w->aio);
		w->state = W_SEND;
		nng_aio_set_msg(w->aio, m);
		nng_ctx_send(w->ctx, w->aio);
	} else {
		w->served++;
		w->state = W_RECV;
		nng_ctx_recv(w->ctx, w->aio);
	}
}

static nng_ctx  many_ctx[NCTX];
static nng_aio *many_saio[NCTX];
static nng_aio *many_raio[NCTX];
static int      many_order[NCTX];

static void
test_ctx_many_req_contexts(void)
{
	nng_socket    req;
	nng_socket    rep;
	struct worker w[NWORKERS];
	int           served = 0;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	// Long resend time: every request is answered exactly once.
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 60 * SP_SECOND));
	SP_MARRY(rep, req);

	for (int i = 0; i < NWORKERS; i++) {
		NUTS_PASS(nng_aio_alloc(&w[i].aio, worker_cb, &w[i]));
		NUTS_PASS(nng_ctx_open(&w[i].ctx, rep));
		w[i].state  = W_RECV;
		w[i].served = 0;
		nng_ctx_recv(w[i].ctx, w[i].aio);
	}

	for (int i = 0; i < NCTX; i++) {
		NUTS_PASS(nng_ctx_open(&many_ctx[i], req));
		NUTS_PASS(nng_aio_alloc(&many_saio[i], NULL, NULL));
		NUTS_PASS(nng_aio_alloc(&many_raio[i], NULL, NULL));
		nng_aio_set_timeout(many_saio[i], 20 * SP_SECOND);
		nng_aio_set_timeout(many_raio[i], 20 * SP_SECOND);
		many_order[i] = i;
	}
	// Receive in a shuffled order (fixed seed: reproducible).
	srand(1234);
	for (int i = NCTX - 1; i > 0; i--) {
		int j         = rand() % (i + 1);
		int t         = many_order[i];
		many_order[i] = many_order[j];
		many_order[j] = t;
	}

	// All requests at once.
	for (int i = 0; i < NCTX; i++) {
		nng_msg *m;
		NUTS_PASS(nng_msg_alloc(&m, 0));
		NUTS_PASS(nng_msg_append_u32(m, (uint32_t) i));
		nng_aio_set_msg(many_saio[i], m);
		nng_ctx_send(many_ctx[i], many_saio[i]);
	}
	for (int i = 0; i < NCTX; i++) {
		int k = many_order[i];
		nng_ctx_recv(many_ctx[k], many_raio[k]);
	}
	for (int i = 0; i < NCTX; i++) {
		nng_aio_wait(many_saio[i]);
		NUTS_PASS(nng_aio_result(many_saio[i]));
	}
	for (int i = 0; i < NCTX; i++) {
		nng_msg *m;
		uint32_t v;
		nng_aio_wait(many_raio[i]);
		NUTS_PASS(nng_aio_result(many_raio[i]));
		m = nng_aio_get_msg(many_raio[i]);
		NUTS_TRUE(m != NULL);
		NUTS_PASS(nng_msg_trim_u32(m, &v));
		NUTS_EQ(v, (uint32_t) i);
		NUTS_EQ(nng_msg_len(m), 0);
		nng_msg_free(m);
	}

	for (int i = 0; i < NCTX; i++) {
		NUTS_PASS(nng_ctx_close(many_ctx[i]));
		nng_aio_free(many_saio[i]);
		nng_aio_free(many_raio[i]);
	}
	SP_CLOSE(req);
	SP_CLOSE(rep); // stops the workers (their receives fail)
	for (int i = 0; i < NWORKERS; i++) {
		nng_aio_free(w[i].aio);
		served += w[i].served;
	}
	NUTS_EQ(served, NCTX);
}

// The same from the other side: one rep context per request, all pending
// at once, answered in reverse order.
static void
test_ctx_many_rep_contexts(void)
{
	nng_socket req;
	nng_socket rep;
	int        n = 200;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 60 * SP_SECOND));
	SP_MARRY(rep, req);
	for (int i = 0; i < n; i++) {
		NUTS_PASS(nng_ctx_open(&many_ctx[i], rep));
		NUTS_PASS(nng_aio_alloc(&many_raio[i], NULL, NULL));
		nng_aio_set_timeout(many_raio[i], 10 * SP_SECOND);
		nng_ctx_recv(many_ctx[i], many_raio[i]);
	}
	for (int i = 0; i < n; i++) {
		NUTS_PASS(nng_ctx_open(&many_ctx[NCTX / 2 + i], req));
		NUTS_PASS(nng_aio_alloc(&many_saio[i], NULL, NULL));
		nng_aio_set_timeout(many_saio[i], 10 * SP_SECOND);
		nng_msg *m;
		NUTS_PASS(nng_msg_alloc(&m, 0));
		NUTS_PASS(nng_msg_append_u32(m, (uint32_t) i));
		nng_aio_set_msg(many_saio[i], m);
		nng_ctx_send(many_ctx[NCTX / 2 + i], many_saio[i]);
	}
	for (int i = 0; i < n; i++) {
		nng_aio_wait(many_saio[i]);
		NUTS_PASS(nng_aio_result(many_saio[i]));
		nng_ctx_recv(many_ctx[NCTX / 2 + i], many_saio[i]);
	}
	for (int i = n - 1; i >= 0; i--) {
		nng_aio_wait(many_raio[i]);
		NUTS_PASS(nng_aio_result(many_raio[i]));
		nng_ctx_send(many_ctx[i], many_raio[i]); // echo
	}
	for (int i = 0; i < n; i++) {
		nng_msg *m;
		uint32_t v;
		nng_aio_wait(many_raio[i]);
		NUTS_PASS(nng_aio_result(many_raio[i]));
		nng_aio_wait(many_saio[i]);
		NUTS_PASS(nng_aio_result(many_saio[i]));
		m = nng_aio_get_msg(many_saio[i]);
		NUTS_PASS(nng_msg_trim_u32(m, &v));
		NUTS_EQ(v, (uint32_t) i);
		nng_msg_free(m);
		nng_aio_free(many_raio[i]);
		nng_aio_free(many_saio[i]);
	}
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// Opening and closing many contexts leaves nothing behind (and ids are
// not reused while open).
static void
test_ctx_open_close_many(void)
{
	nng_socket s;

	NUTS_PASS(nng_req0_open(&s));
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < NCTX; i++) {
			NUTS_PASS(nng_ctx_open(&many_ctx[i], s));
		}
		for (int i = 1; i < NCTX; i++) {
			NUTS_TRUE(
			    nng_ctx_id(many_ctx[i]) != nng_ctx_id(many_ctx[0]));
		}
		for (int i = 0; i < NCTX; i++) {
			NUTS_PASS(nng_ctx_close(many_ctx[i]));
		}
	}
	SP_CLOSE(s);
}

NUTS_TESTS = {
	{ "ctx open close", test_ctx_open_close },
	{ "ctx not supported", test_ctx_not_supported },
	{ "ctx options", test_ctx_options },
	{ "ctx recv timeout", test_ctx_recv_timeout },
	{ "ctx send timeout", test_ctx_send_timeout },
	{ "ctx sendmsg recvmsg", test_ctx_sendmsg_recvmsg },
	{ "ctx rep out of order", test_ctx_rep_out_of_order },
	{ "ctx aio timeout cancel", test_ctx_aio_timeout_cancel },
	{ "ctx close pending", test_ctx_close_pending },
	{ "ctx socket close pending", test_ctx_socket_close_pending },
	{ "ctx close while blocked", test_ctx_close_while_blocked },
	{ "ctx many req contexts", test_ctx_many_req_contexts },
	{ "ctx many rep contexts", test_ctx_many_rep_contexts },
	{ "ctx open close many", test_ctx_open_close_many },
	{ NULL, NULL },
};
