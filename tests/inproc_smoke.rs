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
    b.send_msg(SOCKET_CTX, Msg::from_slice(b"hi"), false).map_err(|(e, _)| e).unwrap();
    eprintln!("sent");
    let m = a.recv_msg(SOCKET_CTX, false).unwrap();
    assert_eq!(m.body(), b"hi");
}
