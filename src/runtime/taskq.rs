//! The task queue: a fixed set of threads that run aio completion callbacks
//! and other deferred work (upstream `nni_taskq`).
//!
//! One FIFO shared by all task threads. Queuing an aio completion costs an
//! `Arc` clone and a push under a short lock (no allocation once the queue has
//! grown); a sleeping thread is woken only when one is idle. Nothing here
//! holds a lock while a task runs.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::sync::{lock, wait};
use crate::core::error::{Error, Result};

/// Work that can be queued without a fresh allocation: the queue holds the
/// `Arc` and calls [`Runnable::run`] on a task thread.
pub trait Runnable: Send + Sync {
    /// Runs the work. Called on a task thread with no runtime lock held.
    fn run(self: Arc<Self>);
}

enum Task {
    Arc(Arc<dyn Runnable>),
    Fn(Box<dyn FnOnce() + Send>),
}

struct Queue {
    tasks: VecDeque<Task>,
    idle: usize,
    run: bool,
    threads: Vec<JoinHandle<()>>,
}

static QUEUE: Mutex<Queue> = Mutex::new(Queue {
    tasks: VecDeque::new(),
    idle: 0,
    run: false,
    threads: Vec::new(),
});
static WORK: Condvar = Condvar::new();

/// Runs `f` later on a task thread. Allocates one box; hot paths queue an
/// `Arc<dyn Runnable>` through [`dispatch`] instead.
pub fn spawn(f: impl FnOnce() + Send + 'static) {
    push(Task::Fn(Box::new(f)));
}

/// Queues `r` to run on a task thread (no allocation).
pub fn dispatch(r: Arc<dyn Runnable>) {
    push(Task::Arc(r));
}

fn push(t: Task) {
    super::ensure();
    let mut q = lock(&QUEUE);
    if !q.run {
        // Only while `nng_fini` tears the runtime down (or if no thread
        // could be started): run the task here rather than strand it.
        drop(q);
        run(t);
        return;
    }
    q.tasks.push_back(t);
    let wake = q.idle > 0;
    drop(q);
    if wake {
        WORK.notify_one();
    }
}

/// Starts `n` task threads (called by runtime init).
pub(super) fn start(n: usize) -> Result<()> {
    let mut q = lock(&QUEUE);
    q.run = true;
    for i in 0..n {
        match super::thread::spawn(&format!("nng:task{i}"), worker) {
            Ok(h) => q.threads.push(h),
            Err(_) => {
                drop(q);
                stop();
                return Err(Error::NoMem);
            }
        }
    }
    Ok(())
}

/// Stops the task threads after they ran every queued task, then runs any
/// task queued after they left (called by runtime fini).
pub(super) fn stop() {
    let threads = {
        let mut q = lock(&QUEUE);
        q.run = false;
        std::mem::take(&mut q.threads)
    };
    WORK.notify_all();
    for t in threads {
        // A task thread never panics without aborting the process first.
        let _ = t.join();
    }
    // Stragglers queued by a thread outside the runtime during shutdown.
    loop {
        let t = lock(&QUEUE).tasks.pop_front();
        match t {
            Some(t) => run(t),
            None => break,
        }
    }
}

fn worker() {
    let mut q = lock(&QUEUE);
    loop {
        if let Some(t) = q.tasks.pop_front() {
            drop(q);
            run(t);
            q = lock(&QUEUE);
            continue;
        }
        if !q.run {
            return;
        }
        q.idle += 1;
        q = wait(&WORK, q);
        q.idle -= 1;
    }
}

fn run(t: Task) {
    match t {
        Task::Arc(r) => r.run(),
        Task::Fn(f) => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn spawned_work_runs_on_a_task_thread() {
        let (tx, rx) = mpsc::channel();
        spawn(move || {
            let name = std::thread::current().name().map(str::to_owned);
            tx.send(name).unwrap();
        });
        let name = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(name.unwrap().starts_with("nng:task"));
    }

    #[test]
    fn many_tasks_all_run() {
        let (tx, rx) = mpsc::channel();
        for i in 0..1000 {
            let tx = tx.clone();
            spawn(move || tx.send(i).unwrap());
        }
        let mut seen = vec![false; 1000];
        for _ in 0..1000 {
            seen[rx.recv_timeout(Duration::from_secs(10)).unwrap()] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
