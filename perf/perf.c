// nng-style network performance tools, with the command-line shape of
// upstream's perf program (src/tools/perf/perf.c in nng 1.12):
//
//   perf -m local_lat  <listen-url> <msg-size> <roundtrips>
//   perf -m remote_lat <dial-url>   <msg-size> <roundtrips>
//   perf -m local_thr  <listen-url> <msg-size> <count>
//   perf -m remote_thr <dial-url>   <msg-size> <count>
//
// (or link/copy the binary under one of those names and drop the -m). Both
// ends use pair1 sockets. local_* listens, remote_* dials (retrying until the
// listener is up, for at most 10 s).
//
// Latency: remote_lat sends one message and waits for the echo, <roundtrips>
// times, and prints the one-way latency (round trip / 2) like upstream:
//     average latency: 12.345 [us]
// Throughput: remote_thr sends one empty start message then <count> messages
// of <msg-size> bytes, as fast as the socket takes them; local_thr times from
// the start message to the last message and prints
//     throughput: 123456 [msg/s]
//     throughput: 123.456 [Mb/s]
// then sends an empty message back so remote_thr knows everything arrived.
//
// TLS (tls+tcp:// and wss:// URLs): the certificate material comes from the
// environment (perf/endpoints.h), so the command line keeps upstream's
// shape.
//
// Built against Debian's 1.5.2 headers (perf/net.sh) so the same binary runs
// on Debian's libnng and on ours (LD_LIBRARY_PATH); it uses only that API.

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/supplemental/util/platform.h>

#include "clock.h"
#include "endpoints.h"

static void
die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
check(int rv, const char *what)
{
	if (rv != 0) {
		die("%s: %s", what, nng_strerror(rv));
	}
}

static long
number(const char *s, const char *what)
{
	char *end;
	long  v;
	errno = 0;
	v     = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 0) {
		die("invalid %s: %s", what, s);
	}
	return (v);
}

static nng_socket
open_listen(const char *url)
{
	nng_socket s;
	check(nng_pair1_open(&s), "nng_pair1_open");
	endpoints_listen(s, url);
	return (s);
}

static nng_socket
open_dial(const char *url)
{
	nng_socket s;
	int        rv;
	double     deadline = now() + 10;
	check(nng_pair1_open(&s), "nng_pair1_open");
	// The listener may still be starting: retry a refused dial.
	while ((rv = endpoints_dial(s, url)) != 0) {
		if ((rv != NNG_ECONNREFUSED && rv != NNG_ENOENT) ||
		    now() > deadline) {
			die("nng_dial: %s", nng_strerror(rv));
		}
		nng_msleep(10);
	}
	return (s);
}

static void
local_lat(const char *url, size_t size, long trips)
{
	nng_socket s = open_listen(url);
	for (long i = 0; i < trips; i++) {
		nng_msg *m;
		check(nng_recvmsg(s, &m, 0), "nng_recvmsg");
		if (nng_msg_len(m) != size) {
			die("wrong message size: %zu != %zu", nng_msg_len(m),
			    size);
		}
		check(nng_sendmsg(s, m, 0), "nng_sendmsg");
	}
	// Let the last echo leave before closing.
	nng_msleep(100);
	nng_close(s);
}

static void
remote_lat(const char *url, size_t size, long trips)
{
	nng_socket s = open_dial(url);
	nng_msg   *m;
	check(nng_msg_alloc(&m, size), "nng_msg_alloc");
	memset(nng_msg_body(m), 'x', size);
	double start = now();
	for (long i = 0; i < trips; i++) {
		check(nng_sendmsg(s, m, 0), "nng_sendmsg");
		check(nng_recvmsg(s, &m, 0), "nng_recvmsg");
	}
	double total = now() - start;
	nng_msg_free(m);
	nng_close(s);
	printf("total time: %.3f [s]\n", total);
	printf("message size: %zu [B]\n", size);
	printf("round trip count: %ld\n", trips);
	printf("average latency: %.3f [us]\n", total * 1e6 / (double) trips / 2);
}

static void
local_thr(const char *url, size_t size, long count)
{
	nng_socket s = open_listen(url);
	nng_msg   *m;
	check(nng_socket_set_int(s, NNG_OPT_RECVBUF, 128), "recvbuf");
	check(nng_recvmsg(s, &m, 0), "nng_recvmsg (start)");
	nng_msg_free(m);
	double start = now();
	for (long i = 0; i < count; i++) {
		check(nng_recvmsg(s, &m, 0), "nng_recvmsg");
		if (nng_msg_len(m) != size) {
			die("wrong message size: %zu != %zu", nng_msg_len(m),
			    size);
		}
		nng_msg_free(m);
	}
	double total = now() - start;
	check(nng_send(s, "", 0, 0), "nng_send (done)");
	nng_msleep(100);
	nng_close(s);
	double rate = (double) count / total;
	printf("total time: %.3f [s]\n", total);
	printf("message size: %zu [B]\n", size);
	printf("message count: %ld\n", count);
	printf("throughput: %.f [msg/s]\n", rate);
	printf("throughput: %.3f [Mb/s]\n", rate * 8 * (double) size / 1e6);
}

static void
remote_thr(const char *url, size_t size, long count)
{
	nng_socket s = open_dial(url);
	nng_msg   *m;
	check(nng_socket_set_int(s, NNG_OPT_SENDBUF, 128), "sendbuf");
	check(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 10000), "recvtimeo");
	check(nng_msg_alloc(&m, 0), "nng_msg_alloc");
	check(nng_sendmsg(s, m, 0), "nng_sendmsg (start)");
	for (long i = 0; i < count; i++) {
		check(nng_msg_alloc(&m, size), "nng_msg_alloc");
		check(nng_sendmsg(s, m, 0), "nng_sendmsg");
	}
	check(nng_recvmsg(s, &m, 0), "nng_recvmsg (done)");
	nng_msg_free(m);
	nng_close(s);
}

int
main(int argc, char **argv)
{
	const char *mode;
	if (argc >= 3 && strcmp(argv[1], "-m") == 0) {
		mode = argv[2];
		argv += 3;
		argc -= 3;
	} else {
		const char *slash = strrchr(argv[0], '/');
		mode              = slash ? slash + 1 : argv[0];
		argv++;
		argc--;
	}
	static const struct {
		const char *name;
		void (*fn)(const char *, size_t, long);
		const char *what;
	} modes[] = {
		{ "local_lat", local_lat, "roundtrips" },
		{ "remote_lat", remote_lat, "roundtrips" },
		{ "local_thr", local_thr, "count" },
		{ "remote_thr", remote_thr, "count" },
	};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(mode, modes[i].name) != 0) {
			continue;
		}
		if (argc != 3) {
			die("usage: %s <url> <msg-size> <%s>", modes[i].name,
			    modes[i].what);
		}
		modes[i].fn(argv[0], (size_t) number(argv[1], "msg-size"),
		    number(argv[2], modes[i].what));
		return (0);
	}
	die("unknown mode %s: use -m local_lat|remote_lat|local_thr|remote_thr",
	    mode);
	return (1);
}
