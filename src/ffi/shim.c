// SPDX-License-Identifier: MIT
//
// The variadic logging functions of <nng/nng.h>, which stable Rust cannot
// define. Each asks Rust whether the message will be delivered at all, and
// only then formats it (vsnprintf into 512 bytes, so at most 511 characters
// reach the logger) and hands the text to Rust. Everything else about
// logging lives in src/ffi/log.rs and src/supplemental/log.rs.

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

// Defined in src/ffi/log.rs. Declared hidden here, which makes them hidden
// in the linked libnng.so: they are internal, not part of the API.
__attribute__((visibility("hidden"))) extern int rsnng_log_filter(
    int level, int facility);
__attribute__((visibility("hidden"))) extern void rsnng_log_deliver(
    int level, int facility, const char *msgid, const char *msg);

// The public prototypes (as in <nng/nng.h>, generated from src/ffi/log.rs);
// repeated here because this file is compiled before the headers exist.
void nng_log_err(const char *msgid, const char *msg, ...);
void nng_log_warn(const char *msgid, const char *msg, ...);
void nng_log_notice(const char *msgid, const char *msg, ...);
void nng_log_info(const char *msgid, const char *msg, ...);
void nng_log_debug(const char *msgid, const char *msg, ...);
void nng_log_auth(int level, const char *msgid, const char *msg, ...);

// Levels and facilities (ABI.md §4.6-4.7).
#define SHIM_LOG_ERR 3
#define SHIM_LOG_WARN 4
#define SHIM_LOG_NOTICE 5
#define SHIM_LOG_INFO 6
#define SHIM_LOG_DEBUG 7
#define SHIM_LOG_AUTH 10
// Asks Rust to use the current facility.
#define SHIM_FACILITY_CURRENT (-1)

static void
shim_vlog(int level, int facility, const char *msgid, const char *msg,
    va_list ap)
{
	char buf[512];

	facility = rsnng_log_filter(level, facility);
	// A NULL format has nothing to print (upstream would crash).
	if ((facility == 0) || (msg == NULL)) {
		return;
	}
	(void) vsnprintf(buf, sizeof(buf), msg, ap);
	rsnng_log_deliver(level, facility, msgid, buf);
}

#define SHIM_LOG_FN(name, level)                                        \
	void name(const char *msgid, const char *msg, ...)              \
	{                                                               \
		va_list ap;                                             \
		va_start(ap, msg);                                      \
		shim_vlog(level, SHIM_FACILITY_CURRENT, msgid, msg, ap); \
		va_end(ap);                                             \
	}

SHIM_LOG_FN(nng_log_err, SHIM_LOG_ERR)
SHIM_LOG_FN(nng_log_warn, SHIM_LOG_WARN)
SHIM_LOG_FN(nng_log_notice, SHIM_LOG_NOTICE)
SHIM_LOG_FN(nng_log_info, SHIM_LOG_INFO)
SHIM_LOG_FN(nng_log_debug, SHIM_LOG_DEBUG)

void
nng_log_auth(int level, const char *msgid, const char *msg, ...)
{
	va_list ap;
	va_start(ap, msg);
	shim_vlog(level, SHIM_LOG_AUTH, msgid, msg, ap);
	va_end(ap);
}
