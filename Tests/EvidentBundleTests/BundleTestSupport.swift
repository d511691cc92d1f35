import EvidentCore
import Foundation
import ZIPFoundation
@testable import EvidentBundle

/// A scratch directory per test, removed by the caller's `defer`.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("evident-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

enum Demo {
    /// Builds the demo repository under `scratch/demo`.
    static func build(in scratch: Scratch) throws -> Workspace {
        let directory = scratch.url.appendingPathComponent("demo")
        _ = try DemoBuilder().build(at: directory)
        return try Workspace.open(at: directory.path)
    }

    static func export(_ workspace: Workspace, to path: String, rev: String? = "v2.3.1", key: String? = nil) throws -> BundleExporter.Result {
        try BundleExporter().export(from: workspace, options: .init(revision: rev, output: path, signingKeyPath: key, toolVersion: "test"))
    }
}

enum ZipCraft {
    /// All entries of a zip, in archive order, read into memory (test fixtures only).
    static func entries(of path: String) throws -> [(String, Data)] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var result: [(String, Data)] = []
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            result.append((entry.path, data))
        }
        return result
    }

    /// Writes a zip with exactly these entries (any names, duplicates allowed).
    static func write(_ entries: [(String, Data)], to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data) in entries {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
            }
        }
    }
}
