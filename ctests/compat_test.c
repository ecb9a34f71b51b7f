// The nanomsg compatibility API (<nng/compat/nanomsg/nn.h>): errors,
// message buffers and control-message helpers. Socket functions come with
// the socket layer.

#include <errno.h>
#include <string.h>

#include <nng/compat/nanomsg/nn.h>
#include <nng/compat/nanomsg/pair.h>

#include "nuts.h"

static void
test_strerror_maps_errno_to_nng_text(void)
{
	NUTS_MATCH(nn_strerror(EINVAL), "Invalid argument");
	NUTS_MATCH(nn_strerror(EBADF), "Object closed");
	NUTS_MATCH(nn_strerror(EACCES), "Permission denied");
	NUTS_MATCH(nn_strerror(ENOTSUP), "Not supported");
	NUTS_MATCH(nn_strerror(ETIMEDOUT), "Timed out");
	NUTS_MATCH(nn_strerror(EHOSTUNREACH), "Destination unreachable");
	NUTS_MATCH(nn_strerror(EMFILE), "Out of files");
	NUTS_MATCH(nn_strerror(EFSM), "Incorrect state");
	NUTS_MATCH(nn_strerror(EIO), "Unknown I/O error");
	NUTS_MATCH(nn_strerror(ETERM), "Unknown error 268435485");
	NUTS_MATCH(nn_strerror(0), "Unknown error 0");
}

static void
test_errno_reports_last_failure(void)
{
	errno = 0;
	NUTS_EQ(nn_socket(AF_SP + 42, NN_PAIR), -1);
	NUTS_EQ(nn_errno(), EAFNOSUPPORT);
	NUTS_EQ(errno, EAFNOSUPPORT);
	NUTS_EQ(nn_socket(AF_SP, 4242), -1);
	NUTS_EQ(nn_errno(), ENOTSUP);
	NUTS_EQ(nn_send(1, "x", 1, 42), -1);
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_EQ(nn_recvmsg(1, NULL, 0), -1);
	NUTS_EQ(nn_errno(), EINVAL);
	errno = EPIPE;
	NUTS_EQ(nn_errno(), EPIPE);
}

static void
test_allocmsg_rejects_bad_arguments(void)
{
	NUTS_NULL(nn_allocmsg(0, 0));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_NULL(nn_allocmsg(16, 1));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_NULL(nn_allocmsg((size_t) -1, 0));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_NULL(nn_allocmsg(((size_t) -1) / 2, 0));
	NUTS_EQ(nn_errno(), ENOMEM);
	NUTS_EQ(nn_freemsg(NULL), -1);
	NUTS_EQ(nn_errno(), EFAULT);
}

static void
test_allocmsg_round_trip(void)
{
	char *buf;
	char *big;
	char *small;

	buf = (char *) nn_allocmsg(6, 0);
	NUTS_TRUE(buf != NULL);
	NUTS_TRUE(((uintptr_t) buf % sizeof(void *)) == 0);
	for (int i = 0; i < 6; i++) {
		NUTS_EQ(buf[i], 0);
	}
	memcpy(buf, "hello", 6);

	big = (char *) nn_reallocmsg(buf, 100000);
	NUTS_TRUE(big != NULL);
	NUTS_MATCH(big, "hello");
	for (int i = 6; i < 100000; i++) {
		NUTS_EQ(big[i], 0);
	}
	big[99999] = 'z';

	// A failed resize leaves the buffer as it was.
	NUTS_NULL(nn_reallocmsg(big, (size_t) -1));
	NUTS_EQ(nn_errno(), EINVAL);
	NUTS_EQ(big[99999], 'z');

	small = (char *) nn_reallocmsg(big, 3);
	NUTS_TRUE(small != NULL);
	NUTS_TRUE(memcmp(small, "hel", 3) == 0);
	NUTS_EQ(nn_freemsg(small), 0);

	NUTS_NULL(nn_reallocmsg(NULL, 3));
	NUTS_EQ(nn_errno(), EINVAL);
}

static void
test_cmsg_macros_and_next(void)
{
	union {
		size_t align;
		char   data[64];
	} ctl;
	struct nn_msghdr   mh;
	struct nn_cmsghdr *ch;
	size_t             hdr = NN_CMSG_ALIGN(sizeof(struct nn_cmsghdr));

	NUTS_EQ(NN_CMSG_ALIGN(1), sizeof(size_t));
	NUTS_EQ(NN_CMSG_ALIGN(sizeof(size_t)), sizeof(size_t));
	NUTS_EQ(NN_CMSG_SPACE(4), NN_CMSG_ALIGN(4) + hdr);
	NUTS_EQ(NN_CMSG_LEN(4), hdr + 4);

	memset(&ctl, 0, sizeof(ctl));
	memset(&mh, 0, sizeof(mh));
	mh.msg_control    = ctl.data;
	mh.msg_controllen = sizeof(ctl.data);

	ch = NN_CMSG_FIRSTHDR(&mh);
	NUTS_TRUE((void *) ch == (void *) ctl.data);
	NUTS_TRUE(NN_CMSG_DATA(ch) == (unsigned char *) ctl.data + sizeof(*ch));
	NUTS_NULL(NN_CMSG_NXTHDR(&mh, ch));

	mh.msg_controllen = sizeof(struct nn_cmsghdr) - 1;
	NUTS_NULL(NN_CMSG_FIRSTHDR(&mh));
	mh.msg_control = NULL;
	NUTS_NULL(NN_CMSG_FIRSTHDR(&mh));
}

static void
test_cmsg_next_with_allocated_control(void)
{
	struct nn_msghdr mh;
	void            *cbuf;

	memset(&mh, 0, sizeof(mh));
	cbuf = nn_allocmsg(NN_CMSG_SPACE(sizeof(size_t)), 0);
	NUTS_TRUE(cbuf != NULL);
	mh.msg_control    = &cbuf;
	mh.msg_controllen = NN_MSG;
	NUTS_TRUE((void *) NN_CMSG_FIRSTHDR(&mh) == cbuf);
	NUTS_EQ(nn_freemsg(cbuf), 0);

	cbuf = nn_allocmsg(sizeof(struct nn_cmsghdr) - 1, 0);
	NUTS_NULL(NN_CMSG_FIRSTHDR(&mh));
	NUTS_EQ(nn_freemsg(cbuf), 0);
}

static void
test_statistics_are_zero(void)
{
	NUTS_EQ(nn_get_statistic(1, 1), 0);
}

NUTS_TESTS = {
	{ "strerror maps errno to nng text",
	    test_strerror_maps_errno_to_nng_text },
	{ "errno reports last failure", test_errno_reports_last_failure },
	{ "allocmsg rejects bad arguments",
	    test_allocmsg_rejects_bad_arguments },
	{ "allocmsg round trip", test_allocmsg_round_trip },
	{ "cmsg macros and next", test_cmsg_macros_and_next },
	{ "cmsg next with allocated control",
	    test_cmsg_next_with_allocated_control },
	{ "statistics are zero", test_statistics_are_zero },
	{ NULL, NULL },
};
