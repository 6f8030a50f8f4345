#!/bin/sh
# The report over hostile text: (1) a hand-made database whose titles, names,
# validity lines, prerequisite text and diagnostics hold markup, and (2) a
# checklist page whose title, requirement titles and prerequisites hold
# <img src=x onerror=...> and </script><script>..., read by `apnmap build`. None
# of it may survive as markup in index.html or in the SVG charts, and the text
# must still be there, escaped (not dropped).
set -eu
: "${APNMAP:?}" "${RES:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
sh "$RES/report/mkdb.sh" "$t/t.db"
"$APNMAP" report --db "$t/t.db" -o "$t/out"
"$APNMAP" build -o "$t/h.db" "$RES/report/hostile" > "$t/build.out" 2>&1 ||
    { cat "$t/build.out"; echo "report_escape: build of the hostile page failed"; exit 1; }
"$APNMAP" report --db "$t/h.db" -o "$t/page"
cat > "$t/check.py" <<'PY'
import base64, glob, gzip, json, os, sys
from html.parser import HTMLParser
import xml.etree.ElementTree as ET

out, mode = sys.argv[1], sys.argv[2]
html = open(os.path.join(out, "index.html"), encoding="utf-8").read()
fails = []

class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.cur, self.text = [], [], None, []
    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "script":
            self.cur = [dict(attrs), ""]
    def handle_endtag(self, tag):
        if tag == "script" and self.cur is not None:
            self.scripts.append(self.cur); self.cur = None
    def handle_data(self, d):
        if self.cur is not None: self.cur[1] += d
        else: self.text.append(d)

p = P(); p.feed(html); p.close()
# exactly our three scripts: the data block, cytoscape.js, report.js
if len(p.scripts) != 3:
    fails.append("expected 3 <script> elements, found %d" % len(p.scripts))
for tag, attrs in p.tags:
    for k, v in attrs:
        if k.lower().startswith("on"):
            fails.append("event handler attribute %s on <%s>" % (k, tag))
    if tag in ("img", "b", "iframe", "object", "embed"):
        fails.append("unexpected <%s>" % tag)
    if tag in ("link",) or (tag == "script" and dict(attrs).get("src")):
        fails.append("page loads an external resource: <%s %r>" % (tag, attrs))
text = "".join(p.text)

# the data block parses and carries the hostile strings as data
data = [s for a, s in p.scripts if a.get("id") == "apn-data"]
if not data:
    fails.append("no #apn-data block")
else:
    if "<" in data[0]:
        fails.append("raw '<' inside the JSON data block")
    d = json.loads(data[0])
    # (in db mode validity lines and diagnostics hold them: report.js puts the
    # data block's strings into the tables as text; the browser test checks that)
    def strings(v):
        if isinstance(v, str): yield v
        elif isinstance(v, list):
            for x in v: yield from strings(x)
        elif isinstance(v, dict):
            for x in v.values(): yield from strings(x)
    alltext = text + "\n".join(strings(d))
    for needle in ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "=HYPERLINK("] if mode == "db" else []:
        if needle not in alltext:
            fails.append("text missing from the page and its data: %r" % needle)
    names = [c["name"] for c in d["competencies"]]
    if "Evil <img src=x onerror=alert(1)>" not in names:
        fails.append("competency name lost from the data: %r" % names)
    # requirements[off][slug] = [[id, via, customer example, wording index]]
    titles = {}
    for per in d["requirements"].values():
        for rows in per.values():
            for q in rows:
                titles[q[0]] = d["wording"][q[3]]
    if titles.get("EVL-001") != "</script><script>alert(1)</script>":
        fails.append("requirement title lost from the data: %r" % titles.get("EVL-001"))
    if titles.get("EVL-003") != "A <!-- comment --> & an \"ampersand's\" end":
        fails.append("requirement title with a comment opener lost from the data: %r" % titles.get("EVL-003"))
    want = "<b onmouseover" if mode == "db" else "<script>alert(3)</script>"
    # text: an index into prerequisite_texts
    if not any(want in d["prerequisite_texts"][q["text"]] + (q.get("label") or "") for q in d["prerequisites"]):
        fails.append("prerequisite text lost from the data")

# SVG files and the SVGs inlined gzip-compressed (base64 in data-gz; report.js
# inflates them into the page)
svgs = [(f, open(f, "rb").read()) for f in sorted(glob.glob(os.path.join(out, "*.svg")))]
svgs += [("inline %d" % i, gzip.decompress(base64.b64decode(a["data-gz"])))
         for i, (t, a) in enumerate((t, dict(a)) for t, a in p.tags if "data-gz" in dict(a))]
nfiles = len(glob.glob(os.path.join(out, "*.svg")))
if nfiles < (10 if mode == "db" else 5) or len(svgs) != 2 * nfiles:
    fails.append("%d SVG files, %d SVGs in all (each file is also inline)" % (nfiles, len(svgs)))
seen_label = False
for name, raw in svgs:
    root = ET.fromstring(raw)
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        if tag in ("script", "img", "foreignObject", "iframe", "a") :
            fails.append("%s: <%s> element" % (name, tag))
        for k in el.attrib:
            if k.split("}")[-1].lower().startswith("on"):
                fails.append("%s: %s attribute" % (name, k))
        if el.text and "<img src=x onerror=alert(1)>" in el.text:
            seen_label = True
if not seen_label:
    fails.append("the hostile competency name is not shown as text in any SVG")
for png in (["bars-services.png", "overlap-services.png", "hardest-saas.png", "reach.png"] if mode == "db"
            else ["bars-saas.png", "hardest-customer-deployed.png", "reach.png"]):
    b = open(os.path.join(out, png), "rb").read(8)
    if b != b"\x89PNG\r\n\x1a\n":
        fails.append(png + " is not a PNG")
for f in fails:
    print("report_escape (%s):" % mode, f)
sys.exit(1 if fails else 0)
PY
python3 "$t/check.py" "$t/out" db
python3 "$t/check.py" "$t/page" page
