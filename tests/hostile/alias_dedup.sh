#!/bin/sh
# Issue 14, finding 5: aliases.csv's duplicate check compared each name with
# every name kept before it (5-13 s for under 1 MiB, the most one file may
# hold; a build of several roots merges theirs). Writes DIR/aliases.csv (DIR
# made if needed), just under 1 MiB: 40,000 distinct names, each for one of
# SLUGS (default: a competency of the contract fixture and one of the bundled
# corpus), and every tenth again in capitals (a duplicate to drop). Side files
# are no inputs: it prints nothing and writes no page.
set -eu
dir=${1:?usage: alias_dedup.sh DIR [SLUGS]}
slugs=${2:-widgets container}
mkdir -p "$dir"
awk -v n=40000 -v slugs="$slugs" 'BEGIN {
    print "name,slug"
    k = split(slugs, slug, " ")
    for (i = 1; i <= n; i++) {
        printf "alias %06d,%s\n", i, slug[i % k + 1]
        if (i % 10 == 0) printf "ALIAS %06d,%s\n", i, slug[i % k + 1]
    }
}' > "$dir/aliases.csv"
