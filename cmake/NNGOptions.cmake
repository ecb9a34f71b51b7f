# Build options of nng. Upstream nng's option names are all accepted so that
# scripts written for upstream (pynng, distribution packaging) configure this
# project unchanged. This library is always built whole from the Rust crate,
# so most switches below are recorded but change nothing; the ones that do
# something say so.

include(CMakeDependentOption)

if(CMAKE_CROSSCOMPILING)
    set(NNG_NATIVE_BUILD OFF)
else()
    set(NNG_NATIVE_BUILD ON)
endif()

# Tests build by default only for a native build at the top level; a project
# that pulls nng in with add_subdirectory/FetchContent does not get them.
if(CMAKE_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR AND NNG_NATIVE_BUILD)
    set(_nng_top_native ON)
else()
    set(_nng_top_native OFF)
endif()

# BUILD_SHARED_LIBS (read, never defined here, so a parent project's other
# libraries are not affected) selects which library the `nng` target names.
# Both libraries are always built and installed. Undefined (the default) or
# ON: `nng` is the shared libnng.so; OFF: `nng` is the static libnng.a, as
# upstream and pynng expect.

# Effective: build and register the C tests under ctests/.
option(NNG_TESTS "Build and run tests." ${_nng_top_native})
# Accepted: there are no tools to build yet (nngcat comes from Debian's nng-utils).
option(NNG_TOOLS "Build extra tools." ${_nng_top_native})
option(NNG_ENABLE_NNGCAT "Enable building nngcat utility." ${NNG_TOOLS})
option(NNG_ENABLE_COVERAGE "Enable coverage reporting." OFF)
# Effective: builds the crate with --cfg nng_elide_deprecated.
option(NNG_ELIDE_DEPRECATED "Elide deprecated functionality." OFF)
option(NNG_ENABLE_COMPAT "Enable legacy nanomsg API." ON)
option(NNG_ENABLE_STATS "Enable statistics." ON)
option(NNG_ENABLE_TLS "Enable TLS support." OFF)
option(NNG_ENABLE_HTTP "Enable HTTP API." ON)
option(NNG_ENABLE_IPV6 "Enable IPv6." ON)
option(NNG_SETSTACKSIZE "Use rlimit for thread stack size" OFF)
set(NNG_TLS_ENGINE "rustls" CACHE STRING "TLS engine (accepted for compatibility; always the built-in one).")
set(NNG_SANITIZER "none" CACHE STRING "Sanitizer for the C tests: none, address, undefined, address,undefined.")
foreach(_p BUS0 PAIR0 PAIR1 PUSH0 PULL0 PUB0 SUB0 REQ0 REP0 RESPONDENT0 SURVEYOR0)
    option(NNG_PROTO_${_p} "Enable ${_p} protocol." ON)
    mark_as_advanced(NNG_PROTO_${_p})
endforeach()
foreach(_t INPROC IPC TCP TLS WS FDC)
    option(NNG_TRANSPORT_${_t} "Enable ${_t} transport." ON)
    mark_as_advanced(NNG_TRANSPORT_${_t})
endforeach()
cmake_dependent_option(NNG_TRANSPORT_WSS "Enable WSS transport." ON "NNG_ENABLE_TLS" OFF)
option(NNG_TRANSPORT_ZEROTIER "Enable ZeroTier transport (not supported)." OFF)
set(NNG_RESOLV_CONCURRENCY 4 CACHE STRING "Resolver (DNS) concurrency.")
foreach(_v NUM_TASKQ_THREADS NUM_EXPIRE_THREADS NUM_POLLER_THREADS)
    set(NNG_${_v} 0 CACHE STRING "Fixed number of threads, 0 for automatic")
endforeach()
set(NNG_MAX_TASKQ_THREADS 16 CACHE STRING "Upper bound on task threads, 0 for no limit")
set(NNG_MAX_EXPIRE_THREADS 8 CACHE STRING "Upper bound on expire threads, 0 for no limit")
set(NNG_MAX_POLLER_THREADS 8 CACHE STRING "Upper bound on I/O poller threads, 0 for no limit")
mark_as_advanced(NNG_ENABLE_STATS NNG_ENABLE_HTTP NNG_ENABLE_IPV6 NNG_SETSTACKSIZE
    NNG_TRANSPORT_WSS NNG_TRANSPORT_ZEROTIER NNG_RESOLV_CONCURRENCY
    NNG_NUM_TASKQ_THREADS NNG_NUM_EXPIRE_THREADS NNG_NUM_POLLER_THREADS
    NNG_MAX_TASKQ_THREADS NNG_MAX_EXPIRE_THREADS NNG_MAX_POLLER_THREADS)

# Effective: NNG_INSTALL_LIBS / NNG_INSTALL_HEADERS OFF skip those install rules.
option(NNG_INSTALL_LIBS "Install the libraries, pkg-config and CMake package files." ON)
option(NNG_INSTALL_HEADERS "Install the headers." ON)

# Variables other build scripts pass for upstream's C build (mbedTLS
# locations, upstream's own knobs). Reading them marks them used, so CMake
# does not warn about them.
foreach(_v NNG_STATIC_LIB NNG_SHARED_LIB NNG_HIDDEN_VISIBILITY NNG_PLATFORM NNG_ENABLE_EXPORT
        NNG_INSTALL_MBEDTLS MBEDTLS_ROOT_DIR MBEDTLS_INCLUDE_DIR MBEDTLS_LIBRARY
        MBEDTLS_CRYPTO_LIBRARY MBEDTLS_TLS_LIBRARY MBEDTLS_X509_LIBRARY
        WOLFSSL_ROOT_DIR NNG_ZEROTIER_SOURCE NNG_TEST_PORT NNG_WARN_FLAGS)
    if(DEFINED ${_v})
        set(_nng_ignored "${${_v}}")
    endif()
endforeach()
unset(_nng_ignored)
