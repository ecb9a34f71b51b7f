// The supplemental and nanomsg compat headers compiled as C++: the same
// program as supplemental_api_test.c.
#include "supplemental_api_test.c"
