// The socket:// transport: SP over descriptors the application connected
// itself (here both ends of nng_socket_pair, each handed to a listener).

#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "nuts.h"

static void
test_socket_pair_connects_two_listeners(void)
{
	nng_socket   req, rep;
	nng_listener l1, l2;
	nng_msg     *m;
	nng_sockaddr sa;
	uint64_t     pid;
	int          fds[2];

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 10000));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 10000));
	NUTS_PASS(nng_listener_create(&l1, req, "socket://"));
	NUTS_PASS(nng_listener_create(&l2, rep, "socket://"));
	NUTS_PASS(nng_socket_pair(fds));
	// Handed over before start: the descriptors wait.
	NUTS_PASS(nng_listener_set_int(l1, NNG_OPT_SOCKET_FD, fds[0]));
	NUTS_PASS(nng_listener_start(l1, 0));
	NUTS_PASS(nng_listener_start(l2, 0));
	// ... or after.
	NUTS_PASS(nng_listener_set_int(l2, NNG_OPT_SOCKET_FD, fds[1]));

	NUTS_PASS(nng_send(req, "ping", 4, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_len(m), 4);
	NUTS_TRUE(memcmp(nng_msg_body(m), "ping", 4) == 0);
	nng_pipe p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_get_addr(p, NNG_OPT_REMADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_UNSPEC);
	NUTS_PASS(nng_pipe_get_uint64(p, NNG_OPT_PEER_PID, &pid));
	NUTS_EQ(pid, getpid());
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_EQ(nng_msg_len(m), 4);
	nng_msg_free(m);
	NUTS_PASS(nng_close(req));
	NUTS_PASS(nng_close(rep));
}

static void
test_socket_urls_and_dialers(void)
{
	nng_socket   s;
	nng_listener l;
	nng_dialer   d;
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_dialer_create(&d, s, "socket://"), NNG_ENOTSUP);
	NUTS_FAIL(nng_listener_create(&l, s, "socket://x"), NNG_EADDRINVAL);
	NUTS_FAIL(nng_listener_create(&l, s, "socket:///p"), NNG_EADDRINVAL);
	NUTS_PASS(nng_listener_create(&l, s, "socket://"));
	for (int i = 0; i < 16; i++) {
		int fds[2];
		NUTS_PASS(nng_socket_pair(fds));
		NUTS_PASS(nng_listener_set_int(l, NNG_OPT_SOCKET_FD, fds[0]));
		close(fds[1]);
	}
	int fds[2];
	NUTS_PASS(nng_socket_pair(fds));
	NUTS_FAIL(nng_listener_set_int(l, NNG_OPT_SOCKET_FD, fds[0]),
	    NNG_ENOSPC);
	close(fds[0]);
	close(fds[1]);
	NUTS_PASS(nng_close(s));
}

NUTS_TESTS = {
	{ "socket pair connects two listeners",
	    test_socket_pair_connects_two_listeners },
	{ "socket urls and dialers", test_socket_urls_and_dialers },
	{ NULL, NULL },
};
