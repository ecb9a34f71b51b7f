#ifndef nng_push_open
#define nng_push_open nng_push0_open
#endif
#ifndef nng_push_open_raw
#define nng_push_open_raw nng_push0_open_raw
#endif
