// Connection scaling: N tcp connections to one listener.
//
//   scale [N]      (default 10000; needs N + ~50 descriptors per process)
//
// The parent opens a pull0 socket listening on 127.0.0.1 (ephemeral port)
// and counts pipes with a NNG_PIPE_EV_ADD_POST callback. A forked child
// opens N plain TCP connections to it and sends each the SP header of a
// push0 peer, so the client costs nothing in the measured process. The
// parent reports, as "<metric> <value> <unit>" lines (perf/run.sh's
// contract):
//   threads_idle      threads of the process with the socket open, before
//                     listening (from /proc/self/status)
//   threads_loaded    threads once all N pipes are up
//   rss_per_conn      (VmRSS with N pipes - VmRSS listening) / N, bytes
//   accept_all        seconds from the child's first connect to the Nth
//                     pipe added
//   connect_all       seconds from the first connect until the child's last
//                     connect() returned (the kernel's share)
//   close_all         seconds for nng_close of the socket with N pipes
// Built against Debian's 1.5.2 headers, so it runs on both libraries.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pipeline0/pull.h>

#include "clock.h"

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  cv  = PTHREAD_COND_INITIALIZER;
static long            pipes;

static void
check(int rv, const char *what)
{
	if (rv != 0) {
		fprintf(stderr, "%s: %s\n", what, nng_strerror(rv));
		exit(1);
	}
}

// A field of /proc/self/status ("Threads", "VmRSS" in kB).
static long
status(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char  line[256];
	long  v   = -1;
	size_t fl = strlen(field);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, field, fl) == 0 && line[fl] == ':') {
			v = strtol(line + fl + 1, NULL, 10);
			break;
		}
	}
	if (f != NULL) {
		fclose(f);
	}
	return (v);
}

static void
added(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void) p;
	(void) ev;
	(void) arg;
	pthread_mutex_lock(&mtx);
	pipes++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mtx);
}

// The child: n connections, each sends a push0 SP header; then waits for
// the parent to close `go`.
static void
client(int port, long n, int ready, int done)
{
	static const unsigned char hdr[8] = { 0, 'S', 'P', 0, 0, 0x50, 0, 0 };
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family      = AF_INET;
	sa.sin_port        = htons((unsigned short) port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	char c = 'r';
	if (write(ready, &c, 1) != 1) {
		_exit(1);
	}
	for (long i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
			perror("client connect");
			_exit(1);
		}
		if (write(fd, hdr, sizeof(hdr)) != (ssize_t) sizeof(hdr)) {
			perror("client write");
			_exit(1);
		}
	}
	// Tell the parent when the last connect returned (CLOCK_MONOTONIC is
	// shared between processes), then hold the connections until it is
	// done measuring.
	double t = now();
	if (write(ready, &t, sizeof(t)) != (ssize_t) sizeof(t)) {
		_exit(1);
	}
	while (read(done, &c, 1) > 0) {
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	long          n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && (rlim_t) n + 64 > rl.rlim_cur) {
		n = (long) rl.rlim_cur - 64;
		printf("# fd limit %ld: lowering N to %ld\n", (long) rl.rlim_cur, n);
	}

	nng_socket   s;
	nng_listener l;
	int          port;
	check(nng_pull0_open(&s), "nng_pull0_open");
	check(nng_pipe_notify(s, NNG_PIPE_EV_ADD_POST, added, NULL), "notify");
	long threads_idle = status("Threads");
	check(nng_listener_create(&l, s, "tcp://127.0.0.1:0"), "listener");
	check(nng_listener_start(l, 0), "listener start");
	check(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port), "port");
	long rss0 = status("VmRSS");

	int ready[2], done[2];
	if (pipe(ready) != 0 || pipe(done) != 0) {
		perror("pipe");
		return (1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return (1);
	}
	if (pid == 0) {
		close(ready[0]);
		close(done[1]);
		client(port, n, ready[1], done[0]);
	}
	close(ready[1]);
	close(done[0]);
	char c;
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "child did not start\n");
		return (1);
	}
	double start = now();
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 120;
	pthread_mutex_lock(&mtx);
	while (pipes < n) {
		if (pthread_cond_timedwait(&cv, &mtx, &deadline) != 0) {
			break;
		}
	}
	long got = pipes;
	pthread_mutex_unlock(&mtx);
	double accept_all = now() - start;
	if (got < n) {
		fprintf(stderr, "only %ld of %ld pipes after 120 s\n", got, n);
		kill(pid, SIGKILL);
		return (1);
	}
	double connected;
	if (read(ready[0], &connected, sizeof(connected)) !=
	    (ssize_t) sizeof(connected)) {
		fprintf(stderr, "child did not finish\n");
		return (1);
	}
	long threads_loaded = status("Threads");
	long rss1           = status("VmRSS");

	double t = now();
	nng_close(s);
	double close_all = now() - t;
	close(done[1]);
	waitpid(pid, NULL, 0);

	printf("# %ld connections\n", n);
	printf("connections %ld count\n", n);
	printf("threads_idle %ld threads\n", threads_idle);
	printf("threads_loaded %ld threads\n", threads_loaded);
	printf("rss_listening %ld KiB\n", rss0);
	printf("rss_loaded %ld KiB\n", rss1);
	printf("rss_per_conn %.0f B\n", (double) (rss1 - rss0) * 1024 / (double) n);
	printf("accept_all %.3f s\n", accept_all);
	printf("connect_all %.3f s\n", connected - start);
	printf("close_all %.3f s\n", close_all);
	return (0);
}
