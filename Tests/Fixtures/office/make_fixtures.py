#!/usr/bin/env python3
"""Makes the Office fixtures of the import tests with openpyxl, python-docx and LibreOffice,
as an office would lay the bundled list out in Excel or Word, or publish it as a web page.
Run from the repository root after `swift build`:

    pip install openpyxl python-docx && apt-get install libreoffice-calc libreoffice-writer
    python3 Tests/Fixtures/office/make_fixtures.py

seed.xlsx   the bundled list (from `dudao import … --format json`): a 填表说明 sheet first,
            the title merged across the table, the header, one row per 具体举措 with
            序号/改革事项/主要内容/牵头单位/配合单位/完成时间 merged down over them, rich text in
            a title, a footnote under the table.
seed-two-row-header.xlsx  the same with a two-row header: 责任单位 merged over 牵头单位 |
            配合单位, the other header cells merged down over both rows.
seed.docx   the bundled list in Word (python-docx): 附件1, a contacts table first, the title
            paragraph, then the table with a two-row header (gridSpan, vMerge), items merged
            down over their measure rows, one item's measures as a numbered list of paragraphs
            in one cell, a footnote paragraph after it.
seed-lo.xlsx      seed.xlsx saved again by LibreOffice Calc (its own strings, styles and merges).
seed-lo.docx      seed.docx saved again by LibreOffice Writer (its own way of writing tables).
seed-calc.html    seed.xlsx saved as a web page by LibreOffice Calc (rowspan, colspan, <br>).
seed-writer.html  seed.docx saved as a web page by LibreOffice Writer (title before the table).
dates.xlsx  real Excel dates in the 完成时间 column (a built-in and a Chinese number
            format, a text date beside them), in the 1900 system; dates-1904.xlsx the same
            in the 1904 system.
"""
import json
import os
import subprocess
import sys

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904
import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
HEADER = ["序号", "改革事项", "主要内容", "具体举措", "牵头单位", "配合单位", "完成时间"]


def seed_items():
    out = subprocess.run([os.path.join(ROOT, ".build/debug/dudao"), "import", os.path.join(ROOT, "Tests/Fixtures/000_248a791eb898ee58.txt"),
                          "--format", "json"], check=True, capture_output=True).stdout
    return json.loads(out)


def partners_text(item):
    return "、".join(item["partners"]) + ("等" if item["partners_and_others"] else "")


def seed_two_row_header():
    data = seed_items()
    wb = Workbook()
    sheet = wb.active
    sheet.title = "事项清单"
    sheet["A1"] = data["title"]
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "改革事项", "主要内容", "具体举措", "责任单位", None, "完成时间"])
    sheet.append([None, None, None, None, "牵头单位", "配合单位", None])
    for column in "ABCDG":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("E2:F2")
    for item in data["items"]:
        sheet.append([item["id"], item["title"], item["content"], "\n".join(item["measures"]), "、".join(item["lead"]),
                      partners_text(item), item["due_text"]])
    wb.save(os.path.join(HERE, "seed-two-row-header.xlsx"))


def seed_docx():
    import docx
    data = seed_items()
    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("各单位联系人")
    contacts = document.add_table(rows=2, cols=3)
    for k, text in enumerate(["单位", "联系人", "联系电话"]):
        contacts.cell(0, k).text = text
    for k, text in enumerate(["市政府督查室", "张三", "0371-00000000"]):
        contacts.cell(1, k).text = text
    document.add_paragraph(data["title"])
    rows = 2 + sum(max(1, len(i["measures"])) if i["id"] != "16" else 1 for i in data["items"])
    table = document.add_table(rows=rows, cols=len(HEADER))
    for k, text in enumerate(["序号", "改革事项", "主要内容", "具体举措", "责任单位", "", "完成时间"]):
        table.cell(0, k).text = text
    table.cell(1, 4).text = "牵头单位"
    table.cell(1, 5).text = "配合单位"
    table.cell(0, 4).merge(table.cell(0, 5))
    for k in (0, 1, 2, 3, 6):
        table.cell(0, k).merge(table.cell(1, k))
    row = 2
    for item in data["items"]:
        # Item 16's measures are a numbered list in one cell: Word keeps the numbers outside the text.
        measures = item["measures"] or [""]
        span = 1 if item["id"] == "16" else len(measures)
        if item["id"] == "16":
            cell = table.cell(row, 3)
            cell.text = measures[0]
            cell.paragraphs[0].style = document.styles["List Number"]
            for measure in measures[1:]:
                cell.add_paragraph(measure, style="List Number")
        else:
            for m, measure in enumerate(measures):
                table.cell(row + m, 3).text = measure
        values = (item["id"], item["title"], item["content"], None, "、".join(item["lead"]), partners_text(item), item["due_text"])
        for column, value in enumerate(values):
            if value is None:
                continue
            if span > 1:
                table.cell(row, column).merge(table.cell(row + span - 1, column))
            table.cell(row, column).text = value
        row += span
    document.add_paragraph("注：本清单由市政府督查室汇总。")
    document.save(os.path.join(HERE, "seed.docx"))


def libreoffice(source, target_format, name):
    """Converts `source` with LibreOffice into `name` here."""
    import shutil
    import tempfile
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["soffice", "--headless", "--convert-to", target_format, "--outdir", out, source], check=True, capture_output=True)
        produced = [f for f in os.listdir(out)]
        shutil.move(os.path.join(out, produced[0]), os.path.join(HERE, name))


def seed():
    data = seed_items()
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "填表说明：请各单位按要求填写，完成时间写到月。"
    sheet = wb.create_sheet("事项清单")
    sheet["A1"] = data["title"]
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append([])
    sheet.append(HEADER)
    row = 4
    for k, item in enumerate(data["items"]):
        measures = item["measures"] or [""]
        partners = partners_text(item)
        for m, measure in enumerate(measures):
            sheet.cell(row + m, 4, measure)
        title = item["title"]
        if k == 1 and len(title) > 4:
            # Rich text: the runs join into one title.
            title = CellRichText([TextBlock(InlineFont(b=True), title[:4]), title[4:]])
        for column, value in ((1, item["id"]), (2, title), (3, item["content"]), (5, "、".join(item["lead"])), (6, partners), (7, item["due_text"])):
            sheet.cell(row, column, value)
            if len(measures) > 1:
                sheet.merge_cells(start_row=row, start_column=column, end_row=row + len(measures) - 1, end_column=column)
        row += len(measures)
    sheet.cell(row + 1, 1, "注：本清单由市政府督查室汇总。")
    wb.save(os.path.join(HERE, "seed.xlsx"))


def dates(name, epoch=None):
    wb = Workbook()
    if epoch:
        wb.epoch = epoch
    sheet = wb.active
    sheet.title = "清单"
    sheet.append(["2025年重点任务"])
    sheet.append(HEADER)
    rows = [
        ("1", "任务一", datetime.date(2025, 6, 30), "yyyy-mm-dd"),
        ("2", "任务二", datetime.date(2025, 12, 31), 'yyyy"年"m"月"d"日"'),
        ("3", "任务三", datetime.date(2024, 2, 29), "m/d/yyyy"),
        ("4", "任务四", "2025年9月底前", None),
    ]
    for k, (id, title, due, fmt) in enumerate(rows):
        sheet.append([id, title, "", "", "市财政局", "", due])
        if fmt:
            sheet.cell(k + 3, 7).number_format = fmt
    wb.save(os.path.join(HERE, name))


if __name__ == "__main__":
    seed()
    seed_two_row_header()
    seed_docx()
    libreoffice(os.path.join(HERE, "seed.xlsx"), "xlsx:Calc MS Excel 2007 XML", "seed-lo.xlsx")
    libreoffice(os.path.join(HERE, "seed.docx"), "docx:MS Word 2007 XML", "seed-lo.docx")
    libreoffice(os.path.join(HERE, "seed.xlsx"), "html", "seed-calc.html")
    libreoffice(os.path.join(HERE, "seed.docx"), "html", "seed-writer.html")
    dates("dates.xlsx")
    dates("dates-1904.xlsx", CALENDAR_MAC_1904)
    print("wrote the fixtures in", HERE, file=sys.stderr)
