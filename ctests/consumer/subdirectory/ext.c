// A stand-in for pynng's extension module: a shared object with libnng.a
// linked in whole, called through dlopen by load_ext.c.
#include <stdio.h>
#include <string.h>

#include <nng/nng.h>

int
ext_check(void)
{
	char want[32];
	snprintf(want, sizeof(want), "%d.%d.%d%s", NNG_MAJOR_VERSION,
	    NNG_MINOR_VERSION, NNG_PATCH_VERSION, NNG_RELEASE_SUFFIX);
	if (strcmp(nng_version(), want) != 0) {
		return 1;
	}
	if (strcmp(nng_strerror(NNG_ETIMEDOUT), "Timed out") != 0) {
		return 2;
	}
	return 0;
}
