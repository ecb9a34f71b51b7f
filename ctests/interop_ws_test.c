// Wire interop with real nng over WebSocket: Debian's nngcat (linked to
// Debian's libnng 1.5.2) as the peer of our library over ws:// and wss://,
// in both directions (our side listening, and our side dialing), for
// req/rep, pair1, push/pull, pub/sub and bus, with messages small and
// large enough to be fragmented (64 KiB frames). Every exchange checks the
// exact bytes each side received. wss uses certificates made at test time
// with the openssl CLI (CN and DNS SAN "localhost", as mbedTLS 2.28 matches
// names only against those).
//
// nngcat runs in a child process (posix_spawn) whose environment has no
// LD_LIBRARY_PATH or LD_PRELOAD, so it loads the system's libnng, never
// ours. With --raw it prints each message body it receives, unframed, on
// its stdout, which we read through a pipe with a deadline. Waits are on
// events with timeouts, never fixed sleeps.

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <stdlib.h>

#include <nng/nng.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/supplemental/util/platform.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>

#include "nuts.h"
#include "testutil.h"

#define TIMEOUT_MS 10000

#include "nngcat.h"

// ---------------------------------------------------------------------------
// nngcat children

#define MAX_CATS 8
#define BIG 100000
static void
make_certs(void)
{
	make_certs_with("ws-interop", "");
}

static pid_t cats_alive[MAX_CATS];

// ---------------------------------------------------------------------------
// Certificates and addresses

typedef enum { WS, WSS } tran;
static const tran  trans[]     = { WS, WSS };
static const char *tran_name[] = { "ws", "wss" };

// Starts nngcat as `role` (e.g. "--rep"), listening (`listen`) or dialing
// `url`, with the TLS arguments its side needs, then `extra` (NULL-ended).
static void
cat_run(cat *c, tran t, const char *role, bool listen, const char *url,
    const char **extra)
{
	const char *args[32];
	int         n = 0;
	args[n++]     = role;
	args[n++]     = listen ? "--listen" : "--dial";
	args[n++]     = url;
	// Send-only roles print nothing and refuse format options.
	if (strcmp(role, "--push") != 0 && strcmp(role, "--pub") != 0) {
		args[n++] = "--raw";
	}
	if (t == WSS && listen) {
		args[n++] = "--cert";
		args[n++] = path_of("srv.crt");
		args[n++] = "--key";
		args[n++] = path_of("srv.key");
	} else if (t == WSS) {
		args[n++] = "--cacert";
		args[n++] = path_of("ca.crt");
	}
	for (; extra != NULL && *extra != NULL && n < 31; extra++) {
		args[n++] = *extra;
	}
	args[n] = NULL;
	cat_startv(c, false, args);
}

// Our side listens on a fresh port; `url` gets what nngcat must dial
// (wss by name, so the certificate's name matches).
static void
our_listen(nng_socket s, tran t, const char *path, char *url, size_t sz)
{
	nng_listener l;
	int          port;
	char         mine[128];
	snprintf(mine, sizeof(mine), "%s://127.0.0.1:0%s", tran_name[t], path);
	NUTS_PASS(nng_listener_create(&l, s, mine));
	if (t == WSS) {
		NUTS_PASS(nng_listener_set_string(
		    l, NNG_OPT_TLS_CERT_KEY_FILE, path_of("both.pem")));
	}
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	NUTS_TRUE(port > 0);
	snprintf(url, sz, "%s://%s:%d%s", tran_name[t],
	    t == WSS ? "localhost" : "127.0.0.1", port, path);
}

// A fresh address for nngcat to listen on.
static void
cat_listen_url(tran t, const char *path, char *url, size_t sz)
{
	snprintf(url, sz, "%s://127.0.0.1:%d%s", tran_name[t], free_port(), path);
}

// Our side dials nngcat's listener; connects once it is up.
static void
our_dial(nng_socket s, tran t, const char *url)
{
	nng_dialer d;
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 50));
	NUTS_PASS(nng_dialer_create(&d, s, url));
	if (t == WSS) {
		NUTS_PASS(nng_dialer_set_string(
		    d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
		NUTS_PASS(
		    nng_dialer_set_string(d, NNG_OPT_TLS_SERVER_NAME, "localhost"));
	}
	NUTS_PASS(nng_dialer_start(d, NNG_FLAG_NONBLOCK));
}

// Connects our socket `s` and a new nngcat as `role` over `t` at `path`:
// with `we_listen` we listen and nngcat dials, else nngcat listens and we
// dial. `extra`: nngcat's further arguments (NULL-ended).
static void
cat_connect(cat *c, nng_socket s, tran t, bool we_listen, const char *path,
    const char *role, const char **extra)
{
	char url[128];
	if (we_listen) {
		our_listen(s, t, path, url, sizeof(url));
		cat_run(c, t, role, false, url, extra);
	} else {
		cat_listen_url(t, path, url, sizeof(url));
		cat_run(c, t, role, true, url, extra);
		our_dial(s, t, url);
	}
}

// Pipe-added notifications, for senders that must not send before a peer
// is attached (pub drops messages nobody is connected for).
static char big_a[BIG + 1];
static char big_b[BIG + 1];

static void
make_big(void)
{
	for (int i = 0; i < BIG; i++) {
		big_a[i] = (char) ('a' + i % 26);
		big_b[i] = (char) ('A' + (i * 7) % 26);
	}
}

// ---------------------------------------------------------------------------
// The cases. Each runs over ws and wss, our side listening and then
// dialing.

// Our req asks, nngcat's rep answers (small and fragmented messages).
static void
test_req_to_nngcat_rep(void)
{
	make_certs();
	make_big();
	for (size_t i = 0; i < 2; i++) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			for (int big = 0; big < 2; big++) {
				nng_socket  s;
				cat         c;
				const char *ask   = big ? big_a : "ping";
				const char *reply = big ? big_b : "pong";
				const char *extra[] = { "--data", reply, "--count",
					"1", NULL };
				NUTS_PASS(nng_req0_open(&s));
				timeouts(s);
				cat_connect(&c, s, trans[i], we_listen, "/rr",
				    "--rep", extra);
				send_str(s, ask);
				// nngcat prints the request before it replies (and a
				// big one fills the pipe): read it first.
				cat_expect(&c, ask);
				recv_str(s, reply);
				NUTS_EQ(cat_wait(&c), 0);
				NUTS_PASS(nng_close(s));
				printf("  req -> nngcat rep over %s, %s, %s\n",
				    tran_name[trans[i]],
				    we_listen ? "we listen" : "we dial",
				    big ? "100000 bytes" : "small");
			}
		}
	}
}

// nngcat's req asks, our rep answers; nngcat dials a URL without a path
// (upstream's empty request target) where we listen.
static void
test_nngcat_req_to_rep(void)
{
	make_certs();
	for (size_t i = 0; i < 2; i++) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket  s;
			cat         c;
			// --interval bounds nngcat's wait for replies; we stop
			// it once it printed ours.
			const char *extra[] = { "--data", "question", "--count", "1",
				"--interval", "60", NULL };
			NUTS_PASS(nng_rep0_open(&s));
			timeouts(s);
			cat_connect(&c, s, trans[i], we_listen, "",
			    "--req", extra);
			recv_str(s, "question");
			send_str(s, "answer");
			cat_expect(&c, "answer");
			cat_stop(&c);
			NUTS_PASS(nng_close(s));
			printf("  nngcat req -> rep over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// pair1 both ways over one connection.
static void
test_pair1(void)
{
	make_certs();
	for (size_t i = 0; i < 2; i++) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket  s;
			cat         c;
			const char *extra[] = { "--data", "from-cat", "--count", "1",
				"--interval", "1", "--delay", "1", NULL };
			NUTS_PASS(nng_pair1_open(&s));
			timeouts(s);
			cat_connect(&c, s, trans[i], we_listen, "/pair",
			    "--pair1", extra);
			recv_str(s, "from-cat");
			send_str(s, "from-us");
			cat_expect(&c, "from-us");
			cat_stop(&c);
			NUTS_PASS(nng_close(s));
			printf("  pair1 <-> nngcat over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// Our push feeds nngcat's pull; nngcat's push feeds our pull.
static void
test_pipeline(void)
{
	make_certs();
	make_big();
	for (size_t i = 0; i < 2; i++) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket  s;
			cat         c;
			const char *pull_extra[] = { "--count", "1", NULL };
			const char *push_extra[] = { "--data", big_b, "--count",
				"1", NULL };

			NUTS_PASS(nng_push0_open(&s));
			timeouts(s);
			cat_connect(&c, s, trans[i], we_listen, "/pl",
			    "--pull", pull_extra);
			send_str(s, big_a);
			cat_expect(&c, big_a);
			NUTS_EQ(cat_wait(&c), 0);
			NUTS_PASS(nng_close(s));

			NUTS_PASS(nng_pull0_open(&s));
			timeouts(s);
			cat_connect(&c, s, trans[i], we_listen, "/pl",
			    "--push", push_extra);
			recv_str(s, big_b);
			NUTS_EQ(cat_wait(&c), 0);
			NUTS_PASS(nng_close(s));
			printf("  push/pull with nngcat over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// Our pub to nngcat's sub, and nngcat's bus to ours.
static void
test_pubsub_and_bus(void)
{
	make_certs();
	for (size_t i = 0; i < 2; i++) {
		nng_socket  s;
		cat         c;
		char        url[128];
		const char *sub_extra[] = { "--subscribe", "", "--count", "1",
			NULL };
		const char *bus_extra[] = { "--data", "bus-cat", "--count", "1",
			"--interval", "1", "--delay", "1", NULL };

		NUTS_PASS(nng_pub0_open(&s));
		timeouts(s);
		watch_pipes(s);
		our_listen(s, trans[i], "/ps", url, sizeof(url));
		cat_run(&c, trans[i], "--sub", false, url, sub_extra);
		wait_pipe();
		// nngcat subscribes once connected; publish until it has one.
		{
			char   buf[16];
			size_t got = 0;
			for (int k = 0; k < 200 && got == 0; k++) {
				send_str(s, "news");
				struct pollfd pfd = { .fd = c.out, .events = POLLIN };
				if (poll(&pfd, 1, 50) > 0) {
					got = cat_read(&c, buf, 4);
					buf[got] = 0;
				}
			}
			NUTS_EQ(got, 4);
			NUTS_MATCH(buf, "news");
		}
		NUTS_EQ(cat_wait(&c), 0);
		NUTS_PASS(nng_close(s));

		NUTS_PASS(nng_bus0_open(&s));
		timeouts(s);
		cat_listen_url(trans[i], "/bus", url, sizeof(url));
		cat_run(&c, trans[i], "--bus0", true, url, bus_extra);
		our_dial(s, trans[i], url);
		recv_str(s, "bus-cat");
		send_str(s, "bus-us");
		cat_expect(&c, "bus-us");
		cat_stop(&c);
		NUTS_PASS(nng_close(s));
		printf("  pub/sub and bus with nngcat over %s\n",
		    tran_name[trans[i]]);
	}
}

static void
test_cleanup(void)
{
	remove_certs();
}

NUTS_TESTS = {
	{ "req to nngcat rep", test_req_to_nngcat_rep },
	{ "nngcat req to rep", test_nngcat_req_to_rep },
	{ "pair1", test_pair1 },
	{ "pipeline", test_pipeline },
	{ "pubsub and bus", test_pubsub_and_bus },
	{ "cleanup", test_cleanup },
	{ NULL, NULL },
};
