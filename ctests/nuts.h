// NUTS-style helpers for the C tests: each test file is one program that
// runs a table of named tests and prints one summary line.
//
//   static void test_msg_append(void) { ... NUTS_PASS(nng_msg_alloc(&m, 0)); ... }
//   NUTS_TESTS = { { "msg append", test_msg_append }, { NULL, NULL } };
//
// Failures print the file, line, expression and nng_strerror() of both the
// expected and the actual code, then exit non-zero.
#ifndef NNG_CTESTS_NUTS_H
#define NNG_CTESTS_NUTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>

typedef struct {
	const char *name;
	void (*fn)(void);
} nuts_test;

extern const nuts_test nuts_tests[];
#define NUTS_TESTS const nuts_test nuts_tests[]

static const char *nuts_current = "";

#define NUTS_ABORT_(...)                                                    \
	do {                                                                \
		fprintf(stderr, "FAIL %s: %s:%d: ", nuts_current, __FILE__, \
		    __LINE__);                                              \
		fprintf(stderr, __VA_ARGS__);                               \
		fprintf(stderr, "\n");                                      \
		exit(1);                                                    \
	} while (0)

// Expression must return 0.
#define NUTS_PASS(expr)                                                     \
	do {                                                                \
		int nuts_rv_ = (expr);                                      \
		if (nuts_rv_ != 0) {                                        \
			NUTS_ABORT_("%s: expected success, got %d (%s)",    \
			    #expr, nuts_rv_, nng_strerror(nuts_rv_));       \
		}                                                           \
	} while (0)

// Expression must return the given nng error.
#define NUTS_FAIL(expr, err)                                                \
	do {                                                                \
		int nuts_rv_ = (expr);                                      \
		int nuts_ex_ = (err);                                       \
		if (nuts_rv_ != nuts_ex_) {                                 \
			NUTS_ABORT_("%s: expected %d (%s), got %d (%s)",    \
			    #expr, nuts_ex_, nng_strerror(nuts_ex_),        \
			    nuts_rv_, nng_strerror(nuts_rv_));              \
		}                                                           \
	} while (0)

#define NUTS_TRUE(cond)                                                     \
	do {                                                                \
		if (!(cond)) {                                              \
			NUTS_ABORT_("%s: not true", #cond);                 \
		}                                                           \
	} while (0)

#define NUTS_ASSERT NUTS_TRUE

#define NUTS_NULL(p) NUTS_TRUE((p) == NULL)

#define NUTS_EQ(a, b)                                                       \
	do {                                                                \
		long long nuts_a_ = (long long) (a);                        \
		long long nuts_b_ = (long long) (b);                        \
		if (nuts_a_ != nuts_b_) {                                   \
			NUTS_ABORT_("%s == %s: %lld != %lld", #a, #b,       \
			    nuts_a_, nuts_b_);                              \
		}                                                           \
	} while (0)

#define NUTS_MATCH(a, b)                                                    \
	do {                                                                \
		const char *nuts_a_ = (a);                                  \
		const char *nuts_b_ = (b);                                  \
		if (nuts_a_ == NULL || nuts_b_ == NULL ||                   \
		    strcmp(nuts_a_, nuts_b_) != 0) {                        \
			NUTS_ABORT_("%s matches %s: \"%s\" vs \"%s\"", #a,  \
			    #b, nuts_a_ ? nuts_a_ : "(null)",               \
			    nuts_b_ ? nuts_b_ : "(null)");                  \
		}                                                           \
	} while (0)

int
main(int argc, char **argv)
{
	int n = 0;
	for (const nuts_test *t = nuts_tests; t->name != NULL; t++) {
		if (argc > 1 && strcmp(argv[1], t->name) != 0) {
			continue;
		}
		nuts_current = t->name;
		t->fn();
		printf("ok - %s\n", t->name);
		n++;
	}
	nng_fini();
	printf("%d passed, 0 failed\n", n);
	return 0;
}

#endif // NNG_CTESTS_NUTS_H
