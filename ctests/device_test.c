// Devices (nng_device, nng_device_aio) over inproc: argument rules, a
// req -> xrep | device | xreq -> rep chain, reflectors (bus), one-way
// devices (pub/sub), stopping by close, cancel and timeout. Behaviour as
// upstream nng v1.12.0 (src/core/device.c, src/nng.c, tests/device.c).
//
// nng-ctest: memcheck

#include "nuts.h"
#include "sphelp.h"

#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>

static void
test_device_bad_args(void)
{
	nng_socket cooked;
	nng_socket xreq;
	nng_socket xreq2;
	nng_socket xrep;
	nng_socket closed;
	nng_socket none = NNG_SOCKET_INITIALIZER;
	nng_aio   *aio;

	NUTS_PASS(nng_pair1_open(&cooked));
	NUTS_PASS(nng_req0_open_raw(&xreq));
	NUTS_PASS(nng_req0_open_raw(&xreq2));
	NUTS_PASS(nng_rep0_open(&xrep)); // cooked rep
	NUTS_PASS(nng_rep0_open_raw(&closed));
	SP_CLOSE(closed);

	// Cooked sockets cannot be in a device.
	NUTS_FAIL(nng_device(cooked, cooked), NNG_EINVAL);
	NUTS_FAIL(nng_device(xreq, xrep), NNG_EINVAL);
	// Both raw but not peers.
	NUTS_FAIL(nng_device(xreq, xreq2), NNG_EINVAL);
	// A reflector needs a protocol that is its own peer.
	NUTS_FAIL(nng_device(xreq, none), NNG_EINVAL);
	NUTS_FAIL(nng_device(none, xreq), NNG_EINVAL);
	// No socket at all.
	NUTS_FAIL(nng_device(none, none), NNG_EINVAL);
	// A socket that is not open.
	NUTS_FAIL(nng_device(closed, xreq), NNG_ECLOSED);
	NUTS_FAIL(nng_device(xreq, closed), NNG_ECLOSED);

	// The same through an aio: it completes at once.
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_device_aio(aio, xreq, xreq2);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_EINVAL);
	nng_device_aio(aio, closed, xreq);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_device_aio(NULL, xreq, xreq2); // ignored
	nng_aio_free(aio);

	SP_CLOSE(cooked);
	SP_CLOSE(xreq);
	SP_CLOSE(xreq2);
	SP_CLOSE(xrep);
}

// req -> xrep | device | xreq -> rep, with two clients.
static void
test_device_reqrep_chain(void)
{
	nng_socket req1;
	nng_socket req2;
	nng_socket xrep;
	nng_socket xreq;
	nng_socket rep;
	nng_aio   *dev;

	NUTS_PASS(nng_req0_open(&req1));
	NUTS_PASS(nng_req0_open(&req2));
	NUTS_PASS(nng_rep0_open_raw(&xrep));
	NUTS_PASS(nng_req0_open_raw(&xreq));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req1, 2 * SP_SECOND, SP_SECOND);
	set_timeouts(req2, 2 * SP_SECOND, SP_SECOND);
	set_timeouts(rep, 2 * SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_aio_alloc(&dev, NULL, NULL));

	SP_MARRY(xrep, req1);
	SP_MARRY(xrep, req2);
	SP_MARRY(rep, xreq);

	// Either order of the two sockets works.
	nng_device_aio(dev, xreq, xrep);
	NUTS_TRUE(nng_aio_busy(dev));

	for (int i = 0; i < 20; i++) {
		nng_msg *m;
		uint32_t v;
		nng_socket c = (i % 2) ? req2 : req1;
		NUTS_PASS(nng_msg_alloc(&m, 0));
		NUTS_PASS(nng_msg_append_u32(m, (uint32_t) i));
		NUTS_PASS(nng_sendmsg(c, m, 0));
		NUTS_PASS(nng_recvmsg(rep, &m, 0));
		NUTS_PASS(nng_msg_trim_u32(m, &v));
		NUTS_EQ(v, (uint32_t) i);
		NUTS_PASS(nng_msg_append_u32(m, v + 1000));
		NUTS_PASS(nng_sendmsg(rep, m, 0));
		NUTS_PASS(nng_recvmsg(c, &m, 0));
		NUTS_PASS(nng_msg_trim_u32(m, &v));
		NUTS_EQ(v, (uint32_t) i + 1000);
		nng_msg_free(m);
	}

	// Both clients waiting at once, answered out of order by contexts.
	nng_ctx  pc[2];
	nng_msg *pm[2];
	NUTS_PASS(nng_ctx_open(&pc[0], rep));
	NUTS_PASS(nng_ctx_open(&pc[1], rep));
	NUTS_PASS(nng_ctx_set_ms(pc[0], NNG_OPT_RECVTIMEO, 2 * SP_SECOND));
	NUTS_PASS(nng_ctx_set_ms(pc[1], NNG_OPT_RECVTIMEO, 2 * SP_SECOND));
	SP_SEND(req1, "one");
	SP_SEND(req2, "two");
	NUTS_PASS(nng_ctx_recvmsg(pc[0], &pm[0], 0));
	NUTS_PASS(nng_ctx_recvmsg(pc[1], &pm[1], 0));
	NUTS_PASS(nng_ctx_sendmsg(pc[1], pm[1], 0));
	NUTS_PASS(nng_ctx_sendmsg(pc[0], pm[0], 0));
	SP_RECV(req1, "one");
	SP_RECV(req2, "two");

	// Closing a device socket stops the device.
	SP_CLOSE(xrep);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECLOSED);
	nng_aio_free(dev);

	SP_CLOSE(req1);
	SP_CLOSE(req2);
	SP_CLOSE(xreq);
	SP_CLOSE(rep);
}

struct devthr {
	nng_socket s1;
	nng_socket s2;
	int        rv;
};

static void
run_device(void *arg)
{
	struct devthr *d = arg;
	d->rv            = nng_device(d->s1, d->s2);
}

// nng_device blocks until a socket closes, and returns NNG_ECLOSED.
static void
test_device_blocking(void)
{
	struct devthr d;
	nng_thread   *thr;
	nng_socket    req;
	nng_socket    rep;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_rep0_open_raw(&d.s1));
	NUTS_PASS(nng_req0_open_raw(&d.s2));
	set_timeouts(req, 2 * SP_SECOND, SP_SECOND);
	set_timeouts(rep, 2 * SP_SECOND, SP_SECOND);
	d.rv = -1;
	SP_MARRY(d.s1, req);
	SP_MARRY(rep, d.s2);
	NUTS_PASS(nng_thread_create(&thr, run_device, &d));

	SP_SEND(req, "through");
	SP_RECV(rep, "through");
	SP_SEND(rep, "and back");
	SP_RECV(req, "and back");

	SP_CLOSE(d.s2);
	nng_thread_destroy(thr);
	NUTS_FAIL(d.rv, NNG_ECLOSED);
	SP_CLOSE(d.s1);
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// A bus reflector: what one peer sends reaches the others, not itself.
static void
test_device_bus_reflector(void)
{
	nng_socket hub;
	nng_socket b[3];
	nng_socket none = NNG_SOCKET_INITIALIZER;
	nng_aio   *dev;
	char       buf[16];
	size_t     sz;

	NUTS_PASS(nng_bus0_open_raw(&hub));
	NUTS_PASS(nng_aio_alloc(&dev, NULL, NULL));
	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_bus0_open(&b[i]));
		set_timeouts(b[i], SP_SECOND, SP_SECOND);
		SP_MARRY(hub, b[i]);
	}
	nng_device_aio(dev, hub, none);

	SP_SEND(b[0], "from0");
	SP_RECV(b[1], "from0");
	SP_RECV(b[2], "from0");
	SP_SEND(b[2], "from2");
	SP_RECV(b[0], "from2");
	SP_RECV(b[1], "from2");
	// No echo to the sender.
	NUTS_PASS(nng_socket_set_ms(b[0], NNG_OPT_RECVTIMEO, 50));
	NUTS_PASS(nng_socket_set_ms(b[2], NNG_OPT_RECVTIMEO, 50));
	sz = sizeof(buf);
	NUTS_FAIL(nng_recv(b[0], buf, &sz, 0), NNG_ETIMEDOUT);
	sz = sizeof(buf);
	NUTS_FAIL(nng_recv(b[2], buf, &sz, 0), NNG_ETIMEDOUT);

	// Cancelling the aio stops the device; the socket stays usable.
	nng_aio_cancel(dev);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECANCELED);
	// The same socket twice is a reflector too.
	nng_device_aio(dev, hub, hub);
	SP_SEND(b[1], "from1");
	SP_RECV(b[0], "from1");
	SP_RECV(b[2], "from1");

	SP_CLOSE(hub);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECLOSED);
	nng_aio_free(dev);
	for (int i = 0; i < 3; i++) {
		SP_CLOSE(b[i]);
	}
}

// pair1 raw on both sides: forwards both ways (upstream tests/device.c).
static void
test_device_pair(void)
{
	nng_socket dev1;
	nng_socket dev2;
	nng_socket end1;
	nng_socket end2;
	nng_aio   *dev;

	NUTS_PASS(nng_pair1_open_raw(&dev1));
	NUTS_PASS(nng_pair1_open_raw(&dev2));
	NUTS_PASS(nng_pair1_open(&end1));
	NUTS_PASS(nng_pair1_open(&end2));
	set_timeouts(end1, SP_SECOND, SP_SECOND);
	set_timeouts(end2, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_aio_alloc(&dev, NULL, NULL));
	SP_MARRY(dev1, end1);
	SP_MARRY(dev2, end2);
	nng_device_aio(dev, dev1, dev2);

	for (int i = 0; i < 10; i++) {
		SP_SEND(end1, "ALPHA");
		SP_RECV(end2, "ALPHA");
		SP_SEND(end2, "OMEGA");
		SP_RECV(end1, "OMEGA");
	}

	SP_CLOSE(dev1);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECLOSED);
	nng_aio_free(dev);
	SP_CLOSE(dev2);
	SP_CLOSE(end1);
	SP_CLOSE(end2);
}

// pub -> sub(raw) | device | pub(raw) -> sub: one way only.
static void
test_device_pubsub_one_way(void)
{
	nng_socket pub;
	nng_socket xsub;
	nng_socket xpub;
	nng_socket sub;
	nng_aio   *dev;

	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open_raw(&xsub));
	NUTS_PASS(nng_pub0_open_raw(&xpub));
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "", 0));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, SP_SECOND));
	NUTS_PASS(nng_aio_alloc(&dev, NULL, NULL));
	SP_MARRY(pub, xsub);
	SP_MARRY(xpub, sub);
	// The publishing side first: the device still reads from the sub.
	nng_device_aio(dev, xpub, xsub);
	NUTS_TRUE(nng_aio_busy(dev));

	SP_SEND(pub, "news");
	SP_RECV(sub, "news");

	// Closing the receiving side stops a one-way device at once.
	SP_CLOSE(xsub);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECLOSED);

	// Closing the sending side: the device (which only waits on the
	// receiving side, as upstream's) stops when it next forwards.
	NUTS_PASS(nng_sub0_open_raw(&xsub));
	SP_MARRY(pub, xsub);
	nng_device_aio(dev, xsub, xpub);
	SP_SEND(pub, "more");
	SP_RECV(sub, "more");
	SP_CLOSE(xpub);
	NUTS_TRUE(nng_aio_busy(dev));
	SP_SEND(pub, "lost");
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECLOSED);

	nng_aio_free(dev);
	SP_CLOSE(pub);
	SP_CLOSE(xsub);
	SP_CLOSE(sub);
}

// A timeout on the aio bounds the whole device.
static void
test_device_aio_timeout(void)
{
	nng_socket s1;
	nng_socket s2;
	nng_aio   *dev;
	nng_time   t0;

	NUTS_PASS(nng_rep0_open_raw(&s1));
	NUTS_PASS(nng_req0_open_raw(&s2));
	NUTS_PASS(nng_aio_alloc(&dev, NULL, NULL));
	nng_aio_set_timeout(dev, 50);
	t0 = nng_clock();
	nng_device_aio(dev, s1, s2);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= 40);

	// Abort with a reason of our own.
	nng_aio_set_timeout(dev, NNG_DURATION_INFINITE);
	nng_device_aio(dev, s1, s2);
	nng_aio_abort(dev, NNG_EINTR);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_EINTR);

	// A stopped aio does not start the device.
	nng_aio_stop(dev);
	nng_device_aio(dev, s1, s2);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECANCELED);

	nng_aio_free(dev);
	SP_CLOSE(s1);
	SP_CLOSE(s2);
}

// Two devices in a row (req -> xrep|xreq -> xrep|xreq -> rep): the
// backtrace grows by one hop per device and is unwound on the way back.
static void
test_device_two_hops(void)
{
	nng_socket req;
	nng_socket rep;
	nng_socket xrep[2];
	nng_socket xreq[2];
	nng_aio   *dev[2];

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	set_timeouts(req, 2 * SP_SECOND, SP_SECOND);
	set_timeouts(rep, 2 * SP_SECOND, SP_SECOND);
	for (int i = 0; i < 2; i++) {
		NUTS_PASS(nng_rep0_open_raw(&xrep[i]));
		NUTS_PASS(nng_req0_open_raw(&xreq[i]));
		NUTS_PASS(nng_aio_alloc(&dev[i], NULL, NULL));
	}
	SP_MARRY(xrep[0], req);
	SP_MARRY(xrep[1], xreq[0]);
	SP_MARRY(rep, xreq[1]);
	nng_device_aio(dev[0], xrep[0], xreq[0]);
	nng_device_aio(dev[1], xrep[1], xreq[1]);

	SP_SEND(req, "deep");
	SP_RECV(rep, "deep");
	SP_SEND(rep, "shallow");
	SP_RECV(req, "shallow");

	for (int i = 0; i < 2; i++) {
		SP_CLOSE(xreq[i]);
		nng_aio_wait(dev[i]);
		NUTS_FAIL(nng_aio_result(dev[i]), NNG_ECLOSED);
		nng_aio_free(dev[i]);
		SP_CLOSE(xrep[i]);
	}
	SP_CLOSE(req);
	SP_CLOSE(rep);
}

// Many requests in flight through a device at once: 200 req contexts,
// served by rep contexts driven from their aio callbacks. As upstream, the
// raw rep drops replies when a pipe has more than 64 queued (it never
// blocks), which a loaded machine can reach here: req's resends recover.
#define NREQ 200
#define NWORKERS 8

struct worker {
	nng_aio *aio;
	nng_ctx  ctx;
	bool     sending;
	int      served;
};

static void
worker_cb(void *arg)
{
	struct worker *w = arg;

	if (nng_aio_result(w->aio) != 0) {
		if (w->sending) {
			nng_msg_free(nng_aio_get_msg(w->aio));
			nng_aio_set_msg(w->aio, NULL);
		}
		return;
	}
	if (!w->sending) {
		w->sending = true;
		nng_aio_set_msg(w->aio, nng_aio_get_msg(w->aio));
		nng_ctx_send(w->ctx, w->aio);
	} else {
		w->served++;
		w->sending = false;
		nng_ctx_recv(w->ctx, w->aio);
	}
}

static void
test_device_many_requests(void)
{
	nng_socket    req;
	nng_socket    rep;
	nng_socket    xrep;
	nng_socket    xreq;
	nng_aio      *dev;
	nng_ctx       c[NREQ];
	nng_aio      *sa[NREQ];
	nng_aio      *ra[NREQ];
	struct worker w[NWORKERS];
	int           served = 0;

	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_rep0_open_raw(&xrep));
	NUTS_PASS(nng_req0_open_raw(&xreq));
	NUTS_PASS(nng_aio_alloc(&dev, NULL, NULL));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, SP_SECOND));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTICK, 100));
	SP_MARRY(xrep, req);
	SP_MARRY(rep, xreq);
	nng_device_aio(dev, xrep, xreq);
	for (int i = 0; i < NWORKERS; i++) {
		NUTS_PASS(nng_aio_alloc(&w[i].aio, worker_cb, &w[i]));
		NUTS_PASS(nng_ctx_open(&w[i].ctx, rep));
		w[i].sending = false;
		w[i].served  = 0;
		nng_ctx_recv(w[i].ctx, w[i].aio);
	}
	for (int i = 0; i < NREQ; i++) {
		nng_msg *m;
		NUTS_PASS(nng_ctx_open(&c[i], req));
		NUTS_PASS(nng_aio_alloc(&sa[i], NULL, NULL));
		NUTS_PASS(nng_aio_alloc(&ra[i], NULL, NULL));
		nng_aio_set_timeout(sa[i], 20 * SP_SECOND);
		nng_aio_set_timeout(ra[i], 20 * SP_SECOND);
		NUTS_PASS(nng_msg_alloc(&m, 0));
		NUTS_PASS(nng_msg_append_u32(m, (uint32_t) i));
		nng_aio_set_msg(sa[i], m);
		nng_ctx_send(c[i], sa[i]);
	}
	for (int i = 0; i < NREQ; i++) {
		nng_aio_wait(sa[i]);
		NUTS_PASS(nng_aio_result(sa[i]));
		nng_ctx_recv(c[i], ra[i]);
	}
	for (int i = 0; i < NREQ; i++) {
		nng_msg *m;
		uint32_t v;
		nng_aio_wait(ra[i]);
		NUTS_PASS(nng_aio_result(ra[i]));
		m = nng_aio_get_msg(ra[i]);
		NUTS_PASS(nng_msg_trim_u32(m, &v));
		NUTS_EQ(v, (uint32_t) i);
		nng_msg_free(m);
		nng_aio_free(sa[i]);
		nng_aio_free(ra[i]);
	}
	NUTS_TRUE(nng_aio_busy(dev));
	nng_aio_cancel(dev);
	nng_aio_wait(dev);
	NUTS_FAIL(nng_aio_result(dev), NNG_ECANCELED);
	nng_aio_free(dev);
	SP_CLOSE(req);
	SP_CLOSE(xrep);
	SP_CLOSE(xreq);
	SP_CLOSE(rep);
	for (int i = 0; i < NWORKERS; i++) {
		nng_aio_free(w[i].aio);
		served += w[i].served;
	}
	NUTS_TRUE(served >= NREQ);
}

// Starting and stopping a device again and again on the same sockets,
// with traffic in between: nothing is left running or leaked.
static void
test_device_restart(void)
{
	nng_socket dev1;
	nng_socket dev2;
	nng_socket end1;
	nng_socket end2;
	nng_aio   *dev;

	NUTS_PASS(nng_pair1_open_raw(&dev1));
	NUTS_PASS(nng_pair1_open_raw(&dev2));
	NUTS_PASS(nng_pair1_open(&end1));
	NUTS_PASS(nng_pair1_open(&end2));
	set_timeouts(end1, SP_SECOND, SP_SECOND);
	set_timeouts(end2, SP_SECOND, SP_SECOND);
	NUTS_PASS(nng_aio_alloc(&dev, NULL, NULL));
	SP_MARRY(dev1, end1);
	SP_MARRY(dev2, end2);

	for (int i = 0; i < 50; i++) {
		nng_device_aio(dev, dev1, dev2);
		SP_SEND(end1, "ping");
		SP_RECV(end2, "ping");
		SP_SEND(end2, "pong");
		SP_RECV(end1, "pong");
		if (i % 2) {
			nng_aio_cancel(dev);
		} else {
			nng_aio_abort(dev, NNG_EINTR);
		}
		nng_aio_wait(dev);
		NUTS_FAIL(nng_aio_result(dev), (i % 2) ? NNG_ECANCELED : NNG_EINTR);
	}
	// Stopped: nothing is forwarded any more.
	NUTS_PASS(nng_socket_set_ms(end2, NNG_OPT_RECVTIMEO, 50));
	SP_SEND(end1, "nobody");
	char   buf[16];
	size_t sz = sizeof(buf);
	NUTS_FAIL(nng_recv(end2, buf, &sz, 0), NNG_ETIMEDOUT);

	nng_aio_free(dev);
	SP_CLOSE(dev1);
	SP_CLOSE(dev2);
	SP_CLOSE(end1);
	SP_CLOSE(end2);
}

NUTS_TESTS = {
	{ "device bad args", test_device_bad_args },
	{ "device reqrep chain", test_device_reqrep_chain },
	{ "device blocking", test_device_blocking },
	{ "device bus reflector", test_device_bus_reflector },
	{ "device pair", test_device_pair },
	{ "device pubsub one way", test_device_pubsub_one_way },
	{ "device aio timeout", test_device_aio_timeout },
	{ "device two hops", test_device_two_hops },
	{ "device many requests", test_device_many_requests },
	{ "device restart", test_device_restart },
	{ NULL, NULL },
};
