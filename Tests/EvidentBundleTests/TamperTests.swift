import EvidentCore
import Foundation
import Testing
@testable import EvidentBundle

/// Every tampering fails verification and names what is wrong.
@Suite struct TamperTests {
    enum Tamper: String, CaseIterable {
        case changedByte, extraFile, missingFile, parentEntryName, absoluteEntryName, duplicateName, grownEntry
    }

    static let expected: [Tamper: BundleProblem.Kind] = [
        .changedByte: .hashMismatch, .extraFile: .extraEntry, .missingFile: .missingEntry, .parentEntryName: .unsafeName,
        .absoluteEntryName: .unsafeName, .duplicateName: .duplicateEntry, .grownEntry: .tooLarge,
    ]

    @Test(arguments: Tamper.allCases)
    func tamperingIsNamed(_ tamper: Tamper) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("bundle.zip"))
        var entries = try ZipCraft.entries(of: scratch.path("bundle.zip"))
        let target = try #require(entries.firstIndex { $0.0 == "coverage.json" })
        switch tamper {
        case .changedByte:
            var data = entries[target].1
            data[10] ^= 0x01
            entries[target].1 = data
        case .extraFile:
            entries.append(("records/security/planted.yaml", Data("kind: process\n".utf8)))
        case .missingFile:
            entries.remove(at: target)
        case .parentEntryName:
            entries.append(("../../evil.sh", Data("echo owned\n".utf8)))
        case .absoluteEntryName:
            entries.append(("/etc/evil", Data("x".utf8)))
        case .duplicateName:
            entries.append(("coverage.json", Data("{}".utf8)))
        case .grownEntry:
            entries[target].1 = Data(repeating: 0x20, count: entries[target].1.count + 200_000)
        }
        try ZipCraft.write(entries, to: scratch.path("tampered.zip"))
        let result = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("tampered.zip")))
        #expect(!result.isIntact)
        let kind = try #require(Self.expected[tamper])
        #expect(result.problems.contains { $0.kind == kind }, "\(tamper): \(result.problems)")
    }

    @Test func flippedByteInTheRawFileFails() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("bundle.zip"))
        var raw = try Data(contentsOf: URL(fileURLWithPath: scratch.path("bundle.zip")))
        raw[raw.count / 3] ^= 0xFF
        try raw.write(to: URL(fileURLWithPath: scratch.path("flipped.zip")))
        let result = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("flipped.zip")))
        #expect(!result.isIntact)
    }

    @Test func notAZipAndTruncatedAreProblems() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Data("hello, not a zip".utf8).write(to: URL(fileURLWithPath: scratch.path("text.zip")))
        let text = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("text.zip")))
        #expect(text.problems.map(\.kind) == [.notAZip])
        let workspace = try Demo.build(in: scratch)
        _ = try Demo.export(workspace, to: scratch.path("bundle.zip"))
        let raw = try Data(contentsOf: URL(fileURLWithPath: scratch.path("bundle.zip")))
        try raw.prefix(raw.count / 2).write(to: URL(fileURLWithPath: scratch.path("half.zip")))
        #expect(!(try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("half.zip")))).isIntact)
    }
}

@Suite struct SigningTests {
    @Test func keygenSignVerifyRoundTripAndWrongKey() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let fingerprint = try BundleKeys.generate(at: scratch.path("key"), force: false)
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.path("key"))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(throws: BundleError.outputExists(scratch.path("key"))) { try BundleKeys.generate(at: scratch.path("key"), force: false) }
        try BundleKeys.generate(at: scratch.path("other"), force: false)

        let workspace = try Demo.build(in: scratch)
        let result = try Demo.export(workspace, to: scratch.path("signed.zip"), key: scratch.path("key"))
        #expect(result.keyFingerprint == fingerprint)
        let url = URL(fileURLWithPath: scratch.path("signed.zip"))
        let good = try BundleVerifier().verify(url, publicKey: try BundleKeys.loadPublic(scratch.path("key.pub")))
        #expect(good.isIntact, "\(good.problems)")
        #expect(good.signatureChecked && good.signatureFingerprint == fingerprint)

        let wrong = try BundleVerifier().verify(url, publicKey: try BundleKeys.loadPublic(scratch.path("other.pub")))
        // Both signatures are checked: the manifest's and the attestation's.
        #expect(wrong.problems.map(\.kind) == [.signatureOtherKey, .attestationInvalid])

        _ = try Demo.export(workspace, to: scratch.path("unsigned.zip"))
        let unsigned = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("unsigned.zip")), publicKey: try BundleKeys.loadPublic(scratch.path("key.pub")))
        #expect(unsigned.problems.map(\.kind) == [.signatureMissing])

        // A manifest altered after signing: the signature no longer matches.
        var entries = try ZipCraft.entries(of: scratch.path("signed.zip"))
        let index = try #require(entries.firstIndex { $0.0 == "manifest.json" })
        entries[index].1 = Data(String(decoding: entries[index].1, as: UTF8.self).replacingOccurrences(of: "\"test\"", with: "\"tost\"").utf8)
        try ZipCraft.write(entries, to: scratch.path("resigned.zip"))
        let altered = try BundleVerifier().verify(URL(fileURLWithPath: scratch.path("resigned.zip")), publicKey: try BundleKeys.loadPublic(scratch.path("key.pub")))
        // The attestation names the manifest's SHA-256, so it no longer matches either.
        #expect(altered.problems.map(\.kind) == [.signatureInvalid, .attestationMismatch])
    }

    @Test func aFileThatIsNotAKeyIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: scratch.path("junk")))
        #expect(throws: BundleError.notAKey(scratch.path("junk"), "private")) { _ = try BundleKeys.loadPrivate(scratch.path("junk")) }
        try BundleKeys.generate(at: scratch.path("key"), force: false)
        #expect(throws: BundleError.notAKey(scratch.path("key"), "public")) { _ = try BundleKeys.loadPublic(scratch.path("key")) }
    }
}

@Suite struct DiffTests {
    @Test func demoDiffShowsTheDefectAdded() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let workspace = try Demo.build(in: scratch)
        let diff = try EvidenceDiffer().diff(workspace, range: "v2.3.0..v2.3.1")
        #expect(diff.added.contains { $0.id == "DEF-2026-001" && $0.toBlob?.count == 40 })
        #expect(DiffTextRenderer().render(diff).contains("+ DEF-2026-001"))
        #expect(DiffJSONRenderer().render(diff).contains("\"DEF-2026-001\""))
        #expect(DiffMarkdownRenderer().render(diff).contains("| added | DEF-2026-001 |"))
        #expect(try EvidenceDiffer().diff(workspace, range: "v2.3.1..v2.3.1").isEmpty)
        #expect(throws: BundleError.badRange("v2.3.0")) { _ = try EvidenceDiffer().diff(workspace, range: "v2.3.0") }
        #expect(throws: BundleError.unknownRevision("nope")) { _ = try EvidenceDiffer().diff(workspace, range: "v2.3.0..nope") }
    }
}
