#!/usr/bin/env python3
"""Chat-robot endpoints for Dudao's tests, on 127.0.0.1 only, verifying every signature
with Python's own hmac code (independent of Dudao's).

POST /<flavour>/<mode>, flavour one of json | dingtalk | wecom | feishu, mode one of
  ok        verify and accept
  429       HTTP 429 with Retry-After: 2
  500       HTTP 500
  400       HTTP 400
  ratelimit HTTP 200 with the robot's rate-limit errcode (DingTalk 130101, WeCom 45009, Feishu 9499)
Every request is stored as <dir>/<n>.json: flavour, mode, verified, reason, body."""
import argparse, base64, hashlib, hmac, json, os, socket, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRETS = {
    "json": "whsec_" + base64.b64encode(b"dudao-test-generic-secret-32byte").decode(),
    "dingtalk": "SECdudao-test-dingtalk-secret",
    "wecom": "dudao-test-wecom-key",
    "feishu": "dudao-test-feishu-secret",
}


def b64hmac(key: bytes, msg: bytes) -> str:
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def verify(flavour, headers, query, raw, body):
    now = time.time()
    if flavour == "json":
        wid, ts, sigs = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature", "")
        if not wid or not ts:
            return False, "missing webhook-id or webhook-timestamp"
        if abs(now - int(ts)) > 300:
            return False, "timestamp outside tolerance"
        key = base64.b64decode(SECRETS["json"][len("whsec_"):])
        expected = b64hmac(key, f"{wid}.{ts}.".encode() + raw)
        ok = any(s.split(",", 1)[1] == expected for s in sigs.split() if s.startswith("v1,"))
        return ok, "ok" if ok else "signature mismatch"
    if flavour == "dingtalk":
        ts, sign = query.get("timestamp", [None])[0], query.get("sign", [None])[0]
        if not ts or not sign:
            return False, "missing timestamp or sign"
        if abs(now * 1000 - int(ts)) > 3600 * 1000:
            return False, "timestamp outside tolerance"
        secret = SECRETS["dingtalk"]
        ok = hmac.compare_digest(sign, b64hmac(secret.encode(), f"{ts}\n{secret}".encode()))
        return ok, "ok" if ok else "sign not match"
    if flavour == "wecom":
        ok = query.get("key", [None])[0] == SECRETS["wecom"]
        if ok and len(body.get("markdown", {}).get("content", "").encode()) > 4096:
            return False, "markdown content exceeds 4096 bytes"
        return ok, "ok" if ok else "invalid webhook url key"
    if flavour == "feishu":
        ts, sign = body.get("timestamp"), body.get("sign")
        if not ts or not sign:
            return False, "missing timestamp or sign"
        if abs(now - int(ts)) > 3600:
            return False, "timestamp outside tolerance"
        expected = b64hmac(f"{ts}\n{SECRETS['feishu']}".encode(), b"")
        ok = hmac.compare_digest(sign, expected)
        return ok, "ok" if ok else "sign match fail"
    return False, "unknown flavour"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    counter = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def reply(self, status, obj, extra=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        flavour, mode = (parts + ["", "ok"])[:2]
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            body = json.loads(raw)
        except Exception:
            body = {}
        headers = {k.lower(): v for k, v in self.headers.items()}
        ok, reason = verify(flavour, headers, urllib.parse.parse_qs(url.query), raw, body)
        with Handler.lock:
            Handler.counter += 1
            n = Handler.counter
        record = {"flavour": flavour, "mode": mode, "verified": ok, "reason": reason, "body": body,
                  "content_type": headers.get("content-type")}
        path = os.path.join(self.server.outdir, f"{n:06d}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(path + ".tmp", path)

        if mode == "429":
            return self.reply(429, {"error": "too many requests"}, {"Retry-After": "2"})
        if mode == "500":
            return self.reply(500, {"error": "server error"})
        if mode == "400":
            return self.reply(400, {"error": "bad request"})
        if flavour == "json":
            return self.reply(200 if ok else 401, {"ok": ok, "reason": reason})
        if flavour == "dingtalk":
            if not ok:
                return self.reply(200, {"errcode": 310000, "errmsg": reason})
            return self.reply(200, {"errcode": 130101, "errmsg": "send too fast"} if mode == "ratelimit" else {"errcode": 0, "errmsg": "ok"})
        if flavour == "wecom":
            if not ok:
                return self.reply(200, {"errcode": 93000, "errmsg": reason})
            return self.reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"} if mode == "ratelimit" else {"errcode": 0, "errmsg": "ok"})
        if flavour == "feishu":
            if not ok:
                return self.reply(200, {"code": 19021, "msg": reason})
            return self.reply(200, {"code": 9499, "msg": "too many request"} if mode == "ratelimit" else {"code": 0, "msg": "success"})
        return self.reply(404, {"error": "unknown endpoint"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.outdir = a.dir
    with open(a.ready + ".tmp", "w") as f:
        json.dump({"port": server.server_address[1], "pid": os.getpid(), "secrets": SECRETS}, f)
    os.replace(a.ready + ".tmp", a.ready)
    server.serve_forever()


if __name__ == "__main__":
    main()
