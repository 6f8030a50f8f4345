#!/usr/bin/python3
"""Writes two zip-bomb workbooks into OUTDIR, each with one sheet inflating to
about 1.5 GB of "<row/>": bomb.xlsx declares the real size in its zip headers,
liar.xlsx declares 2000 bytes, so a reader must stop on the bytes it actually
inflates.

usage: make_bomb.py OUTDIR
The compressed stream repeats one full-flushed deflate chunk, so writing it
takes well under a second and the file is about 1.5 MB.
"""
import struct
import sys
import zlib

outdir = sys.argv[1]
chunk = b"<row/>" * 174763                      # ~1 MiB
head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
tail = b"</sheetData></worksheet>"
repeats = 1430                                  # ~1.5e9 bytes
c = zlib.compressobj(9, zlib.DEFLATED, -15)
parts = [c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)]
body = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)   # same bytes for every repeat
parts.append(body * repeats)
parts.append(c.compress(tail) + c.flush(zlib.Z_FINISH))
data = b"".join(parts)
size = len(head) + len(chunk) * repeats + len(tail)
crc = zlib.crc32(head)
for _ in range(repeats):
    crc = zlib.crc32(chunk, crc)
crc = zlib.crc32(tail, crc)

WB = (b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      b'<sheets><sheet name="Bomb" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def write(out, lie):
    members = [(b"xl/workbook.xml", WB, 0, len(WB), zlib.crc32(WB)),
               (b"xl/_rels/workbook.xml.rels", RELS, 0, len(RELS), zlib.crc32(RELS)),
               (b"xl/worksheets/sheet1.xml", data, 8, 2000 if lie else size, crc)]
    blob, central = b"", b""
    for name, payload, method, usize, mcrc in members:
        off = len(blob)
        blob += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, mcrc,
                            len(payload), usize, len(name), 0) + name + payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21,
                               mcrc, len(payload), usize, len(name), 0, 0, 0, 0, 0, off) + name
    blob += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                  len(central), len(blob), 0)
    with open(out, "wb") as f:
        f.write(blob)
    print("%s: %d bytes, sheet inflates to %d bytes%s" % (out, len(blob), size,
                                                          " (declared 2000)" if lie else ""))


write(outdir + "/bomb.xlsx", False)
write(outdir + "/liar.xlsx", True)
