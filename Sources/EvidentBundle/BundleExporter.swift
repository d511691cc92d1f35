import Crypto
import EvidentCore
import EvidentDisclosure
import Foundation
import GitKit
import Signatures

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
        /// Maturity level to judge coverage at (nil: the configured target).
        public var level: Int?

        public init(revision: String? = nil, output: String, signingKeyPath: String? = nil, force: Bool = false,
                    allowDirty: Bool = false, toolVersion: String, level: Int? = nil) {
            self.revision = revision
            self.output = output
            self.signingKeyPath = signingKeyPath
            self.force = force
            self.allowDirty = allowDirty
            self.toolVersion = toolVersion
            self.level = level
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
        let project: Project
        do {
            project = try workspace.loadProject(.revision(commitID.hex), today: day)
        } catch WorkspaceError.noConfiguration {
            throw WorkspaceError.noConfiguration(revision)
        }
        let recordsRoot = project.configuration.recordsRoot
        if let root = workspace.root {
            try checkNotInside(output, root: root, recordsRoot: recordsRoot)
            if (options.revision == nil || options.revision == "HEAD"), !options.allowDirty {
                let dirty = try Timings.measure("export dirty check") {
                    try dirtyPaths(repository: repository, root: root, recordsRoot: recordsRoot, head: commitID, limits: project.configuration.limits)
                }
                if !dirty.isEmpty { throw BundleError.dirtyWorkingTree(dirty) }
            }
        }

        var tree: [String: TreeFile] = [:]
        for file in try Timings.measure("export tree", { try repository.files(inCommit: commitID, under: "") }) { tree[file.path] = file }
        let sources = Timings.measure("export sources") { BundleSourceFiles(project: project, tree: tree) }
        let check = Timings.measure("export check") { Checker(rules: DisclosureRules.all).check(project) }
        let disclosure = Timings.measure("export disclosure") {
            Disclosure.bundleFiles(project: project, repository: repository, tip: commitID, toolVersion: options.toolVersion)
        }
        let findings = Finding.sorted(check.findings + sources.findings + disclosure.findings)
        let coverage = try Timings.measure("export coverage") {
            CoverageCalculator().coverage(of: project, level: options.level, trailers: try workspace.trailerIndex(.revision(commitID.hex)), findings: findings)
        }
        let attribution = AttributionLookup(project: project, repository: repository, tip: commitID)

        let repositoryName = Self.repositoryName(repository)
        let commitInfo = BundleManifest.CommitInfo(id: commitID.hex, date: Self.isoDate(commitDate),
                                                   author: "\(commit.author.name) <\(commit.author.email)>", summary: commit.summary)
        let context = ReportContext(toolVersion: options.toolVersion)
        var findingsReport = check
        findingsReport.findings = findings

        // Approval histories are read from git here, before pages are made on every core.
        var approvalHistories: [String: [ApprovalEvent]] = [:]
        if let facts = project.git as? RepositoryFacts {
            Timings.measure("export approval history") {
                for record in project.records {
                    approvalHistories[record.path] = ApprovalHistory.events(path: record.path, commits: facts.commits(of: record.path),
                                                                            repository: repository, known: record)
                }
            }
        }
        let report = Timings.measure("export report") { BundleReport(project: project, coverage: coverage, findings: findings, commit: commitInfo,
                                  repository: repositoryName, toolVersion: options.toolVersion,
                                  bundledPaths: Set(sources.items.map(\.path)), attribution: attribution.attribution(of:),
                                  readSource: { path in try attribution.readingGit { try project.source.read(path) } },
                                  approvals: { [approvalHistories] in approvalHistories[$0] ?? [] },
                                  disclosure: disclosure.files.map { ($0.name, $0.title) }) }
        let pageNames = Timings.measure("export page names") { report.pageNames }

        // Every file in name order, made (rendered or read) only when its turn comes.
        enum Content {
            case coverage, findings, index, traceJSON, traceHTML
            case page(Record)
            case repository(path: String, blob: ObjectID)
            case text(String)
        }
        var entries: [(name: String, content: Content)] = [
            (BundleLayout.coverage, .coverage), (BundleLayout.findings, .findings), (BundleLayout.index, .index),
            (BundleLayout.traceJSON, .traceJSON), (BundleLayout.traceHTML, .traceHTML),
        ]
        let trace = Timings.measure("export trace") { Traceability.trace(project) }
        for (name, record) in report.pageRecords(pageNames) { entries.append((name, .page(record))) }
        for item in sources.items { entries.append((BundleLayout.recordsFolder + item.path, .repository(path: item.path, blob: item.blob))) }
        for file in disclosure.files { entries.append((file.name, .text(file.text))) }
        entries.sort { $0.name < $1.name }

        // One pass: each file is made, hashed for the manifest, deflated and written, then let go. Entries
        // after `manifest.json` in name order (pages/, records/) go to a spool zip first, because the
        // manifest, written before them, lists their hashes; the spool is then copied in behind it.
        let temporary = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(getpid()).tmp")
        let spool = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(getpid()).spool")
        var finished = false
        defer {
            try? FileManager.default.removeItem(at: spool)
            if !finished { try? FileManager.default.removeItem(at: temporary) }
        }
        func writing<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch { throw BundleError.writeFailed(output.path, PlainError.describe(error)) }
        }
        try? FileManager.default.removeItem(at: temporary)
        let archive = try writing { try BundleZipWriter(url: temporary, modificationDate: commitDate) }
        let after = try writing { try BundleZipWriter(url: spool, modificationDate: commitDate) }
        // Made, hashed and deflated on every core; written in name order, so the bytes do not depend on
        // the threads. Git is read by one thread at a time (`attribution.readingGit`): attributions for every
        // page and source file are looked up here first, so the threads only find them remembered.
        var sourceAttributions: [String: BundleManifest.FileAttribution] = [:]
        Timings.measure("export attributions") {
            for record in project.records { _ = attribution.attribution(of: record.path) }
            for item in sources.items { sourceAttributions[item.path] = AttributionLookup.manifest(attribution.attribution(of: item.path)) }
        }
        struct Made {
            var sha256: String
            var blob: String
            var deflated: BundleZipWriter.Deflated
        }
        var files: [BundleManifest.File] = []
        files.reserveCapacity(entries.count)
        try Timings.measure("export files") {
            try OrderedParallel.run(count: entries.count, maxAhead: 8192, maxWeight: 64 << 20,
                                    weight: { $0.deflated.compressed.count }, make: { index -> Made in
                let (name, content) = entries[index]
                let data: Data
                var blob: String?
                switch content {
                case .coverage:
                    data = Data(CoverageJSONRenderer().bytes(coverage))
                case .findings:
                    data = Data(JSONReporter().render(findingsReport, context: context).utf8)
                case .index:
                    data = Data(report.index(pageNames).utf8)
                case .traceJSON:
                    data = Data(TraceJSONRenderer().render(trace).utf8)
                case .traceHTML:
                    data = Data(TraceHTMLRenderer().render(trace).utf8)
                case .page(let record):
                    data = Data(report.page(record).utf8)
                case .text(let text):
                    data = Data(text.utf8)
                case .repository(_, let id):
                    data = try attribution.readingGit { try repository.blob(id) }
                    blob = id.hex
                }
                let deflated = try writing { try BundleZipWriter.deflate(data, name: name) }
                return Made(sha256: HexDigest.hex(SHA256.hash(data: data)), blob: blob ?? HexDigest.gitBlobID(data), deflated: deflated)
            }, consume: { index, made in
                let name = entries[index].name
                var source: String?
                if case .repository(let path, _) = entries[index].content { source = path }
                files.append(.init(path: name, sha256: made.sha256, size: made.deflated.size, blob: made.blob, source: source,
                                   attribution: source.flatMap { sourceAttributions[$0] }))
                try writing { try (name < BundleLayout.manifest ? archive : after).add(name: name, deflated: made.deflated) }
            })
        }
        let manifest = BundleManifest(format: BundleManifest.formatVersion, tool: .init(name: "evident", version: options.toolVersion),
                                      repository: repositoryName, product: project.configuration.productName,
                                      commit: commitInfo, files: files)
        let manifestData = try Timings.measure("export manifest") { try manifest.encoded() }
        var signatureData: Data?
        var attestationData: Data?
        var fingerprint: String?
        if let signingKey {
            // An SSH signature (namespace `evident`): `ssh-keygen -Y verify` checks it with stock OpenSSH.
            signatureData = Data(try SSHSignature.sign(manifestData, namespace: BundleLayout.signatureNamespace, with: signingKey).armored.utf8)
            fingerprint = signingKey.publicKey.fingerprint
            attestationData = try BundleAttestation.envelope(manifest: manifest, manifestData: manifestData, coverage: coverage,
                                                             findings: findings, key: signingKey)
        }
        // No bundle name falls between `manifest.json` and `manifest.json.sig` (the others are fixed
        // names and paths under pages/ and records/), so this is still name order; the attestation, which
        // names the manifest's hash, comes right after them.
        try Timings.measure("export finish") {
            try writing {
                try Timings.measure("manifest entry") {
                    try archive.add(name: BundleLayout.manifest, data: manifestData)
                    if let signatureData { try archive.add(name: BundleLayout.signature, data: signatureData) }
                    if let attestationData { try archive.add(name: BundleLayout.attestation, data: attestationData) }
                }
                try Timings.measure("spool copy") { try archive.append(after) }
                try Timings.measure("directory") { try archive.finish() }
            }
        }
        if !options.force, FileManager.default.fileExists(atPath: output.path) {
            throw BundleError.outputExists(output.path)
        }
        guard rename(temporary.path, output.path) == 0 else {
            throw BundleError.writeFailed(output.path, String(cString: strerror(errno)))
        }
        finished = true
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
    func dirtyPaths(repository: Repository, root: URL, recordsRoot: String, head: ObjectID, limits: YAMLLimits) throws -> [String] {
        var committed: [String: String] = [:]
        for file in try repository.files(inCommit: head, under: recordsRoot) { committed[file.path] = file.blobID.hex }
        let working = (try? Workspace(repository: repository).workingTreeBlobs(under: recordsRoot, limits: limits, expected: committed)) ?? []
        var dirty = Set<String>()
        for (file, hash) in working where file.kind == .regular {
            if hash == nil || committed[file.path] != hash { dirty.insert(file.path) }
        }
        let present = Set(working.map(\.file.path))
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
