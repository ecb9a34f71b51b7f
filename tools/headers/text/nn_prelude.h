
// NN_DECL prefixes every declaration. Predefine it to override.
// For building Windows DLLs, it should be the appropriate __declspec().
// For shared libraries with platforms that support hidden visibility,
// it should evaluate to __attribute__((visibility("default"))).
#ifndef NN_DECL
#if defined(_WIN32) && !defined(NNG_STATIC_LIB)
#if defined(NNG_SHARED_LIB)
#define NN_DECL __declspec(dllexport)
#else
#define NN_DECL __declspec(dllimport)
#endif
#else
#if defined(NNG_SHARED_LIB) && defined(NNG_HIDDEN_VISIBILITY)
#define NN_DECL __attribute__((visibility("default")))
#else
#define NN_DECL extern
#endif
#endif
#endif

// Errno values. nanomsg uses the POSIX errno where the system has one;
// each value the system lacks is NN_ERRBASE plus a fixed offset.
#define NN_ERRBASE (0x10000000)
#ifndef ENOTSUP
#define ENOTSUP (NN_ERRBASE + 1)
#endif
#ifndef EPROTONOSUPPORT
#define EPROTONOSUPPORT (NN_ERRBASE + 2)
#endif
#ifndef ENOBUFS
#define ENOBUFS (NN_ERRBASE + 3)
#endif
#ifndef ENETDOWN
#define ENETDOWN (NN_ERRBASE + 4)
#endif
#ifndef EADDRINUSE
#define EADDRINUSE (NN_ERRBASE + 5)
#endif
#ifndef EADDRNOTAVAIL
#define EADDRNOTAVAIL (NN_ERRBASE + 6)
#endif
#ifndef ENOTSOCK
#define ENOTSOCK (NN_ERRBASE + 7)
#endif
#ifndef EAGAIN
#define EAGAIN (NN_ERRBASE + 8)
#endif
#ifndef EBADF
#define EBADF (NN_ERRBASE + 9)
#endif
#ifndef EINVAL
#define EINVAL (NN_ERRBASE + 10)
#endif
#ifndef EMFILE
#define EMFILE (NN_ERRBASE + 11)
#endif
#ifndef EFAULT
#define EFAULT (NN_ERRBASE + 12)
#endif
#ifndef EACCES
#define EACCES (NN_ERRBASE + 13)
#endif
#ifndef ENETRESET
#define ENETRESET (NN_ERRBASE + 14)
#endif
#ifndef ENETUNREACH
#define ENETUNREACH (NN_ERRBASE + 15)
#endif
#ifndef EHOSTUNREACH
#define EHOSTUNREACH (NN_ERRBASE + 16)
#endif
#ifndef EAFNOSUPPORT
#define EAFNOSUPPORT (NN_ERRBASE + 17)
#endif
#ifndef EINPROGRESS
#define EINPROGRESS (NN_ERRBASE + 18)
#endif
#ifndef EPROTO
#define EPROTO (NN_ERRBASE + 19)
#endif
#ifndef ECONNREFUSED
#define ECONNREFUSED (NN_ERRBASE + 20)
#endif
#ifndef ENOTCONN
#define ENOTCONN (NN_ERRBASE + 21)
#endif
#ifndef EMSGSIZE
#define EMSGSIZE (NN_ERRBASE + 22)
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT (NN_ERRBASE + 23)
#endif
#ifndef ECONNABORTED
#define ECONNABORTED (NN_ERRBASE + 24)
#endif
#ifndef ECONNRESET
#define ECONNRESET (NN_ERRBASE + 25)
#endif
#ifndef ENOPROTOOPT
#define ENOPROTOOPT (NN_ERRBASE + 26)
#endif
#ifndef EISCONN
#define EISCONN (NN_ERRBASE + 27)
#endif
// Upstream tests ESOCKNOSUPPORT but defines the misspelled ESOCKNOSPPORT;
// kept as is, since programs may use either name.
#ifndef ESOCKNOSUPPORT
#define ESOCKNOSPPORT (NN_ERRBASE + 28)
#endif
#ifndef ETERM
#define ETERM (NN_ERRBASE + 29)
#endif
#ifndef EFSM
#define EFSM (NN_ERRBASE + 30)
#endif
#ifndef ENOENT
#define ENOENT (NN_ERRBASE + 31)
#endif
#ifndef EIO
#define EIO (NN_ERRBASE + 32)
#endif
#ifndef EEXIST
#define EEXIST (NN_ERRBASE + 33)
#endif
#ifndef ENOSPC
#define ENOSPC (NN_ERRBASE + 34)
#endif
