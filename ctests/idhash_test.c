// The id map of <nng/supplemental/util/idhash.h> (reference API.md §19).
#include "nuts.h"

#include <nng/supplemental/util/idhash.h>

static void
test_id_basic(void)
{
	nng_id_map *m;
	char       *five = "five";
	char       *four = "four";

	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	NUTS_PASS(nng_id_set(m, 5, five));
	NUTS_TRUE(nng_id_get(m, 5) == five);
	NUTS_PASS(nng_id_set(m, 5, four));
	NUTS_TRUE(nng_id_get(m, 5) == four);
	NUTS_PASS(nng_id_remove(m, 5));
	NUTS_NULL(nng_id_get(m, 5));
	NUTS_FAIL(nng_id_remove(m, 5), NNG_ENOENT);
	nng_id_map_free(m);
}

static void
test_id_random(void)
{
	uint64_t id = 0;
	int      i;
	for (i = 0; i < 2; i++) {
		nng_id_map *m;
		NUTS_PASS(nng_id_map_alloc(&m, 0, 0, NNG_MAP_RANDOM));
		NUTS_PASS(nng_id_alloc(m, &id, &id));
		nng_id_map_free(m);
		NUTS_TRUE(id != 0);
		NUTS_TRUE(id <= 0xffffffffu);
		if (id != 1) {
			break;
		}
		// one chance in 4 billion, but try again
	}
	NUTS_TRUE(id != 1);
	NUTS_TRUE(i < 2);
	NUTS_EQ(NNG_MAP_RANDOM, 1);
}

static void
test_id_random_range(void)
{
	for (int i = 0; i < 100; i++) {
		nng_id_map *m;
		uint64_t    id;
		NUTS_PASS(nng_id_map_alloc(&m, 10, 13, NNG_MAP_RANDOM));
		NUTS_PASS(nng_id_alloc(m, &id, &id));
		NUTS_TRUE(id >= 10 && id <= 13);
		nng_id_map_free(m);
	}
}

static void
test_id_collision(void)
{
	nng_id_map *m;
	char       *five = "five";
	char       *four = "four";

	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	// Carefully crafted -- 13 % 8 == 5.
	NUTS_PASS(nng_id_set(m, 5, five));
	NUTS_PASS(nng_id_set(m, 13, four));
	NUTS_TRUE(nng_id_get(m, 5) == five);
	NUTS_TRUE(nng_id_get(m, 13) == four);
	NUTS_PASS(nng_id_remove(m, 5));
	NUTS_TRUE(nng_id_get(m, 13) == four);
	nng_id_map_free(m);
}

static void
test_id_empty(void)
{
	nng_id_map *m;
	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	NUTS_NULL(nng_id_get(m, 42));
	NUTS_FAIL(nng_id_remove(m, 42), NNG_ENOENT);
	NUTS_FAIL(nng_id_remove(m, 1), NNG_ENOENT);
	nng_id_map_free(m);
}

static void
test_id_not_found(void)
{
	nng_id_map *m;
	uint64_t    id;
	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	NUTS_PASS(nng_id_alloc(m, &id, &id));
	NUTS_EQ(id, 1);
	NUTS_FAIL(nng_id_remove(m, 42), NNG_ENOENT);
	NUTS_FAIL(nng_id_remove(m, 2), NNG_ENOENT);
	NUTS_PASS(nng_id_remove(m, id));
	nng_id_map_free(m);
}

static void
test_id_resize(void)
{
	nng_id_map *m;
	int         expect[1024];

	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	for (int i = 0; i < 1024; i++) {
		expect[i] = i;
		NUTS_PASS(nng_id_set(m, (uint64_t) i, &expect[i]));
	}
	for (int i = 0; i < 1024; i++) {
		NUTS_TRUE(nng_id_get(m, (uint64_t) i) == &expect[i]);
	}
	for (int i = 0; i < 1024; i++) {
		NUTS_PASS(nng_id_remove(m, (uint64_t) i));
	}
	for (int i = 0; i < 1024; i++) {
		NUTS_NULL(nng_id_get(m, (uint64_t) i));
	}
	nng_id_map_free(m);
}

static void
test_id_dynamic(void)
{
	nng_id_map *m;
	int         expect[5];
	uint64_t    id;

	NUTS_PASS(nng_id_map_alloc(&m, 10, 13, 0));
	NUTS_PASS(nng_id_alloc(m, &id, &expect[0]));
	NUTS_EQ(id, 10);
	NUTS_PASS(nng_id_alloc(m, &id, &expect[1]));
	NUTS_EQ(id, 11);
	NUTS_PASS(nng_id_alloc(m, &id, &expect[2]));
	NUTS_EQ(id, 12);
	NUTS_PASS(nng_id_alloc(m, &id, &expect[3]));
	NUTS_EQ(id, 13);
	NUTS_TRUE(nng_id_get(m, 12) == &expect[2]);
	// The range is full.
	id = 99;
	NUTS_FAIL(nng_id_alloc(m, &id, &expect[4]), NNG_ENOMEM);
	NUTS_EQ(id, 99);
	NUTS_PASS(nng_id_remove(m, 11));
	NUTS_PASS(nng_id_alloc(m, &id, &expect[4]));
	NUTS_EQ(id, 11);
	nng_id_map_free(m);
}

static void
test_id_sequential_wraps(void)
{
	nng_id_map *m;
	int         x;
	uint64_t    id;

	// Ids are not reused until the range wraps around.
	NUTS_PASS(nng_id_map_alloc(&m, 1, 3, 0));
	NUTS_PASS(nng_id_alloc(m, &id, &x));
	NUTS_EQ(id, 1);
	NUTS_PASS(nng_id_remove(m, 1));
	NUTS_PASS(nng_id_alloc(m, &id, &x));
	NUTS_EQ(id, 2);
	NUTS_PASS(nng_id_alloc(m, &id, &x));
	NUTS_EQ(id, 3);
	NUTS_PASS(nng_id_alloc(m, &id, &x));
	NUTS_EQ(id, 1);
	nng_id_map_free(m);
}

static void
test_id_set_out_of_range(void)
{
	nng_id_map *m;
	int         x;
	uint64_t    id;

	NUTS_PASS(nng_id_map_alloc(&m, 10, 13, 0));
	NUTS_PASS(nng_id_set(m, 1, &x));
	NUTS_PASS(nng_id_set(m, 100, &x));
	NUTS_PASS(nng_id_alloc(m, &id, &x));
	NUTS_EQ(id, 10);
	NUTS_TRUE(nng_id_get(m, 1) == &x);
	NUTS_TRUE(nng_id_get(m, 100) == &x);
	nng_id_map_free(m);
}

static void
test_id_visit(void)
{
	nng_id_map *m;
	int         x, y;
	uint64_t    id1;
	uint64_t    id2;
	int        *v1;
	int        *v2;
	uint32_t    cursor = 0;

	NUTS_PASS(nng_id_map_alloc(&m, 10, 13, 0));
	NUTS_PASS(nng_id_set(m, 1, &x));
	NUTS_PASS(nng_id_set(m, 100, &y));
	NUTS_TRUE(nng_id_visit(m, &id1, (void **) &v1, &cursor));
	NUTS_TRUE(id1 == 1 || id1 == 100);
	NUTS_TRUE(v1 == &x || v1 == &y);
	NUTS_TRUE(nng_id_visit(m, &id2, (void **) &v2, &cursor));
	NUTS_TRUE(id2 == 1 || id2 == 100);
	NUTS_TRUE(v2 == &x || v2 == &y);
	NUTS_TRUE(id1 != id2);
	NUTS_TRUE(v1 != v2);
	NUTS_TRUE(!nng_id_visit(m, &id2, (void **) &v2, &cursor));
	// Either output may be NULL.
	cursor = 0;
	NUTS_TRUE(nng_id_visit(m, NULL, NULL, &cursor));
	NUTS_TRUE(nng_id_visit(m, &id1, NULL, &cursor));
	NUTS_TRUE(!nng_id_visit(m, NULL, (void **) &v1, &cursor));
	nng_id_map_free(m);
}

static void
test_id_visit_out_of_range(void)
{
	nng_id_map *m;
	int         x, y;
	uint64_t    id1;
	int        *v1;
	uint32_t    cursor = 1000;

	NUTS_PASS(nng_id_map_alloc(&m, 10, 13, 0));
	NUTS_PASS(nng_id_set(m, 1, &x));
	NUTS_PASS(nng_id_set(m, 100, &y));
	NUTS_TRUE(!nng_id_visit(m, &id1, (void **) &v1, &cursor));
	nng_id_map_free(m);
}

static void
test_id_visit_empty(void)
{
	nng_id_map *m;
	uint32_t    cursor = 0;
	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	NUTS_TRUE(!nng_id_visit(m, NULL, NULL, &cursor));
	nng_id_map_free(m);
}

#define STRESS_LOAD 50000
#define NUM_VALUES 1000

static void
test_id_stress(void)
{
	void       *values[NUM_VALUES];
	nng_id_map *m;
	void       *x;
	int         v;

	srand(42);
	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	for (size_t i = 0; i < NUM_VALUES; i++) {
		values[i] = NULL;
	}
	for (size_t i = 0; i < STRESS_LOAD; i++) {
		v = rand() % NUM_VALUES;
		switch (rand() & 3) {
		case 0:
			x         = &values[rand() % NUM_VALUES];
			values[v] = x;
			NUTS_PASS(nng_id_set(m, (uint64_t) v, x));
			break;
		case 1:
			if (values[v] == NULL) {
				NUTS_FAIL(nng_id_remove(m, (uint64_t) v),
				    NNG_ENOENT);
			} else {
				values[v] = NULL;
				NUTS_PASS(nng_id_remove(m, (uint64_t) v));
			}
			break;
		case 2:
			NUTS_TRUE(nng_id_get(m, (uint64_t) v) == values[v]);
			break;
		}
	}
	for (size_t i = 0; i < NUM_VALUES; i++) {
		NUTS_TRUE(nng_id_get(m, (uint64_t) i) == values[i]);
		if (values[i] == NULL) {
			NUTS_FAIL(nng_id_remove(m, (uint64_t) i), NNG_ENOENT);
		} else {
			NUTS_PASS(nng_id_remove(m, (uint64_t) i));
		}
	}
	nng_id_map_free(m);
}

static void
test_id_alloc_long_long(void)
{
#define TEST_IDS 100
	nng_id_map *m;
	int         x;
	uint64_t    ids[TEST_IDS];

	NUTS_PASS(nng_id_map_alloc(&m, 1ULL << 32, (uint64_t) -1, 0));
	for (int i = 0; i < TEST_IDS; i++) {
		NUTS_PASS(nng_id_alloc(m, &ids[i], &x));
		NUTS_TRUE(ids[i] > 0xFFFFFFFFULL);
		for (int j = 0; j < i; j++) {
			NUTS_TRUE(ids[i] != ids[j]);
		}
	}
	nng_id_map_free(m);
#undef TEST_IDS
}

static void
test_id_null_value(void)
{
	nng_id_map *m;
	int         x;
	uint64_t    id;

	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	// Setting NULL removes (a NULL value cannot be stored).
	NUTS_PASS(nng_id_set(m, 7, &x));
	NUTS_PASS(nng_id_set(m, 7, NULL));
	NUTS_NULL(nng_id_get(m, 7));
	NUTS_FAIL(nng_id_remove(m, 7), NNG_ENOENT);
	// Allocating with NULL consumes an id but stores nothing.
	NUTS_PASS(nng_id_alloc(m, &id, NULL));
	NUTS_EQ(id, 1);
	NUTS_NULL(nng_id_get(m, 1));
	NUTS_PASS(nng_id_alloc(m, &id, &x));
	NUTS_EQ(id, 2);
	nng_id_map_free(m);
}

static void
test_id_null_arguments(void)
{
	nng_id_map *m;
	uint64_t    id;
	int         x;
	uint32_t    cursor = 0;

	NUTS_FAIL(nng_id_map_alloc(NULL, 0, 0, 0), NNG_EINVAL);
	NUTS_NULL(nng_id_get(NULL, 1));
	NUTS_FAIL(nng_id_set(NULL, 1, &x), NNG_EINVAL);
	NUTS_FAIL(nng_id_alloc(NULL, &id, &x), NNG_EINVAL);
	NUTS_FAIL(nng_id_remove(NULL, 1), NNG_EINVAL);
	NUTS_TRUE(!nng_id_visit(NULL, &id, NULL, &cursor));
	nng_id_map_free(NULL);

	NUTS_PASS(nng_id_map_alloc(&m, 0, 0, 0));
	NUTS_FAIL(nng_id_alloc(m, NULL, &x), NNG_EINVAL);
	NUTS_PASS(nng_id_set(m, 3, &x));
	NUTS_TRUE(!nng_id_visit(m, &id, NULL, NULL));
	// The failed alloc did not use up id 1.
	NUTS_PASS(nng_id_alloc(m, &id, &x));
	NUTS_EQ(id, 1);
	nng_id_map_free(m);
}

NUTS_TESTS = {
	{ "id basic", test_id_basic },
	{ "id random", test_id_random },
	{ "id random range", test_id_random_range },
	{ "id collision", test_id_collision },
	{ "id empty", test_id_empty },
	{ "id not found", test_id_not_found },
	{ "id resize", test_id_resize },
	{ "id dynamic", test_id_dynamic },
	{ "id sequential wraps", test_id_sequential_wraps },
	{ "id set out of range", test_id_set_out_of_range },
	{ "id visit", test_id_visit },
	{ "id visit out of range", test_id_visit_out_of_range },
	{ "id visit empty", test_id_visit_empty },
	{ "id stress", test_id_stress },
	{ "id alloc long long", test_id_alloc_long_long },
	{ "id null value", test_id_null_value },
	{ "id null arguments", test_id_null_arguments },
	{ NULL, NULL },
};
