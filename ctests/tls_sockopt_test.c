// TLS options set on a socket (upstream's deprecated but supported way,
// used by pynng's `Socket.tls_config`): the socket keeps them, holds a
// reference on the configuration, and hands them to every endpoint, also
// those made later. Certificates are made at test time with openssl.

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/supplemental/tls/tls.h>

#include "nuts.h"
#include "testutil.h"

#include <unistd.h>

static void
make_certs(void)
{
	make_certs_with("tls-sockopt", "");
}

static void
test_socket_tls_config(void)
{
	nng_socket      srv, cli;
	nng_listener    l;
	nng_tls_config *sc, *cc;
	void           *got = NULL;
	int             port;
	char            url[64];
	char           *buf = NULL;
	size_t          sz;

	make_certs();
	NUTS_PASS(nng_pair0_open(&srv));
	NUTS_PASS(nng_pair0_open(&cli));
	NUTS_PASS(nng_socket_set_ms(srv, NNG_OPT_RECVTIMEO, 5000));
	NUTS_PASS(nng_socket_set_ms(cli, NNG_OPT_RECVTIMEO, 5000));

	NUTS_PASS(nng_tls_config_alloc(&sc, NNG_TLS_MODE_SERVER));
	NUTS_PASS(nng_tls_config_cert_key_file(sc, path_of("both.pem"), NULL));
	NUTS_PASS(nng_tls_config_alloc(&cc, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(cc, path_of("ca.crt")));
	NUTS_PASS(nng_tls_config_server_name(cc, "localhost"));

	// An existing non-TLS endpoint does not refuse it (not its option).
	NUTS_PASS(nng_listen(srv, "tcp://127.0.0.1:0", NULL, 0));
	NUTS_PASS(nng_socket_set_ptr(srv, NNG_OPT_TLS_CONFIG, sc));
	NUTS_PASS(nng_socket_set_ptr(cli, NNG_OPT_TLS_CONFIG, cc));
	NUTS_PASS(nng_socket_get_ptr(cli, NNG_OPT_TLS_CONFIG, &got));
	NUTS_TRUE(got == cc);
	// The sockets hold references of their own.
	nng_tls_config_free(sc);
	nng_tls_config_free(cc);

	// Endpoints made after the option was set get it.
	NUTS_PASS(nng_listen(srv, "tls+tcp://127.0.0.1:0", &l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);
	NUTS_PASS(nng_dial(cli, url, NULL, 0));

	NUTS_PASS(nng_send(cli, "hello", 6, 0));
	NUTS_PASS(nng_recv(srv, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, 6);
	NUTS_MATCH(buf, "hello");
	nng_free(buf, sz);
	NUTS_PASS(nng_send(srv, "world", 6, 0));
	NUTS_PASS(nng_recv(cli, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_MATCH(buf, "world");
	nng_free(buf, sz);

	NUTS_PASS(nng_socket_close(cli));
	NUTS_PASS(nng_socket_close(srv));
}

static void
test_socket_tls_options_checked(void)
{
	nng_socket s;
	int        mode = -1;
	char      *name = NULL;

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_FAIL(nng_socket_set_ptr(s, NNG_OPT_TLS_CONFIG, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_TLS_CONFIG, 1), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_TLS_AUTH_MODE, 3), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_TLS_AUTH_MODE, -1), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(
	    s, NNG_OPT_TLS_AUTH_MODE, NNG_TLS_AUTH_MODE_REQUIRED));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_TLS_AUTH_MODE, &mode));
	NUTS_EQ(mode, NNG_TLS_AUTH_MODE_REQUIRED);
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_TLS_SERVER_NAME, true),
	    NNG_EBADTYPE);
	NUTS_PASS(nng_socket_set_string(s, NNG_OPT_TLS_SERVER_NAME, "example"));
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_TLS_SERVER_NAME, &name));
	NUTS_MATCH(name, "example");
	nng_strfree(name);
	// Not set yet: nothing to read.
	void *p = NULL;
	NUTS_FAIL(nng_socket_get_ptr(s, NNG_OPT_TLS_CONFIG, &p), NNG_ENOTSUP);
	NUTS_PASS(nng_socket_close(s));
}

static void
test_cleanup(void)
{
	remove_certs();
}

NUTS_TESTS = {
	{ "socket tls-config reaches later endpoints",
	    test_socket_tls_config },
	{ "socket tls options checked", test_socket_tls_options_checked },
	{ "tls sockopt cleanup", test_cleanup },
	{ NULL, NULL },
};
