#!/bin/sh
# The bundled corpus, built with apnmap, has the shape issue 3 expects:
#  * at least 30 competencies, and every checklist of data/sources reaches the database;
#  * the three offerings populated: saas and customer-deployed for every software
#    checklist, services for every services checklist;
#  * every services offering draws from ACCT OPE NETSEC REL DOC COST POV PRJ CSN, and none
#    from IAM (the recovered common sections carry none; docs/formats.md §4);
#  * every saas offering draws all 14 prefixes of the partner-hosted FTR, through the
#    prerequisite (via = FTR partner-hosted);
#  * the seed observation: each saas version is dominated by the shared FTR prefixes plus
#    a competency-specific block (>= 60% of its requirements), and every complete
#    checklist has such a block (>= 10 requirements outside the FTR and the common block);
#  * coverage (manifest.csv) and categories (categories.csv) reach the database.
set -eu
root=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
APNMAP=${APNMAP:-$root/build/apnmap}
src="$root/data/sources"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "corpus_shape: $*"; exit 1; }
sql() { "$APNMAP" sql --db "$tmp/c.db" --format csv "$1" | tail -n +2; }

rc=0
"$APNMAP" build -q -o "$tmp/c.db" "$root/data/corpus" > "$tmp/build.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/build.out" | head -40; fail "build of data/corpus exited $rc"; }

# --- counts -------------------------------------------------------------------
ncomp=$(sql "SELECT count(*) FROM competency")
[ "$ncomp" -ge 30 ] || fail "$ncomp competencies, want >= 30"
want_sw=$(grep -c '^[^,]*/software,' "$src/checklists.csv")
want_sv=$(grep -c '^[^,]*/services,' "$src/checklists.csv")
for o in saas customer-deployed services; do
    n=$(sql "SELECT count(DISTINCT competency) FROM v_offering_requirement WHERE offering = '$o'")
    case $o in services) want=$want_sv ;; *) want=$want_sw ;; esac
    [ "$n" -eq "$want" ] || fail "offering $o has $n competencies, want $want (one per checklist of data/sources)"
done

"$APNMAP" stats --db "$tmp/c.db" --format csv > "$tmp/stats.csv"
head -1 "$tmp/stats.csv" | grep -qx 'competency,offering,prefix,n' || fail "stats header: $(head -1 "$tmp/stats.csv")"

# --- services: the common sections' prefixes, and no IAM ------------------------
awk -F, -v need="ACCT OPE NETSEC REL DOC COST POV PRJ CSN" '
    $2 == "services" { seen[$1] = 1; has[$1 SUBSEP $3] = 1; if ($3 == "IAM") iam = iam " " $1 }
    END {
        n = split(need, p, " "); bad = 0
        for (c in seen) for (i = 1; i <= n; i++)
            if (!((c SUBSEP p[i]) in has)) { print "services " c " lacks " p[i]; bad = 1 }
        if (iam != "") { print "services with IAM (not in the recovered data):" iam; bad = 1 }
        exit bad
    }' "$tmp/stats.csv" || fail "services prefixes"

# --- saas: all 14 FTR prefixes, through the prerequisite -----------------------
sql "SELECT DISTINCT r.prefix FROM checklist c JOIN checklist_requirement cr ON cr.checklist_id = c.id
     JOIN requirement r ON r.id = cr.requirement_id WHERE c.name = 'FTR partner-hosted' ORDER BY 1" > "$tmp/ftr"
[ "$(wc -l < "$tmp/ftr")" -eq 14 ] || fail "FTR partner-hosted has $(wc -l < "$tmp/ftr") prefixes, want 14: $(tr '\n' ' ' < "$tmp/ftr")"
awk -F, 'NR == FNR { ftr[$1] = 1; nf++; next }
    $2 == "saas" { seen[$1] = 1; if ($3 in ftr) k[$1]++ }
    END { bad = 0; for (c in seen) if (k[c] != nf) { print "saas " c ": " k[c] + 0 " of " nf " FTR prefixes"; bad = 1 }
          exit bad }' "$tmp/ftr" "$tmp/stats.csv" || fail "saas FTR prefixes"
missing=$(sql "SELECT count(*) FROM (SELECT DISTINCT competency FROM v_offering_requirement WHERE offering = 'saas')
               WHERE competency NOT IN (SELECT competency FROM v_offering_requirement WHERE offering = 'saas'
                                        AND requirement_id = 'HOST-001' AND via = 'FTR partner-hosted')")
[ "$missing" -eq 0 ] || fail "$missing saas offerings do not get HOST-001 via the FTR partner-hosted prerequisite"

# --- the seed observation ----------------------------------------------------------
sql "SELECT c.slug FROM checklist k JOIN competency c ON c.id = k.competency_id
     WHERE k.track = 'software' AND k.coverage = 'complete' ORDER BY 1" > "$tmp/complete"
[ -s "$tmp/complete" ] || fail "no complete software checklist"
awk -F, 'FILENAME == ARGV[1] { ftr[$1] = 1; next }
    FILENAME == ARGV[2] { complete[$1] = 1; next }
    $2 == "saas" { seen[$1] = 1; n[$1] += $4; pc[$3]++; rows[++nr] = $1 SUBSEP $3 SUBSEP $4 }
    END {
        ns = 0; for (c in seen) ns++
        for (i = 1; i <= nr; i++) {
            split(rows[i], f, SUBSEP)
            if (f[2] in ftr) shared[f[1]] += f[3]
            else if (pc[f[2]] < ns) own[f[1]] += f[3]   # not a prefix every saas offering has
        }
        bad = 0
        for (c in seen) {
            share = (shared[c] + own[c]) / n[c]
            if (share < 0.6) { printf "saas %s: FTR prefixes + own block = %d of %d\n", c, shared[c] + own[c], n[c]; bad = 1 }
            if ((c in complete) && own[c] < 10) { printf "saas %s: complete, but only %d competency-specific\n", c, own[c]; bad = 1 }
        }
        exit bad
    }' "$tmp/ftr" "$tmp/complete" "$tmp/stats.csv" || fail "seed observation"

# --- side files reach the database ---------------------------------------------------
want_partial=$(grep -c ',partial,' "$src/checklists.csv")
got_partial=$(sql "SELECT count(*) FROM checklist WHERE coverage = 'partial'")
[ "$got_partial" -eq "$want_partial" ] || fail "$got_partial partial checklists, data/sources says $want_partial"
cat=$(sql "SELECT category FROM competency WHERE slug = 'education'")
[ "$cat" = industry ] || fail "education's category is '$cat', categories.csv says industry"
echo "corpus_shape: $ncomp competencies, $want_sw software and $want_sv services checklists, shape as expected"
