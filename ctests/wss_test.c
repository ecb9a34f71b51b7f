// The WebSocket-over-TLS transport (wss://) with our library on both ends:
// exchange with server verification, TLS pipe options, a shared
// nng_tls_config, verification failures, and large (fragmented) messages
// across many TLS records. Certificates are made at test time with the
// openssl CLI.

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/transport/ws/websocket.h>

#include "nuts.h"

#define TIMEOUT 10000

static char dir[64];

static const char *
path_of(const char *name)
{
	static char buf[4][128];
	static int  i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return (buf[i]);
}

static void
make_certs(void)
{
	char cmd[1024];
	if (dir[0] != 0) {
		return;
	}
	snprintf(dir, sizeof(dir), "/tmp/nng-wss-test-XXXXXX");
	NUTS_TRUE(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd),
	    "(cd %s && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout ca.key -out ca.crt -subj /CN=TestCA -days 30 && "
	    "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n"
	    "extendedKeyUsage=serverAuth,clientAuth\\n' > ext && "
	    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	    "-keyout srv.key -out srv.csr -subj /CN=localhost && "
	    "openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key "
	    "-CAcreateserial -out srv.crt -days 30 -extfile ext && "
	    "cat srv.crt srv.key > both.pem && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout ca2.key -out ca2.crt -subj /CN=OtherCA -days 30 "
	    ") >/dev/null 2>&1",
	    dir);
	NUTS_TRUE(system(cmd) == 0);
}

static void
timeouts(nng_socket s)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT));
}

// Listens with the server certificate; gives the URL to dial.
static void
listen_wss(nng_socket s, const char *path, char *url, size_t sz)
{
	nng_listener l;
	int          port;
	char         mine[64];
	snprintf(mine, sizeof(mine), "wss://127.0.0.1:0%s", path);
	NUTS_PASS(nng_listener_create(&l, s, mine));
	NUTS_PASS(nng_listener_set_string(
	    l, NNG_OPT_TLS_CERT_KEY_FILE, path_of("both.pem")));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sz, "wss://127.0.0.1:%d%s", port, path);
}

static void
test_reqrep_over_wss(void)
{
	nng_socket rep, req;
	nng_dialer d;
	nng_msg   *m;
	nng_pipe   p;
	bool       b;
	char      *str;
	char       url[64];
	size_t     sz = 300000;
	char      *big;

	make_certs();
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	timeouts(rep);
	timeouts(req);
	listen_wss(rep, "/tls", url, sizeof(url));
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_string(d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
	NUTS_PASS(nng_dialer_set_string(d, NNG_OPT_WS_REQUEST_HEADER "X-T", "1"));
	NUTS_PASS(nng_dialer_start(d, 0));

	NUTS_PASS(nng_send(req, "ping", 5, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "ping");
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_get_string(p, NNG_OPT_WS_REQUEST_HEADER "X-T", &str));
	NUTS_MATCH(str, "1");
	nng_strfree(str);
	// The server did not ask for a client certificate.
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TLS_VERIFIED, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "ping");
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TLS_VERIFIED, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_pipe_get_string(p, NNG_OPT_TLS_PEER_CN, &str));
	NUTS_MATCH(str, "localhost");
	nng_strfree(str);
	nng_msg_free(m);

	big = malloc(sz);
	NUTS_TRUE(big != NULL);
	for (size_t i = 0; i < sz; i++) {
		big[i] = (char) (i * 13);
	}
	NUTS_PASS(nng_send(req, big, sz, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_len(m), sz);
	NUTS_TRUE(memcmp(nng_msg_body(m), big, sz) == 0);
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_EQ(nng_msg_len(m), sz);
	NUTS_TRUE(memcmp(nng_msg_body(m), big, sz) == 0);
	nng_msg_free(m);
	free(big);
	NUTS_PASS(nng_close(req));
	NUTS_PASS(nng_close(rep));
}

static void
test_shared_config_and_failures(void)
{
	nng_socket      a, b;
	nng_dialer      d;
	nng_tls_config *c;
	void           *got;
	char            url[64];

	make_certs();
	NUTS_PASS(nng_pair1_open(&a));
	NUTS_PASS(nng_pair1_open(&b));
	timeouts(a);
	timeouts(b);
	listen_wss(a, "/p", url, sizeof(url));

	// No CA: the server cannot be verified.
	NUTS_PASS(nng_dialer_create(&d, b, url));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_PASS(nng_dialer_close(d));

	// The wrong CA.
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(c, path_of("ca2.crt")));
	NUTS_PASS(nng_dialer_create(&d, b, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_PASS(nng_dialer_close(d));
	nng_tls_config_free(c);

	// A shared configuration naming the server.
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(c, path_of("ca.crt")));
	NUTS_PASS(nng_tls_config_server_name(c, "localhost"));
	NUTS_PASS(nng_dialer_create(&d, b, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_PASS(nng_dialer_get_ptr(d, NNG_OPT_TLS_CONFIG, &got));
	NUTS_TRUE(got == c);
	nng_tls_config_free(got);
	NUTS_PASS(nng_dialer_start(d, 0));
	NUTS_FAIL(nng_tls_config_server_name(c, "other"), NNG_EBUSY);
	NUTS_PASS(nng_send(b, "hello", 5, 0));
	{
		char  *buf;
		size_t sz;
		NUTS_PASS(nng_recv(a, &buf, &sz, NNG_FLAG_ALLOC));
		NUTS_EQ(sz, 5);
		NUTS_TRUE(memcmp(buf, "hello", 5) == 0);
		nng_free(buf, sz);
	}
	nng_tls_config_free(c);
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
}

// A plain ws dialer talking to a wss listener fails; so does a dialer to
// a wss listener without a certificate.
static void
test_mismatches(void)
{
	nng_socket   a, b;
	nng_listener l;
	char         url[64];
	int          port;

	make_certs();
	NUTS_PASS(nng_pair1_open(&a));
	NUTS_PASS(nng_pair1_open(&b));
	listen_wss(a, "/m", url, sizeof(url));
	port = atoi(strrchr(url, ':') + 1);
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/m", port);
	NUTS_TRUE(nng_dial(b, url, NULL, 0) != 0);
	// ws and wss cannot share a port.
	NUTS_FAIL(nng_listen(b, url, NULL, 0), NNG_EADDRINUSE);
	// Without a certificate the listener starts, but no handshake
	// succeeds.
	NUTS_PASS(nng_listener_create(&l, b, "wss://127.0.0.1:0/nocert"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	{
		nng_dialer d;
		snprintf(url, sizeof(url), "wss://127.0.0.1:%d/nocert", port);
		NUTS_PASS(nng_dialer_create(&d, a, url));
		NUTS_PASS(nng_dialer_set_string(
		    d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
		NUTS_TRUE(nng_dialer_start(d, 0) != 0);
	}
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
}

static void
test_cleanup(void)
{
	char cmd[128];
	if (dir[0] != 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		NUTS_TRUE(system(cmd) == 0);
	}
}

NUTS_TESTS = {
	{ "reqrep over wss", test_reqrep_over_wss },
	{ "shared config and failures", test_shared_config_and_failures },
	{ "mismatches", test_mismatches },
	{ "cleanup", test_cleanup },
	{ NULL, NULL },
};
