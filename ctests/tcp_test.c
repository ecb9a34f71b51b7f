// nng-ctest: abi-1.5.2
//
// The tcp and ipc transports as a C program sees them: URLs, bound ports,
// addresses, endpoint and pipe options, limits and errors. Uses only the
// 1.5.2 API, so it also runs compiled against Debian's headers.

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/supplemental/util/platform.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/transport/ipc/ipc.h>
#include <nng/transport/tcp/tcp.h>

#include "nuts.h"

static void
pair(nng_socket *a, nng_socket *b)
{
	NUTS_PASS(nng_pair1_open(a));
	NUTS_PASS(nng_pair1_open(b));
	NUTS_PASS(nng_socket_set_ms(*a, NNG_OPT_RECVTIMEO, 10000));
	NUTS_PASS(nng_socket_set_ms(*b, NNG_OPT_RECVTIMEO, 10000));
	NUTS_PASS(nng_socket_set_ms(*a, NNG_OPT_SENDTIMEO, 10000));
	NUTS_PASS(nng_socket_set_ms(*b, NNG_OPT_SENDTIMEO, 10000));
}

static void
test_listener_reports_bound_port(void)
{
	nng_socket   s;
	nng_listener l;
	nng_sockaddr sa;
	int          port;
	char        *url;
	char         want[64];

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_listener_create(&l, s, "tcp://127.0.0.1:0"));
	NUTS_FAIL(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port),
	    NNG_ESTATE);
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	NUTS_TRUE(port > 0 && port < 65536);
	NUTS_PASS(nng_listener_get_addr(l, NNG_OPT_LOCADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INET);
	NUTS_EQ(sa.s_in.sa_port, htons((uint16_t) port));
	NUTS_EQ(sa.s_in.sa_addr, htonl(0x7f000001));
	NUTS_PASS(nng_listener_get_string(l, NNG_OPT_URL, &url));
	snprintf(want, sizeof(want), "tcp://127.0.0.1:%d", port);
	NUTS_MATCH(url, want);
	nng_strfree(url);
	NUTS_PASS(nng_close(s));
}

static void
test_bad_tcp_urls(void)
{
	nng_socket s;
	nng_dialer d;
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_dialer_create(&d, s, "tcp://127.0.0.1"), NNG_EADDRINVAL);
	NUTS_FAIL(nng_dialer_create(&d, s, "tcp://:5"), NNG_EADDRINVAL);
	NUTS_FAIL(
	    nng_dialer_create(&d, s, "tcp://127.0.0.1:5/x"), NNG_EADDRINVAL);
	NUTS_FAIL(nng_listen(s, "tcp://127.0.0.1:65536", NULL, 0),
	    NNG_EADDRINVAL);
	NUTS_FAIL(nng_dial(s, "tcpx://127.0.0.1:5", NULL, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_dial(s, "ipc://", NULL, 0), NNG_EADDRINVAL);
	NUTS_PASS(nng_close(s));
}

static void
test_address_in_use(void)
{
	nng_socket   a, b;
	nng_listener l;
	int          port;
	char         url[64];
	pair(&a, &b);
	NUTS_PASS(nng_listener_create(&l, a, "tcp://127.0.0.1:0"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	NUTS_FAIL(nng_listen(b, url, NULL, 0), NNG_EADDRINUSE);
	NUTS_PASS(nng_close(a));
	// Closing the listener frees the port.
	NUTS_PASS(nng_listen(b, url, NULL, 0));
	NUTS_PASS(nng_close(b));
}

static void
test_dial_refused(void)
{
	nng_socket   s;
	nng_listener l;
	int          port;
	char         url[64];
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_listener_create(&l, s, "tcp://127.0.0.1:0"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	NUTS_PASS(nng_listener_close(l));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	NUTS_FAIL(nng_dial(s, url, NULL, 0), NNG_ECONNREFUSED);
	NUTS_FAIL(nng_dial(s, "ipc:///tmp/nng-no-such-socket", NULL, 0),
	    NNG_ECONNREFUSED);
	NUTS_PASS(nng_close(s));
}

static void
test_tcp_pipe_options(void)
{
	nng_socket   a, b;
	nng_listener l;
	nng_dialer   d;
	nng_msg     *m;
	nng_pipe     p;
	nng_sockaddr loc, rem, dsa;
	int          port;
	bool         v;
	size_t       sz;
	char         url[64];

	pair(&a, &b);
	NUTS_PASS(nng_listener_create(&l, a, "tcp://127.0.0.1:0"));
	NUTS_PASS(nng_listener_get_bool(l, NNG_OPT_TCP_NODELAY, &v));
	NUTS_TRUE(v);
	NUTS_PASS(nng_listener_get_bool(l, NNG_OPT_TCP_KEEPALIVE, &v));
	NUTS_TRUE(!v);
	NUTS_PASS(nng_listener_set_bool(l, NNG_OPT_TCP_KEEPALIVE, true));
	NUTS_PASS(nng_listener_set_size(l, NNG_OPT_RECVMAXSZ, 1000));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);

	NUTS_PASS(nng_dialer_create(&d, b, url));
	NUTS_PASS(nng_dialer_get_addr(d, NNG_OPT_LOCADDR, &dsa));
	NUTS_EQ(dsa.s_family, NNG_AF_UNSPEC);
	memset(&dsa, 0, sizeof(dsa));
	dsa.s_in.sa_family = NNG_AF_INET;
	dsa.s_in.sa_addr   = htonl(0x7f000001);
	dsa.s_in.sa_port   = htons(1);
	NUTS_FAIL(nng_dialer_set_addr(d, NNG_OPT_LOCADDR, &dsa),
	    NNG_EADDRINVAL);
	dsa.s_in.sa_port = 0;
	NUTS_PASS(nng_dialer_set_addr(d, NNG_OPT_LOCADDR, &dsa));
	NUTS_PASS(nng_dialer_set_bool(d, NNG_OPT_TCP_NODELAY, false));
	NUTS_PASS(nng_dialer_start(d, 0));

	NUTS_PASS(nng_send(b, "hello", 5, 0));
	NUTS_PASS(nng_recvmsg(a, &m, 0));
	NUTS_EQ(nng_msg_len(m), 5);
	NUTS_TRUE(memcmp(nng_msg_body(m), "hello", 5) == 0);
	p = nng_msg_get_pipe(m);
	nng_msg_free(m);

	// The accepting side: addresses, the listener's options.
	NUTS_PASS(nng_pipe_get_addr(p, NNG_OPT_LOCADDR, &loc));
	NUTS_PASS(nng_pipe_get_addr(p, NNG_OPT_REMADDR, &rem));
	NUTS_EQ(loc.s_family, NNG_AF_INET);
	NUTS_EQ(loc.s_in.sa_port, htons((uint16_t) port));
	NUTS_EQ(rem.s_family, NNG_AF_INET);
	NUTS_EQ(rem.s_in.sa_addr, htonl(0x7f000001));
	NUTS_TRUE(rem.s_in.sa_port != 0);
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TCP_NODELAY, &v));
	NUTS_TRUE(v);
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TCP_KEEPALIVE, &v));
	NUTS_TRUE(v);
	NUTS_PASS(nng_pipe_get_size(p, NNG_OPT_RECVMAXSZ, &sz));
	NUTS_EQ(sz, 1000);
	NUTS_EQ(nng_pipe_listener(p).id, l.id);

	// The dialing side: NODELAY off as set on its dialer.
	NUTS_PASS(nng_send(a, "back", 4, 0));
	NUTS_PASS(nng_recvmsg(b, &m, 0));
	p = nng_msg_get_pipe(m);
	nng_msg_free(m);
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TCP_NODELAY, &v));
	NUTS_TRUE(!v);
	NUTS_PASS(nng_pipe_get_addr(p, NNG_OPT_REMADDR, &rem));
	NUTS_EQ(rem.s_in.sa_port, htons((uint16_t) port));
	NUTS_EQ(nng_pipe_dialer(p).id, d.id);

	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
}

static void
test_ipc_permissions_and_credentials(void)
{
	nng_socket   a, b;
	nng_listener l;
	nng_msg     *m;
	nng_pipe     p;
	nng_sockaddr sa;
	uint64_t     id;
	struct stat  st;
	char         path[64];
	char         url[80];

	snprintf(path, sizeof(path), "/tmp/nng-ctest-ipc-%d", (int) getpid());
	snprintf(url, sizeof(url), "ipc://%s", path);
	pair(&a, &b);
	NUTS_PASS(nng_listener_create(&l, a, url));
	NUTS_FAIL(nng_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS, S_IFREG),
	    NNG_EINVAL);
	NUTS_PASS(nng_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS, 0600));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_FAIL(nng_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS, 0600),
	    NNG_EBUSY);
	NUTS_PASS(stat(path, &st));
	NUTS_EQ(st.st_mode & 0777, 0600);
	NUTS_PASS(nng_listener_get_addr(l, NNG_OPT_LOCADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_IPC);
	NUTS_MATCH(sa.s_ipc.sa_path, path);

	NUTS_PASS(nng_dial(b, url, NULL, 0));
	NUTS_PASS(nng_send(b, "x", 1, 0));
	NUTS_PASS(nng_recvmsg(a, &m, 0));
	p = nng_msg_get_pipe(m);
	nng_msg_free(m);
	NUTS_PASS(nng_pipe_get_uint64(p, NNG_OPT_IPC_PEER_PID, &id));
	NUTS_EQ(id, getpid());
	NUTS_PASS(nng_pipe_get_uint64(p, NNG_OPT_IPC_PEER_UID, &id));
	NUTS_EQ(id, getuid());
	NUTS_PASS(nng_pipe_get_uint64(p, NNG_OPT_IPC_PEER_GID, &id));
	NUTS_EQ(id, getgid());
	NUTS_PASS(nng_pipe_get_addr(p, NNG_OPT_REMADDR, &sa));
	NUTS_MATCH(sa.s_ipc.sa_path, path);

	NUTS_PASS(nng_close(a));
	// The socket file goes with the listener.
	NUTS_TRUE(stat(path, &st) != 0);
	NUTS_PASS(nng_close(b));
}

static void
test_abstract_auto_bind(void)
{
	nng_socket   a, b;
	nng_listener l;
	nng_sockaddr sa;
	char         url[256];
	char        *u = url;

	pair(&a, &b);
	NUTS_PASS(nng_listen(a, "abstract://", &l, 0));
	NUTS_PASS(nng_listener_get_addr(l, NNG_OPT_LOCADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_ABSTRACT);
	NUTS_TRUE(sa.s_abstract.sa_len > 0);
	u += sprintf(u, "abstract://");
	for (size_t i = 0; i < sa.s_abstract.sa_len; i++) {
		u += sprintf(u, "%%%02x", sa.s_abstract.sa_name[i]);
	}
	NUTS_PASS(nng_dial(b, url, NULL, 0));
	NUTS_PASS(nng_send(b, "abs", 3, 0));
	nng_msg *m;
	NUTS_PASS(nng_recvmsg(a, &m, 0));
	NUTS_EQ(nng_msg_len(m), 3);
	nng_msg_free(m);
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
}

static nng_mtx *rem_mtx;
static nng_cv  *rem_cv;
static int      removed;

static void
on_removed(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void) p;
	(void) ev;
	(void) arg;
	nng_mtx_lock(rem_mtx);
	removed++;
	nng_cv_wake(rem_cv);
	nng_mtx_unlock(rem_mtx);
}

static void
test_oversized_message_closes_pipe(void)
{
	nng_socket   a, b;
	nng_msg     *m;
	nng_listener l;
	char         url[64];
	char         big[61] = { 0 };
	int          port;

	NUTS_PASS(nng_mtx_alloc(&rem_mtx));
	NUTS_PASS(nng_cv_alloc(&rem_cv, rem_mtx));
	pair(&a, &b);
	NUTS_PASS(nng_pipe_notify(a, NNG_PIPE_EV_REM_POST, on_removed, NULL));
	NUTS_PASS(nng_socket_set_size(a, NNG_OPT_RECVMAXSZ, 64));
	NUTS_PASS(nng_listener_create(&l, a, "tcp://127.0.0.1:0"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	NUTS_PASS(nng_dial(b, url, NULL, 0));
	// 60 bytes + pair1's 4-byte header = 64: fits.
	NUTS_PASS(nng_send(b, big, 60, 0));
	NUTS_PASS(nng_recvmsg(a, &m, 0));
	NUTS_EQ(nng_msg_len(m), 60);
	nng_msg_free(m);
	// 65: the receiver drops the connection.
	NUTS_PASS(nng_send(b, big, 61, 0));
	nng_time deadline = nng_clock() + 10000;
	nng_mtx_lock(rem_mtx);
	while (removed == 0 && nng_cv_until(rem_cv, deadline) == 0) {
	}
	int n = removed;
	nng_mtx_unlock(rem_mtx);
	NUTS_EQ(n, 1);
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
	nng_cv_free(rem_cv);
	nng_mtx_free(rem_mtx);
}

static void
test_req_rep_over_tcp6(void)
{
	nng_socket   rep, req;
	nng_listener l;
	int          port;
	char         url[64];
	nng_msg     *m;
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 10000));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 10000));
	NUTS_PASS(nng_listener_create(&l, rep, "tcp6://[::1]:0"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tcp://[::1]:%d", port);
	NUTS_PASS(nng_dial(req, url, NULL, 0));
	NUTS_PASS(nng_send(req, "q", 1, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_EQ(nng_msg_len(m), 1);
	nng_msg_free(m);
	NUTS_PASS(nng_close(req));
	NUTS_PASS(nng_close(rep));
}

// An IPv6 link-local address with its scope (`%<interface>`): listen, dial
// and exchange a message; the pipe's addresses carry the scope id. Skipped
// (reported) on a machine without a link-local address.
static void
test_ipv6_link_local(void)
{
	struct ifaddrs *ifs, *i;
	char            host[INET6_ADDRSTRLEN];
	char            url[INET6_ADDRSTRLEN + IF_NAMESIZE + 32];
	unsigned        scope = 0;
	NUTS_TRUE(getifaddrs(&ifs) == 0);
	host[0] = '\0';
	for (i = ifs; i != NULL; i = i->ifa_next) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *) i->ifa_addr;
		if (a != NULL && a->sin6_family == AF_INET6 &&
		    IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) &&
		    (i->ifa_flags & IFF_LOOPBACK) == 0) {
			inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
			scope = a->sin6_scope_id;
			snprintf(url, sizeof(url), "tcp://[%s%%%s]:0", host, i->ifa_name);
			break;
		}
	}
	freeifaddrs(ifs);
	if (host[0] == '\0') {
		printf("  (no IPv6 link-local address: skipped)\n");
		return;
	}
	nng_socket   s1, s2;
	nng_listener l;
	nng_sockaddr sa;
	nng_msg     *m;
	int          port;
	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 5000));
	NUTS_PASS(nng_listener_create(&l, s1, url));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	*strrchr(url, ':') = '\0';
	snprintf(url + strlen(url), 16, ":%d", port);
	NUTS_PASS(nng_dial(s2, url, NULL, 0));
	NUTS_PASS(nng_send(s2, "ll", 3, 0));
	NUTS_PASS(nng_recvmsg(s1, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "ll");
	NUTS_PASS(nng_pipe_get_addr(nng_msg_get_pipe(m), NNG_OPT_REMADDR, &sa));
	NUTS_EQ(sa.s_family, NNG_AF_INET6);
	NUTS_EQ(sa.s_in6.sa_scope, scope);
	nng_msg_free(m);
	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
}

// An option the endpoint lacks is NNG_ENOTSUP whatever its value (upstream
// looks the option up before it reads the value): an ipc dialer has no
// local address, so even a garbage nng_sockaddr gets NNG_ENOTSUP.
static void
test_missing_option_before_bad_value(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_sockaddr sa;
	char         url[64];
	memset(&sa, 0xff, sizeof(sa));
	snprintf(url, sizeof(url), "ipc:///tmp/nng-noopt-%d.sock", (int) getpid());
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_dial(s, url, &d, NNG_FLAG_NONBLOCK));
	NUTS_FAIL(nng_dialer_get_addr(d, NNG_OPT_LOCADDR, &sa), NNG_ENOTSUP);
	NUTS_FAIL(nng_dialer_set(d, NNG_OPT_LOCADDR, &sa, sizeof(sa)), NNG_ENOTSUP);
	// An option it has still rejects a bad value.
	NUTS_FAIL(nng_dialer_set(d, NNG_OPT_RECVMAXSZ, &sa, 3), NNG_EINVAL);
	NUTS_PASS(nng_close(s));
}

NUTS_TESTS = {
	{ "listener reports bound port", test_listener_reports_bound_port },
	{ "bad tcp urls", test_bad_tcp_urls },
	{ "address in use", test_address_in_use },
	{ "dial refused", test_dial_refused },
	{ "tcp pipe options", test_tcp_pipe_options },
	{ "ipc permissions and credentials",
	    test_ipc_permissions_and_credentials },
	{ "abstract auto bind", test_abstract_auto_bind },
	{ "oversized message closes pipe",
	    test_oversized_message_closes_pipe },
	{ "req rep over tcp6", test_req_rep_over_tcp6 },
	{ "ipv6 link-local with scope", test_ipv6_link_local },
	{ "missing option before bad value",
	    test_missing_option_before_bad_value },
	{ NULL, NULL },
};
