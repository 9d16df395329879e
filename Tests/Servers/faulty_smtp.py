#!/usr/bin/env python3
"""A plain SMTP server for Dudao's fault-injection tests, on 127.0.0.1 only.

It misbehaves as the file <dir>/mode says, read afresh for every connection, so a test can
switch it to `ok` and watch the service recover:
  ok            a small, correct SMTP server (no TLS, no AUTH)
  slow          as ok, but waits --delay seconds before accepting each message
  hang-connect  accepts the connection and never says anything
  hang-ehlo     greets, then never answers EHLO
  hang-data     takes the whole message, then never answers the final dot
  drop-data     closes the connection in the middle of DATA
  garbage       answers every command with bytes that are not SMTP
  tls-fail      for smtps:// clients: answers the TLS hello with plain text
  tls           as ok, but TLS from the first byte (smtps://), with --cert and --key
Accepted messages are stored as <dir>/mail/<n>.eml; <dir>/connections counts connections and
<dir>/most_at_once the most sessions open at the same time.
Hung connections are released when the server stops (SIGTERM)."""
import argparse, json, os, signal, socket, socketserver, ssl, threading, time

STOP = threading.Event()


class Handler(socketserver.StreamRequestHandler):
    def setup(self):
        super().setup()
        self.request.settimeout(120)

    def say(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def hang(self):
        STOP.wait(600)

    def handle(self):
        d = self.server.dir
        with self.server.lock:
            self.server.connections += 1
            with open(os.path.join(d, "connections"), "w") as f:
                f.write(str(self.server.connections))
            self.server.open_now += 1
            if self.server.open_now > self.server.most_at_once:
                self.server.most_at_once = self.server.open_now
                with open(os.path.join(d, "most_at_once"), "w") as f:
                    f.write(str(self.server.most_at_once))
        try:
            self.session(d)
        finally:
            with self.server.lock:
                self.server.open_now -= 1

    def session(self, d):
        mode = open(os.path.join(d, "mode")).read().strip()
        if mode == "tls":
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.server.cert, self.server.key)
            self.request = ctx.wrap_socket(self.request, server_side=True)
            self.rfile = self.request.makefile("rb")
            self.wfile = self.request.makefile("wb")
        if mode == "hang-connect":
            return self.hang()
        if mode in ("garbage", "tls-fail"):
            self.wfile.write(b"\x00\xffHELLO? this is not SMTP\r\n" * 3)
            self.wfile.flush()
            if mode == "garbage":
                try:
                    while self.rfile.readline():
                        self.wfile.write(b"??? \x01\x02\r\n")
                        self.wfile.flush()
                except OSError:
                    pass
            return
        self.say("220 faulty.test ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("latin-1").strip().upper()
            if cmd.startswith("EHLO") or cmd.startswith("HELO"):
                if mode == "hang-ehlo":
                    return self.hang()
                self.say("250-faulty.test")
                self.say("250 8BITMIME")
            elif cmd.startswith("MAIL") or cmd.startswith("RCPT") or cmd.startswith("RSET") or cmd.startswith("NOOP"):
                self.say("250 OK")
            elif cmd == "DATA":
                self.say("354 go ahead")
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l:
                        return
                    if mode == "drop-data" and len(data) > 3:
                        self.request.shutdown(socket.SHUT_RDWR)
                        return
                    if l == b".\r\n":
                        break
                    data.append(l)
                if mode == "hang-data":
                    return self.hang()
                if mode == "slow":
                    time.sleep(self.server.delay)
                with self.server.lock:
                    self.server.accepted += 1
                    n = self.server.accepted
                path = os.path.join(d, "mail", f"{n}.eml")
                with open(path + ".tmp", "wb") as f:
                    f.write(b"".join(data))
                os.replace(path + ".tmp", path)
                self.say("250 2.0.0 accepted")
            elif cmd == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("502 not implemented")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--delay", type=float, default=3)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    os.makedirs(os.path.join(a.dir, "mail"), exist_ok=True)
    with open(os.path.join(a.dir, "mode"), "w") as f:
        f.write(a.mode)
    server = Server(("127.0.0.1", a.port), Handler)
    server.dir, server.delay, server.lock = a.dir, a.delay, threading.Lock()
    server.cert, server.key = a.cert, a.key
    server.connections = server.accepted = server.open_now = server.most_at_once = 0

    def stop(*_):
        STOP.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(os.path.join(a.dir, "ready.tmp"), "w") as f:
        json.dump({"port": server.server_address[1], "pid": os.getpid()}, f)
    os.replace(os.path.join(a.dir, "ready.tmp"), os.path.join(a.dir, "ready"))
    server.serve_forever()


if __name__ == "__main__":
    main()
