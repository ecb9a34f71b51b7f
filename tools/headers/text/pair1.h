#ifndef nng_pair_open
#define nng_pair_open nng_pair1_open
#endif
#ifndef nng_pair_open_raw
#define nng_pair_open_raw nng_pair1_open_raw
#endif
