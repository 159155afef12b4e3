import Foundation
import VramfitCore

/// Turns the measurement scripts' JSON Lines (validation/data/*.jsonl) into `AccuracyCase`s.
/// Text in, values out: the caller reads the files. Lines with an `error` field (a shape that ran
/// out of memory, a process that failed) are counted, not compared.
public enum MeasurementReader {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var source: String
        public var message: String
        public var description: String { "\(source): \(message)" }
    }

    public struct Result: Sendable {
        public var cases: [AccuracyCase] = []
        /// `file:line: error` of the lines that record a failed run.
        public var failedRuns: [String] = []
    }

    /// GPU names as NVML prints them → catalog GPU ids (the boards measurements were taken on).
    static let deviceNames: [String: String] = ["NVIDIA H100 80GB HBM3": "h100-sxm", "NVIDIA H200": "h200"]
    /// The catalog entry standing for "this machine's CPU" in llama.cpp CPU runs; its capacity plays no part.
    static let cpuHost = "cpu-64gb-ddr5"

    /// `accelerate`'s totals by model id, from validation/data/baselines-accelerate.jsonl.
    public static func accelerateTotals(_ text: String, file: String) throws -> [String: [String: Int64]] {
        var out: [String: [String: Int64]] = [:]
        for (i, line) in lines(text) {
            let o = try object(line, "\(file):\(i)")
            guard let model = o["model"] as? String else { continue }
            var d: [String: Int64] = [:]
            for k in ["float32_bytes", "float16_bytes", "int8_bytes", "int4_bytes"] { d[k] = int(o[k]) }
            out[model] = d
        }
        return out
    }

    public static func cases(_ text: String, file: String, accelerate: [String: [String: Int64]] = [:]) throws -> Result {
        var r = Result()
        for (i, line) in lines(text) {
            let src = "\(file):\(i)"
            let o = try object(line, src)
            if let e = o["error"] as? String {
                r.failedRuns.append("\(src): \(o["model"] as? String ?? "?") \(o["scheme"] as? String ?? "") — \(e)")
                continue
            }
            if (o["tiny"] as? Bool) == true { continue }
            switch o["engine"] as? String {
            case "transformers": r.cases.append(try transformers(o, src, accelerate))
            case "llama.cpp": r.cases.append(try llamaCpp(o, src, accelerate))
            default: throw Failure(source: src, message: "unknown engine \(String(describing: o["engine"]))")
            }
        }
        return r
    }

    /// One line saying where a data file's measurements come from: engine, versions, device, date, runs.
    public static func provenance(_ text: String, file: String) -> String {
        var engines = Set<String>(), devices = Set<String>(), versions = Set<String>(), dates = Set<String>()
        var runs = 0, failed = 0
        for (_, line) in lines(text) {
            guard let o = try? object(line, file) else { continue }
            runs += 1
            if o["error"] != nil { failed += 1 }
            if let e = o["engine"] as? String { engines.insert(e) }
            if let d = o["device"] as? String { devices.insert(d == "cpu" ? "this machine's CPU" : d) }
            if let d = (o["measured_at"] as? String)?.prefix(10) { dates.insert(String(d)) }
            if let v = o["versions"] as? [String: Any] {
                versions.insert(v.keys.sorted().map { "\($0) \(v[$0] ?? "")" }.joined(separator: ", "))
            }
            if let d = o["driver"] as? String { versions.insert("driver \(d)") }
        }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return "`\(name)`: \(engines.sorted().joined(separator: ", ")) on \(devices.sorted().joined(separator: ", ")) "
            + "(\(versions.sorted().joined(separator: "; "))), measured \(dates.sorted().joined(separator: ", ")); "
            + "\(runs) runs\(failed > 0 ? ", \(failed) did not complete" : "")"
    }

    // MARK: transformers (validation/transformers/measure.py)

    static func transformers(_ o: [String: Any], _ src: String, _ acc: [String: [String: Int64]]) throws -> AccuracyCase {
        let model = try string(o, "model", src), scheme = try string(o, "scheme", src)
        let device = try string(o, "device", src)
        guard let gpu = deviceNames[device] else { throw Failure(source: src, message: "no catalog GPU for device '\(device)'") }
        let prompt = try int64(o, "prompt_tokens", src), batch = try int64(o, "batch", src)
        // The cache holds prompt + generated − 1 tokens (the last token is never fed back): that is
        // the context the estimator sizes, with the prompt as the prefill.
        let cached = try int64(o, "cache_tokens", src)
        let workload = Workload(context: cached, batch: batch, newTokens: cached - prompt)
        let weights = try int64(o, "weights_allocated_bytes", src)
        let kv = try int64(o, "kv_cache_bytes", src)
        let peak = try int64(o, "peak_allocated_bytes", src)
        let reserved = try int64(o, "peak_reserved_bytes", src)
        let used = try int64(o, "used_bytes", src)
        var m: [AccuracyCase.Component: ByteCount] = [
            .weights: ByteCount(weights), .kvCache: ByteCount(kv), .activations: ByteCount(peak - weights - kv),
            .allocatorPeak: ByteCount(peak), .allocatorSlack: ByteCount(reserved - peak), .total: ByteCount(used),
        ]
        if let n = int(o["non_allocator_bytes"]) { m[.nonAllocator] = ByteCount(n) }
        let dtypeKey = scheme.hasPrefix("bnb-nf4") || scheme.hasPrefix("bnb-fp4") ? "int4_bytes"
            : scheme == "bnb-int8" ? "int8_bytes" : "float16_bytes"
        return AccuracyCase(source: src, engine: "transformers", model: model, scheme: scheme, gpu: gpu, workload: workload,
                            setting: "\(prompt) × \(batch)", measured: m,
                            accelerateEstimate: acc[model]?[dtypeKey].map(ByteCount.init))
    }

    // MARK: llama.cpp (validation/llamacpp/measure.py)

    static func llamaCpp(_ o: [String: Any], _ src: String, _ acc: [String: [String: Int64]]) throws -> AccuracyCase {
        let model = try string(o, "model", src), scheme = try string(o, "scheme", src)
        let nCtx = try int64(o, "n_ctx", src), nSeq = try int64(o, "n_seq_max", src)
        let ub = try int64(o, "n_ubatch", src), nb = try int64(o, "n_batch", src)
        let fa = (o["flash_attention"] as? Bool) ?? false
        let tk = try string(o, "type_k", src), tv = try string(o, "type_v", src)
        guard tk == tv else { throw Failure(source: src, message: "K and V cache types differ (\(tk)/\(tv)); the estimator takes one type") }
        guard let buffers = o["buffers"] as? [[String: Any]] else { throw Failure(source: src, message: "no buffers") }
        var sums: [String: Int64] = [:]
        var repack: Int64 = 0
        for b in buffers {
            guard let kind = b["kind"] as? String, let mib = b["mib"] as? Double else { continue }
            // The log prints MiB with two decimals: ±5 KiB per line.
            let bytes = Int64((mib * 1_048_576).rounded())
            sums[kind, default: 0] += bytes
            if kind == "model", (b["backend"] as? String)?.hasSuffix("REPACK") == true { repack += bytes }
        }
        guard let model_ = sums["model"], let kv = sums["KV"], let compute = sums["compute"], let output = sums["output"] else {
            throw Failure(source: src, message: "a buffer line is missing (model/KV/compute/output)")
        }
        // Weights: the file's exact tensor bytes (mmap'd; "CPU_Mapped" logs the span of the mapping, which
        // ends at the last tensor it serves) plus the copies the CPU backend repacks ("CPU_REPACK").
        let weights = int(o["file_tensor_bytes"]).map { $0 + repack } ?? model_
        let m: [AccuracyCase.Component: ByteCount] = [
            .weights: ByteCount(weights), .kvCache: ByteCount(kv), .activations: ByteCount(compute), .output: ByteCount(output),
            .total: ByteCount(weights + kv + compute + output),
        ]
        let workload = Workload(context: nCtx / nSeq, batch: nSeq, kvCacheType: tk, flashAttention: fa,
                                engineSettings: ["n_ubatch": Double(ub), "n_batch": Double(nb)])
        let dtypeKey = scheme == "q8_0" ? "int8_bytes" : scheme == "gguf-f16" ? "float16_bytes" : "int4_bytes"
        let setting = "n_ctx \(nCtx)\(nSeq > 1 ? " (\(nSeq) seq)" : ""), ub \(ub), FA \(fa ? "on" : "off")\(tk == "f16" ? "" : ", KV \(tk)")"
        return AccuracyCase(source: src, engine: "llama.cpp", model: model, scheme: scheme, gpu: cpuHost, workload: workload,
                            setting: setting, measured: m,
                            accelerateEstimate: scheme == "q6_k" ? nil : acc[model]?[dtypeKey].map(ByteCount.init))
    }

    // MARK: JSON helpers

    static func lines(_ text: String) -> [(Int, Substring)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { ($0.offset + 1, $0.element) }.filter { !$0.1.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    static func object(_ line: Substring, _ src: String) throws -> [String: Any] {
        guard let data = line.data(using: .utf8),
              let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(source: src, message: "not a JSON object")
        }
        return o
    }

    /// Integers as JSONSerialization gives them (NSNumber; `is Bool` is no test on Linux, where
    /// 1 bridges to true, so the fields read here are never booleans).
    static func int(_ v: Any?) -> Int64? {
        if let n = v as? Int64 { return n }
        if let n = v as? Int { return Int64(n) }
        if let n = v as? NSNumber { return n.int64Value }
        return nil
    }

    static func int64(_ o: [String: Any], _ k: String, _ src: String) throws -> Int64 {
        guard let v = int(o[k]) else { throw Failure(source: src, message: "missing number '\(k)'") }
        return v
    }

    static func string(_ o: [String: Any], _ k: String, _ src: String) throws -> String {
        guard let v = o[k] as? String else { throw Failure(source: src, message: "missing string '\(k)'") }
        return v
    }
}
