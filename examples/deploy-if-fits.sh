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
gib = 2 ** 30
print("%s: %.2f GiB of %.2f GiB, KV pool %s tokens, up to %sx concurrency"
      % (e["model"], e["total_bytes"] / gib, e["capacity_bytes"] / gib, e["kv_cache_tokens"], e["max_concurrency"]))'
  # The launch command for the same estimate (vllm-config.yaml and docker-compose.yaml into ./deploy).
  vramfit export --to vllm --model "$MODEL" --gpu "$GPU" --quant awq --context 16k --write deploy
else
  echo "does not fit on $GPU" >&2
  exit 1
fi
