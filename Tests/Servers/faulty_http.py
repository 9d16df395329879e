#!/usr/bin/env python3
"""A webhook endpoint for Dudao's fault-injection tests, on 127.0.0.1 only.

It misbehaves as the file <dir>/mode says, read afresh for every request:
  ok     200 {"errcode": 0}
  hang   never answers (until the server stops)
  500    HTTP 500
  429    HTTP 429 with Retry-After: 2
  close  closes the connection without answering
Accepted bodies are stored as <dir>/hooks/<n>.json; <dir>/requests counts requests."""
import argparse, json, os, signal, socket, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STOP = threading.Event()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        s = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with s.lock:
            s.requests += 1
            with open(os.path.join(s.dir, "requests"), "w") as f:
                f.write(str(s.requests))
        mode = open(os.path.join(s.dir, "mode")).read().strip()
        if mode == "hang":
            STOP.wait(600)
            return
        if mode == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, extra = {"500": (500, {}), "429": (429, {"Retry-After": "2"})}.get(mode, (200, {}))
        if status == 200:
            with s.lock:
                s.accepted += 1
                n = s.accepted
            with open(os.path.join(s.dir, "hooks", f"{n}.json"), "wb") as f:
                f.write(body)
        reply = json.dumps({"errcode": 0 if status == 200 else -1}).encode()
        self.send_response(status)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--mode", default="ok")
    a = ap.parse_args()
    os.makedirs(os.path.join(a.dir, "hooks"), exist_ok=True)
    with open(os.path.join(a.dir, "mode"), "w") as f:
        f.write(a.mode)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.dir, server.lock, server.requests, server.accepted = a.dir, threading.Lock(), 0, 0

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
