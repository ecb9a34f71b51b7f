// Every public header compiled as C++ (-Wall -Wextra -Werror), in one
// translation unit, then a few calls that must link with C linkage.
// Upstream's list of header paths (v1.12.0); a path that disappears breaks
// this file, as it would break a user's build.

#include <nng/nng.h>

#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>

#include <nng/transport/inproc/inproc.h>
#include <nng/transport/ipc/ipc.h>
#include <nng/transport/tcp/tcp.h>
#include <nng/transport/tls/tls.h>
#include <nng/transport/ws/websocket.h>
#include <nng/transport/zerotier/zerotier.h>

#include <nng/supplemental/http/http.h>
#include <nng/supplemental/tls/engine.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/supplemental/util/idhash.h>
#include <nng/supplemental/util/options.h>
#include <nng/supplemental/util/platform.h>

#include <nng/compat/nanomsg/bus.h>
#include <nng/compat/nanomsg/inproc.h>
#include <nng/compat/nanomsg/ipc.h>
#include <nng/compat/nanomsg/nn.h>
#include <nng/compat/nanomsg/pair.h>
#include <nng/compat/nanomsg/pipeline.h>
#include <nng/compat/nanomsg/pubsub.h>
#include <nng/compat/nanomsg/reqrep.h>
#include <nng/compat/nanomsg/survey.h>
#include <nng/compat/nanomsg/tcp.h>
#include <nng/compat/nanomsg/ws.h>

#include <cstdio>
#include <cstring>

// Headers must be includable twice (include guards).
#include <nng/nng.h>
#include <nng/compat/nanomsg/nn.h>

static int failures = 0;

static void
check(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "FAIL: %s\n", what);
		failures++;
	}
}

int
main()
{
	// Handle initializers and by-value handles work in C++.
	nng_socket   s = NNG_SOCKET_INITIALIZER;
	nng_dialer   d = NNG_DIALER_INITIALIZER;
	nng_listener l = NNG_LISTENER_INITIALIZER;
	nng_pipe     p = NNG_PIPE_INITIALIZER;
	nng_ctx      c = NNG_CTX_INITIALIZER;
	check(s.id == 0 && d.id == 0 && l.id == 0 && p.id == 0 && c.id == 0,
	    "handle initializers are zero");

	nng_sockaddr sa;
	std::memset(&sa, 0, sizeof(sa));
	sa.s_in.sa_family = NNG_AF_INET;
	check(sa.s_family == NNG_AF_INET, "sockaddr union members overlay");

	nng_duration dur = NNG_DURATION_INFINITE;
	check(dur == -1, "NNG_DURATION_INFINITE");

	// C linkage: these resolve against libnng.
	const char *v = nng_version();
	char        want[32];
	std::snprintf(want, sizeof(want), "%d.%d.%d%s", NNG_MAJOR_VERSION,
	    NNG_MINOR_VERSION, NNG_PATCH_VERSION, NNG_RELEASE_SUFFIX);
	check(v != nullptr && std::strcmp(v, want) == 0,
	    "nng_version() matches the header");
	check(std::strcmp(nng_strerror(NNG_ENOMEM), "Out of memory") == 0,
	    "nng_strerror(NNG_ENOMEM)");

	void *mem = nng_alloc(16);
	check(mem != nullptr, "nng_alloc");
	nng_free(mem, 16);

	if (failures != 0) {
		std::printf("0 passed, 1 failed\n");
		return 1;
	}
	std::printf("1 passed, 0 failed\n");
	return 0;
}
