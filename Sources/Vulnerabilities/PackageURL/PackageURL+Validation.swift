import Foundation

/// Validation of package URLs (purl specification): `pkg:type/namespace/name@version?qualifiers#subpath`.
extension PackageURL {
    /// Why `text` is not a valid purl, or nil when it is.
    public static func problem(_ text: String) -> String? {
        guard text.lowercased().hasPrefix("pkg:") else { return "a purl starts with 'pkg:'" }
        var rest = Substring(text.dropFirst(4))
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false) {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2, !kv[1].isEmpty, let key = kv.first, let first = key.first, first.isLetter,
                      key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) }) else {
                    return "qualifier '\(pair)' is not key=value"
                }
            }
            rest = rest[..<question]
        }
        guard let slash = rest.firstIndex(of: "/") else { return "no name after the type" }
        let type = rest[..<slash]
        guard let first = type.first, first.isASCII, first.isLetter,
              type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".+-".contains($0)) }) else {
            return "type '\(type)' is not letters, digits, '.', '+' or '-' starting with a letter"
        }
        var path = rest[rest.index(after: slash)...]
        if let at = path.lastIndex(of: "@") {
            guard path.index(after: at) < path.endIndex else { return "empty version after '@'" }
            path = path[..<at]
        }
        while path.hasSuffix("/") { path = path.dropLast() }
        guard let name = path.split(separator: "/", omittingEmptySubsequences: false).last, !name.isEmpty else {
            return "the name is empty"
        }
        guard (name.removingPercentEncoding ?? "").isEmpty == false else { return "the name is not percent-encoded correctly" }
        return nil
    }
}
