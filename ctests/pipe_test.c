// Pipes as a C program sees them: nng_pipe_notify (event order, what a
// callback may look up, rejecting a pipe from NNG_PIPE_EV_ADD_PRE),
// closing pipes, the pipe of a received message, pipe options (the
// transport's, then the endpoint's and the socket's), stale handles.
// Reference: API.md §2 (notes), §5; ABI.md §4.2, §7.3.
//
// nng-ctest: memcheck abi-1.5.2

#include <nuts_sock.h>

#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>

#define MAX_EVENTS 16

// What the callbacks of one socket saw.
typedef struct {
	nng_socket   s;
	nng_dialer   d; // the only dialer on the socket (or none)
	nng_listener l; // the only listener on the socket (or none)
	nng_mtx     *mx;
	nng_cv      *cv;
	int          n;                // events seen
	nng_pipe_ev  ev[MAX_EVENTS];   // in order
	uint32_t     pipe[MAX_EVENTS]; // the pipe of each
	int          err;              // callbacks that saw something wrong
	int          reject;           // ADD_PRE callbacks still to reject
	int          counts[NNG_PIPE_EV_NUM];
} watch;

static void
watch_cb(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	watch *w = arg;
	bool   bad;

	// The pipe is known (to every event, REM_POST included), and names
	// its socket and its endpoint.
	bad = nng_pipe_id(p) <= 0 ||
	    nng_socket_id(nng_pipe_socket(p)) != nng_socket_id(w->s) ||
	    nng_dialer_id(nng_pipe_dialer(p)) != nng_dialer_id(w->d) ||
	    nng_listener_id(nng_pipe_listener(p)) != nng_listener_id(w->l);

	nng_mtx_lock(w->mx);
	if (bad || ev < 0 || ev >= NNG_PIPE_EV_NUM || w->n >= MAX_EVENTS) {
		w->err++;
	} else {
		w->ev[w->n]   = ev;
		w->pipe[w->n] = p.id;
		w->n++;
		w->counts[ev]++;
	}
	nng_cv_wake(w->cv);
	nng_mtx_unlock(w->mx);

	if (ev == NNG_PIPE_EV_ADD_PRE) {
		bool rej = false;
		nng_mtx_lock(w->mx);
		if (w->reject > 0) {
			w->reject--;
			rej = true;
		}
		nng_mtx_unlock(w->mx);
		if (rej) {
			NUTS_PASS(nng_pipe_close(p));
		}
	}
}

static void
watch_init(watch *w, nng_socket s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	NUTS_PASS(nng_mtx_alloc(&w->mx));
	NUTS_PASS(nng_cv_alloc(&w->cv, w->mx));
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_ADD_PRE, watch_cb, w));
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_ADD_POST, watch_cb, w));
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_REM_POST, watch_cb, w));
}

static void
watch_fini(watch *w)
{
	nng_cv_free(w->cv);
	nng_mtx_free(w->mx);
}

// Waits until event `ev` was seen at least `want` times; returns the count.
static int
watch_wait(watch *w, nng_pipe_ev ev, int want, nng_duration ms)
{
	nng_time end = nng_clock() + (nng_time) ms;
	int      n;
	nng_mtx_lock(w->mx);
	while (w->counts[ev] < want) {
		if (nng_cv_until(w->cv, end) == NNG_ETIMEDOUT) {
			break;
		}
	}
	n = w->counts[ev];
	nng_mtx_unlock(w->mx);
	return (n);
}

static int
watch_errors(watch *w)
{
	int n;
	nng_mtx_lock(w->mx);
	n = w->err;
	nng_mtx_unlock(w->mx);
	return (n);
}

// A push socket dialing a pull socket, both watched.
typedef struct {
	nng_socket push, pull;
	watch      wpush, wpull;
	char       url[64];
} line;

static void
line_open(line *t, int reject)
{
	NUTS_PASS(nng_push0_open(&t->push));
	NUTS_PASS(nng_pull0_open(&t->pull));
	NUTS_PASS(nng_socket_set_ms(t->pull, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(t->push, NNG_OPT_SENDTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(t->push, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(t->push, NNG_OPT_RECONNMAXT, 10));
	watch_init(&t->wpush, t->push);
	watch_init(&t->wpull, t->pull);
	t->wpull.reject = reject;
	nuts_sock_addr(t->url, sizeof(t->url), "pipe");
	NUTS_PASS(nng_listener_create(&t->wpull.l, t->pull, t->url));
	NUTS_PASS(nng_dialer_create(&t->wpush.d, t->push, t->url));
	NUTS_PASS(nng_listener_start(t->wpull.l, 0));
	NUTS_PASS(nng_dialer_start(t->wpush.d, 0));
}

static void
line_close(line *t)
{
	NUTS_PASS(nng_close(t->push));
	NUTS_PASS(nng_close(t->pull));
	watch_fini(&t->wpush);
	watch_fini(&t->wpull);
}

static void
test_pipe_id_rule(void)
{
	nng_pipe p = NNG_PIPE_INITIALIZER;
	NUTS_TRUE(nng_pipe_id(p) < 0);
	p.id = 5;
	NUTS_EQ(nng_pipe_id(p), 5);
	p.id = 0x80000000u;
	NUTS_TRUE(nng_pipe_id(p) < 0);
}

static void
test_notify_order(void)
{
	line t;
	line_open(&t, 0);
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);

	// ADD_PRE then ADD_POST, for the same pipe.
	nng_mtx_lock(t.wpull.mx);
	NUTS_EQ(t.wpull.n, 2);
	NUTS_EQ(t.wpull.ev[0], NNG_PIPE_EV_ADD_PRE);
	NUTS_EQ(t.wpull.ev[1], NNG_PIPE_EV_ADD_POST);
	NUTS_EQ(t.wpull.pipe[0], t.wpull.pipe[1]);
	nng_mtx_unlock(t.wpull.mx);
	nng_mtx_lock(t.wpush.mx);
	NUTS_EQ(t.wpush.n, 2);
	NUTS_EQ(t.wpush.ev[0], NNG_PIPE_EV_ADD_PRE);
	NUTS_EQ(t.wpush.ev[1], NNG_PIPE_EV_ADD_POST);
	// The two ends are different pipes.
	NUTS_TRUE(t.wpush.pipe[0] != t.wpull.pipe[0]);
	nng_mtx_unlock(t.wpush.mx);

	// Then REM_POST when the pipe closes, on both sides.
	{
		nng_pipe p;
		p.id = t.wpull.pipe[0];
		NUTS_PASS(nng_pipe_close(p));
	}
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_REM_POST, 1, NUTS_SOCK_LONG), 1);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_REM_POST, 1, NUTS_SOCK_LONG), 1);
	nng_mtx_lock(t.wpull.mx);
	NUTS_EQ(t.wpull.ev[2], NNG_PIPE_EV_REM_POST);
	NUTS_EQ(t.wpull.pipe[2], t.wpull.pipe[0]);
	nng_mtx_unlock(t.wpull.mx);

	// The dialer connects again: a new pair of events, a new pipe.
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_ADD_POST, 2, NUTS_SOCK_LONG), 2);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_POST, 2, NUTS_SOCK_LONG), 2);
	nng_mtx_lock(t.wpull.mx);
	NUTS_EQ(t.wpull.ev[3], NNG_PIPE_EV_ADD_PRE);
	NUTS_EQ(t.wpull.ev[4], NNG_PIPE_EV_ADD_POST);
	NUTS_TRUE(t.wpull.pipe[3] != t.wpull.pipe[0]);
	nng_mtx_unlock(t.wpull.mx);

	NUTS_SEND(t.push, "hello");
	NUTS_RECV(t.pull, "hello");
	NUTS_EQ(watch_errors(&t.wpull), 0);
	NUTS_EQ(watch_errors(&t.wpush), 0);

	// Closing a socket closes its pipes: REM_POST on both sides.
	NUTS_PASS(nng_close(t.pull));
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_REM_POST, 2, NUTS_SOCK_LONG), 2);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_REM_POST, 2, NUTS_SOCK_LONG), 2);
	NUTS_EQ(watch_errors(&t.wpull), 0);
	NUTS_EQ(watch_errors(&t.wpush), 0);
	NUTS_PASS(nng_close(t.push));
	watch_fini(&t.wpush);
	watch_fini(&t.wpull);
}

static void
test_reject_in_add_pre(void)
{
	line t;
	line_open(&t, 1);

	// The first pipe is refused by pull's ADD_PRE callback: pull sees
	// ADD_PRE and REM_POST for it, never ADD_POST. The dialer tries again
	// and the second one is accepted.
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_POST, 2, NUTS_SOCK_LONG), 2);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_REM_POST, 1, NUTS_SOCK_LONG), 1);
	nng_mtx_lock(t.wpull.mx);
	NUTS_EQ(t.wpull.counts[NNG_PIPE_EV_ADD_PRE], 2);
	NUTS_EQ(t.wpull.counts[NNG_PIPE_EV_REM_POST], 1);
	NUTS_EQ(t.wpull.ev[0], NNG_PIPE_EV_ADD_PRE);
	NUTS_EQ(t.wpull.ev[1], NNG_PIPE_EV_REM_POST);
	NUTS_EQ(t.wpull.pipe[1], t.wpull.pipe[0]);
	NUTS_EQ(t.wpull.ev[2], NNG_PIPE_EV_ADD_PRE);
	NUTS_EQ(t.wpull.ev[3], NNG_PIPE_EV_ADD_POST);
	NUTS_TRUE(t.wpull.pipe[2] != t.wpull.pipe[0]);
	nng_mtx_unlock(t.wpull.mx);
	// Push saw its first pipe come and go.
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_PRE, 2, NUTS_SOCK_LONG), 2);

	// Messages flow over the accepted pipe; the rejected one is gone.
	NUTS_SEND(t.push, "accepted");
	{
		nng_msg *msg;
		nng_pipe p;
		NUTS_PASS(nng_recvmsg(t.pull, &msg, 0));
		p = nng_msg_get_pipe(msg);
		NUTS_EQ(p.id, t.wpull.pipe[2]);
		NUTS_MATCH(nng_msg_body(msg), "accepted");
		nng_msg_free(msg);
		p.id = t.wpull.pipe[0];
		NUTS_FAIL(nng_pipe_close(p), NNG_ENOENT);
	}
	NUTS_EQ(watch_errors(&t.wpull), 0);
	NUTS_EQ(watch_errors(&t.wpush), 0);
	line_close(&t);
}

static void
test_message_pipe(void)
{
	line     t;
	nng_msg *msg;
	nng_pipe p;

	line_open(&t, 0);
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);
	NUTS_SEND(t.push, "where");
	NUTS_PASS(nng_recvmsg(t.pull, &msg, 0));
	p = nng_msg_get_pipe(msg);
	NUTS_TRUE(nng_pipe_id(p) > 0);
	NUTS_EQ(p.id, t.wpull.pipe[0]);
	NUTS_EQ(nng_pipe_socket(p).id, t.pull.id);
	NUTS_EQ(nng_pipe_listener(p).id, t.wpull.l.id);
	NUTS_EQ(nng_pipe_dialer(p).id, 0);
	nng_msg_free(msg);

	// A message we make has no pipe.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_TRUE(nng_pipe_id(nng_msg_get_pipe(msg)) < 0);
	nng_msg_free(msg);

	// The dialer's end.
	p.id = t.wpush.pipe[0];
	NUTS_EQ(nng_pipe_socket(p).id, t.push.id);
	NUTS_EQ(nng_pipe_dialer(p).id, t.wpush.d.id);
	NUTS_EQ(nng_pipe_listener(p).id, 0);
	line_close(&t);
}

static void
test_pipe_close(void)
{
	line     t;
	nng_pipe p;

	line_open(&t, 0);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);
	p.id = t.wpush.pipe[0];
	NUTS_PASS(nng_pipe_close(p));
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_REM_POST, 1, NUTS_SOCK_LONG), 1);
	NUTS_FAIL(nng_pipe_close(p), NNG_ENOENT);
	// Gone: lookups give nothing.
	NUTS_EQ(nng_pipe_socket(p).id, 0);
	NUTS_EQ(nng_pipe_dialer(p).id, 0);
	NUTS_EQ(nng_pipe_listener(p).id, 0);
	// The id rule still holds.
	NUTS_EQ(nng_pipe_id(p), (int) p.id);
	// Closing the dialer closes its pipe (and it does not come back).
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_POST, 2, NUTS_SOCK_LONG), 2);
	NUTS_PASS(nng_dialer_close(t.wpush.d));
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_REM_POST, 2, NUTS_SOCK_LONG), 2);
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_REM_POST, 2, NUTS_SOCK_LONG), 2);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_POST, 3, 50), 2);
	line_close(&t);
}

static void
test_absent_pipe(void)
{
	nng_pipe     p = NNG_PIPE_INITIALIZER;
	bool         b;
	int          v;
	size_t       z;
	uint64_t     u;
	nng_duration d;
	char        *str;
	void        *ptr;
	nng_sockaddr sa;
	char         buf[8];

	for (int i = 0; i < 2; i++) {
		NUTS_FAIL(nng_pipe_close(p), NNG_ENOENT);
		NUTS_EQ(nng_pipe_socket(p).id, 0);
		NUTS_EQ(nng_pipe_dialer(p).id, 0);
		NUTS_EQ(nng_pipe_listener(p).id, 0);
		NUTS_FAIL(nng_pipe_get_bool(p, NNG_OPT_RAW, &b), NNG_ENOENT);
		NUTS_FAIL(nng_pipe_get_int(p, NNG_OPT_RECVBUF, &v), NNG_ENOENT);
		NUTS_FAIL(
		    nng_pipe_get_size(p, NNG_OPT_RECVMAXSZ, &z), NNG_ENOENT);
		NUTS_FAIL(nng_pipe_get_uint64(p, "x", &u), NNG_ENOENT);
		NUTS_FAIL(nng_pipe_get_ms(p, NNG_OPT_RECVTIMEO, &d), NNG_ENOENT);
		NUTS_FAIL(nng_pipe_get_string(p, NNG_OPT_URL, &str), NNG_ENOENT);
		NUTS_FAIL(nng_pipe_get_ptr(p, "x", &ptr), NNG_ENOENT);
		NUTS_FAIL(
		    nng_pipe_get_addr(p, NNG_OPT_REMADDR, &sa), NNG_ENOENT);
		z = sizeof(buf);
		NUTS_FAIL(nng_pipe_get(p, NNG_OPT_URL, buf, &z), NNG_ENOENT);
		p.id = 0x12345;
	}
}

static void
test_pipe_options(void)
{
	line         t;
	nng_pipe     p;
	nng_sockaddr sa;
	char        *str;
	char         buf[128];
	size_t       z, sz;
	nng_duration d;
	bool         b;
	int          v;

	line_open(&t, 0);
	NUTS_PASS(nng_dialer_set_size(t.wpush.d, NNG_OPT_RECVMAXSZ, 4321));
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);
	NUTS_EQ(watch_wait(&t.wpush, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);

	// The transport's: addresses.
	p.id = t.wpull.pipe[0];
	NUTS_PASS(nng_pipe_get_addr(p, NNG_OPT_LOCADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INPROC);
	NUTS_MATCH(sa.s_inproc.sa_name, t.url);
	NUTS_PASS(nng_pipe_get_addr(p, NNG_OPT_REMADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INPROC);
	NUTS_MATCH(sa.s_inproc.sa_name, t.url);
	sz = sizeof(sa);
	NUTS_PASS(nng_pipe_get(p, NNG_OPT_REMADDR, &sa, &sz));
	NUTS_EQ(sz, sizeof(nng_sockaddr));

	// The endpoint's: its URL and receive limit.
	NUTS_PASS(nng_pipe_get_string(p, NNG_OPT_URL, &str));
	NUTS_MATCH(str, t.url);
	nng_strfree(str);
	sz = sizeof(buf);
	NUTS_PASS(nng_pipe_get(p, NNG_OPT_URL, buf, &sz));
	NUTS_MATCH(buf, t.url);
	sz = 3;
	NUTS_FAIL(nng_pipe_get(p, NNG_OPT_URL, buf, &sz), NNG_EINVAL);
	NUTS_EQ(sz, strlen(t.url) + 1);
	NUTS_PASS(nng_pipe_get_size(p, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 0);
	p.id = t.wpush.pipe[0];
	NUTS_PASS(nng_pipe_get_size(p, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 4321);

	// The socket's, through the endpoint.
	NUTS_PASS(nng_pipe_get_ms(p, NNG_OPT_SENDTIMEO, &d));
	NUTS_EQ(d, NUTS_SOCK_LONG);
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_pipe_get_int(p, NNG_OPT_PROTO, &v));
	NUTS_EQ(v, 0x50);

	// Types and unknown names.
	NUTS_FAIL(nng_pipe_get_int(p, NNG_OPT_URL, &v), NNG_EBADTYPE);
	NUTS_FAIL(nng_pipe_get_int(p, NNG_OPT_RAW, &v), NNG_EBADTYPE);
	NUTS_FAIL(nng_pipe_get_bool(p, NNG_OPT_LOCADDR, &b), NNG_EBADTYPE);
	NUTS_FAIL(nng_pipe_get_int(p, "no-such-option", &v), NNG_ENOTSUP);
	// Another transport's option is missing, whatever the type asked
	// (upstream's transports answer before any type check).
	NUTS_FAIL(nng_pipe_get_int(p, NNG_OPT_IPC_PEER_PID, &v), NNG_ENOTSUP);
	NUTS_FAIL(nng_pipe_get_addr(p, NNG_OPT_LOCADDR, NULL), NNG_EINVAL);
	line_close(&t);
}

static void
test_notify_arguments(void)
{
	nng_socket s;
	watch      w;

	NUTS_PASS(nng_pull0_open(&s));
	watch_init(&w, s);
	// Events that do not exist are ignored.
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_NUM, watch_cb, &w));
	NUTS_PASS(nng_pipe_notify(s, (nng_pipe_ev) 99, watch_cb, &w));
	NUTS_PASS(nng_pipe_notify(s, (nng_pipe_ev) -1, watch_cb, &w));
	// A NULL callback clears one event only.
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_ADD_PRE, NULL, NULL));
	{
		nng_socket push;
		char       url[64];
		NUTS_PASS(nng_push0_open(&push));
		nuts_sock_addr(url, sizeof(url), "notify");
		NUTS_PASS(nng_listen(s, url, &w.l, 0));
		NUTS_PASS(nng_dial(push, url, NULL, 0));
		NUTS_EQ(watch_wait(&w, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);
		NUTS_PASS(nng_close(push));
		NUTS_EQ(watch_wait(&w, NNG_PIPE_EV_REM_POST, 1, NUTS_SOCK_LONG), 1);
	}
	nng_mtx_lock(w.mx);
	NUTS_EQ(w.counts[NNG_PIPE_EV_ADD_PRE], 0);
	NUTS_EQ(w.n, 2);
	NUTS_EQ(w.err, 0);
	nng_mtx_unlock(w.mx);
	NUTS_PASS(nng_close(s));
	watch_fini(&w);
}

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static void
test_deprecated_aliases(void)
{
	line         t;
	nng_pipe     p;
	nng_sockaddr sa;
	char        *str;
	char         buf[128];
	size_t       z, sz;
	nng_duration d;
	bool         b;
	int          v;
	uint64_t     u;
	void        *ptr;

	line_open(&t, 0);
	NUTS_EQ(watch_wait(&t.wpull, NNG_PIPE_EV_ADD_POST, 1, NUTS_SOCK_LONG), 1);
	p.id = t.wpull.pipe[0];
	NUTS_PASS(nng_pipe_getopt_sockaddr(p, NNG_OPT_LOCADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INPROC);
	NUTS_PASS(nng_pipe_getopt_string(p, NNG_OPT_URL, &str));
	NUTS_MATCH(str, t.url);
	nng_strfree(str);
	sz = sizeof(buf);
	NUTS_PASS(nng_pipe_getopt(p, NNG_OPT_URL, buf, &sz));
	NUTS_MATCH(buf, t.url);
	NUTS_PASS(nng_pipe_getopt_size(p, NNG_OPT_RECVMAXSZ, &z));
	NUTS_PASS(nng_pipe_getopt_ms(p, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, NUTS_SOCK_LONG);
	NUTS_PASS(nng_pipe_getopt_bool(p, NNG_OPT_RAW, &b));
	NUTS_PASS(nng_pipe_getopt_int(p, NNG_OPT_PEER, &v));
	NUTS_EQ(v, 0x50);
	NUTS_FAIL(nng_pipe_getopt_uint64(p, NNG_OPT_RAW, &u), NNG_EBADTYPE);
	NUTS_FAIL(nng_pipe_getopt_ptr(p, NNG_OPT_RAW, &ptr), NNG_EBADTYPE);
	line_close(&t);
	NUTS_FAIL(nng_pipe_getopt_int(p, NNG_OPT_PEER, &v), NNG_ENOENT);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

NUTS_TESTS = {
	{ "pipe id rule", test_pipe_id_rule },
	{ "notify order", test_notify_order },
	{ "reject in add pre", test_reject_in_add_pre },
	{ "message pipe", test_message_pipe },
	{ "pipe close", test_pipe_close },
	{ "absent pipe", test_absent_pipe },
	{ "pipe options", test_pipe_options },
	{ "notify arguments", test_notify_arguments },
	{ "deprecated aliases", test_deprecated_aliases },
	{ NULL, NULL },
};
