import Foundation
import Testing
@testable import EvidentBundle

/// Bundles `scripts/fuzz` found (`Tests/Fuzz/regressions/FuzzBundle/`): each is verified quickly,
/// found not intact, and never hangs.
struct FuzzBundleRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions/FuzzBundle")

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()

    @Test(arguments: names)
    func regressionBundleIsRefusedQuickly(name: String) throws {
        let clock = ContinuousClock()
        var verification: BundleVerification?
        let elapsed = try clock.measure {
            verification = try BundleVerifier().verify(Self.folder.appendingPathComponent(name))
        }
        #expect(verification?.isIntact == false)
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    /// The first one: corrupted deflate data that never ends; ZIPFoundation's inflate loop asked
    /// for more input past the end of the file forever. Now the entries are named, in milliseconds.
    @Test func neverEndingDeflateStreamIsNamed() throws {
        let verification = try BundleVerifier().verify(Self.folder.appendingPathComponent("timeout-deflate-never-ends.zip"))
        #expect(verification.problems.contains { $0.kind == .hashMismatch || $0.kind == .corruptEntry || $0.kind == .tooLarge })
    }
}
