// Helpers several C tests share: certificate material made with the
// openssl CLI at test time, and a free TCP port. Include after nuts.h;
// everything here is static (one test program per file).
//
// The certificates (EC P-256): ca.crt/ca.key, a CA "TestCA"; srv.crt/
// srv.key, a server certificate for localhost and 127.0.0.1 (server and
// client use) signed by it; both.pem, srv.crt then srv.key. A test that
// needs more names the extra shell commands (run in the same directory).

#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// Each program uses some of these.
#define TESTUTIL_FN static __attribute__((unused))

// The directory holding the certificates ("" until made).
static char certs_dir[64];

// `name` in the certificates' directory (one of four rotating buffers, so
// a call can take several).
TESTUTIL_FN const char *
path_of(const char *name)
{
	static char buf[4][128];
	static int  i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", certs_dir, name);
	return (buf[i]);
}

// Makes the certificates once per program, in a fresh directory whose name
// holds `tag`, then runs the shell commands `more` ("" for none) there.
TESTUTIL_FN void
make_certs_with(const char *tag, const char *more)
{
	char cmd[2048];
	if (certs_dir[0] != 0) {
		return;
	}
	snprintf(certs_dir, sizeof(certs_dir), "/tmp/nng-%s-XXXXXX", tag);
	NUTS_TRUE(mkdtemp(certs_dir) != NULL);
	snprintf(cmd, sizeof(cmd),
	    "(cd %s && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout ca.key -out ca.crt -subj /CN=TestCA -days 30 && "
	    "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n"
	    "extendedKeyUsage=serverAuth,clientAuth\\n' > ext && "
	    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	    "-keyout srv.key -out srv.csr -subj /CN=localhost && "
	    "openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key "
	    "-CAcreateserial -out srv.crt -days 30 -extfile ext && "
	    "cat srv.crt srv.key > both.pem %s %s) >/dev/null 2>&1",
	    certs_dir, more[0] != 0 ? "&&" : "", more);
	NUTS_TRUE(system(cmd) == 0);
}

// Removes the certificates' directory, if made.
TESTUTIL_FN void
remove_certs(void)
{
	char cmd[128];
	if (certs_dir[0] != 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", certs_dir);
		NUTS_TRUE(system(cmd) == 0);
		certs_dir[0] = 0;
	}
}

// A free TCP port on 127.0.0.1: bind port 0, read it, release it.
TESTUTIL_FN int
free_port(void)
{
	int                fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	socklen_t          len = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family      = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	NUTS_TRUE(fd >= 0);
	NUTS_TRUE(bind(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0);
	NUTS_TRUE(getsockname(fd, (struct sockaddr *) &sa, &len) == 0);
	close(fd);
	return (ntohs(sa.sin_port));
}

#endif // TESTUTIL_H
