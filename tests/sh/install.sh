#!/bin/sh
# `make install PREFIX=P DESTDIR=D` (issue 13): the program, the bundled corpus (so
# `apnmap demo -o x` works from any folder), apnmap(1) whose text says what --help
# says, and bash completion (commands, options, the offerings and competency slugs of
# the current database); `make uninstall` removes every file it installed.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }
# Run as part of `make test`: the parent's jobserver and command-line variables are
# not this make's. -o: the program under test is installed as built, never remade.
unset MAKEFLAGS MFLAGS MAKELEVEL
stage=$tmp/stage prefix=/opt/apn
if ! make -s -C "$ROOT" -o "$APNMAP" install BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$stage" \
        > "$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"; echo "FAIL make install"; exit 1
fi
p=$stage$prefix
for f in bin/apnmap share/man/man1/apnmap.1 share/bash-completion/completions/apnmap \
         share/apnmap/README.md share/apnmap/corpus/manifest.csv; do
    [ -s "$p/$f" ] || bad "make install did not install $f"
done
[ -x "$p/bin/apnmap" ] || bad "bin/apnmap is not executable"
find "$stage" -path "$p" -prune -o -type f -print | grep -q . && bad "files installed outside PREFIX"
n_src=$(cd "$ROOT/data/corpus" && find . -type f | wc -l)
n_inst=$(cd "$p/share/apnmap/corpus" && find . -type f | wc -l)
[ "$n_src" -eq "$n_inst" ] || bad "corpus: $n_inst files installed, data/corpus has $n_src"

# the demo from another folder, with the corpus found beside the installed program
mkdir "$tmp/elsewhere"
(cd "$tmp/elsewhere" && "$p/bin/apnmap" demo -o x > demo.out 2> demo.err)
rc=$?
[ $rc -eq 0 ] || { head -20 "$tmp/elsewhere/demo.err"; bad "installed demo exited $rc"; }
[ -s "$tmp/elsewhere/x/apnmap.db" ] || bad "installed demo wrote no x/apnmap.db"
grep -q "built $p/share/apnmap/corpus" "$tmp/elsewhere/demo.out" || bad "demo did not build the installed corpus"
grep -q "See $p/share/apnmap/README.md" "$tmp/elsewhere/demo.out" ||
    bad "demo does not point at the installed README beside the corpus"

# the manual page: man reads it without a warning, and it says what --help says
if command -v man > /dev/null; then
    MANWIDTH=100 man --warnings -l "$p/share/man/man1/apnmap.1" > "$tmp/man.txt" 2> "$tmp/man.err"
    [ -s "$tmp/man.err" ] && { cat "$tmp/man.err"; bad "man warns about apnmap.1"; }
    grep -q "^NAME" "$tmp/man.txt" || bad "man -l shows no NAME section"
    norm() { tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'; }
    man_text=" $(col -b < "$tmp/man.txt" | norm) "
    cmds=$("$p/bin/apnmap" help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}' | grep -v '^help$')
    n=0
    for c in $cmds; do
        "$p/bin/apnmap" "$c" --help > "$tmp/help" || bad "$c --help: exit $?"
        # every line of --help but the options header and -h is in the page
        while IFS= read -r line; do
            case $line in ''|'options:'|*'-h, --help'*) continue ;; esac
            want=$(printf '%s\n' "$line" | sed 's/^usage: //' | norm)
            n=$((n + 1))
            case $man_text in *" $want "*) ;; *) bad "apnmap.1 lacks what '$c --help' says: $want" ;; esac
        done < "$tmp/help"
    done
    [ "$n" -gt 50 ] || bad "only $n lines of --help compared"
else
    bad "man is not installed (tools/deps.txt lists man-db)"
fi

# bash completion, sourced as bash-completion would, over the demo's database
cat > "$tmp/comp.bash" <<'EOF'
source "$1/share/bash-completion/completions/apnmap"
comp() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _apnmap
         printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '; echo; }
A=$1/bin/apnmap
cd "$2"
comp "$A" st
comp "$A" help de
comp "$A" stats --off
comp "$A" stats --db x/apnmap.db --offering s
comp "$A" stats --db = x/apnmap.db --offering ''
comp "$A" plan --db x/apnmap.db --next 3 --have data-and-analytics,sec
comp "$A" build -o x/apnmap.d
comp "$A" stats --format j
APNMAP_DB=x/apnmap.db comp "$A" hardest --offering cus
comp "$A" stats --offering s
EOF
bash "$tmp/comp.bash" "$p" "$tmp/elsewhere" > "$tmp/comp.out" 2>&1 || bad "completion script failed"
cat > "$tmp/comp.want" <<'EOF'
stats 
demo 
--offering 
saas services 
customer-deployed saas services 
data-and-analytics,security 
x/apnmap.db 
json 
customer-deployed 
 
EOF
diff "$tmp/comp.want" "$tmp/comp.out" || bad "completion (want, got above)"

# uninstall leaves no file behind
make -s -C "$ROOT" -o "$APNMAP" uninstall BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$stage" \
    > "$tmp/uninstall.log" 2>&1 || { cat "$tmp/uninstall.log"; bad "make uninstall"; }
left=$(find "$stage" -type f)
[ -z "$left" ] || bad "make uninstall left: $left"
exit $fail
