"""Reads a 台账 workbook back with openpyxl, as the office's Excel would, and prints JSON:
each sheet's title, header (with whether it is bold), frozen cell, filter, column widths,
and rows; dates come back as {"date": ISO} only when the cell is a real Excel date.

read_ledger.py FILE.xlsx
"""
import datetime
import json
import sys

from openpyxl import load_workbook


def value(cell):
    v = cell.value
    if isinstance(v, datetime.datetime):
        return {"date": v.isoformat(), "format": cell.number_format}
    return v


wb = load_workbook(sys.argv[1])
sheets = []
for ws in wb.worksheets:
    header = [c.value for c in ws[1]]
    sheets.append({
        "title": ws.title,
        "header": header,
        "bold": all(c.font.b for c in ws[1]),
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "widths": [ws.column_dimensions[chr(65 + i)].width for i in range(len(header))],
        "rows": [[value(c) for c in row] for row in ws.iter_rows(min_row=2)],
    })
print(json.dumps({"sheets": sheets}, ensure_ascii=False))
