//! Spawning the library's own threads.
//!
//! Every runtime thread runs under a [`PanicGuard`]: a panic on a thread that
//! other threads wait for would leave them hanging, so the guard aborts the
//! process with a message instead (STYLE.md §4). Threads block `SIGPIPE`, as
//! upstream's do, and get a stack as large as a default C thread's, because
//! C completion callbacks run on them.

use std::io;
use std::thread::{Builder, JoinHandle};

/// Stack size of library threads: glibc's default for C threads (8 MiB).
pub const STACK_SIZE: usize = 8 << 20;

/// Spawns a named library thread running `f` under a [`PanicGuard`].
pub fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> io::Result<JoinHandle<()>> {
    let owned = name.to_owned();
    Builder::new()
        .name(owned.clone())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            block_sigpipe();
            let _guard = PanicGuard(owned);
            f();
        })
}

/// Aborts the process if dropped while its thread is panicking.
pub struct PanicGuard(pub String);

impl Drop for PanicGuard {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "nng: internal error: thread '{}' panicked; aborting",
                self.0
            );
            std::process::abort();
        }
    }
}

/// Blocks `SIGPIPE` on the calling thread (writes to a closed peer then fail
/// with `EPIPE` instead of killing the process).
pub fn block_sigpipe() {
    // SAFETY: `set` is a local sigset_t initialised by sigemptyset before
    // use; pthread_sigmask accepts a NULL old-set pointer.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}
