// Built against another nng's headers (Debian's 1.5.2) and linked to our
// libnng.so: checks that the program really runs our library (its RUNPATH
// beats the system's libnng.so.1), so the ABI variant tests what it claims.
//
// Usage: dropin_check <our version, e.g. 1.12.0>

#include <stdio.h>
#include <string.h>

#include <nng/nng.h>

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <expected nng_version()>\n", argv[0]);
		return 2;
	}
	const char *v = nng_version();
	printf("compiled against nng %d.%d.%d headers, running nng %s\n",
	    NNG_MAJOR_VERSION, NNG_MINOR_VERSION, NNG_PATCH_VERSION, v);
	if (v == NULL || strcmp(v, argv[1]) != 0) {
		fprintf(stderr, "FAIL: expected our library %s\n", argv[1]);
		return 1;
	}
	if (strcmp(nng_strerror(NNG_ECLOSED), "Object closed") != 0) {
		fprintf(stderr, "FAIL: nng_strerror(NNG_ECLOSED)\n");
		return 1;
	}
	printf("1 passed, 0 failed\n");
	return 0;
}
