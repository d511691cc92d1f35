/// JUnit XML for CI test reports: a test case per record file (and per other file with findings),
/// a failure per error finding; warnings go to the case's `system-out` and never fail it.
public struct JUnitReporter: Reporter {
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var byPath: [String: [Finding]] = [:]
        for finding in report.findings { byPath[finding.path, default: []].append(finding) }
        var cases: [(name: String, path: String)] = report.records.map { ($0.id.isEmpty ? $0.path : $0.id, $0.path) }
        let known = Set(cases.map(\.path))
        for path in byPath.keys.sorted() where !known.contains(path) { cases.append((path, path)) }
        cases.sort { ($0.path, $0.name) < ($1.path, $1.name) }
        var body = ""
        var failures = 0
        var reported = Set<String>()
        for testCase in cases {
            // Two records in one file share its findings; report them once, on the first case.
            let findings = reported.insert(testCase.path).inserted ? (byPath[testCase.path] ?? []) : []
            let errors = findings.filter { $0.severity == .error }
            let warnings = findings.filter { $0.severity != .error }
            body += "    <testcase classname=\"\(escape(testCase.path))\" name=\"\(escape(testCase.name))\" file=\"\(escape(testCase.path))\" time=\"0\""
            if errors.isEmpty && warnings.isEmpty {
                body += "/>\n"
                continue
            }
            body += ">\n"
            for error in errors {
                failures += 1
                body += "      <failure type=\"\(escape(error.rule))\" message=\"\(escape(error.message))\">\(escape("\(error.path):\(error.line):\(error.column): error: [\(error.rule)] \(error.message)"))</failure>\n"
            }
            if !warnings.isEmpty {
                body += "      <system-out>\(escape(warnings.map { "\($0.path):\($0.line):\($0.column): \($0.severity.rawValue): [\($0.rule)] \($0.message)" }.joined(separator: "\n")))</system-out>\n"
            }
            body += "    </testcase>\n"
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="evident check" tests="\(cases.count)" failures="\(failures)" errors="0" skipped="0" time="0">
          <testsuite name="evident" tests="\(cases.count)" failures="\(failures)" errors="0" skipped="0" time="0">
            <properties>
              <property name="evident.version" value="\(escape(context.toolVersion))"/>
              <property name="warnings" value="\(report.warningCount)"/>
            </properties>
        \(body)  </testsuite>
        </testsuites>

        """
    }

    /// Escapes text for XML 1.0 content and attributes; characters XML 1.0 forbids become U+FFFD.
    func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF || (0xD800...0xDFFF).contains(value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
