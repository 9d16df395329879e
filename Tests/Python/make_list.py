"""Writes a matters list as an office would publish it in Excel (openpyxl): the title merged
across the table, the header row, one row per item.

make_list.py OUT.xlsx TITLE ROWS_JSON
  ROWS_JSON: [[序号, 改革事项, 主要内容, 具体举措, 牵头单位, 配合单位, 完成时间], ...]
"""
import json
import sys

from openpyxl import Workbook

out, title, rows = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wb = Workbook()
sheet = wb.active
sheet.title = "事项清单"
sheet["A1"] = title
sheet.merge_cells("A1:G1")
sheet.append(["序号", "改革事项", "主要内容", "具体举措", "牵头单位", "配合单位", "完成时间"])
for row in rows:
    sheet.append(row)
wb.save(out)
