// Floods over tls+tcp, ws and wss between two of our sockets: back-to-back
// sends are batched by the poller (many frames per write, and with TLS
// many messages per record), the socket fills up (a TLS session then holds
// part of a batch), and every message must still arrive whole, exact and
// in order. The certificate is made at test time with the openssl CLI.

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/supplemental/tls/tls.h>

#include "nuts.h"

#define TIMEOUT 10000
#define MAXMSG 100000

static char dir[64];

static void
make_cert(char *pem, size_t sz)
{
	char cmd[512];
	snprintf(dir, sizeof(dir), "/tmp/nng-tls-flood-XXXXXX");
	NUTS_TRUE(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd),
	    "(cd %s && openssl req -x509 -newkey ec "
	    "-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem "
	    "-out c.pem -subj /CN=localhost -days 2 && cat c.pem k.pem > "
	    "both.pem) >/dev/null 2>&1",
	    dir);
	NUTS_TRUE(system(cmd) == 0);
	snprintf(pem, sz, "%s/both.pem", dir);
}

// Message i: its size, and its bytes (the index, then a pattern).
static size_t
size_of(unsigned i)
{
	return (i % 97 == 0 ? MAXMSG : 4 + (i * 37) % 300);
}

static void
fill(char *buf, unsigned i)
{
	size_t n = size_of(i);
	memcpy(buf, &i, 4);
	for (size_t k = 4; k < n; k++) {
		buf[k] = (char) (i * 7 + k);
	}
}

static void
flood(const char *scheme)
{
	nng_socket      a, b;
	nng_listener    l;
	nng_dialer      d;
	nng_tls_config *cfg;
	char            pem[128];
	char            url[128];
	char           *want = malloc(MAXMSG);
	int             port;
	unsigned        sent = 0;
	int             rv;

	NUTS_TRUE(want != NULL);
	if (dir[0] == '\0') {
		make_cert(pem, sizeof(pem));
	} else {
		snprintf(pem, sizeof(pem), "%s/both.pem", dir);
	}
	bool tls  = strcmp(scheme, "ws") != 0;
	bool path = strcmp(scheme, "tls+tcp") != 0;
	NUTS_PASS(nng_pair1_open(&a));
	NUTS_PASS(nng_pair1_open(&b));
	NUTS_PASS(nng_socket_set_ms(b, NNG_OPT_RECVTIMEO, TIMEOUT));
	NUTS_PASS(nng_socket_set_ms(a, NNG_OPT_SENDTIMEO, TIMEOUT));
	snprintf(url, sizeof(url), "%s://127.0.0.1:0%s", scheme,
	    path ? "/flood" : "");
	NUTS_PASS(nng_listener_create(&l, b, url));
	if (tls) {
		NUTS_PASS(nng_listener_set_string(
		    l, NNG_OPT_TLS_CERT_KEY_FILE, pem));
	}
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "%s://127.0.0.1:%d%s", scheme, port,
	    path ? "/flood" : "");
	NUTS_PASS(nng_dialer_create(&d, a, url));
	if (tls) {
		NUTS_PASS(nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT));
		NUTS_PASS(
		    nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_NONE));
		NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, cfg));
		nng_tls_config_free(cfg);
	}
	NUTS_PASS(nng_dialer_start(d, 0));

	// A first message, waited for: the pipe is up at both ends.
	fill(want, sent);
	NUTS_PASS(nng_send(a, want, size_of(sent), 0));
	sent++;

	// Back to back without blocking until everything is full (the
	// receiver reads nothing meanwhile), bounded.
	while (sent < 1000000) {
		fill(want, sent);
		rv = nng_send(a, want, size_of(sent), NNG_FLAG_NONBLOCK);
		if (rv == NNG_EAGAIN) {
			break;
		}
		NUTS_PASS(rv);
		sent++;
	}
	NUTS_TRUE(sent < 1000000);
	NUTS_TRUE(sent > 100);

	// Everything arrives, exact and in order.
	for (unsigned i = 0; i < sent; i++) {
		nng_msg *m;
		NUTS_PASS(nng_recvmsg(b, &m, 0));
		fill(want, i);
		NUTS_EQ(nng_msg_len(m), size_of(i));
		NUTS_TRUE(memcmp(nng_msg_body(m), want, size_of(i)) == 0);
		nng_msg_free(m);
	}
	printf("# %s: %u messages queued before the sender had to wait\n",
	    scheme, sent);
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
	free(want);
}

static void
test_flood_tls(void)
{
	flood("tls+tcp");
}

static void
test_flood_ws(void)
{
	flood("ws");
}

static void
test_flood_wss(void)
{
	flood("wss");
}

static void
test_cleanup(void)
{
	char cmd[128];
	if (dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		NUTS_TRUE(system(cmd) == 0);
	}
}

NUTS_TESTS = {
	{ "tls+tcp flood: batched records, full socket, order", test_flood_tls },
	{ "ws flood: batched frames, full socket, order", test_flood_ws },
	{ "wss flood: batched records, full socket, order", test_flood_wss },
	{ "cleanup", test_cleanup },
	{ NULL, NULL },
};
