import Foundation
import Testing
@testable import EvidentCore

/// The parse cache must answer exactly what parsing answers, notice every change, and shrug off damage.
struct ParseCacheTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every record file the demo and the fixtures hold.
    static func yamlFiles() throws -> [URL] {
        var found: [URL] = []
        for folder in ["demo/files", "Tests/EvidentCoreTests/Fixtures/records"] {
            let base = packageRoot.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "yaml" { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    static func encoded(_ node: YAMLNode) -> [UInt8] {
        var out: [UInt8] = []
        YAMLCodec.encode(node, into: &out)
        return out
    }

    /// A full structural rendering (text, style, tag, position of every node) for comparisons.
    static func render(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let s): return "S(\(s.value)|\(s.style)|\(s.tag ?? "-")|\(s.mark))"
        case .sequence(let items, let mark): return "L\(mark)[" + items.map(render).joined(separator: ",") + "]"
        case .mapping(let pairs, let mark): return "M\(mark){" + pairs.map { render($0.key) + ":" + render($0.value) }.joined(separator: ",") + "}"
        }
    }

    @Test func codecRoundTripsEveryDemoAndFixtureRecord() throws {
        let files = try Self.yamlFiles()
        #expect(files.count > 20)
        for file in files {
            guard let root = YAMLLoader.load(try Data(contentsOf: file)).root else { continue }
            let bytes = Self.encoded(root)
            let decoded = bytes.withUnsafeBytes { YAMLCodec.decode($0, maxDepth: 65) }
            #expect(decoded.map(Self.render) == Self.render(root), "\(file.lastPathComponent)")
        }
    }

    @Test func damagedEncodingsAreRefusedNotCrashed() throws {
        let root = try #require(YAMLLoader.load(Data("a: [1, 'two', {b: !x c}]\nd: |\n  text\n".utf8)).root)
        let bytes = Self.encoded(root)
        for length in 0..<bytes.count {
            #expect(Array(bytes.prefix(length)).withUnsafeBytes { YAMLCodec.decode($0, maxDepth: 65) } == nil)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var damaged = bytes
            damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = damaged.withUnsafeBytes { YAMLCodec.decode($0, maxDepth: 65) }
        }
        // Nesting beyond the limit is refused.
        let deep = try #require(YAMLLoader.load(Data("a: [[[[1]]]]\n".utf8)).root)
        #expect(Self.encoded(deep).withUnsafeBytes { YAMLCodec.decode($0, maxDepth: 3) } == nil)
    }

    /// A project folder with three records whose files look an hour old (outside the racy window).
    static func makeProject() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-parse-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("security"), withIntermediateDirectories: true)
        try Data(RuleExample.defaultConfig.utf8).write(to: root.appendingPathComponent(".evident.yml"))
        for n in 1...3 {
            let text = "kind: defect\nid: DEF-\(n)\ntitle: Defect \(n)\nstatus: draft\nowner: a@example.com\n"
            try Data(text.utf8).write(to: root.appendingPathComponent("security/d\(n).yaml"))
        }
        try age(root)
        return root
    }

    static func age(_ root: URL) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("security").path) {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3_600)],
                                                  ofItemAtPath: root.appendingPathComponent("security/\(name)").path)
        }
    }

    static func titles(_ project: Project) -> [String] {
        project.records.map { "\($0.path) \($0.title ?? "-") \($0.blobID ?? "-") \(render($0.node))" }
    }

    @Test func warmLoadsEqualColdLoadsAndSeeEveryChange() throws {
        let root = try Self.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = WorkingTreeSource(root: root)
        let catalog = try Catalog.standard()
        let cacheDirectory = root.appendingPathComponent(".cache").path
        func load(cached: Bool) throws -> (Project, ParseCache?) {
            let project = try Project.load(from: source, catalog: catalog, today: "2026-06-01", hashBlobs: true,
                                           cacheDirectory: cached ? cacheDirectory : nil)
            return (project, cached ? ParseCache(directory: cacheDirectory, limits: project.configuration.limits) : nil)
        }
        let plain = Self.titles(try load(cached: false).0)
        #expect(plain.count == 3)
        _ = try load(cached: true)                       // writes the cache
        #expect(Self.titles(try load(cached: true).0) == plain)
        // The third run decodes everything: no record file is read or parsed.
        let counter = ParseCache(directory: cacheDirectory, limits: YAMLLimits())
        let listed = try source.files(under: "security")
        #expect(counter.decode(listed.map { counter.blob(for: $0) }).allSatisfy { $0 != nil })
        #expect(counter.hits == 3)
        let counting = CountingSource(base: source)
        let warm = try Project.load(from: counting, catalog: catalog, today: "2026-06-01", hashBlobs: true, cacheDirectory: cacheDirectory)
        #expect(Self.titles(warm) == plain)
        #expect(counting.reads.filter { $0.hasPrefix("security/") }.isEmpty, "\(counting.reads)")

        // Same size, same modification time, new content: the change time gives it away.
        let path = root.appendingPathComponent("security/d2.yaml")
        let old = try String(contentsOf: path, encoding: .utf8)
        try Data(old.replacingOccurrences(of: "Defect 2", with: "Defect X").utf8).write(to: path)
        try Self.age(root)
        let changed = Self.titles(try load(cached: true).0)
        #expect(changed.contains { $0.hasPrefix("security/d2.yaml Defect X ") })
        #expect(changed == Self.titles(try load(cached: false).0))

        // A file changed just now is never trusted by its stamp, only by its content.
        try Data(old.replacingOccurrences(of: "Defect 2", with: "Defect Y").utf8).write(to: path)
        #expect(Self.titles(try load(cached: true).0).contains { $0.hasPrefix("security/d2.yaml Defect Y ") })
    }

    /// A file whose stamp the cache does not know (written just now, as `triage import` writes its
    /// records) but whose bytes it holds is read and hashed, then decoded rather than parsed; the
    /// record is the one a cold load gives, and a changed byte is parsed afresh.
    @Test func knownBytesUnderAnUnknownStampAreDecoded() throws {
        let root = try Self.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = WorkingTreeSource(root: root)
        let catalog = try Catalog.standard()
        let cacheDirectory = root.appendingPathComponent(".cache").path
        func load(cached: Bool) throws -> Project {
            try Project.load(from: source, catalog: catalog, today: "2026-06-01", hashBlobs: true, cacheDirectory: cached ? cacheDirectory : nil)
        }
        _ = try load(cached: true)
        let path = root.appendingPathComponent("security/d2.yaml")
        let bytes = try Data(contentsOf: path)
        // A copy: a new inode and change time, so the stamp is unknown; the same bytes.
        let copy = root.appendingPathComponent("security/d4.yaml")
        try bytes.write(to: copy)
        try FileManager.default.removeItem(at: path)
        try bytes.write(to: path)
        // The file as a load meets it: no blob id, a stamp the cache has not seen; answered by content.
        let probe = ParseCache(directory: cacheDirectory, limits: YAMLLimits())
        let listed = try #require(try source.files(under: "security").first { $0.path == "security/d4.yaml" })
        #expect(probe.blob(for: listed) == nil, "the copy's stamp is unknown")
        let file = LoadedFile(path: listed.path, problems: [], record: nil, isSymlink: false, blobID: nil)
        let decoded = Project.parse(file, bytes, limits: YAMLLimits(), hashBlob: true, cache: probe)
        #expect(probe.hits == 1 && decoded.record?.title == "Defect 2" && decoded.blobID == GitBlobID.hex(of: bytes))
        let warm = try load(cached: true)
        #expect(Self.titles(warm) == Self.titles(try load(cached: false)))
        #expect(warm.records.contains { $0.path == "security/d4.yaml" && $0.title == "Defect 2" })
        try Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Defect 2", with: "Defect Z").utf8).write(to: copy)
        #expect(try load(cached: true).records.contains { $0.path == "security/d4.yaml" && $0.title == "Defect Z" })
    }

    @Test func aDamagedOrForeignCacheIsIgnored() throws {
        let root = try Self.makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = WorkingTreeSource(root: root)
        let catalog = try Catalog.standard()
        let cacheDirectory = root.appendingPathComponent(".cache").path
        let cachePath = (cacheDirectory as NSString).appendingPathComponent("parse-cache.bin")
        func titles(cached: Bool) throws -> [String] {
            Self.titles(try Project.load(from: source, catalog: catalog, today: "2026-06-01", hashBlobs: true,
                                         cacheDirectory: cached ? cacheDirectory : nil))
        }
        let plain = try titles(cached: false)
        _ = try titles(cached: true)
        let good = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<60 {
            var bytes = [UInt8](good)
            switch trial % 3 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            case 1: bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            default: bytes = Array("evident-parse-cache 0 depth=1\n".utf8) + bytes
            }
            try Data(bytes).write(to: URL(fileURLWithPath: cachePath))
            #expect(try titles(cached: true) == plain, "trial \(trial)")
        }
        // Other YAML limits: the cache is not used (its documents were judged under other limits).
        try Data(good).write(to: URL(fileURLWithPath: cachePath))
        let strict = ParseCache(directory: cacheDirectory, limits: { var l = YAMLLimits(); l.depth = 3; return l }())
        #expect(try source.files(under: "security").allSatisfy { strict.blob(for: $0) == nil })
    }
}

/// A working tree that remembers which files were read.
final class CountingSource: EvidenceSource, @unchecked Sendable {
    let base: WorkingTreeSource
    private let lock = NSLock()
    private var paths: [String] = []
    var label: String { base.label }
    var allowsConcurrentReads: Bool { true }
    var reads: [String] {
        lock.lock()
        defer { lock.unlock() }
        return paths
    }

    init(base: WorkingTreeSource) { self.base = base }

    func files(under folder: String) throws -> [SourceFile] { try base.files(under: folder) }
    func exists(_ path: String) -> Bool { base.exists(path) }
    func size(_ path: String) -> Int? { base.size(path) }
    func read(_ path: String) throws -> Data {
        lock.lock()
        paths.append(path)
        lock.unlock()
        return try base.read(path)
    }
}
