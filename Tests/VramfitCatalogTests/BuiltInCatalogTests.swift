import Testing
import VramfitCore
@testable import VramfitCatalog

@Suite struct BuiltInCatalogTests {
    @Test func builtInCatalogsDecode() throws {
        let c = try CatalogLoader.builtIn()
        #expect(!c.models.isEmpty)
        #expect(!c.gpus.isEmpty)
    }

    /// Every entry's derived parameter count is within 0.5 % of the published one.
    @Test func derivedParameterCountsMatchPublished() throws {
        let c = try CatalogLoader.builtIn()
        for m in c.models {
            let derived = ParameterCount.total(m)
            let err = abs(Double(derived - m.publishedParams)) / Double(m.publishedParams)
            #expect(err <= 0.005, "\(m.id): derived \(derived) vs published \(m.publishedParams) (\(err * 100) %)")
        }
    }
}
