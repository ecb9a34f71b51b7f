// nng_opts_parse of <nng/supplemental/util/options.h> (reference API.md
// §20, ABI.md §3.8).
#include "nuts.h"

#include <nng/supplemental/util/options.h>

static nng_optspec case1[] = {
	// clang-format off
	{ "flag", 'f', 1, false },
	{ "longflag", 0, 2, false },
	{ "value", 'v', 3, true },
	{ NULL, 'b', 4, false },
	{ NULL, 0, 0, false },
	// clang-format on
};

// Parses one option from av (ac elements) at *idx.
static int
parse(int ac, char **av, int *v, char **a, int *idx)
{
	return (nng_opts_parse(ac, av, case1, v, a, idx));
}

static void
test_simple(void)
{
	char *av[] = { "program", "-f", "-v", "123", "456", NULL };
	int   opti = 1;
	int   v;
	char *a = NULL;

	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(v, 1);
	NUTS_NULL(a);
	NUTS_EQ(opti, 2);
	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(opti, 4);
	NUTS_EQ(v, 3);
	NUTS_MATCH(a, "123");
	NUTS_TRUE(a == av[3]);
	NUTS_EQ(parse(5, av, &v, &a, &opti), -1);
	NUTS_EQ(opti, 4);
	NUTS_MATCH(av[opti], "456");
}

static void
test_long(void)
{
	char *av[] = { "program", "--flag", "--value", "123", "456", NULL };
	int   opti = 1;
	int   v;
	char *a = NULL;

	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(v, 1);
	NUTS_NULL(a);
	NUTS_EQ(opti, 2);
	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(opti, 4);
	NUTS_EQ(v, 3);
	NUTS_MATCH(a, "123");
	NUTS_EQ(parse(5, av, &v, &a, &opti), -1);
	NUTS_EQ(opti, 4);
}

static void
test_attached(void)
{
	char *av1[] = { "program", "-v123", "456", NULL };
	char *av2[] = { "program", "--value=123", "456", NULL };
	char *av3[] = { "program", "--value:123", "456", NULL };
	char *av4[] = { "program", "--val=", NULL };
	char **avs[] = { av1, av2, av3 };
	int    v;
	char  *a;

	for (int i = 0; i < 3; i++) {
		int opti = 1;
		a        = NULL;
		NUTS_PASS(parse(3, avs[i], &v, &a, &opti));
		NUTS_EQ(opti, 2);
		NUTS_EQ(v, 3);
		NUTS_MATCH(a, "123");
		// The argument points into argv itself.
		NUTS_TRUE(a > avs[i][1] && a < avs[i][1] + strlen(avs[i][1]));
		NUTS_EQ(parse(3, avs[i], &v, &a, &opti), -1);
		NUTS_EQ(opti, 2);
		NUTS_MATCH(avs[i][opti], "456");
	}
	int opti = 1;
	NUTS_PASS(parse(2, av4, &v, &a, &opti));
	NUTS_MATCH(a, "");
}

static void
test_prefix(void)
{
	char *av[] = { "program", "--fl", "--longf", "--va", "x", NULL };
	int   opti = 1;
	int   v;
	char *a;

	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(v, 1);
	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(v, 2);
	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(v, 3);
	NUTS_MATCH(a, "x");
	NUTS_EQ(opti, 5);
	NUTS_EQ(parse(5, av, &v, &a, &opti), -1);
}

static void
test_ambiguous(void)
{
	static nng_optspec specs[] = {
		{ "verbose", 'v', 1, false },
		{ "version", 'V', 2, false },
		{ "ver", 0, 3, false },
		{ NULL, 0, 0, false },
	};
	char *av1[] = { "program", "--verb", NULL };
	char *av2[] = { "program", "--vers", NULL };
	char *av3[] = { "program", "--ve", NULL };
	char *av4[] = { "program", "--ver", NULL };
	char *av5[] = { "program", "--", "x", NULL };
	int   v;
	char *a;
	int   opti = 1;

	NUTS_PASS(nng_opts_parse(2, av1, specs, &v, &a, &opti));
	NUTS_EQ(v, 1);
	opti = 1;
	NUTS_PASS(nng_opts_parse(2, av2, specs, &v, &a, &opti));
	NUTS_EQ(v, 2);
	opti = 1;
	NUTS_FAIL(nng_opts_parse(2, av3, specs, &v, &a, &opti), NNG_EAMBIGUOUS);
	NUTS_EQ(opti, 1);
	// An exact name wins over longer names it is a prefix of.
	NUTS_PASS(nng_opts_parse(2, av4, specs, &v, &a, &opti));
	NUTS_EQ(v, 3);
	// "--" is not special: it is the empty prefix of every name.
	opti = 1;
	NUTS_FAIL(nng_opts_parse(3, av5, specs, &v, &a, &opti), NNG_EAMBIGUOUS);
	NUTS_FAIL(parse(3, av5, &v, &a, &opti), NNG_EAMBIGUOUS);
}

static void
test_bad_options(void)
{
	char *av1[] = { "program", "-Z", "456", NULL };
	char *av2[] = { "program", "--something", "456", NULL };
	char *av3[] = { "program", "-fb", NULL };
	char *av4[] = { "program", "--flag=x", NULL };
	char *av5[] = { "program", "-v", NULL };
	char *av6[] = { "program", "--value", NULL };
	char *av7[] = { "program", "--longflag:x", NULL };
	int   v     = 0;
	char *a     = NULL;
	int   opti;

	opti = 1;
	NUTS_FAIL(parse(3, av1, &v, &a, &opti), NNG_EINVAL);
	NUTS_EQ(opti, 1);
	NUTS_FAIL(parse(3, av2, &v, &a, &opti), NNG_EINVAL);
	NUTS_EQ(opti, 1);
	// No clustering of short options.
	NUTS_FAIL(parse(2, av3, &v, &a, &opti), NNG_EINVAL);
	NUTS_FAIL(parse(2, av4, &v, &a, &opti), NNG_EINVAL);
	NUTS_FAIL(parse(2, av7, &v, &a, &opti), NNG_EINVAL);
	NUTS_FAIL(parse(2, av5, &v, &a, &opti), NNG_ENOARG);
	NUTS_FAIL(parse(2, av6, &v, &a, &opti), NNG_ENOARG);
	NUTS_EQ(opti, 1);
	NUTS_EQ(v, 0);
	NUTS_NULL(a);
}

static void
test_separator(void)
{
	char *av[] = { "program", "-f", "-", "-v", "456", NULL };
	int   opti = 1;
	int   v;
	char *a = NULL;

	NUTS_PASS(parse(5, av, &v, &a, &opti));
	NUTS_EQ(v, 1);
	NUTS_EQ(opti, 2);
	NUTS_EQ(parse(5, av, &v, &a, &opti), -1);
	NUTS_EQ(opti, 3);
}

static void
test_no_options(void)
{
	char *av1[] = { "program", NULL };
	char *av2[] = { "program", "123", NULL };
	int   opti  = 1;
	int   v;
	char *a = NULL;

	NUTS_EQ(parse(1, av1, &v, &a, &opti), -1);
	NUTS_EQ(opti, 1);
	NUTS_EQ(parse(2, av2, &v, &a, &opti), -1);
	NUTS_EQ(opti, 1);
	// Index zero parses strings without a program name.
	char *av3[] = { "-f", NULL };
	opti        = 0;
	NUTS_PASS(parse(1, av3, &v, &a, &opti));
	NUTS_EQ(v, 1);
	NUTS_EQ(opti, 1);
}

static void
test_mixed(void)
{
	char *av[] = { "program", "--value=123", "-f", "--longflag", "-b",
		"-vxyz", "456", NULL };
	int   opti = 1;
	int   v;
	char *a = NULL;

	NUTS_PASS(parse(7, av, &v, &a, &opti));
	NUTS_EQ(opti, 2);
	NUTS_EQ(v, 3);
	NUTS_MATCH(a, "123");
	NUTS_PASS(parse(7, av, &v, &a, &opti));
	NUTS_EQ(opti, 3);
	NUTS_EQ(v, 1);
	NUTS_PASS(parse(7, av, &v, &a, &opti));
	NUTS_EQ(opti, 4);
	NUTS_EQ(v, 2);
	NUTS_PASS(parse(7, av, &v, &a, &opti));
	NUTS_EQ(opti, 5);
	NUTS_EQ(v, 4);
	NUTS_PASS(parse(7, av, &v, &a, &opti));
	NUTS_EQ(opti, 6);
	NUTS_EQ(v, 3);
	NUTS_MATCH(a, "xyz");
	NUTS_MATCH(av[opti], "456");
	NUTS_EQ(parse(7, av, &v, &a, &opti), -1);
	NUTS_EQ(opti, 6);
}

static void
test_null_arguments(void)
{
	char *av[] = { "program", "-f", "-v", NULL };
	int   opti = 1;
	int   v    = 0;
	char *a    = NULL;

	NUTS_FAIL(nng_opts_parse(3, NULL, case1, &v, &a, &opti), NNG_EINVAL);
	NUTS_FAIL(nng_opts_parse(3, av, NULL, &v, &a, &opti), NNG_EINVAL);
	NUTS_FAIL(nng_opts_parse(3, av, case1, NULL, &a, &opti), NNG_EINVAL);
	NUTS_FAIL(nng_opts_parse(3, av, case1, &v, &a, NULL), NNG_EINVAL);
	NUTS_EQ(opti, 1);
	// optarg is only needed by options that take an argument.
	NUTS_PASS(nng_opts_parse(3, av, case1, &v, NULL, &opti));
	NUTS_EQ(v, 1);
	NUTS_EQ(opti, 2);
	// A negative index is rejected, not used.
	opti = -1;
	NUTS_FAIL(nng_opts_parse(3, av, case1, &v, &a, &opti), NNG_EINVAL);
}

static void
test_layout(void)
{
	NUTS_EQ(sizeof(nng_optspec), 24);
	NUTS_EQ(offsetof(nng_optspec, o_name), 0);
	NUTS_EQ(offsetof(nng_optspec, o_short), 8);
	NUTS_EQ(offsetof(nng_optspec, o_val), 12);
	NUTS_EQ(offsetof(nng_optspec, o_arg), 16);
}

NUTS_TESTS = {
	{ "opts simple", test_simple },
	{ "opts long", test_long },
	{ "opts attached", test_attached },
	{ "opts prefix", test_prefix },
	{ "opts ambiguous", test_ambiguous },
	{ "opts bad options", test_bad_options },
	{ "opts separator", test_separator },
	{ "opts no options", test_no_options },
	{ "opts mixed", test_mixed },
	{ "opts null arguments", test_null_arguments },
	{ "opts layout", test_layout },
	{ NULL, NULL },
};
