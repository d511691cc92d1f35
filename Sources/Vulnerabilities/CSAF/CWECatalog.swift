import Foundation

/// MITRE's CWE ids and names (CWE 4.20 and every earlier version), carried as data so advisories
/// name weaknesses as MITRE lists them, offline. Regenerate with `scripts/gen-csaf-data`.
public enum CWECatalog {
    public struct Entry: Sendable, Hashable {
        public var id: String
        /// The name in the latest CWE version that has the weakness.
        public var name: String
        /// Every name it carried, newest first.
        public var names: [String]
    }

    /// The CWE version of the table.
    public static var version: String { CWECatalogData.version }

    private static let table: [Int: [String]] = {
        var out: [Int: [String]] = [:]
        for line in CWECatalogData.table.split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count >= 2, let number = Int(fields[0]) { out[number] = Array(fields.dropFirst()) }
        }
        return out
    }()

    /// The entry for `CWE-NNN`, or nil when no CWE version has that weakness.
    public static func entry(_ id: String) -> Entry? {
        guard id.hasPrefix("CWE-"), let number = Int(id.dropFirst(4)), String(number) == id.dropFirst(4),
              let names = table[number], let name = names.first else { return nil }
        return Entry(id: id, name: name, names: names)
    }
}
