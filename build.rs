//! Build script: compiles the C shim for the variadic logging functions and
//! gives the shared library its SONAME and export list.

fn main() {
    println!("cargo:rerun-if-changed=src/ffi/shim.c");
    println!("cargo:rerun-if-changed=src/ffi/shim.map");
    if std::path::Path::new("src/ffi/shim.c").exists() {
        cc::Build::new()
            .file("src/ffi/shim.c")
            .warnings(true)
            .extra_warnings(true)
            .compile("nngshim");
    }
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnng.so.1");
    if std::path::Path::new("src/ffi/shim.map").exists() {
        println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={dir}/src/ffi/shim.map");
    }
}
