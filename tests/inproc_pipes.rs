//! Pipe events and refused pipes over inproc, driven from Rust.

use std::sync::{Arc, Mutex};

use nng::core::socket::{PipeEv, Socket, PIPES};
use nng::protocol::{pair0, pair1};

type Seen = Arc<Mutex<Vec<(PipeEv, u32)>>>;

/// Records each event with the socket id `nng_pipe_socket` would report.
fn watch(s: &Socket) -> Seen {
    let seen: Seen = Arc::default();
    for ev in [PipeEv::AddPre, PipeEv::AddPost, PipeEv::RemPost] {
        let seen = seen.clone();
        s.set_notify(
            ev,
            Some(Arc::new(move |pipe, ev| {
                let sock = PIPES.get(pipe).map_or(0, |p| p.socket_id());
                seen.lock().unwrap().push((ev, sock));
            })),
        );
    }
    seen
}

#[test]
fn wrong_peer_is_refused_after_add_pre_and_dial_succeeds() {
    let a = Socket::open(Box::new(pair0::Socket::new(false, 1))).unwrap();
    let b = Socket::open(Box::new(pair1::Socket::new(false, 1))).unwrap();
    let seen_a = watch(&a);
    let seen_b = watch(&b);
    a.listener_create("inproc://pipes-peer")
        .unwrap()
        .start()
        .unwrap();
    // The connection is made (upstream's nng_dial returns 0); both
    // sockets then refuse the pipe.
    b.dialer_create("inproc://pipes-peer")
        .unwrap()
        .start(false)
        .unwrap();
    let (ia, ib) = (a.id(), b.id());
    assert_eq!(
        *seen_a.lock().unwrap(),
        [(PipeEv::AddPre, ia), (PipeEv::RemPost, ia)]
    );
    assert_eq!(
        *seen_b.lock().unwrap(),
        [(PipeEv::AddPre, ib), (PipeEv::RemPost, ib)]
    );
    a.close().unwrap();
    b.close().unwrap();
}

#[test]
fn rem_post_sees_a_live_pipe() {
    let a = Socket::open(Box::new(pair0::Socket::new(false, 1))).unwrap();
    let b = Socket::open(Box::new(pair0::Socket::new(false, 1))).unwrap();
    let c = Socket::open(Box::new(pair0::Socket::new(false, 1))).unwrap();
    a.listener_create("inproc://pipes-rem")
        .unwrap()
        .start()
        .unwrap();
    b.dialer_create("inproc://pipes-rem")
        .unwrap()
        .start(false)
        .unwrap();
    let seen_a = watch(&a);
    let seen_c = watch(&c);
    // a is paired already: it refuses c's pipe, and c loses it.
    c.dialer_create("inproc://pipes-rem")
        .unwrap()
        .start(false)
        .unwrap();
    let (ia, ic) = (a.id(), c.id());
    assert_eq!(
        *seen_a.lock().unwrap(),
        [(PipeEv::AddPre, ia), (PipeEv::RemPost, ia)]
    );
    assert_eq!(
        *seen_c.lock().unwrap(),
        [
            (PipeEv::AddPre, ic),
            (PipeEv::AddPost, ic),
            (PipeEv::RemPost, ic)
        ]
    );
    // Closing the socket removes the remaining pipe, callback first.
    seen_a.lock().unwrap().clear();
    b.close().unwrap();
    assert_eq!(*seen_a.lock().unwrap(), [(PipeEv::RemPost, ia)]);
    a.close().unwrap();
    c.close().unwrap();
}
