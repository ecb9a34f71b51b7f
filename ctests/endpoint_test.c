// Dialers and listeners as a C program sees them: handles, create/start
// /close, URLs, options (their own, the socket's stored endpoint options,
// the socket fallback), dialing before the listener exists (non-blocking:
// retried until it appears; blocking: NNG_ECONNREFUSED), address in use
// and bad URLs. Reference: API.md §4, ABI.md §6.3, §7.2, §7.3.
//
// nng-ctest: memcheck abi-1.5.2

#include <nuts_sock.h>

#include <nng/protocol/pair1/pair.h>

static void
test_endpoint_id_rule(void)
{
	nng_socket   s;
	nng_dialer   d  = NNG_DIALER_INITIALIZER;
	nng_listener l  = NNG_LISTENER_INITIALIZER;
	nng_dialer   d2 = NNG_DIALER_INITIALIZER;
	char         url[64];

	NUTS_TRUE(nng_dialer_id(d) < 0);
	NUTS_TRUE(nng_listener_id(l) < 0);
	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "ids");
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_dialer_create(&d2, s, url));
	NUTS_PASS(nng_listener_create(&l, s, url));
	NUTS_TRUE(nng_dialer_id(d) > 0);
	NUTS_TRUE(nng_dialer_id(d2) > 0);
	NUTS_TRUE(nng_dialer_id(d) != nng_dialer_id(d2));
	NUTS_TRUE(nng_listener_id(l) > 0);
	NUTS_PASS(nng_close(s));
	// The id rule looks nothing up.
	NUTS_TRUE(nng_dialer_id(d) > 0);
}

static void
test_start_twice(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	char         url[64];

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "twice");
	NUTS_PASS(nng_listener_create(&l, s, url));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_FAIL(nng_listener_start(l, 0), NNG_ESTATE);
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_dialer_start(d, NNG_FLAG_NONBLOCK));
	NUTS_FAIL(nng_dialer_start(d, NNG_FLAG_NONBLOCK), NNG_ESTATE);
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_ESTATE);
	NUTS_PASS(nng_close(s));

	// nng_listen and nng_dial give started endpoints.
	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "twice");
	NUTS_PASS(nng_listen(s, url, &l, 0));
	NUTS_FAIL(nng_listener_start(l, 0), NNG_ESTATE);
	NUTS_PASS(nng_dial(s, url, &d, 0));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_ESTATE);
	NUTS_PASS(nng_close(s));
}

static void
test_close_twice(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	char         url[64];

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "close");
	NUTS_PASS(nng_listen(s, url, &l, 0));
	NUTS_PASS(nng_dial(s, url, &d, 0));
	NUTS_PASS(nng_dialer_close(d));
	NUTS_FAIL(nng_dialer_close(d), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_ENOENT);
	NUTS_PASS(nng_listener_close(l));
	NUTS_FAIL(nng_listener_close(l), NNG_ENOENT);
	NUTS_FAIL(nng_listener_start(l, 0), NNG_ENOENT);
	// The address is free again.
	NUTS_PASS(nng_listen(s, url, &l, 0));

	// Endpoints close with their socket.
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_close(s));
	NUTS_FAIL(nng_dialer_close(d), NNG_ENOENT);
	NUTS_FAIL(nng_listener_close(l), NNG_ENOENT);
}

// Every entry point given a dialer and a listener that do not exist.
static void
check_absent(nng_dialer d, nng_listener l)
{
	size_t       z;
	int          v;
	nng_duration t;
	bool         b;
	char        *str;
	char         buf[8];
	nng_sockaddr sa;

	NUTS_FAIL(nng_dialer_start(d, 0), NNG_ENOENT);
	NUTS_FAIL(nng_listener_start(l, 0), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_close(d), NNG_ENOENT);
	NUTS_FAIL(nng_listener_close(l), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_set_size(d, NNG_OPT_RECVMAXSZ, 10), NNG_ENOENT);
	NUTS_FAIL(nng_listener_set_size(l, NNG_OPT_RECVMAXSZ, 10), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_get_bool(d, NNG_OPT_RAW, &b), NNG_ENOENT);
	NUTS_FAIL(nng_listener_get_bool(l, NNG_OPT_RAW, &b), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_get_size(d, NNG_OPT_RECVMAXSZ, &z), NNG_ENOENT);
	NUTS_FAIL(nng_listener_get_size(l, NNG_OPT_RECVMAXSZ, &z), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_get_int(d, NNG_OPT_RAW, &v), NNG_ENOENT);
	NUTS_FAIL(nng_listener_get_int(l, NNG_OPT_RAW, &v), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_get_ms(d, NNG_OPT_RECVTIMEO, &t), NNG_ENOENT);
	NUTS_FAIL(nng_listener_get_ms(l, NNG_OPT_SENDTIMEO, &t), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_get_string(d, NNG_OPT_URL, &str), NNG_ENOENT);
	NUTS_FAIL(nng_listener_get_string(l, NNG_OPT_URL, &str), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_get_addr(d, NNG_OPT_LOCADDR, &sa), NNG_ENOENT);
	NUTS_FAIL(nng_listener_get_addr(l, NNG_OPT_LOCADDR, &sa), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_set_ms(d, NNG_OPT_RECONNMINT, 1), NNG_ENOENT);
	NUTS_FAIL(nng_dialer_set_ms(d, "no-such-option", 1), NNG_ENOENT);
	z = sizeof(buf);
	NUTS_FAIL(nng_dialer_get(d, NNG_OPT_URL, buf, &z), NNG_ENOENT);
	NUTS_FAIL(nng_listener_get(l, NNG_OPT_URL, buf, &z), NNG_ENOENT);
}

static void
test_absent_endpoints(void)
{
	nng_dialer   d = NNG_DIALER_INITIALIZER;
	nng_listener l = NNG_LISTENER_INITIALIZER;
	check_absent(d, l); // id 0
	d.id = 1999;
	l.id = 1999;
	check_absent(d, l);
	d.id = 0xffffffffu;
	l.id = 0xffffffffu;
	check_absent(d, l);
}

static void
test_endpoint_types(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	nng_dialer   d2;
	nng_listener l2;
	char         url[64];

	// Dialers and listeners are different objects: a dialer's id is not
	// a listener (nor the other way round) even if the numbers match.
	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "types");
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_listener_create(&l, s, url));
	l2.id = d.id;
	d2.id = l.id;
	if (l2.id != l.id) {
		NUTS_FAIL(nng_listener_close(l2), NNG_ENOENT);
	}
	if (d2.id != d.id) {
		NUTS_FAIL(nng_dialer_close(d2), NNG_ENOENT);
	}
	NUTS_PASS(nng_dialer_close(d));
	// A dialer id that is gone is no listener either (ids may match).
	l2.id = d.id;
	if (l2.id != l.id) {
		NUTS_FAIL(nng_listener_close(l2), NNG_ENOENT);
	}
	NUTS_PASS(nng_listener_close(l));
	NUTS_PASS(nng_close(s));
}

static void
test_url_option(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	char         url1[64], url2[64];
	char         buf[128];
	char        *str;
	size_t       sz;
	int          v;

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url1, sizeof(url1), "url-listener");
	nuts_sock_addr(url2, sizeof(url2), "url-dialer");
	NUTS_PASS(nng_listener_create(&l, s, url1));
	NUTS_PASS(nng_dialer_create(&d, s, url2));

	sz = sizeof(buf);
	NUTS_PASS(nng_listener_get(l, NNG_OPT_URL, buf, &sz));
	NUTS_MATCH(buf, url1);
	NUTS_EQ(sz, strlen(url1) + 1);
	NUTS_PASS(nng_listener_get_string(l, NNG_OPT_URL, &str));
	NUTS_MATCH(str, url1);
	nng_strfree(str);
	sz = sizeof(buf);
	NUTS_PASS(nng_dialer_get(d, NNG_OPT_URL, buf, &sz));
	NUTS_MATCH(buf, url2);
	NUTS_PASS(nng_dialer_get_string(d, NNG_OPT_URL, &str));
	NUTS_MATCH(str, url2);
	nng_strfree(str);

	// Short buffer: truncated, full size reported.
	sz = 4;
	memset(buf, 0, sizeof(buf));
	NUTS_FAIL(nng_dialer_get(d, NNG_OPT_URL, buf, &sz), NNG_EINVAL);
	NUTS_EQ(sz, strlen(url2) + 1);
	NUTS_TRUE(memcmp(buf, "inpr", 4) == 0);

	// Read-only, string-typed.
	NUTS_FAIL(nng_listener_set(l, NNG_OPT_URL, buf, strlen(buf) + 1),
	    NNG_EREADONLY);
	NUTS_FAIL(
	    nng_listener_set_string(l, NNG_OPT_URL, "inproc://x"), NNG_EREADONLY);
	NUTS_FAIL(nng_dialer_set_string(d, NNG_OPT_URL, "inproc://x"),
	    NNG_EREADONLY);
	NUTS_FAIL(nng_dialer_get_int(d, NNG_OPT_URL, &v), NNG_EBADTYPE);

	// Not a socket option.
	NUTS_FAIL(nng_socket_get_string(s, NNG_OPT_URL, &str), NNG_ENOTSUP);
	NUTS_PASS(nng_close(s));
}

#if NNG_MAJOR_VERSION > 1 || NNG_MINOR_VERSION >= 10
static void
test_get_url(void)
{
	nng_socket     s;
	nng_dialer     d;
	nng_listener   l;
	const nng_url *u1, *u2;
	char           url[64];

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "get-url");
	NUTS_PASS(nng_listener_create(&l, s, url));
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_listener_get_url(l, &u1));
	NUTS_TRUE(u1 != NULL);
	NUTS_MATCH(u1->u_rawurl, url);
	NUTS_MATCH(u1->u_scheme, "inproc");
	NUTS_PASS(nng_listener_get_url(l, &u2));
	NUTS_TRUE(u1 == u2); // owned by the listener
	NUTS_PASS(nng_dialer_get_url(d, &u2));
	NUTS_MATCH(u2->u_rawurl, url);
	NUTS_MATCH(u2->u_scheme, "inproc");

	NUTS_FAIL(nng_dialer_get_url(d, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_listener_get_url(l, NULL), NNG_EINVAL);
	NUTS_PASS(nng_dialer_close(d));
	NUTS_FAIL(nng_dialer_get_url(d, &u2), NNG_ENOENT);
	NUTS_PASS(nng_close(s));
	NUTS_FAIL(nng_listener_get_url(l, &u2), NNG_ENOENT);
	d.id = 0;
	NUTS_FAIL(nng_dialer_get_url(d, &u2), NNG_ENOENT);
}
#endif

static void
test_dialer_options(void)
{
	nng_socket   s;
	nng_dialer   d;
	size_t       z;
	nng_duration t;
	bool         b;
	char         url[64];

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "dialer-opts");

	// A new dialer gets the socket's stored endpoint options.
	NUTS_PASS(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 543));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 77));
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_dialer_get_size(d, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 543);
	NUTS_PASS(nng_dialer_get_ms(d, NNG_OPT_RECONNMINT, &t));
	NUTS_EQ(t, 77);
	NUTS_PASS(nng_dialer_get_ms(d, NNG_OPT_RECONNMAXT, &t));
	NUTS_EQ(t, 0);

	// Its own values do not change the socket's ...
	NUTS_PASS(nng_dialer_set_size(d, NNG_OPT_RECVMAXSZ, 678));
	NUTS_PASS(nng_dialer_get_size(d, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 678);
	NUTS_PASS(nng_socket_get_size(s, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 543);
	NUTS_PASS(nng_dialer_set_ms(d, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_dialer_set_ms(d, NNG_OPT_RECONNMAXT, 500));
	NUTS_PASS(nng_dialer_get_ms(d, NNG_OPT_RECONNMINT, &t));
	NUTS_EQ(t, 10);
	NUTS_PASS(nng_dialer_get_ms(d, NNG_OPT_RECONNMAXT, &t));
	NUTS_EQ(t, 500);
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_RECONNMINT, &t));
	NUTS_EQ(t, 77);

	// ... but a later socket setting reaches the dialer.
	NUTS_PASS(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 911));
	NUTS_PASS(nng_dialer_get_size(d, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 911);

	// Ranges, types and sizes.
	NUTS_FAIL(nng_dialer_set_ms(d, NNG_OPT_RECONNMINT, -2), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_set_size(d, NNG_OPT_RECVMAXSZ, (size_t) 1 << 32),
	    NNG_EINVAL);
	NUTS_FAIL(nng_dialer_set_bool(d, NNG_OPT_RECVMAXSZ, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_dialer_set(d, NNG_OPT_RECVMAXSZ, &z, 1), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_get_bool(d, NNG_OPT_RECONNMINT, &b), NNG_EBADTYPE);
	z = 12;
	NUTS_PASS(nng_dialer_set(d, NNG_OPT_RECVMAXSZ, &z, sizeof(z)));
	NUTS_PASS(nng_dialer_get_size(d, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 12);

	// Options a dialer does not have.
	NUTS_FAIL(nng_dialer_set_size(d, "BAD_OPT", 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_dialer_get_size(d, "BAD_OPT", &z), NNG_ENOTSUP);
	NUTS_FAIL(nng_dialer_set_string(d, NNG_OPT_SOCKNAME, "x"), NNG_ENOTSUP);
	NUTS_FAIL(nng_dialer_set_bool(d, NNG_OPT_RAW, true), NNG_ENOTSUP);
	NUTS_FAIL(nng_dialer_set_ms(d, NNG_OPT_SENDTIMEO, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_dialer_set_bool(d, NNG_OPT_TCP_NODELAY, true), NNG_ENOTSUP);

	// Reading falls back to the socket's options.
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 4321));
	NUTS_PASS(nng_dialer_get_ms(d, NNG_OPT_RECVTIMEO, &t));
	NUTS_EQ(t, 4321);
	NUTS_PASS(nng_dialer_get_bool(d, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_dialer_get_bool(d, NNG_OPT_TCP_NODELAY, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_close(s));
}

static void
test_listener_options(void)
{
	nng_socket   s;
	nng_listener l;
	size_t       z;
	nng_duration t;
	bool         b;
	char         url[64];

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "listener-opts");
	NUTS_PASS(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 543));
	NUTS_PASS(nng_listener_create(&l, s, url));
	NUTS_PASS(nng_listener_get_size(l, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 543);
	NUTS_PASS(nng_listener_set_size(l, NNG_OPT_RECVMAXSZ, 678));
	NUTS_PASS(nng_listener_get_size(l, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 678);
	NUTS_PASS(nng_socket_get_size(s, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 543);
	NUTS_PASS(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 911));
	NUTS_PASS(nng_listener_get_size(l, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 911);
	// Also once started.
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_set_size(l, NNG_OPT_RECVMAXSZ, 1000));
	NUTS_PASS(nng_listener_get_size(l, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 1000);

	NUTS_FAIL(nng_listener_set_size(l, "BAD_OPT", 1), NNG_ENOTSUP);
	NUTS_FAIL(
	    nng_listener_set_bool(l, NNG_OPT_RECVMAXSZ, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_listener_set(l, NNG_OPT_RECVMAXSZ, &z, 1), NNG_EINVAL);
	NUTS_FAIL(
	    nng_listener_set_string(l, NNG_OPT_SOCKNAME, "1"), NNG_ENOTSUP);
	NUTS_FAIL(nng_listener_set_bool(l, NNG_OPT_RAW, true), NNG_ENOTSUP);
	// Listeners do not reconnect ...
	NUTS_FAIL(nng_listener_set_ms(l, NNG_OPT_RECONNMINT, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_listener_set_ms(l, NNG_OPT_RECONNMAXT, 1), NNG_ENOTSUP);
	// ... but reads fall back to the socket.
	NUTS_PASS(nng_listener_get_ms(l, NNG_OPT_RECONNMINT, &t));
	NUTS_EQ(t, 1000);
	NUTS_PASS(nng_listener_get_bool(l, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_listener_get_ms(l, NNG_OPT_SENDTIMEO, &t));
	NUTS_EQ(t, NNG_DURATION_INFINITE);
	NUTS_PASS(nng_close(s));
}

static void
test_endpoint_addresses(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	nng_sockaddr sa;
	char         url[64];
	size_t       sz;

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "addr");
	NUTS_PASS(nng_listener_create(&l, s, url));
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_listener_get_addr(l, NNG_OPT_LOCADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INPROC);
	NUTS_MATCH(sa.s_inproc.sa_name, url);
	NUTS_PASS(nng_dialer_get_addr(d, NNG_OPT_REMADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INPROC);
	NUTS_MATCH(sa.s_inproc.sa_name, url);
	sz = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	NUTS_PASS(nng_dialer_get(d, NNG_OPT_LOCADDR, &sa, &sz));
	NUTS_EQ(sz, sizeof(nng_sockaddr));
	NUTS_EQ(sa.s_family, NNG_AF_INPROC);
	NUTS_MATCH(sa.s_inproc.sa_name, url);
	// Read-only here.
	NUTS_FAIL(nng_dialer_set_addr(d, NNG_OPT_LOCADDR, &sa), NNG_EREADONLY);
	NUTS_FAIL(
	    nng_listener_set_addr(l, NNG_OPT_REMADDR, &sa), NNG_EREADONLY);
	NUTS_PASS(nng_close(s));
}

typedef struct {
	nuts_count added;
	nuts_count removed;
} events;

static void
on_add(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void) p;
	(void) ev;
	nuts_count_bump(&((events *) arg)->added);
}

static void
on_rem(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void) p;
	(void) ev;
	nuts_count_bump(&((events *) arg)->removed);
}

static void
events_watch(events *e, nng_socket s)
{
	nuts_count_init(&e->added);
	nuts_count_init(&e->removed);
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_ADD_POST, on_add, e));
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_REM_POST, on_rem, e));
}

static void
events_fini(events *e)
{
	nuts_count_fini(&e->added);
	nuts_count_fini(&e->removed);
}

static void
test_dial_before_listen(void)
{
	nng_socket s1, s2;
	nng_dialer d;
	events     e;
	char       url[64];

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECONNMAXT, 10));
	events_watch(&e, s1);
	nuts_sock_addr(url, sizeof(url), "late");

	// Nobody listens: non-blocking succeeds, and keeps trying.
	NUTS_PASS(nng_dial(s1, url, &d, NNG_FLAG_NONBLOCK));
	NUTS_TRUE(nng_dialer_id(d) > 0);
	NUTS_EQ(nuts_count_wait(&e.added, 1, 30), 0);

	// The listener appears: the dialer connects on its own.
	NUTS_PASS(nng_listen(s2, url, NULL, 0));
	NUTS_EQ(nuts_count_wait(&e.added, 1, NUTS_SOCK_LONG), 1);
	NUTS_SEND(s1, "late");
	NUTS_RECV(s2, "late");

	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
	events_fini(&e);
}

static void
test_dialer_start_before_listen(void)
{
	nng_socket s1, s2;
	nng_dialer d;
	events     e;
	char       url[64];

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	events_watch(&e, s1);
	nuts_sock_addr(url, sizeof(url), "late-start");
	NUTS_PASS(nng_dialer_create(&d, s1, url));
	NUTS_PASS(nng_dialer_set_ms(d, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_dialer_set_ms(d, NNG_OPT_RECONNMAXT, 20));
	NUTS_PASS(nng_dialer_start(d, NNG_FLAG_NONBLOCK));
	NUTS_PASS(nng_listen(s2, url, NULL, 0));
	NUTS_EQ(nuts_count_wait(&e.added, 1, NUTS_SOCK_LONG), 1);
	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
	events_fini(&e);
}

static void
test_blocking_dial_refused(void)
{
	nng_socket s1, s2;
	nng_dialer d = NNG_DIALER_INITIALIZER;
	events     e;
	char       url[64];

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECONNMINT, 10));
	events_watch(&e, s1);
	nuts_sock_addr(url, sizeof(url), "refused");
	NUTS_FAIL(nng_dial(s1, url, &d, 0), NNG_ECONNREFUSED);
	NUTS_TRUE(nng_dialer_id(d) < 0); // not written on failure

	// The failed dialer is gone: a listener appearing later gets nothing.
	NUTS_PASS(nng_listen(s2, url, NULL, 0));
	NUTS_EQ(nuts_count_wait(&e.added, 1, 100), 0);

	// A blocking nng_dialer_start fails the same way but leaves the
	// dialer, which may be started again.
	nuts_sock_addr(url, sizeof(url), "refused");
	NUTS_PASS(nng_dialer_create(&d, s1, url));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_ECONNREFUSED);
	NUTS_PASS(nng_listen(s2, url, NULL, 0));
	NUTS_PASS(nng_dialer_start(d, 0));
	NUTS_EQ(nuts_count_wait(&e.added, 1, NUTS_SOCK_LONG), 1);

	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
	events_fini(&e);
}

static void
test_reconnect_after_listener_closes(void)
{
	nng_socket   s1, s2;
	nng_listener l;
	events       e;
	char         url[64];

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECONNMAXT, 10));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	events_watch(&e, s1);
	nuts_sock_addr(url, sizeof(url), "reconnect");
	NUTS_PASS(nng_listen(s2, url, &l, 0));
	NUTS_PASS(nng_dial(s1, url, NULL, 0));
	NUTS_EQ(nuts_count_wait(&e.added, 1, NUTS_SOCK_LONG), 1);

	// Closing the listener closes its pipes; the dialer notices.
	NUTS_PASS(nng_listener_close(l));
	NUTS_EQ(nuts_count_wait(&e.removed, 1, NUTS_SOCK_LONG), 1);

	// A new listener at the same address: the dialer is back.
	NUTS_PASS(nng_listen(s2, url, &l, 0));
	NUTS_EQ(nuts_count_wait(&e.added, 2, NUTS_SOCK_LONG), 2);
	NUTS_SEND(s1, "again");
	NUTS_RECV(s2, "again");
	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
	events_fini(&e);
}

static void
test_address_in_use(void)
{
	nng_socket   s1, s2;
	nng_listener l;
	char         url[64];

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	nuts_sock_addr(url, sizeof(url), "busy");
	NUTS_PASS(nng_listen(s1, url, &l, 0));
	NUTS_FAIL(nng_listen(s1, url, NULL, 0), NNG_EADDRINUSE);
	NUTS_FAIL(nng_listen(s2, url, NULL, 0), NNG_EADDRINUSE);
	NUTS_PASS(nng_listener_create(&l, s2, url));
	NUTS_FAIL(nng_listener_start(l, 0), NNG_EADDRINUSE);
	// A dialer connects to the first one.
	NUTS_PASS(nng_dial(s2, url, NULL, 0));
	NUTS_PASS(nng_close(s1));
	// Freed with its socket.
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_close(s2));
}

static void
test_bad_urls(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;

	NUTS_PASS(nng_pair1_open(&s));
	// Unknown scheme.
	NUTS_FAIL(nng_dial(s, "bogus://1", NULL, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_listen(s, "bogus://2", NULL, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_dialer_create(&d, s, "bogus://3"), NNG_ENOTSUP);
	NUTS_FAIL(nng_listener_create(&l, s, "bogus://4"), NNG_ENOTSUP);
	// Not a URL at all.
	NUTS_FAIL(nng_dial(s, "inproc", NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_listen(s, "not a url", NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_create(&d, s, ""), NNG_EINVAL);
	NUTS_FAIL(nng_listener_create(&l, s, "inproc:/x"), NNG_EINVAL);
	// NULL arguments.
	NUTS_FAIL(nng_dial(s, NULL, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_listen(s, NULL, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_create(NULL, s, "inproc://x"), NNG_EINVAL);
	NUTS_FAIL(nng_listener_create(&l, s, NULL), NNG_EINVAL);
	NUTS_PASS(nng_close(s));
}

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static void
test_deprecated_aliases(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	nng_duration t;
	size_t       z, sz;
	char        *str;
	char         url[64];
	char         buf[128];
	nng_sockaddr sa;
	bool         b;

	NUTS_PASS(nng_pair1_open(&s));
	nuts_sock_addr(url, sizeof(url), "deprecated");
	NUTS_PASS(nng_dialer_create(&d, s, url));
	NUTS_PASS(nng_listener_create(&l, s, url));

	NUTS_PASS(nng_dialer_setopt_ms(d, NNG_OPT_RECONNMINT, 33));
	NUTS_PASS(nng_dialer_getopt_ms(d, NNG_OPT_RECONNMINT, &t));
	NUTS_EQ(t, 33);
	NUTS_PASS(nng_dialer_setopt_size(d, NNG_OPT_RECVMAXSZ, 44));
	NUTS_PASS(nng_dialer_getopt_size(d, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 44);
	z = 45;
	NUTS_PASS(nng_dialer_setopt(d, NNG_OPT_RECVMAXSZ, &z, sizeof(z)));
	sz = sizeof(z);
	NUTS_PASS(nng_dialer_getopt(d, NNG_OPT_RECVMAXSZ, &z, &sz));
	NUTS_EQ(z, 45);
	NUTS_PASS(nng_dialer_getopt_string(d, NNG_OPT_URL, &str));
	NUTS_MATCH(str, url);
	nng_strfree(str);
	NUTS_PASS(nng_dialer_getopt_sockaddr(d, NNG_OPT_LOCADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INPROC);
	NUTS_PASS(nng_dialer_getopt_bool(d, NNG_OPT_RAW, &b));
	NUTS_FAIL(nng_dialer_setopt_string(d, NNG_OPT_URL, "x"), NNG_EREADONLY);

	NUTS_PASS(nng_listener_setopt_size(l, NNG_OPT_RECVMAXSZ, 55));
	NUTS_PASS(nng_listener_getopt_size(l, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 55);
	sz = sizeof(buf);
	NUTS_PASS(nng_listener_getopt(l, NNG_OPT_URL, buf, &sz));
	NUTS_MATCH(buf, url);
	NUTS_PASS(nng_listener_getopt_sockaddr(l, NNG_OPT_LOCADDR, &sa));
	NUTS_MATCH(sa.s_inproc.sa_name, url);
	NUTS_FAIL(nng_listener_setopt_ms(l, NNG_OPT_RECONNMINT, 1), NNG_ENOTSUP);
	NUTS_PASS(nng_close(s));
	NUTS_FAIL(nng_dialer_getopt_ms(d, NNG_OPT_RECONNMINT, &t), NNG_ENOENT);
	NUTS_FAIL(nng_listener_getopt_size(l, NNG_OPT_RECVMAXSZ, &z), NNG_ENOENT);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

NUTS_TESTS = {
	{ "endpoint id rule", test_endpoint_id_rule },
	{ "start twice", test_start_twice },
	{ "close twice", test_close_twice },
	{ "absent endpoints", test_absent_endpoints },
	{ "endpoint types", test_endpoint_types },
	{ "url option", test_url_option },
#if NNG_MAJOR_VERSION > 1 || NNG_MINOR_VERSION >= 10
	{ "get url", test_get_url },
#endif
	{ "dialer options", test_dialer_options },
	{ "listener options", test_listener_options },
	{ "endpoint addresses", test_endpoint_addresses },
	{ "dial before listen", test_dial_before_listen },
	{ "dialer start before listen", test_dialer_start_before_listen },
	{ "blocking dial refused", test_blocking_dial_refused },
	{ "reconnect after listener closes",
	    test_reconnect_after_listener_closes },
	{ "address in use", test_address_in_use },
	{ "bad urls", test_bad_urls },
	{ "deprecated aliases", test_deprecated_aliases },
	{ NULL, NULL },
};
