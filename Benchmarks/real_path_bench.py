#!/usr/bin/env python3
"""`make bench`: the commands a user runs, end to end on the release binary, at province
scale — each figure printed beside its aim (issue 11). A benchmark, not a test: it fails
only when a command fails, never on a figure.

  import   a generated 100,000-row TSV (about 10 MB)           aim < 2 s,   < 200 MB
           and a 10,000-row workbook (.xlsx, issue 9)               aim < 2 s,   < 300 MB
           (and, by the same aim, a 10,000-row Word table and web page)
  plan     a year on Schedules holding that list                aim < 1.5 s, < 300 MB
  check    the same                                             aim < 1.5 s, < 300 MB
           (each parsing the YAML, and with the list in the state folder's parse cache)
  run      --once: 1,000 agencies, one item each due today, SMTP to Postfix smtp-sink
           over 6 connections, beside smtp-source on the same sink   aim ≥ 0.5× smtp-source
  service  RSS idle after start: the bundled list (aim < 30 MB) and 100,000 items (< 60 MB)

Time is wall-clock from outside; memory is the child's peak RSS (getrusage), or for the idle
service its RSS beside its own anonymous memory (the rest is shared library code it touched). The median of three runs is printed for the timed commands.
"""
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from delivery_bench import free_port, wait_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DUDAO = os.path.join(ROOT, ".build/release/dudao")
RUNS = 3

# Phrasings the deadline grammar reads, as real lists write them.
DEADLINES = ["2026年12月", "2027年 6月", "2027年6月底前", "2026年12月底前", "持续推进", "2027年3月底前出台方案，2027年12月底前全面完成",
             "2027年上半年", "2026年第四季度", "2027年9月30日前", "长期坚持"]
VERBS = ["推进", "完善", "优化", "深化", "健全", "落实", "探索", "提升"]
TOPICS = ["政务服务", "市场准入", "信用监管", "数据共享", "跨境贸易", "融资服务", "工程审批", "纳税服务", "不动产登记", "知识产权"]


def agencies():
    names = []
    for line in open(os.path.join(ROOT, "Schedules/agencies.yaml"), encoding="utf-8"):
        if line.startswith("  - name: "):
            names.append(line[len("  - name: "):].strip())
    return [n for n in names if n not in ("市政府督查室", "市直各有关部门") and "成员单位" not in n]


def write_tsv(path, n, rng):
    names = agencies()
    with open(path, "w", encoding="utf-8") as f:
        f.write("某省2026年优化营商环境重点任务清单（基准测试）\n\n序号\t改革事项\t主要内容\t具体举措\t牵头单位\t配合单位\t完成时间\n")
        for i in range(1, n + 1):
            lead = "、".join(rng.sample(names, rng.choice([1, 1, 1, 2])))
            partners = rng.choice(["", rng.choice(names), "市直各有关部门"])
            f.write(f"{i}\t{rng.choice(VERBS)}{rng.choice(TOPICS)}第{i}项\t\t1. 制定方案。2. 组织实施。\t{lead}\t{partners}\t{rng.choice(DEADLINES)}\n")


def write_xlsx(path, n, rng):
    """The same rows as an Excel workbook (openpyxl), the title merged across the table."""
    from openpyxl import Workbook
    tsv = path + ".tsv"
    write_tsv(tsv, n, rng)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "事项清单"
    lines = open(tsv, encoding="utf-8").read().split("\n")
    sheet.append([lines[0]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    for l in lines[2:]:
        if l.strip():
            sheet.append(l.split("\t"))
    wb.save(path)


def run(args, **kw):
    """Runs a command; (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - start
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def median_run(args, **kw):
    runs = sorted((run(args, **kw) for _ in range(RUNS)), key=lambda r: r[0])
    return runs[len(runs) // 2]


def line(what, seconds, mb, aim_s, aim_mb):
    ok = "ok" if seconds < aim_s and mb < aim_mb else "MISSED"
    print(f"  {what:<42} {seconds:7.2f} s  {mb:7.0f} MB    aim < {aim_s} s, < {aim_mb} MB   {ok}")


def schedules(work, name, list_file=None):
    folder = os.path.join(work, name)
    os.makedirs(folder)
    for f in ("agencies.yaml", "policy.yaml"):
        shutil.copy(os.path.join(ROOT, "Schedules", f), folder)
    shutil.copytree(os.path.join(ROOT, "Schedules/calendar"), os.path.join(folder, "calendar"))
    if list_file:
        shutil.copy(list_file, folder)
    # policy.yaml's templates_dir is ../Templates.
    if not os.path.exists(os.path.join(work, "Templates")):
        shutil.copytree(os.path.join(ROOT, "Templates"), os.path.join(work, "Templates"))
    return folder


def delivery(work, connections=6, count=1000):
    """`dudao run --once` to smtp-sink beside smtp-source, alternating, same sink."""
    folder = os.path.join(work, "delivery")
    os.makedirs(folder)
    shutil.copytree(os.path.join(ROOT, "Schedules/calendar"), os.path.join(folder, "calendar"))
    port = free_port()
    sink = subprocess.Popen(["smtp-sink", "-u", "nobody", f"127.0.0.1:{port}", "1024"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        with open(os.path.join(folder, "agencies.yaml"), "w", encoding="utf-8") as f:
            f.write("agencies:\n")
            for i in range(count):
                f.write(f"  - {{name: 测试单位{i:04d}, contacts: [{{name: 联络员, email: a{i:04d}@zhengzhou.example}}]}}\n")
        with open(os.path.join(folder, "list.yaml"), "w", encoding="utf-8") as f:
            f.write("title: 基准测试清单\nitems:\n")
            for i in range(count):
                f.write(f"  - {{id: \"{i + 1}\", title: 第{i + 1}项改革任务, lead: [测试单位{i:04d}], due_text: \"2026年12月1日\"}}\n")
        with open(os.path.join(folder, "channels.yaml"), "w") as f:
            f.write(f"email: {{url: \"smtp://127.0.0.1:{port}\", starttls: off, from: {{name: 督查室, address: duchashi@zhengzhou.example}}, "
                    f"max_connections: {connections}}}\n")
        # smtp-source sends messages of the size Dudao's are.
        size = len(subprocess.run([DUDAO, "render", "--schedules", folder, "--templates", os.path.join(ROOT, "Templates"), "--kind", "due",
                                   "--items", "1", "--now", "2026-12-01T09:30:00+08:00", "--format", "eml"],
                                  check=True, capture_output=True).stdout)
        dudao_runs, source_runs = [], []
        for k in range(RUNS):
            state = os.path.join(work, f"delivery-state-{k}")
            start = time.perf_counter()
            subprocess.run([DUDAO, "run", "--once", "--schedules", folder, "--state-dir", state, "--now", "2026-12-01T09:30:00+08:00"],
                           check=True, capture_output=True)
            dudao_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run(["smtp-source", "-s", str(connections), "-m", str(count), "-l", str(size), "-f", "duchashi@zhengzhou.example",
                            "-t", "a0000@zhengzhou.example", f"127.0.0.1:{port}"], check=True, capture_output=True)
            source_runs.append(time.perf_counter() - start)
        d, s = statistics.median(dudao_runs), statistics.median(source_runs)
        ratio = s / d
        print(f"  {'run --once: 1,000 emails':<42} {d:7.2f} s  ({count / d:,.0f}/s)   smtp-source {s:.2f} s ({count / s:,.0f}/s)   "
              f"ratio {ratio:.2f}   aim ≥ 0.5   {'ok' if ratio >= 0.5 else 'MISSED'}")
    finally:
        sink.terminate()
        sink.wait()


def idle_rss(folder, state):
    """VmRSS of `dudao run` a few seconds after it started, in MB."""
    p = subprocess.Popen([DUDAO, "run", "--schedules", folder, "--state-dir", state], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Ready when it logs its next wake; then let it settle.
        end = time.time() + 120
        while time.time() < end and p.poll() is None:
            if os.path.exists(os.path.join(state, "dudao.sqlite")):
                break
            time.sleep(0.1)
        time.sleep(5)
        if p.poll() is not None:
            raise RuntimeError("the service exited: " + p.stderr.read().decode()[-2000:])
        # RSS, and the part of it that is the process's own (anonymous) memory rather than
        # shared library code it touched.
        fields = {}
        for l in open(f"/proc/{p.pid}/smaps_rollup"):
            parts = l.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                fields[parts[0][:-1]] = int(parts[1]) / 1024
        return fields["Rss"], fields.get("Pss_Anon", fields.get("Private_Dirty", 0))
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()


def table_rows(path, n, rng):
    """The title and the rows of the generated TSV, as lists of cells."""
    tsv = path + ".tsv"
    write_tsv(tsv, n, rng)
    lines = open(tsv, encoding="utf-8").read().split("\n")
    return lines[0], [l.split("\t") for l in lines[2:] if l.strip()]


def write_docx(path, n, rng):
    """The same rows as a Word table: the title paragraph before it. Only word/document.xml,
    written directly: python-docx takes minutes for 10,000 rows."""
    import zipfile
    from xml.sax.saxutils import escape
    title, rows = table_rows(path, n, rng)
    def cell(text):
        return f"<w:tc><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:tc>"
    body = [f"<w:p><w:r><w:t>{escape(title)}</w:t></w:r></w:p><w:tbl>"]
    body += ["<w:tr>" + "".join(cell(c) for c in row) + "</w:tr>" for row in rows]
    body.append("</w:tbl>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body>" + "".join(body) + "</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", xml)


def write_html(path, n, rng):
    """The same rows as a web page's table, the title as a heading before it."""
    from html import escape
    title, rows = table_rows(path, n, rng)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"<!DOCTYPE html><html><head><meta charset=utf-8><title>清单</title></head><body><h1>{escape(title)}</h1><table>\n")
        for row in rows:
            f.write("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>\n")
        f.write("</table></body></html>\n")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    work = tempfile.mkdtemp(prefix="dudao-real-")
    try:
        rng = random.Random(20261127)
        tsv = os.path.join(work, "list.tsv")
        write_tsv(tsv, n, rng)
        print(f"the real path, release build: {n:,} rows ({os.path.getsize(tsv) / 1e6:.1f} MB of TSV); median of {RUNS} runs")
        out = os.path.join(work, "big.yaml")
        seconds, mb = median_run([DUDAO, "import", tsv, "-o", out, "--force"])
        line(f"import {n:,} rows", seconds, mb, 2, 200)
        xlsx = os.path.join(work, "list10k.xlsx")
        write_xlsx(xlsx, 10_000, random.Random(20261127))
        seconds, mb = median_run([DUDAO, "import", xlsx, "-o", os.path.join(work, "xlsx.yaml"), "--force"])
        line("import a 10,000-row workbook", seconds, mb, 2, 300)
        for name, write in (("Word table (.docx)", write_docx), ("web-page table", write_html)):
            path = os.path.join(work, "list10k." + ("docx" if "docx" in name else "html"))
            write(path, 10_000, random.Random(20261127))
            seconds, mb = median_run([DUDAO, "import", path, "-o", os.path.join(work, "doc.yaml"), "--force"])
            line(f"import a 10,000-row {name}", seconds, mb, 2, 300)
        big = schedules(work, "big", out)
        print(f"  (the list: {os.path.getsize(out) / 1e6:.1f} MB of YAML)")
        # As deployed: the list was written a while ago and is loaded again and again, so
        # `plan` and `check` find it in the parse cache of the state folder; each is also
        # timed parsing the YAML (a state folder that does not exist: no cache).
        listed = os.path.join(big, os.path.basename(out))
        os.utime(listed, (time.time() - 60, time.time() - 60))
        state, none = os.path.join(work, "state"), os.path.join(work, "no-state")
        os.makedirs(state)
        year = ["--now", "2026-12-01", "--until", "2027-12-01", "--format", "json"]
        for cache, label in ((none, "parsing"), (state, "cached")):
            seconds, mb = median_run([DUDAO, "plan", "--schedules", big, "--state-dir", cache] + year)
            line(f"plan a year, {n:,} items, {label}", seconds, mb, 1.5, 300)
        for cache, label in ((none, "parsing"), (state, "cached")):
            seconds, mb = median_run([DUDAO, "check", "--schedules", big, "--state-dir", cache, "--now", "2026-12-01"])
            line(f"check, {n:,} items, {label}", seconds, mb, 1.5, 300)
        delivery(work)
        rss, anon = idle_rss(os.path.join(ROOT, "Schedules"), os.path.join(work, "idle-bundled"))
        print(f"  {'service idle, the bundled list':<42} {rss:7.1f} MB RSS ({anon:.1f} MB its own)   aim < 30 MB   {'ok' if rss < 30 else 'MISSED'}")
        rss, anon = idle_rss(big, os.path.join(work, "idle-big"))
        print(f"  {f'service idle, {n:,} items':<42} {rss:7.1f} MB RSS ({anon:.1f} MB its own)   aim < 60 MB   {'ok' if rss < 60 else 'MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
