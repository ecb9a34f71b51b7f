#!/usr/bin/env python3
"""A long-lived pynng peer for ctests/interop_pynng_tls_test.c (pynng's
wheel bundles its own nng 1.11: a second, independent implementation).

Usage: pynng_multi_peer.py CERTDIR
  CERTDIR holds ca.crt (the CA that signed the server certificate) and
  both.pem (server certificate and key), both made by the C test with the
  openssl CLI. One process runs every case, so python and pynng start once.

Commands, one per line on stdin:
  case TRANSPORT ROLE MODE URL SIZE
      TRANSPORT: tls+tcp | ws | wss (tls+tcp and wss use CERTDIR)
      ROLE: rep req sub pub push pull pair0 pair1 bus surveyor respondent
      MODE: listen | dial (dial retries until the listener is up)
      SIZE: length of the message this side sends (pattern(SIZE, 2))
  done
      ends the running case: the socket closes, then "closed" is printed.
Output lines on stdout:
  got HEX     the first message this side received (the C side checks it)
  closed      the case is over
  error TEXT  something failed (the C side reports it)
The socket stays open until "done", so nothing sent is lost to an early
close. End of file on stdin ends the process.
"""
import os
import select
import sys

import pynng

TIMEOUT_MS = 10000


def pattern(n, k):
    """The bytes both sides agree on: every value 0..255 appears."""
    return bytes(((i * 131) + k * 17 + (i >> 8)) & 0xFF for i in range(n))


class Lines:
    """Line reader on fd 0 that can wait with a timeout."""

    def __init__(self):
        self.buf = b""

    def get(self, timeout):
        """One line (str), None on timeout; exits on end of file."""
        while b"\n" not in self.buf:
            r, _, _ = select.select([0], [], [], timeout)
            if not r:
                return None
            chunk = os.read(0, 65536)
            if not chunk:
                sys.exit(0)
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def wait_done(lines):
    while True:
        line = lines.get(None)
        if line == "done":
            return


def run(lines, tran, role, mode, url, size, tls):
    classes = {
        "rep": pynng.Rep0, "req": pynng.Req0, "sub": pynng.Sub0,
        "pub": pynng.Pub0, "push": pynng.Push0, "pull": pynng.Pull0,
        "pair0": pynng.Pair0, "pair1": pynng.Pair1, "bus": pynng.Bus0,
        "surveyor": pynng.Surveyor0, "respondent": pynng.Respondent0,
    }
    kw = {}
    if tran in ("tls+tcp", "wss"):
        kw["tls_config"] = tls["server" if mode == "listen" else "client"]
    mine = pattern(size, 2)
    with classes[role](recv_timeout=TIMEOUT_MS, send_timeout=TIMEOUT_MS,
                       reconnect_time_min=10, reconnect_time_max=50,
                       **kw) as s:
        if role == "sub":
            s.subscribe(b"")
        if mode == "listen":
            s.listen(url)
        else:
            s.dial(url, block=False)
        if role in ("rep",):
            m = s.recv()
            say("got " + m.hex())
            s.send(b"pong:" + m)
        elif role in ("pair0", "pair1", "bus"):
            m = s.recv()
            say("got " + m.hex())
            s.send(mine)
        elif role == "req":
            s.send(mine)
            say("got " + s.recv().hex())
        elif role in ("sub", "pull"):
            say("got " + s.recv().hex())
        elif role == "push":
            s.send(mine)
        elif role == "pub":
            # Subscribers only get what is published after they connect:
            # publish until the C side has what it needs.
            while True:
                s.send(mine)
                line = lines.get(0.02)
                if line == "done":
                    break
        elif role == "surveyor":
            # A survey reaches only the respondents connected when it
            # leaves: survey again until one answers.
            s.survey_time = 250
            while True:
                s.send(mine)
                try:
                    m = s.recv()
                except pynng.Timeout:
                    continue
                say("got " + m.hex())
                break
        elif role == "respondent":
            # Answer every survey (a late answer is dropped by the
            # surveyor, which surveys again) until the case ends.
            s.recv_timeout = 20
            first = True
            while True:
                try:
                    m = s.recv()
                except pynng.Timeout:
                    if lines.get(0) == "done":
                        break
                    continue
                if first:
                    say("got " + m.hex())
                    first = False
                s.send(mine)
        if role not in ("pub", "respondent"):
            wait_done(lines)
    say("closed")


def main():
    certdir = sys.argv[1]
    tls = {
        "server": pynng.TLSConfig(
            pynng.TLSConfig.MODE_SERVER,
            cert_key_file=os.path.join(certdir, "both.pem")),
        "client": pynng.TLSConfig(
            pynng.TLSConfig.MODE_CLIENT,
            ca_files=[os.path.join(certdir, "ca.crt")],
            server_name="localhost"),
    }
    lines = Lines()
    say("ready")
    while True:
        line = lines.get(None)
        words = line.split()
        if not words or words[0] != "case" or len(words) != 6:
            if line != "done":
                say("error bad command: " + line)
            continue
        _, tran, role, mode, url, size = words
        try:
            run(lines, tran, role, mode, url, int(size), tls)
        except Exception as e:  # reported to the C side, which fails
            say("error %s %s %s: %r" % (tran, role, mode, e))
            wait_done(lines)
            say("closed")


if __name__ == "__main__":
    sys.exit(main())
