"""The completion scripts for bash, zsh and fish; each asks `crmtui __complete` for candidates."""

from __future__ import annotations

BASH = r"""# crmtui completion for bash: eval "$(crmtui completion bash)"
_crmtui_complete() {
    local line="${COMP_LINE:0:COMP_POINT}" IFS=$' \t\n'
    local -a words
    read -ra words <<< "$line"
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
    local cur="${words[${#words[@]}-1]}" out c
    out=$("${words[0]}" __complete -- "${words[@]:1}" 2>/dev/null)
    COMPREPLY=()
    if [[ "$out" == "::files" ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
    fi
    local nospace=
    while IFS= read -r c; do
        [[ -z "$c" ]] && continue
        [[ "$c" == *= ]] && nospace=1
        COMPREPLY+=("$(printf '%q' "$c")")
    done <<< "$out"
    [[ -n "$nospace" ]] && compopt -o nospace 2>/dev/null
}
complete -F _crmtui_complete crmtui
"""

ZSH = r"""# crmtui completion for zsh: eval "$(crmtui completion zsh)"
(( $+functions[compdef] )) || { autoload -Uz compinit && compinit -i; }
_crmtui() {
    local out c
    local -a plain eq
    out=$(${words[1]} __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)
    if [[ "$out" == "::files" ]]; then _files; return; fi
    for c in "${(@f)out}"; do
        [[ -z "$c" ]] && continue
        if [[ "$c" == *= ]]; then eq+=("${c%=}"); else plain+=("$c"); fi
    done
    (( ${#plain} )) && compadd -- "${plain[@]}"
    (( ${#eq} )) && compadd -S '=' -- "${eq[@]}"
}
compdef _crmtui crmtui
"""

FISH = r"""# crmtui completion for fish:
#   crmtui completion fish > ~/.config/fish/completions/crmtui.fish
function __crmtui_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] __complete -- $words[2..-1] 2>/dev/null)
    if test "$out" = "::files"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\n' $out
    end
end
complete -c crmtui -f -a '(__crmtui_complete)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}
