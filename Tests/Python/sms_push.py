#!/usr/bin/env python3
"""Pushes a body to Dudao's SMS hook as a platform would, printing JSON for the tests.

sms_push.py URL FILE [N] [HEADER=VALUE ...]   POSTs FILE's bytes N times at once (default 1)
sms_push.py URL @BIG:BYTES                    POSTs BYTES bytes of JSON-looking filler
Prints {"statuses": [...], "bodies": [...]}.
"""
import concurrent.futures, json, sys, urllib.error, urllib.request

url, source = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
times = int(rest.pop(0)) if rest and rest[0].isdigit() else 1
headers = {"Content-Type": "application/json"}
for h in rest:
    k, v = h.split("=", 1)
    headers[k] = v
if source.startswith("@BIG:"):
    n = int(source[5:])
    body = b'[{"phone_number":"' + b"1" * n + b'"}]'
else:
    body = open(source, "rb").read()


def post(_):
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (ConnectionError, urllib.error.URLError) as e:
        return 0, str(e)


with concurrent.futures.ThreadPoolExecutor(times) as pool:
    results = list(pool.map(post, range(times)))
print(json.dumps({"statuses": [r[0] for r in results], "bodies": [r[1] for r in results]}, ensure_ascii=False))
