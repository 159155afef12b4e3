"""Catalog model entries -> Hugging Face config.json dictionaries.

The validation scripts build every measured model from vramfit's own catalog (catalogs/models/*.yaml),
so a measurement checks the estimator against the architecture the estimator reads, and nothing
is downloaded: weights are random (`from_config`). Only fields that change tensor shapes, cache
layout or attention behaviour are set; the rest keep transformers' defaults for the model type.

Mapping of catalog `family` to the transformers model type follows each family's published
config.json (architectures / model_type), cited in the catalog entries' `source:` lists.
"""

import glob
import os

import yaml


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_catalog_models(root=None):
    """All model entries of catalogs/models/*.yaml by id."""
    root = root or repo_root()
    models = {}
    for path in sorted(glob.glob(os.path.join(root, "catalogs", "models", "*.yaml"))):
        with open(path) as f:
            doc = yaml.safe_load(f)
        for m in doc.get("models", []):
            models[m["id"]] = m
    return models


TORCH_DTYPE = {"bfloat16": "bfloat16", "float16": "float16", "float32": "float32"}


def _sliding(entry):
    sw = entry.get("sliding_window")
    return sw.get("window") if sw else None


def hf_config(entry):
    """config.json for a catalog entry. Raises KeyError for families not mapped here."""
    fam = entry["family"]
    moe = entry.get("moe")
    mla = entry.get("mla")
    c = {
        "vocab_size": entry["vocab_size"],
        "hidden_size": entry["hidden_size"],
        "intermediate_size": entry["intermediate_size"],
        "num_hidden_layers": entry["num_hidden_layers"],
        "num_attention_heads": entry["num_attention_heads"],
        "num_key_value_heads": entry["num_key_value_heads"],
        "max_position_embeddings": entry["max_context"],
        "tie_word_embeddings": bool(entry.get("tie_word_embeddings", False)),
        "torch_dtype": TORCH_DTYPE[entry.get("dtype", "bfloat16")],
        "bos_token_id": 1,
        "eos_token_id": 2,
        "pad_token_id": 0,
    }
    if entry.get("head_dim"):
        c["head_dim"] = entry["head_dim"]

    if fam.startswith("llama-") and fam != "llama-4":
        c.update(model_type="llama", architectures=["LlamaForCausalLM"], rms_norm_eps=1e-5,
                 rope_theta=500000.0 if not fam.startswith("llama-2") else 10000.0,
                 attention_bias=False, mlp_bias=False, hidden_act="silu")
    elif fam in ("mistral", "mistral-nemo", "mistral-small"):
        c.update(model_type="mistral", architectures=["MistralForCausalLM"], rms_norm_eps=1e-5,
                 rope_theta=1000000.0, sliding_window=_sliding(entry), hidden_act="silu")
    elif fam in ("qwen2.5", "qwen1.5") and not moe:
        c.update(model_type="qwen2", architectures=["Qwen2ForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=1000000.0, use_sliding_window=False, hidden_act="silu")
    elif fam == "qwen1.5" and moe:
        c.update(model_type="qwen2_moe", architectures=["Qwen2MoeForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=1000000.0, use_sliding_window=False, hidden_act="silu",
                 num_experts=moe["num_experts"], num_experts_per_tok=moe["experts_per_token"],
                 moe_intermediate_size=moe["expert_intermediate_size"],
                 shared_expert_intermediate_size=moe.get("shared_expert_intermediate_size",
                                                         moe["expert_intermediate_size"]),
                 decoder_sparse_step=1, mlp_only_layers=[], norm_topk_prob=False)
    elif fam == "qwen3" and not moe:
        c.update(model_type="qwen3", architectures=["Qwen3ForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=1000000.0, use_sliding_window=False, hidden_act="silu", attention_bias=False)
    elif fam == "qwen3" and moe:
        c.update(model_type="qwen3_moe", architectures=["Qwen3MoeForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=1000000.0, use_sliding_window=False, hidden_act="silu", attention_bias=False,
                 num_experts=moe["num_experts"], num_experts_per_tok=moe["experts_per_token"],
                 moe_intermediate_size=moe["expert_intermediate_size"], decoder_sparse_step=1,
                 mlp_only_layers=[], norm_topk_prob=True)
    elif fam == "gemma":
        c.update(model_type="gemma", architectures=["GemmaForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=10000.0, hidden_act="gelu_pytorch_tanh", hidden_activation="gelu_pytorch_tanh")
    elif fam == "gemma-2":
        c.update(model_type="gemma2", architectures=["Gemma2ForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=10000.0, hidden_activation="gelu_pytorch_tanh",
                 sliding_window=_sliding(entry), query_pre_attn_scalar=entry["head_dim"],
                 attn_logit_softcapping=50.0, final_logit_softcapping=30.0)
    elif fam == "gemma-3" and not entry.get("vision"):
        c.update(model_type="gemma3_text", architectures=["Gemma3ForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=1000000.0, rope_local_base_freq=10000.0, hidden_activation="gelu_pytorch_tanh",
                 sliding_window=_sliding(entry), sliding_window_pattern=6,
                 query_pre_attn_scalar=entry["head_dim"])
    elif fam == "phi-3":
        c.update(model_type="phi3", architectures=["Phi3ForCausalLM"], rms_norm_eps=1e-5,
                 rope_theta=10000.0, sliding_window=_sliding(entry), hidden_act="silu", pad_token_id=32000,
                 eos_token_id=32000)
    elif fam == "deepseek-v2" and mla and moe:
        c.update(model_type="deepseek_v2", architectures=["DeepseekV2ForCausalLM"], rms_norm_eps=1e-6,
                 rope_theta=10000.0, hidden_act="silu", q_lora_rank=mla.get("q_lora_rank"),
                 kv_lora_rank=mla["kv_lora_rank"], qk_rope_head_dim=mla["qk_rope_head_dim"],
                 qk_nope_head_dim=mla["qk_nope_head_dim"], v_head_dim=mla["v_head_dim"],
                 n_routed_experts=moe["num_experts"], num_experts_per_tok=moe["experts_per_token"],
                 moe_intermediate_size=moe["expert_intermediate_size"], n_shared_experts=moe.get("shared_experts", 0),
                 first_k_dense_replace=moe.get("first_dense_layers", 0), moe_layer_freq=1,
                 topk_method="greedy", n_group=1, topk_group=1, norm_topk_prob=False,
                 routed_scaling_factor=1.0, scoring_func="softmax", aux_loss_alpha=0.0)
        c.pop("head_dim", None)
    else:
        raise KeyError(f"family {fam!r} has no transformers config mapping in validation/catalog_models.py")
    return {k: v for k, v in c.items() if v is not None or k in ("sliding_window", "q_lora_rank")}
