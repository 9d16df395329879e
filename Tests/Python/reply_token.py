"""Signs a reply token the documented way, independently of Dudao (for the console's tests).

reply_token.py KEYFILE AGENCY ITEMS EXPIRES  ->  {"token": "PAYLOAD.SIGNATURE"}
The payload is base64url(JSON {"a": agency, "i": [items], "e": "YYYY-MM-DD"}) without
padding; the signature is base64url(HMAC-SHA256(key, payload)) without padding, where the
key is the key file's content with surrounding white space removed.
"""
import base64
import hashlib
import hmac
import json
import sys


def b64(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


key = open(sys.argv[1], "rb").read().strip()
payload = b64(json.dumps({"a": sys.argv[2], "i": sys.argv[3].split(","), "e": sys.argv[4]}, ensure_ascii=False).encode())
signature = b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())
print(json.dumps({"token": payload + "." + signature}))
