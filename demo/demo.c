// A short tour of the public C API, built against the installed library by
// demo/run.sh. It grows with the library: once sockets exist it will add a
// req/rep exchange.
//
// DEMO_HAVE_MSG / DEMO_HAVE_AIO are set by demo/CMakeLists.txt when the
// installed library provides those functions.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>

static void
fatal(const char *what, int rv)
{
	fprintf(stderr, "demo: %s: %s\n", what, nng_strerror(rv));
	exit(1);
}

#ifdef DEMO_HAVE_MSG
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
#endif

#ifdef DEMO_HAVE_AIO
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
#endif

int
main(void)
{
	printf("nng %s (compiled against %d.%d.%d headers)\n", nng_version(),
	    NNG_MAJOR_VERSION, NNG_MINOR_VERSION, NNG_PATCH_VERSION);
	printf("errors: %d = \"%s\", %d = \"%s\"\n", NNG_ETIMEDOUT,
	    nng_strerror(NNG_ETIMEDOUT), NNG_ENOTSUP, nng_strerror(NNG_ENOTSUP));
#ifdef DEMO_HAVE_MSG
	demo_messages();
#else
	printf("messages: not in this library yet\n");
#endif
#ifdef DEMO_HAVE_AIO
	demo_aio();
#else
	printf("aio: not in this library yet\n");
#endif
	nng_fini();
	return 0;
}
