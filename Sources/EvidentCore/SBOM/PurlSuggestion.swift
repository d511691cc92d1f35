import Vulnerabilities

/// "Did you mean" for a purl an SBOM does not list.
enum PurlSuggestion {
    /// The listed purl closest to `purl`: the one with the same package and version (qualifiers
    /// aside), else the nearest by edit distance when it is near enough to be a typo.
    static func closest(to purl: String, in listed: [String]) -> String? {
        let wanted = PackageURL.base(purl)
        let sameBase = listed.filter { PackageURL.base($0) == wanted }.sorted()
        if let first = sameBase.first { return first }
        let sameName = listed.filter { PackageURL.base($0).split(separator: "@").first == wanted.split(separator: "@").first }.sorted()
        if let first = sameName.first { return first }
        let scored = listed.map { ($0, Catalog.distance(PackageURL.canonical(purl), PackageURL.canonical($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }), best.1 <= max(3, purl.count / 4) else { return nil }
        return best.0
    }
}
