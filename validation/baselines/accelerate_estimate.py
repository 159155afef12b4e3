#!/usr/bin/env python3
"""What Hugging Face `accelerate estimate-memory` says for every model in validation/data.

    python3 validation/baselines/accelerate_estimate.py --out validation/data/baselines-accelerate.jsonl

`accelerate estimate-memory NAME` only takes a Hub repository: it calls `model_info(NAME)` on the Hub
before reading the config (accelerate/commands/estimate.py `create_empty_model` → `verify_on_hub`),
so a local folder is refused and this machine cannot reach the Hub. This script runs the same
computation through accelerate's own functions on the catalog's config: the model is built on the
meta device with `init_empty_weights()` from `AutoModel` (the class the command uses when the
config has no auto_map — the bare model, without the LM head), measured with
`accelerate.utils.calculate_maximum_sizes`, and the fp32 total is divided by 2 / 4 / 8 for
float16 / int8 / int4 exactly as `gather_data` does. Needs torch, transformers and accelerate
(CPU is enough).
"""

import argparse
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from catalog_models import hf_config, load_catalog_models  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "validation", "data", "baselines-accelerate.jsonl"))
    a = ap.parse_args()
    import accelerate
    import torch  # noqa: F401
    import transformers
    import yaml
    from accelerate import init_empty_weights
    from accelerate.utils import calculate_maximum_sizes
    from transformers import AutoConfig, AutoModel
    transformers.logging.set_verbosity_error()

    models = load_catalog_models(ROOT)
    with open(os.path.join(ROOT, "validation", "models.yaml")) as f:
        for m in yaml.safe_load(f)["models"]:
            models[m["id"]] = m
    wanted = set()
    for path in glob.glob(os.path.join(ROOT, "validation", "data", "*.jsonl")):
        if os.path.basename(path).startswith("baselines"):
            continue
        for line in open(path):
            r = json.loads(line)
            if "model" in r:
                wanted.add(r["model"])
    with open(a.out, "w") as out:
        for mid in sorted(wanted):
            cfg = dict(hf_config(models[mid]))
            model_type = cfg.pop("model_type")
            config = AutoConfig.for_model(model_type, **cfg)
            with init_empty_weights():
                model = AutoModel.from_config(config)
            total, largest = calculate_maximum_sizes(model)
            rec = {"model": mid, "tool": "accelerate estimate-memory", "accelerate": accelerate.__version__,
                   "transformers": transformers.__version__, "model_class": type(model).__name__,
                   "float32_bytes": int(total), "float16_bytes": int(total / 2), "int8_bytes": int(total / 4),
                   "int4_bytes": int(total / 8), "largest_layer_float32_bytes": int(largest[0])}
            out.write(json.dumps(rec, sort_keys=True) + "\n")
            print(mid, rec["float16_bytes"], rec["model_class"], file=sys.stderr)


if __name__ == "__main__":
    main()
