// Wire interop with pynng (whose wheel bundles nng 1.11) as a second real
// peer: req/rep and pub/sub, both directions (our side listening, and our
// side dialing), over tcp and ipc. The peer is ctests/pynng_peer.py, run
// with python3; when `import pynng` fails the test reports that and passes
// without checking anything (CI installs pynng when it can).
//
// The peer prints what it received on its stdout, read here through a pipe
// with a deadline; our side waits on receives with timeouts. No fixed
// sleeps: the publisher side repeats its message until the subscriber
// shows it got one. tls+tcp, ws and wss, with every protocol pair, are in
// interop_pynng_tls_test.c.

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "nuts.h"
#include "testutil.h"

#define TIMEOUT_MS 10000

#include "nngcat.h"

static char script[4096];

// Starts the pynng peer (pynng_peer.py) as `role`, dialing or listening
// (`mode`) on `url`.
static void
peer_start(cat *p, const char *role, const char *mode, const char *url)
{
	const char *argv[] = { "python3", script, role, mode, url, NULL };
	int         rv     = child_start(p, false, argv);
	if (rv != 0) {
		NUTS_ABORT_("cannot run python3: %s", strerror(rv));
	}
}

// The peer's own waits are bounded by TIMEOUT_MS: allow it that and more
// (python starts slowly on a loaded machine).
static int
peer_wait(cat *p)
{
	return (cat_wait_for(p, 3 * TIMEOUT_MS));
}

static int seq;

static void
new_url(int tcp, char *url, size_t sz)
{
	if (tcp) {
		snprintf(url, sz, "tcp://127.0.0.1:%d", free_port());
	} else {
		snprintf(url, sz, "ipc:///tmp/nng-pynng-%d-%d.sock",
		    (int) getpid(), ++seq);
	}
}

// Our side of a connection: listens on url, or dials it with retries.
static void
attach(nng_socket s, int we_listen, const char *url)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT_MS));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT_MS));
	if (we_listen) {
		NUTS_PASS(nng_listen(s, url, NULL, 0));
	} else {
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 10));
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 50));
		NUTS_PASS(nng_dial(s, url, NULL, NNG_FLAG_NONBLOCK));
	}
}

static bool
have_pynng(void)
{
	cat         c;
	const char *argv[] = { "python3", "-c", "import pynng", NULL };
	return (child_start(&c, false, argv) == 0 && cat_wait(&c) == 0);
}

static void
test_pynng(void)
{
	const char *slash = strrchr(__FILE__, '/');
	snprintf(script, sizeof(script), "%.*s/pynng_peer.py",
	    slash ? (int) (slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (access(script, R_OK) != 0 || !have_pynng()) {
		printf("# skipped: python3 cannot import pynng\n");
		return;
	}
	for (int tcp = 0; tcp < 2; tcp++) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			const char *mode = we_listen ? "dial" : "listen";
			char        url[128];
			nng_socket  s;
			cat         p;
			char       *buf;
			size_t      sz;

			// Our req, pynng's rep.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_req0_open(&s));
			peer_start(&p, "rep", mode, url);
			attach(s, we_listen, url);
			NUTS_PASS(nng_send(s, "hello", 5, 0));
			NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
			NUTS_EQ(sz, 10);
			NUTS_TRUE(memcmp(buf, "pong:hello", 10) == 0);
			nng_free(buf, sz);
			cat_expect(&p, "hello");
			NUTS_PASS(nng_close(s));
			NUTS_EQ(peer_wait(&p), 0);

			// pynng's req, our rep.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_rep0_open(&s));
			peer_start(&p, "req", mode, url);
			attach(s, we_listen, url);
			NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
			NUTS_EQ(sz, 4);
			NUTS_TRUE(memcmp(buf, "ping", 4) == 0);
			nng_free(buf, sz);
			NUTS_PASS(nng_send(s, "pong", 4, 0));
			cat_expect(&p, "pong");
			NUTS_EQ(peer_wait(&p), 0);
			NUTS_PASS(nng_close(s));

			// Our pub, pynng's sub: publish until it shows one.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_pub0_open(&s));
			peer_start(&p, "sub", mode, url);
			attach(s, we_listen, url);
			{
				char      got[16];
				size_t    n        = 0;
				long long deadline = now_ms() + TIMEOUT_MS;
				while (n == 0 && now_ms() < deadline) {
					NUTS_PASS(nng_send(s, "from-c", 6, 0));
					n = cat_read_for(&p, got, 6, 20);
				}
				n += cat_read(&p, got + n, 6 - n);
				NUTS_EQ(n, 6);
				NUTS_TRUE(memcmp(got, "from-c", 6) == 0);
			}
			NUTS_EQ(peer_wait(&p), 0);
			NUTS_PASS(nng_close(s));

			// pynng's pub, our sub.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_sub0_open(&s));
			NUTS_PASS(
			    nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, "", 0));
			peer_start(&p, "pub", mode, url);
			attach(s, we_listen, url);
			NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
			NUTS_EQ(sz, 7);
			NUTS_TRUE(memcmp(buf, "from-py", 7) == 0);
			nng_free(buf, sz);
			cat_stop(&p);
			NUTS_PASS(nng_close(s));
		}
	}
}

NUTS_TESTS = {
	{ "pynng req/rep and pub/sub over tcp and ipc", test_pynng },
	{ NULL, NULL },
};
