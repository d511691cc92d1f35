/// Renders a trace. The formats `trace` writes; each renderer in its own file.
public protocol TraceRenderer: Sendable {
    func render(_ report: TraceReport) -> String
}

public enum TraceFormat: String, CaseIterable, Sendable {
    case text, json, markdown, html

    public var renderer: any TraceRenderer {
        switch self {
        case .text: return TraceTextRenderer()
        case .json: return TraceJSONRenderer()
        case .markdown: return TraceMarkdownRenderer()
        case .html: return TraceHTMLRenderer()
        }
    }
}

extension TraceTest {
    /// "TR-001 TC-1 pass (REQ-001)".
    var summary: String { "\(report) \(testCase) \(result)\(requirement.map { " (\($0))" } ?? "")" }
}
