// Shared by perf/perf.c and perf/suite_bench.c: listening and dialing any
// URL, with a TLS configuration for tls+tcp:// and wss:// URLs.
//
// The certificate material comes from the environment (perf/certs.sh makes
// it):
//   NNG_PERF_TLS_CERT_KEY  PEM file holding the listener's certificate and
//                          key;
//   NNG_PERF_TLS_CA        PEM file of the CA the dialer trusts (the server
//                          name is "localhost").
// Without them a TLS URL is used with the library's defaults.
#ifndef PERF_ENDPOINTS_H
#define PERF_ENDPOINTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/supplemental/tls/tls.h>

static void
endpoints_check(int rv, const char *what)
{
	if (rv != 0) {
		fprintf(stderr, "%s: %s\n", what, nng_strerror(rv));
		exit(1);
	}
}

// A TLS configuration from the environment for a TLS URL, else NULL.
static nng_tls_config *
endpoints_tls(const char *url, nng_tls_mode mode)
{
	const char     *file;
	nng_tls_config *cfg;
	if (strncmp(url, "tls+", 4) != 0 && strncmp(url, "wss", 3) != 0) {
		return (NULL);
	}
	file = getenv(mode == NNG_TLS_MODE_SERVER ? "NNG_PERF_TLS_CERT_KEY"
	                                           : "NNG_PERF_TLS_CA");
	if (file == NULL || *file == '\0') {
		return (NULL);
	}
	endpoints_check(nng_tls_config_alloc(&cfg, mode), "nng_tls_config_alloc");
	if (mode == NNG_TLS_MODE_SERVER) {
		endpoints_check(nng_tls_config_cert_key_file(cfg, file, NULL),
		    "nng_tls_config_cert_key_file");
	} else {
		endpoints_check(
		    nng_tls_config_ca_file(cfg, file), "nng_tls_config_ca_file");
		endpoints_check(nng_tls_config_server_name(cfg, "localhost"),
		    "nng_tls_config_server_name");
	}
	return (cfg);
}

// Listens on url (exits on failure).
static void
endpoints_listen(nng_socket s, const char *url)
{
	nng_listener    l;
	nng_tls_config *cfg = endpoints_tls(url, NNG_TLS_MODE_SERVER);
	endpoints_check(nng_listener_create(&l, s, url), "nng_listener_create");
	if (cfg != NULL) {
		endpoints_check(nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, cfg),
		    "tls config");
		nng_tls_config_free(cfg);
	}
	endpoints_check(nng_listener_start(l, 0), "nng_listener_start");
}

// Dials url once, synchronously; returns nng_dialer_start's result (a
// dialer that failed to start is closed: it cannot start again).
static int
endpoints_dial(nng_socket s, const char *url)
{
	nng_dialer      d;
	int             rv;
	nng_tls_config *cfg = endpoints_tls(url, NNG_TLS_MODE_CLIENT);
	endpoints_check(nng_dialer_create(&d, s, url), "nng_dialer_create");
	if (cfg != NULL) {
		endpoints_check(
		    nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, cfg), "tls config");
		nng_tls_config_free(cfg);
	}
	if ((rv = nng_dialer_start(d, 0)) != 0) {
		nng_dialer_close(d);
	}
	return (rv);
}

#endif // PERF_ENDPOINTS_H
