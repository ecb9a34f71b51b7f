//! The respondent0 protocol core: RESPONDENT v0, cooked (contexts) and raw
//! (xrespondent). Reference: WIRE.md §9.7, §9.8; upstream
//! `src/sp/protocol/survey0/{respond,xrespond}.c` (v1.12.0).
//!
//! Cooked respondent is cooked rep on another protocol number (backtrace per
//! context, TTL rule, answer routed to the arrival pipe and discarded if it is
//! gone, `NNG_ESTATE` without a prior receive), with upstream's two
//! differences kept: a send that may not wait always fails with
//! `NNG_ETIMEDOUT` (checked before anything else), and taking a survey always
//! marks the socket writable. Raw respondent is raw rep with a per-pipe queue
//! of 2. The engines live in [`crate::protocol::rep0`].

use crate::protocol::kit::delegate_protocol;
use crate::protocol::rep0::{Flavor, RawResponder, Responder};
use crate::protocol::ProtoInfo;

/// Protocol number of respondent v0 (`NNG_RESPONDENT0_SELF`, 6/3; wire value).
pub const PROTO_SELF: u16 = 0x63;
/// Protocol number of its peer, surveyor v0 (`NNG_RESPONDENT0_PEER`).
pub const PROTO_PEER: u16 = 0x62;
/// `NNG_RESPONDENT0_SELF_NAME`.
pub const SELF_NAME: &str = "respondent";
/// `NNG_RESPONDENT0_PEER_NAME`.
pub const PEER_NAME: &str = "surveyor";

/// Depth of each pipe's answer queue in raw mode (upstream xrespondent: 2).
pub const RAW_PIPE_QUEUE: usize = 2;

/// A respondent0 socket core (cooked or raw).
pub struct Socket {
    inner: Inner,
}

enum Inner {
    Cooked(Box<Responder>),
    Raw(Box<RawResponder>),
}

impl Socket {
    /// A new core (`seed` is unused: respondents allocate no ids).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        let inner = if raw {
            Inner::Raw(Box::new(RawResponder::new(info(true), RAW_PIPE_QUEUE)))
        } else {
            Inner::Cooked(Box::new(Responder::new(info(false), Flavor::Respondent)))
        };
        Socket { inner }
    }
}

delegate_protocol!(Socket, Inner { Cooked, Raw });

fn info(raw: bool) -> ProtoInfo {
    ProtoInfo {
        self_id: PROTO_SELF,
        peer_id: PROTO_PEER,
        self_name: SELF_NAME,
        peer_name: PEER_NAME,
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::Error;
    use crate::core::msg::Msg;
    use crate::core::options::OptValue;
    use crate::protocol::kit::OPT_MAXTTL;
    use crate::protocol::testing::{wire, Harness, NodeId};
    use crate::protocol::{PipeId, Protocol};

    const ID: u32 = 0x8000_00aa;

    fn resp_and_probe() -> (Harness, NodeId, NodeId, PipeId) {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 0));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        (h, r, p, l.b)
    }

    #[test]
    fn identity() {
        let s = Socket::new(false, 0);
        assert_eq!((s.info().self_id, s.info().peer_id), (0x63, 0x62));
        assert_eq!(
            (s.info().self_name, s.info().peer_name),
            ("respondent", "surveyor")
        );
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn answers_go_back_with_the_backtrace_to_the_arrival_pipe() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 0));
        let p1 = h.add_probe();
        let p2 = h.add_probe();
        h.connect(r, p1).unwrap();
        let l2 = h.connect(r, p2).unwrap();
        h.inject(p2, l2.b, &wire(&[9, ID], b"survey"));
        let rx = h.recv(r, 0);
        let m = h.msg(rx);
        assert_eq!(m.body(), b"survey");
        assert!(m.header().is_empty());
        assert_eq!(m.pipe(), l2.a);
        let t = h.send(r, 0, b"answer");
        h.sent(t);
        assert_eq!(h.probe_recv(p1), None);
        assert_eq!(h.probe_recv(p2), Some((l2.b, wire(&[9, ID], b"answer"))));
    }

    #[test]
    fn send_without_survey_is_estate() {
        let (mut h, r, _, _) = resp_and_probe();
        let t = h.send(r, 0, b"x");
        assert_eq!(h.err(t), Error::State);
    }

    #[test]
    fn nonblocking_send_always_times_out_and_keeps_the_survey() {
        // upstream "resp ctx send nonblock": even with an idle pipe.
        let (mut h, r, p, pp) = resp_and_probe();
        let c = h.ctx_open(r).unwrap();
        h.inject(p, pp, &wire(&[ID], b"s"));
        let rx = h.recv(r, c);
        h.take(rx);
        let t = h.send_nb(r, c, b"a");
        let (e, m) = h.send_failed(t);
        assert_eq!(e, Error::TimedOut);
        assert!(m.header().is_empty());
        // The backtrace was not consumed: a blocking send still works.
        let t = h.send(r, c, b"a");
        h.sent(t);
        assert_eq!(h.probe_recv(p).unwrap().1, wire(&[ID], b"a"));
        // Without a survey, non-blocking still reports the timeout first.
        let t = h.send_nb(r, c, b"b");
        assert_eq!(h.err(t), Error::TimedOut);
    }

    #[test]
    fn ttl_drop_and_malformed() {
        // upstream "resp ttl drop", MAXTTL 3.
        let (mut h, r, p, pp) = resp_and_probe();
        h.set_opt(r, 0, OPT_MAXTTL, OptValue::Int(3)).unwrap();
        h.inject(p, pp, &wire(&[1, 0x8000_0001], b"PASS1"));
        h.inject(p, pp, &wire(&[1, 2, 3, 0x8000_0002], b"FAIL2"));
        h.inject(p, pp, &wire(&[1, 2, 0x8000_0003], b"PASS3"));
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"PASS1");
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"PASS3");
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.err(rx), Error::TimedOut);
        // upstream "resp recv garbage": a word without bit 31 and nothing more.
        h.inject(p, pp, &wire(&[1], b""));
        assert!(h.pipes(r).is_empty());
    }

    #[test]
    fn taking_a_survey_makes_the_socket_writable_even_if_pipe_busy() {
        let (mut h, r, p, pp) = resp_and_probe();
        let rpipe = h.pipes(r)[0];
        h.inject(p, pp, &wire(&[ID], b"s1"));
        h.inject(p, pp, &wire(&[ID + 1], b"s2"));
        let rx = h.recv(r, 0);
        h.take(rx);
        assert!(h.core(r).can_send());
        h.stall(r, rpipe, true);
        let t = h.send(r, 0, b"a1");
        h.sent(t);
        assert!(!h.core(r).can_send());
        let rx = h.recv(r, 0);
        h.take(rx);
        assert!(h.core(r).can_send(), "respondent differs from rep here");
        let t = h.send(r, 0, b"a2");
        assert!(h.is_pending(t), "waits for the busy pipe");
        h.stall(r, rpipe, false);
        h.sent(t);
    }

    #[test]
    fn double_recv_is_estate_and_close_fails_the_first() {
        // upstream "resp double recv".
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 0));
        let a = h.recv(r, 0);
        let b = h.recv(r, 0);
        assert_eq!(h.err(b), Error::State);
        h.close(r);
        assert_eq!(h.err(a), Error::Closed);
    }

    #[test]
    fn answer_after_pipe_closed_is_discarded() {
        // upstream "resp close pipe before send".
        let (mut h, r, p, pp) = resp_and_probe();
        h.inject(p, pp, &wire(&[ID], b"s"));
        let rx = h.recv(r, 0);
        let m = h.msg(rx);
        h.close_pipe(p, pp);
        let t = h.send_msg(r, 0, m, true, None);
        h.sent(t);
    }

    #[test]
    fn raw_exposes_pipe_id_and_drops_beyond_two_queued() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 0));
        assert_eq!(h.ctx_open(r), Err(Error::NotSup));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        h.inject(p, l.b, &wire(&[ID], b"s"));
        let rx = h.recv(r, 0);
        let m = h.msg(rx);
        assert_eq!(m.header(), wire(&[l.a, ID], b"").as_slice());
        h.stall(r, l.a, true);
        for i in 0..4u8 {
            let mut m = Msg::from_slice(&[i]);
            m.header_append(&wire(&[l.a, ID], b"")).unwrap();
            let t = h.send_msg(r, 0, m, false, None);
            h.sent(t);
        }
        h.stall(r, l.a, false);
        let got: Vec<Vec<u8>> = std::iter::from_fn(|| h.probe_recv(p).map(|x| x.1)).collect();
        assert_eq!(
            got,
            vec![wire(&[ID], &[0]), wire(&[ID], &[1]), wire(&[ID], &[2])],
            "one in flight + 2 queued"
        );
    }
}
