#ifndef nng_pub_open
#define nng_pub_open nng_pub0_open
#endif
#ifndef nng_pub_open_raw
#define nng_pub_open_raw nng_pub0_open_raw
#endif
