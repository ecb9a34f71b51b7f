// Debian's nngcat binary running on OUR libnng (LD_PRELOAD of the library
// this program is linked to), talking to another nngcat on Debian's libnng
// 1.5.2 and to this program's code, over tcp, ipc and abstract sockets.
// Each run checks (from /proc/<pid>/maps) that the nngcat meant to run our
// library really does. Waits are on events (nngcat's output and exit, our
// receives) with timeouts.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#include <nng/nng.h>
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

// ---------------------------------------------------------------------------
// Addresses

typedef enum { TCP, IPC, ABSTRACT } tran;
static const tran   trans[]     = { TCP, IPC, ABSTRACT };
static int          seq;

// A fresh address for nngcat to listen on.
static void
cat_listen_url(tran t, char *url, size_t sz)
{
	switch (t) {
	case TCP:
		snprintf(url, sz, "tcp://127.0.0.1:%d", free_port());
		break;
	case IPC:
		snprintf(url, sz, "ipc:///tmp/nng-interop-%d-%d.sock",
		    (int) getpid(), ++seq);
		break;
	case ABSTRACT:
		snprintf(url, sz, "abstract://nng-interop-%d-%d",
		    (int) getpid(), ++seq);
		break;
	}
}

// Our side listens; `url` gets the address nngcat must dial.
static void
our_listen(nng_socket s, tran t, char *url, size_t sz)
{
	nng_listener l;
	switch (t) {
	case TCP: {
		int port;
		NUTS_PASS(nng_listener_create(&l, s, "tcp://127.0.0.1:0"));
		NUTS_PASS(nng_listener_start(l, 0));
		NUTS_PASS(
		    nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
		NUTS_TRUE(port > 0);
		snprintf(url, sz, "tcp://127.0.0.1:%d", port);
		return;
	}
	case IPC:
	case ABSTRACT:
		cat_listen_url(t, url, sz);
		NUTS_PASS(nng_listen(s, url, NULL, 0));
		return;
	}
}

// Our side dials nngcat's listener; connects once it is up.
static void
our_dial(nng_socket s, const char *url)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 50));
	NUTS_PASS(nng_dial(s, url, NULL, NNG_FLAG_NONBLOCK));
}

// True once process `pid` has our library mapped, and not Debian's.
static bool
runs_our_lib(pid_t pid)
{
	char      path[64];
	char      line[4400];
	long long deadline = now_ms() + TIMEOUT_MS;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int) pid);
	// The loader maps the libraries right after exec: wait for libnng.
	while (now_ms() < deadline) {
		FILE *f = fopen(path, "r");
		bool  ours = false, theirs = false;
		if (f == NULL) {
			return (false);
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strstr(line, our_lib()) != NULL) {
				ours = true;
			} else if (strstr(line, "/libnng.so") != NULL) {
				theirs = true;
			}
		}
		fclose(f);
		if (ours || theirs) {
			return (ours && !theirs);
		}
		struct pollfd none;
		(void) poll(&none, 0, 5);
	}
	return (false);
}

// nngcat on our library (listening) and nngcat on Debian's (dialing), and
// the other way round, req/rep over each transport.
static void
test_cat_ours_vs_cat_debian(void)
{
	for (size_t i = 0; i < sizeof(trans) / sizeof(trans[0]); i++) {
		for (int ours_listens = 0; ours_listens < 2; ours_listens++) {
			char url[128];
			cat  rep, req;
			cat_listen_url(trans[i], url, sizeof(url));
			// The one on our library starts first (a dialer
			// retries until the listener is up), so its mappings
			// are checked while it surely still runs.
			if (ours_listens) {
				cat_start_on(&rep, true, "--rep", "--listen", url,
				    "--raw", "--count", "1", "--data", "pong",
				    NULL);
				NUTS_TRUE(runs_our_lib(rep.pid));
			}
			// With --interval nngcat's req waits up to that
			// long for the reply; without it, it computes a
			// receive timeout below -1 once a millisecond has
			// passed and quits (with either library).
			cat_start_on(&req, !ours_listens, "--req", "--dial", url,
			    "--async", "--raw", "--count", "1", "--interval",
			    "1", "--data", "ping", NULL);
			if (!ours_listens) {
				NUTS_TRUE(runs_our_lib(req.pid));
				cat_start_on(&rep, false, "--rep", "--listen",
				    url, "--raw", "--count", "1", "--data",
				    "pong", NULL);
			}
			cat_expect(&rep, "ping");
			cat_expect(&req, "pong");
			NUTS_EQ(cat_wait(&req), 0);
			NUTS_EQ(cat_wait(&rep), 0);
		}
	}
}

// nngcat on our library against this program (also ours), pub/sub and
// push/pull, both directions.
static void
test_cat_ours_vs_our_code(void)
{
	for (size_t i = 0; i < sizeof(trans) / sizeof(trans[0]); i++) {
		char       url[128];
		cat        c;
		nng_socket s;
		char      *buf;
		size_t     sz;

		// Our code listens and pushes; nngcat (ours) dials and pulls.
		NUTS_PASS(nng_push0_open(&s));
		timeouts(s);
		our_listen(s, trans[i], url, sizeof(url));
		cat_start_on(&c, true, "--pull", "--dial", url, "--async",
		    "--raw", "--count", "1", NULL);
		NUTS_TRUE(runs_our_lib(c.pid));
		send_str(s, "to-cat");
		cat_expect(&c, "to-cat");
		NUTS_EQ(cat_wait(&c), 0);
		NUTS_PASS(nng_close(s));

		// nngcat (ours) listens and publishes; our code subscribes.
		cat_listen_url(trans[i], url, sizeof(url));
		NUTS_PASS(nng_sub0_open(&s));
		timeouts(s);
		NUTS_PASS(nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, "", 0));
		cat_start_on(&c, true, "--pub", "--listen", url, "--interval",
		    "1", "--data", "from-cat", NULL);
		NUTS_TRUE(runs_our_lib(c.pid));
		our_dial(s, url);
		NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
		NUTS_EQ(sz, 8);
		NUTS_TRUE(memcmp(buf, "from-cat", 8) == 0);
		nng_free(buf, sz);
		cat_stop(&c);
		NUTS_PASS(nng_close(s));
	}
}

NUTS_TESTS = {
	{ "nngcat on our lib vs nngcat on Debian's", test_cat_ours_vs_cat_debian },
	{ "nngcat on our lib vs our code", test_cat_ours_vs_our_code },
	{ NULL, NULL },
};
