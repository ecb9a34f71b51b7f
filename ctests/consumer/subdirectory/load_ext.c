// Loads the extension module like a Python interpreter would (dlopen,
// RTLD_LOCAL) and calls into the nng copy linked inside it.
#include <dlfcn.h>
#include <stdio.h>

int
main(void)
{
	void *h = dlopen(EXT_PATH, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "FAIL: dlopen: %s\n", dlerror());
		return 1;
	}
	int (*check)(void) = (int (*)(void)) dlsym(h, "ext_check");
	if (check == NULL) {
		fprintf(stderr, "FAIL: dlsym: %s\n", dlerror());
		return 1;
	}
	int rv = check();
	if (rv != 0) {
		fprintf(stderr, "FAIL: ext_check returned %d\n", rv);
		return 1;
	}
	printf("extension module ok\n");
	dlclose(h);
	return 0;
}
