import Crypto
import Foundation

/// SBOM documents found valid against evident's built-in schema of their format, by the SHA-256 of
/// their bytes, kept in `<commonDir>/evident/sbom-valid.txt` so a warm check neither compiles the
/// schema nor walks a large document again while its bytes stay the same. Only the built-in
/// schemas are remembered (they are part of the executable, which the file's header names); a
/// schema `.evident.yml` names under `sbom-schemas` is a repository file and is always applied.
/// A file that does not parse exactly is ignored; written to a temporary file and renamed.
final class SBOMVerdictCache {
    static let header = "evident-sbom-valid 1 " + ExecutableIdentity.current
    private let path: String?
    private let loaded: Set<String>
    private var valid: Set<String> = []

    /// The cache in a project's cache folder; none (nothing remembered) without one.
    init(directory: String?) {
        path = directory.map { ($0 as NSString).appendingPathComponent("sbom-valid.txt") }
        var keys = Set<String>()
        if let path, let data = FileManager.default.contents(atPath: path) {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let entries = lines.dropFirst().dropLast()
            if lines.count >= 2, lines[0] == Self.header, lines.last == "", entries.allSatisfy(Self.isKey) {
                keys = Set(entries.map(String.init))
            }
        }
        loaded = keys
    }

    /// `<format> <sha256 of the bytes>`.
    static func key(_ document: SBOMDocument, _ format: SBOMDocument.Format) -> String {
        format.rawValue + " " + Hex.lowercase(SHA256.hash(data: document.data))
    }

    private static func isKey(_ line: Substring) -> Bool {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        return parts.count == 2 && SBOMDocument.Format(rawValue: String(parts[0])) != nil && parts[1].utf8.count == 64
            && parts[1].utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// Whether these bytes passed the built-in schema of this format before (and so are remembered again).
    func isKnownValid(_ key: String) -> Bool {
        guard loaded.contains(key) else { return false }
        valid.insert(key)
        return true
    }

    func remember(_ key: String) { valid.insert(key) }

    /// Writes the documents found valid in this run (so the file holds only current ones), when that changed.
    func save() {
        guard let path, valid != loaded else { return }
        AtomicFile.writeCache(Self.header + "\n" + valid.sorted().map { $0 + "\n" }.joined(), to: path)
    }
}
