"""Hostile list uploads against the console, while the server's memory is sampled: a zip
bomb, an XML entity bomb, a 200,001-row sheet, a part that is not UTF-8 and a 150 MB
upload, each sent as a clerk through /lists/upload. Prints {"uploads": {NAME: {"status",
"error", "seconds"}}, "peak_mb": M} (M: the most resident memory the server had, VmHWM).

hostile_lists.py BASE_URL NAME PASSWORD PID WORK_DIR
"""
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
                 'ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="事项清单" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>')
HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = '</sheetData></worksheet>'
COLUMNS = ["序号", "改革事项", "主要内容", "具体举措", "牵头单位", "配合单位", "完成时间"]


def cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(n, values):
    return f'<row r="{n}">' + "".join(cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(values)) + "</row>"


def workbook(path, write_sheet):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            write_sheet(f)


def make(work):
    files = {}

    def bomb(f):   # 1 GB of blanks between the tags: deflates about a thousandfold
        f.write(HEAD.encode())
        block = b" " * (1 << 20)
        for _ in range(1024):
            f.write(block)
        f.write(TAIL.encode())
    files["zip_bomb"] = os.path.join(work, "bomb.xlsx")
    workbook(files["zip_bomb"], bomb)

    def entities(f):
        dtd = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "' + ("&" + chr(97 + i) + ";") * 10 + '">' for i in range(9)) + "]>"
        f.write(('<?xml version="1.0" encoding="UTF-8"?>' + dtd + HEAD[HEAD.index("<worksheet"):] + row(1, COLUMNS)
                 + row(2, ["1", "&j;", "", "", "市卫健委", "", "2025年12月"]) + TAIL).encode())
    files["entity_bomb"] = os.path.join(work, "entities.xlsx")
    workbook(files["entity_bomb"], entities)

    def rows(f):
        f.write((HEAD + row(1, COLUMNS)).encode())
        for n in range(2, 200_003):
            f.write(row(n, [str(n - 1), f"事项{n * 7919 % 1000003}", "", "", "市卫健委", "", "2025年12月"]).encode())
        f.write(TAIL.encode())
    files["rows_200001"] = os.path.join(work, "rows.xlsx")
    workbook(files["rows_200001"], rows)

    def latin(f):
        f.write(HEAD.encode() + row(1, COLUMNS).encode() + row(2, ["1", "x", "", "", "y", "", "z"]).encode().replace(b"x", b"\xe9\xff")
                + TAIL.encode())
    files["not_utf8"] = os.path.join(work, "latin.xlsx")
    workbook(files["not_utf8"], latin)

    files["upload_150mb"] = os.path.join(work, "big.xlsx")
    with open(files["upload_150mb"], "wb") as f:
        f.truncate(150 << 20)
    return files


def hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0


def main():
    base, name, password, pid, work = sys.argv[1:6]
    files = make(work)
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def fetch(path, data=None, headers=None):
        req = urllib.request.Request(base + path, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
        try:
            with opener.open(req, timeout=120) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")
        except (ConnectionError, urllib.error.URLError) as e:
            return 0, str(e)

    def csrf(page):
        m = re.search(r'name="csrf" value="([^"]*)"', page)
        return m.group(1) if m else ""

    _, page = fetch("/login")
    fetch("/login", urllib.parse.urlencode({"csrf": csrf(page), "name": name, "password": password}).encode(),
          {"Content-Type": "application/x-www-form-urlencoded"})
    out = {}
    for label, path in files.items():
        _, page = fetch("/lists")
        token = csrf(page)
        boundary = uuid.uuid4().hex
        with open(path, "rb") as f:
            data = f.read()
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nL1\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{os.path.basename(path)}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        del data
        start = time.time()
        status, text = fetch("/lists/upload?csrf=" + urllib.parse.quote(token), body,
                             {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        del body
        found = re.findall(r'<p class="error-box" id="error">(.*?)</p>|<td>(.*?)</td>', text)
        error = " | ".join(a or b for a, b in found if a or b) or text[:200]
        out[label] = {"status": status, "error": error, "seconds": round(time.time() - start, 2)}
    print(json.dumps({"uploads": out, "peak_mb": round(hwm_mb(int(pid)), 1)}, ensure_ascii=False))


main()
