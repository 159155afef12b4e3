// Little-endian byte access for the storage buffers. Every buffer is stored little-endian, as
// safetensors, GGUF and CUDA on x86/ARM lay them out; hosts are little-endian (x86_64, arm64),
// which the #error below enforces so the unaligned native loads in the kernels are correct.
#if _endian(big)
#error("vramfit's quantized storage assumes a little-endian host")
#endif

extension Array where Element == UInt8 {
    @inline(__always) mutating func putLE16(_ v: UInt16, at i: Int) {
        self[i] = UInt8(truncatingIfNeeded: v); self[i + 1] = UInt8(truncatingIfNeeded: v >> 8)
    }
    @inline(__always) mutating func putLE32(_ v: UInt32, at i: Int) {
        self[i] = UInt8(truncatingIfNeeded: v); self[i + 1] = UInt8(truncatingIfNeeded: v >> 8)
        self[i + 2] = UInt8(truncatingIfNeeded: v >> 16); self[i + 3] = UInt8(truncatingIfNeeded: v >> 24)
    }
    @inline(__always) mutating func putFloat(_ v: Float, at i: Int) { putLE32(v.bitPattern, at: i) }
    @inline(__always) func le16(at i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    @inline(__always) func le32(at i: Int) -> UInt32 {
        UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16 | UInt32(self[i + 3]) << 24
    }
    @inline(__always) func float(at i: Int) -> Float { Float(bitPattern: le32(at: i)) }
}

extension UnsafeRawPointer {
    @inline(__always) func u8(_ offset: Int) -> UInt8 { load(fromByteOffset: offset, as: UInt8.self) }
    @inline(__always) func u16(_ offset: Int) -> UInt16 { loadUnaligned(fromByteOffset: offset, as: UInt16.self) }
    @inline(__always) func u32(_ offset: Int) -> UInt32 { loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
    @inline(__always) func f32(_ offset: Int) -> Float { Float(bitPattern: u32(offset)) }
    @inline(__always) func f16(_ offset: Int) -> Float { FloatBits.halfToFloat(u16(offset)) }
}
