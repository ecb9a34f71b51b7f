#ifndef nng_pull_open
#define nng_pull_open nng_pull0_open
#endif
#ifndef nng_pull_open_raw
#define nng_pull_open_raw nng_pull0_open_raw
#endif
