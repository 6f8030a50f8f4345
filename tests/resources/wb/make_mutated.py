#!/usr/bin/python3
"""Writes ftr_mutated.xlsx: the real FTR self-assessment hand-mutated the way
partners' copies drift — a row inserted above the controls, the ID and
Requirement Description columns swapped, the headers respelled ("Requirement",
"Met ?"). Saved by openpyxl (no cached values). The workbook stays blank, so no
answer is expected; the requirement set must not change.

Run from anywhere: /usr/bin/python3 tests/resources/wb/make_mutated.py
"""
import os
import openpyxl

here = os.path.dirname(os.path.abspath(__file__))
wb = openpyxl.load_workbook(os.path.join(here, '..', 'real', 'FTR_Self_Assessment.xlsx'))
ws = wb['Partner Hosted FTR Requirements']
for rng in list(ws.merged_cells.ranges):   # merged banners would pin columns A and B
    ws.unmerge_cells(str(rng))
for row in range(1, ws.max_row + 1):
    a, b = ws.cell(row, 1), ws.cell(row, 2)
    a.value, b.value = b.value, a.value
ws['A5'] = 'Requirement'
ws['C5'] = 'Met ?'
ws.insert_rows(6)
ws['B6'] = 'Partner note: answer every question below'
import datetime
wb.properties.created = wb.properties.modified = datetime.datetime(2026, 1, 1)
wb.save(os.path.join(here, 'ftr_mutated.xlsx'))
