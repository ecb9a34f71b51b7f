//! The inproc transport: pipes between sockets of one process. Messages
//! are handed over by move (zero copy); a pipe holds at most one message
//! per direction, so a receiver that stops reading stops the sender.
//!
//! Options (as upstream): dialers and listeners keep `NNG_OPT_RECVMAXSZ`
//! (stored, not enforced) and report their URL as `NNG_OPT_LOCADDR` and
//! `NNG_OPT_REMADDR` (an `NNG_AF_INPROC` address); pipes report the URL of
//! their own endpoint as both addresses.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::{PipeCallback, PipeEvents, SockInfo, TranDialer, TranListener, TranPipe};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::OptValue;
use crate::core::sockaddr::SockAddr;
use crate::runtime::sync::lock;

/// A connect request waiting for the listener's next accept.
struct Pending {
    info: SockInfo,
    url: Arc<str>,
    done: PipeCallback,
}

#[derive(Default)]
struct Bound {
    info: Option<SockInfo>,
    /// The listener's URL (its pipes' address).
    url: Arc<str>,
    accept: Option<PipeCallback>,
    waiting: VecDeque<Pending>,
}

/// Listeners by name (the URL without the scheme). A `BTreeMap`: once the
/// last listener is gone it holds no memory (a drained `HashMap` keeps its
/// table, which leak checkers report at exit).
fn registry() -> &'static Mutex<BTreeMap<String, Arc<Mutex<Bound>>>> {
    static REG: OnceLock<Mutex<BTreeMap<String, Arc<Mutex<Bound>>>>> = OnceLock::new();
    REG.get_or_init(Default::default)
}

fn name_of(url: &str) -> Result<String> {
    let (_, name) = url.split_once("://").ok_or(Error::AddrInval)?;
    Ok(name.to_owned())
}

/// What dialers and listeners have in common: their URL and options.
struct Endpoint {
    url: Arc<str>,
    /// `NNG_OPT_RECVMAXSZ`: kept for the application, not enforced (inproc
    /// moves messages without framing, as upstream).
    recv_max: AtomicUsize,
}

impl Endpoint {
    fn new(url: &str) -> Endpoint {
        Endpoint {
            url: url.into(),
            recv_max: AtomicUsize::new(0),
        }
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        match name {
            "recv-size-max" => {
                let v = val.as_size()?;
                if v > 0xffff_ffff {
                    return Err(Error::Inval);
                }
                self.recv_max.store(v, Ordering::Relaxed);
                Ok(())
            }
            "local-address" | "remote-address" => Err(Error::ReadOnly),
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        match name {
            "recv-size-max" => Ok(OptValue::Size(self.recv_max.load(Ordering::Relaxed))),
            "local-address" | "remote-address" => Ok(address(&self.url)),
            _ => Err(Error::NotSup),
        }
    }
}

/// The `NNG_AF_INPROC` address of a URL.
fn address(url: &str) -> OptValue {
    OptValue::Addr(SockAddr::Inproc(url.to_owned()))
}

/// An inproc dialer.
pub struct Dialer {
    name: String,
    info: SockInfo,
    ep: Endpoint,
}

impl Dialer {
    /// A dialer for `inproc://name`.
    pub fn new(url: &str, info: SockInfo) -> Result<Dialer> {
        Ok(Dialer {
            name: name_of(url)?,
            info,
            ep: Endpoint::new(url),
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
                url: self.ep.url.clone(),
                done,
            });
            return;
        };
        let lurl = b.url.clone();
        drop(b);
        connect_pair(
            (self.info, self.ep.url.clone(), done),
            (linfo, lurl, accept),
        );
    }

    fn close(&self) {}

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        self.ep.set_option(name, val)
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        self.ep.get_option(name)
    }
}

/// An inproc listener.
pub struct Listener {
    name: String,
    info: SockInfo,
    bound: Arc<Mutex<Bound>>,
    ep: Endpoint,
}

impl Listener {
    /// A listener for `inproc://name`.
    pub fn new(url: &str, info: SockInfo) -> Result<Listener> {
        let ep = Endpoint::new(url);
        let bound = Bound {
            url: ep.url.clone(),
            ..Bound::default()
        };
        Ok(Listener {
            name: name_of(url)?,
            info,
            bound: Arc::new(Mutex::new(bound)),
            ep,
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
                connect_pair(
                    (p.info, p.url, p.done),
                    (self.info, self.ep.url.clone(), done),
                );
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
                // A BTreeMap holds no memory once empty.
                reg.remove(&self.name);
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

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        self.ep.set_option(name, val)
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        self.ep.get_option(name)
    }
}

/// One side of a new connection: its socket, its endpoint's URL, and who
/// gets the pipe.
type Party = (SockInfo, Arc<str>, PipeCallback);

fn connect_pair(dialer: Party, listener: Party) {
    let ((dinfo, durl, ddone), (linfo, lurl, ldone)) = (dialer, listener);
    let pair = Arc::new(Mutex::new(PairState::default()));
    ddone(Ok(Box::new(Pipe {
        pair: pair.clone(),
        side: 0,
        peer: linfo.proto,
        url: durl,
    })));
    ldone(Ok(Box::new(Pipe {
        pair,
        side: 1,
        peer: dinfo.proto,
        url: lurl,
    })));
}

/// One end of a connection. Its socket may ask for a message (`recv`) or
/// send before it has started the pipe (the protocol attaches the pipe
/// first): what happens before `start` is kept and told at `start`.
#[derive(Default)]
struct Side {
    events: Option<Arc<dyn PipeEvents>>,
    armed: bool,
    /// A message sent to this side, not yet delivered.
    inbox: Option<Msg>,
    /// A `sent` this side's socket is owed from before `start`.
    sent_owed: bool,
}

impl Side {
    /// Who to tell that this side's message was taken: its events, or,
    /// before `start`, a note to tell it then.
    fn sent_to(&mut self) -> Option<Arc<dyn PipeEvents>> {
        if self.events.is_none() {
            self.sent_owed = true;
        }
        self.events.clone()
    }
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
    /// The URL of the endpoint that made this side (its address).
    url: Arc<str>,
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
        let me = &mut st.sides[self.side];
        me.events = Some(events.clone());
        let owed = std::mem::take(&mut me.sent_owed);
        // A receive armed before start, with a message already waiting.
        let msg = if me.armed { me.inbox.take() } else { None };
        let tx = match msg {
            Some(_) => {
                me.armed = false;
                st.sides[1 - self.side].sent_to()
            }
            None => None,
        };
        drop(st);
        if owed {
            events.sent();
        }
        if let Some(msg) = msg {
            events.received(msg);
            if let Some(tx) = tx {
                tx.sent();
            }
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
        let peer = &mut st.sides[1 - self.side];
        match (&peer.events, peer.armed) {
            (Some(rx), true) => {
                peer.armed = false;
                let rx = rx.clone();
                let me = st.sides[self.side].sent_to();
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
        // Not started yet: `start` delivers.
        let Some(rx) = me.events.clone() else {
            me.armed = true;
            return;
        };
        match me.inbox.take() {
            Some(msg) => {
                let tx = st.sides[1 - self.side].sent_to();
                drop(st);
                rx.received(msg);
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

    fn get_option(&self, name: &str) -> Result<OptValue> {
        match name {
            "local-address" | "remote-address" => Ok(address(&self.url)),
            _ => Err(Error::NotSup),
        }
    }
}

impl Pipe {
    /// Reports the pipe idle again without delivering anything.
    fn sent_now(&self) {
        let me = lock(&self.pair).sides[self.side].sent_to();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what a pipe tells its socket.
    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);

    impl PipeEvents for Log {
        fn sent(&self) {
            lock(&self.0).push("sent".into());
        }
        fn received(&self, msg: Msg) {
            let body = String::from_utf8_lossy(msg.body()).into_owned();
            lock(&self.0).push(format!("recv {body}"));
        }
        fn closed(&self) {
            lock(&self.0).push("closed".into());
        }
    }

    impl Log {
        fn take(&self) -> Vec<String> {
            std::mem::take(&mut *lock(&self.0))
        }
    }

    const INFO: SockInfo = SockInfo {
        proto: 0x11,
        peer: 0x11,
    };

    /// A connected pair of pipes, neither started.
    fn pair() -> (Box<dyn TranPipe>, Box<dyn TranPipe>) {
        let d: Arc<Mutex<Option<Box<dyn TranPipe>>>> = Default::default();
        let l: Arc<Mutex<Option<Box<dyn TranPipe>>>> = Default::default();
        let (d2, l2) = (d.clone(), l.clone());
        let url: Arc<str> = "inproc://t".into();
        connect_pair(
            (INFO, url.clone(), Box::new(move |r| *lock(&d2) = r.ok())),
            (INFO, url, Box::new(move |r| *lock(&l2) = r.ok())),
        );
        let d = lock(&d).take().unwrap();
        let l = lock(&l).take().unwrap();
        (d, l)
    }

    #[test]
    fn receive_armed_before_start_is_delivered_at_start() {
        let (a, b) = pair();
        let (la, lb) = (Arc::new(Log::default()), Arc::new(Log::default()));
        a.start(la.clone());
        // b's socket asks for a message before it starts the pipe, and a
        // message comes in meanwhile.
        b.recv();
        a.send(Msg::from_slice(b"early"));
        assert!(lb.take().is_empty());
        assert!(la.take().is_empty());
        b.start(lb.clone());
        assert_eq!(lb.take(), ["recv early"]);
        assert_eq!(la.take(), ["sent"]);
    }

    #[test]
    fn sent_before_start_is_told_at_start() {
        let (a, b) = pair();
        let (la, lb) = (Arc::new(Log::default()), Arc::new(Log::default()));
        b.start(lb.clone());
        b.recv();
        // a sends before it starts: the message goes through at once, and
        // a's socket learns it was taken when it starts the pipe.
        a.send(Msg::from_slice(b"x"));
        assert_eq!(lb.take(), ["recv x"]);
        a.start(la.clone());
        assert_eq!(la.take(), ["sent"]);
    }

    #[test]
    fn start_after_close_reports_closed() {
        let (a, b) = pair();
        let la = Arc::new(Log::default());
        b.close();
        a.start(la.clone());
        assert_eq!(la.take(), ["closed"]);
    }
}
