#!/usr/bin/env python3
"""Measure transformers + bitsandbytes memory on a CUDA GPU, one fresh process per model × scheme.

    python3 validation/transformers/measure.py --part all --out validation/data/transformers-h100.jsonl

For each model of the matrix (built from vramfit's catalog entry: validation/catalog_models.py,
random weights, nothing downloaded) a `prepare` subprocess writes a safetensors checkpoint with
`from_config` + `save_pretrained`; then one `case` subprocess per scheme loads it the way users do
(`from_pretrained(..., device_map={"": 0}, quantization_config=...)`) and runs `generate` over a
list of (prompt tokens, batch) shapes, smallest first. Per shape it records:

- memory_allocated after load (weights as PyTorch holds them, 512-byte blocks included),
- the KV cache: the bytes of the tensors the returned cache holds, and its token count,
- max_memory_allocated / max_memory_reserved during generate (peaks reset before each shape,
  empty_cache between shapes so each shape starts from the loaded model alone),
- the GPU's used memory (NVML, what nvidia-smi prints) minus the used memory before this process
  created its CUDA context: the process's whole footprint, context and allocator cache included.

Nothing from one model or scheme survives into the next (a fresh process each): a cache, an output or
a reference kept alive would inflate every later figure and nothing in the numbers would show it.

`--device cpu --tiny` is a dry run on a machine without a GPU (tiny configs, bf16 only).
"""

import argparse
import datetime
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from catalog_models import hf_config, load_catalog_models  # noqa: E402

NEW_TOKENS = 2          # prefill, then one decode step: the prefill peak and a grown cache
BIG = [(512, 1), (2048, 1), (8192, 1), (32768, 1), (2048, 4), (512, 16)]
SMALL = [(512, 1), (8192, 1), (2048, 4)]

# model id -> schemes, in the order they run (a call's deadline cuts the tail; `--models` runs the rest).
# Part a covers every family once (dense GQA, tied, MQA, sliding window, MHA, MoE, MLA) and the
# quantized schemes; part b adds sizes.
MATRIX = {
    "a": [
        ("qwen2.5-0.5b-instruct", ["bf16", "bnb-int8", "bnb-nf4", "bnb-nf4-dq"]),
        ("llama-3.2-1b", ["bf16", "fp16"]),
        ("gemma-3-1b-it", ["bf16"]),
        ("gemma-2b", ["bf16"]),
        ("phi-3-mini-4k-instruct", ["bf16"]),
        ("qwen2.5-7b-instruct", ["bf16", "bnb-int8", "bnb-nf4", "bnb-nf4-dq"]),
        ("llama-3.1-8b", ["bf16", "bnb-nf4"]),
        ("qwen1.5-moe-a2.7b", ["bf16", "bnb-nf4"]),
        ("deepseek-v2-lite", ["bf16"]),
    ],
    "b": [
        ("gemma-2-9b-it", ["bf16"]),
        ("mistral-7b-v0.3", ["bf16"]),
        ("llama-3.2-3b", ["bf16"]),
        ("llama-3.1-8b", ["bnb-int8"]),
    ],
}
TINY = [("qwen2.5-0.5b-instruct", ["bf16"]), ("gemma-3-1b-it", ["bf16"]), ("qwen1.5-moe-a2.7b", ["bf16"]),
        ("deepseek-v2-lite", ["bf16"]), ("phi-3-mini-4k-instruct", ["bf16"])]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- GPU memory as nvidia-smi sees it

class NVML:
    """Used memory of GPU 0 through NVML (the library nvidia-smi reads), falling back to nvidia-smi."""

    def __init__(self):
        self.h = None
        try:
            import pynvml
            pynvml.nvmlInit()
            self.pynvml = pynvml
            self.h = pynvml.nvmlDeviceGetHandleByIndex(0)
        except Exception as e:  # no NVML: CPU dry run, or a driver without it
            log("NVML unavailable:", e)

    def used(self):
        if self.h is not None:
            return int(self.pynvml.nvmlDeviceGetMemoryInfo(self.h).used)
        try:
            out = subprocess.run(["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", "0"],
                                 capture_output=True, text=True, timeout=20).stdout.strip()
            return int(float(out)) << 20
        except Exception:
            return None

    def total(self):
        if self.h is not None:
            return int(self.pynvml.nvmlDeviceGetMemoryInfo(self.h).total)
        return None

    def process_used(self, pid):
        if self.h is None:
            return None
        try:
            for p in self.pynvml.nvmlDeviceGetComputeRunningProcesses(self.h):
                if p.pid == pid and p.usedGpuMemory is not None:
                    return int(p.usedGpuMemory)
        except Exception:
            pass
        return None

    def driver(self):
        if self.h is None:
            return None
        v = self.pynvml.nvmlSystemGetDriverVersion()
        return v.decode() if isinstance(v, bytes) else v

    def name(self):
        if self.h is None:
            return None
        v = self.pynvml.nvmlDeviceGetName(self.h)
        return v.decode() if isinstance(v, bytes) else v


# ---------------------------------------------------------------- subprocess: prepare a checkpoint

def tiny_config(cfg):
    """Shrinks a config for the CPU dry run, keeping its structure (GQA ratio, MoE, MLA, windows)."""
    c = dict(cfg)
    ratio = max(1, c["num_attention_heads"] // c["num_key_value_heads"])
    c.update(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
             num_key_value_heads=max(1, 4 // ratio), vocab_size=512, max_position_embeddings=min(4096, c["max_position_embeddings"]))
    if "head_dim" in c:
        c["head_dim"] = 16
    for k in ("moe_intermediate_size", "shared_expert_intermediate_size"):
        if k in c:
            c[k] = 32
    for k in ("num_experts", "n_routed_experts"):
        if k in c:
            c[k] = 4
    if "num_experts_per_tok" in c:
        c["num_experts_per_tok"] = 2
    if "kv_lora_rank" in c:
        c.update(kv_lora_rank=32, qk_rope_head_dim=8, qk_nope_head_dim=8, v_head_dim=16)
    if c.get("sliding_window"):
        c["sliding_window"] = 64
    if "query_pre_attn_scalar" in c:
        c["query_pre_attn_scalar"] = 16
    if c.get("pad_token_id", 0) >= 512:
        c["pad_token_id"] = 0
        c["eos_token_id"] = 2
    return c


def prepare(spec):
    import torch
    import transformers
    from transformers import AutoConfig, AutoModelForCausalLM
    transformers.logging.set_verbosity_error()
    cfg = dict(spec["config"])
    model_type = cfg.pop("model_type")
    config = AutoConfig.for_model(model_type, **cfg)
    dtype = getattr(torch, spec["dtype"])
    t0 = time.time()
    with torch.device(spec["device"]):
        model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(spec["dir"])
    result = {"parameters": params, "config": json.load(open(os.path.join(spec["dir"], "config.json"))),
              "prepare_s": round(time.time() - t0, 1)}
    print("RESULT " + json.dumps(result), flush=True)


# ---------------------------------------------------------------- subprocess: one model × scheme

def cache_bytes(cache):
    """Bytes and tokens of every tensor a transformers Cache holds (unique storages)."""
    import torch
    seen, total = set(), 0

    def visit(obj, depth=0):
        nonlocal total
        if depth > 4 or obj is None:
            return
        if isinstance(obj, torch.Tensor):
            key = (obj.untyped_storage().data_ptr(), obj.device)
            if key not in seen and obj.numel() > 0:
                seen.add(key)
                total += obj.untyped_storage().nbytes()
            return
        if isinstance(obj, (list, tuple)):
            for x in obj:
                visit(x, depth + 1)
            return
        if isinstance(obj, dict):
            for x in obj.values():
                visit(x, depth + 1)
            return
        if hasattr(obj, "__dict__") and type(obj).__module__.startswith("transformers"):
            for x in vars(obj).values():
                visit(x, depth + 1)

    visit(cache)
    try:
        tokens = int(cache.get_seq_length())
    except Exception:
        tokens = None
    return total, tokens


def quantization_config(scheme, torch):
    from transformers import BitsAndBytesConfig
    if scheme == "bnb-int8":
        return BitsAndBytesConfig(load_in_8bit=True)
    if scheme in ("bnb-nf4", "bnb-nf4-dq"):
        return BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16,
                                  bnb_4bit_use_double_quant=scheme.endswith("-dq"))
    return None


def run_case(spec):
    nvml = NVML()
    before = nvml.used()                       # the GPU before this process creates a context
    import torch
    import transformers
    from transformers import AutoModelForCausalLM
    transformers.logging.set_verbosity_error()
    dev = spec["device"]
    cuda = dev == "cuda"
    if cuda:
        torch.cuda.init()
        torch.empty(1, device="cuda")
        torch.cuda.synchronize()
    used_ctx = nvml.used() if cuda else None
    reserved_ctx = torch.cuda.memory_reserved() if cuda else 0

    def used_delta():
        u = nvml.used()
        return None if u is None or before is None else u - before

    versions = {"torch": torch.__version__, "transformers": transformers.__version__}
    for name in ("bitsandbytes", "accelerate"):
        try:
            versions[name] = __import__(name).__version__
        except Exception:
            pass
    scheme = spec["scheme"]
    dtype = torch.float16 if scheme == "fp16" else torch.bfloat16
    q = quantization_config(scheme, torch)
    t0 = time.time()
    kwargs = dict(dtype=dtype, device_map={"": 0} if cuda else {"": "cpu"})
    if q is not None:
        kwargs["quantization_config"] = q
    model = AutoModelForCausalLM.from_pretrained(spec["dir"], **kwargs)
    model.eval()
    if cuda:
        torch.cuda.synchronize()
    load_s = time.time() - t0
    alloc_load = torch.cuda.memory_allocated() if cuda else None
    reserved_load = torch.cuda.memory_reserved() if cuda else None
    used_load = used_delta() if cuda else None
    storage = set()
    tensor_bytes = 0
    for t in list(model.parameters()) + list(model.buffers()):
        key = t.untyped_storage().data_ptr()
        if key not in storage:
            storage.add(key)
            tensor_bytes += t.untyped_storage().nbytes()
    head = {
        "model": spec["model"], "scheme": scheme, "device": nvml.name() if cuda else "cpu",
        "gpu_total_bytes": nvml.total() if cuda else None, "driver": nvml.driver() if cuda else None,
        "versions": versions, "attn_implementation": getattr(model.config, "_attn_implementation", None),
        "load_s": round(load_s, 2),
        "context_bytes": (used_ctx - before - reserved_ctx) if cuda and used_ctx is not None and before is not None else None,
        "weights_allocated_bytes": alloc_load, "weights_reserved_bytes": reserved_load,
        "weights_used_bytes": used_load, "tensor_storage_bytes": tensor_bytes,
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    vocab = model.config.vocab_size
    for prompt, batch in spec["shapes"]:
        gc.collect()
        if cuda:
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated() if cuda else None
        rec = dict(head, prompt_tokens=prompt, batch=batch, new_tokens=spec["new_tokens"])
        try:
            ids = torch.randint(3, vocab - 1, (batch, prompt), device="cuda" if cuda else "cpu")
            t1 = time.time()
            with torch.inference_mode():
                out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=spec["new_tokens"],
                                     min_new_tokens=spec["new_tokens"], do_sample=False, return_dict_in_generate=True,
                                     pad_token_id=0, use_cache=True)
            if cuda:
                torch.cuda.synchronize()
            kv, tokens = cache_bytes(out.past_key_values)
            rec.update(generate_s=round(time.time() - t1, 2), kv_cache_bytes=kv, cache_tokens=tokens,
                       base_allocated_bytes=base,
                       peak_allocated_bytes=torch.cuda.max_memory_allocated() if cuda else None,
                       peak_reserved_bytes=torch.cuda.max_memory_reserved() if cuda else None,
                       used_bytes=used_delta() if cuda else None,
                       process_used_bytes=nvml.process_used(os.getpid()) if cuda else None,
                       after_allocated_bytes=torch.cuda.memory_allocated() if cuda else None)
            if cuda:
                rec["non_allocator_bytes"] = rec["used_bytes"] - torch.cuda.memory_reserved() if rec["used_bytes"] is not None else None
            del out, ids
        except torch.OutOfMemoryError as e:
            rec.update(error="out of memory", detail=str(e)[:300])
        except Exception as e:  # recorded, not fatal: the next shape still runs
            rec.update(error=type(e).__name__, detail=str(e)[:300])
        print("RESULT " + json.dumps(rec), flush=True)


# ---------------------------------------------------------------- driver

def subprocess_json(args, spec, timeout):
    """Runs this script in a fresh interpreter; returns the RESULT records it printed."""
    p = subprocess.run([sys.executable, os.path.abspath(__file__), args, json.dumps(spec)],
                       capture_output=True, text=True, timeout=timeout, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    recs = [json.loads(line[7:]) for line in p.stdout.splitlines() if line.startswith("RESULT ")]
    if p.returncode != 0:
        log(p.stderr[-3000:])
    return recs, p.returncode, p.stderr[-1500:]


def workdir_for(size_hint):
    for d in ("/dev/shm", tempfile.gettempdir()):
        try:
            if shutil.disk_usage(d).free > size_hint * 1.3:
                return d
        except OSError:
            pass
    return tempfile.gettempdir()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", default="all", choices=["a", "b", "all"])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(HERE), "data", "transformers.jsonl"))
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    ap.add_argument("--tiny", action="store_true", help="dry run: tiny configs of each structure")
    ap.add_argument("--deadline", type=float, default=540, help="seconds; cases that would start later are skipped")
    ap.add_argument("--models", default="", help="comma-separated subset: model ids, or model:scheme pairs")
    a = ap.parse_args()
    start = time.time()
    catalog = load_catalog_models()
    matrix = TINY if a.tiny else (MATRIX["a"] + MATRIX["b"] if a.part == "all" else MATRIX[a.part])
    if a.models:
        keep = a.models.split(",")
        order = []
        for k in keep:  # the order given on the command line
            mid, _, sch = k.partition(":")
            for m, schemes in matrix:
                if m == mid:
                    want = [x for x in schemes if not sch or x == sch]
                    prev = next((o for o in order if o[0] == mid), None)
                    if prev:
                        prev[1].extend(x for x in want if x not in prev[1])
                    else:
                        order.append((mid, list(want)))
        matrix = order
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    out = open(a.out, "a")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for model_id, schemes in matrix:
        entry = catalog[model_id]
        cfg = hf_config(entry)
        if a.tiny:
            cfg = tiny_config(cfg)
        size = entry["published_params"] * 2
        ckpt = os.path.join(workdir_for(size), "vramfit-ckpt-" + model_id)
        if time.time() - start > a.deadline:
            log(f"deadline: skipping {model_id}")
            continue
        log(f"[{time.time() - start:6.1f}s] prepare {model_id}")
        prep, rc, err = subprocess_json("prepare", {"config": cfg, "dtype": "bfloat16", "device": a.device, "dir": ckpt}, 400)
        if not prep:
            log(f"prepare failed for {model_id}: {err}")
            continue
        maxctx = cfg["max_position_embeddings"]
        for scheme in schemes:
            if time.time() - start > a.deadline:
                log(f"deadline: skipping {model_id} {scheme}")
                continue
            shapes = BIG if scheme in ("bf16", "fp16") else SMALL
            if a.tiny:
                shapes = [(64, 1), (256, 1), (128, 2)]
            shapes = sorted([s for s in shapes if s[0] + NEW_TOKENS <= maxctx], key=lambda s: (s[0] * s[1], s[1]))
            log(f"[{time.time() - start:6.1f}s] case {model_id} {scheme} {shapes}")
            spec = {"model": model_id, "scheme": scheme, "dir": ckpt, "device": a.device, "shapes": shapes,
                    "new_tokens": NEW_TOKENS}
            try:
                recs, rc, err = subprocess_json("case", spec, 240)
            except subprocess.TimeoutExpired:
                recs, rc, err = [], -1, "timeout"
            if not recs:
                recs = [{"model": model_id, "scheme": scheme, "error": f"case process failed (rc {rc})", "detail": err[-600:]}]
            for r in recs:
                r.update(engine="transformers", measured_at=stamp, from_config_parameters=prep[0]["parameters"],
                         tiny=a.tiny or None)
                out.write(json.dumps(r, sort_keys=True) + "\n")
                out.flush()
                log("  ", r.get("prompt_tokens"), r.get("batch"), r.get("error") or
                    f"peak {r.get('peak_allocated_bytes')} used {r.get('used_bytes')} kv {r.get('kv_cache_bytes')}")
        shutil.rmtree(ckpt, ignore_errors=True)
    log(f"done in {time.time() - start:.1f}s")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] in ("prepare", "case"):
        spec = json.loads(sys.argv[2])
        prepare(spec) if sys.argv[1] == "prepare" else run_case(spec)
    else:
        main()
