#!/usr/bin/python3
"""Writes two filled competency self-assessments with the same content, in the
layout of docs/formats.md §3b (Introduction, practice sheets with the header on row 2,
customer-example sheets with Customer Reference #n / Met? + Partner Response
pairs, the common one with an Example Response column):

  competency_openpyxl.xlsx  written by openpyxl
  competency_rawxml.xlsx    SpreadsheetML written by hand here: inline strings
                            and a shared-string table with rich-text runs, sheet
                            files out of tab order, absolute relationship targets

Run: /usr/bin/python3 tests/resources/wb/make_competency.py
The expected answers are spelled out in tests/unit/test_wb.c (wb__competency_*).
"""
import os
import zipfile
from xml.sax.saxutils import escape

import openpyxl

here = os.path.dirname(os.path.abspath(__file__))

INTRO = [
    ('A1', 'AWS Widgets Competency Service Offering Validation Checklist\n'
           'Validity Period: February 2026-August 2026\n'
           'This checklist is used by AWS to validate partners.'),
    ('A10', 'Version'), ('B10', 2026.1),
]
HDR = [('A2', 'ID'), ('B2', 'Requirement Description'), ('C2', 'Met?'), ('D2', 'Partner Response')]
PRACTICE = [('A1', 'Widgets Practice Requirements')] + HDR + [
    ('A4', 'Widgets Practice Overview'),
    ('A5', 'WIDP-001'), ('B5', 'WIDP-001: Widget practice overview.\nDescribe your practice.'),
    ('C5', 'Yes'), ('D5', 'https://example.com/widgets'),
    ('A6', 'WIDP-002'), ('B6', 'WIDP-002 - Widget tooling\nList your tools.'), ('C6', 'No'),
    ('A7', 'WIDP-003'), ('B7', 'Widget delivery methodology.\nExplain.'), ('C7', 'Select'),
    ('A8', 'Widget Delivery'),
    ('A9', 'WIDP-004'), ('B9', 'Widget staffing.'), ('C9', 'N/A'),
    ('A10', 'WIDP-005'), ('B10', 'Widget training.'), ('C10', 'Not Applicable'),
    ('A11', 'WIDP-006'), ('B11', 'Widget security.'), ('D11', 'planned for Q3'),
]
COMMON_PRACTICE = [('A1', 'Common Practice Requirements')] + HDR + [
    ('A4', 'Practice Overview'),
    ('A5', 'POV-001'), ('B5', 'Widgets practice overview.'), ('C5', 'Yes'),
    ('A6', 'PRJ-001'), ('B6', 'Project delivery.'), ('C6', '<select>'),
    ('A7', 'Customer Satisfaction'),
    ('A8', 'CSN-001'), ('B8', 'Customer satisfaction.'), ('C8', 'yes'),
]
CUST = [('A1', 'Widgets Customer Example Requirements'),
        ('A2', 'ID'), ('B2', 'Requirement Description'), ('C2', 'Customer Reference #1'),
        ('E2', 'Customer Reference #2'), ('G2', 'Customer Reference #3'),
        ('I2', 'Customer Reference #4'),
        ('C3', 'Met?'), ('D3', 'Partner Response'), ('E3', 'Met?'), ('F3', 'Partner Response'),
        ('G3', 'Met?'), ('H3', 'Partner Response'), ('I3', 'Met?'), ('J3', 'Partner Response'),
        ('A4', 'USE-CASE'), ('B4', 'Use Case Relevance'),
        ('A5', 'WIDC-001'), ('B5', 'Widget deployment.'), ('C5', 'Yes'), ('D5', 'ref A'),
        ('E5', 'Yes'),
        ('A6', 'WIDC-002'), ('B6', 'Widget migration.'), ('C6', 'Yes'), ('E6', 'No'),
        ('G6', 'Yes'),
        ('A7', 'WIDC-003'), ('B7', 'Widget operations.'), ('C7', 'Select'), ('E7', 'Select'),
        ('A8', 'WIDC-004'), ('B8', 'Widget compliance.'), ('C8', 'NA'), ('E8', 'N/A'),
        ('F8', 'no regulated data'),
        ]
COMMON_CUST = [('A1', 'Common Customer Example Requirements'),
               ('A2', 'ID'), ('B2', 'Requirement Description'), ('C2', 'Example Response'),
               ('D2', 'Customer Reference #1'), ('F2', 'Customer Reference #2'),
               ('D3', 'Met?'), ('E3', 'Partner Response'), ('F3', 'Met?'),
               ('G3', 'Partner Response'),
               ('A4', 'Documentation'),
               ('A5', 'ACCT-001'), ('B5', 'Account management.'), ('C5', 'Yes'), ('D5', 'No'),
               ('F5', 'Yes'),
               ('A6', 'OPE-001'), ('B6', 'Operations.'), ('D6', 'Yes'), ('E6', 'ops ref'),
               ('F6', 'Select'),
               ('A7', 'DOC-001-SERVICE'), ('B7', 'Documentation.'), ('F7', 'Yes'),
               ]
SHEETS = [('Introduction', INTRO), ('Widgets Practice Reqs', PRACTICE),
          ('Common Practice Requirements', COMMON_PRACTICE),
          ('Widgets Cust Example Reqs', CUST), ('Common Cust Example Reqs', COMMON_CUST)]


def with_openpyxl(path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, cells in SHEETS:
        ws = wb.create_sheet(name)
        for ref, v in cells:
            ws[ref] = v
    wb.save(path)


def split(ref):
    i = 0
    while ref[i].isalpha():
        i += 1
    return ref[:i], int(ref[i:])


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def with_raw_xml(path):
    sst = []  # shared strings (used by the practice sheets), one rich-text entry

    def cell_xml(ref, v, shared):
        if isinstance(v, (int, float)):
            return '<c r="%s"><v>%s</v></c>' % (ref, v)
        if shared:
            sst.append(v)
            return '<c r="%s" t="s"><v>%d</v></c>' % (ref, len(sst) - 1)
        return '<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
            ref, escape(v))

    files = {}
    n = len(SHEETS)
    for i, (name, cells) in enumerate(SHEETS):
        shared = 'Practice' in name
        rows = {}
        for ref, v in cells:
            letters, r = split(ref)
            rows.setdefault(r, []).append((col_index(letters), ref, v))
        body = ''.join('<row r="%d">%s</row>' % (r, ''.join(
            cell_xml(ref, v, shared) for _, ref, v in sorted(rows[r]))) for r in sorted(rows))
        # sheet files in reverse tab order: sheet5.xml is the first tab
        files['xl/worksheets/sheet%d.xml' % (n - i)] = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData>%s</sheetData></worksheet>' % body)
    sis = []
    for s in sst:
        if s.startswith('WIDP-001: '):
            # a rich-text run split inside the text
            sis.append('<si><r><t xml:space="preserve">WIDP-001: </t></r><r><rPr><b/></rPr>'
                       '<t xml:space="preserve">%s</t></r></si>' % escape(s[len('WIDP-001: '):]))
        else:
            sis.append('<si><t xml:space="preserve">%s</t></si>' % escape(s))
    files['xl/sharedStrings.xml'] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
        'uniqueCount="%d">%s</sst>' % (len(sis), len(sis), ''.join(sis)))
    ns_r = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    sheets = ''.join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(name), i + 1, i + 1)
                     for i, (name, _) in enumerate(SHEETS))
    files['xl/workbook.xml'] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="%s"><sheets>%s</sheets></workbook>' % (ns_r, sheets))
    rels = ''.join('<Relationship Id="rId%d" Type="%s/worksheet" Target="/xl/worksheets/sheet%d.xml"/>'
                   % (i + 1, ns_r, n - i) for i in range(n))
    rels += ('<Relationship Id="rId%d" Type="%s/sharedStrings" Target="/xl/sharedStrings.xml"/>'
             % (n + 1, ns_r))
    files['xl/_rels/workbook.xml.rels'] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '%s</Relationships>' % rels)
    ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml'
    overrides = ''.join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="%s.worksheet+xml"/>'
                        % (i + 1, ct) for i in range(n))
    files['[Content_Types].xml'] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="%s.sheet.main+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="%s.sharedStrings+xml"/>%s</Types>'
        % (ct, ct, overrides))
    files['_rels/.rels'] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>' % ns_r)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])


with_openpyxl(os.path.join(here, 'competency_openpyxl.xlsx'))
with_raw_xml(os.path.join(here, 'competency_rawxml.xlsx'))
