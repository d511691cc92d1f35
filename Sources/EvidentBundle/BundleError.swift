import Foundation

/// Why an export, keygen, verify or diff cannot run at all (exit 2).
public enum BundleError: Error, CustomStringConvertible, Equatable {
    case outputExists(String)
    case outputInsideRecords(String, String)
    case dirtyWorkingTree([String])
    case unknownRevision(String)
    case badRange(String)
    case notAKey(String, String)
    case keyRefused(String, String)
    case unreadable(String, String)
    case writeFailed(String, String)
    case noHead

    public var description: String {
        switch self {
        case .outputExists(let path): return "\(path) already exists (pass --force to replace it)"
        case .outputInsideRecords(let path, let root): return "\(path) lies inside the records folder '\(root)/'; write the bundle elsewhere"
        case .dirtyWorkingTree(let paths):
            let shown = paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? " and \(paths.count - 5) more" : "")
            return "records differ from HEAD (\(shown)); commit them, name a commit with --rev, or pass --allow-dirty"
        case .unknownRevision(let revision): return "revision '\(revision)' does not exist in this repository"
        case .badRange(let range): return "'\(range)' is not a range: write REV1..REV2"
        case .notAKey(let path, let expected): return "\(path) is not an OpenSSH (or evident) \(expected) key"
        case .keyRefused(let path, let reason): return "\(path): \(reason)"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .writeFailed(let path, let reason): return "cannot write \(path): \(reason)"
        case .noHead: return "the repository has no commits yet"
        }
    }
}
