// surveyor0 / respondent0 (cooked and raw) end to end over inproc, from C.
// The behaviours follow upstream nng v1.12.0's survey_test.c,
// respond_test.c, xsurvey_test.c and xrespond_test.c; no sleeps are used
// to synchronise.
//
// nng-ctest: memcheck

#include "nuts.h"
#include "sphelp.h"

// ---------------------------------------------------------------------------
// surveyor (cooked)

static void
test_surv_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_surveyor0_open(&s));
	check_identity(s, NNG_SURVEYOR0_SELF, NNG_SURVEYOR0_PEER,
	    NNG_SURVEYOR0_SELF_NAME, NNG_SURVEYOR0_PEER_NAME, false);
	NUTS_EQ(NNG_SURVEYOR0_SELF, 0x62);
	NUTS_EQ(NNG_SURVEYOR0_PEER, 0x63);
	SP_CLOSE(s);
}

static void
test_surv_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_surveyor0_open(&s));
	check_ttl_option(s);
	SP_CLOSE(s);
}

static void
test_surv_survey_time_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_surveyor0_open(&s));
	check_ms_option(s, NNG_OPT_SURVEYOR_SURVEYTIME, SP_SECOND);
	SP_CLOSE(s);
}

static void
test_surv_recv_bad_state(void)
{
	nng_socket surv;
	nng_msg   *msg = NULL;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_FAIL(nng_recvmsg(surv, &msg, 0), NNG_ESTATE);
	NUTS_NULL(msg);
	SP_CLOSE(surv);
}

static void
test_surv_recv_garbage(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;
	uint32_t   surv_id;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open(&surv));
	set_timeouts(surv, 100, SP_SECOND);
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	SP_MARRY(surv, resp);

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_sendmsg(surv, m, 0));
	NUTS_PASS(nng_recvmsg(resp, &m, 0));
	// Header: pipe id, then the survey id (bit 31 set).
	NUTS_EQ(nng_msg_header_len(m), 8);
	NUTS_PASS(nng_msg_header_chop_u32(m, &surv_id));
	NUTS_TRUE((surv_id & 0x80000000u) != 0);
	NUTS_PASS(nng_sendmsg(resp, m, 0));
	NUTS_FAIL(nng_recvmsg(surv, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_surv_resp_exchange(void)
{
	nng_socket surv;
	nng_socket resp;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	set_timeouts(surv, SP_SECOND, SP_SECOND);
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	SP_MARRY(resp, surv);

	for (int i = 0; i < 5; i++) {
		SP_SEND(surv, "ping");
		SP_RECV(resp, "ping");
		SP_SEND(resp, "pong");
		SP_RECV(surv, "pong");
	}

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

// One survey reaches every respondent; every answer comes back.
static void
test_surv_many_respondents(void)
{
	nng_socket surv;
	nng_socket resp[3];
	int        seen = 0;

	NUTS_PASS(nng_surveyor0_open(&surv));
	set_timeouts(surv, SP_SECOND, SP_SECOND);
	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_respondent0_open(&resp[i]));
		set_timeouts(resp[i], SP_SECOND, SP_SECOND);
		SP_MARRY(surv, resp[i]);
	}
	SP_SEND(surv, "who");
	for (int i = 0; i < 3; i++) {
		char name[2] = { (char) ('a' + i), 0 };
		SP_RECV(resp[i], "who");
		SP_SEND(resp[i], name);
	}
	for (int i = 0; i < 3; i++) {
		char   buf[8];
		size_t sz = sizeof(buf);
		NUTS_PASS(nng_recv(surv, buf, &sz, 0));
		NUTS_EQ(sz, 2);
		NUTS_TRUE(buf[0] >= 'a' && buf[0] <= 'c');
		seen |= 1 << (buf[0] - 'a');
	}
	NUTS_EQ(seen, 7);
	for (int i = 0; i < 3; i++) {
		SP_CLOSE(resp[i]);
	}
	SP_CLOSE(surv);
}

// A new survey cancels the old one: late answers to it are dropped.
static void
test_surv_cancel(void)
{
	nng_socket surv;
	nng_socket resp;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_surveyor0_open(&surv));
	set_timeouts(surv, SP_SECOND, 5 * SP_SECOND);
	set_timeouts(resp, SP_SECOND, 5 * SP_SECOND);
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_SENDBUF, 16));
	SP_MARRY(resp, surv);

	SP_SEND(surv, "abc");
	SP_RECV(resp, "abc");
	SP_SEND(surv, "def");
	SP_SEND(resp, "abc"); // answer to the old survey: dropped
	SP_RECV(resp, "def");
	SP_SEND(resp, "def");
	SP_RECV(surv, "def");

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_surv_cancel_abort_recv(void)
{
	nng_aio   *aio;
	nng_socket surv;
	nng_socket resp;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_socket_set_ms(
	    surv, NNG_OPT_SURVEYOR_SURVEYTIME, 10 * SP_SECOND));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_SENDBUF, 16));
	set_timeouts(surv, 5 * SP_SECOND, 5 * SP_SECOND);
	set_timeouts(resp, 5 * SP_SECOND, 5 * SP_SECOND);
	SP_MARRY(resp, surv);

	SP_SEND(surv, "abc");
	SP_RECV(resp, "abc");
	nng_aio_set_timeout(aio, 5 * SP_SECOND);
	nng_recv_aio(surv, aio);
	// The next survey cancels the pending receive of the old one.
	SP_SEND(surv, "def");
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);

	SP_SEND(resp, "abc");
	SP_RECV(resp, "def");
	SP_SEND(resp, "def");
	SP_RECV(surv, "def");

	nng_aio_free(aio);
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_surv_cancel_post_recv(void)
{
	nng_socket surv;
	nng_socket resp;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	set_timeouts(surv, SP_SECOND, SP_SECOND);
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	SP_MARRY(surv, resp);

	SP_SEND(surv, "ONE");
	SP_RECV(resp, "ONE");
	SP_SEND(resp, "one");
	SP_SEND(surv, "TWO"); // "one", received or not, is now stale
	SP_RECV(resp, "TWO");
	SP_SEND(resp, "two");
	SP_RECV(surv, "two");

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

// The survey ends after the survey time: receives time out, and once it
// is over a late answer is not delivered (NNG_ESTATE: no survey).
static void
test_surv_survey_timeout(void)
{
	nng_socket surv;
	nng_socket resp;
	char       buf[16];
	size_t     sz;
	nng_time   t0;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SURVEYOR_SURVEYTIME, 50));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_RECVTIMEO, SP_SECOND));
	SP_MARRY(surv, resp);

	t0 = nng_clock();
	SP_SEND(surv, "hello");
	SP_RECV(resp, "hello");
	sz = sizeof(buf);
	// Ends with the survey (50 ms), well before the receive timeout.
	NUTS_FAIL(nng_recv(surv, buf, &sz, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);
	NUTS_TRUE(nng_clock() - t0 < 900);
	SP_SEND(resp, "world");
	NUTS_FAIL(nng_recv(surv, buf, &sz, 0), NNG_ESTATE);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

// Answers that arrive within the survey time are all kept.
static void
test_surv_answers_queue(void)
{
	nng_socket surv;
	nng_socket resp1;
	nng_socket resp2;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp1));
	NUTS_PASS(nng_respondent0_open(&resp2));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SURVEYOR_SURVEYTIME, 5000));
	set_timeouts(surv, SP_SECOND, SP_SECOND);
	set_timeouts(resp1, SP_SECOND, SP_SECOND);
	set_timeouts(resp2, SP_SECOND, SP_SECOND);
	SP_MARRY(surv, resp1);
	SP_MARRY(surv, resp2);

	SP_SEND(surv, "q");
	SP_RECV(resp1, "q");
	SP_RECV(resp2, "q");
	SP_SEND(resp1, "a1");
	SP_SEND(resp2, "a2");
	char   buf[8];
	size_t sz;
	int    got = 0;
	for (int i = 0; i < 2; i++) {
		sz = sizeof(buf);
		NUTS_PASS(nng_recv(surv, buf, &sz, 0));
		NUTS_EQ(sz, 3);
		got += buf[1] - '0';
	}
	NUTS_EQ(got, 3);
	// No more answers: the receive waits for the survey (or our timeout).
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_RECVTIMEO, 50));
	sz = sizeof(buf);
	NUTS_FAIL(nng_recv(surv, buf, &sz, 0), NNG_ETIMEDOUT);

	SP_CLOSE(surv);
	SP_CLOSE(resp1);
	SP_CLOSE(resp2);
}

static void
test_surv_ctx_no_poll(void)
{
	int        fd;
	nng_socket surv;
	nng_ctx    ctx;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_ctx_open(&ctx, surv));
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(ctx));
	SP_CLOSE(surv);
}

static void
test_surv_ctx_recv_nonblock(void)
{
	nng_socket surv;
	nng_socket resp;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_ctx_open(&ctx, surv));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	SP_MARRY(surv, resp);

	nng_aio_set_msg(aio, msg);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	nng_aio_set_timeout(aio, 0);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	SP_CLOSE(surv);
	SP_CLOSE(resp);
	nng_aio_free(aio);
}

static void
test_surv_ctx_send_nonblock(void)
{
	nng_socket surv;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_ctx_open(&ctx, surv));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	nng_aio_set_msg(aio, msg);
	nng_aio_set_timeout(aio, 0);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio)); // a surveyor never blocks
	SP_CLOSE(surv);
	nng_aio_free(aio);
}

static void
test_surv_ctx_send_recv_msg(void)
{
	nng_socket surv;
	nng_socket resp;
	nng_ctx    ctx1;
	nng_ctx    ctx2;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_ctx_open(&ctx1, surv));
	NUTS_PASS(nng_ctx_open(&ctx2, resp));
	NUTS_PASS(nng_ctx_set_ms(ctx1, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_ctx_set_ms(ctx2, NNG_OPT_RECVTIMEO, SP_SECOND));
	SP_MARRY(surv, resp);

	NUTS_PASS(sp_ctx_send(ctx1, "hello"));
	NUTS_PASS(sp_ctx_recv(ctx2, "hello"));
	NUTS_PASS(sp_ctx_send(ctx2, "there"));
	NUTS_PASS(sp_ctx_recv(ctx1, "there"));
	NUTS_PASS(nng_ctx_close(ctx1));
	NUTS_PASS(nng_ctx_close(ctx2));
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_surv_send_best_effort(void)
{
	nng_socket surv;
	nng_socket resp;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(surv, resp);
	// Nobody reads: sends never block, extra surveys are dropped.
	for (int i = 0; i < 200; i++) {
		SP_SEND(surv, "junk");
	}
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_surv_ctx_recv_close_socket(void)
{
	nng_socket surv;
	nng_socket resp;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_ctx_open(&ctx, surv));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	SP_MARRY(surv, resp);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	nng_aio_set_msg(aio, m);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));

	nng_ctx_recv(ctx, aio);
	SP_CLOSE(surv);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
	SP_CLOSE(resp);
}

// Surveys on several contexts run side by side; each context gets the
// answers to its own survey.
static void
test_surv_context_multi(void)
{
	nng_socket surv;
	nng_socket resp;
	nng_ctx    c[5];
	nng_aio   *aio;
	nng_msg   *m;
	int        cnt = sizeof(c) / sizeof(c[0]);

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	SP_MARRY(surv, resp);
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SURVEYOR_SURVEYTIME, 200));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	for (int i = 0; i < cnt; i++) {
		NUTS_PASS(nng_ctx_open(&c[i], surv));
	}
	for (int i = 0; i < cnt; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 0));
		NUTS_PASS(nng_msg_append_u32(m, (uint32_t) i));
		nng_aio_set_msg(aio, m);
		nng_ctx_send(c[i], aio);
		nng_aio_wait(aio);
		NUTS_PASS(nng_aio_result(aio));
	}
	for (int i = 0; i < cnt; i++) {
		NUTS_PASS(nng_recvmsg(resp, &m, 0));
		NUTS_PASS(nng_sendmsg(resp, m, 0));
	}
	for (int i = cnt - 1; i >= 0; i--) {
		uint32_t x;
		nng_ctx_recv(c[i], aio);
		nng_aio_wait(aio);
		NUTS_PASS(nng_aio_result(aio));
		m = nng_aio_get_msg(aio);
		NUTS_TRUE(m != NULL);
		NUTS_PASS(nng_msg_trim_u32(m, &x));
		NUTS_EQ(x, (uint32_t) i);
		nng_msg_free(m);
	}
	// Nothing more for any of them: each survey ends (time out).
	for (int i = 0; i < cnt; i++) {
		nng_ctx_recv(c[i], aio);
		nng_aio_wait(aio);
		NUTS_TRUE(nng_aio_result(aio) != 0);
	}
	for (int i = 0; i < cnt; i++) {
		NUTS_PASS(nng_ctx_close(c[i]));
	}
	SP_CLOSE(surv);
	SP_CLOSE(resp);
	nng_aio_free(aio);
}

// The survey time is a context option too.
static void
test_surv_ctx_survey_time(void)
{
	nng_socket   surv;
	nng_socket   resp;
	nng_ctx      ctx;
	nng_duration d;
	nng_aio     *aio;
	nng_msg     *m;
	nng_time     t0;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_socket_set_ms(
	    surv, NNG_OPT_SURVEYOR_SURVEYTIME, 10 * SP_SECOND));
	NUTS_PASS(nng_ctx_open(&ctx, surv));
	// A new context starts with the socket's value.
	NUTS_PASS(nng_ctx_get_ms(ctx, NNG_OPT_SURVEYOR_SURVEYTIME, &d));
	NUTS_EQ(d, 10 * SP_SECOND);
	NUTS_PASS(nng_ctx_set_ms(ctx, NNG_OPT_SURVEYOR_SURVEYTIME, 50));
	NUTS_PASS(nng_ctx_get_ms(ctx, NNG_OPT_SURVEYOR_SURVEYTIME, &d));
	NUTS_EQ(d, 50);
	NUTS_PASS(nng_socket_get_ms(surv, NNG_OPT_SURVEYOR_SURVEYTIME, &d));
	NUTS_EQ(d, 10 * SP_SECOND);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	SP_MARRY(surv, resp);

	NUTS_PASS(nng_msg_alloc(&m, 0));
	nng_aio_set_msg(aio, m);
	t0 = nng_clock();
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	nng_aio_set_timeout(aio, 5 * SP_SECOND);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);
	NUTS_TRUE(nng_clock() - t0 < 2 * SP_SECOND);

	nng_aio_free(aio);
	NUTS_PASS(nng_ctx_close(ctx));
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_surv_close_blocked_recv(void)
{
	nng_socket surv;
	nng_socket resp;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_socket_set_ms(
	    surv, NNG_OPT_SURVEYOR_SURVEYTIME, 60 * SP_SECOND));
	SP_MARRY(surv, resp);
	SP_SEND(surv, "anyone?");
	NUTS_FAIL(sp_close_while_blocked(surv, sp_blocked_recv), NNG_ECLOSED);
	SP_CLOSE(resp);
}

static void
test_surv_aio_cancel(void)
{
	nng_socket surv;
	nng_aio   *aio;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	SP_SEND(surv, "q"); // no peers: still a survey
	nng_recv_aio(surv, aio);
	nng_aio_cancel(aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	nng_aio_free(aio);
	SP_CLOSE(surv);
}

// ---------------------------------------------------------------------------
// respondent (cooked)

static void
test_resp_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_respondent0_open(&s));
	check_identity(s, NNG_RESPONDENT0_SELF, NNG_RESPONDENT0_PEER,
	    NNG_RESPONDENT0_SELF_NAME, NNG_RESPONDENT0_PEER_NAME, false);
	NUTS_EQ(NNG_RESPONDENT0_SELF, 0x63);
	NUTS_EQ(NNG_RESPONDENT0_PEER, 0x62);
	SP_CLOSE(s);
}

static void
test_resp_send_bad_state(void)
{
	nng_socket resp;
	nng_msg   *msg = NULL;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(resp, msg, 0), NNG_ESTATE);
	nng_msg_free(msg);
	SP_CLOSE(resp);
}

static void
test_resp_ctx_no_poll(void)
{
	int        fd;
	nng_socket resp;
	nng_ctx    ctx;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_ctx_open(&ctx, resp));
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(ctx));
	SP_CLOSE(resp);
}

static void
test_resp_double_recv(void)
{
	nng_socket s1;
	nng_aio   *aio1;
	nng_aio   *aio2;

	NUTS_PASS(nng_respondent0_open(&s1));
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
test_resp_close_pipe_before_send(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_pipe   p;
	nng_aio   *aio1;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_surveyor0_open(&surv));
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_aio_alloc(&aio1, NULL, NULL));
	SP_MARRY(surv, resp);
	SP_SEND(surv, "test");

	nng_recv_aio(resp, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	NUTS_TRUE((m = nng_aio_get_msg(aio1)) != NULL);
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_close(p));
	NUTS_PASS(nng_sendmsg(resp, m, 0));

	SP_CLOSE(surv);
	SP_CLOSE(resp);
	nng_aio_free(aio1);
}

static void
test_resp_close_pipe_during_send(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_pipe   p = NNG_PIPE_INITIALIZER;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_SENDTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_RECVBUF, 20));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_RECVBUF, 1));
	SP_MARRY(surv, resp);

	for (int i = 0; i < 100; i++) {
		int rv;
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_append_u32(m, (unsigned) i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(surv, m, 0));
		NUTS_PASS(nng_recvmsg(resp, &m, 0));
		p  = nng_msg_get_pipe(m);
		rv = nng_sendmsg(resp, m, 0);
		if (rv == NNG_ETIMEDOUT) {
			nng_msg_free(m);
			break;
		}
		NUTS_PASS(rv);
	}
	NUTS_PASS(nng_pipe_close(p));
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_resp_ctx_recv_aio_stopped(void)
{
	nng_socket resp;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_ctx_open(&ctx, resp));
	nng_aio_stop(aio);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_PASS(nng_ctx_close(ctx));
	SP_CLOSE(resp);
	nng_aio_free(aio);
}

static void
resp_close_ctx_send(bool close_pipe)
{
	nng_socket resp;
	nng_socket surv;
	nng_pipe   p = NNG_PIPE_INITIALIZER;
	nng_msg   *m;
	nng_ctx    ctx[10];
	nng_aio   *aio[10];
	int        i;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_RECVBUF, 1));
	for (i = 0; i < 10; i++) {
		NUTS_PASS(nng_ctx_open(&ctx[i], resp));
		NUTS_PASS(nng_aio_alloc(&aio[i], NULL, NULL));
	}
	SP_MARRY(surv, resp);

	for (i = 0; i < 10; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_append_u32(m, (unsigned) i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(surv, m, 0));
		nng_ctx_recv(ctx[i], aio[i]);
	}
	for (i = 0; i < 10; i++) {
		nng_aio_wait(aio[i]);
		NUTS_PASS(nng_aio_result(aio[i]));
		NUTS_TRUE((m = nng_aio_get_msg(aio[i])) != NULL);
		p = nng_msg_get_pipe(m);
		nng_aio_set_msg(aio[i], m);
		nng_ctx_send(ctx[i], aio[i]);
	}
	// The raw surveyor never reads the answers.
	if (close_pipe) {
		NUTS_PASS(nng_pipe_close(p));
	}
	for (i = 0; i < 10; i++) {
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
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_resp_close_pipe_context_send(void)
{
	resp_close_ctx_send(true);
}

static void
test_resp_close_context_send(void)
{
	resp_close_ctx_send(false);
}

static void
test_resp_ctx_recv_nonblock(void)
{
	nng_socket resp;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_ctx_open(&ctx, resp));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 0);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	SP_CLOSE(resp);
	nng_aio_free(aio);
}

// Unlike rep, a zero-timeout send on a respondent context fails even with
// an idle pipe (upstream schedules the aio before trying the pipe).
static void
test_resp_ctx_send_nonblock(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_ctx    ctx;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_surveyor0_open(&surv));
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_ctx_open(&ctx, resp));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	SP_MARRY(surv, resp);

	SP_SEND(surv, "SEND");
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	msg = nng_aio_get_msg(aio);
	nng_aio_set_msg(aio, msg);
	nng_aio_set_timeout(aio, 0);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_aio_get_msg(aio) == msg);
	SP_CLOSE(surv);
	SP_CLOSE(resp);
	nng_aio_free(aio);
	nng_msg_free(msg);
}

static void
test_resp_recv_garbage(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	set_timeouts(resp, 200, 200);
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(surv, resp);

	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_msg_append_u32(m, 1u));
	NUTS_PASS(nng_sendmsg(surv, m, 0));
	NUTS_FAIL(nng_recvmsg(resp, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_resp_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_respondent0_open(&s));
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
test_resp_ttl_drop(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_MAXTTL, 3));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_RECVTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(surv, resp);

	// The surveyor never blocks, but the inproc pipe holds one message
	// and a cooked respondent holds one: receive as we go.
	send_hops(surv, 2, 0x80000001u, "PASS1");
	SP_RECV(resp, "PASS1");
	send_hops(surv, 4, 0x80000002u, "FAIL2");
	send_hops(surv, 3, 0x80000003u, "PASS3");
	SP_RECV(resp, "PASS3");
	send_hops(surv, 4, 0x80000004u, "FAIL4");
	NUTS_FAIL(nng_recvmsg(resp, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(resp);
	SP_CLOSE(surv);
}

static void
test_resp_close_blocked_recv(void)
{
	nng_socket resp;
	NUTS_PASS(nng_respondent0_open(&resp));
	NUTS_FAIL(sp_close_while_blocked(resp, sp_blocked_recv), NNG_ECLOSED);
}

// ---------------------------------------------------------------------------
// xsurveyor (raw)

static void
test_xsurv_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_surveyor0_open_raw(&s));
	check_identity(s, NNG_SURVEYOR0_SELF, NNG_SURVEYOR0_PEER,
	    NNG_SURVEYOR0_SELF_NAME, NNG_SURVEYOR0_PEER_NAME, true);
	SP_CLOSE(s);
}

static void
test_xsurv_no_context(void)
{
	nng_socket   s;
	nng_ctx      ctx;
	nng_duration d;
	NUTS_PASS(nng_surveyor0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_ms(s, NNG_OPT_SURVEYOR_SURVEYTIME, &d),
	    NNG_ENOTSUP);
	SP_CLOSE(s);
}

static void
test_xsurv_recv_aio_stopped(void)
{
	nng_socket surv;
	nng_aio   *aio;

	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_stop(aio);
	nng_recv_aio(surv, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	SP_CLOSE(surv);
	nng_aio_free(aio);
}

static void
test_xsurv_recv_garbage(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;
	uint32_t   req_id;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	set_timeouts(surv, 100, SP_SECOND);
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	SP_MARRY(surv, resp);

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_append_u32(m, 0x80000000));
	NUTS_PASS(nng_sendmsg(surv, m, 0));
	NUTS_PASS(nng_recvmsg(resp, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 8);
	NUTS_PASS(nng_msg_header_chop_u32(m, &req_id));
	NUTS_EQ(req_id, 0x80000000u);
	NUTS_PASS(nng_sendmsg(resp, m, 0));
	NUTS_FAIL(nng_recvmsg(surv, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xsurv_recv_header(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;
	nng_pipe   p;
	uint32_t   id;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	set_timeouts(surv, SP_SECOND, SP_SECOND);
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	NUTS_PASS(sp_marry(surv, resp, NULL, &p));

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_header_append_u32(m, nng_pipe_id(p)));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x2));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x1));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x80000123u));
	NUTS_PASS(nng_sendmsg(resp, m, 0));

	NUTS_PASS(nng_recvmsg(surv, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 12);
	NUTS_PASS(nng_msg_header_trim_u32(m, &id));
	NUTS_EQ(id, 0x2);
	NUTS_PASS(nng_msg_header_trim_u32(m, &id));
	NUTS_EQ(id, 0x1);
	NUTS_PASS(nng_msg_header_trim_u32(m, &id));
	NUTS_EQ(id, 0x80000123u);
	nng_msg_free(m);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xsurv_close_during_recv(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;
	nng_pipe   p1;
	nng_pipe   p2;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(sp_marry(surv, resp, &p1, &p2));
	NUTS_TRUE(nng_pipe_id(p1) > 0);
	NUTS_TRUE(nng_pipe_id(p2) > 0);

	for (unsigned i = 0; i < 20; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, nng_pipe_id(p2)));
		NUTS_PASS(nng_msg_header_append_u32(m, i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(resp, m, 0));
	}
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xsurv_close_pipe_during_send(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;
	nng_pipe   p1;
	nng_pipe   p2;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(sp_marry(surv, resp, &p1, &p2));

	for (unsigned i = 0; i < 20; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, i | 0x80000000u));
		NUTS_PASS(nng_sendmsg(surv, m, 0));
	}
	NUTS_PASS(nng_pipe_close(p1));
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xsurv_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_surveyor0_open_raw(&s));
	check_ttl_option(s);
	SP_CLOSE(s);
}

static void
test_xsurv_broadcast(void)
{
	nng_socket resp1;
	nng_socket resp2;
	nng_socket surv;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open(&resp1));
	NUTS_PASS(nng_respondent0_open(&resp2));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_ms(resp1, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(resp2, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, 100));
	SP_MARRY(surv, resp1);
	SP_MARRY(surv, resp2);

	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_header_append_u32(m, 0x80000002u));
	NUTS_PASS(nng_msg_append(m, "hello", 6));
	NUTS_PASS(nng_sendmsg(surv, m, 0));
	SP_RECV(resp1, "hello");
	SP_RECV(resp2, "hello");

	SP_CLOSE(surv);
	SP_CLOSE(resp1);
	SP_CLOSE(resp2);
}

// ---------------------------------------------------------------------------
// xrespondent (raw)

static void
test_xresp_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_respondent0_open_raw(&s));
	check_identity(s, NNG_RESPONDENT0_SELF, NNG_RESPONDENT0_PEER,
	    NNG_RESPONDENT0_SELF_NAME, NNG_RESPONDENT0_PEER_NAME, true);
	SP_CLOSE(s);
}

static void
test_xresp_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;
	NUTS_PASS(nng_respondent0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	SP_CLOSE(s);
}

static void
test_xresp_close_pipe_before_send(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_pipe   p;
	nng_aio   *aio1;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open(&surv));
	set_timeouts(resp, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_aio_alloc(&aio1, NULL, NULL));
	SP_MARRY(surv, resp);
	SP_SEND(surv, "test");

	nng_recv_aio(resp, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	NUTS_TRUE((m = nng_aio_get_msg(aio1)) != NULL);
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_close(p));
	NUTS_PASS(nng_sendmsg(resp, m, 0));

	SP_CLOSE(surv);
	SP_CLOSE(resp);
	nng_aio_free(aio1);
}

static void
test_xresp_close_pipe_during_send(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_pipe   p;
	nng_msg   *m;

	NUTS_PASS(nng_respondent_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_SENDTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_RECVBUF, 20));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_SENDBUF, 20));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_RECVBUF, 1));
	SP_MARRY(surv, resp);

	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_msg_append_u32(m, (unsigned) 0x81000000u));
	NUTS_PASS(nng_sendmsg(surv, m, 0));
	NUTS_PASS(nng_recvmsg(resp, &m, 0));
	p = nng_msg_get_pipe(m);
	nng_msg_free(m);

	for (int i = 0; i < 100; i++) {
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, nng_pipe_id(p)));
		NUTS_PASS(
		    nng_msg_header_append_u32(m, (unsigned) i | 0x80000000u));
		// No back-pressure: dropped instead.
		NUTS_PASS(nng_sendmsg(resp, m, 0));
	}
	NUTS_PASS(nng_pipe_close(p));
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xresp_close_during_recv(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(surv, NNG_OPT_SENDBUF, 20));
	SP_MARRY(surv, resp);

	for (unsigned i = 0; i < 100; i++) {
		int rv;
		NUTS_PASS(nng_msg_alloc(&m, 4));
		NUTS_PASS(nng_msg_header_append_u32(m, i | 0x80000000u));
		rv = nng_sendmsg(surv, m, 0);
		if (rv == NNG_ETIMEDOUT) {
			nng_msg_free(m);
			break;
		}
		NUTS_PASS(rv);
	}
	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xresp_recv_aio_stopped(void)
{
	nng_socket resp;
	nng_aio   *aio;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_stop(aio);
	nng_recv_aio(resp, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	SP_CLOSE(resp);
	nng_aio_free(aio);
}

static void
test_xresp_send_no_header(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;

	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_respondent0_open_raw(&resp));
	set_timeouts(resp, 100, SP_SECOND);
	set_timeouts(surv, 100, SP_SECOND);
	SP_MARRY(surv, resp);

	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_sendmsg(resp, m, 0));
	NUTS_FAIL(nng_recvmsg(surv, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xresp_recv_garbage(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	set_timeouts(resp, 100, 100);
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(surv, resp);

	NUTS_PASS(nng_msg_alloc(&m, 4));
	NUTS_PASS(nng_msg_append_u32(m, 1u));
	NUTS_PASS(nng_sendmsg(surv, m, 0));
	NUTS_FAIL(nng_recvmsg(resp, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

static void
test_xresp_ttl_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_respondent0_open_raw(&s));
	check_ttl_option(s);
	SP_CLOSE(s);
}

static void
test_xresp_ttl_drop(void)
{
	nng_socket resp;
	nng_socket surv;
	nng_msg   *m;

	NUTS_PASS(nng_respondent0_open_raw(&resp));
	NUTS_PASS(nng_surveyor0_open_raw(&surv));
	NUTS_PASS(nng_socket_set_int(resp, NNG_OPT_MAXTTL, 3));
	NUTS_PASS(nng_socket_set_ms(resp, NNG_OPT_RECVTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SENDTIMEO, SP_SECOND));
	SP_MARRY(surv, resp);

	send_hops(surv, 2, 0x80000001u, "PASS1");
	send_hops(surv, 4, 0x80000002u, "FAIL2");
	send_hops(surv, 3, 0x80000003u, "PASS3");
	send_hops(surv, 4, 0x80000003u, "FAIL4");

	NUTS_PASS(nng_recvmsg(resp, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 12);
	NUTS_EQ(nng_msg_len(m), 6);
	NUTS_MATCH(nng_msg_body(m), "PASS1");
	nng_msg_free(m);
	NUTS_PASS(nng_recvmsg(resp, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 16);
	NUTS_EQ(nng_msg_len(m), 6);
	NUTS_MATCH(nng_msg_body(m), "PASS3");
	nng_msg_free(m);
	NUTS_FAIL(nng_recvmsg(resp, &m, 0), NNG_ETIMEDOUT);

	SP_CLOSE(surv);
	SP_CLOSE(resp);
}

NUTS_TESTS = {
	{ "survey identity", test_surv_identity },
	{ "survey ttl option", test_surv_ttl_option },
	{ "survey survey time option", test_surv_survey_time_option },
	{ "survey recv bad state", test_surv_recv_bad_state },
	{ "survey recv garbage", test_surv_recv_garbage },
	{ "survey respondent exchange", test_surv_resp_exchange },
	{ "survey many respondents", test_surv_many_respondents },
	{ "survey cancel", test_surv_cancel },
	{ "survey cancel abort recv", test_surv_cancel_abort_recv },
	{ "survey cancel post recv", test_surv_cancel_post_recv },
	{ "survey timeout", test_surv_survey_timeout },
	{ "survey answers queue", test_surv_answers_queue },
	{ "survey context does not poll", test_surv_ctx_no_poll },
	{ "survey context recv close socket",
	    test_surv_ctx_recv_close_socket },
	{ "survey context recv nonblock", test_surv_ctx_recv_nonblock },
	{ "survey context send nonblock", test_surv_ctx_send_nonblock },
	{ "survey context send recv msg", test_surv_ctx_send_recv_msg },
	{ "survey send best effort", test_surv_send_best_effort },
	{ "survey context multi", test_surv_context_multi },
	{ "survey context survey time", test_surv_ctx_survey_time },
	{ "survey close blocked recv", test_surv_close_blocked_recv },
	{ "survey aio cancel", test_surv_aio_cancel },
	{ "respond identity", test_resp_identity },
	{ "respond send bad state", test_resp_send_bad_state },
	{ "respond context does not poll", test_resp_ctx_no_poll },
	{ "respond double recv", test_resp_double_recv },
	{ "respond close pipe before send", test_resp_close_pipe_before_send },
	{ "respond close pipe during send", test_resp_close_pipe_during_send },
	{ "respond recv aio ctx stopped", test_resp_ctx_recv_aio_stopped },
	{ "respond close pipe context send",
	    test_resp_close_pipe_context_send },
	{ "respond close context send", test_resp_close_context_send },
	{ "respond context send nonblock", test_resp_ctx_send_nonblock },
	{ "respond context recv nonblock", test_resp_ctx_recv_nonblock },
	{ "respond recv garbage", test_resp_recv_garbage },
	{ "respond ttl option", test_resp_ttl_option },
	{ "respond ttl drop", test_resp_ttl_drop },
	{ "respond close blocked recv", test_resp_close_blocked_recv },
	{ "xsurvey identity", test_xsurv_identity },
	{ "xsurvey no context", test_xsurv_no_context },
	{ "xsurvey recv aio stopped", test_xsurv_recv_aio_stopped },
	{ "xsurvey recv garbage", test_xsurv_recv_garbage },
	{ "xsurvey recv header", test_xsurv_recv_header },
	{ "xsurvey close during recv", test_xsurv_close_during_recv },
	{ "xsurvey close pipe during send", test_xsurv_close_pipe_during_send },
	{ "xsurvey ttl option", test_xsurv_ttl_option },
	{ "xsurvey broadcast", test_xsurv_broadcast },
	{ "xrespond identity", test_xresp_identity },
	{ "xrespond no context", test_xresp_no_context },
	{ "xrespond close pipe before send",
	    test_xresp_close_pipe_before_send },
	{ "xrespond close pipe during send",
	    test_xresp_close_pipe_during_send },
	{ "xrespond close during recv", test_xresp_close_during_recv },
	{ "xrespond recv aio stopped", test_xresp_recv_aio_stopped },
	{ "xrespond send no header", test_xresp_send_no_header },
	{ "xrespond recv garbage", test_xresp_recv_garbage },
	{ "xrespond ttl option", test_xresp_ttl_option },
	{ "xrespond ttl drop", test_xresp_ttl_drop },
	{ NULL, NULL },
};
