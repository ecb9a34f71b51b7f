// Helpers for the socket-level C tests (socket, options, pipe, endpoint):
// unique inproc addresses, an event counter waited on with a deadline,
// and "marry", which connects two sockets and waits until both sides have
// seen the pipe (NNG_PIPE_EV_ADD_POST), never sleeping.
//
// Uses only the nng 1.5.2 API, so that files marked abi-1.5.2 can use it.
#ifndef NNG_CTESTS_NUTS_SOCK_H
#define NNG_CTESTS_NUTS_SOCK_H

#include <nuts.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include <unistd.h>

// How long a test waits for something that should happen at once.
#define NUTS_SOCK_LONG 5000

// An address no other test (or test process) uses.
static inline void
nuts_sock_addr(char *buf, size_t sz, const char *tag)
{
	static int n;
	snprintf(buf, sz, "inproc://%s-%d-%d", tag, (int) getpid(), ++n);
}

// A counter bumped from callbacks and waited on with a deadline.
typedef struct {
	nng_mtx *mx;
	nng_cv  *cv;
	int      n;
} nuts_count;

static inline void
nuts_count_init(nuts_count *c)
{
	NUTS_PASS(nng_mtx_alloc(&c->mx));
	NUTS_PASS(nng_cv_alloc(&c->cv, c->mx));
	c->n = 0;
}

static inline void
nuts_count_fini(nuts_count *c)
{
	nng_cv_free(c->cv);
	nng_mtx_free(c->mx);
}

static inline void
nuts_count_bump(nuts_count *c)
{
	nng_mtx_lock(c->mx);
	c->n++;
	nng_cv_wake(c->cv);
	nng_mtx_unlock(c->mx);
}

// Waits until the count reaches at least `want`; returns the count.
static inline int
nuts_count_wait(nuts_count *c, int want, nng_duration ms)
{
	nng_time end = nng_clock() + (nng_time) ms;
	int      n;
	nng_mtx_lock(c->mx);
	while (c->n < want) {
		if (nng_cv_until(c->cv, end) == NNG_ETIMEDOUT) {
			break;
		}
	}
	n = c->n;
	nng_mtx_unlock(c->mx);
	return (n);
}

static inline void
nuts_sock_bump_cb(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void) p;
	(void) ev;
	nuts_count_bump(arg);
}

// Listens on s1 and dials from s2 (blocking), then waits until both
// sockets report the new pipe. Replaces the ADD_POST callbacks of both
// sockets for the duration (and clears them after).
static inline void
nuts_marry_at(nng_socket s1, nng_socket s2, const char *url)
{
	nuts_count c1, c2;
	nuts_count_init(&c1);
	nuts_count_init(&c2);
	NUTS_PASS(nng_pipe_notify(
	    s1, NNG_PIPE_EV_ADD_POST, nuts_sock_bump_cb, &c1));
	NUTS_PASS(nng_pipe_notify(
	    s2, NNG_PIPE_EV_ADD_POST, nuts_sock_bump_cb, &c2));
	NUTS_PASS(nng_listen(s1, url, NULL, 0));
	NUTS_PASS(nng_dial(s2, url, NULL, 0));
	NUTS_EQ(nuts_count_wait(&c1, 1, NUTS_SOCK_LONG), 1);
	NUTS_EQ(nuts_count_wait(&c2, 1, NUTS_SOCK_LONG), 1);
	NUTS_PASS(nng_pipe_notify(s1, NNG_PIPE_EV_ADD_POST, NULL, NULL));
	NUTS_PASS(nng_pipe_notify(s2, NNG_PIPE_EV_ADD_POST, NULL, NULL));
	nuts_count_fini(&c1);
	nuts_count_fini(&c2);
}

static inline void
nuts_marry(nng_socket s1, nng_socket s2)
{
	char url[64];
	nuts_sock_addr(url, sizeof(url), "marry");
	nuts_marry_at(s1, s2, url);
}

// Sends a string (with its NUL) and receives it on the other side.
#define NUTS_SEND(s, str) NUTS_PASS(nng_send(s, str, strlen(str) + 1, 0))

#define NUTS_RECV(s, str)                                               \
	do {                                                            \
		char   nuts_buf_[256];                                  \
		size_t nuts_sz_ = sizeof(nuts_buf_);                    \
		NUTS_PASS(nng_recv(s, nuts_buf_, &nuts_sz_, 0));        \
		NUTS_EQ(nuts_sz_, strlen(str) + 1);                     \
		NUTS_MATCH(nuts_buf_, str);                             \
	} while (0)

#endif // NNG_CTESTS_NUTS_SOCK_H
