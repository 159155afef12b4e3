/// A model split by llama.cpp's gguf-split into `PREFIX-00001-of-0000N.gguf` … `PREFIX-0000N-of-0000N.gguf`.
///
/// Every shard is a whole GGUF file with its own header. gguf-split (llama.cpp
/// tools/gguf-split/gguf-split.cpp, `split_strategy`) writes three keys into each: `split.no` (u16,
/// from 0), `split.count` (u16) and `split.tensors.count` (i32, the tensors of all shards together);
/// the first shard also carries all of the model's metadata, the others only those keys and their
/// tensor infos. llama.cpp's loader (llama-model-loader.cpp) finds the other shards by that file
/// name pattern (`llama_split_path`, "%s-%05d-of-%05d.gguf") and refuses a set whose numbers or
/// tensor total disagree; so does this reader, before summing anything.
public enum GGUFSplit {
    /// Shards of one model. gguf-split allows up to 65535 (`split.count` is a u16); real models have
    /// tens. The cap bounds how many headers one `--model` reads.
    public static let maxShards = 1024

    /// The `split.*` keys of one shard.
    public struct Info: Sendable, Equatable {
        /// 0-based, as in `split.no`.
        public var index: Int
        public var count: Int
        public var totalTensors: Int64
    }

    /// A file name in gguf-split's pattern, taken apart (`index` 0-based).
    public struct Name: Sendable, Equatable {
        public var prefix: String
        public var index: Int
        public var count: Int

        /// The name of shard `index` (0-based) of this set.
        public func shard(_ index: Int) -> String { "\(prefix)-\(Self.pad(index + 1))-of-\(Self.pad(count)).gguf" }

        static func pad(_ n: Int) -> String {
            let s = String(n)
            return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
        }
    }

    /// The split keys of `h`, checked; nil when the file carries none (a file on its own) or says
    /// it is one shard of one.
    public static func info(_ h: GGUFHeader) throws -> Info? {
        let keys = ["split.no", "split.count", "split.tensors.count"]
        let present = keys.filter { h.metadata[$0] != nil }
        if present.isEmpty { return nil }
        guard present.count == keys.count else {
            throw ModelFileError.malformed("split GGUF without '\(keys.first { h.metadata[$0] == nil }!)' (a gguf-split shard carries all three split keys)")
        }
        func integer(_ key: String, _ range: ClosedRange<Int64>) throws -> Int64 {
            guard let v = h.metadata[key]?.integer, range.contains(v) else {
                throw ModelFileError.malformed("'\(key)' must be an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return v
        }
        let count = try integer("split.count", 1...Int64(maxShards))
        let index = try integer("split.no", 0...(count - 1))
        let total = try integer("split.tensors.count", 0...GGUFReader.maxTensors)
        if count == 1 { return nil }
        return Info(index: Int(index), count: Int(count), totalTensors: total)
    }

    /// `model-00002-of-00003.gguf` → prefix `model`, index 1, count 3; nil for other names (the
    /// numbers must be the 5-digit, 1-based ones gguf-split writes, shard ≤ count ≤ `maxShards`).
    public static func name(_ fileName: String) -> Name? {
        guard fileName.hasSuffix(".gguf") else { return nil }
        let stem = fileName.dropLast(5)
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of" else { return nil }
        let no = parts[parts.count - 3], of = parts[parts.count - 1]
        let digits = { (s: Substring) in s.count == 5 && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
        guard digits(no), digits(of), let n = Int(no), let c = Int(of), n >= 1, n <= c, c <= maxShards else { return nil }
        let prefix = parts[..<(parts.count - 3)].joined(separator: "-")
        guard !prefix.isEmpty else { return nil }
        return Name(prefix: prefix, index: n - 1, count: c)
    }

    /// The shards' headers, in shard order, checked against each other and merged: the first
    /// shard's metadata and every shard's tensors (each tensor's `shard` says whose offsets they are).
    public static func merge(_ headers: [GGUFHeader]) throws -> GGUFHeader {
        guard let first = headers.first else { throw ModelFileError.malformed("no shards") }
        guard let firstInfo = try info(first) else { return first }
        guard headers.count == firstInfo.count else {
            throw ModelFileError.malformed("split.count is \(firstInfo.count) but \(headers.count) shards were read")
        }
        var merged = first
        merged.tensors = []
        var names = Set<String>()
        var total: Int64 = 0
        for (k, h) in headers.enumerated() {
            guard let i = try info(h) else { throw ModelFileError.malformed("shard \(k + 1) of \(firstInfo.count) has no split keys") }
            guard i.index == k else { throw ModelFileError.malformed("shard \(k + 1) of \(firstInfo.count) says it is shard \(i.index + 1) (split.no \(i.index))") }
            guard i.count == firstInfo.count, i.totalTensors == firstInfo.totalTensors else {
                throw ModelFileError.malformed("shard \(k + 1) disagrees with shard 1 on split.count or split.tensors.count")
            }
            total += Int64(h.tensors.count)
            guard total <= firstInfo.totalTensors else {
                throw ModelFileError.malformed("the shards hold more tensors than split.tensors.count (\(firstInfo.totalTensors))")
            }
            for var t in h.tensors {
                guard names.insert(t.name).inserted else { throw ModelFileError.malformed("tensor '\(t.name)' is in two shards") }
                t.shard = k
                merged.tensors.append(t)
            }
        }
        guard total == firstInfo.totalTensors else {
            throw ModelFileError.malformed("split.tensors.count is \(firstInfo.totalTensors) but the shards hold \(total) tensors")
        }
        return merged
    }
}
