//! Writes every public header under `include/nng/` from the Rust sources.
//!
//! cbindgen (pinned) emits types, numeric constants and function prototypes
//! from the `src/ffi/` files listed per header. cbindgen cannot emit string
//! constants, so this tool reads `pub const NNG_*: &str = "..."` items itself
//! (with `syn`) and writes them as `#define`s. Fixed C text that has no Rust
//! form (the `NNG_DECL` prelude, function-name alias macros, cmsg macros)
//! lives in `tools/headers/text/`.
//!
//! Usage: `nng-headers [ROOT]` regenerates in place; `nng-headers --check
//! [ROOT]` exits 1 if any checked-in header differs.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

struct Header {
    /// Output path under `include/`.
    out: &'static str,
    /// Rust files handed to cbindgen.
    srcs: &'static [&'static str],
    /// Extra Rust files read only for string constants.
    strings: &'static [&'static str],
    /// Headers to include (`<...>`).
    includes: &'static [&'static str],
    /// Text file (under tools/headers/text) placed before the generated items.
    prelude: Option<&'static str>,
    /// Text file placed after the generated items, inside the include guard.
    trailer: Option<&'static str>,
    /// Prefix for declarations (`NNG_DECL` or `NN_DECL`).
    decl: &'static str,
}

const fn h(out: &'static str, srcs: &'static [&'static str]) -> Header {
    Header {
        out,
        srcs,
        strings: &[],
        includes: &["nng/nng.h"],
        prelude: None,
        trailer: None,
        decl: "NNG_DECL",
    }
}

const HEADERS: &[Header] = &[
    Header {
        strings: &["src/core/names.rs"],
        includes: &["stdbool.h", "stddef.h", "stdint.h"],
        prelude: Some("nng_prelude.h"),
        trailer: None,
        ..h(
            "nng/nng.h",
            &[
                "src/ffi/types.rs",
                "src/ffi/lib.rs",
                "src/ffi/socket.rs",
                "src/ffi/options.rs",
                "src/ffi/dialer.rs",
                "src/ffi/listener.rs",
                "src/ffi/pipe.rs",
                "src/ffi/ctx.rs",
                "src/ffi/msg.rs",
                "src/ffi/aio.rs",
                "src/ffi/stats.rs",
                "src/ffi/device.rs",
                "src/ffi/url.rs",
                "src/ffi/stream.rs",
                "src/ffi/udp.rs",
                "src/ffi/log.rs",
                "src/ffi/platform.rs",
                "src/ffi/deprecated.rs",
            ],
        )
    },
    Header { trailer: Some("pair0.h"), ..h("nng/protocol/pair0/pair.h", &["src/ffi/proto/pair0.rs"]) },
    Header { trailer: Some("pair1.h"), ..h("nng/protocol/pair1/pair.h", &["src/ffi/proto/pair1.rs"]) },
    Header { trailer: Some("bus0.h"), ..h("nng/protocol/bus0/bus.h", &["src/ffi/proto/bus0.rs"]) },
    Header { trailer: Some("push0.h"), ..h("nng/protocol/pipeline0/push.h", &["src/ffi/proto/push0.rs"]) },
    Header { trailer: Some("pull0.h"), ..h("nng/protocol/pipeline0/pull.h", &["src/ffi/proto/pull0.rs"]) },
    Header { trailer: Some("pub0.h"), ..h("nng/protocol/pubsub0/pub.h", &["src/ffi/proto/pub0.rs"]) },
    Header { trailer: Some("sub0.h"), ..h("nng/protocol/pubsub0/sub.h", &["src/ffi/proto/sub0.rs"]) },
    Header { trailer: Some("req0.h"), ..h("nng/protocol/reqrep0/req.h", &["src/ffi/proto/req0.rs"]) },
    Header { trailer: Some("rep0.h"), ..h("nng/protocol/reqrep0/rep.h", &["src/ffi/proto/rep0.rs"]) },
    Header { trailer: Some("surveyor0.h"), ..h("nng/protocol/survey0/survey.h", &["src/ffi/proto/surveyor0.rs"]) },
    Header { trailer: Some("respondent0.h"), ..h("nng/protocol/survey0/respond.h", &["src/ffi/proto/respondent0.rs"]) },
    h("nng/transport/inproc/inproc.h", &["src/ffi/tran/inproc.rs"]),
    h("nng/transport/ipc/ipc.h", &["src/ffi/tran/ipc.rs"]),
    h("nng/transport/tcp/tcp.h", &["src/ffi/tran/tcp.rs"]),
    h("nng/transport/tls/tls.h", &["src/ffi/tran/tls.rs"]),
    h("nng/transport/ws/websocket.h", &["src/ffi/tran/ws.rs"]),
    h("nng/transport/zerotier/zerotier.h", &["src/ffi/tran/zerotier.rs"]),
    h("nng/supplemental/util/idhash.h", &["src/ffi/idhash.rs"]),
    h("nng/supplemental/util/options.h", &["src/ffi/optparse.rs"]),
    h("nng/supplemental/util/platform.h", &[]),
    h("nng/supplemental/tls/tls.h", &["src/ffi/tls.rs"]),
    Header {
        includes: &["nng/nng.h", "nng/supplemental/tls/tls.h"],
        prelude: Some("tls_engine_prelude.h"),
        ..h("nng/supplemental/tls/engine.h", &["src/ffi/tls_engine.rs"])
    },
    Header { prelude: Some("http_prelude.h"), ..h("nng/supplemental/http/http.h", &["src/ffi/http.rs"]) },
    Header {
        includes: &["errno.h", "stddef.h", "stdint.h"],
        prelude: Some("nn_prelude.h"),
        trailer: Some("nn_trailer.h"),
        decl: "NN_DECL",
        ..h("nng/compat/nanomsg/nn.h", &["src/ffi/compat/nn.rs"])
    },
    Header { includes: &[], ..h("nng/compat/nanomsg/bus.h", &["src/ffi/compat/bus.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/inproc.h", &["src/ffi/compat/inproc.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/ipc.h", &["src/ffi/compat/ipc.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/pair.h", &["src/ffi/compat/pair.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/pipeline.h", &["src/ffi/compat/pipeline.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/pubsub.h", &["src/ffi/compat/pubsub.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/reqrep.h", &["src/ffi/compat/reqrep.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/survey.h", &["src/ffi/compat/survey.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/tcp.h", &["src/ffi/compat/tcp.rs"]) },
    Header { includes: &[], ..h("nng/compat/nanomsg/ws.h", &["src/ffi/compat/ws.rs"]) },
];

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.first().is_some_and(|a| a == "--check");
    if check {
        args.remove(0);
    }
    let root = PathBuf::from(args.first().cloned().unwrap_or_else(|| ".".into()));
    let mut drift = 0;
    for hdr in HEADERS {
        let text = generate(&root, hdr);
        let path = root.join("include").join(hdr.out);
        let old = fs::read_to_string(&path).unwrap_or_default();
        if old == text {
            continue;
        }
        if check {
            eprintln!("header drift: include/{} is not what the sources generate", hdr.out);
            drift += 1;
        } else {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
            eprintln!("wrote include/{}", hdr.out);
        }
    }
    if drift > 0 {
        eprintln!("{drift} header(s) differ; run: cargo run --manifest-path tools/headers/Cargo.toml");
        std::process::exit(1);
    }
}

fn guard_name(out: &str) -> String {
    // Upstream's compat headers drop the "nanomsg" directory from their guards.
    let out = out.replace("compat/nanomsg/", "compat/");
    out.replace(['/', '.'], "_").to_uppercase()
}

fn text(root: &Path, name: &str) -> String {
    let p = root.join("tools/headers/text").join(name);
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn generate(root: &Path, hdr: &Header) -> String {
    let guard = guard_name(hdr.out);
    let mut head = String::new();
    writeln!(head, "// Generated by tools/headers from the Rust sources of nng-rs. Do not edit.").unwrap();
    writeln!(head, "// SPDX-License-Identifier: MIT").unwrap();
    writeln!(head, "#ifndef {guard}\n#define {guard}").unwrap();
    for inc in hdr.includes {
        writeln!(head, "#include <{inc}>").unwrap();
    }

    let mut after = String::new();
    if let Some(p) = hdr.prelude {
        after.push_str(&text(root, p));
    }
    let mut strings = String::new();
    for f in hdr.srcs.iter().chain(hdr.strings) {
        string_defines(&root.join(f), &mut strings);
    }
    if !strings.is_empty() {
        after.push('\n');
        after.push_str(&strings);
    }

    let mut tail = String::new();
    if let Some(p) = hdr.trailer {
        tail.push_str(&text(root, p));
        tail.push('\n');
    }
    write!(tail, "#endif // {guard}").unwrap();

    let mut config = cbindgen::Config {
        language: cbindgen::Language::C,
        style: cbindgen::Style::Both,
        cpp_compat: true,
        no_includes: true,
        header: Some(head),
        after_includes: if after.is_empty() { None } else { Some(after) },
        trailer: Some(tail),
        documentation_style: cbindgen::DocumentationStyle::C99,
        usize_is_size_t: true,
        ..Default::default()
    };
    config.function.prefix = Some(hdr.decl.to_string());
    config.function.deprecated = Some("NNG_DEPRECATED".into());
    config.function.must_use = None;
    config.usize_is_size_t = true;
    config.enumeration.rename_variants = cbindgen::RenameRule::None;
    config.defines.insert(
        "nng_elide_deprecated".into(),
        "NNG_ELIDE_DEPRECATED".into(),
    );
    config.export.include = vec![
        "nng_errno_enum".into(),
        "nng_sockaddr_family".into(),

        "nng_stat_type_enum".into(),
        "nng_unit_enum".into(),

        "nng_init_parameter_enum".into(),
        "nng_sockaddr".into(),
        "nng_url".into(),
        "nng_iov".into(),
        "nng_sockaddr_udp".into(),
        "nng_sockaddr_udp6".into(),
        "nng_sockaddr_tcp".into(),
        "nng_sockaddr_tcp6".into(),
        "nng_sockaddr_ipc".into(),
        "nng_socket".into(),
        "nng_dialer".into(),
        "nng_listener".into(),
        "nng_pipe".into(),
        "nng_ctx".into(),
        "nng_duration".into(),
        "nng_time".into(),
        "nng_pipe_ev".into(),
        "nng_log_level".into(),
        "nng_log_facility".into(),
        "nng_init_parameter".into(),
        "nng_pipe_cb".into(),
        "nng_aio_cancelfn".into(),
        "nng_logger".into(),
        "nng_msg".into(),
        "nng_stat".into(),
        "nng_aio".into(),
        "nng_stream".into(),
        "nng_stream_dialer".into(),
        "nng_stream_listener".into(),
        "nng_udp".into(),
        "nng_thread".into(),
        "nng_mtx".into(),
        "nng_cv".into(),
        "nng_tls_mode".into(),
        "nng_tls_auth_mode".into(),
        "nng_tls_version".into(),
        "nng_http_status".into(),
        "nng_zt_status".into(),
    ];
    // The `int` aliases Rust uses for C enum parameters (any value C passes
    // is then valid in Rust) appear in the header under the enum's name.
    for (alias, name) in [
        ("nng_pipe_ev_c", "nng_pipe_ev"),
        ("nng_log_level_c", "nng_log_level"),
        ("nng_log_facility_c", "nng_log_facility"),
    ] {
        config.export.rename.insert(alias.into(), name.into());
        config.export.exclude.push(alias.into());
    }
    // Aliases of string constants: the string pass above writes them; keep
    // cbindgen from writing them a second time.
    config.export.exclude.extend([
        "NNG_OPT_WSS_REQUEST_HEADERS".into(),
        "NNG_OPT_WSS_RESPONSE_HEADERS".into(),
    ]);
    // http.h names the TLS configuration only as a declared struct.
    config
        .export
        .rename
        .insert("nng_http_tls_config".into(), "struct nng_tls_config".into());
    let mut builder = cbindgen::Builder::new().with_config(config);
    for f in hdr.srcs {
        builder = builder.with_src(root.join(f));
    }
    let mut out = Vec::new();
    match builder.generate() {
        Ok(b) => {
            b.write(&mut out);
        }
        Err(e) => panic!("cbindgen failed for {}: {e}", hdr.out),
    }
    String::from_utf8(out).expect("cbindgen writes UTF-8")
}

/// Appends `#define NAME "value"` for each `pub const NNG_*/NN_*: &str` in `file`.
fn string_defines(file: &Path, out: &mut String) {
    let src = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let ast = syn::parse_file(&src).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    for item in ast.items {
        let syn::Item::Const(c) = item else { continue };
        if !matches!(c.vis, syn::Visibility::Public(_)) {
            continue;
        }
        let name = c.ident.to_string();
        if !(name.starts_with("NNG_") || name.starts_with("NN_")) {
            continue;
        }
        let syn::Type::Reference(r) = &*c.ty else { continue };
        let syn::Type::Path(p) = &*r.elem else { continue };
        if !p.path.is_ident("str") {
            continue;
        }
        let value = match &*c.expr {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                format!("\"{}\"", s.value().escape_default())
            }
            syn::Expr::Path(p) => quote::quote!(#p).to_string(),
            other => panic!("{}: unsupported value for {name}: {}", file.display(), quote::quote!(#other)),
        };
        for attr in &c.attrs {
            if let syn::Meta::NameValue(nv) = &attr.meta {
                if nv.path.is_ident("doc") {
                    if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value {
                        writeln!(out, "//{}", s.value()).unwrap();
                    }
                }
            }
        }
        writeln!(out, "#define {name} {value}").unwrap();
    }
}
