/// Package URLs compared as the purl specification defines them, not as strings: the
/// scheme and type are case-insensitive and qualifiers are an unordered set, so
/// `pkg:golang/x@v1?goos=linux&type=module` and `pkg:golang/x@v1?type=module&goos=linux` are one.
extension PackageURL {
    /// The canonical text: `pkg:` and the type lower-cased, qualifiers sorted by key (keys lower-cased).
    /// An ASCII purl (nearly every one) is taken byte by byte; `canonicalByCharacters` is the
    /// general form and the reference the byte form is tested against.
    public static func canonical(_ purl: String) -> String {
        var purl = purl
        if let fast = purl.withUTF8({ asciiCanonical($0) }) { return fast }
        return canonicalByCharacters(purl)
    }

    /// The canonical text of an all-ASCII purl (nil for any other), as `canonicalByCharacters` gives
    /// it: ASCII lower-casing is the whole of `lowercased()` there, and ASCII texts sort by bytes.
    static func asciiCanonical(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        let hash = bytes.firstIndex(of: 0x23) ?? bytes.endIndex   // '#'
        let question = bytes[..<hash].firstIndex(of: 0x3F)        // '?'
        let baseEnd = question ?? hash
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1)
        if let colon = bytes[..<baseEnd].firstIndex(of: 0x3A) {   // ':'
            out += bytes[..<colon].lazy.map(lowered)
            out.append(0x3A)
            let slash = bytes[(colon + 1)..<baseEnd].firstIndex(of: 0x2F) ?? baseEnd   // '/'
            out += bytes[(colon + 1)..<slash].lazy.map(lowered)
            out += bytes[slash..<baseEnd]
        } else {
            out += bytes[..<baseEnd]
        }
        if let question {
            var pairs = bytes[(question + 1)..<hash].split(separator: 0x26).map { pair -> [UInt8] in   // '&'
                let equals = pair.firstIndex(of: 0x3D) ?? pair.endIndex   // '='
                return Array(pair[..<equals].lazy.map(lowered)) + pair[equals...]
            }
            if !pairs.isEmpty {
                pairs.sort { $0.lexicographicallyPrecedes($1) }
                out.append(0x3F)
                for (index, pair) in pairs.enumerated() {
                    if index > 0 { out.append(0x26) }
                    out += pair
                }
            }
        }
        out += bytes[hash...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical text, taken Character by Character (any purl).
    static func canonicalByCharacters(_ purl: String) -> String {
        var rest = Substring(purl)
        var subpath = ""
        if let hash = rest.firstIndex(of: "#") {
            subpath = String(rest[hash...])
            rest = rest[..<hash]
        }
        var qualifiers = ""
        if let question = rest.firstIndex(of: "?") {
            let pairs = rest[rest.index(after: question)...].split(separator: "&").map { pair -> String in
                guard let equals = pair.firstIndex(of: "=") else { return pair.lowercased() }
                return pair[..<equals].lowercased() + pair[equals...]
            }
            qualifiers = pairs.isEmpty ? "" : "?" + pairs.sorted().joined(separator: "&")
            rest = rest[..<question]
        }
        var base = String(rest)
        if let colon = base.firstIndex(of: ":") {
            let scheme = base[..<colon].lowercased()
            let afterColon = base[base.index(after: colon)...]
            if let slash = afterColon.firstIndex(of: "/") {
                base = scheme + ":" + afterColon[..<slash].lowercased() + afterColon[slash...]
            } else {
                base = scheme + ":" + afterColon.lowercased()
            }
        }
        return base + qualifiers + subpath
    }

    /// The purl without qualifiers and subpath: type, namespace, name and version.
    public static func base(_ purl: String) -> String {
        let canonical = canonical(purl)
        return String(canonical.prefix { $0 != "?" && $0 != "#" })
    }
}
