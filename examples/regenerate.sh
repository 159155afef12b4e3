#!/usr/bin/env bash
# Regenerates the worked examples from examples/manifest.txt: builds vramfit, runs every command in
# its example folder and writes the folder's README.md (intro.md, then each command and its output)
# and the files `--write` exports. Tests/vramfitTests/ExamplesTests.swift checks that the committed
# files match what the code prints, reading the same manifest.
#
#   examples/regenerate.sh                    # build (debug) and regenerate everything
#   VRAMFIT_BIN=path/to/vramfit examples/regenerate.sh   # use an already built binary
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
examples="$root/examples"

bin=${VRAMFIT_BIN:-}
if [[ -z "$bin" ]]; then
  scratch=${SCRATCH_PATH:-$root/.build}
  swift build --package-path "$root" --scratch-path "$scratch" --product vramfit >&2
  bin="$(swift build --package-path "$root" --scratch-path "$scratch" --show-bin-path)/vramfit"
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# Output must not depend on the terminal or the user's catalogs.
export NO_COLOR=1
unset VRAMFIT_CATALOG_PATH

started=" "   # example folders begun (a plain list: macOS ships bash 3.2)
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ -z "${line//[[:space:]]/}" || "$line" == \#* ]] && continue
  dir=$(echo "${line%%|*}" | xargs)
  args=$(echo "${line#*|}" | sed 's/^ *//; s/ *$//')
  folder="$examples/$dir"
  readme="$folder/README.md"
  if [[ "$started" != *" $dir "* ]]; then
    started="$started$dir "
    # Exported files are rewritten from scratch; intro.md is the hand-written part.
    find "$folder" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
    cp "$folder/intro.md" "$readme"
  fi
  eval "words=($args)"
  errfile=$(mktemp)
  set +e
  out=$(cd "$folder" && "$bin" "${words[@]}" 2>"$errfile")
  status=$?
  set -e
  err=$(<"$errfile"); rm -f "$errfile"
  # The block: the command, stdout, stderr, the exit status when not 0 (trailing newlines dropped).
  {
    printf '\n```console\n$ vramfit %s\n' "$args"
    [[ -n "$out" ]] && printf '%s\n' "$out"
    [[ -n "$err" ]] && printf '%s\n' "$err"
    [[ $status -ne 0 ]] && printf '(exit status %d)\n' "$status"
    printf '```\n'
  } >> "$readme"
  echo "$dir: vramfit $args (exit $status)" >&2
done < "$examples/manifest.txt"
