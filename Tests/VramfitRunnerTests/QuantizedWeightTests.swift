import Testing
import VramfitRunner

@Suite struct WeightBufferTests {
    @Test func allocatedBytesSumsEveryBuffer() {
        struct Two: QuantizedWeight {
            var rows: Int { 1 }
            var cols: Int { 4 }
            var format: String { "test" }
            var buffers: [WeightBuffer] { [WeightBuffer(name: "a", bytes: [1, 2, 3]), WeightBuffer(name: "b", bytes: [4, 5])] }
            func dequantizeRow(_ row: Int, into out: UnsafeMutableBufferPointer<Float>) {}
            func matvec(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, rows: Range<Int>) {}
            func matmul(_ x: UnsafeBufferPointer<Float>, tokens: Int, into y: UnsafeMutableBufferPointer<Float>, rows: Range<Int>) {}
        }
        #expect(Two().allocatedBytes.value == 5)
    }
}
