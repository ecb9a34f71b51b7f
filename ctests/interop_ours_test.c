// Debian's nngcat binary running on OUR libnng (LD_PRELOAD of the library
// this program is linked to), talking to another nngcat on Debian's libnng
// 1.5.2 and to this program's code, over tcp, ipc and abstract sockets.
// Each run checks (from /proc/<pid>/maps) that the nngcat meant to run our
// library really does. Waits are on events (nngcat's output and exit, our
// receives) with timeouts.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/supplemental/util/platform.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>

#include "nuts.h"

extern char **environ;

#define NNGCAT "/usr/bin/nngcat"
#define TIMEOUT_MS 10000

// ---------------------------------------------------------------------------
// nngcat children

typedef struct {
	pid_t pid;
	int   out; // read end of its stdout
} cat;

#define MAX_CATS 8
static pid_t cats_alive[MAX_CATS];

static void
cats_kill_all(void)
{
	for (int i = 0; i < MAX_CATS; i++) {
		if (cats_alive[i] > 0) {
			kill(cats_alive[i], SIGKILL);
			waitpid(cats_alive[i], NULL, 0);
			cats_alive[i] = 0;
		}
	}
}

static void
cats_track(pid_t pid, bool add)
{
	for (int i = 0; i < MAX_CATS; i++) {
		if (add ? cats_alive[i] == 0 : cats_alive[i] == pid) {
			cats_alive[i] = add ? pid : 0;
			return;
		}
	}
}

// Path of the libnng this program runs (ours), found through one of its
// symbols.
static const char *
our_lib(void)
{
	static char path[4096];
	if (path[0] == '\0') {
		Dl_info info;
		NUTS_TRUE(dladdr((void *) nng_version, &info) != 0);
		NUTS_TRUE(info.dli_fname != NULL);
		// The real file: /proc/<pid>/maps shows resolved paths.
		NUTS_TRUE(realpath(info.dli_fname, path) != NULL);
	}
	return (path);
}

// The environment for nngcat: without the loader overrides (Debian's
// libnng), or with LD_PRELOAD naming our library (`ours`).
static char **
cat_env(bool ours)
{
	static char *env[512];
	static char  preload[4200];
	int          n = 0;
	if (ours) {
		snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", our_lib());
		env[n++] = preload;
	}
	for (char **e = environ; *e != NULL && n < 511; e++) {
		if (strncmp(*e, "LD_LIBRARY_PATH=", 16) == 0 ||
		    strncmp(*e, "LD_PRELOAD=", 11) == 0) {
			continue;
		}
		env[n++] = *e;
	}
	env[n] = NULL;
	return (env);
}

// Starts nngcat with the given arguments (NULL-terminated).
static void
cat_start(cat *c, bool ours, ...)
{
	char   *argv[32];
	int     argc = 0;
	va_list ap;
	int     fds[2];

	static bool cleanup;
	if (!cleanup) {
		// Never leave an nngcat behind, even when a check fails.
		atexit(cats_kill_all);
		cleanup = true;
	}
	argv[argc++] = NNGCAT;
	va_start(ap, ours);
	for (char *a = va_arg(ap, char *); a != NULL && argc < 31;
	     a      = va_arg(ap, char *)) {
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;

	NUTS_TRUE(pipe(fds) == 0);
	posix_spawn_file_actions_t fa;
	NUTS_TRUE(posix_spawn_file_actions_init(&fa) == 0);
	NUTS_TRUE(posix_spawn_file_actions_adddup2(&fa, fds[1], 1) == 0);
	NUTS_TRUE(posix_spawn_file_actions_addclose(&fa, fds[0]) == 0);
	NUTS_TRUE(posix_spawn_file_actions_addclose(&fa, fds[1]) == 0);
	int rv = posix_spawn(&c->pid, NNGCAT, &fa, NULL, argv, cat_env(ours));
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rv != 0) {
		NUTS_ABORT_("cannot run %s: %s (install nng-utils)", NNGCAT,
		    strerror(rv));
	}
	cats_track(c->pid, true);
	c->out = fds[0];
	fcntl(c->out, F_SETFL, O_NONBLOCK);
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

// Reads nngcat's output until `want` bytes came, it closed its stdout, or
// the timeout passed. Returns the count.
static size_t
cat_read(cat *c, char *buf, size_t want)
{
	size_t    got      = 0;
	long long deadline = now_ms() + TIMEOUT_MS;
	while (got < want) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			break;
		}
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		if (poll(&pfd, 1, (int) left) <= 0) {
			continue;
		}
		ssize_t n = read(c->out, buf + got, want - got);
		if (n == 0) {
			break;
		}
		if (n > 0) {
			got += (size_t) n;
		} else if (errno != EAGAIN && errno != EINTR) {
			break;
		}
	}
	return (got);
}

// Expects nngcat to print exactly `expect` (and nothing more before it
// exits or closes its output).
static void
cat_expect(cat *c, const char *expect)
{
	char   buf[256];
	size_t len = strlen(expect);
	size_t got = cat_read(c, buf, len);
	buf[got]   = '\0';
	if (got != len || memcmp(buf, expect, len) != 0) {
		NUTS_ABORT_("nngcat printed \"%s\", expected \"%s\"", buf,
		    expect);
	}
}

// Waits for nngcat to exit (it exits by itself after --count messages);
// returns its exit status. Kills it if it does not exit in time.
static int
cat_wait(cat *c)
{
	long long deadline = now_ms() + TIMEOUT_MS;
	int       status   = 0;
	for (;;) {
		pid_t r = waitpid(c->pid, &status, WNOHANG);
		if (r == c->pid) {
			break;
		}
		if (now_ms() > deadline) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &status, 0);
			cats_track(c->pid, false);
			close(c->out);
			NUTS_ABORT_("nngcat did not exit in time");
		}
		// nngcat closes its stdout only when it exits: wait for that
		// instead of polling the process.
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		char          drain[64];
		if (poll(&pfd, 1, 100) > 0 &&
		    read(c->out, drain, sizeof(drain)) == 0) {
			waitpid(c->pid, &status, 0);
			break;
		}
	}
	cats_track(c->pid, false);
	close(c->out);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

// Stops an nngcat that would go on (a sender looping on --interval).
static void
cat_stop(cat *c)
{
	kill(c->pid, SIGTERM);
	waitpid(c->pid, NULL, 0);
	cats_track(c->pid, false);
	close(c->out);
}

// ---------------------------------------------------------------------------
// Addresses

typedef enum { TCP, IPC, ABSTRACT } tran;
static const tran   trans[]     = { TCP, IPC, ABSTRACT };
static int          seq;

// A free TCP port: bind port 0, read it, release it.
static int
free_port(void)
{
	int                fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	socklen_t          len = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family      = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	NUTS_TRUE(fd >= 0);
	NUTS_TRUE(bind(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0);
	NUTS_TRUE(getsockname(fd, (struct sockaddr *) &sa, &len) == 0);
	close(fd);
	return (ntohs(sa.sin_port));
}

// A fresh address for nngcat to listen on.
static void
cat_listen_url(tran t, char *url, size_t sz)
{
	switch (t) {
	case TCP:
		snprintf(url, sz, "tcp://127.0.0.1:%d", free_port());
		break;
	case IPC:
		snprintf(url, sz, "ipc:///tmp/nng-interop-%d-%d.sock",
		    (int) getpid(), ++seq);
		break;
	case ABSTRACT:
		snprintf(url, sz, "abstract://nng-interop-%d-%d",
		    (int) getpid(), ++seq);
		break;
	}
}

// Our side listens; `url` gets the address nngcat must dial.
static void
our_listen(nng_socket s, tran t, char *url, size_t sz)
{
	nng_listener l;
	switch (t) {
	case TCP: {
		int port;
		NUTS_PASS(nng_listener_create(&l, s, "tcp://127.0.0.1:0"));
		NUTS_PASS(nng_listener_start(l, 0));
		NUTS_PASS(
		    nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
		NUTS_TRUE(port > 0);
		snprintf(url, sz, "tcp://127.0.0.1:%d", port);
		return;
	}
	case IPC:
	case ABSTRACT:
		cat_listen_url(t, url, sz);
		NUTS_PASS(nng_listen(s, url, NULL, 0));
		return;
	}
}

// Our side dials nngcat's listener; connects once it is up.
static void
our_dial(nng_socket s, const char *url)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 50));
	NUTS_PASS(nng_dial(s, url, NULL, NNG_FLAG_NONBLOCK));
}

static void
timeouts(nng_socket s)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT_MS));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT_MS));
}

static void
send_str(nng_socket s, const char *str)
{
	NUTS_PASS(nng_send(s, (void *) str, strlen(str), 0));
}


// True once process `pid` has our library mapped, and not Debian's.
static bool
runs_our_lib(pid_t pid)
{
	char      path[64];
	char      line[4400];
	long long deadline = now_ms() + TIMEOUT_MS;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int) pid);
	// The loader maps the libraries right after exec: wait for libnng.
	while (now_ms() < deadline) {
		FILE *f = fopen(path, "r");
		bool  ours = false, theirs = false;
		if (f == NULL) {
			return (false);
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strstr(line, our_lib()) != NULL) {
				ours = true;
			} else if (strstr(line, "/libnng.so") != NULL) {
				theirs = true;
			}
		}
		fclose(f);
		if (ours || theirs) {
			return (ours && !theirs);
		}
		struct pollfd none;
		(void) poll(&none, 0, 5);
	}
	return (false);
}

// nngcat on our library (listening) and nngcat on Debian's (dialing), and
// the other way round, req/rep over each transport.
static void
test_cat_ours_vs_cat_debian(void)
{
	for (size_t i = 0; i < sizeof(trans) / sizeof(trans[0]); i++) {
		for (int ours_listens = 0; ours_listens < 2; ours_listens++) {
			char url[128];
			cat  rep, req;
			cat_listen_url(trans[i], url, sizeof(url));
			// The one on our library starts first (a dialer
			// retries until the listener is up), so its mappings
			// are checked while it surely still runs.
			if (ours_listens) {
				cat_start(&rep, true, "--rep", "--listen", url,
				    "--raw", "--count", "1", "--data", "pong",
				    NULL);
				NUTS_TRUE(runs_our_lib(rep.pid));
			}
			// With --interval nngcat's req waits up to that
			// long for the reply; without it, it computes a
			// receive timeout below -1 once a millisecond has
			// passed and quits (with either library).
			cat_start(&req, !ours_listens, "--req", "--dial", url,
			    "--async", "--raw", "--count", "1", "--interval",
			    "1", "--data", "ping", NULL);
			if (!ours_listens) {
				NUTS_TRUE(runs_our_lib(req.pid));
				cat_start(&rep, false, "--rep", "--listen",
				    url, "--raw", "--count", "1", "--data",
				    "pong", NULL);
			}
			cat_expect(&rep, "ping");
			cat_expect(&req, "pong");
			NUTS_EQ(cat_wait(&req), 0);
			NUTS_EQ(cat_wait(&rep), 0);
		}
	}
}

// nngcat on our library against this program (also ours), pub/sub and
// push/pull, both directions.
static void
test_cat_ours_vs_our_code(void)
{
	for (size_t i = 0; i < sizeof(trans) / sizeof(trans[0]); i++) {
		char       url[128];
		cat        c;
		nng_socket s;
		char      *buf;
		size_t     sz;

		// Our code listens and pushes; nngcat (ours) dials and pulls.
		NUTS_PASS(nng_push0_open(&s));
		timeouts(s);
		our_listen(s, trans[i], url, sizeof(url));
		cat_start(&c, true, "--pull", "--dial", url, "--async",
		    "--raw", "--count", "1", NULL);
		NUTS_TRUE(runs_our_lib(c.pid));
		send_str(s, "to-cat");
		cat_expect(&c, "to-cat");
		NUTS_EQ(cat_wait(&c), 0);
		NUTS_PASS(nng_close(s));

		// nngcat (ours) listens and publishes; our code subscribes.
		cat_listen_url(trans[i], url, sizeof(url));
		NUTS_PASS(nng_sub0_open(&s));
		timeouts(s);
		NUTS_PASS(nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, "", 0));
		cat_start(&c, true, "--pub", "--listen", url, "--interval",
		    "1", "--data", "from-cat", NULL);
		NUTS_TRUE(runs_our_lib(c.pid));
		our_dial(s, url);
		NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
		NUTS_EQ(sz, 8);
		NUTS_TRUE(memcmp(buf, "from-cat", 8) == 0);
		nng_free(buf, sz);
		cat_stop(&c);
		NUTS_PASS(nng_close(s));
	}
}

NUTS_TESTS = {
	{ "nngcat on our lib vs nngcat on Debian's", test_cat_ours_vs_cat_debian },
	{ "nngcat on our lib vs our code", test_cat_ours_vs_our_code },
	{ NULL, NULL },
};
