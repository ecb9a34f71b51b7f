#ifndef nng_surveyor_open
#define nng_surveyor_open nng_surveyor0_open
#endif
#ifndef nng_surveyor_open_raw
#define nng_surveyor_open_raw nng_surveyor0_open_raw
#endif
