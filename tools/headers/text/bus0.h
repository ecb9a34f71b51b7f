#ifndef nng_bus_open
#define nng_bus_open nng_bus0_open
#endif
#ifndef nng_bus_open_raw
#define nng_bus_open_raw nng_bus0_open_raw
#endif
