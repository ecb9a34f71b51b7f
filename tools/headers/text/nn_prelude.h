
// NN_DECL prefixes every declaration. Predefine it to override.
#ifndef NN_DECL
#if defined(_WIN32) && !defined(NNG_STATIC_LIB)
#if defined(NNG_SHARED_LIB)
#define NN_DECL __declspec(dllexport)
#else
#define NN_DECL __declspec(dllimport)
#endif
#else
#define NN_DECL extern
#endif
#endif
