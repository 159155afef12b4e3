# vramfit export: Qwen2.5-72B-Instruct · awq · transformers 5.17 on 2 × NVIDIA A100 40GB SXM4
# context 8192 tokens × batch 1: keep prompt + max_new_tokens within 8192 per sequence.
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

repo = "Qwen/Qwen2.5-72B-Instruct-AWQ"
# Weights budget per device: capacity minus the KV cache, activations and overhead vramfit reserves there.
max_memory = {0: "35943MiB", 1: "35942MiB"}
model = AutoModelForCausalLM.from_pretrained(
    repo,
    dtype=torch.float16,
    device_map="auto",
    max_memory=max_memory,
)
tokenizer = AutoTokenizer.from_pretrained(repo)
