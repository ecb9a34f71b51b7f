# Builds the Rust crate with cargo and exposes what it makes as CMake targets.
#
# cargo keeps its own dependency graph, so the `nng_cargo` target runs cargo
# on every build (a no-op run takes well under a second) and then copies the
# results to the top of this project's build directory, where upstream's
# build leaves them and where pynng looks for libnng.a:
#
#   libnng.so.<version>   the cdylib (SONAME libnng.so.1, set by build.rs)
#   libnng.so.1, libnng.so  symlinks
#   libnng.a              the staticlib: position-independent, carrying the
#                          Rust standard library and every dependency
#
# Copies are made only when the content changed, so programs linked to them
# relink only when the library really changed.
#
# Targets: nng_shared, nng_static (IMPORTED GLOBAL), nng (= one of them, see
# BUILD_SHARED_LIBS in NNGOptions.cmake) and the aliases nng::nng,
# nng::nng_shared, nng::nng_static. Each carries the include directory.

set(_nng_cargo_hints "")
if(DEFINED ENV{CARGO_HOME})
    list(APPEND _nng_cargo_hints "$ENV{CARGO_HOME}/bin")
endif()
if(DEFINED ENV{HOME})
    list(APPEND _nng_cargo_hints "$ENV{HOME}/.cargo/bin")
endif()
find_program(CARGO_EXECUTABLE cargo HINTS ${_nng_cargo_hints})
if(NOT CARGO_EXECUTABLE)
    message(FATAL_ERROR "nng is written in Rust: cargo was not found (install Rust with rustup, or set CARGO_EXECUTABLE)")
endif()
get_filename_component(_nng_cargo_bin "${CARGO_EXECUTABLE}" DIRECTORY)
find_program(RUSTC_EXECUTABLE rustc HINTS "${_nng_cargo_bin}" ${_nng_cargo_hints})

# Cargo profile: dev for Debug builds, release for everything else
# (including an empty CMAKE_BUILD_TYPE: a library is built to be used).
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    set(_nng_default_profile dev)
else()
    set(_nng_default_profile release)
endif()
set(NNG_CARGO_PROFILE "${_nng_default_profile}" CACHE STRING "Cargo profile used to build libnng (dev or release)")
if(NNG_CARGO_PROFILE STREQUAL "dev")
    set(_nng_profile_dir debug)
else()
    set(_nng_profile_dir "${NNG_CARGO_PROFILE}")
endif()
# Default: <build dir>/cargo, or $CARGO_TARGET_DIR when the environment sets
# it (as cargo itself would), so that builds driven by scripts that only pass
# upstream's options (pynng's setup.py) can reuse an earlier cargo build.
if(DEFINED ENV{CARGO_TARGET_DIR} AND NOT "$ENV{CARGO_TARGET_DIR}" STREQUAL "")
    get_filename_component(_nng_default_target_dir "$ENV{CARGO_TARGET_DIR}" ABSOLUTE BASE_DIR "${PROJECT_SOURCE_DIR}")
else()
    set(_nng_default_target_dir "${PROJECT_BINARY_DIR}/cargo")
endif()
set(NNG_CARGO_TARGET_DIR "${_nng_default_target_dir}" CACHE PATH "Cargo target directory used by this build")
set(NNG_CARGO_FLAGS "" CACHE STRING "Extra arguments for cargo (a ;-list, e.g. --locked;--offline)")
mark_as_advanced(CARGO_EXECUTABLE RUSTC_EXECUTABLE NNG_CARGO_FLAGS)

# Native libraries a program must link when it links the static library:
# those of the Rust standard library, asked from rustc itself (the same list
# `cargo rustc --crate-type staticlib -- --print native-static-libs` prints;
# our crate adds none). Used for the static target and nng.pc's Libs.private.
if(NOT DEFINED NNG_NATIVE_STATIC_LIBS)
    set(_nng_probe_dir "${PROJECT_BINARY_DIR}/CMakeFiles/nng-native-libs")
    file(MAKE_DIRECTORY "${_nng_probe_dir}")
    file(WRITE "${_nng_probe_dir}/empty.rs" "")
    set(_nng_libs "")
    if(RUSTC_EXECUTABLE)
        execute_process(
            COMMAND "${RUSTC_EXECUTABLE}" --crate-type staticlib --crate-name probe
                    --print native-static-libs -o "${_nng_probe_dir}/libprobe.a" "${_nng_probe_dir}/empty.rs"
            RESULT_VARIABLE _nng_rc OUTPUT_VARIABLE _nng_out ERROR_VARIABLE _nng_out)
        if(_nng_rc EQUAL 0 AND _nng_out MATCHES "native-static-libs: ([^\r\n]*)")
            string(STRIP "${CMAKE_MATCH_1}" _nng_libs)
        endif()
    endif()
    if(_nng_libs STREQUAL "")
        set(_nng_libs "-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc")
        message(STATUS "nng: could not ask rustc for its native libraries; assuming ${_nng_libs}")
    endif()
    set(NNG_NATIVE_STATIC_LIBS "${_nng_libs}" CACHE STRING "Linker flags the static libnng.a needs (Libs.private)")
    mark_as_advanced(NNG_NATIVE_STATIC_LIBS)
endif()
# As a CMake list of library names for INTERFACE_LINK_LIBRARIES.
string(REGEX REPLACE "(^| )-l" "\\1" _nng_libnames "${NNG_NATIVE_STATIC_LIBS}")
separate_arguments(NNG_NATIVE_STATIC_LIBNAMES UNIX_COMMAND "${_nng_libnames}")

# The cargo command. --lib builds cdylib, staticlib and rlib in one go.
if(NNG_CARGO_PROFILE STREQUAL "release")
    set(_nng_profile_args --release)
else()
    set(_nng_profile_args --profile "${NNG_CARGO_PROFILE}")
endif()
set(_nng_cargo_cmd build)
set(_nng_rustc_args "")
if(NNG_ELIDE_DEPRECATED)
    # Only our crate gets the cfg; `cargo rustc` passes it to the lib target alone.
    set(_nng_cargo_cmd rustc)
    set(_nng_rustc_args -- --cfg nng_elide_deprecated)
endif()
set(_nng_env "")
if(CMAKE_C_COMPILER)
    # The C shim is compiled with the same C compiler as the rest of the build.
    list(APPEND _nng_env "CC=${CMAKE_C_COMPILER}")
endif()

set(_nng_out "${NNG_CARGO_TARGET_DIR}/${_nng_profile_dir}")
set(_nng_bin "${PROJECT_BINARY_DIR}")
set(NNG_SHARED_FILE "${_nng_bin}/libnng.so.${NNG_VERSION}")
set(NNG_STATIC_FILE "${_nng_bin}/libnng.a")

add_custom_target(nng_cargo ALL
    COMMAND ${CMAKE_COMMAND} -E env ${_nng_env}
            "${CARGO_EXECUTABLE}" ${_nng_cargo_cmd} --lib
            --manifest-path "${PROJECT_SOURCE_DIR}/Cargo.toml"
            --target-dir "${NNG_CARGO_TARGET_DIR}"
            ${_nng_profile_args} ${NNG_CARGO_FLAGS} ${_nng_rustc_args}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${_nng_out}/libnng.a" "${NNG_STATIC_FILE}"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${_nng_out}/libnng.so" "${NNG_SHARED_FILE}"
    COMMAND ${CMAKE_COMMAND} -E create_symlink "libnng.so.${NNG_VERSION}" "${_nng_bin}/libnng.so.1"
    COMMAND ${CMAKE_COMMAND} -E create_symlink "libnng.so.1" "${_nng_bin}/libnng.so"
    BYPRODUCTS "${NNG_STATIC_FILE}" "${NNG_SHARED_FILE}" "${_nng_bin}/libnng.so.1" "${_nng_bin}/libnng.so"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "cargo: building libnng (${NNG_CARGO_PROFILE} profile)"
    USES_TERMINAL
    VERBATIM)

set(_nng_incdir "${PROJECT_SOURCE_DIR}/include")

add_library(nng_shared SHARED IMPORTED GLOBAL)
set_target_properties(nng_shared PROPERTIES
    IMPORTED_LOCATION "${NNG_SHARED_FILE}"
    IMPORTED_SONAME "libnng.so.1"
    INTERFACE_INCLUDE_DIRECTORIES "${_nng_incdir}")
add_dependencies(nng_shared nng_cargo)

add_library(nng_static STATIC IMPORTED GLOBAL)
set_target_properties(nng_static PROPERTIES
    IMPORTED_LOCATION "${NNG_STATIC_FILE}"
    IMPORTED_LINK_INTERFACE_LANGUAGES C
    INTERFACE_INCLUDE_DIRECTORIES "${_nng_incdir}"
    INTERFACE_COMPILE_DEFINITIONS NNG_STATIC_LIB
    INTERFACE_LINK_LIBRARIES "${NNG_NATIVE_STATIC_LIBNAMES}")
add_dependencies(nng_static nng_cargo)

if(DEFINED BUILD_SHARED_LIBS AND NOT BUILD_SHARED_LIBS)
    set(NNG_DEFAULT_LIB nng_static)
else()
    set(NNG_DEFAULT_LIB nng_shared)
endif()
add_library(nng ALIAS ${NNG_DEFAULT_LIB})
add_library(nng::nng ALIAS ${NNG_DEFAULT_LIB})
add_library(nng::nng_shared ALIAS nng_shared)
add_library(nng::nng_static ALIAS nng_static)
message(STATUS "nng: target nng is ${NNG_DEFAULT_LIB}; cargo profile ${NNG_CARGO_PROFILE}, target dir ${NNG_CARGO_TARGET_DIR}")
