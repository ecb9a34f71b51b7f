// A downstream program: the same source is built by each consumer project
// (find_package, pkg-config, add_subdirectory/FetchContent) to prove that
// the installed or embedded nng is usable as upstream's is.

#include <stdio.h>
#include <string.h>

#include <nng/nng.h>

int
main(void)
{
	char want[32];
	snprintf(want, sizeof(want), "%d.%d.%d%s", NNG_MAJOR_VERSION,
	    NNG_MINOR_VERSION, NNG_PATCH_VERSION, NNG_RELEASE_SUFFIX);
	const char *v = nng_version();
	printf("header %s, library %s\n", want, v);
	if (strcmp(v, want) != 0) {
		fprintf(stderr, "FAIL: library and header versions differ\n");
		return 1;
	}

	nng_msg *m;
	int      rv;
	if ((rv = nng_msg_alloc(&m, 0)) != 0) {
		fprintf(stderr, "FAIL: nng_msg_alloc: %s\n", nng_strerror(rv));
		return 1;
	}
	if ((rv = nng_msg_append(m, "hello", 5)) != 0) {
		fprintf(stderr, "FAIL: nng_msg_append: %s\n", nng_strerror(rv));
		return 1;
	}
	if (nng_msg_len(m) != 5 || memcmp(nng_msg_body(m), "hello", 5) != 0) {
		fprintf(stderr, "FAIL: message body\n");
		return 1;
	}
	nng_msg_free(m);
	printf("message round trip ok\n");
	printf("consumer ok\n");
	return 0;
}
