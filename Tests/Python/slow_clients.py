"""Slowloris clients: N connections send a request line and then one header byte every
half second, never finishing the head, for at most SECONDS; /healthz is timed meanwhile.
Prints {"closed_after": [seconds until the server closed each], "health_worst_ms": W,
"open_at_end": how many the server still held}.

slow_clients.py HOST PORT N SECONDS [SOURCE_ADDRESSES]

The slow clients connect from SOURCE_ADDRESSES (comma-separated, in turn; default
127.0.0.2 — another loopback address than the health checks' 127.0.0.1).
"""
import json
import socket
import sys
import time
import urllib.request


def main():
    host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    sources = (sys.argv[5] if len(sys.argv) > 5 else "127.0.0.2").split(",")
    start = time.monotonic()
    conns, closed, worst = [], {}, 0.0
    for i in range(n):
        s = socket.socket()
        conns.append(s)
        try:
            s.settimeout(5)
            s.bind((sources[i % len(sources)], 0))
            s.connect((host, port))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            s.setblocking(False)
        except OSError:
            closed[i] = time.monotonic() - start   # refused or closed at once (over the cap)
    while len(closed) < n and time.monotonic() - start < seconds:
        for i, s in enumerate(conns):
            if i in closed:
                continue
            try:
                if s.recv(1024) == b"":
                    closed[i] = time.monotonic() - start
                    continue
            except BlockingIOError:
                pass
            except OSError:
                closed[i] = time.monotonic() - start
                continue
            try:
                s.send(b"a")
            except OSError:
                closed[i] = time.monotonic() - start
        t = time.monotonic()
        try:
            urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=5).read()
            worst = max(worst, time.monotonic() - t)
        except OSError:
            worst = max(worst, 5.0)
        time.sleep(0.5)
    for s in conns:
        s.close()
    print(json.dumps({"closed_after": sorted(closed.values()), "health_worst_ms": worst * 1000, "open_at_end": n - len(closed)}))


main()
