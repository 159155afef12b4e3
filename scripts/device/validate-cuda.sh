#!/usr/bin/env bash
# Every CUDA-backend check and timing of vramfit in one call on a lent GPU machine (the device
# tool), so one lease covers it all. Not part of CI. Usage, from the repository root:
#
#   scripts/device/validate-cuda.sh [all|info|memory|check|bench|validate]...   (default: all)
#
# BIN is the statically linked vramfit built on the development machine
# (swift build -c release --static-swift-stdlib, stripped, gzipped), carried in .device-bin/; results go to $OUT
# (the device tool brings back at most 8 files): nvidia-smi.txt, info.txt (with torch's figures),
# memory.txt, check.txt, bench.txt, bench.json, validate.txt, run.log. docs/validation/h100.md says what each means.
set -u -o pipefail
OUT=${OUT:-/tmp/vramfit-device}
mkdir -p "$OUT"
# The static binary travels gzipped (64 MiB limit on what a call carries).
if [ -z "${BIN:-}" ]; then
  BIN=.device-bin/vramfit
  [ -f "$BIN" ] || { gunzip -c .device-bin/vramfit.gz > /tmp/vramfit && chmod +x /tmp/vramfit && BIN=/tmp/vramfit; }
fi
export PYTHONUNBUFFERED=1
steps=("$@"); [ ${#steps[@]} -eq 0 ] && steps=(all)
want() { for s in "${steps[@]}"; do [ "$s" = all ] || [ "$s" = "$1" ] && return 0; done; return 1; }
log() { echo "== $(date -u +%H:%M:%S) $*" | tee -a "$OUT/run.log"; }

# NVRTC: the loader's search path first (vramfit tries libnvrtc.so, .so.13, .so.12 and the toolkit
# folders itself); failing that, the wheel PyTorch installed.
if [ -z "${VRAMFIT_NVRTC:-}" ] && ! ldconfig -p | grep -q 'libnvrtc\.so'; then
  for f in /usr/local/cuda/lib64/libnvrtc.so* /usr/local/cuda/targets/x86_64-linux/lib/libnvrtc.so* \
           $(python3 -c 'import nvidia, os; print(os.path.dirname(nvidia.__path__[0]))' 2>/dev/null)/nvidia/cu13/lib/libnvrtc.so.13; do
    [ -e "$f" ] && { export VRAMFIT_NVRTC="$f"; break; }
  done
fi
log "start; BIN=$BIN VRAMFIT_NVRTC=${VRAMFIT_NVRTC:-<search path>}"
chmod +x "$BIN" 2>/dev/null

if want info; then
  log "nvidia-smi"
  { nvidia-smi; nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,memory.free,clocks.sm,clocks.mem,power.limit --format=csv; } > "$OUT/nvidia-smi.txt" 2>&1
  log "vramfit cuda info (fresh process, three times)"
  for i in 1 2 3; do echo "--- run $i"; "$BIN" cuda info; done > "$OUT/info.txt" 2>&1
  tail -12 "$OUT/info.txt"
  log "torch reference: copy bandwidth, bf16 matmul, torch's own context cost"
  python3 - > /tmp/torch.txt 2>&1 <<'PY'
import subprocess, torch, time
free0 = int(subprocess.check_output(["nvidia-smi", "--query-gpu=memory.free", "--format=csv,noheader,nounits"]).split()[0]) * 2**20
torch.cuda.init(); torch.empty(1, device="cuda")
f, t = torch.cuda.mem_get_info()
print(f"torch {torch.__version__} cuda {torch.version.cuda}; nvidia-smi free before: {free0} B; after torch's context: {f} B free of {t} B -> context+torch {(free0 - f) / 2**20:.1f} MiB")
def bench(fn, reps):
    for _ in range(3): fn()
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    ts = []
    for _ in range(reps):
        s.record(); fn(); e.record(); e.synchronize(); ts.append(s.elapsed_time(e) / 1e3)
    ts.sort(); return ts[len(ts) // 2]
n = 1 << 29  # 2 GiB of fp32
a = torch.rand(n, device="cuda"); b = torch.empty_like(a)
sec = bench(lambda: b.copy_(a), 20)
print(f"copy: {2 * 4 * n / sec / 1e9:.0f} GB/s (read + written, {4 * n >> 20} MiB, median of 20)")
for size in (8192, 4096):
    x = torch.randn(size, size, device="cuda", dtype=torch.bfloat16); y = torch.randn(size, size, device="cuda", dtype=torch.bfloat16)
    sec = bench(lambda: x @ y, 20)
    print(f"bf16 matmul {size}^3: {2 * size**3 / sec / 1e12:.0f} TFLOP/s (random data, median of 20)")
x = torch.randn(512, 3584, device="cuda", dtype=torch.float16); w = torch.randn(18944, 3584, device="cuda", dtype=torch.float16)
sec = bench(lambda: x @ w.t(), 20)
print(f"fp16 512x18944x3584 (qwen2.5-7b gate, prefill 512): {2 * 512 * 18944 * 3584 / sec / 1e12:.0f} TFLOP/s")
v = torch.randn(1, 3584, device="cuda", dtype=torch.float16); ws = [torch.randn(18944, 3584, device="cuda", dtype=torch.float16) for _ in range(4)]
i = [0]
def gemv():
    i[0] += 1; return v @ ws[i[0] % 4].t()
sec = bench(gemv, 40)
print(f"fp16 GEMV 18944x3584 (cuBLAS via torch, 4 rotating copies): {18944 * 3584 * 2 / sec / 1e9:.0f} GB/s")
PY
  { echo "--- torch"; cat /tmp/torch.txt; } | tee -a "$OUT/info.txt"
fi

if want check; then
  log "vramfit cuda check: every scheme, qwen2.5-1.5b layer (qkv bias), fp16 cache"
  "$BIN" cuda check 2>&1 | tee "$OUT/check.txt"
  log "check: qwen3-0.6b (q/k norm), every KV cache type, a few schemes"
  "$BIN" cuda check --model qwen3-0.6b --quant bf16,awq --kv fp16,bf16,fp32,fp8,q8_0,q4_0 --layers-only 2>&1 | tee -a "$OUT/check.txt"
  log "check: MoE with a gated shared expert (qwen1.5-moe-a2.7b), bf16"
  "$BIN" cuda check --model qwen1.5-moe-a2.7b --quant bf16 --tokens 24 --decode 2 --layers-only 2>&1 | tee -a "$OUT/check.txt"
fi

if want bench; then
  log "vramfit cuda bench: qwen2.5-7b (8 schemes, every rows-per-warp variant) and llama-3.1-70b (awq, int8)"
  { "$BIN" cuda bench --model qwen2.5-7b-instruct --variants --json "$OUT/bench.json" &&
    "$BIN" cuda bench --model llama-3.1-70b --quant awq,int8 --tokens 512 --json "$OUT/bench-70b.json"; } 2>&1 | tee "$OUT/bench.txt"
  [ -f "$OUT/bench-70b.json" ] && cat "$OUT/bench-70b.json" >> "$OUT/bench.json" && rm "$OUT/bench-70b.json"
fi

if want memory; then
  log "vramfit cuda memory: free memory through a layer's life, each in a fresh process"
  {
    "$BIN" cuda memory --model qwen2.5-7b-instruct --quant awq
    "$BIN" cuda memory --model qwen2.5-7b-instruct --quant int8
    "$BIN" cuda memory --model llama-3.1-70b --quant awq --decode 16
  } 2>&1 | tee "$OUT/memory.txt"
fi

if want validate && "$BIN" validate --help > /dev/null 2>&1; then
  log "vramfit validate --target cuda (predicted vs measured)"
  {
    for q in awq int8 bnb-nf4 q4_k_m fp8 fp16; do
      "$BIN" validate --model qwen2.5-7b-instruct --quant "$q" --target cuda --context 512 --decode 32
    done
    for q in awq int8; do
      "$BIN" validate --model llama-3.1-70b --quant "$q" --target cuda --context 512 --decode 32
    done
  } 2>&1 | tee "$OUT/validate.txt"
fi
log "done"
