import ArgumentParser
import VramfitCatalog
import VramfitCore

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question the way people ask it: \"will 14B AWQ fit on 24GB\"."
    )
    @Argument(help: "The question, in quotes.")
    var question: String
    @OptionGroup var catalog: CatalogOptions
    @Flag(help: "Print the estimate objects as JSON.")
    var json = false

    func run() throws {
        print("ask is not wired yet")
    }
}
