//
// Faults on the tcp transport, from raw TCP peers and misbehaving
// endpoints: bad SP headers, an absurd length prefix, a peer closing
// mid-frame, a peer that never reads, refused/in-use/invalid addresses,
// descriptor leaks over many connections, and a dialer whose listener
// restarts. Waits are on events (poll with a deadline, pipe
// notifications), never sleeps.

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/supplemental/util/platform.h>

#include "nuts.h"

// pair1 is protocol 0x11; its peer is itself.
static const unsigned char GOOD_HDR[8] = { 0, 'S', 'P', 0, 0, 0x11, 0, 0 };

static nng_socket
listener(int *port)
{
	nng_socket   s;
	nng_listener l;
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 5000));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 5000));
	NUTS_PASS(nng_listen(s, "tcp://127.0.0.1:0", &l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, port));
	return (s);
}

static int
raw_connect(int port)
{
	struct sockaddr_in sin;
	int                fd = socket(AF_INET, SOCK_STREAM, 0);
	NUTS_TRUE(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family      = AF_INET;
	sin.sin_port        = htons((uint16_t) port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	NUTS_PASS(connect(fd, (struct sockaddr *) &sin, sizeof(sin)));
	return (fd);
}

static void
write_all(int fd, const void *buf, size_t n)
{
	NUTS_EQ(write(fd, buf, n), (ssize_t) n);
}

// True if the peer closed fd within ms (reads and discards data).
static bool
closed_within(int fd, int ms)
{
	nng_time until = nng_clock() + (nng_time) ms;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		nng_time      now = nng_clock();
		if (now >= until) {
			return (false);
		}
		if (poll(&pfd, 1, (int) (until - now)) <= 0) {
			continue;
		}
		char    buf[256];
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			return (true);
		}
	}
}

// The listener still serves a well-behaved peer.
static void
still_serves(nng_socket s, int port)
{
	nng_socket c;
	char       url[64];
	char      *buf;
	size_t     sz;
	NUTS_PASS(nng_pair1_open(&c));
	NUTS_PASS(nng_socket_set_ms(c, NNG_OPT_SENDTIMEO, 5000));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	NUTS_PASS(nng_dial(c, url, NULL, 0));
	NUTS_PASS(nng_send(c, "ok", 3, 0));
	NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, 3);
	NUTS_TRUE(strcmp(buf, "ok") == 0);
	nng_free(buf, sz);
	NUTS_PASS(nng_close(c));
}

static void
test_garbage_header(void)
{
	int        port;
	nng_socket s = listener(&port);
	int        fd = raw_connect(port);
	write_all(fd, "GET / HTTP/1.1\r\n\r\n", 18);
	NUTS_TRUE(closed_within(fd, 5000));
	close(fd);
	still_serves(s, port);
	NUTS_PASS(nng_close(s));
}

static void
test_wrong_sp_version(void)
{
	int           port;
	nng_socket    s   = listener(&port);
	int           fd  = raw_connect(port);
	unsigned char h[8];
	memcpy(h, GOOD_HDR, 8);
	h[3] = 1; // version 1
	write_all(fd, h, 8);
	NUTS_TRUE(closed_within(fd, 5000));
	close(fd);
	// A wrong peer protocol too.
	fd = raw_connect(port);
	memcpy(h, GOOD_HDR, 8);
	h[5] = 0x30; // req0
	write_all(fd, h, 8);
	NUTS_TRUE(closed_within(fd, 5000));
	close(fd);
	still_serves(s, port);
	NUTS_PASS(nng_close(s));
}

static void
test_huge_length_prefix(void)
{
	int           port;
	nng_socket    s  = listener(&port);
	int           fd = raw_connect(port);
	unsigned char hdr[8];
	unsigned char len[8] = { 0x80, 0, 0, 0, 0, 0, 0, 0 }; // 2^63
	struct rusage before, after;

	NUTS_PASS(getrusage(RUSAGE_SELF, &before));
	write_all(fd, GOOD_HDR, 8);
	NUTS_EQ(read(fd, hdr, 8), 8);
	NUTS_TRUE(memcmp(hdr, GOOD_HDR, 8) == 0);
	write_all(fd, len, 8);
	write_all(fd, "xxxxxxxx", 8);
	NUTS_TRUE(closed_within(fd, 5000));
	close(fd);
	NUTS_PASS(getrusage(RUSAGE_SELF, &after));
	// Nothing huge was allocated (maxrss is in KiB).
	NUTS_TRUE(after.ru_maxrss - before.ru_maxrss < 64 * 1024);
	still_serves(s, port);
	NUTS_PASS(nng_close(s));
}

typedef struct {
	nng_mtx *mtx;
	nng_cv  *cv;
	int      added;
	int      removed;
} pipe_count;

// Counters live for the whole program and are never freed: our nng_close
// can still run a REM_POST callback on a task thread after it returned
// (upstream waits for them), which must not touch freed memory.
static pipe_count *
new_count(void)
{
	static pipe_count pool[4];
	static int        used;
	NUTS_TRUE(used < 4);
	pipe_count *pc = &pool[used++];
	NUTS_PASS(nng_mtx_alloc(&pc->mtx));
	NUTS_PASS(nng_cv_alloc(&pc->cv, pc->mtx));
	return (pc);
}

static void
count_pipes(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	pipe_count *pc = arg;
	(void) p;
	nng_mtx_lock(pc->mtx);
	if (ev == NNG_PIPE_EV_ADD_POST) {
		pc->added++;
	} else if (ev == NNG_PIPE_EV_REM_POST) {
		pc->removed++;
	}
	nng_cv_wake(pc->cv);
	nng_mtx_unlock(pc->mtx);
}

static bool
wait_removed(pipe_count *pc, int n)
{
	nng_time until = nng_clock() + 5000;
	bool     ok;
	nng_mtx_lock(pc->mtx);
	while (pc->removed < n) {
		if (nng_cv_until(pc->cv, until) == NNG_ETIMEDOUT) {
			break;
		}
	}
	ok = pc->removed >= n;
	nng_mtx_unlock(pc->mtx);
	return (ok);
}

static bool
wait_added(pipe_count *pc, int n)
{
	nng_time until = nng_clock() + 10000;
	bool     ok;
	nng_mtx_lock(pc->mtx);
	while (pc->added < n) {
		if (nng_cv_until(pc->cv, until) == NNG_ETIMEDOUT) {
			break;
		}
	}
	ok = pc->added >= n;
	nng_mtx_unlock(pc->mtx);
	return (ok);
}

static void
test_peer_closes_mid_frame(void)
{
	int           port;
	nng_socket    s = listener(&port);
	pipe_count   *pc = new_count();
	unsigned char hdr[8];
	unsigned char len[8] = { 0, 0, 0, 0, 0, 0, 0, 100 };
	char         *buf;
	size_t        sz;

	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_ADD_POST, count_pipes, pc));
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_REM_POST, count_pipes, pc));
	int fd = raw_connect(port);
	write_all(fd, GOOD_HDR, 8);
	NUTS_EQ(read(fd, hdr, 8), 8);
	NUTS_TRUE(wait_added(pc, 1)); // the pipe is up
	write_all(fd, len, 8);
	write_all(fd, "0123456789", 10); // 10 of 100 bytes
	close(fd);
	NUTS_TRUE(wait_removed(pc, 1));
	NUTS_EQ(pc->added, 1);
	// No partial message was delivered.
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 50));
	NUTS_FAIL(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC), NNG_ETIMEDOUT);
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 5000));
	still_serves(s, port);
	NUTS_PASS(nng_close(s));
}

static void
test_address_errors(void)
{
	int        port;
	nng_socket s = listener(&port);
	nng_socket c;
	char       url[64];

	NUTS_PASS(nng_pair1_open(&c));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	NUTS_FAIL(nng_listen(c, url, NULL, 0), NNG_EADDRINUSE);
	NUTS_PASS(nng_close(s));
	// Nobody listens there any more.
	NUTS_FAIL(nng_dial(c, url, NULL, 0), NNG_ECONNREFUSED);
	NUTS_FAIL(nng_dial(c, "tcp://127.0.0.1", NULL, 0), NNG_EADDRINVAL);
	NUTS_FAIL(nng_dial(c, "tcp://:80", NULL, 0), NNG_EADDRINVAL);
	NUTS_FAIL(nng_dial(c, "tcp://[::1", NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_dial(c, "tcp://127.0.0.1:99999", NULL, 0),
	    NNG_EADDRINVAL);
	NUTS_FAIL(nng_listen(c, "tcp://127.0.0.1:80/path", NULL, 0),
	    NNG_EADDRINVAL);
	NUTS_FAIL(nng_dial(c, "tcpx://127.0.0.1:80", NULL, 0), NNG_ENOTSUP);
	NUTS_PASS(nng_close(c));
}

static void
test_peer_never_reads(void)
{
	int           port;
	nng_socket    s = listener(&port);
	int           fd = raw_connect(port);
	unsigned char hdr[8];
	size_t        total = 0;
	int           rv;
	static char   chunk[64 * 1024];

	write_all(fd, GOOD_HDR, 8);
	NUTS_EQ(read(fd, hdr, 8), 8);
	// Make sure the pipe is attached before sending: a pair1 send with
	// no peer would also time out, proving nothing.
	NUTS_PASS(nng_send(s, chunk, sizeof(chunk), 0));
	total += sizeof(chunk);
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 200));
	for (;;) {
		rv = nng_send(s, chunk, sizeof(chunk), 0);
		if (rv != 0) {
			break;
		}
		total += sizeof(chunk);
		NUTS_TRUE(total < 256u * 1024 * 1024);
	}
	NUTS_FAIL(rv, NNG_ETIMEDOUT);
	// Some data went out, bounded by buffers (kernel and queue).
	NUTS_TRUE(total > 0);
	NUTS_TRUE(total < 64u * 1024 * 1024);
	close(fd);
	NUTS_PASS(nng_close(s));
}

static int
count_fds(void)
{
	DIR           *d = opendir("/proc/self/fd");
	struct dirent *e;
	int            n = 0;
	NUTS_TRUE(d != NULL);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.') {
			n++;
		}
	}
	closedir(d);
	return (n);
}

static bool
fds_back_to(int want)
{
	nng_time until = nng_clock() + 10000;
	while (nng_clock() < until) {
		if (count_fds() <= want) {
			return (true);
		}
		// Wait for the library to process the closes: poll a dummy
		// descriptor set with a short timeout (an event wait, bounded).
		poll(NULL, 0, 10);
	}
	return (count_fds() <= want);
}

static void
test_no_fd_leak(void)
{
	int        port;
	nng_socket s = listener(&port);
	char       url[64];
	int        before;

	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	// Warm up (threads and their descriptors start lazily).
	still_serves(s, port);
	before = count_fds();
	for (int i = 0; i < 1000; i++) {
		int fd = raw_connect(port);
		if (i % 2 == 0) {
			write_all(fd, GOOD_HDR, 8);
		}
		close(fd);
	}
	for (int i = 0; i < 100; i++) {
		nng_socket c;
		NUTS_PASS(nng_pair1_open(&c));
		NUTS_PASS(nng_dial(c, url, NULL, 0));
		NUTS_PASS(nng_close(c));
	}
	NUTS_TRUE(fds_back_to(before));
	still_serves(s, port);
	NUTS_PASS(nng_close(s));
	NUTS_TRUE(fds_back_to(before - 1)); // the listening socket
}

static void
test_listener_restarts(void)
{
	int          port;
	nng_socket   s = listener(&port);
	nng_socket   c;
	nng_socket   s2;
	nng_dialer   d;
	char         url[64];
	char        *buf;
	size_t       sz;
	nng_listener l;

	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	pipe_count *pc = new_count();
	NUTS_PASS(nng_pair1_open(&c));
	NUTS_PASS(nng_pipe_notify(c, NNG_PIPE_EV_ADD_POST, count_pipes, pc));
	NUTS_PASS(nng_socket_set_ms(c, NNG_OPT_SENDTIMEO, 5000));
	NUTS_PASS(nng_socket_set_ms(c, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(c, NNG_OPT_RECONNMAXT, 100));
	NUTS_PASS(nng_dial(c, url, &d, 0));
	NUTS_PASS(nng_send(c, "one", 4, 0));
	NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_TRUE(strcmp(buf, "one") == 0);
	nng_free(buf, sz);
	NUTS_PASS(nng_close(s));

	// A new listener on the same port; the dialer reconnects by itself.
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, 5000));
	NUTS_PASS(nng_listen(s2, url, &l, 0));
	// Wait for the new connection: a message sent before the dialer
	// noticed the old one closing would go to the dead connection (as
	// with upstream).
	NUTS_TRUE(wait_added(pc, 2));
	NUTS_PASS(nng_send(c, "two", 4, 0));
	NUTS_PASS(nng_recv(s2, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_TRUE(strcmp(buf, "two") == 0);
	nng_free(buf, sz);
	NUTS_PASS(nng_close(c));
	NUTS_PASS(nng_close(s2));
}

NUTS_TESTS = {
	{ "garbage header", test_garbage_header },
	{ "wrong sp version", test_wrong_sp_version },
	{ "huge length prefix", test_huge_length_prefix },
	{ "peer closes mid-frame", test_peer_closes_mid_frame },
	{ "address errors", test_address_errors },
	{ "peer never reads", test_peer_never_reads },
	{ "no fd leak", test_no_fd_leak },
	{ "listener restarts", test_listener_restarts },
	{ NULL, NULL },
};
