//! Smoke tests of the socket layer over inproc, driven from Rust.

use nng::core::msg::Msg;
use nng::core::socket::Socket;
use nng::protocol::SOCKET_CTX;

#[test]
fn pair0_over_inproc() {
    let a = Socket::open(Box::new(nng::protocol::pair0::Socket::new(false, 1))).unwrap();
    let b = Socket::open(Box::new(nng::protocol::pair0::Socket::new(false, 1))).unwrap();
    let l = a.listener_create("inproc://smoke-pair").unwrap();
    l.start().unwrap();
    let d = b.dialer_create("inproc://smoke-pair").unwrap();
    d.start(false).unwrap();
    eprintln!("connected");
    b.send_msg(SOCKET_CTX, Msg::from_slice(b"hi"), false)
        .map_err(|(e, _)| e)
        .unwrap();
    eprintln!("sent");
    let m = a.recv_msg(SOCKET_CTX, false).unwrap();
    assert_eq!(m.body(), b"hi");
}

#[test]
fn req_rep_over_inproc() {
    let rep = Socket::open(Box::new(nng::protocol::rep0::Socket::new(false, 1))).unwrap();
    let req = Socket::open(Box::new(nng::protocol::req0::Socket::new(false, 1))).unwrap();
    rep.listener_create("inproc://smoke-rr")
        .unwrap()
        .start()
        .unwrap();
    req.dialer_create("inproc://smoke-rr")
        .unwrap()
        .start(false)
        .unwrap();
    req.send_msg(SOCKET_CTX, Msg::from_slice(b"ping"), false)
        .map_err(|(e, _)| e)
        .unwrap();
    eprintln!("sent");
    let m = rep.recv_msg(SOCKET_CTX, false).unwrap();
    assert_eq!(m.body(), b"ping");
    rep.send_msg(SOCKET_CTX, Msg::from_slice(b"pong"), false)
        .map_err(|(e, _)| e)
        .unwrap();
    let m = req.recv_msg(SOCKET_CTX, false).unwrap();
    assert_eq!(m.body(), b"pong");
}

#[test]
fn req_rep_with_recv_timeout() {
    use nng::core::options::OptValue;
    let req = Socket::open(Box::new(nng::protocol::req0::Socket::new(
        false,
        0xdead_beef_1234_5678,
    )))
    .unwrap();
    let rep = Socket::open(Box::new(nng::protocol::rep0::Socket::new(false, 9))).unwrap();
    rep.listener_create("inproc://smoke-rr2")
        .unwrap()
        .start()
        .unwrap();
    req.dialer_create("inproc://smoke-rr2")
        .unwrap()
        .start(false)
        .unwrap();
    req.send_msg(SOCKET_CTX, Msg::from_slice(b"ping\0"), false)
        .map_err(|(e, _)| e)
        .unwrap();
    rep.set_opt(SOCKET_CTX, "recv-timeout", OptValue::Ms(500))
        .unwrap();
    let m = rep.recv_msg(SOCKET_CTX, false).unwrap();
    assert_eq!(m.body(), b"ping\0");
}
