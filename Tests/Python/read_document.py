"""Reads a Word document Dudao wrote and checks the GB/T 9704 layout:
python3 read_document.py FILE.docx NUMBER PNG

python-docx: A4, margins 37/35/28/26 mm, the styles' fonts and sizes (with their fallback
names in the font table), page numbers "— N —" on odd and even footers, the 文号.
LibreOffice (headless) makes a PDF: pdfinfo says A4; each page holds at most 22 body lines
(pdftotext, the page number left out); pdftoppm renders page 1 to PNG.
Prints JSON with what was found; exits 1 with the first failure."""
import json, os, re, shutil, subprocess, sys, tempfile
import docx
from docx.oxml.ns import qn

path, number, png = sys.argv[1:4]
d = docx.Document(path)
s = d.sections[0]
out = {"page_mm": [round(s.page_width.mm, 1), round(s.page_height.mm, 1)],
       "margins_mm": [round(x.mm, 1) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]}
def fail(msg):
    print(json.dumps({"error": msg, **out}, ensure_ascii=False), file=sys.stderr); sys.exit(1)
if out["page_mm"] != [210.0, 297.0]: fail("not A4")
if any(abs(a - b) > 0.1 for a, b in zip(out["margins_mm"], [37, 35, 28, 26])): fail("margins")
def east_asia(style):
    rf = style.element.rPr.find(qn("w:rFonts"))
    return rf.get(qn("w:eastAsia"))
styles = {}
for sid, font, size in [("Normal", "仿宋_GB2312", 16), ("DocTitle", "方正小标宋简体", 22), ("Heading1", "黑体", 16),
                        ("Heading2", "楷体_GB2312", 16), ("Body", "仿宋_GB2312", 16), ("PageNumber", "宋体", 14)]:
    st = next(x for x in d.styles if x.style_id == sid)
    styles[sid] = [east_asia(st), st.font.size.pt if st.font.size else None]
    if styles[sid] != [font, size]: fail(f"style {sid}: {styles[sid]}")
out["styles"] = styles
table = [p for p in d.part.package.parts if p.partname.endswith("fontTable.xml")][0].blob.decode()
for name, alt in [("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("楷体_GB2312", "楷体")]:
    if f'w:name="{name}"><w:altName w:val="{alt}"/>' not in table: fail(f"no fallback for {name}")
grid = s._sectPr.find(qn("w:docGrid"))
out["line_pitch"] = grid.get(qn("w:linePitch"))
footers = [s.footer, s.even_page_footer]
for f, side in zip(footers, ["right", "left"]):
    xml = f._element.xml
    if "PAGE" not in xml or "— " not in xml or f"w:jc w:val=\"{side}\"" not in xml: fail(f"page number on the {side}")
if not d.settings.odd_and_even_pages_header_footer: fail("odd and even footers not on")
texts = [p.text for p in d.paragraphs]
out["number"] = next((t for t in texts if "〔" in t), None)
if out["number"] != number: fail(f"number {out['number']!r}")
out["title"] = d.core_properties.title

work = tempfile.mkdtemp()
try:
    env = dict(os.environ, HOME=work)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf", "--outdir", work, path],
                   check=True, capture_output=True, timeout=180, env=env)
    pdf = os.path.join(work, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    out["pdf_size"] = re.search(r"Page size:\s*(.*)", info)[1]
    pages = int(re.search(r"Pages:\s*(\d+)", info)[1])
    out["pages"] = pages
    if "(A4)" not in out["pdf_size"]: fail("the PDF is not A4")
    lines = []
    for p in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"], check=True, capture_output=True, text=True).stdout
        body = [l for l in text.splitlines() if l.strip() and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", l)]
        lines.append(len(body))
        if not re.search(rf"—\s*{p}\s*—", text): fail(f"page {p} has no page number")
    out["body_lines"] = lines
    if max(lines) > 22: fail(f"a page holds more than 22 lines: {lines}")
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, png[:-4]], check=True, timeout=60)
    if not os.path.getsize(png): fail("no PNG")
finally:
    shutil.rmtree(work, ignore_errors=True)
print(json.dumps(out, ensure_ascii=False))
