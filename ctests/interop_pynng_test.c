// Wire interop with pynng (whose wheel bundles nng 1.11) as a second real
// peer: req/rep and pub/sub, both directions (our side listening, and our
// side dialing), over tcp and ipc. The peer is ctests/pynng_peer.py, run
// with python3; when `import pynng` fails the test reports that and passes
// without checking anything (CI installs pynng when it can).
//
// The peer prints what it received on its stdout, read here through a pipe
// with a deadline; our side waits on receives with timeouts. No fixed
// sleeps: the publisher side repeats its message until the subscriber
// shows it got one. tls+tcp, ws and wss, with every protocol pair, are in
// interop_pynng_tls_test.c.

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "nuts.h"
#include "testutil.h"

extern char **environ;

#define TIMEOUT_MS 10000

static char script[4096];

typedef struct {
	pid_t pid;
	int   out;
} peer;

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static char **
peer_env(void)
{
	static char *env[512];
	int          n = 0;
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

static int
spawn(pid_t *pid, int *out, char **argv)
{
	int fds[2];
	if (pipe(fds) != 0) {
		return (errno);
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	int rv = posix_spawnp(pid, argv[0], &fa, NULL, argv, peer_env());
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rv != 0) {
		close(fds[0]);
		return (rv);
	}
	*out = fds[0];
	fcntl(*out, F_SETFL, O_NONBLOCK);
	return (0);
}

static void
peer_start(peer *p, const char *role, const char *mode, const char *url)
{
	char *argv[] = { "python3", script, (char *) role, (char *) mode,
		(char *) url, NULL };
	int   rv     = spawn(&p->pid, &p->out, argv);
	if (rv != 0) {
		NUTS_ABORT_("cannot run python3: %s", strerror(rv));
	}
}

// Reads up to want bytes of the peer's output within ms.
static size_t
peer_read(peer *p, char *buf, size_t want, int ms)
{
	size_t    got      = 0;
	long long deadline = now_ms() + ms;
	while (got < want) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			break;
		}
		struct pollfd pfd = { .fd = p->out, .events = POLLIN };
		if (poll(&pfd, 1, (int) left) <= 0) {
			continue;
		}
		ssize_t n = read(p->out, buf + got, want - got);
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

static void
peer_expect(peer *p, const char *expect)
{
	char   buf[256];
	size_t len = strlen(expect);
	size_t got = peer_read(p, buf, len, TIMEOUT_MS);
	buf[got]   = '\0';
	if (got != len || memcmp(buf, expect, len) != 0) {
		NUTS_ABORT_("pynng peer printed \"%s\", expected \"%s\"", buf,
		    expect);
	}
}

static int
peer_wait(peer *p)
{
	int status = 0;
	// The peer's own waits are bounded by TIMEOUT_MS: allow it that and
	// more (python starts slowly on a loaded machine).
	long long deadline = now_ms() + 3 * TIMEOUT_MS;
	// The peer's stdout reaches end of file when it exits.
	for (;;) {
		long long     left = deadline - now_ms();
		struct pollfd pfd  = { .fd = p->out, .events = POLLIN };
		char          drain[64];
		if (left <= 0) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			close(p->out);
			NUTS_ABORT_("pynng peer did not exit in time");
		}
		if (poll(&pfd, 1, (int) left) > 0 &&
		    read(p->out, drain, sizeof(drain)) == 0) {
			break;
		}
	}
	waitpid(p->pid, &status, 0);
	close(p->out);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void
peer_kill(peer *p)
{
	kill(p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	close(p->out);
}

static int seq;

static void
new_url(int tcp, char *url, size_t sz)
{
	if (tcp) {
		snprintf(url, sz, "tcp://127.0.0.1:%d", free_port());
	} else {
		snprintf(url, sz, "ipc:///tmp/nng-pynng-%d-%d.sock",
		    (int) getpid(), ++seq);
	}
}

// Our side of a connection: listens on url, or dials it with retries.
static void
attach(nng_socket s, int we_listen, const char *url)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT_MS));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT_MS));
	if (we_listen) {
		NUTS_PASS(nng_listen(s, url, NULL, 0));
	} else {
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 10));
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 50));
		NUTS_PASS(nng_dial(s, url, NULL, NNG_FLAG_NONBLOCK));
	}
}

static bool
have_pynng(void)
{
	pid_t pid;
	int   out, status = 0;
	char *argv[] = { "python3", "-c", "import pynng", NULL };
	if (spawn(&pid, &out, argv) != 0) {
		return (false);
	}
	waitpid(pid, &status, 0);
	close(out);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_pynng(void)
{
	const char *slash = strrchr(__FILE__, '/');
	snprintf(script, sizeof(script), "%.*s/pynng_peer.py",
	    slash ? (int) (slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (access(script, R_OK) != 0 || !have_pynng()) {
		printf("# skipped: python3 cannot import pynng\n");
		return;
	}
	for (int tcp = 0; tcp < 2; tcp++) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			const char *mode = we_listen ? "dial" : "listen";
			char        url[128];
			nng_socket  s;
			peer        p;
			char       *buf;
			size_t      sz;

			// Our req, pynng's rep.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_req0_open(&s));
			peer_start(&p, "rep", mode, url);
			attach(s, we_listen, url);
			NUTS_PASS(nng_send(s, "hello", 5, 0));
			NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
			NUTS_EQ(sz, 10);
			NUTS_TRUE(memcmp(buf, "pong:hello", 10) == 0);
			nng_free(buf, sz);
			peer_expect(&p, "hello");
			NUTS_PASS(nng_close(s));
			NUTS_EQ(peer_wait(&p), 0);

			// pynng's req, our rep.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_rep0_open(&s));
			peer_start(&p, "req", mode, url);
			attach(s, we_listen, url);
			NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
			NUTS_EQ(sz, 4);
			NUTS_TRUE(memcmp(buf, "ping", 4) == 0);
			nng_free(buf, sz);
			NUTS_PASS(nng_send(s, "pong", 4, 0));
			peer_expect(&p, "pong");
			NUTS_EQ(peer_wait(&p), 0);
			NUTS_PASS(nng_close(s));

			// Our pub, pynng's sub: publish until it shows one.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_pub0_open(&s));
			peer_start(&p, "sub", mode, url);
			attach(s, we_listen, url);
			{
				char      got[16];
				size_t    n        = 0;
				long long deadline = now_ms() + TIMEOUT_MS;
				while (n == 0 && now_ms() < deadline) {
					NUTS_PASS(nng_send(s, "from-c", 6, 0));
					n = peer_read(&p, got, 6, 20);
				}
				n += peer_read(&p, got + n, 6 - n, TIMEOUT_MS);
				NUTS_EQ(n, 6);
				NUTS_TRUE(memcmp(got, "from-c", 6) == 0);
			}
			NUTS_EQ(peer_wait(&p), 0);
			NUTS_PASS(nng_close(s));

			// pynng's pub, our sub.
			new_url(tcp, url, sizeof(url));
			NUTS_PASS(nng_sub0_open(&s));
			NUTS_PASS(
			    nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, "", 0));
			peer_start(&p, "pub", mode, url);
			attach(s, we_listen, url);
			NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
			NUTS_EQ(sz, 7);
			NUTS_TRUE(memcmp(buf, "from-py", 7) == 0);
			nng_free(buf, sz);
			peer_kill(&p);
			NUTS_PASS(nng_close(s));
		}
	}
}

NUTS_TESTS = {
	{ "pynng req/rep and pub/sub over tcp and ipc", test_pynng },
	{ NULL, NULL },
};
