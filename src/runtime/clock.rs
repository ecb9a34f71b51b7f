//! The library clock: monotonic milliseconds, the `nng_clock()` time base.
//!
//! Values are `CLOCK_MONOTONIC` in milliseconds, so they agree with what C code
//! gets from `nng_clock()` and hands back to `nng_cv_until`/`nng_aio_set_expire`.

/// An absolute time that never comes (upstream `NNI_TIME_NEVER`).
pub const NEVER: u64 = u64::MAX;

/// Milliseconds on the monotonic clock (`nng_clock`).
pub fn now_ms() -> u64 {
    now_ns() / 1_000_000
}

/// Nanoseconds on the same monotonic clock, for precise waits.
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC always
    // exists on Linux, so the call cannot fail.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64) * 1_000_000_000 + ts.tv_nsec as u64
}

/// The absolute time `ms` milliseconds from now; negative values give a time
/// in the past (upstream adds the signed duration the same way).
pub fn after_ms(ms: i64) -> u64 {
    now_ms().saturating_add_signed(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_is_monotonic_and_in_milliseconds() {
        let a = now_ms();
        let b = now_ms();
        assert!(b >= a);
        assert!(now_ns() / 1_000_000 >= b);
        assert!(after_ms(-5) < after_ms(5));
    }
}
