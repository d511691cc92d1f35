import Foundation
import Testing
@testable import Vulnerabilities

/// Every real scanner file of ../shared/corpora/scanners: detected as its tool's format, and every
/// vulnerability the file names (found here independently, through Foundation's JSON parser and each
/// format's documented id field) is among the findings' ids and aliases.
struct ScannerCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora/scanners")

    /// Files refused on purpose, with the words the refusal must contain.
    static let refused = [
        "trivy/defectdojo/legacy_no_vuln.json": "JSON literal null",
        "npm-audit/npm6_empty_with_error.json": "ENOAUDIT",
        "grype/defectdojo/fix_available.json": "control characters",
    ]

    static var files: [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
    }

    static func expectedFormat(_ path: String) -> ScannerFormat? {
        if path.hasSuffix("-cyclonedx.json") || path.hasPrefix("dependency-track/vex/") { return .cyclonedx }
        let folder = String(path.prefix { $0 != "/" })
        return ScannerFormat(rawValue: folder)
    }

    /// The vulnerability ids a file names, read without evident's code (nil for files that are not plain JSON).
    static func namedIDs(_ data: Data, format: ScannerFormat) -> [String]? {
        guard let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        func list(_ value: Any?) -> [Any] { value as? [Any] ?? [] }
        func dict(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }
        let object = dict(json)
        switch format {
        case .grype: return list(object["matches"]).compactMap { dict(dict($0)["vulnerability"])["id"] as? String }
        case .trivy:
            let results = json is [Any] ? list(json) : list(object["Results"])
            return results.flatMap { list(dict($0)["Vulnerabilities"]).compactMap { dict($0)["VulnerabilityID"] as? String } }
        case .osvScanner:
            return list(object["results"]).flatMap { list(dict($0)["packages"]).flatMap { package in
                list(dict(package)["groups"]).flatMap { list(dict($0)["ids"]).compactMap { $0 as? String } }
                    + list(dict(package)["vulnerabilities"]).compactMap { dict($0)["id"] as? String }
            } }
        case .cyclonedx: return list(object["vulnerabilities"]).compactMap { dict($0)["id"] as? String }
        case .dependencyTrack: return list(object["findings"]).compactMap { dict(dict($0)["vulnerability"])["vulnId"] as? String }
        case .snyk:
            let projects = json is [Any] ? list(json) : [json]
            return projects.flatMap { list(dict($0)["vulnerabilities"]).compactMap { dict($0)["id"] as? String } }
        case .npmAudit:
            if let advisories = object["advisories"] as? [String: Any] { return advisories.keys.map { "NPM-\($0)" } }
            return dict(object["vulnerabilities"]).values.flatMap { list(dict($0)["via"]).compactMap { via -> String? in
                guard let via = via as? [String: Any] else { return nil }
                return (via["url"] as? String)?.split(separator: "/").last.map(String.init)
            } }
        case .pipAudit:
            let dependencies = json is [Any] ? list(json) : list(object["dependencies"])
            return dependencies.flatMap { list(dict($0)["vulns"]).compactMap { dict($0)["id"] as? String } }
        }
    }

    @Test func everyCorpusFileReadsAsItsFormatAndNamesEveryVulnerability() throws {
        let files = Self.files
        guard !files.isEmpty else { print("corpus scanners not found at \(Self.root.path): skipped"); return }
        var read = 0, findings = 0
        for path in files {
            let data = try Data(contentsOf: Self.root.appendingPathComponent(path))
            if let words = Self.refused[path] {
                #expect(throws: ScannerError.self, "\(path) must be refused") { try ScannerReader.read(data) }
                do { _ = try ScannerReader.read(data) } catch { #expect("\(error)".contains(words), "\(path): \(error)") }
                continue
            }
            let report: ScanReport
            do { report = try ScannerReader.read(data) } catch { Issue.record("\(path): \(error)"); continue }
            read += 1
            findings += report.findings.count
            #expect(report.format == Self.expectedFormat(path), "\(path) read as \(report.format)")
            let known = Set(report.findings.flatMap(\.allIDs).map { $0.uppercased() })
            if let named = Self.namedIDs(data, format: report.format) {
                for id in named {
                    let upper = id.uppercased()
                    #expect(known.contains(upper) || known.contains { $0.hasSuffix("-" + upper) }, "\(path): \(id) is not among the findings")
                }
                // Merging never invents findings (CycloneDX and npm 6 fan one entry out per affected component or version).
                if report.format != .cyclonedx && report.format != .npmAudit {
                    #expect(report.findings.count <= named.count, "\(path): \(report.findings.count) findings from \(named.count) entries")
                }
            }
            for finding in report.findings {
                #expect(VulnerabilityID.isValid(finding.id))
                #expect(!finding.packageName.isEmpty)
            }
        }
        print("scanner corpus: \(read) files read, \(findings) findings, \(Self.refused.count) refused as expected")
        #expect(read >= 80)
    }

    /// Facts checked by hand in the files.
    @Test func knownFindings() throws {
        guard !Self.files.isEmpty else { return }
        func report(_ path: String) throws -> ScanReport { try ScannerReader.read(try Data(contentsOf: Self.root.appendingPathComponent(path))) }
        let ghsa = try report("grype/anchore-grype/explain-ghsa-test.json")
        let httpclient = try #require(ghsa.findings.first { $0.id == "GHSA-cfh5-3ghh-wfjx" })
        #expect(httpclient.aliases.contains("CVE-2014-3577"))
        #expect(httpclient.fixedVersions == ["4.3.5"])
        #expect(ghsa.toolVersion == "0.65.1")
        #expect(ghsa.date == "2023-08-31")

        let powershell = try report("grype/real-world/zilant-prime-core_grype-report.json")
        #expect(powershell.findings.count == 1)
        let mixed = try report("grype/real-world/msn-weather-wrapper_grype-report.json")
        #expect(mixed.notes.contains { $0.contains("ignored") })
        #expect(!mixed.findings.isEmpty)

        let dt = try report("dependency-track/fpf/fpf-1.3_dt-4.14.1_npm.json")
        #expect(dt.findings.count == 21, "22 findings, one of them twice (CVE-2025-62718 on axios 1.13.6)")
        let brace = try #require(dt.findings.first { $0.id == "CVE-2026-25547" })
        #expect(brace.aliases.contains("GHSA-7h2j-956f-4vf2"))
        #expect(brace.vectors.first?.hasPrefix("CVSS:4.0/") == true)

        let trivyV4 = try report("trivy/defectdojo/cvssv4_severity_source.json")
        #expect(trivyV4.findings.contains { $0.vectors.contains { $0.hasPrefix("CVSS:4.0/") } })
        let legacy = try report("trivy/aquasecurity-trivy/v0.18.0-alpine-310.json")
        #expect(legacy.findings.count == 8)
        let fixedList = try report("trivy/aquasecurity-trivy/centos-7.json")
        #expect(fixedList.findings.count == 3)

        let osv = try report("osv-scanner/google-osv-scanner/osvscannerjson-multiple-packages-with-vulns.json")
        #expect(osv.findings.count == 3, "groups, not records, are findings")
        let cdx = try report("trivy/aquasecurity-trivy/pom-cyclonedx.json")
        #expect(cdx.findings.count == 2)
        #expect(cdx.findings.allSatisfy { $0.purl?.hasPrefix("pkg:maven/") == true })
        #expect(try ScannerReader.read(Data("null".utf8), format: .trivy).findings.isEmpty)
    }

    @Test(arguments: [
        ("{\"matches\": [", "not JSON"),
        ("<html>not json</html>", "not JSON"),
        ("{\"hello\": 1}", "not a scanner format"),
        ("[]", "not a scanner format"),
        (String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), "not JSON"),
        ("{\"matches\":[{\"vulnerability\":{\"id\":\"../../etc/passwd\"},\"artifact\":{\"name\":\"x\",\"purl\":\"pkg:npm/x@1\"}}],\"source\":{}}", "not a vulnerability id"),
        ("{\"matches\":[{\"vulnerability\":{\"id\":\"CVE-2021-1\"},\"artifact\":{\"name\":\"x\\u0007y\",\"purl\":\"pkg:npm/x@1\"}}],\"source\":{}}", "control characters"),
        ("{\"matches\":[{\"vulnerability\":{\"id\":\"CVE-2021-1\"}}],\"source\":{}}", "artifact.name"),
        ("\u{FEFF}{\"results\": 3}", "not a scanner format"),
    ])
    func badInputIsRefusedWithTheReason(text: String, words: String) {
        do {
            let report = try ScannerReader.read(Data(text.utf8))
            Issue.record("accepted: \(report)")
        } catch {
            #expect("\(error)".contains(words), "\(error)")
        }
    }

    @Test func tooLargeIsRefusedBeforeParsing() {
        #expect(throws: ScannerError.tooLarge(bytes: 1000, limit: 999)) { try ScannerReader.read(Data(count: 1000), maxBytes: 999) }
    }

    @Test(arguments: [
        ("pkg:npm/%40scope/name@1.0.0", "pkg:npm/@scope/name@1.0.0"),
        ("pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11", "pkg:deb/debian/openssl@1.1.1n-0+deb11u3"),
        ("pkg:PyPI/Django_Rest.Framework@3.1", "pkg:pypi/django-rest-framework@3.1"),
        ("pkg:maven/org.apache/commons@1.0#sub/path", "pkg:maven/org.apache/commons@1.0"),
    ])
    func purlKeysIgnoreQualifiersAndSpelling(purl: String, key: String) {
        #expect(PackageURL.key(purl) == key)
    }
}
