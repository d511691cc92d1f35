import Foundation

/// Package URLs as evident compares them: scanners and SBOM generators spell the same package with
/// different qualifiers (`?arch=`, `&distro=`, `upstream=`), subpaths and percent-encoding.
public enum PackageURL {
    /// The comparison key of a purl: type lowercased, qualifiers and subpath dropped, percent-escapes
    /// decoded, and for types whose names are case-insensitive (npm, pypi, gem...) the name
    /// lowercased (pypi also folding `_` and `.` to `-`). Nil when the text is not a purl.
    public static func key(_ purl: String) -> String? {
        guard purl.hasPrefix("pkg:") || purl.hasPrefix("PKG:") else { return nil }
        var rest = Substring(purl.dropFirst(4))
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let question = rest.firstIndex(of: "?") { rest = rest[..<question] }
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let type = rest[..<slash].lowercased()
        guard !type.isEmpty else { return nil }
        var path = String(rest[rest.index(after: slash)...])
        var version: String?
        if let at = path.lastIndex(of: "@"), at != path.startIndex {
            version = decode(String(path[path.index(after: at)...]))
            path = String(path[..<at])
        }
        var name = path.split(separator: "/").map { decode(String($0)) }.joined(separator: "/")
        if ["npm", "pypi", "gem", "nuget", "cargo", "golang", "composer", "hex", "pub", "github", "bitbucket"].contains(type) {
            name = name.lowercased()
        }
        if type == "pypi" {
            name = String(name.map { $0 == "_" || $0 == "." ? "-" : $0 })
        }
        return "pkg:\(type)/\(name)" + (version.map { "@\($0)" } ?? "")
    }

    /// The purl of a package named in an ecosystem's own terms (OSV's ecosystems, npm, pip, Snyk's
    /// package managers), or nil for ecosystems without a purl type evident knows.
    public static func make(ecosystem: String, name: String, version: String?) -> String? {
        guard !name.isEmpty else { return nil }
        let type: String
        var path = name
        switch ecosystem.lowercased() {
        case "npm", "yarn", "pnpm": type = "npm"
        case "pypi", "pip", "poetry", "pipenv", "python": type = "pypi"
        case "maven", "gradle", "sbt":
            type = "maven"
            path = name.replacingOccurrences(of: ":", with: "/")
        case "go", "golang", "gomodules": type = "golang"
        case "crates.io", "cargo", "rust": type = "cargo"
        case "rubygems", "gem", "rubygems.org", "bundler": type = "gem"
        case "nuget", "dotnet": type = "nuget"
        case "packagist", "composer": type = "composer"
        case "hex": type = "hex"
        case "pub": type = "pub"
        case "swifturl", "swift": type = "swift"
        default: return nil
        }
        let encodedPath = path.split(separator: "/").map { encode(String($0)) }.joined(separator: "/")
        return "pkg:\(type)/\(encodedPath)" + (version.map { "@" + encode($0) } ?? "")
    }

    /// Percent-escapes decoded (text without a `%` as it is: the Foundation call, per purl of a large
    /// import, was a tenth of its matching).
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return text.removingPercentEncoding ?? text
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: ".-_~+!")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
