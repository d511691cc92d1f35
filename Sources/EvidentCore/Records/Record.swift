import Foundation

/// The lifecycle states a record moves through.
public enum RecordStatus: String, Sendable, CaseIterable, Codable {
    case draft
    case inReview = "in-review"
    case approved
    case superseded
    case retired
}

/// A typed reference to another record.
public struct RecordLink: Sendable, Hashable {
    public static let relations: Set<String> = [
        "implements", "mitigates", "mitigated-by", "verifies", "verified-by", "reviews", "reviewed-by",
        "fixes", "fixed-by", "supersedes", "refines", "depends-on", "references", "discloses",
    ]
    public var target: String
    public var relation: String?
    public var digest: String?
    public var mark: Mark
}

/// An approval block: who approved which content, when.
public struct Approval: Sendable, Hashable {
    public var by: String?
    public var date: String?
    public var digest: String?
    public var mark: Mark
}

/// An ID with where it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var mark: Mark
}

/// One evidence record: the envelope fields every kind shares, the whole YAML tree for kind-specific
/// fields, and where everything was written. A class: rules pass records around by the hundred
/// thousand, and a struct of a dozen reference-counted fields cost a dozen retains per copy. Set up
/// once by `Project.load` (`blobID` filled in there) and not changed afterwards.
public final class Record: @unchecked Sendable {
    public static let envelopeKeys = Set(envelopeOrder)

    public var path: String
    public var node: YAMLNode { didSet { forgetDerived() } }
    public var kind: String? { didSet { forgetDerived() } }
    public var id: String?
    public var title: String?
    public var status: RecordStatus?
    public var owner: String?
    public var evidenceFor: [Located<String>]
    public var links: [RecordLink]
    public var approval: Approval?
    /// Git blob id of the file's bytes, when known.
    public var blobID: String?

    /// Reads the envelope from a parsed record; what is missing or mistyped stays nil (rules report it).
    public init(path: String, node: YAMLNode, blobID: String? = nil) {
        self.path = path
        self.node = node
        self.blobID = blobID
        // The envelope in one pass over the top-level pairs (the first pair of each key), not one
        // search per field: every command builds a record per file, 20,000 in a large import.
        // `found` is in `envelopeOrder`'s order.
        var found: [YAMLNode?] = Array(repeating: nil, count: Self.envelopeOrder.count)
        if case .mapping(let pairs, _) = node {
            for pair in pairs {
                guard case .scalar(let key) = pair.key, let slot = Self.envelopeOrder.firstIndex(of: key.value), found[slot] == nil else { continue }
                found[slot] = pair.value
            }
        }
        kind = found[0]?.scalarString
        id = found[1]?.scalarString
        title = found[2]?.scalarString
        status = found[3]?.scalarString.flatMap(RecordStatus.init(rawValue:))
        owner = found[4]?.scalarString
        if case .sequence(let items, _)? = found[5] {
            evidenceFor = items.compactMap { item in item.scalarString.map { Located(value: $0, mark: item.mark) } }
        } else if let single = found[5], let value = single.scalarString {
            evidenceFor = [Located(value: value, mark: single.mark)]
        } else {
            evidenceFor = []
        }
        if case .sequence(let items, _)? = found[6] {
            links = items.compactMap { item in
                if let target = item["to"]?.scalarString {
                    return RecordLink(target: target, relation: item["relation"]?.scalarString, digest: item["digest"]?.scalarString, mark: item["to"]?.mark ?? item.mark)
                }
                return nil
            }
        } else {
            links = []
        }
        if let block = found[7], case .mapping = block {
            approval = Approval(by: block["by"]?.scalarString, date: block["date"]?.scalarString, digest: block["digest"]?.scalarString, mark: block.mark)
        } else {
            approval = nil
        }
    }

    /// The envelope keys in the order `init` reads them.
    static let envelopeOrder = ["kind", "id", "title", "status", "owner", "evidence-for", "links", "approval"]

    /// Where a top-level key's value was written, or the record's start.
    public func mark(of key: String) -> Mark {
        node[key]?.mark ?? node.mark
    }

    /// The value of a top-level field as text, when it is a scalar.
    public func string(_ key: String) -> String? { node[key]?.scalarString }

    /// The digest of the record's content without its approval block: `sha256:` and 64 hex digits.
    /// Worked out once (several rules and coverage ask).
    public var contentDigest: String {
        derived { $0.digest } set: { $0.digest = $1 } make: { RecordDigest.digest(of: node) }
    }

    /// Every value in the record's reference fields (as `ReferenceFields.shared` reads them), worked
    /// out once: a check's rules ask for them a field target at a time.
    var referenceValues: ReferenceTable {
        derived { $0.references } set: { $0.references = $1 } make: { ReferenceFields.shared.table(of: self) }
    }

    /// A record's reference values, grouped by target (each group in field order), so one target's
    /// are handed out as a slice without copying or filtering.
    struct ReferenceTable {
        private let grouped: [ReferenceValue]
        /// Where each target's group ends in `grouped`, in `ReferenceTarget.allCases` order.
        private let ends: [Int32]

        /// Values already grouped by target (`ReferenceFields.table(of:)`), and where each group ends.
        init(grouped: [ReferenceValue], ends: [Int32]) {
            self.grouped = grouped
            self.ends = ends
        }

        /// Every value, in field order.
        var all: [ReferenceValue] { grouped.sorted { $0.ordinal < $1.ordinal } }

        var count: Int { grouped.count }

        func values(of target: ReferenceTarget) -> ArraySlice<ReferenceValue> {
            let slot = target.slot
            return grouped[(slot == 0 ? 0 : Int(ends[slot - 1]))..<Int(ends[slot])]
        }
    }

    /// What is derived from `node` and `kind`, remembered until either changes. Rules read records from
    /// several threads: the lock guards the memo, and the work runs outside it.
    private struct Derived { var digest: String?; var references: ReferenceTable? }
    private var memo = Derived()
    private let memoLock = NSLock()

    private func derived<T>(_ get: (Derived) -> T?, set: (inout Derived, T) -> Void, make: () -> T) -> T {
        memoLock.lock()
        let known = get(memo)
        memoLock.unlock()
        if let known { return known }
        let made = make()
        memoLock.lock()
        set(&memo, made)
        memoLock.unlock()
        return made
    }

    private func forgetDerived() {
        memoLock.lock()
        memo = Derived()
        memoLock.unlock()
    }

    /// Whether an approval is present and matches the current content.
    public var approvalIsCurrent: Bool {
        guard let digest = approval?.digest else { return false }
        return digest == contentDigest
    }

    /// Approved status with a current approval: what coverage counts.
    public var isApprovedAndCurrent: Bool {
        status == .approved && approvalIsCurrent
    }
}

extension YAMLNode {
    /// Text of a scalar that is not null (null, `~` and empty plain scalars give nil).
    public var scalarString: String? {
        guard case .scalar(let scalar) = self else { return nil }
        if case .null = scalar.coreValue { return nil }
        return scalar.value
    }

    /// Every scalar string in a list (or a lone scalar), with positions.
    public var stringItems: [Located<String>] {
        switch self {
        case .sequence(let items, _):
            return items.compactMap { item in item.scalarString.map { Located(value: $0, mark: item.mark) } }
        case .scalar:
            return scalarString.map { [Located(value: $0, mark: mark)] } ?? []
        case .mapping:
            return []
        }
    }
}
