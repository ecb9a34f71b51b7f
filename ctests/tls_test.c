// TLS configuration API (nng_tls_config_*, nng_tls_engine_*) on the rustls
// engine. Certificates are made at test time with the openssl CLI.

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>

#include "nuts.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

static void
make_certs(void)
{
	make_certs_with("tls-test",
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout ca2.key -out ca2.crt -subj /CN=OtherCA -days 30 && "
	    "openssl pkcs8 -topk8 -in srv.key -out enc.key -passout pass:pw && "
	    "openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key "
	    "-CAcreateserial -out exp.crt -days -1 -extfile ext && "
	    "cat exp.crt srv.key > exp.pem");
}

static char *
slurp(const char *name)
{
	FILE *f = fopen(path_of(name), "rb");
	NUTS_TRUE(f != NULL);
	char  *buf = calloc(1, 16384);
	size_t n   = fread(buf, 1, 16383, f);
	NUTS_TRUE(n > 0);
	fclose(f);
	return (buf);
}

static void
cleanup(void)
{
	remove_certs();
}

static void
test_engine(void)
{
	NUTS_MATCH(nng_tls_engine_name(), "rustls");
	NUTS_TRUE(strlen(nng_tls_engine_description()) > 0);
	NUTS_TRUE(!nng_tls_engine_fips_mode());
}

static void
test_alloc_hold_free(void)
{
	nng_tls_config *c;
	NUTS_FAIL(nng_tls_config_alloc(NULL, NNG_TLS_MODE_CLIENT), NNG_EINVAL);
	// Any mode but the server's makes a client configuration (upstream).
	NUTS_PASS(nng_tls_config_alloc(&c, (nng_tls_mode) 7));
	nng_tls_config_free(c);
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_SERVER));
	nng_tls_config_hold(c);
	nng_tls_config_free(c);
	// Still alive: one reference left.
	NUTS_PASS(nng_tls_config_server_name(c, "localhost"));
	nng_tls_config_free(c);
	nng_tls_config_hold(NULL);
	nng_tls_config_free(NULL);
}

static void
test_setters(void)
{
	nng_tls_config *c;
	make_certs();
	char *ca   = slurp("ca.crt");
	char *cert = slurp("srv.crt");
	char *key  = slurp("srv.key");
	char *enc  = slurp("enc.key");
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_CLIENT));
	NUTS_FAIL(nng_tls_config_server_name(c, NULL), NNG_EINVAL);
	NUTS_PASS(nng_tls_config_server_name(c, "localhost"));
	NUTS_FAIL(nng_tls_config_ca_chain(c, "garbage", NULL), NNG_ECRYPTO);
	NUTS_FAIL(nng_tls_config_ca_chain(c, NULL, NULL), NNG_EINVAL);
	NUTS_PASS(nng_tls_config_ca_chain(c, ca, NULL));
	NUTS_PASS(nng_tls_config_ca_file(c, path_of("ca.crt")));
	NUTS_FAIL(nng_tls_config_ca_file(c, path_of("missing.crt")), NNG_ENOENT);
	NUTS_FAIL(nng_tls_config_own_cert(c, cert, "junk", NULL), NNG_ECRYPTO);
	NUTS_FAIL(nng_tls_config_own_cert(c, "junk", key, NULL), NNG_ECRYPTO);
	// Encrypted PKCS#8 keys: the right password opens them.
	NUTS_FAIL(nng_tls_config_own_cert(c, cert, enc, NULL), NNG_ECRYPTO);
	NUTS_FAIL(nng_tls_config_own_cert(c, cert, enc, "bad"), NNG_ECRYPTO);
	NUTS_PASS(nng_tls_config_own_cert(c, cert, enc, "pw"));
	NUTS_PASS(nng_tls_config_own_cert(c, cert, key, NULL));
	NUTS_PASS(nng_tls_config_cert_key_file(c, path_of("both.pem"), NULL));
	NUTS_FAIL(nng_tls_config_cert_key_file(c, path_of("ca.crt"), NULL),
	    NNG_ECRYPTO);
	NUTS_PASS(nng_tls_config_auth_mode(c, NNG_TLS_AUTH_MODE_OPTIONAL));
	NUTS_FAIL(
	    nng_tls_config_auth_mode(c, (nng_tls_auth_mode) 9), NNG_EINVAL);
	NUTS_PASS(nng_tls_config_version(c, NNG_TLS_1_2, NNG_TLS_1_3));
	NUTS_PASS(nng_tls_config_version(c, NNG_TLS_1_3, NNG_TLS_1_3));
	NUTS_FAIL(
	    nng_tls_config_version(c, NNG_TLS_1_0, NNG_TLS_1_3), NNG_ENOTSUP);
	NUTS_FAIL(
	    nng_tls_config_version(c, NNG_TLS_1_3, NNG_TLS_1_2), NNG_ENOTSUP);
	NUTS_FAIL(nng_tls_config_psk(c, "id", (const uint8_t *) "k", 1),
	    NNG_ENOTSUP);
	NUTS_FAIL(nng_tls_config_key(c, (const uint8_t *) "k", 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_tls_config_pass(c, "pw"), NNG_ENOTSUP);
	nng_tls_config_free(c);
	free(ca);
	free(cert);
	free(key);
	free(enc);
}

static void
test_null_config(void)
{
	NUTS_FAIL(nng_tls_config_server_name(NULL, "x"), NNG_EINVAL);
	NUTS_FAIL(nng_tls_config_auth_mode(NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_tls_config_version(NULL, NNG_TLS_1_2, NNG_TLS_1_3),
	    NNG_EINVAL);
	NUTS_FAIL(nng_tls_config_ca_file(NULL, "/x"), NNG_EINVAL);
}

static nng_tls_config *
server_config(void)
{
	nng_tls_config *c;
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_SERVER));
	NUTS_PASS(nng_tls_config_cert_key_file(c, path_of("both.pem"), NULL));
	return (c);
}

static nng_tls_config *
client_config(const char *ca)
{
	nng_tls_config *c;
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(c, path_of(ca)));
	NUTS_PASS(nng_tls_config_server_name(c, "localhost"));
	return (c);
}

// Listens on an ephemeral port with the server config; returns the URL.
static void
listen_tls(nng_socket s, char *url, size_t sz)
{
	nng_listener    l;
	nng_tls_config *c = server_config();
	int             port;
	NUTS_PASS(nng_listener_create(&l, s, "tls+tcp://127.0.0.1:0"));
	NUTS_PASS(nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, c));
	nng_tls_config_free(c); // the listener holds its own reference
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sz, "tls+tcp://127.0.0.1:%d", port);
}

static void
test_reqrep_over_tls(void)
{
	nng_socket      req, rep;
	nng_dialer      d;
	nng_msg        *m;
	nng_pipe        p;
	bool            verified = false;
	char            url[64];
	nng_tls_config *c;

	make_certs();
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 5000));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 5000));
	listen_tls(rep, url, sizeof(url));

	c = client_config("ca.crt");
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	{
		// Reading it back gives a reference of the caller's own.
		void *got = NULL;
		NUTS_PASS(nng_dialer_get_ptr(d, NNG_OPT_TLS_CONFIG, &got));
		NUTS_TRUE(got == c);
		nng_tls_config_free(got);
	}
	NUTS_PASS(nng_dialer_start(d, 0));
	// In use now: read-only.
	NUTS_FAIL(nng_tls_config_server_name(c, "other"), NNG_EBUSY);

	NUTS_PASS(nng_send(req, "ping", 5, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "ping");
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "ping");
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TLS_VERIFIED, &verified));
	NUTS_TRUE(verified);
	{
		char *cn = NULL;
		NUTS_PASS(nng_pipe_get_string(p, NNG_OPT_TLS_PEER_CN, &cn));
		NUTS_MATCH(cn, "localhost");
		nng_strfree(cn);
	}
	{
		// The DNS names of the peer's certificate (DNS:localhost; the
		// IP:127.0.0.1 entry is left out, as upstream's engine does), as
		// a malloc'ed NULL-terminated array the caller frees.
		void  *v = NULL;
		char  *s = NULL;
		NUTS_PASS(nng_pipe_get_ptr(p, NNG_OPT_TLS_PEER_ALT_NAMES, &v));
		char **names = v;
		NUTS_TRUE(names != NULL);
		NUTS_MATCH(names[0], "localhost");
		NUTS_NULL(names[1]);
		free(names[0]);
		free(names);
		NUTS_FAIL(nng_pipe_get_string(p, NNG_OPT_TLS_PEER_ALT_NAMES, &s),
		    NNG_EBADTYPE);
	}
	nng_msg_free(m);

	// A large message crosses many TLS records.
	size_t sz = 1 << 20;
	char  *big = malloc(sz);
	for (size_t i = 0; i < sz; i++) {
		big[i] = (char) (i * 7);
	}
	NUTS_PASS(nng_send(req, big, sz, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_len(m), sz);
	NUTS_TRUE(memcmp(nng_msg_body(m), big, sz) == 0);
	nng_msg_free(m);
	free(big);

	NUTS_PASS(nng_socket_close(req));
	NUTS_PASS(nng_socket_close(rep));
	nng_tls_config_free(c);
}

static void
test_wrong_ca_is_peer_auth(void)
{
	nng_socket      req, rep;
	nng_dialer      d;
	nng_msg        *m;
	char            url[64];
	nng_tls_config *c;

	make_certs();
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 300));
	listen_tls(rep, url, sizeof(url));

	c = client_config("ca2.crt");
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_FAIL(nng_send(req, "x", 1, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_FAIL(nng_recvmsg(rep, &m, 0), NNG_ETIMEDOUT);
	NUTS_PASS(nng_socket_close(req));
	NUTS_PASS(nng_socket_close(rep));
	nng_tls_config_free(c);
}

// Bad peers on a TLS port: raw TCP clients sending a garbage client hello
// and a plain HTTP request are dropped while the listener keeps serving;
// a server with an expired certificate, or one not naming the host the
// client asked for, fails the handshake with NNG_EPEERAUTH and nothing is
// delivered.
static void
test_bad_tls_peers(void)
{
	nng_socket      req, rep;
	nng_dialer      d;
	nng_listener    l;
	nng_msg        *m;
	char            url[64];
	nng_tls_config *c;
	int             port;

	make_certs();
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 5000));
	listen_tls(rep, url, sizeof(url));
	port = atoi(strrchr(url, ':') + 1);
	// A handshake record header (with a zero byte: lengths are explicit)
	// whose body is no client hello, and plain HTTP.
	static const char  hello[] = "\x16\x03\x01\x00\x05garbage, not a hello";
	static const char  http[]  = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
	static const char *junk[]  = { hello, http };
	static const size_t junk_len[] = { sizeof(hello) - 1, sizeof(http) - 1 };
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		int                fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in sa;
		memset(&sa, 0, sizeof(sa));
		sa.sin_family      = AF_INET;
		sa.sin_port        = htons((uint16_t) port);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		NUTS_TRUE(fd >= 0);
		NUTS_TRUE(connect(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0);
		NUTS_TRUE(write(fd, junk[i], junk_len[i]) == (ssize_t) junk_len[i]);
		// The server may answer with an alert, then closes: read to
		// the end (or a reset), with a deadline.
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char          buf[512];
		ssize_t       n = 1;
		for (int r = 0; n > 0 && r < 64; r++) {
			NUTS_TRUE(poll(&pfd, 1, 5000) == 1);
			n = read(fd, buf, sizeof(buf));
		}
		NUTS_TRUE(n <= 0);
		close(fd);
	}
	// The listener still serves a real client.
	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 5000));
	c = client_config("ca.crt");
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_PASS(nng_dialer_start(d, 0));
	NUTS_PASS(nng_send(req, "still", 6, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "still");
	nng_msg_free(m);
	NUTS_PASS(nng_socket_close(req));
	nng_tls_config_free(c);

	// A client asking for another host name than the certificate's.
	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(c, path_of("ca.crt")));
	NUTS_PASS(nng_tls_config_server_name(c, "example.com"));
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_PASS(nng_socket_close(req));
	nng_tls_config_free(c);
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 200));
	NUTS_FAIL(nng_recvmsg(rep, &m, 0), NNG_ETIMEDOUT);
	NUTS_PASS(nng_socket_close(rep));

	// A server whose certificate expired yesterday.
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 200));
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_SERVER));
	NUTS_PASS(nng_tls_config_cert_key_file(c, path_of("exp.pem"), NULL));
	NUTS_PASS(nng_listener_create(&l, rep, "tls+tcp://127.0.0.1:0"));
	NUTS_PASS(nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, c));
	nng_tls_config_free(c);
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);
	NUTS_PASS(nng_req0_open(&req));
	c = client_config("ca.crt");
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_FAIL(nng_recvmsg(rep, &m, 0), NNG_ETIMEDOUT);
	NUTS_PASS(nng_socket_close(req));
	NUTS_PASS(nng_socket_close(rep));
	nng_tls_config_free(c);
}

static void
test_default_config_and_options(void)
{
	nng_socket s0, s1;
	nng_dialer d;
	nng_msg   *m;
	char       url[64];

	make_certs();
	NUTS_PASS(nng_pair0_open(&s0));
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_socket_set_ms(s0, NNG_OPT_RECVTIMEO, 5000));
	listen_tls(s0, url, sizeof(url));
	NUTS_PASS(nng_dialer_create(&d, s1, url));
	// Without a CA the server cannot be verified.
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_PASS(nng_dialer_close(d));
	// The endpoint's own config: CA by file; the URL host (an IP SAN)
	// is the server name.
	NUTS_PASS(nng_dialer_create(&d, s1, url));
	NUTS_PASS(nng_dialer_set_string(d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
	NUTS_PASS(nng_dialer_set_int(
	    d, NNG_OPT_TLS_AUTH_MODE, NNG_TLS_AUTH_MODE_REQUIRED));
	NUTS_FAIL(nng_dialer_set_int(d, NNG_OPT_TLS_AUTH_MODE, 9), NNG_EINVAL);
	NUTS_PASS(nng_dialer_start(d, 0));
	NUTS_PASS(nng_send(s1, "hello", 6, 0));
	NUTS_PASS(nng_recvmsg(s0, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "hello");
	nng_msg_free(m);
	NUTS_PASS(nng_socket_close(s0));
	NUTS_PASS(nng_socket_close(s1));
}

// Interop with Debian's nngcat (libnng 1.5.2 with mbedTLS) over tls+tcp, in
// both directions. The child's environment drops LD_LIBRARY_PATH and
// LD_PRELOAD so it loads the system libnng, never ours. mbedTLS matches the
// URL host against the CN / DNS SANs only, so nngcat dials "localhost".

static bool
have_nngcat(void)
{
	return (access("/usr/bin/nngcat", X_OK) == 0 &&
	    system("/usr/bin/nngcat --help 2>&1 | grep -q -- --cacert") == 0);
}

static void
test_nngcat_dials_us(void)
{
	nng_socket rep;
	nng_msg   *m;
	char       url[64];
	char       cmd[512];
	char       line[64] = { 0 };
	FILE      *fp;

	if (!have_nngcat()) {
		return;
	}
	make_certs();
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 10000));
	listen_tls(rep, url, sizeof(url));
	snprintf(cmd, sizeof(cmd),
	    "env -u LD_LIBRARY_PATH -u LD_PRELOAD /usr/bin/nngcat --req "
	    "--dial tls+tcp://localhost:%s --cacert %s/ca.crt --data ping "
	    "--raw --recv-timeout 10 2>&1",
	    strrchr(url, ':') + 1, certs_dir);
	fp = popen(cmd, "r");
	NUTS_TRUE(fp != NULL);
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_len(m), 4u);
	NUTS_TRUE(memcmp(nng_msg_body(m), "ping", 4) == 0);
	nng_msg_clear(m);
	NUTS_PASS(nng_msg_append(m, "pong", 4));
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_TRUE(fread(line, 1, 4, fp) == 4);
	NUTS_MATCH(line, "pong");
	pclose(fp);
	NUTS_PASS(nng_socket_close(rep));
}

static void
test_we_dial_nngcat(void)
{
	nng_socket      req;
	nng_dialer      d;
	nng_msg        *m;
	char            url[64];
	char            cmd[512];
	FILE           *fp;
	nng_tls_config *c;
	int             port;

	if (!have_nngcat()) {
		return;
	}
	make_certs();
	port = free_port();
	snprintf(cmd, sizeof(cmd),
	    "env -u LD_LIBRARY_PATH -u LD_PRELOAD /usr/bin/nngcat --rep "
	    "--listen tls+tcp://127.0.0.1:%d --cert %s/srv.crt --key "
	    "%s/srv.key --data pong --count 1 --recv-timeout 10 >/dev/null "
	    "2>&1",
	    port, certs_dir, certs_dir);
	fp = popen(cmd, "r");
	NUTS_TRUE(fp != NULL);
	NUTS_PASS(nng_req0_open(&req));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 10000));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECONNMINT, 20));
	NUTS_PASS(nng_socket_set_ms(req, NNG_OPT_RECONNMAXT, 50));
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);
	c = client_config("ca.crt");
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_PASS(nng_dialer_start(d, NNG_FLAG_NONBLOCK));
	NUTS_PASS(nng_send(req, "ping", 4, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_EQ(nng_msg_len(m), 4u);
	NUTS_TRUE(memcmp(nng_msg_body(m), "pong", 4) == 0);
	nng_msg_free(m);
	NUTS_PASS(nng_socket_close(req));
	nng_tls_config_free(c);
	pclose(fp);
}

static void
test_cleanup(void)
{
	if (certs_dir[0] != 0) {
		cleanup();
	}
}

NUTS_TESTS = {
	{ "tls engine", test_engine },
	{ "tls config alloc hold free", test_alloc_hold_free },
	{ "tls config setters", test_setters },
	{ "tls config null", test_null_config },
	{ "tls reqrep over tls+tcp", test_reqrep_over_tls },
	{ "tls wrong CA is EPEERAUTH", test_wrong_ca_is_peer_auth },
	{ "tls bad peers", test_bad_tls_peers },
	{ "tls endpoint default config", test_default_config_and_options },
	{ "tls nngcat dials us", test_nngcat_dials_us },
	{ "tls we dial nngcat", test_we_dial_nngcat },
	{ "tls cleanup", test_cleanup },
	{ NULL, NULL },
};
