/// JUnit XML for CI test reports: a test case per record file, a failure per error finding.
public struct JUnitReporter: Reporter {
    public init() {}

    public func render(_ report: CheckReport, context: ReportContext) -> String {
        var byPath: [String: [Finding]] = [:]
        for finding in report.findings { byPath[finding.path, default: []].append(finding) }
        var cases: [(name: String, path: String)] = report.records.map { ($0.id, $0.path) }
        let known = Set(cases.map(\.path))
        for path in byPath.keys.sorted() where !known.contains(path) { cases.append((path, path)) }
        var body = ""
        var failures = 0
        for testCase in cases.sorted(by: { $0.path < $1.path }) {
            let errors = (byPath[testCase.path] ?? []).filter { $0.severity == .error }
            let warnings = (byPath[testCase.path] ?? []).filter { $0.severity == .warning }
            body += "    <testcase classname=\"\(escape(testCase.path))\" name=\"\(escape(testCase.name))\" file=\"\(escape(testCase.path))\""
            if errors.isEmpty && warnings.isEmpty {
                body += "/>\n"
                continue
            }
            body += ">\n"
            for error in errors {
                failures += 1
                body += "      <failure type=\"\(escape(error.rule))\" message=\"\(escape(error.message))\">\(escape("\(error.path):\(error.line):\(error.column): [\(error.rule)] \(error.message)"))</failure>\n"
            }
            if !warnings.isEmpty {
                body += "      <system-out>\(escape(warnings.map { "\($0.path):\($0.line):\($0.column): warning: [\($0.rule)] \($0.message)" }.joined(separator: "\n")))</system-out>\n"
            }
            body += "    </testcase>\n"
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="evident check" tests="\(cases.count)" failures="\(failures)">
          <testsuite name="evident" tests="\(cases.count)" failures="\(failures)" errors="0" skipped="0">
        \(body)  </testsuite>
        </testsuites>

        """
    }

    func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" { out += "?" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
