// TCP loopback benchmarks: lone ping-pong latency and flood throughput,
// the two ends DESIGN.md asks to measure. Built against Debian's 1.5.2
// headers (perf/run.sh), so it uses only the 1.5.2 API.
//
//   tcp_pingpong_64B   round trips per second, one message in flight
//                      (pair0, echo on a second thread)
//   tcp_flood_64B      messages per second, push -> pull, sender and
//                      receiver on their own threads
//
// BENCH_ARGS: "<pingpong count> <flood count>" (defaults 20000 200000).

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>

#include "clock.h"

#define SIZE 64

static void
check(int rv, const char *what)
{
	if (rv != 0) {
		fprintf(stderr, "%s: %s\n", what, nng_strerror(rv));
		exit(1);
	}
}

// Connects `dialer` to a listener of `listener` on an ephemeral port.
static void
connect_pair(nng_socket listener, nng_socket dialer)
{
	nng_listener l;
	int          port;
	char         url[64];
	check(nng_listener_create(&l, listener, "tcp://127.0.0.1:0"), "listen");
	check(nng_listener_start(l, 0), "listener start");
	check(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port), "port");
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	check(nng_dial(dialer, url, NULL, 0), "dial");
}

static int count;

static void *
echo(void *arg)
{
	nng_socket s = *(nng_socket *) arg;
	for (int i = 0; i < count; i++) {
		nng_msg *m;
		check(nng_recvmsg(s, &m, 0), "echo recv");
		check(nng_sendmsg(s, m, 0), "echo send");
	}
	return (NULL);
}

static void
pingpong(int n)
{
	nng_socket a, b;
	pthread_t  t;
	check(nng_pair0_open(&a), "pair0");
	check(nng_pair0_open(&b), "pair0");
	connect_pair(a, b);
	count = n;
	pthread_create(&t, NULL, echo, &b);
	nng_msg *m;
	check(nng_msg_alloc(&m, SIZE), "alloc");
	double start = now();
	for (int i = 0; i < n; i++) {
		check(nng_sendmsg(a, m, 0), "send");
		check(nng_recvmsg(a, &m, 0), "recv");
	}
	double el = now() - start;
	nng_msg_free(m);
	pthread_join(t, NULL);
	printf("tcp_pingpong_%dB %.0f msg/s\n", SIZE, n / el);
	printf("tcp_rtt_%dB %.2f us\n", SIZE, el / n * 1e6);
	nng_close(a);
	nng_close(b);
}

static void *
flood_send(void *arg)
{
	nng_socket s = *(nng_socket *) arg;
	for (int i = 0; i < count; i++) {
		nng_msg *m;
		check(nng_msg_alloc(&m, SIZE), "alloc");
		check(nng_sendmsg(s, m, 0), "flood send");
	}
	return (NULL);
}

static void
flood(int n)
{
	nng_socket pull, push;
	pthread_t  t;
	check(nng_pull0_open(&pull), "pull0");
	check(nng_push0_open(&push), "push0");
	connect_pair(pull, push);
	count = n;
	double start = now();
	pthread_create(&t, NULL, flood_send, &push);
	for (int i = 0; i < n; i++) {
		nng_msg *m;
		check(nng_recvmsg(pull, &m, 0), "flood recv");
		nng_msg_free(m);
	}
	double el = now() - start;
	pthread_join(t, NULL);
	printf("tcp_flood_%dB %.0f msg/s\n", SIZE, n / el);
	nng_close(push);
	nng_close(pull);
}

int
main(int argc, char **argv)
{
	int pp = argc > 1 ? atoi(argv[1]) : 20000;
	int fl = argc > 2 ? atoi(argv[2]) : 200000;
	pingpong(pp);
	flood(fl);
	return (0);
}
