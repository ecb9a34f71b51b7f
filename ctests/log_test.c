// Logging: filters, facilities, the variadic nng_log_* functions, the
// null, stderr and system loggers (reference API.md §14, ABI.md §4.6-4.7).
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "nuts.h"

typedef struct {
	nng_log_level    level;
	nng_log_facility facility;
	const char      *msgid;
	char             msg[600];
} entry;

static entry entries[16];
static int   count;

static void
recorder(nng_log_level level, nng_log_facility facility, const char *msgid,
    const char *msg)
{
	if (count < 16) {
		entry *e    = &entries[count++];
		e->level    = level;
		e->facility = facility;
		e->msgid    = msgid; // fine for string literals
		snprintf(e->msg, sizeof(e->msg), "%s", msg);
	}
}

static void
reset(void)
{
	count = 0;
	memset(entries, 0, sizeof(entries));
	nng_log_set_logger(recorder);
	nng_log_set_facility(NNG_LOG_USER);
}

static void
test_log_defaults(void)
{
	NUTS_EQ(nng_log_get_level(), NNG_LOG_NOTICE);
	nng_log_set_level(NNG_LOG_DEBUG);
	NUTS_EQ(nng_log_get_level(), NNG_LOG_DEBUG);
	nng_log_set_level(NNG_LOG_NOTICE);
	// The default logger is the null logger: nothing is recorded, and
	// nothing crashes.
	nng_log_err("X", "to the null logger");
	NUTS_EQ(NNG_LOG_NONE, 0);
	NUTS_EQ(NNG_LOG_ERR, 3);
	NUTS_EQ(NNG_LOG_DEBUG, 7);
	NUTS_EQ(NNG_LOG_AUTH, 10);
	NUTS_EQ(NNG_LOG_LOCAL7, 23);
}

static void
test_log_priority(void)
{
	reset();
	nng_log_set_level(NNG_LOG_WARN);
	nng_log_debug(NULL, "This should be filtered");
	nng_log_err("ERR", "This gets through");
	nng_log_notice("NOT", "This gets filtered");
	nng_log_warn("WRN", "This makes it");
	nng_log_info("INF", "Filtered!");
	nng_log_err("ERR", "Another error message");
	nng_log_auth(NNG_LOG_ERR, "AUTH", "authentication err");
	nng_log_auth(NNG_LOG_INFO, "AUTH", "filtered auth");
	nng_log_set_level(NNG_LOG_NONE);
	nng_log_err("ERR", "Yet Another error message - filtered");
	NUTS_EQ(count, 4);
	NUTS_MATCH(entries[0].msgid, "ERR");
	NUTS_EQ(entries[0].level, NNG_LOG_ERR);
	NUTS_MATCH(entries[0].msg, "This gets through");
	NUTS_MATCH(entries[1].msgid, "WRN");
	NUTS_EQ(entries[1].level, NNG_LOG_WARN);
	NUTS_MATCH(entries[2].msgid, "ERR");
	NUTS_MATCH(entries[3].msgid, "AUTH");
	NUTS_EQ(entries[3].level, NNG_LOG_ERR);
	NUTS_EQ(entries[3].facility, NNG_LOG_AUTH);
	nng_log_set_level(NNG_LOG_NOTICE);
}

static void
test_log_facility(void)
{
	reset();
	nng_log_set_level(NNG_LOG_WARN);
	nng_log_set_facility(NNG_LOG_LOCAL2);
	nng_log_err("001", "This is local2");
	nng_log_set_facility(NNG_LOG_DAEMON);
	nng_log_warn("002", "This is Daemon");
	// Facility 0 drops everything but auth messages.
	nng_log_set_facility(0);
	nng_log_err("003", "dropped");
	nng_log_auth(NNG_LOG_ERR, "004", "auth still goes");
	NUTS_EQ(count, 3);
	NUTS_EQ(entries[0].facility, NNG_LOG_LOCAL2);
	NUTS_EQ(entries[0].level, NNG_LOG_ERR);
	NUTS_EQ(entries[1].facility, NNG_LOG_DAEMON);
	NUTS_EQ(entries[1].level, NNG_LOG_WARN);
	NUTS_MATCH(entries[2].msgid, "004");
	NUTS_EQ(entries[2].facility, NNG_LOG_AUTH);
	nng_log_set_facility(NNG_LOG_USER);
	nng_log_set_level(NNG_LOG_NOTICE);
}

static void
test_log_format(void)
{
	static const char *id = "FMT";
	char               big[700];
	reset();
	nng_log_set_level(NNG_LOG_DEBUG);
	nng_log_info(id, "%d-%s-%05.1f-%c-%x", 42, "str", 2.5, 'z', 255u);
	nng_log_debug(NULL, "no msgid");
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	nng_log_notice("BIG", "%s", big);
	nng_log_notice("NULLFMT", NULL);
	NUTS_EQ(count, 3);
	// The msgid pointer is passed through untouched.
	NUTS_TRUE(entries[0].msgid == id);
	NUTS_MATCH(entries[0].msg, "42-str-002.5-z-ff");
	NUTS_NULL(entries[1].msgid);
	NUTS_MATCH(entries[1].msg, "no msgid");
	// Messages are cut at 511 bytes.
	NUTS_EQ(strlen(entries[2].msg), 511);
	nng_log_set_level(NNG_LOG_NOTICE);
}

static void
test_log_null_logger(void)
{
	reset();
	nng_log_set_level(NNG_LOG_DEBUG);
	nng_log_set_logger(nng_null_logger);
	nng_log_err("001", "dropped");
	nng_log_set_logger(recorder);
	nng_log_set_logger(NULL);
	nng_log_warn("003", "also dropped");
	NUTS_EQ(count, 0);
	nng_null_logger(NNG_LOG_ERR, NNG_LOG_USER, NULL, NULL);
	nng_log_set_level(NNG_LOG_NOTICE);
}

// Runs fn with stderr redirected into a fresh file (or to fd if >= 0) and
// returns what was written.
static char *
capture_stderr(void (*fn)(void), int fd)
{
	static char out[4096];
	char        path[] = "/tmp/nng_log_test_XXXXXX";
	int         saved  = dup(2);
	int         tmp    = fd;
	if (fd < 0) {
		NUTS_TRUE((tmp = mkstemp(path)) >= 0);
		unlink(path);
	}
	fflush(stderr);
	NUTS_TRUE(dup2(tmp, 2) == 2);
	fn();
	fflush(stderr);
	NUTS_TRUE(dup2(saved, 2) == 2);
	close(saved);
	memset(out, 0, sizeof(out));
	if (fd < 0) {
		lseek(tmp, 0, SEEK_SET);
		NUTS_TRUE(read(tmp, out, sizeof(out) - 1) > 0);
		close(tmp);
	}
	return (out);
}

static void
log_some(void)
{
	nng_log_set_level(NNG_LOG_DEBUG);
	nng_log_notice("TESTMSG", "This notice has a msg id");
	nng_log_info(NULL, "no id");
	nng_log_err("NL", "ends in a newline\n");
	nng_log_set_level((nng_log_level) 100);
	nng_log_auth(99, "WTF", "This should be NONE");
	nng_log_set_level(NNG_LOG_NOTICE);
}

// Checks "[LEVEL ]: HH:MM:SS.mmm: " at the start of line and returns the
// text after it.
static const char *
after_stamp(const char *line, const char *level)
{
	char want[16];
	snprintf(want, sizeof(want), "[%-6s]: ", level);
	NUTS_TRUE(strncmp(line, want, 10) == 0);
	line += 10;
	// HH:MM:SS.mmm
	for (int i = 0; i < 12; i++) {
		if (i == 2 || i == 5) {
			NUTS_EQ(line[i], ':');
		} else if (i == 8) {
			NUTS_EQ(line[i], '.');
		} else {
			NUTS_TRUE(line[i] >= '0' && line[i] <= '9');
		}
	}
	NUTS_TRUE(strncmp(line + 12, ": ", 2) == 0);
	return (line + 14);
}

static void
test_log_stderr_format(void)
{
	nng_log_set_logger(nng_stderr_logger);
	char *out = capture_stderr(log_some, -1);
	nng_log_set_logger(NULL);

	// The first message of a day is preceded by a NNG-DATE line.
	char *line = strtok(out, "\n");
	NUTS_TRUE(line != NULL);
	const char *rest = after_stamp(line, "DEBUG");
	NUTS_TRUE(strncmp(rest, "NNG-DATE: Date changed to ", 26) == 0);
	NUTS_TRUE(strstr(rest, ", TZ is ") != NULL);

	line = strtok(NULL, "\n");
	NUTS_MATCH(after_stamp(line, "NOTICE"), "TESTMSG: This notice has a msg id");
	line = strtok(NULL, "\n");
	NUTS_MATCH(after_stamp(line, "INFO"), "no id");
	// A message ending in a newline gets no second one.
	line = strtok(NULL, "\n");
	NUTS_MATCH(after_stamp(line, "ERROR"), "NL: ends in a newline");
	line = strtok(NULL, "\n");
	NUTS_MATCH(after_stamp(line, "NONE"), "WTF: This should be NONE");
	NUTS_NULL(strtok(NULL, "\n"));
	NUTS_TRUE(strstr(out, "\x1b[") == NULL);
}

static void
log_err_mono(void)
{
	nng_log_err("MONO", "Colored?");
}

static void
log_info_mono(void)
{
	nng_log_info("MONO", "Info is never colored");
}

// Reads what the logger wrote to the pty.
static char *
pty_read(int master)
{
	static char   buf[1024];
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	memset(buf, 0, sizeof(buf));
	NUTS_TRUE(poll(&pfd, 1, 5000) == 1);
	NUTS_TRUE(read(master, buf, sizeof(buf) - 1) > 0);
	return (buf);
}

static void
test_log_stderr_colors(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	NUTS_TRUE(master >= 0);
	NUTS_PASS(grantpt(master));
	NUTS_PASS(unlockpt(master));
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	NUTS_TRUE(slave >= 0);
	unsetenv("NO_COLOR");
	unsetenv("NNG_LOG_NO_COLOR");
	setenv("TERM", "xterm", 1);
	nng_log_set_logger(nng_stderr_logger);
	nng_log_set_level(NNG_LOG_DEBUG);

	// The first message of the process also carries the NNG-DATE line.
	capture_stderr(log_info_mono, slave);
	pty_read(master);

	capture_stderr(log_err_mono, slave);
	char *out = pty_read(master);
	NUTS_TRUE(strncmp(out, "\x1b[31m[ERROR ]: ", 15) == 0);
	NUTS_TRUE(strstr(out, "MONO: Colored?\x1b[0m") != NULL);

	capture_stderr(log_info_mono, slave);
	out = pty_read(master);
	NUTS_TRUE(strncmp(out, "[INFO  ]: ", 10) == 0);
	NUTS_TRUE(strstr(out, "\x1b[") == NULL);

	setenv("NO_COLOR", "", 1);
	capture_stderr(log_err_mono, slave);
	out = pty_read(master);
	NUTS_TRUE(strncmp(out, "[ERROR ]: ", 10) == 0);
	NUTS_TRUE(strstr(out, "\x1b[") == NULL);
	unsetenv("NO_COLOR");

	setenv("NNG_LOG_NO_COLOR", "", 1);
	capture_stderr(log_err_mono, slave);
	out = pty_read(master);
	NUTS_TRUE(strstr(out, "\x1b[") == NULL);
	unsetenv("NNG_LOG_NO_COLOR");

	setenv("TERM", "", 1);
	capture_stderr(log_err_mono, slave);
	out = pty_read(master);
	NUTS_TRUE(strstr(out, "\x1b[") == NULL);

	nng_log_set_logger(NULL);
	nng_log_set_level(NNG_LOG_NOTICE);
	close(slave);
	close(master);
}

static void
test_log_stderr_direct(void)
{
	// Called directly, the stderr logger prints whatever it is given.
	nng_stderr_logger(NNG_LOG_WARN, NNG_LOG_USER, "DIRECT", "hello");
	nng_stderr_logger(NNG_LOG_WARN, NNG_LOG_USER, NULL, NULL);
}

static void
test_log_system_logger(void)
{
	nng_log_set_logger(nng_system_logger);
	nng_log_set_level(NNG_LOG_DEBUG);
	int facilities[] = { NNG_LOG_USER, NNG_LOG_DAEMON, NNG_LOG_AUTH,
		NNG_LOG_LOCAL0, NNG_LOG_LOCAL7, 77 };
	for (size_t i = 0; i < sizeof(facilities) / sizeof(int); i++) {
		nng_log_set_facility(facilities[i]);
		nng_log_debug("NNG-TEST", "nng log test (%d), ignore me", (int) i);
	}
	nng_log_set_facility(NNG_LOG_USER);
	nng_log_info(NULL, "nng log test without msgid, ignore me");
	nng_system_logger(NNG_LOG_ERR, NNG_LOG_USER, NULL, NULL);
	nng_log_set_logger(NULL);
	nng_log_set_level(NNG_LOG_NOTICE);
	NUTS_EQ(nng_log_get_level(), NNG_LOG_NOTICE);
}

NUTS_TESTS = {
	{ "log defaults", test_log_defaults },
	{ "log priority", test_log_priority },
	{ "log facility", test_log_facility },
	{ "log format", test_log_format },
	{ "log null logger", test_log_null_logger },
	{ "log stderr format", test_log_stderr_format },
	{ "log stderr colors", test_log_stderr_colors },
	{ "log stderr direct", test_log_stderr_direct },
	{ "log system logger", test_log_system_logger },
	{ NULL, NULL },
};
