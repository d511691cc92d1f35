import EvidentCore
import Foundation
import GitKit
import Testing
@testable import EvidentBundle

/// Evidence paths that are absolute or climb out with `..` are findings and never read.
@Suite struct EvidencePathTests {
    @Test func unsafeEvidencePathsAreFindingsNotFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        let repository = workspace.repository
        let head = try #require(repository.headCommitID())
        let path = "security/sbom/SBOM-FG200-2.3.yaml"
        let original = try #require(try repository.blobData(atPath: path, inCommit: head))
        let edited = String(decoding: original, as: UTF8.self)
            .replacingOccurrences(of: "document: security/sbom/fg200-2.3.cdx.json", with: "document: ../../etc/passwd\nreport: /etc/passwd")
        let signature = Signature(name: "Test", email: "test@example.com", time: Date(timeIntervalSince1970: 1_800_000_000))
        try repository.commit(files: [path: Data(edited.utf8)], message: "Point the SBOM outside", author: signature, committer: signature)

        var options = BundleExporter.Options(output: scratch.path("bundle.zip"), toolVersion: "test")
        options.allowDirty = true
        let result = try BundleExporter().export(from: workspace, options: options)
        let unsafe = result.findings.filter { $0.rule == "bundle-evidence-path" }
        #expect(unsafe.count == 2)
        #expect(unsafe.allSatisfy { $0.path == path })
        #expect(!result.manifest.files.contains { $0.path.contains("passwd") || $0.path.contains("..") })
        #expect(!result.manifest.files.contains { $0.path == "records/security/sbom/fg200-2.3.cdx.json" })
        #expect(try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("bundle.zip"))).isIntact)
    }
}
