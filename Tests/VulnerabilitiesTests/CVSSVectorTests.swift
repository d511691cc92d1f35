import Foundation
import Testing
@testable import Vulnerabilities

struct CVSSVectorTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cvss")

    @Test(arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", 6.5),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        // Metrics in another order and temporal/environmental metrics are allowed in v3.
        ("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P/RL:O/CR:H", 9.8),
    ])
    func knownBaseScores(vector: String, score: Double) throws {
        let parsed = try CVSSVector.parse(vector).get()
        #expect(parsed.baseScore == score)
    }

    /// Every v3.0 and v3.1 base vector against an independent implementation's scores.
    @Test func everyBaseVectorMatchesTheOracle() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("v3-base-scores.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let expected = Double(parts[1]) else { Issue.record("bad oracle line \(line)"); continue }
            let score = try CVSSVector.parse(String(parts[0])).get().baseScore
            #expect(score == expected, "\(parts[0])")
            checked += 1
        }
        #expect(checked == 2 * 2592)
    }

    @Test(arguments: [
        "",
        "CVSS:3.1",
        "CVSS:3.1/",
        "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
        "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A",
        "CVSS:3.1/AV:N:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SA:N/SI:N",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    ])
    func malformedVectorsAreRefused(vector: String) {
        guard case .failure = CVSSVector.parse(vector) else {
            Issue.record("'\(vector)' should be refused")
            return
        }
    }

    @Test func v4VectorsKeepEveryMetric() throws {
        let vector = try CVSSVector.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MSI:S/U:Red").get()
        #expect(vector.version == .v4_0)
        #expect(vector.metrics["U"] == "Red")
        #expect(try CVSSVector.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").get().baseScore == 9.3)
        #expect(try CVSSVector.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N").get().baseScore == 0)
    }

    /// v4.0 scores from FIRST's tables against an independent implementation, over a fixed sample
    /// of 3,000 vectors (half with threat and environmental metrics).
    @Test func v4ScoresMatchTheOracle() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("v4-scores.txt"), encoding: .utf8)
        var checked = 0, wrong: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let expected = Double(parts[1]) else { Issue.record("bad oracle line \(line)"); continue }
            let score = try CVSSVector.parse(String(parts[0])).get().baseScore
            if score != expected { wrong.append("\(parts[0]): \(score.map { "\($0)" } ?? "nil") != \(expected)") }
            checked += 1
        }
        #expect(checked == 3000)
        #expect(wrong.isEmpty, "\(wrong.count) differ, e.g. \(wrong.prefix(5))")
    }
}
