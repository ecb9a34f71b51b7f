// Statistics (nng_stats_get and the nng_stat_* accessors): the tree's
// shape, names, types and units (reference ABI.md §8), values after
// traffic over inproc, the finders, NULL-safety, a snapshot outliving the
// sockets it describes, and nng_stats_dump of a large tree.
//
// nng-ctest: memcheck abi-1.5.2

#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/survey.h>

#include "nuts_sock.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// The leaf `name` directly under scope `scope`, or NULL.
static nng_stat *
leaf(nng_stat *scope, const char *name)
{
	for (nng_stat *c = nng_stat_child(scope); c != NULL;
	     c = nng_stat_next(c)) {
		if (strcmp(nng_stat_name(c), name) == 0) {
			return (c);
		}
	}
	return (NULL);
}

static uint64_t
leaf_value(nng_stat *scope, const char *name)
{
	nng_stat *s = leaf(scope, name);
	NUTS_TRUE(s != NULL);
	return (nng_stat_value(s));
}

static void
check_leaf(nng_stat *scope, const char *name, int type, int unit)
{
	nng_stat *s = leaf(scope, name);
	if (s == NULL) {
		NUTS_ABORT_("missing stat %s", name);
	}
	NUTS_EQ(nng_stat_type(s), type);
	NUTS_EQ(nng_stat_unit(s), unit);
	NUTS_TRUE(nng_stat_desc(s) != NULL);
	NUTS_TRUE(strlen(nng_stat_desc(s)) > 0);
}

// The scope of the pipe of socket `sock` (the first one found).
static nng_stat *
pipe_scope(nng_stat *root, nng_socket sock)
{
	for (nng_stat *c = nng_stat_child(root); c != NULL;
	     c = nng_stat_next(c)) {
		if (strcmp(nng_stat_name(c), "pipe") == 0 &&
		    leaf_value(c, "socket") == (uint64_t) nng_socket_id(sock)) {
			return (c);
		}
	}
	return (NULL);
}

static void
test_root(void)
{
	nng_stat  *root;
	nng_socket s;
	nng_time   before = nng_clock();

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_stats_get(&root));
	NUTS_TRUE(root != NULL);
	NUTS_MATCH(nng_stat_name(root), "");
	NUTS_EQ(nng_stat_type(root), NNG_STAT_SCOPE);
	NUTS_NULL(nng_stat_next(root));
	NUTS_TRUE(nng_stat_child(root) != NULL);
	NUTS_TRUE(nng_stat_timestamp(root) >= before);
	NUTS_TRUE(nng_stat_timestamp(root) <= nng_clock());
	// Every child of the root is a scope of a known kind.
	for (nng_stat *c = nng_stat_child(root); c != NULL;
	     c = nng_stat_next(c)) {
		const char *n = nng_stat_name(c);
		NUTS_EQ(nng_stat_type(c), NNG_STAT_SCOPE);
		NUTS_TRUE(strcmp(n, "socket") == 0 ||
		    strcmp(n, "dialer") == 0 || strcmp(n, "listener") == 0 ||
		    strcmp(n, "pipe") == 0);
		NUTS_EQ(nng_stat_value(c), leaf_value(c, "id"));
	}
	nng_stats_free(root);
	NUTS_PASS(nng_close(s));
}

static void
test_socket_shape(void)
{
	nng_stat  *root;
	nng_stat  *sc;
	nng_socket s;

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_socket_set_string(s, NNG_OPT_SOCKNAME, "statsock"));
	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_socket(root, s);
	NUTS_TRUE(sc != NULL);
	NUTS_MATCH(nng_stat_name(sc), "socket");
	NUTS_EQ(nng_stat_type(sc), NNG_STAT_SCOPE);
	NUTS_EQ(nng_stat_value(sc), (uint64_t) nng_socket_id(s));
	check_leaf(sc, "id", NNG_STAT_ID, NNG_UNIT_NONE);
	check_leaf(sc, "name", NNG_STAT_STRING, NNG_UNIT_NONE);
	check_leaf(sc, "protocol", NNG_STAT_STRING, NNG_UNIT_NONE);
	check_leaf(sc, "dialers", NNG_STAT_LEVEL, NNG_UNIT_NONE);
	check_leaf(sc, "listeners", NNG_STAT_LEVEL, NNG_UNIT_NONE);
	check_leaf(sc, "pipes", NNG_STAT_LEVEL, NNG_UNIT_NONE);
	check_leaf(sc, "reject", NNG_STAT_COUNTER, NNG_UNIT_NONE);
	check_leaf(sc, "tx_msgs", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	check_leaf(sc, "rx_msgs", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	check_leaf(sc, "tx_bytes", NNG_STAT_COUNTER, NNG_UNIT_BYTES);
	check_leaf(sc, "rx_bytes", NNG_STAT_COUNTER, NNG_UNIT_BYTES);
	NUTS_EQ(leaf_value(sc, "id"), (uint64_t) nng_socket_id(s));
	NUTS_MATCH(nng_stat_string(leaf(sc, "name")), "statsock");
	NUTS_MATCH(nng_stat_string(leaf(sc, "protocol")), "pair");
	// Not a string: "".
	NUTS_MATCH(nng_stat_string(leaf(sc, "id")), "");
	NUTS_EQ(leaf_value(sc, "tx_msgs"), 0);
	NUTS_EQ(leaf_value(sc, "pipes"), 0);
	// A pair0 socket has no protocol extras.
	NUTS_NULL(leaf(sc, "poly"));
	nng_stats_free(root);
	NUTS_PASS(nng_close(s));
}

static void
test_traffic(void)
{
	nng_stat    *root;
	nng_stat    *sc;
	nng_stat    *pc;
	nng_socket   s1, s2;
	nng_listener l;
	nng_dialer   d;
	char         url[64];

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	nuts_sock_addr(url, sizeof(url), "stats");
	NUTS_PASS(nng_listener_create(&l, s1, url));
	NUTS_PASS(nng_dialer_create(&d, s2, url));
	// nuts_marry_at listens and dials anew (a second listener and
	// dialer); l and d stay unstarted.
	nuts_marry_at(s1, s2, url);
	for (int i = 0; i < 3; i++) {
		NUTS_SEND(s2, "hello"); // 6 bytes
		NUTS_RECV(s1, "hello");
	}
	NUTS_SEND(s1, "back"); // 5 bytes
	NUTS_RECV(s2, "back");

	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_socket(root, s2);
	NUTS_TRUE(sc != NULL);
	NUTS_EQ(leaf_value(sc, "tx_msgs"), 3);
	NUTS_EQ(leaf_value(sc, "tx_bytes"), 18);
	NUTS_EQ(leaf_value(sc, "rx_msgs"), 1);
	NUTS_EQ(leaf_value(sc, "rx_bytes"), 5);
	NUTS_EQ(leaf_value(sc, "pipes"), 1);
	NUTS_EQ(leaf_value(sc, "dialers"), 2);
	NUTS_EQ(leaf_value(sc, "listeners"), 0);
	sc = nng_stat_find_socket(root, s1);
	NUTS_TRUE(sc != NULL);
	NUTS_EQ(leaf_value(sc, "rx_msgs"), 3);
	NUTS_EQ(leaf_value(sc, "rx_bytes"), 18);
	NUTS_EQ(leaf_value(sc, "tx_msgs"), 1);
	NUTS_EQ(leaf_value(sc, "tx_bytes"), 5);
	NUTS_EQ(leaf_value(sc, "listeners"), 2);

	// The pipes: same counts, and the endpoint that made them.
	pc = pipe_scope(root, s2);
	NUTS_TRUE(pc != NULL);
	check_leaf(pc, "id", NNG_STAT_ID, NNG_UNIT_NONE);
	check_leaf(pc, "socket", NNG_STAT_ID, NNG_UNIT_NONE);
	check_leaf(pc, "rx_msgs", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	check_leaf(pc, "tx_msgs", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	check_leaf(pc, "rx_bytes", NNG_STAT_COUNTER, NNG_UNIT_BYTES);
	check_leaf(pc, "tx_bytes", NNG_STAT_COUNTER, NNG_UNIT_BYTES);
	check_leaf(pc, "dialer", NNG_STAT_ID, NNG_UNIT_NONE);
	NUTS_NULL(leaf(pc, "listener"));
	NUTS_EQ(leaf_value(pc, "tx_msgs"), 3);
	NUTS_EQ(leaf_value(pc, "tx_bytes"), 18);
	NUTS_EQ(leaf_value(pc, "rx_msgs"), 1);
	pc = pipe_scope(root, s1);
	NUTS_TRUE(pc != NULL);
	check_leaf(pc, "listener", NNG_STAT_ID, NNG_UNIT_NONE);
	NUTS_EQ(leaf_value(pc, "rx_msgs"), 3);
	NUTS_EQ(leaf_value(pc, "rx_bytes"), 18);

	// The unstarted endpoints have scopes with zero counters.
	sc = nng_stat_find_dialer(root, d);
	NUTS_TRUE(sc != NULL);
	NUTS_MATCH(nng_stat_name(sc), "dialer");
	NUTS_EQ(nng_stat_value(sc), (uint64_t) nng_dialer_id(d));
	NUTS_EQ(leaf_value(sc, "socket"), (uint64_t) nng_socket_id(s2));
	NUTS_MATCH(nng_stat_string(leaf(sc, "url")), url);
	NUTS_EQ(leaf_value(sc, "pipes"), 0);
	NUTS_EQ(leaf_value(sc, "connect"), 0);
	sc = nng_stat_find_listener(root, l);
	NUTS_TRUE(sc != NULL);
	NUTS_MATCH(nng_stat_name(sc), "listener");
	NUTS_EQ(leaf_value(sc, "socket"), (uint64_t) nng_socket_id(s1));
	NUTS_MATCH(nng_stat_string(leaf(sc, "url")), url);
	NUTS_EQ(leaf_value(sc, "accept"), 0);
	nng_stats_free(root);
	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
}

// The endpoint nuts_marry made: one connection each, one pipe each.
static void
test_endpoints(void)
{
	nng_stat    *root;
	nng_stat    *sc;
	nng_socket   s1, s2;
	nng_listener l;
	nng_dialer   d;
	char         url[64];
	static const char *dnames[] = { "id", "socket", "url", "pipes",
		"connect", "refused", "disconnect", "canceled", "other",
		"timeout", "proto", "auth", "oom", "reject", NULL };
	static const char *lnames[] = { "id", "socket", "url", "pipes",
		"accept", "disconnect", "canceled", "other", "timeout", "proto",
		"auth", "oom", "reject", NULL };

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	nuts_sock_addr(url, sizeof(url), "stats-ep");
	NUTS_PASS(nng_listen(s1, url, &l, 0));
	NUTS_PASS(nng_dial(s2, url, &d, 0));
	NUTS_SEND(s2, "ping");
	NUTS_RECV(s1, "ping"); // both sides have the pipe now

	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_dialer(root, d);
	NUTS_TRUE(sc != NULL);
	for (int i = 0; dnames[i] != NULL; i++) {
		NUTS_TRUE(leaf(sc, dnames[i]) != NULL);
	}
	check_leaf(sc, "pipes", NNG_STAT_LEVEL, NNG_UNIT_NONE);
	check_leaf(sc, "refused", NNG_STAT_COUNTER, NNG_UNIT_NONE);
	NUTS_EQ(leaf_value(sc, "connect"), 1);
	NUTS_EQ(leaf_value(sc, "pipes"), 1);
	NUTS_EQ(leaf_value(sc, "refused"), 0);
	sc = nng_stat_find_listener(root, l);
	NUTS_TRUE(sc != NULL);
	for (int i = 0; lnames[i] != NULL; i++) {
		NUTS_TRUE(leaf(sc, lnames[i]) != NULL);
	}
	NUTS_NULL(leaf(sc, "refused"));
	check_leaf(sc, "pipes", NNG_STAT_COUNTER, NNG_UNIT_NONE); // (sic)
	NUTS_EQ(leaf_value(sc, "accept"), 1);
	NUTS_EQ(leaf_value(sc, "pipes"), 1);
	// A dialer is not a listener, nor a socket, even with the same id.
	NUTS_NULL(nng_stat_find_dialer(sc, d));
	// inproc endpoints have no receive limit statistic.
	NUTS_NULL(leaf(sc, "rcv_max"));
	nng_stats_free(root);
	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
}

// tcp and ipc endpoints add rcv_max: their receive size limit (a level, in
// bytes), as upstream's stream transports do.
static void
test_rcv_max(void)
{
	nng_stat    *root;
	nng_stat    *sc;
	nng_socket   s;
	nng_listener l;
	nng_dialer   d;
	char         url[64];

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_listener_create(&l, s, "tcp://127.0.0.1:0"));
	NUTS_PASS(nng_listener_set_size(l, NNG_OPT_RECVMAXSZ, 1234));
	snprintf(url, sizeof(url), "ipc:///tmp/nng-stats-rcvmax-%d", (int) getpid());
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_dialer_set_size(d, NNG_OPT_RECVMAXSZ, 4321));
	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_listener(root, l);
	NUTS_TRUE(sc != NULL);
	check_leaf(sc, "rcv_max", NNG_STAT_LEVEL, NNG_UNIT_BYTES);
	NUTS_EQ(leaf_value(sc, "rcv_max"), 1234);
	sc = nng_stat_find_dialer(root, d);
	NUTS_TRUE(sc != NULL);
	check_leaf(sc, "rcv_max", NNG_STAT_LEVEL, NNG_UNIT_BYTES);
	NUTS_EQ(leaf_value(sc, "rcv_max"), 4321);
	nng_stats_free(root);
	NUTS_PASS(nng_close(s));
}

static void
test_refused(void)
{
	nng_stat  *root;
	nng_stat  *sc;
	nng_socket s;
	nng_dialer d;
	char       url[64];

	NUTS_PASS(nng_pair0_open(&s));
	nuts_sock_addr(url, sizeof(url), "stats-nobody");
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_ECONNREFUSED);
	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_dialer(root, d);
	NUTS_TRUE(sc != NULL);
	NUTS_EQ(leaf_value(sc, "refused"), 1);
	NUTS_EQ(leaf_value(sc, "connect"), 0);
	NUTS_EQ(leaf_value(sc, "other"), 0);
	nng_stats_free(root);
	NUTS_PASS(nng_close(s));
}

// A pair0 socket refuses a pair1 peer: both sockets count a reject.
static void
test_reject(void)
{
	nng_stat    *root;
	nng_stat    *sc;
	nng_socket   s0, s1;
	nng_listener l;
	nuts_count   c;
	char         url[64];

	NUTS_PASS(nng_pair0_open(&s0));
	NUTS_PASS(nng_pair1_open(&s1));
	nuts_count_init(&c);
	NUTS_PASS(
	    nng_pipe_notify(s0, NNG_PIPE_EV_REM_POST, nuts_sock_bump_cb, &c));
	nuts_sock_addr(url, sizeof(url), "stats-rej");
	NUTS_PASS(nng_listen(s0, url, &l, 0));
	NUTS_PASS(nng_dial(s1, url, NULL, NNG_FLAG_NONBLOCK));
	NUTS_TRUE(nuts_count_wait(&c, 1, NUTS_SOCK_LONG) >= 1);
	NUTS_PASS(nng_pipe_notify(s0, NNG_PIPE_EV_REM_POST, NULL, NULL));
	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_socket(root, s0);
	NUTS_TRUE(sc != NULL);
	NUTS_TRUE(leaf_value(sc, "reject") >= 1);
	NUTS_EQ(leaf_value(sc, "pipes"), 0);
	sc = nng_stat_find_listener(root, l);
	NUTS_TRUE(sc != NULL);
	NUTS_TRUE(leaf_value(sc, "reject") >= 1);
	NUTS_TRUE(leaf_value(sc, "accept") >= 1);
	nng_stats_free(root);
	NUTS_PASS(nng_close(s0));
	NUTS_PASS(nng_close(s1));
	nuts_count_fini(&c);
}

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static void
test_pair1_extras(void)
{
	nng_stat  *root;
	nng_stat  *sc;
	nng_socket s, p, r;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_pair1_open_poly(&p));
	NUTS_PASS(nng_pair1_open_raw(&r));
	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_socket(root, s);
	NUTS_TRUE(sc != NULL);
	NUTS_MATCH(nng_stat_string(leaf(sc, "protocol")), "pair1");
	check_leaf(sc, "poly", NNG_STAT_BOOLEAN, NNG_UNIT_NONE);
	check_leaf(sc, "raw", NNG_STAT_BOOLEAN, NNG_UNIT_NONE);
	check_leaf(sc, "mismatch", NNG_STAT_COUNTER, NNG_UNIT_NONE);
	check_leaf(sc, "already", NNG_STAT_COUNTER, NNG_UNIT_NONE);
	check_leaf(sc, "ttl_drop", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	check_leaf(sc, "tx_drop", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	check_leaf(sc, "rx_malformed", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	NUTS_NULL(leaf(sc, "tx_malformed"));
	NUTS_TRUE(!nng_stat_bool(leaf(sc, "poly")));
	NUTS_TRUE(!nng_stat_bool(leaf(sc, "raw")));
	sc = nng_stat_find_socket(root, p);
	NUTS_TRUE(nng_stat_bool(leaf(sc, "poly")));
	sc = nng_stat_find_socket(root, r);
	NUTS_TRUE(nng_stat_bool(leaf(sc, "raw")));
	check_leaf(sc, "tx_malformed", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	nng_stats_free(root);
	NUTS_PASS(nng_close(s));
	NUTS_PASS(nng_close(p));
	NUTS_PASS(nng_close(r));
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

// Counters beyond upstream, where the protocol cores count things.
static void
test_proto_extras(void)
{
	nng_stat  *root;
	nng_stat  *sc;
	nng_socket req, pub, sub, surv;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_surveyor0_open(&surv));
	// Long enough for the receive to start first, even under valgrind.
	NUTS_PASS(nng_socket_set_ms(surv, NNG_OPT_SURVEYOR_SURVEYTIME, 300));
	// A survey nobody answers: the receive ends with the survey time.
	NUTS_PASS(nng_send(surv, "q", 1, 0));
	{
		char   buf[8];
		size_t sz = sizeof(buf);
		NUTS_FAIL(nng_recv(surv, buf, &sz, 0), NNG_ETIMEDOUT);
	}
	NUTS_PASS(nng_stats_get(&root));
	sc = nng_stat_find_socket(root, req);
	check_leaf(sc, "resend", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	NUTS_EQ(leaf_value(sc, "resend"), 0);
	sc = nng_stat_find_socket(root, pub);
	check_leaf(sc, "tx_drop", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	sc = nng_stat_find_socket(root, sub);
	check_leaf(sc, "rx_drop", NNG_STAT_COUNTER, NNG_UNIT_MESSAGES);
	sc = nng_stat_find_socket(root, surv);
	check_leaf(sc, "survey_timeout", NNG_STAT_COUNTER, NNG_UNIT_NONE);
	NUTS_EQ(leaf_value(sc, "survey_timeout"), 1);
	nng_stats_free(root);
	NUTS_PASS(nng_close(req));
	NUTS_PASS(nng_close(pub));
	NUTS_PASS(nng_close(sub));
	NUTS_PASS(nng_close(surv));
}

static void
test_find(void)
{
	nng_stat  *root;
	nng_stat  *sc;
	nng_stat  *st;
	nng_socket s;
	nng_socket none = NNG_SOCKET_INITIALIZER;
	nng_dialer nd   = NNG_DIALER_INITIALIZER;

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_stats_get(&root));
	// The root itself matches its own (empty) name.
	NUTS_TRUE(nng_stat_find(root, "") == root);
	st = nng_stat_find(root, "tx_msgs");
	NUTS_TRUE(st != NULL);
	NUTS_MATCH(nng_stat_name(st), "tx_msgs");
	NUTS_NULL(nng_stat_find(root, "no-such-stat"));
	// Searching a scope stays inside it.
	sc = nng_stat_find_socket(root, s);
	NUTS_TRUE(sc != NULL);
	st = nng_stat_find(sc, "protocol");
	NUTS_TRUE(st != NULL);
	NUTS_MATCH(nng_stat_string(st), "pair");
	NUTS_NULL(nng_stat_find(sc, "url"));
	NUTS_TRUE(nng_stat_find(sc, "socket") == sc);
	NUTS_NULL(nng_stat_find_socket(root, none));
	NUTS_NULL(nng_stat_find_dialer(root, nd));
	// A leaf is no scope.
	NUTS_NULL(nng_stat_find_socket(leaf(sc, "id"), s));
	nng_stats_free(root);
	NUTS_PASS(nng_close(s));
}

static void
test_null(void)
{
	nng_socket s = NNG_SOCKET_INITIALIZER;
	nng_stats_free(NULL);
	nng_stats_dump(NULL);
	NUTS_FAIL(nng_stats_get(NULL), NNG_EINVAL);
	NUTS_NULL(nng_stat_next(NULL));
	NUTS_NULL(nng_stat_child(NULL));
	NUTS_NULL(nng_stat_name(NULL));
	NUTS_NULL(nng_stat_desc(NULL));
	NUTS_NULL(nng_stat_string(NULL));
	NUTS_EQ(nng_stat_type(NULL), 0);
	NUTS_EQ(nng_stat_unit(NULL), 0);
	NUTS_EQ(nng_stat_value(NULL), 0);
	NUTS_TRUE(!nng_stat_bool(NULL));
	NUTS_EQ(nng_stat_timestamp(NULL), 0);
	NUTS_NULL(nng_stat_find(NULL, "socket"));
	NUTS_NULL(nng_stat_find_socket(NULL, s));
	NUTS_NULL(nng_stat_find_dialer(NULL, (nng_dialer) { 0 }));
	NUTS_NULL(nng_stat_find_listener(NULL, (nng_listener) { 0 }));
	nng_stat *root;
	NUTS_PASS(nng_stats_get(&root));
	NUTS_NULL(nng_stat_find(root, NULL));
	nng_stats_free(root);
}

// A snapshot owns its data: it outlives the objects it describes.
static void
test_survives_close(void)
{
	nng_stat  *root;
	nng_stat  *sc;
	nng_socket s1, s2;
	uint32_t   id;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	NUTS_PASS(nng_socket_set_string(s1, NNG_OPT_SOCKNAME, "gone-soon"));
	nuts_marry(s1, s2);
	NUTS_SEND(s1, "x");
	NUTS_RECV(s2, "x");
	id = (uint32_t) nng_socket_id(s1);
	NUTS_PASS(nng_stats_get(&root));
	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
	sc = nng_stat_find_socket(root, s1);
	NUTS_TRUE(sc != NULL);
	NUTS_EQ(leaf_value(sc, "id"), id);
	NUTS_MATCH(nng_stat_string(leaf(sc, "name")), "gone-soon");
	NUTS_EQ(leaf_value(sc, "tx_msgs"), 1);
	NUTS_TRUE(pipe_scope(root, s1) != NULL);
	nng_stats_free(root);

	// And a new snapshot no longer has them.
	NUTS_PASS(nng_stats_get(&root));
	NUTS_NULL(nng_stat_find_socket(root, s1));
	NUTS_NULL(pipe_scope(root, s1));
	nng_stats_free(root);
}

#define NSOCK 64

static void
test_dump(void)
{
	nng_socket   s[NSOCK];
	nng_stat    *root;
	char         url[64];
	char         path[] = "/tmp/nng-stats-dump-XXXXXX";
	int          fd, saved;
	FILE        *f;
	char         line[512];
	int          scopes = 0, listeners = 0, named = 0;

	for (int i = 0; i < NSOCK; i++) {
		NUTS_PASS(nng_pair1_open(&s[i]));
		nuts_sock_addr(url, sizeof(url), "stats-dump");
		NUTS_PASS(nng_listen(s[i], url, NULL, 0));
	}
	NUTS_PASS(nng_socket_set_string(s[7], NNG_OPT_SOCKNAME, "seventh"));
	NUTS_PASS(nng_stats_get(&root));

	fd = mkstemp(path);
	NUTS_TRUE(fd >= 0);
	fflush(stdout);
	saved = dup(1);
	NUTS_TRUE(saved >= 0);
	NUTS_TRUE(dup2(fd, 1) == 1);
	nng_stats_dump(root);
	fflush(stdout);
	NUTS_TRUE(dup2(saved, 1) == 1);
	close(saved);
	close(fd);
	nng_stats_free(root);

	f = fopen(path, "r");
	NUTS_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "socket#", 7) == 0) {
			scopes++;
		}
		if (strncmp(line, "listener#", 9) == 0) {
			listeners++;
		}
		if (strstr(line, "\"seventh\"") != NULL &&
		    strncmp(line, "        name ", 13) == 0) {
			named++;
		}
	}
	fclose(f);
	unlink(path);
	NUTS_TRUE(scopes >= NSOCK);
	NUTS_TRUE(listeners >= NSOCK);
	NUTS_EQ(named, 1);
	for (int i = 0; i < NSOCK; i++) {
		NUTS_PASS(nng_close(s[i]));
	}
}

NUTS_TESTS = {
	{ "stats root", test_root },
	{ "stats socket shape", test_socket_shape },
	{ "stats traffic", test_traffic },
	{ "stats endpoints", test_endpoints },
	{ "stats rcv_max", test_rcv_max },
	{ "stats refused", test_refused },
	{ "stats reject", test_reject },
	{ "stats pair1 extras", test_pair1_extras },
	{ "stats protocol extras", test_proto_extras },
	{ "stats find", test_find },
	{ "stats null", test_null },
	{ "stats survive close", test_survives_close },
	{ "stats dump", test_dump },
	{ NULL, NULL },
};
