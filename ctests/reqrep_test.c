// req0 / rep0 (cooked and raw) end to end over inproc, from C. The
// behaviours follow upstream nng v1.12.0's req_test.c, rep_test.c,
// xreq_test.c and xrep_test.c; timing never relies on sleeps (we wait on
// the operation itself, with timeouts).
//
// nng-ctest: memcheck

#include "nuts.h"
#include "sphelp.h"

// ---------------------------------------------------------------------------
// req (cooked)

static void
test_req_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_req0_open(&s));
	check_identity(s, NNG_REQ0_SELF, NNG_REQ0_PEER, NNG_REQ0_SELF_NAME,
	    NNG_REQ0_PEER_NAME, false);
	NUTS_EQ(NNG_REQ0_SELF, 0x30);
	NUTS_EQ(NNG_REQ0_PEER, 0x31);
	SP_CLOSE(s);
}

static void
test_req_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_req0_open(&s));
	check_ttl_option(s);
	SP_CLOSE(s);
}

static void
test_req_resend_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_req0_open(&s));
	check_ms_option(s, NNG_OPT_REQ_RESENDTIME, 60 * SP_SECOND);
	SP_CLOSE(s);
}

static void
test_req_resend_tick_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_req0_open(&s));
	check_ms_option(s, NNG_OPT_REQ_RESENDTICK, SP_SECOND);
	SP_CLOSE(s);
}

static void
test_req_recv_bad_state(void)
{
	nng_socket req;
	nng_msg   *msg = NULL;
	nng_aio   *aio;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_FAIL(nng_recvmsg(req, &msg, 0), NNG_ESTATE);
	NUTS_NULL(msg);
	NUTS_FAIL(nng_recvmsg(req, &msg, NNG_FLAG_NONBLOCK), NNG_ESTATE);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_recv_aio(req, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ESTATE);
	NUTS_NULL(nng_aio_get_msg(aio));
	nng_aio_free(aio);
	SP_CLOSE(req);
}

static void
test_req_recv_garbage(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	uint32_t   req_id;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open(&req));
	set_timeouts(req, 100, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_sendmsg(req, m, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	// Header: pipe id, then the request id (bit 31 set).
	NUTS_EQ(nng_msg_header_len(m), 8);
	NUTS_PASS(nng_msg_header_chop_u32(m, &req_id));
	NUTS_TRUE((req_id & 0x80000000u) != 0);
	// Without the request id the reply is garbage to req: dropped.
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_FAIL(nng_recvmsg(req, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_rep_exchange(void)
{
	nng_socket req;
	nng_socket rep;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(rep, req);

	for (int i = 0; i < 10; i++) {
		SP_SEND(req, "ping");
		SP_RECV(rep, "ping");
		SP_SEND(rep, "pong");
		SP_RECV(req, "pong");
	}

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_rep_aio_exchange(void)
{
	nng_socket req;
	nng_socket rep;
	nng_aio   *sa;
	nng_aio   *ra;
	nng_msg   *m;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_aio_alloc(&sa, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&ra, NULL, NULL));
	nng_aio_set_timeout(sa, SP_SECOND);
	nng_aio_set_timeout(ra, SP_SECOND);
	SP_MARRY(rep, req);

	// The receive is posted before the request exists.
	nng_recv_aio(rep, ra);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_append_u32(m, 0xfeedbeefu));
	nng_aio_set_msg(sa, m);
	nng_send_aio(req, sa);
	nng_aio_wait(sa);
	NUTS_PASS(nng_aio_result(sa));
	nng_aio_wait(ra);
	NUTS_PASS(nng_aio_result(ra));
	m = nng_aio_get_msg(ra);
	NUTS_TRUE(m != NULL);
	NUTS_EQ(nng_msg_len(m), 4);
	NUTS_EQ(nng_msg_header_len(m), 0); // cooked rep hides the header
	NUTS_TRUE(nng_pipe_id(nng_msg_get_pipe(m)) > 0);

	nng_recv_aio(req, ra);
	nng_aio_set_msg(sa, m);
	nng_send_aio(rep, sa);
	nng_aio_wait(sa);
	NUTS_PASS(nng_aio_result(sa));
	nng_aio_wait(ra);
	NUTS_PASS(nng_aio_result(ra));
	m = nng_aio_get_msg(ra);
	NUTS_TRUE(m != NULL);
	uint32_t v;
	NUTS_PASS(nng_msg_trim_u32(m, &v));
	NUTS_EQ(v, 0xfeedbeefu);
	NUTS_EQ(nng_msg_header_len(m), 0);
	nng_msg_free(m);

	nng_aio_free(sa);
	nng_aio_free(ra);
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_resend(void)
{
	nng_socket req;
	nng_socket rep;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTICK, 10));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 50));
	SP_MARRY(rep, req);

	SP_SEND(req, "ping");
	SP_RECV(rep, "ping");
	SP_RECV(rep, "ping");
	SP_RECV(rep, "ping");
	// Answering the last copy completes the request.
	SP_SEND(rep, "pong");
	SP_RECV(req, "pong");

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// The first resend waits for the resend time; the tick bounds how often
// the timer looks.
static void
test_req_resend_timing(void)
{
	nng_socket req;
	nng_socket rep;
	nng_time   t0, t1, t2;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, 2 * SP_SECOND, SP_SECOND);
	set_timeouts(rep, 2 * SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTICK, 10));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 200));
	SP_MARRY(rep, req);

	t0 = nng_clock();
	SP_SEND(req, "ping");
	SP_RECV(rep, "ping");
	t1 = nng_clock();
	SP_RECV(rep, "ping");
	t2 = nng_clock();
	NUTS_TRUE(t2 - t0 >= 190);

	SP_CLOSE(req);

	// A slow tick delays resends even with a short resend time.
	NUTS_PASS(nng_req0_open(&req));
	set_timeouts(req, 2 * SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 10));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTICK, 300));
	SP_MARRY(rep, req);
	SP_SEND(req, "again");
	t0 = nng_clock();
	SP_RECV(rep, "again");
	SP_RECV(rep, "again");
	t1 = nng_clock();
	NUTS_TRUE(t1 - t0 >= 250);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_resend_reconnect(void)
{
	nng_socket req;
	nng_socket rep1;
	nng_socket rep2;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep1));
	NUTS_PASS(nng_rep0_open(&rep2));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep1, SP_SECOND, SP_SECOND);
	set_timeouts(rep2, SP_SECOND, SP_SECOND);
	// Long resend time: only the loss of the peer resends.
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 60 * SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTICK, 50));

	SP_MARRY(rep1, req);
	SP_SEND(req, "ping");
	SP_RECV(rep1, "ping");

	SP_CLOSE(rep1);
	SP_MARRY(rep2, req);

	SP_RECV(rep2, "ping");
	SP_SEND(rep2, "rep2");
	SP_RECV(req, "rep2");

	SP_CLOSE(req);
	SP_CLOSE(rep2);
}

static void
test_req_resend_disconnect(void)
{
	nng_socket req;
	nng_socket rep1;
	nng_socket rep2;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep1));
	NUTS_PASS(nng_rep0_open(&rep2));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep1, SP_SECOND, SP_SECOND);
	set_timeouts(rep2, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 60 * SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTICK, 50));

	SP_MARRY(rep1, req);
	SP_SEND(req, "ping");
	SP_RECV(rep1, "ping");

	SP_MARRY(rep2, req);
	SP_CLOSE(rep1);

	SP_RECV(rep2, "ping");
	SP_SEND(rep2, "rep2");
	SP_RECV(req, "rep2");

	SP_CLOSE(req);
	SP_CLOSE(rep2);
}

static void
test_req_disconnect_no_retry(void)
{
	nng_socket req;
	nng_socket rep1;
	nng_socket rep2;
	nng_msg   *msg = NULL;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep1));
	NUTS_PASS(nng_rep0_open(&rep2));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep1, SP_SECOND, 100);
	set_timeouts(rep2, 100, SP_SECOND);
	// Resend time zero: losing the peer is an error for the request.
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 0));

	SP_MARRY(rep1, req);
	SP_SEND(req, "ping");
	SP_RECV(rep1, "ping");

	SP_MARRY(rep2, req);
	SP_CLOSE(rep1);

	NUTS_FAIL(nng_recvmsg(req, &msg, 0), NNG_ECONNRESET);
	NUTS_FAIL(nng_recvmsg(rep2, &msg, 0), NNG_ETIMEDOUT);
	// The socket is usable again afterwards.
	SP_SEND(req, "again");
	NUTS_PASS(nng_socket_set_ms(rep2, NNG_OPT_RECVTIMEO, SP_SECOND));
	SP_RECV(rep2, "again");
	SP_SEND(rep2, "answer");
	SP_RECV(req, "answer");

	SP_CLOSE(req);
	SP_CLOSE(rep2);
}

static void
test_req_disconnect_abort(void)
{
	nng_socket req;
	nng_socket rep1;
	nng_socket rep2;
	nng_aio   *aio;
	nng_msg   *msg = NULL;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep1));
	NUTS_PASS(nng_rep0_open(&rep2));
	NUTS_PASS(nng_aio_alloc(&aio, 0, 0));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep1, SP_SECOND, 100);
	set_timeouts(rep2, 100, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 0));

	SP_MARRY(rep1, req);
	SP_SEND(req, "ping");
	SP_RECV(rep1, "ping");
	nng_recv_aio(req, aio);

	SP_MARRY(rep2, req);
	SP_CLOSE(rep1);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECONNRESET);
	NUTS_FAIL(nng_recvmsg(rep2, &msg, 0), NNG_ETIMEDOUT);
	nng_aio_free(aio);

	SP_CLOSE(req);
	SP_CLOSE(rep2);
}

// A new request cancels the old one: the late reply to it is dropped.
static void
test_req_cancel(void)
{
	nng_socket req;
	nng_socket rep;

	NUTS_PASS(nng_rep_open(&rep));
	NUTS_PASS(nng_req_open(&req));
	set_timeouts(req, SP_SECOND, 5 * SP_SECOND);
	set_timeouts(rep, SP_SECOND, 5 * SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTICK, 100));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_SENDBUF, 16));
	SP_MARRY(rep, req);

	SP_SEND(req, "abc");
	SP_RECV(rep, "abc"); // the request reached the server
	SP_SEND(req, "def"); // replaces it
	SP_SEND(rep, "abc"); // late answer: discarded by req
	SP_RECV(rep, "def");
	SP_SEND(rep, "def");
	SP_RECV(req, "def");

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_cancel_abort_recv(void)
{
	nng_aio   *aio;
	nng_socket req;
	nng_socket rep;

	NUTS_PASS(nng_rep_open(&rep));
	NUTS_PASS(nng_req_open(&req));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, 10 * SP_SECOND));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_SENDBUF, 16));
	set_timeouts(req, 5 * SP_SECOND, 5 * SP_SECOND);
	set_timeouts(rep, 5 * SP_SECOND, 5 * SP_SECOND);
	SP_MARRY(rep, req);

	SP_SEND(req, "abc");
	SP_RECV(rep, "abc");

	nng_aio_set_timeout(aio, 5 * SP_SECOND);
	nng_recv_aio(req, aio);

	// The new request cancels the pending receive of the old one.
	SP_SEND(req, "def");
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);

	SP_SEND(rep, "abc");
	SP_RECV(rep, "def");
	SP_SEND(rep, "def");
	SP_RECV(req, "def");

	nng_aio_free(aio);
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// A reply that arrived but was never received is dropped by the next
// request.
static void
test_req_cancel_post_recv(void)
{
	nng_socket req;
	nng_socket rep;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);

	SP_SEND(req, "ONE");
	SP_RECV(rep, "ONE");
	SP_SEND(rep, "one");
	SP_SEND(req, "TWO");
	SP_RECV(rep, "TWO");
	SP_SEND(rep, "two");
	SP_RECV(req, "two");

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_recv_timeout(void)
{
	nng_socket req;
	nng_socket rep;
	nng_msg   *m = NULL;
	nng_time   t0;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, 50, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);

	SP_SEND(req, "hello");
	t0 = nng_clock();
	NUTS_FAIL(nng_recvmsg(req, &m, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);
	NUTS_NULL(m);
	// The timed out receive aborted the request: nothing to receive now.
	NUTS_FAIL(nng_recvmsg(req, &m, 0), NNG_ESTATE);

	SP_SEND(req, "hello");
	NUTS_FAIL(nng_recvmsg(req, &m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_send_timeout(void)
{
	nng_socket req;
	nng_msg   *m;
	nng_time   t0;

	NUTS_PASS(nng_req0_open(&req));
	set_timeouts(req, SP_SECOND, 50);
	// No peer: the request cannot go anywhere.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	t0 = nng_clock();
	NUTS_FAIL(nng_sendmsg(req, m, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);
	NUTS_FAIL(nng_sendmsg(req, m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_FAIL(
	    nng_send(req, "x", 1, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	nng_msg_free(m);
	SP_CLOSE(req);
}

static void
test_req_aio_cancel(void)
{
	nng_socket req;
	nng_socket rep;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);

	// Send with nobody to take it, then cancel: the message comes back.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_append(m, "lost", 5));
	nng_aio_set_msg(aio, m);
	nng_aio_set_timeout(aio, NNG_DURATION_INFINITE);
	nng_send_aio(req, aio);
	nng_aio_cancel(aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_TRUE(nng_aio_get_msg(aio) == m);
	NUTS_EQ(nng_msg_len(m), 5);

	// The same with an aio timeout.
	nng_aio_set_timeout(aio, 50);
	nng_send_aio(req, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_aio_get_msg(aio) == m);
	nng_msg_free(m);
	nng_aio_set_msg(aio, NULL);

	// Receive cancelled by abort with our own error.
	SP_MARRY(req, rep);
	SP_SEND(req, "q");
	nng_aio_set_timeout(aio, NNG_DURATION_INFINITE);
	nng_recv_aio(req, aio);
	nng_aio_abort(aio, NNG_EINTR);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_EINTR);
	NUTS_NULL(nng_aio_get_msg(aio));

	// Receive timeout on the aio wins over the socket's.
	SP_SEND(req, "q2");
	nng_aio_set_timeout(aio, 30);
	nng_recv_aio(req, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);

	nng_aio_free(aio);
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_req_close_blocked_recv(void)
{
	nng_socket req;
	nng_socket rep;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	SP_MARRY(rep, req);
	SP_SEND(req, "never answered");
	NUTS_FAIL(sp_close_while_blocked(req, sp_blocked_recv), NNG_ECLOSED);
	SP_CLOSE(rep);
}

static void
test_req_close_blocked_send(void)
{
	nng_socket req;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_FAIL(sp_close_while_blocked(req, sp_blocked_send), NNG_ECLOSED);
}

static void
test_req_closed_socket(void)
{
	nng_socket req;
	nng_msg   *m;
	nng_aio   *aio;
	nng_ctx    ctx;

	NUTS_PASS(nng_req0_open(&req));
	SP_CLOSE(req);
	NUTS_FAIL(nng_socket_close(req), NNG_ECLOSED);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_FAIL(nng_sendmsg(req, m, 0), NNG_ECLOSED);
	NUTS_FAIL(nng_recvmsg(req, &m, 0), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_open(&ctx, req), NNG_ECLOSED);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_msg(aio, m);
	nng_send_aio(req, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	NUTS_TRUE(nng_aio_get_msg(aio) == m);
	nng_recv_aio(req, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
	nng_msg_free(m);
}

// Two clients on one server: each reply goes back to its own requester.
static void
test_req_rep_routing(void)
{
	nng_socket rep;
	nng_socket req1;
	nng_socket req2;
	nng_msg   *m1;
	nng_msg   *m2;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req1));
	NUTS_PASS(nng_req0_open(&req2));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	set_timeouts(req1, SP_SECOND, SP_SECOND);
	set_timeouts(req2, SP_SECOND, SP_SECOND);
	SP_MARRY(rep, req1);
	SP_MARRY(rep, req2);

	SP_SEND(req1, "one");
	SP_SEND(req2, "two");
	// A cooked rep serves one request at a time: receive, answer, next.
	NUTS_PASS(nng_recvmsg(rep, &m1, 0));
	NUTS_PASS(nng_msg_append(m1, "!", 2));
	NUTS_PASS(nng_sendmsg(rep, m1, 0));
	NUTS_PASS(nng_recvmsg(rep, &m2, 0));
	NUTS_PASS(nng_msg_append(m2, "?", 2));
	NUTS_PASS(nng_sendmsg(rep, m2, 0));

	NUTS_PASS(nng_recvmsg(req1, &m1, 0));
	NUTS_PASS(nng_recvmsg(req2, &m2, 0));
	NUTS_MATCH(nng_msg_body(m1), "one");
	NUTS_MATCH(nng_msg_body(m2), "two");
	nng_msg_free(m1);
	nng_msg_free(m2);

	SP_CLOSE(req1);
	SP_CLOSE(req2);
	SP_CLOSE(rep);
}

static void
test_req_ctx_no_poll(void)
{
	int        fd;
	nng_socket req;
	nng_ctx    ctx;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_ctx_open(&ctx, req));
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(ctx));
	SP_CLOSE(req);
}

static void
test_req_ctx_send_queued(void)
{
	nng_socket req;
	nng_socket rep;
	nng_ctx    ctx[3];
	nng_aio   *aio[3];
	nng_msg   *msg[3];

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, SP_SECOND));

	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_ctx_open(&ctx[i], req));
		NUTS_PASS(nng_aio_alloc(&aio[i], NULL, NULL));
		NUTS_PASS(nng_msg_alloc(&msg[i], 0));
		NUTS_PASS(nng_msg_append_u32(msg[i], (uint32_t) i));
	}
	// Queued before there is any pipe.
	for (int i = 0; i < 3; i++) {
		nng_aio_set_msg(aio[i], msg[i]);
		nng_ctx_send(ctx[i], aio[i]);
	}
	SP_MARRY(req, rep);

	for (int i = 0; i < 3; i++) {
		nng_msg *m;
		uint32_t v;
		NUTS_PASS(nng_recvmsg(rep, &m, 0));
		NUTS_PASS(nng_msg_trim_u32(m, &v));
		NUTS_EQ(v, (uint32_t) i); // FIFO over contexts
		nng_msg_free(m);
	}

	SP_CLOSE(req);
	SP_CLOSE(rep);
	for (int i = 0; i < 3; i++) {
		nng_aio_wait(aio[i]);
		NUTS_PASS(nng_aio_result(aio[i]));
		nng_aio_free(aio[i]);
	}
}

static void
test_req_ctx_send_close(void)
{
	nng_socket req;
	nng_ctx    ctx[3];
	nng_aio   *aio[3];
	nng_msg   *msg[3];

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_ctx_open(&ctx[i], req));
		NUTS_PASS(nng_aio_alloc(&aio[i], NULL, NULL));
		NUTS_PASS(nng_msg_alloc(&msg[i], 0));
	}
	for (int i = 0; i < 3; i++) {
		nng_aio_set_msg(aio[i], msg[i]);
		nng_ctx_send(ctx[i], aio[i]);
	}
	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_ctx_close(ctx[i]));
	}
	for (int i = 0; i < 3; i++) {
		nng_aio_wait(aio[i]);
		NUTS_FAIL(nng_aio_result(aio[i]), NNG_ECLOSED);
		NUTS_TRUE(nng_aio_get_msg(aio[i]) == msg[i]);
		nng_aio_free(aio[i]);
		nng_msg_free(msg[i]);
	}
	SP_CLOSE(req);
}

static void
test_req_ctx_send_abort(void)
{
	nng_socket req;
	nng_ctx    ctx[3];
	nng_aio   *aio[3];
	nng_msg   *msg[3];

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_ctx_open(&ctx[i], req));
		NUTS_PASS(nng_aio_alloc(&aio[i], NULL, NULL));
		NUTS_PASS(nng_msg_alloc(&msg[i], 0));
	}
	for (int i = 0; i < 3; i++) {
		nng_aio_set_msg(aio[i], msg[i]);
		nng_ctx_send(ctx[i], aio[i]);
	}
	for (int i = 0; i < 3; i++) {
		nng_aio_abort(aio[i], NNG_ECANCELED);
	}
	for (int i = 0; i < 3; i++) {
		nng_aio_wait(aio[i]);
		NUTS_FAIL(nng_aio_result(aio[i]), NNG_ECANCELED);
		NUTS_TRUE(nng_aio_get_msg(aio[i]) == msg[i]);
		nng_aio_free(aio[i]);
		nng_msg_free(msg[i]);
	}
	SP_CLOSE(req);
}

static void
test_req_ctx_send_twice(void)
{
	nng_socket req;
	nng_ctx    ctx;
	nng_aio   *aio[2];
	nng_msg   *msg[2];

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_ctx_open(&ctx, req));
	for (int i = 0; i < 2; i++) {
		NUTS_PASS(nng_aio_alloc(&aio[i], NULL, NULL));
		NUTS_PASS(nng_msg_alloc(&msg[i], 0));
	}
	for (int i = 0; i < 2; i++) {
		nng_aio_set_msg(aio[i], msg[i]);
		nng_ctx_send(ctx, aio[i]);
	}
	// The second send on the context canceled the first.
	nng_aio_wait(aio[0]);
	NUTS_FAIL(nng_aio_result(aio[0]), NNG_ECANCELED);
	SP_CLOSE(req);
	nng_aio_wait(aio[1]);
	NUTS_FAIL(nng_aio_result(aio[1]), NNG_ECLOSED);
	for (int i = 0; i < 2; i++) {
		NUTS_TRUE(nng_aio_get_msg(aio[i]) == msg[i]);
		nng_aio_free(aio[i]);
		nng_msg_free(msg[i]);
	}
}

// Send and receive started together, then the receive times out: the send
// fails too (ECANCELED) and hands back its message (upstream bug #1702).
static void
test_req_ctx_send_recv_abort(void)
{
	nng_socket req;
	nng_ctx    ctx;
	nng_aio   *aio[2];
	nng_msg   *msg;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 100));
	NUTS_PASS(nng_ctx_open(&ctx, req));
	NUTS_PASS(nng_aio_alloc(&aio[0], NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&aio[1], NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&msg, 0));

	nng_aio_set_msg(aio[0], msg);
	nng_ctx_send(ctx, aio[0]);
	nng_ctx_recv(ctx, aio[1]);
	nng_aio_wait(aio[0]);
	nng_aio_wait(aio[1]);
	NUTS_FAIL(nng_aio_result(aio[0]), NNG_ECANCELED);
	NUTS_FAIL(nng_aio_result(aio[1]), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_aio_get_msg(aio[0]) == msg);
	NUTS_EQ(nng_msg_len(msg), 0);
	nng_msg_free(msg);
	nng_aio_free(aio[0]);
	nng_aio_free(aio[1]);
	SP_CLOSE(req);
}

static void
test_req_ctx_recv_nonblock(void)
{
	nng_socket req;
	nng_socket rep;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_ctx_open(&ctx, req));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	SP_MARRY(req, rep);

	nng_aio_set_msg(aio, msg);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	nng_aio_set_timeout(aio, 0);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	SP_CLOSE(req);
	SP_CLOSE(rep);
	nng_aio_free(aio);
}

static void
test_req_ctx_send_nonblock(void)
{
	nng_socket req;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_ctx_open(&ctx, req));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	nng_aio_set_msg(aio, msg);
	nng_aio_set_timeout(aio, 0);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_aio_get_msg(aio) == msg);
	SP_CLOSE(req);
	nng_aio_free(aio);
	nng_msg_free(msg);
}

static void
test_req_ctx_recv_close_socket(void)
{
	nng_socket req;
	nng_socket rep;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_ctx_open(&ctx, req));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	SP_MARRY(req, rep);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	nng_aio_set_msg(aio, m);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));

	nng_ctx_recv(ctx, aio);
	SP_CLOSE(req);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
	SP_CLOSE(rep);
}

// ---------------------------------------------------------------------------
// rep (cooked)

static void
test_rep_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_rep0_open(&s));
	check_identity(s, NNG_REP0_SELF, NNG_REP0_PEER, NNG_REP0_SELF_NAME,
	    NNG_REP0_PEER_NAME, false);
	NUTS_EQ(NNG_REP0_SELF, 0x31);
	NUTS_EQ(NNG_REP0_PEER, 0x30);
	SP_CLOSE(s);
}

static void
test_rep_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_rep0_open(&s));
	check_ttl_option(s);
	SP_CLOSE(s);
}

static void
test_rep_send_bad_state(void)
{
	nng_socket rep;
	nng_msg   *msg = NULL;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(rep, msg, 0), NNG_ESTATE);
	nng_msg_free(msg);
	SP_CLOSE(rep);
}

// Answering twice: the second send has no request to answer.
static void
test_rep_send_twice_bad_state(void)
{
	nng_socket rep;
	nng_socket req;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	set_timeouts(req, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);
	SP_SEND(req, "q");
	SP_RECV(rep, "q");
	SP_SEND(rep, "a");
	NUTS_FAIL(nng_send(rep, "b", 2, 0), NNG_ESTATE);
	SP_RECV(req, "a");
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_rep_ctx_no_poll(void)
{
	int        fd;
	nng_socket rep;
	nng_ctx    ctx;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_ctx_open(&ctx, rep));
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(ctx));
	SP_CLOSE(rep);
}

static void
test_rep_double_recv(void)
{
	nng_socket s1;
	nng_aio   *aio1;
	nng_aio   *aio2;

	NUTS_PASS(nng_rep0_open(&s1));
	NUTS_PASS(nng_aio_alloc(&aio1, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&aio2, NULL, NULL));

	nng_recv_aio(s1, aio1);
	nng_recv_aio(s1, aio2);
	nng_aio_wait(aio2);
	NUTS_FAIL(nng_aio_result(aio2), NNG_ESTATE);
	SP_CLOSE(s1);
	nng_aio_wait(aio1);
	NUTS_FAIL(nng_aio_result(aio1), NNG_ECLOSED);
	nng_aio_free(aio1);
	nng_aio_free(aio2);
}

static void
test_rep_huge_send(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	nng_msg   *d;
	nng_aio   *aio;

	NUTS_PASS(nng_rep_open(&rep));
	NUTS_PASS(nng_req_open(&req));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	set_timeouts(req, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&m, 10 << 20));
	SP_MARRY(req, rep);
	char *body = nng_msg_body(m);
	NUTS_EQ(nng_msg_len(m), 10 << 20);
	for (size_t i = 0; i < nng_msg_len(m); i++) {
		body[i] = (char) (i % 16 + 'A');
	}
	NUTS_PASS(nng_msg_dup(&d, m));
	SP_SEND(req, "R");
	SP_RECV(rep, "R");
	nng_aio_set_msg(aio, m);
	nng_send_aio(rep, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	nng_aio_set_msg(aio, NULL);
	nng_recv_aio(req, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	m = nng_aio_get_msg(aio);
	NUTS_TRUE(m != NULL);
	NUTS_EQ(nng_msg_len(m), nng_msg_len(d));
	NUTS_TRUE(memcmp(nng_msg_body(m), nng_msg_body(d), nng_msg_len(m)) == 0);

	SP_SEND(req, "E");
	SP_RECV(rep, "E");
	SP_SEND(rep, "E");
	SP_RECV(req, "E");

	nng_aio_free(aio);
	nng_msg_free(m);
	nng_msg_free(d);
	SP_CLOSE(rep);
	SP_CLOSE(req);
}

static void
test_rep_send_nonblock(void)
{
	nng_socket rep;
	nng_socket req;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);

	SP_SEND(req, "SEND");
	SP_RECV(rep, "SEND");
	NUTS_PASS(nng_send(rep, "RECV", 5, NNG_FLAG_NONBLOCK));
	SP_RECV(req, "RECV");
	SP_CLOSE(rep);
	SP_CLOSE(req);
}

// The pipe of the request is gone: the reply is dropped, silently.
static void
test_rep_close_pipe_before_send(void)
{
	nng_socket rep;
	nng_socket req;
	nng_pipe   p;
	nng_aio   *aio1;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	set_timeouts(req, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_aio_alloc(&aio1, NULL, NULL));
	SP_MARRY(req, rep);
	SP_SEND(req, "test");

	nng_recv_aio(rep, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	NUTS_TRUE((m = nng_aio_get_msg(aio1)) != NULL);
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_close(p));
	NUTS_PASS(nng_sendmsg(rep, m, 0));

	SP_CLOSE(req);
	SP_CLOSE(rep);
	nng_aio_free(aio1);
}

static void
test_rep_close_pipe_during_send(void)
{
	nng_socket rep;
	nng_socket req;
	nng_pipe   p = NNG_PIPE_INITIALIZER;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_SENDTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_RECVBUF, 20));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_RECVBUF, 1));
	SP_MARRY(req, rep);

	for (int i = 0; i < 100; i++) {
		int rv;
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_append_u32(m, (unsigned) i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(req, m, 0));
		NUTS_PASS(nng_recvmsg(rep, &m, 0));
		p  = nng_msg_get_pipe(m);
		rv = nng_sendmsg(rep, m, 0);
		if (rv == NNG_ETIMEDOUT) {
			// The raw req is not reading: back-pressure.
			nng_msg_free(m);
			break;
		}
		NUTS_PASS(rv);
	}
	NUTS_PASS(nng_pipe_close(p));
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_rep_ctx_recv_aio_stopped(void)
{
	nng_socket rep;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_ctx_open(&ctx, rep));
	nng_aio_stop(aio);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_PASS(nng_ctx_close(ctx));
	SP_CLOSE(rep);
	nng_aio_free(aio);
}

static void
rep_close_ctx_send(bool close_pipe)
{
	nng_socket rep;
	nng_socket req;
	nng_pipe   p = NNG_PIPE_INITIALIZER;
	nng_msg   *m;
	nng_ctx    ctx[100];
	nng_aio   *aio[100];
	int        i;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	for (i = 0; i < 100; i++) {
		NUTS_PASS(nng_ctx_open(&ctx[i], rep));
		NUTS_PASS(nng_aio_alloc(&aio[i], NULL, NULL));
	}
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_RECVBUF, 1));
	SP_MARRY(req, rep);

	for (i = 0; i < 100; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_append_u32(m, (unsigned) i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(req, m, 0));
		nng_ctx_recv(ctx[i], aio[i]);
	}
	for (i = 0; i < 100; i++) {
		nng_aio_wait(aio[i]);
		NUTS_PASS(nng_aio_result(aio[i]));
		NUTS_TRUE((m = nng_aio_get_msg(aio[i])) != NULL);
		p = nng_msg_get_pipe(m);
		nng_aio_set_msg(aio[i], m);
		nng_ctx_send(ctx[i], aio[i]);
	}
	// The raw req never reads the answers.
	if (close_pipe) {
		NUTS_PASS(nng_pipe_close(p));
	}
	for (i = 0; i < 100; i++) {
		int rv;
		if (!close_pipe) {
			NUTS_PASS(nng_ctx_close(ctx[i]));
		}
		nng_aio_wait(aio[i]);
		rv = nng_aio_result(aio[i]);
		if (rv != 0) {
			NUTS_FAIL(rv, NNG_ECLOSED);
			nng_msg_free(nng_aio_get_msg(aio[i]));
		}
		nng_aio_free(aio[i]);
		if (close_pipe) {
			NUTS_PASS(nng_ctx_close(ctx[i]));
		}
	}
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_rep_close_pipe_context_send(void)
{
	rep_close_ctx_send(true);
}

static void
test_rep_close_context_send(void)
{
	rep_close_ctx_send(false);
}

static void
test_rep_close_recv(void)
{
	nng_socket rep;
	nng_socket req;
	nng_aio   *aio;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_recv_aio(rep, aio);
	SP_CLOSE(rep);
	SP_CLOSE(req);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
}

struct rep_close_recv_cb_state {
	nng_aio *aio;
	nng_mtx *mtx;
	nng_cv  *cv;
	int      done;
	int      result;
	nng_msg *msg;
};

static void
rep_close_recv_cb(void *arg)
{
	struct rep_close_recv_cb_state *state = arg;

	nng_mtx_lock(state->mtx);
	state->result = nng_aio_result(state->aio);
	state->msg    = nng_aio_get_msg(state->aio);
	state->done   = true;
	nng_cv_wake(state->cv);
	nng_mtx_unlock(state->mtx);
}

static void
test_rep_close_recv_cb(void)
{
	nng_socket                     rep;
	nng_socket                     req;
	struct rep_close_recv_cb_state state;

	memset(&state, 0, sizeof(state));
	NUTS_PASS(nng_mtx_alloc(&state.mtx));
	NUTS_PASS(nng_cv_alloc(&state.cv, state.mtx));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);
	NUTS_PASS(nng_aio_alloc(&state.aio, rep_close_recv_cb, &state));
	nng_recv_aio(rep, state.aio);
	SP_CLOSE(rep);
	SP_CLOSE(req);
	nng_mtx_lock(state.mtx);
	while (!state.done) {
		NUTS_PASS(nng_cv_until(state.cv, nng_clock() + SP_SECOND));
	}
	nng_mtx_unlock(state.mtx);
	NUTS_FAIL(state.result, NNG_ECLOSED);
	NUTS_NULL(state.msg);
	nng_aio_free(state.aio);
	nng_cv_free(state.cv);
	nng_mtx_free(state.mtx);
}

static void
test_rep_ctx_recv_nonblock(void)
{
	nng_socket rep;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_ctx_open(&ctx, rep));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 0);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	SP_CLOSE(rep);
	nng_aio_free(aio);
}

static void
test_rep_ctx_send_nonblock(void)
{
	nng_socket rep;
	nng_socket req;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, 2 * SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_ctx_open(&ctx, rep));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	SP_MARRY(req, rep);

	SP_SEND(req, "SEND");
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	msg = nng_aio_get_msg(aio);
	nng_aio_set_msg(aio, msg);
	nng_aio_set_timeout(aio, 0);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	SP_RECV(req, "SEND");
	SP_CLOSE(rep);
	SP_CLOSE(req);
	nng_aio_free(aio);
}

static void
test_rep_ctx_send_nonblock2(void)
{
	nng_socket rep;
	nng_socket req;
	nng_ctx    rep_ctx[10];
	nng_aio   *rep_aio[10];
	int        num_good = 0;
	int        num_fail = 0;

	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	for (int i = 0; i < 10; i++) {
		NUTS_PASS(nng_ctx_open(&rep_ctx[i], rep));
		NUTS_PASS(nng_aio_alloc(&rep_aio[i], NULL, NULL));
	}
	SP_MARRY(req, rep);

	for (int i = 0; i < 10; i++) {
		nng_msg *msg;
		NUTS_PASS(nng_msg_alloc(&msg, 4));
		NUTS_PASS(nng_msg_append_u32(msg, (unsigned) i | 0x80000000u));
		nng_ctx_recv(rep_ctx[i], rep_aio[i]);
		NUTS_PASS(nng_sendmsg(req, msg, 0));
	}
	for (int i = 0; i < 10; i++) {
		nng_msg *msg;
		nng_aio_wait(rep_aio[i]);
		NUTS_PASS(nng_aio_result(rep_aio[i]));
		msg = nng_aio_get_msg(rep_aio[i]);
		nng_aio_set_timeout(rep_aio[i], 0);
		nng_aio_set_msg(rep_aio[i], msg);
		nng_ctx_send(rep_ctx[i], rep_aio[i]);
	}
	for (int i = 0; i < 10; i++) {
		int rv;
		nng_aio_wait(rep_aio[i]);
		rv = nng_aio_result(rep_aio[i]);
		if (rv == 0) {
			num_good++;
		} else {
			NUTS_FAIL(rv, NNG_ETIMEDOUT);
			nng_msg_free(nng_aio_get_msg(rep_aio[i]));
			num_fail++;
		}
	}
	// The raw req does not read: some answers get through, the rest
	// meet back-pressure at once.
	NUTS_TRUE(num_good > 0);
	NUTS_TRUE(num_fail > 0);

	for (int i = 0; i < 10; i++) {
		nng_aio_free(rep_aio[i]);
		nng_ctx_close(rep_ctx[i]);
	}
	SP_CLOSE(rep);
	SP_CLOSE(req);
}

static void
test_rep_recv_garbage(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(rep, 200, 200);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(req, rep);

	// No request id (bit 31 clear): not a request, dropped.
	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_msg_append_u32(m, 1u));
	NUTS_PASS(nng_sendmsg(req, m, 0));
	NUTS_FAIL(nng_recvmsg(rep, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_rep_close_blocked_recv(void)
{
	nng_socket rep;
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_FAIL(sp_close_while_blocked(rep, sp_blocked_recv), NNG_ECLOSED);
}

// ---------------------------------------------------------------------------
// xreq (raw req)

static void
test_xreq_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_req0_open_raw(&s));
	check_identity(s, NNG_REQ0_SELF, NNG_REQ0_PEER, NNG_REQ0_SELF_NAME,
	    NNG_REQ0_PEER_NAME, true);
	SP_CLOSE(s);
}

static void
test_xreq_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;
	nng_duration d;

	NUTS_PASS(nng_req0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	// Raw req has no resend options.
	NUTS_FAIL(nng_socket_get_ms(s, NNG_OPT_REQ_RESENDTIME, &d),
	    NNG_ENOTSUP);
	SP_CLOSE(s);
}

static void
test_xreq_recv_aio_stopped(void)
{
	nng_socket req;
	nng_aio   *aio;

	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_stop(aio);
	nng_recv_aio(req, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	SP_CLOSE(req);
	nng_aio_free(aio);
}

static void
test_xreq_recv_garbage(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	uint32_t   req_id;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(req, 100, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_append_u32(m, 0x80000000));
	NUTS_PASS(nng_sendmsg(req, m, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 8);
	NUTS_PASS(nng_msg_header_chop_u32(m, &req_id));
	NUTS_EQ(req_id, 0x80000000u);
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_FAIL(nng_recvmsg(req, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xreq_recv_header(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	nng_pipe   p1, p2;
	uint32_t   id;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	NUTS_PASS(sp_marry(req, rep, &p1, &p2));

	// Simulate a few hops.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_header_append_u32(m, nng_pipe_id(p2)));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x2));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x1));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x80000123u));
	NUTS_PASS(nng_sendmsg(rep, m, 0));

	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 12);
	NUTS_PASS(nng_msg_header_trim_u32(m, &id));
	NUTS_EQ(id, 0x2);
	NUTS_PASS(nng_msg_header_trim_u32(m, &id));
	NUTS_EQ(id, 0x1);
	NUTS_PASS(nng_msg_header_trim_u32(m, &id));
	NUTS_EQ(id, 0x80000123u);
	nng_msg_free(m);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// The raw req sends the header it is given, and the raw rep sees it after
// the pipe id it adds.
static void
test_xreq_send_header(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	nng_pipe   p1, p2;
	uint32_t   v;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(req, SP_SECOND, SP_SECOND);
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	NUTS_PASS(sp_marry(req, rep, &p1, &p2));

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x80000042u));
	NUTS_PASS(nng_msg_append(m, "body", 5));
	NUTS_PASS(nng_sendmsg(req, m, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 8);
	NUTS_PASS(nng_msg_header_trim_u32(m, &v));
	NUTS_EQ(v, (uint32_t) nng_pipe_id(p2));
	NUTS_PASS(nng_msg_header_trim_u32(m, &v));
	NUTS_EQ(v, 0x80000042u);
	NUTS_MATCH(nng_msg_body(m), "body");
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(m)), nng_pipe_id(p2));
	nng_msg_free(m);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xreq_close_during_recv(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	nng_pipe   p1;
	nng_pipe   p2;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(sp_marry(req, rep, &p1, &p2));
	NUTS_TRUE(nng_pipe_id(p1) > 0);
	NUTS_TRUE(nng_pipe_id(p2) > 0);

	for (unsigned i = 0; i < 20; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, nng_pipe_id(p2)));
		NUTS_PASS(nng_msg_header_append_u32(m, i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(rep, m, 0));
	}
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xreq_close_pipe_during_send(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	nng_pipe   p1;
	nng_pipe   p2;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(sp_marry(req, rep, &p1, &p2));

	for (unsigned i = 0; i < 20; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(req, m, 0));
	}
	NUTS_PASS(nng_pipe_close(p1));
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xreq_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_req0_open_raw(&s));
	check_ttl_option(s);
	SP_CLOSE(s);
}

// ---------------------------------------------------------------------------
// xrep (raw rep)

static void
test_xrep_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_rep0_open_raw(&s));
	check_identity(s, NNG_REP0_SELF, NNG_REP0_PEER, NNG_REP0_SELF_NAME,
	    NNG_REP0_PEER_NAME, true);
	SP_CLOSE(s);
}

static void
test_xrep_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;
	NUTS_PASS(nng_rep0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	SP_CLOSE(s);
}

static void
test_xrep_close_pipe_before_send(void)
{
	nng_socket rep;
	nng_socket req;
	nng_pipe   p;
	nng_aio   *aio1;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open(&req));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_aio_alloc(&aio1, NULL, NULL));
	SP_MARRY(req, rep);
	SP_SEND(req, "test");

	nng_recv_aio(rep, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	NUTS_TRUE((m = nng_aio_get_msg(aio1)) != NULL);
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_close(p));
	NUTS_PASS(nng_sendmsg(rep, m, 0));

	SP_CLOSE(req);
	SP_CLOSE(rep);
	nng_aio_free(aio1);
}

static void
test_xrep_close_pipe_during_send(void)
{
	nng_socket rep;
	nng_socket req;
	nng_pipe   p;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_SENDTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_RECVBUF, 20));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_RECVBUF, 1));
	SP_MARRY(req, rep);

	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_msg_append_u32(m, (unsigned) 0x81000000u));
	NUTS_PASS(nng_sendmsg(req, m, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	p = nng_msg_get_pipe(m);
	nng_msg_free(m);

	for (int i = 0; i < 100; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, nng_pipe_id(p)));
		NUTS_PASS(
		    nng_msg_header_append_u32(m, (unsigned) i | 0x80000000u));
		// xrep never exerts back-pressure: it drops instead.
		NUTS_PASS(nng_sendmsg(rep, m, 0));
	}
	NUTS_PASS(nng_pipe_close(p));
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xrep_close_during_recv(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(req, NNG_OPT_SENDBUF, 20));
	SP_MARRY(req, rep);

	for (unsigned i = 0; i < 100; i++) {
		int rv;
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, i | 0x80000000u));
		rv = nng_sendmsg(req, m, 0);
		if (rv == NNG_ETIMEDOUT) {
			nng_msg_free(m);
			break;
		}
		NUTS_PASS(rv);
	}
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xrep_recv_aio_stopped(void)
{
	nng_socket rep;
	nng_aio   *aio;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_stop(aio);
	nng_recv_aio(rep, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	SP_CLOSE(rep);
	nng_aio_free(aio);
}

static void
test_xrep_send_no_header(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;

	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_rep0_open_raw(&rep));
	set_timeouts(rep, 100, SP_SECOND);
	set_timeouts(req, 100, SP_SECOND);
	SP_MARRY(req, rep);

	// Without a pipe id to route by, the message is dropped: the send
	// still succeeds.
	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_FAIL(nng_recvmsg(req, &m, 0), NNG_ETIMEDOUT);
	// Unknown pipe id: dropped too.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x7ffffff0u));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x80000001u));
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_FAIL(nng_recvmsg(req, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xrep_recv_garbage(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(rep, 100, 100);
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(req, rep);

	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_msg_append_u32(m, 1u));
	NUTS_PASS(nng_sendmsg(req, m, 0));
	NUTS_FAIL(nng_recvmsg(rep, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

static void
test_xrep_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_rep0_open_raw(&s));
	check_ttl_option(s);
	SP_CLOSE(s);
}

static void
send_hops(nng_socket s, int hops, uint32_t id, const char *body)
{
	nng_msg *m;
	NUTS_PASS(nng_msg_alloc(&m, 0));
	for (int i = 1; i < hops; i++) {
		NUTS_PASS(nng_msg_append_u32(m, (uint32_t) i));
	}
	NUTS_PASS(nng_msg_append_u32(m, id));
	NUTS_PASS(nng_msg_append(m, body, strlen(body) + 1));
	NUTS_PASS(nng_sendmsg(s, m, 0));
}

static void
test_xrep_ttl_drop(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;

	NUTS_PASS(nng_rep0_open_raw(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_MAXTTL, 3));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(req, rep);

	// The receiving xrep adds a hop (the pipe id).
	send_hops(req, 2, 0x80000001u, "PASS1"); // 1 + 1 hop
	send_hops(req, 4, 0x80000002u, "FAIL2"); // 3 + 1: too many
	send_hops(req, 3, 0x80000003u, "PASS3"); // 2 + 1
	send_hops(req, 4, 0x80000003u, "FAIL4");

	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 12);
	NUTS_EQ(nng_msg_len(m), 6);
	NUTS_MATCH(nng_msg_body(m), "PASS1");
	nng_msg_free(m);
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 16);
	NUTS_EQ(nng_msg_len(m), 6);
	NUTS_MATCH(nng_msg_body(m), "PASS3");
	nng_msg_free(m);
	NUTS_FAIL(nng_recvmsg(rep, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// A cooked rep drops requests that went through too many hops as well.
static void
test_rep_ttl_drop(void)
{
	nng_socket rep;
	nng_socket req;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	NUTS_PASS(nng_socket_set_int(rep, NNG_OPT_MAXTTL, 3));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(req, rep);

	// A cooked rep holds one request per pipe until it is received (it
	// stops reading), so receive as we go.
	send_hops(req, 2, 0x80000001u, "PASS1");
	SP_RECV(rep, "PASS1");
	send_hops(req, 4, 0x80000002u, "FAIL2");
	send_hops(req, 3, 0x80000003u, "PASS3");
	SP_RECV(rep, "PASS3");
	send_hops(req, 4, 0x80000004u, "FAIL4");
	nng_msg *m;
	NUTS_FAIL(nng_recvmsg(rep, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// A cooked rep answers with the whole backtrace, so the reply finds its
// way back through the hops.
static void
test_rep_backtrace(void)
{
	nng_socket rep;
	nng_socket req;
	nng_msg   *m;
	uint32_t   v;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open_raw(&req));
	set_timeouts(rep, SP_SECOND, SP_SECOND);
	set_timeouts(req, SP_SECOND, SP_SECOND);
	SP_MARRY(req, rep);

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x11));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x22));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x80000033u));
	NUTS_PASS(nng_msg_append(m, "hop", 4));
	NUTS_PASS(nng_sendmsg(req, m, 0));
	SP_RECV(rep, "hop");
	SP_SEND(rep, "back");
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 12);
	NUTS_PASS(nng_msg_header_trim_u32(m, &v));
	NUTS_EQ(v, 0x11);
	NUTS_PASS(nng_msg_header_trim_u32(m, &v));
	NUTS_EQ(v, 0x22);
	NUTS_PASS(nng_msg_header_trim_u32(m, &v));
	NUTS_EQ(v, 0x80000033u);
	NUTS_MATCH(nng_msg_body(m), "back");
	nng_msg_free(m);

	SP_CLOSE(req);
	SP_CLOSE(rep);
}

NUTS_TESTS = {
	{ "req identity", test_req_identity },
	{ "req ttl option", test_req_ttl_option },
	{ "req resend option", test_req_resend_option },
	{ "req resend tick option", test_req_resend_tick_option },
	{ "req recv bad state", test_req_recv_bad_state },
	{ "req recv garbage", test_req_recv_garbage },
	{ "req rep exchange", test_req_rep_exchange },
	{ "req rep aio exchange", test_req_rep_aio_exchange },
	{ "req resend", test_req_resend },
	{ "req resend timing", test_req_resend_timing },
	{ "req resend disconnect", test_req_resend_disconnect },
	{ "req disconnect no retry", test_req_disconnect_no_retry },
	{ "req disconnect abort", test_req_disconnect_abort },
	{ "req resend reconnect", test_req_resend_reconnect },
	{ "req cancel", test_req_cancel },
	{ "req cancel abort recv", test_req_cancel_abort_recv },
	{ "req cancel post recv", test_req_cancel_post_recv },
	{ "req recv timeout", test_req_recv_timeout },
	{ "req send timeout", test_req_send_timeout },
	{ "req aio cancel", test_req_aio_cancel },
	{ "req close blocked recv", test_req_close_blocked_recv },
	{ "req close blocked send", test_req_close_blocked_send },
	{ "req closed socket", test_req_closed_socket },
	{ "req rep routing", test_req_rep_routing },
	{ "req context does not poll", test_req_ctx_no_poll },
	{ "req context send queued", test_req_ctx_send_queued },
	{ "req context send close", test_req_ctx_send_close },
	{ "req context send abort", test_req_ctx_send_abort },
	{ "req context send twice", test_req_ctx_send_twice },
	{ "req context send recv abort", test_req_ctx_send_recv_abort },
	{ "req context recv close socket", test_req_ctx_recv_close_socket },
	{ "req context recv nonblock", test_req_ctx_recv_nonblock },
	{ "req context send nonblock", test_req_ctx_send_nonblock },
	{ "rep identity", test_rep_identity },
	{ "rep ttl option", test_rep_ttl_option },
	{ "rep send bad state", test_rep_send_bad_state },
	{ "rep send twice bad state", test_rep_send_twice_bad_state },
	{ "rep context does not poll", test_rep_ctx_no_poll },
	{ "rep double recv", test_rep_double_recv },
	{ "rep huge send", test_rep_huge_send },
	{ "rep send nonblock", test_rep_send_nonblock },
	{ "rep close pipe before send", test_rep_close_pipe_before_send },
	{ "rep close pipe during send", test_rep_close_pipe_during_send },
	{ "rep recv aio ctx stopped", test_rep_ctx_recv_aio_stopped },
	{ "rep close pipe context send", test_rep_close_pipe_context_send },
	{ "rep close context send", test_rep_close_context_send },
	{ "rep close recv", test_rep_close_recv },
	{ "rep close recv cb", test_rep_close_recv_cb },
	{ "rep context send nonblock", test_rep_ctx_send_nonblock },
	{ "rep context send nonblock 2", test_rep_ctx_send_nonblock2 },
	{ "rep context recv nonblock", test_rep_ctx_recv_nonblock },
	{ "rep recv garbage", test_rep_recv_garbage },
	{ "rep close blocked recv", test_rep_close_blocked_recv },
	{ "rep ttl drop", test_rep_ttl_drop },
	{ "rep backtrace", test_rep_backtrace },
	{ "xreq identity", test_xreq_identity },
	{ "xreq no context", test_xreq_no_context },
	{ "xreq recv aio stopped", test_xreq_recv_aio_stopped },
	{ "xreq recv garbage", test_xreq_recv_garbage },
	{ "xreq recv header", test_xreq_recv_header },
	{ "xreq send header", test_xreq_send_header },
	{ "xreq close during recv", test_xreq_close_during_recv },
	{ "xreq close pipe during send", test_xreq_close_pipe_during_send },
	{ "xreq ttl option", test_xreq_ttl_option },
	{ "xrep identity", test_xrep_identity },
	{ "xrep no context", test_xrep_no_context },
	{ "xrep close pipe before send", test_xrep_close_pipe_before_send },
	{ "xrep close pipe during send", test_xrep_close_pipe_during_send },
	{ "xrep close during recv", test_xrep_close_during_recv },
	{ "xrep recv aio stopped", test_xrep_recv_aio_stopped },
	{ "xrep send no header", test_xrep_send_no_header },
	{ "xrep recv garbage", test_xrep_recv_garbage },
	{ "xrep ttl option", test_xrep_ttl_option },
	{ "xrep ttl drop", test_xrep_ttl_drop },
	{ NULL, NULL },
};
