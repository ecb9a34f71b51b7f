// Helpers for the C tests of SP sockets (include after nuts.h):
//
//   sp_marry(s1, s2, &p1, &p2)  connects s2 to s1 over a fresh inproc
//                               address and waits (on pipe events, never a
//                               sleep) until both sides have the pipe.
//   SP_MARRY(s1, s2)            the same, failing the test on error.
//   SP_SEND(s, "str")           sends the string with its NUL.
//   SP_RECV(s, "str")           receives one message and checks it is "str".
//   sp_addr(buf, n)             a fresh inproc address.
//   sp_ctx_send/sp_ctx_recv     blocking string send/receive on a context.
//   sp_close_while_blocked(s, sp_blocked_recv|sp_blocked_send)
//                               closes s while a thread blocks on it; gives
//                               that thread's result.
//   check_identity, check_ttl_option, check_ms_option, set_timeouts
//                               shared option checks (NUTS macros: include
//                               nuts.h first).
//
// Marrying replaces the sockets' pipe notification callbacks for the time
// of the call (it removes its own again), as upstream's nuts_marry does.
#ifndef NNG_CTESTS_SPHELP_H
#define NNG_CTESTS_SPHELP_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>
#include <nng/supplemental/util/platform.h>

#define SP_SECOND 1000

static int sp_addr_seq = 0;

static inline void
sp_addr(char *buf, size_t n)
{
	snprintf(buf, n, "inproc://sp-%d-%d", (int) getpid(), ++sp_addr_seq);
}

typedef struct {
	nng_mtx   *mtx;
	nng_cv    *cv;
	nng_socket s1;
	nng_socket s2;
	nng_pipe   p1;
	nng_pipe   p2;
} sp_marriage;

static inline void
sp_married(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	sp_marriage *m = arg;
	(void) ev;
	nng_mtx_lock(m->mtx);
	if (nng_socket_id(nng_pipe_socket(p)) == nng_socket_id(m->s1)) {
		m->p1 = p;
	} else if (nng_socket_id(nng_pipe_socket(p)) ==
	    nng_socket_id(m->s2)) {
		m->p2 = p;
	}
	nng_cv_wake(m->cv);
	nng_mtx_unlock(m->mtx);
}

// Listens on s1, dials from s2; waits up to 2 s for both pipes.
static inline int
sp_marry(nng_socket s1, nng_socket s2, nng_pipe *p1, nng_pipe *p2)
{
	sp_marriage m;
	char        addr[64];
	int         rv;
	nng_time    until;

	memset(&m, 0, sizeof(m));
	m.s1 = s1;
	m.s2 = s2;
	sp_addr(addr, sizeof(addr));
	if (((rv = nng_mtx_alloc(&m.mtx)) != 0) ||
	    ((rv = nng_cv_alloc(&m.cv, m.mtx)) != 0)) {
		return (rv);
	}
	if (((rv = nng_pipe_notify(
	          s1, NNG_PIPE_EV_ADD_POST, sp_married, &m)) != 0) ||
	    ((rv = nng_pipe_notify(
	          s2, NNG_PIPE_EV_ADD_POST, sp_married, &m)) != 0) ||
	    ((rv = nng_listen(s1, addr, NULL, 0)) != 0) ||
	    ((rv = nng_dial(s2, addr, NULL, 0)) != 0)) {
		goto out;
	}
	until = nng_clock() + 2 * SP_SECOND;
	nng_mtx_lock(m.mtx);
	while ((nng_pipe_id(m.p1) <= 0) || (nng_pipe_id(m.p2) <= 0)) {
		if ((rv = nng_cv_until(m.cv, until)) == NNG_ETIMEDOUT) {
			break;
		}
		rv = 0;
	}
	nng_mtx_unlock(m.mtx);
out:
	nng_pipe_notify(s1, NNG_PIPE_EV_ADD_POST, NULL, NULL);
	nng_pipe_notify(s2, NNG_PIPE_EV_ADD_POST, NULL, NULL);
	// A callback may still be running: take the lock once more.
	nng_mtx_lock(m.mtx);
	nng_mtx_unlock(m.mtx);
	nng_cv_free(m.cv);
	nng_mtx_free(m.mtx);
	if (p1 != NULL) {
		*p1 = m.p1;
	}
	if (p2 != NULL) {
		*p2 = m.p2;
	}
	return (rv);
}

#define SP_MARRY(s1, s2) NUTS_PASS(sp_marry(s1, s2, NULL, NULL))

#define SP_SEND(s, str) \
	NUTS_PASS(nng_send(s, (void *) (str), strlen(str) + 1, 0))

#define SP_RECV(s, str)                                               \
	do {                                                          \
		char   sp_buf_[1024];                                 \
		size_t sp_sz_ = sizeof(sp_buf_);                      \
		NUTS_PASS(nng_recv(s, sp_buf_, &sp_sz_, 0));          \
		NUTS_EQ(sp_sz_, strlen(str) + 1);                     \
		NUTS_MATCH(sp_buf_, str);                             \
	} while (0)

#define SP_CLOSE(s) NUTS_PASS(nng_socket_close(s))

// Sends a string on a context (blocking, as nng_ctx_sendmsg).
static inline int
sp_ctx_send(nng_ctx c, const char *str)
{
	nng_msg *m;
	int      rv;
	if ((rv = nng_msg_alloc(&m, 0)) != 0) {
		return (rv);
	}
	if (((rv = nng_msg_append(m, str, strlen(str) + 1)) != 0) ||
	    ((rv = nng_ctx_sendmsg(c, m, 0)) != 0)) {
		nng_msg_free(m);
	}
	return (rv);
}

// Receives a string on a context; compares it with `want`.
static inline int
sp_ctx_recv(nng_ctx c, const char *want)
{
	nng_msg *m;
	int      rv;
	if ((rv = nng_ctx_recvmsg(c, &m, 0)) != 0) {
		return (rv);
	}
	if ((nng_msg_len(m) != strlen(want) + 1) ||
	    (strcmp(nng_msg_body(m), want) != 0)) {
		rv = NNG_EPROTO;
	}
	nng_msg_free(m);
	return (rv);
}

// Shared checks (use NUTS macros: include nuts.h first).

struct sp_closer {
	nng_socket s;
	nng_mtx   *mtx;
	nng_cv    *cv;
	int        rv;
	bool       done;
	nng_msg   *msg;
};

static inline void
sp_blocked_recv(void *arg)
{
	struct sp_closer *c = arg;
	nng_msg          *m = NULL;
	int               rv;

	nng_mtx_lock(c->mtx);
	c->done = true; // started
	nng_cv_wake(c->cv);
	nng_mtx_unlock(c->mtx);
	rv = nng_recvmsg(c->s, &m, 0);
	nng_mtx_lock(c->mtx);
	c->rv  = rv;
	c->msg = m;
	nng_mtx_unlock(c->mtx);
}

static inline void
sp_blocked_send(void *arg)
{
	struct sp_closer *c = arg;
	nng_msg          *m;
	int               rv;

	if (nng_msg_alloc(&m, 0) != 0) {
		c->rv = NNG_ENOMEM;
		return;
	}
	nng_mtx_lock(c->mtx);
	c->done = true;
	nng_cv_wake(c->cv);
	nng_mtx_unlock(c->mtx);
	rv = nng_sendmsg(c->s, m, 0);
	if (rv != 0) {
		nng_msg_free(m);
	}
	nng_mtx_lock(c->mtx);
	c->rv = rv;
	nng_mtx_unlock(c->mtx);
}

// Runs fn (a blocking send or receive on s) in a thread, closes s once the
// thread started, and returns the thread's result. A close that comes before
// the thread blocks gives NNG_ECLOSED too, so either order is a pass.
static inline int
sp_close_while_blocked(nng_socket s, void (*fn)(void *))
{
	struct sp_closer c;
	nng_thread      *thr;
	int              rv;

	memset(&c, 0, sizeof(c));
	c.s  = s;
	c.rv = -1;
	NUTS_PASS(nng_mtx_alloc(&c.mtx));
	NUTS_PASS(nng_cv_alloc(&c.cv, c.mtx));
	NUTS_PASS(nng_thread_create(&thr, fn, &c));
	nng_mtx_lock(c.mtx);
	while (!c.done) {
		NUTS_PASS(nng_cv_until(c.cv, nng_clock() + 5 * SP_SECOND));
	}
	nng_mtx_unlock(c.mtx);
	NUTS_PASS(nng_socket_close(s));
	nng_thread_destroy(thr);
	rv = c.rv;
	NUTS_NULL(c.msg);
	nng_cv_free(c.cv);
	nng_mtx_free(c.mtx);
	return (rv);
}

static inline void
check_ttl_option(nng_socket s)
{
	int         v;
	bool        b;
	size_t      sz;
	const char *opt = NNG_OPT_MAXTTL;

	NUTS_PASS(nng_socket_set_int(s, opt, 1));
	NUTS_FAIL(nng_socket_set_int(s, opt, 0), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, opt, -1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, opt, 16), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, opt, 256), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(s, opt, 3));
	NUTS_PASS(nng_socket_get_int(s, opt, &v));
	NUTS_EQ(v, 3);
	v  = 0;
	sz = sizeof(v);
	NUTS_PASS(nng_socket_get(s, opt, &v, &sz));
	NUTS_EQ(v, 3);
	NUTS_EQ(sz, sizeof(v));
	NUTS_FAIL(nng_socket_set(s, opt, "", 1), NNG_EINVAL);
	sz = 1;
	NUTS_FAIL(nng_socket_get(s, opt, &v, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_bool(s, opt, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_bool(s, opt, &b), NNG_EBADTYPE);
}

static inline void
check_identity(nng_socket s, int self, int peer, const char *sname,
    const char *pname, bool raw)
{
	int   p;
	bool  b;
	char *n;

	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PROTO, &p));
	NUTS_EQ(p, self);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PEER, &p));
	NUTS_EQ(p, peer);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PROTONAME, &n));
	NUTS_MATCH(n, sname);
	nng_strfree(n);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PEERNAME, &n));
	NUTS_MATCH(n, pname);
	nng_strfree(n);
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_EQ(b, raw);
}

static inline void
set_timeouts(nng_socket s, nng_duration recv, nng_duration send)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, recv));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, send));
}

static inline void
check_ms_option(nng_socket s, const char *opt, nng_duration dflt)
{
	nng_duration d;
	bool         b;
	size_t       sz = sizeof(b);

	NUTS_PASS(nng_socket_get_ms(s, opt, &d));
	NUTS_EQ(d, dflt);
	NUTS_PASS(nng_socket_set_ms(s, opt, 10));
	NUTS_FAIL(nng_socket_set(s, opt, "", 1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get(s, opt, &b, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_bool(s, opt, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_bool(s, opt, &b), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_ms(s, opt, -5), NNG_EINVAL);
	NUTS_PASS(nng_socket_get_ms(s, opt, &d));
	NUTS_EQ(d, 10);
}

#endif // NNG_CTESTS_SPHELP_H
