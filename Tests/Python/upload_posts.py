"""Valid reply posts with large files, at once, while the server's anonymous memory is
sampled: N threads each post FILES distinct PDF files of SIZE bytes through one link.
Prints {"statuses": [...], "peak_anon_mb": M, "base_anon_mb": B}.

upload_posts.py URL PID N FILES SIZE ITEM
"""
import concurrent.futures
import json
import os
import sys
import threading
import time
import urllib.request
import uuid


def anon_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


def body(files, size, item):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in [("item", item), ("action", "progress"), ("text", "附件很大"), ("submission", uuid.uuid4().hex)]:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for i in range(files):
        # Random bytes without CR: the parser hands over a piece at every CR, and the
        # tests run an unoptimised build.
        data = b"%PDF-1.4\n" + os.urandom(size - 16).replace(b"\r", b"\n") + b"\n%%EOF\n"
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="材料{i}.pdf"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main():
    url, pid, n, files, size, item = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    bodies = [body(files, size, item) for _ in range(n)]
    base = anon_kb(pid)
    peak, done = [base], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], anon_kb(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()

    def post(b):
        data, ctype = b
        req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": ctype})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        statuses = list(pool.map(post, bodies))
    done.set()
    sampler.join()
    print(json.dumps({"statuses": statuses, "peak_anon_mb": peak[0] // 1024, "base_anon_mb": base // 1024}))


main()
