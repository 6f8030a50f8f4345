# bash completion for apnmap (installed by `make install` into
# PREFIX/share/bash-completion/completions/apnmap; or `source` this file).
#
# apnmap answers itself: `apnmap __complete WORD...` prints the candidates for the
# last word, one a line, from the same option tables as --help and the manual page
# (commands, options, formats, and the offerings, competency slugs and categories
# of the current database: --db on the line, else $APNMAP_DB, else ./apnmap.db).
# The two words __files__ and __dirs__ ask for file or folder names.
_apnmap() {
    local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]} line out
    local IFS=$'\n'
    [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
    # bash splits --db=FILE into "--db" "=" "FILE"
    [[ $cur == "=" ]] && cur=
    out=$("$prog" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
    COMPREPLY=()
    for line in $out; do
        case $line in
        __files__) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
        __dirs__) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- "$cur")) ;;
        *) COMPREPLY+=("$line") ;;
        esac
    done
}
complete -F _apnmap apnmap
