#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Causal (optionally sliding-window) grouped-query attention over the KV cache, flash-attention
/// style: keys are visited in blocks of 64 positions, dequantized from the cache once per block
/// and shared by all query heads of the KV head and all queries of the task, with an online
/// softmax, so memory stays a few blocks per core at any context length.
///
/// Tasks are (KV head, block of 16 queries); each writes its own slice of the output, so the
/// result does not depend on the number of cores.
struct CPUAttention {
    let shape: LayerShape
    let storage: KVCacheStorage
    /// Bytes of one position's K (or V) row in the cache.
    let rowBytes: Int

    static let keyBlock = 64
    static let queryBlock = 16

    /// Floats of scratch one worker needs for `queries` queries per task.
    func scratchFloats(queries: Int) -> Int {
        let qb = min(queries, Self.queryBlock), g = shape.groupSize, d = shape.headDim
        return 2 * Self.keyBlock * d + Self.keyBlock + g * qb * (d + 2)
    }

    /// out[t, head] for new tokens t < `tokens` at positions `start + t`; q is tokens × qDim
    /// (RoPE applied), K/V rows 0 ..< start + tokens are in the cache.
    func run(q: UnsafePointer<Float>, tokens: Int, start: Int, kCache: UnsafeRawPointer, vCache: UnsafeRawPointer,
             out: UnsafeMutablePointer<Float>, workspace ws: Workspace) {
        let qBlocks = (tokens + Self.queryBlock - 1) / Self.queryBlock
        let tasks = shape.kvHeads * qBlocks
        let workers = Parallel.workers(for: tasks)
        let per = scratchFloats(queries: tokens)
        let scratch = ws.floats("attention scratch (\(workers) workers)", workers * per)
        defer { ws.free(scratch) }
        let s = SendablePointer(scratch.baseAddress!)
        let qp = SendableConst(q), op = SendablePointer(out)
        let kp = SendableRaw(kCache), vp = SendableRaw(vCache)
        Parallel.forEachWorker(tasks: tasks, workers: workers) { worker, task in
            let g = task % shape.kvHeads, b = task / shape.kvHeads
            let t0 = b * Self.queryBlock, t1 = min(tokens, t0 + Self.queryBlock)
            block(q: qp.pointer, kvHead: g, queries: t0..<t1, start: start, k: kp.pointer, v: vp.pointer,
                  out: op.pointer, scratch: s.pointer + worker * per)
        }
    }

    private func block(q: UnsafePointer<Float>, kvHead g: Int, queries: Range<Int>, start: Int, k: UnsafeRawPointer, v: UnsafeRawPointer,
                       out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let d = shape.headDim, group = shape.groupSize, qDim = shape.qDim
        let bk = Self.keyBlock, nq = queries.count
        let kBuf = scratch, vBuf = scratch + bk * d, scores = vBuf + bk * d
        let acc = scores + bk                    // [group × nq × d]
        let mArr = acc + group * nq * d          // running max
        let lArr = mArr + group * nq             // running sum
        for i in 0..<(group * nq * d) { acc[i] = 0 }
        for i in 0..<(group * nq) { mArr[i] = -.infinity; lArr[i] = 0 }
        let scale = 1 / Float(d).squareRoot()
        let valueRange = (g * d)..<((g + 1) * d)
        let lastKey = start + queries.upperBound - 1
        var firstKey = 0
        if let w = shape.slidingWindow { firstKey = max(0, start + queries.lowerBound - w + 1) }
        var kb = firstKey
        while kb <= lastKey {
            let kn = min(bk, lastKey + 1 - kb)
            for j in 0..<kn {
                storage.decode(k + (kb + j) * rowBytes, range: valueRange, into: kBuf + j * d)
                storage.decode(v + (kb + j) * rowBytes, range: valueRange, into: vBuf + j * d)
            }
            for (qi, t) in queries.enumerated() {
                let pos = start + t
                var lo = kb, hi = min(kb + kn - 1, pos)
                if let w = shape.slidingWindow { lo = max(lo, pos - w + 1) }
                guard lo <= hi else { continue }
                hi -= kb; lo -= kb
                for hg in 0..<group {
                    let head = g * group + hg
                    let qv = q + t * qDim + head * d
                    var blockMax = -Float.infinity
                    for j in lo...hi {
                        let sc = DotKernels.dot(qv, kBuf + j * d, count: d) * scale
                        scores[j] = sc
                        blockMax = max(blockMax, sc)
                    }
                    let slot = hg * nq + qi
                    let mOld = mArr[slot]
                    let mNew = max(mOld, blockMax)
                    let a = acc + slot * d
                    if mOld != -.infinity && mOld < mNew {
                        let c = expf(mOld - mNew)
                        lArr[slot] *= c
                        for i in 0..<d { a[i] *= c }
                    }
                    var l: Float = 0
                    for j in lo...hi {
                        let p = expf(scores[j] - mNew)
                        l += p
                        DotKernels.axpy(p, vBuf + j * d, a, count: d)
                    }
                    lArr[slot] += l
                    mArr[slot] = mNew
                }
            }
            kb += kn
        }
        for (qi, t) in queries.enumerated() {
            for hg in 0..<group {
                let slot = hg * nq + qi
                let a = acc + slot * d
                let o = out + t * qDim + (g * group + hg) * d
                let inv = lArr[slot] > 0 ? 1 / lArr[slot] : 0
                for i in 0..<d { o[i] = a[i] * inv }
            }
        }
    }
}

struct SendableConst<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ p: UnsafePointer<T>) { pointer = p }
}

struct SendableRaw: @unchecked Sendable {
    let pointer: UnsafeRawPointer
    init(_ p: UnsafeRawPointer) { pointer = p }
}
