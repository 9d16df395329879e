#!/usr/bin/env python3
"""Makes the Office fixtures of the import tests with openpyxl, as an office would lay the
bundled list out in Excel. Run from the repository root after `swift build`:

    pip install openpyxl && python3 Tests/Fixtures/office/make_fixtures.py

seed.xlsx   the bundled list (from `dudao import … --format json`): a 填表说明 sheet first,
            the title merged across the table, the header, one row per 具体举措 with
            序号/改革事项/主要内容/牵头单位/配合单位/完成时间 merged down over them, rich text in
            a title, a footnote under the table.
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


def seed():
    out = subprocess.run([os.path.join(ROOT, ".build/debug/dudao"), "import", os.path.join(ROOT, "Tests/Fixtures/000_248a791eb898ee58.txt"),
                          "--format", "json"], check=True, capture_output=True).stdout
    data = json.loads(out)
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
        partners = "、".join(item["partners"]) + ("等" if item["partners_and_others"] else "")
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
    dates("dates.xlsx")
    dates("dates-1904.xlsx", CALENDAR_MAC_1904)
    print("wrote seed.xlsx, dates.xlsx, dates-1904.xlsx in", HERE, file=sys.stderr)
