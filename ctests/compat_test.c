// The nanomsg compatibility API (<nng/compat/nanomsg/nn.h>) end to end,
// over inproc and tcp: errors, message buffers, control messages, sockets
// of every protocol (cooked and raw), endpoints, zero-copy NN_MSG
// transfers, SP headers on raw sockets, options, nn_poll, nn_device and
// nn_term (behaviour of upstream's src/compat/nanomsg/nn.c and its
// compat_*.c tests). Connections are awaited through the nng pipe
// notifications of the same socket ids: socket numbers are nng sockets.
//
// nng-ctest: memcheck abi-1.5.2

#include <errno.h>
#include <string.h>

#include <nng/compat/nanomsg/bus.h>
#include <nng/compat/nanomsg/inproc.h>
#include <nng/compat/nanomsg/ipc.h>
#include <nng/compat/nanomsg/nn.h>
#include <nng/compat/nanomsg/pair.h>
#include <nng/compat/nanomsg/pipeline.h>
#include <nng/compat/nanomsg/pubsub.h>
#include <nng/compat/nanomsg/reqrep.h>
#include <nng/compat/nanomsg/survey.h>
#include <nng/compat/nanomsg/tcp.h>
#include <nng/compat/nanomsg/ws.h>

// Only the pipe watch of the shared helpers is used here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "nuts_proto.h"
#pragma GCC diagnostic pop

// An nn call that must succeed (return >= 0) / fail with errno `err`.
#define NN_PASS(expr)                                                       \
	do {                                                                \
		if ((expr) < 0) {                                           \
			NUTS_ABORT_("%s failed: %s (errno %d)", #expr,      \
			    nn_strerror(nn_errno()), nn_errno());           \
		}                                                           \
	} while (0)
#define NN_FAIL(expr, err)                                                  \
	do {                                                                \
		int nn_rv_ = (int) (expr);                                  \
		if (nn_rv_ != -1 || nn_errno() != (err)) {                  \
			NUTS_ABORT_("%s: want -1 errno %d (%s), got %d "    \
			            "errno %d (%s)",                        \
			    #expr, err, nn_strerror(err), nn_rv_,           \
			    nn_errno(), nn_strerror(nn_errno()));           \
		}                                                           \
	} while (0)

static nng_socket
nng_of(int s)
{
	nng_socket ns;
	ns.id = (uint32_t) s;
	return (ns);
}

static void
nn_send_str(int s, const char *str)
{
	int n;
	NN_PASS(n = nn_send(s, str, strlen(str), 0));
	NUTS_EQ(n, (int) strlen(str));
}

static void
nn_recv_str_at(int s, const char *str, int line)
{
	char buf[256];
	int  n;
	if ((n = nn_recv(s, buf, sizeof(buf), 0)) < 0) {
		NUTS_ABORT_("line %d: nn_recv(%d) for \"%s\": %s", line, s,
		    str, nn_strerror(nn_errno()));
	}
	if (n != (int) strlen(str) || memcmp(buf, str, strlen(str)) != 0) {
		NUTS_ABORT_("line %d: nn_recv(%d) got %d bytes \"%.*s\", "
		            "want \"%s\"",
		    line, s, n, n < 256 ? n : 256, buf, str);
	}
}
#define nn_recv_str(s, str) nn_recv_str_at(s, str, __LINE__)

static void
nn_set_int(int s, int level, int opt, int v)
{
	NN_PASS(nn_setsockopt(s, level, opt, &v, sizeof(v)));
}

static int
nn_get_int_at(int s, int level, int opt, int line)
{
	int    v  = -12345;
	size_t sz = sizeof(v);
	if (nn_getsockopt(s, level, opt, &v, &sz) != 0) {
		NUTS_ABORT_("line %d: nn_getsockopt(%d, %d, %d): %s", line, s,
		    level, opt, nn_strerror(nn_errno()));
	}
	NUTS_EQ(sz, sizeof(v));
	return (v);
}
#define nn_get_int(s, l, o) nn_get_int_at(s, l, o, __LINE__)

// Binds sb to `url` ("tcp" for a fresh loopback port, NULL for a fresh
// inproc address), connects sc to it and waits until both sockets have
// the connection. Returns the bind endpoint id; the connect one in *epc.
static int
nn_marry(int sb, int sc, const char *url, int *epc)
{
	nuts_watch w;
	char       addr[64];
	int        epb;
	int        ep;

	if (url == NULL) {
		(void) snprintf(addr, sizeof(addr), "inproc://nn%08x%08x",
		    nng_random(), nng_random());
	} else if (strcmp(url, "tcp") == 0) {
		(void) snprintf(addr, sizeof(addr), "tcp://127.0.0.1:0");
	} else {
		(void) snprintf(addr, sizeof(addr), "%s", url);
	}
	nuts_watch_start(&w, nng_of(sb), nng_of(sc), NNG_PIPE_EV_ADD_POST);
	NN_PASS(epb = nn_bind(sb, addr));
	if (url != NULL && strcmp(url, "tcp") == 0) {
		nng_listener l;
		int          port;
		l.id = (uint32_t) epb;
		NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
		(void) snprintf(addr, sizeof(addr), "tcp://127.0.0.1:%d", port);
	}
	NN_PASS(ep = nn_connect(sc, addr));
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, 5000));
	NUTS_TRUE(nuts_watch_wait(&w, 1, 1, 5000));
	nuts_watch_stop(&w, nng_of(sb), nng_of(sc), NNG_PIPE_EV_ADD_POST);
	if (epc != NULL) {
		*epc = ep;
	}
	return (epb);
}

static void
test_strerror_maps_errno_to_nng_text(void)
{
	NUTS_MATCH(nn_strerror(EINVAL), "Invalid argument");
	NUTS_MATCH(nn_strerror(EBADF), "Object closed");
	NUTS_MATCH(nn_strerror(EACCES), "Permission denied");
	NUTS_MATCH(nn_strerror(ENOTSUP), "Not supported");
	NUTS_MATCH(nn_strerror(ETIMEDOUT), "Timed out");
	NUTS_MATCH(nn_strerror(EHOSTUNREACH), "Destination unreachable");
	NUTS_MATCH(nn_strerror(EMFILE), "Out of files");
	NUTS_MATCH(nn_strerror(EFSM), "Incorrect state");
	NUTS_MATCH(nn_strerror(EIO), "Unknown I/O error");
	NUTS_MATCH(nn_strerror(ETERM), "Unknown error 268435485");
	NUTS_MATCH(nn_strerror(0), "Unknown error 0");
}

static void
test_errno_reports_last_failure(void)
{
	errno = 0;
	NUTS_EQ(nn_socket(AF_SP + 42, NN_PAIR), -1);
	NUTS_EQ(nn_errno(), EAFNOSUPPORT);
	NUTS_EQ(errno, EAFNOSUPPORT);
	NUTS_EQ(nn_socket(AF_SP, 4242), -1);
	NUTS_EQ(nn_errno(), ENOTSUP);
	NUTS_EQ(nn_send(1, "x", 1, 42), -1);
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_EQ(nn_recvmsg(1, NULL, 0), -1);
	NUTS_EQ(nn_errno(), EINVAL);
	errno = EPIPE;
	NUTS_EQ(nn_errno(), EPIPE);
}

static void
test_allocmsg_rejects_bad_arguments(void)
{
	NUTS_NULL(nn_allocmsg(0, 0));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_NULL(nn_allocmsg(16, 1));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_NULL(nn_allocmsg((size_t) -1, 0));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_NULL(nn_allocmsg(((size_t) -1) / 2, 0));
	NUTS_EQ(nn_errno(), ENOMEM);
	NUTS_EQ(nn_freemsg(NULL), -1);
	NUTS_EQ(nn_errno(), EFAULT);
}

static void
test_allocmsg_round_trip(void)
{
	char *buf;
	char *big;
	char *small;

	buf = (char *) nn_allocmsg(6, 0);
	NUTS_TRUE(buf != NULL);
	NUTS_TRUE(((uintptr_t) buf % sizeof(void *)) == 0);
	for (int i = 0; i < 6; i++) {
		NUTS_EQ(buf[i], 0);
	}
	memcpy(buf, "hello", 6);

	big = (char *) nn_reallocmsg(buf, 100000);
	NUTS_TRUE(big != NULL);
	NUTS_MATCH(big, "hello");
	for (int i = 6; i < 100000; i++) {
		NUTS_EQ(big[i], 0);
	}
	big[99999] = 'z';

	// A failed resize leaves the buffer as it was.
	NUTS_NULL(nn_reallocmsg(big, (size_t) -1));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_EQ(big[99999], 'z');

	small = (char *) nn_reallocmsg(big, 3);
	NUTS_TRUE(small != NULL);
	NUTS_TRUE(memcmp(small, "hel", 3) == 0);
	NUTS_EQ(nn_freemsg(small), 0);

	NUTS_NULL(nn_reallocmsg(NULL, 3));
	NUTS_EQ(nn_errno(), EINVAL);
}

static void
test_cmsg_macros_and_next(void)
{
	union {
		size_t align;
		char   data[64];
	} ctl;
	struct nn_msghdr   mh;
	struct nn_cmsghdr *ch;
	size_t             hdr = NN_CMSG_ALIGN(sizeof(struct nn_cmsghdr));

	NUTS_EQ(NN_CMSG_ALIGN(1), sizeof(size_t));
	NUTS_EQ(NN_CMSG_ALIGN(sizeof(size_t)), sizeof(size_t));
	NUTS_EQ(NN_CMSG_SPACE(4), NN_CMSG_ALIGN(4) + hdr);
	NUTS_EQ(NN_CMSG_LEN(4), hdr + 4);

	memset(&ctl, 0, sizeof(ctl));
	memset(&mh, 0, sizeof(mh));
	mh.msg_control    = ctl.data;
	mh.msg_controllen = sizeof(ctl.data);

	ch = NN_CMSG_FIRSTHDR(&mh);
	NUTS_TRUE((void *) ch == (void *) ctl.data);
	NUTS_TRUE(NN_CMSG_DATA(ch) == (unsigned char *) ctl.data + sizeof(*ch));
	NUTS_NULL(NN_CMSG_NXTHDR(&mh, ch));

	mh.msg_controllen = sizeof(struct nn_cmsghdr) - 1;
	NUTS_NULL(NN_CMSG_FIRSTHDR(&mh));
	mh.msg_control = NULL;
	NUTS_NULL(NN_CMSG_FIRSTHDR(&mh));
}

static void
test_cmsg_next_with_allocated_control(void)
{
	struct nn_msghdr mh;
	void            *cbuf;

	memset(&mh, 0, sizeof(mh));
	cbuf = nn_allocmsg(NN_CMSG_SPACE(sizeof(size_t)), 0);
	NUTS_TRUE(cbuf != NULL);
	mh.msg_control    = &cbuf;
	mh.msg_controllen = NN_MSG;
	NUTS_TRUE((void *) NN_CMSG_FIRSTHDR(&mh) == cbuf);
	NUTS_EQ(nn_freemsg(cbuf), 0);

	cbuf = nn_allocmsg(sizeof(struct nn_cmsghdr) - 1, 0);
	NUTS_NULL(NN_CMSG_FIRSTHDR(&mh));
	NUTS_EQ(nn_freemsg(cbuf), 0);
}

static void
test_statistics_are_zero(void)
{
	NUTS_EQ(nn_get_statistic(1, 1), 0);
}

static void
test_socket_numbers_and_domains(void)
{
	static const int protos[] = { NN_PAIR, NN_PUB, NN_SUB, NN_REQ, NN_REP,
		NN_PUSH, NN_PULL, NN_SURVEYOR, NN_RESPONDENT, NN_BUS };
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		int  s, r;
		bool raw;
		NN_PASS(s = nn_socket(AF_SP, protos[i]));
		NN_PASS(r = nn_socket(AF_SP_RAW, protos[i]));
		NUTS_TRUE(s > 0 && r > 0 && s != r);
		NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_DOMAIN), AF_SP);
		NUTS_EQ(nn_get_int(r, NN_SOL_SOCKET, NN_DOMAIN), AF_SP_RAW);
		NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_PROTOCOL), protos[i]);
		NUTS_EQ(nn_get_int(r, NN_SOL_SOCKET, NN_PROTOCOL), protos[i]);
		// The socket number is the nng socket.
		NUTS_PASS(nng_socket_get_bool(nng_of(r), NNG_OPT_RAW, &raw));
		NUTS_TRUE(raw);
		NUTS_PASS(nng_socket_get_bool(nng_of(s), NNG_OPT_RAW, &raw));
		NUTS_TRUE(!raw);
		NN_PASS(nn_close(s));
		NN_PASS(nn_close(r));
		NN_FAIL(nn_close(s), EBADF);
	}
	NN_FAIL(nn_socket(AF_SP, NN_PAIR_V1), ENOTSUP);
	NN_FAIL(nn_socket(0, NN_PAIR), EAFNOSUPPORT);
	NN_FAIL(nn_close(-1), EBADF);
	NN_FAIL(nn_close(0), EBADF);
}

static void
test_bind_connect_shutdown(void)
{
	int s, c, ep, ep2;
	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(c = nn_socket(AF_SP, NN_PAIR));

	NN_FAIL(nn_bind(s, NULL), EINVAL);
	NN_FAIL(nn_connect(s, NULL), EINVAL);
	NN_FAIL(nn_bind(-1, "inproc://nn-bad"), EBADF);
	NN_FAIL(nn_connect(12345678, "inproc://nn-bad"), EBADF);
	NN_FAIL(nn_bind(s, "nosuch://x"), ENOTSUP);
	// upstream's compat_tcp_test bad addresses
	NN_FAIL(nn_connect(s, "tcp://*:"), EINVAL);
	NN_FAIL(nn_connect(s, "tcp://*:1000000"), EINVAL);
	NN_FAIL(nn_connect(s, "tcp://*:some_port"), EINVAL);
	NN_FAIL(nn_connect(s, "tcp://127.0.0.1"), EINVAL);
	NN_FAIL(nn_connect(s, "tcp://:5555"), EINVAL);
	NN_FAIL(nn_connect(s, "tcp://abc.123.---.#:5555"), EINVAL);
	NN_FAIL(nn_bind(s, "tcp://127.0.0.1:1000000"), EINVAL);
	// nanomsg's interface;address form is not nng's (upstream alike).
	NN_FAIL(nn_bind(s, "tcp://lo;127.0.0.1:0"), EINVAL);

	// Endpoint ids are the nng listener / dialer ids.
	NN_PASS(ep = nn_bind(s, "tcp://*:0"));
	{
		nng_listener l;
		int          port;
		char         url[64];
		l.id = (uint32_t) ep;
		NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
		NUTS_TRUE(port > 0);
		(void) snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
		NN_FAIL(nn_bind(c, url), EADDRINUSE);
		NN_PASS(ep2 = nn_connect(c, url));
		nng_dialer d;
		bool       nodelay = true;
		d.id               = (uint32_t) ep2;
		// nn sockets start with NN_TCP_NODELAY off, as upstream.
		NUTS_PASS(nng_dialer_get_bool(d, NNG_OPT_TCP_NODELAY, &nodelay));
		NUTS_TRUE(!nodelay);
	}
	NN_FAIL(nn_shutdown(s, ep2 + 1000), ENOENT);
	NN_FAIL(nn_shutdown(s, ep2 == ep ? ep2 + 1 : ep2), ENOENT);
	NN_PASS(nn_shutdown(c, ep2));
	NN_FAIL(nn_shutdown(c, ep2), ENOENT);
	NN_PASS(nn_shutdown(s, ep));
	NN_FAIL(nn_shutdown(s, ep), ENOENT);
	NN_FAIL(nn_shutdown(s, -1), ENOENT);

	// upstream's compat_shutdown: shut a connecting endpoint down at once.
	NN_PASS(ep = nn_connect(s, "tcp://127.0.0.1:1"));
	NN_PASS(nn_shutdown(s, ep));
	NN_PASS(nn_close(s));
	NN_PASS(nn_close(c));
}

// A bind and a connect on different sockets can have the same endpoint
// id (listener and dialer ids are separate sequences); nn_shutdown closes
// the endpoint of the socket it is given.
static void
test_shutdown_prefers_own_endpoint(void)
{
	int          a, b, epa, epb;
	int          n = 0;
	nng_listener l;
	nng_dialer   d;
	char         url[64];

	NN_PASS(a = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(b = nn_socket(AF_SP, NN_PAIR));
	(void) snprintf(url, sizeof(url), "inproc://nn-same-%08x", nng_random());
	NN_PASS(epa = nn_bind(a, url));
	NN_PASS(epb = nn_connect(b, url));
	// Advance the smaller sequence until the next ids agree.
	while (epa < epb && n++ < 10000) {
		char u[64];
		(void) snprintf(u, sizeof(u), "inproc://nn-pad-%d-%08x", n,
		    nng_random());
		NN_PASS(epa = nn_bind(a, u));
	}
	while (epb < epa && n++ < 10000) {
		NN_PASS(epb = nn_connect(b, url));
	}
	NUTS_EQ(epa, epb);
	NN_PASS(nn_shutdown(a, epa));
	l.id = (uint32_t) epa;
	d.id = (uint32_t) epb;
	NUTS_FAIL(nng_listener_close(l), NNG_ENOENT);
	NUTS_PASS(nng_dialer_close(d));
	NN_PASS(nn_close(a));
	NN_PASS(nn_close(b));
}

static void
pair_ping_pong(const char *url)
{
	int s, c;
	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(c = nn_socket(AF_SP, NN_PAIR));
	(void) nn_marry(s, c, url, NULL);
	for (int i = 0; i < 20; i++) {
		nn_send_str(c, "ABC");
		nn_recv_str(s, "ABC");
		nn_send_str(s, "DEFG");
		nn_recv_str(c, "DEFG");
	}
	NN_PASS(nn_close(s));
	NN_PASS(nn_close(c));
}

static void
test_pair_inproc_and_tcp(void)
{
	pair_ping_pong(NULL);
	pair_ping_pong("tcp");
}

static void
reqrep(const char *url)
{
	int  req, rep;
	char buf[8];
	NN_PASS(req = nn_socket(AF_SP, NN_REQ));
	NN_PASS(rep = nn_socket(AF_SP, NN_REP));
	NN_FAIL(nn_send(rep, "x", 1, 0), EFSM);
	NN_FAIL(nn_recv(req, buf, sizeof(buf), 0), EFSM);
	(void) nn_marry(rep, req, url, NULL);
	for (int i = 0; i < 10; i++) {
		nn_send_str(req, "ping");
		nn_recv_str(rep, "ping");
		nn_send_str(rep, "pong");
		nn_recv_str(req, "pong");
	}
	NN_PASS(nn_close(req));
	NN_PASS(nn_close(rep));
}

static void
test_reqrep_inproc_and_tcp(void)
{
	reqrep(NULL);
	reqrep("tcp");
}

static void
test_req_resend_interval(void)
{
	int  req, rep;
	char buf[8];
	NN_PASS(req = nn_socket(AF_SP, NN_REQ));
	NN_PASS(rep = nn_socket(AF_SP, NN_REP));
	NUTS_EQ(nn_get_int(req, NN_REQ, NN_REQ_RESEND_IVL), 60000);
	nn_set_int(req, NN_REQ, NN_REQ_RESEND_IVL, 50);
	NUTS_EQ(nn_get_int(req, NN_REQ, NN_REQ_RESEND_IVL), 50);
	{
		// upstream also makes the resend timer tick every 10 ms.
		nng_duration tick;
		NUTS_PASS(nng_socket_get_ms(
		    nng_of(req), "req:resend-tick", &tick));
		NUTS_EQ(tick, 10);
	}
	NN_FAIL(nn_setsockopt(rep, NN_REQ, NN_REQ_RESEND_IVL, &(int){ 5 },
	            sizeof(int)),
	    ENOTSUP);
	nn_set_int(rep, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
	(void) nn_marry(rep, req, NULL, NULL);
	nn_send_str(req, "again");
	nn_recv_str(rep, "again");
	// Not answered: the request comes again.
	nn_recv_str(rep, "again");
	nn_send_str(rep, "done");
	NN_PASS(nn_recv(req, buf, sizeof(buf), 0));
	NN_PASS(nn_close(req));
	NN_PASS(nn_close(rep));
}

static void
pubsub(const char *url)
{
	int  pub, sub;
	char buf[8];
	NN_PASS(pub = nn_socket(AF_SP, NN_PUB));
	NN_PASS(sub = nn_socket(AF_SP, NN_SUB));
	NN_PASS(nn_setsockopt(sub, NN_SUB, NN_SUB_SUBSCRIBE, "a", 1));
	NN_PASS(nn_setsockopt(sub, NN_SUB, NN_SUB_SUBSCRIBE, "bb", 2));
	NN_FAIL(nn_setsockopt(sub, NN_SUB, NN_SUB_UNSUBSCRIBE, "zz", 2),
	    ENOENT);
	NN_FAIL(nn_setsockopt(pub, NN_SUB, NN_SUB_SUBSCRIBE, "a", 1), ENOTSUP);
	NN_FAIL(nn_recv(pub, buf, sizeof(buf), 0), ENOTSUP);
	NN_FAIL(nn_send(sub, "a", 1, 0), ENOTSUP);
	nn_set_int(sub, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
	(void) nn_marry(pub, sub, url, NULL);
	nn_send_str(pub, "a1");
	nn_send_str(pub, "b1");
	nn_send_str(pub, "bb1");
	nn_recv_str(sub, "a1");
	nn_recv_str(sub, "bb1");
	nn_set_int(sub, NN_SOL_SOCKET, NN_RCVTIMEO, 100);
	NN_FAIL(nn_recv(sub, buf, sizeof(buf), 0), ETIMEDOUT);
	NN_PASS(nn_setsockopt(sub, NN_SUB, NN_SUB_UNSUBSCRIBE, "a", 1));
	nn_send_str(pub, "a2");
	nn_send_str(pub, "bb2");
	nn_set_int(sub, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
	nn_recv_str(sub, "bb2");
	NN_FAIL(nn_recv(sub, buf, sizeof(buf), NN_DONTWAIT), EAGAIN);
	NN_PASS(nn_close(pub));
	NN_PASS(nn_close(sub));
}

static void
test_pubsub_inproc_and_tcp(void)
{
	pubsub(NULL);
	pubsub("tcp");
}

static void
test_pipeline_and_bus(void)
{
	int push, pull, b1, b2;
	NN_PASS(push = nn_socket(AF_SP, NN_PUSH));
	NN_PASS(pull = nn_socket(AF_SP, NN_PULL));
	(void) nn_marry(pull, push, NULL, NULL);
	nn_send_str(push, "job");
	nn_recv_str(pull, "job");
	NN_PASS(nn_close(push));
	NN_PASS(nn_close(pull));

	NN_PASS(b1 = nn_socket(AF_SP, NN_BUS));
	NN_PASS(b2 = nn_socket(AF_SP, NN_BUS));
	(void) nn_marry(b1, b2, NULL, NULL);
	nn_send_str(b1, "bus1");
	nn_recv_str(b2, "bus1");
	nn_send_str(b2, "bus2");
	nn_recv_str(b1, "bus2");
	NN_PASS(nn_close(b1));
	NN_PASS(nn_close(b2));
}

static void
test_survey(void)
{
	int  surv, resp;
	char buf[8];
	NN_PASS(surv = nn_socket(AF_SP, NN_SURVEYOR));
	NN_PASS(resp = nn_socket(AF_SP, NN_RESPONDENT));
	NUTS_EQ(nn_get_int(surv, NN_SURVEYOR, NN_SURVEYOR_DEADLINE), 1000);
	nn_set_int(surv, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, 5000);
	NUTS_EQ(nn_get_int(surv, NN_SURVEYOR, NN_SURVEYOR_DEADLINE), 5000);
	(void) nn_marry(surv, resp, NULL, NULL);
	nn_send_str(surv, "who");
	nn_recv_str(resp, "who");
	nn_send_str(resp, "me");
	nn_recv_str(surv, "me");
	// Unanswered: the survey ends at its deadline.
	nn_set_int(surv, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, 100);
	nn_send_str(surv, "anyone");
	nn_recv_str(resp, "anyone");
	NN_FAIL(nn_recv(surv, buf, sizeof(buf), 0), ETIMEDOUT);
	NN_PASS(nn_close(surv));
	NN_PASS(nn_close(resp));
}

static void
test_zero_copy_send_and_recv(void)
{
	int            s, c, n;
	unsigned char *buf, *got;
	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(c = nn_socket(AF_SP, NN_PAIR));

	// A failed send leaves the buffer with the caller.
	nn_set_int(c, NN_SOL_SOCKET, NN_SNDBUF, 0);
	buf = nn_allocmsg(256, 0);
	NUTS_TRUE(buf != NULL);
	for (int i = 0; i < 256; i++) {
		buf[i] = (unsigned char) i;
	}
	NN_FAIL(nn_send(c, &buf, NN_MSG, NN_DONTWAIT), EAGAIN);
	NN_FAIL(nn_send(-1, &buf, NN_MSG, 0), EBADF);
	for (int i = 0; i < 256; i++) {
		NUTS_EQ(buf[i], (unsigned char) i);
	}
	(void) nn_marry(s, c, NULL, NULL);
	NN_PASS(n = nn_send(c, &buf, NN_MSG, 0));
	NUTS_EQ(n, 256);

	got = NULL;
	NN_PASS(n = nn_recv(s, &got, NN_MSG, 0));
	NUTS_EQ(n, 256);
	NUTS_TRUE(got != NULL);
	for (int i = 0; i < 256; i++) {
		NUTS_EQ(got[i], (unsigned char) i);
	}
	// A received buffer is an nn buffer: resize it and send it back.
	got = nn_reallocmsg(got, 300);
	NUTS_TRUE(got != NULL);
	got[299] = 0x5a;
	NN_PASS(n = nn_send(s, &got, NN_MSG, 0));
	NUTS_EQ(n, 300);
	buf = NULL;
	NN_PASS(n = nn_recv(c, &buf, NN_MSG, 0));
	NUTS_EQ(n, 300);
	NUTS_EQ(buf[0], 0);
	NUTS_EQ(buf[255], 255);
	NUTS_EQ(buf[299], 0x5a);

	// An emptied buffer survives a failed send too.
	buf = nn_reallocmsg(buf, 0);
	NUTS_TRUE(buf != NULL);
	NN_FAIL(nn_send(c, &buf, NN_MSG, 42), EINVAL);
	NN_PASS(nn_close(s));
	NN_FAIL(nn_send(c, &buf, NN_MSG, NN_DONTWAIT), EAGAIN);
	buf = nn_reallocmsg(buf, 2);
	NUTS_TRUE(buf != NULL);
	NN_PASS(nn_freemsg(buf));

	NN_FAIL(nn_send(c, NULL, NN_MSG, 0), EFAULT);
	buf = NULL;
	NN_FAIL(nn_send(c, &buf, NN_MSG, 0), EFAULT);
	NN_FAIL(nn_recv(c, NULL, NN_MSG, 0), EFAULT);
	NN_FAIL(nn_send(c, NULL, 3, 0), EFAULT);
	NN_FAIL(nn_recv(c, NULL, 3, 0), EFAULT);
	NN_PASS(nn_close(c));
}

static void
test_sendmsg_recvmsg_iovecs(void)
{
	int              s, c, n;
	struct nn_iovec  iov[3];
	struct nn_msghdr mh;
	char             buf[6];
	char             big[1 << 16];
	char            *bp = NULL;

	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(c = nn_socket(AF_SP, NN_PAIR));
	(void) nn_marry(s, c, "tcp", NULL);

	memset(&mh, 0, sizeof(mh));
	iov[0].iov_base = "AB";
	iov[0].iov_len  = 2;
	iov[1].iov_base = "CDEF";
	iov[1].iov_len  = 4;
	mh.msg_iov      = iov;
	mh.msg_iovlen   = 2;
	NN_PASS(n = nn_sendmsg(c, &mh, 0));
	NUTS_EQ(n, 6);

	iov[0].iov_base = buf;
	iov[0].iov_len  = 4;
	iov[1].iov_base = buf + 4;
	iov[1].iov_len  = 2;
	NN_PASS(n = nn_recvmsg(s, &mh, 0));
	NUTS_EQ(n, 6);
	NUTS_TRUE(memcmp(buf, "ABCDEF", 6) == 0);

	// Truncation: the full length is reported.
	nn_send_str(c, "0123456789");
	memset(buf, 0, sizeof(buf));
	NN_PASS(n = nn_recv(s, buf, 3, 0));
	NUTS_EQ(n, 10);
	NUTS_TRUE(memcmp(buf, "012\0", 4) == 0);

	// An empty message.
	mh.msg_iovlen = 0;
	NN_PASS(n = nn_sendmsg(c, &mh, 0));
	NUTS_EQ(n, 0);
	NN_PASS(n = nn_recv(s, buf, sizeof(buf), 0));
	NUTS_EQ(n, 0);

	// A large message, received as an nn buffer.
	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (char) ('0' + (i % 10));
	}
	NN_PASS(n = nn_send(c, big, sizeof(big), 0));
	NUTS_EQ(n, (int) sizeof(big));
	iov[0].iov_base = &bp;
	iov[0].iov_len  = NN_MSG;
	mh.msg_iovlen   = 1;
	NN_PASS(n = nn_recvmsg(s, &mh, 0));
	NUTS_EQ(n, (int) sizeof(big));
	NUTS_TRUE(memcmp(bp, big, sizeof(big)) == 0);
	// ...and sent back with nn_sendmsg.
	NN_PASS(n = nn_sendmsg(s, &mh, 0));
	NUTS_EQ(n, (int) sizeof(big));
	NN_PASS(n = nn_recv(c, big, sizeof(big), 0));
	NUTS_EQ(n, (int) sizeof(big));

	// Bad headers.
	NN_FAIL(nn_sendmsg(c, NULL, 0), EINVAL);
	NN_FAIL(nn_recvmsg(c, NULL, 0), EINVAL);
	mh.msg_iovlen = -1;
	NN_FAIL(nn_sendmsg(c, &mh, 0), EMSGSIZE);
	NN_FAIL(nn_recvmsg(c, &mh, 0), EMSGSIZE);
	mh.msg_iovlen = 1;
	NN_FAIL(nn_sendmsg(c, &mh, 3), EINVAL);
	NN_FAIL(nn_recvmsg(c, &mh, 3), EINVAL);
	mh.msg_iov = NULL;
	NN_FAIL(nn_sendmsg(c, &mh, 0), EFAULT);
	NN_FAIL(nn_recvmsg(c, &mh, 0), EFAULT);
	mh.msg_iov      = iov;
	mh.msg_iovlen   = 2;
	iov[0].iov_base = buf;
	iov[0].iov_len  = 2;
	iov[1].iov_base = &bp;
	iov[1].iov_len  = NN_MSG;
	NN_FAIL(nn_sendmsg(c, &mh, 0), EINVAL);
	// NN_MSG among several elements: the message is dropped (upstream).
	nn_send_str(s, "lost");
	NN_FAIL(nn_recvmsg(c, &mh, 0), EINVAL);
	NN_FAIL(nn_recv(c, buf, sizeof(buf), NN_DONTWAIT), EAGAIN);
	NN_FAIL(nn_sendmsg(-1, &mh, 0), EINVAL);
	iov[1].iov_base = "x";
	iov[1].iov_len  = 1;
	NN_FAIL(nn_sendmsg(-1, &mh, 0), EBADF);
	NN_FAIL(nn_recvmsg(-1, &mh, 0), EBADF);

	NN_PASS(nn_close(s));
	NN_PASS(nn_close(c));
}

// The control message nn_recvmsg gives for a raw REP socket: the SP header
// (pipe id, then request id with its high bit set), as upstream's
// compat_cmsg test checks; sending it back routes the reply.
static void
test_sp_header_control_messages(void)
{
	int                rep, req, n;
	struct nn_msghdr   mh;
	struct nn_iovec    iov;
	unsigned char      body[3];
	size_t             ctrl_[32];
	unsigned char     *ctrl = (unsigned char *) ctrl_;
	struct nn_cmsghdr *cm;
	unsigned char     *data;
	void              *cbuf = NULL;
	size_t             spsz;

	NN_PASS(rep = nn_socket(AF_SP_RAW, NN_REP));
	NN_PASS(req = nn_socket(AF_SP, NN_REQ));
	(void) nn_marry(rep, req, NULL, NULL);

	for (int pass = 0; pass < 2; pass++) {
		nn_send_str(req, "ABC");
		memset(&mh, 0, sizeof(mh));
		iov.iov_base  = body;
		iov.iov_len   = sizeof(body);
		mh.msg_iov    = &iov;
		mh.msg_iovlen = 1;
		if (pass == 0) {
			memset(ctrl_, 0xff, sizeof(ctrl_));
			mh.msg_control    = ctrl;
			mh.msg_controllen = sizeof(ctrl_);
		} else {
			mh.msg_control    = &cbuf;
			mh.msg_controllen = NN_MSG;
		}
		NN_PASS(n = nn_recvmsg(rep, &mh, 0));
		NUTS_EQ(n, 3);
		NUTS_TRUE(memcmp(body, "ABC", 3) == 0);
		cm = NN_CMSG_FIRSTHDR(&mh);
		NUTS_TRUE(cm != NULL);
		if (pass == 1) {
			NUTS_TRUE((void *) cm == cbuf);
		}
		NUTS_EQ(cm->cmsg_level, PROTO_SP);
		NUTS_EQ(cm->cmsg_type, SP_HDR);
		NUTS_EQ(cm->cmsg_len, NN_CMSG_SPACE(8 + sizeof(size_t)));
		data = NN_CMSG_DATA(cm);
		memcpy(&spsz, data, sizeof(spsz));
		NUTS_EQ(spsz, 8);
		NUTS_TRUE(!(data[sizeof(size_t)] & 0x80));
		NUTS_TRUE(data[sizeof(size_t) + 4] & 0x80);
		NUTS_NULL(NN_CMSG_NXTHDR(&mh, cm));

		// The same header routes the reply; an NN_MSG control
		// buffer is consumed by the send.
		NN_PASS(n = nn_sendmsg(rep, &mh, 0));
		NUTS_EQ(n, 3);
		nn_recv_str(req, "ABC");
	}

	// A control buffer too small for the header is only cleared.
	nn_send_str(req, "XY");
	memset(ctrl_, 0xff, sizeof(ctrl_));
	mh.msg_control    = ctrl;
	mh.msg_controllen = NN_CMSG_SPACE(8 + sizeof(size_t)) - 1;
	NN_PASS(n = nn_recvmsg(rep, &mh, 0));
	NUTS_EQ(n, 2);
	cm = (struct nn_cmsghdr *) ctrl;
	NUTS_EQ(cm->cmsg_len, 0);
	NUTS_EQ(cm->cmsg_level, 0);
	NUTS_EQ(ctrl[sizeof(struct nn_cmsghdr)], 0xff);
	// Without the header a raw REP reply goes nowhere.
	NN_PASS(nn_send(rep, "no", 2, 0));

	// A header over 64 bytes is refused (the NN_MSG buffer stays ours).
	{
		unsigned char *nb = nn_allocmsg(2, 0);
		size_t         big[2 + 16];
		NUTS_TRUE(nb != NULL);
		memset(big, 0, sizeof(big));
		cm             = (struct nn_cmsghdr *) big;
		cm->cmsg_len   = sizeof(big);
		cm->cmsg_level = PROTO_SP;
		cm->cmsg_type  = SP_HDR;
		spsz           = 15 * sizeof(size_t);
		memcpy(NN_CMSG_DATA(cm), &spsz, sizeof(spsz));
		iov.iov_base      = &nb;
		iov.iov_len       = NN_MSG;
		mh.msg_control    = big;
		mh.msg_controllen = sizeof(big);
		NN_FAIL(nn_sendmsg(rep, &mh, 0), EINVAL);
		NN_PASS(nn_freemsg(nb));
	}
	NN_PASS(nn_close(rep));
	NN_PASS(nn_close(req));
}

static void
test_poll_readiness(void)
{
	int              s, c, p;
	struct nn_pollfd pfd[2];
	char             buf[4];

	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(c = nn_socket(AF_SP, NN_PAIR));
	pfd[0].fd      = s;
	pfd[0].events  = NN_POLLIN | NN_POLLOUT;
	pfd[0].revents = 0xff;
	NUTS_EQ(nn_poll(pfd, 1, 0), 0);
	NUTS_EQ(pfd[0].revents, 0);
	(void) nn_marry(s, c, NULL, NULL);
	nn_send_str(c, "ABC");
	pfd[0].fd     = s;
	pfd[0].events = NN_POLLIN;
	NUTS_EQ(nn_poll(pfd, 1, 5000), 1);
	NUTS_EQ(pfd[0].revents, NN_POLLIN);

	pfd[0].fd     = s;
	pfd[0].events = NN_POLLIN | NN_POLLOUT;
	pfd[1].fd     = c;
	pfd[1].events = NN_POLLIN | NN_POLLOUT;
	NUTS_EQ(nn_poll(pfd, 2, 5000), 2);
	NUTS_EQ(pfd[0].revents, NN_POLLIN | NN_POLLOUT);
	NUTS_EQ(pfd[1].revents, NN_POLLOUT);
	pfd[1].events = NN_POLLIN;
	NUTS_EQ(nn_poll(pfd + 1, 1, 10), 0);
	NUTS_EQ(pfd[1].revents, 0);
	nn_recv_str(s, "ABC");
	pfd[0].events = NN_POLLIN;
	NUTS_EQ(nn_poll(pfd, 1, 10), 0);
	pfd[0].events = 0;
	NUTS_EQ(nn_poll(pfd, 1, 0), 0);

	// The descriptors behind it.
	{
		int    fd;
		size_t sz = sizeof(fd);
		NN_PASS(nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVFD, &fd, &sz));
		NUTS_EQ(sz, sizeof(fd));
		NUTS_TRUE(fd >= 0);
		NUTS_TRUE(!nuts_poll_fd(fd));
		nn_send_str(c, "D");
		NUTS_TRUE(nuts_poll_fd_wait(fd, 5000));
		NN_PASS(nn_recv(s, buf, sizeof(buf), 0));
		NUTS_TRUE(!nuts_poll_fd(fd));
		NN_PASS(nn_getsockopt(s, NN_SOL_SOCKET, NN_SNDFD, &fd, &sz));
		NUTS_TRUE(nuts_poll_fd(fd));
		NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDFD, &fd, sz),
		    EACCES);
		NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVFD, &fd, sz),
		    EACCES);
	}

	NN_FAIL(nn_poll(pfd, 0, 0), ENOMEM);
	NN_FAIL(nn_poll(pfd, -1, 0), ENOMEM);
	NN_FAIL(nn_poll(NULL, 1, 0), EFAULT);
	pfd[0].fd     = -1;
	pfd[0].events = NN_POLLIN;
	NN_FAIL(nn_poll(pfd, 1, 0), EBADF);
	NN_PASS(p = nn_socket(AF_SP, NN_PUB));
	pfd[0].fd     = p;
	pfd[0].events = NN_POLLOUT;
	NUTS_EQ(nn_poll(pfd, 1, 0), 1);
	pfd[0].events = NN_POLLIN;
	NN_FAIL(nn_poll(pfd, 1, 0), ENOTSUP);
	NN_PASS(nn_close(p));
	NN_PASS(nn_close(s));
	NN_PASS(nn_close(c));
}

static void
test_socket_options(void)
{
	int    s, r, v;
	size_t sz;
	char   name[64];
	short  half;

	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(r = nn_socket(AF_SP, NN_REP));

	// NN_LINGER is accepted and ignored (even without a socket).
	nn_set_int(s, NN_SOL_SOCKET, NN_LINGER, 4321);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_LINGER), 0);
	NUTS_EQ(nn_get_int(-1, NN_SOL_SOCKET, NN_LINGER), 0);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_LINGER, &v, 2), EINVAL);

	// Buffers: bytes in nanomsg, 1 kB messages in nng.
	nn_set_int(s, NN_SOL_SOCKET, NN_SNDBUF, 4000);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_SNDBUF), 4096);
	nn_set_int(s, NN_SOL_SOCKET, NN_RCVBUF, 1);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RCVBUF), 1024);
	{
		int n;
		NUTS_PASS(nng_socket_get_int(nng_of(s), NNG_OPT_RECVBUF, &n));
		NUTS_EQ(n, 1);
	}
	nn_set_int(s, NN_SOL_SOCKET, NN_RCVBUF, -1000);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RCVBUF), 0);
	v = 8192 * 1024 + 1;
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDBUF, &v, sizeof(v)),
	    EINVAL);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDBUF, &v, 1), EINVAL);

	// Times in milliseconds.
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_SNDTIMEO), -1);
	nn_set_int(s, NN_SOL_SOCKET, NN_SNDTIMEO, 1234);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_SNDTIMEO), 1234);
	nn_set_int(s, NN_SOL_SOCKET, NN_RCVTIMEO, 50);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RCVTIMEO), 50);
	NN_FAIL(nn_recv(s, name, sizeof(name), 0), ETIMEDOUT);
	nn_set_int(s, NN_SOL_SOCKET, NN_RECONNECT_IVL, 200);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RECONNECT_IVL), 200);
	nn_set_int(s, NN_SOL_SOCKET, NN_RECONNECT_IVL_MAX, 3000);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RECONNECT_IVL_MAX), 3000);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &v, 2), EINVAL);

	// Receive size limit: -1 is no limit (nng's 0), lower is invalid.
	nn_set_int(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, -1);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RCVMAXSIZE), -1);
	v = -2;
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &v, sizeof(v)),
	    EINVAL);
	nn_set_int(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, 4);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RCVMAXSIZE), 4);
	nn_set_int(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, 0);
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_RCVMAXSIZE), -1);

	// TTL (rep; pair0 has none): 8 by default, 1 to 15.
	NUTS_EQ(nn_get_int(r, NN_SOL_SOCKET, NN_MAXTTL), 8);
	v = 0;
	NN_FAIL(nn_setsockopt(r, NN_SOL_SOCKET, NN_MAXTTL, &v, sizeof(v)),
	    EINVAL);
	v = 8;
	NN_FAIL(nn_setsockopt(r, NN_SOL_SOCKET, NN_MAXTTL, &v, 1), EINVAL);
	nn_set_int(r, NN_SOL_SOCKET, NN_MAXTTL, 3);
	NUTS_EQ(nn_get_int(r, NN_SOL_SOCKET, NN_MAXTTL), 3);
	sz = sizeof(v);
	NN_FAIL(nn_getsockopt(s, NN_SOL_SOCKET, NN_MAXTTL, &v, &sz), ENOTSUP);

	// Identity.
	NUTS_EQ(nn_get_int(s, NN_SOL_SOCKET, NN_PROTOCOL), NN_PAIR);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_PROTOCOL, &v, sizeof(v)),
	    EACCES);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_DOMAIN, &v, sizeof(v)),
	    ENOPROTOOPT);
	NN_PASS(nn_setsockopt(s, NN_SOL_SOCKET, NN_SOCKET_NAME, "hello", 6));
	sz = sizeof(name);
	NN_PASS(nn_getsockopt(s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, &sz));
	NUTS_EQ(sz, 6);
	NUTS_MATCH(name, "hello");
	sz = 3;
	NN_FAIL(nn_getsockopt(s, NN_SOL_SOCKET, NN_SOCKET_NAME, name, &sz),
	    EINVAL);
	NUTS_EQ(sz, 6);

	// int options of the custom table truncate silently.
	half = 0x7777;
	sz   = sizeof(half);
	NN_PASS(nn_getsockopt(s, NN_SOL_SOCKET, NN_DOMAIN, &half, &sz));
	NUTS_EQ(sz, sizeof(int));
	sz = 0;
	NN_PASS(nn_getsockopt(s, NN_SOL_SOCKET, NN_DOMAIN, NULL, &sz));
	NUTS_EQ(sz, sizeof(int));

	// Transports.
	NUTS_EQ(nn_get_int(s, NN_TCP, NN_TCP_NODELAY), 0);
	v = 2;
	NN_FAIL(nn_setsockopt(s, NN_TCP, NN_TCP_NODELAY, &v, sizeof(v)),
	    EINVAL);
	nn_set_int(s, NN_TCP, NN_TCP_NODELAY, 1);
	NUTS_EQ(nn_get_int(s, NN_TCP, NN_TCP_NODELAY), 1);
	NUTS_EQ(nn_get_int(s, NN_WS, NN_WS_MSG_TYPE), NN_WS_MSG_TYPE_BINARY);
	nn_set_int(s, NN_WS, NN_WS_MSG_TYPE, NN_WS_MSG_TYPE_BINARY);
	v = NN_WS_MSG_TYPE_TEXT;
	NN_FAIL(nn_setsockopt(s, NN_WS, NN_WS_MSG_TYPE, &v, sizeof(v)),
	    EINVAL);

	// Options nng does not have, and protocol options elsewhere.
	v = 1;
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDPRIO, &v, sizeof(v)),
	    ENOPROTOOPT);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVPRIO, &v, sizeof(v)),
	    ENOPROTOOPT);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_IPV4ONLY, &v, sizeof(v)),
	    ENOPROTOOPT);
	sz = sizeof(v);
	NN_FAIL(nn_getsockopt(s, NN_SOL_SOCKET, NN_IPV4ONLY, &v, &sz),
	    ENOPROTOOPT);
	NN_FAIL(nn_getsockopt(s, NN_IPC, NN_IPC_INBUFSZ, &v, &sz), ENOPROTOOPT);
	NN_FAIL(nn_getsockopt(s, 12345, 1, &v, &sz), ENOPROTOOPT);
	NN_FAIL(nn_getsockopt(s, NN_SOL_SOCKET, 999, &v, &sz), ENOPROTOOPT);
	NN_FAIL(nn_getsockopt(r, NN_SUB, NN_SUB_SUBSCRIBE, &v, &sz), ENOTSUP);
	NN_FAIL(nn_getsockopt(r, NN_SURVEYOR, NN_SURVEYOR_DEADLINE, &v, &sz),
	    ENOTSUP);

	// Bad sockets and pointers.
	NN_FAIL(nn_getsockopt(-1, NN_SOL_SOCKET, NN_SNDBUF, &v, &sz), EBADF);
	NN_FAIL(nn_setsockopt(-1, NN_SOL_SOCKET, NN_SNDBUF, &v, sizeof(v)),
	    EBADF);
	NN_FAIL(nn_getsockopt(-1, NN_SOL_SOCKET, NN_RCVTIMEO, &v, &sz), EBADF);
	NN_FAIL(nn_setsockopt(-1, NN_SOL_SOCKET, NN_RCVTIMEO, &v, sizeof(v)),
	    EBADF);
	NN_FAIL(nn_getsockopt(s, NN_SOL_SOCKET, NN_SNDBUF, &v, NULL), EFAULT);
	NN_FAIL(nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, NULL, &sz),
	    EFAULT);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDBUF, NULL, sizeof(v)),
	    EFAULT);
	NN_FAIL(nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDBUF, NULL, 0), EINVAL);

	NN_PASS(nn_close(s));
	NN_PASS(nn_close(r));
}

// upstream's compat_tcp_test max recv size: the over-long message is
// dropped by the transport.
static void
test_max_recv_size_tcp(void)
{
	int  sb, sc, n;
	char buf[64];
	NN_PASS(sb = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(sc = nn_socket(AF_SP, NN_PAIR));
	nn_set_int(sb, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
	nn_set_int(sb, NN_SOL_SOCKET, NN_RCVMAXSIZE, 4);
	(void) nn_marry(sb, sc, "tcp", NULL);
	NN_PASS(nn_send(sc, "ABC", 4, 0));
	NN_PASS(nn_send(sc, "012345", 6, 0));
	NN_PASS(n = nn_recv(sb, buf, sizeof(buf), 0));
	NUTS_EQ(n, 4);
	NUTS_MATCH(buf, "ABC");
	nn_set_int(sb, NN_SOL_SOCKET, NN_RCVTIMEO, 100);
	NN_FAIL(nn_recv(sb, buf, sizeof(buf), 0), ETIMEDOUT);
	NN_PASS(nn_close(sb));
	NN_PASS(nn_close(sc));
}

typedef struct {
	int       s1;
	int       s2;
	int       rv;
	int       err;
	pthread_t thr;
} dev_run;

static void *
dev_thread(void *arg)
{
	dev_run *d = arg;
	d->rv      = nn_device(d->s1, d->s2);
	d->err     = nn_errno();
	return (NULL);
}

static void
dev_start(dev_run *d, int s1, int s2)
{
	d->s1 = s1;
	d->s2 = s2;
	d->rv = 0;
	NUTS_TRUE(pthread_create(&d->thr, NULL, dev_thread, d) == 0);
}

static void
dev_join(dev_run *d, int err)
{
	NUTS_TRUE(pthread_join(d->thr, NULL) == 0);
	NUTS_EQ(d->rv, -1);
	NUTS_EQ(d->err, err);
}

static void
test_device(void)
{
	int     deva, devb, enda, endb, deve, e1, e2, rep, req, dreq, drep;
	dev_run d1, d2, d3;
	char    buf[8];

	// Bidirectional: raw pair <-> raw pair.
	NN_PASS(deva = nn_socket(AF_SP_RAW, NN_PAIR));
	NN_PASS(devb = nn_socket(AF_SP_RAW, NN_PAIR));
	NN_PASS(enda = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(endb = nn_socket(AF_SP, NN_PAIR));
	(void) nn_marry(deva, enda, NULL, NULL);
	(void) nn_marry(devb, endb, "tcp", NULL);
	dev_start(&d1, deva, devb);
	nn_send_str(enda, "ABC");
	nn_recv_str(endb, "ABC");
	nn_send_str(endb, "DEF");
	nn_recv_str(enda, "DEF");
	NN_PASS(nn_close(deva));
	dev_join(&d1, EBADF);
	NN_PASS(nn_close(devb));
	NN_PASS(nn_close(enda));
	NN_PASS(nn_close(endb));

	// Loopback: a raw bus reflects to its other peers.
	NN_PASS(deve = nn_socket(AF_SP_RAW, NN_BUS));
	NN_PASS(e1 = nn_socket(AF_SP, NN_BUS));
	NN_PASS(e2 = nn_socket(AF_SP, NN_BUS));
	{
		char url[64];
		(void) snprintf(url, sizeof(url), "inproc://nn-loop-%08x",
		    nng_random());
		(void) nn_marry(deve, e1, url, NULL);
		nuts_watch w;
		nuts_watch_start(
		    &w, nng_of(deve), nng_of(e2), NNG_PIPE_EV_ADD_POST);
		NN_PASS(nn_connect(e2, url));
		NUTS_TRUE(nuts_watch_wait(&w, 0, 1, 5000));
		NUTS_TRUE(nuts_watch_wait(&w, 1, 1, 5000));
		nuts_watch_stop(
		    &w, nng_of(deve), nng_of(e2), NNG_PIPE_EV_ADD_POST);
	}
	dev_start(&d2, deve, -1);
	nn_send_str(e1, "KLM");
	nn_recv_str(e2, "KLM");
	nn_set_int(e1, NN_SOL_SOCKET, NN_RCVTIMEO, 100);
	NN_FAIL(nn_recv(e1, buf, sizeof(buf), 0), ETIMEDOUT);
	NN_PASS(nn_close(deve));
	dev_join(&d2, EBADF);
	NN_PASS(nn_close(e1));
	NN_PASS(nn_close(e2));

	// req -> raw rep | device | raw req -> rep, with the TTL option.
	NN_PASS(drep = nn_socket(AF_SP_RAW, NN_REP));
	NN_PASS(dreq = nn_socket(AF_SP_RAW, NN_REQ));
	NN_PASS(req = nn_socket(AF_SP, NN_REQ));
	NN_PASS(rep = nn_socket(AF_SP, NN_REP));
	(void) nn_marry(drep, req, NULL, NULL);
	(void) nn_marry(dreq, rep, NULL, NULL);
	dev_start(&d3, drep, dreq);
	nn_set_int(rep, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
	nn_send_str(req, "XYZ");
	nn_recv_str(rep, "XYZ");
	nn_send_str(rep, "REPLY");
	nn_recv_str(req, "REPLY");
	// Two hops (raw rep, then the device's raw req): a TTL of 1 drops
	// the request (and its resends), 2 lets it through.
	nn_set_int(rep, NN_SOL_SOCKET, NN_MAXTTL, 1);
	nn_set_int(rep, NN_SOL_SOCKET, NN_RCVTIMEO, 200);
	nn_send_str(req, "DROP");
	NN_FAIL(nn_recv(rep, buf, sizeof(buf), 0), ETIMEDOUT);
	nn_set_int(rep, NN_SOL_SOCKET, NN_MAXTTL, 2);
	nn_set_int(rep, NN_SOL_SOCKET, NN_RCVTIMEO, 5000);
	nn_send_str(req, "KEEP");
	nn_recv_str(rep, "KEEP");
	nn_send_str(rep, "GOTIT");
	nn_recv_str(req, "GOTIT");
	NN_PASS(nn_close(dreq));
	dev_join(&d3, EBADF);
	NN_PASS(nn_close(drep));
	NN_PASS(nn_close(req));
	NN_PASS(nn_close(rep));

	// Setup errors.
	NN_PASS(deva = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(devb = nn_socket(AF_SP_RAW, NN_PUB));
	NN_PASS(deve = nn_socket(AF_SP_RAW, NN_PAIR));
	NN_FAIL(nn_device(deva, deve), EINVAL);
	NN_FAIL(nn_device(devb, deve), EINVAL);
	NN_FAIL(nn_device(12345678, deve), EBADF);
	NN_FAIL(nn_device(deve, 12345678), EBADF);
	NN_FAIL(nn_device(-1, -1), EINVAL);
	NN_PASS(nn_close(deva));
	NN_PASS(nn_close(devb));
	NN_PASS(nn_close(deve));
}

typedef struct {
	int       s;
	int       rv;
	int       err;
	pthread_t thr;
} recv_run;

static void *
recv_thread(void *arg)
{
	recv_run *r = arg;
	char      buf[8];
	r->rv       = nn_recv(r->s, buf, sizeof(buf), 0);
	r->err      = nn_errno();
	return (NULL);
}

// nn_term closes every socket: a blocked receive fails with EBADF, the
// old socket numbers are gone, and new sockets can be opened (upstream).
static void
test_term_closes_everything(void)
{
	int      s, c, n;
	recv_run r;
	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(c = nn_socket(AF_SP, NN_PAIR));
	(void) nn_marry(s, c, NULL, NULL);
	r.s  = s;
	r.rv = 0;
	NUTS_TRUE(pthread_create(&r.thr, NULL, recv_thread, &r) == 0);
	nn_term();
	NUTS_TRUE(pthread_join(r.thr, NULL) == 0);
	NUTS_EQ(r.rv, -1);
	NUTS_EQ(r.err, EBADF);
	NN_FAIL(nn_close(s), EBADF);
	NN_FAIL(nn_close(c), EBADF);
	NN_FAIL(nn_send(c, "x", 1, 0), EBADF);
	NN_PASS(s = nn_socket(AF_SP, NN_PAIR));
	NN_PASS(c = nn_socket(AF_SP, NN_PAIR));
	(void) nn_marry(s, c, NULL, NULL);
	nn_send_str(c, "after");
	nn_recv_str(s, "after");
	NN_PASS(n = nn_close(s));
	NN_PASS(nn_close(c));
}

NUTS_TESTS = {
	{ "strerror maps errno to nng text",
	    test_strerror_maps_errno_to_nng_text },
	{ "errno reports last failure", test_errno_reports_last_failure },
	{ "allocmsg rejects bad arguments",
	    test_allocmsg_rejects_bad_arguments },
	{ "allocmsg round trip", test_allocmsg_round_trip },
	{ "cmsg macros and next", test_cmsg_macros_and_next },
	{ "cmsg next with allocated control",
	    test_cmsg_next_with_allocated_control },
	{ "statistics are zero", test_statistics_are_zero },
	{ "socket numbers and domains", test_socket_numbers_and_domains },
	{ "bind connect shutdown", test_bind_connect_shutdown },
	{ "shutdown prefers own endpoint",
	    test_shutdown_prefers_own_endpoint },
	{ "pair inproc and tcp", test_pair_inproc_and_tcp },
	{ "reqrep inproc and tcp", test_reqrep_inproc_and_tcp },
	{ "req resend interval", test_req_resend_interval },
	{ "pubsub inproc and tcp", test_pubsub_inproc_and_tcp },
	{ "pipeline and bus", test_pipeline_and_bus },
	{ "survey", test_survey },
	{ "zero copy send and recv", test_zero_copy_send_and_recv },
	{ "sendmsg recvmsg iovecs", test_sendmsg_recvmsg_iovecs },
	{ "sp header control messages", test_sp_header_control_messages },
	{ "poll readiness", test_poll_readiness },
	{ "socket options", test_socket_options },
	{ "max recv size tcp", test_max_recv_size_tcp },
	{ "device", test_device },
	{ "term closes everything", test_term_closes_everything },
	{ NULL, NULL },
};
