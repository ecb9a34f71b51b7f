// nng_str_sockaddr: the display formats of every address family
// (reference ABI.md §3.2) and snprintf-like truncation.
#include <arpa/inet.h>

#include "nuts.h"

static const char *
show(const nng_sockaddr *sa, char *buf, size_t sz)
{
	return (nng_str_sockaddr(sa, buf, sz));
}

static void
test_sa_ipc(void)
{
	nng_sockaddr sa;
	char         buf[NNG_MAXADDRSTRLEN];
	memset(&sa, 0, sizeof(sa));
	sa.s_ipc.sa_family = NNG_AF_IPC;
	snprintf(sa.s_ipc.sa_path, sizeof(sa.s_ipc.sa_path), "/tmp/something");
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "/tmp/something");
	NUTS_TRUE(show(&sa, buf, sizeof(buf)) == buf);
}

static void
test_sa_abstract(void)
{
	nng_sockaddr sa;
	char         buf[NNG_MAXADDRSTRLEN];
	memset(&sa, 0, sizeof(sa));
	sa.s_abstract.sa_family = NNG_AF_ABSTRACT;
	sa.s_abstract.sa_len    = 9;
	memcpy(sa.s_abstract.sa_name, "something", 9);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "abstract[something]");
	// As upstream, the name prints as a C string, whatever sa_len says.
	sa.s_abstract.sa_len = 3;
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "abstract[something]");
	sa.s_abstract.sa_name[4] = 0;
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "abstract[some]");
	// A name filling the whole array is not overrun.
	memset(sa.s_abstract.sa_name, 'a', sizeof(sa.s_abstract.sa_name));
	sa.s_abstract.sa_len = sizeof(sa.s_abstract.sa_name);
	NUTS_EQ(strlen(show(&sa, buf, sizeof(buf))), 10 + 107);
}

static void
test_sa_inproc(void)
{
	nng_sockaddr sa;
	char         buf[NNG_MAXADDRSTRLEN];
	memset(&sa, 0, sizeof(sa));
	sa.s_inproc.sa_family = NNG_AF_INPROC;
	snprintf(sa.s_inproc.sa_name, sizeof(sa.s_inproc.sa_name), "something");
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "inproc[something]");
}

static void
test_sa_inet(void)
{
	nng_sockaddr sa;
	char         buf[NNG_MAXADDRSTRLEN];
	memset(&sa, 0, sizeof(sa));
	sa.s_in.sa_family = NNG_AF_INET;
	sa.s_in.sa_addr   = htonl(0x7F000001);
	sa.s_in.sa_port   = htons(80);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "127.0.0.1:80");
	sa.s_in.sa_addr = htonl(0xFFFFFFFF);
	sa.s_in.sa_port = htons(65535);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "255.255.255.255:65535");
	sa.s_in.sa_addr = 0;
	sa.s_in.sa_port = 0;
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "0.0.0.0:0");
}

static void
set6(nng_sockaddr *sa, const uint16_t g[8], uint16_t port, uint32_t scope)
{
	memset(sa, 0, sizeof(*sa));
	sa->s_in6.sa_family = NNG_AF_INET6;
	for (int i = 0; i < 8; i++) {
		sa->s_in6.sa_addr[2 * i]     = (uint8_t) (g[i] >> 8);
		sa->s_in6.sa_addr[2 * i + 1] = (uint8_t) (g[i] & 0xff);
	}
	sa->s_in6.sa_port  = htons(port);
	sa->s_in6.sa_scope = scope;
}

static void
test_sa_inet6(void)
{
	nng_sockaddr sa;
	char         buf[NNG_MAXADDRSTRLEN];

	set6(&sa, (uint16_t[8]) { 0, 0, 0, 0, 0, 0, 0, 1 }, 80, 0);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[::1]:80");
	set6(&sa, (uint16_t[8]) { 0 }, 80, 0);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[::]:80");
	set6(&sa, (uint16_t[8]) { 0xfc00, 0, 0, 0, 0, 0, 0, 0 }, 80, 0);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[fc00::]:80");
	set6(&sa, (uint16_t[8]) { 0xfe80, 0, 0, 0, 0, 0, 0, 4 }, 80, 2);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[fe80::4%2]:80");
	set6(&sa, (uint16_t[8]) { 0, 0, 0, 0, 0, 0xffff, 0xc0a8, 0x0164 }, 80,
	    0);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[::ffff:192.168.1.100]:80");
	// A single zero group is compressed; the first longest run wins.
	set6(&sa, (uint16_t[8]) { 1, 0, 2, 3, 4, 5, 6, 7 }, 1, 0);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[1::2:3:4:5:6:7]:1");
	set6(&sa, (uint16_t[8]) { 1, 0, 0, 2, 0, 0, 3, 4 }, 1, 0);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[1::2:0:0:3:4]:1");
	set6(&sa, (uint16_t[8]) { 1, 0, 0, 2, 0, 0, 0, 4 }, 1, 0);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "[1:0:0:2::4]:1");
	set6(&sa,
	    (uint16_t[8]) { 0x2001, 0xdb8, 0xabcd, 0xef, 1, 2, 3, 0xffff },
	    65535, 4294967295u);
	NUTS_MATCH(show(&sa, buf, sizeof(buf)),
	    "[2001:db8:abcd:ef:1:2:3:ffff%4294967295]:65535");
}

static void
test_sa_zt(void)
{
	nng_sockaddr sa;
	char         buf[NNG_MAXADDRSTRLEN];
	memset(&sa, 0, sizeof(sa));
	sa.s_zt.sa_family = NNG_AF_ZT;
	sa.s_zt.sa_nodeid = 0xa;
	sa.s_zt.sa_nwid   = 0xb;
	sa.s_zt.sa_port   = 1 << 20;
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "ZT[a:b:1048576]");
	sa.s_zt.sa_nodeid = 0xffffffffffull;
	sa.s_zt.sa_nwid   = 0x8056c2e21c000001ull;
	sa.s_zt.sa_port   = 0;
	NUTS_MATCH(
	    show(&sa, buf, sizeof(buf)), "ZT[ffffffffff:8056c2e21c000001:0]");
}

static void
test_sa_unknown(void)
{
	nng_sockaddr sa;
	char         buf[16];
	memset(&sa, 0, sizeof(sa));
	strcpy(buf, "untouched");
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "unknown");
	NUTS_MATCH(buf, "untouched");
	NUTS_TRUE(show(&sa, buf, sizeof(buf)) != buf);
	sa.s_family = 99;
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "unknown");
	NUTS_MATCH(buf, "untouched");
	NUTS_MATCH(show(NULL, buf, sizeof(buf)), "unknown");
}

static void
test_sa_truncation(void)
{
	nng_sockaddr sa;
	char         buf[8];
	memset(&sa, 0, sizeof(sa));
	sa.s_in.sa_family = NNG_AF_INET;
	sa.s_in.sa_addr   = htonl(0x7F000001);
	sa.s_in.sa_port   = htons(80);
	memset(buf, 'x', sizeof(buf));
	NUTS_MATCH(show(&sa, buf, sizeof(buf)), "127.0.0");
	memset(buf, 'x', sizeof(buf));
	show(&sa, buf, 1);
	NUTS_EQ(buf[0], 0);
	NUTS_EQ(buf[1], 'x');
	memset(buf, 'x', sizeof(buf));
	show(&sa, buf, 0);
	NUTS_EQ(buf[0], 'x');
	// NNG_MAXADDRSTRLEN is enough for the longest IPC path.
	char big[NNG_MAXADDRSTRLEN];
	sa.s_ipc.sa_family = NNG_AF_IPC;
	memset(sa.s_ipc.sa_path, 'p', sizeof(sa.s_ipc.sa_path) - 1);
	sa.s_ipc.sa_path[sizeof(sa.s_ipc.sa_path) - 1] = 0;
	NUTS_EQ(strlen(show(&sa, big, sizeof(big))), 127);
}

static void
test_sa_layout(void)
{
	NUTS_EQ(sizeof(nng_sockaddr), 136);
	NUTS_EQ(sizeof(nng_sockaddr_in6), 24);
	NUTS_EQ(offsetof(nng_sockaddr_in6, sa_scope), 20);
	NUTS_EQ(sizeof(nng_sockaddr_in), 8);
	NUTS_EQ(sizeof(nng_sockaddr_abstract), 112);
	NUTS_EQ(offsetof(nng_sockaddr_abstract, sa_name), 4);
	NUTS_EQ(sizeof(nng_sockaddr_zt), 32);
	NUTS_EQ(NNG_MAXADDRSTRLEN, 144);
}

NUTS_TESTS = {
	{ "sockaddr ipc", test_sa_ipc },
	{ "sockaddr abstract", test_sa_abstract },
	{ "sockaddr inproc", test_sa_inproc },
	{ "sockaddr inet", test_sa_inet },
	{ "sockaddr inet6", test_sa_inet6 },
	{ "sockaddr zt", test_sa_zt },
	{ "sockaddr unknown", test_sa_unknown },
	{ "sockaddr truncation", test_sa_truncation },
	{ "sockaddr layout", test_sa_layout },
	{ NULL, NULL },
};
