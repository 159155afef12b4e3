/// Hugging Face transformers + accelerate: a Python snippet that loads the model as estimated.
///
/// API: https://huggingface.co/docs/transformers/main_classes/model (from_pretrained `dtype`,
/// `device_map`, `max_memory`, `quantization_config`; transformers 4.56+ renamed `torch_dtype` to
/// `dtype`), https://huggingface.co/docs/accelerate/concept_guides/big_model_inference (max_memory
/// strings such as "9000MiB"; a device left out of max_memory gets no weights),
/// https://huggingface.co/docs/transformers/quantization/bitsandbytes (BitsAndBytesConfig
/// load_in_4bit, bnb_4bit_quant_type, bnb_4bit_use_double_quant, bnb_4bit_compute_dtype, load_in_8bit),
/// https://huggingface.co/docs/transformers/quantization/torchao (TorchAoConfig(Int8WeightOnlyConfig()):
/// transformers 5 refuses the old string form). Names checked against catalogs/engines/flags/transformers.yaml,
/// itself checked in the transformers 5.17.0 wheel (utils/quantization_config.py, modeling_utils.py).
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
        let quant = source == .quantizedAtLoad ? quantizationConfig(p, dtype: dtype, cpuOffload: p.offloadsToCPU) : nil
        var imports = ["AutoModelForCausalLM", "AutoTokenizer"]
        if let q = quant { imports.append(q.hasPrefix("TorchAo") ? "TorchAoConfig" : "BitsAndBytesConfig") }

        var lines = [
            "# vramfit export: \(p.model.name) · \(p.scheme.id) · transformers \(p.engine.version) on \(p.gpus) × \(p.gpu.name)",
            "# context \(p.context) tokens × batch \(p.batch): keep prompt + max_new_tokens within \(p.context) per sequence.",
            "import torch",
            "from transformers import \(imports.joined(separator: ", "))",
        ] + (quant?.hasPrefix("TorchAo") == true ? ["from torchao.quantization import Int8WeightOnlyConfig"] : []) + [
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
        switch RuleSubject.family(of: p.scheme) {
        case "awq": notes.append("transformers 5 loads AWQ checkpoints through gptqmodel (pip install gptqmodel accelerate; quantizers/quantizer_awq.py); vLLM serves them faster")
        case "gptq": notes.append("transformers loads GPTQ checkpoints through optimum and gptqmodel (pip install optimum gptqmodel; quantizers/quantizer_gptq.py)")
        case "bnb": notes.append("needs the bitsandbytes package (pip install bitsandbytes)")
        case "int8": notes.append("needs the torchao package (pip install torchao)")
        default: break
        }
        if !p.kvIsDefault {
            notes.append("transformers keeps the KV cache in the model dtype; the estimate's \(p.kvCacheType.id) cache needs a quantized cache (generate(cache_implementation=\"quantized\")) and is not written")
        }
        if p.offloadsToCPU, let m = p.deviceMap {
            let cpu = m.devices.first { $0.gpu == nil }
            notes.append("\(ByteFormat.binary(m.offloaded)) of weights\(cpu.map { " (\($0.layers) layers)" } ?? "") stay in CPU RAM: accelerate moves them to the GPU for every forward pass — offline use")
        } else if target == .transformers && !p.devices.contains(where: { !$0.isAccelerator && $0.weights.value > 0 }) {
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
        if let m = p.deviceMap {
            // The map's budgets: capacity less each GPU's reserve, and the CPU RAM it uses.
            return m.devices.map { d in
                let mib = d.gpu == nil ? max(d.capacity, d.weights).value >> 20 : max(d.maxMemory, .zero).value >> 20
                return "\(d.gpu == nil ? "\"cpu\"" : d.name): \"\(mib)MiB\""
            }
        }
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
        if let m = p.deviceMap {
            return ["# Placement as vramfit mapped it: GPUs first, the rest in CPU RAM.", "device_map = \(m.accelerateDeviceMap)"]
        }
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

    /// bitsandbytes refuses a device map with "cpu" entries unless the offloaded modules stay in
    /// fp32 (`llm_int8_enable_fp32_cpu_offload`, transformers quantizers/quantizer_bnb_4bit.py and
    /// _8bit.py validate_environment).
    func quantizationConfig(_ p: ExportPlan, dtype: String, cpuOffload: Bool) -> String {
        let offload = cpuOffload ? ", llm_int8_enable_fp32_cpu_offload=True" : ""
        switch p.scheme.id {
        case "bnb-int8": return "BitsAndBytesConfig(load_in_8bit=True\(offload))"
        // transformers 5 takes a torchao config object; the string form ("int8_weight_only") now raises.
        case "int8": return "TorchAoConfig(quant_type=Int8WeightOnlyConfig())"
        default:
            let type = p.scheme.id.contains("fp4") ? "fp4" : "nf4"
            let dq = p.scheme.id.hasSuffix("-dq") ? "True" : "False"
            return "BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type=\"\(type)\", bnb_4bit_use_double_quant=\(dq), bnb_4bit_compute_dtype=\(dtype)\(offload))"
        }
    }

    func python(_ s: String) -> String {
        "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\""
    }
}
