// The raw-socket floor for perf/perf.c: the same ping-pong and one-way flood
// over plain kernel sockets, with nng's tcp/ipc framing but no library.
//
//   rawfloor tcp|ipc lat <msg-size> <roundtrips>
//   rawfloor tcp|ipc thr <msg-size> <count>
//
// Two processes (fork): the child plays remote_*, the parent local_*.
// tcp: 127.0.0.1 on an ephemeral port, TCP_NODELAY on both ends (as nng
// sets it). ipc: a unix stream socket bound to a path in /tmp.
// Framing: every message is an 8-byte big-endian length then the payload
// (ipc's extra leading type byte is left out), sent with one writev per
// message; the receiver reads the 8-byte header, then the payload (at least
// two reads per message, as a framed receiver that cannot know the size must
// do when it does not batch). No batching of several messages per syscall.
//
// Output, same lines as perf.c:
//     average latency: 12.345 [us]        (round trip / 2)
//     throughput: 123456 [msg/s]

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n <= 0) {
			if (n < 0 && errno == EINTR) {
				continue;
			}
			die("read");
		}
		p += n;
		len -= (size_t) n;
	}
}

static void
send_msg(int fd, const void *body, size_t len)
{
	unsigned char hdr[8];
	uint64_t      l = len;
	for (int i = 7; i >= 0; i--) {
		hdr[i] = (unsigned char) (l & 0xff);
		l >>= 8;
	}
	struct iovec iov[2] = {
		{ .iov_base = hdr, .iov_len = 8 },
		{ .iov_base = (void *) body, .iov_len = len },
	};
	size_t total = 8 + len;
	int    niov  = 2;
	struct iovec *v = iov;
	while (total > 0) {
		ssize_t n = writev(fd, v, niov);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			die("writev");
		}
		total -= (size_t) n;
		while (n > 0 && niov > 0) {
			if ((size_t) n >= v->iov_len) {
				n -= (ssize_t) v->iov_len;
				v++;
				niov--;
			} else {
				v->iov_base = (char *) v->iov_base + n;
				v->iov_len -= (size_t) n;
				n = 0;
			}
		}
	}
}

// Receives one message into buf (capacity cap); returns its length.
static size_t
recv_msg(int fd, void *buf, size_t cap)
{
	unsigned char hdr[8];
	uint64_t      l = 0;
	read_full(fd, hdr, 8);
	for (int i = 0; i < 8; i++) {
		l = (l << 8) | hdr[i];
	}
	if (l > cap) {
		fprintf(stderr, "message too large: %llu\n",
		    (unsigned long long) l);
		exit(1);
	}
	read_full(fd, buf, (size_t) l);
	return ((size_t) l);
}

// Makes a connected pair: *srv for the parent, *cli for the child.
static void
connect_pair(const char *tran, int *srv, int *cli)
{
	int one = 1;
	int l;
	if (strcmp(tran, "tcp") == 0) {
		struct sockaddr_in sa;
		socklen_t          len = sizeof(sa);
		memset(&sa, 0, sizeof(sa));
		sa.sin_family      = AF_INET;
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    bind(l, (struct sockaddr *) &sa, sizeof(sa)) != 0 ||
		    listen(l, 1) != 0 ||
		    getsockname(l, (struct sockaddr *) &sa, &len) != 0) {
			die("tcp listen");
		}
		if ((*cli = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    connect(*cli, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
			die("tcp connect");
		}
		if ((*srv = accept(l, NULL, NULL)) < 0) {
			die("accept");
		}
		setsockopt(*srv, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(*cli, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	} else if (strcmp(tran, "ipc") == 0) {
		struct sockaddr_un sa;
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		snprintf(sa.sun_path, sizeof(sa.sun_path),
		    "/tmp/rawfloor.%d.sock", (int) getpid());
		unlink(sa.sun_path);
		if ((l = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		    bind(l, (struct sockaddr *) &sa, sizeof(sa)) != 0 ||
		    listen(l, 1) != 0) {
			die("unix listen");
		}
		if ((*cli = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		    connect(*cli, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
			die("unix connect");
		}
		if ((*srv = accept(l, NULL, NULL)) < 0) {
			die("accept");
		}
		unlink(sa.sun_path);
	} else {
		fprintf(stderr, "transport must be tcp or ipc\n");
		exit(2);
	}
	close(l);
}

int
main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr,
		    "usage: rawfloor tcp|ipc lat|thr <msg-size> <count>\n");
		return (2);
	}
	const char *tran  = argv[1];
	const char *mode  = argv[2];
	size_t      size  = (size_t) strtoul(argv[3], NULL, 10);
	long        count = strtol(argv[4], NULL, 10);
	int         lat   = strcmp(mode, "lat") == 0;
	if (!lat && strcmp(mode, "thr") != 0) {
		fprintf(stderr, "mode must be lat or thr\n");
		return (2);
	}
	char *buf = calloc(1, size + 1);
	if (buf == NULL) {
		die("calloc");
	}
	memset(buf, 'x', size);
	int srv, cli;
	connect_pair(tran, &srv, &cli);

	pid_t pid = fork();
	if (pid < 0) {
		die("fork");
	}
	if (pid == 0) {
		// remote_*: dialer side.
		close(srv);
		if (lat) {
			double start = now();
			for (long i = 0; i < count; i++) {
				send_msg(cli, buf, size);
				if (recv_msg(cli, buf, size) != size) {
					fprintf(stderr, "short echo\n");
					_exit(1);
				}
			}
			double total = now() - start;
			printf("total time: %.3f [s]\n", total);
			printf("average latency: %.3f [us]\n",
			    total * 1e6 / (double) count / 2);
		} else {
			send_msg(cli, buf, 0);
			for (long i = 0; i < count; i++) {
				send_msg(cli, buf, size);
			}
			recv_msg(cli, buf, size);
		}
		fflush(stdout);
		_exit(0);
	}
	// local_*: listener side.
	close(cli);
	if (lat) {
		for (long i = 0; i < count; i++) {
			size_t n = recv_msg(srv, buf, size);
			send_msg(srv, buf, n);
		}
	} else {
		recv_msg(srv, buf, size);
		double start = now();
		for (long i = 0; i < count; i++) {
			if (recv_msg(srv, buf, size) != size) {
				fprintf(stderr, "wrong size\n");
				return (1);
			}
		}
		double total = now() - start;
		send_msg(srv, buf, 0);
		double rate = (double) count / total;
		printf("total time: %.3f [s]\n", total);
		printf("throughput: %.f [msg/s]\n", rate);
		printf("throughput: %.3f [Mb/s]\n", rate * 8 * (double) size / 1e6);
		fflush(stdout);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child failed\n");
		return (1);
	}
	free(buf);
	return (0);
}
