// The benchmark suite's libzmq reference (perf/suite.sh): the same cases,
// command line and output as perf/suite_bench.c, on libzmq (PAIR, REQ/REP,
// PUSH/PULL). The listening end runs as in suite_bench.c
// (perf/suite_common.h): a second thread sharing the context for inproc, a
// child process with its own context for ipc and tcp.
//
//   suite_zmq <pair|reqrep|pushpull> <url> <msg-size> <count> <lat|thr>
//
// Senders use zmq_send with a buffer (libzmq copies it), receivers
// zmq_msg_recv into a zmq_msg_t (no copy), as suite_bench.c does with nng.
// libzmq's defaults otherwise (high-water marks of 1000 messages).
//
// Needs libzmq's headers (Debian: libzmq3-dev); without them this file
// compiles to a program that says so (the CI compile check of perf/*.c runs
// where they may be missing).
#if defined(__has_include)
#if __has_include(<zmq.h>)
#define HAVE_ZMQ 1
#endif
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HAVE_ZMQ
int
main(void)
{
	fprintf(stderr, "suite_zmq: built without zmq.h (libzmq3-dev)\n");
	return (1);
}
#else
#include <zmq.h>

#include "suite_common.h"

enum proto { PAIR, REQREP, PUSHPULL };

static enum proto proto;
static char       url[512];
static char       url2[520];
static size_t     size;
static long       count;
static int        lat;
static char      *buf;
static void      *ctx;

static void
check(int rv, const char *what)
{
	if (rv < 0) {
		fprintf(stderr, "%s: %s\n", what, zmq_strerror(zmq_errno()));
		exit(1);
	}
}

static void *
sock(int type)
{
	void *s = zmq_socket(ctx, type);
	if (s == NULL) {
		check(-1, "zmq_socket");
	}
	int zero = 0;
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
	return (s);
}

static void
recv_one(void *s)
{
	zmq_msg_t m;
	zmq_msg_init(&m);
	check(zmq_msg_recv(&m, s, 0), "zmq_msg_recv");
	if (zmq_msg_size(&m) != size && zmq_msg_size(&m) != 0) {
		fprintf(stderr, "wrong size %zu\n", zmq_msg_size(&m));
		exit(1);
	}
	zmq_msg_close(&m);
}

static void
send_one(void *s, size_t n)
{
	check(zmq_send(s, buf, n, 0), "zmq_send");
}

// Echo one message back, without copying it.
static void
echo(void *in, void *out)
{
	zmq_msg_t m;
	zmq_msg_init(&m);
	check(zmq_msg_recv(&m, in, 0), "zmq_msg_recv");
	check(zmq_msg_send(&m, out, 0), "zmq_msg_send");
}

static void *lsock, *lsock2, *dsock, *dsock2;

static void *
listener(void *arg)
{
	(void) arg;
	if (ctx == NULL) {
		ctx = zmq_ctx_new(); // a child process: its own context
	}
	switch (proto) {
	case PAIR:
		lsock = sock(ZMQ_PAIR);
		break;
	case REQREP:
		lsock = sock(ZMQ_REP);
		break;
	case PUSHPULL:
		lsock = sock(ZMQ_PULL);
		if (lat) {
			lsock2 = sock(ZMQ_PUSH);
			check(zmq_bind(lsock2, url2), "zmq_bind");
		}
		break;
	}
	check(zmq_bind(lsock, url), "zmq_bind");
	ends_listening();

	void *back = (proto == PUSHPULL) ? lsock2 : lsock;
	if (lat || proto == REQREP) {
		for (long i = 0; i < count; i++) {
			echo(lsock, back);
		}
	} else {
		recv_one(lsock); // start
		double start = now();
		for (long i = 0; i < count; i++) {
			recv_one(lsock);
		}
		thr_elapsed = now() - start;
	}
	return (NULL);
}

int
main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr,
		    "usage: %s pair|reqrep|pushpull <url> <size> <count> "
		    "lat|thr\n",
		    argv[0]);
		return (2);
	}
	if (strcmp(argv[1], "pair") == 0) {
		proto = PAIR;
	} else if (strcmp(argv[1], "reqrep") == 0) {
		proto = REQREP;
	} else if (strcmp(argv[1], "pushpull") == 0) {
		proto = PUSHPULL;
	} else {
		fprintf(stderr, "unknown protocol %s\n", argv[1]);
		return (2);
	}
	snprintf(url, sizeof(url), "%s", argv[2]);
	second_url(url, url2, sizeof(url2));
	size  = (size_t) strtoul(argv[3], NULL, 10);
	count = strtol(argv[4], NULL, 10);
	lat   = strcmp(argv[5], "lat") == 0;
	if (count <= 0 || (!lat && strcmp(argv[5], "thr") != 0)) {
		fprintf(stderr, "bad count or mode\n");
		return (2);
	}
	buf = malloc(size > 0 ? size : 1);
	memset(buf, 'x', size);
	if (!ends_fork(url)) {
		ctx = zmq_ctx_new(); // shared with the listener thread
	}
	ends_start(url, listener);
	if (ctx == NULL) {
		ctx = zmq_ctx_new();
	}

	switch (proto) {
	case PAIR:
		dsock = sock(ZMQ_PAIR);
		break;
	case REQREP:
		dsock = sock(ZMQ_REQ);
		break;
	case PUSHPULL:
		dsock = sock(ZMQ_PUSH);
		if (lat) {
			dsock2 = sock(ZMQ_PULL);
			check(zmq_connect(dsock2, url2), "zmq_connect");
		}
		break;
	}
	check(zmq_connect(dsock, url), "zmq_connect");
	void *back = (proto == PUSHPULL) ? dsock2 : dsock;

	if (lat) {
		double *v   = malloc(sizeof(double) * (size_t) count);
		double  sum = 0;
		for (long i = 0; i < count; i++) {
			double t0 = now();
			send_one(dsock, size);
			recv_one(back);
			v[i] = (now() - t0) * 1e6 / 2;
			sum += v[i];
		}
		qsort(v, (size_t) count, sizeof(double), cmp_double);
		printf("lat p50=%.2f p99=%.2f mean=%.2f\n", v[count / 2],
		    v[(long) ((double) count * 0.99)], sum / (double) count);
		free(v);
		ends_finish();
	} else if (proto == REQREP) {
		double t0 = now();
		for (long i = 0; i < count; i++) {
			send_one(dsock, size);
			recv_one(dsock);
		}
		double el = now() - t0;
		ends_finish();
		printf("thr msgs=%.0f mbs=%.3f\n", (double) count / el,
		    (double) count * (double) size / el / 1e6);
	} else {
		send_one(dsock, 0); // start
		for (long i = 0; i < count; i++) {
			send_one(dsock, size);
		}
		ends_finish();
		printf("thr msgs=%.0f mbs=%.3f\n",
		    (double) count / thr_elapsed,
		    (double) count * (double) size / thr_elapsed / 1e6);
	}
	zmq_close(dsock);
	if (dsock2 != NULL) {
		zmq_close(dsock2);
	}
	if (!ends_forked) {
		zmq_close(lsock);
		if (lsock2 != NULL) {
			zmq_close(lsock2);
		}
	}
	zmq_ctx_term(ctx);
	free(buf);
	return (0);
}
#endif
