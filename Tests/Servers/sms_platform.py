#!/usr/bin/env python3
"""A fake SMS platform for Dudao's tests: China Mobile 云MAS, Aliyun SendSms or Tencent
Cloud SendSms, on 127.0.0.1 and a free port.

It checks what the real service checks, with its own implementation of the documented
algorithm: 云MAS's lowercase MD5 `mac` over the fields in order, Aliyun's ACS3-HMAC-SHA256
over the canonical request (dates within 15 minutes, each nonce once), Tencent's
TC3-HMAC-SHA256 with the date/service/tc3_request key chain (timestamp within 5 minutes).
It enforces the documented limits (numbers per call, variable length) and answers in the
documented shapes. The official SDKs are pointed at it by the tests to prove the checks.

What it does with a number is chosen by the number's last four digits:
  0001  rate limited (Aliyun isv.BUSINESS_LIMIT_CONTROL, Tencent LimitExceeded.…, 云MAS HTTP 503)
  0002  refused (an invalid number)
  0003  accepted, but answered only after --slow seconds (the client times out), then reported
  0004  accepted, then reported as not delivered
  other accepted, then reported as delivered
Accepted sends are appended to DIR/sent.jsonl, and the reports (and a reply "1" from
numbers ending 0005) the platform would push, in its shape, to DIR/events.jsonl. When
DIR/push holds a URL they are pushed there, each twice — a platform that pushes again must
change nothing. DIR/ready gets {"port": N}.
"""
import argparse, base64, datetime, hashlib, hmac, json, os, sys, threading, time, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--flavour", required=True, choices=["cmcc-mas", "aliyun-sms", "tencent-sms"])
ap.add_argument("--dir", required=True)
ap.add_argument("--key-id", default="", help="Aliyun AccessKeyId, Tencent SecretId, 云MAS apId")
ap.add_argument("--secret", required=True)
ap.add_argument("--sign", required=True, help="云MAS sign code, or the SignName")
ap.add_argument("--ec-name", default="")
ap.add_argument("--app-id", default="")
ap.add_argument("--variable-length", type=int, default=0)
ap.add_argument("--slow", type=float, default=4.0)
args = ap.parse_args()
os.makedirs(args.dir, exist_ok=True)
lock = threading.Lock()
nonces = set()
serial = [0]
LIMITS = {"cmcc-mas": 5000, "aliyun-sms": 1000, "tencent-sms": 200}
VARIABLE = args.variable_length or {"aliyun-sms": 35, "tencent-sms": 12}.get(args.flavour, 0)


def next_id(prefix):
    with lock:
        serial[0] += 1
        return "%s%06d" % (prefix, serial[0])


def behaviour(number):
    return {"0001": "limited", "0002": "refused", "0003": "slow", "0004": "undelivered", "0005": "replies"}.get(number[-4:], "ok")


def log(entry):
    with lock:
        with open(os.path.join(args.dir, "sent.jsonl"), "a") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def push_later(events, delay):
    """Posts `events` (each a (kind, body) pair) to DIR/push after `delay`, each twice."""
    with lock:
        with open(os.path.join(args.dir, "events.jsonl"), "a") as f:
            for kind, body in events:
                f.write(json.dumps({"kind": kind, "body": body}, ensure_ascii=False) + "\n")
    path = os.path.join(args.dir, "push")
    if not os.path.exists(path):
        return
    url = open(path).read().strip()

    def run():
        time.sleep(delay)
        for _, body in events:
            for _ in range(2):
                try:
                    req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
                                                 headers={"Content-Type": "application/json"})
                    with urllib.request.urlopen(req, timeout=5) as r:
                        answer = r.read().decode()
                    with lock:
                        with open(os.path.join(args.dir, "pushed.jsonl"), "a") as f:
                            f.write(json.dumps({"status": r.status, "answer": answer}) + "\n")
                except Exception as e:  # the test reads pushed.jsonl
                    with lock:
                        with open(os.path.join(args.dir, "pushed.jsonl"), "a") as f:
                            f.write(json.dumps({"error": str(e)}) + "\n")
    threading.Thread(target=run, daemon=True).start()


def report(number, receipt, reference, delivered):
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    if args.flavour == "cmcc-mas":
        return {"reportStatus": "CM:0000" if delivered else "CM:0001", "mobile": number, "msgGroup": receipt,
                "errorCode": "DELIVRD" if delivered else "UNDELIV", "submitDate": now, "receiveDate": now}
    if args.flavour == "aliyun-sms":
        return [{"phone_number": number, "send_time": now, "report_time": now, "success": delivered,
                 "err_code": "DELIVERED" if delivered else "MK:0001", "err_msg": "用户接收成功" if delivered else "失败",
                 "sms_size": "1", "biz_id": receipt, "out_id": reference}]
    return [{"user_receive_time": now, "nationcode": "86", "mobile": number[-11:], "report_status": "SUCCESS" if delivered else "FAIL",
             "errmsg": "DELIVRD" if delivered else "UNDELIV", "description": "", "sid": receipt}]


def reply(number, text):
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    if args.flavour == "cmcc-mas":
        return {"mobile": number, "smsContent": text, "sendTime": now, "addSerial": ""}
    if args.flavour == "aliyun-sms":
        return {"phone_number": number, "send_time": now, "content": text, "sign_name": args.sign, "dest_code": "", "sequence_id": 1}
    return {"extend": "", "mobile": number[-11:], "nationcode": "86", "sign": args.sign, "text": text, "time": int(time.time())}


def after_accept(number, receipt, reference):
    b = behaviour(number)
    events = [("report", report(number, receipt, reference, b != "undelivered"))]
    if b == "replies":
        events.append(("reply", reply(number, "1")))
    push_later(events, args.slow + 0.5 if b == "slow" else 0.3)


# ---- 云MAS ------------------------------------------------------------------------------

def mas(handler, body):
    try:
        data = json.loads(base64.b64decode(body, validate=True))
    except Exception:
        return handler.answer(200, {"rspcod": "InvalidMessage", "success": False})
    template = "templateId" in data
    order = ["ecName", "apId", "secretKey", "templateId", "mobiles", "params", "sign", "addSerial"] if template else \
            ["ecName", "apId", "secretKey", "mobiles", "content", "sign", "addSerial"]
    values = dict(data, secretKey=args.secret)
    if any(k not in values for k in order):
        return handler.answer(200, {"rspcod": "InvalidMessage", "success": False})
    mac = hashlib.md5("".join(str(values[k]) for k in order).encode("utf-8")).hexdigest()
    if data.get("mac") != mac:
        return handler.answer(200, {"rspcod": "IllegalMac", "success": False})
    if data["ecName"] != args.ec_name or data["apId"] != args.key_id:
        return handler.answer(200, {"rspcod": "InvalidUsrOrPwd", "success": False})
    if data["sign"] != args.sign:
        return handler.answer(200, {"rspcod": "IllegalSignId", "success": False})
    numbers = [n for n in data["mobiles"].split(",") if n]
    if len(numbers) > LIMITS["cmcc-mas"]:
        return handler.answer(200, {"rspcod": "TooManyMobiles", "success": False})
    if not template and len(data["content"]) > 350:
        return handler.answer(200, {"rspcod": "InvalidMessage", "success": False})
    b = behaviour(numbers[0])
    if b == "limited":
        return handler.answer(503, {"rspcod": "SystemBusy", "success": False})
    if b == "refused":
        return handler.answer(200, {"rspcod": "InvalidMobiles", "success": False})
    group = next_id("mas")
    for n in numbers:
        log({"mobile": n, "content": data.get("content"), "templateId": data.get("templateId"),
             "params": json.loads(data["params"]) if template else None, "receipt": group})
        after_accept(n, group, "")
    if b == "slow":
        time.sleep(args.slow)
    handler.answer(200, {"rspcod": "success", "msgGroup": group, "success": True})


# ---- Aliyun ACS3-HMAC-SHA256 --------------------------------------------------------------

def acs3_query(query):
    q = urllib.parse.quote
    return "&".join("%s=%s" % (q(k, safe="~"), q(v, safe="~")) for k, v in sorted(query.items()))


def aliyun(handler, body):
    def error(status, code, message):
        handler.answer(status, {"Code": code, "Message": message, "RequestId": next_id("req")})

    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("ACS3-HMAC-SHA256 "):
        return error(400, "IncompleteSignature", "Authorization is not ACS3-HMAC-SHA256")
    parts = dict(p.split("=", 1) for p in auth[len("ACS3-HMAC-SHA256 "):].split(","))
    headers = {k.lower(): v.strip() for k, v in handler.headers.items()}
    signed = parts.get("SignedHeaders", "").split(";")
    must = {"host"} | {k for k in headers if k.startswith("x-acs-")}
    if not must <= set(signed):
        return error(400, "IncompleteSignature", "host and every x-acs-* header must be signed")
    if parts.get("Credential") != args.key_id:
        return error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    payload_hash = hashlib.sha256(body).hexdigest()
    if headers.get("x-acs-content-sha256") != payload_hash:
        return error(400, "IncompleteSignature", "x-acs-content-sha256 does not match the body")
    url = urllib.parse.urlsplit(handler.path)
    query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
    canonical = "\n".join([handler.command, urllib.parse.quote(url.path or "/", safe="/~"), acs3_query(query),
                           "".join("%s:%s\n" % (h, headers.get(h, "")) for h in signed), ";".join(signed), payload_hash])
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    expected = hmac.new(args.secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts.get("Signature", "")):
        return error(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
    try:
        at = datetime.datetime.strptime(headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return error(400, "InvalidTimeStamp.Format", "x-acs-date")
    if abs((datetime.datetime.now(datetime.timezone.utc) - at).total_seconds()) > 900:
        return error(400, "InvalidTimeStamp.Expired", "x-acs-date is not within 15 minutes")
    with lock:
        nonce = headers.get("x-acs-signature-nonce", "")
        if not nonce or nonce in nonces:
            return error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        nonces.add(nonce)
    if headers.get("x-acs-action") != "SendSms" or headers.get("x-acs-version") != "2017-05-25":
        return error(400, "InvalidAction.NotFound", "only SendSms 2017-05-25")
    if headers.get("content-type", "").startswith("application/x-www-form-urlencoded") and body:
        query.update(dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)))
    numbers = [n for n in query.get("PhoneNumbers", "").split(",") if n]
    if not numbers or len(numbers) > LIMITS["aliyun-sms"]:
        return handler.answer(200, {"Code": "isv.MOBILE_COUNT_OVER_LIMIT", "Message": "numbers per call", "RequestId": next_id("req")})
    if query.get("SignName") != args.sign:
        return handler.answer(200, {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "sign", "RequestId": next_id("req")})
    if not query.get("TemplateCode", "").startswith("SMS_"):
        return handler.answer(200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "template", "RequestId": next_id("req")})
    params = json.loads(query.get("TemplateParam") or "{}")
    if any(len(str(v)) > VARIABLE for v in params.values()):
        return handler.answer(200, {"Code": "isv.PARAM_LENGTH_LIMIT", "Message": "variable over %d" % VARIABLE, "RequestId": next_id("req")})
    b = behaviour(numbers[0])
    if b == "limited":
        return handler.answer(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控Permits:50", "RequestId": next_id("req")})
    if b == "refused":
        return handler.answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": next_id("req")})
    biz = next_id("biz")
    for n in numbers:
        log({"mobile": n, "templateCode": query["TemplateCode"], "params": params, "outId": query.get("OutId"), "receipt": biz})
        after_accept(n, biz, query.get("OutId", ""))
    if b == "slow":
        time.sleep(args.slow)
    handler.answer(200, {"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": next_id("req")})


# ---- Tencent TC3-HMAC-SHA256 --------------------------------------------------------------

def tc3_key(secret, date):
    k = hmac.new(("TC3" + secret).encode(), date.encode(), hashlib.sha256).digest()
    k = hmac.new(k, b"sms", hashlib.sha256).digest()
    return hmac.new(k, b"tc3_request", hashlib.sha256).digest()


def tencent(handler, body):
    request_id = next_id("req")

    def error(code, message):
        handler.answer(200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}})

    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("TC3-HMAC-SHA256 "):
        return error("AuthFailure.SignatureFailure", "not TC3-HMAC-SHA256")
    parts = dict(p.strip().split("=", 1) for p in auth[len("TC3-HMAC-SHA256 "):].split(","))
    secret_id, date, service, terminator = (parts.get("Credential", "").split("/") + ["", "", "", ""])[:4]
    if secret_id != args.key_id:
        return error("AuthFailure.SecretIdNotFound", "secret id")
    try:
        timestamp = int(handler.headers.get("X-TC-Timestamp", ""))
    except ValueError:
        return error("AuthFailure.SignatureFailure", "timestamp")
    if abs(time.time() - timestamp) > 300:
        return error("AuthFailure.SignatureExpire", "the request's timestamp is not within 5 minutes")
    if date != datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d") or service != "sms" or terminator != "tc3_request":
        return error("AuthFailure.SignatureFailure", "credential scope")
    signed = parts.get("SignedHeaders", "").split(";")
    if not {"content-type", "host"} <= set(signed):
        return error("AuthFailure.SignatureFailure", "content-type and host must be signed")
    headers = {k.lower(): v.strip() for k, v in handler.headers.items()}
    url = urllib.parse.urlsplit(handler.path)
    canonical = "\n".join([handler.command, url.path or "/", url.query, "".join("%s:%s\n" % (h, headers.get(h, "").lower() if h != "content-type" else headers.get(h, "")) for h in signed),
                           ";".join(signed), hashlib.sha256(body).hexdigest()])
    to_sign = "TC3-HMAC-SHA256\n%d\n%s/sms/tc3_request\n%s" % (timestamp, date, hashlib.sha256(canonical.encode()).hexdigest())
    expected = hmac.new(tc3_key(args.secret, date), to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts.get("Signature", "")):
        return error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
    if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
        return error("InvalidAction", "only SendSms 2021-01-11")
    data = json.loads(body or b"{}")
    numbers = data.get("PhoneNumberSet") or []
    if not numbers or len(numbers) > LIMITS["tencent-sms"]:
        return error("LimitExceeded.PhoneNumberCountLimit", "numbers per call")
    if str(data.get("SmsSdkAppId")) != args.app_id:
        return error("InvalidParameterValue.SdkAppIdNotExist", "SmsSdkAppId")
    if data.get("SignName") != args.sign:
        return error("FailedOperation.SignatureIncorrectOrUnapproved", "sign")
    params = data.get("TemplateParamSet") or []
    if any(len(p) > VARIABLE for p in params):
        return error("InvalidParameterValue.TemplateParameterLengthLimit", "variable over %d" % VARIABLE)
    if any("://" in p or "www." in p for p in params):
        return error("InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", "no links in variables")
    statuses, slow = [], False
    for n in numbers:
        if not n.startswith("+"):
            statuses.append({"SerialNo": "", "PhoneNumber": n, "Fee": 0, "SessionContext": data.get("SessionContext", ""),
                             "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "not E.164", "IsoCode": ""})
            continue
        b = behaviour(n)
        if b == "limited":
            statuses.append({"SerialNo": "", "PhoneNumber": n, "Fee": 0, "SessionContext": data.get("SessionContext", ""),
                             "Code": "LimitExceeded.DeliveryFrequencyLimit", "Message": "frequency", "IsoCode": "CN"})
        elif b == "refused":
            statuses.append({"SerialNo": "", "PhoneNumber": n, "Fee": 0, "SessionContext": data.get("SessionContext", ""),
                             "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "invalid number", "IsoCode": "CN"})
        else:
            sid = next_id("sid")
            slow = slow or b == "slow"
            log({"mobile": n, "templateId": data.get("TemplateId"), "params": params, "sessionContext": data.get("SessionContext"), "receipt": sid})
            after_accept(n, sid, data.get("SessionContext", ""))
            statuses.append({"SerialNo": sid, "PhoneNumber": n, "Fee": 1, "SessionContext": data.get("SessionContext", ""),
                             "Code": "Ok", "Message": "send success", "IsoCode": "CN"})
    if slow:
        time.sleep(args.slow)
    handler.answer(200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, status, obj):
        data = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 1 << 20:
            return self.answer(413, {"error": "too large"})
        body = self.rfile.read(n)
        {"cmcc-mas": mas, "aliyun-sms": aliyun, "tencent-sms": tencent}[args.flavour](self, body)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(os.path.join(args.dir, "ready.tmp"), "w") as f:
    json.dump({"port": server.server_address[1]}, f)
os.rename(os.path.join(args.dir, "ready.tmp"), os.path.join(args.dir, "ready"))
server.serve_forever()
