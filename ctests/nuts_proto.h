// Helpers for the protocol C tests (pair0, pair1, bus, pipeline, pubsub),
// in the spirit of upstream's NUTS: connect two sockets over inproc and
// wait for both ends to report the pipe (no sleeps), send and receive
// strings, poll the notification descriptors, watch pipe removals.
//
// Include this instead of nuts.h (it includes nuts.h, which defines main).
#ifndef NNG_CTESTS_NUTS_PROTO_H
#define NNG_CTESTS_NUTS_PROTO_H

#include <poll.h>
#include <pthread.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "nuts.h"

// These tests also build against older (1.5.2) headers for the ABI
// drop-in variant; checks of functions newer than that are compiled only
// with the 1.12 headers.
#if NNG_MAJOR_VERSION > 1 || NNG_MINOR_VERSION >= 12
#define NUTS_API_1_12 1
#else
#define NUTS_API_1_12 0
#endif

#define NUTS_PROTO(x, y) (((x) << 4u) | (y))
#define NUTS_CLOSE(s) NUTS_PASS(nng_close(s))

// Sends a NUL-terminated string (including the NUL).
#define NUTS_SEND(sock, str) \
	NUTS_PASS(nng_send(sock, str, strlen(str) + 1, 0))

// Receives a message and checks it is the string (including the NUL).
#define NUTS_RECV(sock, str)                                                \
	do {                                                                \
		char   nuts_buf_[64];                                       \
		size_t nuts_sz_ = sizeof(nuts_buf_);                        \
		NUTS_PASS(nng_recv(sock, nuts_buf_, &nuts_sz_, 0));         \
		NUTS_EQ(nuts_sz_, strlen(str) + 1);                         \
		nuts_buf_[sizeof(nuts_buf_) - 1] = '\0';                    \
		NUTS_MATCH(nuts_buf_, str);                                 \
	} while (0)

// A fresh inproc address in a static buffer.
#define NUTS_ADDR(var, scheme)                                              \
	do {                                                                \
		static char nuts_addr_[64];                                 \
		(void) snprintf(nuts_addr_, sizeof(nuts_addr_),             \
		    "%s://nuts%08x%08x", scheme, nng_random(),              \
		    nng_random());                                          \
		(var) = nuts_addr_;                                         \
	} while (0)

#define NUTS_SKIP(why)                                                      \
	do {                                                                \
		printf("skip - %s: %s\n", nuts_current, why);               \
		return;                                                     \
	} while (0)

// Counts pipe events on sockets; waits for counts with a deadline.
typedef struct {
	nng_mtx *mx;
	nng_cv  *cv;
	int      id[2];
	int      cnt[2];
	nng_pipe pipe[2];
} nuts_watch;

static void
nuts_watch_cb(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	nuts_watch *w  = arg;
	int         id = nng_socket_id(nng_pipe_socket(p));
	(void) ev;
	nng_mtx_lock(w->mx);
	for (int i = 0; i < 2; i++) {
		if (w->id[i] == id) {
			w->cnt[i]++;
			w->pipe[i] = p;
		}
	}
	nng_cv_wake(w->cv);
	nng_mtx_unlock(w->mx);
}

// Starts counting `ev` on s1 (and s2, if it is a valid socket).
static void
nuts_watch_start(nuts_watch *w, nng_socket s1, nng_socket s2, nng_pipe_ev ev)
{
	memset(w, 0, sizeof(*w));
	NUTS_PASS(nng_mtx_alloc(&w->mx));
	NUTS_PASS(nng_cv_alloc(&w->cv, w->mx));
	w->id[0] = nng_socket_id(s1);
	w->id[1] = nng_socket_id(s2);
	NUTS_PASS(nng_pipe_notify(s1, ev, nuts_watch_cb, w));
	if (nng_socket_id(s2) > 0) {
		NUTS_PASS(nng_pipe_notify(s2, ev, nuts_watch_cb, w));
	}
}

// Waits until socket `which` (0 or 1) saw at least `n` events; returns
// false after `ms` milliseconds.
static bool
nuts_watch_wait(nuts_watch *w, int which, int n, int ms)
{
	nng_time deadline = nng_clock() + (nng_time) ms;
	bool     ok       = true;
	nng_mtx_lock(w->mx);
	while (w->cnt[which] < n) {
		if (nng_cv_until(w->cv, deadline) != 0) {
			ok = w->cnt[which] >= n;
			break;
		}
	}
	nng_mtx_unlock(w->mx);
	return (ok);
}

static int
nuts_watch_count(nuts_watch *w, int which)
{
	nng_mtx_lock(w->mx);
	int n = w->cnt[which];
	nng_mtx_unlock(w->mx);
	return (n);
}

// Unregisters (sockets that are already closed are fine) and frees.
static void
nuts_watch_stop(nuts_watch *w, nng_socket s1, nng_socket s2, nng_pipe_ev ev)
{
	(void) nng_pipe_notify(s1, ev, NULL, NULL);
	if (nng_socket_id(s2) > 0) {
		(void) nng_pipe_notify(s2, ev, NULL, NULL);
	}
	nng_cv_free(w->cv);
	nng_mtx_free(w->mx);
}

// Connects s2 (dialer) to s1 (listener on `url`, or a fresh inproc address
// if NULL) and waits until both sockets have attached the new pipe (their
// NNG_PIPE_EV_ADD_POST callbacks ran). The pipes are stored if asked.
static int
nuts_marry_ex(
    nng_socket s1, nng_socket s2, const char *url, nng_pipe *p1, nng_pipe *p2)
{
	nuts_watch w;
	char       addr[64];
	int        rv;

	if (url == NULL) {
		(void) snprintf(addr, sizeof(addr), "inproc://marry%08x%08x",
		    nng_random(), nng_random());
		url = addr;
	}
	nuts_watch_start(&w, s1, s2, NNG_PIPE_EV_ADD_POST);
	if (((rv = nng_listen(s1, url, NULL, 0)) == 0) &&
	    ((rv = nng_dial(s2, url, NULL, 0)) == 0)) {
		if (!nuts_watch_wait(&w, 0, 1, 2000) ||
		    !nuts_watch_wait(&w, 1, 1, 2000)) {
			rv = NNG_ETIMEDOUT;
		}
	}
	if (p1 != NULL) {
		*p1 = w.pipe[0];
	}
	if (p2 != NULL) {
		*p2 = w.pipe[1];
	}
	nuts_watch_stop(&w, s1, s2, NNG_PIPE_EV_ADD_POST);
	return (rv);
}

static int
nuts_marry(nng_socket s1, nng_socket s2)
{
	return (nuts_marry_ex(s1, s2, NULL, NULL, NULL));
}

#define NUTS_MARRY(s1, s2) NUTS_PASS(nuts_marry(s1, s2))
#define NUTS_MARRY_EX(s1, s2, url, p1, p2) \
	NUTS_PASS(nuts_marry_ex(s1, s2, url, p1, p2))

// Whether fd becomes readable within `ms` milliseconds (0: right now).
// Polls for POLLRDNORM, as upstream's test suite does (an application may
// ask for either flag; both must be reported).
static bool
nuts_poll_fd_wait(int fd, int ms)
{
	struct pollfd pfd;
	pfd.fd      = fd;
	pfd.events  = POLLRDNORM;
	pfd.revents = 0;
	return (poll(&pfd, 1, ms) == 1 && (pfd.revents & POLLRDNORM) != 0);
}

static bool
nuts_poll_fd(int fd)
{
	return (nuts_poll_fd_wait(fd, 0));
}

// Gets a socket's NNG_OPT_RECVFD / NNG_OPT_SENDFD. Returns false (the
// caller skips its readiness checks) if notification descriptors are not
// available at all in this build.
static bool
nuts_poll_fd_get(nng_socket s, const char *opt, int *fd)
{
	int rv = nng_socket_get_int(s, opt, fd);
	if (rv == NNG_ENOTSUP) {
		return (false);
	}
	NUTS_PASS(rv);
	NUTS_TRUE(*fd >= 0);
	return (true);
}

// Appends a string without its NUL / checks a body equals a string.
#define APPEND_STR(m, s) NUTS_PASS(nng_msg_append(m, s, strlen(s)))
#define CHECK_STR(m, s)                                                     \
	do {                                                                \
		NUTS_EQ(nng_msg_len(m), strlen(s));                         \
		NUTS_TRUE(memcmp(nng_msg_body(m), s, strlen(s)) == 0);      \
	} while (0)

// A thread blocked in nng_recvmsg / nng_sendmsg, for close-while-blocked
// checks (the result is the same whether or not the call had started
// blocking when the socket was closed).
typedef struct {
	nng_socket s;
	int        send;
	int        rv;
	pthread_t  thr;
} nuts_blocked;

static void *
nuts_blocked_run(void *arg)
{
	nuts_blocked *b = arg;
	nng_msg      *m = NULL;
	if (b->send) {
		if ((b->rv = nng_msg_alloc(&m, 0)) == 0 &&
		    (b->rv = nng_sendmsg(b->s, m, 0)) != 0) {
			nng_msg_free(m);
		}
	} else if ((b->rv = nng_recvmsg(b->s, &m, 0)) == 0) {
		nng_msg_free(m);
	}
	return (NULL);
}

static void
nuts_blocked_start(nuts_blocked *b, nng_socket s, int send)
{
	b->s    = s;
	b->send = send;
	b->rv   = -1;
	NUTS_TRUE(pthread_create(&b->thr, NULL, nuts_blocked_run, b) == 0);
}

static int
nuts_blocked_join(nuts_blocked *b)
{
	NUTS_TRUE(pthread_join(b->thr, NULL) == 0);
	return (b->rv);
}

// Reads a socket's "reject" statistic; false if statistics are not
// available in this build (the caller skips that check).
static bool
nuts_stat_rejects(nng_socket s, uint64_t *val)
{
	nng_stat *all;
	nng_stat *st;
	int       rv = nng_stats_get(&all);
	if (rv == NNG_ENOTSUP) {
		return (false);
	}
	NUTS_PASS(rv);
	NUTS_TRUE((st = nng_stat_find_socket(all, s)) != NULL);
	NUTS_TRUE((st = nng_stat_find(st, "reject")) != NULL);
	NUTS_EQ(nng_stat_type(st), NNG_STAT_COUNTER);
	*val = nng_stat_value(st);
	nng_stats_free(all);
	return (true);
}

#endif // NNG_CTESTS_NUTS_PROTO_H
