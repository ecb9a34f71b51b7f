// A WHATWG WebSocket client against our ws:// transport: a page's script
// opens `new WebSocket("ws://127.0.0.1:PORT/pair", "pair.sp.nanomsg.org")`
// with binaryType "arraybuffer" and exchanges messages with one of our
// pair0 sockets, one of them large enough to arrive in several frames.
//
// The client is headless Chromium (/usr/bin/chromium, or the binary named
// by NNG_TEST_BROWSER) when installed, loading the page over http from a
// small server in this test; else Node.js's WebSocket (the same WHATWG
// API, node --experimental-websocket) running the same script; with
// neither the test reports a skip and passes. Success is decided on our
// side: the script echoes what it got, and we check the exact bytes.
// Waits are on our socket's receives (with timeouts), never sleeps.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/transport/ws/websocket.h>

#include "nuts.h"

extern char **environ;

// NNG_TEST_BROWSER names another Chromium-like binary (same flags).
#define CHROMIUM \
	(getenv("NNG_TEST_BROWSER") ? getenv("NNG_TEST_BROWSER") : "/usr/bin/chromium")
#define NODE "/usr/bin/node"
#define BIG 200000

// The client script: says hello, answers every binary message with
// "echo:<its length>:<its first 16 bytes>", and closes after the second.
static const char *script =
    "var n = 0;\n"
    "var ws = new WebSocket(URL, 'pair.sp.nanomsg.org');\n"
    "ws.binaryType = 'arraybuffer';\n"
    "function put(s) { ws.send(new TextEncoder().encode(s)); }\n"
    "ws.onopen = function () { put('hello from ' + ws.protocol); };\n"
    "ws.onmessage = function (ev) {\n"
    "  var b = new Uint8Array(ev.data);\n"
    "  var head = new TextDecoder().decode(b.subarray(0, 16));\n"
    "  put('echo:' + b.length + ':' + head);\n"
    "  if (++n == 2) { DONE(); }\n"
    "};\n"
    "ws.onerror = function () { FAIL('error'); };\n";

static char  dir[64];
static pid_t child;
static char  page_html[4096];

// A minimal HTTP server for the page: every GET of "/" gets it, anything
// else 404; one request per connection. Runs until the process ends.
static void *
page_serve(void *arg)
{
	int lfd = *(int *) arg;
	for (;;) {
		char    req[2048];
		char    hdr[256];
		ssize_t n;
		int     fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			return (NULL);
		}
		n = recv(fd, req, sizeof(req) - 1, 0);
		if (n > 0) {
			req[n] = 0;
			if (strncmp(req, "GET / ", 6) == 0) {
				snprintf(hdr, sizeof(hdr),
				    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
				    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
				    strlen(page_html));
				(void) !send(fd, hdr, strlen(hdr), MSG_NOSIGNAL);
				(void) !send(fd, page_html, strlen(page_html), MSG_NOSIGNAL);
			} else {
				const char *nf = "HTTP/1.1 404 Not Found\r\n"
				                 "Content-Length: 0\r\nConnection: close\r\n\r\n";
				(void) !send(fd, nf, strlen(nf), MSG_NOSIGNAL);
			}
		}
		close(fd);
	}
}

// Starts the page server; gives its port.
static int
page_server(void)
{
	static int         lfd;
	struct sockaddr_in sin;
	socklen_t          sl = sizeof(sin);
	pthread_t          t;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family      = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	lfd                 = socket(AF_INET, SOCK_STREAM, 0);
	NUTS_TRUE(lfd >= 0);
	NUTS_PASS(bind(lfd, (struct sockaddr *) &sin, sizeof(sin)));
	NUTS_PASS(listen(lfd, 16));
	NUTS_PASS(getsockname(lfd, (struct sockaddr *) &sin, &sl));
	NUTS_PASS(pthread_create(&t, NULL, page_serve, &lfd));
	NUTS_PASS(pthread_detach(t));
	return (ntohs(sin.sin_port));
}

// Ends the client and everything it started (its own process group), also
// when a check fails.
static void
kill_child(void)
{
	if (child > 0) {
		kill(-child, SIGKILL);
		waitpid(child, NULL, 0);
		child = 0;
	}
}

static bool
usable(const char *path)
{
	return (access(path, X_OK) == 0);
}

static bool
node_has_websocket(void)
{
	return (usable(NODE) &&
	    system(NODE " --experimental-websocket -e "
	                "'if (typeof WebSocket !== \"function\") process.exit(1)'"
	                " >/dev/null 2>&1") == 0);
}

// Writes the client for `url`; gives argv for the chosen runner.
static void
write_client(const char *url, bool chromium, char **argv, char *profile)
{
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/nng-ws-browser-XXXXXX");
	NUTS_TRUE(mkdtemp(dir) != NULL);
	if (chromium) {
		static char page[160];
		static char udd[160];
		snprintf(page_html, sizeof(page_html),
		    "<!DOCTYPE html><html><body><p id='r'>running</p><script>\n"
		    "var URL = '%s';\n"
		    "function DONE() { document.getElementById('r').textContent"
		    " = 'done'; }\n"
		    "function FAIL(s) { document.getElementById('r').textContent"
		    " = s; }\n%s</script></body></html>\n",
		    url, script);
		// Served over http from 127.0.0.1, so the page and the socket
		// share a local origin (no file:// or private-network rules).
		snprintf(page, sizeof(page), "http://127.0.0.1:%d/", page_server());
		snprintf(udd, sizeof(udd), "--user-data-dir=%s/profile", dir);
		snprintf(profile, 160, "%s/profile", dir);
		int i     = 0;
		argv[i++] = CHROMIUM;
		argv[i++] = "--headless";
		argv[i++] = "--no-sandbox";
		argv[i++] = "--disable-gpu";
		argv[i++] = "--disable-quic";
		argv[i++] = "--no-first-run";
		argv[i++] = "--disable-background-networking";
		argv[i++] = "--disable-component-update";
		argv[i++] = "--disable-sync";
		argv[i++] = "--remote-debugging-port=0";
		argv[i++] = udd;
		argv[i++] = page;
		argv[i]   = NULL;
	} else {
		static char js[160];
		snprintf(js, sizeof(js), "%s/client.js", dir);
		f = fopen(js, "w");
		NUTS_TRUE(f != NULL);
		fprintf(f,
		    "var URL = '%s';\n"
		    "function DONE() { setTimeout(function () { ws.close(); },"
		    " 100); }\n"
		    "function FAIL(s) { console.error(s); process.exit(1); }\n%s",
		    url, script);
		fclose(f);
		argv[0] = NODE;
		argv[1] = "--experimental-websocket";
		argv[2] = "--no-warnings";
		argv[3] = js;
		argv[4] = NULL;
	}
}

static void
recv_exact(nng_socket s, const char *want)
{
	char  *buf;
	size_t sz;
	NUTS_PASS(nng_recv(s, &buf, &sz, NNG_FLAG_ALLOC));
	if (sz != strlen(want) || memcmp(buf, want, sz) != 0) {
		NUTS_ABORT_("got %zu bytes \"%.*s\", expected \"%s\"", sz,
		    (int) sz, buf, want);
	}
	nng_free(buf, sz);
}

static void
test_whatwg_client(void)
{
	nng_socket   s;
	nng_listener l;
	nng_msg     *m;
	nng_pipe     p;
	int          port;
	char         url[128];
	char        *argv[16];
	char         profile[160] = "";
	char        *str;
	pid_t        pid;
	bool         chromium = usable(CHROMIUM);
	char        *big;

	if (!chromium && !node_has_websocket()) {
		printf("skip: neither %s nor a node with WebSocket\n", CHROMIUM);
		return;
	}
	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 30000));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 10000));
	NUTS_PASS(nng_listener_create(&l, s, "ws://127.0.0.1:0/pair"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/pair", port);
	write_client(url, chromium, argv, profile);
	{
		posix_spawnattr_t attr;
		NUTS_PASS(posix_spawnattr_init(&attr));
		NUTS_PASS(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP));
		NUTS_PASS(posix_spawnattr_setpgroup(&attr, 0));
		NUTS_PASS(posix_spawn(&pid, argv[0], NULL, &attr, argv, environ));
		posix_spawnattr_destroy(&attr);
		child = pid;
		atexit(kill_child);
	}
	printf("client: %s\n", chromium ? "chromium" : "node");

	NUTS_PASS(nng_recvmsg(s, &m, 0));
	NUTS_EQ(nng_msg_len(m), strlen("hello from pair.sp.nanomsg.org"));
	NUTS_TRUE(memcmp(nng_msg_body(m), "hello from pair.sp.nanomsg.org",
	              nng_msg_len(m)) == 0);
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_get_string(
	    p, NNG_OPT_WS_REQUEST_HEADER "Sec-WebSocket-Protocol", &str));
	NUTS_MATCH(str, "pair.sp.nanomsg.org");
	nng_strfree(str);
	nng_msg_free(m);

	NUTS_PASS(nng_send(s, "hello browser", 13, 0));
	recv_exact(s, "echo:13:hello browser");

	// Several frames (64 KiB each) reassembled by the client.
	big = malloc(BIG);
	NUTS_TRUE(big != NULL);
	for (int i = 0; i < BIG; i++) {
		big[i] = (char) ('a' + i % 26);
	}
	NUTS_PASS(nng_send(s, big, BIG, 0));
	free(big);
	recv_exact(s, "echo:200000:abcdefghijklmnop");

	kill_child();
	NUTS_PASS(nng_close(s));
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		NUTS_TRUE(system(cmd) == 0);
	}
}

NUTS_TESTS = {
	{ "whatwg websocket client", test_whatwg_client },
	{ NULL, NULL },
};
