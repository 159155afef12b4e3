import Foundation
import VramfitCore

/// Reads catalogs: the built-in ones compiled into the binary, then user folders in order
/// (`--catalog DIR`, then `VRAMFIT_CATALOG_PATH`), each overriding earlier entries by id.
/// The only file-system code of the catalog module.
public enum CatalogLoader {
    /// Environment variable with extra catalog folders or files, separated by ':'.
    public static let environmentVariable = "VRAMFIT_CATALOG_PATH"

    public static func builtIn() throws -> Catalog {
        var c = Catalog()
        for f in EmbeddedCatalogs.files { c.merge(try CatalogDecoder.decode(f.text, file: f.path)) }
        return c
    }

    public static var builtInFiles: [(path: String, text: String)] { EmbeddedCatalogs.files }

    /// Built-in catalogs plus `paths` (folders or single files), later ones overriding earlier ones.
    public static func load(extra paths: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Catalog {
        var c = try builtIn()
        var all = paths
        if let env = environment[environmentVariable] { all += env.split(separator: ":").map(String.init).filter { !$0.isEmpty } }
        for p in all { c.merge(try read(path: p)) }
        return c
    }

    /// Decodes one file, or every `.yaml`/`.yml` file under a folder in name order.
    public static func read(path: String) throws -> Catalog {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CatalogError(file: path, line: 0, column: 0, message: "no such file or folder")
        }
        var files: [String] = []
        if isDir.boolValue {
            guard let walker = FileManager.default.enumerator(atPath: path) else {
                throw CatalogError(file: path, line: 0, column: 0, message: "cannot read folder")
            }
            for case let rel as String in walker where rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
                files.append((path as NSString).appendingPathComponent(rel))
            }
            files.sort()
        } else {
            files = [path]
        }
        var c = Catalog()
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else {
                throw CatalogError(file: f, line: 0, column: 0, message: "cannot read file")
            }
            guard data.count <= 16 << 20 else { throw CatalogError(file: f, line: 0, column: 0, message: "file larger than 16 MiB") }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CatalogError(file: f, line: 0, column: 0, message: "not UTF-8 text")
            }
            c.merge(try CatalogDecoder.decode(text, file: f))
        }
        return c
    }
}
