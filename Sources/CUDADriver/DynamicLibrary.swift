#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared library opened at run time with `dlopen`, so the package has no link-time CUDA
/// dependency and builds and tests on machines without a GPU (CI). The handle stays open for the
/// life of the process: the function pointers taken from it must stay valid.
struct DynamicLibrary: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    /// The name or path that opened it (the first candidate that worked).
    let path: String

    /// Tries each candidate in order (plain names go through the loader's search path and
    /// ldconfig's cache; absolute paths are taken as they are). Fails with every candidate's
    /// `dlerror` text, so "unavailable" says what was tried.
    static func open(_ library: String, candidates: [String]) throws -> DynamicLibrary {
        var reasons: [String] = []
        for name in candidates {
            if let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return DynamicLibrary(handle: h, path: name) }
            let why = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            reasons.append(why)
        }
        let tried = reasons.isEmpty ? "no candidate names" : reasons.joined(separator: "; ")
        throw CUDAError.unavailable(library: library, reason: "could not load it (tried: \(tried))")
    }

    /// The symbol as a C function pointer of type `T`; a missing symbol is an "unavailable" error
    /// naming it (an old driver or a mismatched NVRTC).
    func symbol<T>(_ name: String, as type: T.Type) throws -> T {
        guard let p = dlsym(handle, name) else {
            throw CUDAError.unavailable(library: path, reason: "symbol \(name) not found (driver or library too old?)")
        }
        return unsafeBitCast(p, to: T.self)
    }

    /// The first of several versioned names that exists (`cuEventElapsedTime_v2`, then the plain one).
    func symbol<T>(_ names: [String], as type: T.Type) throws -> T {
        for n in names { if let p = dlsym(handle, n) { return unsafeBitCast(p, to: T.self) } }
        throw CUDAError.unavailable(library: path, reason: "none of the symbols \(names.joined(separator: ", ")) found")
    }

    func optionalSymbol<T>(_ name: String, as type: T.Type) -> T? {
        dlsym(handle, name).map { unsafeBitCast($0, to: T.self) }
    }
}

/// Reads an environment variable (the libraries' paths can be overridden for unusual installs).
func environment(_ name: String) -> String? {
    guard let v = getenv(name) else { return nil }
    let s = String(cString: v)
    return s.isEmpty ? nil : s
}

/// A NUL-terminated C buffer as a String (what the C API wrote into it).
func cString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// The path of the first file mapped into this process whose path contains `fragment` (Linux:
/// /proc/self/maps), or nil.
func mappedFile(containing fragment: String) -> String? {
    #if os(Linux)
    guard let f = fopen("/proc/self/maps", "r") else { return nil }
    defer { fclose(f) }
    var line: UnsafeMutablePointer<CChar>? = nil
    var cap = 0
    defer { free(line) }
    while getline(&line, &cap, f) > 0, let l = line {
        let text = String(cString: l)
        if let slash = text.firstIndex(of: "/"), text.contains(fragment) {
            return String(text[slash...]).trimmingSuffixNewline()
        }
    }
    #endif
    return nil
}

extension String {
    func trimmingSuffixNewline() -> String {
        var s = self
        while s.last == "\n" || s.last == " " { s.removeLast() }
        return s
    }
}
