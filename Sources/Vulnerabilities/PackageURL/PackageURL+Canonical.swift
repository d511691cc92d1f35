/// Package URLs compared as the purl specification defines them, not as strings: the
/// scheme and type are case-insensitive and qualifiers are an unordered set, so
/// `pkg:golang/x@v1?goos=linux&type=module` and `pkg:golang/x@v1?type=module&goos=linux` are one.
extension PackageURL {
    /// The canonical text: `pkg:` and the type lower-cased, qualifiers sorted by key (keys lower-cased).
    public static func canonical(_ purl: String) -> String {
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
