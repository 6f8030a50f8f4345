#!/usr/bin/python3
"""Writes ftr_filled.xlsx: the real partner-hosted FTR self-assessment
(tests/resources/real/FTR_Self_Assessment.xlsx) with answers on question rows,
saved by openpyxl, which keeps formulas but drops their cached values, so the
control rows' Pass/Fail must be evaluated by the reader.
HOST-001.x and IAM-001.x answered Yes (met), IAM-002.x answered No (not met).
usage: /usr/bin/python3 make_ftr_filled.py SRC.xlsx OUT.xlsx"""
import re
import sys

import openpyxl

ANSWERS = {"HOST-001": "Yes", "IAM-001": "Yes", "IAM-002": "No"}

wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Partner Hosted FTR Requirements"]
for row in range(1, ws.max_row + 1):
    cid = ws.cell(row, 1).value
    m = re.match(r"^([A-Z]+-\d+)\.\d+$", str(cid or "").strip())
    if m and m.group(1) in ANSWERS:
        ws.cell(row, 3).value = ANSWERS[m.group(1)]
wb.save(sys.argv[2])
