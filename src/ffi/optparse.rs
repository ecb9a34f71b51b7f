//! C API of `<nng/supplemental/util/options.h>`: `nng_opts_parse`, a small
//! command-line parser with long options, prefix matching and no short
//! option clustering. Reference API.md §20, ABI.md §3.8.
//!
//! The parser works on C strings in place (the returned `optarg` points into
//! `argv`), so its few lines of logic sit here rather than in `core`; they
//! are a pure function over byte strings (`parse_one`).

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, CStr};

use super::guard;
use crate::core::error::Error;

/// One option of an `nng_opts_parse` table; a table ends with an entry whose
/// `o_val` is 0.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nng_optspec {
    /// Long name, used as `--name`; NULL for a short-only option.
    pub o_name: *const c_char,
    /// Short option character, used as `-c`; 0 for none.
    pub o_short: c_int,
    /// Value reported for this option (> 0); 0 ends the table.
    pub o_val: c_int,
    /// Whether the option takes an argument.
    pub o_arg: bool,
}

const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(offset_of!(nng_optspec, o_short) == size_of::<usize>());
    assert!(offset_of!(nng_optspec, o_arg) == size_of::<usize>() + 8);
};

/// Parses the option at `argv[*optidx]` against the table `opts`.
///
/// Returns 0 with the option's `o_val` in `*val` and `*optidx` moved past it
/// (and past its argument); for an option with an argument, `*optarg`
/// points at it: the rest of `-oVALUE`, the text after `=` or `:` in
/// `--opt=VALUE`, or the next element. Returns -1 at the end of the options:
/// `*optidx` reaches `argc`, the element does not start with `-`, or it is a
/// lone `-` (skipped). Long options match any unambiguous prefix of a name.
///
/// Errors (`*optidx` unchanged): `NNG_EINVAL` for an unknown option, an
/// argument given to an option that takes none, or a NULL `argv`, `opts`,
/// `val`, `optidx` (or `optarg` when needed); `NNG_EAMBIGUOUS` for a prefix
/// of several names (note: `--` alone is a prefix of every name);
/// `NNG_ENOARG` when the argument is missing. Start with `*optidx` = 1 to
/// skip the program name. Never blocks.
///
/// # Safety
///
/// `argv` holds `argc` NUL-terminated strings (or is NULL); `opts` is NULL
/// or a table ended by an entry with `o_val` 0, whose names are NULL or
/// NUL-terminated; `val`, `optarg` and `optidx` are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn nng_opts_parse(
    argc: c_int,
    argv: *const *mut c_char,
    opts: *const nng_optspec,
    val: *mut c_int,
    optarg: *mut *mut c_char,
    optidx: *mut c_int,
) -> c_int {
    guard(|| {
        if argv.is_null() || opts.is_null() || val.is_null() || optidx.is_null() {
            return Error::Inval.code();
        }
        // SAFETY: optidx is non-NULL and valid per the contract.
        let idx = unsafe { *optidx };
        let argc = usize::try_from(argc).unwrap_or(0);
        let Ok(i) = usize::try_from(idx) else {
            return Error::Inval.code();
        };
        if i >= argc {
            return -1;
        }
        let arg_at = |k: usize| -> Option<&CStr> {
            // SAFETY: k < argc, and argv holds argc strings per the contract.
            let p = unsafe { *argv.add(k) };
            // SAFETY: non-NULL elements are NUL-terminated per the contract.
            (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) })
        };
        let Some(arg) = arg_at(i) else {
            return Error::Inval.code();
        };
        let next = (i + 1 < argc).then(|| arg_at(i + 1)).flatten();
        // SAFETY: opts is a table ended by o_val 0 per the contract.
        let table = unsafe { spec_table(opts) };

        match parse_one(arg.to_bytes(), next.map(CStr::to_bytes), &table) {
            Parsed::End { skip } => {
                if skip {
                    // SAFETY: optidx is valid per the contract.
                    unsafe { *optidx = idx + 1 };
                }
                -1
            }
            Parsed::Err(e) => e.code(),
            Parsed::Opt { val: v, arg: a } => {
                let (used, p) = match a {
                    None => (1, None),
                    Some(OptArg::Attached(off)) => {
                        // SAFETY: i < argc, and `off` is within argv[i] (the
                        // argument is a suffix of that string).
                        (1, Some(unsafe { argv.add(i).read().add(off) }))
                    }
                    // SAFETY: `Next` is only reported when `next` was read
                    // from argv[i + 1], with i + 1 < argc.
                    Some(OptArg::Next) => (2, Some(unsafe { argv.add(i + 1).read() })),
                };
                if let Some(p) = p {
                    if optarg.is_null() {
                        return Error::Inval.code();
                    }
                    // SAFETY: optarg is non-NULL and writable per the contract.
                    unsafe { *optarg = p };
                }
                // SAFETY: val and optidx are valid per the contract.
                unsafe {
                    *val = v;
                    *optidx = idx + used;
                }
                0
            }
        }
    })
}

/// An option table entry as bytes: (long name, short char, value, takes arg).
type Spec<'a> = (Option<&'a [u8]>, c_int, c_int, bool);

/// Reads a C option table up to its terminating `o_val == 0` entry.
///
/// # Safety
///
/// `opts` points at a table ended by an entry with `o_val` 0, whose names
/// are NULL or NUL-terminated and outlive `'a`.
unsafe fn spec_table<'a>(opts: *const nng_optspec) -> Vec<Spec<'a>> {
    let mut v = Vec::new();
    for k in 0.. {
        // SAFETY: every entry up to and including the terminator is valid.
        let o = unsafe { &*opts.add(k) };
        if o.o_val == 0 {
            break;
        }
        // SAFETY: a non-NULL name is NUL-terminated per the contract.
        let name = (!o.o_name.is_null()).then(|| unsafe { CStr::from_ptr(o.o_name) }.to_bytes());
        v.push((name, o.o_short, o.o_val, o.o_arg));
    }
    v
}

/// Where an option's argument is.
#[derive(Debug, PartialEq, Eq)]
enum OptArg {
    /// In the same element, from this byte offset.
    Attached(usize),
    /// The next element.
    Next,
}

/// The outcome of parsing one element.
#[derive(Debug, PartialEq, Eq)]
enum Parsed {
    /// End of options; `skip` when the element (a lone `-`) is consumed.
    End { skip: bool },
    /// An option with its value and argument.
    Opt { val: c_int, arg: Option<OptArg> },
    /// A parse error.
    Err(Error),
}

/// Parses one argument `arg` (the next element is `next`, if any).
fn parse_one(arg: &[u8], next: Option<&[u8]>, table: &[Spec<'_>]) -> Parsed {
    if arg.first() != Some(&b'-') {
        return Parsed::End { skip: false };
    }
    if arg.len() == 1 {
        return Parsed::End { skip: true };
    }
    // (text after the dashes, length of the option name in it, is short)
    let (body, start, len, short) = if arg[1] == b'-' {
        let body = &arg[2..];
        let len = body
            .iter()
            .position(|&c| c == b'=' || c == b':')
            .unwrap_or(body.len());
        (body, 2, len, false)
    } else {
        (&arg[1..], 1, 1, true)
    };

    let mut matched: Option<&Spec<'_>> = None;
    let mut count = 0;
    for spec in table {
        if short {
            // The option character compares as a C `char` (signed here).
            if c_int::from(body[0] as c_char) == spec.1 {
                matched = Some(spec);
                count = 1;
                break;
            }
            continue;
        }
        let Some(name) = spec.0 else { continue };
        if !name.starts_with(&body[..len]) {
            continue;
        }
        matched = Some(spec);
        count += 1;
        if name.len() == len {
            // An exact name beats any prefix matches.
            count = 1;
            break;
        }
    }
    let spec = match (count, matched) {
        (1, Some(s)) => s,
        (0, _) | (_, None) => return Parsed::Err(Error::Inval),
        _ => return Parsed::Err(Error::Ambiguous),
    };

    let rest = &body[len..];
    if !spec.3 {
        // No clustering of short options: "-fb" is an error.
        if !rest.is_empty() {
            return Parsed::Err(Error::Inval);
        }
        return Parsed::Opt {
            val: spec.2,
            arg: None,
        };
    }
    let arg = if !rest.is_empty() {
        // "-oVALUE", or "--opt=VALUE" / "--opt:VALUE" (skip the separator).
        OptArg::Attached(start + len + usize::from(!short))
    } else if next.is_some() {
        OptArg::Next
    } else {
        return Parsed::Err(Error::NoArg);
    };
    Parsed::Opt {
        val: spec.2,
        arg: Some(arg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;
    use std::ptr::null_mut;

    const FLAG: c_int = 1;
    const LONGFLAG: c_int = 2;
    const VALUE: c_int = 3;
    const B: c_int = 4;

    fn case1() -> [nng_optspec; 5] {
        let o = |name: Option<&'static CStr>, short: u8, val, arg| nng_optspec {
            o_name: name.map_or(std::ptr::null(), CStr::as_ptr),
            o_short: c_int::from(short),
            o_val: val,
            o_arg: arg,
        };
        [
            o(Some(c"flag"), b'f', FLAG, false),
            o(Some(c"longflag"), 0, LONGFLAG, false),
            o(Some(c"value"), b'v', VALUE, true),
            o(None, b'b', B, false),
            o(None, 0, 0, false),
        ]
    }

    /// Runs the parser over `args` (argv[0] is "program"), collecting
    /// (return code, val, optarg, optidx) per call until it stops.
    fn run(args: &[&str]) -> Vec<(c_int, c_int, Option<String>, c_int)> {
        let owned: Vec<CString> = std::iter::once("program")
            .chain(args.iter().copied())
            .map(|a| CString::new(a).unwrap())
            .collect();
        let mut argv: Vec<*mut c_char> = owned.iter().map(|s| s.as_ptr().cast_mut()).collect();
        argv.push(null_mut());
        let opts = case1();
        let mut idx: c_int = 1;
        let mut out = vec![];
        loop {
            let (mut v, mut a) = (0, null_mut());
            // SAFETY: argv holds argc valid strings; opts is terminated.
            let rv = unsafe {
                nng_opts_parse(
                    owned.len() as c_int,
                    argv.as_ptr(),
                    opts.as_ptr(),
                    &mut v,
                    &mut a,
                    &mut idx,
                )
            };
            // SAFETY: a is NULL or points into one of our strings.
            let a =
                (!a.is_null()).then(|| unsafe { CStr::from_ptr(a) }.to_string_lossy().into_owned());
            out.push((rv, v, a, idx));
            if rv != 0 {
                return out;
            }
        }
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_owned())
    }

    #[test]
    fn short_and_long_options() {
        let want = vec![
            (0, FLAG, None, 2),
            (0, VALUE, s("123"), 4),
            (-1, 0, None, 4),
        ];
        assert_eq!(run(&["-f", "-v", "123", "456"]), want);
        assert_eq!(run(&["--flag", "--value", "123", "456"]), want);
        assert_eq!(run(&["--fl", "--val", "123", "456"]), want);
    }

    #[test]
    fn attached_arguments() {
        assert_eq!(run(&["-v123", "456"])[0], (0, VALUE, s("123"), 2));
        assert_eq!(run(&["--value=123", "456"])[0], (0, VALUE, s("123"), 2));
        assert_eq!(run(&["--value:123"])[0], (0, VALUE, s("123"), 2));
        assert_eq!(run(&["--value="])[0], (0, VALUE, s(""), 2));
    }

    #[test]
    fn mixed_options() {
        let got = run(&["--value=123", "-f", "--longflag", "-b", "-vxyz", "456"]);
        assert_eq!(
            got,
            vec![
                (0, VALUE, s("123"), 2),
                (0, FLAG, None, 3),
                (0, LONGFLAG, None, 4),
                (0, B, None, 5),
                (0, VALUE, s("xyz"), 6),
                (-1, 0, None, 6),
            ]
        );
    }

    #[test]
    fn ends_and_separator() {
        assert_eq!(run(&[]), vec![(-1, 0, None, 1)]);
        assert_eq!(run(&["123"]), vec![(-1, 0, None, 1)]);
        assert_eq!(
            run(&["-f", "-", "-v", "456"]),
            vec![(0, FLAG, None, 2), (-1, 0, None, 3)]
        );
    }

    #[test]
    fn errors() {
        let inval = Error::Inval.code();
        assert_eq!(run(&["-Z", "456"]), vec![(inval, 0, None, 1)]);
        assert_eq!(run(&["--something"]), vec![(inval, 0, None, 1)]);
        assert_eq!(run(&["-fb"]), vec![(inval, 0, None, 1)]);
        assert_eq!(run(&["--flag=x"]), vec![(inval, 0, None, 1)]);
        assert_eq!(run(&["-v"]), vec![(Error::NoArg.code(), 0, None, 1)]);
        assert_eq!(run(&["--value"]), vec![(Error::NoArg.code(), 0, None, 1)]);
        // "--" alone is the empty prefix of every long name.
        assert_eq!(run(&["--"]), vec![(Error::Ambiguous.code(), 0, None, 1)]);
        assert_eq!(run(&["--f"])[0].0, 0);
    }

    #[test]
    fn exact_name_beats_prefix_matches() {
        let table: Vec<Spec<'_>> = vec![(Some(b"ab"), 0, 1, false), (Some(b"a"), 0, 2, false)];
        assert_eq!(
            parse_one(b"--a", None, &table),
            Parsed::Opt { val: 2, arg: None }
        );
        assert_eq!(
            parse_one(b"--ab", None, &table),
            Parsed::Opt { val: 1, arg: None }
        );
        let table: Vec<Spec<'_>> = vec![(Some(b"abc"), 0, 1, false), (Some(b"abd"), 0, 2, false)];
        assert_eq!(
            parse_one(b"--ab", None, &table),
            Parsed::Err(Error::Ambiguous)
        );
    }

    #[test]
    fn null_arguments_are_rejected() {
        let opts = case1();
        let (mut v, mut a, mut idx) = (0, null_mut(), 1);
        let argv = [c"p".as_ptr().cast_mut(), c"-f".as_ptr().cast_mut()];
        let inval = Error::Inval.code();
        // SAFETY: every non-NULL pointer is valid.
        unsafe {
            assert_eq!(
                nng_opts_parse(2, std::ptr::null(), opts.as_ptr(), &mut v, &mut a, &mut idx),
                inval
            );
            assert_eq!(
                nng_opts_parse(2, argv.as_ptr(), std::ptr::null(), &mut v, &mut a, &mut idx),
                inval
            );
            assert_eq!(
                nng_opts_parse(
                    2,
                    argv.as_ptr(),
                    opts.as_ptr(),
                    null_mut(),
                    &mut a,
                    &mut idx
                ),
                inval
            );
            assert_eq!(
                nng_opts_parse(2, argv.as_ptr(), opts.as_ptr(), &mut v, &mut a, null_mut()),
                inval
            );
            // optarg may be NULL for options without an argument.
            assert_eq!(
                nng_opts_parse(
                    2,
                    argv.as_ptr(),
                    opts.as_ptr(),
                    &mut v,
                    null_mut(),
                    &mut idx
                ),
                0
            );
            assert_eq!((v, idx), (FLAG, 2));
        }
    }
}
