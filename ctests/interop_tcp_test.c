// Wire interop with real nng: Debian's nngcat (linked to Debian's libnng
// 1.5.2) as the peer of our library, over tcp (IPv4 and IPv6), ipc and
// abstract sockets, in both directions (our side listening, and our side
// dialing), for req/rep,
// push/pull, pair0, pair1, pub/sub, bus and surveyor/respondent. Every
// exchange checks the exact bytes each side received.
//
// nngcat runs in a child process (posix_spawn) whose environment has no
// LD_LIBRARY_PATH or LD_PRELOAD, so it loads the system's libnng, never
// ours. With --raw it prints each message body it receives, unframed, on
// its stdout, which we read through a pipe with a deadline.
//
// Where our side listens, nngcat gets the port from NNG_OPT_TCP_BOUND_PORT;
// where nngcat listens, the port is picked by binding port 0 first. When we
// dial, the dialer is non-blocking with a short reconnect time, so it
// connects as soon as nngcat's listener is up: waits are on events
// (receives, pipe notifications, nngcat's output) with timeouts, never
// fixed sleeps.

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

#define TIMEOUT_MS 10000

#include "nngcat.h"

// ---------------------------------------------------------------------------
// nngcat children

// ---------------------------------------------------------------------------
// Addresses

typedef enum { TCP, TCP6, IPC, ABSTRACT } tran;
static const tran   trans[]     = { TCP, TCP6, IPC, ABSTRACT };
static const char  *tran_name[] = { "tcp", "tcp6 ([::1])", "ipc", "abstract" };
static int          seq;

// Every transport of `trans` this machine has (TCP6 needs an IPv6
// loopback address; without one it is reported and left out).
#define FOR_TRANS(i)                                              \
	for (size_t i = 0; i < sizeof(trans) / sizeof(trans[0]); i++) \
		if (trans[i] != TCP6 || ipv6_ok())

// A free TCP port on the loopback address of `family`: bind port 0, read
// it, release it. -1 if the family has no loopback address.
static int
free_port_of(int family)
{
	struct sockaddr_storage ss;
	socklen_t               len = sizeof(ss);
	int                     fd  = socket(family, SOCK_STREAM, 0);
	int                     port;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *sa = (struct sockaddr_in6 *) &ss;
		sa->sin6_family         = AF_INET6;
		sa->sin6_addr           = in6addr_loopback;
	} else {
		struct sockaddr_in *sa = (struct sockaddr_in *) &ss;
		sa->sin_family         = AF_INET;
		sa->sin_addr.s_addr    = htonl(INADDR_LOOPBACK);
	}
	if (fd < 0) {
		return (-1);
	}
	if (bind(fd, (struct sockaddr *) &ss, len) != 0 ||
	    getsockname(fd, (struct sockaddr *) &ss, &len) != 0) {
		close(fd);
		return (-1);
	}
	close(fd);
	port = family == AF_INET6 ? ntohs(((struct sockaddr_in6 *) &ss)->sin6_port)
	                          : ntohs(((struct sockaddr_in *) &ss)->sin_port);
	return (port);
}

static int
free_port(void)
{
	int port = free_port_of(AF_INET);
	NUTS_TRUE(port > 0);
	return (port);
}

static bool
ipv6_ok(void)
{
	static int ok = -1;
	if (ok < 0) {
		ok = free_port_of(AF_INET6) > 0;
		if (!ok) {
			printf("  (no IPv6 loopback: tcp over [::1] left out)\n");
		}
	}
	return (ok);
}

// A fresh address for nngcat to listen on.
static void
cat_listen_url(tran t, char *url, size_t sz)
{
	switch (t) {
	case TCP:
		snprintf(url, sz, "tcp://127.0.0.1:%d", free_port());
		break;
	case TCP6: {
		int port = free_port_of(AF_INET6);
		NUTS_TRUE(port > 0);
		snprintf(url, sz, "tcp://[::1]:%d", port);
		break;
	}
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
	case TCP6: {
		// The tcp6 scheme on our side; nngcat dials the bracketed
		// literal with plain tcp://.
		int port;
		NUTS_PASS(nng_listener_create(&l, s, "tcp6://[::1]:0"));
		NUTS_PASS(nng_listener_start(l, 0));
		NUTS_PASS(
		    nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
		NUTS_TRUE(port > 0);
		snprintf(url, sz, "tcp://[::1]:%d", port);
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

// Connects our socket `s` and a new nngcat speaking `proto` (its protocol
// flag) over `t`: with `we_listen` we listen and nngcat dials, else nngcat
// listens and we dial. `args`: nngcat's other arguments, NULL-terminated.
static void
cat_connect(cat *c, nng_socket s, tran t, bool we_listen, const char *proto,
    const char *const *args)
{
	char        url[128];
	const char *argv[32];
	int         n = 0;
	if (we_listen) {
		our_listen(s, t, url, sizeof(url));
	} else {
		cat_listen_url(t, url, sizeof(url));
	}
	argv[n++] = proto;
	argv[n++] = we_listen ? "--dial" : "--listen";
	argv[n++] = url;
	while (*args != NULL && n < 31) {
		argv[n++] = *args++;
	}
	argv[n] = NULL;
	cat_startv(c, false, argv);
	if (!we_listen) {
		our_dial(s, url);
	}
}

// Pipe-added notifications, for senders that must not send before a peer
// is attached (pub drops messages nobody is connected for).
// ---------------------------------------------------------------------------
// The cases. Each runs over every transport, our side listening and then
// dialing.

// Our req asks, nngcat's rep answers.
static void
test_req_to_nngcat_rep(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_req0_open(&s));
			timeouts(s);
			static const char *const args[] = { "--raw", "--data",
				"pong", "--count", "1", NULL };
			cat_connect(&c, s, trans[i], we_listen, "--rep", args);
			send_str(s, "ping");
			recv_str(s, "pong");
			cat_expect(&c, "ping");
			NUTS_EQ(cat_wait(&c), 0);
			NUTS_PASS(nng_close(s));
			printf("  req -> nngcat rep over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// nngcat's req asks, our rep answers.
static void
test_nngcat_req_to_rep(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_rep0_open(&s));
			timeouts(s);
			// --interval bounds nngcat's wait for replies; we stop
			// it once it printed ours.
			static const char *const args[] = { "--raw", "--data",
				"ping", "--count", "1", "--interval", "60",
				NULL };
			cat_connect(&c, s, trans[i], we_listen, "--req", args);
			recv_str(s, "ping");
			send_str(s, "pong");
			cat_expect(&c, "pong");
			cat_stop(&c);
			NUTS_PASS(nng_close(s));
			printf("  nngcat req -> rep over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// Our push sends, nngcat's pull receives.
static void
test_push_to_nngcat_pull(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_push0_open(&s));
			timeouts(s);
			static const char *const args[] = { "--raw", "--count",
				"1", NULL };
			cat_connect(&c, s, trans[i], we_listen, "--pull", args);
			// push waits for a peer; the message goes to nngcat.
			send_str(s, "pushed payload");
			cat_expect(&c, "pushed payload");
			NUTS_EQ(cat_wait(&c), 0);
			NUTS_PASS(nng_close(s));
			printf("  push -> nngcat pull over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// nngcat's push sends, our pull receives.
static void
test_nngcat_push_to_pull(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_pull0_open(&s));
			timeouts(s);
			static const char *const args[] = { "--data",
				"from nngcat", "--count", "1", NULL };
			cat_connect(&c, s, trans[i], we_listen, "--push", args);
			recv_str(s, "from nngcat");
			NUTS_EQ(cat_wait(&c), 0);
			NUTS_PASS(nng_close(s));
			printf("  nngcat push -> pull over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// pair1 both ways: nngcat sends first, we answer.
static void
test_pair1_with_nngcat(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_pair1_open(&s));
			timeouts(s);
			static const char *const args[] = { "--raw", "--data",
				"hello", "--count", "1", "--interval", "60",
				NULL };
			cat_connect(&c, s, trans[i], we_listen, "--pair1", args);
			recv_str(s, "hello");
			send_str(s, "world");
			cat_expect(&c, "world");
			cat_stop(&c);
			NUTS_PASS(nng_close(s));
			printf("  pair1 <-> nngcat pair1 over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// Our pub publishes once nngcat's sub is attached.
static void
test_pub_to_nngcat_sub(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_pub0_open(&s));
			timeouts(s);
			watch_pipes(s);
			static const char *const args[] = { "--raw",
				"--subscribe", "news", "--count", "1", NULL };
			cat_connect(&c, s, trans[i], we_listen, "--sub", args);
			wait_pipe();
			send_str(s, "other topic");
			send_str(s, "news flash");
			cat_expect(&c, "news flash");
			NUTS_EQ(cat_wait(&c), 0);
			NUTS_PASS(nng_close(s));
			printf("  pub -> nngcat sub over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// nngcat's pub publishes, our sub receives what it subscribed to.
static void
test_nngcat_pub_to_sub(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_sub0_open(&s));
			timeouts(s);
			NUTS_PASS(nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, "ne", 2));
			// nngcat's dial returns once connected, then
			// it publishes: one message is enough.
			static const char *const dialing[] = { "--data",
				"news from nngcat", "--count", "1", NULL };
			// nngcat publishes before we connect, so it
			// repeats (every second) until we get one.
			static const char *const listening[] = { "--data",
				"news from nngcat", "--count", "30",
				"--interval", "1", NULL };
			cat_connect(&c, s, trans[i], we_listen, "--pub",
			    we_listen ? dialing : listening);
			recv_str(s, "news from nngcat");
			if (we_listen) {
				NUTS_EQ(cat_wait(&c), 0);
			} else {
				cat_stop(&c);
			}
			NUTS_PASS(nng_close(s));
			printf("  nngcat pub -> sub over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// pair0 both ways: nngcat sends first, we answer.
static void
test_pair0_with_nngcat(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_pair0_open(&s));
			timeouts(s);
			static const char *const args[] = { "--raw", "--data",
				"hello0", "--count", "1", "--interval", "60",
				NULL };
			cat_connect(&c, s, trans[i], we_listen, "--pair0", args);
			recv_str(s, "hello0");
			send_str(s, "world0");
			cat_expect(&c, "world0");
			cat_stop(&c);
			NUTS_PASS(nng_close(s));
			printf("  pair0 <-> nngcat pair0 over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// bus both ways. bus drops what no peer is attached for, so a listening
// nngcat repeats (every second) until we are connected.
static void
test_bus_with_nngcat(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_bus0_open(&s));
			timeouts(s);
			static const char *const dialing[] = { "--raw",
				"--data", "on the bus", "--count", "1",
				"--interval", "60", NULL };
			static const char *const listening[] = { "--raw",
				"--data", "on the bus", "--count", "30",
				"--interval", "1", NULL };
			cat_connect(&c, s, trans[i], we_listen, "--bus0",
			    we_listen ? dialing : listening);
			recv_str(s, "on the bus");
			send_str(s, "bus reply");
			cat_expect(&c, "bus reply");
			cat_stop(&c);
			NUTS_PASS(nng_close(s));
			printf("  bus <-> nngcat bus over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// Our surveyor asks once nngcat's respondent is attached; it answers.
static void
test_surveyor_to_nngcat_respondent(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_surveyor0_open(&s));
			timeouts(s);
			NUTS_PASS(nng_socket_set_ms(
			    s, NNG_OPT_SURVEYOR_SURVEYTIME, TIMEOUT_MS));
			watch_pipes(s);
			static const char *const args[] = { "--raw", "--data",
				"answer", "--count", "1", NULL };
			cat_connect(&c, s, trans[i], we_listen, "--respondent", args);
			wait_pipe();
			send_str(s, "question");
			recv_str(s, "answer");
			cat_expect(&c, "question");
			NUTS_EQ(cat_wait(&c), 0);
			NUTS_PASS(nng_close(s));
			printf("  surveyor -> nngcat respondent over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// nngcat's surveyor asks (repeating each second until we are attached),
// our respondent answers.
static void
test_nngcat_surveyor_to_respondent(void)
{
	FOR_TRANS(i) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			nng_socket s;
			cat        c;
			NUTS_PASS(nng_respondent0_open(&s));
			timeouts(s);
			static const char *const args[] = { "--raw", "--data",
				"question", "--count", "30", "--interval", "1",
				NULL };
			cat_connect(&c, s, trans[i], we_listen, "--surveyor", args);
			recv_str(s, "question");
			send_str(s, "answer");
			cat_expect(&c, "answer");
			cat_stop(&c);
			NUTS_PASS(nng_close(s));
			printf("  nngcat surveyor -> respondent over %s, %s\n",
			    tran_name[trans[i]], we_listen ? "we listen" : "we dial");
		}
	}
}

// The peer really is another nng: Debian's, not ours.
static void
test_peer_is_real_nng(void)
{
	NUTS_TRUE(strcmp(nng_version(), "1.5.2") != 0);
	// Our library reports itself, nngcat runs its own (it would fail
	// to start if it could not load a libnng.so.1).
	cat c;
	cat_start(&c, "--help", NULL);
	NUTS_TRUE(cat_wait(&c) >= 0);
}

NUTS_TESTS = {
	{ "peer is real nng", test_peer_is_real_nng },
	{ "req to nngcat rep", test_req_to_nngcat_rep },
	{ "nngcat req to rep", test_nngcat_req_to_rep },
	{ "push to nngcat pull", test_push_to_nngcat_pull },
	{ "nngcat push to pull", test_nngcat_push_to_pull },
	{ "pair1 with nngcat", test_pair1_with_nngcat },
	{ "pub to nngcat sub", test_pub_to_nngcat_sub },
	{ "nngcat pub to sub", test_nngcat_pub_to_sub },
	{ "pair0 with nngcat", test_pair0_with_nngcat },
	{ "bus with nngcat", test_bus_with_nngcat },
	{ "surveyor to nngcat respondent",
	    test_surveyor_to_nngcat_respondent },
	{ "nngcat surveyor to respondent",
	    test_nngcat_surveyor_to_respondent },
	{ NULL, NULL },
};
