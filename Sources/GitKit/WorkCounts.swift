import Foundation

/// How much work a run did, counted where it is done: history walks, commits and trees read, tree
/// diffs, blobs and files read, YAML documents parsed. Tests compare the counts for N and 2N
/// records to prove growth linear without timing anything; `EVIDENT_TIMINGS` prints them.
public enum WorkCounts {
    public enum Kind: Int, CaseIterable, Sendable {
        /// A walk over commit history (a path-history walk, a revision walk, a follow).
        case historyWalks
        /// Commit objects read from the object database.
        case commitsRead
        /// Tree-to-tree comparisons (one per commit and parent in a walk, one per rename probe).
        case treeDiffs
        /// Blobs read from the object database.
        case blobsRead
        /// Files read from the working tree.
        case filesRead
        /// YAML documents parsed (records, and older versions of records read from history).
        case yamlParsed
        /// Records the record rules judged (a warm run takes unchanged records' findings from its cache).
        case recordsJudged

        public var name: String {
            switch self {
            case .historyWalks: return "history-walks"
            case .commitsRead: return "commits-read"
            case .treeDiffs: return "tree-diffs"
            case .blobsRead: return "blobs-read"
            case .filesRead: return "files-read"
            case .yamlParsed: return "yaml-parsed"
            case .recordsJudged: return "records-judged"
            }
        }
    }

    private final class Counters: @unchecked Sendable {
        let lock = NSLock()
        var values = [Int](repeating: 0, count: Kind.allCases.count)
    }

    private static let counters = Counters()

    public static func add(_ kind: Kind, _ amount: Int = 1) {
        counters.lock.lock()
        counters.values[kind.rawValue] += amount
        counters.lock.unlock()
    }

    public static func value(_ kind: Kind) -> Int {
        counters.lock.lock()
        defer { counters.lock.unlock() }
        return counters.values[kind.rawValue]
    }

    /// `history-walks=1 commits-read=20 ...`, every counter in a stable order.
    public static var summary: String {
        Kind.allCases.map { "\($0.name)=\(value($0))" }.joined(separator: " ")
    }
}
