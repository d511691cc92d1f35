/// The ids within edit distance 2 of a name, found without comparing the name with every id (a
/// repository where every record has a dangling link would otherwise compare every record with
/// every other): each id is filed under every string it gives with up to two characters deleted,
/// and two strings within distance 2 share such a string (the deletion-neighbourhood method).
/// Every candidate is then measured, so the answer is the one comparing with every id would give.
struct NearIDs {
    private var byDeletion: [[UInt8]: [String]] = [:]

    init(_ ids: Set<String>) {
        for id in ids {
            for variant in Self.deletions(of: id) { byDeletion[variant, default: []].append(id) }
        }
    }

    /// The nearest id within distance 2 of `name` (the smallest in string order among equally
    /// near ones), or nil.
    func closest(to name: String) -> String? {
        var candidates = Set<String>()
        for variant in Self.deletions(of: name) { candidates.formUnion(byDeletion[variant] ?? []) }
        return Self.nearest(to: name, among: candidates)
    }

    /// The same answer by comparing with every id: what the index must agree with.
    static func nearest(to name: String, among ids: some Sequence<String>) -> String? {
        ids.map { (Catalog.distance($0, name), $0) }.filter { $0.0 <= 2 }.min { ($0.0, $0.1) < ($1.0, $1.1) }?.1
    }

    /// The string's UTF-8 bytes and every byte string made by deleting one or two of them (the
    /// distance is counted in bytes too).
    static func deletions(of text: String) -> Set<[UInt8]> {
        let bytes = Array(text.utf8)
        var out: Set<[UInt8]> = [bytes]
        for i in bytes.indices {
            var once = bytes
            once.remove(at: i)
            out.insert(once)
            for j in once.indices {
                var twice = once
                twice.remove(at: j)
                out.insert(twice)
            }
        }
        return out
    }
}
