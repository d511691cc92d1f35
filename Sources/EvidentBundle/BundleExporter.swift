import Crypto
import EvidentCore
import Foundation
import GitKit
import ZIPFoundation

/// Writes the SDLA audit bundle: a reproducible zip of report, coverage, findings, records, evidence
/// files and a manifest (optionally signed). Same commit, same bytes.
public struct BundleExporter {
    /// What to export and where.
    public struct Options {
        public var revision: String?
        public var output: String
        public var signingKeyPath: String?
        public var force: Bool
        public var allowDirty: Bool
        public var toolVersion: String

        public init(revision: String? = nil, output: String, signingKeyPath: String? = nil, force: Bool = false,
                    allowDirty: Bool = false, toolVersion: String) {
            self.revision = revision
            self.output = output
            self.signingKeyPath = signingKeyPath
            self.force = force
            self.allowDirty = allowDirty
            self.toolVersion = toolVersion
        }
    }

    /// What was written.
    public struct Result {
        public var output: URL
        public var manifest: BundleManifest
        public var keyFingerprint: String?
        public var findings: [Finding]
    }

    public init() {}

    public func export(from workspace: Workspace, options: Options) throws -> Result {
        let repository = workspace.repository
        let revision = options.revision ?? "HEAD"
        let commitID: ObjectID
        do {
            commitID = try repository.resolve(revision: revision)
        } catch {
            if revision == "HEAD", repository.headCommitID() == nil { throw BundleError.noHead }
            throw BundleError.unknownRevision(revision)
        }
        let signingKey = try options.signingKeyPath.map(BundleKeys.loadPrivate)
        let output = URL(fileURLWithPath: options.output).standardizedFileURL
        try checkOutput(output, force: options.force)

        let commit = try repository.commit(commitID)
        let commitDate = commit.committer.time
        let day = String(Self.isoDate(commitDate).prefix(10))
        // Judged as of the commit's own date, so the bundle does not depend on when it was made.
        let project = try workspace.loadProject(.revision(commitID.hex), today: day)
        let recordsRoot = project.configuration.recordsRoot
        if let root = workspace.root {
            try checkNotInside(output, root: root, recordsRoot: recordsRoot)
            if (options.revision == nil || options.revision == "HEAD"), !options.allowDirty {
                let dirty = try dirtyPaths(repository: repository, root: root, recordsRoot: recordsRoot, head: commitID)
                if !dirty.isEmpty { throw BundleError.dirtyWorkingTree(dirty) }
            }
        }

        var tree: [String: TreeFile] = [:]
        for file in try repository.files(inCommit: commitID, under: "") { tree[file.path] = file }
        let sources = BundleSourceFiles(project: project, tree: tree)
        let check = Checker().check(project)
        let findings = Finding.sorted(check.findings + sources.findings)
        let coverage = CoverageCalculator().coverage(of: project, trailers: try workspace.trailerIndex(.revision(commitID.hex)))
        let attribution = AttributionLookup(project: project, repository: repository, tip: commitID)

        let repositoryName = Self.repositoryName(repository)
        let commitInfo = BundleManifest.CommitInfo(id: commitID.hex, date: Self.isoDate(commitDate),
                                                   author: "\(commit.author.name) <\(commit.author.email)>", summary: commit.summary)
        let context = ReportContext(toolVersion: options.toolVersion)
        var findingsReport = check
        findingsReport.findings = findings

        let report = BundleReport(project: project, coverage: coverage, findings: findings, commit: commitInfo,
                                  repository: repositoryName, toolVersion: options.toolVersion,
                                  bundledPaths: Set(sources.items.map(\.path)), attribution: attribution.attribution(of:))
        var generated: [String: Data] = [
            BundleLayout.coverage: Data(CoverageJSONRenderer().render(coverage).utf8),
            BundleLayout.findings: Data(JSONReporter().render(findingsReport, context: context).utf8),
        ]
        for (name, html) in report.pages() { generated[name] = Data(html.utf8) }

        // First pass: hash every file (blobs read one at a time).
        var files: [BundleManifest.File] = []
        for (name, data) in generated {
            files.append(.init(path: name, sha256: HexDigest.hex(SHA256.hash(data: data)), size: data.count,
                               blob: HexDigest.gitBlobID(data), source: nil, attribution: nil))
        }
        for item in sources.items {
            let data = try repository.blob(item.blob)
            files.append(.init(path: BundleLayout.recordsFolder + item.path, sha256: HexDigest.hex(SHA256.hash(data: data)), size: data.count,
                               blob: item.blob.hex, source: item.path, attribution: AttributionLookup.manifest(attribution.attribution(of: item.path))))
        }
        files.sort { $0.path < $1.path }
        let manifest = BundleManifest(format: BundleManifest.formatVersion, tool: .init(name: "evident", version: options.toolVersion),
                                      repository: repositoryName, product: project.configuration.productName,
                                      commit: commitInfo, files: files)
        let manifestData = try manifest.encoded()
        var signatureData: Data?
        var fingerprint: String?
        if let signingKey {
            let signature = try signingKey.signature(for: manifestData)
            fingerprint = BundleKeys.fingerprint(signingKey.publicKey)
            signatureData = try BundleSignature(algorithm: "ed25519", keyFingerprint: fingerprint ?? "",
                                                signature: signature.base64EncodedString()).encoded()
        }

        // Second pass: write entries in name order, each dated with the commit and mode 0644.
        var names = files.map(\.path) + [BundleLayout.manifest]
        if signatureData != nil { names.append(BundleLayout.signature) }
        names.sort()
        let blobs = Dictionary(uniqueKeysWithValues: sources.items.map { (BundleLayout.recordsFolder + $0.path, $0.blob) })
        let temporary = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(getpid()).tmp")
        try? FileManager.default.removeItem(at: temporary)
        do {
            let archive = try Archive(url: temporary, accessMode: .create)
            for name in names {
                let data: Data
                if name == BundleLayout.manifest {
                    data = manifestData
                } else if name == BundleLayout.signature, let signatureData {
                    data = signatureData
                } else if let blob = blobs[name] {
                    data = try repository.blob(blob)
                } else if let content = generated[name] {
                    data = content
                } else {
                    continue
                }
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: commitDate,
                                     permissions: 0o644, compressionMethod: .deflate) { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw BundleError.writeFailed(output.path, "\(error)")
        }
        if !options.force, FileManager.default.fileExists(atPath: output.path) {
            try? FileManager.default.removeItem(at: temporary)
            throw BundleError.outputExists(output.path)
        }
        guard rename(temporary.path, output.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw BundleError.writeFailed(output.path, reason)
        }
        return Result(output: output, manifest: manifest, keyFingerprint: fingerprint, findings: findings)
    }

    func checkOutput(_ output: URL, force: Bool) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw BundleError.writeFailed(output.path, "it is a directory") }
            if !force { throw BundleError.outputExists(output.path) }
        }
        let parent = output.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw BundleError.writeFailed(output.path, "folder \(parent.path) does not exist")
        }
    }

    func checkNotInside(_ output: URL, root: URL, recordsRoot: String) throws {
        let records = root.appendingPathComponent(recordsRoot, isDirectory: true).resolvingSymlinksInPath().standardizedFileURL.path
        let target = output.deletingLastPathComponent().resolvingSymlinksInPath().standardizedFileURL
            .appendingPathComponent(output.lastPathComponent).path
        let prefix = records.hasSuffix("/") ? records : records + "/"
        if target == records || target.hasPrefix(prefix) { throw BundleError.outputInsideRecords(output.path, recordsRoot) }
    }

    /// Files under the records root whose working-tree bytes differ from HEAD (changed, added or deleted).
    func dirtyPaths(repository: Repository, root: URL, recordsRoot: String, head: ObjectID) throws -> [String] {
        var committed: [String: String] = [:]
        for file in try repository.files(inCommit: head, under: recordsRoot) { committed[file.path] = file.blobID.hex }
        let working = (try? WorkingTreeSource(root: root).files(under: recordsRoot)) ?? []
        var dirty = Set<String>()
        for file in working {
            guard file.kind == .regular else { continue }
            let hash = try? repository.hashWorkdirFile(file.path).hex
            if hash == nil || committed[file.path] != hash { dirty.insert(file.path) }
        }
        let present = Set(working.map(\.path))
        for path in committed.keys where !present.contains(path) { dirty.insert(path) }
        return dirty.sorted()
    }

    static func repositoryName(_ repository: Repository) -> String {
        if let workdir = repository.workdir { return URL(fileURLWithPath: workdir).lastPathComponent }
        let name = URL(fileURLWithPath: repository.commonDir).lastPathComponent
        return name.hasSuffix(".git") ? String(name.dropLast(4)) : name
    }

    static func isoDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
