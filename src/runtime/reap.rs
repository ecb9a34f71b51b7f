//! The reaper: one thread that runs deferred teardown (upstream `nni_reap`),
//! such as `nng_aio_reap`, where the object cannot be destroyed on the
//! calling thread (typically from its own completion callback).

use std::sync::{Condvar, Mutex};
use std::thread::JoinHandle;

use super::sync::{lock, wait};
use crate::core::error::{Error, Result};

struct Reaper {
    items: Vec<Box<dyn FnOnce() + Send>>,
    /// The thread is running items taken off the list.
    working: bool,
    run: bool,
    thread: Option<JoinHandle<()>>,
}

static REAPER: Mutex<Reaper> = Mutex::new(Reaper {
    items: Vec::new(),
    working: false,
    run: false,
    thread: None,
});
static WORK: Condvar = Condvar::new();
static EMPTY: Condvar = Condvar::new();

/// Runs `f` later on the reaper thread.
pub fn reap(f: impl FnOnce() + Send + 'static) {
    super::ensure();
    lock(&REAPER).items.push(Box::new(f));
    WORK.notify_one();
}

/// Waits until everything reaped so far (and anything it reaped in turn) ran.
pub fn drain() {
    let mut r = lock(&REAPER);
    while r.run && (r.working || !r.items.is_empty()) {
        r = wait(&EMPTY, r);
    }
}

pub(super) fn start() -> Result<()> {
    let mut r = lock(&REAPER);
    r.run = true;
    match super::thread::spawn("nng:reap", worker) {
        Ok(h) => {
            r.thread = Some(h);
            Ok(())
        }
        Err(_) => {
            r.run = false;
            Err(Error::NoMem)
        }
    }
}

/// Stops the reaper after it ran every pending item.
pub(super) fn stop() {
    let h = {
        let mut r = lock(&REAPER);
        r.run = false;
        r.thread.take()
    };
    WORK.notify_one();
    if let Some(h) = h {
        let _ = h.join();
    }
    EMPTY.notify_all();
}

fn worker() {
    let mut r = lock(&REAPER);
    loop {
        if !r.items.is_empty() {
            let items = std::mem::take(&mut r.items);
            r.working = true;
            drop(r);
            for f in items {
                f();
            }
            r = lock(&REAPER);
            r.working = false;
            continue;
        }
        EMPTY.notify_all();
        if !r.run {
            return;
        }
        r = wait(&WORK, r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn reaped_work_runs_on_the_reaper_and_drain_waits() {
        let (tx, rx) = mpsc::channel();
        reap(move || {
            let name = std::thread::current().name().map(str::to_owned);
            tx.send(name).unwrap();
        });
        drain();
        let name = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(name.as_deref(), Some("nng:reap"));
    }
}
