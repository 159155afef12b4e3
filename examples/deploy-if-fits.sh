#!/usr/bin/env bash
# Gate a deployment on the estimate: exit 1 from `--check` when it does not fit, 2 on bad input.
set -euo pipefail
MODEL=${1:-qwen2.5-14b-instruct}
GPU=${2:-rtx-4090}
if vramfit estimate --model "$MODEL" --gpu "$GPU" --quant awq --context 16k --check > /dev/null; then
  echo "fits: launching"
  vramfit estimate --model "$MODEL" --gpu "$GPU" --quant awq --context 16k --json | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(f"{e[\"model\"]}: {e[\"total_bytes\"] / 2**30:.2f} GiB of {e[\"capacity_bytes\"] / 2**30:.2f} GiB, "
      f"KV pool {e[\"kv_cache_tokens\"]} tokens, up to {e[\"max_concurrency\"]}x concurrency")'
else
  echo "does not fit on $GPU" >&2
  exit 1
fi
