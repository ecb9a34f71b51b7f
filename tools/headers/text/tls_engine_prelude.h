
// Locking theory for TLS engines: the framework calls an engine only from
// its own threads, and the engine calls nng_tls_engine_send/recv back only
// from within those calls, so the lower-level send and receive functions
// inherit the connection's lock from the stack.

// The version of the engine interface an engine implements. Registration
// accepts only NNG_TLS_ENGINE_VERSION.
typedef enum nng_tls_engine_version_e {
	NNG_TLS_ENGINE_V0      = 0,
	NNG_TLS_ENGINE_V1      = 1, // adds FIPS, TLS 1.3 support
	NNG_TLS_ENGINE_V2      = 2, // adds PSK support
	NNG_TLS_ENGINE_VERSION = NNG_TLS_ENGINE_V2,
} nng_tls_engine_version;
