import Foundation
import Testing
@testable import EvidentCore
import Vulnerabilities

/// Replays every input in `Tests/Fuzz/regressions/<target>/` (crashes `scripts/fuzz` found) through
/// the code its fuzz target drives, without sanitizers: each must give findings or errors, never crash.
/// (FuzzJSON and FuzzBundle inputs are replayed by their own test targets when there are any.)
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")

    static func inputs(_ target: String) -> [String] {
        let directory = folder.appendingPathComponent(target)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted().map { "\(target)/\($0)" }
    }

    static let all = ["FuzzRecord", "FuzzConfig", "FuzzCVSS"].flatMap(inputs)

    @Test(arguments: all)
    func regressionInputDoesNotCrash(path: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(path))
        switch path.split(separator: "/").first {
        case "FuzzRecord":
            let source = MemorySource(data: [".evident.yml": Data(RuleExample.defaultConfig.utf8), "security/fuzz.yaml": data])
            _ = Checker().check(try Project.load(from: source, catalog: RuleExampleTests.catalog, today: "2026-06-01"))
        case "FuzzConfig":
            _ = try? Configuration.parse(data)
        default:
            _ = CVSSVector.parse(String(decoding: data, as: UTF8.self))
        }
    }

    @Test func folderIsThere() {
        #expect(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("README.md").path))
    }
}
