//! Platform helpers behind the C utility API (`nng_mtx_*`, `nng_cv_*`,
//! `nng_thread_*`, `nng_random`, `nng_socket_pair`, `nng_msleep`).
//!
//! C uses `nng_mtx` as a raw lock/unlock pair and `nng_cv` as a condition
//! variable bound to such a mutex, so RAII guards (`std::sync::Mutex`) do not
//! fit. [`RawMutex`] and [`RawCondvar`] wrap a POSIX `pthread_mutex_t` (error
//! checking, as upstream) and `pthread_cond_t` (on `CLOCK_MONOTONIC`, so
//! `nng_cv_until` takes `nng_clock` times). Both are boxed before use and
//! never move, as POSIX requires. Rust code inside the library uses
//! `std::sync` instead.

use std::cell::UnsafeCell;
use std::ffi::{c_void, CStr};
use std::thread::JoinHandle;

use crate::core::error::{Error, Result};
use crate::runtime::clock::NEVER;

/// A mutex for C: explicit lock and unlock, error-checking (relocking or
/// unlocking by a non-owner is detected instead of undefined).
pub struct RawMutex {
    m: UnsafeCell<libc::pthread_mutex_t>,
}

// SAFETY: a pthread mutex is made to be shared between threads; all access
// goes through pthread calls on its stable (boxed) address.
unsafe impl Send for RawMutex {}
// SAFETY: as above.
unsafe impl Sync for RawMutex {}

impl RawMutex {
    /// A new unlocked mutex, boxed so its address never changes.
    pub fn new() -> Box<RawMutex> {
        let b = Box::new(RawMutex {
            m: UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER),
        });
        // SAFETY: attr is initialised before use and destroyed after; the
        // mutex lives at its final (boxed) address and is not yet shared.
        unsafe {
            let mut attr: libc::pthread_mutexattr_t = std::mem::zeroed();
            if libc::pthread_mutexattr_init(&mut attr) == 0 {
                libc::pthread_mutexattr_settype(&mut attr, libc::PTHREAD_MUTEX_ERRORCHECK);
                libc::pthread_mutex_init(b.m.get(), &attr);
                libc::pthread_mutexattr_destroy(&mut attr);
            }
        }
        b
    }

    /// Locks, blocking. Relocking from the owner aborts the process with a
    /// message, as upstream does (it would deadlock otherwise).
    pub fn lock(&self) {
        // SAFETY: the mutex was initialised in `new` and has not moved.
        let rv = unsafe { libc::pthread_mutex_lock(self.m.get()) };
        if rv != 0 {
            fatal("nng_mtx_lock", rv);
        }
    }

    /// Unlocks. Unlocking a mutex the caller does not hold aborts with a
    /// message, as upstream does.
    pub fn unlock(&self) {
        // SAFETY: as for lock; the error-checking type reports misuse
        // instead of corrupting the mutex.
        let rv = unsafe { libc::pthread_mutex_unlock(self.m.get()) };
        if rv != 0 {
            fatal("nng_mtx_unlock", rv);
        }
    }

    fn raw(&self) -> *mut libc::pthread_mutex_t {
        self.m.get()
    }
}

impl Drop for RawMutex {
    fn drop(&mut self) {
        // SAFETY: we own the mutex and nobody else can reach it any more.
        unsafe { libc::pthread_mutex_destroy(self.m.get()) };
    }
}

/// A condition variable bound to a [`RawMutex`] at creation.
pub struct RawCondvar {
    c: UnsafeCell<libc::pthread_cond_t>,
    m: *const RawMutex,
}

// SAFETY: a pthread condition variable is made to be shared between threads;
// the mutex pointer is only used while the caller holds that mutex.
unsafe impl Send for RawCondvar {}
// SAFETY: as above.
unsafe impl Sync for RawCondvar {}

impl RawCondvar {
    /// A new condition variable waiting with `m`, on the monotonic clock.
    ///
    /// # Safety
    ///
    /// `m` outlives the condition variable.
    pub unsafe fn new(m: &RawMutex) -> Box<RawCondvar> {
        let b = Box::new(RawCondvar {
            c: UnsafeCell::new(libc::PTHREAD_COND_INITIALIZER),
            m,
        });
        // SAFETY: attr is initialised before use and destroyed after; the
        // condvar lives at its final (boxed) address and is not yet shared.
        unsafe {
            let mut attr: libc::pthread_condattr_t = std::mem::zeroed();
            if libc::pthread_condattr_init(&mut attr) == 0 {
                libc::pthread_condattr_setclock(&mut attr, libc::CLOCK_MONOTONIC);
                libc::pthread_cond_init(b.c.get(), &attr);
                libc::pthread_condattr_destroy(&mut attr);
            }
        }
        b
    }

    /// Waits until woken (spurious wake-ups happen).
    ///
    /// # Safety
    ///
    /// The caller holds the bound mutex, which is still alive.
    pub unsafe fn wait(&self) {
        crate::runtime::taskq::before_blocking();
        // SAFETY: per the contract the bound mutex is alive and held.
        let rv = unsafe { libc::pthread_cond_wait(self.c.get(), (*self.m).raw()) };
        if rv != 0 {
            fatal("nng_cv_wait", rv);
        }
    }

    /// Waits until woken or until the absolute time `until` (ms,
    /// `nng_clock` base): `Ok` if woken, `NNG_ETIMEDOUT` once the time
    /// passed. `until` = never waits without limit; 0 gives `NNG_EAGAIN` at
    /// once (upstream's special cases).
    ///
    /// # Safety
    ///
    /// As for [`RawCondvar::wait`].
    pub unsafe fn until(&self, until: u64) -> Result<()> {
        if until == NEVER {
            // SAFETY: forwarded contract.
            unsafe { self.wait() };
            return Ok(());
        }
        if until == 0 {
            return Err(Error::Again);
        }
        crate::runtime::taskq::before_blocking();
        let ts = libc::timespec {
            tv_sec: (until / 1000) as libc::time_t,
            tv_nsec: ((until % 1000) * 1_000_000) as libc::c_long,
        };
        // SAFETY: per the contract the bound mutex is alive and held; ts is
        // a valid absolute time on the condvar's (monotonic) clock.
        let rv = unsafe { libc::pthread_cond_timedwait(self.c.get(), (*self.m).raw(), &ts) };
        match rv {
            0 => Ok(()),
            libc::ETIMEDOUT | libc::EAGAIN => Err(Error::TimedOut),
            e => {
                fatal("nng_cv_until", e);
            }
        }
    }

    /// Wakes every waiter.
    pub fn wake(&self) {
        // SAFETY: the condvar was initialised in `new` and has not moved.
        unsafe { libc::pthread_cond_broadcast(self.c.get()) };
    }

    /// Wakes one waiter.
    pub fn wake1(&self) {
        // SAFETY: as for wake.
        unsafe { libc::pthread_cond_signal(self.c.get()) };
    }
}

impl Drop for RawCondvar {
    fn drop(&mut self) {
        // SAFETY: we own the condvar and nobody else can reach it any more.
        unsafe { libc::pthread_cond_destroy(self.c.get()) };
    }
}

fn fatal(what: &str, rv: i32) -> ! {
    eprintln!(
        "nng: {what}: {} (misuse of a mutex or condition variable); aborting",
        std::io::Error::from_raw_os_error(rv)
    );
    std::process::abort()
}

/// A thread started for C (`nng_thread_create`).
pub struct Thread {
    handle: Option<JoinHandle<()>>,
}

/// A C thread body, `void (*)(void *)`.
pub type CThreadFn = unsafe extern "C" fn(*mut c_void);

struct SendPtr(*mut c_void);
// SAFETY: the C caller of nng_thread_create hands `arg` to the new thread;
// making it usable there is its responsibility.
unsafe impl Send for SendPtr {}

impl Thread {
    /// Starts a thread running `f(arg)`; `None` starts nothing (upstream
    /// accepts a NULL function). `NNG_ENOMEM` if the thread cannot be made.
    ///
    /// # Safety
    ///
    /// `f`, if any, may be called with `arg` on a new thread.
    pub unsafe fn spawn(f: Option<CThreadFn>, arg: *mut c_void) -> Result<Thread> {
        let Some(f) = f else {
            return Ok(Thread { handle: None });
        };
        let arg = SendPtr(arg);
        let h = std::thread::Builder::new()
            .stack_size(crate::runtime::thread::STACK_SIZE)
            .spawn(move || {
                let arg = arg;
                crate::runtime::thread::block_sigpipe();
                // SAFETY: the contract of spawn: f may be called with arg here.
                unsafe { f(arg.0) }
            })
            .map_err(|_| Error::NoMem)?;
        Ok(Thread { handle: Some(h) })
    }

    /// Waits for the thread to end.
    pub fn join(mut self) {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }

    /// Sets the OS-visible name (best effort; truncated to the 15 bytes
    /// Linux allows). Does nothing once the thread has ended.
    pub fn set_name(&self, name: &CStr) {
        use std::os::unix::thread::JoinHandleExt;
        if let Some(h) = &self.handle {
            if !h.is_finished() {
                set_pthread_name(h.as_pthread_t(), name);
            }
        }
    }
}

/// Sets the OS-visible name of the calling thread (best effort).
pub fn set_current_thread_name(name: &CStr) {
    // SAFETY: pthread_self has no preconditions.
    set_pthread_name(unsafe { libc::pthread_self() }, name);
}

fn set_pthread_name(t: libc::pthread_t, name: &CStr) {
    let mut buf = [0u8; 16];
    let b = name.to_bytes();
    let n = b.len().min(15);
    buf[..n].copy_from_slice(&b[..n]);
    // SAFETY: buf is NUL-terminated within 16 bytes; t names a thread that
    // has not been joined (the caller checked or it is the current thread).
    unsafe { libc::pthread_setname_np(t, buf.as_ptr().cast()) };
}

/// A cryptographically strong random number (`getrandom(2)`).
pub fn random_u32() -> u32 {
    let mut v = [0u8; 4];
    let mut got = 0;
    while got < v.len() {
        // SAFETY: the pointer and length describe the unfilled tail of v.
        let n = unsafe { libc::getrandom(v[got..].as_mut_ptr().cast(), v.len() - got, 0) };
        if n > 0 {
            got += n as usize;
        } else if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            // No entropy source at all: fall back to the clock and a
            // counter rather than fail (nng_random cannot report errors).
            static FALLBACK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let c = FALLBACK.fetch_add(0x9E37_79B9_7F4A_7C15, std::sync::atomic::Ordering::Relaxed);
            let x = (crate::runtime::clock::now_ns() ^ c).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            return (x >> 32) as u32;
        }
    }
    u32::from_ne_bytes(v)
}

/// A connected pair of `AF_UNIX` stream sockets (`nng_socket_pair`).
pub fn socket_pair() -> Result<[i32; 2]> {
    let mut fds = [-1; 2];
    // SAFETY: fds is a writable array of two ints, as socketpair requires.
    let rv = unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, fds.as_mut_ptr()) };
    if rv != 0 {
        return Err(Error::from(std::io::Error::last_os_error()));
    }
    Ok(fds)
}

/// Sleeps at least `ms` milliseconds; nothing for zero or negative values.
pub fn msleep(ms: i32) {
    if ms > 0 {
        crate::runtime::taskq::before_blocking();
        std::thread::sleep(std::time::Duration::from_millis(ms as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::clock::now_ms;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn mutex_and_condvar_hand_over_a_value() {
        struct Shared {
            m: Box<RawMutex>,
            cv: Box<RawCondvar>,
            v: AtomicU32,
        }
        let m = RawMutex::new();
        // SAFETY: m lives in the same struct, dropped after cv (field order).
        let cv = unsafe { RawCondvar::new(&m) };
        let s = std::sync::Arc::new(Shared {
            cv,
            m,
            v: AtomicU32::new(0),
        });
        let s2 = s.clone();
        let t = std::thread::spawn(move || {
            s2.m.lock();
            s2.v.store(1, Ordering::SeqCst);
            s2.cv.wake();
            s2.m.unlock();
        });
        s.m.lock();
        while s.v.load(Ordering::SeqCst) == 0 {
            // SAFETY: we hold the bound mutex.
            let r = unsafe { s.cv.until(now_ms() + 10_000) };
            assert!(r.is_ok() || s.v.load(Ordering::SeqCst) == 1);
        }
        s.m.unlock();
        t.join().unwrap();
    }

    #[test]
    fn condvar_until_times_out_and_special_cases() {
        let m = RawMutex::new();
        // SAFETY: m outlives cv (declared before, dropped after).
        let cv = unsafe { RawCondvar::new(&m) };
        m.lock();
        let start = now_ms();
        // SAFETY: we hold the bound mutex.
        unsafe {
            let mut r = cv.until(start + 20);
            while r.is_ok() && now_ms() < start + 20 {
                r = cv.until(start + 20); // spurious wake-up
            }
            assert_eq!(r, Err(Error::TimedOut));
            assert!(now_ms() >= start + 20);
            assert_eq!(cv.until(0), Err(Error::Again));
            assert_eq!(cv.until(1), Err(Error::TimedOut));
        }
        m.unlock();
        drop(cv);
    }

    #[test]
    fn thread_runs_and_joins() {
        static HIT: AtomicU32 = AtomicU32::new(0);
        unsafe extern "C" fn body(arg: *mut c_void) {
            HIT.store(arg as usize as u32, Ordering::SeqCst);
        }
        // SAFETY: body ignores its argument's pointee.
        let t = unsafe { Thread::spawn(Some(body), 7usize as *mut c_void) }.unwrap();
        t.set_name(c"a-very-long-thread-name");
        t.join();
        assert_eq!(HIT.load(Ordering::SeqCst), 7);
        // SAFETY: no function: nothing runs.
        unsafe { Thread::spawn(None, std::ptr::null_mut()) }
            .unwrap()
            .join();
        set_current_thread_name(c"nng-test");
    }

    #[test]
    fn random_values_differ() {
        let v: Vec<u32> = (0..100).map(|_| random_u32()).collect();
        let mut d = v.clone();
        d.sort_unstable();
        d.dedup();
        assert!(d.len() >= 98);
    }

    #[test]
    fn socket_pair_is_connected() {
        let [a, b] = socket_pair().unwrap();
        // SAFETY: a and b are our fresh descriptors; the buffers are local.
        unsafe {
            assert_eq!(libc::write(a, b"x".as_ptr().cast(), 1), 1);
            let mut c = 0u8;
            assert_eq!(libc::read(b, (&mut c as *mut u8).cast(), 1), 1);
            assert_eq!(c, b'x');
            libc::close(a);
            libc::close(b);
        }
    }
}
