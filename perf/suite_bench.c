// One case of the benchmark suite (perf/suite.sh) on nng.
//
//   suite_bench <pair|reqrep|pushpull> <url> <msg-size> <count> <lat|thr>
//
// The dialing end runs on the main thread; the listening end on a second
// thread for inproc, in a child process for ipc, tcp, tls+tcp and ws, as the
// raw floor's two processes (perf/suite_common.h). TLS URLs take their
// certificates from the environment (perf/endpoints.h).
// - lat: <count> round trips of a <msg-size> message (pair: echo; reqrep:
//   request and reply; pushpull: push one way, push back on a second
//   connection). Prints the one-way latency (round trip / 2) in us:
//       lat p50=12.3 p99=45.6 mean=15.0
// - thr: pair and pushpull: the dialer sends one empty start message then
//   <count> messages as fast as the socket takes them; the listener times
//   from the start message to the last message. reqrep: <count> request/reply
//   exchanges in lock-step (one outstanding request), timed by the requester;
//   a message is one exchange. Prints
//       thr msgs=123456 mbs=7.9
//   (messages per second, payload megabytes (1e6) per second).
//
// Built against Debian's 1.5.2 headers so that the same binary runs on
// Debian's libnng and on ours (LD_LIBRARY_PATH). Senders use nng_send with a
// buffer (the library allocates and copies), receivers nng_recvmsg and
// nng_msg_free (no copy), the same calls on both libraries.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>

#include "endpoints.h"
#include "suite_common.h"

enum proto { PAIR, REQREP, PUSHPULL };

static enum proto proto;
static char       url[512];
static char       url2[520]; // pushpull latency: the way back
static size_t     size;
static long       count;
static int        lat;
static char      *buf;

static void
check(int rv, const char *what)
{
	if (rv != 0) {
		fprintf(stderr, "%s: %s\n", what, nng_strerror(rv));
		exit(1);
	}
}

// Socket buffers: 128 messages, but at most SUITE_BUF_BYTES (default 8 MiB)
// of them, so 128 up to 64 KiB and 8 at 1 MiB. 128 queued messages of 1 MiB
// are 128 MiB per socket, four times this machine's L3, so the bodies come
// back from memory and the 1 MiB rows varied with the host's memory
// bandwidth, for every library (docs/PERFORMANCE.md, round 13).
static int
buf_depth(void)
{
	const char *e     = getenv("SUITE_BUF_BYTES");
	double      bytes = e != NULL ? strtod(e, NULL) : 8 << 20;
	double      depth = size > 0 ? bytes / (double) size : 128;
	return (depth >= 128 ? 128 : depth >= 1 ? (int) depth : 1);
}

static void
bufs(nng_socket s)
{
	int depth = buf_depth();
	// Errors ignored: not every protocol has both buffers.
	nng_socket_set_int(s, NNG_OPT_RECVBUF, depth);
	nng_socket_set_int(s, NNG_OPT_SENDBUF, depth);
}

static void
dial(nng_socket s, const char *u)
{
	int    rv;
	double deadline = now() + 10;
	while ((rv = endpoints_dial(s, u)) != 0) {
		if (now() > deadline) {
			check(rv, "nng_dial");
		}
		nng_msleep(2);
	}
}

static void
recv_one(nng_socket s)
{
	nng_msg *m;
	check(nng_recvmsg(s, &m, 0), "nng_recvmsg");
	nng_msg_free(m);
}

static void
send_one(nng_socket s, size_t n)
{
	check(nng_send(s, buf, n, 0), "nng_send");
}

// Listener side: a, and for pushpull latency b (its push back).
static nng_socket lsock, lsock2;
static nng_socket dsock, dsock2;

static void *
listener(void *arg)
{
	(void) arg;
	switch (proto) {
	case PAIR:
		check(nng_pair1_open(&lsock), "open");
		break;
	case REQREP:
		check(nng_rep0_open(&lsock), "open");
		break;
	case PUSHPULL:
		check(nng_pull0_open(&lsock), "open");
		if (lat) {
			check(nng_push0_open(&lsock2), "open");
			bufs(lsock2);
		}
		break;
	}
	bufs(lsock);
	endpoints_listen(lsock, url);
	if (proto == PUSHPULL && lat) {
		endpoints_listen(lsock2, url2);
	}
	ends_listening();

	nng_socket back = (proto == PUSHPULL) ? lsock2 : lsock;
	if (lat) {
		for (long i = 0; i < count; i++) {
			nng_msg *m;
			check(nng_recvmsg(lsock, &m, 0), "nng_recvmsg");
			check(nng_sendmsg(back, m, 0), "nng_sendmsg");
		}
	} else if (proto == REQREP) {
		for (long i = 0; i < count; i++) {
			nng_msg *m;
			check(nng_recvmsg(lsock, &m, 0), "nng_recvmsg");
			check(nng_sendmsg(lsock, m, 0), "nng_sendmsg");
		}
	} else {
		recv_one(lsock); // start
		double start = now();
		for (long i = 0; i < count; i++) {
			nng_msg *m;
			check(nng_recvmsg(lsock, &m, 0), "nng_recvmsg");
			if (nng_msg_len(m) != size) {
				fprintf(stderr, "wrong size %zu\n", nng_msg_len(m));
				exit(1);
			}
			nng_msg_free(m);
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

	ends_start(url, listener);

	switch (proto) {
	case PAIR:
		check(nng_pair1_open(&dsock), "open");
		break;
	case REQREP:
		check(nng_req0_open(&dsock), "open");
		break;
	case PUSHPULL:
		check(nng_push0_open(&dsock), "open");
		if (lat) {
			check(nng_pull0_open(&dsock2), "open");
			bufs(dsock2);
			dial(dsock2, url2);
		}
		break;
	}
	bufs(dsock);
	dial(dsock, url);
	nng_socket back = (proto == PUSHPULL) ? dsock2 : dsock;

	if (lat) {
		double *v = malloc(sizeof(double) * (size_t) count);
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
		// Everything arrived before the sockets close.
		ends_finish();
		printf("thr msgs=%.0f mbs=%.3f\n",
		    (double) count / thr_elapsed,
		    (double) count * (double) size / thr_elapsed / 1e6);
	}
	nng_close(dsock);
	if (proto == PUSHPULL && lat) {
		nng_close(dsock2);
	}
	if (!ends_forked) {
		nng_close(lsock);
		if (proto == PUSHPULL && lat) {
			nng_close(lsock2);
		}
	}
	free(buf);
	return (0);
}
