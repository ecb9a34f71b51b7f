// The nngcat harness of the interop tests: Debian's nngcat (linked to
// Debian's libnng 1.5.2, or with LD_PRELOAD to ours) in child processes
// whose stdout we read through a pipe with deadlines, plus the socket
// helpers those tests share. Include after nuts.h, with TIMEOUT_MS (ms)
// defined; everything here is static (one test program per file).
//
// nngcat runs in an environment without LD_LIBRARY_PATH or LD_PRELOAD, so
// it loads the system's libnng, never ours, unless asked for ours. With
// --raw it prints each message body it receives, unframed, on its stdout.
// Every nngcat started is killed at exit if still running, even when a
// check fails.

#ifndef NNGCAT_H
#define NNGCAT_H

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#ifndef TIMEOUT_MS
#error "define TIMEOUT_MS before including nngcat.h"
#endif

#define NNGCAT "/usr/bin/nngcat"

// Each program uses some of these.
#define NNGCAT_FN static __attribute__((unused))

extern char **environ;

typedef struct {
	pid_t pid;
	int   out; // read end of its stdout
} cat;

#define MAX_CATS 8
static pid_t cats_alive[MAX_CATS];

NNGCAT_FN void
cats_kill_all(void)
{
	for (int i = 0; i < MAX_CATS; i++) {
		if (cats_alive[i] > 0) {
			kill(cats_alive[i], SIGKILL);
			waitpid(cats_alive[i], NULL, 0);
			cats_alive[i] = 0;
		}
	}
}

NNGCAT_FN void
cats_track(pid_t pid, bool add)
{
	for (int i = 0; i < MAX_CATS; i++) {
		if (add ? cats_alive[i] == 0 : cats_alive[i] == pid) {
			cats_alive[i] = add ? pid : 0;
			return;
		}
	}
}

// Path of the libnng this program runs (ours): the libnng mapped into this
// process, read from /proc/self/maps (resolved paths).
NNGCAT_FN const char *
our_lib(void)
{
	static char path[4096];
	if (path[0] == '\0') {
		char  line[4600];
		FILE *f = fopen("/proc/self/maps", "r");
		NUTS_TRUE(f != NULL);
		while (fgets(line, sizeof(line), f) != NULL) {
			char *p = strchr(line, '/');
			if (p != NULL && strstr(p, "/libnng.so") != NULL) {
				p[strcspn(p, "\n")] = '\0';
				snprintf(path, sizeof(path), "%s", p);
				break;
			}
		}
		fclose(f);
		NUTS_TRUE(path[0] != '\0');
	}
	return (path);
}

// The environment for nngcat: without the loader overrides (Debian's
// libnng), or with LD_PRELOAD naming our library (`ours`).
NNGCAT_FN char **
cat_env(bool ours)
{
	static char *env[512];
	static char  preload[4200];
	int          n = 0;
	if (ours) {
		snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", our_lib());
		env[n++] = preload;
	}
	for (char **e = environ; *e != NULL && n < 511; e++) {
		if (strncmp(*e, "LD_LIBRARY_PATH=", 16) == 0 ||
		    strncmp(*e, "LD_PRELOAD=", 11) == 0) {
			continue;
		}
		env[n++] = *e;
	}
	env[n] = NULL;
	return (env);
}

// Starts the program `argv[0]` (looked up in PATH) with `argv`
// (NULL-terminated) as a child whose stdout `c` reads, on Debian's libnng
// or (`ours`) on ours. Returns 0, or the error that kept it from starting.
NNGCAT_FN int
child_start(cat *c, bool ours, const char *const *argv)
{
	int fds[2];

	static bool cleanup;
	if (!cleanup) {
		// Never leave a child behind, even when a check fails.
		atexit(cats_kill_all);
		cleanup = true;
	}
	if (pipe(fds) != 0) {
		return (errno);
	}
	posix_spawn_file_actions_t fa;
	NUTS_TRUE(posix_spawn_file_actions_init(&fa) == 0);
	NUTS_TRUE(posix_spawn_file_actions_adddup2(&fa, fds[1], 1) == 0);
	NUTS_TRUE(posix_spawn_file_actions_addclose(&fa, fds[0]) == 0);
	NUTS_TRUE(posix_spawn_file_actions_addclose(&fa, fds[1]) == 0);
	int rv = posix_spawnp(&c->pid, argv[0], &fa, NULL,
	    (char *const *) argv, cat_env(ours));
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rv != 0) {
		close(fds[0]);
		return (rv);
	}
	cats_track(c->pid, true);
	c->out = fds[0];
	fcntl(c->out, F_SETFL, O_NONBLOCK);
	return (0);
}

// Starts nngcat with the arguments of the NULL-terminated list `args`, on
// Debian's libnng or (`ours`) on ours.
NNGCAT_FN void
cat_startv(cat *c, bool ours, const char **args)
{
	const char *argv[32];
	int         argc = 0;
	argv[argc++]     = NNGCAT;
	for (const char **a = args; *a != NULL && argc < 31; a++) {
		argv[argc++] = *a;
	}
	argv[argc] = NULL;
	int rv     = child_start(c, ours, argv);
	if (rv != 0) {
		NUTS_ABORT_("cannot run %s: %s (install nng-utils)", NNGCAT,
		    strerror(rv));
	}
}

// Collects variadic string arguments up to a NULL into `args` (32 slots).
#define CAT_ARGS(args, last)                                               \
	do {                                                               \
		int     n_ = 0;                                            \
		va_list ap_;                                               \
		va_start(ap_, last);                                       \
		for (const char *a_ = va_arg(ap_, const char *);           \
		     a_ != NULL && n_ < 31; a_ = va_arg(ap_, const char *)) { \
			args[n_++] = a_;                                   \
		}                                                          \
		va_end(ap_);                                               \
		args[n_] = NULL;                                           \
	} while (0)

// Starts nngcat on Debian's libnng with the given arguments
// (NULL-terminated).
NNGCAT_FN void
cat_start(cat *c, ...)
{
	const char *args[32];
	CAT_ARGS(args, c);
	cat_startv(c, false, args);
}

// Starts nngcat on Debian's libnng or (`ours`) on ours, with the given
// arguments (NULL-terminated).
NNGCAT_FN void
cat_start_on(cat *c, bool ours, ...)
{
	const char *args[32];
	CAT_ARGS(args, ours);
	cat_startv(c, ours, args);
}

NNGCAT_FN long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

// Reads the child's output until `want` bytes came, it closed its stdout,
// or `ms` passed. Returns the count.
NNGCAT_FN size_t
cat_read_for(cat *c, char *buf, size_t want, int ms)
{
	size_t    got      = 0;
	long long deadline = now_ms() + ms;
	while (got < want) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			break;
		}
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		if (poll(&pfd, 1, (int) left) <= 0) {
			continue;
		}
		ssize_t n = read(c->out, buf + got, want - got);
		if (n == 0) {
			break;
		}
		if (n > 0) {
			got += (size_t) n;
		} else if (errno != EAGAIN && errno != EINTR) {
			break;
		}
	}
	return (got);
}

// cat_read_for with the test's timeout.
NNGCAT_FN size_t
cat_read(cat *c, char *buf, size_t want)
{
	return (cat_read_for(c, buf, want, TIMEOUT_MS));
}

// Expects nngcat to print exactly `expect` (and nothing more before it
// exits or closes its output).
NNGCAT_FN void
cat_expect(cat *c, const char *expect)
{
	char  *buf = malloc(strlen(expect) + 1);
	size_t len = strlen(expect);
	NUTS_TRUE(buf != NULL);
	size_t got = cat_read(c, buf, len);
	buf[got]   = '\0';
	if (got != len || memcmp(buf, expect, len) != 0) {
		NUTS_ABORT_("the peer printed %zu bytes \"%.40s\", expected %zu "
		    "bytes \"%.40s\"", got, buf, len, expect);
	}
	free(buf);
}

// Waits up to `ms` for the child to exit (nngcat exits by itself after
// --count messages); returns its exit status. Kills it if it does not exit
// in time.
NNGCAT_FN int
cat_wait_for(cat *c, int ms)
{
	long long deadline = now_ms() + ms;
	int       status   = 0;
	for (;;) {
		pid_t r = waitpid(c->pid, &status, WNOHANG);
		if (r == c->pid) {
			break;
		}
		if (now_ms() > deadline) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &status, 0);
			cats_track(c->pid, false);
			close(c->out);
			NUTS_ABORT_("the peer did not exit in time");
		}
		// nngcat closes its stdout only when it exits: wait for that
		// instead of polling the process.
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		char          drain[64];
		if (poll(&pfd, 1, 100) > 0 &&
		    read(c->out, drain, sizeof(drain)) == 0) {
			waitpid(c->pid, &status, 0);
			break;
		}
	}
	cats_track(c->pid, false);
	close(c->out);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

// cat_wait_for with the test's timeout.
NNGCAT_FN int
cat_wait(cat *c)
{
	return (cat_wait_for(c, TIMEOUT_MS));
}

// Stops an nngcat that would go on (a sender looping on --interval).
NNGCAT_FN void
cat_stop(cat *c)
{
	kill(c->pid, SIGTERM);
	waitpid(c->pid, NULL, 0);
	cats_track(c->pid, false);
	close(c->out);
}

NNGCAT_FN void
timeouts(nng_socket s)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT_MS));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT_MS));
}

NNGCAT_FN void
send_str(nng_socket s, const char *str)
{
	NUTS_PASS(nng_send(s, (void *) str, strlen(str), 0));
}

NNGCAT_FN void
recv_str(nng_socket s, const char *expect)
{
	nng_msg *m;
	NUTS_PASS(nng_recvmsg(s, &m, 0));
	if (nng_msg_len(m) != strlen(expect) ||
	    memcmp(nng_msg_body(m), expect, strlen(expect)) != 0) {
		NUTS_ABORT_("received %zu bytes \"%.*s\", expected %zu bytes",
		    nng_msg_len(m), (int) (nng_msg_len(m) > 40 ? 40 : nng_msg_len(m)),
		    (char *) nng_msg_body(m), strlen(expect));
	}
	nng_msg_free(m);
}

// Pipe watching: watch_pipes(s) counts the pipes added to `s` from then
// on; wait_pipe() waits (up to TIMEOUT_MS) until one was.
static nng_mtx *pipe_mtx;
static nng_cv  *pipe_cv;
static int      pipes_added;

NNGCAT_FN void
on_pipe_added(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void) p;
	(void) ev;
	(void) arg;
	nng_mtx_lock(pipe_mtx);
	pipes_added++;
	nng_cv_wake(pipe_cv);
	nng_mtx_unlock(pipe_mtx);
}

NNGCAT_FN void
watch_pipes(nng_socket s)
{
	if (pipe_mtx == NULL) {
		NUTS_PASS(nng_mtx_alloc(&pipe_mtx));
		NUTS_PASS(nng_cv_alloc(&pipe_cv, pipe_mtx));
	}
	pipes_added = 0;
	NUTS_PASS(nng_pipe_notify(s, NNG_PIPE_EV_ADD_POST, on_pipe_added, NULL));
}

NNGCAT_FN void
wait_pipe(void)
{
	nng_time deadline = nng_clock() + TIMEOUT_MS;
	nng_mtx_lock(pipe_mtx);
	while (pipes_added == 0) {
		if (nng_cv_until(pipe_cv, deadline) == NNG_ETIMEDOUT) {
			break;
		}
	}
	int n = pipes_added;
	nng_mtx_unlock(pipe_mtx);
	NUTS_TRUE(n > 0);
}

#endif // NNGCAT_H
