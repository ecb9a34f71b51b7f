// URL parsing, cloning and freeing (nng_url_parse, nng_url_clone,
// nng_url_free): the rules and examples of reference ABI.md §3.4.
#include "nuts.h"

// Checks one parsed field against an expected value (NULL for NULL).
#define FIELD(got, want)                                                  \
	do {                                                              \
		const char *w_ = (want);                                  \
		if (w_ == NULL) {                                         \
			NUTS_NULL(got);                                   \
		} else {                                                  \
			NUTS_MATCH(got, w_);                              \
		}                                                         \
	} while (0)

static void
check(const char *in, const char *scheme, const char *host,
    const char *hostname, const char *port, const char *path,
    const char *requri)
{
	nng_url *u = NULL;
	NUTS_PASS(nng_url_parse(&u, in));
	NUTS_TRUE(u != NULL);
	NUTS_MATCH(u->u_rawurl, in);
	FIELD(u->u_scheme, scheme);
	FIELD(u->u_host, host);
	FIELD(u->u_hostname, hostname);
	FIELD(u->u_port, port);
	FIELD(u->u_path, path);
	FIELD(u->u_requri, requri);
	nng_url_free(u);
}

static void
test_abi_table(void)
{
	check("tcp://127.0.0.1:5555", "tcp", "127.0.0.1:5555", "127.0.0.1",
	    "5555", "", "");
	check("tcp://*:5555", "tcp", ":5555", "", "5555", "", "");
	check("tcp://:5555", "tcp", ":5555", "", "5555", "", "");
	check("tcp://localhost", "tcp", "localhost", "localhost", "", "", "");
	check("tcp6://[::1]:80", "tcp6", "[::1]:80", "::1", "80", "", "");
	check("tcp://10.0.0.1;10.0.0.2:99", "tcp", "10.0.0.1;10.0.0.2:99",
	    "10.0.0.1;10.0.0.2", "99", "", "");
	check("TCP://X:1", "tcp", "x:1", "x", "1", "", "");
	check("ws://host", "ws", "host", "host", "80", "", "");
	check("ws://host:8080/a/b?x=1#f", "ws", "host:8080", "host", "8080",
	    "/a/b", "/a/b?x=1#f");
	check("wss://h/", "wss", "h", "h", "443", "/", "/");
	check("ipc:///tmp/sock", "ipc", NULL, NULL, NULL, "/tmp/sock", NULL);
	check("abstract://foo%00bar", "abstract", NULL, NULL, NULL,
	    "foo%00bar", NULL);
	check("inproc://name", "inproc", NULL, NULL, NULL, "name", NULL);
	check("unix:///x", "unix", NULL, NULL, NULL, "/x", NULL);
	check("socket://", "socket", "", "", "", "", "");
}

static void
test_query_fragment_userinfo(void)
{
	nng_url *u;
	NUTS_PASS(nng_url_parse(&u, "ws://host:8080/a/b?x=1#f"));
	NUTS_MATCH(u->u_query, "x=1");
	NUTS_MATCH(u->u_fragment, "f");
	NUTS_NULL(u->u_userinfo);
	nng_url_free(u);

	NUTS_PASS(nng_url_parse(
	    &u, "http://garrett@www.google.com:1234/somewhere"));
	NUTS_MATCH(u->u_userinfo, "garrett");
	NUTS_MATCH(u->u_host, "www.google.com:1234");
	NUTS_MATCH(u->u_path, "/somewhere");
	NUTS_NULL(u->u_query);
	NUTS_NULL(u->u_fragment);
	nng_url_free(u);

	NUTS_PASS(nng_url_parse(&u, "http://www.google.com#chapter3"));
	NUTS_MATCH(u->u_port, "80");
	NUTS_MATCH(u->u_path, "");
	NUTS_MATCH(u->u_fragment, "chapter3");
	NUTS_MATCH(u->u_requri, "#chapter3");
	NUTS_NULL(u->u_query);
	nng_url_free(u);

	NUTS_PASS(nng_url_parse(&u, "http://www.google.com?color=red"));
	NUTS_MATCH(u->u_query, "color=red");
	NUTS_MATCH(u->u_requri, "?color=red");
	NUTS_NULL(u->u_fragment);
	nng_url_free(u);

	NUTS_PASS(nng_url_parse(&u, "ssh://user@host.example.com"));
	NUTS_MATCH(u->u_port, "22");
	NUTS_MATCH(u->u_userinfo, "user");
	nng_url_free(u);
}

static void
test_default_ports(void)
{
	const char *cases[][2] = {
		{ "http://h", "80" },
		{ "https://h", "443" },
		{ "ws4://h", "80" },
		{ "ws6://h", "80" },
		{ "wss4://h", "443" },
		{ "wss6://h", "443" },
		{ "git://h", "9418" },
		{ "gopher://h", "70" },
		{ "telnet://h", "23" },
		{ "tls+tcp://h", "" },
		{ "ws46://h", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nng_url *u;
		NUTS_PASS(nng_url_parse(&u, cases[i][0]));
		NUTS_MATCH(u->u_port, cases[i][1]);
		nng_url_free(u);
	}
}

static void
test_canonify(void)
{
	nng_url *u;
	NUTS_PASS(nng_url_parse(
	    &u, "hTTp://www.EXAMPLE.com/bogus/.%2e/%7egarrett"));
	NUTS_MATCH(u->u_scheme, "http");
	NUTS_MATCH(u->u_hostname, "www.example.com");
	NUTS_MATCH(u->u_path, "/~garrett");
	nng_url_free(u);

	NUTS_PASS(nng_url_parse(&u, "http://www.x.com//abc/def/./x/..///./../y"));
	NUTS_MATCH(u->u_path, "/abc/y");
	nng_url_free(u);

	NUTS_PASS(nng_url_parse(&u, "http://www.x.com/?/abc/def/./x/.././../y"));
	NUTS_MATCH(u->u_path, "/");
	NUTS_MATCH(u->u_query, "/abc/def/./x/.././../y");
	nng_url_free(u);

	NUTS_PASS(nng_url_parse(&u, "http://www.x.com/%c2%a2_cents"));
	NUTS_MATCH(u->u_path, "/\xc2\xa2_cents");
	nng_url_free(u);

	// Reserved characters stay escaped, with upper-case hex digits.
	NUTS_PASS(nng_url_parse(&u, "http://x/a%2fb?q=%2a"));
	NUTS_MATCH(u->u_requri, "/a%2Fb?q=%2A");
	nng_url_free(u);

	// Path-only schemes are never canonicalised.
	NUTS_PASS(nng_url_parse(&u, "ipc:///a//b/../c%7e"));
	NUTS_MATCH(u->u_path, "/a//b/../c%7e");
	nng_url_free(u);
}

static void
test_ipv6_hosts(void)
{
	nng_url *u;
	NUTS_PASS(nng_url_parse(&u, "http://[::1]"));
	NUTS_MATCH(u->u_host, "[::1]");
	NUTS_MATCH(u->u_hostname, "::1");
	NUTS_MATCH(u->u_port, "80");
	nng_url_free(u);
	NUTS_PASS(nng_url_parse(&u, "http://[::1]:29/bottles"));
	NUTS_MATCH(u->u_host, "[::1]:29");
	NUTS_MATCH(u->u_hostname, "::1");
	NUTS_MATCH(u->u_port, "29");
	NUTS_MATCH(u->u_path, "/bottles");
	nng_url_free(u);
}

static void
test_bad_urls(void)
{
	const char *bad[] = {
		"www.google.com",
		"http:www.google.com",
		"tcp:/x",
		"http://[::1",
		"http://[::1]bogus",
		"tcp://[::1]:",
		"tcp://host:",
		"http://a@b@c/",
		"http://x/%zz",
		"http://x/%4",
		"http://x.com/x%80x",
		"http://x.com/x%c0%81",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nng_url *u = NULL;
		NUTS_FAIL(nng_url_parse(&u, bad[i]), NNG_EINVAL);
		NUTS_NULL(u);
	}
}

static void
test_null_arguments(void)
{
	nng_url *u = NULL;
	NUTS_FAIL(nng_url_parse(&u, NULL), NNG_EINVAL);
	NUTS_NULL(u);
	NUTS_FAIL(nng_url_parse(NULL, "tcp://x:1"), NNG_EINVAL);
	NUTS_FAIL(nng_url_clone(&u, NULL), NNG_EINVAL);
	NUTS_NULL(u);
	NUTS_PASS(nng_url_parse(&u, "tcp://x:1"));
	NUTS_FAIL(nng_url_clone(NULL, u), NNG_EINVAL);
	nng_url_free(u);
	nng_url_free(NULL);
}

static void
test_clone(void)
{
	nng_url *u;
	nng_url *c;
	NUTS_PASS(nng_url_parse(&u, "wss://me@Host:99/p/q?r=s#t"));
	NUTS_PASS(nng_url_clone(&c, u));
	NUTS_TRUE(c != u);
	NUTS_TRUE(c->u_rawurl != u->u_rawurl);
	NUTS_MATCH(c->u_rawurl, u->u_rawurl);
	NUTS_MATCH(c->u_scheme, "wss");
	NUTS_MATCH(c->u_userinfo, "me");
	NUTS_MATCH(c->u_host, "host:99");
	NUTS_MATCH(c->u_hostname, "host");
	NUTS_MATCH(c->u_port, "99");
	NUTS_MATCH(c->u_path, "/p/q");
	NUTS_MATCH(c->u_query, "r=s");
	NUTS_MATCH(c->u_fragment, "t");
	NUTS_MATCH(c->u_requri, "/p/q?r=s#t");
	nng_url_free(u);
	// The clone owns its own strings.
	NUTS_MATCH(c->u_host, "host:99");
	nng_url_free(c);

	// NULL fields stay NULL.
	NUTS_PASS(nng_url_parse(&u, "inproc://x"));
	NUTS_PASS(nng_url_clone(&c, u));
	NUTS_NULL(c->u_host);
	NUTS_NULL(c->u_requri);
	NUTS_MATCH(c->u_path, "x");
	nng_url_free(u);
	nng_url_free(c);
}

static void
test_layout(void)
{
	NUTS_EQ(sizeof(nng_url), 10 * sizeof(char *));
	NUTS_EQ(offsetof(nng_url, u_rawurl), 0);
	NUTS_EQ(offsetof(nng_url, u_scheme), sizeof(char *));
	NUTS_EQ(offsetof(nng_url, u_requri), 9 * sizeof(char *));
}

NUTS_TESTS = {
	{ "url abi table", test_abi_table },
	{ "url query fragment userinfo", test_query_fragment_userinfo },
	{ "url default ports", test_default_ports },
	{ "url canonify", test_canonify },
	{ "url ipv6 hosts", test_ipv6_hosts },
	{ "url bad urls", test_bad_urls },
	{ "url null arguments", test_null_arguments },
	{ "url clone", test_clone },
	{ "url layout", test_layout },
	{ NULL, NULL },
};
