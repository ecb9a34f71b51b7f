# Sourced by perf/net.sh and perf/suite.sh: certificates for tls+tcp and
# wss, made at run time with the openssl CLI (EC P-256, as
# ctests/tls_test.c makes them), handed to the benchmark programs through
# the environment (perf/endpoints.h): the listener's certificate and key,
# the dialer's CA (server name localhost).
#
# perf_make_certs <dir>: makes them in <dir> and exports
# NNG_PERF_TLS_CERT_KEY and NNG_PERF_TLS_CA; exits if openssl fails.
perf_make_certs() {
	(
		cd "$1"
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout ca.key -out ca.crt -subj /CN=PerfCA -days 2
		printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >ext
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout srv.key -out srv.csr -subj /CN=localhost
		openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key \
			-CAcreateserial -out srv.crt -days 2 -extfile ext
		cat srv.crt srv.key >both.pem
	) >/dev/null 2>&1 || {
		echo "openssl could not make the test certificates" >&2
		exit 1
	}
	export NNG_PERF_TLS_CERT_KEY="$1/both.pem" NNG_PERF_TLS_CA="$1/ca.crt"
}
