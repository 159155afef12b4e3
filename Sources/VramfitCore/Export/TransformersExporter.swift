/// Hugging Face transformers + accelerate: a Python snippet that loads the model as estimated.
///
/// API: https://huggingface.co/docs/transformers/main_classes/model (from_pretrained `dtype`,
/// `device_map`, `max_memory`, `quantization_config`; transformers 4.56+ renamed `torch_dtype` to
/// `dtype`), https://huggingface.co/docs/accelerate/concept_guides/big_model_inference (max_memory
/// strings such as "9000MiB"; a device left out of max_memory gets no weights),
/// https://huggingface.co/docs/transformers/quantization/bitsandbytes (BitsAndBytesConfig
/// load_in_4bit, bnb_4bit_quant_type, bnb_4bit_use_double_quant, bnb_4bit_compute_dtype, load_in_8bit),
/// https://huggingface.co/docs/transformers/quantization/torchao (TorchAoConfig("int8_weight_only")).
///
/// `transformers`: device_map="auto" bounded by max_memory, where each GPU's budget is its
/// capacity less the KV cache, activation peak and overhead the estimate puts on it (a
/// weights-only "auto" map fills GPU 0 and leaves nothing to generate with).
/// `accelerate`: an explicit device_map that pins each decoder layer where the estimate placed it.
struct TransformersExporter: Exporter {
    var target: ExportTarget

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        try p.refuseSplit(target, "accelerate places whole layers on devices: use --gpus N without --tensor-parallel")
        var notes: [String] = []
        let source = p.weightSource(loadQuantizable: ["bnb-nf4", "bnb-nf4-dq", "bnb-fp4", "bnb-fp4-dq", "bnb-int8", "int8"])
        let model = p.modelReference(source, notes: &notes, readsConfig: "transformers")
        let dtype = "torch." + p.computeDType.rawValue
        let quant = source == .quantizedAtLoad ? quantizationConfig(p, dtype: dtype) : nil
        var imports = ["AutoModelForCausalLM", "AutoTokenizer"]
        if let q = quant { imports.append(q.hasPrefix("TorchAo") ? "TorchAoConfig" : "BitsAndBytesConfig") }

        var lines = [
            "# vramfit export: \(p.model.name) · \(p.scheme.id) · transformers \(p.engine.version) on \(p.gpus) × \(p.gpu.name)",
            "# context \(p.context) tokens × batch \(p.batch): keep prompt + max_new_tokens within \(p.context) per sequence.",
            "import torch",
            "from transformers import \(imports.joined(separator: ", "))",
            "",
            "repo = \(python(model))",
        ]
        if target == .accelerate {
            lines += deviceMapLines(p)
        } else {
            lines += ["# Weights budget per device: capacity minus the KV cache, activations and overhead vramfit reserves there."]
            lines += ["max_memory = {" + maxMemory(p).joined(separator: ", ") + "}"]
        }
        lines += ["model = AutoModelForCausalLM.from_pretrained(", "    repo,", "    dtype=\(dtype),"]
        lines += target == .accelerate ? ["    device_map=device_map,"] : ["    device_map=\"auto\",", "    max_memory=max_memory,"]
        if let q = quant { lines += ["    quantization_config=\(q),"] }
        lines += [")", "tokenizer = AutoTokenizer.from_pretrained(repo)", ""]
        if !p.kvIsDefault {
            notes.append("transformers keeps the KV cache in the model dtype; the estimate's \(p.kvCacheType.id) cache needs a quantized cache (generate(cache_implementation=\"quantized\")) and is not written")
        }
        if target == .transformers && !p.devices.contains(where: { !$0.isAccelerator && $0.weights.value > 0 }) {
            notes.append("max_memory has no \"cpu\" entry: weights that do not fit are not offloaded to the CPU (transformers stops and asks for an offload_folder)")
        }
        if target == .accelerate {
            notes.append("module names follow Llama-style decoders (model.embed_tokens, model.layers.N, model.norm, lm_head); adjust for other architectures")
        }
        let file = "load_\(String(p.model.id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }))_\(target == .accelerate ? "accelerate" : "transformers").py"
        return LaunchConfig(target: target, command: ["python", file], files: [.init(file, lines.joined(separator: "\n"))], notes: notes)
    }

    /// One entry per accelerator ("9523MiB", rounded down) and "cpu" only where the estimate put
    /// something in host memory: without it, accelerate cannot offload silently to the CPU.
    func maxMemory(_ p: ExportPlan) -> [String] {
        var out: [String] = []
        for (i, d) in p.accelerators.enumerated() {
            let budget = max(d.capacity - d.reserve, .zero)
            let key = p.gpu.kind == .gpu ? String(i) : (p.gpu.kind == .unified ? "\"mps\"" : "\"cpu\"")
            out.append("\(key): \"\(budget.value / (1 << 20))MiB\"")
        }
        if p.gpu.kind == .gpu, let host = p.devices.first(where: { !$0.isAccelerator }), host.weights.value > 0 {
            out.append("\"cpu\": \"\(host.weights.value / (1 << 20))MiB\"")
        }
        return out
    }

    /// Embeddings on the first device, each layer where the placement puts it, final norm and
    /// head on the last: the estimate's layout, so per-device KV and activations match it.
    func deviceMapLines(_ p: ExportPlan) -> [String] {
        let counts = p.layerCounts
        let dev: (Int) -> String = { i in p.gpu.kind == .gpu ? String(i) : (p.gpu.kind == .unified ? "\"mps\"" : "\"cpu\"") }
        if counts.count <= 1 { return ["device_map = {\"\": \(dev(0))}"] }
        var lines = ["# Layers per device as vramfit placed them: \(counts.map(String.init).joined(separator: ", ")).",
                     "device_map = {\"model.embed_tokens\": \(dev(0)), \"model.rotary_emb\": \(dev(0)), "
                         + "\"model.norm\": \(dev(counts.count - 1)), \"lm_head\": \(dev(counts.count - 1))}"]
        var start: Int64 = 0
        for (i, n) in counts.enumerated() where n > 0 {
            lines.append("device_map.update({f\"model.layers.{i}\": \(dev(i)) for i in range(\(start), \(start + n))})")
            start += n
        }
        return lines
    }

    func quantizationConfig(_ p: ExportPlan, dtype: String) -> String {
        switch p.scheme.id {
        case "bnb-int8": return "BitsAndBytesConfig(load_in_8bit=True)"
        case "int8": return "TorchAoConfig(\"int8_weight_only\")"
        default:
            let type = p.scheme.id.contains("fp4") ? "fp4" : "nf4"
            let dq = p.scheme.id.hasSuffix("-dq") ? "True" : "False"
            return "BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type=\"\(type)\", bnb_4bit_use_double_quant=\(dq), bnb_4bit_compute_dtype=\(dtype))"
        }
    }

    func python(_ s: String) -> String {
        "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\""
    }
}
