
// The HTTP API needs only the name of the TLS configuration type
// (<nng/supplemental/tls/tls.h> declares it in full).
struct nng_tls_config;
