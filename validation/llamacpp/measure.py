#!/usr/bin/env python3
"""Measure llama.cpp's buffers on this machine's CPU: model, KV, output and compute buffers.

    python3 validation/llamacpp/measure.py --out validation/data/llamacpp-cpu.jsonl

The script makes its own virtual environment (default ~/.cache/vramfit-validation/llamacpp-venv,
or $VRAMFIT_LLAMACPP_VENV) and installs llama-cpp-python from PyPI, which builds llama.cpp from
source (a long build on a small machine), and the `gguf` package. Then, for each model (catalog
entries small enough for a CPU, plus validation/models.yaml), it writes an F16 GGUF with random
weights and the model's real shapes and metadata, quantizes it with llama.cpp's own quantizer
(`llama_model_quantize`: Q8_0, Q4_0, Q4_K_M, Q6_K), and creates contexts with several n_ctx,
n_ubatch, flash attention on/off, cache types and sequence counts. Each context is created in a
fresh process, whose log (stderr) is parsed for the sizes llama.cpp prints:

    load_tensors:   CPU_Mapped model buffer size =   942.43 MiB
    llama_kv_cache:        CPU KV buffer size =    48.00 MiB
    llama_context:        CPU  output buffer size =     0.58 MiB
    sched_reserve:        CPU compute buffer size =   298.50 MiB

The exact tensor bytes of each file (from its header) are recorded beside the logged model buffer.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LLAMA_CPP_PYTHON = "0.3.36"
GGUF = "0.19.0"
VENV = os.environ.get("VRAMFIT_LLAMACPP_VENV", os.path.expanduser("~/.cache/vramfit-validation/llamacpp-venv"))
WORK = os.environ.get("VRAMFIT_LLAMACPP_WORK", os.path.expanduser("~/.cache/vramfit-validation/gguf"))

# catalog or validation model id -> llama.cpp architecture
MODELS = [
    ("qwen2.5-0.5b-instruct", "qwen2"),
    ("qwen3-0.6b", "qwen3"),
    ("llama-3.2-1b", "llama"),
    ("gemma-3-1b-it", "gemma3"),
    ("tiny-qwen2moe", "qwen2moe"),
]
# scheme id in catalogs/quant/gguf.yaml -> llama_ftype (include/llama.h)
FTYPES = {"gguf-f16": 1, "q8_0": 7, "q4_0": 2, "q4_k_m": 15, "q6_k": 18}
GGML_TYPES = {"f16": 1, "q8_0": 8, "q4_0": 2}
# (n_ctx, n_ubatch, flash attention, type_k, type_v, n_seq_max): the sweep runs on the Q8_0 file;
# every weight type also runs the first default-like setting. K and V share a type (vramfit takes
# one cache type; a quantized V cache needs flash attention in llama.cpp).
SETTINGS = [
    (4096, 512, True, "f16", "f16", 1),
    (4096, 512, False, "f16", "f16", 1),
    (512, 512, False, "f16", "f16", 1),
    (512, 512, True, "f16", "f16", 1),
    (16384, 512, False, "f16", "f16", 1),
    (16384, 512, True, "f16", "f16", 1),
    (4096, 128, False, "f16", "f16", 1),
    (4096, 128, True, "f16", "f16", 1),
    (4096, 2048, False, "f16", "f16", 1),
    (4096, 2048, True, "f16", "f16", 1),
    (4096, 512, True, "q8_0", "q8_0", 1),
    (16384, 512, True, "f16", "f16", 4),
]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- environment

def ensure_venv():
    """Re-runs this script inside the venv, creating it (and building llama.cpp) when missing."""
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(py):
        log(f"creating {VENV} and building llama-cpp-python {LLAMA_CPP_PYTHON} (this takes a while)")
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    probe = subprocess.run([py, "-c", "import llama_cpp, gguf, numpy, yaml"], capture_output=True)
    if probe.returncode != 0:
        env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=str(os.cpu_count() or 2),
                   CMAKE_ARGS="-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_CURL=OFF")
        subprocess.check_call([py, "-m", "pip", "install", "--no-cache-dir", f"llama-cpp-python=={LLAMA_CPP_PYTHON}",
                               f"gguf=={GGUF}", "numpy", "pyyaml"], env=env)
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


# ---------------------------------------------------------------- models

def load_models():
    import yaml
    sys.path.insert(0, os.path.dirname(HERE))
    from catalog_models import load_catalog_models
    models = load_catalog_models(ROOT)
    with open(os.path.join(ROOT, "validation", "models.yaml")) as f:
        for m in yaml.safe_load(f)["models"]:
            models[m["id"]] = m
    return models


def tensors(m, arch):
    """(name, numpy shape (rows = out, cols = in), is_vector) as convert_hf_to_gguf.py names them."""
    h, n_l, voc = m["hidden_size"], m["num_hidden_layers"], m["vocab_size"]
    heads, kvh = m["num_attention_heads"], m["num_key_value_heads"]
    hd = m.get("head_dim") or h // heads
    inter = m["intermediate_size"]
    out = [("token_embd.weight", (voc, h)), ("output_norm.weight", (h,))]
    if not m.get("tie_word_embeddings"):
        out.append(("output.weight", (voc, h)))
    moe = m.get("moe")
    for i in range(n_l):
        b = f"blk.{i}."
        out += [(b + "attn_norm.weight", (h,)), (b + "attn_q.weight", (heads * hd, h)),
                (b + "attn_k.weight", (kvh * hd, h)), (b + "attn_v.weight", (kvh * hd, h)),
                (b + "attn_output.weight", (h, heads * hd)), (b + "ffn_norm.weight", (h,))]
        if arch in ("qwen2", "qwen2moe"):
            out += [(b + "attn_q.bias", (heads * hd,)), (b + "attn_k.bias", (kvh * hd,)), (b + "attn_v.bias", (kvh * hd,))]
        if arch in ("qwen3", "gemma3"):
            out += [(b + "attn_q_norm.weight", (hd,)), (b + "attn_k_norm.weight", (hd,))]
        if arch == "gemma3":
            out += [(b + "post_attention_norm.weight", (h,)), (b + "post_ffw_norm.weight", (h,))]
        if moe:
            e, fe = moe["num_experts"], moe["expert_intermediate_size"]
            fs = moe.get("shared_expert_intermediate_size", fe * moe.get("shared_experts", 0))
            out += [(b + "ffn_gate_inp.weight", (e, h)), (b + "ffn_gate_exps.weight", (e, fe, h)),
                    (b + "ffn_up_exps.weight", (e, fe, h)), (b + "ffn_down_exps.weight", (e, h, fe)),
                    (b + "ffn_gate_inp_shexp.weight", (h,)), (b + "ffn_gate_shexp.weight", (fs, h)),
                    (b + "ffn_up_shexp.weight", (fs, h)), (b + "ffn_down_shexp.weight", (h, fs))]
        else:
            out += [(b + "ffn_gate.weight", (inter, h)), (b + "ffn_up.weight", (inter, h)), (b + "ffn_down.weight", (h, inter))]
    return out


def write_f16(m, arch, path):
    """An F16 GGUF (1-D tensors F32, as convert_hf_to_gguf.py stores them) with random weights."""
    import gguf
    import numpy as np
    rng = np.random.default_rng(0)
    pattern16 = (rng.standard_normal(1 << 20) * 0.02).astype(np.float16)
    h, heads = m["hidden_size"], m["num_attention_heads"]
    hd = m.get("head_dim") or h // heads
    w = gguf.GGUFWriter(path, arch)
    w.add_name(m["id"])
    w.add_file_type(1)
    w.add_context_length(m["max_context"])
    w.add_embedding_length(h)
    w.add_block_count(m["num_hidden_layers"])
    w.add_feed_forward_length(m["intermediate_size"])
    w.add_head_count(heads)
    w.add_head_count_kv(m["num_key_value_heads"])
    w.add_key_length(hd)
    w.add_value_length(hd)
    w.add_rope_dimension_count(hd)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(1000000.0)
    if m.get("sliding_window") and arch == "gemma3":
        w.add_sliding_window(m["sliding_window"]["window"])
    moe = m.get("moe")
    if moe:
        w.add_expert_count(moe["num_experts"])
        w.add_expert_used_count(moe["experts_per_token"])
        w.add_expert_feed_forward_length(moe["expert_intermediate_size"])
        w.add_expert_shared_feed_forward_length(moe.get("shared_expert_intermediate_size", 0))
    voc = m["vocab_size"]
    # A SentencePiece-style vocabulary of placeholder pieces: byte tokens so llama.cpp finds '\n'.
    toks = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    toks += [f"\u2581t{i}" for i in range(voc - len(toks))]
    types = [2, 3, 3] + [6] * 256 + [1] * (voc - 259)
    w.add_tokenizer_model("llama")
    w.add_token_list(toks)
    w.add_token_scores([0.0] * voc)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    params = 0
    for name, shape in tensors(m, arch):
        n = int(np.prod(shape))
        params += n
        if len(shape) == 1:
            w.add_tensor(name, np.ones(shape, dtype=np.float32))
        else:
            w.add_tensor(name, np.resize(pattern16, shape))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return params


def file_tensor_bytes(path):
    """Exact bytes of the tensor data, and tensor counts per ggml type, from the GGUF header."""
    import gguf
    r = gguf.GGUFReader(path)
    total, types = 0, {}
    for t in r.tensors:
        total += int(t.n_bytes)
        k = t.tensor_type.name
        types[k] = types.get(k, 0) + 1
    return total, types


def quantize(src, dst, ftype):
    import llama_cpp
    p = llama_cpp.llama_model_quantize_default_params()
    p.ftype = ftype
    p.nthread = os.cpu_count() or 2
    rc = llama_cpp.llama_model_quantize(src.encode(), dst.encode(), p)
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize failed ({rc}) for {dst}")


# ---------------------------------------------------------------- one context, in a fresh process

def child_load(spec):
    import ctypes
    import llama_cpp
    llama_cpp.llama_backend_init()
    mp = llama_cpp.llama_model_default_params()
    mp.n_gpu_layers = 0
    mp.use_mmap = True
    model = llama_cpp.llama_model_load_from_file(spec["path"].encode(), mp)
    if not model:
        raise SystemExit("model load failed")
    cp = llama_cpp.llama_context_default_params()
    cp.n_ctx = spec["n_ctx"]
    cp.n_batch = max(2048, spec["n_ubatch"])
    cp.n_ubatch = spec["n_ubatch"]
    cp.n_seq_max = spec["n_seq_max"]
    cp.n_threads = 1
    cp.n_threads_batch = 1
    cp.flash_attn_type = (llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED if spec["flash_attention"]
                          else llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED)
    # llama_context_default_params() sets swa_full (a full-size cache for sliding-window layers);
    # llama-server and the CLI tools default to --swa-full off (common.h), which is what users run.
    cp.swa_full = bool(spec.get("swa_full", False))
    cp.type_k = GGML_TYPES[spec["type_k"]]
    cp.type_v = GGML_TYPES[spec["type_v"]]
    ctx = llama_cpp.llama_init_from_model(model, cp)
    if not ctx:
        raise SystemExit("context creation failed")
    sys.stderr.flush()
    info = llama_cpp.llama_print_system_info()
    print("RESULT " + json.dumps({"system_info": info.decode() if isinstance(info, bytes) else str(info)}), flush=True)
    llama_cpp.llama_free(ctx)
    llama_cpp.llama_model_free(model)
    ctypes.CDLL(None)  # keep ctypes imported for the loader above


MIB = 1024 * 1024
BUF = re.compile(r"(\S+)\s+(model|KV|output|compute|RS) buffer size =\s+([0-9.]+) MiB")


def parse_log(text):
    """Buffer sizes (bytes, from the MiB llama.cpp prints with two decimals) by kind and backend."""
    out = {"buffers": []}
    for m in BUF.finditer(text):
        out["buffers"].append({"backend": m.group(1), "kind": m.group(2), "mib": float(m.group(3))})
    for key, pat in [("n_ctx", r"llama_context: n_ctx\s+=\s+(\d+)"), ("n_ctx_seq", r"n_ctx_seq\s+=\s+(\d+)"),
                     ("n_batch", r"llama_context: n_batch\s+=\s+(\d+)"), ("n_ubatch", r"llama_context: n_ubatch\s+=\s+(\d+)"),
                     ("swa_cells", r"creating\s+SWA KV cache, size = (\d+) cells"),
                     ("non_swa_cells", r"creating non-SWA KV cache, size = (\d+) cells"),
                     ("graph_nodes", r"graph nodes\s+=\s+(\d+)"), ("graph_splits", r"graph splits\s+=\s+(\d+)"),
                     ("flash_attn", r"flash_attn\s+=\s+(\S+)")]:
        found = re.findall(pat, text)
        if found:
            out[key] = int(found[-1]) if found[-1].isdigit() else found[-1]
    kv = re.findall(r"llama_kv_cache: size =\s+([0-9.]+) MiB \(\s*(\d+) cells,\s+(\d+) layers,.*?K \((\w+)\):\s+([0-9.]+) MiB, V \((\w+)\):\s+([0-9.]+) MiB", text)
    out["kv_caches"] = [{"mib": float(a), "cells": int(b), "layers": int(c), "type_k": d, "k_mib": float(e),
                         "type_v": f, "v_mib": float(g)} for a, b, c, d, e, f, g in kv]
    return out


def run_child(spec):
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "_load", json.dumps(spec)],
                       capture_output=True, text=True, timeout=600)
    res = [json.loads(l[7:]) for l in p.stdout.splitlines() if l.startswith("RESULT ")]
    return p.returncode, p.stderr, (res[0] if res else {})


# ---------------------------------------------------------------- driver

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "validation", "data", "llamacpp-cpu.jsonl"))
    ap.add_argument("--models", default="", help="comma-separated subset of model ids")
    ap.add_argument("--types", default=",".join(FTYPES), help="comma-separated weight schemes")
    a = ap.parse_args()
    ensure_venv()
    import llama_cpp
    models = load_models()
    os.makedirs(WORK, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = open(a.out, "a")
    vendor = {"llama_cpp_python": llama_cpp.__version__}
    todo = [m for m in MODELS if not a.models or m[0] in a.models.split(",")]
    for model_id, arch in todo:
        m = models[model_id]
        f16 = os.path.join(WORK, f"{model_id}-f16.gguf")
        if not os.path.exists(f16):
            t0 = time.time()
            params = write_f16(m, arch, f16 + ".tmp")
            os.replace(f16 + ".tmp", f16)
            log(f"wrote {f16}: {params} parameters ({time.time() - t0:.0f}s); catalog says {m['published_params']}")
        files = {}
        for scheme in a.types.split(","):
            path = f16 if scheme == "gguf-f16" else os.path.join(WORK, f"{model_id}-{scheme}.gguf")
            if not os.path.exists(path):
                t0 = time.time()
                quantize(f16, path + ".tmp", FTYPES[scheme])
                os.replace(path + ".tmp", path)
                log(f"quantized {path} ({time.time() - t0:.0f}s)")
            files[scheme] = path
        runs = [(s, SETTINGS[0]) for s in files] + [("q8_0", st) for st in SETTINGS[1:] if "q8_0" in files]
        exact_bytes = {scheme: file_tensor_bytes(path) for scheme, path in files.items()}  # GGUFReader is slow: once per file
        for scheme, (n_ctx, n_ub, fa, tk, tv, nseq) in runs:
            path = files[scheme]
            exact, types = exact_bytes[scheme]
            spec = {"path": path, "n_ctx": n_ctx, "n_ubatch": n_ub, "flash_attention": fa, "type_k": tk, "type_v": tv,
                    "n_seq_max": nseq}
            rc, err, res = run_child(spec)
            rec = {"engine": "llama.cpp", "device": "cpu", "model": model_id, "arch": arch, "scheme": scheme,
                   "n_ctx": n_ctx, "n_ubatch": n_ub, "n_batch": max(2048, n_ub), "flash_attention": fa,
                   "type_k": tk, "type_v": tv, "n_seq_max": nseq, "swa_full": False, "file_tensor_bytes": exact,
                   "file_tensor_types": types,
                   "versions": vendor, "measured_at": stamp}
            if rc != 0:
                rec["error"] = f"rc {rc}"
                rec["detail"] = err[-800:]
            rec.update(parse_log(err))
            sysinfo = res.get("system_info")
            if sysinfo:
                rec["system_info"] = sysinfo
            out.write(json.dumps(rec, sort_keys=True) + "\n")
            out.flush()
            bufs = ", ".join(f"{b['backend']} {b['kind']} {b['mib']}" for b in rec["buffers"])
            log(f"{model_id} {scheme} ctx {n_ctx} ub {n_ub} fa {fa} {tk}/{tv} seq {nseq}: {rec.get('error') or bufs}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "_load":
        child_load(json.loads(sys.argv[2]))
    else:
        main()
