extension YAMLNode {
    /// Every mapping entry, at any depth, whose key satisfies `matches`, with the mapping holding it;
    /// the value of a match is not searched further. Iterative and bounded (100,000 nodes visited),
    /// so hostile trees cost little.
    public func entries(where matches: (String) -> Bool) -> [(pair: YAMLPair, parent: YAMLNode)] {
        var found: [(pair: YAMLPair, parent: YAMLNode)] = []
        var pending: [YAMLNode] = [self]
        var visited = 0
        while let current = pending.popLast(), visited < 100_000 {
            visited += 1
            switch current {
            case .scalar:
                continue
            case .sequence(let items, _):
                pending.append(contentsOf: items)
            case .mapping(let pairs, _):
                for pair in pairs {
                    // The key's text as written: typing it (null, number) could never make it match a name.
                    if let key = pair.key.string, matches(key) {
                        found.append((pair, current))
                    } else {
                        pending.append(pair.value)
                    }
                }
            }
        }
        return found
    }
}

/// Repository paths that records name as evidence files (`document`, `documents`, `report`, `csaf`).
public enum EvidenceReferences {
    public static let keys: Set<String> = ["document", "documents", "report", "csaf"]

    /// Whether a key is one of `keys`, compared one by one (unequal lengths fail at once): every
    /// key of every record is asked, and hashing each was most of finding a large export's
    /// evidence files.
    static func isKey(_ key: String) -> Bool { keyList.contains(key) }
    private static let keyList = Array(keys)

    /// The referenced paths in a record tree, in reading order.
    public static func paths(in node: YAMLNode) -> [Located<String>] {
        node.entries(where: isKey)
            .flatMap { $0.pair.value.stringItems }
            .sorted { ($0.mark, $0.value) < ($1.mark, $1.value) }
    }
}
