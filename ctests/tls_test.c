// TLS configuration API (nng_tls_config_*, nng_tls_engine_*) on the rustls
// engine. Certificates are made at test time with the openssl CLI.

#include <nng/nng.h>
#include <nng/supplemental/tls/tls.h>

#include "nuts.h"

#include <unistd.h>

static char dir[64];

static char *
path_of(const char *name)
{
	static char buf[128];
	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return (buf);
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
make_certs(void)
{
	if (dir[0] != 0) {
		return;
	}
	snprintf(dir, sizeof(dir), "/tmp/nng-tls-test-XXXXXX");
	NUTS_TRUE(mkdtemp(dir) != NULL);
	char cmd[1024];
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
	    "openssl pkcs8 -topk8 -in srv.key -out enc.key -passout pass:pw "
	    ") >/dev/null 2>&1",
	    dir);
	NUTS_TRUE(system(cmd) == 0);
}

static void
cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	NUTS_TRUE(system(cmd) == 0);
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
	NUTS_FAIL(nng_tls_config_alloc(&c, (nng_tls_mode) 7), NNG_EINVAL);
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
	NUTS_FAIL(nng_tls_config_own_cert(c, cert, enc, "pw"), NNG_ENOTSUP);
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
	cleanup();
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

NUTS_TESTS = {
	{ "tls engine", test_engine },
	{ "tls config alloc hold free", test_alloc_hold_free },
	{ "tls config setters", test_setters },
	{ "tls config null", test_null_config },
	{ NULL, NULL },
};
