import ArgumentParser
import Foundation
import VramfitCore

/// Flags shared by `estimate` (and later `plan`/`export`): what to run and how.
struct WorkloadOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Quantization scheme id or alias (default: the model's own dtype).")
    var quant: String?
    @Option(name: .shortAndLong, help: "Engine: vllm, sglang, tgi, llama.cpp, ollama, transformers (default: the one most users of the scheme run).")
    var engine: String?
    @Option(name: .customLong("engine-version"), help: "An older engine release whose memory behaviour differs (e.g. v0 for vLLM's V0 engine).")
    var engineVersion: String?
    @Option(help: "Number of GPUs (default: tensor-parallel × pipeline-parallel).")
    var gpus: Int?
    @Option(name: [.customLong("tensor-parallel"), .customLong("tp")], help: "Tensor-parallel size.")
    var tensorParallel: Int?
    @Option(name: [.customLong("pipeline-parallel"), .customLong("pp")], help: "Pipeline-parallel size.")
    var pipelineParallel: Int?
    @Option(name: [.short, .long], help: "Tokens per sequence, prompt + output (default: the engine's default; k/K suffix = ×1024).", transform: parseTokens)
    var context: Int?
    @Option(name: .shortAndLong, help: "Concurrent sequences.")
    var batch: Int = 1
    @Option(name: .customLong("new-tokens"), help: "Tokens generated per sequence (part of the context).")
    var newTokens: Int = 0
    @Option(name: .customLong("kv-cache-dtype"), help: "KV-cache type: fp16, bf16, fp8, q8_0, q4_0.")
    var kvCacheDtype: String?
    @Option(name: .customLong("flash-attention"), help: "on|off (llama.cpp/Ollama compute buffers).")
    var flashAttention: OnOff?
    @Option(name: .customLong("gpu-memory-utilization"), help: "vLLM/TGI/SGLang memory fraction in (0, 1].")
    var gpuMemoryUtilization: Double?
    @Option(name: .customLong("set"), help: ArgumentHelp("Engine setting by the engine's own name, e.g. --set n_ubatch=1024 (repeatable).", valueName: "NAME=VALUE"))
    var settings: [String] = []

    enum OnOff: String, ExpressibleByArgument { case on, off }

    func validate() throws {
        if let g = gpus, g < 1 { throw ValidationError("--gpus must be at least 1, got \(g)") }
        if let t = tensorParallel, t < 1 { throw ValidationError("--tensor-parallel must be at least 1, got \(t)") }
        if let p = pipelineParallel, p < 1 { throw ValidationError("--pipeline-parallel must be at least 1, got \(p)") }
        if let c = context, c < 1 { throw ValidationError("--context must be at least 1 token, got \(c)") }
        if batch < 1 { throw ValidationError("--batch must be at least 1, got \(batch)") }
        if newTokens < 0 { throw ValidationError("--new-tokens must not be negative, got \(newTokens)") }
        if let u = gpuMemoryUtilization, !(u > 0 && u <= 1) {
            throw ValidationError("--gpu-memory-utilization must be in (0, 1], got \(u)")
        }
        if let g = gpus, let t = tensorParallel, let p = pipelineParallel, g != t * p {
            throw ValidationError("--gpus \(g) does not equal --tensor-parallel \(t) × --pipeline-parallel \(p)")
        }
        _ = try parsedSettings()
    }

    func parsedSettings() throws -> [String: Double] {
        var out: [String: Double] = [:]
        for s in settings {
            let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--set expects NAME=VALUE, got '\(s)'") }
            switch parts[1].lowercased() {
            case "true", "on": out[parts[0]] = 1
            case "false", "off": out[parts[0]] = 0
            default:
                guard let v = Double(parts[1]), v.isFinite else { throw ValidationError("--set \(parts[0]): '\(parts[1])' is not a number") }
                out[parts[0]] = v
            }
        }
        return out
    }
}

/// "32768", "32k", "32K", "1m" → tokens (k = 1024, the way context sizes are quoted).
func parseTokens(_ s: String) throws -> Int {
    let t = s.trimmingCharacters(in: .whitespaces).lowercased()
    var mult = 1, digits = t
    if t.hasSuffix("k") { mult = 1024; digits = String(t.dropLast()) }
    if t.hasSuffix("m") { mult = 1 << 20; digits = String(t.dropLast()) }
    guard let n = Int(digits) else { throw ValidationError("'\(s)' is not a token count (e.g. 8192 or 32k)") }
    let (r, o) = n.multipliedReportingOverflow(by: mult)
    guard !o else { throw ValidationError("'\(s)' is too large") }
    return r
}
