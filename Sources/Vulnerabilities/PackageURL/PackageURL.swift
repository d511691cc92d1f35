import Foundation

/// Package URLs as evident compares them: scanners and SBOM generators spell the same package with
/// different qualifiers (`?arch=`, `&distro=`, `upstream=`), subpaths and percent-encoding.
public enum PackageURL {
    /// The comparison key of a purl: type lowercased, qualifiers and subpath dropped, percent-escapes
    /// decoded, and for types whose names are case-insensitive (npm, pypi, gem...) the name
    /// lowercased (pypi also folding `_` and `.` to `-`). Nil when the text is not a purl.
    public static func key(_ purl: String) -> String? {
        // ASCII without percent-escapes (nearly every purl) byte by byte: a tenth of a large
        // import's matching went to this function's Character-wise form below.
        var purl = purl
        switch purl.withUTF8({ asciiKey($0) }) {
        case .key(let key): return key
        case .notPlainASCII: return keyByCharacters(purl)
        }
    }

    static let caseInsensitiveTypes: Set<String> = ["npm", "pypi", "gem", "nuget", "cargo", "golang", "composer", "hex", "pub", "github", "bitbucket"]

    enum ASCIIKey {
        /// The key (nil: not a purl).
        case key(String?)
        /// Text with a non-ASCII byte or a `%`, for the general form.
        case notPlainASCII
    }

    /// `key` of ASCII text without `%`, byte by byte.
    static func asciiKey(_ bytes: UnsafeBufferPointer<UInt8>) -> ASCIIKey {
        for byte in bytes where byte >= 0x80 || byte == UInt8(ascii: "%") { return .notPlainASCII }
        let slash = UInt8(ascii: "/")
        guard bytes.count >= 4, bytes[3] == UInt8(ascii: ":"),
              (bytes[0], bytes[1], bytes[2]) == (UInt8(ascii: "p"), UInt8(ascii: "k"), UInt8(ascii: "g"))
                || (bytes[0], bytes[1], bytes[2]) == (UInt8(ascii: "P"), UInt8(ascii: "K"), UInt8(ascii: "G")) else { return .key(nil) }
        var start = 4
        while start < bytes.count, bytes[start] == slash { start += 1 }
        var end = bytes.count
        if let hash = bytes[start..<end].firstIndex(of: UInt8(ascii: "#")) { end = hash }
        if let question = bytes[start..<end].firstIndex(of: UInt8(ascii: "?")) { end = question }
        guard let typeEnd = bytes[start..<end].firstIndex(of: slash), typeEnd > start else { return .key(nil) }
        let type = String(decoding: bytes[start..<typeEnd].map { lowerASCII($0) }, as: UTF8.self)
        let pathStart = typeEnd + 1
        var pathEnd = end
        var version: Range<Int>?
        if let at = bytes[pathStart..<end].lastIndex(of: UInt8(ascii: "@")), at != pathStart {
            version = (at + 1)..<end
            pathEnd = at
        }
        var out: [UInt8] = Array("pkg:".utf8)
        out.reserveCapacity(end - start + 5)
        out += type.utf8
        out.append(slash)
        let lower = caseInsensitiveTypes.contains(type)
        let pypi = type == "pypi"
        var segmentOpen = false
        for index in pathStart..<pathEnd {
            var byte = bytes[index]
            if byte == slash { segmentOpen = false; continue }
            if !segmentOpen, out.last != slash { out.append(slash) }
            segmentOpen = true
            if lower { byte = lowerASCII(byte) }
            if pypi, byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") { byte = UInt8(ascii: "-") }
            out.append(byte)
        }
        if let version {
            out.append(UInt8(ascii: "@"))
            out += bytes[version]
        }
        return .key(String(decoding: out, as: UTF8.self))
    }

    static func lowerASCII(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// `key` for any text, Character by Character.
    static func keyByCharacters(_ purl: String) -> String? {
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
        if caseInsensitiveTypes.contains(type) {
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
