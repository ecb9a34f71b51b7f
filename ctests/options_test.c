// Socket and context options as a C program sees them: every generic
// socket option (type, default, range, read-only), the endpoint options a
// socket stores for its dialers and listeners, the opaque accessors with
// short buffers, unknown names, and the deprecated nng_getopt*/nng_setopt*
// aliases. Reference: ABI.md §7.1, §7.2, §7.7, §10; API.md §0.3.
//
// nng-ctest: memcheck abi-1.5.2

#include <nuts_sock.h>

#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/reqrep0/req.h>

static void
test_socket_name_default_is_id(void)
{
	nng_socket s;
	char       buf[64];
	char      *str;
	size_t     sz = sizeof(buf);

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_get(s, NNG_OPT_SOCKNAME, buf, &sz));
	NUTS_EQ(sz, strlen(buf) + 1);
	NUTS_EQ(strtol(buf, NULL, 10), (long) s.id);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_SOCKNAME, &str));
	NUTS_MATCH(str, buf);
	nng_strfree(str);
	NUTS_PASS(nng_close(s));
}

static void
test_socket_name_set(void)
{
	nng_socket s;
	char       name[256];
	char      *str;
	size_t     sz;
	int        v;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_set(s, NNG_OPT_SOCKNAME, "hello", 6));
	sz = sizeof(name);
	NUTS_PASS(nng_socket_get(s, NNG_OPT_SOCKNAME, name, &sz));
	NUTS_EQ(sz, 6);
	NUTS_MATCH(name, "hello");

	// A shorter name replaces the whole of a longer one. (Upstream copies
	// the new name without its NUL over the old one, "xycdef": ABI.md
	// §7.1, A4; fixed here.)
	NUTS_PASS(nng_socket_set_string(s, NNG_OPT_SOCKNAME, "abcdef"));
	NUTS_PASS(nng_socket_set_string(s, NNG_OPT_SOCKNAME, "xy"));
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_SOCKNAME, &str));
	NUTS_MATCH(str, "xy");
	nng_strfree(str);

	// The opaque form needs the NUL within the size given.
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_SOCKNAME, "hello", 5), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_SOCKNAME, "", 0), NNG_EINVAL);
	// ... and the size may exceed the string.
	memset(name, 'B', sizeof(name));
	strcpy(name, "roomy");
	NUTS_PASS(nng_socket_set(s, NNG_OPT_SOCKNAME, name, sizeof(name)));
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_SOCKNAME, &str));
	NUTS_MATCH(str, "roomy");
	nng_strfree(str);

	// At most 63 characters. (Upstream checks this only for the opaque
	// form; a longer string through nng_socket_set_string overruns its
	// 64-byte buffer. Rejected here.)
	memset(name, 'A', sizeof(name));
	name[63] = '\0';
	NUTS_PASS(nng_socket_set_string(s, NNG_OPT_SOCKNAME, name));
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_SOCKNAME, &str));
	NUTS_EQ(strlen(str), 63);
	nng_strfree(str);
	name[63] = 'A';
	name[64] = '\0';
	NUTS_FAIL(nng_socket_set_string(s, NNG_OPT_SOCKNAME, name), NNG_EINVAL);
	name[sizeof(name) - 1] = '\0';
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_SOCKNAME, name, sizeof(name)),
	    NNG_EINVAL);
	// A rejected name leaves the old one.
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_SOCKNAME, &str));
	NUTS_EQ(strlen(str), 63);
	nng_strfree(str);

	// Type checks.
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_SOCKNAME, &v), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_SOCKNAME, 1), NNG_EBADTYPE);
	NUTS_PASS(nng_close(s));
}

static void
test_opaque_get_short_buffer(void)
{
	nng_socket s;
	char       buf[8];
	size_t     sz;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_set_string(s, NNG_OPT_SOCKNAME, "abcdefghij"));
	memset(buf, 'Z', sizeof(buf));
	sz = 4;
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_SOCKNAME, buf, &sz), NNG_EINVAL);
	NUTS_EQ(sz, 11);
	NUTS_TRUE(memcmp(buf, "abcdZZZZ", 8) == 0);

	// ABI.md §10: a protocol name into four bytes.
	memset(buf, 'Z', sizeof(buf));
	sz = 4;
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_PROTONAME, buf, &sz), NNG_EINVAL);
	NUTS_EQ(sz, 6); // "pair1" and its NUL
	NUTS_TRUE(memcmp(buf, "pairZZZZ", 8) == 0);

	// Zero bytes: nothing copied, the size still reported.
	sz = 0;
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_PEERNAME, NULL, &sz), NNG_EINVAL);
	NUTS_EQ(sz, 6);
	NUTS_PASS(nng_close(s));
}

static void
test_read_only_identity(void)
{
	nng_socket s;
	bool       b;
	int        v;
	size_t     sz;
	char      *str;

	NUTS_PASS(nng_req0_open(&s));
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_RAW, true), NNG_EREADONLY);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_RAW, 1), NNG_EREADONLY);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_PROTO, 1), NNG_EREADONLY);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_PEER, 1), NNG_EREADONLY);
	NUTS_FAIL(
	    nng_socket_set_string(s, NNG_OPT_PROTONAME, "x"), NNG_EREADONLY);
	NUTS_FAIL(
	    nng_socket_set_string(s, NNG_OPT_PEERNAME, "x"), NNG_EREADONLY);
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_RAW, &b, sizeof(b)), NNG_EREADONLY);

	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RAW, &v), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_bool(s, NNG_OPT_PROTO, &b), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_string(s, NNG_OPT_PEER, &str), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_PEERNAME, &v), NNG_EBADTYPE);
	sz = sizeof(v);
	NUTS_PASS(nng_socket_get(s, NNG_OPT_PROTO, &v, &sz));
	NUTS_EQ(v, 0x30);
	NUTS_EQ(sz, sizeof(int));
	sz = sizeof(b);
	NUTS_PASS(nng_socket_get(s, NNG_OPT_RAW, &b, &sz));
	NUTS_EQ(sz, sizeof(bool));
	NUTS_PASS(nng_close(s));

	NUTS_PASS(nng_req0_open_raw(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_close(s));
}

static void
test_timeouts(void)
{
	const char *names[] = { NNG_OPT_RECVTIMEO, NNG_OPT_SENDTIMEO, NULL };
	nng_socket  s;

	NUTS_PASS(nng_pair1_open(&s));
	for (int i = 0; names[i] != NULL; i++) {
		const char  *n = names[i];
		nng_duration d;
		size_t       sz;
		bool         b;
		int          v;

		NUTS_PASS(nng_socket_get_ms(s, n, &d));
		NUTS_EQ(d, NNG_DURATION_INFINITE);
		NUTS_PASS(nng_socket_set_ms(s, n, 1234));
		NUTS_PASS(nng_socket_get_ms(s, n, &d));
		NUTS_EQ(d, 1234);
		d  = 0;
		sz = sizeof(d);
		NUTS_PASS(nng_socket_get(s, n, &d, &sz));
		NUTS_EQ(d, 1234);
		NUTS_EQ(sz, sizeof(nng_duration));
		NUTS_PASS(nng_socket_set_ms(s, n, 0));
		NUTS_PASS(nng_socket_set_ms(s, n, NNG_DURATION_INFINITE));
		NUTS_FAIL(nng_socket_set_ms(s, n, -2), NNG_EINVAL);
		NUTS_FAIL(nng_socket_set_ms(s, n, -5), NNG_EINVAL);
		d = 77;
		NUTS_PASS(nng_socket_set(s, n, &d, sizeof(d)));
		NUTS_FAIL(nng_socket_set(s, n, &d, sizeof(d) - 1), NNG_EINVAL);
		NUTS_FAIL(nng_socket_set(s, n, &d, sizeof(d) + 1), NNG_EINVAL);
		NUTS_PASS(nng_socket_get_ms(s, n, &d));
		NUTS_EQ(d, 77);

		sz = 0;
		NUTS_FAIL(nng_socket_get(s, n, &d, &sz), NNG_EINVAL);
		sz = 1;
		NUTS_FAIL(nng_socket_get(s, n, &b, &sz), NNG_EINVAL);
		NUTS_FAIL(nng_socket_get_bool(s, n, &b), NNG_EBADTYPE);
		NUTS_FAIL(nng_socket_get_int(s, n, &v), NNG_EBADTYPE);
		NUTS_FAIL(nng_socket_set_int(s, n, 1), NNG_EBADTYPE);
		NUTS_FAIL(nng_socket_set_bool(s, n, true), NNG_EBADTYPE);
	}
	NUTS_PASS(nng_close(s));
}

static void
check_buffer(nng_socket s, const char *n, int def)
{
	int          v;
	size_t       sz;
	nng_duration d;

	NUTS_PASS(nng_socket_get_int(s, n, &v));
	NUTS_EQ(v, def);
	NUTS_PASS(nng_socket_set_int(s, n, 1234));
	NUTS_PASS(nng_socket_get_int(s, n, &v));
	NUTS_EQ(v, 1234);
	NUTS_PASS(nng_socket_set_int(s, n, 8192));
	NUTS_PASS(nng_socket_set_int(s, n, 0));
	NUTS_FAIL(nng_socket_set_int(s, n, 8193), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, n, 0x100000), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, n, -1), NNG_EINVAL);
	v = 3;
	NUTS_PASS(nng_socket_set(s, n, &v, sizeof(v)));
	NUTS_FAIL(nng_socket_set(s, n, &v, sizeof(v) - 1), NNG_EINVAL);
	v  = 0;
	sz = sizeof(v);
	NUTS_PASS(nng_socket_get(s, n, &v, &sz));
	NUTS_EQ(v, 3);
	NUTS_EQ(sz, sizeof(int));
	sz = 0;
	NUTS_FAIL(nng_socket_get(s, n, &v, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get_ms(s, n, &d), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_ms(s, n, 1), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_size(s, n, 1), NNG_EBADTYPE);
}

static void
test_buffers(void)
{
	nng_socket s;

	// The generic queues (req uses them as they are).
	NUTS_PASS(nng_req0_open(&s));
	check_buffer(s, NNG_OPT_RECVBUF, 1);
	check_buffer(s, NNG_OPT_SENDBUF, 0);
	NUTS_PASS(nng_close(s));

	// pair1 has its own (ABI.md §7.7).
	NUTS_PASS(nng_pair1_open(&s));
	check_buffer(s, NNG_OPT_RECVBUF, 0);
	check_buffer(s, NNG_OPT_SENDBUF, 0);
	NUTS_PASS(nng_close(s));
}

static void
test_ttl_max(void)
{
	nng_socket   s;
	int          v;
	nng_duration d;

	NUTS_PASS(nng_req0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_MAXTTL, &v));
	NUTS_EQ(v, 8);
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_MAXTTL, 1));
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_MAXTTL, 15));
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_MAXTTL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_MAXTTL, 16), NNG_EINVAL);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_MAXTTL, &v));
	NUTS_EQ(v, 15);
	NUTS_FAIL(nng_socket_get_ms(s, NNG_OPT_MAXTTL, &d), NNG_EBADTYPE);
	NUTS_PASS(nng_close(s));

	NUTS_PASS(nng_push0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_MAXTTL, &v), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_MAXTTL, 2), NNG_ENOTSUP);
	NUTS_PASS(nng_close(s));
}

static void
test_endpoint_options_on_socket(void)
{
	nng_socket   s;
	nng_duration d;
	size_t       z, sz;
	bool         b;
	int          v;
	char         buf[256];

	NUTS_PASS(nng_pair1_open(&s));
	// Defaults every socket stores for its endpoints.
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_RECONNMINT, &d));
	NUTS_EQ(d, 1000);
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_RECONNMAXT, &d));
	NUTS_EQ(d, 0);
	NUTS_PASS(nng_socket_get_size(s, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 0);
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_TCP_NODELAY, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_TCP_KEEPALIVE, &b));
	NUTS_TRUE(!b);

	// Set and read back.
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 200));
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_RECONNMINT, &d));
	NUTS_EQ(d, 10);
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_RECONNMAXT, &d));
	NUTS_EQ(d, 200);
	NUTS_FAIL(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, -2), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 1234));
	NUTS_PASS(nng_socket_get_size(s, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 1234);
	// At most 4 GiB - 1; a rejected value leaves the old one.
	NUTS_PASS(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 0xffffffffu));
	NUTS_FAIL(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, (size_t) 1 << 32),
	    NNG_EINVAL);
	NUTS_PASS(nng_socket_get_size(s, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 0xffffffffu);
	NUTS_PASS(nng_socket_set_bool(s, NNG_OPT_TCP_NODELAY, false));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_TCP_NODELAY, &b));
	NUTS_TRUE(!b);

	// Type and size checks.
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_RECVMAXSZ, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_RECONNMINT, 1), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_RECVMAXSZ, &z, 4), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get_bool(s, NNG_OPT_RECONNMAXT, &b), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_TCP_KEEPALIVE, &v), NNG_EBADTYPE);

	// ABI.md §10: an opaque get of a stored endpoint option needs the
	// exact size.
	sz = sizeof(buf);
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_RECONNMINT, buf, &sz), NNG_EINVAL);
	sz = 0;
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_RECONNMINT, buf, &sz), NNG_EINVAL);
	sz = sizeof(d);
	NUTS_PASS(nng_socket_get(s, NNG_OPT_RECONNMINT, &d, &sz));
	NUTS_EQ(d, 10);
	NUTS_EQ(sz, sizeof(d));
	sz = sizeof(z);
	NUTS_PASS(nng_socket_get(s, NNG_OPT_RECVMAXSZ, &z, &sz));
	NUTS_EQ(z, 0xffffffffu);
	sz = 1;
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_RECVMAXSZ, &z, &sz), NNG_EINVAL);

	// An endpoint option no socket stores until it is set.
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_IPC_PERMISSIONS, &v),
	    NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_IPC_PERMISSIONS, 010000),
	    NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_IPC_PERMISSIONS, 0600));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_IPC_PERMISSIONS, &v));
	NUTS_EQ(v, 0600);

	// Addresses are not socket options.
	{
		nng_sockaddr sa;
		NUTS_FAIL(
		    nng_socket_get_addr(s, NNG_OPT_LOCADDR, &sa), NNG_ENOTSUP);
		NUTS_FAIL(
		    nng_socket_get_addr(s, NNG_OPT_REMADDR, &sa), NNG_ENOTSUP);
		NUTS_FAIL(
		    nng_socket_get_addr(s, NNG_OPT_RECONNMINT, &sa), NNG_EBADTYPE);
	}
	NUTS_PASS(nng_close(s));
}

static void
test_unknown_options(void)
{
	nng_socket   s;
	const char  *bad = "no-such-option";
	bool         b;
	int          v;
	size_t       z;
	uint64_t     u;
	nng_duration d;
	void        *p;
	char        *str;
	nng_sockaddr sa;
	char         buf[8];

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_socket_set_bool(s, bad, true), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_int(s, bad, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_size(s, bad, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_uint64(s, bad, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_ms(s, bad, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_ptr(s, bad, NULL), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_string(s, bad, "x"), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set(s, bad, buf, sizeof(buf)), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_bool(s, bad, &b), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_int(s, bad, &v), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_size(s, bad, &z), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_uint64(s, bad, &u), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_ms(s, bad, &d), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_ptr(s, bad, &p), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_string(s, bad, &str), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_get_addr(s, bad, &sa), NNG_ENOTSUP);
	z = sizeof(buf);
	NUTS_FAIL(nng_socket_get(s, bad, buf, &z), NNG_ENOTSUP);
	// Options of other objects are unknown to a socket.
	NUTS_FAIL(nng_socket_get_string(s, NNG_OPT_URL, &str), NNG_ENOTSUP);
	// Protocol options of other protocols too.
	NUTS_FAIL(nng_socket_set_ms(s, "req:resend-time", 1), NNG_ENOTSUP);
	// Wrong accessor types on known options.
	NUTS_FAIL(nng_socket_get_uint64(s, NNG_OPT_RECVBUF, &u), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_ptr(s, NNG_OPT_RECVBUF, &p), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_ptr(s, NNG_OPT_RECVBUF, NULL), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set_uint64(s, NNG_OPT_RECVBUF, 1), NNG_EBADTYPE);
	NUTS_PASS(nng_close(s));
}

static void
test_null_arguments(void)
{
	nng_socket s;
	int        v;
	size_t     sz = sizeof(v);

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_socket_set_int(s, NULL, 1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get_int(s, NULL, &v), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RECVBUF, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_RECVBUF, &v, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_RECVBUF, NULL, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_RECVBUF, NULL, 4), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_string(s, NNG_OPT_SOCKNAME, NULL), NNG_EINVAL);
	NUTS_PASS(nng_close(s));
}

static void
test_context_options(void)
{
	nng_socket   s;
	nng_ctx      c;
	nng_duration d;
	int          v;
	size_t       sz;
	char        *str;

	NUTS_PASS(nng_req0_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 123));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 456));
	NUTS_PASS(nng_ctx_open(&c, s));
	// A context copies the socket's timeouts when it is made ...
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, 123);
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_SENDTIMEO, &d));
	NUTS_EQ(d, 456);
	// ... and they are its own after that.
	NUTS_PASS(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, 7));
	NUTS_PASS(nng_socket_get_ms(s, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, 123);
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 9));
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_SENDTIMEO, &d));
	NUTS_EQ(d, 456);
	d  = 0;
	sz = sizeof(d);
	NUTS_PASS(nng_ctx_get(c, NNG_OPT_RECVTIMEO, &d, &sz));
	NUTS_EQ(d, 7);
	NUTS_FAIL(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, -2), NNG_EINVAL);
	NUTS_FAIL(nng_ctx_set_int(c, NNG_OPT_RECVTIMEO, 1), NNG_EBADTYPE);
	NUTS_FAIL(nng_ctx_get_int(c, NNG_OPT_SENDTIMEO, &v), NNG_EBADTYPE);
	// Socket options are not context options.
	NUTS_FAIL(nng_ctx_get_string(c, NNG_OPT_SOCKNAME, &str), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(c, NNG_OPT_RECVBUF, &v), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_set_ms(c, NNG_OPT_RECONNMINT, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_set_int(c, "no-such-option", 1), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(c));
	NUTS_PASS(nng_close(s));
}

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static void
test_deprecated_aliases(void)
{
	nng_socket   s;
	nng_ctx      c;
	bool         b;
	int          v;
	size_t       z, sz;
	uint64_t     u;
	nng_duration d;
	void        *p;
	char        *str;

	NUTS_PASS(nng_req0_open(&s));
	NUTS_PASS(nng_setopt_int(s, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_getopt_int(s, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 5);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 5);
	NUTS_PASS(nng_setopt_ms(s, NNG_OPT_RECVTIMEO, 321));
	NUTS_PASS(nng_getopt_ms(s, NNG_OPT_RECVTIMEO, &d));
	NUTS_EQ(d, 321);
	NUTS_PASS(nng_setopt_size(s, NNG_OPT_RECVMAXSZ, 99));
	NUTS_PASS(nng_getopt_size(s, NNG_OPT_RECVMAXSZ, &z));
	NUTS_EQ(z, 99);
	NUTS_PASS(nng_setopt_bool(s, NNG_OPT_TCP_NODELAY, false));
	NUTS_PASS(nng_getopt_bool(s, NNG_OPT_TCP_NODELAY, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_setopt_string(s, NNG_OPT_SOCKNAME, "old"));
	NUTS_PASS(nng_getopt_string(s, NNG_OPT_SOCKNAME, &str));
	NUTS_MATCH(str, "old");
	nng_strfree(str);
	NUTS_PASS(nng_setopt(s, NNG_OPT_SOCKNAME, "api", 4));
	sz = sizeof(z);
	NUTS_PASS(nng_getopt(s, NNG_OPT_RECVMAXSZ, &z, &sz));
	NUTS_EQ(z, 99);
	NUTS_FAIL(nng_setopt_uint64(s, NNG_OPT_RECVBUF, 1), NNG_EBADTYPE);
	NUTS_FAIL(nng_getopt_uint64(s, NNG_OPT_RECVBUF, &u), NNG_EBADTYPE);
	NUTS_FAIL(nng_setopt_ptr(s, NNG_OPT_RECVBUF, NULL), NNG_EBADTYPE);
	NUTS_FAIL(nng_getopt_ptr(s, NNG_OPT_RECVBUF, &p), NNG_EBADTYPE);
	NUTS_FAIL(nng_setopt_bool(s, NNG_OPT_RAW, true), NNG_EREADONLY);
	NUTS_FAIL(nng_getopt_int(s, "no-such-option", &v), NNG_ENOTSUP);

	NUTS_PASS(nng_ctx_open(&c, s));
	NUTS_PASS(nng_ctx_setopt_ms(c, NNG_OPT_SENDTIMEO, 11));
	NUTS_PASS(nng_ctx_getopt_ms(c, NNG_OPT_SENDTIMEO, &d));
	NUTS_EQ(d, 11);
	d = 12;
	NUTS_PASS(nng_ctx_setopt(c, NNG_OPT_SENDTIMEO, &d, sizeof(d)));
	sz = sizeof(d);
	NUTS_PASS(nng_ctx_getopt(c, NNG_OPT_SENDTIMEO, &d, &sz));
	NUTS_EQ(d, 12);
	NUTS_FAIL(nng_ctx_getopt_int(c, NNG_OPT_SENDTIMEO, &v), NNG_EBADTYPE);
	NUTS_FAIL(nng_ctx_setopt_bool(c, "no-such-option", true), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(c));
	NUTS_FAIL(nng_ctx_getopt_ms(c, NNG_OPT_SENDTIMEO, &d), NNG_ECLOSED);

	NUTS_PASS(nng_close(s));
	NUTS_FAIL(nng_getopt_int(s, NNG_OPT_RECVBUF, &v), NNG_ECLOSED);
	NUTS_FAIL(nng_setopt_int(s, NNG_OPT_RECVBUF, 1), NNG_ECLOSED);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

NUTS_TESTS = {
	{ "socket name default is id", test_socket_name_default_is_id },
	{ "socket name set", test_socket_name_set },
	{ "opaque get short buffer", test_opaque_get_short_buffer },
	{ "read only identity", test_read_only_identity },
	{ "timeouts", test_timeouts },
	{ "buffers", test_buffers },
	{ "ttl max", test_ttl_max },
	{ "endpoint options on socket", test_endpoint_options_on_socket },
	{ "unknown options", test_unknown_options },
	{ "null arguments", test_null_arguments },
	{ "context options", test_context_options },
	{ "deprecated aliases", test_deprecated_aliases },
	{ NULL, NULL },
};
