#!/usr/bin/python3
"""Regenerates the xlsx reader's fixtures in this folder (tests/unit/test_xlsx.c).

usage: /usr/bin/python3 tests/resources/xlsx/make_fixtures.py   (from the repo root)

Writes hand-made parts (*.xml: also the fuzz seeds' originals), small workbooks
wrapping them (hostile ones included), a competency self-assessment written by
openpyxl (inline strings, docs/formats.md §3b), and mutated copies of the real FTR
workbook (truncated; sheets renamed and reordered, absolute targets). Zip
timestamps are fixed so the output is reproducible. The libxlsxwriter fixture
comes from gen_xlsxwriter.c (see make_xlsxwriter.sh); the zip bomb is built at
test time by the unit test (too big to commit).
"""
import io
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
REAL = os.path.join(ROOT, "tests", "resources", "real", "FTR_Self_Assessment.xlsx")
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FIXED = (2024, 1, 1, 0, 0, 0)


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def zwrite(zf, name, data):
    info = zipfile.ZipInfo(name, FIXED)
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def mini(name, sheets, sst=None, absolute=False, states=None):
    """A minimal workbook: sheets = [(name, xml)], in tab order; the sheet
    files are numbered in reverse so tab order must come from the rels."""
    n = len(sheets)
    ct = (DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '</Types>')
    root = (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    wb = DECL + '<workbook %s %s><sheets>' % (NS, RNS)
    rels = DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    for i, (sname, _) in enumerate(sheets):
        state = ' state="%s"' % states[i] if states and states[i] else ""
        wb += '<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>' % (sname, i + 1, state, i + 1)
        target = ("/xl/" if absolute else "") + "worksheets/sheet%d.xml" % (n - i)
        rels += ('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="%s"/>'
                 % (i + 1, target))
    if sst is not None:
        rels += ('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 % (n + 1))
    wb += '</sheets></workbook>'
    rels += '</Relationships>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zwrite(zf, "[Content_Types].xml", ct)
        zwrite(zf, "_rels/.rels", root)
        zwrite(zf, "xl/workbook.xml", wb)
        zwrite(zf, "xl/_rels/workbook.xml.rels", rels)
        for i, (_, xml) in enumerate(sheets):
            zwrite(zf, "xl/worksheets/sheet%d.xml" % (n - i), xml)
        if sst is not None:
            zwrite(zf, "xl/sharedStrings.xml", sst)
    write(name, buf.getvalue())


def sheet(rows, extra_before="", extra_after=""):
    return DECL + '<worksheet %s>%s<sheetData>%s</sheetData>%s</worksheet>' % (
        NS, extra_before, rows, extra_after)


# ---- hand-made parts -------------------------------------------------------
SHARED = sheet(
    '<row r="6"><c r="A6" t="inlineStr"><is><t>ID</t></is></c><c r="C6" t="inlineStr"><is><t>Met?</t></is></c></row>'
    '<row r="7"><c r="C7" t="inlineStr"><is><t>Yes</t></is></c>'
    '<c r="D7" t="str"><f t="shared" ref="D7:D9" si="0">IF(C7="Yes","Pass","Fail")</f><v>Pass</v></c></row>'
    '<row r="8"><c r="C8" t="inlineStr"><is><t>No</t></is></c>'
    '<c r="D8" t="str"><f t="shared" si="0"/><v>Fail</v></c></row>'
    '<row r="9"><c r="D9" t="str"><f t="shared" si="0"/><v>Fail</v></c></row>'
    '<row r="10"><c r="B10"><v>2</v></c><c r="E10"><f t="shared" ref="E10:G10" si="1">$B$10*B10</f><v>4</v></c>'
    '<c r="F10"><f t="shared" si="1"/><v>0</v></c><c r="G10"><f t="shared" si="1"/></c></row>')
write("sheet_shared_formula.xml", SHARED)

SST = (DECL + '<sst %s count="7" uniqueCount="7">' % NS +
       '<si><t>plain</t></si>'
       '<si><r><rPr><b/><sz val="11"/></rPr><t>Rich </t></r><r><rPr><i/></rPr><t xml:space="preserve">text </t></r><r><t>runs</t></r></si>'
       '<si><t>\u6f22\u5b57</t><rPh sb="0" eb="2"><t>\u304b\u3093\u3058</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>'
       '<si><t xml:space="preserve">  padded  </t></si>'
       '<si><t/></si>'
       '<si><t>a &amp; b &lt;c&gt; &#x41;</t></si>'
       '<si><r><t>line1\nline2</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>'
       '</sst>')
write("sst_rich_phonetic.xml", SST)

RICH_SHEET = sheet(''.join('<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i + 1, i + 1, i)
                           for i in range(7)) +
                   '<row r="8"><c r="A8" t="s"><v>99</v></c><c r="B8" t="s"><v>1</v></c></row>')

NOREFS = sheet(
    '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
    '<row r="5"><c r="C5"><v>2.5</v></c><c><v>3</v></c></row>'
    '<row><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c>'
    '<c r="D6" t="inlineStr"></c><c r="E6" t="inlineStr"/><c r="F6" s="3"/>'
    '<c r="G6" t="str"><f>A6&amp;"x"</f><v>TRUEx</v></c><c r="H6"><f>1+1</f><v></v></c></row>'
    '<row r="7"/>'
    '<row><c t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>'
    '<row r="10"><c r="C10"><v>1</v></c><c r="A10"><v>2</v></c><c r="C10"><v>3</v></c></row>'
    '<row><c r="B12"><v>12</v></c></row><row><c><v>13</v></c></row>',
    extra_before='<cols><col min="2" max="3" width="9" hidden="1"/><col min="5" max="5" hidden="0"/></cols>',
    extra_after='<mergeCells count="2"><mergeCell ref="A1:B2"/><mergeCell ref="C5:E5"/></mergeCells>')
write("sheet_no_refs.xml", NOREFS)

XXE = (DECL + '<!DOCTYPE worksheet [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
       '<!ENTITY %% pe SYSTEM "file:///etc/passwd">\n%%pe;\n'
       '<!ENTITY host SYSTEM "/etc/hostname">\n]>\n'
       '<worksheet %s><sheetData>' % NS +
       '<row r="1"><c r="A1" t="inlineStr"><is><t>before&xxe;after</t></is></c>'
       '<c r="B1" t="str"><v>&xxe;</v></c><c r="C1"><v>7</v></c>'
       '<c r="D1" t="inlineStr"><is><t>&host;</t></is></c></row>'
       '</sheetData></worksheet>')
write("sheet_xxe.xml", XXE)

LAUGHS = DECL + '<!DOCTYPE worksheet [\n<!ENTITY lol "lol">\n'
for i in range(1, 10):
    prev = "lol" if i == 1 else "lol%d" % (i - 1)
    LAUGHS += '<!ENTITY lol%d "%s">\n' % (i, ("&%s;" % prev) * 10)
LAUGHS += (']>\n<worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
           '<c r="B1"><v>1</v></c></row></sheetData></worksheet>' % NS)
write("sheet_laughs.xml", LAUGHS)

BROKEN = DECL + '<worksheet %s><sheetData>\n<row r="1"><c r="A1"><v>1</v></c></row>\n<row r="2"><c r="A2"><v>2</v></row>\n</sheetData></worksheet>' % NS
write("sheet_broken.xml", BROKEN)

mini("features.xlsx", [("Shared", SHARED), ("No refs", NOREFS), ("Rich", RICH_SHEET),
                        ("Secret", sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))],
     sst=SST, absolute=True, states=[None, None, None, "veryHidden"])
mini("limits.xlsx", [("Limits", sheet(
    '<row r="1048576"><c r="XFD1048576"><v>1</v></c><c r="XFE1048576"><v>2</v></c></row>'
    '<row r="1048577"><c r="A1048577"><v>3</v></c></row>'
    '<row r="2000000000000"><c r="A1"><v>4</v></c></row>',
    extra_before='<cols><col min="16384" max="99999" hidden="1"/></cols>'))])
mini("hostile_xxe.xlsx", [("XXE", XXE)])
mini("hostile_laughs.xlsx", [("Laughs", LAUGHS)])
mini("broken_xml.xlsx", [("Good", sheet('<row r="1"><c r="A1"><v>1</v></c></row>')), ("Bad", BROKEN)])
# The workbook part where _rels/.rels says, not at xl/workbook.xml; targets
# with "..", "./" and percent-encoding, sheet files out of tab order.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as zf:
    zwrite(zf, "_rels/.rels", DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/book/main.xml"/>'
           '</Relationships>')
    zwrite(zf, "book/main.xml", DECL + '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" %s><x:sheets>'
           '<x:sheet name="First" sheetId="7" r:id="a"/><x:sheet name="Second" sheetId="3" r:id="b"/>'
           '<x:sheet name="Chart" sheetId="4" r:id="c"/></x:sheets></x:workbook>' % RNS)
    zwrite(zf, "book/_rels/main.xml.rels", DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../parts/./sheet%201.xml"/>'
           '<Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../parts/sheet2.xml"/>'
           '<Relationship Id="s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>'
           '<Relationship Id="h" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.com/" TargetMode="External"/>'
           '</Relationships>')
    zwrite(zf, "parts/sheet2.xml", sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))
    zwrite(zf, "parts/sheet 1.xml", sheet('<row r="2"><c r="B2" t="s"><v>1</v></c></row>'))
    zwrite(zf, "book/strings.xml", DECL + '<sst %s><si><t>first</t></si><si><t>second</t></si></sst>' % NS)
write("moved_workbook.xlsx", buf.getvalue())
write("not_a_zip.xlsx", "ID,Requirement Description,Met?\nIAM-001,Not a workbook at all,Yes\n")

# ---- openpyxl: a competency self-assessment (docs/formats.md §3b), inline strings ----
import openpyxl  # noqa: E402  (Debian's python3-openpyxl)

wb = openpyxl.Workbook()
intro = wb.active
intro.title = "Introduction"
intro["A1"] = "AWS Widgets Competency Service Offering Validation Checklist"
intro["A10"] = "Version"
intro["B10"] = "2026.1"
prac = wb.create_sheet("Widgets Practice Reqs")
prac["A1"] = "Widgets Practice Requirements"
prac.merge_cells("A1:D1")
for col, text in zip("ABCD", ["ID", "Requirement Description", "Met?", "Partner Response"]):
    prac[col + "2"] = text
prac["A4"] = "Widgets Practice Overview"
prac["A5"] = "WID-001"
prac["B5"] = "Widget expertise.\n \nDescribe your widget practice."
prac["C5"] = "Yes"
prac["D5"] = "We build widgets since 2019 & more <tags>"
prac["A6"] = "WID-002"
prac["B6"] = "Widget  spacing "
prac["C6"] = "No"
prac["E6"] = '=IF(C6="Yes","Pass","Fail")'
prac["F6"] = 42
prac["G6"] = True
prac.column_dimensions["E"].hidden = True
common = wb.create_sheet("Common Practice Requirements")
for col, text in zip("ABCD", ["ID", "Requirement Description", "Met?", "Partner Response"]):
    common[col + "2"] = text
common["A5"] = "POV-001"
common["B5"] = "Practice overview"
cust = wb.create_sheet("Widgets Cust Example Reqs")
for col, text in zip("ABCEGI", ["ID", "Requirement Description", "Customer Reference #1", "",
                                 "Customer Reference #2", "Customer Reference #3"]):
    if text:
        cust[col + "2"] = text
for col, text in zip("CDEF", ["Met?", "Partner Response", "Met?", "Partner Response"]):
    cust[col + "3"] = text
cust["A4"] = "USE-CASE"
cust["A5"] = "WIDCE-001"
cust["C5"] = "Yes"
cust["E5"] = "No"
ccust = wb.create_sheet("Common Cust Example Reqs")
ccust["A2"] = "ID"
ccust["A5"] = "ACCT-001"
ccust.sheet_state = "hidden"
raw = io.BytesIO()
wb.save(raw)
# Re-zip with fixed timestamps (openpyxl stamps the current time in docProps too).
out = io.BytesIO()
with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, zipfile.ZipFile(out, "w") as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "docProps/core.xml":
            data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", data)
        zwrite(zout, info.filename, data)
write("openpyxl_competency.xlsx", out.getvalue())

# ---- mutated copies of the real FTR workbook --------------------------------
real = open(REAL, "rb").read()
write("ftr_truncated.xlsx", real[: len(real) * 2 // 3])
out = io.BytesIO()
with zipfile.ZipFile(REAL) as zin, zipfile.ZipFile(out, "w") as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "xl/workbook.xml":
            text = data.decode("utf-8")
            sheets = re.search(r"<sheets>(.*?)</sheets>", text).group(1)
            items = re.findall(r"<sheet [^>]*/>", sheets)
            items = [items[3], items[1], items[0], items[4], items[2]]
            items[2] = items[2].replace('name="Introduction"', 'name="Intro &amp; Read Me"')
            items[3] = items[3].replace('r:id="rId5"', 'state="hidden" r:id="rId5"')
            text = text.replace(sheets, "".join(items))
            data = text.encode("utf-8")
        elif info.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(b'Target="worksheets/', b'Target="/xl/worksheets/')
        elif info.filename == "_rels/.rels":
            continue   # the workbook is found by its conventional name
        zwrite(zout, info.filename, data)
write("ftr_reordered.xlsx", out.getvalue())
print("fixtures written to", HERE)
