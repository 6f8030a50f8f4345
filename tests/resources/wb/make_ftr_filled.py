#!/usr/bin/python3
"""Writes ftr_filled_openpyxl.xlsx: the real FTR self-assessment with answers on
question rows, saved by openpyxl (which keeps formulas and drops every cached
value, so apnmap must evaluate the hidden Pass/Fail formulas itself).

Run from anywhere: /usr/bin/python3 tests/resources/wb/make_ftr_filled.py
The expected result of every control is written out by hand in
tests/unit/test_wb.c (wb__ftr_filled_openpyxl), derived from the formulas.
"""
import os
import openpyxl

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.join(here, '..', 'real', 'FTR_Self_Assessment.xlsx')
wb = openpyxl.load_workbook(src)
ws = wb['Partner Hosted FTR Requirements']

answers = {
    'C14': 'Yes', 'C15': 'Yes', 'C16': 'Yes',   # HOST-001: all Yes -> Pass
    'C21': 'No', 'E20': 'We use Enterprise On-Ramp support',  # SUP-001: No + response -> Pass
    'C26': 'Yes', 'C27': 'yes',                 # WAFR-001: Yes, yes -> Pass
    'C35': 'No',                                # ARC-001: No; E35 guidance text -> Pass
    'C37': 'No',                                # ARC-004: passes on No
    'C39': 'No',                                # ARC-005: Fail
    'C44': 'NA',                                # ACOM-001: "NA" = "Na" -> Pass
    'C53': 'Yes',                               # IAM-001: Pass
    'C55': 'No', 'C56': 'Yes', 'C57': 'Yes', 'C58': 'Yes',  # IAM-002: second branch -> Pass
    'C64': 'Yes', 'C66': 'Static',              # IAM-005: static credentials -> Fail
    'C74': 'No',                                # IAM-009: passes on No
    'C80': 'N/A', 'C81': 'Yes',                 # IAM-012: Pass
    'C91': 'Yes', 'C92': 'No',                  # NETSEC-001: Fail
    'C127': 'No',                               # CAA-000 gate: every CAA control passes
}
for ref, v in answers.items():
    ws[ref] = v
wb.save(os.path.join(here, 'ftr_filled_openpyxl.xlsx'))
