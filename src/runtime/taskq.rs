//! The task queue: a fixed set of threads that run aio completion callbacks
//! and other deferred work (upstream `nni_taskq`).
//!
//! One FIFO shared by all task threads. Queuing an aio completion costs an
//! `Arc` clone and a push under a short lock (no allocation once the queue has
//! grown). Nothing here holds a lock while a task runs.
//!
//! Wake-ups: a sleeping thread is woken only when one is idle, and a task
//! thread queuing work wakes one only when more tasks wait than there are
//! busy task threads: each busy thread takes the next task as soon as its
//! current one returns, which spares a futex wake-up and a context
//! switch per completion (a chain of callbacks, each starting the next
//! operation, stays on one thread). Should that thread block inside the nng
//! API instead (a blocking send or receive, `nng_aio_wait`, an `nng_cv`,
//! `nng_msleep`, ...), [`before_blocking`] wakes an idle thread for the task
//! it left queued.

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::sync::lock;
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

thread_local! {
    /// This thread is a task thread.
    static TASK_THREAD: Cell<bool> = const { Cell::new(false) };
}

fn on_task_thread() -> bool {
    TASK_THREAD.with(Cell::get)
}

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
    // Busy task threads take queued tasks as soon as their current ones
    // return: a task thread queuing work wakes another only for tasks
    // beyond what the busy ones will take (see the module docs).
    let busy = q.threads.len().saturating_sub(q.idle);
    let wake = q.idle > 0 && (q.tasks.len() > busy || !on_task_thread());
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

/// Called before a thread blocks inside the API: on a task thread, wakes an
/// idle task thread if tasks are waiting, since this one will not take them
/// until it returns. Does nothing on other threads.
pub fn before_blocking() {
    if !on_task_thread() {
        return;
    }
    let q = lock(&QUEUE);
    let wake = q.idle > 0 && !q.tasks.is_empty();
    drop(q);
    if wake {
        WORK.notify_one();
    }
}

fn worker() {
    TASK_THREAD.with(|t| t.set(true));
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
        // Not `sync::wait`: that calls `before_blocking`, which locks QUEUE.
        q = WORK.wait(q).unwrap_or_else(PoisonError::into_inner);
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

    #[test]
    fn a_task_blocking_in_the_api_hands_its_queued_task_on() {
        // A task queues another and then waits (through `sync::wait`, as
        // every blocking API call does) for it to run: the queued task
        // must run on another task thread, or this would never finish.
        let (tx, rx) = mpsc::channel();
        spawn(move || {
            let done = Arc::new((Mutex::new(false), Condvar::new()));
            let d2 = done.clone();
            spawn(move || {
                *lock(&d2.0) = true;
                d2.1.notify_all();
            });
            let mut g = lock(&done.0);
            while !*g {
                g = super::super::sync::wait(&done.1, g);
            }
            tx.send(()).unwrap();
        });
        rx.recv_timeout(Duration::from_secs(10)).unwrap();
    }
}
