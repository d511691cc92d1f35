import EvidentCore
import Foundation

/// Why an export was refused: every problem found, each a finding at its record's line and column.
public struct DisclosureRefused: Error, CustomStringConvertible, Sendable {
    public var findings: [Finding]
    public var description: String {
        "refused: \(findings.count) problem\(findings.count == 1 ? "" : "s")\n" + findings.map {
            "\($0.path):\($0.line):\($0.column): \($0.severity.rawValue): [\($0.rule)] \($0.message)"
        }.joined(separator: "\n")
    }
}

/// Errors that stop an export before any mapping (exit 2: could not run).
public enum DisclosureError: Error, CustomStringConvertible, Equatable {
    case noSuchAdvisory(String)
    case noSuchRelease(String)
    case unknownRevision(String)
    case noCommit
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .noSuchAdvisory(let id): return "no advisory record has id or advisory-id '\(id)'"
        case .noSuchRelease(let tag): return "no release record has tag '\(tag)'"
        case .unknownRevision(let rev): return "unknown revision '\(rev)'"
        case .noCommit: return "the repository has no commit yet: disclosure documents are dated from git history"
        case .cannotWrite(let path, let why): return "cannot write \(path): \(why)"
        }
    }
}

/// The rule id of disclosure findings (`evident check` and refused exports).
enum DisclosureRule {
    static let id = "advisory-csaf"
    static func finding(_ record: Record, _ mark: Mark, _ message: String) -> Finding {
        Finding(rule: id, severity: .error, path: record.path, mark: mark, message: message, record: record.id)
    }
}
