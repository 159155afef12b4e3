import Testing
import VramfitCore
@testable import VramfitRunner

@Suite struct DenseWeightTests {
    @Test func bytesAreRowsTimesColsTimesElementSize() throws {
        let v = [Float](repeating: 0.5, count: 3 * 5)
        #expect(try DenseWeight(rows: 3, cols: 5, storage: .fp32, values: v).allocatedBytes == ByteCount(Int64(60)))
        #expect(try DenseWeight(rows: 3, cols: 5, storage: .fp16, values: v).allocatedBytes == ByteCount(Int64(30)))
        #expect(try DenseWeight(rows: 3, cols: 5, storage: .bf16, values: v).buffers.map(\.name) == ["weight"])
    }

    @Test func storesLittleEndianRoundedValues() throws {
        let w = try DenseWeight(rows: 1, cols: 2, storage: .fp16, values: [1, -2])
        #expect(w.data == [0x00, 0x3C, 0x00, 0xC0])
        let b = try DenseWeight(rows: 1, cols: 2, storage: .bf16, values: [1, 1.00390625])  // 1 + 2^-8: tie → even (1)
        #expect(b.floats() == [1, 1])
    }

    @Test func wrongSizesAreErrors() {
        #expect(throws: DenseWeight.Failure.wrongValueCount(expected: 6, got: 5)) { try DenseWeight(rows: 2, cols: 3, storage: .fp32, values: [1, 2, 3, 4, 5]) }
        #expect(throws: DenseWeight.Failure.wrongByteCount(expected: 12, got: 10)) { try DenseWeight(rows: 2, cols: 3, storage: .fp16, bytes: [UInt8](repeating: 0, count: 10)) }
    }

    @Test func dequantizeRowReadsTheRightRow() throws {
        let w = try DenseWeight(rows: 3, cols: 4, storage: .bf16, values: (0..<12).map(Float.init))
        var row = [Float](repeating: 0, count: 4)
        row.withUnsafeMutableBufferPointer { w.dequantizeRow(2, into: $0) }
        #expect(row == [8, 9, 10, 11])
    }
}
