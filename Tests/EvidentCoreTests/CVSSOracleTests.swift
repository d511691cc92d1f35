import Foundation
import Testing
@testable import Vulnerabilities

/// Random CVSS 3.1 and 4.0 vectors (4.0 ones with threat and environmental metrics, in shuffled
/// order) scored by evident and by Red Hat's Python `cvss` package (pip install cvss), which follows
/// FIRST's specifications and rounds 4.0 scores with FIRST's epsilon fix. Skipped, saying so, when
/// python3 or the package is absent.
struct CVSSOracleTests {
    static func vectors(count: Int) -> [String] {
        // The property tests' deterministic generator, so a failure names vectors that reproduce.
        var random = AnyBytesPropertyTests.Generator(state: 20_260_601)
        var out: [String] = []
        for index in 0..<count {
            let v4 = index % 2 == 1
            let table = v4 ? CVSS4.metrics : CVSS3.metrics
            var parts: [String] = []
            for metric in table {
                let values = metric.values
                if metric.base {
                    // Base metrics never take X.
                    parts.append("\(metric.name):\(values.filter { $0 != "X" }.randomElement(using: &random) ?? values[0])")
                } else if Int.random(in: 0..<3, using: &random) == 0 {
                    parts.append("\(metric.name):\(values.randomElement(using: &random) ?? values[0])")
                }
            }
            if v4 && index % 4 == 1 { parts.shuffle(using: &random) }
            out.append((v4 ? "CVSS:4.0/" : "CVSS:3.1/") + parts.joined(separator: "/"))
        }
        return out
    }

    static let script = """
    import sys
    from cvss import CVSS3, CVSS4
    for line in sys.stdin:
        v = line.strip()
        if v.startswith('CVSS:4.0/'):
            c = CVSS4(v)
            print(f"{c.base_score:.1f} {c.severity} {c.clean_vector()}")
        else:
            c = CVSS3(v)
            print(f"{c.scores()[0]:.1f} {c.severities()[0]} -")
    """

    /// Python's answers, or nil (after saying why) when the oracle cannot run.
    static func oracle(_ vectors: [String]) throws -> [String]? {
        // Ask first whether the package imports, so the bulk run never writes into a pipe nobody reads.
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import cvss"]
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { print("python3 not found: CVSS oracle test skipped"); return nil }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { print("python3 or its cvss package (pip install cvss) is missing: CVSS oracle test skipped"); return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { print("python3 not found: CVSS oracle test skipped"); return nil }
        // Write on another thread while this one reads, so neither pipe can fill up and block.
        let writer = input.fileHandleForWriting
        let text = Data((vectors.joined(separator: "\n") + "\n").utf8)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            writer.write(text)
            try? writer.close()
        }
        let collected = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if message.contains("No module named 'cvss'") { print("python package cvss not installed (pip install cvss): CVSS oracle test skipped"); return nil }
            Issue.record("oracle failed: \(message)")
            return nil
        }
        return String(decoding: collected, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func randomVectorsScoreAsTheReference() throws {
        let vectors = Self.vectors(count: 2000)
        guard let answers = try Self.oracle(vectors) else { return }
        #expect(answers.count == vectors.count)
        var mismatches = 0
        for (vector, answer) in zip(vectors, answers) {
            let parts = answer.split(separator: " ").map(String.init)
            guard parts.count == 3 else { Issue.record("oracle said '\(answer)' for \(vector)"); continue }
            let parsed = try CVSSVector.parse(vector, anyOrder: true).get()
            let score = try #require(parsed.baseScore)
            if String(format: "%.1f", score) != parts[0] || CVSSVector.severity(of: score) != parts[1] {
                mismatches += 1
                if mismatches <= 20 { Issue.record("\(vector): evident \(String(format: "%.1f", score)) \(CVSSVector.severity(of: score)), reference \(parts[0]) \(parts[1])") }
            }
            if vector.hasPrefix("CVSS:4.0/") {
                #expect(parsed.canonical == parts[2], "canonical order of \(vector)")
                let again = try CVSSVector.parse(parsed.canonical).get()
                #expect(again.baseScore == parsed.baseScore && again.canonical == parsed.canonical, "the canonical form parses strictly to the same score")
            }
        }
        #expect(mismatches == 0)
        print("CVSS oracle: \(vectors.count) random vectors (half 3.1, half 4.0), \(mismatches) mismatches")
    }

    @Test func outOfOrderV4IsRefusedUnlessAsked() throws {
        let shuffled = "CVSS:4.0/VC:H/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VA:H/SC:N/SI:N/SA:N"
        #expect(throws: CVSSError.outOfOrder("AV")) { try CVSSVector.parse(shuffled).get() }
        let read = try CVSSVector.parse(shuffled, anyOrder: true).get()
        #expect(read.canonical == "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
        #expect(read.baseScore == 9.3)
    }
}

extension AnyBytesPropertyTests.Generator: RandomNumberGenerator {}
