import Testing
import VramfitCatalog
import VramfitCore
@testable import VramfitRunner

@Suite struct KVCacheStorageTests {
    /// ggml `quantize_row_q8_0_ref` by hand: x = i − 16, amax 16, d = 16/127, q = round(x·127/16).
    @Test func q8_0BlockByHand() {
        let x = (0..<32).map { Float($0 - 16) }
        var raw = [UInt8](repeating: 0, count: 34)
        x.withUnsafeBufferPointer { v in raw.withUnsafeMutableBytes { KVCacheStorage.q8_0.encode(v.baseAddress!, count: 32, into: $0.baseAddress!) } }
        let q = raw[2...].map { Int8(bitPattern: $0) }
        #expect(q[0] == -127 && q[16] == 0 && q[31] == 119)     // 15 · 7.9375 = 119.06
        #expect(q[1] == -119 && q[17] == 8)                     // −15 · 7.9375 = −119.06, 1 · 7.9375 = 7.94
        let back = KVCacheStorage.q8_0.roundTrip(x)
        #expect(abs(back[0] + 16) < 0.01 && abs(back[31] - 15) < 0.07)
    }

    /// ggml `quantize_row_q4_0_ref` by hand: the signed extreme −16 maps to code 0, d = −16/−8 = 2.
    @Test func q4_0BlockByHand() {
        let x = (0..<32).map { Float($0 - 16) }
        var raw = [UInt8](repeating: 0, count: 18)
        x.withUnsafeBufferPointer { v in raw.withUnsafeMutableBytes { KVCacheStorage.q4_0.encode(v.baseAddress!, count: 32, into: $0.baseAddress!) } }
        #expect(raw[0] == 0x00 && raw[1] == 0x40)               // fp16 2.0
        #expect(raw[2] == 0x80)                                 // q[0] = 0 (x −16), q[16] = 8 (x 0)
        #expect(raw[17] == 0xF8)                                // q[15] = 8 (x −1 → 8.0), q[31] = 15 (x 15 → 16 → capped)
        let back = KVCacheStorage.q4_0.roundTrip(x)
        #expect(back[0] == -16 && back[16] == 0 && back[31] == 14)
    }

    @Test func roundTripErrorsAreThoseOfTheFormat() {
        let v = GaussianFill.values(4096, seed: 1, std: 1)
        func rel(_ s: KVCacheStorage) -> Double { OutputError.compare(s.roundTrip(v), v.map(Double.init)).relativeL2 }
        #expect(rel(.fp32) == 0)
        #expect(rel(.fp16) < 3e-4)         // 11-bit significand: 2^-12 ≈ 2.4e-4 worst case, ~1e-4 RMS
        #expect(rel(.bf16) < 3e-3)         // 8-bit significand
        #expect(rel(.q8_0) < 0.01)
        #expect(rel(.fp8) > 0.01 && rel(.fp8) < 0.05)   // 3 mantissa bits: ~2.5 % RMS
        #expect(rel(.q4_0) > 0.05 && rel(.q4_0) < 0.15)
    }

    /// Bytes per value against the catalog's KV types (catalogs/quant/kv-cache.yaml), and a
    /// session's allocation against Core's KVCacheSize for the same model.
    @Test func sessionBytesPerTokenEqualKVCacheSize() throws {
        let catalog = try CatalogLoader.builtIn()
        let m = RunnerFixtures.model(hidden: 64, heads: 4, kvHeads: 2)  // kvDim 32
        let (layer, _) = try RunnerFixtures.layer(m, positions: 1)
        for s in KVCacheStorage.allCases {
            let type = try catalog.kvCacheType(s.catalogId).value
            #expect(Int64(s.bytes(forValues: 1000)) == type.bytes(forValues: 1000).value, "\(s)")
            let session = try RunnerFixtures.cpu().load(layer).makeSession(kvCache: s, capacity: 10)
            let perToken = session.kvCacheBytes.value / 10
            #expect(perToken == KVCacheSize(model: m, type: type, latentMLA: false).bytesPerTokenPerLayer.value, "\(s)")
        }
        // By hand: 2 KV heads × 32 head dim = 64 values per K row; q8_0: 2 blocks × 34 B, K and V → 136 B.
        #expect(KVCacheStorage.q8_0.bytes(forValues: 64) * 2 == 136)
    }

    @Test func catalogIdsAndAliases() {
        #expect(KVCacheStorage(catalogId: "f16") == .fp16)
        #expect(KVCacheStorage(catalogId: "FP8_E4M3") == .fp8)
        #expect(KVCacheStorage(catalogId: "q8_0") == .q8_0)
        #expect(KVCacheStorage(catalogId: "q5_1") == nil)
    }
}
