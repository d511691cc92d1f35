import EvidentCore
import Foundation
import Testing
@testable import EvidentBundle

/// `manifest.json` is written directly; these hold it to the bytes `JSONEncoder` gives the same value.
struct ManifestBytesTests {
    @Test func demoManifestMatchesTheEncoder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("bundle.zip"))
        let stored = try #require(try ZipCraft.entries(of: scratch.path("bundle.zip")).first { $0.0 == BundleLayout.manifest }?.1)
        let manifest = try BundleManifest.decode(stored)
        #expect(manifest.files.count > 40)
        #expect(manifest.files.contains { $0.attribution?.created?.signature != nil })
        #expect(try manifest.encoded() == BundleJSON.encode(manifest))
        #expect(try manifest.encoded() == stored)
    }

    @Test func oddValuesMatchTheEncoder() throws {
        let texts = ["plain", "", "quote \" and back\\slash", "slash / stays", "tab\tnew\nline\r", "bell \u{07} nul \u{00} esc \u{1B}",
                     "ümlaut ✓ 🎉", "\u{7F} del", "10 < 9 & 2 > 1"]
        var files: [BundleManifest.File] = []
        for (index, text) in texts.enumerated() {
            let signature = BundleManifest.FileAttribution.Signature(status: index % 2 == 0 ? "G" : "N", format: index % 3 == 0 ? nil : "ssh",
                                                                     signer: index % 2 == 0 ? text : nil, key: index % 4 == 0 ? "SHA256:\(text)" : nil)
            let event = BundleManifest.FileAttribution.Event(commit: "c\(index)", author: text, email: "\(text)@example.com", date: "2026-01-0\(index % 9 + 1)T00:00:00Z",
                                                             signature: index % 3 == 2 ? nil : signature)
            let attribution = index % 5 == 4 ? nil : BundleManifest.FileAttribution(created: index % 2 == 0 ? event : nil, lastChanged: event,
                                                                                   authors: index % 3 == 0 ? [] : [text, "b@example.com"], commits: index)
            files.append(.init(path: "records/\(text).yaml", sha256: String(repeating: "a", count: 64), size: index * 1000,
                               blob: String(repeating: "b", count: 40), source: index % 2 == 0 ? "security/\(text).yaml" : nil, attribution: attribution))
        }
        for list in [files, []] {
            let manifest = BundleManifest(format: 1, tool: .init(name: "evident", version: "1.0 \"beta\""), repository: "repo/ü", product: texts[3],
                                          commit: .init(id: "abc", date: "2026-01-01T00:00:00Z", author: "A <a@example.com>", summary: texts[4]), files: list)
            #expect(try manifest.encoded() == BundleJSON.encode(manifest))
        }
    }
}

/// Page names from record ids, byte by byte for plain ASCII: the same as the Character-wise form.
struct PageNameTests {
    private func reference(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let cleaned = String(text.map { allowed.contains($0) ? $0 : "_" }.prefix(100))
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "record" + cleaned : cleaned
    }

    @Test func sameAsTheCharacterWiseForm() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09._-/ :\r\n\t\u{0}é✓🎉e\u{301}") + ["\r\n"]
        var samples = ["", ".hidden", "DEF-001", String(repeating: "x", count: 150), "a\r\nb", "security/defects/DEF-1.yaml"]
        for _ in 0..<5_000 {
            samples.append(String((0..<Int.random(in: 0...120, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for sample in samples { #expect(BundleReport.sanitize(sample) == reference(sample), "\(sample.debugDescription)") }
    }
}
