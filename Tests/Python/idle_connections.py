"""Connections that send nothing, as a flood would: opens up to N to HOST:PORT, holds them
for SECONDS, closes them. Prints {"opened": n}.

idle_connections.py HOST PORT N SECONDS
"""
import json
import socket
import sys
import time


def main():
    host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    held = []
    for _ in range(n):
        try:
            held.append(socket.create_connection((host, port), timeout=2))
        except OSError:
            pass
    time.sleep(seconds)
    for s in held:
        s.close()
    print(json.dumps({"opened": len(held)}))


main()
