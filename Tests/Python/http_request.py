"""One HTTP request, printed as JSON: status, headers, body (for the console's tests).

http_request.py METHOD URL [FIELD=VALUE ...]   form fields are sent url-encoded
http_request.py WAIT URL                       retries GET for up to 20 s until it answers
http_request.py BIG URL N                      POSTs a form field of N bytes
http_request.py FORWARDED URL [FIELD=VALUE ...] POSTs as a reverse proxy would (X-Forwarded-For)
http_request.py BURST URL N [FIELD=VALUE ...]  POSTs the same form N times at once; prints
                                               {"statuses": [...], "bodies": [...]}
http_request.py BURSTNEW URL N [FIELD=VALUE ...] the same, each post a form of its own (its
                                               own submission id)
"""
import secrets
import concurrent.futures
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def request(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


def main():
    method, url = sys.argv[1], sys.argv[2]
    if method == "WAIT":
        deadline = time.time() + 20
        while True:
            try:
                status, headers, body = request("GET", url)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
    elif method == "BIG":
        data = urllib.parse.urlencode({"item": "1", "action": "done", "text": "x" * int(sys.argv[3])}).encode()
        try:
            status, headers, body = request("POST", url, data)
        except (ConnectionError, urllib.error.URLError):
            status, headers, body = 0, {}, ""
    elif method == "FORWARDED":
        fields = dict(a.split("=", 1) for a in sys.argv[3:])
        status, headers, body = request("POST", url, urllib.parse.urlencode(fields).encode(),
                                        {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    elif method in ("BURST", "BURSTNEW"):
        count = int(sys.argv[3])
        fields = dict(a.split("=", 1) for a in sys.argv[4:])

        def form(_):
            own = dict(fields, submission=secrets.token_hex(16)) if method == "BURSTNEW" else fields
            return urllib.parse.urlencode(own).encode()
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(count, 50)) as pool:
            answers = list(pool.map(lambda i: request("POST", url, form(i)), range(count)))
        print(json.dumps({"statuses": [a[0] for a in answers], "bodies": [a[2] for a in answers]}, ensure_ascii=False))
        return
    else:
        fields = dict(a.split("=", 1) for a in sys.argv[3:])
        data = urllib.parse.urlencode(fields).encode() if method == "POST" else None
        status, headers, body = request(method, url, data)
    print(json.dumps({"status": status, "headers": headers, "body": body}, ensure_ascii=False))


main()
