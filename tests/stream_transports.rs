//! The tcp, ipc and abstract transports over loopback, driven through the
//! socket layer: connecting, header exchange, framing, options, limits.
//!
//! Ports come from the OS (port 0, read back with `tcp-bound-port`); every
//! wait is on an event with a timeout, never a sleep.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use nng::core::error::Error;
use nng::core::msg::Msg;
use nng::core::options::OptValue;
use nng::core::sockaddr::SockAddr;
use nng::core::socket::{PipeEv, Socket, PIPES};
use nng::protocol::{pair1, pub0, pull0, push0, rep0, req0, sub0, SOCKET_CTX};

const WAIT: Duration = Duration::from_secs(10);

fn open(p: impl nng::protocol::Protocol + 'static) -> Arc<Socket> {
    let s = Socket::open(Box::new(p)).unwrap();
    s.set_opt(SOCKET_CTX, "recv-timeout", OptValue::Ms(10_000))
        .unwrap();
    s.set_opt(SOCKET_CTX, "send-timeout", OptValue::Ms(10_000))
        .unwrap();
    s
}

fn send(s: &Socket, body: &[u8]) {
    s.send_msg(SOCKET_CTX, Msg::from_slice(body), false)
        .map_err(|(e, _)| e)
        .unwrap();
}

fn recv(s: &Socket) -> Msg {
    s.recv_msg(SOCKET_CTX, false).unwrap()
}

/// Listens on `url` and returns the URL to dial (the bound port filled in
/// for tcp).
fn listen(s: &Socket, url: &str) -> String {
    let l = s.listener_create(url).unwrap();
    l.start().unwrap();
    if url.starts_with("tcp") {
        let OptValue::Int(port) = l.get_opt("tcp-bound-port").unwrap() else {
            panic!("int expected")
        };
        assert!(port > 0);
        let host = url.split("://").nth(1).unwrap().rsplit_once(':').unwrap().0;
        let scheme = url.split("://").next().unwrap();
        let at = format!("{scheme}://{host}:{port}");
        // The listener's URL reads back with the bound port.
        assert_eq!(l.get_opt("url").unwrap(), OptValue::Str(at.clone()));
        return at;
    }
    if url == "abstract://" {
        let OptValue::Addr(SockAddr::Abstract(name)) = l.get_opt("local-address").unwrap() else {
            panic!("abstract address expected")
        };
        let esc: String = name.iter().map(|b| format!("%{b:02x}")).collect();
        return format!("abstract://{esc}");
    }
    url.to_owned()
}

fn dial(s: &Socket, url: &str) {
    let d = s.dialer_create(url).unwrap();
    d.set_opt("reconnect-time-min", OptValue::Ms(10)).unwrap();
    d.start(false).unwrap();
}

fn ipc_url(tag: &str) -> String {
    let dir = std::env::temp_dir();
    format!(
        "ipc://{}/nng-test-{}-{tag}.sock",
        dir.display(),
        std::process::id()
    )
}

fn urls(tag: &str) -> Vec<String> {
    vec![
        "tcp://127.0.0.1:0".to_owned(),
        "tcp6://[::1]:0".to_owned(),
        ipc_url(tag),
        format!("abstract://nng-test-{}-{tag}", std::process::id()),
        "abstract://".to_owned(),
    ]
}

#[test]
fn req_rep_round_trips_over_every_stream_transport() {
    for url in urls("reqrep") {
        let rep = open(rep0::Socket::new(false, 1));
        let req = open(req0::Socket::new(false, 2));
        let at = listen(&rep, &url);
        dial(&req, &at);
        for i in 0..20u32 {
            let body = format!("ping {i}");
            send(&req, body.as_bytes());
            let m = recv(&rep);
            assert_eq!(m.body(), body.as_bytes(), "{url}");
            send(&rep, b"pong");
            assert_eq!(recv(&req).body(), b"pong", "{url}");
        }
        req.close().unwrap();
        rep.close().unwrap();
    }
}

#[test]
fn pair1_moves_empty_small_and_large_messages_both_ways() {
    for url in ["tcp://127.0.0.1:0".to_owned(), ipc_url("pair1")] {
        let a = open(pair1::Socket::new(false, 1));
        let b = open(pair1::Socket::new(false, 2));
        let at = listen(&a, &url);
        dial(&b, &at);
        let big: Vec<u8> = (0..(6 << 20)).map(|i: u32| (i % 253) as u8).collect();
        for body in [&b""[..], b"x", &big[..100_000], &big] {
            send(&b, body);
            let m = recv(&a);
            assert!(m.body() == body, "{url}: {} bytes", body.len());
            assert!(m.header().len() == 4, "pair1 hop count header");
            send(&a, body);
            assert!(recv(&b).body() == body);
        }
        a.close().unwrap();
        b.close().unwrap();
    }
}

#[test]
fn a_flood_of_messages_arrives_complete_and_in_order() {
    let pull = open(pull0::Socket::new(false, 1));
    let push = open(push0::Socket::new(false, 2));
    let at = listen(&pull, "tcp://127.0.0.1:0");
    dial(&push, &at);
    const N: u32 = 20_000;
    let sender = {
        let push = push.clone();
        std::thread::spawn(move || {
            for i in 0..N {
                let mut body = i.to_be_bytes().to_vec();
                body.resize(4 + (i % 200) as usize, 0xab);
                send(&push, &body);
            }
        })
    };
    for i in 0..N {
        let m = recv(&pull);
        assert_eq!(&m.body()[..4], &i.to_be_bytes());
        assert_eq!(m.len(), 4 + (i % 200) as usize);
    }
    sender.join().unwrap();
}

#[test]
fn pub_sub_delivers_to_subscribers() {
    for url in ["tcp://127.0.0.1:0".to_owned(), ipc_url("pubsub")] {
        let publ = open(pub0::Socket::new(false, 1));
        let sub = open(sub0::Socket::new(false, 2));
        sub.set_opt(SOCKET_CTX, "sub:subscribe", OptValue::Bytes(b"t".to_vec()))
            .unwrap();
        let (tx, rx) = mpsc::channel();
        publ.set_notify(
            PipeEv::AddPost,
            Some(Arc::new(move |_, _| {
                let _ = tx.send(());
            })),
        );
        let at = listen(&publ, &url);
        dial(&sub, &at);
        rx.recv_timeout(WAIT).unwrap();
        // The subscription is local to sub: keep publishing until one
        // arrives (the pipe may still be settling on the sub side).
        sub.set_opt(SOCKET_CTX, "recv-timeout", OptValue::Ms(50))
            .unwrap();
        let mut got = None;
        for _ in 0..200 {
            send(&publ, b"nope");
            send(&publ, b"topic");
            if let Ok(m) = sub.recv_msg(SOCKET_CTX, false) {
                got = Some(m);
                break;
            }
        }
        assert_eq!(got.expect("a message").body(), b"topic");
        publ.close().unwrap();
        sub.close().unwrap();
    }
}

#[test]
fn pipes_report_addresses_and_tcp_options() {
    let a = open(pair1::Socket::new(false, 1));
    let b = open(pair1::Socket::new(false, 2));
    let at = listen(&a, "tcp://127.0.0.1:0");
    dial(&b, &at);
    send(&b, b"hi");
    let m = recv(&a);
    let p = PIPES.get(m.pipe()).expect("pipe");
    let OptValue::Addr(SockAddr::Inet(local)) = p.get_opt("local-address").unwrap() else {
        panic!("inet expected")
    };
    let OptValue::Addr(SockAddr::Inet(remote)) = p.get_opt("remote-address").unwrap() else {
        panic!("inet expected")
    };
    assert_eq!(format!("tcp://127.0.0.1:{}", local.port()), at);
    assert_ne!(remote.port(), 0);
    assert_eq!(p.get_opt("tcp-nodelay").unwrap(), OptValue::Bool(true));
    assert_eq!(p.get_opt("tcp-keepalive").unwrap(), OptValue::Bool(false));
    assert_eq!(p.get_opt("recv-size-max").unwrap(), OptValue::Size(0));
    let OptValue::Int(port) = p.get_opt("tcp-bound-port").unwrap() else {
        panic!("int expected")
    };
    assert_eq!(port, i32::from(local.port()));
}

#[test]
fn ipc_pipes_report_peer_credentials() {
    let a = open(pair1::Socket::new(false, 1));
    let b = open(pair1::Socket::new(false, 2));
    let url = ipc_url("creds");
    listen(&a, &url);
    dial(&b, &url);
    send(&b, b"hi");
    let m = recv(&a);
    let p = PIPES.get(m.pipe()).expect("pipe");
    let pid = u64::from(std::process::id());
    assert_eq!(p.get_opt("ipc:peer-pid").unwrap(), OptValue::U64(pid));
    // SAFETY: getuid/getgid have no preconditions.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    assert_eq!(
        p.get_opt("ipc:peer-uid").unwrap(),
        OptValue::U64(u64::from(uid))
    );
    assert_eq!(
        p.get_opt("ipc:peer-gid").unwrap(),
        OptValue::U64(u64::from(gid))
    );
    let path = url.strip_prefix("ipc://").unwrap();
    assert_eq!(
        p.get_opt("remote-address").unwrap(),
        OptValue::Addr(SockAddr::Ipc(path.into()))
    );
    a.close().unwrap();
    b.close().unwrap();
    // The listener removed its socket file.
    assert!(!std::path::Path::new(path).exists());
}

#[test]
fn dialing_a_closed_port_is_refused() {
    // Take a free port by binding, then release it.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let s = open(pair1::Socket::new(false, 1));
    let d = s.dialer_create(&format!("tcp://127.0.0.1:{port}")).unwrap();
    assert_eq!(d.start(false), Err(Error::ConnRefused));
    let d = s.dialer_create(&ipc_url("nobody")).unwrap();
    assert_eq!(d.start(false), Err(Error::ConnRefused));
}

#[test]
fn oversized_messages_close_the_pipe() {
    let a = open(pair1::Socket::new(false, 1));
    let b = open(pair1::Socket::new(false, 2));
    a.set_opt(SOCKET_CTX, "recv-size-max", OptValue::Size(100))
        .unwrap();
    let (tx, rx) = mpsc::channel();
    a.set_notify(
        PipeEv::RemPost,
        Some(Arc::new(move |_, _| {
            let _ = tx.send(());
        })),
    );
    let at = listen(&a, "tcp://127.0.0.1:0");
    dial(&b, &at);
    send(&b, &[1; 96]); // payload 100 with pair1's 4-byte header: fits
    assert_eq!(recv(&a).len(), 96);
    send(&b, &[2; 97]);
    rx.recv_timeout(WAIT).expect("pipe closed");
}

/// A raw TCP client: connects, sends `hello`, returns what the server sent
/// before closing (if it closes).
fn raw_exchange(port: u16, hello: &[u8]) -> Vec<u8> {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(WAIT)).unwrap();
    c.write_all(hello).unwrap();
    let mut got = Vec::new();
    let _ = c.read_to_end(&mut got);
    got
}

#[test]
fn the_header_exchange_speaks_the_wire_format() {
    let s = open(rep0::Socket::new(false, 1));
    let at = listen(&s, "tcp://127.0.0.1:0");
    let port: u16 = at.rsplit(':').next().unwrap().parse().unwrap();
    // A bad header: we send ours (rep = 0x31), then close on theirs.
    let got = raw_exchange(port, b"\x00SP\x01\x00\x30\x00\x00");
    assert_eq!(got, b"\x00SP\x00\x00\x31\x00\x00");
    // A good header from a req peer, then a request; the reply comes back
    // framed, with the request id.
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(WAIT)).unwrap();
    c.write_all(b"\x00SP\x00\x00\x30\x00\x00").unwrap();
    c.write_all(&[
        0, 0, 0, 0, 0, 0, 0, 9, 0x80, 0, 0, 7, b'h', b'e', b'l', b'l', b'o',
    ])
    .unwrap();
    let mut hdr = [0u8; 8];
    c.read_exact(&mut hdr).unwrap();
    assert_eq!(&hdr, b"\x00SP\x00\x00\x31\x00\x00");
    let m = recv(&s);
    assert_eq!(m.body(), b"hello");
    send(&s, b"world");
    let mut reply = [0u8; 17];
    c.read_exact(&mut reply).unwrap();
    assert_eq!(
        reply,
        [0, 0, 0, 0, 0, 0, 0, 9, 0x80, 0, 0, 7, b'w', b'o', b'r', b'l', b'd']
    );
}

#[test]
fn mismatched_protocols_do_not_connect() {
    let s = open(rep0::Socket::new(false, 1));
    let p = open(push0::Socket::new(false, 2));
    let at = listen(&s, "tcp://127.0.0.1:0");
    let d = p.dialer_create(&at).unwrap();
    // As upstream, the dial itself succeeds (the connection was made); the
    // socket then refuses the pipe, so nothing can be sent.
    assert_eq!(d.start(false), Ok(()));
    let r = p.send_msg(0, nng::core::msg::Msg::from_slice(b"x"), true);
    assert_eq!(r.map_err(|(e, _)| e), Err(Error::Again));
}

#[test]
fn a_server_closing_during_the_header_exchange_is_connshut() {
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let (c, _) = server.accept().unwrap();
        drop(c);
    });
    let s = open(req0::Socket::new(false, 1));
    let d = s.dialer_create(&format!("tcp://127.0.0.1:{port}")).unwrap();
    let r = d.start(false);
    // The peer may reset rather than close, depending on timing.
    assert!(
        matches!(r, Err(Error::ConnShut) | Err(Error::ConnReset)),
        "{r:?}"
    );
    t.join().unwrap();
}
