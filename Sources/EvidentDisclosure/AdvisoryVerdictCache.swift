import Crypto
import EvidentCore
import Foundation

/// Advisories whose CSAF export was found clean, by a digest of everything the verdict depends on
/// (the advisory's content (its blob id) and approval state, each named defect's content, the publisher and product
/// settings, the product purl), kept in `<commonDir>/evident/advisory-csaf.txt` so a warm `check`
/// maps and checks only advisories whose inputs changed. Keyed by the executable (another build
/// starts afresh); a file that does not parse exactly is ignored; written to a temporary file and renamed.
final class AdvisoryVerdictCache: @unchecked Sendable {
    static let header = "evident-advisory-csaf 1 " + ExecutableIdentity.current
    let path: String?
    private let loaded: Set<String>
    private var clean: Set<String> = []
    private let lock = NSLock()

    /// The cache beside the schema verdicts of the project (none for projects read from memory).
    init(project: Project) {
        path = project.schemaCache.map { (($0.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("advisory-csaf.txt") }
        var ids = Set<String>()
        if let path, let data = FileManager.default.contents(atPath: path) {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count >= 2, lines[0] == Self.header, lines.last == "",
               lines.dropFirst().dropLast().allSatisfy({ $0.utf8.count == 64 && $0.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) } }) {
                ids = Set(lines.dropFirst().dropLast().map(String.init))
            }
        }
        loaded = ids
    }

    /// A record's content as the key names it: its git blob id when known (it names every byte, so it
    /// changes whenever the content digest would), else the content digest, worked out from the tree.
    private static func content(_ record: Record) -> String {
        record.blobID.map { "blob:" + $0 } ?? record.contentDigest
    }

    static func key(_ advisory: Record, context: DisclosureContext) -> String {
        var parts = [advisory.path, content(advisory), advisory.isApprovedAndCurrent ? "approved" : "not-approved",
                     advisory.status?.rawValue ?? "", context.configuration.vendor ?? "", context.configuration.vendorURL ?? "",
                     context.configuration.productName, context.productPurlBase() ?? "", context.project.configPath]
        for item in advisory.node["defects"]?.stringItems ?? [] {
            let defect = context.record(item.value)
            parts += [item.value, defect?.kind ?? "missing", defect.map(content) ?? "missing"]
        }
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8))
        return Hex.lowercase(digest)
    }

    func isKnownClean(_ key: String) -> Bool { loaded.contains(key) }

    func remember(_ key: String) {
        lock.lock()
        clean.insert(key)
        lock.unlock()
    }

    /// Writes the keys found clean in this run (so the file holds only current advisories).
    func save() {
        lock.lock()
        let kept = clean
        lock.unlock()
        guard let path, kept != loaded else { return }
        AtomicFile.writeCache(Self.header + "\n" + kept.sorted().map { $0 + "\n" }.joined(), to: path)
    }
}
