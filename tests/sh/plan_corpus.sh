#!/bin/sh
# plan over the bundled corpus against an independent oracle (python, reading the
# database directly): for every offering and K <= 3, --best K must be marked
# optimal and equal the enumerated optimum, ties resolved to the smallest list of
# slugs; --next must rank every competency by its size; --order of 6 targets must
# equal the best of all 720 orders. By default the candidates are the complete
# checklists only (the oracle reads offering_checklist.partial); with
# --include-partial every checklist of the offering.
set -u
py=/usr/bin/python3
[ -x "$py" ] || { echo "skipped: /usr/bin/python3 is not installed"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$APNMAP" build -o "$t/c.db" "$ROOT/data/corpus" > /dev/null 2>&1 || { echo "build of data/corpus failed"; exit 1; }
for p in complete all; do
    flag=; [ "$p" = all ] && flag=--include-partial
    for o in services saas customer-deployed; do
        for k in 1 2 3; do
            "$APNMAP" plan --db "$t/c.db" --format csv --offering "$o" --best "$k" $flag > "$t/best-$p-$o-$k.csv" 2> /dev/null ||
                { echo "plan --best $k --offering $o $flag failed"; exit 1; }
        done
        "$APNMAP" plan --db "$t/c.db" --format csv --offering "$o" --next 100 $flag > "$t/next-$p-$o.csv" 2> /dev/null ||
            { echo "plan --next --offering $o $flag failed"; exit 1; }
    done
done
"$APNMAP" plan --db "$t/c.db" --format csv --order security,networking,migration-and-modernization,devops,healthcare,energy \
    > "$t/order.csv" 2> /dev/null || { echo "plan --order failed"; exit 1; }
"$py" - "$t" <<'PY'
import csv, itertools, sqlite3, sys
t = sys.argv[1]
db = sqlite3.connect(f"{t}/c.db")
bad = 0
def sets(o, partial=True):
    s = {}
    for slug, part in db.execute("SELECT c.slug, oc.partial FROM offering_checklist oc JOIN competency c ON c.id = oc.competency_id WHERE oc.offering = ?", (o,)):
        if partial or not part:
            s[slug] = set()
    for slug, rid in db.execute("SELECT c.slug, o.requirement_id FROM offering_requirement o JOIN competency c ON c.id = o.competency_id WHERE o.offering = ?", (o,)):
        if slug in s:
            s[slug].add(rid)
    return s
def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))
for p, o in itertools.product(("complete", "all"), ("services", "saas", "customer-deployed")):
    s = sets(o, p == "all")
    slugs = sorted(s, key=lambda x: x.encode())
    for k in (1, 2, 3):
        best = min(itertools.combinations(slugs, k), key=lambda c: (len(set().union(*(s[x] for x in c))), [x.encode() for x in c]))
        want = (";".join(best), len(set().union(*(s[x] for x in best))))
        r = rows(f"{t}/best-{p}-{o}-{k}.csv")
        got = (r[0]["competencies"], int(r[0]["new"])) if len(r) == 1 else None
        if got != want or r[0]["optimal"] != "true":
            print(f"--best {k} --offering {o} ({p}): got {r}, want {want} optimal")
            bad += 1
    r = rows(f"{t}/next-{p}-{o}.csv")
    want = sorted(((len(s[x]), x.encode()) for x in slugs))
    got = [(int(x["new"]), x["competency"].encode()) for x in r]
    if got != want:
        print(f"--next --offering {o} ({p}): got {got[:5]}..., want {want[:5]}...")
        bad += 1
s = sets("services")
targets = ["security", "networking", "migration-and-modernization", "devops", "healthcare", "energy"]
def total(p):
    u, tot = set(), 0
    for x in p:
        u |= s[x]
        tot += len(u)
    return tot
best = min(itertools.permutations(sorted(targets, key=lambda x: x.encode())), key=lambda p: (total(p), [x.encode() for x in p]))
r = rows(f"{t}/order.csv")
got = [x["competency"] for x in r]
if got != list(best) or sum(int(x["cumulative"]) for x in r) != total(best) or any(x["optimal"] != "true" for x in r):
    print(f"--order: got {got}, want {list(best)} (sum {total(best)})")
    bad += 1
sys.exit(1 if bad else 0)
PY
