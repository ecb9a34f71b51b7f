#!/usr/bin/env python3
"""A pynng peer for ctests/interop_pynng_test.c (pynng's wheel bundles its
own nng 1.11, so this is a second, independent implementation).

Usage: pynng_peer.py ROLE MODE URL
  ROLE: rep (answer one request with b"pong:" + request)
        req (send b"ping", print the reply)
        sub (subscribe to everything, print one message)
        pub (publish b"from-py" every 20 ms until killed)
  MODE: listen | dial (dial retries until the listener is up)
Prints what it received, unframed, on stdout, and exits 0.
"""
import sys
import time

import pynng

TIMEOUT_MS = 10000


def main():
    role, mode, url = sys.argv[1:4]
    cls = {"rep": pynng.Rep0, "req": pynng.Req0, "sub": pynng.Sub0, "pub": pynng.Pub0}[role]
    with cls(recv_timeout=TIMEOUT_MS, send_timeout=TIMEOUT_MS,
             reconnect_time_min=10, reconnect_time_max=50) as s:
        if role == "sub":
            s.subscribe(b"")
        if mode == "listen":
            s.listen(url)
        else:
            s.dial(url, block=False)
        out = sys.stdout.buffer
        if role == "rep":
            m = s.recv()
            s.send(b"pong:" + m)
            out.write(m)
            out.flush()
            # Let the reply leave before the socket closes: wait for the
            # requester to hang up (its pipe goes away), bounded.
            deadline = time.monotonic() + TIMEOUT_MS / 1000
            while s.pipes and time.monotonic() < deadline:
                time.sleep(0.01)
        elif role == "req":
            s.send(b"ping")
            out.write(s.recv())
            out.flush()
        elif role == "sub":
            out.write(s.recv())
            out.flush()
        elif role == "pub":
            deadline = time.monotonic() + TIMEOUT_MS / 1000
            while time.monotonic() < deadline:
                s.send(b"from-py")
                time.sleep(0.02)
    return 0


if __name__ == "__main__":
    sys.exit(main())
