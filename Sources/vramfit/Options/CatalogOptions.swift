import ArgumentParser
import VramfitCatalog
import VramfitCore

/// `--catalog DIR` (repeatable) adds user catalogs after the built-in ones and `VRAMFIT_CATALOG_PATH`'s.
struct CatalogOptions: ParsableArguments {
    @Option(name: .customLong("catalog"), help: ArgumentHelp("Extra catalog folder or YAML file; entries override built-ins by id (repeatable). Also read from $VRAMFIT_CATALOG_PATH (':'-separated).", valueName: "DIR"))
    var paths: [String] = []

    func load() throws -> Catalog { try CatalogLoader.load(extra: paths) }
}
