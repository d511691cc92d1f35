import Foundation

/// Renders a check report. One file per format; the CLI picks one through `CheckFormat`.
public protocol Reporter: Sendable {
    func render(_ report: CheckReport, context: ReportContext) -> String
}

/// What reporters may need besides the findings.
public struct ReportContext: Sendable {
    public var toolVersion: String
    public var useColor: Bool
    public var rules: [RuleDescription]

    public init(toolVersion: String, useColor: Bool = false, rules: [RuleDescription] = RuleRegistry.all.map { $0.description }) {
        self.toolVersion = toolVersion
        self.useColor = useColor
        self.rules = rules
    }
}

/// The formats `check` writes.
public enum CheckFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit

    public var reporter: any Reporter {
        switch self {
        case .text: return TextReporter()
        case .json: return JSONReporter()
        case .sarif: return SARIFReporter()
        case .junit: return JUnitReporter()
        }
    }

    /// Whether the format lists every record (JSON's `records`, JUnit's test cases); the others
    /// need only the count.
    public var listsRecords: Bool { self == .json || self == .junit }
}

/// Shared JSON writing: stable key order, no escaped slashes.
enum JSONOutput {
    static func string(_ object: Any) -> String {
        var writer = PrettyJSONWriter()
        if object is [String: Any] || object is [Any], writer.write(object) {
            return String(decoding: writer.bytes, as: UTF8.self) + "\n"
        }
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text + "\n"
    }

    static func attribution(_ attribution: Attribution?) -> Any {
        guard let attribution else { return NSNull() }
        func event(_ event: Attribution.Event?) -> Any {
            guard let event else { return NSNull() }
            return ["commit": event.commit, "author": event.author, "email": event.email, "date": event.date,
                    "signature": event.signature.map { $0.jsonObject as Any } ?? NSNull()]
        }
        return [
            "created": event(attribution.created), "last-changed": event(attribution.lastChanged),
            "commits": attribution.commits, "authors": attribution.authors, "uncommitted": attribution.uncommitted,
        ] as [String: Any]
    }
}
