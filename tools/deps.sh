#!/bin/sh
# Install the Debian packages in tools/deps.txt that are missing.
# As root this runs apt-get; otherwise it prints the exact command to run.
# usage: tools/deps.sh [extra-package...]
set -eu
here=$(dirname "$0")
want=$( (sed -e 's/#.*//' "$here/deps.txt" | awk 'NF {print $1}'; for p in "$@"; do echo "$p"; done) )
# A name is satisfied by the package itself or by an installed package that
# provides it (e.g. a nodejs build that bundles npm provides "npm").
provided=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Provides}\n' 2>/dev/null |
    awk '$1 == "ii" { $1 = ""; print }' | tr ',' '\n' | sed 's/(.*//; s/:.*//' | awk 'NF {print $1}' | tr '\n' ' ') "
missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        case $provided in *" $p "*) continue ;; esac
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "apnmap: installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2
else
    echo "apnmap: run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
