//! The inproc transport: pipes between sockets of one process. Messages
//! are handed over by move (zero copy); a pipe holds at most one message
//! per direction, so a receiver that stops reading stops the sender.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use super::{PipeCallback, PipeEvents, SockInfo, TranDialer, TranListener, TranPipe};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::OptValue;
use crate::runtime::sync::lock;

/// A connect request waiting for the listener's next accept.
struct Pending {
    info: SockInfo,
    done: PipeCallback,
}

#[derive(Default)]
struct Bound {
    info: Option<SockInfo>,
    accept: Option<PipeCallback>,
    waiting: VecDeque<Pending>,
}

/// Listeners by name (the URL without the scheme).
fn registry() -> &'static Mutex<HashMap<String, Arc<Mutex<Bound>>>> {
    static REG: OnceLock<Mutex<HashMap<String, Arc<Mutex<Bound>>>>> = OnceLock::new();
    REG.get_or_init(Default::default)
}

fn name_of(url: &str) -> Result<String> {
    let (_, name) = url.split_once("://").ok_or(Error::AddrInval)?;
    Ok(name.to_owned())
}

/// An inproc dialer.
pub struct Dialer {
    name: String,
    info: SockInfo,
}

impl Dialer {
    /// A dialer for `inproc://name`.
    pub fn new(url: &str, info: SockInfo) -> Result<Dialer> {
        Ok(Dialer {
            name: name_of(url)?,
            info,
        })
    }
}

impl TranDialer for Dialer {
    fn connect(&self, done: PipeCallback) {
        let bound = lock(registry()).get(&self.name).cloned();
        let Some(bound) = bound else {
            return done(Err(Error::ConnRefused));
        };
        let mut b = lock(&bound);
        let (Some(linfo), Some(accept)) = (b.info, b.accept.take()) else {
            if b.info.is_none() {
                drop(b);
                return done(Err(Error::ConnRefused));
            }
            b.waiting.push_back(Pending {
                info: self.info,
                done,
            });
            return;
        };
        drop(b);
        connect_pair(self.info, done, linfo, accept);
    }

    fn close(&self) {}
}

/// An inproc listener.
pub struct Listener {
    name: String,
    info: SockInfo,
    bound: Arc<Mutex<Bound>>,
}

impl Listener {
    /// A listener for `inproc://name`.
    pub fn new(url: &str, info: SockInfo) -> Result<Listener> {
        Ok(Listener {
            name: name_of(url)?,
            info,
            bound: Default::default(),
        })
    }
}

impl TranListener for Listener {
    fn bind(&self) -> Result<()> {
        let mut reg = lock(registry());
        if reg.contains_key(&self.name) {
            return Err(Error::AddrInUse);
        }
        lock(&self.bound).info = Some(self.info);
        reg.insert(self.name.clone(), self.bound.clone());
        Ok(())
    }

    fn accept(&self, done: PipeCallback) {
        let mut b = lock(&self.bound);
        if b.info.is_none() {
            drop(b);
            return done(Err(Error::Closed));
        }
        match b.waiting.pop_front() {
            Some(p) => {
                drop(b);
                connect_pair(p.info, p.done, self.info, done);
            }
            None => b.accept = Some(done),
        }
    }

    fn close(&self) {
        {
            let mut reg = lock(registry());
            if reg
                .get(&self.name)
                .is_some_and(|b| Arc::ptr_eq(b, &self.bound))
            {
                reg.remove(&self.name);
                if reg.is_empty() {
                    // Free the table: a process-lifetime allocation that
                    // valgrind would report as possibly lost at exit.
                    reg.shrink_to_fit();
                }
            }
        }
        let (accept, waiting) = {
            let mut b = lock(&self.bound);
            b.info = None;
            (b.accept.take(), std::mem::take(&mut b.waiting))
        };
        if let Some(done) = accept {
            done(Err(Error::Closed));
        }
        for p in waiting {
            (p.done)(Err(Error::ConnRefused));
        }
    }
}

fn connect_pair(dinfo: SockInfo, ddone: PipeCallback, linfo: SockInfo, ldone: PipeCallback) {
    let pair = Arc::new(Mutex::new(PairState::default()));
    ddone(Ok(Box::new(Pipe {
        pair: pair.clone(),
        side: 0,
        peer: linfo.proto,
    })));
    ldone(Ok(Box::new(Pipe {
        pair,
        side: 1,
        peer: dinfo.proto,
    })));
}

#[derive(Default)]
struct Side {
    /// Set by `start`; until then events for this side are kept (below).
    events: Option<Arc<dyn PipeEvents>>,
    armed: bool,
    /// A message sent to this side, not yet delivered.
    inbox: Option<Msg>,
    /// This side's last send was taken before it started: `sent` is due.
    sent_due: bool,
}

#[derive(Default)]
struct PairState {
    sides: [Side; 2],
    closed: bool,
}

impl PairState {
    /// Hands the inbox of side `to` to its armed, started receiver.
    /// Returns the events to run (with the lock dropped): the receiver's
    /// delivery, then the sender's `sent` (deferred if it has not started).
    fn deliver(&mut self, to: usize) -> Option<Delivery> {
        let side = &mut self.sides[to];
        if !side.armed {
            return None;
        }
        let rx = side.events.clone()?;
        let msg = side.inbox.take()?;
        side.armed = false;
        let from = &mut self.sides[1 - to];
        let tx = from.events.clone();
        if tx.is_none() {
            from.sent_due = true;
        }
        Some(Delivery { rx, msg, tx })
    }
}

/// A message handed over, and the sender to tell.
struct Delivery {
    rx: Arc<dyn PipeEvents>,
    msg: Msg,
    tx: Option<Arc<dyn PipeEvents>>,
}

impl Delivery {
    fn run(self) {
        self.rx.received(self.msg);
        if let Some(tx) = self.tx {
            tx.sent();
        }
    }
}

/// One end of an inproc connection.
struct Pipe {
    pair: Arc<Mutex<PairState>>,
    side: usize,
    peer: u16,
}

impl TranPipe for Pipe {
    fn peer(&self) -> u16 {
        self.peer
    }

    fn start(&self, events: Arc<dyn PipeEvents>) {
        let mut st = lock(&self.pair);
        if st.closed {
            drop(st);
            return events.closed();
        }
        // The socket may have sent and armed a receive before starting
        // the pipe: deliver what is due now.
        let me = &mut st.sides[self.side];
        me.events = Some(events.clone());
        let sent_due = std::mem::take(&mut me.sent_due);
        let delivery = st.deliver(self.side);
        drop(st);
        if let Some(d) = delivery {
            d.run();
        }
        if sent_due {
            events.sent();
        }
    }

    fn send(&self, mut msg: Msg) {
        // The peer gets the wire form: header bytes, then the body.
        if msg.pull_up().is_err() {
            // Out of memory: the message is lost, as on a failed write.
            return self.sent_now();
        }
        let mut st = lock(&self.pair);
        if st.closed {
            return;
        }
        st.sides[1 - self.side].inbox = Some(msg);
        let delivery = st.deliver(1 - self.side);
        drop(st);
        if let Some(d) = delivery {
            d.run();
        }
    }

    fn recv(&self) {
        let mut st = lock(&self.pair);
        if st.closed {
            return;
        }
        st.sides[self.side].armed = true;
        let delivery = st.deliver(self.side);
        drop(st);
        if let Some(d) = delivery {
            d.run();
        }
    }

    fn close(&self) {
        let mut st = lock(&self.pair);
        if st.closed {
            return;
        }
        st.closed = true;
        let evs: Vec<_> = st
            .sides
            .iter_mut()
            .filter_map(|s| s.events.take())
            .collect();
        for s in st.sides.iter_mut() {
            s.inbox = None;
        }
        drop(st);
        for e in evs {
            e.closed();
        }
    }

    fn get_option(&self, _name: &str) -> Result<OptValue> {
        Err(Error::NotSup)
    }
}

impl Pipe {
    /// Reports the pipe idle again without delivering anything.
    fn sent_now(&self) {
        let mut st = lock(&self.pair);
        let me = &mut st.sides[self.side];
        let ev = me.events.clone();
        if ev.is_none() {
            me.sent_due = true;
        }
        drop(st);
        if let Some(me) = ev {
            me.sent();
        }
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Rec(Mutex<Vec<String>>);

    impl PipeEvents for Rec {
        fn sent(&self) {
            lock(&self.0).push("sent".into());
        }
        fn received(&self, msg: Msg) {
            lock(&self.0).push(format!("recv {}", String::from_utf8_lossy(msg.body())));
        }
        fn closed(&self) {
            lock(&self.0).push("closed".into());
        }
    }

    impl Rec {
        fn take(&self) -> Vec<String> {
            std::mem::take(&mut *lock(&self.0))
        }
    }

    type Slot = Arc<Mutex<Option<Box<dyn TranPipe>>>>;

    fn pair() -> (Box<dyn TranPipe>, Box<dyn TranPipe>) {
        let (a, b): (Slot, Slot) = Default::default();
        let info = SockInfo {
            proto: 0x10,
            peer: 0x10,
        };
        let (a2, b2) = (a.clone(), b.clone());
        connect_pair(
            info,
            Box::new(move |r| *lock(&a2) = r.ok()),
            info,
            Box::new(move |r| *lock(&b2) = r.ok()),
        );
        let a = lock(&a).take().unwrap();
        let b = lock(&b).take().unwrap();
        (a, b)
    }

    #[test]
    fn events_before_start_are_kept_until_start() {
        let (a, b) = pair();
        let (ea, eb) = (Arc::new(Rec::default()), Arc::new(Rec::default()));
        // Both sides armed and one message sent before either started.
        b.recv();
        a.send(Msg::from_slice(b"early"));
        a.recv();
        assert!(ea.take().is_empty() && eb.take().is_empty());
        a.start(ea.clone());
        assert!(ea.take().is_empty(), "nothing delivered to b yet");
        b.start(eb.clone());
        assert_eq!(eb.take(), ["recv early"]);
        assert_eq!(ea.take(), ["sent"]);
    }

    #[test]
    fn sent_due_to_an_unstarted_sender_comes_at_its_start() {
        let (a, b) = pair();
        let (ea, eb) = (Arc::new(Rec::default()), Arc::new(Rec::default()));
        b.start(eb.clone());
        b.recv();
        // a sends before it started: b gets it at once, a's "sent" waits.
        a.send(Msg::from_slice(b"x"));
        assert_eq!(eb.take(), ["recv x"]);
        a.start(ea.clone());
        assert_eq!(ea.take(), ["sent"]);
        // Then the normal flow, with back-pressure: one message waits.
        a.send(Msg::from_slice(b"y"));
        assert!(eb.take().is_empty() && ea.take().is_empty());
        b.recv();
        assert_eq!(eb.take(), ["recv y"]);
        assert_eq!(ea.take(), ["sent"]);
        a.close();
        assert_eq!(ea.take(), ["closed"]);
        assert_eq!(eb.take(), ["closed"]);
    }
}
