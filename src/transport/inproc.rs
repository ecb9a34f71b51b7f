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
                    // Give the table back: nothing stays allocated once
                    // every listener is gone.
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
    events: Option<Arc<dyn PipeEvents>>,
    armed: bool,
    /// A message sent to this side, not yet delivered.
    inbox: Option<Msg>,
}

#[derive(Default)]
struct PairState {
    sides: [Side; 2],
    closed: bool,
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
        st.sides[self.side].events = Some(events);
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
        let peer = &mut st.sides[1 - self.side];
        match (&peer.events, peer.armed) {
            (Some(rx), true) => {
                peer.armed = false;
                let rx = rx.clone();
                let me = st.sides[self.side].events.clone();
                drop(st);
                rx.received(msg);
                if let Some(me) = me {
                    me.sent();
                }
            }
            _ => peer.inbox = Some(msg),
        }
    }

    fn recv(&self) {
        let mut st = lock(&self.pair);
        if st.closed {
            return;
        }
        let me = &mut st.sides[self.side];
        match me.inbox.take() {
            Some(msg) => {
                let rx = me.events.clone();
                let tx = st.sides[1 - self.side].events.clone();
                drop(st);
                if let Some(rx) = rx {
                    rx.received(msg);
                }
                if let Some(tx) = tx {
                    tx.sent();
                }
            }
            None => me.armed = true,
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
        let me = lock(&self.pair).sides[self.side].events.clone();
        if let Some(me) = me {
            me.sent();
        }
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        self.close();
    }
}
