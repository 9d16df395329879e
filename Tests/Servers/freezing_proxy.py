#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that goes silent on demand, as a network cut that sends no reset.

  freezing_proxy.py --target PORT --dir DIR
Writes {"port": P, "pid": N} to DIR/ready. While DIR/frozen exists, it forwards nothing in
either direction and keeps every connection open; new connections are accepted and left
silent too. Stop it with SIGTERM."""
import argparse, json, os, socket, threading, time


def pump(src, dst, frozen):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            while os.path.exists(frozen):
                time.sleep(0.05)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=int, required=True)
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()
    frozen = os.path.join(a.dir, "frozen")
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    with open(os.path.join(a.dir, "ready.tmp"), "w") as f:
        json.dump({"port": server.getsockname()[1], "pid": os.getpid()}, f)
    os.replace(os.path.join(a.dir, "ready.tmp"), os.path.join(a.dir, "ready"))
    while True:
        client, _ = server.accept()
        upstream = socket.create_connection(("127.0.0.1", a.target))
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=pump, args=(src, dst, frozen), daemon=True).start()


if __name__ == "__main__":
    main()
