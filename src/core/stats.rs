//! Statistics: the counters kept in sockets, dialers, listeners and pipes,
//! and the owned snapshot tree `nng_stats_get` hands to C.
//!
//! Counters are relaxed atomics bumped on the paths that move messages or
//! make connections; a counter costs one uncontended atomic add. Levels
//! (open dialers, listeners, pipes) are not kept at all: the snapshot
//! counts the live objects in the registries.
//!
//! A snapshot is a flat arena of [`Node`]s (index 0 is the root) linked by
//! index; it owns its strings, so it stays valid while objects close.
//! The layout follows upstream (reference ABI.md §8): root scope `""`, then
//! one scope per socket, dialer, listener and pipe, each with its leaves.

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::core::error::Error;
use crate::core::options::OptValue;
use crate::core::socket::{Dialer, Listener, Pipe, Socket, DIALERS, LISTENERS, PIPES, SOCKETS};
use crate::protocol::SOCKET_CTX;
use crate::runtime::clock::now_ms;

/// `NNG_STAT_SCOPE`.
pub const SCOPE: i32 = 0;
/// `NNG_STAT_LEVEL`.
pub const LEVEL: i32 = 1;
/// `NNG_STAT_COUNTER`.
pub const COUNTER: i32 = 2;
/// `NNG_STAT_STRING`.
pub const STRING: i32 = 3;
/// `NNG_STAT_BOOLEAN`.
pub const BOOLEAN: i32 = 4;
/// `NNG_STAT_ID`.
pub const ID: i32 = 5;

/// `NNG_UNIT_NONE`.
pub const UNIT_NONE: i32 = 0;
/// Whether upstream's transport for `url` gives its endpoints an `rcv_max`
/// statistic: tcp, tls+tcp and ipc ones (abstract and unix included), and
/// socket:// listeners.
fn has_rcv_max(url: &str, dialer: bool) -> bool {
    let scheme = url.split("://").next().unwrap_or("");
    matches!(
        scheme,
        "tcp" | "tcp4" | "tcp6" | "tls+tcp" | "tls+tcp4" | "tls+tcp6" | "ipc" | "unix" | "abstract"
    ) || (scheme == "socket" && !dialer)
}

/// `NNG_UNIT_BYTES`.
pub const UNIT_BYTES: i32 = 1;
/// `NNG_UNIT_MESSAGES`.
pub const UNIT_MESSAGES: i32 = 2;

fn bump(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

fn get(c: &AtomicU64) -> u64 {
    c.load(Ordering::Relaxed)
}

/// Traffic counters of a socket or a pipe.
#[derive(Debug, Default)]
pub struct Traffic {
    tx_msgs: AtomicU64,
    tx_bytes: AtomicU64,
    rx_msgs: AtomicU64,
    rx_bytes: AtomicU64,
}

impl Traffic {
    /// A message of `bytes` bytes went to a pipe.
    #[inline]
    pub fn tx(&self, bytes: usize) {
        bump(&self.tx_msgs, 1);
        bump(&self.tx_bytes, bytes as u64);
    }
    /// A message of `bytes` bytes came from a pipe.
    #[inline]
    pub fn rx(&self, bytes: usize) {
        bump(&self.rx_msgs, 1);
        bump(&self.rx_bytes, bytes as u64);
    }
    /// (tx_msgs, tx_bytes, rx_msgs, rx_bytes).
    pub fn get(&self) -> (u64, u64, u64, u64) {
        (
            get(&self.tx_msgs),
            get(&self.tx_bytes),
            get(&self.rx_msgs),
            get(&self.rx_bytes),
        )
    }
}

/// Socket counters.
#[derive(Debug, Default)]
pub struct SockStats {
    /// Messages and bytes to and from all pipes.
    pub traffic: Traffic,
    reject: AtomicU64,
}

impl SockStats {
    /// A pipe was refused (wrong peer, protocol or callback refused it).
    pub fn reject(&self) {
        bump(&self.reject, 1);
    }
}

/// Dialer or listener counters: connections made, failures by class.
#[derive(Debug, Default)]
pub struct EpStats {
    connect: AtomicU64,
    refused: AtomicU64,
    disconnect: AtomicU64,
    canceled: AtomicU64,
    other: AtomicU64,
    timeout: AtomicU64,
    proto: AtomicU64,
    auth: AtomicU64,
    oom: AtomicU64,
    reject: AtomicU64,
}

impl EpStats {
    /// A connection was made (dialed or accepted).
    pub fn connected(&self) {
        bump(&self.connect, 1);
    }
    /// A pipe of this endpoint was refused by the socket.
    pub fn reject(&self) {
        bump(&self.reject, 1);
    }
    /// A connection attempt failed with `e`; counted as upstream
    /// classifies it (`NNG_ECLOSED` is not counted).
    pub fn failed(&self, e: Error) {
        let c = match e {
            Error::ConnAborted | Error::ConnReset => &self.disconnect,
            Error::ConnRefused => &self.refused,
            Error::Canceled => &self.canceled,
            Error::TimedOut => &self.timeout,
            Error::Proto => &self.proto,
            Error::PeerAuth | Error::Crypto => &self.auth,
            Error::NoMem => &self.oom,
            Error::Closed => return,
            _ => &self.other,
        };
        bump(c, 1);
    }
}

/// Extra counters a protocol core keeps, for the socket's scope.
#[derive(Debug, Clone, Copy)]
pub struct ProtoStat {
    /// Leaf name (static).
    pub name: &'static CStr,
    /// Description (static).
    pub desc: &'static CStr,
    /// `BOOLEAN`, `COUNTER` or `LEVEL`.
    pub kind: i32,
    /// `UNIT_*`.
    pub unit: i32,
    /// Value (0 or 1 for a boolean).
    pub value: u64,
}

// ---------------------------------------------------------------------------
// The snapshot.

const NONE: u32 = 0;

/// One node of a snapshot; C sees `*mut nng_stat` pointing at it.
#[derive(Debug)]
pub struct Node {
    name: &'static CStr,
    desc: &'static CStr,
    kind: i32,
    unit: i32,
    value: u64,
    string: Option<CString>,
    timestamp: u64,
    /// This node's index in the arena.
    index: u32,
    /// Index of the first child, or `NONE`.
    child: u32,
    /// Index of the next sibling, or `NONE`.
    next: u32,
    /// Index of the last child while building.
    last: u32,
    /// Nodes in the arena (kept on the root, for freeing).
    count: u32,
}

impl Node {
    /// Leaf or scope name.
    pub fn name(&self) -> &'static CStr {
        self.name
    }
    /// Description.
    pub fn desc(&self) -> &'static CStr {
        self.desc
    }
    /// `NNG_STAT_*` type.
    pub fn kind(&self) -> i32 {
        self.kind
    }
    /// `NNG_UNIT_*` unit.
    pub fn unit(&self) -> i32 {
        self.unit
    }
    /// Numeric value (a scope's object id).
    pub fn value(&self) -> u64 {
        self.value
    }
    /// Boolean value.
    pub fn boolean(&self) -> bool {
        self.value != 0
    }
    /// String value: the string of a `STRING` node, "" otherwise.
    pub fn string(&self) -> &CStr {
        match (&self.string, self.kind) {
            (Some(s), STRING) => s.as_c_str(),
            _ => c"",
        }
    }
    /// When the value was captured (ms, `nng_clock` base).
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }
    /// This node's arena index.
    pub fn index(&self) -> usize {
        self.index as usize
    }
    /// Index of the first child.
    pub fn child(&self) -> Option<usize> {
        (self.child != NONE).then_some(self.child as usize)
    }
    /// Index of the next sibling.
    pub fn next(&self) -> Option<usize> {
        (self.next != NONE).then_some(self.next as usize)
    }
    /// Number of nodes in the arena (meaningful on the root).
    pub fn count(&self) -> usize {
        self.count as usize
    }
}

/// A snapshot under construction (or finished: [`Tree::nodes`]).
#[derive(Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    now: u64,
}

impl Tree {
    fn new() -> Tree {
        let now = now_ms();
        let mut t = Tree {
            nodes: Vec::with_capacity(64),
            now,
        };
        t.nodes.push(Node {
            name: c"",
            desc: c"all statistics",
            kind: SCOPE,
            unit: UNIT_NONE,
            value: 0,
            string: None,
            timestamp: now,
            index: 0,
            child: NONE,
            next: NONE,
            last: NONE,
            count: 0,
        });
        t
    }

    fn add(&mut self, parent: usize, n: Node) -> usize {
        let i = self.nodes.len();
        let mut n = n;
        n.index = i as u32;
        n.timestamp = self.now;
        self.nodes.push(n);
        let last = self.nodes[parent].last;
        if last == NONE {
            self.nodes[parent].child = i as u32;
        } else {
            self.nodes[last as usize].next = i as u32;
        }
        self.nodes[parent].last = i as u32;
        i
    }

    fn node(name: &'static CStr, desc: &'static CStr, kind: i32, unit: i32, value: u64) -> Node {
        Node {
            name,
            desc,
            kind,
            unit,
            value,
            string: None,
            timestamp: 0,
            index: 0,
            child: NONE,
            next: NONE,
            last: NONE,
            count: 0,
        }
    }

    fn scope(&mut self, name: &'static CStr, desc: &'static CStr, id: u32) -> usize {
        self.add(0, Self::node(name, desc, SCOPE, UNIT_NONE, u64::from(id)))
    }

    fn leaf(&mut self, p: usize, name: &'static CStr, desc: &'static CStr, kind: i32, v: u64) {
        self.add(p, Self::node(name, desc, kind, UNIT_NONE, v));
    }

    fn unit(&mut self, p: usize, name: &'static CStr, desc: &'static CStr, unit: i32, v: u64) {
        self.add(p, Self::node(name, desc, COUNTER, unit, v));
    }

    fn string(&mut self, p: usize, name: &'static CStr, desc: &'static CStr, s: &str) {
        let mut n = Self::node(name, desc, STRING, UNIT_NONE, 0);
        // An interior NUL (impossible in names and URLs we accept) is cut.
        let s = s.split('\0').next().unwrap_or("");
        n.string = CString::new(s).ok();
        self.add(p, n);
    }

    fn traffic(&mut self, p: usize, t: &Traffic, socket: bool) {
        let (txm, txb, rxm, rxb) = t.get();
        let rx_bytes_desc = if socket {
            c"received messages" // (sic) upstream's description
        } else {
            c"bytes received"
        };
        if socket {
            self.unit(p, c"tx_msgs", c"sent messages", UNIT_MESSAGES, txm);
            self.unit(p, c"rx_msgs", c"received messages", UNIT_MESSAGES, rxm);
            self.unit(p, c"tx_bytes", c"sent bytes", UNIT_BYTES, txb);
            self.unit(p, c"rx_bytes", rx_bytes_desc, UNIT_BYTES, rxb);
        } else {
            self.unit(p, c"rx_msgs", c"messages received", UNIT_MESSAGES, rxm);
            self.unit(p, c"tx_msgs", c"messages sent", UNIT_MESSAGES, txm);
            self.unit(p, c"rx_bytes", rx_bytes_desc, UNIT_BYTES, rxb);
            self.unit(p, c"tx_bytes", c"bytes sent", UNIT_BYTES, txb);
        }
    }

    fn socket(&mut self, s: &Socket, n: &Counts) {
        let id = s.id();
        let p = self.scope(c"socket", c"socket statistics", id);
        self.leaf(p, c"id", c"socket identifier", ID, u64::from(id));
        let name = match s.get_opt(SOCKET_CTX, "socket-name") {
            Ok(OptValue::Str(n)) => n,
            _ => id.to_string(),
        };
        self.string(p, c"name", c"socket name", &name);
        self.string(p, c"protocol", c"socket protocol", s.info().self_name);
        self.leaf(
            p,
            c"dialers",
            c"open dialers",
            LEVEL,
            n.of(&n.sock_dialers, id),
        );
        self.leaf(
            p,
            c"listeners",
            c"open listeners",
            LEVEL,
            n.of(&n.sock_listeners, id),
        );
        self.leaf(p, c"pipes", c"open pipes", LEVEL, n.of(&n.sock_pipes, id));
        let st = s.stats();
        self.leaf(p, c"reject", c"rejected pipes", COUNTER, get(&st.reject));
        self.traffic(p, &st.traffic, true);
        for x in s.proto_stats() {
            self.add(p, Self::node(x.name, x.desc, x.kind, x.unit, x.value));
        }
    }

    fn endpoint(&mut self, p: usize, e: &EpStats, dialer: bool) {
        let c = |v: &AtomicU64| get(v);
        if dialer {
            self.leaf(
                p,
                c"connect",
                c"connections established",
                COUNTER,
                c(&e.connect),
            );
            self.leaf(
                p,
                c"refused",
                c"connections refused",
                COUNTER,
                c(&e.refused),
            );
        } else {
            self.leaf(
                p,
                c"accept",
                c"connections accepted",
                COUNTER,
                c(&e.connect),
            );
        }
        self.leaf(
            p,
            c"disconnect",
            c"remote disconnects",
            COUNTER,
            c(&e.disconnect),
        );
        self.leaf(
            p,
            c"canceled",
            c"canceled connections",
            COUNTER,
            c(&e.canceled),
        );
        self.leaf(p, c"other", c"other errors", COUNTER, c(&e.other));
        self.leaf(p, c"timeout", c"timeout errors", COUNTER, c(&e.timeout));
        self.leaf(p, c"proto", c"protocol errors", COUNTER, c(&e.proto));
        self.leaf(p, c"auth", c"auth errors", COUNTER, c(&e.auth));
        self.leaf(p, c"oom", c"allocation failures", COUNTER, c(&e.oom));
        self.leaf(p, c"reject", c"rejected pipes", COUNTER, c(&e.reject));
    }

    fn dialer(&mut self, d: &Dialer, n: &Counts) {
        let id = d.id();
        let p = self.scope(c"dialer", c"dialer statistics", id);
        self.leaf(p, c"id", c"dialer id", ID, u64::from(id));
        self.leaf(
            p,
            c"socket",
            c"socket for dialer",
            ID,
            u64::from(d.socket_id()),
        );
        self.string(p, c"url", c"dialer url", d.url());
        self.leaf(p, c"pipes", c"open pipes", LEVEL, n.of(&n.dialer_pipes, id));
        self.endpoint(p, d.stats(), true);
        if has_rcv_max(d.url(), true) {
            self.rcv_max(p, d.get_opt("recv-size-max"));
        }
    }

    /// `rcv_max`: the receive size limit of a stream endpoint (a level, in
    /// bytes), as upstream's tcp, tls, ipc and socket transports add it.
    fn rcv_max(&mut self, p: usize, v: crate::core::error::Result<OptValue>) {
        let v = match v {
            Ok(OptValue::Size(z)) => z as u64,
            _ => 0,
        };
        let n = Self::node(c"rcv_max", c"maximum receive size", LEVEL, UNIT_BYTES, v);
        self.add(p, n);
    }

    fn listener(&mut self, l: &Listener, n: &Counts) {
        let id = l.id();
        let p = self.scope(c"listener", c"listener statistics", id);
        self.leaf(p, c"id", c"listener id", ID, u64::from(id));
        self.leaf(p, c"socket", c"socket id", ID, u64::from(l.socket_id()));
        let url = match l.get_opt("url") {
            Ok(OptValue::Str(u)) => u,
            _ => l.url().to_owned(),
        };
        self.string(p, c"url", c"listener url", &url);
        // (sic) a counter upstream.
        self.leaf(
            p,
            c"pipes",
            c"open pipes",
            COUNTER,
            n.of(&n.listener_pipes, id),
        );
        self.endpoint(p, l.stats(), false);
        if has_rcv_max(l.url(), false) {
            self.rcv_max(p, l.get_opt("recv-size-max"));
        }
    }

    fn pipe(&mut self, x: &Pipe, sock: u32) {
        let id = x.id();
        let p = self.scope(c"pipe", c"pipe statistics", id);
        self.leaf(p, c"id", c"pipe id", ID, u64::from(id));
        self.leaf(p, c"socket", c"socket for pipe", ID, u64::from(sock));
        self.traffic(p, x.stats(), false);
        if x.dialer_id() != 0 {
            self.leaf(
                p,
                c"dialer",
                c"dialer for pipe",
                ID,
                u64::from(x.dialer_id()),
            );
        }
        if x.listener_id() != 0 {
            self.leaf(
                p,
                c"listener",
                c"listener for pipe",
                ID,
                u64::from(x.listener_id()),
            );
        }
    }

    /// The finished arena; the root (index 0) records the node count.
    pub fn into_nodes(mut self) -> Box<[Node]> {
        let n = self.nodes.len() as u32;
        self.nodes[0].count = n;
        self.nodes.into_boxed_slice()
    }

    /// The nodes built so far.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
}

/// Levels computed once per snapshot from the registries (object id ->
/// number of open children).
#[derive(Default)]
struct Counts {
    sock_dialers: HashMap<u32, u64>,
    sock_listeners: HashMap<u32, u64>,
    sock_pipes: HashMap<u32, u64>,
    dialer_pipes: HashMap<u32, u64>,
    listener_pipes: HashMap<u32, u64>,
}

impl Counts {
    fn of(&self, m: &HashMap<u32, u64>, id: u32) -> u64 {
        m.get(&id).copied().unwrap_or(0)
    }
}

fn count(m: &mut HashMap<u32, u64>, id: u32) {
    if id != 0 {
        *m.entry(id).or_insert(0) += 1;
    }
}

/// Takes a snapshot of every socket, dialer, listener and pipe.
pub fn snapshot() -> Tree {
    let mut t = Tree::new();
    let mut sockets = SOCKETS.snapshot();
    sockets.sort_by_key(|s| s.id());
    let mut dialers = DIALERS.snapshot();
    dialers.sort_by_key(|d| d.id());
    let mut listeners = LISTENERS.snapshot();
    listeners.sort_by_key(|l| l.id());
    let mut pipes = PIPES.snapshot();
    pipes.retain(|p| p.is_attached());
    pipes.sort_by_key(|p| p.id());
    let pipe_socks: Vec<u32> = pipes.iter().map(|p| p.stat_socket()).collect();
    let mut n = Counts::default();
    for d in &dialers {
        count(&mut n.sock_dialers, d.socket_id());
    }
    for l in &listeners {
        count(&mut n.sock_listeners, l.socket_id());
    }
    for (p, &sock) in pipes.iter().zip(&pipe_socks) {
        count(&mut n.sock_pipes, sock);
        count(&mut n.dialer_pipes, p.dialer_id());
        count(&mut n.listener_pipes, p.listener_id());
    }
    for s in &sockets {
        t.socket(s, &n);
    }
    for d in &dialers {
        t.dialer(d, &n);
    }
    for l in &listeners {
        t.listener(l, &n);
    }
    for (p, &sock) in pipes.iter().zip(&pipe_socks) {
        t.pipe(p, sock);
    }
    t
}

/// Depth-first search from node `i` (itself first) for the first node
/// that `pred` accepts.
pub fn find(nodes: &[Node], i: usize, pred: &dyn Fn(&Node) -> bool) -> Option<usize> {
    let n = nodes.get(i)?;
    if pred(n) {
        return Some(i);
    }
    let mut c = n.child();
    while let Some(k) = c {
        if let Some(hit) = find(nodes, k, pred) {
            return Some(hit);
        }
        c = nodes[k].next();
    }
    None
}

/// Upstream's text rendering of the (sub)tree at node `i` (what
/// `nng_stats_dump` prints).
pub fn dump(nodes: &[Node], i: usize, scope: &str, out: &mut String) {
    use std::fmt::Write;
    let Some(n) = nodes.get(i) else { return };
    let name = n.name.to_string_lossy();
    let indent = "        ";
    let mut inner = scope.to_owned();
    match n.kind {
        SCOPE => {
            if !name.is_empty() {
                if !inner.is_empty() {
                    inner.push('.');
                }
                let _ = write!(inner, "{}#{}", name, n.value);
                let _ = write!(out, "\n{inner}:\n");
            }
        }
        STRING => {
            let _ = writeln!(
                out,
                "{indent}{name:<32}\"{}\"",
                n.string().to_string_lossy()
            );
        }
        BOOLEAN => {
            let _ = writeln!(out, "{indent}{name:<32}{}", n.boolean());
        }
        LEVEL | COUNTER => {
            let unit = match n.unit {
                UNIT_BYTES => " bytes",
                UNIT_MESSAGES => " msgs",
                3 => " ms",
                _ => "",
            };
            let _ = writeln!(out, "{indent}{name:<32}{}{unit}", n.value);
        }
        ID => {
            let _ = writeln!(out, "{indent}{name:<32}{}", n.value);
        }
        _ => {
            let _ = writeln!(out, "{indent}{name:<32}<?>");
        }
    }
    let mut c = n.child();
    while let Some(k) = c {
        dump(nodes, k, &inner, out);
        c = nodes[k].next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::pair0;

    fn names(nodes: &[Node], i: usize) -> Vec<String> {
        let mut v = Vec::new();
        let mut c = nodes[i].child();
        while let Some(k) = c {
            v.push(nodes[k].name().to_string_lossy().into_owned());
            c = nodes[k].next();
        }
        v
    }

    #[test]
    fn classification() {
        let e = EpStats::default();
        for err in [
            Error::ConnRefused,
            Error::ConnReset,
            Error::ConnAborted,
            Error::Canceled,
            Error::TimedOut,
            Error::Proto,
            Error::PeerAuth,
            Error::Crypto,
            Error::NoMem,
            Error::Closed,
            Error::AddrInUse,
        ] {
            e.failed(err);
        }
        e.connected();
        e.reject();
        assert_eq!(get(&e.refused), 1);
        assert_eq!(get(&e.disconnect), 2);
        assert_eq!(get(&e.canceled), 1);
        assert_eq!(get(&e.timeout), 1);
        assert_eq!(get(&e.proto), 1);
        assert_eq!(get(&e.auth), 2);
        assert_eq!(get(&e.oom), 1);
        assert_eq!(get(&e.other), 1); // AddrInUse; Closed is not counted
        assert_eq!(get(&e.connect), 1);
        assert_eq!(get(&e.reject), 1);
    }

    #[test]
    fn traffic_counts() {
        let t = Traffic::default();
        t.tx(10);
        t.tx(5);
        t.rx(7);
        assert_eq!(t.get(), (2, 15, 1, 7));
    }

    #[test]
    fn tree_links_find_and_dump() {
        let mut t = Tree::new();
        let a = t.scope(c"socket", c"d", 3);
        t.leaf(a, c"id", c"d", ID, 3);
        t.string(a, c"name", c"d", "three");
        t.unit(a, c"tx_bytes", c"d", UNIT_BYTES, 42);
        let b = t.scope(c"pipe", c"d", 9);
        t.leaf(b, c"id", c"d", ID, 9);
        t.add(b, Tree::node(c"poly", c"d", BOOLEAN, UNIT_NONE, 1));
        let nodes = t.into_nodes();
        assert_eq!(nodes[0].count(), nodes.len());
        assert_eq!(names(&nodes, 0), ["socket", "pipe"]);
        assert_eq!(names(&nodes, a), ["id", "name", "tx_bytes"]);
        assert_eq!(names(&nodes, b), ["id", "poly"]);
        let hit = find(&nodes, 0, &|n| n.name() == c"tx_bytes").unwrap();
        assert_eq!(nodes[hit].value(), 42);
        assert_eq!(nodes[hit].string(), c"");
        // Depth-first: the socket's id comes before the pipe's.
        let hit = find(&nodes, 0, &|n| n.name() == c"id").unwrap();
        assert_eq!(nodes[hit].value(), 3);
        assert_eq!(find(&nodes, b, &|n| n.name() == c"name"), None);
        let mut out = String::new();
        dump(&nodes, 0, "", &mut out);
        let want = "\nsocket#3:\n        id                              3\n        \
                    name                            \"three\"\n        \
                    tx_bytes                        42 bytes\n\npipe#9:\n        \
                    id                              9\n        \
                    poly                            true\n";
        assert_eq!(out, want);
    }

    #[test]
    fn snapshot_has_open_sockets() {
        let s = Socket::open(Box::new(pair0::Socket::new(false, 1))).unwrap();
        let nodes = snapshot().into_nodes();
        let id = u64::from(s.id());
        let sc = find(&nodes, 0, &|n| {
            n.kind() == SCOPE && n.name() == c"socket" && n.value() == id
        })
        .unwrap();
        assert_eq!(
            names(&nodes, sc),
            [
                "id",
                "name",
                "protocol",
                "dialers",
                "listeners",
                "pipes",
                "reject",
                "tx_msgs",
                "rx_msgs",
                "tx_bytes",
                "rx_bytes"
            ]
        );
        let p = find(&nodes, sc, &|n| n.name() == c"protocol").unwrap();
        assert_eq!(nodes[p].string(), c"pair");
        s.close().unwrap();
        let nodes = snapshot().into_nodes();
        assert!(find(&nodes, 0, &|n| n.kind() == SCOPE
            && n.name() == c"socket"
            && n.value() == id)
        .is_none());
    }
}
