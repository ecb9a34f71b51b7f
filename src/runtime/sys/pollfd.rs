//! A readiness flag that `poll(2)` can watch: the descriptor behind
//! `NNG_OPT_RECVFD` and `NNG_OPT_SENDFD`.
//!
//! The descriptor is readable exactly while the flag is raised (level
//! triggered). The application only polls it; it must never read from or
//! write to it. It is the read end of a non-blocking pipe holding one byte
//! while raised, as upstream's: a pipe reports `POLLRDNORM` as well as
//! `POLLIN` (an `eventfd` only `POLLIN`, which applications polling for
//! `POLLRDNORM`, upstream's own tests among them, would never see).
//!
//! Raising or clearing costs a system call only when the state changes; the
//! owner serialises the calls (the socket does it under its lock).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use super::cvt;

/// A pollable readiness flag. The descriptors close on drop.
#[derive(Debug)]
pub struct PollFd {
    /// The descriptor handed to the application (readable while raised).
    rfd: OwnedFd,
    /// Where a raise is written: the write end of the pipe.
    wfd: OwnedFd,
    raised: bool,
}

impl PollFd {
    /// Makes a new flag, raised or not.
    pub fn new(raised: bool) -> io::Result<PollFd> {
        let mut p = Self::open()?;
        p.set(raised);
        Ok(p)
    }

    /// The descriptor to poll for readability.
    pub fn fd(&self) -> RawFd {
        self.rfd.as_raw_fd()
    }

    /// Whether the flag is raised.
    pub fn is_raised(&self) -> bool {
        self.raised
    }

    /// Raises (`true`) or clears (`false`) the flag. Only a change costs a
    /// system call.
    pub fn set(&mut self, ready: bool) {
        if ready == self.raised {
            return;
        }
        self.raised = ready;
        if ready {
            self.raise();
        } else {
            self.clear();
        }
    }

    fn open() -> io::Result<PollFd> {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: `fds` is a live array of two ints, as pipe requires.
        cvt(unsafe { libc::pipe(fds.as_mut_ptr()) })?;
        // SAFETY: both descriptors were just returned by pipe and are owned
        // by no one else.
        let (rfd, wfd) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        for fd in [rfd.as_raw_fd(), wfd.as_raw_fd()] {
            // SAFETY: fcntl on a descriptor we own, with integer arguments.
            unsafe {
                cvt(libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC))?;
                cvt(libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK))?;
            }
        }
        Ok(PollFd {
            rfd,
            wfd,
            raised: false,
        })
    }

    fn raise(&self) {
        let b = 1u8;
        // SAFETY: writes one byte of a live local to our own pipe; errors
        // (a full pipe cannot happen with one byte) are ignored.
        let _ = unsafe { libc::write(self.wfd.as_raw_fd(), (&b as *const u8).cast(), 1) };
    }

    fn clear(&self) {
        let mut buf = [0u8; 8];
        // SAFETY: reads into a live local buffer of its length from our own
        // non-blocking pipe, draining the byte written by `raise`.
        let _ = unsafe { libc::read(self.fd(), buf.as_mut_ptr().cast(), buf.len()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readable(fd: RawFd) -> bool {
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN | libc::POLLRDNORM,
            revents: 0,
        };
        // SAFETY: one live pollfd, zero timeout.
        let n = unsafe { libc::poll(&mut p, 1, 0) };
        n == 1 && p.revents & libc::POLLIN != 0 && p.revents & libc::POLLRDNORM != 0
    }

    #[test]
    fn readable_exactly_while_raised() {
        let mut p = PollFd::new(false).unwrap();
        assert!(!readable(p.fd()));
        p.set(true);
        assert!(readable(p.fd()));
        p.set(true);
        assert!(readable(p.fd()));
        p.set(false);
        assert!(!readable(p.fd()));
        p.set(false);
        assert!(!readable(p.fd()));
        p.set(true);
        assert!(readable(p.fd()) && p.is_raised());
    }

    #[test]
    fn starts_raised_when_asked() {
        let p = PollFd::new(true).unwrap();
        assert!(readable(p.fd()));
    }
}
