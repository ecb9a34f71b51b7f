// Shared by perf/suite_bench.c and perf/suite_zmq.c: the clock
// (perf/clock.h), the second URL of push/pull latency, and where the
// listening end of a case runs.
//
// inproc:// exists within one process only: there the listener is a
// second thread. Every other transport (ipc, tcp, tls+tcp, ws) connects two
// processes, as the raw floor (perf/rawfloor.c) does: the listener is a
// forked child, so each end has its library's threads (pollers, I/O
// threads) to itself and no library serves both ends of a case with one
// thread.
//
// The parent calls ends_start() before any call into the library (a forked
// child must not inherit a library's threads), then ends_finish() when its
// side is done. The listener function calls ends_listening() once it
// listens and leaves the time of a one-way flood in thr_elapsed.
#ifndef SUITE_COMMON_H
#define SUITE_COMMON_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

// The second URL of push/pull latency (the way back): the next port for a
// URL with one (tcp, tls+tcp, ws; any path kept), else the name with "r"
// appended (ipc, inproc).
static void
second_url(const char *url, char *url2, size_t len)
{
	const char *host  = strstr(url, "://");
	const char *path  = host != NULL ? strchr(host + 3, '/') : NULL;
	const char *colon = NULL;
	if (host != NULL && strncmp(url, "ipc", 3) != 0 &&
	    strncmp(url, "inproc", 6) != 0) {
		// The port's colon: the last one before the path.
		for (const char *c = host + 3; *c != '\0' && c != path; c++) {
			if (*c == ':') {
				colon = c;
			}
		}
	}
	if (colon != NULL) {
		snprintf(url2, len, "%.*s:%d%s", (int) (colon - url), url,
		    atoi(colon + 1) + 1, path != NULL ? path : "");
	} else {
		snprintf(url2, len, "%sr", url);
	}
}

// For qsort of doubles.
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return (x < y ? -1 : x > y);
}

static double thr_elapsed; // the listener's timing of a one-way flood (s)

static int             ends_forked;  // the listener is a child process
static pid_t           ends_child;   // ... this one
static int             ends_up[2];   // child to parent: 'L', then thr_elapsed
static int             ends_down[2]; // parent to child: closed when done
static pthread_t       ends_thread;  // else a thread
static pthread_mutex_t ends_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  ends_cv  = PTHREAD_COND_INITIALIZER;
static int             ends_up_yet;

static void
ends_fail(const char *what)
{
	fprintf(stderr, "listening end: %s\n", what);
	exit(1);
}

// The listener listens: the dialing end may go on.
static void
ends_listening(void)
{
	if (ends_forked) {
		char c = 'L';
		if (write(ends_up[1], &c, 1) != 1) {
			_exit(1);
		}
		return;
	}
	pthread_mutex_lock(&ends_mtx);
	ends_up_yet = 1;
	pthread_cond_signal(&ends_cv);
	pthread_mutex_unlock(&ends_mtx);
}

// Whether the listener for url runs in a child process.
static int
ends_fork(const char *url)
{
	return (strncmp(url, "inproc://", 9) != 0);
}

// Runs listener (a thread for inproc:// URLs, else a child process) and
// returns once it called ends_listening().
static void
ends_start(const char *url, void *(*listener)(void *) )
{
	ends_forked = ends_fork(url);
	if (!ends_forked) {
		pthread_create(&ends_thread, NULL, listener, NULL);
		pthread_mutex_lock(&ends_mtx);
		while (!ends_up_yet) {
			pthread_cond_wait(&ends_cv, &ends_mtx);
		}
		pthread_mutex_unlock(&ends_mtx);
		return;
	}
	if (pipe(ends_up) != 0 || pipe(ends_down) != 0) {
		ends_fail("pipe");
	}
	fflush(NULL);
	ends_child = fork();
	if (ends_child < 0) {
		ends_fail("fork");
	}
	if (ends_child == 0) {
		close(ends_up[0]);
		close(ends_down[1]);
		listener(NULL);
		if (write(ends_up[1], &thr_elapsed, sizeof(thr_elapsed)) !=
		    (ssize_t) sizeof(thr_elapsed)) {
			_exit(1);
		}
		// Stay (and keep the sockets open, so that nothing still in
		// flight is lost) until the parent is done.
		char c;
		while (read(ends_down[0], &c, 1) > 0) {
		}
		_exit(0);
	}
	close(ends_up[1]);
	close(ends_down[0]);
	char c;
	if (read(ends_up[0], &c, 1) != 1) {
		ends_fail("did not start");
	}
}

// Waits for the listener to be done; thr_elapsed is then its timing.
static void
ends_finish(void)
{
	if (!ends_forked) {
		pthread_join(ends_thread, NULL);
		return;
	}
	if (read(ends_up[0], &thr_elapsed, sizeof(thr_elapsed)) !=
	    (ssize_t) sizeof(thr_elapsed)) {
		ends_fail("failed");
	}
	close(ends_down[1]);
	int st;
	if (waitpid(ends_child, &st, 0) != ends_child || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		ends_fail("exited with an error");
	}
}

#endif // SUITE_COMMON_H
