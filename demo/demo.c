// A short tour of the public C API, built against the installed library by
// demo/run.sh: messages, an aio, and a req/rep exchange over TCP on
// loopback (the listener takes a port from the OS).

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

static void
fatal(const char *what, int rv)
{
	fprintf(stderr, "demo: %s: %s\n", what, nng_strerror(rv));
	exit(1);
}

static void
demo_messages(void)
{
	nng_msg *m;
	int      rv;

	if ((rv = nng_msg_alloc(&m, 0)) != 0) {
		fatal("nng_msg_alloc", rv);
	}
	if ((rv = nng_msg_append(m, "world", 5)) != 0 ||
	    (rv = nng_msg_insert(m, "hello ", 6)) != 0 ||
	    (rv = nng_msg_header_append_u32(m, 0x80000001u)) != 0) {
		fatal("building a message", rv);
	}
	printf("message: body \"%.*s\" (%zu bytes), header %zu bytes\n",
	    (int) nng_msg_len(m), (char *) nng_msg_body(m), nng_msg_len(m),
	    nng_msg_header_len(m));

	nng_msg *copy;
	if ((rv = nng_msg_dup(&copy, m)) != 0) {
		fatal("nng_msg_dup", rv);
	}
	uint32_t id;
	if ((rv = nng_msg_header_trim_u32(copy, &id)) != 0) {
		fatal("nng_msg_header_trim_u32", rv);
	}
	printf("copy: header id 0x%08x trimmed, %zu header bytes left\n",
	    (unsigned) id, nng_msg_header_len(copy));
	nng_msg_free(copy);
	nng_msg_free(m);
}

static void
demo_aio(void)
{
	nng_aio *aio;
	int      rv;

	if ((rv = nng_aio_alloc(&aio, NULL, NULL)) != 0) {
		fatal("nng_aio_alloc", rv);
	}
	nng_time start = nng_clock();
	nng_sleep_aio(50, aio);
	nng_aio_wait(aio);
	nng_time end = nng_clock();
	printf("aio: slept %d ms asynchronously, result \"%s\"\n",
	    (int) (end - start), nng_strerror(nng_aio_result(aio)));
	nng_aio_free(aio);
}

static void
demo_reqrep(void)
{
	nng_socket   rep, req;
	nng_listener l;
	int          port, rv;
	char         url[64];

	if ((rv = nng_rep0_open(&rep)) != 0 || (rv = nng_req0_open(&req)) != 0) {
		fatal("opening sockets", rv);
	}
	if ((rv = nng_listen(rep, "tcp://127.0.0.1:0", &l, 0)) != 0 ||
	    (rv = nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port)) != 0) {
		fatal("nng_listen", rv);
	}
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	if ((rv = nng_dial(req, url, NULL, 0)) != 0) {
		fatal("nng_dial", rv);
	}
	nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 2000);
	nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 2000);

	char   buf[64];
	size_t sz = sizeof(buf);
	if ((rv = nng_send(req, "ping", 5, 0)) != 0 ||
	    (rv = nng_recv(rep, buf, &sz, 0)) != 0) {
		fatal("request", rv);
	}
	printf("req/rep over %s: rep got \"%s\"", url, buf);
	sz = sizeof(buf);
	if ((rv = nng_send(rep, "pong", 5, 0)) != 0 ||
	    (rv = nng_recv(req, buf, &sz, 0)) != 0) {
		fatal("reply", rv);
	}
	printf(", req got \"%s\"\n", buf);
	nng_close(req);
	nng_close(rep);
}

int
main(void)
{
	printf("nng %s (compiled against %d.%d.%d headers)\n", nng_version(),
	    NNG_MAJOR_VERSION, NNG_MINOR_VERSION, NNG_PATCH_VERSION);
	printf("errors: %d = \"%s\", %d = \"%s\"\n", NNG_ETIMEDOUT,
	    nng_strerror(NNG_ETIMEDOUT), NNG_ENOTSUP, nng_strerror(NNG_ENOTSUP));
	demo_messages();
	demo_aio();
	demo_reqrep();
	nng_fini();
	return 0;
}
