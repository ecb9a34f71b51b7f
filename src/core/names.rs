//! Option names and other string constants of `<nng/nng.h>` (wire/ABI values; never change).
