import VramfitCatalog
import VramfitCore
@testable import VramfitRunner

/// Shared fixtures for the quantizer tests: the built-in catalog (so the tests check the real
/// scheme entries the estimator prices), seeded Gaussian matrices and float64 helpers.
enum QuantFixtures {
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    static func model(_ id: String) -> Model? { catalog.models.first { $0.id == id || $0.aliases.contains(id) } }
    static func scheme(_ id: String) -> QuantScheme? { catalog.schemes.first { $0.id == id } }

    /// N(0, std²) weights, reproducible from the seed.
    static func gaussian(rows: Int, cols: Int, seed: UInt64, std: Float = 0.02) -> [Float] {
        GaussianFill.values(rows * cols, seed: seed, std: std)
    }

    /// Every row of `w` dequantized, as Double.
    static func dequantized(_ w: any QuantizedWeight) -> [Double] {
        var out = [Double](repeating: 0, count: w.rows * w.cols)
        var row = [Float](repeating: 0, count: w.cols)
        for r in 0..<w.rows {
            row.withUnsafeMutableBufferPointer { w.dequantizeRow(r, into: $0) }
            for k in 0..<w.cols { out[r * w.cols + k] = Double(row[k]) }
        }
        return out
    }

    /// sqrt(Σ (a − b)² / Σ a²) in float64.
    static func relativeRMS(_ a: [Float], _ b: [Double]) -> Double {
        var num = 0.0, den = 0.0
        for i in a.indices {
            let d = Double(a[i]) - b[i]
            num += d * d
            den += Double(a[i]) * Double(a[i])
        }
        return (num / den).squareRoot()
    }
}
