"""A browser-like HTTP client for the console's tests: keeps cookies, fills form tokens,
sends files, never follows redirects. Prints one JSON object per step as a JSON list.

office_client.py BASE_URL STEPS_JSON
  each step: {"method": "GET"|"POST", "path": "/…" or a full URL, "fields": {...},
              "files": [[field, filename, path]], "headers": {...}}
  a field whose value is "@csrf" gets the last page's hidden csrf value; "@report:ITEM" the
  report id of the review card of item ITEM on the last page; "@hidden:NAME" the last page's
  hidden field NAME (a confirmation page's values). A path starting "@location" starts with the
  last Location an answer gave; "@csrf" inside a path is replaced by the form token (a file upload's query).
  "save": PATH writes the answer's bytes there (a download).
"""
import html
import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode() + v.encode() + b"\r\n"
    for field, filename, path in files:
        with open(path, "rb") as f:
            data = f.read()
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def main():
    base, steps = sys.argv[1], json.loads(sys.argv[2])
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    csrf, results, last = "", [], ""

    def value(v):
        if v == "@csrf":
            return csrf
        if v.startswith("@report:"):
            m = re.search(r'data-item="%s"[^>]*data-report="(\d+)"' % re.escape(v[8:]), last)
            return m.group(1) if m else ""
        if v.startswith("@hidden:"):
            m = re.search(r'type="hidden" name="%s" value="([^"]*)"' % re.escape(v[8:]), last)
            return html.unescape(m.group(1)) if m else ""
        return v

    location = ""
    for step in steps:
        # "@location…": the last Location given; "@csrf" in a path: the last page's form token.
        path = step["path"].replace("@csrf", urllib.parse.quote(csrf))
        if path.startswith("@location"):
            path = location + path[len("@location"):]
        url = path if path.startswith("http") else base + path
        fields = {k: value(v) for k, v in step.get("fields", {}).items()}
        # Header values go out as UTF-8 bytes, as a proxy names a Chinese account.
        headers = {k: v.encode("utf-8").decode("latin-1") for k, v in step.get("headers", {}).items()}
        data = None
        if step["method"] == "POST":
            if step.get("files"):
                data, headers["Content-Type"] = multipart(fields, step["files"])
            else:
                data = urllib.parse.urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(url, data=data, method=step["method"], headers=headers)
        try:
            with opener.open(req, timeout=20) as r:
                status, hdrs, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, body = e.code, e.headers, e.read()
        except (ConnectionError, urllib.error.URLError):
            status, hdrs, body = 0, {}, b""
        if step.get("save"):
            with open(step["save"], "wb") as f:
                f.write(body)
        if hdrs and hdrs.get("Location"):
            location = hdrs.get("Location")
        text = body.decode("utf-8", "replace")
        last = text
        m = re.search(r'name="csrf" value="([^"]*)"', text)
        if m:
            csrf = m.group(1)
        results.append({"status": status, "body": text, "bytes": len(body),
                        "headers": {k: v for k, v in (hdrs.items() if hdrs else [])},
                        "cookies": (hdrs.get_all("Set-Cookie") or []) if hdrs else []})
    print(json.dumps(results, ensure_ascii=False))


main()
