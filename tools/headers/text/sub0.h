#ifndef nng_sub_open
#define nng_sub_open nng_sub0_open
#endif
#ifndef nng_sub_open_raw
#define nng_sub_open_raw nng_sub0_open_raw
#endif
