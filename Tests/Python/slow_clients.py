"""Slowloris clients: N connections send a request line and then one header byte every
half second, never finishing the head, for at most SECONDS; /healthz is timed meanwhile.
Prints {"closed_after": [seconds until the server closed each], "health_worst_ms": W}.

slow_clients.py HOST PORT N SECONDS
"""
import json
import socket
import sys
import time
import urllib.request


def main():
    host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    start = time.monotonic()
    conns = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        s.setblocking(False)
        conns.append(s)
    closed, worst = {}, 0.0
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
    print(json.dumps({"closed_after": sorted(closed.values()), "health_worst_ms": worst * 1000}))


main()
