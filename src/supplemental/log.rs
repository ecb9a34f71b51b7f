//! Logging: the level and facility filters, the installed logger, and the
//! three standard loggers (null, stderr, syslog). Reference API.md §14,
//! ABI.md §4.6–4.7.
//!
//! A message is delivered only when its level is at or below the current
//! level, the current level is not `NONE` (0) and its facility is not 0. The
//! default is level `NOTICE`, facility `USER` and the null logger. Messages
//! are limited to 511 bytes, as upstream's 512-byte formatting buffer does.
//!
//! The library logs through [`err`], [`warn`], [`notice`], [`info`] and
//! [`debug`]: a filtered-out call costs one atomic load and formats nothing.
//!
//! ```
//! use nng::supplemental::log;
//! log::warn(c"NNG-EXAMPLE", format_args!("could not connect to {}", "tcp://x:1"));
//! ```
//!
//! May call the C library (time zone, syslog); never calls into `ffi`.

use std::ffi::{c_char, CStr};
use std::fmt::{self, Write as _};
use std::io::{IsTerminal, Write as _};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// `NNG_LOG_NONE`: as a level filter, disables logging.
pub const NONE: i32 = 0;
/// `NNG_LOG_ERR`
pub const ERR: i32 = 3;
/// `NNG_LOG_WARN`
pub const WARN: i32 = 4;
/// `NNG_LOG_NOTICE` (the default level)
pub const NOTICE: i32 = 5;
/// `NNG_LOG_INFO`
pub const INFO: i32 = 6;
/// `NNG_LOG_DEBUG`
pub const DEBUG: i32 = 7;

/// `NNG_LOG_USER` (the default facility)
pub const USER: i32 = 1;
/// `NNG_LOG_DAEMON`
pub const DAEMON: i32 = 3;
/// `NNG_LOG_AUTH` (security messages; syslog's AUTHPRIV)
pub const AUTH: i32 = 10;
/// `NNG_LOG_LOCAL0`; `LOCAL1`..`LOCAL7` follow as 17..23.
pub const LOCAL0: i32 = 16;

/// Longest message delivered to a logger, in bytes (excluding the NUL).
pub const MAX_MESSAGE: usize = 511;

/// A logger: receives (level, facility, message id or `None`, message).
/// It may be called from any thread, concurrently.
pub type Logger = Arc<dyn Fn(i32, i32, Option<&CStr>, &CStr) + Send + Sync>;

static LEVEL: AtomicI32 = AtomicI32::new(NOTICE);
static FACILITY: AtomicI32 = AtomicI32::new(USER);
/// Whether a logger other than the null logger is installed (lets filtered
/// and discarded messages skip formatting).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static LOGGER: RwLock<Option<Logger>> = RwLock::new(None);

/// Sets the level filter (`NNG_LOG_*`; `NONE` disables logging).
pub fn set_level(level: i32) {
    LEVEL.store(level, Ordering::Relaxed);
}

/// The current level filter.
pub fn level() -> i32 {
    LEVEL.load(Ordering::Relaxed)
}

/// Sets the facility used by [`err`]..[`debug`].
pub fn set_facility(facility: i32) {
    FACILITY.store(facility, Ordering::Relaxed);
}

/// The current facility.
pub fn facility() -> i32 {
    FACILITY.load(Ordering::Relaxed)
}

/// Installs a logger; `None` installs the null logger.
pub fn set_logger(logger: Option<Logger>) {
    let mut slot = LOGGER.write().unwrap_or_else(|e| e.into_inner());
    ACTIVE.store(logger.is_some(), Ordering::Relaxed);
    *slot = logger;
}

/// Whether a message of this level and facility passes the filters.
pub fn enabled(level: i32, facility: i32) -> bool {
    let cur = LEVEL.load(Ordering::Relaxed);
    level <= cur && cur != NONE && facility != 0
}

/// Whether a message would reach a logger that does something with it.
fn wanted(level: i32, facility: i32) -> bool {
    enabled(level, facility) && ACTIVE.load(Ordering::Relaxed)
}

/// Delivers an already formatted message to the installed logger if the
/// filters pass (the C entry points format first, then call this).
pub fn deliver(level: i32, facility: i32, msgid: Option<&CStr>, msg: &CStr) {
    if !wanted(level, facility) {
        return;
    }
    // Clone the logger out so it runs without the lock held: a logger may
    // itself change the logger.
    let logger = LOGGER.read().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(l) = logger {
        l(level, facility, msgid, msg);
    }
}

/// Logs at `level` with `facility`; formats only if the message will be
/// delivered. The text is cut at [`MAX_MESSAGE`] bytes.
pub fn log(level: i32, facility: i32, msgid: &CStr, args: fmt::Arguments<'_>) {
    if !wanted(level, facility) {
        return;
    }
    let mut buf = MsgBuf::new();
    // MsgBuf never fails: it truncates.
    let _ = buf.write_fmt(args);
    deliver(level, facility, Some(msgid), buf.as_cstr());
}

/// Logs an error with the current facility.
pub fn err(msgid: &CStr, args: fmt::Arguments<'_>) {
    log(ERR, facility(), msgid, args)
}

/// Logs a warning with the current facility.
pub fn warn(msgid: &CStr, args: fmt::Arguments<'_>) {
    log(WARN, facility(), msgid, args)
}

/// Logs a notice with the current facility.
pub fn notice(msgid: &CStr, args: fmt::Arguments<'_>) {
    log(NOTICE, facility(), msgid, args)
}

/// Logs an informational message with the current facility.
pub fn info(msgid: &CStr, args: fmt::Arguments<'_>) {
    log(INFO, facility(), msgid, args)
}

/// Logs a debugging message with the current facility.
pub fn debug(msgid: &CStr, args: fmt::Arguments<'_>) {
    log(DEBUG, facility(), msgid, args)
}

/// Logs a security message at `level` with facility `AUTH`.
pub fn auth(level: i32, msgid: &CStr, args: fmt::Arguments<'_>) {
    log(level, AUTH, msgid, args)
}

/// Serialises the tests (here and in `ffi::log`) that change the global
/// logging state.
#[cfg(test)]
pub(crate) static TEST_LOCK: Mutex<()> = Mutex::new(());

/// A 512-byte message buffer that silently truncates, like `vsnprintf`.
struct MsgBuf {
    buf: [u8; MAX_MESSAGE + 1],
    len: usize,
}

impl MsgBuf {
    fn new() -> Self {
        MsgBuf {
            buf: [0; MAX_MESSAGE + 1],
            len: 0,
        }
    }

    fn as_cstr(&self) -> &CStr {
        // The buffer keeps a NUL at `len` (never written past MAX_MESSAGE);
        // an interior NUL from the arguments simply ends the message early.
        CStr::from_bytes_until_nul(&self.buf[..=self.len]).unwrap_or(c"")
    }
}

impl fmt::Write for MsgBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(MAX_MESSAGE - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// The stderr logger (`nng_stderr_logger`): one line per message,
/// `[LEVEL ]: HH:MM:SS.mmm: MSGID: message`, local time. Colours (ECMA-48)
/// only when stderr is a terminal, `TERM` is set and non-empty, and neither
/// `NNG_LOG_NO_COLOR` nor `NO_COLOR` is set. As upstream does, the first
/// message of each new day is preceded by a `NNG-DATE` debug line.
pub fn stderr_logger(level: i32, facility: i32, msgid: Option<&[u8]>, msg: &[u8]) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let tm = local_time(now.as_secs());

    static LAST_DAY: Mutex<(i32, i32, i32)> = Mutex::new((0, 0, 0));
    let day = (tm.tm_mday, tm.tm_mon, tm.tm_year);
    let new_day = {
        let mut last = LAST_DAY.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::replace(&mut *last, day) != day
    };
    let mut out = Vec::with_capacity(msg.len() + 64);
    if new_day {
        let off = tm.tm_gmtoff / 60;
        let note = format!(
            "Date changed to {:04}-{:02}-{:02}, TZ is {}{:02}{:02}",
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday,
            if off < 0 { '-' } else { '+' },
            off.abs() / 60,
            off.abs() % 60
        );
        stderr_line(
            &mut out,
            DEBUG,
            &tm,
            now.subsec_millis(),
            Some(b"NNG-DATE"),
            note.as_bytes(),
        );
    }
    let _ = facility;
    stderr_line(&mut out, level, &tm, now.subsec_millis(), msgid, msg);
    // One write, so concurrent messages do not interleave.
    let _ = std::io::stderr().lock().write_all(&out);
}

fn stderr_line(
    out: &mut Vec<u8>,
    level: i32,
    tm: &libc::tm,
    millis: u32,
    msgid: Option<&[u8]>,
    msg: &[u8],
) {
    let (sgr, name) = match level {
        ERR => ("\x1b[31m", "ERROR"),
        WARN => ("\x1b[33m", "WARN"),
        NOTICE => ("\x1b[1m", "NOTICE"),
        DEBUG => ("\x1b[36m", "DEBUG"),
        INFO => ("", "INFO"),
        _ => ("", "NONE"),
    };
    let (sgr, sgr0) = if colors() && !sgr.is_empty() {
        (sgr, "\x1b[0m")
    } else {
        ("", "")
    };
    let _ = write!(
        out,
        "{sgr}[{name:<6}]: {:02}:{:02}:{:02}.{millis:03}: ",
        tm.tm_hour, tm.tm_min, tm.tm_sec
    );
    if let Some(id) = msgid {
        out.extend_from_slice(id);
        out.extend_from_slice(b": ");
    }
    out.extend_from_slice(msg);
    out.extend_from_slice(sgr0.as_bytes());
    if msg.last() != Some(&b'\n') {
        out.push(b'\n');
    }
}

fn colors() -> bool {
    let term = std::env::var_os("TERM").is_some_and(|t| !t.is_empty());
    std::io::stderr().is_terminal()
        && term
        && std::env::var_os("NNG_LOG_NO_COLOR").is_none()
        && std::env::var_os("NO_COLOR").is_none()
}

fn local_time(secs: u64) -> libc::tm {
    let t = libc::time_t::try_from(secs).unwrap_or(0);
    // SAFETY: `tm` is plain old data, so all-zero is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are to live locals; localtime_r is the
    // re-entrant form and writes only into `tm`. On failure tm stays zeroed.
    unsafe { libc::localtime_r(&t, &mut tm) };
    tm
}

/// The system logger (`nng_system_logger`): forwards to syslog(3) as
/// `"msgid: msg"` (or just `msg`), mapping levels to `LOG_ERR`..`LOG_DEBUG`
/// (unknown: `LOG_INFO`) and facilities to the syslog facility of the same
/// name (unknown: none, i.e. syslog's default).
pub fn system_logger(level: i32, facility: i32, msgid: Option<&CStr>, msg: &CStr) {
    let mut pri = match level {
        ERR => libc::LOG_ERR,
        WARN => libc::LOG_WARNING,
        NOTICE => libc::LOG_NOTICE,
        INFO => libc::LOG_INFO,
        DEBUG => libc::LOG_DEBUG,
        _ => libc::LOG_INFO,
    };
    pri |= match facility {
        USER => libc::LOG_USER,
        DAEMON => libc::LOG_DAEMON,
        AUTH => libc::LOG_AUTHPRIV,
        f @ 16..=23 => libc::LOG_LOCAL0 + ((f - LOCAL0) << 3),
        _ => 0,
    };
    let msg: *const c_char = msg.as_ptr();
    match msgid {
        // SAFETY: the format strings are literals whose conversions match
        // the NUL-terminated string arguments that follow them.
        Some(id) => unsafe { libc::syslog(pri, c"%s: %s".as_ptr(), id.as_ptr(), msg) },
        // SAFETY: as above.
        None => unsafe { libc::syslog(pri, c"%s".as_ptr(), msg) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    type Seen = Arc<Mutex<Vec<(i32, i32, Option<String>, String)>>>;

    fn capture() -> Seen {
        let seen: Seen = Arc::default();
        let s = Arc::clone(&seen);
        set_logger(Some(Arc::new(move |l, f, id: Option<&CStr>, m: &CStr| {
            let id = id.map(|i| i.to_string_lossy().into_owned());
            s.lock()
                .unwrap()
                .push((l, f, id, m.to_string_lossy().into_owned()));
        })));
        seen
    }

    // The filters are global, so one test covers them in sequence.
    #[test]
    fn filters_facility_and_truncation() {
        let _serial = TEST_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let seen = capture();
        set_facility(USER);
        set_level(WARN);
        debug(c"D", format_args!("filtered"));
        err(c"E", format_args!("gets {}", "through"));
        notice(c"N", format_args!("filtered"));
        warn(c"W", format_args!("makes it"));
        auth(ERR, c"A", format_args!("auth"));
        set_facility(LOCAL0 + 2);
        err(c"L", format_args!("local2"));
        set_facility(0);
        err(c"Z", format_args!("facility 0 is dropped"));
        set_facility(USER);
        set_level(NONE);
        err(c"E", format_args!("filtered: level NONE"));
        set_level(DEBUG);
        let long = "x".repeat(600);
        info(c"I", format_args!("{long}"));
        deliver(INFO, USER, None, &CString::new("pre-formatted").unwrap());
        set_logger(None);
        err(c"E", format_args!("null logger"));
        set_level(NOTICE);

        let seen = seen.lock().unwrap();
        let brief: Vec<_> = seen
            .iter()
            .map(|(l, f, id, _)| (*l, *f, id.as_deref()))
            .collect();
        assert_eq!(
            brief,
            vec![
                (ERR, USER, Some("E")),
                (WARN, USER, Some("W")),
                (ERR, AUTH, Some("A")),
                (ERR, 18, Some("L")),
                (INFO, USER, Some("I")),
                (INFO, USER, None),
            ]
        );
        assert_eq!(seen[0].3, "gets through");
        assert_eq!(seen[4].3.len(), MAX_MESSAGE);
        assert_eq!(seen[5].3, "pre-formatted");
    }

    #[test]
    fn stderr_line_format() {
        // SAFETY: tm is plain old data.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        tm.tm_hour = 1;
        tm.tm_min = 2;
        tm.tm_sec = 3;
        let mut out = Vec::new();
        stderr_line(&mut out, WARN, &tm, 7, Some(b"ID"), b"hello");
        stderr_line(&mut out, 99, &tm, 999, None, b"done\n");
        let text = String::from_utf8(out).unwrap();
        // Colours appear only on a terminal; tests run with stderr captured.
        let plain = text.replace("\x1b[33m", "").replace("\x1b[0m", "");
        assert_eq!(
            plain,
            "[WARN  ]: 01:02:03.007: ID: hello\n[NONE  ]: 01:02:03.999: done\n"
        );
    }

    #[test]
    fn msgbuf_truncates_at_511_bytes() {
        let mut b = MsgBuf::new();
        for _ in 0..100 {
            b.write_str("abcdefgh").unwrap();
        }
        assert_eq!(b.as_cstr().to_bytes().len(), MAX_MESSAGE);
    }
}
