// Wire interop with pynng (whose wheel bundles nng 1.11 with mbedTLS) over
// tls+tcp, ws and wss: every protocol pair, with pynng on either side of
// it, and in both directions of connection (our side listening, and our
// side dialing). Every message's bytes are checked exactly, at 300 B and
// at 100 KiB (larger than a TLS record, several WebSocket frames).
//
// One long-lived peer (ctests/pynng_multi_peer.py) runs every case, driven
// by lines on its stdin; it prints what it received as hex on its stdout,
// read here with deadlines. Certificates are made at test time with the
// openssl CLI. When `import pynng` fails the test reports a skip and passes
// (CI installs pynng when it can), like interop_pynng_test.c.
//
// No fixed sleeps: where a message can be lost before the connection is
// up (pub/sub, bus, surveys) the sender repeats it until the receiver
// shows it has one.

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>
#include <nng/supplemental/tls/tls.h>

#include "nuts.h"
#include "testutil.h"

#define TIMEOUT_MS 10000

#include "nngcat.h"

static void
make_certs(void)
{
	make_certs_with("pynng-tls", "");
}

static char current[128]; // the case running, for failures

// pynng's nng 1.11 sometimes panics around closing a ws/wss socket (an
// abort with "panic: pthread_mutex_lock: Invalid argument", a use after
// free inside that nng; pynng alone, push/pull over ws with both ends in
// one python process, does it too: about one run of 300 in 3). When the
// peer dies of SIGABRT the case is repeated with a new peer, at most
// MAX_PANICS times in the run; any other exit, or a wrong byte, fails.
#define MAX_PANICS 3
static jmp_buf    peer_panicked;
static bool       panic_armed;
static nng_socket cur_sock; // our socket of the running case

// The bytes both sides agree on (pynng_multi_peer.py's pattern()).
static void
pattern(char *buf, size_t n, int k)
{
	for (size_t i = 0; i < n; i++) {
		buf[i] = (char) ((i * 131 + (size_t) k * 17 + (i >> 8)) & 0xff);
	}
}

// ---------------------------------------------------------------------------
// The peer process.

typedef struct {
	pid_t  pid;
	int    in;  // its stdin
	int    out; // its stdout
	char  *buf; // what has been read from out, not yet taken
	size_t len;
	size_t cap;
} peer;

static int
spawn(pid_t *pid, int *in, int *out, char **argv)
{
	int to[2], from[2];
	if (pipe(to) != 0) {
		return (errno);
	}
	if (pipe(from) != 0) {
		int rv = errno;
		close(to[0]);
		close(to[1]);
		return (rv);
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to[0], 0);
	posix_spawn_file_actions_adddup2(&fa, from[1], 1);
	posix_spawn_file_actions_addclose(&fa, to[0]);
	posix_spawn_file_actions_addclose(&fa, to[1]);
	posix_spawn_file_actions_addclose(&fa, from[0]);
	posix_spawn_file_actions_addclose(&fa, from[1]);
	int rv = posix_spawnp(pid, argv[0], &fa, NULL, argv, cat_env(false));
	posix_spawn_file_actions_destroy(&fa);
	close(to[0]);
	close(from[1]);
	if (rv != 0) {
		close(to[1]);
		close(from[0]);
		return (rv);
	}
	*in  = to[1];
	*out = from[0];
	fcntl(*out, F_SETFL, O_NONBLOCK);
	return (0);
}

static bool
have_pynng(void)
{
	pid_t pid;
	int   in, out, status = 0;
	char *argv[] = { "python3", "-c", "import pynng", NULL };
	if (spawn(&pid, &in, &out, argv) != 0) {
		return (false);
	}
	close(in);
	waitpid(pid, &status, 0);
	close(out);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// One line of the peer's output (without its newline, NUL-terminated, valid
// until the next call), or NULL if none came within ms.
static char *
peer_line(peer *p, int ms)
{
	static char *line;
	static size_t linecap;
	long long     deadline = now_ms() + ms;
	for (;;) {
		char *nl = p->len ? memchr(p->buf, '\n', p->len) : NULL;
		if (nl != NULL) {
			size_t n = (size_t) (nl - p->buf);
			if (n + 1 > linecap) {
				linecap = n + 1;
				line    = realloc(line, linecap);
				NUTS_TRUE(line != NULL);
			}
			memcpy(line, p->buf, n);
			line[n] = '\0';
			memmove(p->buf, nl + 1, p->len - n - 1);
			p->len -= n + 1;
			return (line);
		}
		long long left = deadline - now_ms();
		if (left < 0) {
			return (NULL);
		}
		struct pollfd pfd = { .fd = p->out, .events = POLLIN };
		if (poll(&pfd, 1, (int) left) <= 0) {
			continue;
		}
		if (p->cap - p->len < 65536) {
			p->cap = p->cap * 2 + 65536;
			p->buf = realloc(p->buf, p->cap);
			NUTS_TRUE(p->buf != NULL);
		}
		ssize_t n = read(p->out, p->buf + p->len, p->cap - p->len);
		if (n == 0) {
			int status = 0;
			waitpid(p->pid, &status, 0);
			if (panic_armed && WIFSIGNALED(status) &&
			    WTERMSIG(status) == SIGABRT) {
				longjmp(peer_panicked, 1);
			}
			NUTS_ABORT_("pynng peer exited (%s)", current);
		}
		if (n > 0) {
			p->len += (size_t) n;
		} else if (errno != EAGAIN && errno != EINTR) {
			NUTS_ABORT_("reading from the pynng peer: %s",
			    strerror(errno));
		}
	}
}

static char *
peer_need(peer *p, int ms, const char *what)
{
	char *line = peer_line(p, ms);
	if (line == NULL) {
		NUTS_ABORT_("pynng peer: no %s within %d ms", what, ms);
	}
	if (strncmp(line, "error ", 6) == 0) {
		NUTS_ABORT_("pynng peer: %s", line);
	}
	return (line);
}

static void
peer_say(peer *p, const char *fmt, ...)
{
	char    cmd[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	NUTS_TRUE(n > 0 && (size_t) n < sizeof(cmd));
	NUTS_TRUE(write(p->in, cmd, (size_t) n) == n);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return (c - '0');
	}
	if (c >= 'a' && c <= 'f') {
		return (c - 'a' + 10);
	}
	return (-1);
}

// Checks that a "got HEX" line holds exactly want[0..len).
static void
check_got(const char *line, const char *what, const char *want, size_t len)
{
	if (strncmp(line, "got ", 4) != 0) {
		NUTS_ABORT_("%s: pynng peer said \"%.60s\"", what, line);
	}
	const char *hex = line + 4;
	size_t      n   = strlen(hex);
	if (n != 2 * len) {
		NUTS_ABORT_("%s: pynng got %zu bytes, expected %zu", what,
		    n / 2, len);
	}
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0 || (char) (hi * 16 + lo) != want[i]) {
			NUTS_ABORT_("%s: pynng got a different byte at %zu",
			    what, i);
		}
	}
}

static void
check_msg(nng_msg *m, const char *what, const char *want, size_t len)
{
	if (nng_msg_len(m) != len) {
		NUTS_ABORT_("%s: we got %zu bytes, expected %zu", what,
		    nng_msg_len(m), len);
	}
	if (memcmp(nng_msg_body(m), want, len) != 0) {
		NUTS_ABORT_("%s: we got different bytes", what);
	}
	nng_msg_free(m);
}

// ---------------------------------------------------------------------------
// Our side.

static nng_tls_config *server_cfg;
static nng_tls_config *client_cfg;

static void
make_url(char *url, size_t sz, const char *tran, int port)
{
	if (strcmp(tran, "tls+tcp") == 0) {
		snprintf(url, sz, "tls+tcp://127.0.0.1:%d", port);
	} else {
		snprintf(url, sz, "%s://127.0.0.1:%d/pynng", tran, port);
	}
}

static bool
is_tls(const char *tran)
{
	return (strcmp(tran, "ws") != 0);
}

// Connects our socket s for a case in which the peer takes the given role
// with size-byte messages, and tells the peer to start it.
static void
attach(peer *p, nng_socket s, const char *tran, bool we_listen,
    const char *role, size_t size)
{
	char url[128];
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT_MS));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT_MS));
	if (we_listen) {
		nng_listener l;
		int          port;
		make_url(url, sizeof(url), tran, 0);
		NUTS_PASS(nng_listener_create(&l, s, url));
		if (is_tls(tran)) {
			NUTS_PASS(nng_listener_set_ptr(
			    l, NNG_OPT_TLS_CONFIG, server_cfg));
		}
		NUTS_PASS(nng_listener_start(l, 0));
		NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
		make_url(url, sizeof(url), tran, port);
		peer_say(p, "case %s %s dial %s %zu\n", tran, role, url, size);
	} else {
		nng_dialer d;
		make_url(url, sizeof(url), tran, free_port());
		peer_say(p, "case %s %s listen %s %zu\n", tran, role, url, size);
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 10));
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 50));
		NUTS_PASS(nng_dialer_create(&d, s, url));
		if (is_tls(tran)) {
			NUTS_PASS(
			    nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, client_cfg));
		}
		NUTS_PASS(nng_dialer_start(d, NNG_FLAG_NONBLOCK));
	}
}

// Ends a case: the peer closes its socket, then we close ours.
static void
finish(peer *p, nng_socket s)
{
	peer_say(p, "done\n");
	const char *line = peer_need(p, TIMEOUT_MS, "closed");
	if (strcmp(line, "closed") != 0) {
		NUTS_ABORT_("pynng peer said \"%.60s\", expected closed", line);
	}
	NUTS_PASS(nng_close(s));
}

typedef struct {
	const char *peer_role; // pynng's side
	int (*open)(nng_socket *);
	size_t size;
} pairing;

// Runs one case: our socket opened with c->open, pynng's with peer_role;
// ours are pattern 1 bytes, pynng's pattern 2.
static void
run_case(peer *p, const char *tran, bool we_listen, const pairing *c,
    const char *ours, const char *theirs)
{
	nng_socket  s;
	nng_msg    *m;
	const char *role = c->peer_role;
	size_t      size = c->size;
	char        what[128];
	const char *line;
	int         rv;

	snprintf(what, sizeof(what), "%s, pynng %s %s", tran, role,
	    we_listen ? "dialing" : "listening");
	snprintf(current, sizeof(current), "%s", what);
	NUTS_PASS(c->open(&s));
	cur_sock = s;
	if (strcmp(role, "sub") == 0 || strcmp(role, "bus") == 0) {
		// We send first, and what is sent before the connection is
		// up is dropped: repeat until the peer shows it has one.
		attach(p, s, tran, we_listen, role, size);
		long long deadline = now_ms() + TIMEOUT_MS;
		line               = NULL;
		while (line == NULL && now_ms() < deadline) {
			NUTS_PASS(nng_send(s, (void *) ours, size, 0));
			line = peer_line(p, 20);
		}
		if (line == NULL) {
			NUTS_ABORT_("%s: the peer got nothing", what);
		}
		check_got(line, what, ours, size);
		if (strcmp(role, "bus") == 0) {
			NUTS_PASS(nng_recvmsg(s, &m, 0));
			check_msg(m, what, theirs, size);
		}
	} else if (strcmp(role, "rep") == 0) {
		attach(p, s, tran, we_listen, role, size);
		NUTS_PASS(nng_send(s, (void *) ours, size, 0));
		NUTS_PASS(nng_recvmsg(s, &m, 0));
		NUTS_TRUE(nng_msg_len(m) == size + 5);
		NUTS_TRUE(memcmp(nng_msg_body(m), "pong:", 5) == 0);
		NUTS_PASS(nng_msg_trim(m, 5));
		check_msg(m, what, ours, size);
		check_got(peer_need(p, TIMEOUT_MS, "request"), what, ours, size);
	} else if (strcmp(role, "req") == 0) {
		attach(p, s, tran, we_listen, role, size);
		NUTS_PASS(nng_recvmsg(s, &m, 0));
		check_msg(m, what, theirs, size);
		NUTS_PASS(nng_send(s, (void *) ours, size, 0));
		check_got(peer_need(p, TIMEOUT_MS, "reply"), what, ours, size);
	} else if (strcmp(role, "pub") == 0 || strcmp(role, "push") == 0) {
		if (strcmp(role, "pub") == 0) {
			NUTS_PASS(nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, "", 0));
		}
		attach(p, s, tran, we_listen, role, size);
		NUTS_PASS(nng_recvmsg(s, &m, 0));
		check_msg(m, what, theirs, size);
	} else if (strcmp(role, "pull") == 0) {
		attach(p, s, tran, we_listen, role, size);
		NUTS_PASS(nng_send(s, (void *) ours, size, 0));
		check_got(peer_need(p, TIMEOUT_MS, "message"), what, ours, size);
	} else if (strncmp(role, "pair", 4) == 0) {
		attach(p, s, tran, we_listen, role, size);
		NUTS_PASS(nng_send(s, (void *) ours, size, 0));
		check_got(peer_need(p, TIMEOUT_MS, "message"), what, ours, size);
		NUTS_PASS(nng_recvmsg(s, &m, 0));
		check_msg(m, what, theirs, size);
	} else if (strcmp(role, "respondent") == 0) {
		// Survey until an answer comes within the survey time.
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SURVEYOR_SURVEYTIME, 250));
		attach(p, s, tran, we_listen, role, size);
		long long deadline = now_ms() + TIMEOUT_MS;
		for (;;) {
			NUTS_TRUE(now_ms() < deadline);
			NUTS_PASS(nng_send(s, (void *) ours, size, 0));
			if ((rv = nng_recvmsg(s, &m, 0)) == 0) {
				break;
			}
			NUTS_FAIL(rv, NNG_ETIMEDOUT);
		}
		check_msg(m, what, theirs, size);
		check_got(peer_need(p, TIMEOUT_MS, "survey"), what, ours, size);
	} else if (strcmp(role, "surveyor") == 0) {
		// Answer surveys until the peer shows it has an answer (an
		// answer to an expired survey is dropped there).
		attach(p, s, tran, we_listen, role, size);
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 20));
		long long deadline = now_ms() + TIMEOUT_MS;
		line               = NULL;
		while (line == NULL) {
			NUTS_TRUE(now_ms() < deadline);
			if ((rv = nng_recvmsg(s, &m, 0)) == 0) {
				check_msg(m, what, theirs, size);
				NUTS_PASS(nng_send(s, (void *) ours, size, 0));
			} else {
				NUTS_FAIL(rv, NNG_ETIMEDOUT);
			}
			line = peer_line(p, 10);
		}
		if (strncmp(line, "error ", 6) == 0) {
			NUTS_ABORT_("pynng peer: %s", line);
		}
		check_got(line, what, ours, size);
	} else {
		NUTS_ABORT_("unknown role %s", role);
	}
	finish(p, s);
}

static void
start_peer(peer *p, char **argv)
{
	int rv = spawn(&p->pid, &p->in, &p->out, argv);
	if (rv != 0) {
		NUTS_ABORT_("cannot run python3: %s", strerror(rv));
	}
	// pynng's import and TLS setup.
	NUTS_MATCH(peer_need(p, 3 * TIMEOUT_MS, "start"), "ready");
}

// Runs a case; if pynng's nng panics meanwhile, starts a new peer and runs
// the case again.
static void
run_retrying(peer *p, char **argv, const char *tran, int we_listen,
    const pairing *c, const char *ours, const char *theirs)
{
	static int panics;
	if (setjmp(peer_panicked) != 0) {
		panic_armed = false;
		printf("# pynng's nng panicked (%s): case repeated with a new "
		       "peer\n",
		    current);
		nng_close(cur_sock);
		close(p->in);
		close(p->out);
		p->len = 0;
		if (++panics > MAX_PANICS) {
			NUTS_ABORT_("pynng's nng panicked %d times", panics);
		}
		start_peer(p, argv);
	}
	panic_armed = true;
	run_case(p, tran, we_listen != 0, c, ours, theirs);
	panic_armed = false;
}

static void
test_pynng_tls_ws(void)
{
	char        script[4096];
	const char *slash = strrchr(__FILE__, '/');
	snprintf(script, sizeof(script), "%.*s/pynng_multi_peer.py",
	    slash ? (int) (slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (access(script, R_OK) != 0 || !have_pynng()) {
		printf("# skipped: python3 cannot import pynng\n");
		return;
	}
	make_certs();
	NUTS_PASS(nng_tls_config_alloc(&server_cfg, NNG_TLS_MODE_SERVER));
	NUTS_PASS(nng_tls_config_cert_key_file(server_cfg, path_of("both.pem"), NULL));
	NUTS_PASS(nng_tls_config_alloc(&client_cfg, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(client_cfg, path_of("ca.crt")));
	NUTS_PASS(nng_tls_config_server_name(client_cfg, "localhost"));

	static const pairing cases[] = {
		{ "rep", nng_req0_open, 300 },
		{ "req", nng_rep0_open, 300 },
		{ "sub", nng_pub0_open, 300 },
		{ "pub", nng_sub0_open, 300 },
		{ "pull", nng_push0_open, 102400 },
		{ "push", nng_pull0_open, 102400 },
		{ "pair0", nng_pair0_open, 300 },
		{ "pair1", nng_pair1_open, 102400 },
		{ "bus", nng_bus0_open, 300 },
		{ "surveyor", nng_respondent0_open, 300 },
		{ "respondent", nng_surveyor0_open, 300 },
	};
	static const char *trans[] = { "tls+tcp", "ws", "wss" };
	size_t             max     = 102400;
	char              *ours    = malloc(max);
	char              *theirs  = malloc(max);
	NUTS_TRUE(ours != NULL && theirs != NULL);
	pattern(ours, max, 1);
	pattern(theirs, max, 2);

	static peer p;
	char       *argv[] = { "python3", script, certs_dir, NULL };
	start_peer(&p, argv);

	int n = 0;
	for (size_t t = 0; t < sizeof(trans) / sizeof(trans[0]); t++) {
		for (int we_listen = 0; we_listen < 2; we_listen++) {
			for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]);
			     c++) {
				run_retrying(&p, argv, trans[t], we_listen,
				    &cases[c], ours, theirs);
				n++;
			}
		}
	}
	printf("# %d cases with pynng over tls+tcp, ws and wss\n", n);

	// End of file on its stdin ends the peer.
	close(p.in);
	int       status   = 0;
	long long deadline = now_ms() + TIMEOUT_MS;
	for (;;) {
		char          drain[256];
		struct pollfd pfd = { .fd = p.out, .events = POLLIN };
		if (now_ms() > deadline) {
			kill(p.pid, SIGKILL);
			NUTS_ABORT_("pynng peer did not exit");
		}
		if (poll(&pfd, 1, 100) > 0 &&
		    read(p.out, drain, sizeof(drain)) == 0) {
			break;
		}
	}
	waitpid(p.pid, &status, 0);
	close(p.out);
	NUTS_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(p.buf);
	free(ours);
	free(theirs);
	nng_tls_config_free(server_cfg);
	nng_tls_config_free(client_cfg);
	remove_certs();
}

NUTS_TESTS = {
	{ "pynng: every protocol pair over tls+tcp, ws and wss",
	    test_pynng_tls_ws },
	{ NULL, NULL },
};
