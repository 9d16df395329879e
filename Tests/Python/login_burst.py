"""Logins posted all at once from one client address, as a guessing script would: fetches
the login form (its cookie and token) from SOURCE_IP, then posts N logins with PASSWORD for
NAME concurrently. Prints {"statuses": [...], "retry_after": [...]}.

login_burst.py HOST PORT N NAME PASSWORD SOURCE_IP
"""
import concurrent.futures
import http.client
import json
import re
import sys
import urllib.parse


def request(host, port, source, method, path, body=None, headers=None):
    c = http.client.HTTPConnection(host, port, timeout=60, source_address=(source, 0))
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    out = (r.status, dict(r.getheaders()), r.getheader("Set-Cookie") or "", data)
    c.close()
    return out


def main():
    host, port, n, name, password, source = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
    _, _, cookie, page = request(host, port, source, "GET", "/login")
    token = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
    jar = cookie.split(";")[0]
    body = urllib.parse.urlencode({"csrf": token, "name": name, "password": password})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": jar}
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(n, 64)) as pool:
        answers = list(pool.map(lambda _: request(host, port, source, "POST", "/login", body, headers), range(n)))
    print(json.dumps({"statuses": [a[0] for a in answers], "retry_after": [a[1].get("Retry-After") for a in answers]}))


main()
