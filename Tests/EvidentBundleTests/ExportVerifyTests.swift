import EvidentCore
import Foundation
import Testing
@testable import EvidentBundle

@Suite struct ExportVerifyTests {
    @Test func demoExportVerifiesAndHoldsTheExpectedFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        let result = try Demo.export(workspace, to: scratch.path("bundle.zip"))
        let names = Set(try ZipCraft.entries(of: scratch.path("bundle.zip")).map(\.0))
        for required in ["index.html", "coverage.json", "findings.json", "manifest.json", "records/security/sbom/fg200-2.3.cdx.json"] {
            #expect(names.contains(required), "missing \(required)")
        }
        #expect(names.contains { $0.hasPrefix("records/") && $0.hasSuffix(".yaml") })
        #expect(names.contains { $0.hasPrefix("pages/") && $0.hasSuffix(".html") })
        #expect(result.manifest.files.allSatisfy { $0.sha256.count == 64 && $0.blob.count == 40 })
        #expect(result.manifest.files.contains { $0.source != nil && $0.attribution?.created != nil })
        let verification = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("bundle.zip")))
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(verification.entriesChecked == result.manifest.files.count)
    }

    @Test func exportingTwiceGivesIdenticalBytes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("one.zip"))
        setenv("TZ", "Pacific/Kiritimati", 1)
        tzset()
        defer { unsetenv("TZ"); tzset() }
        let again = try Workspace.open(at: scratch.url.appendingPathComponent("demo").path)
        _ = try Demo.export(again, to: scratch.path("two.zip"))
        let one = try Data(contentsOf: URL(fileURLWithPath: scratch.path("one.zip")))
        let two = try Data(contentsOf: URL(fileURLWithPath: scratch.path("two.zip")))
        #expect(one == two)
    }

    @Test func indexNamesAll47Requirements() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("bundle.zip"))
        let entries = try ZipCraft.entries(of: scratch.path("bundle.zip"))
        let index = try #require(entries.first { $0.0 == "index.html" }).1
        let html = String(decoding: index, as: UTF8.self)
        let catalog = try Catalog.standard()
        #expect(catalog.requirements.count == 47)
        for requirement in catalog.requirements { #expect(html.contains("id=\"req-\(requirement.id)\"")) }
        #expect(!html.contains("<script"))
    }

    @Test func refusesExistingOutputUnknownRevisionAndOutputInRecords() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("bundle.zip"))
        #expect(throws: BundleError.outputExists(scratch.path("bundle.zip"))) { _ = try Demo.export(workspace, to: scratch.path("bundle.zip")) }
        #expect(throws: BundleError.unknownRevision("no-such-tag")) { _ = try Demo.export(workspace, to: scratch.path("x.zip"), rev: "no-such-tag") }
        let inside = scratch.url.appendingPathComponent("demo/security/out.zip").path
        #expect(throws: BundleError.self) { _ = try Demo.export(workspace, to: inside) }
        #expect(!FileManager.default.fileExists(atPath: inside))
        var forced = BundleExporter.Options(revision: "v2.3.0", output: scratch.path("bundle.zip"), toolVersion: "test")
        forced.force = true
        #expect(try BundleExporter().export(from: workspace, options: forced).manifest.commit.id.count == 40)
    }

    /// The dirty check takes unchanged files' blob ids from the stamps a working-tree load recorded;
    /// an edit after that load (same size or not) is still seen.
    @Test func editsAfterACheckRefuseHeadExport() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        Thread.sleep(forTimeInterval: 2.2)  // files younger than two seconds are not stamped
        _ = try workspace.loadProject(.workingTree, today: "2026-06-01")  // records the stamps
        _ = try Demo.export(workspace, to: scratch.path("clean.zip"), rev: nil)
        let same = scratch.url.appendingPathComponent("demo/security/defects/DEF-2026-001.yaml")
        var text = try String(contentsOf: same, encoding: .utf8)
        text = text.replacingOccurrences(of: "title: ", with: "title= ")  // same size
        try Data(text.utf8).write(to: same)
        #expect(throws: BundleError.dirtyWorkingTree(["security/defects/DEF-2026-001.yaml"])) {
            _ = try Demo.export(workspace, to: scratch.path("b.zip"), rev: nil)
        }
    }

    @Test func dirtyRecordsRefuseHeadExport() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        let file = scratch.url.appendingPathComponent("demo/security/extra.yaml")
        try Data("kind: process\n".utf8).write(to: file)
        #expect(throws: BundleError.dirtyWorkingTree(["security/extra.yaml"])) { _ = try Demo.export(workspace, to: scratch.path("b.zip"), rev: nil) }
        var options = BundleExporter.Options(output: scratch.path("b.zip"), toolVersion: "test")
        options.allowDirty = true
        _ = try BundleExporter().export(from: workspace, options: options)
    }
}
