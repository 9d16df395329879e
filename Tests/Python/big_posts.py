"""Large bodies posted at once to one URL, as an attacker would: N connections each send a
multipart request announcing SIZE bytes and stream it until the server answers or closes.
Prints {"statuses": [...], "sent": [...bytes sent per connection]}.

big_posts.py HOST PORT PATH N SIZE
"""
import concurrent.futures
import json
import select
import socket
import sys


def post(host, port, path, size):
    s = socket.create_connection((host, port), timeout=30)
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n").encode()
    s.sendall(head)
    chunk, sent, answer = b"x" * 65536, 0, b""
    s.setblocking(False)
    try:
        while sent < size:
            readable, writable, _ = select.select([s], [s], [], 5)
            if readable:
                answer += s.recv(65536)
                break
            if writable:
                sent += s.send(chunk[: size - sent])
            if not readable and not writable:
                break   # the server neither reads nor answers: stop, and wait for its answer below
    except (BrokenPipeError, ConnectionResetError, BlockingIOError):
        pass
    s.setblocking(True)
    s.settimeout(30)
    try:
        while b"\r\n" not in answer:
            part = s.recv(65536)
            if not part:
                break
            answer += part
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    status = int(answer.split(b" ")[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, sent


def main():
    host, port, path, n, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(lambda _: post(host, port, path, size), range(n)))
    print(json.dumps({"statuses": [r[0] for r in results], "sent": [r[1] for r in results]}))


main()
