import EvidentCore
import Foundation
import GitKit
import JSONSchema
import Vulnerabilities

/// evident's disclosure documents: a CSAF 2.0 advisory per advisory record, VEX (OpenVEX, CycloneDX,
/// CSAF) of a commit or release, and the CSAF checker over files. Each export reads the records of one
/// commit and dates everything from git, so the same commit gives the same bytes.
public enum Disclosure {
    /// A document ready to write: the name the standard prescribes (or evident's) and its bytes.
    public struct Document: Sendable, Equatable {
        public var fileName: String
        public var text: String
    }

    public enum VEXFormat: String, CaseIterable, Sendable {
        case openvex, cyclonedx, csafVEX = "csaf-vex"
    }

    static func context(_ workspace: Workspace, revision: String?, toolVersion: String) throws -> DisclosureContext {
        let revision = revision ?? "HEAD"
        guard let tip = try? workspace.repository.resolve(revision: revision) else {
            if revision == "HEAD" { throw DisclosureError.noCommit }
            throw DisclosureError.unknownRevision(revision)
        }
        let day = (try? workspace.repository.commit(tip)).map { String(DisclosureContext.timestamp($0.committer.time).prefix(10)) } ?? "1970-01-01"
        let project = try workspace.loadProject(.revision(tip.hex), today: day)
        return DisclosureContext(project: project, repository: workspace.repository, tip: tip, toolVersion: toolVersion)
    }

    static func advisory(_ id: String, in context: DisclosureContext) -> Record? {
        context.records.first { $0.kind == "advisory" && ($0.id == id || $0.string("advisory-id") == id) }
    }

    /// `evident advisory export ID --format csaf [--rev REV]`: throws `DisclosureRefused` with every problem.
    public static func exportAdvisory(_ id: String, workspace: Workspace, revision: String?, toolVersion: String) throws -> Document {
        let context = try context(workspace, revision: revision, toolVersion: toolVersion)
        guard let record = advisory(id, in: context) else { throw DisclosureError.noSuchAdvisory(id) }
        switch AdvisoryMapper(context: context).map(record) {
        case .success(let document): return Document(fileName: document.fileName, text: document.text)
        case .failure(let refused): throw DisclosureRefused(findings: Finding.sorted(refused.findings))
        }
    }

    /// `evident vex export [--release TAG | --rev REV] --format F`.
    public static func exportVEX(workspace: Workspace, release tag: String?, revision: String?, format: VEXFormat, toolVersion: String) throws -> Document {
        // The records of HEAD (or --rev): a release record is usually committed after its tag.
        let context = try context(workspace, revision: revision, toolVersion: toolVersion)
        var release: Record?
        if let tag {
            release = context.records(ofKind: "release").first { $0.string("tag") == tag || $0.string("version") == tag }
            guard release != nil else { throw DisclosureError.noSuchRelease(tag) }
        }
        return try vex(context: context, release: release, format: format)
    }

    /// VEX refusals are findings of their own (`vex-export`), not of the advisory rule.
    static func vex(context: DisclosureContext, release: Record?, format: VEXFormat) throws -> Document {
        do {
            return try makeVEX(context: context, release: release, format: format)
        } catch let refused as DisclosureRefused {
            throw DisclosureRefused(findings: refused.findings.map { var f = $0; f.rule = "vex-export"; return f })
        }
    }

    private static func makeVEX(context: DisclosureContext, release: Record?, format: VEXFormat) throws -> Document {
        let mapper = VEXMapper(context: context, release: release)
        let result: VEXMapper.Result
        switch mapper.map() {
        case .success(let r): result = r
        case .failure(let refused): throw refused
        }
        if result.document.statements.isEmpty && format != .cyclonedx {
            throw DisclosureRefused(findings: [context.configFinding(
                "no defect has a status for \(result.versions.isEmpty ? "any version" : result.versions.joined(separator: ", ")): \(format == .openvex ? "an OpenVEX document needs at least one statement" : "a CSAF VEX needs vulnerabilities (6.1.27.11)") (the CycloneDX VEX can say there is nothing)")])
        }
        let stem = "\(context.configuration.productName)-\(release?.string("version") ?? String((context.tip?.hex ?? "").prefix(10)))"
        let safe = CSAFDocument.fileName(forTrackingID: stem).dropLast(5)
        switch format {
        case .openvex:
            return Document(fileName: "\(safe).openvex.json", text: OpenVEXWriter.render(result.document))
        case .cyclonedx:
            return Document(fileName: "\(safe).vex.cdx.json", text: CycloneDXVEXWriter.render(result.document, serialNumber: serialNumber(context, release)))
        case .csafVEX:
            switch mapper.csaf(result) {
            case .success(let document): return Document(fileName: document.fileName, text: document.text)
            case .failure(let refused): throw refused
            }
        }
    }

    /// A UUID (version 5 layout) from the commit and release: the same export, the same serial number.
    static func serialNumber(_ context: DisclosureContext, _ release: Record?) -> String {
        var hash = StableHash()
        hash.add(context.tip?.hex ?? "")
        hash.add(release?.string("tag") ?? "")
        var bytes = hash.bytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Hex.lowercase(bytes)
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return "urn:uuid:" + parts.joined(separator: "-")
    }

    /// Writes a document to `path` through a temporary file renamed into place.
    public static func write(_ document: Document, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(document.text.utf8).write(to: temporary)
            if FileManager.default.fileExists(atPath: url.path) { _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary) } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DisclosureError.cannotWrite(path, error.localizedDescription)
        }
    }

    /// The largest file `csaf check` reads (CSAF 2.1's Appendix C puts a soft limit at 15 MB).
    public static let maxCSAFFileSize = 64 << 20

    /// `evident csaf check FILE...`: each file's findings as `Finding`s (rule `csaf-<test>`), at line and column.
    public static func checkCSAF(files: [String]) -> [Finding] {
        var findings: [Finding] = []
        for file in files {
            // Only regular files, and within a bound, are read (a FIFO would block, a device never end).
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            guard attributes?[.type] as? FileAttributeType == .typeRegular else {
                findings.append(Finding(rule: "csaf-json", severity: .error, path: file,
                                        message: attributes == nil ? "cannot read the file" : "not a regular file"))
                continue
            }
            if let size = attributes?[.size] as? Int, size > maxCSAFFileSize {
                findings.append(Finding(rule: "csaf-json", severity: .error, path: file,
                                        message: "\(size) bytes: larger than the \(maxCSAFFileSize / (1 << 20)) MiB evident reads as one CSAF document"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                findings.append(Finding(rule: "csaf-json", severity: .error, path: file, message: "cannot read the file"))
                continue
            }
            for problem in CSAFChecker().check(data: data) {
                findings.append(Finding(rule: "csaf-\(problem.test)", severity: .error, path: file, line: problem.line ?? 1, column: problem.column ?? 1,
                                        message: "\(problem.message) (\(problem.pointer.isEmpty ? "/" : problem.pointer))"))
            }
            if let id = (try? JSONValue.parse(data))?["document"]?["tracking"]?["id"]?.stringValue {
                let expected = CSAFDocument.fileName(forTrackingID: id)
                let name = (file as NSString).lastPathComponent
                if name != expected {
                    findings.append(Finding(rule: "csaf-5.1", severity: .warning, path: file,
                                            message: "CSAF 2.0 section 5.1 names this document '\(expected)' (from /document/tracking/id), not '\(name)'"))
                }
            }
        }
        return findings
    }
}

/// FNV-1a based 128-bit stable hash (not cryptographic: a stable identifier, not a proof).
struct StableHash {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x8422_2325_cbf2_9ce4

    mutating func add(_ text: String) {
        for byte in text.utf8 + [0] {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 ^ (b >> 29)
        }
    }

    func bytes(_ count: Int) -> [UInt8] {
        let all = (0..<8).map { UInt8((a >> (8 * UInt64($0))) & 0xFF) } + (0..<8).map { UInt8((b >> (8 * UInt64($0))) & 0xFF) }
        return Array(all.prefix(count))
    }
}

extension Disclosure {
    /// A file the audit bundle carries: its name in the bundle, a title for the report, its bytes.
    public struct BundleFile: Sendable {
        public var name: String
        public var title: String
        public var text: String
    }

    /// The audit bundle's disclosure documents for the exported commit: every advisory that exports as
    /// CSAF (`disclosure/csaf/`, named per CSAF section 5.1; the others are `advisory-csaf` findings of the
    /// bundle's check) and the commit's VEX in the three formats (`disclosure/vex/`). VEX that cannot be
    /// made (no product purl) is a warning, not a failed export.
    public static func bundleFiles(project: Project, repository: Repository, tip: ObjectID, toolVersion: String) -> (files: [BundleFile], findings: [Finding]) {
        let context = DisclosureContext(project: project, repository: repository, tip: tip, toolVersion: toolVersion)
        var files: [BundleFile] = []
        var names: Set<String> = []
        for record in context.records(ofKind: "advisory") {
            // A second advisory under one tracking id is the duplicate-advisory-id rule's error; the
            // bundle keeps the first (by record id) rather than two entries of one name.
            if case .success(let document) = AdvisoryMapper(context: context).map(record), names.insert(document.fileName).inserted {
                files.append(BundleFile(name: "disclosure/csaf/" + document.fileName, title: "CSAF 2.0 advisory \(document.tracking.id) (\(record.id ?? record.path))", text: document.text))
            }
        }
        var findings: [Finding] = []
        for (format, title) in [(VEXFormat.openvex, "OpenVEX 0.2.0"), (.cyclonedx, "CycloneDX 1.6 VEX"), (.csafVEX, "CSAF 2.0 VEX")] {
            do {
                let document = try vex(context: context, release: nil, format: format)
                files.append(BundleFile(name: "disclosure/vex/" + document.fileName, title: "\(title) of the commit", text: document.text))
            } catch let refused as DisclosureRefused {
                findings += refused.findings.map { var f = $0; f.severity = .warning; f.rule = "disclosure-export"; f.message = "\(title) not in the bundle: \(f.message)"; return f }
            } catch {
                findings.append(context.configFinding("\(title) not in the bundle: \(error)"))
            }
        }
        return (files.sorted { $0.name < $1.name }, findings)
    }
}
