# vramfit export: Qwen2.5-14B-Instruct · awq · transformers 5.17 on 1 × NVIDIA GeForce RTX 4090
# context 8192 tokens × batch 1: keep prompt + max_new_tokens within 8192 per sequence.
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

repo = "Qwen/Qwen2.5-14B-Instruct-AWQ"
# Weights budget per device: capacity minus the KV cache, activations and overhead vramfit reserves there.
max_memory = {0: "20574MiB"}
model = AutoModelForCausalLM.from_pretrained(
    repo,
    dtype=torch.float16,
    device_map="auto",
    max_memory=max_memory,
)
tokenizer = AutoTokenizer.from_pretrained(repo)
