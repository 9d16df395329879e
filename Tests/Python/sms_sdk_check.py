#!/usr/bin/env python3
"""Proves the fake SMS platforms check what the real services check: the official SDKs
(alibabacloud-dysmsapi20170525, tencentcloud-sdk-python-sms), pointed at the fakes, are
accepted with the right key and refused with a wrong one; Tencent's per-number results
come back per number. Prints one JSON object for the Swift test."""
import json, os, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = {}


def start(flavour, extra):
    d = tempfile.mkdtemp(prefix="dudao-sms-sdk-")
    p = subprocess.Popen([sys.executable, os.path.join(root, "Tests/Servers/sms_platform.py"), "--flavour", flavour, "--dir", d] + extra,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(os.path.join(d, "ready")):
            break
        time.sleep(0.05)
    return p, d, json.load(open(os.path.join(d, "ready")))["port"]


def sent(d):
    path = os.path.join(d, "sent.jsonl")
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []


# Aliyun
from alibabacloud_dysmsapi20170525.client import Client as Dysms
from alibabacloud_dysmsapi20170525 import models as dysms_models
from alibabacloud_tea_openapi import models as openapi_models

p, d, port = start("aliyun-sms", ["--key-id", "LTAI-test", "--secret", "right-secret", "--sign", "郑州市督查室"])
try:
    def aliyun(secret, number="13800138000"):
        client = Dysms(openapi_models.Config(access_key_id="LTAI-test", access_key_secret=secret, endpoint="127.0.0.1:%d" % port, protocol="http"))
        req = dysms_models.SendSmsRequest(phone_numbers=number, sign_name="郑州市督查室", template_code="SMS_100001",
                                          template_param=json.dumps({"agency": "市市场监管局", "count": "3"}, ensure_ascii=False), out_id="d1")
        try:
            r = client.send_sms(req)
            return {"code": r.body.code, "biz_id": r.body.biz_id}
        except Exception as e:
            return {"error": getattr(e, "code", str(e))}
    out["aliyun_right"] = aliyun("right-secret")
    out["aliyun_wrong"] = aliyun("wrong-secret")
    out["aliyun_limited"] = aliyun("right-secret", "13800130001")
    out["aliyun_sent"] = sent(d)
finally:
    p.kill()

# Tencent
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.sms.v20210111 import sms_client, models as sms_models

p, d, port = start("tencent-sms", ["--key-id", "AKID-test", "--secret", "right-secret", "--sign", "郑州市督查室", "--app-id", "1400000001"])
try:
    def tencent(secret, numbers):
        hp = HttpProfile(endpoint="127.0.0.1:%d" % port, protocol="http")
        client = sms_client.SmsClient(credential.Credential("AKID-test", secret), "ap-guangzhou", ClientProfile(httpProfile=hp))
        req = sms_models.SendSmsRequest()
        req.from_json_string(json.dumps({"PhoneNumberSet": numbers, "SmsSdkAppId": "1400000001", "SignName": "郑州市督查室",
                                         "TemplateId": "100001", "TemplateParamSet": ["市市场监管局", "3"], "SessionContext": "d1"}))
        try:
            r = client.SendSms(req)
            return {"codes": [s.Code for s in r.SendStatusSet], "serials": [s.SerialNo for s in r.SendStatusSet]}
        except TencentCloudSDKException as e:
            return {"error": e.get_code()}
    out["tencent_right"] = tencent("right-secret", ["+8613800138000"])
    out["tencent_wrong"] = tencent("wrong-secret", ["+8613800138000"])
    out["tencent_partial"] = tencent("right-secret", ["+8613800138000", "+8613800130002", "+8613800130001"])
    out["tencent_sent"] = sent(d)
finally:
    p.kill()

print(json.dumps(out, ensure_ascii=False))
