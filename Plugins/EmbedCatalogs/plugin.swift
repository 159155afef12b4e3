import Foundation
import PackagePlugin

/// Embeds the package's top-level `catalogs/` folder into the target that uses this plugin.
@main
struct EmbedCatalogs: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let catalogs = context.package.directoryURL.appending(path: "catalogs")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: catalogs, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
                inputs.append(url)
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedCatalogs.swift")
        return [
            .buildCommand(
                displayName: "Embedding catalogs/ (\(inputs.count) files)",
                executable: try context.tool(named: "EmbedCatalogsTool").url,
                arguments: [catalogs.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
