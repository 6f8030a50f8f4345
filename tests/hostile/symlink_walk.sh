#!/bin/sh
# Issue 14, finding 6 (build's walk): symbolic links inside a build folder.
# Writes into DIR (made if needed): two links to "." (the old walk went down
# 2^32 paths), a link to a folder outside the tree holding a page (the old walk
# read it: links out of the tree read /etc), a link to a page and a dangling
# link with a page's name. None may be followed. Prints, one a line, the paths
# (relative to DIR) a build must name in a diagnostic.
set -eu
dir=${1:?usage: symlink_walk.sh DIR}
mkdir -p "$dir/tree" "$dir/outside"
printf '<html><body><h1>Outside the tree</h1></body></html>\n' > "$dir/outside/outside.html"
cp "$dir/outside/outside.html" "$dir/outside/target.html"
ln -sfn . "$dir/tree/loop1"
ln -sfn . "$dir/tree/loop2"
ln -sfn ../outside "$dir/tree/out"
ln -sfn ../outside/target.html "$dir/tree/link.html"
ln -sfn no-such-page.html "$dir/tree/dangling.html"
# outside/ is no part of a build of DIR/tree; a build of DIR reads its pages
# (they have no requirements: a warning each) but never through the links
for p in tree/loop1 tree/loop2 tree/out tree/link.html tree/dangling.html; do echo "$p"; done
