#!/usr/bin/env python3
"""Delivery benchmark for `make bench`: 1,000 emails and 1,000 webhooks from Dudao against
the tools an office would otherwise use, all aimed at local C sinks on 127.0.0.1 so the
sink is not the bottleneck:

  email    → Postfix smtp-sink:  Dudao (libcurl, C connections), Postfix smtp-source (same C),
                                  Python smtplib (one connection), Alertmanager 0.25 (one
                                  notification per alert, group_wait 0s)
  webhooks → nginx returning 200: Dudao (C connections), requests.Session, Alertmanager 0.25

Prints each rate and the ratios against the aims of issue 3. A benchmark, not a test: it
never fails on the figures (only on a contender that could not run)."""
import argparse, json, os, shutil, signal, smtplib, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build/release/DudaoBench")
DUDAO = os.path.join(ROOT, ".build/release/dudao")
FROM, TO = "duchashi@zhengzhou.example", "scjgj@zhengzhou.example"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


class Procs:
    def __init__(self):
        self.procs = []

    def start(self, args, **kw):
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
        self.procs.append(p)
        return p

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


RUNS = 5


def timed(fn):
    """Median of RUNS runs: (messages, seconds)."""
    runs = []
    for _ in range(RUNS):
        t = time.perf_counter()
        n = fn()
        runs.append((n, time.perf_counter() - t))
    runs.sort(key=lambda r: r[1])
    return runs[len(runs) // 2]


def python_process(code, *args):
    """Runs a Python contender as its own process, like every other contender."""
    subprocess.run([sys.executable, "-c", code, *map(str, args)], check=True)


def alertmanager(procs, work, receiver_yaml, count, integration):
    """Starts Alertmanager with one receiver, fires `count` alerts with distinct alertnames
    (one group, so one notification, per alert) and times until its metrics say all were sent."""
    port = free_port()
    cfg = os.path.join(work, f"am-{integration}.yml")
    with open(cfg, "w") as f:
        f.write(f"""
route:
  receiver: r
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 24h
receivers:
  - name: r
{receiver_yaml}
""")
    store = tempfile.mkdtemp(dir=work)
    procs.start(["prometheus-alertmanager", f"--config.file={cfg}", f"--storage.path={store}",
                 f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"])
    wait_port(port)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    alerts = [{"labels": {"alertname": f"dudao_item_{i}", "agency": "市市场监管局"},
               "annotations": {"summary": "【督办提醒】事项距完成时限还有7天", "description": "允许对食品自动制售设备等新业态发放食品经营许可" * 20},
               "startsAt": now} for i in range(count)]

    def metric():
        # notifications_total counts attempts as they start; the latency histogram's count
        # is recorded when a notification has finished, so that is what is waited for.
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        done = failed = 0
        for line in text.splitlines():
            if line.startswith(f'alertmanager_notification_latency_seconds_count{{integration="{integration}"'):
                done = float(line.split()[-1])
            if line.startswith(f'alertmanager_notifications_failed_total{{integration="{integration}"'):
                failed += float(line.split()[-1])
        return done, failed

    runs = [0]

    def run():
        # Each run fires new alert names, so each alert is a new group and a new notification.
        before, failed_before = metric()
        batch = [dict(a, labels=dict(a["labels"], alertname=f'{a["labels"]["alertname"]}_r{runs[0]}')) for a in alerts]
        runs[0] += 1
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v2/alerts", data=json.dumps(batch).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req, timeout=30).read()
        deadline = time.time() + 300
        while time.time() < deadline:
            done, failed = metric()
            if done - before >= count:
                return int(done - before - (failed - failed_before))
            time.sleep(0.02)
        raise RuntimeError("alertmanager did not finish in 300 s")

    return timed(run)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--connections", type=int, default=6, help="parallel connections for Dudao and smtp-source")
    a = ap.parse_args()
    n, c = a.count, a.connections
    work = tempfile.mkdtemp(prefix="dudao-bench-")
    procs = Procs()
    results = {}
    try:
        # A real message: the digest 市市场监管局 would get on 2024-12-24.
        eml = subprocess.run([DUDAO, "render", "--schedules", os.path.join(ROOT, "Schedules"), "--templates", os.path.join(ROOT, "Templates"),
                              "--kind", "digest", "--items", "1,3,4,5,7", "--now", "2024-12-24T10:00:00+08:00", "--format", "eml"],
                             check=True, capture_output=True).stdout
        body = subprocess.run([DUDAO, "render", "--schedules", os.path.join(ROOT, "Schedules"), "--templates", os.path.join(ROOT, "Templates"),
                               "--kind", "advance", "--items", "1", "--now", "2024-12-24T10:00:00+08:00", "--format", "json"],
                              check=True, capture_output=True).stdout
        eml_path, body_path = os.path.join(work, "m.eml"), os.path.join(work, "body.json")
        open(eml_path, "wb").write(eml)
        open(body_path, "wb").write(body)
        print(f"message: {len(eml)} bytes of email, {len(body)} bytes of JSON; {n} each; {c} parallel connections for Dudao and smtp-source;")
        print(f"every contender is its own process, timed from outside; median of {RUNS} runs")

        # Sinks.
        smtp_port = free_port()
        procs.start(["smtp-sink", "-u", "nobody", f"127.0.0.1:{smtp_port}", "1024"])
        http_port = free_port()
        nginx_conf = os.path.join(work, "nginx.conf")
        open(nginx_conf, "w").write(f"""
worker_processes 1; daemon off; pid {work}/nginx.pid; error_log {work}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {work}/body; keepalive_requests 100000;
  server {{ listen 127.0.0.1:{http_port}; client_max_body_size 10m;
    location / {{ default_type application/json; return 200 '{{"errcode":0,"errmsg":"ok"}}'; }} }} }}
""")
        procs.start(["nginx", "-c", nginx_conf, "-p", work])
        wait_port(smtp_port)
        wait_port(http_port)

        # Email.
        def dudao_smtp():
            out = subprocess.run([BENCH, "delivery", "--smtp", f"smtp://127.0.0.1:{smtp_port}", "--eml", eml_path,
                                  "--count", str(n), "--connections", str(c)], check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            if r["failed"]:
                raise RuntimeError(r["first_failure"])
            return r["sent"]
        results["email: Dudao"] = timed(dudao_smtp)

        def smtp_source():
            subprocess.run(["smtp-source", "-s", str(c), "-m", str(n), "-l", str(len(eml)), "-f", FROM, "-t", TO,
                            f"127.0.0.1:{smtp_port}"], check=True, capture_output=True)
            return n
        results["email: smtp-source"] = timed(smtp_source)

        def python_smtplib():
            python_process("""
import smtplib, sys
eml = open(sys.argv[1], "rb").read()
s = smtplib.SMTP("127.0.0.1", int(sys.argv[2]))
for _ in range(int(sys.argv[3])):
    s.sendmail(sys.argv[4], [sys.argv[5]], eml)
s.quit()
""", eml_path, smtp_port, n, FROM, TO)
            return n
        results["email: Python smtplib"] = timed(python_smtplib)

        results["email: Alertmanager"] = alertmanager(procs, work, f"""    email_configs:
      - to: {TO}
        from: {FROM}
        smarthost: 127.0.0.1:{smtp_port}
        require_tls: false
        send_resolved: false""", n, "email")

        # Webhooks.
        def dudao_hooks():
            out = subprocess.run([BENCH, "delivery", "--webhook", f"http://127.0.0.1:{http_port}/hook", "--body", body_path,
                                  "--count", str(n), "--connections", str(c)], check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            if r["failed"]:
                raise RuntimeError(r["first_failure"])
            return r["sent"]
        results["webhook: Dudao"] = timed(dudao_hooks)

        def python_requests():
            python_process("""
import requests, sys
body = open(sys.argv[1], "rb").read()
s = requests.Session()
for _ in range(int(sys.argv[3])):
    s.post(f"http://127.0.0.1:{sys.argv[2]}/hook", data=body, headers={"Content-Type": "application/json"}).raise_for_status()
""", body_path, http_port, n)
            return n
        results["webhook: requests.Session"] = timed(python_requests)

        results["webhook: Alertmanager"] = alertmanager(procs, work, f"""    webhook_configs:
      - url: http://127.0.0.1:{http_port}/hook
        send_resolved: false""", n, "webhook")
    finally:
        procs.stop_all()
        shutil.rmtree(work, ignore_errors=True)

    rate = {k: sent / secs for k, (sent, secs) in results.items()}
    print()
    for k, (sent, secs) in results.items():
        print(f"{k:28s} {sent:5d} in {secs:7.3f} s  = {rate[k]:8.1f} /s")
    print()
    def ratio(a, b, aim):
        r = rate[a] / rate[b]
        print(f"{a} / {b}: {r:5.2f}×  (aim ≥ {aim}×) {'ok' if r >= aim else 'BELOW AIM'}")
    ratio("email: Dudao", "email: Alertmanager", 2)
    ratio("email: Dudao", "email: Python smtplib", 3)
    ratio("email: Dudao", "email: smtp-source", 0.5)
    ratio("webhook: Dudao", "webhook: Alertmanager", 1)
    ratio("webhook: Dudao", "webhook: requests.Session", 3)


if __name__ == "__main__":
    main()
