import Foundation
import Testing
@testable import EvidentCore

/// Property: any byte string written as a record gets findings or none, never a crash or a hang.
struct AnyBytesPropertyTests {
    /// SplitMix64: a small deterministic generator, so a failing case can be replayed by its index.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    }

    static let tokens: [String] = [
        "kind: ", "defect", "threat-model", "id: ", "DEF-1", "links:\n  - to: ", "approval:\n  by: a@example.com\n  digest: ",
        "&a ", "*a", "<<: *a\n", "!!python/object ", "- ", "[", "]", "{", "}", ": ", ",", "\n", "\r\n", "  ", "\t", "'", "\"",
        "---\n", "...\n", "#", "|\n", "> ", "? ", "%YAML 1.1\n", "%TAG ! tag:x:\n", "cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n",
        "document: ../../etc/passwd\n", "evidence-for: [SM-1]\n", "\u{FEFF}", "\u{0}", "é", "\u{1F600}", "~", "null", "2026-02-30",
    ]

    static let seeds: [Data] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/records/valid")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
        return names.compactMap { try? Data(contentsOf: folder.appendingPathComponent($0)) }
    }()

    /// Case `index`: random bytes, token soup, or a valid record with bytes flipped, cut or spliced.
    static func input(_ index: Int) -> Data {
        var random = Generator(state: UInt64(index) &* 7919 &+ 1)
        switch index % 3 {
        case 0:
            return Data((0..<random.below(512)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        case 1:
            return Data((0..<random.below(80)).map { _ in tokens[random.below(tokens.count)] }.joined().utf8)
        default:
            guard !seeds.isEmpty else { return Data() }
            var bytes = [UInt8](seeds[random.below(seeds.count)])
            for _ in 0..<(1 + random.below(8)) where !bytes.isEmpty {
                let at = random.below(bytes.count)
                switch random.below(4) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + random.below(40)))
                case 2: bytes.insert(contentsOf: Array(tokens[random.below(tokens.count)].utf8), at: at)
                default: bytes = Array(bytes.prefix(at))
                }
            }
            return Data(bytes)
        }
    }

    @Test func anyBytesGiveFindingsOrNoneNeverACrash() throws {
        let catalog = RuleExampleTests.catalog
        let clock = ContinuousClock()
        for index in 0..<400 {
            let data = Self.input(index)
            let source = MemorySource(data: [".evident.yml": Data(RuleExample.defaultConfig.utf8), "security/p.yaml": data])
            let elapsed = try clock.measure {
                let project = try Project.load(from: source, catalog: catalog, today: "2026-06-01")
                let report = Checker().check(project)
                #expect(report.recordCount == 1, "case \(index)")
                for finding in report.findings {
                    #expect(finding.line >= 1 && finding.column >= 1 && !finding.rule.isEmpty, "case \(index): \(finding)")
                }
            }
            #expect(elapsed < .seconds(2), "case \(index) took \(elapsed)")
        }
    }

    /// The same bytes as `.evident.yml`: parsed or refused with a position, never a crash.
    @Test func anyBytesAsConfiguration() {
        for index in 0..<300 {
            do {
                _ = try Configuration.parse(Self.input(index))
            } catch let error as ConfigurationError {
                #expect(!error.description.isEmpty)
            } catch {
                Issue.record("case \(index): unexpected error \(error)")
            }
        }
    }
}
