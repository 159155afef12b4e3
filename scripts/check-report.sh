#!/usr/bin/env bash
# Renders `vramfit plan --report` in headless Chromium: a PNG to look at, and a check that the
# browser's DOM holds every SVG bar the file has (the page parses as HTML, not only as XML).
#
#   scripts/check-report.sh [OUT_DIR]          (default /tmp/vramfit-report)
#
# Needs chromium (Debian: apt-get install chromium). VRAMFIT=path/to/vramfit to test another build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/vramfit-report}
mkdir -p "$out"
bin=${VRAMFIT:-.build/debug/vramfit}
[ -x "$bin" ] || swift build --product vramfit
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "no chromium found (apt-get install chromium)" >&2; exit 2; }

check() {  # name, then plan arguments
  local name=$1; shift
  local rc=0
  "$bin" plan "$@" --report "$out/$name.html" > "$out/$name.txt" || rc=$?
  # 0: a plan; 3: nothing fits (the page says so). Anything else is a failure.
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "$name: vramfit exited $rc" >&2; exit 1; }
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1500 \
    --screenshot="$out/$name.png" "file://$(cd "$out" && pwd)/$name.html" 2>/dev/null
  local in_file in_dom
  in_file=$( (grep -o '<rect ' "$out/$name.html" || true) | wc -l)
  in_dom=$( ("$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$(cd "$out" && pwd)/$name.html" 2>/dev/null \
             | grep -o '<rect ' || true) | wc -l)
  [ -s "$out/$name.png" ] || { echo "$name: no screenshot" >&2; exit 1; }
  [ "$in_file" -gt 0 ] && [ "$in_file" = "$in_dom" ] || { echo "$name: $in_file bars in the file, $in_dom in Chromium's DOM" >&2; exit 1; }
  echo "$name: exit $rc, $in_file bars rendered, screenshot $out/$name.png ($(wc -c < "$out/$name.png") bytes)"
}

check qwen72b-2xa100-40 --model Qwen/Qwen2.5-72B-Instruct --gpu a100-40gb --gpus 2 --goal quality
check llama8b-tp2-h100 --model llama-3.1-8b --gpu h100-sxm --gpus 2 --goal throughput --engine vllm
check nothing-fits --model llama-3.1-405b --gpu t4 --quant bf16 --engine transformers
